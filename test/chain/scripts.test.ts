/**
 * The pipeline's operator commands as an operator runs them (child processes, PostgreSQL,
 * a real chain): `epoch:publish` with no worker running, `reconcile` (clean, then a planted
 * difference), `payouts:retry` after a reverted batch, `epoch:clawback` (dry run, missing
 * admin key), and `keystore:new` whose file then signs for a standalone worker.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { sql } from "drizzle-orm";
import { parseGwei } from "viem";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { decryptKeystore } from "../../server/chain/keystore.ts";
import { type DatabaseHandle, openDatabase, queryRows } from "../../server/db/index.ts";
import { createMigratedPostgresDatabase, postgresTest } from "../support/db.ts";
import { fastStartEnv } from "../support/process.ts";
import {
  ADMIN,
  allSettled,
  assertPaidExactlyOnce,
  deployTestCampaign,
  entryStates,
  type Harness,
  harness,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
  until,
} from "./support.ts";

let chain: TestChain;
let campaign: TestCampaignDeployment;
let dir: string;
let keys: string;
let db: { url: string; handle: DatabaseHandle; drop: () => Promise<void> } | undefined;
let h: Harness;

before(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  chain = await startTestChain();
  campaign = await deployTestCampaign(chain);
  dir = await mkdtemp(path.join(tmpdir(), "refmint-scripts-"));
  keys = await mkdtemp(path.join(tmpdir(), "refmint-keys-"));
  await writeFile(
    path.join(dir, `${campaign.definition.slug}.json`),
    JSON.stringify(campaign.definition),
  );
  const { url, drop } = await createMigratedPostgresDatabase();
  const handle = await openDatabase({ url, poolSize: 4 });
  await handle.migrate();
  db = { url, handle, drop };
  h = await harness(handle, campaign, { rpcUrl: chain.url });
});

after(async () => {
  await db?.handle.close();
  await db?.drop();
  await campaign?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (keys) await rm(keys, { recursive: true, force: true });
  await chain?.close();
});

/** Runs `node <file> [args]` with the operator's environment; resolves with code and output. */
function run(
  file: string,
  args: string[] = [],
  env: Record<string, string> = {},
  opts: { keepRunningUntil?: () => Promise<boolean> } = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [file, ...args], {
    env: {
      PATH: process.env.PATH,
      ...fastStartEnv(),
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: db!.url,
      DATABASE_POOL_SIZE: "3",
      MIGRATE_ON_START: "false",
      RPC_URL: chain.url,
      CHAIN_ID: "31337",
      CAMPAIGNS_DIR: dir,
      DEPLOYMENTS_DIR: campaign.deploymentsDir,
      CHAIN_CONFIRMATIONS: "1",
      CHAIN_POLL_MS: "50",
      CHAIN_LEASE_SECONDS: "2",
      PAYOUT_BATCH_WINDOW_MS: "0",
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
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, output })),
  );
  if (opts.keepRunningUntil) {
    const stopWhen = opts.keepRunningUntil;
    // A cap, not a timing assertion: under a loaded CI machine the child's start-up (and a
    // keystore's scrypt) alone took most of 40 s; the work is done when stopWhen says so.
    void until("the process's work", stopWhen, 180_000)
      .catch(() => {})
      .finally(() => child.kill("SIGTERM"));
  }
  return exited;
}

postgresTest(
  "epoch:publish publishes with no worker running; reconcile finds nothing, then a planted difference",
  async () => {
    const member = await h.member(801);
    await h.grant(member, "12");
    await h.settle();
    await h.link(member, "0x0000000000000000000000000000000000000801");
    // No worker or indexer runs: the command does their work until the root is on-chain.
    const published = await run("scripts/epoch-publish.ts", [], {
      PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
    });
    assert.equal(published.code, 0, published.output);
    assert.match(published.output, /REF: built \(1 members\)/);
    assert.match(
      published.output,
      new RegExp(
        `epoch 1 published in 0x[0-9a-f]{64}, root 0x[0-9a-f]{64}, /rewards/epochs/${campaign.definition.slug}/REF/1\\.json`,
      ),
    );
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => o.outcome),
      ["unchanged"],
    );

    const clean = await run("scripts/reconcile.ts");
    assert.equal(clean.code, 0, clean.output);
    assert.match(clean.output, /no differences/);
    // A settled entry the ledger forgot: reconcile reports it and fails.
    const [entry] = await entryStates(db!.handle);
    await db!.handle.db.execute(
      sql`update ledger_entries set state = 'sent' where id = ${entry!.id}`,
    );
    const dirty = await run("scripts/reconcile.ts");
    assert.equal(dirty.code, 1, dirty.output);
    assert.match(
      dirty.output,
      new RegExp(`entry ${entry!.id} is paid on-chain but not settled in the ledger`),
    );
    assert.match(dirty.output, /ledger paid 0 wei, contract spent 12000000000000000000 wei/);
    await db!.handle.db.execute(
      sql`update ledger_entries set state = 'settled' where id = ${entry!.id}`,
    );
  },
);

postgresTest(
  "payouts:retry requeues the payouts of a reverted batch; epoch:clawback explains what it would do",
  async () => {
    const member = await h.member(802);
    const entries = [await h.grant(member, "1"), await h.grant(member, "2")];
    const payouts = campaign.deployment.referralPayouts;
    await chain.automine(false);
    await h.worker.runOnce();
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "pause",
      chain: null,
      account: ADMIN,
      maxPriorityFeePerGas: parseGwei("30"),
      maxFeePerGas: parseGwei("100"),
    });
    await chain.mine();
    await chain.automine(true);
    await until("the batch reverted", async () => {
      await h.worker.runOnce();
      const states = await entryStates(db!.handle);
      return entries.every((id) => states.find((s) => s.id === id)?.state === "failed");
    });
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "unpause",
      chain: null,
      account: ADMIN,
    });
    const retried = await run("scripts/payouts-retry.ts", [
      "--entry",
      String(entries[0]),
      "--entry",
      String(entries[1]),
    ]);
    assert.equal(retried.code, 0, retried.output);
    assert.match(retried.output, new RegExp(`requeued 2: ${entries.join(", ")}`));
    await h.settle();
    const paid = await queryRows<{ id: string }>(
      db!.handle.db,
      sql`select id from ledger_entries order by id`,
    );
    await assertPaidExactlyOnce(
      chain,
      payouts,
      paid.map((p) => Number(p.id)),
    );

    const dry = await run("scripts/epoch-clawback.ts", [
      "--campaign",
      campaign.definition.slug,
      "--token",
      "REF",
      "--dry-run",
    ]);
    assert.equal(dry.code, 0, dry.output);
    assert.match(dry.output, /to claw back now\s+0 REF/);
    assert.match(dry.output, /nothing sent: nothing expired is left to claw back/);
    const noKey = await run("scripts/epoch-clawback.ts", [
      "--campaign",
      campaign.definition.slug,
      "--token",
      "REF",
    ]);
    assert.equal(noKey.code, 1);
    assert.match(noKey.output, /CAMPAIGN_ADMIN_PRIVATE_KEY: or CAMPAIGN_ADMIN_KEYSTORE/);
  },
);

postgresTest(
  "keystore:new writes an encrypted key that a standalone worker signs with",
  async () => {
    const file = path.join(keys, "signer.json");
    const password = "a long keystore password for tests";
    const made = await run("scripts/keystore.ts", ["--out", file], {
      KEYSTORE_PASSWORD: password,
      KEYSTORE_PRIVATE_KEY: SIGNER_KEY,
    });
    assert.equal(made.code, 0, made.output);
    assert.match(made.output, /for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(decryptKeystore(await readFile(file, "utf8"), password), SIGNER_KEY);

    const member = await h.member(803);
    const entry = await h.grant(member, "5");
    const worker = await run(
      "server/chain/run.ts",
      ["worker"],
      {
        PAYOUT_SIGNER_KEYSTORE: file,
        PAYOUT_SIGNER_KEYSTORE_PASSWORD: password,
        LOG_LEVEL: "info",
      },
      {
        keepRunningUntil: async () => {
          await h.indexer.runOnce();
          return allSettled(db!.handle);
        },
      },
    );
    assert.equal(worker.code, 0, worker.output);
    assert.equal((await entryStates(db!.handle)).find((e) => e.id === entry)?.state, "settled");
    assert.doesNotMatch(
      worker.output,
      new RegExp(`${password}|${SIGNER_KEY.slice(2)}`),
      "no secret in the logs",
    );
    assert.match(worker.output, /"signer":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"/);
  },
);
