/**
 * Admin broadcasts' state (`bot_broadcasts`): drafts, the running broadcast's lease, cursor and
 * counts. The bot's broadcaster (bot/broadcast.ts) sends; every read and write of the
 * broadcast and its recipients is here.
 */
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import { type BotLanguage, botBroadcasts, botMemberSettings } from "../db/schema/bot.ts";
import { members } from "../db/schema.ts";

export type Broadcast = typeof botBroadcasts.$inferSelect;
export type BroadcastTexts = Partial<Record<BotLanguage, string>>;

/** A member a broadcast goes to, with what picks the message's language. */
export interface BroadcastRecipient {
  id: number;
  telegramId: number;
  languageCode: string | null;
  language: BotLanguage | null;
}

/** Members a broadcast goes to: everyone not banned. */
export async function countRecipients(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(members).where(isNull(members.bannedAt));
  return Number(row?.n ?? 0);
}

export async function createDraft(
  db: Db,
  d: {
    texts: BroadcastTexts;
    createdBy: number;
    adminChatId: number;
    adminLanguage: BotLanguage;
  },
): Promise<number> {
  const [row] = await db
    .insert(botBroadcasts)
    .values({ ...d, status: "draft" })
    .returning({ id: botBroadcasts.id });
  return row!.id;
}

/** draft → running, counting its recipients now. `undefined` when it is not a draft any more. */
export async function startBroadcast(
  db: Db,
  id: number,
  progressMessageId: number,
): Promise<{ total: number } | undefined> {
  const total = await countRecipients(db);
  const rows = await db
    .update(botBroadcasts)
    .set({
      status: "running",
      progressMessageId,
      total,
      startedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, "draft")))
    .returning({ id: botBroadcasts.id });
  return rows.length > 0 ? { total } : undefined;
}

/** draft or running → cancelled; returns the status it had, or undefined when already over. */
export async function cancelBroadcast(
  db: Db,
  id: number,
): Promise<"draft" | "running" | undefined> {
  const [before] = await db
    .select({ status: botBroadcasts.status })
    .from(botBroadcasts)
    .where(eq(botBroadcasts.id, id));
  if (before?.status !== "draft" && before?.status !== "running") return undefined;
  const rows = await db
    .update(botBroadcasts)
    .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, before.status)))
    .returning({ id: botBroadcasts.id });
  return rows.length > 0 ? before.status : undefined;
}

export async function loadBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  const [row] = await db.select().from(botBroadcasts).where(eq(botBroadcasts.id, id));
  return row;
}

/**
 * Takes the lease of the oldest running broadcast nobody holds (for `leaseSeconds`);
 * `undefined` when there is none.
 */
export async function claimRunningBroadcast(
  db: Db,
  leaseSeconds: number,
): Promise<Broadcast | undefined> {
  const [row] = await queryRows<{ id: string | number }>(
    db,
    sql`update bot_broadcasts set lease_until = now() + make_interval(secs => ${leaseSeconds})
        where id = (
          select id from bot_broadcasts
          where status = 'running' and (lease_until is null or lease_until < now())
          order by id limit 1 for update skip locked)
        returning id`,
  );
  return row === undefined ? undefined : loadBroadcast(db, Number(row.id));
}

/** Gives the broadcast's lease up (a stop, or it was cancelled meanwhile). */
export async function releaseBroadcast(db: Db, id: number): Promise<void> {
  await db.update(botBroadcasts).set({ leaseUntil: null }).where(eq(botBroadcasts.id, id));
}

/** The next `limit` recipients after member number `cursor`, in member-number order. */
export function nextRecipients(
  db: Db,
  cursor: number,
  limit: number,
): Promise<BroadcastRecipient[]> {
  return db
    .select({
      id: members.id,
      telegramId: members.telegramId,
      languageCode: members.languageCode,
      language: botMemberSettings.language,
    })
    .from(members)
    .leftJoin(botMemberSettings, eq(botMemberSettings.memberId, members.id))
    .where(and(gt(members.id, cursor), isNull(members.bannedAt)))
    .orderBy(asc(members.id))
    .limit(limit);
}

/** running → done, lease released; `undefined` when it was not running any more. */
export async function finishBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  const [done] = await db
    .update(botBroadcasts)
    .set({ status: "done", finishedAt: sql`now()`, updatedAt: sql`now()`, leaseUntil: null })
    .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, "running")))
    .returning();
  return done;
}

/**
 * Saves a sent batch: the cursor (last member handled), the counts and failures, and renews
 * the lease. Returns the broadcast as it is now (its status may have changed meanwhile).
 */
export async function recordBroadcastBatch(
  db: Db,
  id: number,
  batch: {
    cursor: number;
    sent: number;
    failed: number;
    failures: Partial<Record<string, number>>;
    leaseSeconds: number;
  },
): Promise<Broadcast | undefined> {
  const [next] = await db
    .update(botBroadcasts)
    .set({
      cursor: batch.cursor,
      sent: sql`${botBroadcasts.sent} + ${batch.sent}`,
      failed: sql`${botBroadcasts.failed} + ${batch.failed}`,
      failures: batch.failures,
      leaseUntil: sql`now() + make_interval(secs => ${batch.leaseSeconds})`,
      updatedAt: sql`now()`,
    })
    .where(eq(botBroadcasts.id, id))
    .returning();
  return next;
}
