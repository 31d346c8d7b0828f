/**
 * The analytics rollups (part of the one schema, see ../schema.ts; docs/ANALYTICS.md).
 *
 * How they stay current: triggers on the source tables (migration `analytics_triggers`) append
 * to `analytics_deltas`, in the transaction of the domain event, what that event adds to or
 * takes from the figures (a row's contribution after the change minus before it), so any write
 * path (domain functions, the indexer, a deletion) is counted without the domain calling us.
 * The fold (server/domain/analytics/rollups.ts) consumes the deltas in batches, deleting what it
 * folds in the same transaction as it adds it to the rollups below: each delta counts once.
 * Appending is contention-free (no hot row locked by every qualification of a campaign); the
 * folding is one writer at a time. Reading the Overview reads rollup rows only.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";
import { ts, wei } from "../columns.ts";

/** What one write added (`n` +1) or took back (`n` -1); consumed and deleted by the fold. */
export const analyticsDeltas = pgTable("analytics_deltas", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  /** click, start, attributed, review, qualified, earned, paid, expired, gas, claimed, redeemed, active */
  kind: text("kind").notNull(),
  n: smallint("n").notNull(),
  campaignId: integer("campaign_id"),
  /** The member it counts for: the referrer (code owner), the active member, … */
  memberId: bigint("member_id", { mode: "number" }),
  /** The other member: the referee of an attribution. */
  otherId: bigint("other_id", { mode: "number" }),
  code: text("code"),
  variant: text("variant"),
  token: text("token"),
  /** Wei (tokens, gas). */
  amount: wei("amount"),
  /** Seconds from attribution to qualification; whether a paid amount went into escrow (1). */
  seconds: bigint("seconds", { mode: "number" }),
  day: date("day", { mode: "string" }).notNull(),
});

/** Per campaign and UTC day: the funnel and the costs. */
export const analyticsDaily = pgTable(
  "analytics_daily",
  {
    campaignId: integer("campaign_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
    starts: bigint("starts", { mode: "number" }).notNull().default(0),
    attributed: bigint("attributed", { mode: "number" }).notNull().default(0),
    reviews: bigint("reviews", { mode: "number" }).notNull().default(0),
    qualified: bigint("qualified", { mode: "number" }).notNull().default(0),
    /** Referrals whose first-level reward was settled on-chain. */
    paid: bigint("paid", { mode: "number" }).notNull().default(0),
    qualifySeconds: bigint("qualify_seconds", { mode: "number" }).notNull().default(0),
    gasWei: wei("gas_wei").notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day] })],
);

/** Time to qualify: qualifications per half-power-of-two bucket of seconds, per day. */
export const analyticsQualifyHistogram = pgTable(
  "analytics_qualify_histogram",
  {
    campaignId: integer("campaign_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    bucket: smallint("bucket").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day, t.bucket] })],
);

/** Per campaign, token and day: tokens earned (granted), paid (settled), escrowed, expired. */
export const analyticsTokenDaily = pgTable(
  "analytics_token_daily",
  {
    campaignId: integer("campaign_id").notNull(),
    token: text("token").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    earned: wei("earned").notNull().default(sql`0`),
    paid: wei("paid").notNull().default(sql`0`),
    escrowed: wei("escrowed").notNull().default(sql`0`),
    expired: wei("expired").notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.token, t.day] })],
);

/**
 * Per campaign and token, over all time: claimed from escrow and spent on perks. Claims and
 * redemptions are chain logs without a time of their own here (block times are not stored).
 */
export const analyticsTokenTotals = pgTable(
  "analytics_token_totals",
  {
    campaignId: integer("campaign_id").notNull(),
    token: text("token").notNull(),
    claimed: wei("claimed").notNull().default(sql`0`),
    redeemed: wei("redeemed").notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.token] })],
);

/** The funnel per referral code and day. */
export const analyticsCodeDaily = pgTable(
  "analytics_code_daily",
  {
    campaignId: integer("campaign_id").notNull(),
    code: text("code").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
    starts: bigint("starts", { mode: "number" }).notNull().default(0),
    attributed: bigint("attributed", { mode: "number" }).notNull().default(0),
    qualified: bigint("qualified", { mode: "number" }).notNull().default(0),
    paid: bigint("paid", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.code, t.day] }),
    index("analytics_code_daily_day_idx").on(t.campaignId, t.day),
  ],
);

/** The funnel per A/B variant (`''`: no variant) and day. */
export const analyticsVariantDaily = pgTable(
  "analytics_variant_daily",
  {
    campaignId: integer("campaign_id").notNull(),
    variant: text("variant").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    attributed: bigint("attributed", { mode: "number" }).notNull().default(0),
    reviews: bigint("reviews", { mode: "number" }).notNull().default(0),
    qualified: bigint("qualified", { mode: "number" }).notNull().default(0),
    paid: bigint("paid", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.variant, t.day] })],
);

/**
 * Per campaign and member taking part (referred, or referring): when they joined (their
 * attribution's day), whom they invited and got qualified (top referrers), and whether they
 * were active on day 1, 7 and 30 after joining (retention).
 */
export const analyticsMembers = pgTable(
  "analytics_members",
  {
    campaignId: integer("campaign_id").notNull(),
    memberId: bigint("member_id", { mode: "number" }).notNull(),
    joinedOn: date("joined_on", { mode: "string" }),
    invited: integer("invited").notNull().default(0),
    qualified: integer("qualified").notNull().default(0),
    d1: boolean("d1").notNull().default(false),
    d7: boolean("d7").notNull().default(false),
    d30: boolean("d30").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId] }),
    // Top referrers: the first entries of this index.
    index("analytics_members_top_idx")
      .on(t.campaignId, t.qualified.desc(), t.invited.desc(), t.memberId)
      .where(sql`${t.invited} > 0`),
    index("analytics_members_member_idx").on(t.memberId),
  ],
);

/** Per campaign: members taking part and members who invited someone (no count(*) per view). */
export const analyticsCampaignTotals = pgTable("analytics_campaign_totals", {
  campaignId: integer("campaign_id").primaryKey(),
  members: bigint("members", { mode: "number" }).notNull().default(0),
  referrers: bigint("referrers", { mode: "number" }).notNull().default(0),
});

/** Join-week cohorts (Monday, UTC) of referred members and how many were active on D1/D7/D30. */
export const analyticsCohorts = pgTable(
  "analytics_cohorts",
  {
    campaignId: integer("campaign_id").notNull(),
    week: date("week", { mode: "string" }).notNull(),
    members: bigint("members", { mode: "number" }).notNull().default(0),
    d1: bigint("d1", { mode: "number" }).notNull().default(0),
    d7: bigint("d7", { mode: "number" }).notNull().default(0),
    d30: bigint("d30", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.week] })],
);

/**
 * The UTC days on which a member was active (any bot interaction or API call: `members.
 * last_seen_at` moved to a new day, or the member was created). Kept by a trigger on `members`;
 * the raw fact retention is recomputed from.
 */
export const memberActivityDays = pgTable(
  "member_activity_days",
  {
    memberId: bigint("member_id", { mode: "number" }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.day] })],
);

/** Bookkeeping of the fold (one row): when it last ran and how much it folded in total. */
export const analyticsFoldState = pgTable("analytics_fold_state", {
  id: smallint("id").primaryKey(),
  folded: bigint("folded", { mode: "number" }).notNull().default(0),
  foldedAt: ts("folded_at"),
});

export type AnalyticsDelta = typeof analyticsDeltas.$inferSelect;
export const ANALYTICS_TABLE_NAMES = [
  "analytics_daily",
  "analytics_qualify_histogram",
  "analytics_token_daily",
  "analytics_token_totals",
  "analytics_code_daily",
  "analytics_variant_daily",
  "analytics_members",
  "analytics_campaign_totals",
  "analytics_cohorts",
] as const;
