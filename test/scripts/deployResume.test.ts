/**
 * `npm run deploy` step by step, interrupted and resumed: the process is killed (SIGKILL, like
 * `kill -9`) right after sending its sixth transaction, before that transaction's receipt, with
 * five steps finished; the second run completes. Every future is sent exactly once over both
 * runs, what the first run deployed is what the deployment file names, and the campaign ends
 * registered in the database with its deployment.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { asc, eq } from "drizzle-orm";
import { network } from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { getAddress } from "viem";
import type { DeploymentFile } from "../../scripts/lib/deployCampaign.ts";
import { openDatabase } from "../../server/db/index.ts";
import { auditLog, campaigns, campaignTokens } from "../../server/db/schema.ts";
import { migratedPgliteSnapshot } from "../support/db.ts";
import { runDeploy } from "../support/deployCli.ts";
import { ROOT } from "../support/process.ts";

const SLUG = `resume-test-${process.pid}`;
let chain: JsonRpcServer;
let url: string;
let dir: string;

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await res.json()) as { result: T }).result;
}

before(async () => {
  chain = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await chain.listen();
  url = `http://${address}:${port}`;
  dir = await mkdtemp(path.join(tmpdir(), "refmint-resume-"));
});

after(async () => {
  await chain.close();
  await rm(dir, { recursive: true, force: true });
  await rm(path.join(ROOT, "ignition", "deployments", `${SLUG}-31337`), {
    recursive: true,
    force: true,
  });
});

test("a deploy killed mid-transaction resumes from its journal, sends each step once, and registers the campaign", async () => {
  const demo = JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8"));
  const file = path.join(dir, `${SLUG}.json`);
  await writeFile(file, JSON.stringify({ ...demo, slug: SLUG, onchainId: 77 }));
  const dataDir = path.join(dir, "pglite");
  // The service (or `npm run db:migrate`) creates the database; the deploy only registers.
  const created = await openDatabase({ dataDir, pgliteSnapshot: await migratedPgliteSnapshot() });
  await created.close();
  const deploymentsDir = path.join(dir, "deployments");
  const args = [
    file,
    "--network",
    "localhost",
    "--rpc-url",
    url,
    "--deployments-dir",
    deploymentsDir,
  ];
  const env = { DATA_DIR: dataDir };

  const steps = (lines: string[]) =>
    lines
      .map((l) =>
        l.match(/^\s+\[\s*(\d+)\/(\d+)\] (\S+): (?:deployed at (0x[0-9a-fA-F]{40})|done)/),
      )
      .filter((m) => m !== null)
      .map((m) => ({ total: Number(m[2]), future: m[3]!, address: m[4] }));
  const sent = (lines: string[]) =>
    lines
      .map((l) => l.match(/^\s+(\S+): sent (0x[0-9a-f]{64})$/))
      .filter((m) => m !== null)
      .map((m) => ({ future: m[1]!, hash: m[2]! }));

  // 1. Killed right after its sixth transaction was sent and journaled, before its receipt.
  const first = runDeploy(args, { ...env, REFMINT_FAILPOINT: "deploy-after-send-6" });
  assert.equal((await first.exit).signal, "SIGKILL", first.lines.join("\n"));
  const firstSteps = steps(first.lines);
  const firstSent = sent(first.lines);
  assert.equal(firstSent.length, 6, first.lines.join("\n"));
  const total = firstSteps[0]!.total;
  assert.equal(total, 20); // 7 contracts and 13 configuration calls
  assert.ok(firstSteps.length < 6);
  const inFlight = firstSent[5]!;
  assert.ok(!firstSteps.some((s) => s.future === inFlight.future));

  // 2. Resumed: runs to the end without sending what the first run sent.
  const second = runDeploy(args, env);
  const end = await second.exit;
  assert.equal(end.code, 0, second.lines.join("\n"));
  const resumed = second.lines
    .map((l) => l.match(/resuming: (\d+) of (\d+) steps were finished by an earlier run/))
    .find(Boolean);
  assert.equal(Number(resumed?.[1]), firstSteps.length, second.lines.join("\n"));
  // The transaction in flight was not sent again: its receipt finished its step.
  assert.ok(!sent(second.lines).some((s) => s.future === inFlight.future));
  assert.ok(steps(second.lines).some((s) => s.future === inFlight.future));

  // Each future sent exactly once across the runs, and nothing else sent by the deployer.
  const allSent = [...firstSent, ...sent(second.lines)];
  assert.equal(new Set(allSent.map((s) => s.future)).size, total);
  assert.equal(allSent.length, total);
  const [deployer] = await rpc<string[]>("eth_accounts");
  assert.equal(Number(await rpc<string>("eth_getTransactionCount", [deployer, "latest"])), total);
  const allSteps = [...firstSteps, ...steps(second.lines)];
  assert.equal(new Set(allSteps.map((s) => s.future)).size, total);

  // What the first run deployed is what the deployment file names.
  const deployment = JSON.parse(
    await readFile(path.join(deploymentsDir, "31337", `${SLUG}.json`), "utf8"),
  ) as DeploymentFile;
  const named: Record<string, string> = {
    [`Campaign_${SLUG.replaceAll("-", "_")}#ReferralPayouts`]: deployment.referralPayouts,
    [`Campaign_${SLUG.replaceAll("-", "_")}#Badges`]: deployment.badges,
    [`Campaign_${SLUG.replaceAll("-", "_")}#PerkShop`]: deployment.perkShop,
    [`Campaign_${SLUG.replaceAll("-", "_")}#REF_token`]: deployment.tokens.REF!.token,
    [`Campaign_${SLUG.replaceAll("-", "_")}#ACT_token`]: deployment.tokens.ACT!.token,
  };
  const deployedInFirstRun = firstSteps.filter((s) => s.address);
  assert.ok(deployedInFirstRun.length > 0);
  for (const s of deployedInFirstRun)
    if (named[s.future]) assert.equal(getAddress(s.address!), named[s.future]);
  // The indexer starts before the first transaction, sent by the first run.
  const firstReceipt = await rpc<{ blockNumber: string }>("eth_getTransactionReceipt", [
    firstSent[0]!.hash,
  ]);
  assert.equal(deployment.startBlock, Number(firstReceipt.blockNumber) - 1);

  // Registered: the campaign's row and token budgets, as the service's sync writes them.
  assert.match(second.lines.join("\n"), /Registered the deployment of resume-test-\d+ in PGlite/);
  const db = await openDatabase({ dataDir });
  try {
    const [row] = await db.db.select().from(campaigns).where(eq(campaigns.slug, SLUG));
    assert.equal(row?.onchainId, 77);
    // The deploy walked the lifecycle: a new file enters as draft, the deploy moves it on.
    assert.equal(row?.state, "active");
    const moves = await db.db
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.campaignId, row!.id))
      .orderBy(asc(auditLog.id));
    assert.deepEqual(
      moves.map((m) => [m.action, m.before, m.after]),
      [
        ["campaign.validated", { state: "draft" }, { state: "validated" }],
        ["campaign.deploying", { state: "validated" }, { state: "deploying" }],
        ["campaign.activated", { state: "deploying" }, { state: "active" }],
      ],
    );
    const tokens = await db.db
      .select()
      .from(campaignTokens)
      .where(eq(campaignTokens.campaignId, row!.id));
    assert.deepEqual(tokens.map((t) => t.symbol).sort(), ["ACT", "REF"]);
  } finally {
    await db.close();
  }
});
