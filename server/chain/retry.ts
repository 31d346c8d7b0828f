import type { Db } from "../db/index.ts";
import { writeAudit } from "../domain/audit.ts";
import { type RequeueFilter, requeueFailedPayouts } from "../domain/ledgerTransitions.ts";

export type { RequeueFilter };

/** Requeues failed payouts; returns the entry ids requeued. */
export async function requeueFailed(db: Db, filter: RequeueFilter, now: Date): Promise<number[]> {
  return db.transaction(async (tx) => {
    const requeued = await requeueFailedPayouts(tx, filter, now);
    for (const r of requeued)
      await writeAudit(tx, {
        actor: "system",
        action: "payout.requeued",
        subjectType: "ledger_entry",
        subjectId: r.entryId,
        details: { previousError: r.previousError },
        at: now,
      });
    return requeued.map((r) => r.entryId);
  });
}
