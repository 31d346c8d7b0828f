/**
 * The three chain jobs as loops: each pass first takes (or renews) the job's lease, so among
 * any number of running instances exactly one works and the others stand by, ready to take
 * over within the lease time. A failing pass (RPC down, rate-limited, database hiccup) never
 * stops the loop: it is reported to the job's health and retried with exponential backoff and
 * jitter.
 */
import type { LocalAccount } from "viem";
import type { SendKind } from "../db/schema/chain.ts";
import type { Logger } from "../logger.ts";
import { accountFor, type ChainContext } from "./context.ts";
import { buildEpochs, epochHooks } from "./epochs.ts";
import { type Failpoint, failpoints } from "./failpoint.ts";
import { type JobHealth, JobMonitor, type JobName } from "./health.ts";
import { Indexer } from "./indexer.ts";
import { Lease } from "./lease.ts";
import { PayoutBatcher } from "./payouts.ts";
import { redeemHooks } from "./perkRelay.ts";
import { EscrowReleaser } from "./releases.ts";
import { backoffMs, errorSummary } from "./rpc.ts";
import { Sender, type SendHooks } from "./sender.ts";

export interface PassResult {
  details: Record<string, unknown>;
  alerts: string[];
}

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

export function loopJob(
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopping = false;

  const once = async (): Promise<boolean> => {
    let worked = false;
    try {
      const leader = await lease.acquire();
      monitor.setLeader(leader);
      if (leader) {
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
  const runOnce = () => {
    running = (running ?? Promise.resolve(false)).then(once, once);
    return running;
  };
  const schedule = () => {
    if (stopping) return;
    const failures = monitor.consecutiveFailures;
    const delay = failures > 0 ? backoffMs(failures, intervalMs, MAX_BACKOFF_MS) : intervalMs;
    timer = setTimeout(async () => {
      await runOnce();
      schedule();
    }, delay);
  };
  return {
    name,
    lease,
    start() {
      stopping = false;
      void runOnce().then(schedule);
    },
    runOnce,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
      await lease.release().catch(() => {});
      monitor.stopped();
      await monitor.publish();
    },
    health: () => monitor.health,
  };
}

/**
 * The payout worker: moves open sends on, then forms new batches from the outbox. Every backend
 * key that sends transactions (payout signer, root publisher, relayer) has its own
 * {@link Sender} (its own nonces); keys shared by roles (development) share one.
 */
export function workerJob(
  ctx: ChainContext,
  failpoint: Failpoint = failpoints(ctx.settings.failpoint),
): ChainJob {
  const payoutAccount = accountFor(ctx, "payoutSigner");
  if (!payoutAccount) throw new Error("the payout worker needs a signer");
  let senders: Sender[];
  let sender: Sender;
  let batcher: PayoutBatcher;
  let releaser: EscrowReleaser;
  const job = loopJob(
    ctx,
    "worker",
    async () => {
      const holdAfterRevert = (released: Awaited<ReturnType<Sender["progress"]>>["released"]) => {
        for (const r of released)
          if (r.send.kind === "payout") batcher.holdAfterRevert(r.send, r.name, r.error);
      };
      let blocker: Awaited<ReturnType<Sender["progress"]>>["blocker"];
      for (const s of senders) {
        const report = await s.progress();
        holdAfterRevert(report.released);
        if (s === sender) blocker = report.blocker;
        else if (report.blocker) blocker ??= report.blocker;
      }
      const batches = blocker
        ? { queued: 0, created: 0, held: [] }
        : await batcher.run((await sender.counts()).inFlight);
      const releases = blocker ? { planned: 0, created: 0, held: [] } : await releaser.run();
      if (batches.created > 0 || releases.created > 0) {
        const second = await sender.progress({ unsignedOnly: true });
        holdAfterRevert(second.released);
        blocker ??= second.blocker;
      }
      const counts = await sender.counts();
      const alerts = [
        ...(blocker ? [blocker.message] : []),
        ...batches.held.map((h) => h.message),
        ...releases.held.map((h) => h.message),
      ];
      return {
        details: {
          signer: sender.address,
          queued: batches.queued,
          batchesCreated: batches.created,
          inFlight: counts.inFlight,
          held: batches.held,
          releasesPlanned: releases.planned,
          releaseBatchesCreated: releases.created,
        },
        alerts,
      };
    },
    ctx.settings.pollMs,
  );
  const hooks: Record<SendKind, SendHooks> = {
    payout: {
      signed: (...a) => batcher.hooks().signed(...a),
      released: (...a) => batcher.hooks().released(...a),
      reverted: (...a) => batcher.hooks().reverted(...a),
      replaced: (...a) => batcher.hooks().replaced(...a),
    },
    publish_root: epochHooks(ctx.logger),
    redeem: redeemHooks(ctx.now),
    release: {
      signed: (...a) => releaser.hooks().signed(...a),
      released: (...a) => releaser.hooks().released(...a),
      reverted: (...a) => releaser.hooks().reverted(...a),
      replaced: (...a) => releaser.hooks().replaced(...a),
    },
  };
  const newSender = (account: LocalAccount) =>
    new Sender({
      db: ctx.db,
      client: ctx.client,
      account,
      chainId: ctx.chainId,
      settings: ctx.settings,
      lease: job.lease,
      hooks,
      logger: ctx.logger.child({ job: "worker", signer: account.address }),
      metrics: ctx.metrics,
      failpoint,
      now: ctx.now,
    });
  sender = newSender(payoutAccount);
  senders = [sender];
  for (const role of ["rootPublisher", "relayer"] as const) {
    const account = accountFor(ctx, role);
    if (account && !senders.some((s) => s.address.toLowerCase() === account.address.toLowerCase()))
      senders.push(newSender(account));
  }
  batcher = new PayoutBatcher({
    db: ctx.db,
    client: ctx.client,
    contracts: ctx.contracts,
    sender,
    settings: ctx.settings,
    logger: ctx.logger.child({ job: "worker" }),
    metrics: ctx.metrics,
    failpoint,
    now: ctx.now,
  });
  releaser = new EscrowReleaser({
    db: ctx.db,
    client: ctx.client,
    contracts: ctx.contracts,
    sender,
    settings: ctx.settings,
    logger: ctx.logger.child({ job: "worker" }),
    failpoint,
    now: ctx.now,
  });
  return job;
}

/** The indexer: catches up with the chain each pass. */
export function indexerJob(
  ctx: ChainContext,
  failpoint: Failpoint = failpoints(ctx.settings.failpoint),
): ChainJob {
  let indexer: Indexer;
  const job = loopJob(
    ctx,
    "indexer",
    async () => {
      const r = await indexer.pass();
      return {
        details: {
          head: r.head,
          cursor: r.cursor,
          lag: r.lag,
          events: r.events,
          rewound: r.rewound ?? null,
        },
        alerts: [],
      };
    },
    ctx.settings.pollMs,
  );
  indexer = new Indexer({
    db: ctx.db,
    client: ctx.client,
    contracts: ctx.contracts,
    settings: ctx.settings,
    chainId: ctx.chainId,
    logger: ctx.logger.child({ job: "indexer" }),
    metrics: ctx.metrics,
    failpoint,
    lease: job.lease,
    now: ctx.now,
  });
  return job;
}

/** The epoch publisher: builds epochs every `EPOCH_INTERVAL_MINUTES` (the worker publishes them). */
export function epochJob(ctx: ChainContext): ChainJob {
  const publisher = accountFor(ctx, "rootPublisher");
  if (!publisher) throw new Error("the epoch publisher needs the root publisher's key");
  const intervalMs = ctx.settings.epochs.intervalSeconds * 1000;
  let lastRun = Number.NEGATIVE_INFINITY;
  let last: Awaited<ReturnType<typeof buildEpochs>> = [];
  return loopJob(
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
          signer: publisher.address,
        });
        lastRun = now;
      }
      return {
        details: {
          lastRunAt: Number.isFinite(lastRun) ? new Date(lastRun).toISOString() : null,
          last: last.map((o) => ({
            campaign: o.campaign,
            token: o.token,
            outcome: o.outcome,
            epochId: o.epochId ?? null,
            leaves: o.leaves ?? null,
            expired: o.expired,
          })),
        },
        alerts: [],
      };
    },
    ctx.settings.pollMs,
  );
}
