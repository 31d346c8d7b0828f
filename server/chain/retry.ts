/**
 * Putting failed payouts back in the queue (`npm run payouts:retry`). A payout fails when its
 * batch was mined and reverted (the decoded error is in the entry's note); once the cause is
 * fixed (unpaused, budget raised, role granted) the operator requeues it. The payout id stays
 * the same, so whatever happened on-chain, it is paid at most once.
 */
import { sql } from "drizzle-orm";
import { pgArray } from "../db/arrays.ts";
import { type Db, queryRows } from "../db/index.ts";
import { writeAudit } from "../domain/audit.ts";

export interface RequeueFilter {
  /** Only these entries (default: every failed payout). */
  entryIds?: number[];
  /** Only this campaign (database id). */
  campaignId?: number;
}

/** Requeues failed payouts; returns the entry ids requeued. */
export async function requeueFailed(db: Db, filter: RequeueFilter, now: Date): Promise<number[]> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string; note: string | null }>(
      tx,
      sql`select e.id, e.note from ledger_entries e
          join payout_outbox o on o.entry_id = e.id
          where e.state = 'failed' and o.status = 'failed'
            ${filter.entryIds ? sql`and e.id = any(${pgArray(filter.entryIds)}::bigint[])` : sql``}
            ${filter.campaignId !== undefined ? sql`and e.campaign_id = ${filter.campaignId}` : sql``}
          order by e.id
          for update of e, o`,
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await tx.execute(
      sql`update ledger_entries set state = 'queued', failed_at = null, tx_hash = null,
            note = 'requeued after: ' || coalesce(note, 'failure')
          where id = any(${pgArray(ids)}::bigint[])`,
    );
    await tx.execute(
      sql`update payout_outbox set status = 'queued', batch_id = null, recipient = null, nonce = null,
            tx_hash = null, next_attempt_at = ${now}, updated_at = ${now}
          where entry_id = any(${pgArray(ids)}::bigint[])`,
    );
    for (const r of rows)
      await writeAudit(tx, {
        actor: "system",
        action: "payout.requeued",
        subjectType: "ledger_entry",
        subjectId: r.id,
        details: { previousError: r.note },
        at: now,
      });
    return ids.map(Number);
  });
}
