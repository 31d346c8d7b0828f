import type { Db } from "../db/index.ts";
import { writeAudit } from "../domain/audit.ts";
import type { Actor } from "../domain/context.ts";
import { type RequeueFilter, requeueFailedPayouts } from "../domain/ledgerTransitions.ts";

export type { RequeueFilter };

/**
 * Requeues failed payouts; returns the entry ids requeued. Each is audited as done by `actor`
 * (the admin who asked through the API, else the system: `npm run payouts:retry`).
 */
export async function requeueFailed(
  db: Db,
  filter: RequeueFilter,
  now: Date,
  actor: Actor = "system",
): Promise<number[]> {
  return db.transaction(async (tx) => {
    const requeued = await requeueFailedPayouts(tx, filter, now);
    for (const r of requeued)
      await writeAudit(tx, {
        actor,
        action: "payout.requeued",
        subjectType: "ledger_entry",
        subjectId: r.entryId,
        campaignId: r.campaignId,
        details: { previousError: r.previousError },
        before: { state: "failed" },
        after: { state: "queued" },
        at: now,
      });
    return requeued.map((r) => r.entryId);
  });
}
