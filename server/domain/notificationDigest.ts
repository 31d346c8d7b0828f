/**
 * What the sender needs beyond the plain queue (notificationQueue.ts) to respect members'
 * preferences: delaying a notification (quiet hours, a digest window) without counting an
 * attempt, and folding a burst of "a friend joined" notifications into one digest.
 *
 * Digest rule: the first `referee_joined` reaches the member at once. Another one due within
 * `windowMinutes` of the last one sent waits until the window ends; then it goes out together
 * with every other `referee_joined` of the same campaign still pending for the member, as one
 * message ("12 friends joined"). The rows folded into it are recorded as sent, with the id of
 * the row that carried them (`last_error = 'digest:<id>'`), so nothing is sent twice. While a
 * digest waits, it is marked `held for digest` and the member's later notifications go ahead of
 * it (notificationQueue.ts skips such a row as the member's head until it is due).
 */
import { sql } from "drizzle-orm";
import { bigintArray, type Db, queryRows } from "../db/index.ts";
import { HELD_FOR_DIGEST } from "./notificationQueue.ts";

const at = (now: Date | undefined) => (now ? sql`${now.toISOString()}::timestamptz` : sql`now()`);

/**
 * Moves a claimed notification to `until`, its attempt not counted (a delay, not a failure).
 * `digest`: held for a digest window, which does not hold up the member's later notifications
 * (quiet hours do: everything waits for them, in order).
 */
export async function deferNotification(
  db: Db,
  id: number,
  until: Date,
  o: { digest?: boolean } = {},
): Promise<void> {
  await db.execute(
    sql`update notifications set next_attempt_at = ${until.toISOString()}::timestamptz,
          attempts = greatest(attempts - 1, 0),
          last_error = ${o.digest ? HELD_FOR_DIGEST : sql`last_error`}
        where id = ${id} and status = 'pending'`,
  );
}

export type JoinDigestPlan =
  /** Inside the window after the last join message: wait until then. */
  | { defer: Date }
  /** Send now, with these other pending joins folded in (empty: a single join). */
  | { fold: Array<{ id: number; refereeId: number }> };

/**
 * The plan for a `referee_joined` notification `headId` of `memberId` in `campaignId` (the
 * member's oldest pending row, claimed by this sender). One statement.
 */
export async function planJoinDigest(
  db: Db,
  o: { memberId: number; headId: number; campaignId: number; windowMinutes: number; now?: Date },
): Promise<JoinDigestPlan> {
  const rows = await queryRows<{
    last_sent: string | Date | null;
    id: string | number | null;
    referee_id: string | number | null;
  }>(
    db,
    sql`with last as (
          select max(sent_at) as last_sent from notifications
          where member_id = ${o.memberId} and kind = 'referee_joined' and status = 'sent'
            and sent_at > ${at(o.now)} - make_interval(mins => ${o.windowMinutes}))
        select last.last_sent, n.id, (n.data->>'refereeId') as referee_id
        from last left join notifications n
          on n.member_id = ${o.memberId} and n.status = 'pending' and n.kind = 'referee_joined'
          and n.id <> ${o.headId} and n.data->>'campaignId' = ${String(o.campaignId)}
        order by n.id limit 1000`,
  );
  const last = rows[0]?.last_sent;
  if (last !== null && last !== undefined && o.windowMinutes > 0) {
    return { defer: new Date(new Date(last).getTime() + o.windowMinutes * 60_000) };
  }
  return {
    fold: rows
      .filter((r) => r.id !== null)
      .map((r) => ({ id: Number(r.id), refereeId: Number(r.referee_id) })),
  };
}

/** The rows a digest carried: sent with it (only rows still pending move). */
export async function finishFolded(
  db: Db,
  ids: readonly number[],
  carrierId: number,
  now?: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update notifications set status = 'sent', sent_at = ${at(now)},
          last_error = ${`digest:${carrierId}`}
        where id = any(${bigintArray([...ids])}) and status = 'pending'`,
  );
}
