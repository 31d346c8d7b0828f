/**
 * The operational side of a campaign's Overview (`analytics.read` in the campaign): what waits
 * for a human or a machine right now. Open review items, the payout pipeline (outbox rows not
 * yet settled, by status, and the oldest waiting), the chain jobs' health (payout worker,
 * indexer with its lag in blocks, epoch publisher; as `/api/chain/health` reads them) and the
 * last reconciliation of the ledger against the chain with its last difference.
 *
 * Each read is small and indexed: open reviews and unsettled outbox rows through their status
 * indexes, a few `chain_status` rows, the campaign's newest `reconciliations` rows. Kept out of
 * the Overview's KPI query so the KPIs stay a pure rollup read.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/index.ts";
import type { DomainContext } from "../context.ts";
import { type ReconciliationStatus, reconciliationStatus } from "../reconciliations.ts";
import type { Campaign } from "../registry.ts";
import { openReviewCount } from "../review.ts";
import { type AdminPrincipal, authorize } from "../roles.ts";

/** A job's row older than this is a process that stopped (as `/api/chain/health` reads it). */
export const JOB_STALE_SECONDS = 120;

/** Outbox statuses of payouts on their way (settled and cancelled ones are done). */
export const PIPELINE_STATUSES = ["queued", "sending", "sent", "held", "failed"] as const;
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

export interface JobState {
  job: string;
  /** `down` when no fresh leader reports; else the leader's own status. */
  status: "ok" | "degraded" | "starting" | "stopped" | "down";
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  alerts: number;
  /** The indexer's distance to the chain head in blocks, when it reports one. */
  lagBlocks: number | null;
  /** The indexer's last processed block. */
  cursor: number | null;
  /** For super-admins only: another campaign's name may be in it. */
  lastError: string | null;
}

export interface CampaignOperations {
  openReviews: number;
  payouts: Record<PipelineStatus, number> & { oldestWaitingAt: Date | null };
  jobs: JobState[];
  reconciliation: ReconciliationStatus;
}

const JOBS = ["worker", "indexer", "epochs"] as const;

const numberOrNull = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export async function campaignOperations(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<CampaignOperations> {
  await authorize(ctx, by, "analytics.read", campaign.id);
  const db = ctx.db;
  const [openReviews, outbox, status, reconciliation] = await Promise.all([
    openReviewCount(db, [campaign.id]),
    queryRows<{ status: PipelineStatus; n: string; oldest: Date | string | null }>(
      db,
      sql`select status, count(*)::text as n, min(created_at) as oldest from payout_outbox
        where status in ('queued', 'sending', 'sent', 'held', 'failed') and campaign_id = ${campaign.id}
        group by status`,
    ),
    // The database's clock, as the jobs stamp their rows with it (server/chain/health.ts).
    queryRows<{ job: string; leader: boolean; health: unknown; fresh: boolean }>(
      db,
      sql`select job, leader, health,
          updated_at > now() - make_interval(secs => ${JOB_STALE_SECONDS}) as fresh
        from chain_status order by job, leader desc, updated_at desc`,
    ),
    reconciliationStatus(db, campaign.id),
  ]);

  const payouts = {
    queued: 0,
    sending: 0,
    sent: 0,
    held: 0,
    failed: 0,
    oldestWaitingAt: null as Date | null,
  };
  for (const r of outbox) {
    payouts[r.status] = Number(r.n);
    // Failed ones wait for an operator, not for the pipeline: not "waiting" here.
    if (r.status !== "failed" && r.oldest !== null) {
      const at = new Date(r.oldest);
      if (payouts.oldestWaitingAt === null || at < payouts.oldestWaitingAt)
        payouts.oldestWaitingAt = at;
    }
  }

  const jobs: JobState[] = JOBS.map((job) => {
    const leader = status.find((r) => r.job === job && r.fresh && r.leader);
    if (!leader)
      return {
        job,
        status: "down",
        lastSuccessAt: null,
        consecutiveFailures: 0,
        alerts: 0,
        lagBlocks: null,
        cursor: null,
        lastError: null,
      };
    const h = (typeof leader.health === "string" ? JSON.parse(leader.health) : leader.health) as {
      status?: string;
      lastSuccessAt?: string | null;
      lastError?: string | null;
      consecutiveFailures?: number;
      alerts?: unknown[];
      details?: Record<string, unknown>;
    };
    const known = ["ok", "degraded", "starting", "stopped"] as const;
    const s = known.find((k) => k === h.status) ?? "degraded";
    return {
      job,
      status: s,
      lastSuccessAt: h.lastSuccessAt ? new Date(h.lastSuccessAt) : null,
      consecutiveFailures: h.consecutiveFailures ?? 0,
      alerts: Array.isArray(h.alerts) ? h.alerts.length : 0,
      lagBlocks: numberOrNull(h.details?.lag),
      cursor: numberOrNull(h.details?.cursor),
      lastError: by.superAdmin ? (h.lastError ?? null) : null,
    };
  });

  return { openReviews, payouts, jobs, reconciliation };
}
