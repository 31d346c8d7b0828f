/**
 * The leaderboards' tables (part of the one schema, see ../schema.ts), kept incrementally by
 * the domain (server/domain/leaderboards.ts) in the same transaction as the event that changes
 * a score, so that reading a board never scans it:
 *
 * - `leaderboard_scores`: one row per (campaign, board, period, member) with a score; the
 *   partial index over the visible rows in board order makes the top N an index range read;
 * - `leaderboard_buckets`: how many visible members hold each score of a board, so a member's
 *   rank is a sum over the (few) distinct scores above theirs instead of a count of members;
 * - `leaderboard_holds`: per campaign and member, how many of their referrals are in review
 *   (a member in review is left out of that campaign's boards, like a banned member);
 * - `leaderboard_settings`: a member's choice to show their name instead of a pseudonym.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns, memberIdColumn, members } from "../schema.ts";

export const LEADERBOARD_BOARDS = ["referrals", "activity"] as const;
export type LeaderboardBoard = (typeof LEADERBOARD_BOARDS)[number];

/**
 * A member's score on one board of a campaign for one period: `all` (all time) or an ISO week
 * in UTC (`2026-W07`). `reached_at` is when the score was last raised (the tie-break: who got
 * there first ranks first). `hidden` is set while the member is banned or in review in the
 * campaign; hidden rows are left out of the board (and of the index and buckets it is read with).
 */
export const leaderboardScores = pgTable(
  "leaderboard_scores",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    board: text("board", { enum: LEADERBOARD_BOARDS }).notNull(),
    period: text("period").notNull(),
    memberId: memberIdColumn(),
    /** Referrals board: qualified referrals. Activity board: hundredths of an activity point. */
    score: bigint("score", { mode: "number" }).notNull(),
    reachedAt: ts("reached_at").notNull(),
    hidden: boolean("hidden").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.board, t.period, t.memberId] }),
    oneOf("leaderboard_scores_board", t.board, LEADERBOARD_BOARDS),
    check("leaderboard_scores_nonneg", sql`${t.score} >= 0`),
    // The board in its order: the top N is the first N entries of this index.
    index("leaderboard_scores_rank_idx")
      .on(t.campaignId, t.board, t.period, t.score.desc(), t.reachedAt, t.memberId)
      .where(sql`not ${t.hidden}`),
    // Banning (or unbanning) a member flips the flag on every row of theirs.
    index("leaderboard_scores_member_idx").on(t.memberId),
  ],
);

/** Visible members per score of a board (rows with `members` 0 may stay: they add nothing). */
export const leaderboardBuckets = pgTable(
  "leaderboard_buckets",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    board: text("board", { enum: LEADERBOARD_BOARDS }).notNull(),
    period: text("period").notNull(),
    score: bigint("score", { mode: "number" }).notNull(),
    members: integer("members").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.board, t.period, t.score] }),
    oneOf("leaderboard_buckets_board", t.board, LEADERBOARD_BOARDS),
    // No CHECK (members >= 0): a count moves by an upsert of the difference, and PostgreSQL
    // checks the row proposed for insertion (-1) before it finds the conflict it merges into.
  ],
);

/** Referrals of a member (as referrer or referee) in review in a campaign; rows at 0 may stay. */
export const leaderboardHolds = pgTable(
  "leaderboard_holds",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: memberIdColumn(),
    reviews: integer("reviews").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId] }),
    check("leaderboard_holds_nonneg", sql`${t.reviews} >= 0`),
  ],
);

/** A member's leaderboard preferences; no row: the defaults (a pseudonym, no name). */
export const leaderboardSettings = pgTable("leaderboard_settings", {
  memberId: bigint("member_id", { mode: "number" })
    .primaryKey()
    .references(() => members.id),
  /** Opt-in: the member's Telegram first name is shown instead of their pseudonym. */
  showName: boolean("show_name").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
