/**
 * The periodic `reward_expiring` job: grants that expire within the notice period and have
 * not been paid out yet (only unsent grants can expire; see ledger.ts) get one notification
 * each; the dedupe key `reward_expiring:<entry id>` makes every run after the first a no-op.
 */
import { and, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../server/db/index.ts";
import { ledgerEntries, notifications } from "../../server/db/schema.ts";
import { wholeTokens } from "../../server/domain/announcements.ts";
import { enqueueNotification } from "../../server/domain/notifications.ts";

/** Queues the notices due at `now`; returns how many were queued. */
export async function queueExpiryNotices(
  db: Db,
  now: Date,
  noticeDays: number,
  limit = 500,
): Promise<number> {
  const horizon = new Date(now.getTime() + noticeDays * 86_400_000);
  const due = await db
    .select({
      id: ledgerEntries.id,
      memberId: ledgerEntries.memberId,
      campaignId: ledgerEntries.campaignId,
      token: ledgerEntries.token,
      amount: ledgerEntries.amount,
      expiresAt: ledgerEntries.expiresAt,
    })
    .from(ledgerEntries)
    .leftJoin(
      notifications,
      sql`${notifications.dedupeKey} = 'reward_expiring:' || ${ledgerEntries.id}::text`,
    )
    .where(
      and(
        inArray(ledgerEntries.state, ["pending", "queued"]),
        gt(ledgerEntries.expiresAt, now),
        lte(ledgerEntries.expiresAt, horizon),
        isNull(notifications.id),
      ),
    )
    .orderBy(ledgerEntries.expiresAt)
    .limit(limit);
  let queued = 0;
  for (const e of due) {
    if (e.expiresAt === null) continue;
    const added = await enqueueNotification(db, {
      memberId: e.memberId,
      kind: "reward_expiring",
      data: {
        campaignId: e.campaignId,
        entryId: e.id,
        token: e.token,
        amount: wholeTokens(e.amount),
        expiresAt: e.expiresAt.toISOString(),
      },
      dedupeKey: `reward_expiring:${e.id}`,
    });
    if (added) queued++;
  }
  return queued;
}
