/**
 * Pilot membership (part of the one schema, see ../schema.ts; written only by
 * server/domain/pilots.ts). A pilot campaign admits its allowlist, a sticky percentage of new
 * members and the people its pilot members invite; each admitted member gets one row here, so
 * analytics can tell pilot members from everyone who joined after the promotion.
 */
import { bigint, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns, members } from "../schema.ts";

/** Why a member is in the pilot. */
export const PILOT_REASONS = ["allowlist", "percent", "invitee"] as const;
export type PilotReason = (typeof PILOT_REASONS)[number];

export const campaignPilotMembers = pgTable(
  "campaign_pilot_members",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    reason: text("reason", { enum: PILOT_REASONS }).notNull(),
    joinedAt: ts("joined_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId] }),
    oneOf("campaign_pilot_members_reason", t.reason, PILOT_REASONS),
  ],
);
