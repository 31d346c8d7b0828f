/**
 * Health and metrics of the chain jobs. Each job (worker, indexer, epoch publisher) reports
 * every pass to a {@link JobMonitor}: successes, failures (with the error's first line) and
 * alerts (a campaign held for its budget, the signer short of gas funds, …). The monitor logs
 * changes (not every pass), feeds Prometheus, and writes the job's state to `chain_status` so
 * `/api/chain/health` shows every running instance, whichever process it lives in.
 */
import { sql } from "drizzle-orm";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Db } from "../db/index.ts";
import type { Logger } from "../logger.ts";

export type JobName = "worker" | "indexer" | "epochs";

export interface JobHealth {
  job: JobName;
  instance: string;
  /** `ok`; `degraded` (failing or alerting, still running); `standby` (another instance leads). */
  status: "starting" | "ok" | "degraded" | "standby" | "stopped";
  leader: boolean;
  lastPassAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  /** Conditions that need an operator (budget, cap, pause, gas funds, …). */
  alerts: string[];
  /** Job-specific figures (queue depth, in-flight sends, cursor, lag, …). */
  details: Record<string, unknown>;
}

export interface ChainMetrics {
  passes: Counter<"job" | "outcome">;
  leader: Gauge<"job">;
  alerts: Gauge<"job">;
  sends: Counter<"kind" | "status">;
  payoutsSent: Counter;
  broadcasts: Counter<"outcome">;
  held: Gauge<"campaign" | "token" | "reason">;
  signerBalance: Gauge;
  queueDepth: Gauge;
  inFlight: Gauge;
  indexedBlock: Gauge;
  indexerLag: Gauge;
  indexedEvents: Counter<"event">;
  reorgs: Counter<"job">;
  settled: Counter;
  epochs: Counter<"outcome">;
}

const metricsByRegistry = new WeakMap<Registry, ChainMetrics>();

/** The chain metrics on `registry` (created once per registry). */
export function chainMetrics(registry: Registry): ChainMetrics {
  const existing = metricsByRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const m: ChainMetrics = {
    passes: new Counter({
      name: "refmint_chain_passes_total",
      help: "Passes of the chain jobs by outcome",
      labelNames: ["job", "outcome"] as const,
      registers,
    }),
    leader: new Gauge({
      name: "refmint_chain_leader",
      help: "1 when this instance leads the job",
      labelNames: ["job"] as const,
      registers,
    }),
    alerts: new Gauge({
      name: "refmint_chain_alerts",
      help: "Open alerts of the job (budget, cap, pause, gas funds, RPC failures)",
      labelNames: ["job"] as const,
      registers,
    }),
    sends: new Counter({
      name: "refmint_chain_sends_total",
      help: "Transactions by kind and final status",
      labelNames: ["kind", "status"] as const,
      registers,
    }),
    payoutsSent: new Counter({
      name: "refmint_payouts_sent_total",
      help: "Payouts put into signed batches",
      registers,
    }),
    broadcasts: new Counter({
      name: "refmint_chain_broadcasts_total",
      help: "Broadcasts of signed transactions by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
    held: new Gauge({
      name: "refmint_payouts_held",
      help: "1 while the worker holds a campaign's token (budget, cap, pause, role, funds)",
      labelNames: ["campaign", "token", "reason"] as const,
      registers,
    }),
    signerBalance: new Gauge({
      name: "refmint_payout_signer_balance_wei",
      help: "Native balance of the backend signer",
      registers,
    }),
    queueDepth: new Gauge({
      name: "refmint_payouts_queued",
      help: "Payouts waiting in the outbox",
      registers,
    }),
    inFlight: new Gauge({
      name: "refmint_chain_sends_in_flight",
      help: "Sends signed but not yet confirmed",
      registers,
    }),
    indexedBlock: new Gauge({
      name: "refmint_indexer_block",
      help: "Last block the indexer processed",
      registers,
    }),
    indexerLag: new Gauge({
      name: "refmint_indexer_lag_blocks",
      help: "Blocks between the chain head and the indexer",
      registers,
    }),
    indexedEvents: new Counter({
      name: "refmint_indexer_events_total",
      help: "Logs indexed by event",
      labelNames: ["event"] as const,
      registers,
    }),
    reorgs: new Counter({
      name: "refmint_chain_reorgs_total",
      help: "Reorgs detected",
      labelNames: ["job"] as const,
      registers,
    }),
    settled: new Counter({
      name: "refmint_ledger_settled_total",
      help: "Ledger entries settled from chain events",
      registers,
    }),
    epochs: new Counter({
      name: "refmint_epochs_total",
      help: "Merkle epochs by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
  metricsByRegistry.set(registry, m);
  return m;
}

export class JobMonitor {
  readonly #health: JobHealth;
  readonly #db: Db;
  readonly #log: Logger;
  readonly #metrics: ChainMetrics;
  #lastLoggedAlerts = "";

  constructor(db: Db, job: JobName, instance: string, logger: Logger, metrics: ChainMetrics) {
    this.#db = db;
    this.#log = logger;
    this.#metrics = metrics;
    this.#health = {
      job,
      instance,
      status: "starting",
      leader: false,
      lastPassAt: null,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
      consecutiveFailures: 0,
      alerts: [],
      details: {},
    };
  }

  get health(): JobHealth {
    return structuredClone(this.#health);
  }

  get consecutiveFailures(): number {
    return this.#health.consecutiveFailures;
  }

  setLeader(leader: boolean): void {
    if (leader !== this.#health.leader)
      this.#log.info({ job: this.#health.job, leader }, leader ? "took the lead" : "standing by");
    this.#health.leader = leader;
    this.#metrics.leader.set({ job: this.#health.job }, leader ? 1 : 0);
  }

  /** A pass finished; `alerts` replaces the previous alerts. */
  succeeded(details: Record<string, unknown>, alerts: string[] = []): void {
    const now = new Date().toISOString();
    const h = this.#health;
    if (h.consecutiveFailures > 0)
      this.#log.info({ job: h.job, after: h.consecutiveFailures }, "recovered");
    h.lastPassAt = now;
    h.lastSuccessAt = now;
    h.consecutiveFailures = 0;
    h.details = details;
    this.#setAlerts(alerts);
    h.status = !h.leader ? "standby" : alerts.length > 0 ? "degraded" : "ok";
    this.#metrics.passes.inc({ job: h.job, outcome: "ok" });
  }

  /** A pass failed (the job keeps running and retries with backoff). */
  failed(error: string, alerts: string[] = []): void {
    const h = this.#health;
    const now = new Date().toISOString();
    h.lastPassAt = now;
    h.lastError = error;
    h.lastErrorAt = now;
    h.consecutiveFailures++;
    h.status = "degraded";
    // Log the first failure and then every tenth, so a long outage does not flood the logs.
    if (h.consecutiveFailures === 1 || h.consecutiveFailures % 10 === 0)
      this.#log.warn({ job: h.job, failures: h.consecutiveFailures, err: error }, "pass failed");
    this.#setAlerts([...new Set([...h.alerts, ...alerts])]);
    this.#metrics.passes.inc({ job: h.job, outcome: "error" });
  }

  stopped(): void {
    this.#health.status = "stopped";
    this.setLeader(false);
  }

  #setAlerts(alerts: string[]): void {
    this.#health.alerts = alerts;
    this.#metrics.alerts.set({ job: this.#health.job }, alerts.length);
    const key = alerts.join("\n");
    if (key !== this.#lastLoggedAlerts) {
      for (const a of alerts) this.#log.error({ job: this.#health.job, alert: a }, "chain alert");
      this.#lastLoggedAlerts = key;
    }
  }

  /** Writes the current state to `chain_status` (errors are ignored: health is best effort). */
  async publish(): Promise<void> {
    const h = this.#health;
    await this.#db
      .execute(
        sql`insert into chain_status (job, instance, leader, health, updated_at)
            values (${h.job}, ${h.instance}, ${h.leader}, ${JSON.stringify(h)}::jsonb, now())
            on conflict (job, instance) do update
              set leader = excluded.leader, health = excluded.health, updated_at = now()`,
      )
      .catch(() => {});
  }
}
