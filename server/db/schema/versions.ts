/**
 * Campaign rule versions (part of the one schema, see ../schema.ts; written only by
 * server/domain/versions.ts).
 *
 * A campaign's rules (its campaign file) change while it runs; each content is a version,
 * numbered from 1 per campaign. Version 1 is what the campaign started with (recorded by the
 * start-up sync: the file, or for a campaign older than versions the definition the database
 * held); later ones are created by `npm run campaign:version`, which applies their on-chain
 * changes and publishes them with `ReferralPayouts.updateRules(version, hash, uri)`. A version
 * takes effect at the block of its `RulesPublished` log, which the indexer records.
 *
 * `document` is the rules document exactly as hashed and served (`GET /rules/<slug>/<hash>.json`):
 * the definition as canonical JSON. `hash` is its SHA-256 as `0x` + 64 hex digits (the
 * on-chain `bytes32`).
 */
import { sql } from "drizzle-orm";
import { bigint, check, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns } from "../schema.ts";

/** `pending`: created, not in effect yet (its on-chain changes and publication under way). */
export const VERSION_STATUSES = ["pending", "effective"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** One on-chain change a version needs, as planned and as sent (see server/chain/versions.ts). */
export interface VersionAction {
  /** Stable name of the change, e.g. `budget:REF`, `perk:2`, `rules`. */
  key: string;
  /** What it does, in words (the command prints it). */
  description: string;
  contract: string;
  address: string;
  functionName: string;
  /** Arguments as JSON (bigints as decimal strings). */
  args: unknown[];
  /** ABI-encoded call, for a multisig to send as it is. */
  data: string;
  /** `planned` → `sent` (hash recorded before broadcast) → `done` (mined, succeeded). */
  status: "planned" | "sent" | "done";
  txHash: string | null;
}

export const campaignVersions = pgTable(
  "campaign_versions",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    version: integer("version").notNull(),
    hash: text("hash").notNull(),
    document: text("document").notNull(),
    /** Where the document is published (the URL in `RulesPublished`); null until planned. */
    rulesUrl: text("rules_url"),
    status: text("status", { enum: VERSION_STATUSES }).notNull(),
    /** `startup` (version 1) or who ran the command. */
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The on-chain changes it needs, in order, the last one `updateRules`. */
    actions: jsonb("actions").$type<VersionAction[]>().notNull().default([]),
    /** When it took effect: the block's time of its `RulesPublished`, or start-up for version 1. */
    effectiveAt: ts("effective_at"),
    /** The block and transaction of its `RulesPublished` log, as indexed. */
    blockNumber: bigint("block_number", { mode: "number" }),
    txHash: text("tx_hash"),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.version] }),
    oneOf("campaign_versions_status", t.status, VERSION_STATUSES),
    check("campaign_versions_version_pos", sql`${t.version} > 0`),
    check(
      "campaign_versions_effective",
      sql`(${t.status} = 'effective') = (${t.effectiveAt} is not null)`,
    ),
  ],
);

export type CampaignVersionRow = typeof campaignVersions.$inferSelect;
