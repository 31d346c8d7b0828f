/**
 * The worker and the indexer as separate processes on PostgreSQL (PGlite cannot be shared by
 * processes), against a real chain: `kill -9` at each crash point of the worker and restart;
 * two workers at once and the leader killed; the indexer killed in the middle of a range.
 * After each, every payout id is paid exactly once and the ledger reconciles with the chain.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type DatabaseHandle, openDatabase, queryRows } from "../../server/db/index.ts";
import { createMigratedPostgresDatabase, postgresTest } from "../support/db.ts";
import { assertLedgerConsistent } from "../support/ledger.ts";
import { type Child, hasEnded, spawnNode } from "../support/processes.ts";
import {
  allSettled,
  assertPaidExactlyOnce,
  assertReconciled,
  deployTestCampaign,
  type Harness,
  harness,
  paidOnChain,
  SIGNER,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
  testSettings,
  until,
} from "./support.ts";

let chain: TestChain;
let campaign: TestCampaignDeployment;
let campaignsDir: string;
let clean: string;
const children = new Set<ChildProcess>();
const databases: Array<{ handle?: DatabaseHandle; drop: () => Promise<void> }> = [];

before(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  chain = await startTestChain();
  campaign = await deployTestCampaign(chain);
  campaignsDir = await mkdtemp(path.join(tmpdir(), "refmint-campaigns-"));
  await writeFile(
    path.join(campaignsDir, `${campaign.definition.slug}.json`),
    JSON.stringify(campaign.definition),
  );
  clean = await chain.snapshot();
});

/** Each test starts from the freshly deployed chain. */
async function resetChain() {
  await chain.revert(clean);
  clean = await chain.snapshot();
}

after(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of databases) {
    await d.handle?.close().catch(() => {});
    await d.drop();
  }
  await campaign?.cleanup();
  if (campaignsDir) await rm(campaignsDir, { recursive: true, force: true });
  await chain?.close();
});

async function database(): Promise<{ url: string; name: string; handle: DatabaseHandle }> {
  const { url, drop } = await createMigratedPostgresDatabase();
  const entry: (typeof databases)[number] = { drop };
  databases.push(entry);
  const handle = await openDatabase({ url, poolSize: 4 });
  entry.handle = handle;
  await handle.migrate();
  return { url, name: new URL(url).pathname.slice(1), handle };
}

/** Starts `node server/chain/run.ts <job>` against the test chain and database. */
function job(name: "worker" | "indexer", url: string, env: Record<string, string> = {}): Child {
  const child = spawnNode(["server/chain/run.ts", name], {
    PATH: process.env.PATH,
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: "3",
    MIGRATE_ON_START: "false",
    RPC_URL: chain.url,
    CHAIN_ID: "31337",
    CAMPAIGNS_DIR: campaignsDir,
    DEPLOYMENTS_DIR: campaign.deploymentsDir,
    PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
    CHAIN_CONFIRMATIONS: "1",
    CHAIN_FINALITY_DEPTH: "6",
    CHAIN_POLL_MS: "50",
    CHAIN_LEASE_SECONDS: "2",
    PAYOUT_BATCH_WINDOW_MS: "0",
    ...env,
  });
  children.add(child.process);
  void child.exited.then(() => children.delete(child.process));
  return child;
}

async function stop(c: Child): Promise<void> {
  if (hasEnded(c)) return;
  c.process.kill("SIGTERM");
  const { code } = await c.exited;
  assert.equal(code, 0, `graceful stop\n${c.output()}`);
}

async function settledAll(h: Harness, running: Child[], timeoutMs = 45_000) {
  try {
    await until("every entry settled", () => allSettled(h.db), timeoutMs);
  } catch (error) {
    for (const c of running) console.error(`--- ${c.process.pid}\n${c.output()}`);
    throw error;
  }
}

postgresTest(
  "kill -9 at every crash point of the worker, each restart recovering the last: each payout paid exactly once",
  async () => {
    await resetChain();
    const { url, handle } = await database();
    const h = await harness(handle, campaign, { rpcUrl: chain.url });
    const indexer = job("indexer", url);
    const member = await h.member(50_000);
    const entries = [
      await h.grant(member, "1"),
      await h.grant(member, "2"),
      await h.grant(member, "3"),
    ];
    const latestSend = async () => {
      const [state] = await queryRows<{ status: string; txs: number; hash: string | null }>(
        handle.db,
        sql`select s.status, (select count(*)::int from chain_send_txs t where t.send_id = s.id) as txs,
              (select hash from chain_send_txs t where t.send_id = s.id limit 1) as hash
            from chain_sends s order by s.id desc limit 1`,
      );
      return state;
    };
    const onChain = async (hash: string | null | undefined) =>
      hash
        ? await chain.client
            .getTransactionReceipt({ hash: hash as `0x${string}` })
            .then(() => true)
            .catch(() => false)
        : false;
    try {
      // One batch through its whole life, the worker killed at each step; every new worker
      // process recovers from the previous kill and then dies at the next point.
      const steps: Array<[string, string, number, boolean]> = [
        // point, status left in the database, signed transactions stored, mined on-chain
        ["after-claim", "pending", 0, false],
        ["after-sign", "signed", 1, false],
        ["after-broadcast", "signed", 1, true],
        ["after-receipt", "sent", 1, true],
      ];
      for (const [point, status, txs, mined] of steps) {
        const crashing = job("worker", url, { REFMINT_FAILPOINT: point });
        const { signal } = await crashing.exited;
        assert.equal(signal, "SIGKILL", `killed at ${point}\n${crashing.output()}`);
        const state = await latestSend();
        assert.deepEqual(
          [state?.status, Number(state?.txs), await onChain(state?.hash)],
          [status, txs, mined],
          `state left by the kill ${point}`,
        );
      }
      const restarted = job("worker", url);
      await settledAll(h, [restarted, indexer]);
      await stop(restarted);
      await stop(indexer);
      await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
      assert.equal(
        await chain.client.getTransactionCount({ address: SIGNER.address }),
        1,
        "one transaction in all",
      );
      await assertLedgerConsistent(handle);
      await assertReconciled(h);
    } finally {
      indexer.process.kill("SIGKILL");
    }
  },
);

postgresTest(
  "two workers at once: one leader, nothing sent twice; the leader killed, the other takes over when its lease lapses",
  async () => {
    await resetChain();
    const { url, handle } = await database();
    const h = await harness(handle, campaign, { rpcUrl: chain.url });
    // Default lease (5 s): the takeover bound is the production one.
    const env = { CHAIN_LEASE_SECONDS: "5", PAYOUT_BATCH_SIZE: "5" };
    const indexer = job("indexer", url);
    const workers = [job("worker", url, env), job("worker", url, env)];
    try {
      const entries: number[] = [];
      for (let m = 0; m < 8; m++) {
        const member = await h.member(60_000 + m);
        for (let i = 0; i < 5; i++) entries.push(await h.grant(member, "1"));
      }
      await settledAll(h, [...workers, indexer]);
      // The standby reports after its first pass, which a loaded machine may start only after
      // the leader has paid everything: wait for it rather than race it.
      const status = await until("both workers report their health", async () => {
        const rows = await queryRows<{ leader: boolean; instance: string }>(
          handle.db,
          sql`select leader, instance from chain_status where job = 'worker'`,
        );
        return rows.length === 2 ? rows : undefined;
      });
      assert.equal(status.length, 2, "both workers report their health");
      assert.equal(status.filter((s) => s.leader).length, 1, "exactly one leads");
      // No payout id went out in two transactions: nothing was ever skipped on-chain.
      const skipped = await chain.client.request({
        method: "eth_getLogs",
        params: [
          {
            address: campaign.deployment.referralPayouts,
            fromBlock: "0x0",
            toBlock: "latest",
            topics: ["0x4dd5b084f52e40345f4e690c8ddbee0f7dbcc9873e4d452f283da6538aa158e1"],
          },
        ],
      });
      assert.equal(skipped.length, 0, "no PayoutSkipped: each payout was sent once");
      await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);

      // Kill the leader; the standby must take over.
      const [lease] = await queryRows<{ holder: string; generation: string }>(
        handle.db,
        sql`select holder, generation::text from chain_leases where name = 'worker:31337'`,
      );
      const leaderPid = Number(lease!.holder.split(":")[1]);
      const leader = workers.find((w) => w.process.pid === leaderPid)!;
      const standby = workers.find((w) => w !== leader)!;
      leader.process.kill("SIGKILL");
      await leader.exited;
      // The dead leader's last lease, on the database's clock: it lapses CHAIN_LEASE_SECONDS
      // after its last renewal, which came before the kill.
      const [last] = await queryRows<{ renewed: Date | string; expires: Date | string }>(
        handle.db,
        sql`select renewed_at as renewed, expires_at as expires from chain_leases where name = 'worker:31337'`,
      );
      assert.equal(
        new Date(last!.expires).getTime() - new Date(last!.renewed).getTime(),
        5000,
        "the lease runs 5 s from the last renewal",
      );
      const member = await h.member(61_000);
      for (let i = 0; i < 5; i++) entries.push(await h.grant(member, "2"));
      // A liveness wait (generous for a loaded machine), not a measurement: when the standby
      // takes over is checked against the lease below, on the database's clock.
      const takeover = await until(
        "the standby takes the lease",
        async () => {
          const [l] = await queryRows<{
            holder: string;
            generation: string;
            acquired: Date | string;
          }>(
            handle.db,
            sql`select holder, generation::text, acquired_at as acquired from chain_leases where name = 'worker:31337'`,
          );
          return l && l.holder !== lease!.holder ? l : undefined;
        },
        60_000,
      );
      assert.equal(Number(takeover.holder.split(":")[1]), standby.process.pid);
      assert.equal(Number(takeover.generation), Number(lease!.generation) + 1);
      // Never while the dead leader's lease still ran; the standby polls, so it takes the
      // lease on its first look after that (the lease tests cover the takeover itself).
      assert.ok(
        new Date(takeover.acquired).getTime() >= new Date(last!.expires).getTime(),
        "taken over only after the lease lapsed",
      );
      await settledAll(h, [standby, indexer]);
      await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
      await stop(standby);
      await stop(indexer);
      await assertLedgerConsistent(handle);
      await assertReconciled(h);
    } finally {
      for (const w of workers) w.process.kill("SIGKILL");
      indexer.process.kill("SIGKILL");
    }
  },
);

postgresTest(
  "the indexer killed in the middle of a range and restarted ends as an uninterrupted run",
  async () => {
    await resetChain();
    // Pay a few batches with the worker alone: nothing is indexed yet.
    const source = await database();
    const h = await harness(source.handle, campaign, {
      rpcUrl: chain.url,
      settings: testSettings({ PAYOUT_BATCH_SIZE: "3" }),
    });
    const entries: number[] = [];
    for (let m = 0; m < 4; m++) {
      const member = await h.member(70_000 + m);
      if (m % 2 === 0) await h.link(member, `0x${(0xfeed00 + m).toString(16).padStart(40, "0")}`);
      for (let i = 0; i < 3; i++) entries.push(await h.grant(member, `${i + 1}`));
    }
    await until("all batches mined", async () => {
      await h.worker.runOnce();
      const [row] = await queryRows<{ n: number }>(
        source.handle.db,
        sql`select count(*)::int as n from chain_sends where status in ('pending', 'signed', 'sent')`,
      );
      const paid = await paidOnChain(chain, campaign.deployment.referralPayouts);
      return paid.size === entries.length && Number(row?.n) === 0;
    });
    await h.worker.stop();
    await chain.mine(3); // some empty blocks after the payouts
    // Two copies of that database: one indexed with a kill in the middle, one without.
    await source.handle.close();
    const [killed, uninterrupted] = [await copyOf(source.name), await copyOf(source.name)];
    const head = Number(await chain.client.getBlockNumber());
    const range = { INDEXER_BLOCK_RANGE: "2" };

    const crashing = job("indexer", killed.url, {
      ...range,
      REFMINT_FAILPOINT: "indexer-mid-range",
    });
    assert.equal((await crashing.exited).signal, "SIGKILL", crashing.output());
    assert.equal(
      await settledCount(killed.handle),
      0,
      "the killed range's writes were rolled back",
    );
    const restarted = job("indexer", killed.url, range);
    const straight = job("indexer", uninterrupted.url, range);
    for (const db of [killed, uninterrupted])
      await until("caught up", async () => {
        const [c] = await queryRows<{ block_number: string }>(
          db.handle.db,
          sql`select block_number from chain_cursors`,
        );
        return c && Number(c.block_number) >= head;
      });
    await stop(restarted);
    await stop(straight);
    assert.equal(await settledCount(killed.handle), entries.length);
    assert.deepEqual(await indexedState(killed.handle), await indexedState(uninterrupted.handle));
  },
);

async function settledCount(db: DatabaseHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db.db,
    sql`select count(*)::int as n from ledger_entries where state = 'settled'`,
  );
  return Number(row?.n);
}

/** What the indexer derives, without wall-clock timestamps. */
async function indexedState(db: DatabaseHandle) {
  const q = (query: ReturnType<typeof sql>) => queryRows<Record<string, unknown>>(db.db, query);
  return {
    cursor: await q(sql`select block_number::text, block_hash from chain_cursors`),
    blocks: await q(
      sql`select number::text, hash, balance_tokens, balance_accounts, balance_deltas::text[] from chain_blocks order by number`,
    ),
    payouts: await q(sql`select * from chain_payouts order by payout_id`),
    balances: await q(sql`select token, account, balance::text from chain_balances order by 1, 2`),
    ledger: await q(
      sql`select id::text, state, tx_hash, block_number::text from ledger_entries order by id`,
    ),
    outbox: await q(
      sql`select entry_id::text, status, tx_hash from payout_outbox order by entry_id`,
    ),
    notifications: await q(
      sql`select member_id::text, kind, data, dedupe_key from notifications order by dedupe_key`,
    ),
  };
}

/** A new database created from `template` (which must have no open connections). */
async function copyOf(template: string): Promise<{ url: string; handle: DatabaseHandle }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `refmint_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const entry: (typeof databases)[number] = {
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
  databases.push(entry);
  const handle = await openDatabase({ url: url.toString(), poolSize: 2 });
  entry.handle = handle;
  return { url: url.toString(), handle };
}
