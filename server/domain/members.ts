/**
 * Members: created on first sight (bot `/start` or an authenticated Mini App request),
 * keyed by Telegram user id, known to everyone else by their member number.
 */
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import {
  bigintArray,
  cachedRead,
  type Db,
  invalidateReads,
  jsonRows,
  prepared,
  queryRows,
} from "../db/index.ts";
import { members, memberWallets, referralCodes } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import { generateCode, normalizeCode, vanityCodeProblem } from "./codes.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { setBanned } from "./leaderboards.ts";
import { lockGrantees, rejectUnsentGrants } from "./ledger.ts";
import { memberTag, statsTag } from "./readTags.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";
import { parseRawStats, type RawMemberStats, rawStatsColumns } from "./stats.ts";

/** What Telegram tells us about a user (validated init data or a bot update). */
export interface TelegramUserInput {
  id: number;
  username?: string;
  firstName?: string;
  lastName?: string;
  languageCode?: string;
  isPremium?: boolean;
}

/** A member with their current referral code and linked wallet. */
export interface MemberView {
  id: number;
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  languageCode: string | null;
  isPremium: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
  bannedAt: Date | null;
  banReason: string | null;
  clicks: number;
  starts: number;
  code: string;
  wallet: string | null;
}

// The code to share: the newest vanity code, else the random one. Older codes keep
// resolving for links already out there. Written with explicit names: Drizzle renders
// columns inside select-list SQL unqualified, which would bind to the subquery's table.
const currentCode = sql<string>`(select rc.code from ${referralCodes} rc
  where rc.member_id = "members"."id"
  order by (rc.kind = 'vanity') desc, rc.created_at desc, rc.code
  limit 1)`;
const walletAddress = sql<string | null>`(select mw.address from ${memberWallets} mw
  where mw.member_id = "members"."id")`;

const viewColumns = {
  id: members.id,
  telegramId: members.telegramId,
  username: members.username,
  firstName: members.firstName,
  lastName: members.lastName,
  languageCode: members.languageCode,
  isPremium: members.isPremium,
  firstSeenAt: members.firstSeenAt,
  lastSeenAt: members.lastSeenAt,
  bannedAt: members.bannedAt,
  banReason: members.banReason,
  clicks: members.clicks,
  starts: members.starts,
  code: currentCode,
  wallet: walletAddress,
};

async function selectView(db: Db, where: SQL): Promise<MemberView | undefined> {
  const [row] = await db.select(viewColumns).from(members).where(where).limit(1);
  return row;
}

export function getMember(db: Db, id: number): Promise<MemberView | undefined> {
  return selectView(db, eq(members.id, id));
}

/** A hot path of Mini App requests: one prepared, indexed read (cached). */
export function getMemberByTelegramId(db: Db, telegramId: number): Promise<MemberView | undefined> {
  return cachedRead(
    db,
    `member:${telegramId}`,
    async () => {
      const query = prepared(db, "member_by_telegram_id", (d) =>
        d
          .select(viewColumns)
          .from(members)
          .where(eq(members.telegramId, sql.placeholder("telegramId")))
          .limit(1)
          .prepare("member_by_telegram_id"),
      );
      const [row] = await query.execute({ telegramId });
      return row;
    },
    (m) => (m ? [memberTag(m.id)] : []),
  );
}

/** {@link getMemberByTelegramId} plus the member's raw stats, in the same single statement. */
export function getMemberWithStats(
  db: Db,
  telegramId: number,
): Promise<{ member: MemberView; stats: RawMemberStats } | undefined> {
  return cachedRead(
    db,
    `member+stats:${telegramId}`,
    async () => {
      const query = prepared(db, "member_with_stats_by_telegram_id", (d) =>
        d
          .select({ ...viewColumns, ...rawStatsColumns })
          .from(members)
          .where(eq(members.telegramId, sql.placeholder("telegramId")))
          .limit(1)
          .prepare("member_with_stats_by_telegram_id"),
      );
      const [row] = await query.execute({ telegramId });
      if (!row) return undefined;
      const { counters, rewards, ...member } = row;
      return { member, stats: parseRawStats({ counters, rewards }) };
    },
    (found) => (found ? [memberTag(found.member.id), statsTag(found.member.id)] : []),
  );
}

export async function requireMember(db: Db, id: number): Promise<MemberView> {
  const m = await getMember(db, id);
  if (!m) throw new DomainError("member_not_found", `no member ${id}`, { memberId: id });
  return m;
}

/**
 * A Telegram-provided text field as stored: at most `max` UTF-16 units, U+0000 (which
 * PostgreSQL text cannot hold, and which a member cannot easily remove from their name)
 * replaced by U+FFFD like everywhere else (see `jsonRows`).
 */
const clip = (v: string | undefined, max: number) =>
  v === undefined ? null : v.slice(0, max).replaceAll("\u0000", "\uFFFD");

/** The stored profile fields for what Telegram says about a user. */
const profileFields = (user: TelegramUserInput) => ({
  username: clip(user.username, 64),
  firstName: clip(user.firstName, 128),
  lastName: clip(user.lastName, 128),
  languageCode: clip(user.languageCode, 16),
  isPremium: user.isPremium === true,
});

// Profile fields are refreshed at most this often, so an ordinary request never writes.
const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * Returns the member for a Telegram user, creating it (with a random code) on first
 * sight: {@link ensureMembers} of one. Changed profile fields are stored; otherwise this is
 * a single (cached) read.
 */
export async function ensureMember(
  ctx: Pick<DomainContext, "db" | "now">,
  user: TelegramUserInput,
  options: { withStats?: boolean } = {},
): Promise<{ member: MemberView; created: boolean; stats?: RawMemberStats }> {
  const [one] = await ensureMembers(ctx, [user], options);
  return one!;
}

type Found = { member: MemberView; stats?: RawMemberStats };

/** Members (and their raw stats) by Telegram id; one id goes through the cached prepared read. */
async function findMembers(
  db: Db,
  telegramIds: readonly number[],
  withStats: boolean,
): Promise<Map<number, Found>> {
  const found = new Map<number, Found>();
  if (telegramIds.length === 1) {
    const id = telegramIds[0]!;
    const one = withStats
      ? await getMemberWithStats(db, id)
      : await getMemberByTelegramId(db, id).then((member) => member && { member });
    if (one) found.set(id, one);
  } else if (telegramIds.length > 1) {
    const where = sql`${members.telegramId} = any(${bigintArray(telegramIds)})`;
    if (withStats) {
      const rows = await db
        .select({ ...viewColumns, ...rawStatsColumns })
        .from(members)
        .where(where);
      for (const { counters, rewards, ...member } of rows)
        found.set(member.telegramId, { member, stats: parseRawStats({ counters, rewards }) });
    } else {
      for (const member of await db.select(viewColumns).from(members).where(where))
        found.set(member.telegramId, { member });
    }
  }
  return found;
}

/**
 * The one way members come to be (the bot batches the updates it handles together; an API
 * request is a batch of one): one read for all of them, one transaction with two multi-row
 * inserts for the new ones (member and random code appear together), one update per member
 * whose profile changed. Results are in the order of `users`; a user listed twice is created
 * once (`created` on the first only). `withStats` reads each member's raw stats in the same
 * statement (a member created just now has none).
 */
export async function ensureMembers(
  ctx: Pick<DomainContext, "db" | "now">,
  users: readonly TelegramUserInput[],
  options: { withStats?: boolean } = {},
): Promise<Array<{ member: MemberView; created: boolean; stats?: RawMemberStats }>> {
  const now = ctx.now();
  const withStats = options.withStats === true;
  const ids = [...new Set(users.map((u) => u.id))];
  const found = await findMembers(ctx.db, ids, withStats);
  const fieldsOf = profileFields;

  // New members: one insert of all of them, one insert of their codes.
  const missing = new Map<number, TelegramUserInput>();
  for (const u of users) if (!found.has(u.id) && !missing.has(u.id)) missing.set(u.id, u);
  const created = new Set<number>();
  if (missing.size > 0) {
    // Raw multi-row statements with one jsonb parameter each (see jsonRows): this runs for
    // every batch of new members the bot greets; building Drizzle's per-field multi-row
    // inserts (these, the inbox's and the login tokens') took about a tenth of its CPU time.
    const at = sql`${now.toISOString()}::timestamptz`;
    await ctx.db.transaction(async (tx) => {
      const inserted = await queryRows<{ id: string; telegram_id: string }>(
        tx,
        sql`insert into members (telegram_id, username, first_name, last_name, language_code,
              is_premium, first_seen_at, last_seen_at)
            select x.telegram_id, x.username, x.first_name, x.last_name, x.language_code,
              x.is_premium, ${at}, ${at}
            from jsonb_to_recordset(${jsonRows(
              [...missing.values()].map((u) => {
                const f = fieldsOf(u);
                return {
                  telegram_id: u.id,
                  username: f.username,
                  first_name: f.firstName,
                  last_name: f.lastName,
                  language_code: f.languageCode,
                  is_premium: f.isPremium,
                };
              }),
            )}) as x(telegram_id bigint, username text, first_name text, last_name text,
              language_code text, is_premium boolean)
            on conflict (telegram_id) do nothing
            returning id::text, telegram_id::text`,
      );
      if (inserted.length === 0) return;
      const ids = inserted.map((m) => ({ id: Number(m.id), telegramId: Number(m.telegram_id) }));
      const coded = await queryRows<{ code: string; member_id: string }>(
        tx,
        sql`insert into referral_codes (code, member_id, kind, created_at)
            select x.code, x.member_id, 'random', ${at}
            from jsonb_to_recordset(${jsonRows(
              ids.map((m) => ({ code: generateCode(), member_id: m.id })),
            )}) as x(code text, member_id bigint)
            on conflict do nothing
            returning code, member_id::text`,
      );
      const codes = new Map(coded.map((c) => [Number(c.member_id), c.code]));
      for (const { id, telegramId } of ids) {
        // A code taken already (~49 bits: astronomically rare): draw again, one by one.
        const code = codes.get(id) ?? (await insertRandomCode(tx, id, now));
        created.add(telegramId);
        // The row as inserted: the fields given, the columns' defaults for the rest.
        const member: MemberView = {
          id,
          telegramId,
          ...fieldsOf(missing.get(telegramId)!),
          firstSeenAt: now,
          lastSeenAt: now,
          bannedAt: null,
          banReason: null,
          clicks: 0,
          starts: 0,
          code,
          wallet: null,
        };
        found.set(telegramId, {
          member,
          stats: withStats ? { counters: [], rewards: [] } : undefined,
        });
      }
    });
    // Created concurrently elsewhere (another process or request): read them.
    const racing = [...missing.keys()].filter((id) => !found.has(id));
    if (racing.length > 0)
      for (const [id, one] of await findMembers(ctx.db, racing, withStats)) found.set(id, one);
  }

  // Known members whose profile changed (or was last refreshed long ago): one update each.
  // Decided without awaiting anything: an API request (a known member, nothing changed) is
  // on the hot path of every Mini App call and goes straight on.
  const stale = new Map<number, { existing: MemberView; fields: ReturnType<typeof fieldsOf> }>();
  for (const u of users) {
    const existing = found.get(u.id)?.member;
    if (!existing || created.has(u.id) || stale.has(u.id)) continue;
    const fields = fieldsOf(u);
    const changed =
      existing.username !== fields.username ||
      existing.firstName !== fields.firstName ||
      existing.lastName !== fields.lastName ||
      existing.languageCode !== fields.languageCode ||
      existing.isPremium !== fields.isPremium;
    if (changed || now.getTime() - existing.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS)
      stale.set(u.id, { existing, fields });
  }
  if (stale.size > 0)
    await Promise.all(
      [...stale].map(async ([telegramId, { existing, fields }]) => {
        await ctx.db
          .update(members)
          .set({ ...fields, lastSeenAt: now })
          .where(eq(members.id, existing.id));
        invalidateReads(ctx.db, [memberTag(existing.id)]);
        found.set(telegramId, {
          ...found.get(telegramId),
          member: { ...existing, ...fields, lastSeenAt: now },
        });
      }),
    );

  const claimed = new Set<number>();
  return users.map((u) => {
    const one = found.get(u.id);
    if (!one) throw new Error("member vanished after insert");
    const first = created.has(u.id) && !claimed.has(u.id);
    claimed.add(u.id);
    return { member: one.member, created: first, stats: one.stats };
  });
}

async function insertRandomCode(tx: Db, memberId: number, now: Date): Promise<string> {
  // ~49 bits per code: a collision is astronomically rare, but never fatal.
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = generateCode();
    const [row] = await tx
      .insert(referralCodes)
      .values({ code, memberId, kind: "random", createdAt: now })
      .onConflictDoNothing()
      .returning({ code: referralCodes.code });
    if (row) return row.code;
  }
  throw new Error("could not allocate a referral code");
}

export interface ResolvedCode {
  code: string;
  memberId: number;
  banned: boolean;
  /** The owner's names as last seen (what an invitation names them by). */
  firstName: string | null;
  username: string | null;
}

/** Looks up a code (case-insensitive). `undefined` for malformed or unknown codes. */
export async function resolveCode(db: Db, input: string): Promise<ResolvedCode | undefined> {
  const code = normalizeCode(input);
  return code === null ? undefined : (await resolveCodes(db, [code])).get(code);
}

/**
 * {@link resolveCode} for many codes in one read (the bot's batched attributions). Keys are
 * the normalized codes; malformed and unknown codes are absent.
 */
export async function resolveCodes(
  db: Db,
  inputs: readonly string[],
): Promise<Map<string, ResolvedCode>> {
  const codes = [...new Set(inputs.map(normalizeCode).filter((c): c is string => c !== null))];
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({
      code: referralCodes.code,
      memberId: referralCodes.memberId,
      bannedAt: members.bannedAt,
      firstName: members.firstName,
      username: members.username,
    })
    .from(referralCodes)
    .innerJoin(members, eq(members.id, referralCodes.memberId))
    .where(inArray(referralCodes.code, codes));
  return new Map(
    rows.map((r) => [
      r.code,
      {
        code: r.code,
        memberId: r.memberId,
        banned: r.bannedAt !== null,
        firstName: r.firstName,
        username: r.username,
      },
    ]),
  );
}

/**
 * Assigns a vanity code. Old codes keep working. Codes span campaigns, so it is a
 * `member.moderate` action without a campaign: super-admins only.
 */
export async function setVanityCode(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  input: string,
  by: AdminPrincipal,
): Promise<string> {
  const code = input.trim().toLowerCase();
  const problem = vanityCodeProblem(code);
  if (problem !== null)
    throw new DomainError("invalid_code", `vanity code refused: ${problem}`, { code });
  await authorize(ctx, by, "member.moderate", null, { type: "member", id: memberId });
  const actor = by.actor;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockMember(tx, memberId);
    const [previous] = await tx
      .select({ code: currentCode })
      .from(members)
      .where(eq(members.id, memberId));
    const [row] = await tx
      .insert(referralCodes)
      .values({ code, memberId, kind: "vanity", createdAt: now })
      .onConflictDoNothing()
      .returning({ code: referralCodes.code });
    if (!row) {
      const [owner] = await tx
        .select({ memberId: referralCodes.memberId })
        .from(referralCodes)
        .where(eq(referralCodes.code, code));
      if (owner?.memberId === memberId) return code;
      throw new DomainError("code_taken", `code ${code} belongs to another member`, { code });
    }
    invalidateReads(tx, [memberTag(memberId)]);
    await writeAudit(tx, {
      actor,
      action: "code.vanity_assigned",
      subjectType: "member",
      subjectId: memberId,
      details: { code },
      before: { code: previous?.code ?? null },
      after: { code },
      at: now,
    });
    return code;
  });
}

async function lockMember(
  tx: Db,
  memberId: number,
): Promise<{ bannedAt: Date | null; banReason: string | null }> {
  const [m] = await tx
    .select({ id: members.id, bannedAt: members.bannedAt, banReason: members.banReason })
    .from(members)
    .where(eq(members.id, memberId))
    .for("update");
  if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
  return m;
}

/**
 * Bans a member: their codes stop attributing, their referrals stop paying, and grants
 * to them that have not been sent are rejected (amounts return to the budget). A ban holds
 * in every campaign: `member.moderate` without a campaign, super-admins only.
 */
export async function banMember(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  reason: string,
  by: AdminPrincipal,
): Promise<{ rejectedGrants: number }> {
  await authorize(ctx, by, "member.moderate", null, { type: "member", id: memberId });
  const actor = by.actor;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // First, as grants do: no grant or score of theirs is being written meanwhile.
    await lockGrantees(tx, [memberId]);
    const m = await lockMember(tx, memberId);
    if (m.bannedAt !== null) return { rejectedGrants: 0 };
    await tx
      .update(members)
      .set({ bannedAt: now, banReason: reason })
      .where(eq(members.id, memberId));
    invalidateReads(tx, [memberTag(memberId)]);
    const rejectedGrants = await rejectUnsentGrants(tx, memberId, now, `member banned: ${reason}`);
    // Off every leaderboard (after the budget rows the rejection locked).
    await setBanned(tx, memberId, true);
    await writeAudit(tx, {
      actor,
      action: "member.banned",
      subjectType: "member",
      subjectId: memberId,
      details: { reason, rejectedGrants },
      before: { bannedAt: null, banReason: null },
      after: { bannedAt: now.toISOString(), banReason: reason },
      at: now,
    });
    return { rejectedGrants };
  });
}

/** Lifts a ban (`member.moderate` without a campaign, like the ban). */
export async function unbanMember(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  reason: string,
  by: AdminPrincipal,
): Promise<void> {
  await authorize(ctx, by, "member.moderate", null, { type: "member", id: memberId });
  const actor = by.actor;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockGrantees(tx, [memberId]);
    const m = await lockMember(tx, memberId);
    if (m.bannedAt === null) return;
    await tx
      .update(members)
      .set({ bannedAt: null, banReason: null })
      .where(eq(members.id, memberId));
    invalidateReads(tx, [memberTag(memberId)]);
    // Back on the boards, except in campaigns where a referral of theirs is in review.
    await setBanned(tx, memberId, false);
    await writeAudit(tx, {
      actor,
      action: "member.unbanned",
      subjectType: "member",
      subjectId: memberId,
      details: { reason },
      before: { bannedAt: m.bannedAt.toISOString(), banReason: m.banReason },
      after: { bannedAt: null, banReason: null },
      at: now,
    });
  });
}

/** Admin look-up by member number, Telegram id, username or referral code. */
export async function findMember(
  db: Db,
  q: { id?: number; telegramId?: number; username?: string; code?: string },
): Promise<MemberView | undefined> {
  if (q.id !== undefined) return getMember(db, q.id);
  if (q.telegramId !== undefined) return getMemberByTelegramId(db, q.telegramId);
  if (q.username !== undefined) {
    return selectView(
      db,
      sql`lower(${members.username}) = ${q.username.replace(/^@/, "").toLowerCase()}`,
    );
  }
  if (q.code !== undefined) {
    const resolved = await resolveCode(db, q.code);
    return resolved ? getMember(db, resolved.memberId) : undefined;
  }
  return undefined;
}

/** All codes of a member, newest first. */
export async function memberCodes(
  db: Db,
  memberId: number,
): Promise<Array<{ code: string; kind: string; createdAt: Date }>> {
  return db
    .select({
      code: referralCodes.code,
      kind: referralCodes.kind,
      createdAt: referralCodes.createdAt,
    })
    .from(referralCodes)
    .where(and(eq(referralCodes.memberId, memberId)))
    .orderBy(desc(referralCodes.createdAt));
}
