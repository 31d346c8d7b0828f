/**
 * Member statistics for the profile: clicks, starts, referrals per level and status,
 * tier and progress, rewards per token and state. Counters are maintained on write, so
 * this is one small query however large the member's tree is.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { cachedRead, type Db, prepared, queryRows } from "../db/index.ts";
import {
  campaigns,
  type EntryState,
  ledgerEntries,
  members,
  type ReferralStatus,
  referralCounters,
  referrals,
} from "../db/schema.ts";
import { type CompiledTier, isCampaignActive } from "./campaign.ts";
import { statsTag } from "./readTags.ts";
import type { Campaign, CampaignRegistry } from "./registry.ts";
import { nextTier, tierFor } from "./rules.ts";

export interface LevelStats {
  level: number;
  pending: number;
  review: number;
  qualified: number;
  rejected: number;
}

export interface TokenRewards {
  token: string;
  /** Wei per entry state. */
  byState: Partial<Record<EntryState, bigint>>;
  /** Everything granted and not expired or rejected. */
  earned: bigint;
}

export interface MemberStats {
  levels: LevelStats[];
  tier: {
    current: CompiledTier;
    next: CompiledTier | null;
    qualified: number;
    toNext: number | null;
  };
  rewards: TokenRewards[];
}

/** Counters and reward sums as stored: what {@link computeStats} turns into {@link MemberStats}. */
export interface RawMemberStats {
  /** `[campaignId, level, status, count]` with count > 0 (each campaign has its own tree). */
  counters: Array<[number, number, ReferralStatus, number]>;
  /** `[campaignId, token, state, wei]` sums over all the member's entries. */
  rewards: Array<[number, string, EntryState, string]>;
}

/**
 * SQL columns yielding {@link RawMemberStats} for the `members` row in scope (JSON text).
 * The outer row is named explicitly: Drizzle renders columns of a single-table select
 * unqualified, which inside these subqueries would bind to the inner table.
 */
export const rawStatsColumns = {
  counters: sql<string>`(select coalesce(json_agg(json_build_array(c.campaign_id, c.level, c.status, c.count)), '[]'::json)::text
    from ${referralCounters} c where c.member_id = "members"."id" and c.count > 0)`,
  rewards: sql<string>`(select coalesce(json_agg(json_build_array(t.campaign_id, t.token, t.state, t.amount::text)), '[]'::json)::text
    from (select e.campaign_id, e.token, e.state, sum(e.amount) as amount from ${ledgerEntries} e
          where e.member_id = "members"."id" group by e.campaign_id, e.token, e.state) t)`,
};

export function parseRawStats(row: { counters: string; rewards: string }): RawMemberStats {
  return { counters: JSON.parse(row.counters), rewards: JSON.parse(row.rewards) };
}

/** One prepared statement (cached; see readTags.ts). */
export async function loadRawStats(db: Db, memberId: number): Promise<RawMemberStats> {
  return cachedRead(
    db,
    `stats:${memberId}`,
    async () => {
      const query = prepared(db, "member_stats", (d) =>
        d
          .select(rawStatsColumns)
          .from(members)
          .where(eq(members.id, sql.placeholder("memberId")))
          .prepare("member_stats"),
      );
      const [row] = await query.execute({ memberId });
      return row ? parseRawStats(row) : { counters: [], rewards: [] };
    },
    () => [statsTag(memberId)],
  );
}

/** Stats of a member in a campaign from raw counters and sums (pure). */
export function computeStats(campaign: Campaign, raw: RawMemberStats): MemberStats {
  const counters = raw.counters.filter(([campaignId]) => campaignId === campaign.id);
  const levelCount = Math.max(campaign.rules.levels.length, ...counters.map(([, l]) => l), 0);
  const levels: LevelStats[] = Array.from({ length: levelCount }, (_, i) => ({
    level: i + 1,
    pending: 0,
    review: 0,
    qualified: 0,
    rejected: 0,
  }));
  for (const [, level, status, count] of counters) {
    const l = levels[level - 1];
    if (l) l[status] = count;
  }
  const qualified = levels[0]?.qualified ?? 0;
  const current = tierFor(campaign.rules.tiers, qualified);
  const next = nextTier(campaign.rules.tiers, qualified) ?? null;

  const byToken = new Map<string, TokenRewards>();
  for (const [campaignId, token, state, amount] of raw.rewards) {
    if (campaignId !== campaign.id) continue;
    const t = byToken.get(token) ?? { token, byState: {}, earned: 0n };
    t.byState[state] = BigInt(amount);
    if (state !== "expired" && state !== "rejected") t.earned += BigInt(amount);
    byToken.set(token, t);
  }
  return {
    levels,
    tier: { current, next, qualified, toNext: next ? next.minQualified - qualified : null },
    rewards: [...byToken.values()].sort((a, b) => a.token.localeCompare(b.token)),
  };
}

/**
 * `part` as a whole percentage of `whole`, or `null` when there is nothing to divide by
 * (never NaN, Infinity or a made-up 0 %). Capped at 100: starts can outnumber clicks,
 * since a t.me link shared directly reaches the bot without passing the counted redirect.
 */
export function conversionPercent(part: number, whole: number): number | null {
  if (!(whole > 0) || !Number.isFinite(part)) return null;
  return Math.min(100, Math.round((Math.max(0, part) / whole) * 100));
}

/** The member's funnel: link clicks → bot starts → qualified (level 1) referrals. */
export interface Funnel {
  clicks: number;
  starts: number;
  qualified: number;
  /** Starts per click, percent; null without clicks. */
  startRate: number | null;
  /** Qualified referrals per start, percent; null without starts. */
  qualifyRate: number | null;
}

export function funnel(clicks: number, starts: number, qualified: number): Funnel {
  return {
    clicks,
    starts,
    qualified,
    startRate: conversionPercent(starts, clicks),
    qualifyRate: conversionPercent(qualified, starts),
  };
}

/** Stats of a member in a campaign. */
export async function memberStats(
  db: Db,
  campaign: Campaign,
  memberId: number,
): Promise<MemberStats> {
  return computeStats(campaign, await loadRawStats(db, memberId));
}

export interface ReferralListItem {
  id: number;
  refereeId: number;
  firstName: string | null;
  status: ReferralStatus;
  source: string;
  attributedAt: Date;
  qualifiedAt: Date | null;
}

/** The member's direct referrals (in one campaign when given), newest first, paged by id. */
export async function listReferrals(
  db: Db,
  memberId: number,
  q: { limit: number; before?: number; campaignId?: number },
): Promise<ReferralListItem[]> {
  return db
    .select({
      id: referrals.id,
      refereeId: referrals.refereeId,
      firstName: members.firstName,
      status: referrals.status,
      source: referrals.source,
      attributedAt: referrals.attributedAt,
      qualifiedAt: referrals.qualifiedAt,
    })
    .from(referrals)
    .innerJoin(members, eq(members.id, referrals.refereeId))
    .where(
      and(
        eq(referrals.referrerId, memberId),
        q.campaignId !== undefined ? eq(referrals.campaignId, q.campaignId) : undefined,
        q.before !== undefined ? lt(referrals.id, q.before) : undefined,
      ),
    )
    .orderBy(desc(referrals.id))
    .limit(q.limit);
}

export interface RewardListItem {
  id: number;
  campaign: string;
  token: string;
  amount: bigint;
  kind: string;
  level: number | null;
  state: EntryState;
  createdAt: Date;
  queuedAt: Date | null;
  sentAt: Date | null;
  settledAt: Date | null;
  expiresAt: Date | null;
  txHash: string | null;
  blockNumber: bigint | null;
}

/** The member's ledger entries (rewards; in one campaign when given), newest first, paged by id. */
export async function listRewards(
  db: Db,
  memberId: number,
  q: { limit: number; before?: number; campaignId?: number },
): Promise<RewardListItem[]> {
  return db
    .select({
      id: ledgerEntries.id,
      campaign: campaigns.slug,
      token: ledgerEntries.token,
      amount: ledgerEntries.amount,
      kind: ledgerEntries.kind,
      level: ledgerEntries.level,
      state: ledgerEntries.state,
      createdAt: ledgerEntries.createdAt,
      queuedAt: ledgerEntries.queuedAt,
      sentAt: ledgerEntries.sentAt,
      settledAt: ledgerEntries.settledAt,
      expiresAt: ledgerEntries.expiresAt,
      txHash: ledgerEntries.txHash,
      blockNumber: ledgerEntries.blockNumber,
    })
    .from(ledgerEntries)
    .innerJoin(campaigns, eq(campaigns.id, ledgerEntries.campaignId))
    .where(
      and(
        eq(ledgerEntries.memberId, memberId),
        q.campaignId !== undefined ? eq(ledgerEntries.campaignId, q.campaignId) : undefined,
        q.before !== undefined ? lt(ledgerEntries.id, q.before) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(q.limit);
}

/**
 * The campaigns a member takes part in: referred in, referring in, or rewarded in (ids,
 * ascending). The bot's `/campaigns` and the dashboard's switcher list these.
 */
export async function memberCampaignIds(db: Db, memberId: number): Promise<number[]> {
  // Read on every profile request: cached like the stats, under the stats' tag, which every
  // change to it drops (a grant, the referrer's counters, the referee's own attribution).
  return cachedRead(
    db,
    `campaigns:${memberId}`,
    async () => {
      const rows = await queryRows<{ id: number }>(
        db,
        sql`select campaign_id as id from referrals where referee_id = ${memberId}
          union select campaign_id from referrals where referrer_id = ${memberId}
          union select campaign_id from ledger_entries where member_id = ${memberId}
          order by 1`,
      );
      return rows.map((r) => Number(r.id));
    },
    () => [statsTag(memberId)],
  );
}

/**
 * The campaigns to show a member, the current one first, then by id: those they take part in
 * ({@link memberCampaignIds}) and those running now (their one code works in each). A single
 * campaign means screens and commands need not say which one they are about.
 */
export async function memberCampaigns(
  ctx: { db: Db; campaigns: CampaignRegistry; now(): Date },
  memberId: number,
): Promise<Campaign[]> {
  const now = ctx.now();
  const ids = new Set(await memberCampaignIds(ctx.db, memberId));
  const current = ctx.campaigns.current(now);
  const shown = ctx.campaigns
    .all()
    .filter((c) => ids.has(c.id) || isCampaignActive(c.rules, now) || c === current)
    .sort((a, b) => a.id - b.id);
  return current && shown.includes(current)
    ? [current, ...shown.filter((c) => c !== current)]
    : shown;
}
