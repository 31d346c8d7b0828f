/**
 * Reconciliation results: the only code that writes `reconciliations`
 * (schema/reconciliations.ts). The reconciliation itself reads the chain
 * (server/chain/reconcile.ts) and hands its result here, one row per campaign; the admin
 * console's Overview reads a campaign's last result and its last difference (an index range
 * of that campaign's rows, never the other campaigns').
 */
import { and, desc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { type ReconciliationLine, reconciliations } from "../db/schema/reconciliations.ts";

export interface CampaignReconciliation {
  campaignId: number;
  lines: ReconciliationLine[];
  differences: string[];
}

/** Records one run: a row per campaign compared, all in one transaction. */
export async function recordReconciliation(
  db: Db,
  run: { blockNumber: number | null; at: Date; campaigns: CampaignReconciliation[] },
): Promise<void> {
  if (run.campaigns.length === 0) return;
  await db.insert(reconciliations).values(
    run.campaigns.map((c) => ({
      campaignId: c.campaignId,
      ranAt: run.at,
      blockNumber: run.blockNumber,
      lines: c.lines,
      differences: c.differences,
      differenceCount: c.differences.length,
    })),
  );
}

export interface ReconciliationStatus {
  /** The last run that compared this campaign; null when none has. */
  last: {
    at: Date;
    blockNumber: number | null;
    differences: string[];
    lines: ReconciliationLine[];
  } | null;
  /** The last run that found a difference in this campaign (it may be the last run). */
  lastDifference: { at: Date; blockNumber: number | null; differences: string[] } | null;
}

/** A campaign's reconciliation status: its last result and its last difference. */
export async function reconciliationStatus(
  db: Db,
  campaignId: number,
): Promise<ReconciliationStatus> {
  const [last, lastDifference] = await Promise.all([
    db
      .select()
      .from(reconciliations)
      .where(eq(reconciliations.campaignId, campaignId))
      .orderBy(desc(reconciliations.id))
      .limit(1),
    db
      .select()
      .from(reconciliations)
      .where(
        and(eq(reconciliations.campaignId, campaignId), gt(reconciliations.differenceCount, 0)),
      )
      .orderBy(desc(reconciliations.id))
      .limit(1),
  ]);
  const l = last[0];
  const d = lastDifference[0];
  return {
    last: l
      ? { at: l.ranAt, blockNumber: l.blockNumber, differences: l.differences, lines: l.lines }
      : null,
    lastDifference: d
      ? { at: d.ranAt, blockNumber: d.blockNumber, differences: d.differences }
      : null,
  };
}
