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
 *
 * Daily rule (a member's `digest: daily`, or the service's `BOT_DIGEST_MODE=daily`): the
 * friends who joined on one calendar day of the member's time zone (by when each was
 * attributed, on the domain's clock) reach the member as one message once that day is over
 * ("12 friends joined on 7 Dec"); a join waits until its day's local midnight, then every
 * pending join of that campaign from that day or before is folded in. Joins of the next day
 * wait for their own day's message. Quiet hours still apply after that (a digest due at
 * midnight inside 23:00–07:00 quiet hours arrives at 07:00).
 */
import { sql } from "drizzle-orm";
import { bigintArray, type Db, queryRows } from "../db/index.ts";
import { HELD_FOR_DIGEST } from "./notificationQueue.ts";
import { localDay, nextLocalMidnight } from "./notificationSettings.ts";

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

export type DailyDigestPlan =
  /** The join's day (in the member's time zone) is not over: wait until its end. */
  | { defer: Date }
  /** The day is over: send, with these pending joins of that day or before folded in. */
  | { fold: Array<{ id: number; refereeId: number }>; day: string };

/**
 * The daily plan for a `referee_joined` notification `headId` (the member's oldest pending
 * one, claimed by this sender) in the member's `timeZone`. A row whose referral is gone
 * (erased) counts from when it was queued.
 */
export async function planDailyDigest(
  db: Db,
  o: { memberId: number; headId: number; campaignId: number; timeZone: string; now: Date },
): Promise<DailyDigestPlan> {
  const joinedAt = (alias: string) =>
    sql.raw(`coalesce((select r.attributed_at from referrals r
      where r.id = (${alias}.data->>'referralId')::bigint), ${alias}.created_at)`);
  const [head] = await queryRows<{ joined_at: string | Date }>(
    db,
    sql`select ${joinedAt("n")} as joined_at from notifications n where n.id = ${o.headId}`,
  );
  if (!head) return { fold: [], day: localDay(o.now, o.timeZone) };
  const joined = new Date(head.joined_at);
  const end = nextLocalMidnight(joined, o.timeZone);
  if (end > o.now) return { defer: end };
  const rows = await queryRows<{ id: string | number; referee_id: string | number }>(
    db,
    sql`select n.id, (n.data->>'refereeId') as referee_id from notifications n
        where n.member_id = ${o.memberId} and n.status = 'pending'
          and n.kind = 'referee_joined' and n.id <> ${o.headId}
          and n.data->>'campaignId' = ${String(o.campaignId)}
          and ${joinedAt("n")} < ${end.toISOString()}::timestamptz
        order by n.id limit 1000`,
  );
  return {
    fold: rows.map((r) => ({ id: Number(r.id), refereeId: Number(r.referee_id) })),
    day: localDay(joined, o.timeZone),
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
