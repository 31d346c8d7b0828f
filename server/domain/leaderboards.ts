/**
 * Leaderboards: per campaign, by qualified referrals and by activity points, for the current
 * ISO week (UTC) and all time.
 *
 * Scores are kept as they change, never computed by scanning: the domain function that records
 * a qualified referral or an activity grant adds to the member's score rows (`week` and `all`)
 * and to the per-score member counts ("buckets") in the same transaction
 * ({@link addScore}). Reading a board is then
 *
 * - the top N: the first N entries of the partial index over visible rows in board order
 *   (score descending, then who reached the score first, then the lower member number);
 * - a member's own rank: 1 + the members with a higher score, a sum over the buckets above the
 *   member's score (one row per distinct score, far fewer than members), plus one row read.
 *
 * Ranks are standard competition ranks: members with the same score share a rank (1, 2, 2, 4);
 * within a tie the list shows first whoever reached the score earlier, then the lower member
 * number, so the order is deterministic.
 *
 * Members who are banned, or who have a referral in review in the campaign (as the referrer or as
 * the referee), are left out: their rows carry `hidden` (kept by {@link changeReviewHolds} and
 * {@link setBanned}), which takes them out of the index and the buckets, so leaving them out
 * costs nothing at read time.
 *
 * Lock order: bucket rows are the last rows a transaction locks (after the budget rows), each
 * statement in (campaign, board, period, score) order; score and hold changes of a member happen
 * under the member's grantee lock (ledger.ts `lockGrantees`), which banning takes too.
 */
import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { bigintArray, type Db, queryRows } from "../db/index.ts";
import { type LeaderboardBoard, leaderboardSettings } from "../db/schema/leaderboards.ts";
import type { EntryKind } from "../db/schema.ts";
import type { CompiledCampaign } from "./campaign.ts";
import { lockGrantees } from "./ledger.ts";
import { referralTokens } from "./rules.ts";

export { LEADERBOARD_BOARDS, type LeaderboardBoard } from "../db/schema/leaderboards.ts";
export const LEADERBOARD_PERIODS = ["week", "all"] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

const DAY_MS = 86_400_000;

/** The ISO week (UTC) of `at`: its key (`2026-W07`), first instant (Monday 00:00) and end. */
export function isoWeek(at: Date): { key: string; start: Date; end: Date } {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const start = midnight - ((at.getUTCDay() + 6) % 7) * DAY_MS;
  // The ISO week-numbering year is the year of the week's Thursday.
  const year = new Date(start + 3 * DAY_MS).getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const week = 1 + Math.round((start - firstMonday) / (7 * DAY_MS));
  return {
    key: `${year}-W${String(week).padStart(2, "0")}`,
    start: new Date(start),
    end: new Date(start + 7 * DAY_MS),
  };
}

/** The stored period key of `period` at `now`. */
export function periodKey(period: LeaderboardPeriod, now: Date): string {
  return period === "all" ? "all" : isoWeek(now).key;
}

/**
 * The campaign's activity token: the first of its tokens (file order) that pays no referral
 * reward (levels, welcome bonus); a campaign whose every token pays referrals uses its first.
 */
export function activityToken(rules: Pick<CompiledCampaign, "tokens" | "levels" | "welcomeBonus">) {
  const referral = new Set(referralTokens(rules));
  const symbols = [...rules.tokens.keys()];
  return symbols.find((s) => !referral.has(s)) ?? symbols[0] ?? "";
}

/**
 * The activity points (in hundredths) a grant adds, or 0: grants in the campaign's activity
 * token for something the member did themselves (not a referral reward or welcome bonus).
 * One point is one whole token; amounts below a hundredth of a token count as nothing.
 */
export function activityPoints(
  rules: Pick<CompiledCampaign, "tokens" | "levels" | "welcomeBonus">,
  grant: { token: string; kind: EntryKind; amount: bigint },
): bigint {
  if (grant.kind === "referral" || grant.kind === "welcome") return 0n;
  if (grant.token !== activityToken(rules)) return 0n;
  const decimals = rules.tokens.get(grant.token)?.decimals ?? 18;
  return decimals >= 2
    ? grant.amount / 10n ** BigInt(decimals - 2)
    : grant.amount * 10n ** BigInt(2 - decimals);
}

/**
 * Adds `delta` (> 0) to a member's score on a board, for the ISO week of `at` and for all time,
 * with the buckets. Call it as the last write of the transaction that records the event (after
 * the budget charge), holding the member's grantee lock.
 */
export async function addScore(
  tx: Db,
  s: { campaignId: number; board: LeaderboardBoard; memberId: number; delta: number; at: Date },
): Promise<void> {
  if (!Number.isSafeInteger(s.delta) || s.delta <= 0)
    throw new Error(`a score grows by a positive whole number, not ${s.delta}`);
  const week = isoWeek(s.at).key;
  await tx.execute(sql`
    with scored as (
      insert into leaderboard_scores as s (campaign_id, board, period, member_id, score, reached_at, hidden)
      select ${s.campaignId}, ${s.board}, p.period, ${s.memberId}, ${s.delta}, ${s.at},
        coalesce((select m.banned_at is not null
            or exists (select 1 from leaderboard_holds h
              where h.campaign_id = ${s.campaignId} and h.member_id = m.id and h.reviews > 0)
          from members m where m.id = ${s.memberId}), false)
      from (values (${week}), ('all')) as p(period)
      on conflict (campaign_id, board, period, member_id) do update
        set score = s.score + ${s.delta}, reached_at = excluded.reached_at
      returning s.period, s.score, s.hidden
    ), moved as (
      select period, score - ${s.delta} as score, -1 as n from scored
        where not hidden and score - ${s.delta} > 0
      union all
      select period, score, 1 from scored where not hidden
    )
    insert into leaderboard_buckets as b (campaign_id, board, period, score, members)
    select ${s.campaignId}, ${s.board}, period, score, sum(n)::int from moved
    group by period, score order by period, score
    on conflict (campaign_id, board, period, score) do update set members = b.members + excluded.members`);
}

/**
 * Shows or hides every score row of `memberIds` (in `campaignId`, or in every campaign) and moves
 * their counts in or out of the buckets. Showing skips rows whose member is banned or still has
 * a referral in review in that campaign.
 */
async function setVisibility(
  tx: Db,
  memberIds: readonly number[],
  hidden: boolean,
  campaignId?: number,
): Promise<void> {
  if (memberIds.length === 0) return;
  const inCampaign = campaignId === undefined ? sql`` : sql`and s.campaign_id = ${campaignId}`;
  const stillHeld = hidden
    ? sql``
    : sql`and not exists (select 1 from members m where m.id = s.member_id and m.banned_at is not null)
          and not exists (select 1 from leaderboard_holds h
            where h.campaign_id = s.campaign_id and h.member_id = s.member_id and h.reviews > 0)`;
  await tx.execute(sql`
    with changed as (
      update leaderboard_scores s set hidden = ${hidden}
      where s.member_id = any(${bigintArray(memberIds)}) and s.hidden <> ${hidden} ${inCampaign} ${stillHeld}
      returning s.campaign_id, s.board, s.period, s.score
    )
    insert into leaderboard_buckets as b (campaign_id, board, period, score, members)
    select campaign_id, board, period, score, (${hidden ? -1 : 1} * count(*))::int from changed
    where score > 0
    group by campaign_id, board, period, score order by campaign_id, board, period, score
    on conflict (campaign_id, board, period, score) do update set members = b.members + excluded.members`);
}

/**
 * A referral of these members entered (`+1`) or left (`-1`) review in a campaign: a member with
 * any referral in review is left out of the campaign's boards until the last one is decided.
 */
export async function changeReviewHolds(
  tx: Db,
  campaignId: number,
  memberIds: readonly number[],
  delta: 1 | -1,
): Promise<void> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return;
  // Serialised with the member's score changes (a new row reads the holds) and bans.
  await lockGrantees(tx, ids);
  const rows = await queryRows<{ member_id: string; reviews: number }>(
    tx,
    sql`insert into leaderboard_holds as h (campaign_id, member_id, reviews)
        select ${campaignId}, m, ${Math.max(delta, 0)} from unnest(${bigintArray(ids)}) as m order by m
        on conflict (campaign_id, member_id) do update set reviews = greatest(h.reviews + ${delta}, 0)
        returning member_id::text, reviews`,
  );
  // Only a member whose count crossed zero changes visibility.
  const crossed = rows
    .filter((r) => r.reviews === (delta > 0 ? 1 : 0))
    .map((r) => Number(r.member_id));
  await setVisibility(tx, crossed, delta > 0, campaignId);
}

/**
 * A member was banned (`true`) or unbanned: their rows on every board are hidden, or shown again
 * where no review holds them. The caller holds the member's grantee lock (ledger.ts
 * `lockGrantees`, taken before anything else), so no score of theirs changes meanwhile.
 */
export async function setBanned(tx: Db, memberId: number, banned: boolean): Promise<void> {
  await setVisibility(tx, [memberId], banned);
}

/**
 * Adds the activity points of a grant just written (see {@link activityPoints}; nothing for
 * other grants): every writer of a grant for something the member did calls it after
 * `writeGrant` (and after the budget charge), when the grant was `created`.
 */
export async function addActivityPoints(
  tx: Db,
  rules: Pick<CompiledCampaign, "tokens" | "levels" | "welcomeBonus">,
  g: {
    campaignId: number;
    memberId: number;
    token: string;
    kind: EntryKind;
    amount: bigint;
    at: Date;
  },
): Promise<void> {
  const points = activityPoints(rules, g);
  if (points <= 0n) return;
  await addScore(tx, {
    campaignId: g.campaignId,
    board: "activity",
    memberId: g.memberId,
    delta: Number(points),
    at: g.at,
  });
}

/** Whether the member shows their name on leaderboards (default: no, a pseudonym). */
export async function showsName(db: Db, memberId: number): Promise<boolean> {
  const [row] = await db
    .select({ showName: leaderboardSettings.showName })
    .from(leaderboardSettings)
    .where(eq(leaderboardSettings.memberId, memberId));
  return row?.showName ?? false;
}

/** Opts in to (or out of) showing the member's name on leaderboards. */
export async function setShowName(db: Db, memberId: number, show: boolean): Promise<void> {
  await db
    .insert(leaderboardSettings)
    .values({ memberId, showName: show })
    .onConflictDoUpdate({
      target: leaderboardSettings.memberId,
      set: { showName: show, updatedAt: sql`now()` },
    });
}

/** The pseudonyms' key, derived from the service's hash secret (so it is not the IP hashes' key). */
export function pseudonymKey(hashSecret: string): Buffer {
  return createHmac("sha256", hashSecret).update("refmint leaderboard pseudonyms").digest();
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A member's short stable pseudonym, `#` and six characters: a keyed hash of the member number,
 * so nobody can tell the member number (public on-chain) from it, nor the other way round.
 */
export function pseudonym(key: Buffer, memberId: number): string {
  const digest = createHmac("sha256", key).update(`member:${memberId}`).digest();
  let bits = digest.readUInt32BE(0);
  let out = "";
  for (let i = 0; i < 6; i++) {
    out += CROCKFORD[bits & 31];
    bits >>>= 5;
  }
  return `#${out}`;
}

/** How a member appears on a board: their first name when they opted in, else their pseudonym. */
export type BoardName = { kind: "name" | "pseudonym"; text: string };

function nameOf(
  key: Buffer,
  m: { memberId: number; showName: boolean; firstName: string | null; username: string | null },
): BoardName {
  const name = (m.firstName?.trim() || (m.username ? `@${m.username}` : "")).slice(0, 32);
  return m.showName && name !== ""
    ? { kind: "name", text: name }
    : { kind: "pseudonym", text: pseudonym(key, m.memberId) };
}

export interface BoardEntry {
  rank: number;
  memberId: number;
  name: BoardName;
  score: number;
}

export interface BoardQuery {
  campaignId: number;
  board: LeaderboardBoard;
  period: LeaderboardPeriod;
  now: Date;
}

/** The statement behind {@link boardTop} (exported for the benchmark's query plans). */
export function topQuery(q: BoardQuery & { limit: number }) {
  // The top N first (an index range read of N entries), then their members' rows.
  return sql`select t.member_id::text, t.score::text, ls.show_name, m.first_name, m.username
    from (
      select member_id, score, reached_at from leaderboard_scores
      where campaign_id = ${q.campaignId} and board = ${q.board}
        and period = ${periodKey(q.period, q.now)} and not hidden and score > 0
      order by score desc nulls last, reached_at, member_id
      limit ${q.limit}
    ) t
    join members m on m.id = t.member_id
    left join leaderboard_settings ls on ls.member_id = t.member_id
    order by t.score desc, t.reached_at, t.member_id`;
}

/**
 * The first `limit` visible members of a board, in board order, with competition ranks: one
 * index range read of `limit` entries and their members' rows.
 */
export async function boardTop(
  db: Db,
  q: BoardQuery & { limit: number; key: Buffer },
): Promise<BoardEntry[]> {
  const rows = await queryRows<{
    member_id: string;
    score: string;
    show_name: boolean | null;
    first_name: string | null;
    username: string | null;
  }>(db, topQuery(q));
  const out: BoardEntry[] = [];
  for (const [i, r] of rows.entries()) {
    const score = Number(r.score);
    const previous = out[i - 1];
    const memberId = Number(r.member_id);
    out.push({
      // Nobody visible scores more than the first row; a tie shares the rank of its first row.
      rank: previous && previous.score === score ? previous.rank : i + 1,
      memberId,
      name: nameOf(q.key, {
        memberId,
        showName: r.show_name === true,
        firstName: r.first_name,
        username: r.username,
      }),
      score,
    });
  }
  return out;
}

export interface Standing {
  /** Visible members on the board (with a score above 0). */
  total: number;
  /** `ranked`: on the board; `unranked`: no score yet; `hidden`: banned or in review. */
  status: "ranked" | "unranked" | "hidden";
  rank: number | null;
  score: number;
  /** Other visible members with the same score (sharing the rank). */
  tiedWith: number;
  name: BoardName;
  showName: boolean;
}

/** The statement behind {@link boardStanding} (exported for the benchmark's query plans). */
export function standingQuery(q: BoardQuery & { memberId: number }) {
  const period = periodKey(q.period, q.now);
  const bucket = sql`from leaderboard_buckets b
    where b.campaign_id = ${q.campaignId} and b.board = ${q.board} and b.period = ${period}`;
  return sql`select (select coalesce(sum(b.members), 0)::int ${bucket} and b.score > 0) as total,
      s.score::text, s.hidden,
      (select coalesce(sum(b.members), 0)::int ${bucket} and b.score > s.score) as above,
      (select coalesce(sum(b.members), 0)::int ${bucket} and b.score = s.score) as same,
      (m.banned_at is not null or exists (select 1 from leaderboard_holds h
        where h.campaign_id = ${q.campaignId} and h.member_id = m.id and h.reviews > 0)) as held,
      ls.show_name, m.first_name, m.username
    from members m
    left join leaderboard_scores s on s.campaign_id = ${q.campaignId} and s.board = ${q.board}
      and s.period = ${period} and s.member_id = m.id
    left join leaderboard_settings ls on ls.member_id = m.id
    where m.id = ${q.memberId}`;
}

/**
 * A member's place on a board: one statement reading their row, the buckets above their score
 * (one row per distinct score) and the board's total.
 */
export async function boardStanding(
  db: Db,
  q: BoardQuery & { memberId: number; key: Buffer },
): Promise<Standing> {
  const [row] = await queryRows<{
    total: number;
    score: string | null;
    hidden: boolean | null;
    above: number | null;
    same: number | null;
    held: boolean;
    show_name: boolean | null;
    first_name: string | null;
    username: string | null;
  }>(db, standingQuery(q));
  if (!row) throw new Error(`no member ${q.memberId}`);
  const score = Number(row.score ?? 0);
  const showName = row.show_name === true;
  const status = row.held || row.hidden ? "hidden" : score > 0 ? "ranked" : "unranked";
  return {
    total: row.total,
    status,
    rank: status === "ranked" ? 1 + (row.above ?? 0) : null,
    score,
    tiedWith: status === "ranked" ? Math.max(0, (row.same ?? 1) - 1) : 0,
    name: nameOf(q.key, {
      memberId: q.memberId,
      showName,
      firstName: row.first_name,
      username: row.username,
    }),
    showName,
  };
}

export interface Board {
  period: { kind: LeaderboardPeriod; key: string; startsAt: Date | null; endsAt: Date | null };
  top: BoardEntry[];
  me: Standing;
}

/** The top `limit` of a board and the member's own standing (even when outside the top). */
export async function readBoard(
  db: Db,
  q: BoardQuery & { memberId: number; limit: number; key: Buffer },
): Promise<Board> {
  const [top, me] = await Promise.all([boardTop(db, q), boardStanding(db, q)]);
  const week = isoWeek(q.now);
  return {
    period:
      q.period === "all"
        ? { kind: "all", key: "all", startsAt: null, endsAt: null }
        : { kind: "week", key: week.key, startsAt: week.start, endsAt: week.end },
    top,
    me,
  };
}
