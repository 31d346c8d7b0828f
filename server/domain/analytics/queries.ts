/**
 * The analytics reads for admins (`analytics.read` in the campaign): the Overview's KPIs and
 * daily series, the funnel per code, the experiments with their statistics, and the rows behind
 * every table for CSV export. Everything is read from the rollups (schema/analytics.ts), each
 * query one indexed range of a campaign's rows: never a scan of events per page view. The
 * figures and their definitions: docs/ANALYTICS.md.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/index.ts";
import type { DomainContext } from "../context.ts";
import { utcDay } from "../context.ts";
import type { Campaign } from "../registry.ts";
import { type AdminPrincipal, authorize } from "../roles.ts";
import { foldDeltas, pendingDeltas } from "./rollups.ts";
import {
  histogramQuantile,
  probabilityToBeat,
  sampleSizePerArm,
  twoProportionZTest,
} from "./stats.ts";

const DAY_MS = 86_400_000;
/** Deltas folded before a read (read-your-writes for small lags; the job does the rest). */
const FOLD_ON_READ = 5_000;

export interface DayRange {
  /** UTC days, inclusive (`YYYY-MM-DD`). */
  from: string;
  to: string;
}

/** The range asked for, or the last 30 days up to today. */
export function dayRange(now: Date, from?: string, to?: string): DayRange {
  const end = to ?? utcDay(now);
  const start = from ?? utcDay(new Date(Date.parse(`${end}T00:00:00Z`) - 29 * DAY_MS));
  return { from: start, to: end };
}

const addDays = (day: string, n: number) =>
  utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

type Ctx = Pick<DomainContext, "db" | "now">;

/** Checks the right, then folds a small pending lag so a read follows the writes before it. */
async function prepare(ctx: Ctx, by: AdminPrincipal, campaign: Campaign): Promise<void> {
  await authorize(ctx, by, "analytics.read", campaign.id);
  const [pending] = await queryRows<{ any: boolean }>(
    ctx.db,
    sql`select exists (select 1 from analytics_deltas) as any`,
  );
  if (pending?.any) await foldDeltas(ctx.db, FOLD_ON_READ);
}

export interface FunnelCounts {
  clicks: number;
  starts: number;
  attributed: number;
  reviews: number;
  qualified: number;
  paid: number;
}

export interface TokenFigures {
  token: string;
  decimals: number;
  /** In the range (wei). */
  earned: bigint;
  paid: bigint;
  expired: bigint;
  /** All time (wei): escrow, claims and perk spending carry no day. */
  escrowed: bigint;
  claimed: bigint;
  redeemed: bigint;
  earnedAllTime: bigint;
  /** redeemed / earned, all time; null before anything was earned. */
  redemptionRate: number | null;
  budget: bigint;
  granted: bigint;
  /** granted / budget. */
  burned: number | null;
  /** Earned per day over the 7 days up to today (the current pace). */
  pacePerDay: bigint;
  /** Days until the budget is granted at that pace; null without a pace. */
  runwayDays: number | null;
  /** Earned in the range per qualified referral in the range. */
  costPerQualified: bigint | null;
}

export interface Overview {
  range: DayRange;
  /** Deltas not yet in the rollups when this was read. */
  lag: number;
  funnel: FunnelCounts;
  conversion: {
    clickToStart: number | null;
    startToAttributed: number | null;
    attributedToQualified: number | null;
    qualifiedToPaid: number | null;
  };
  members: number;
  referrers: number;
  kFactor: { invitesPerMember: number | null; conversion: number | null; value: number | null };
  timeToQualify: {
    count: number;
    meanSeconds: number | null;
    p50Seconds: number | null;
    p90Seconds: number | null;
  };
  retention: {
    cohorts: Array<{ week: string; members: number; d1: number; d7: number; d30: number }>;
    d1: number | null;
    d7: number | null;
    d30: number | null;
  };
  engagementScore: number;
  reviewShare: number | null;
  gasWei: bigint;
  gasPerQualifiedWei: bigint | null;
  tokens: TokenFigures[];
  topReferrers: Array<{
    memberId: number;
    username: string | null;
    invited: number;
    qualified: number;
  }>;
  series: Array<FunnelCounts & { day: string; earned: Record<string, bigint> }>;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const num = (v: unknown) => Number(v ?? 0);

interface DailyRow {
  day: string;
  clicks: string;
  starts: string;
  attributed: string;
  reviews: string;
  qualified: string;
  paid: string;
  qualify_seconds: string;
  gas_wei: string;
}

/** The Overview of a campaign over a range of days. */
export async function analyticsOverview(
  ctx: Ctx,
  by: AdminPrincipal,
  campaign: Campaign,
  range: DayRange,
): Promise<Overview> {
  await prepare(ctx, by, campaign);
  const db = ctx.db;
  const id = campaign.id;
  const today = utcDay(ctx.now());
  const [daily, tokenDays, totals, hist, cohorts, campaignTotals, top, budgets, pace, lag] =
    await Promise.all([
      queryRows<DailyRow>(
        db,
        sql`select day::text as day, clicks::text, starts::text, attributed::text, reviews::text,
            qualified::text, paid::text, qualify_seconds::text, gas_wei::text
          from analytics_daily where campaign_id = ${id} and day between ${range.from} and ${range.to}
          order by day`,
      ),
      queryRows<{ day: string; token: string; earned: string; paid: string; expired: string }>(
        db,
        sql`select day::text as day, token, earned::text, paid::text, expired::text
          from analytics_token_daily where campaign_id = ${id} and day between ${range.from} and ${range.to}
          order by day, token`,
      ),
      queryRows<{
        token: string;
        escrowed: string;
        earned: string;
        claimed: string;
        redeemed: string;
      }>(
        db,
        sql`select token, sum(escrowed)::text as escrowed, sum(earned)::text as earned,
            sum(claimed)::text as claimed, sum(redeemed)::text as redeemed
          from (select token, escrowed, earned, 0 as claimed, 0 as redeemed
                  from analytics_token_daily where campaign_id = ${id}
                union all select token, 0, 0, claimed, redeemed
                  from analytics_token_totals where campaign_id = ${id}) x
          group by token`,
      ),
      queryRows<{ bucket: number; count: string }>(
        db,
        sql`select bucket, sum(count)::text as count from analytics_qualify_histogram
          where campaign_id = ${id} and day between ${range.from} and ${range.to} group by bucket`,
      ),
      queryRows<{ week: string; members: string; d1: string; d7: string; d30: string }>(
        db,
        sql`select week::text as week, members::text, d1::text, d7::text, d30::text
          from analytics_cohorts where campaign_id = ${id}
            and week between date_trunc('week', ${range.from}::date)::date and ${range.to}
          order by week`,
      ),
      queryRows<{ members: string; referrers: string }>(
        db,
        sql`select members::text, referrers::text from analytics_campaign_totals where campaign_id = ${id}`,
      ),
      queryRows<{ member_id: string; username: string | null; invited: number; qualified: number }>(
        db,
        sql`select t.member_id::text, m.username, t.invited, t.qualified
          from (select member_id, invited, qualified from analytics_members
                where campaign_id = ${id} and invited > 0
                order by qualified desc nulls last, invited desc nulls last, member_id limit 10) t
          left join members m on m.id = t.member_id
          order by t.qualified desc, t.invited desc, t.member_id`,
      ),
      queryRows<{ symbol: string; decimals: number; budget: string; granted: string }>(
        db,
        sql`select symbol, decimals, budget::text, granted::text from campaign_tokens where campaign_id = ${id}`,
      ),
      queryRows<{ token: string; earned: string }>(
        db,
        sql`select token, sum(earned)::text as earned from analytics_token_daily
          where campaign_id = ${id} and day between ${addDays(today, -6)} and ${today} group by token`,
      ),
      pendingDeltas(db),
    ]);

  const funnel: FunnelCounts = {
    clicks: 0,
    starts: 0,
    attributed: 0,
    reviews: 0,
    qualified: 0,
    paid: 0,
  };
  let qualifySeconds = 0;
  let gasWei = 0n;
  const seriesByDay = new Map<string, Overview["series"][number]>();
  const blank = (day: string) => ({
    day,
    clicks: 0,
    starts: 0,
    attributed: 0,
    reviews: 0,
    qualified: 0,
    paid: 0,
    earned: {} as Record<string, bigint>,
  });
  for (const r of daily) {
    const row = {
      ...blank(r.day),
      clicks: num(r.clicks),
      starts: num(r.starts),
      attributed: num(r.attributed),
      reviews: num(r.reviews),
      qualified: num(r.qualified),
      paid: num(r.paid),
    };
    seriesByDay.set(r.day, row);
    for (const k of Object.keys(funnel) as Array<keyof FunnelCounts>) funnel[k] += row[k];
    qualifySeconds += num(r.qualify_seconds);
    gasWei += BigInt(r.gas_wei);
  }
  const inRange = new Map<string, { earned: bigint; paid: bigint; expired: bigint }>();
  for (const r of tokenDays) {
    if (r.day === "1970-01-01") continue;
    const day = seriesByDay.get(r.day) ?? blank(r.day);
    seriesByDay.set(r.day, day);
    day.earned[r.token] = (day.earned[r.token] ?? 0n) + BigInt(r.earned);
    const t = inRange.get(r.token) ?? { earned: 0n, paid: 0n, expired: 0n };
    t.earned += BigInt(r.earned);
    t.paid += BigInt(r.paid);
    t.expired += BigInt(r.expired);
    inRange.set(r.token, t);
  }
  const series = [...seriesByDay.values()].sort((a, b) => a.day.localeCompare(b.day));

  const members = num(campaignTotals[0]?.members);
  const referrers = num(campaignTotals[0]?.referrers);
  const buckets = hist.map((h) => ({ bucket: h.bucket, count: num(h.count) }));

  // Retention: a cohort counts for Dn once its last join day is n days in the past.
  const cohortRows = cohorts.map((c) => ({
    week: c.week,
    members: num(c.members),
    d1: num(c.d1),
    d7: num(c.d7),
    d30: num(c.d30),
  }));
  const matured = (n: number, key: "d1" | "d7" | "d30") => {
    const rows = cohortRows.filter((c) => addDays(c.week, 6 + n) < today);
    return ratio(
      rows.reduce((s, c) => s + c[key], 0),
      rows.reduce((s, c) => s + c.members, 0),
    );
  };
  const retention = {
    cohorts: cohortRows,
    d1: matured(1, "d1"),
    d7: matured(7, "d7"),
    d30: matured(30, "d30"),
  };

  const conversion = ratio(funnel.qualified, funnel.attributed);
  const invitesPerMember = ratio(funnel.attributed, members);
  const engagementScore = Math.round(
    100 *
      (0.4 * (retention.d7 ?? 0) +
        0.3 * (ratio(referrers, members) ?? 0) +
        0.3 * (conversion ?? 0)),
  );

  const totalsByToken = new Map(totals.map((t) => [t.token, t]));
  const paceByToken = new Map(pace.map((p) => [p.token, BigInt(p.earned)]));
  const symbols = new Set([...budgets.map((b) => b.symbol), ...totalsByToken.keys()]);
  const tokens: TokenFigures[] = [...symbols].sort().map((token) => {
    const b = budgets.find((x) => x.symbol === token);
    const t = totalsByToken.get(token);
    const r = inRange.get(token) ?? { earned: 0n, paid: 0n, expired: 0n };
    const budget = BigInt(b?.budget ?? "0");
    const granted = BigInt(b?.granted ?? "0");
    const earnedAllTime = BigInt(t?.earned ?? "0");
    const redeemed = BigInt(t?.redeemed ?? "0");
    const pacePerDay = (paceByToken.get(token) ?? 0n) / 7n;
    const remaining = budget > granted ? budget - granted : 0n;
    return {
      token,
      decimals: b?.decimals ?? campaign.rules.tokens.get(token)?.decimals ?? 18,
      earned: r.earned,
      paid: r.paid,
      expired: r.expired,
      escrowed: BigInt(t?.escrowed ?? "0"),
      claimed: BigInt(t?.claimed ?? "0"),
      redeemed,
      earnedAllTime,
      redemptionRate:
        earnedAllTime > 0n ? Number((redeemed * 1_000_000n) / earnedAllTime) / 1e6 : null,
      budget,
      granted,
      burned: budget > 0n ? Number((granted * 1_000_000n) / budget) / 1e6 : null,
      pacePerDay,
      runwayDays: pacePerDay > 0n ? Number((remaining * 10n) / pacePerDay) / 10 : null,
      costPerQualified: funnel.qualified > 0 ? r.earned / BigInt(funnel.qualified) : null,
    };
  });

  return {
    range,
    lag,
    funnel,
    conversion: {
      clickToStart: ratio(funnel.starts, funnel.clicks),
      startToAttributed: ratio(funnel.attributed, funnel.starts),
      attributedToQualified: conversion,
      qualifiedToPaid: ratio(funnel.paid, funnel.qualified),
    },
    members,
    referrers,
    kFactor: {
      invitesPerMember,
      conversion,
      value:
        invitesPerMember !== null && conversion !== null ? invitesPerMember * conversion : null,
    },
    timeToQualify: {
      count: funnel.qualified,
      meanSeconds: funnel.qualified > 0 ? qualifySeconds / funnel.qualified : null,
      p50Seconds: histogramQuantile(buckets, 0.5),
      p90Seconds: histogramQuantile(buckets, 0.9),
    },
    retention,
    engagementScore,
    reviewShare: ratio(funnel.reviews, funnel.attributed),
    gasWei,
    gasPerQualifiedWei: funnel.qualified > 0 ? gasWei / BigInt(funnel.qualified) : null,
    tokens,
    topReferrers: top.map((t) => ({
      memberId: Number(t.member_id),
      username: t.username,
      invited: t.invited,
      qualified: t.qualified,
    })),
    series,
  };
}

export interface CodeFunnel {
  code: string;
  memberId: number | null;
  clicks: number;
  starts: number;
  attributed: number;
  qualified: number;
  paid: number;
}

/** The funnel per referral code over a range, best codes first (qualified, then attributed). */
export async function analyticsFunnelByCode(
  ctx: Ctx,
  by: AdminPrincipal,
  campaign: Campaign,
  range: DayRange,
  limit: number,
): Promise<CodeFunnel[]> {
  await prepare(ctx, by, campaign);
  const rows = await queryRows<Record<string, string | null>>(
    ctx.db,
    sql`select f.code, rc.member_id::text as member_id, f.clicks::text, f.starts::text,
        f.attributed::text, f.qualified::text, f.paid::text
      from (select code, sum(clicks) as clicks, sum(starts) as starts, sum(attributed) as attributed,
              sum(qualified) as qualified, sum(paid) as paid
            from analytics_code_daily
            where campaign_id = ${campaign.id} and day between ${range.from} and ${range.to}
            group by code
            order by sum(qualified) desc, sum(attributed) desc, code limit ${limit}) f
      left join referral_codes rc on rc.code = f.code
      order by f.qualified desc, f.attributed desc, f.code`,
  );
  return rows.map((r) => ({
    code: r.code ?? "",
    memberId: r.member_id === null ? null : Number(r.member_id),
    clicks: num(r.clicks),
    starts: num(r.starts),
    attributed: num(r.attributed),
    qualified: num(r.qualified),
    paid: num(r.paid),
  }));
}

export type ArmVerdict = "control" | "better" | "worse" | "not_significant" | "insufficient_data";

export interface ExperimentArm {
  variant: string;
  /** Referred members assigned to the variant (through their referrer). */
  members: number;
  reviews: number;
  qualified: number;
  paid: number;
  conversion: number | null;
  /** Against control; null for control itself. */
  comparison: {
    difference: number;
    lift: number | null;
    z: number;
    pValue: number;
    ciLow: number;
    ciHigh: number;
    probabilityToBeatControl: number;
    /** Per arm, to detect `mde` from control's rate; null when control's rate is 0 or 1. */
    sampleNeededPerArm: number | null;
    /** Members still missing in the smaller of this arm and control. */
    sampleRemaining: number | null;
  } | null;
  verdict: ArmVerdict;
}

export interface Experiments {
  control: string | null;
  mde: number;
  alpha: number;
  /** α per comparison (Bonferroni over the treatment arms). */
  alphaPerComparison: number;
  power: number;
  confidence: number;
  arms: ExperimentArm[];
  /** Only an arm significantly better than control (after the correction); null otherwise. */
  winner: string | null;
}

/** Members an arm needs before any verdict (below it the normal approximation is not trusted). */
const MIN_ARM = 30;

/**
 * The campaign's A/B variants (all time): per arm members, qualified and conversion; against
 * control the two-proportion z-test (p-value, confidence interval of the difference), the
 * Beta-Binomial probability to beat control, and the sample still needed for `mde`.
 */
export async function analyticsExperiments(
  ctx: Ctx,
  by: AdminPrincipal,
  campaign: Campaign,
  options: { mde: number; control?: string; alpha?: number; power?: number },
): Promise<Experiments> {
  await prepare(ctx, by, campaign);
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const rows = await queryRows<{
    variant: string;
    attributed: string;
    reviews: string;
    qualified: string;
    paid: string;
  }>(
    ctx.db,
    sql`select variant, sum(attributed)::text as attributed, sum(reviews)::text as reviews,
        sum(qualified)::text as qualified, sum(paid)::text as paid
      from analytics_variant_daily where campaign_id = ${campaign.id} group by variant`,
  );
  const defined = campaign.rules.variants.map((v) => v.id);
  const byVariant = new Map(rows.map((r) => [r.variant, r]));
  const names = [...new Set([...defined, ...rows.map((r) => r.variant).filter((v) => v !== "")])];
  const control =
    options.control !== undefined && names.includes(options.control)
      ? options.control
      : (names[0] ?? null);
  const counts = (v: string) => {
    const r = byVariant.get(v);
    return {
      members: num(r?.attributed),
      reviews: num(r?.reviews),
      qualified: num(r?.qualified),
      paid: num(r?.paid),
    };
  };
  const comparisons = Math.max(1, names.length - 1);
  const alphaPerComparison = alpha / comparisons;
  const confidence = 1 - alphaPerComparison;
  const base = control === null ? null : counts(control);
  const arms: ExperimentArm[] = names.map((variant) => {
    const c = counts(variant);
    const conversion = ratio(c.qualified, c.members);
    if (variant === control || base === null)
      return { variant, ...c, conversion, comparison: null, verdict: "control" };
    const a = { successes: base.qualified, trials: base.members };
    const b = { successes: c.qualified, trials: c.members };
    const test = twoProportionZTest(a, b, confidence);
    const needed = sampleSizePerArm(test.rateA, options.mde, alphaPerComparison, power);
    const enough = c.members >= MIN_ARM && base.members >= MIN_ARM;
    const significant = enough && test.pValue < alphaPerComparison;
    return {
      variant,
      ...c,
      conversion,
      comparison: {
        difference: test.difference,
        lift: test.lift,
        z: test.z,
        pValue: test.pValue,
        ciLow: test.ciLow,
        ciHigh: test.ciHigh,
        probabilityToBeatControl: probabilityToBeat(a, b),
        sampleNeededPerArm: needed,
        sampleRemaining:
          needed === null ? null : Math.max(0, needed - Math.min(c.members, base.members)),
      },
      verdict: !enough
        ? "insufficient_data"
        : significant
          ? test.difference > 0
            ? "better"
            : "worse"
          : "not_significant",
    };
  });
  const better = arms
    .filter((a) => a.verdict === "better")
    .sort((x, y) => (y.comparison?.difference ?? 0) - (x.comparison?.difference ?? 0));
  return {
    control,
    mde: options.mde,
    alpha,
    alphaPerComparison,
    power,
    confidence,
    arms,
    winner: better[0]?.variant ?? null,
  };
}

/** The tables one can export, with their columns (the CSV header) and how they are paged. */
export const CSV_TABLES = {
  daily: {
    table: "analytics_daily",
    keys: ["day"],
    columns: [
      "day",
      "clicks",
      "starts",
      "attributed",
      "reviews",
      "qualified",
      "paid",
      "qualify_seconds",
      "gas_wei",
    ],
    ranged: true,
  },
  tokens: {
    table: "analytics_token_daily",
    keys: ["token", "day"],
    columns: ["token", "day", "earned", "paid", "escrowed", "expired"],
    ranged: false,
  },
  codes: {
    table: "analytics_code_daily",
    keys: ["code", "day"],
    columns: ["code", "day", "clicks", "starts", "attributed", "qualified", "paid"],
    ranged: true,
  },
  variants: {
    table: "analytics_variant_daily",
    keys: ["variant", "day"],
    columns: ["variant", "day", "attributed", "reviews", "qualified", "paid"],
    ranged: true,
  },
  cohorts: {
    table: "analytics_cohorts",
    keys: ["week"],
    columns: ["week", "members", "d1", "d7", "d30"],
    ranged: false,
  },
  members: {
    table: "analytics_members",
    keys: ["member_id"],
    columns: ["member_id", "joined_on", "invited", "qualified", "d1", "d7", "d30"],
    ranged: false,
  },
  time_to_qualify: {
    table: "analytics_qualify_histogram",
    keys: ["day", "bucket"],
    columns: ["day", "bucket", "count"],
    ranged: true,
  },
} as const;
export type CsvTable = keyof typeof CSV_TABLES;
export const CSV_TABLE_NAMES = Object.keys(CSV_TABLES) as CsvTable[];

const CSV_PAGE = 5_000;

/**
 * The rows of one table of a campaign, page by page (keyset on the table's key, so a large
 * export costs the same per page at its end as at its start). Authorizes before the first page.
 */
export async function* analyticsCsvPages(
  ctx: Ctx,
  by: AdminPrincipal,
  campaign: Campaign,
  name: CsvTable,
  range: DayRange,
): AsyncGenerator<string[][]> {
  await prepare(ctx, by, campaign);
  const spec = CSV_TABLES[name];
  const keys = spec.keys as readonly string[];
  // Qualified with the table's alias: ordering and the keyset compare the typed columns, not
  // their text (member 4 sorts before member 1000001).
  const columns = spec.columns.map((c) => `t.${c}::text as ${c}`).join(", ");
  const keyList = keys.map((k) => `t.${k}`).join(", ");
  let after: string[] | null = null;
  for (;;) {
    const where = [sql`t.campaign_id = ${campaign.id}`];
    if (spec.ranged) where.push(sql`t.day between ${range.from} and ${range.to}`);
    if (name === "tokens") where.push(sql`t.day <> '1970-01-01'`);
    if (after !== null) {
      const tuple = sql.join(
        after.map((v, i) => sql`${v}::${sql.raw(keyType(keys[i]!))}`),
        sql`, `,
      );
      where.push(sql`(${sql.raw(keyList)}) > (${tuple})`);
    }
    const rows: Array<Record<string, string | null>> = await queryRows<
      Record<string, string | null>
    >(
      ctx.db,
      sql`select ${sql.raw(columns)} from ${sql.raw(spec.table)} t
        where ${sql.join(where, sql` and `)}
        order by ${sql.raw(keyList)} limit ${CSV_PAGE}`,
    );
    if (rows.length === 0) return;
    yield rows.map((r) => spec.columns.map((c) => r[c] ?? ""));
    const last = rows[rows.length - 1]!;
    after = keys.map((k) => last[k] ?? "");
    if (rows.length < CSV_PAGE) return;
  }
}

function keyType(key: string): string {
  if (key === "day" || key === "week") return "date";
  if (key === "member_id") return "bigint";
  if (key === "bucket") return "smallint";
  return "text";
}

/** One CSV line (RFC 4180 quoting; cells starting with = + - @ are prefixed against formula injection). */
export function csvLine(cells: readonly string[]): string {
  return `${cells
    .map((c) => {
      const safe = /^[=+\-@\t\r]/.test(c) && !/^-?\d/.test(c) ? `'${c}` : c;
      return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
    })
    .join(",")}\r\n`;
}
