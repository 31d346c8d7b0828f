/**
 * The webhook inbox's statements (table `bot_updates`). The bot (bot/inbox.ts, bot/webhook.ts)
 * decides what to store, take over and mark, and when; the rows are written only here. See
 * bot/inbox.ts for the ownership and exactly-once rules these statements implement.
 */
import { lt, sql } from "drizzle-orm";
import type { Update } from "grammy/types";
import { bigintArray, type Db, jsonRows, queryRows } from "../db/index.ts";
import { botUpdates } from "../db/schema/bot.ts";

/**
 * How long an owner's updates stay its own without a renewal (renewed every third of it):
 * the longest an update of a process on another host waits after that process died.
 */
export const INBOX_LEASE_SECONDS = 15;

/**
 * Stores updates for `owner`; returns the `update_id`s that were new (the others were
 * received before).
 */
export async function recordUpdates(
  db: Db,
  botId: number,
  updates: Update[],
  owner: string | null = null,
  leaseSeconds = INBOX_LEASE_SECONDS,
  answerInResponse = false,
): Promise<Set<number>> {
  // One jsonb parameter for the whole batch (see jsonRows); ids come back as text, the same
  // on both drivers.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into bot_updates (bot_id, update_id, payload, owner, lease_until, answer_in_response)
        select ${botId}::bigint, (u->>'update_id')::bigint, u, ${owner}::text,
          now() + make_interval(secs => ${leaseSeconds}), ${answerInResponse}::boolean
        from jsonb_array_elements(${jsonRows(updates)}) as u
        on conflict do nothing
        returning update_id::text as id`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Extends the lease of `owner`'s unhandled updates (the owner's heartbeat). */
export async function renewLeases(
  db: Db,
  botId: number,
  owner: string,
  leaseSeconds = INBOX_LEASE_SECONDS,
): Promise<void> {
  await db.execute(
    sql`update bot_updates set lease_until = now() + make_interval(secs => ${leaseSeconds})
        where bot_id = ${botId} and owner = ${owner} and processed_at is null`,
  );
}

/** The owners, other than `self`, of updates stored and not yet handled. */
export async function ownersWithUnhandledUpdates(
  db: Db,
  botId: number,
  self: string,
): Promise<string[]> {
  const owners = await queryRows<{ owner: string }>(
    db,
    sql`select distinct owner from bot_updates
        where bot_id = ${botId} and processed_at is null and owner is not null
          and owner <> ${self} and not answer_in_response`,
  );
  return owners.map((r) => r.owner);
}

/**
 * Marks handled (and returns) up to `limit` unhandled updates not owned by `self` whose owner
 * is in `gone`, has none, or whose lease ran out: each with its payload and whether its answer
 * had gone out (`answered_at`). Oldest first; `FOR UPDATE SKIP LOCKED`, so two processes never
 * take the same update. Updates answered in the webhook's response are never taken here:
 * Telegram delivers them again (see {@link claimRedelivered}).
 */
export async function takeOverUpdates(
  db: Db,
  botId: number,
  self: string,
  gone: readonly string[],
  limit: number,
): Promise<Array<{ payload: Update | null; answered: boolean }>> {
  return queryRows<{ payload: Update | null; answered: boolean }>(
    db,
    sql`with due as (
          select bot_id, update_id, payload, answered_at from bot_updates
          where bot_id = ${botId} and processed_at is null
            and owner is distinct from ${self} and not answer_in_response
            and (owner is null or lease_until is null or lease_until < now()
              or owner in (select jsonb_array_elements_text(${JSON.stringify(gone)}::jsonb)))
          order by update_id limit ${limit}
          for update skip locked)
        update bot_updates u set processed_at = now(), payload = null
        from due where u.bot_id = due.bot_id and u.update_id = due.update_id
        returning due.payload, due.answered_at is not null as answered`,
  );
}

/**
 * Renews `owner`'s lease on `updateIds` and returns those still its own: not handled, not
 * taken over by another process (an owner that could not renew its lease in time asks before
 * handling what it holds).
 */
export async function reclaimUpdates(
  db: Db,
  botId: number,
  owner: string,
  updateIds: readonly number[],
  leaseSeconds = INBOX_LEASE_SECONDS,
): Promise<Set<number>> {
  if (updateIds.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update bot_updates set lease_until = now() + make_interval(secs => ${leaseSeconds})
        where bot_id = ${botId} and owner = ${owner} and processed_at is null
          and update_id = any(${bigintArray(updateIds)})
        returning update_id::text as id`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** What the inbox holds for an update delivered again. */
export interface InboxEntry {
  owner: string | null;
  handled: boolean;
  /** The method call its webhook response carried, if any (see `reply` in the schema). */
  reply: Record<string, unknown> | null;
  /** Its owner's lease ran out (or it has none). */
  lapsed: boolean;
  /** A Bot API call made for it reached Telegram (`answered_at`). */
  answered: boolean;
}

/** The inbox's row for `updateId`, if stored. */
export async function inboxEntry(
  db: Db,
  botId: number,
  updateId: number,
): Promise<InboxEntry | undefined> {
  const [row] = await queryRows<InboxEntry>(
    db,
    sql`select owner, processed_at is not null as handled, reply,
          (lease_until is null or lease_until < now()) as lapsed,
          answered_at is not null as answered
        from bot_updates where bot_id = ${botId} and update_id = ${updateId}`,
  );
  return row;
}

/**
 * Makes `self` the owner of an unhandled update delivered again whose owner is `self`, has
 * none, is `gone`, or whose lease ran out; true when it did. One statement: of two processes
 * receiving the same redelivery, one gets it. The update is now answered in `self`'s webhook
 * response (`answer_in_response`).
 */
export async function claimRedelivered(
  db: Db,
  botId: number,
  updateId: number,
  self: string,
  gone: readonly string[],
  leaseSeconds = INBOX_LEASE_SECONDS,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update bot_updates set owner = ${self}, answer_in_response = true,
          lease_until = now() + make_interval(secs => ${leaseSeconds})
        where bot_id = ${botId} and update_id = ${updateId} and processed_at is null
          and (owner is null or owner = ${self} or lease_until is null or lease_until < now()
            or owner in (select jsonb_array_elements_text(${JSON.stringify(gone)}::jsonb)))
        returning update_id::text as id`,
  );
  return rows.length > 0;
}

/** Deletes stored updates older than `olderThanHours`. */
export async function pruneUpdates(db: Db, olderThanHours = 48): Promise<void> {
  await db
    .delete(botUpdates)
    .where(lt(botUpdates.receivedAt, sql`now() - make_interval(hours => ${olderThanHours})`));
}

/** What happened to an update being handled. */
export interface InboxMark {
  updateId: number;
  /** Something was sent to Telegram on its behalf (its answer went out). */
  answered?: boolean;
  /** Its handler finished. */
  handled?: boolean;
  /** With `handled`: the method call its webhook response carries (kept for a redelivery). */
  reply?: Record<string, unknown>;
}

/**
 * Writes marks in one statement: `answered_at` is set by the first answer only; a handled
 * update gets `processed_at` and its reply, and drops its payload (it holds a member's message).
 * The ids are also given as an array: joined only to the marks (a set-returning function the
 * planner guesses at 100 rows), PostgreSQL scanned the whole inbox for every statement.
 */
export async function writeInboxMarks(
  db: Db,
  botId: number,
  marks: readonly InboxMark[],
): Promise<void> {
  await db.execute(
    sql`update bot_updates u set
          answered_at = case when m.answered then coalesce(u.answered_at, now())
            else u.answered_at end,
          processed_at = case when m.handled then coalesce(u.processed_at, now())
            else u.processed_at end,
          payload = case when m.handled then null else u.payload end,
          reply = coalesce(m.reply, u.reply)
        from (select (r->>'updateId')::bigint as update_id,
                bool_or(coalesce((r->>'answered')::boolean, false)) as answered,
                bool_or(coalesce((r->>'handled')::boolean, false)) as handled,
                (array_agg(r->'reply') filter (where r ? 'reply'))[1] as reply
              from jsonb_array_elements(${jsonRows(marks)}) as r group by 1) m
        where u.bot_id = ${botId} and u.update_id = m.update_id
          and u.update_id = any(${bigintArray(marks.map((m) => m.updateId))})`,
  );
}
