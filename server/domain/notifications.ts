/**
 * The notification queue: the only code that writes `notifications`. Call
 * {@link enqueueNotification} inside the same transaction as the change it announces (a referral qualified, a reward settled, …): if the
 * transaction rolls back there is nothing to announce, and once it commits the bot's sender
 * will deliver it even across restarts. The dedupe key makes retries harmless.
 */
import { type SQL, sql } from "drizzle-orm";
import type { NotificationKind } from "../db/areas/bot.ts";
import { bigintArray, type Db, jsonRows, queryRows, type Tx } from "../db/index.ts";

export type NotificationData = Record<string, string | number | boolean | null>;

export interface NotificationInput {
  memberId: number;
  kind: NotificationKind;
  data: NotificationData;
  /** One notification per key, e.g. `reward_paid:<entryId>`. */
  dedupeKey: string;
  /** Deliver no earlier than this (default: now). */
  notBefore?: Date;
}

/** Queues a notification; returns false when one with the same dedupe key already exists. */
export async function enqueueNotification(db: Db | Tx, input: NotificationInput): Promise<boolean> {
  return (await enqueueNotifications(db, [input])) > 0;
}

/**
 * {@link enqueueNotification} for many in one statement (the indexer queues a `reward_paid`
 * for each of the thousands of payouts a backfill settles); returns how many were new. The
 * rows travel as one jsonb parameter, so any number fits in one statement.
 */
export async function enqueueNotifications(
  db: Db | Tx,
  inputs: readonly NotificationInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = inputs.map((i) => ({
    member_id: i.memberId,
    kind: i.kind,
    data: i.data,
    dedupe_key: i.dedupeKey,
    not_before: i.notBefore?.toISOString() ?? null,
  }));
  // A transaction is a database here (`queryRows` is typed for the latter).
  const [added] = await queryRows<{ n: number }>(
    db as Db,
    sql`with added as (
          insert into notifications (member_id, kind, data, dedupe_key, next_attempt_at)
          select x.member_id, x.kind, x.data, x.dedupe_key, coalesce(x.not_before, now())
          from jsonb_to_recordset(${jsonRows(rows)})
            as x(member_id bigint, kind text, data jsonb, dedupe_key text, not_before timestamptz)
          on conflict (dedupe_key) do nothing
          returning 1)
        select count(*)::int as n from added`,
  );
  return Number(added?.n ?? 0);
}

/*
 * The delivery side (bot/notifications/sender.ts drives it). A notification is `pending`
 * until it ends as `sent`, `skipped` (never deliverable: blocked bot, banned member) or
 * `failed` (too many attempts, or data that cannot be rendered); those three are final. While
 * pending it is leased (claimed), retried later, or handed back; every statement below only
 * touches pending rows.
 *
 * `now` is the queue's clock: a test's, or by default the database's `now()`, shared by every
 * process.
 */

const clock = (now: Date | undefined): SQL =>
  now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;

/** A notification leased for delivery. */
export interface ClaimedNotification {
  id: number;
  memberId: number;
  kind: NotificationKind;
  data: NotificationData;
  /** Attempts including this one. */
  attempts: number;
}

/**
 * Leases the due *heads* (each member's oldest pending notification), oldest due first, of
 * members not in `busyMembers`, for `leaseSeconds`: their next attempt moves that far ahead
 * and the attempt is counted. `FOR UPDATE SKIP LOCKED`, so concurrent claimers never take the
 * same row. Returned in id order.
 */
export async function claimNotificationHeads(
  db: Db,
  o: { limit: number; busyMembers: readonly number[]; leaseSeconds: number; now?: Date },
): Promise<ClaimedNotification[]> {
  const at = clock(o.now);
  const rows = await queryRows<{
    id: string | number;
    member_id: string | number;
    kind: NotificationKind;
    data: NotificationData;
    attempts: number;
  }>(
    db,
    sql`update notifications set attempts = attempts + 1,
          next_attempt_at = ${at} + make_interval(secs => ${o.leaseSeconds})
        where id in (
          select id from notifications where id in (
            select id from (
              select distinct on (member_id) id, next_attempt_at from notifications
              where status = 'pending' and member_id <> all(${bigintArray(o.busyMembers)})
              order by member_id, id) head
            where next_attempt_at <= ${at}
            order by next_attempt_at, id
            limit ${o.limit})
          for update skip locked)
        returning id, member_id, kind, data, attempts`,
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      memberId: Number(r.member_id),
      kind: r.kind,
      data: r.data,
      attempts: Number(r.attempts),
    }))
    .sort((a, b) => a.id - b.id);
}

/** A transient failure: the notification is tried again `afterSeconds` from now. */
export async function retryNotificationLater(
  db: Db,
  id: number,
  o: { lastError: string | null; afterSeconds: number; now?: Date },
): Promise<void> {
  await db.execute(
    sql`update notifications set last_error = ${o.lastError},
          next_attempt_at = ${clock(o.now)} + make_interval(secs => ${o.afterSeconds})
        where id = ${id} and status = 'pending'`,
  );
}

/**
 * Ends a notification as `sent`, `skipped` or `failed`. The member's next pending one counts
 * as queued from now, so members take turns instead of a long backlog going first for being
 * older.
 */
export async function finishNotification(
  db: Db,
  id: number,
  o: { outcome: "sent" | "skipped" | "failed"; lastError: string | null; now?: Date },
): Promise<void> {
  const at = clock(o.now);
  const sentAt = o.outcome === "sent" ? at : sql`null`;
  await db.execute(
    sql`with done as (
          update notifications set status = ${o.outcome}, last_error = ${o.lastError},
            sent_at = ${sentAt}
          where id = ${id} and status = 'pending' returning member_id)
        update notifications set next_attempt_at = greatest(next_attempt_at, ${at})
        where id = (
          select min(id) from notifications
          where member_id = (select member_id from done) and status = 'pending'
            and id <> ${id})`,
  );
}

/**
 * Hands leased notifications that were never sent back to the queue: due now, their attempt
 * not counted. One statement for any number.
 */
export async function handBackNotifications(
  db: Db,
  ids: readonly number[],
  now?: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update notifications set attempts = greatest(attempts - 1, 0), next_attempt_at = ${clock(now)}
        where id = any(${bigintArray(ids)}) and status = 'pending'`,
  );
}
