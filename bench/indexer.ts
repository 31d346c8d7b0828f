/**
 * `npm run bench:indexer`: how fast the indexer backfills our contracts' logs.
 *
 * A local `hardhat node` (its own process) gets a campaign deployed and 125 payout batches of
 * 200 payouts to new holders: 25,000 `ReferralRewarded` + 25,000 `Transfer` logs (and 125
 * `PayoutBatchPaid`). Then, on a fresh database (PGlite in memory, and PostgreSQL), the
 * indexer runs from its start until it has caught up with the chain: JSON-RPC fetching,
 * decoding and database writes included. Reported per database: events per second for the
 * indexing itself, and counting the start-up (opening and migrating the database, loading the
 * campaign), with the start-up's parts (a fresh PGlite runs initdb when it opens). Writes bench/results/pipeline.json (the `indexer` part; the pipeline bench keeps
 * its own part) with the machine.
 *
 * Knobs: BENCH_BATCHES (125), BENCH_BATCH_SIZE (200), BENCH_DATABASES (`pglite,postgres`),
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local server), INDEXER_BLOCK_RANGE.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { type Address, encodeFunctionData, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DeploymentFile, deployCampaign } from "../scripts/lib/deployCampaign.ts";
import { referralPayoutsAbi } from "../server/chain/abi.ts";
import { loadChainSettings } from "../server/chain/config.ts";
import { ContractIndex } from "../server/chain/contracts.ts";
import { evmPublicClient, evmWalletClient } from "../server/chain/evm/client.ts";
import { Indexer } from "../server/chain/evm/indexer.ts";
import { encodePayoutBatch } from "../server/chain/evm/payoutBatch.ts";
import { chainMetrics } from "../server/chain/health.ts";
import { type DatabaseHandle, openDatabase, queryRows } from "../server/db/index.ts";
import type { CampaignDefinition } from "../server/domain/campaign.ts";
import { syncDefinitions } from "../server/domain/registry.ts";
import { createLogger } from "../server/logger.ts";
import { testCampaign } from "../test/support/campaign.ts";
import { PUBLISHER, RELAYER, startHardhatNode } from "../test/support/chain.ts";

import { createPostgresDatabase, updateResults } from "./pipelineResults.ts";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 125);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 200);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const SIGNER = privateKeyToAccount(
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
);
const ADMIN = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);

export interface ChainFixture {
  rpcUrl: string;
  /** The node's process id. */
  nodePid: number;
  deployment: DeploymentFile;
  definition: CampaignDefinition;
  deploymentsDir: string;
  stop(): Promise<void>;
}

/**
 * A `hardhat node` with a benchmark campaign deployed: the given definition (its slug names
 * the Ignition journal, so it must be unique to the run), or for a slug a one-token campaign
 * with budgets sized for big runs.
 */
export async function benchChain(campaign: string | CampaignDefinition): Promise<ChainFixture> {
  const node = await startHardhatNode();
  const { network } = await import("hardhat");
  const definition =
    typeof campaign === "string"
      ? testCampaign({
          slug: campaign,
          tokens: [
            {
              symbol: "REF",
              name: "Referral",
              decimals: 18,
              cap: "1000000000",
              budget: "100000000",
              maxBatch: 200,
              maxBatchAmount: "100000000",
              dailyLimit: "100000000",
            },
          ],
        })
      : campaign;
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "refmint-bench-"));
  const connection = await network.create({ network: "localhost", override: { url: node.rpcUrl } });
  try {
    const deployment = await deployCampaign(
      connection,
      definition,
      // One key per backend role, as production requires (bench:load runs the jobs so).
      {
        backend: SIGNER.address,
        rootPublisher: PUBLISHER.address,
        relayer: RELAYER.address,
        admin: ADMIN.address,
      },
      { deploymentsDir, metadataBaseUrl: "https://bench.refmint.test" },
    );
    return {
      rpcUrl: node.rpcUrl,
      nodePid: node.pid,
      deployment,
      definition,
      deploymentsDir,
      stop: async () => {
        await connection.close();
        await node.stop();
        await rm(deploymentsDir, { recursive: true, force: true });
        await rm(`ignition/deployments/${definition.slug}-31337`, {
          recursive: true,
          force: true,
        });
      },
    };
  } catch (error) {
    await connection.close();
    await node.stop();
    throw error;
  }
}

/** Fresh databases of each kind, dropped or closed by the caller. */
export async function freshDatabase(
  kind: string,
): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (kind === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    return { handle, drop: () => handle.close() };
  }
  const { url, drop } = await createPostgresDatabase(PG_URL);
  const handle = await openDatabase({ url, poolSize: 10 });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}

async function generate(fixture: ChainFixture): Promise<{ events: number; blocks: number }> {
  const wallet = evmWalletClient(SIGNER, { rpcUrl: fixture.rpcUrl, chainId: 31337 });
  const client = evmPublicClient(fixture.rpcUrl, 31337);
  const token = fixture.deployment.tokens.REF!.token;
  const from = Number(await client.getBlockNumber());
  let nonce = await client.getTransactionCount({ address: SIGNER.address });
  let id = 1n;
  for (let b = 0; b < BATCHES; b++) {
    const payouts = [];
    for (let i = 0; i < BATCH_SIZE; i++, id++) {
      payouts.push({
        payoutId: id,
        // A new holder per payout (the dearest case for balances: one new row each).
        recipient: `0x${(0xb0000000n + id).toString(16).padStart(40, "0")}` as Address,
        amount: parseUnits("1", 18) + id,
        referee: id,
        level: 1,
      });
    }
    const { transfers, meta } = encodePayoutBatch(payouts);
    await wallet.sendTransaction({
      chain: null,
      to: fixture.deployment.referralPayouts,
      data: encodeFunctionData({
        abi: referralPayoutsAbi,
        functionName: "pay",
        args: [token, transfers, meta],
      }),
      nonce: nonce++,
      gas: 12_000_000n,
    });
  }
  const to = Number(await client.getBlockNumber());
  return { events: BATCHES * BATCH_SIZE * 2 + BATCHES, blocks: to - from };
}

async function indexOnce(fixture: ChainFixture, kind: string, events: number) {
  const started = performance.now();
  const db = await freshDatabase(kind);
  const opened = performance.now();
  try {
    await db.handle.migrate();
    const migrated = performance.now();
    const registry = await syncDefinitions(db.handle.db, [fixture.definition], {
      deploymentsDir: fixture.deploymentsDir,
      chainId: 31337,
    });
    const settings = loadChainSettings({
      CHAIN_CONFIRMATIONS: "1",
      ...(process.env.INDEXER_BLOCK_RANGE
        ? { INDEXER_BLOCK_RANGE: process.env.INDEXER_BLOCK_RANGE }
        : {}),
    });
    const indexStart = performance.now();
    const indexer = new Indexer({
      db: db.handle.db,
      client: evmPublicClient(fixture.rpcUrl, 31337),
      contracts: ContractIndex.fromRegistry(registry),
      settings,
      chainId: 31337,
      logger: createLogger("warn"),
      metrics: chainMetrics(new Registry()),
      failpoint: () => {},
    });
    let passes = 0;
    for (;;) {
      passes++;
      const r = await indexer.pass(60_000);
      if (r.lag === 0) break;
    }
    const done = performance.now();
    const [counts] = await queryRows<{ payouts: number; blocks: number; balances: number }>(
      db.handle.db,
      sql`select (select count(*) from chain_payouts)::int as payouts,
                 (select count(*) from chain_blocks where balance_deltas is not null)::int as blocks,
                 (select count(*) from chain_balances)::int as balances`,
    );
    const indexing = (done - indexStart) / 1000;
    // The one-off start-up, apart: a fresh PGlite runs initdb (in WASM) when it opens.
    const startup = {
      openSeconds: round((opened - started) / 1000),
      migrateSeconds: round((migrated - opened) / 1000),
      loadCampaignSeconds: round((indexStart - migrated) / 1000),
    };
    const total = (done - started) / 1000;
    const result = {
      database: kind,
      events,
      payoutsIndexed: Number(counts?.payouts),
      blocksWithBalanceChangesKept: Number(counts?.blocks),
      balances: Number(counts?.balances),
      passes,
      indexingSeconds: round(indexing),
      eventsPerSecond: Math.round(events / indexing),
      withStartupSeconds: round(total),
      eventsPerSecondWithStartup: Math.round(events / total),
      startup,
    };
    // Every payout recorded; every transfer counted into its holder's balance (each block's
    // balance changes are kept only inside the finality window).
    if (result.payoutsIndexed !== BATCHES * BATCH_SIZE || result.balances !== BATCHES * BATCH_SIZE)
      throw new Error(
        `indexed ${JSON.stringify(counts)}, expected ${BATCHES * BATCH_SIZE} of each`,
      );
    return result;
  } finally {
    await db.drop();
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;

async function main() {
  console.log(`bench:indexer: ${BATCHES} batches × ${BATCH_SIZE} payouts on a local hardhat node`);
  const fixture = await benchChain(`bench-indexer-${process.pid}`);
  try {
    const t = performance.now();
    const { events, blocks } = await generate(fixture);
    console.log(
      `chain: ${events} events in ${blocks} blocks (generated in ${round((performance.now() - t) / 1000)} s)`,
    );
    const results = [];
    for (const kind of DATABASES) {
      const r = await indexOnce(fixture, kind, events);
      console.log(
        `${kind}: ${r.eventsPerSecond} events/s indexing (${r.indexingSeconds} s), ${r.eventsPerSecondWithStartup} events/s with start-up (${r.withStartupSeconds} s: open ${r.startup.openSeconds} s, migrate ${r.startup.migrateSeconds} s, campaign ${r.startup.loadCampaignSeconds} s)`,
      );
      results.push(r);
    }
    await updateResults("indexer", {
      description:
        "Backfill of a chain with 25,000 ReferralRewarded + 25,000 Transfer logs of our contracts (125 batches of 200 payouts to new holders) into a fresh database, from the indexer's start until caught up; the node runs as its own process",
      target: ">= 13,000 events/s on PGlite and on PostgreSQL",
      reference:
        "Ponder 0.17.7 backfills the same chain at about 6,400 events/s (3,100-4,000 counting its start-up)",
      batches: BATCHES,
      batchSize: BATCH_SIZE,
      events,
      blocks,
      results,
      met: results.every((r) => r.eventsPerSecond >= 13_000),
    });
  } finally {
    await fixture.stop();
  }
}

if (import.meta.main) await main();
