/**
 * Outbound webhooks and partner keys (part of the one schema, see ../schema.ts; written only
 * by server/domain/webhooks.ts and server/domain/partnerKeys.ts).
 *
 * - `webhook_endpoints`: a receiver subscribed to some event types of one campaign, with the
 *   secret its deliveries are signed with (shown once when created; kept because every
 *   delivery is signed with it).
 * - `webhook_events`: the outbox. One row per fact, written in the transaction of the fact,
 *   only when an active endpoint of its campaign wants its type; `event_id` is the
 *   idempotency key receivers dedupe on (a retry or replay carries the same one).
 * - `webhook_deliveries`: one per (event, endpoint), fanned out in the same statement; the
 *   worker's queue (status, attempts, next attempt).
 * - `webhook_attempts`: the delivery log, one row per HTTP attempt.
 * - `partner_keys`: API keys of a campaign's partner (stored as SHA-256; shown once).
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns } from "../schema.ts";

export const WEBHOOK_EVENT_TYPES = [
  "member.joined",
  "referral.qualified",
  "reward.paid",
  "perk.redeemed",
  "badge.minted",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    url: text("url").notNull(),
    /** HMAC-SHA256 key of its deliveries; returned once, when the endpoint is created. */
    secret: text("secret").notNull(),
    eventTypes: text("event_types").array().notNull(),
    description: text("description"),
    /** The partner that subscribed it with its key (null: an admin did). */
    partner: text("partner"),
    active: boolean("active").notNull().default(true),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    disabledAt: ts("disabled_at"),
  },
  (t) => [index("webhook_endpoints_campaign_idx").on(t.campaignId)],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The idempotency key: `<type>:<what it is about>`, e.g. `reward.paid:42`. */
    eventId: text("event_id").notNull(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    type: text("type", { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: ts("occurred_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_events_event_id_key").on(t.eventId),
    oneOf("webhook_events_type", t.type, WEBHOOK_EVENT_TYPES),
    index("webhook_events_campaign_idx").on(t.campaignId, t.id),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => webhookEvents.id),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    /** Attempts so far (replays included). */
    attempts: integer("attempts").notNull().default(0),
    /** `attempts` when the current round began (0, or when an admin replayed it): backoff counts from here. */
    roundStart: integer("round_start").notNull().default(0),
    /** An admin asked for a replay that no attempt has made yet. */
    replayPending: boolean("replay_pending").notNull().default(false),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_once").on(t.eventId, t.endpointId),
    oneOf("webhook_deliveries_status", t.status, WEBHOOK_DELIVERY_STATUSES),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
  ],
);

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id),
    /** 1, 2, … per delivery. */
    attempt: integer("attempt").notNull(),
    replay: boolean("replay").notNull().default(false),
    at: ts("at").notNull(),
    /** The receiver's HTTP status; null when no answer came (timeout, refused connection). */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    ok: boolean("ok").notNull(),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

export const partnerKeys = pgTable(
  "partner_keys",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** The partner's name as the campaign file gives it. */
    partner: text("partner").notNull(),
    /** SHA-256 (hex) of the key; the key itself is shown once. */
    keyHash: text("key_hash").notNull(),
    /** The key's first characters, to tell keys apart in lists. */
    prefix: text("prefix").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    uniqueIndex("partner_keys_hash_key").on(t.keyHash),
    index("partner_keys_campaign_idx").on(t.campaignId),
  ],
);
