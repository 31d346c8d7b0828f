/**
 * Public reward files (part of the one schema, see ../schema.ts; written only by
 * server/domain/rewardFiles.ts).
 *
 * Content-addressed and append-only: `hash` is the SHA-256 of `body` (canonical JSON, served
 * byte for byte at `/rewards/files/<hash>.json`), so a row is never changed or deleted (a
 * trigger refuses it); a new state is a new row. Signed indexes are files too (`kind` `index`)
 * with their `sequence`; the latest one is `/rewards/files/index.json`.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";

export const REWARD_FILE_KINDS = ["campaign", "payouts", "epoch", "index"] as const;
export type RewardFileKind = (typeof REWARD_FILE_KINDS)[number];

export const rewardFiles = pgTable(
  "reward_files",
  {
    /** `0x` + 64 hex digits: the SHA-256 of `body`. */
    hash: text("hash").primaryKey(),
    kind: text("kind", { enum: REWARD_FILE_KINDS }).notNull(),
    /** The campaign's slug (null for an index). */
    campaign: text("campaign"),
    /** Indexes only: their sequence number (1, 2, …). */
    sequence: integer("sequence"),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("reward_files_kind", t.kind, REWARD_FILE_KINDS),
    check("reward_files_sequence", sql`(${t.kind} = 'index') = (${t.sequence} is not null)`),
    uniqueIndex("reward_files_sequence_idx").on(t.sequence),
    index("reward_files_kind_idx").on(t.kind, t.campaign),
  ],
);
