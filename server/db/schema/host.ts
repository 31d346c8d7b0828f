/**
 * The tables of the host API (part of the one schema, see ../schema.ts): per-campaign API keys
 * with which a bot that already exists (the grammY plugin, plugin/) reaches a campaign, and the
 * qualifying actions such a host reported. Written by server/domain/hostKeys.ts and
 * server/domain/hostApi.ts only. Only hashes of the keys are stored: a key is shown once.
 */
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { ts } from "../columns.ts";
import { campaigns, members } from "../schema.ts";

export const hostApiKeys = pgTable(
  "host_api_keys",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** What the owner calls it (the host bot's name, say). */
    name: text("name").notNull(),
    /**
     * The partner its reported actions count as: a campaign whose qualification is
     * `partner_event` with this partner qualifies on them.
     */
    partner: text("partner").notNull(),
    /** The key's first characters, to tell keys apart in lists (not enough to use it). */
    prefix: text("prefix").notNull(),
    /** SHA-256 (hex) of the whole key. */
    secretHash: text("secret_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    revokedAt: ts("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (t) => [index("host_api_keys_campaign_idx").on(t.campaignId)],
);

/** A qualifying action a host reported; each (campaign, event id) is processed once. */
export const hostEvents = pgTable(
  "host_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    keyId: integer("key_id")
      .notNull()
      .references(() => hostApiKeys.id),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    /** SHA-256 of what the event says (type and member): a replay must say the same. */
    payloadHash: text("payload_hash").notNull(),
    memberId: bigint("member_id", { mode: "number" }).references(() => members.id),
    result: jsonb("result").$type<Record<string, unknown>>(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("host_events_once").on(t.campaignId, t.eventId)],
);
