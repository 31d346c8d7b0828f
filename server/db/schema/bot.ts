/**
 * The bot's operational tables (part of the one schema, see ../schema.ts): the webhook inbox
 * (each Telegram update handled once), members' language choices, admin broadcasts with their
 * progress, and pending admin prompts. Only the bot uses them, through its own modules.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns, members } from "../schema.ts";

/**
 * The webhook inbox: every update Telegram delivers is stored before it is acknowledged, so
 * a redelivered `update_id` is recognised and skipped, and an update acknowledged just
 * before a crash is still handled after the restart. Until it is handled, an update belongs
 * to the process that received it (`owner`), which renews `lease_until` while it lives;
 * another process takes it over once the owner is known dead or its lease ran out (see
 * bot/inbox.ts). The payload is dropped once handled; rows are kept two days (Telegram gives
 * up redelivering after one).
 */
export const botUpdates = pgTable(
  "bot_updates",
  {
    /** The bot's own Telegram id: update ids are only unique per bot. */
    botId: bigint("bot_id", { mode: "number" }).notNull(),
    updateId: bigint("update_id", { mode: "number" }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
    /**
     * When the first answer to it reached Telegram (written right after the Bot API call
     * returned): a crashed owner's update with an answer out is not handled again.
     */
    answeredAt: ts("answered_at"),
    /** The bot process that received it: `host:pid:random` (see bot/inbox.ts). */
    owner: text("owner"),
    /** The owner renews this while it runs; afterwards anyone may take the update over. */
    leaseUntil: ts("lease_until"),
    /**
     * Its answer goes back in the webhook's HTTP response (BOT_WEBHOOK_ANSWER=response): it
     * was not acknowledged before it was handled, so Telegram delivers it again until that
     * response arrives, and only such a redelivery takes it over (never the background
     * recovery, which would answer it a second time).
     */
    answerInResponse: boolean("answer_in_response").notNull().default(false),
    /**
     * The method call sent in the webhook's response (`{ method, ...parameters }`), written
     * with the handled mark: a redelivery of the update gets the same answer, once more only
     * because Telegram did not receive it the first time.
     */
    reply: jsonb("reply").$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.botId, t.updateId] }),
    index("bot_updates_unprocessed_idx").on(t.receivedAt).where(sql`${t.processedAt} is null`),
    index("bot_updates_received_idx").on(t.receivedAt),
  ],
);

export const BOT_LANGUAGES = ["en", "ru"] as const;
export type BotLanguage = (typeof BOT_LANGUAGES)[number];

/** A member's `/language` choice; without a row the Telegram client's language is used. */
export const botMemberSettings = pgTable(
  "bot_member_settings",
  {
    memberId: bigint("member_id", { mode: "number" })
      .primaryKey()
      .references(() => members.id),
    language: text("language", { enum: BOT_LANGUAGES }).notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [oneOf("bot_member_settings_language", t.language, BOT_LANGUAGES)],
);

/**
 * A member's notification preferences (`/notifications`); without a row every kind is on and
 * there are no quiet hours. `muted` lists the kinds the member turned off (they are skipped,
 * not queued for later); quiet hours delay everything else until they end, in the member's
 * `time_zone`: an IANA name (`Europe/Moscow`) or a fixed UTC offset (`+03:00`).
 */
export const botNotificationSettings = pgTable(
  "bot_notification_settings",
  {
    memberId: bigint("member_id", { mode: "number" })
      .primaryKey()
      .references(() => members.id),
    muted: text("muted").array().notNull().default(sql`'{}'::text[]`),
    /** Minutes after local midnight; both null: no quiet hours. */
    quietFrom: smallint("quiet_from"),
    quietTo: smallint("quiet_to"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** "A friend joined" digest: `window` or `daily`; null: the service's BOT_DIGEST_MODE. */
    digest: text("digest"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check(
      "bot_notification_settings_digest",
      sql`${t.digest} is null or ${t.digest} in ('window', 'daily')`,
    ),
    check(
      "bot_notification_settings_quiet",
      sql`(${t.quietFrom} is null) = (${t.quietTo} is null) and coalesce(${t.quietFrom}, 0) between 0 and 1439 and coalesce(${t.quietTo}, 0) between 0 and 1439`,
    ),
  ],
);

export const BROADCAST_STATUSES = ["draft", "running", "done", "cancelled"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/**
 * Who among the campaign's (or every) member a broadcast reaches, resolved when it is
 * composed so the worker needs no campaign rules: a tier as its range of qualified
 * referrals, activity as a fixed instant (the send time minus the days asked for).
 */
export interface BroadcastSegmentData {
  tier?: { id: string; minQualified: number; maxQualified: number | null };
  language?: BotLanguage;
  hasWallet?: boolean;
  activeDays?: number;
  /** ISO instant: members seen at or after it. */
  activeSince?: string;
}

/**
 * Admin broadcasts. Members are messaged in member-number order and `cursor` (the last
 * member number handled) is saved after every batch, so a broadcast resumes where it stopped
 * after a restart. `lease_until` keeps two processes from sending the same broadcast.
 */
export const botBroadcasts = pgTable(
  "bot_broadcasts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    status: text("status", { enum: BROADCAST_STATUSES }).notNull().default("draft"),
    /** The message per language (`en` always; others optional, falling back to `en`). */
    texts: jsonb("texts").$type<Partial<Record<BotLanguage, string>>>().notNull(),
    createdBy: bigint("created_by", { mode: "number" })
      .notNull()
      .references(() => members.id),
    /**
     * The campaign whose members it goes to (those referred or referring in it, or rewarded in
     * it); null: every member (super-admins only).
     */
    campaignId: integer("campaign_id").references(() => campaigns.id),
    /** The admin's chat, where the progress message is edited. */
    adminChatId: bigint("admin_chat_id", { mode: "number" }).notNull(),
    progressMessageId: integer("progress_message_id"),
    /** The admin's language when the broadcast was created (for the progress message). */
    adminLanguage: text("admin_language", { enum: BOT_LANGUAGES }).notNull(),
    cursor: bigint("cursor", { mode: "number" }).notNull().default(0),
    total: integer("total").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** The failures by reason (`blocked`, `not_started`, `telegram_error`, `rejected`). */
    failures: jsonb("failures").$type<Partial<Record<string, number>>>().notNull().default({}),
    leaseUntil: ts("lease_until"),
    /** Narrows the audience (the console's segments); `{}`: everyone the campaign reaches. */
    segment: jsonb("segment").$type<BroadcastSegmentData>().notNull().default({}),
    /** Not sent before this (a scheduled broadcast waits, stored, as `running`); null: at once. */
    scheduledAt: ts("scheduled_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("bot_broadcasts_status", t.status, BROADCAST_STATUSES),
    oneOf("bot_broadcasts_admin_language", t.adminLanguage, BOT_LANGUAGES),
    index("bot_broadcasts_running_idx").on(t.id).where(sql`${t.status} = 'running'`),
  ],
);

/**
 * Questions the bot asked an admin with a forced reply (e.g. the reason for rejecting a
 * review), keyed by the prompt message, so the answer is understood even after a restart.
 */
export const botPrompts = pgTable(
  "bot_prompts",
  {
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    messageId: integer("message_id").notNull(),
    kind: text("kind", { enum: ["reject_review"] }).notNull(),
    payload: jsonb("payload").$type<Record<string, string | number | null>>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.messageId] }),
    oneOf("bot_prompts_kind", t.kind, ["reject_review"]),
  ],
);
