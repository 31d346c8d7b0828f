/**
 * The compliance tables (part of the one schema, see ../schema.ts): campaign terms accepted,
 * what members declare about themselves (country, age) for a campaign's participation rules,
 * and the members an operator excluded from a campaign. Written by server/domain/terms.ts and
 * server/domain/eligibility.ts only.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, smallint, text } from "drizzle-orm/pg-core";
import { ts } from "../columns.ts";
import { campaigns, memberIdColumn } from "../schema.ts";

/** One row per (member, campaign, terms version) accepted; a new version asks again. */
export const termsAcceptances = pgTable(
  "terms_acceptances",
  {
    memberId: memberIdColumn(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    version: text("version").notNull(),
    acceptedAt: ts("accepted_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.campaignId, t.version] })],
);

/** What a member declared: their country (ISO 3166-1 alpha-2) and the age they confirmed. */
export const memberDeclarations = pgTable(
  "member_declarations",
  {
    memberId: memberIdColumn().primaryKey(),
    country: text("country"),
    /** The minimum age the member confirmed being at least (the highest they confirmed). */
    ageConfirmed: smallint("age_confirmed"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("member_declarations_country", sql`${t.country} is null or ${t.country} ~ '^[A-Z]{2}$'`),
  ],
);

/** Members the operator excluded from a campaign: nothing attributed to or paid for them there. */
export const memberExclusions = pgTable(
  "member_exclusions",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: memberIdColumn(),
    reason: text("reason").notNull(),
    excludedBy: text("excluded_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId] }),
    index("member_exclusions_member_idx").on(t.memberId),
  ],
);
