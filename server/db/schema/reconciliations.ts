/**
 * Reconciliation results (part of the one schema, see ../schema.ts; written only by
 * server/domain/reconciliations.ts, read by the admin console's Overview).
 *
 * Each run of the reconciliation (`npm run reconcile`, `POST /api/operator/reconcile`,
 * server/chain/reconcile.ts) compares the ledger with the chain for every deployed campaign;
 * it leaves one row per campaign: the block compared at, the campaign's token figures and the
 * differences found in it (none when they agree). One row per campaign rather than one per run,
 * so a campaign's admin reads their own campaign's last result (and last difference) through
 * the campaign's index without seeing the others'.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgTable } from "drizzle-orm/pg-core";
import { ts } from "../columns.ts";
import { campaigns } from "../schema.ts";

/** One token's figures at the run's block (wei as decimal strings). */
export interface ReconciliationLine {
  token: string;
  ledgerPaid: string;
  chainSpent: string;
  indexedPayouts: string;
  supply: string;
  indexedBalances: string;
}

export const reconciliations = pgTable(
  "reconciliations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    ranAt: ts("ran_at").notNull().defaultNow(),
    /** The block the chain was read at (the indexer's cursor); null before the indexer ran. */
    blockNumber: bigint("block_number", { mode: "number" }),
    lines: jsonb("lines").$type<ReconciliationLine[]>().notNull(),
    /** Human-readable differences; empty when the ledger and the chain agree. */
    differences: jsonb("differences").$type<string[]>().notNull(),
    /** How many differences (the partial index finds the last run that found some). */
    differenceCount: integer("difference_count").notNull(),
  },
  (t) => [
    index("reconciliations_campaign_idx").on(t.campaignId, t.id),
    index("reconciliations_differences_idx")
      .on(t.campaignId, t.id)
      .where(sql`${t.differenceCount} > 0`),
  ],
);
