/**
 * The notification queue as the bot's sender drains it (see bot/notifications/sender.ts for
 * the fairness and leasing rules these statements implement), and the periodic
 * `reward_expiring` job that fills it. Writing a notification with the change it announces is
 * notifications.ts.
 */
import { and, gt, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { bigintArray, type Db, queryRows } from "../db/index.ts";
import { botMemberSettings, botNotificationSettings } from "../db/schema/bot.ts";
import { ledgerEntries, members, type NotificationKind, notifications } from "../db/schema.ts";
import { wholeTokens } from "./announcements.ts";
import type { BotLanguage } from "./language.ts";
import { fromRow, type NotificationSettings } from "./notificationSettings.ts";
import { enqueueNotification, type NotificationData } from "./notifications.ts";

/**
 * The `reward_expiring` job: grants that expire within the notice period and have not been
 * paid out yet (only unsent grants can expire; see ledger.ts) get one notification each; the
 * dedupe key `reward_expiring:<entry id>` makes every run after the first a no-op. Returns how
 * many were queued.
 */
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

/** `last_error` of a "friend joined" waiting for its digest window (notificationDigest.ts). */
export const HELD_FOR_DIGEST = "held for digest";

/** A notification the sender took (leased) to deliver. */
export interface ClaimedNotification {
  id: number;
  memberId: number;
  kind: NotificationKind;
  data: NotificationData;
  /** Attempts so far, this one included. */
  attempts: number;
}

/** Who a notification goes to, with what picks its language. */
export interface NotificationRecipient {
  telegramId: number;
  languageCode: string | null;
  language: BotLanguage | null;
  banned: boolean;
  /** `/notifications`: muted kinds, quiet hours (read with the recipient, no extra query). */
  settings: NotificationSettings;
}

/** The queue's clock: the caller's (tests), else the database's, shared by all processes. */
const at = (now: Date | undefined): SQL =>
  now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;

/**
 * Takes the due heads (each member's oldest pending notification) of members not in
 * `exceptMembers`, oldest first, at most `limit`, and leases them for `leaseSeconds` (their
 * next attempt moved ahead, the attempt counted), skipping rows another process holds.
 */
export async function claimDueNotifications(
  db: Db,
  o: { exceptMembers: readonly number[]; limit: number; leaseSeconds: number; now?: Date },
): Promise<ClaimedNotification[]> {
  const rows = await queryRows<{
    id: string | number;
    member_id: string | number;
    kind: NotificationKind;
    data: NotificationData;
    attempts: number;
  }>(
    db,
    sql`update notifications set attempts = attempts + 1,
          next_attempt_at = ${at(o.now)} + make_interval(secs => ${o.leaseSeconds}),
          -- Claimed, a row held for a digest is an ordinary leased head again.
          last_error = nullif(last_error, ${HELD_FOR_DIGEST})
        where id in (
          select id from notifications where id in (
            select id from (
              select distinct on (member_id) id, next_attempt_at from notifications
              where status = 'pending' and member_id <> all(${bigintArray([...o.exceptMembers])})
                -- A "friend joined" held for its digest (notificationDigest.ts) does not hold
                -- up the member's other notifications; anything else (a leased row, a retry,
                -- quiet hours) keeps them in order.
                and not (last_error = ${HELD_FOR_DIGEST} and next_attempt_at > ${at(o.now)})
              order by member_id, id) head
            where next_attempt_at <= ${at(o.now)}
            order by next_attempt_at, id
            limit ${o.limit})
          -- Repeated at the locking level on purpose: PostgreSQL re-checks only this level's
          -- conditions against a row another sender claimed and committed after our snapshot
          -- (the heads above were read from the snapshot), so without them two senders could
          -- take the same row and send it twice.
          and status = 'pending' and next_attempt_at <= ${at(o.now)}
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

/** The recipients of notifications for `memberIds` (members that exist). */
export async function notificationRecipients(
  db: Db,
  memberIds: number[],
): Promise<Map<number, NotificationRecipient>> {
  if (memberIds.length === 0) return new Map();
  const people = await db
    .select({
      id: members.id,
      telegramId: members.telegramId,
      languageCode: members.languageCode,
      bannedAt: members.bannedAt,
      deletedAt: members.deletedAt,
      language: botMemberSettings.language,
      muted: botNotificationSettings.muted,
      digest: botNotificationSettings.digest,
      quietFrom: botNotificationSettings.quietFrom,
      quietTo: botNotificationSettings.quietTo,
      timeZone: botNotificationSettings.timeZone,
    })
    .from(members)
    .leftJoin(botMemberSettings, sql`${botMemberSettings.memberId} = ${members.id}`)
    .leftJoin(botNotificationSettings, sql`${botNotificationSettings.memberId} = ${members.id}`)
    .where(inArray(members.id, memberIds));
  return new Map(
    people.map((p) => [
      p.id,
      {
        telegramId: p.telegramId,
        languageCode: p.languageCode,
        language: p.language,
        // A member who asked for deletion is never messaged again: skipped like a ban.
        banned: p.bannedAt !== null || p.deletedAt !== null,
        settings: fromRow(p),
      },
    ]),
  );
}

/** A transient failure: the notification is tried again after `afterSeconds`. */
export async function retryNotification(
  db: Db,
  id: number,
  o: { lastError: string | null; afterSeconds: number; now?: Date },
): Promise<void> {
  await db.execute(
    sql`update notifications set last_error = ${o.lastError},
          next_attempt_at = ${at(o.now)} + make_interval(secs => ${o.afterSeconds})
        where id = ${id} and status = 'pending'`,
  );
}

/**
 * Done with a notification (`sent`, `skipped` or `failed`). The member's next one counts as
 * queued from now, so members take turns instead of a long backlog going first for being older.
 * Only a pending row moves: a sender whose lease ran out cannot overwrite what another process
 * already recorded.
 */
export async function finishNotification(
  db: Db,
  id: number,
  o: { outcome: "sent" | "skipped" | "failed"; lastError: string | null; now?: Date },
): Promise<void> {
  const sentAt = o.outcome === "sent" ? at(o.now) : sql`null`;
  await db.execute(
    sql`with done as (
          update notifications set status = ${o.outcome}, last_error = ${o.lastError},
            sent_at = ${sentAt}
          where id = ${id} and status = 'pending' returning member_id)
        update notifications set next_attempt_at = greatest(next_attempt_at, ${at(o.now)})
        where id = (
          select min(id) from notifications
          where member_id = (select member_id from done) and status = 'pending'
            and id <> ${id})`,
  );
}

/** Hands claimed, never-sent notifications back: due at once, their attempt not counted. */
export async function returnNotifications(
  db: Db,
  ids: readonly number[],
  now?: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update notifications set attempts = greatest(attempts - 1, 0), next_attempt_at = ${at(now)}
        where id = any(${bigintArray([...ids])}) and status = 'pending'`,
  );
}
