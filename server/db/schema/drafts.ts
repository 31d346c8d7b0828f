/**
 * Campaign drafts from the admin console (part of the one schema, see ../schema.ts; written
 * only by server/domain/campaignDrafts.ts).
 *
 * A draft is a campaign file being written: its JSON as the admin left it, valid or not (the
 * console shows each problem at its field). It becomes a campaign (a `campaigns` row, its
 * version 1 and a file in `CAMPAIGNS_DIR`) when the console deploys it; `campaign_id` then
 * names that campaign and the draft is kept as the record of what was deployed.
 */
import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "../columns.ts";
import { campaigns } from "../schema.ts";

export const campaignDrafts = pgTable("campaign_drafts", {
  /** The slug the draft was created with; the document's own `slug` must stay the same. */
  slug: text("slug").primaryKey(),
  /** The campaign file as JSON, possibly invalid. */
  document: jsonb("document").notNull(),
  /** The template it started from (`blank`, or a campaign's slug). */
  template: text("template").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  /** The campaign deployed from it; null while it is a draft. */
  campaignId: integer("campaign_id").references(() => campaigns.id),
});

export type CampaignDraftRow = typeof campaignDrafts.$inferSelect;
