/**
 * `npm run bench:pipeline`: 10,000 qualified payouts from queued to settled.
 *
 * A local `hardhat node` (its own process, automining) with a campaign deployed; a fresh
 * database holding 10,000 members (half with a linked wallet, half paid into escrow) and one
 * queued grant each: exactly the rows the core's `writeGrant` writes (entry, two postings,
 * outbox row, budget), written in bulk by the domain's `seedQueuedGrants` because writing them
 * is not what is measured. Then the payout worker and the indexer run as in the service, and
 * the clock runs from their start until every entry is settled. Reported: wall time, transactions, gas used, per database.
 * Writes the `pipeline` part of bench/results/pipeline.json with the machine.
 *
 * Knobs: BENCH_PAYOUTS (10000), BENCH_DATABASES (`pglite,postgres`), BENCH_DATABASE_URL /
 * TEST_DATABASE_URL, and the chain settings (PAYOUT_BATCH_SIZE, PAYOUT_MAX_IN_FLIGHT, …).
 */
import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { getAddress, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { loadChainSettings } from "../server/chain/config.ts";
import type { ChainContext } from "../server/chain/context.ts";
import { ContractIndex } from "../server/chain/contracts.ts";
import { evmPublicClient } from "../server/chain/evm/client.ts";
import { EvmDriver } from "../server/chain/evm/driver.ts";
import { chainMetrics } from "../server/chain/health.ts";
import { indexerJob, workerJob } from "../server/chain/jobs.ts";
import { instanceId } from "../server/chain/lease.ts";
import { type Db, queryRows } from "../server/db/index.ts";
import { syncDefinitions } from "../server/domain/registry.ts";
import { seedQueuedGrants } from "../server/domain/seed.ts";
import { createLogger } from "../server/logger.ts";
import { benchChain, freshDatabase } from "./indexer.ts";
import { updateResults } from "./pipelineResults.ts";

const PAYOUTS = Number(process.env.BENCH_PAYOUTS ?? 10_000);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
const SIGNER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const AMOUNT = parseUnits("10", 18);

/**
 * Members, wallets and queued grants, as the referral engine would have left them: member n
 * earned a level-1 reward for referring member n + 1 (the last one, member 1); every other
 * member has a wallet.
 */
async function seed(db: Db, campaignId: number): Promise<void> {
  const telegramId = (n: number) => 8_000_000_000 + n;
  await seedQueuedGrants(
    { db, now: () => new Date() },
    { campaignId, token: "REF", chainId: 31337, keyPrefix: "bench" },
    Array.from({ length: PAYOUTS }, (_, i) => {
      const n = i + 1;
      return {
        telegramId: telegramId(n),
        firstName: `Bench ${n}`,
        wallet:
          n % 2 === 0
            ? getAddress(`0x${(0xa0000000 + n / 2).toString(16).padStart(40, "0")}`)
            : undefined,
        grant: { amount: AMOUNT, refereeTelegramId: telegramId((n % PAYOUTS) + 1) },
      };
    }),
  );
}

async function runOnce(kind: string) {
  const fixture = await benchChain(`bench-pipeline-${process.pid}-${kind}`);
  const db = await freshDatabase(kind);
  try {
    await db.handle.migrate();
    const registry = await syncDefinitions(db.handle.db, [fixture.definition], {
      deploymentsDir: fixture.deploymentsDir,
      chainId: 31337,
    });
    const contracts = ContractIndex.fromRegistry(registry);
    await seed(db.handle.db, contracts.campaigns[0]!.id);
    const settings = loadChainSettings({
      CHAIN_CONFIRMATIONS: "1",
      CHAIN_POLL_MS: "50",
      PAYOUT_BATCH_WINDOW_MS: "0",
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => /^(PAYOUT_|CHAIN_|INDEXER_)/.test(k)),
      ),
    });
    const ctx: ChainContext<EvmDriver> = {
      db: db.handle.db,
      driver: new EvmDriver({
        client: evmPublicClient(fixture.rpcUrl, 31337),
        chainId: 31337,
        account: privateKeyToAccount(SIGNER_KEY),
      }),
      contracts,
      settings,
      chainId: 31337,
      logger: createLogger(process.env.BENCH_LOG_LEVEL ?? "warn"),
      metrics: chainMetrics(new Registry()),
      instance: instanceId(),
      now: () => new Date(),
    };
    const worker = workerJob(ctx);
    const indexer = indexerJob(ctx);
    const started = performance.now();
    worker.start();
    indexer.start();
    for (;;) {
      const [row] = await queryRows<{ n: number }>(
        db.handle.db,
        sql`select count(*)::int as n from ledger_entries where state = 'settled'`,
      );
      if (Number(row?.n) === PAYOUTS) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    await indexer.stop();
    const [sends] = await queryRows<{ txs: number; broadcasts: number }>(
      db.handle.db,
      sql`select count(*)::int as txs, sum(broadcasts)::int as broadcasts
          from chain_sends where kind = 'payout'`,
    );
    // Gas from the receipts of the transactions that paid (the indexer may settle a batch
    // before the worker has looked at its receipt).
    const hashes = await queryRows<{ tx_hash: string }>(
      db.handle.db,
      sql`select distinct tx_hash from chain_payouts`,
    );
    let gas = 0n;
    for (const h of hashes)
      gas += (await ctx.driver.client.getTransactionReceipt({ hash: h.tx_hash as `0x${string}` }))
        .gasUsed;
    const report = await ctx.driver.reconcile(db.handle.db, contracts);
    if (report.differences.length > 0)
      throw new Error(`reconcile found differences: ${report.differences.join("; ")}`);
    return {
      database: kind,
      payouts: PAYOUTS,
      escrowed: PAYOUTS - Math.floor(PAYOUTS / 2),
      secondsToAllSettled: Math.round(seconds * 1000) / 1000,
      payoutsPerSecond: Math.round(PAYOUTS / seconds),
      transactions: Number(sends?.txs),
      broadcasts: Number(sends?.broadcasts),
      gasUsed: gas.toString(),
      gasPerPayout: Number(gas / BigInt(PAYOUTS)),
      reconciled: true,
      settings: {
        batchSize: settings.payout.batchSize,
        maxInFlight: settings.payout.maxInFlight,
        confirmations: settings.confirmations,
        pollMs: settings.pollMs,
      },
    };
  } finally {
    await db.drop();
    await fixture.stop();
  }
}

async function main() {
  console.log(`bench:pipeline: ${PAYOUTS} queued payouts → settled, on a local hardhat node`);
  const results = [];
  for (const kind of DATABASES) {
    const r = await runOnce(kind);
    console.log(
      `${kind}: ${r.payouts} payouts settled in ${r.secondsToAllSettled} s (${r.payoutsPerSecond}/s), ${r.transactions} transactions, ${r.gasPerPayout} gas per payout`,
    );
    results.push(r);
  }
  await updateResults("pipeline", {
    description:
      "10,000 qualified payouts queued (half to linked wallets, half into escrow) until all settled from chain events: worker and indexer in one process, the node in another, automining",
    target: "10,000 payouts settled in <= 60 s",
    results,
    met: results.every((r) => r.secondsToAllSettled <= 60),
  });
}

await main();
