/**
 * Drizzle schema: the single source for tables, types and drizzle-kit migrations. This file
 * holds the referral core (members, referrals, the ledger, the notification queue); the tables beside it under `schema/` (the payout pipeline's `chain.ts`, the bot's
 * operational `bot.ts`, the website's `web.ts`) are the same schema, split for reading, with
 * one migration history (`migrations/`, see migrations.ts).
 *
 * Conventions: ids that leave the database (member numbers, payout ids) are bigint
 * sequences read as JS numbers (they stay far below 2**53); token amounts are wei in
 * `numeric(78,0)` read as `bigint`; every timestamp is `timestamptz`.
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
  serial,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { oneOf, ts, wei } from "./columns.ts";

/**
 * A campaign's lifecycle state (server/domain/campaignTransitions.ts is its only writer):
 * `draft → validated → deploying → active ⇄ paused → ended → archived`.
 */
export const CAMPAIGN_STATES = [
  "draft",
  "validated",
  "deploying",
  "active",
  "paused",
  "ended",
  "archived",
] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Campaign definitions synced from `campaigns/*.json` at start-up. */
export const campaigns = pgTable(
  "campaigns",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    onchainId: bigint("onchain_id", { mode: "number" }).notNull().unique(),
    definition: jsonb("definition").notNull(),
    definitionHash: text("definition_hash").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** Written only by campaignTransitions.ts; a new campaign file enters as `draft`. */
    state: text("state", { enum: CAMPAIGN_STATES }).notNull().default("draft"),
    stateChangedAt: ts("state_changed_at").notNull().defaultNow(),
    stateChangedBy: text("state_changed_by").notNull().default("system"),
    /** When it ended (`end`): the grace period and the clawback date count from here. */
    endedAt: ts("ended_at"),
    /** A pilot campaign opened to everyone (`promote`); null while the pilot holds. */
    pilotPromotedAt: ts("pilot_promoted_at"),
  },
  (t) => [oneOf("campaigns_state", t.state, CAMPAIGN_STATES)],
);

/**
 * One row per (campaign, token): the budget and what is granted against it. Every
 * grant locks this row first, which serialises grant decisions per token so caps and
 * budget are checked against a stable total.
 */
export const campaignTokens = pgTable(
  "campaign_tokens",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    symbol: text("symbol").notNull(),
    decimals: smallint("decimals").notNull(),
    budget: wei("budget").notNull(),
    granted: wei("granted").notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.symbol] }),
    check("campaign_tokens_granted_nonneg", sql`${t.granted} >= 0`),
  ],
);

export const members = pgTable(
  "members",
  {
    /** Public member number; goes on-chain as `referee`. */
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Never on-chain, never in info-level logs. */
    telegramId: bigint("telegram_id", { mode: "number" }).notNull().unique(),
    username: text("username"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    languageCode: text("language_code"),
    isPremium: boolean("is_premium").notNull().default(false),
    firstSeenAt: ts("first_seen_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    bannedAt: ts("banned_at"),
    banReason: text("ban_reason"),
    /** The member asked for deletion: personal data erased, never messaged again (privacy.ts). */
    deletedAt: ts("deleted_at"),
    /** Counters kept in the same transactions as the rows they count (cheap profile reads). */
    clicks: integer("clicks").notNull().default(0),
    starts: integer("starts").notNull().default(0),
  },
  (t) => [index("members_username_idx").on(sql`lower(${t.username})`)],
);

/** `member_id`, required, referencing the member: how most tables name their member. */
export const memberIdColumn = () =>
  bigint("member_id", { mode: "number" })
    .notNull()
    .references(() => members.id);

/** Referral codes; a member keeps old codes working after a vanity code is assigned. */
export const referralCodes = pgTable(
  "referral_codes",
  {
    /** Stored lower-case; look-ups lower-case the input. */
    code: text("code").primaryKey(),
    memberId: memberIdColumn(),
    kind: text("kind", { enum: ["random", "vanity"] }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("referral_codes_member_idx").on(t.memberId, t.createdAt),
    oneOf("referral_codes_kind", t.kind, ["random", "vanity"]),
  ],
);

/** Redirect clicks, one per (code owner, client, UTC day). */
export const clicks = pgTable(
  "clicks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: memberIdColumn(),
    code: text("code").notNull(),
    clientHash: text("client_hash").notNull(),
    day: text("day").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The campaign the click counts for in analytics (a trigger fills it when not given). */
    campaignId: integer("campaign_id"),
  },
  (t) => [uniqueIndex("clicks_once_per_day").on(t.memberId, t.clientHash, t.day)],
);

/** `/start <code>` and `startapp` openings, one per (code owner, starter). */
export const starts = pgTable(
  "starts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    referrerId: bigint("referrer_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    starterId: bigint("starter_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    code: text("code").notNull(),
    source: text("source").notNull(),
    outcome: text("outcome").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The campaign the start counts for in analytics (a trigger fills it when not given). */
    campaignId: integer("campaign_id"),
  },
  (t) => [uniqueIndex("starts_once").on(t.referrerId, t.starterId)],
);

export const REFERRAL_STATUSES = ["pending", "review", "qualified", "rejected"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Who referred whom. `referee_id` is unique: an attribution is written once, never changed. */
export const referrals = pgTable(
  "referrals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    referrerId: bigint("referrer_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    // Unique per campaign (below): a member is referred at most once in each campaign.
    refereeId: bigint("referee_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    code: text("code").notNull(),
    source: text("source").notNull(),
    variant: text("variant"),
    status: text("status", { enum: REFERRAL_STATUSES }).notNull().default("pending"),
    statusReason: text("status_reason"),
    qualifiedBy: text("qualified_by"),
    ipHash: text("ip_hash"),
    deviceHash: text("device_hash"),
    attributedAt: ts("attributed_at").notNull().defaultNow(),
    reviewAt: ts("review_at"),
    qualifiedAt: ts("qualified_at"),
    rejectedAt: ts("rejected_at"),
  },
  (t) => [
    check("referrals_not_self", sql`${t.referrerId} <> ${t.refereeId}`),
    uniqueIndex("referrals_referee_campaign_key").on(t.refereeId, t.campaignId),
    oneOf("referrals_status", t.status, REFERRAL_STATUSES),
    index("referrals_referrer_idx").on(t.referrerId, t.attributedAt),
    index("referrals_campaign_status_idx").on(t.campaignId, t.status, t.attributedAt),
    index("referrals_ip_idx").on(t.ipHash),
    index("referrals_device_idx").on(t.deviceHash),
  ],
);

/**
 * Referrals per (campaign, ancestor, level, status), maintained with every status change so
 * the profile is one indexed read however large a member's tree grows. Each campaign has its
 * own tree, so its own counters (tiers never mix campaigns).
 */
export const referralCounters = pgTable(
  "referral_counters",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: memberIdColumn(),
    level: smallint("level").notNull(),
    status: text("status", { enum: REFERRAL_STATUSES }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.campaignId, t.level, t.status] }),
    check("referral_counters_nonneg", sql`${t.count} >= 0`),
    oneOf("referral_counters_status", t.status, REFERRAL_STATUSES),
  ],
);

/** The wallet currently linked to a member (at most one each way). */
export const memberWallets = pgTable("member_wallets", {
  memberId: bigint("member_id", { mode: "number" })
    .primaryKey()
    .references(() => members.id),
  /** EIP-55 checksummed, so the unique constraint is case-exact. */
  address: text("address").notNull().unique(),
  chainId: bigint("chain_id", { mode: "number" }).notNull(),
  linkedAt: ts("linked_at").notNull().defaultNow(),
});

/** Every link and re-link, for audits and shared-wallet detection. */
export const walletEvents = pgTable(
  "wallet_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: memberIdColumn(),
    address: text("address").notNull(),
    previousAddress: text("previous_address"),
    action: text("action", { enum: ["linked", "relinked"] }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("wallet_events_action", t.action, ["linked", "relinked"]),
    index("wallet_events_address_idx").on(t.address),
    index("wallet_events_member_idx").on(t.memberId),
  ],
);

/** SIWE nonces: bound to one member, single use, short-lived. */
export const siweNonces = pgTable(
  "siwe_nonces",
  {
    nonce: text("nonce").primaryKey(),
    memberId: memberIdColumn(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("siwe_nonces_expiry_idx").on(t.expiresAt)],
);

export const ENTRY_STATES = [
  "pending",
  "queued",
  "sent",
  "settled",
  "failed",
  "expired",
  "rejected",
  /** Not sent: the recipient's address is on a screening list (server/domain/screening.ts). */
  "held",
] as const;
export type EntryState = (typeof ENTRY_STATES)[number];
export const ENTRY_KINDS = ["referral", "welcome", "challenge", "adjustment"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * One row per reward. `id` is the on-chain payout id. `idempotency_key` is derived from
 * what the reward is for (campaign, referral, level …), so a second write is impossible.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    token: text("token").notNull(),
    memberId: memberIdColumn(),
    amount: wei("amount").notNull(),
    kind: text("kind", { enum: ENTRY_KINDS }).notNull(),
    level: smallint("level"),
    referralId: bigint("referral_id", { mode: "number" }).references(() => referrals.id),
    /** For referral rewards: the referred member (goes on-chain as `referee`). */
    refereeId: bigint("referee_id", { mode: "number" }).references(() => members.id),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    state: text("state", { enum: ENTRY_STATES }).notNull(),
    note: text("note"),
    createdAt: ts("created_at").notNull().defaultNow(),
    pendingAt: ts("pending_at"),
    queuedAt: ts("queued_at"),
    sentAt: ts("sent_at"),
    settledAt: ts("settled_at"),
    failedAt: ts("failed_at"),
    expiredAt: ts("expired_at"),
    rejectedAt: ts("rejected_at"),
    expiresAt: ts("expires_at"),
    txHash: text("tx_hash"),
    blockNumber: bigint("block_number", { mode: "bigint" }),
    /** The campaign rules version it was earned under (`campaign_versions`; rows before versions: 1). */
    rulesVersion: integer("rules_version").notNull().default(1),
  },
  (t) => [
    check("ledger_entries_amount_pos", sql`${t.amount} > 0`),
    oneOf("ledger_entries_state", t.state, ENTRY_STATES),
    oneOf("ledger_entries_kind", t.kind, ENTRY_KINDS),
    index("ledger_entries_member_idx").on(t.memberId, t.campaignId, t.token, t.createdAt),
    index("ledger_entries_expiry_idx").on(t.state, t.expiresAt),
    index("ledger_entries_referral_idx").on(t.referralId),
  ],
);

/**
 * Double-entry postings: two per grant (debit the campaign budget, credit the member),
 * two more reversing them when a grant expires or is rejected. Debits equal credits.
 */
export const ledgerPostings = pgTable(
  "ledger_postings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    entryId: bigint("entry_id", { mode: "number" })
      .notNull()
      .references(() => ledgerEntries.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    token: text("token").notNull(),
    account: text("account", { enum: ["budget", "member"] }).notNull(),
    memberId: bigint("member_id", { mode: "number" }).references(() => members.id),
    side: text("side", { enum: ["debit", "credit"] }).notNull(),
    amount: wei("amount").notNull(),
    reversal: boolean("reversal").notNull().default(false),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("ledger_postings_amount_pos", sql`${t.amount} > 0`),
    oneOf("ledger_postings_account", t.account, ["budget", "member"]),
    oneOf("ledger_postings_side", t.side, ["debit", "credit"]),
    check(
      "ledger_postings_member_account",
      sql`(${t.account} = 'member') = (${t.memberId} is not null)`,
    ),
    index("ledger_postings_entry_idx").on(t.entryId),
    index("ledger_postings_account_idx").on(t.campaignId, t.token, t.account),
  ],
);

export const OUTBOX_STATUSES = [
  "queued",
  "sending",
  "sent",
  "settled",
  "failed",
  "cancelled",
  "held",
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Transactional outbox for the payout worker: written in the same transaction as its
 * ledger entry; `entry_id` is the payout id. The worker claims rows with
 * `FOR UPDATE SKIP LOCKED`, resolves the recipient at send time, and records batch,
 * nonce, tx hash and attempts here before and after sending.
 */
export const payoutOutbox = pgTable(
  "payout_outbox",
  {
    entryId: bigint("entry_id", { mode: "number" })
      .primaryKey()
      .references(() => ledgerEntries.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    token: text("token").notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("queued"),
    batchId: bigint("batch_id", { mode: "number" }),
    recipient: text("recipient"),
    txHash: text("tx_hash"),
    nonce: bigint("nonce", { mode: "number" }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Why a `held` payout is held (the screening list and its date). */
    holdReason: text("hold_reason"),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("payout_outbox_ready_idx").on(t.status, t.campaignId, t.token, t.nextAttemptAt),
    // The queue in payout id order (the worker claims the lowest first): walking the primary
    // key instead, PostgreSQL went through every payout ever settled before the first queued
    // one whenever a backlog made queued rows look common.
    index("payout_outbox_queued_idx").on(t.entryId).where(sql`${t.status} = 'queued'`),
    oneOf("payout_outbox_status", t.status, OUTBOX_STATUSES),
  ],
);

/** Referrals held for a human decision, with the reasons the fraud checks gave. */
export const reviewItems = pgTable(
  "review_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    referralId: bigint("referral_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => referrals.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    reasons: jsonb("reasons").$type<string[]>().notNull(),
    status: text("status", { enum: ["open", "approved", "rejected"] })
      .notNull()
      .default("open"),
    createdAt: ts("created_at").notNull().defaultNow(),
    decidedAt: ts("decided_at"),
    decidedBy: text("decided_by"),
    decisionReason: text("decision_reason"),
  },
  (t) => [
    index("review_items_status_idx").on(t.status, t.id),
    oneOf("review_items_status", t.status, ["open", "approved", "rejected"]),
  ],
);

/**
 * Every admin action and sensitive change (reviews, pauses, bans, vanity codes, re-links,
 * roles, broadcasts), admins' reads of personal data, and refused admin attempts: who
 * (`actor`), what (`action`, subject), in which campaign (`campaign_id`, null for what spans
 * campaigns), the state `before` and `after`, and the rest in `details`.
 *
 * Append-only: a trigger (migration 0006) refuses every UPDATE and DELETE, so the
 * application cannot change or remove a row, whatever code runs. `campaign_id` has no
 * foreign key on purpose: a row must outlive anything it names.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    campaignId: integer("campaign_id"),
    before: jsonb("before").$type<Record<string, unknown>>(),
    after: jsonb("after").$type<Record<string, unknown>>(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId),
    // The read API pages newest first by id within each filter.
    index("audit_log_campaign_idx").on(t.campaignId, t.id),
    index("audit_log_actor_idx").on(t.actor, t.id),
    index("audit_log_action_idx").on(t.action, t.id),
    index("audit_log_created_idx").on(t.createdAt),
  ],
);

export const CAMPAIGN_ROLES = ["owner", "manager", "reviewer", "analyst"] as const;
export type CampaignRole = (typeof CAMPAIGN_ROLES)[number];

/**
 * Per-campaign admin roles (what each allows: `server/domain/roles.ts`). A member may hold
 * several roles in a campaign and roles in several campaigns. The bootstrap super-admins
 * (`ADMIN_TELEGRAM_IDS`) and the operator token are not stored here: they hold every right.
 */
export const campaignRoles = pgTable(
  "campaign_roles",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    role: text("role", { enum: CAMPAIGN_ROLES }).notNull(),
    grantedBy: text("granted_by").notNull(),
    grantedAt: ts("granted_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId, t.role] }),
    index("campaign_roles_member_idx").on(t.memberId),
    oneOf("campaign_roles_role", t.role, CAMPAIGN_ROLES),
  ],
);

/** Partner webhook events; (partner, event id) is unique, so a replay writes nothing. */
export const partnerEvents = pgTable(
  "partner_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    partner: text("partner").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    payloadHash: text("payload_hash").notNull(),
    memberId: bigint("member_id", { mode: "number" }).references(() => members.id),
    result: jsonb("result").$type<Record<string, unknown>>(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("partner_events_once").on(t.partner, t.eventId)],
);

export const challengeCompletions = pgTable(
  "challenge_completions",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    challengeId: text("challenge_id").notNull(),
    memberId: memberIdColumn(),
    completedAt: ts("completed_at").notNull().defaultNow(),
    source: text("source").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.challengeId, t.memberId] }),
    // A member's completions (attribution's campaign joins, qualification, challenge
    // progress): the key starts with the campaign and the challenge, so without it each such
    // read scanned every completion.
    index("challenge_completions_member_idx").on(t.memberId, t.campaignId),
  ],
);

export type MemberRow = typeof members.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type ReviewItemRow = typeof reviewItems.$inferSelect;

/**
 * The notification queue: written by the referral engine and the payout pipeline (through the
 * domain), in the same transaction as the change it announces, and drained by the bot's sender,
 * so no notification is lost on a restart.
 */
export const NOTIFICATION_KINDS = [
  "referee_joined",
  "referral_qualified",
  "reward_paid",
  "reward_expiring",
  "tier_reached",
  "rules_changed",
  "coupon_issued",
  // A review's outcome, to the referrer and the referee (approved or rejected with the reason).
  "review_decided",
  // A referrer's "remind your friend" (to the friend, at most once a day per referral).
  "friend_reminder",
  // A completed challenge taken back (left the chat too soon, an admin revoked it).
  "challenge_revoked",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "skipped"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: memberIdColumn(),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    /** What the message needs (amounts as decimal strings, ids, tx hash); no Telegram ids. */
    data: jsonb("data").$type<Record<string, string | number | boolean | null>>().notNull(),
    /** Makes enqueueing idempotent: one notification per event, however often it is retried. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    status: text("status", { enum: NOTIFICATION_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    oneOf("notifications_kind", t.kind, NOTIFICATION_KINDS),
    oneOf("notifications_status", t.status, NOTIFICATION_STATUSES),
    index("notifications_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("notifications_member_idx").on(t.memberId),
    // Each member's oldest pending notification (the sender takes members in turn).
    index("notifications_pending_member_idx")
      .on(t.memberId, t.id)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Address screening lists (a sanctions list, the operator's own deny list …), imported from
 * files. Importing a list again under the same source replaces its addresses (delisted
 * addresses leave with the old version).
 */
export const screeningLists = pgTable("screening_lists", {
  id: serial("id").primaryKey(),
  source: text("source").notNull().unique(),
  /** The date the list itself carries (when its publisher issued it). */
  listedOn: text("listed_on").notNull(),
  entries: integer("entries").notNull(),
  importedAt: ts("imported_at").notNull().defaultNow(),
  importedBy: text("imported_by").notNull(),
});

/** One listed address per list; lower-case, so a lookup is one index probe whatever the case. */
export const screenedAddresses = pgTable(
  "screened_addresses",
  {
    address: text("address").notNull(),
    listId: integer("list_id")
      .notNull()
      .references(() => screeningLists.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.address, t.listId] })],
);
