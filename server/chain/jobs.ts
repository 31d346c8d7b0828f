/**
 * The three chain jobs as loops: each pass first takes (or renews) the job's lease, so among
 * any number of running instances exactly one works and the others stand by, ready to take
 * over within the lease time. A failing pass (RPC down, rate-limited, database hiccup) never
 * stops the loop: it is reported to the job's health and retried with exponential backoff and
 * jitter.
 *
 * Before the first campaign is deployed on the chain (a fresh install: the service or a
 * standalone job started with an empty contract index) the jobs idle: each pass takes the lease
 * and reports a healthy idle pass, with no RPC call (one log line when it starts idling, one when
 * it starts working, none per pass); the index fills in place when a campaign is deployed
 * (`ContractIndex.reload`), and the next pass works.
 */
import type { Logger } from "../logger.ts";
import { loopJob } from "../loop.ts";
import type { ChainContext } from "./context.ts";
import type { DriverJobEnv, PassResult, PassRunner } from "./driver.ts";
import { buildEpochs, epochOutcomeJson } from "./epochs.ts";
import { type Failpoint, failpoints } from "./failpoint.ts";
import { type JobHealth, JobMonitor, type JobName } from "./health.ts";
import { Lease } from "./lease.ts";
import { writeRewardFiles } from "./rewardFiles.ts";
import { backoffMs, errorSummary } from "./rpc.ts";

export type { PassResult } from "./driver.ts";

export interface ChainJob {
  name: JobName;
  lease: Lease;
  /** Starts the loop. */
  start(): void;
  /** Runs one pass now (takes the lease first); for scripts and tests. */
  runOnce(): Promise<boolean>;
  /** Ends the loop after the current pass and gives up the lease. */
  stop(): Promise<void>;
  health(): JobHealth;
}

const MAX_BACKOFF_MS = 30_000;

/** What an idle job's health shows (`details.idle`): nothing is wrong, there is nothing to do. */
export const IDLE_REASON = "no campaign deployed on this chain yet";

/** A chain job on {@link loopJob}: each pass takes (or renews) the job's lease first. */
export function leasedJob(
  ctx: ChainContext,
  name: JobName,
  pass: () => Promise<PassResult>,
  intervalMs: number,
): ChainJob {
  const lease = new Lease(
    ctx.db,
    `${name}:${ctx.chainId}`,
    ctx.instance,
    ctx.settings.leaseSeconds,
  );
  const log: Logger = ctx.logger.child({ job: name });
  const monitor = new JobMonitor(ctx.db, name, ctx.instance, log, ctx.metrics);
  /** Whether the last pass found no contract (logged when it changes, not every pass). */
  let idle: boolean | undefined;

  const once = async (): Promise<boolean> => {
    let worked = false;
    try {
      const leader = await lease.acquire();
      monitor.setLeader(leader);
      // Nothing to pay, index or publish, and no address to read logs of (the indexer's start
      // block is the earliest deployment's): the pass would only spend RPC calls. The lease is
      // still taken, so the health shows a leader, and the first pass after a campaign is
      // deployed works.
      const nothing = ctx.contracts.size === 0;
      if (nothing && idle !== true) log.info(`${IDLE_REASON}: idle until one is`);
      if (!nothing && idle === true)
        log.info(
          { campaigns: ctx.contracts.size },
          "a campaign is deployed on this chain: working",
        );
      idle = nothing;
      if (leader && nothing) monitor.succeeded({ idle: IDLE_REASON });
      else if (leader) {
        const result = await pass();
        monitor.succeeded(result.details, result.alerts);
        worked = true;
      } else {
        monitor.succeeded({});
      }
    } catch (error) {
      monitor.failed(errorSummary(error));
    }
    await monitor.publish();
    return worked;
  };
  const loop = loopJob({
    pass: once,
    intervalMs,
    nextDelayMs: () => {
      const failures = monitor.consecutiveFailures;
      return failures > 0 ? backoffMs(failures, intervalMs, MAX_BACKOFF_MS) : intervalMs;
    },
  });
  return {
    name,
    lease,
    start: () => loop.start(),
    runOnce: async () => (await loop.runOnce()) ?? false,
    async stop() {
      await loop.stop();
      await lease.release().catch(() => {});
      monitor.stopped();
      await monitor.publish();
    },
    health: () => monitor.health,
  };
}

/** What a job's pass runs on, from the context and the job's own lease. */
function jobEnv(ctx: ChainContext, job: ChainJob, failpoint: Failpoint): DriverJobEnv {
  return {
    db: ctx.db,
    contracts: ctx.contracts,
    settings: ctx.settings,
    logger: ctx.logger,
    metrics: ctx.metrics,
    failpoint,
    lease: job.lease,
    now: ctx.now,
  };
}

/**
 * The payout worker: moves open sends on, then forms new payout and escrow-release batches from
 * the outbox (each backend key that sends has its own nonces: see the driver's payoutWorker).
 */
export function workerJob(
  ctx: ChainContext,
  failpoint: Failpoint = failpoints(ctx.settings.failpoint),
): ChainJob {
  if (!ctx.driver.signerAddress) throw new Error("the payout worker needs a signer");
  let worker: PassRunner;
  const job = leasedJob(ctx, "worker", () => worker.pass(), ctx.settings.pollMs);
  worker = ctx.driver.payoutWorker(jobEnv(ctx, job, failpoint));
  return job;
}

/** The indexer: catches up with the chain each pass, then writes the reward files (with the publisher's key). */
export function indexerJob(
  ctx: ChainContext,
  failpoint: Failpoint = failpoints(ctx.settings.failpoint),
): ChainJob {
  let indexer: PassRunner;
  // Payouts settle and epochs publish in the indexer's pass: the reward files follow at once.
  const log = ctx.logger.child({ job: "indexer" });
  const pass = async () => {
    const result = await indexer.pass();
    await writeRewardFiles(ctx).catch((error: unknown) =>
      log.error({ err: errorSummary(error) }, "reward files not written (next pass retries)"),
    );
    return result;
  };
  const job = leasedJob(ctx, "indexer", pass, ctx.settings.pollMs);
  indexer = ctx.driver.indexer(jobEnv(ctx, job, failpoint));
  return job;
}

/**
 * The epoch publisher: builds epochs every `EPOCH_INTERVAL_MINUTES` (the worker publishes them),
 * and writes the signed reward files whenever what they show changed.
 */
export function epochJob(ctx: ChainContext): ChainJob {
  const signer = ctx.driver.addressFor("rootPublisher");
  if (!signer) throw new Error("the epoch publisher needs the root publisher's key");
  const intervalMs = ctx.settings.epochs.intervalSeconds * 1000;
  let lastRun = Number.NEGATIVE_INFINITY;
  let last: Awaited<ReturnType<typeof buildEpochs>> = [];
  return leasedJob(
    ctx,
    "epochs",
    async () => {
      const now = ctx.now().getTime();
      if (now - lastRun >= intervalMs) {
        last = await buildEpochs({
          db: ctx.db,
          contracts: ctx.contracts,
          settings: ctx.settings,
          chainId: ctx.chainId,
          logger: ctx.logger.child({ job: "epochs" }),
          metrics: ctx.metrics,
          now: ctx.now,
          signer,
        });
        lastRun = now;
      }
      // The publisher's own job signs the reward files too (an indexer process may run without
      // the publisher's key); unchanged files cost one summary query.
      await writeRewardFiles(ctx).catch((error: unknown) =>
        ctx.logger
          .child({ job: "epochs" })
          .error({ err: errorSummary(error) }, "reward files not written (next pass retries)"),
      );
      return {
        details: {
          lastRunAt: Number.isFinite(lastRun) ? new Date(lastRun).toISOString() : null,
          last: last.map(epochOutcomeJson),
        },
        alerts: [],
      };
    },
    ctx.settings.pollMs,
  );
}
