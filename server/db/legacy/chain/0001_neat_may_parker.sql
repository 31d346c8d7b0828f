ALTER TABLE "chain_blocks" ADD COLUMN "balance_tokens" text[];--> statement-breakpoint
ALTER TABLE "chain_blocks" ADD COLUMN "balance_accounts" text[];--> statement-breakpoint
ALTER TABLE "chain_blocks" ADD COLUMN "balance_deltas" numeric(78, 0)[];--> statement-breakpoint
-- The kept transfers (the finality window) become their blocks' net balance changes, so a
-- rewind after this migration still takes them back.
UPDATE "chain_blocks" b SET "balance_tokens" = d.tokens, "balance_accounts" = d.accounts, "balance_deltas" = d.deltas
FROM (
  SELECT block_number, array_agg(token ORDER BY token, account) AS tokens,
    array_agg(account ORDER BY token, account) AS accounts, array_agg(delta ORDER BY token, account) AS deltas
  FROM (
    SELECT block_number, token, account, sum(delta) AS delta FROM (
      SELECT block_number, token, "to" AS account, value AS delta FROM "chain_transfers"
        WHERE "to" <> '0x0000000000000000000000000000000000000000'
      UNION ALL
      SELECT block_number, token, "from" AS account, -value AS delta FROM "chain_transfers"
        WHERE "from" <> '0x0000000000000000000000000000000000000000'
    ) t GROUP BY block_number, token, account
  ) s GROUP BY block_number
) d
WHERE b.number = d.block_number;--> statement-breakpoint
DROP TABLE "chain_transfers" CASCADE;--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP CONSTRAINT "chain_payouts_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP CONSTRAINT "chain_payouts_entry_id_ledger_entries_id_fk";
--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP COLUMN "recipient";--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP COLUMN "referee";--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP COLUMN "level";--> statement-breakpoint
ALTER TABLE "chain_payouts" DROP COLUMN "log_index";
