/**
 * `npm run campaign:version` as an operator runs it: a child process on PostgreSQL and a real
 * Hardhat chain. The dry run prints the difference and the admin's transactions and changes
 * nothing; a file that needs a redeploy is refused; a key without the admin role stops at the
 * contract's refusal with nothing sent; the admin's run applies the version and waits until it
 * takes effect; running it again says it is in effect.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { type Address, parseUnits } from "viem";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { type DatabaseHandle, openDatabase } from "../../server/db/index.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import { versionState } from "../../server/domain/versions.ts";
import {
  ADMIN_KEY,
  deployTestCampaign,
  type Harness,
  harness,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "../chain/support.ts";
import { testCampaign } from "../support/campaign.ts";
import { createMigratedPostgresDatabase, postgresTest, rowCounts } from "../support/db.ts";
import { fastStartEnv, ROOT } from "../support/process.ts";

const SLUG = `cli-versions-${process.pid}`;
const v1 = testCampaign({ slug: SLUG, onchainId: 61 });
const v2: CampaignDefinition = {
  ...v1,
  levels: [
    { level: 1, token: "REF", amount: "11" },
    { level: 2, percent: 20 },
    { level: 3, amount: "1" },
  ],
  tokens: [{ ...v1.tokens[0]!, budget: "3000000" }],
};

let chain: TestChain;
let campaign: TestCampaignDeployment;
let dir: string;
let db: { url: string; handle: DatabaseHandle; drop: () => Promise<void> } | undefined;
let h: Harness;

before(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  chain = await startTestChain();
  campaign = await deployTestCampaign(chain, v1);
  dir = await mkdtemp(path.join(tmpdir(), "refmint-versions-"));
  await mkdir(path.join(dir, "campaigns"));
  await writeFile(path.join(dir, "campaigns", `${SLUG}.json`), JSON.stringify(v1));
  await writeFile(path.join(dir, "v2.json"), JSON.stringify(v2, null, 2));
  await writeFile(
    path.join(dir, "redeploy.json"),
    JSON.stringify({ ...v1, escrow: { publishDelayHours: 48 } }),
  );
  const { url, drop } = await createMigratedPostgresDatabase();
  const handle = await openDatabase({ url, poolSize: 3 });
  await handle.migrate();
  db = { url, handle, drop };
  h = await harness(handle, campaign, { rpcUrl: chain.url });
});

after(async () => {
  await db?.handle.close();
  await db?.drop();
  await campaign?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
  await chain?.close();
});

/** `npm run campaign:version -- <args>` with the operator's environment. */
function campaignVersion(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/campaign-version.ts"), ...args], {
    env: {
      PATH: process.env.PATH,
      ...fastStartEnv(),
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: db!.url,
      DATABASE_POOL_SIZE: "2",
      MIGRATE_ON_START: "false",
      RPC_URL: chain.url,
      CHAIN_ID: "31337",
      CAMPAIGNS_DIR: path.join(dir, "campaigns"),
      DEPLOYMENTS_DIR: campaign.deploymentsDir,
      PUBLIC_URL: "https://refmint.test",
      CHAIN_CONFIRMATIONS: "1",
      CHAIN_POLL_MS: "50",
      CHAIN_LEASE_SECONDS: "2",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr.on("data", (b: Buffer) => {
    output += b.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

const budgetOnChain = async () =>
  (
    await chain.client.readContract({
      address: campaign.deployment.referralPayouts as Address,
      abi: referralPayoutsAbi,
      functionName: "budgetOf",
      args: [campaign.deployment.tokens.REF!.token as Address],
    })
  )[0];

postgresTest(
  "campaign:version: a dry run changes nothing, a redeploy is refused, a wrong key sends nothing, the admin's run takes effect",
  async () => {
    const file = path.join(dir, "v2.json");
    const before = await rowCounts(db!.handle);
    const block = await chain.client.getBlockNumber();

    const dry = await campaignVersion([file, "--dry-run"]);
    assert.equal(dry.code, 0, dry.output);
    for (const line of [
      "rules version 2, after version 1 in effect; document https://refmint.test/rules/",
      "members are told:",
      "  • Level 1: 10 REF → 11 REF",
      "  • Budget REF: 1000000 REF → 3000000 REF",
      "  1. REF: budget 3000000, per batch 10000, rolling daily limit 100000",
      "     ReferralPayouts.setBudget(",
      "ReferralPayouts.updateRules(2, ",
      "dry run: nothing was written or sent",
    ])
      assert.ok(dry.output.includes(line), `${line}\n--- output:\n${dry.output}`);
    assert.deepEqual(await rowCounts(db!.handle), before);
    assert.equal(await chain.client.getBlockNumber(), block);

    const redeploy = await campaignVersion([path.join(dir, "redeploy.json")]);
    assert.equal(redeploy.code, 1, redeploy.output);
    assert.match(
      redeploy.output,
      /cannot be applied \(nothing was changed\):\n {2}✗ escrow\.publishDelayHours/,
    );
    assert.deepEqual(await rowCounts(db!.handle), before);

    // The payout signer's key has no admin role: the contract's refusal, nothing sent.
    const wrongKey = await campaignVersion([file], { CAMPAIGN_ADMIN_PRIVATE_KEY: SIGNER_KEY });
    assert.equal(wrongKey.code, 1, wrongKey.output);
    assert.match(wrongKey.output, /stopped at budget:REF: AccessControlUnauthorizedAccount\(/);
    assert.equal(await chain.client.getBlockNumber(), block);
    assert.equal(await budgetOnChain(), parseUnits("1000000", 18));
    const pending = (await versionState(db!.handle.db, h.campaignId)).pending;
    assert.equal(pending?.version, 2);
    assert.ok(pending?.actions.every((a) => a.status === "planned"));

    const applied = await campaignVersion([file], { CAMPAIGN_ADMIN_PRIVATE_KEY: ADMIN_KEY });
    assert.equal(applied.code, 0, applied.output);
    assert.match(applied.output, /version 2 resumed; sending as 0xf39F/);
    assert.match(applied.output, /rules version 2 took effect at block \d+ \(/);
    assert.equal(await budgetOnChain(), parseUnits("3000000", 18));
    const state = await versionState(db!.handle.db, h.campaignId);
    assert.equal(state.effective.version, 2);
    assert.equal(state.pending, null);

    const again = await campaignVersion([file]);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /already in effect: rules version 2, published in block \d+/);

    const usage = await campaignVersion([]);
    assert.equal(usage.code, 2);
    assert.match(usage.output, /usage: npm run campaign:version -- <campaign file>/);
  },
);
