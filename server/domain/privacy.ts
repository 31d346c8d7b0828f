/**
 * A member's personal data: export (everything the service keeps about them, as JSON) and
 * deletion. {@link MEMBER_TABLES} says, for every table that names a member, what the export
 * and the deletion do with it; test/server/http/memberData.test.ts enumerates the database's
 * columns that reference members and fails on a table missing there, so a new member-linked
 * table cannot slip past either.
 *
 * Deletion erases or pseudonymises what identifies the person — names, username, language, the
 * Telegram id (replaced by a negative placeholder no Telegram user can have), their links'
 * clicks, the IP and device hashes of their referral, their wallet link history, declarations,
 * settings, web sessions, chat memberships, check-ins, survey answers and roles (every table
 * MEMBER_TABLES marks `erase`) — and keeps what the books need under the member number:
 * referrals, ledger entries, payouts, reported partner and host actions. What went on-chain
 * (payouts to their wallet, releases, claims) is on a public chain that nobody can change;
 * their current wallet link stays so owed payouts still reach the address that is already
 * public there. A deleted member is never messaged again (the notification queue and
 * broadcasts skip them).
 */
import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { type Db, invalidateReads, queryRows, transaction } from "../db/index.ts";
import { botMemberSettings } from "../db/schema/bot.ts";
import { memberDeclarations, memberExclusions, termsAcceptances } from "../db/schema/compliance.ts";
import {
  challengeCompletions,
  clicks,
  ledgerEntries,
  members,
  memberWallets,
  notifications,
  referralCodes,
  referrals,
  walletEvents,
} from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { memberTag, statsTag } from "./readTags.ts";

/** What the deletion does with a member-linked table's rows. */
export type MemberRowsOnDeletion =
  /** Deleted (counted under `erasedAs` in the report). */
  | "erase"
  /** Kept under the member number, which names nobody once the member is erased (`why`). */
  | "keep"
  /** Changed in place by {@link deleteMemberData} itself (`why` says how). */
  | "pseudonymise";

export interface MemberTable {
  /** The columns that name the member. */
  columns: readonly string[];
  /** The export's key that carries the rows; null: not exported, and `why` says why. */
  export: string | null;
  deletion: MemberRowsOnDeletion;
  /** The deletion report's key for erased rows (several tables may share one). */
  erasedAs?: string;
  why?: string;
}

const ON_CHAIN = "on a public chain: cannot be erased";

/**
 * Every table naming a member (all but `members` itself), with what export and deletion do.
 * Erased tables are deleted by {@link deleteMemberData} from this list.
 */
export const MEMBER_TABLES: Readonly<Record<string, MemberTable>> = {
  referral_codes: {
    columns: ["member_id"],
    export: "codes",
    deletion: "keep",
    why: "links already shared carry the code, and attributions name it",
  },
  clicks: { columns: ["member_id"], export: "clicks", deletion: "erase", erasedAs: "clicks" },
  starts: {
    columns: ["referrer_id", "starter_id"],
    export: "starts",
    deletion: "keep",
    why: "the attribution funnel: member numbers, code and outcome only",
  },
  referrals: {
    columns: ["referrer_id", "referee_id"],
    export: "referred",
    deletion: "pseudonymise",
    why: "the IP and device hashes are cleared; who referred whom stays (the rewards' reason)",
  },
  referral_counters: {
    columns: ["member_id"],
    export: null,
    deletion: "keep",
    why: "counts of the referrals the export lists",
  },
  member_wallets: {
    columns: ["member_id"],
    export: "wallet",
    deletion: "keep",
    why: "owed payouts still go to the address already public on-chain",
  },
  wallet_events: {
    columns: ["member_id"],
    export: "walletHistory",
    deletion: "erase",
    erasedAs: "walletHistory",
  },
  siwe_nonces: {
    columns: ["member_id"],
    export: null,
    deletion: "erase",
    erasedAs: "signInNonces",
    why: "single-use sign-in challenges valid for minutes",
  },
  ledger_entries: {
    columns: ["member_id", "referee_id"],
    export: "rewards",
    deletion: "keep",
    why: "the books: rewards owed or paid",
  },
  ledger_postings: {
    columns: ["member_id"],
    export: null,
    deletion: "keep",
    why: "the double-entry postings of the rewards the export lists",
  },
  campaign_roles: { columns: ["member_id"], export: "roles", deletion: "erase", erasedAs: "roles" },
  partner_events: {
    columns: ["member_id"],
    export: "partnerEvents",
    deletion: "keep",
    why: "an event id a partner reported stays answered, so a replay cannot qualify twice",
  },
  challenge_completions: {
    columns: ["member_id"],
    export: "challenges",
    deletion: "keep",
    why: "rewards were granted for them",
  },
  notifications: {
    columns: ["member_id"],
    export: "notifications",
    deletion: "pseudonymise",
    why: "pending ones are skipped (never sent); sent ones hold amounts and ids only",
  },
  bot_member_settings: {
    columns: ["member_id"],
    export: "member",
    deletion: "erase",
    erasedAs: "botSettings",
  },
  bot_notification_settings: {
    columns: ["member_id"],
    export: "notificationSettings",
    deletion: "erase",
    erasedAs: "botSettings",
  },
  bot_broadcasts: {
    columns: ["created_by"],
    export: "broadcasts",
    deletion: "keep",
    why: "what went out to members, as the operator's record",
  },
  chain_claims: { columns: ["member_id"], export: "claims", deletion: "keep", why: ON_CHAIN },
  chain_releases: { columns: ["member_id"], export: "releases", deletion: "keep", why: ON_CHAIN },
  chain_perk_orders: {
    columns: ["member_id"],
    export: "perkOrders",
    deletion: "keep",
    why: ON_CHAIN,
  },
  chain_coupons: {
    columns: ["member_id"],
    export: "coupons",
    deletion: "keep",
    why: "bought on-chain; a partner may still accept the coupon",
  },
  chain_epoch_leaves: {
    columns: ["member_id"],
    export: "epochLeaves",
    deletion: "keep",
    why: "in the published reward files and the on-chain Merkle roots",
  },
  chat_memberships: {
    columns: ["member_id"],
    export: "chatMemberships",
    deletion: "erase",
    erasedAs: "chatMemberships",
  },
  chat_invite_links: {
    columns: ["member_id"],
    export: "chatInviteLinks",
    deletion: "erase",
    erasedAs: "chatInviteLinks",
  },
  checkins: { columns: ["member_id"], export: "checkins", deletion: "erase", erasedAs: "checkins" },
  achievements: {
    columns: ["member_id"],
    export: "achievements",
    deletion: "keep",
    why: "badges minted for them are on-chain",
  },
  survey_deliveries: {
    columns: ["member_id"],
    export: null,
    deletion: "erase",
    erasedAs: "surveys",
    why: "which poll message went to the member's chat; the answers are exported",
  },
  survey_answers: {
    columns: ["member_id"],
    export: "surveyAnswers",
    deletion: "erase",
    erasedAs: "surveys",
  },
  terms_acceptances: {
    columns: ["member_id"],
    export: "terms",
    deletion: "keep",
    why: "the operator's record of what was accepted and when",
  },
  member_declarations: {
    columns: ["member_id"],
    export: "declarations",
    deletion: "erase",
    erasedAs: "declarations",
  },
  member_exclusions: {
    columns: ["member_id"],
    export: "exclusions",
    deletion: "keep",
    why: "the operator's decision and its reason",
  },
  host_events: {
    columns: ["member_id"],
    export: "hostEvents",
    deletion: "keep",
    why: "an event id a host bot reported stays answered, so a replay cannot qualify twice",
  },
  leaderboard_scores: {
    columns: ["member_id"],
    export: "leaderboards",
    deletion: "keep",
    why: "computed from the referrals; shown under a pseudonym once the name is erased",
  },
  leaderboard_holds: {
    columns: ["member_id"],
    export: null,
    deletion: "keep",
    why: "a count of the member's referrals under review",
  },
  leaderboard_settings: {
    columns: ["member_id"],
    export: "leaderboardSettings",
    deletion: "erase",
    erasedAs: "leaderboardSettings",
  },
  campaign_pilot_members: {
    columns: ["member_id"],
    export: "pilots",
    deletion: "keep",
    why: "analytics tell a pilot's members from later ones",
  },
  badge_awards: { columns: ["member_id"], export: "badges", deletion: "keep", why: ON_CHAIN },
  web_login_tokens: {
    columns: ["member_id"],
    export: null,
    deletion: "erase",
    erasedAs: "webSessions",
    why: "hashes of single-use login links",
  },
  web_sessions: {
    columns: ["member_id"],
    export: null,
    deletion: "erase",
    erasedAs: "webSessions",
    why: "hashes of session cookies",
  },
  analytics_deltas: {
    columns: ["member_id", "other_id"],
    export: null,
    deletion: "keep",
    why: "counter increments the analytics fold consumes within seconds",
  },
  analytics_members: {
    columns: ["member_id"],
    export: null,
    deletion: "keep",
    why: "analytics aggregates computed from the referrals and activity days the export lists",
  },
  member_activity_days: {
    columns: ["member_id"],
    export: "activityDays",
    deletion: "keep",
    why: "dates only; the analytics' retention figures are computed from them",
  },
};

/** Rows as JSON values: timestamps as ISO strings, 64-bit integers as decimal strings. */
async function rowsOf(db: Db, query: SQL): Promise<Array<Record<string, unknown>>> {
  const rows = await queryRows<Record<string, unknown>>(db, query);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v,
      ]),
    ),
  );
}

/** The format of the export, so readers can tell later versions apart. */
export const EXPORT_FORMAT = "refmint.member-export.v1";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Everything kept about the member (amounts as decimal strings of the token's smallest unit). */
export async function exportMemberData(ctx: Pick<DomainContext, "db" | "now">, memberId: number) {
  const db = ctx.db;
  const [m] = await db.select().from(members).where(eq(members.id, memberId));
  if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
  if (m.deletedAt) throw new DomainError("member_deleted", "the member's data was deleted");
  const [settings] = await db
    .select({ language: botMemberSettings.language })
    .from(botMemberSettings)
    .where(eq(botMemberSettings.memberId, memberId));
  const [declared] = await db
    .select()
    .from(memberDeclarations)
    .where(eq(memberDeclarations.memberId, memberId));
  const [wallet] = await db
    .select()
    .from(memberWallets)
    .where(eq(memberWallets.memberId, memberId));
  const referralRows = await db
    .select()
    .from(referrals)
    .where(or(eq(referrals.refereeId, memberId), eq(referrals.referrerId, memberId)))
    .orderBy(asc(referrals.id));
  return {
    format: EXPORT_FORMAT,
    exportedAt: ctx.now().toISOString(),
    member: {
      memberNumber: m.id,
      telegramId: m.telegramId,
      username: m.username,
      firstName: m.firstName,
      lastName: m.lastName,
      languageCode: m.languageCode,
      botLanguage: settings?.language ?? null,
      isPremium: m.isPremium,
      firstSeenAt: iso(m.firstSeenAt),
      lastSeenAt: iso(m.lastSeenAt),
      bannedAt: iso(m.bannedAt),
      banReason: m.banReason,
    },
    declarations: {
      country: declared?.country ?? null,
      ageConfirmed: declared?.ageConfirmed ?? null,
    },
    codes: (
      await db
        .select({ code: referralCodes.code, kind: referralCodes.kind, at: referralCodes.createdAt })
        .from(referralCodes)
        .where(eq(referralCodes.memberId, memberId))
        .orderBy(asc(referralCodes.createdAt))
    ).map((c) => ({ code: c.code, kind: c.kind, createdAt: iso(c.at) })),
    clicks: (
      await db
        .select({ code: clicks.code, day: clicks.day })
        .from(clicks)
        .where(eq(clicks.memberId, memberId))
        .orderBy(asc(clicks.id))
    ).map((c) => ({ code: c.code, day: c.day })),
    referredBy:
      referralRows
        .filter((r) => r.refereeId === memberId)
        .map((r) => ({
          campaignId: r.campaignId,
          referrerMemberNumber: r.referrerId,
          code: r.code,
          source: r.source,
          status: r.status,
          attributedAt: iso(r.attributedAt),
          qualifiedAt: iso(r.qualifiedAt),
          ipHash: r.ipHash,
          deviceHash: r.deviceHash,
        }))[0] ?? null,
    referred: referralRows
      .filter((r) => r.referrerId === memberId)
      .map((r) => ({
        campaignId: r.campaignId,
        refereeMemberNumber: r.refereeId,
        status: r.status,
        attributedAt: iso(r.attributedAt),
      })),
    wallet: wallet
      ? { address: wallet.address, chainId: wallet.chainId, linkedAt: iso(wallet.linkedAt) }
      : null,
    walletHistory: (
      await db
        .select()
        .from(walletEvents)
        .where(eq(walletEvents.memberId, memberId))
        .orderBy(asc(walletEvents.id))
    ).map((w) => ({
      action: w.action,
      address: w.address,
      previousAddress: w.previousAddress,
      at: iso(w.createdAt),
    })),
    rewards: (
      await db
        .select()
        .from(ledgerEntries)
        .where(eq(ledgerEntries.memberId, memberId))
        .orderBy(asc(ledgerEntries.id))
    ).map((e) => ({
      id: e.id,
      campaignId: e.campaignId,
      token: e.token,
      amount: e.amount.toString(),
      kind: e.kind,
      level: e.level,
      state: e.state,
      createdAt: iso(e.createdAt),
      txHash: e.txHash,
    })),
    challenges: (
      await db
        .select()
        .from(challengeCompletions)
        .where(eq(challengeCompletions.memberId, memberId))
    ).map((c) => ({
      campaignId: c.campaignId,
      challengeId: c.challengeId,
      completedAt: iso(c.completedAt),
    })),
    terms: (
      await db
        .select()
        .from(termsAcceptances)
        .where(eq(termsAcceptances.memberId, memberId))
        .orderBy(asc(termsAcceptances.acceptedAt))
    ).map((t) => ({ campaignId: t.campaignId, version: t.version, acceptedAt: iso(t.acceptedAt) })),
    exclusions: (
      await db.select().from(memberExclusions).where(eq(memberExclusions.memberId, memberId))
    ).map((x) => ({ campaignId: x.campaignId, reason: x.reason, at: iso(x.createdAt) })),
    starts: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", code, source, outcome, created_at as "at"
          from starts where starter_id = ${memberId} order by id`,
    ),
    roles: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", role, granted_by as "grantedBy", granted_at as "grantedAt"
          from campaign_roles where member_id = ${memberId} order by campaign_id, role`,
    ),
    partnerEvents: await rowsOf(
      db,
      sql`select partner, event_id as "eventId", type, result, created_at as "createdAt"
          from partner_events where member_id = ${memberId} order by id`,
    ),
    hostEvents: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", event_id as "eventId", type, result,
            created_at as "createdAt"
          from host_events where member_id = ${memberId} order by id`,
    ),
    notificationSettings:
      (
        await rowsOf(
          db,
          sql`select muted, quiet_from as "quietFrom", quiet_to as "quietTo", time_zone as "timeZone"
              from bot_notification_settings where member_id = ${memberId}`,
        )
      )[0] ?? null,
    broadcasts: await rowsOf(
      db,
      sql`select id::float8 as id, campaign_id as "campaignId", status, texts,
            created_at as "createdAt"
          from bot_broadcasts where created_by = ${memberId} order by id`,
    ),
    claims: await rowsOf(
      db,
      sql`select distributor, account, amount::text as amount, tx_hash as "txHash"
          from chain_claims where member_id = ${memberId} order by block_number, log_index`,
    ),
    releases: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", token, wallet, amount::text as amount, status,
            tx_hash as "txHash", released_at as "releasedAt"
          from chain_releases where member_id = ${memberId} order by id`,
    ),
    perkOrders: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", perk_id as "perkId", quantity,
            max_cost::text as "maxCost", order_ref as "orderRef", status, tx_hash as "txHash",
            created_at as "createdAt"
          from chain_perk_orders where member_id = ${memberId} order by id`,
    ),
    coupons: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", perk, quantity, code, status, tx_hash as "txHash",
            expires_at as "expiresAt", used_at as "usedAt", created_at as "createdAt"
          from chain_coupons where member_id = ${memberId} order by id`,
    ),
    epochLeaves: await rowsOf(
      db,
      sql`select e.campaign_id as "campaignId", e.token, e.epoch, l.account,
            l.cumulative_amount::text as "cumulativeAmount", l.deadline::float8 as deadline,
            l.released
          from chain_epoch_leaves l join chain_epochs e on e.id = l.epoch_id
          where l.member_id = ${memberId} order by l.epoch_id`,
    ),
    chatMemberships: await rowsOf(
      db,
      sql`select chat_id::float8 as "chatId", status, joined_at as "joinedAt", left_at as "leftAt"
          from chat_memberships where member_id = ${memberId} order by chat_id`,
    ),
    chatInviteLinks: await rowsOf(
      db,
      sql`select chat_id::float8 as "chatId", link, created_at as "createdAt"
          from chat_invite_links where member_id = ${memberId} order by chat_id`,
    ),
    checkins: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", day, streak
          from checkins where member_id = ${memberId} order by day, campaign_id`,
    ),
    achievements: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", kind, at
          from achievements where member_id = ${memberId} order by id`,
    ),
    surveyAnswers: await rowsOf(
      db,
      sql`select survey_id::float8 as "surveyId", question, choices, text,
            answered_at as "answeredAt", changed_at as "changedAt"
          from survey_answers where member_id = ${memberId} order by survey_id, question`,
    ),
    leaderboards: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", board, period, score::float8 as score,
            reached_at as "reachedAt"
          from leaderboard_scores where member_id = ${memberId}
          order by campaign_id, board, period`,
    ),
    leaderboardSettings:
      (
        await rowsOf(
          db,
          sql`select show_name as "showName" from leaderboard_settings where member_id = ${memberId}`,
        )
      )[0] ?? null,
    pilots: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", reason, joined_at as "joinedAt"
          from campaign_pilot_members where member_id = ${memberId} order by campaign_id`,
    ),
    badges: await rowsOf(
      db,
      sql`select campaign_id as "campaignId", badge_id as "badgeId", reason, status, account,
            tx_hash as "txHash", created_at as "createdAt"
          from badge_awards where member_id = ${memberId} order by id`,
    ),
    activityDays: (
      await rowsOf(
        db,
        sql`select day::text as day from member_activity_days where member_id = ${memberId}
            order by day`,
      )
    ).map((r) => String(r.day)),
    notifications: (
      await db
        .select({
          kind: notifications.kind,
          status: notifications.status,
          at: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.memberId, memberId))
        .orderBy(desc(notifications.id))
        .limit(1000)
    ).map((n) => ({ kind: n.kind, status: n.status, createdAt: iso(n.at) })),
  };
}

export type MemberExport = Awaited<ReturnType<typeof exportMemberData>>;

export interface DeletionReport {
  memberNumber: number;
  /** What was erased, by table, for the reply and the audit row. */
  erased: Record<string, number>;
  /** Ledger entries kept under the member number (amounts owed or paid). */
  ledgerEntriesKept: number;
  /** Entries whose payout is on-chain: public facts that cannot be erased. */
  onChainEntries: number;
  walletKept: boolean;
}

/**
 * Deletes the member's personal data (see the file comment). `confirm` must be true: the
 * transports ask first. Deleting twice is refused with `member_deleted`.
 */
export async function deleteMemberData(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  confirm: boolean,
): Promise<DeletionReport> {
  if (!confirm) throw new DomainError("deletion_not_confirmed", "deletion must be confirmed");
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [m] = await tx
      .select({ id: members.id, deletedAt: members.deletedAt })
      .from(members)
      .where(eq(members.id, memberId))
      .for("update");
    if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
    if (m.deletedAt) throw new DomainError("member_deleted", "the member's data was deleted");
    const count = async (p: Promise<unknown[]>) => (await p).length;
    const erased: Record<string, number> = {};
    // Every table MEMBER_TABLES marks `erase`, whole rows.
    for (const [table, t] of Object.entries(MEMBER_TABLES)) {
      if (t.deletion !== "erase") continue;
      const where = sql.join(
        t.columns.map((c) => sql`${sql.identifier(c)} = ${memberId}`),
        sql` or `,
      );
      const rows = await queryRows<{ n: number }>(
        tx,
        sql`with d as (delete from ${sql.identifier(table)} where ${where} returning 1)
            select count(*)::int as n from d`,
      );
      const key = t.erasedAs ?? table;
      erased[key] = (erased[key] ?? 0) + Number(rows[0]?.n ?? 0);
    }
    erased.referralHashes = await count(
      tx
        .update(referrals)
        .set({ ipHash: null, deviceHash: null })
        .where(
          and(
            eq(referrals.refereeId, memberId),
            sql`(${referrals.ipHash} is not null or ${referrals.deviceHash} is not null)`,
          ),
        )
        .returning({ id: referrals.id }),
    );
    erased.pendingNotifications = await count(
      tx
        .update(notifications)
        .set({ status: "skipped", lastError: "member deleted" })
        .where(and(eq(notifications.memberId, memberId), eq(notifications.status, "pending")))
        .returning({ id: notifications.id }),
    );
    await tx
      .update(members)
      .set({
        // Telegram ids are positive: a negative one names nobody and keeps the column unique.
        telegramId: -memberId,
        username: null,
        firstName: null,
        lastName: null,
        languageCode: null,
        isPremium: false,
        deletedAt: now,
      })
      .where(eq(members.id, memberId));
    const entries = await tx
      .select({ state: ledgerEntries.state, txHash: ledgerEntries.txHash })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, memberId));
    const [wallet] = await tx
      .select({ id: memberWallets.memberId })
      .from(memberWallets)
      .where(eq(memberWallets.memberId, memberId));
    const report: DeletionReport = {
      memberNumber: memberId,
      erased,
      ledgerEntriesKept: entries.length,
      onChainEntries: entries.filter((e) => e.txHash !== null).length,
      walletKept: wallet !== undefined,
    };
    await writeAudit(tx, {
      actor: `member:${memberId}`,
      action: "member.deleted",
      subjectType: "member",
      subjectId: memberId,
      before: { deleted: false },
      after: { deleted: true },
      details: { ...report },
      at: now,
    });
    invalidateReads(tx, [memberTag(memberId), statsTag(memberId)]);
    return report;
  });
}

/** Whether these members asked for deletion (senders skip them). */
export async function deletedAmong(
  ctx: Pick<DomainContext, "db">,
  memberIds: readonly number[],
): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: members.id })
    .from(members)
    .where(and(inArray(members.id, [...memberIds]), sql`${members.deletedAt} is not null`));
  return new Set(rows.map((r) => r.id));
}
