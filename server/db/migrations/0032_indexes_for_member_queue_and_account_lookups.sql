-- Reads that scanned a whole table (found with EXPLAIN ANALYZE on 100k+ rows; guarded by
-- test/server/plans.test.ts):
-- - a member's challenge completions (attribution's campaign joins for every batch of starts,
--   qualification's challenge rule, challenge progress): the key starts with the campaign and
--   the challenge, so each read went through every completion;
-- - the payout worker's claim, the lowest queued payout ids first: with a backlog PostgreSQL
--   walked the primary key through every payout ever settled before reaching the queue;
-- - the award of a badge mint or burn log (the indexer, once per log): by campaign, badge and
--   lower(account), which no index had, so each log was a scan of every award.
CREATE INDEX "challenge_completions_member_idx" ON "challenge_completions" USING btree ("member_id","campaign_id");--> statement-breakpoint
CREATE INDEX "payout_outbox_queued_idx" ON "payout_outbox" USING btree ("entry_id") WHERE "payout_outbox"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "badge_awards_account_idx" ON "badge_awards" USING btree ("campaign_id","badge_id",lower("account"));
