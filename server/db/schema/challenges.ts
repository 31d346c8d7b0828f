/**
 * Challenges the system detects and the surveys members answer (part of the one schema, see
 * ../schema.ts); written only by server/domain/{challenges,checkins,chatMembership,surveys}.ts:
 *
 * - `chat_memberships`: whether a member is in a chat the bot administers, and since when
 *   (the current stay: a rejoin starts a new one), from `chat_member` updates and on-demand
 *   `getChatMember` checks;
 * - `chat_invite_links`: each member's personal invite link to a chat (joins through it are
 *   attributed to that member);
 * - `checkins`: one row per (campaign, member, UTC day) with the streak it made;
 * - `achievements`: things worth a badge later (a 7-day streak), once per kind;
 * - `challenge_revocations`: each completion taken back (the member left the chat too soon, an
 *   admin revoked it) and what became of its reward: cancelled before it left, or a clawback
 *   debt when it was already sent (closed when the member completes the challenge again);
 * - `surveys`, `survey_deliveries`, `survey_answers`: surveys and votes, what was sent to whom
 *   (a native poll's id maps its `poll_answer` back), and each member's current answer.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { oneOf, ts, wei } from "../columns.ts";
import { campaigns, memberIdColumn } from "../schema.ts";

export const chatMemberships = pgTable(
  "chat_memberships",
  {
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    memberId: memberIdColumn(),
    status: text("status", { enum: ["member", "left"] }).notNull(),
    /** Start of the current stay (kept while the member stays, reset by a rejoin). */
    joinedAt: ts("joined_at"),
    leftAt: ts("left_at"),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.memberId] }),
    oneOf("chat_memberships_status", t.status, ["member", "left"]),
  ],
);

export const chatInviteLinks = pgTable(
  "chat_invite_links",
  {
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    memberId: memberIdColumn(),
    link: text("link").notNull().unique(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.memberId] })],
);

export const checkins = pgTable(
  "checkins",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: memberIdColumn(),
    /** The UTC day, `YYYY-MM-DD`. */
    day: text("day").notNull(),
    streak: integer("streak").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.memberId, t.day] })],
);

export const achievements = pgTable(
  "achievements",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: memberIdColumn(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    kind: text("kind").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [unique("achievements_once").on(t.memberId, t.campaignId, t.kind)],
);

export const REVOCATION_OUTCOMES = [
  /** The reward had not left: its grant was rejected, the amount back to the budget. */
  "cancelled",
  /** The reward was sent or settled: the amount is owed back (`debt`). */
  "clawback",
  /** The completion paid nothing (cap, budget, campaign over): only the completion goes. */
  "unpaid",
] as const;
export type RevocationOutcome = (typeof REVOCATION_OUTCOMES)[number];
export const REVOCATION_REASONS = ["left_chat", "admin"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
export const DEBT_STATUSES = ["open", "settled"] as const;

export const challengeRevocations = pgTable(
  "challenge_revocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    challengeId: text("challenge_id").notNull(),
    memberId: memberIdColumn(),
    /** The completion taken back (when it was recorded and by what). */
    completedAt: ts("completed_at").notNull(),
    source: text("source").notNull(),
    /** Its reward's ledger entry, if it paid one. */
    entryId: bigint("entry_id", { mode: "number" }),
    outcome: text("outcome", { enum: REVOCATION_OUTCOMES }).notNull(),
    token: text("token"),
    /** What the reward was (cancelled) or what is owed back (clawback), in wei. */
    amount: wei("amount"),
    /** Clawbacks only: `open` until settled (the member completed the challenge again). */
    debt: text("debt", { enum: DEBT_STATUSES }),
    reason: text("reason", { enum: REVOCATION_REASONS }).notNull(),
    note: text("note"),
    actor: text("actor").notNull(),
    revokedAt: ts("revoked_at").notNull(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    index("challenge_revocations_member_idx").on(t.campaignId, t.challengeId, t.memberId),
    oneOf("challenge_revocations_outcome", t.outcome, REVOCATION_OUTCOMES),
    oneOf("challenge_revocations_reason", t.reason, REVOCATION_REASONS),
    oneOf("challenge_revocations_debt", t.debt, DEBT_STATUSES),
  ],
);

export const SURVEY_KINDS = ["survey", "vote"] as const;
export const SURVEY_SEGMENTS = ["all", "referred", "inviters", "wallet"] as const;

export interface SurveyQuestion {
  text: string;
  kind: "choice" | "text";
  /** For `choice`; a vote's options carry the budget the next reward would have. */
  options?: Array<{ text: string; budget?: string }>;
}

export const surveys = pgTable(
  "surveys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    kind: text("kind", { enum: SURVEY_KINDS }).notNull(),
    title: text("title").notNull(),
    questions: jsonb("questions").$type<SurveyQuestion[]>().notNull(),
    segment: text("segment", { enum: SURVEY_SEGMENTS }).notNull(),
    rewardToken: text("reward_token"),
    rewardAmount: wei("reward_amount"),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    closesAt: ts("closes_at"),
    closedAt: ts("closed_at"),
  },
  (t) => [
    oneOf("surveys_kind", t.kind, SURVEY_KINDS),
    oneOf("surveys_segment", t.segment, SURVEY_SEGMENTS),
    oneOf("surveys_status", t.status, ["open", "closed"]),
  ],
);

export const surveyDeliveries = pgTable(
  "survey_deliveries",
  {
    surveyId: bigint("survey_id", { mode: "number" })
      .notNull()
      .references(() => surveys.id),
    question: smallint("question").notNull(),
    memberId: memberIdColumn(),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    messageId: integer("message_id"),
    /** A native Telegram poll's id: `poll_answer` updates name only it. */
    pollId: text("poll_id"),
    sentAt: ts("sent_at").notNull(),
    /** The native poll was stopped (`stopPoll`) after the survey closed: done once per message. */
    pollStoppedAt: ts("poll_stopped_at"),
    /** A process is stopping it until then; a crash mid-call leaves it to be retried after. */
    pollStopLeaseUntil: ts("poll_stop_lease_until"),
  },
  (t) => [
    primaryKey({ columns: [t.surveyId, t.question, t.memberId] }),
    uniqueIndex("survey_deliveries_poll").on(t.pollId),
    index("survey_deliveries_poll_open")
      .on(t.surveyId)
      .where(sql`${t.pollId} is not null and ${t.pollStoppedAt} is null`),
    index("survey_deliveries_message").on(t.chatId, t.messageId),
  ],
);

export const surveyAnswers = pgTable(
  "survey_answers",
  {
    surveyId: bigint("survey_id", { mode: "number" })
      .notNull()
      .references(() => surveys.id),
    question: smallint("question").notNull(),
    memberId: memberIdColumn(),
    /** Chosen option indexes (choice questions). */
    choices: jsonb("choices").$type<number[]>(),
    text: text("text"),
    answeredAt: ts("answered_at").notNull(),
    changedAt: ts("changed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.question, t.memberId] })],
);
