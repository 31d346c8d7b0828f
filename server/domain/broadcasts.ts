/**
 * Admin broadcasts' state (`bot_broadcasts`): drafts, the running broadcast's lease, cursor and
 * counts. The bot's broadcaster (bot/broadcast.ts) sends; every read and write of the
 * broadcast and its recipients is here.
 *
 * A broadcast goes to one campaign's members (those referred or referring in it, or rewarded
 * in it: `takesPartIn`), which its managers and owners may do (`broadcast.send`), or to every
 * member (no campaign), which only super-admins may. Drafting, starting and cancelling are
 * checked and audited.
 */
import { and, asc, count, eq, gt, isNull, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import {
  type BotLanguage,
  type BroadcastSegmentData,
  botBroadcasts,
  botMemberSettings,
} from "../db/schema/bot.ts";
import { members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { type AdminPrincipal, authorize, takesPartIn } from "./roles.ts";

export type Broadcast = typeof botBroadcasts.$inferSelect;
export type BroadcastTexts = Partial<Record<BotLanguage, string>>;

/** A member a broadcast goes to, with what picks the message's language. */
export interface BroadcastRecipient {
  id: number;
  telegramId: number;
  languageCode: string | null;
  language: BotLanguage | null;
}

export type { BroadcastSegmentData };

/** The member's language as the bot picks it: their `/language` choice, else their client's. */
const memberLanguage = sql`coalesce(
  (select s.language from bot_member_settings s where s.member_id = ${members.id}),
  case when lower(coalesce(${members.languageCode}, '')) like 'ru%' then 'ru' else 'en' end)`;

/** The segment's conditions on `members` (see {@link BroadcastSegmentData}). */
function segmentWhere(campaignId: number | null, s: BroadcastSegmentData): SQL[] {
  const where: SQL[] = [];
  if (s.language !== undefined) where.push(sql`${memberLanguage} = ${s.language}`);
  if (s.hasWallet !== undefined)
    where.push(
      sql`${s.hasWallet ? sql`` : sql`not `}exists (select 1 from member_wallets w where w.member_id = ${members.id})`,
    );
  if (s.activeSince !== undefined)
    where.push(sql`${members.lastSeenAt} >= ${s.activeSince}::timestamptz`);
  if (s.tier !== undefined && campaignId !== null) {
    // Level-1 qualified referrals in the campaign, as the profile's tier counts them.
    const qualified = sql`coalesce((select c.count from referral_counters c
      where c.campaign_id = ${campaignId} and c.member_id = ${members.id}
        and c.level = 1 and c.status = 'qualified'), 0)`;
    where.push(sql`${qualified} >= ${s.tier.minQualified}`);
    if (s.tier.maxQualified !== null) where.push(sql`${qualified} <= ${s.tier.maxQualified}`);
  }
  return where;
}

/**
 * Who a broadcast to `campaignId` (null: everyone) reaches: members not banned, taking part,
 * and in the segment when one is given.
 */
const audience = (campaignId: number | null, segment: BroadcastSegmentData = {}): SQL | undefined =>
  and(
    isNull(members.bannedAt),
    campaignId === null ? undefined : takesPartIn(members.id, campaignId),
    ...segmentWhere(campaignId, segment),
  );

/** How many members a broadcast to `campaignId` (null: everyone) in `segment` would reach now. */
export async function countRecipients(
  db: Db,
  campaignId: number | null,
  segment: BroadcastSegmentData = {},
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(members)
    .where(and(isNull(members.deletedAt), audience(campaignId, segment)));
  return Number(row?.n ?? 0);
}

/** A draft (`broadcast.send` in its campaign, or super-admin for everyone). Audited. */
export async function createDraft(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  d: {
    texts: BroadcastTexts;
    campaignId: number | null;
    createdBy: number;
    adminChatId: number;
    adminLanguage: BotLanguage;
  },
): Promise<number> {
  await authorize(ctx, by, "broadcast.send", d.campaignId, { type: "broadcast", id: "new" });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(botBroadcasts)
      .values({ ...d, status: "draft" })
      .returning({ id: botBroadcasts.id });
    await writeAudit(tx, {
      actor: by.actor,
      action: "broadcast.drafted",
      subjectType: "broadcast",
      subjectId: row!.id,
      campaignId: d.campaignId,
      after: { status: "draft", texts: d.texts },
      at: ctx.now(),
    });
    return row!.id;
  });
}

/**
 * `forbidden` unless `by` may send the broadcast `id` (in its campaign); `undefined` when there
 * is no such broadcast.
 */
async function authorizeBroadcast(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  id: number,
): Promise<Broadcast | undefined> {
  const broadcast = await loadBroadcast(ctx.db, id);
  if (broadcast)
    await authorize(ctx, by, "broadcast.send", broadcast.campaignId, { type: "broadcast", id });
  return broadcast;
}

/**
 * draft → running, counting its recipients now (`broadcast.send`; audited). `undefined` when
 * it is not a draft any more.
 */
export async function startBroadcast(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  id: number,
  progressMessageId: number,
): Promise<{ total: number } | undefined> {
  const draft = await authorizeBroadcast(ctx, by, id);
  if (draft?.status !== "draft") return undefined;
  return ctx.db.transaction(async (tx) => {
    const total = await countRecipients(tx, draft.campaignId, draft.segment);
    const rows = await tx
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
    if (rows.length === 0) return undefined;
    await writeAudit(tx, {
      actor: by.actor,
      action: "broadcast.started",
      subjectType: "broadcast",
      subjectId: id,
      campaignId: draft.campaignId,
      before: { status: "draft" },
      after: { status: "running", total },
      at: ctx.now(),
    });
    return { total };
  });
}

/**
 * draft or running → cancelled (`broadcast.send`; audited); returns the status it had, or
 * undefined when already over.
 */
export async function cancelBroadcast(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  id: number,
): Promise<"draft" | "running" | undefined> {
  const before = await authorizeBroadcast(ctx, by, id);
  if (before?.status !== "draft" && before?.status !== "running") return undefined;
  const was = before.status;
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(botBroadcasts)
      .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, was)))
      .returning({ sent: botBroadcasts.sent, failed: botBroadcasts.failed });
    const [after] = rows;
    if (!after) return undefined;
    await writeAudit(tx, {
      actor: by.actor,
      action: "broadcast.cancelled",
      subjectType: "broadcast",
      subjectId: id,
      campaignId: before.campaignId,
      before: { status: was },
      after: { status: "cancelled", sent: after.sent, failed: after.failed },
      at: ctx.now(),
    });
    return was;
  });
}

export async function loadBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  const [row] = await db.select().from(botBroadcasts).where(eq(botBroadcasts.id, id));
  return row;
}

/**
 * Takes the lease of the oldest running broadcast nobody holds (for `leaseSeconds`) whose
 * time has come (`now`: the domain's clock, so tests move it; scheduled ones wait until
 * then); `undefined` when there is none. The first claim records when sending started.
 */
export async function claimRunningBroadcast(
  db: Db,
  leaseSeconds: number,
  now?: Date,
): Promise<Broadcast | undefined> {
  const at = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  const [row] = await queryRows<{ id: string | number }>(
    db,
    sql`update bot_broadcasts set lease_until = now() + make_interval(secs => ${leaseSeconds}),
          started_at = coalesce(started_at, ${at})
        where id = (
          select id from bot_broadcasts
          where status = 'running' and (lease_until is null or lease_until < now())
            and (scheduled_at is null or scheduled_at <= ${at})
          order by id limit 1 for update skip locked)
        returning id`,
  );
  return row === undefined ? undefined : loadBroadcast(db, Number(row.id));
}

/** Gives the broadcast's lease up (a stop, or it was cancelled meanwhile). */
export async function releaseBroadcast(db: Db, id: number): Promise<void> {
  await db.update(botBroadcasts).set({ leaseUntil: null }).where(eq(botBroadcasts.id, id));
}

/**
 * The next `limit` recipients of a broadcast to `campaignId` (null: everyone) after member
 * number `cursor`, in member-number order.
 */
export function nextRecipients(
  db: Db,
  campaignId: number | null,
  cursor: number,
  limit: number,
  segment: BroadcastSegmentData = {},
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
    .where(and(gt(members.id, cursor), isNull(members.deletedAt), audience(campaignId, segment)))
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
