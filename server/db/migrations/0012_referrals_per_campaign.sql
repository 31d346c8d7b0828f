-- Several campaigns at once: a member is referred at most once per campaign, and each
-- campaign keeps its own referral tree and counters (rebuilt below from the referrals).
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_referee_id_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_referee_campaign_key" ON "referrals" USING btree ("referee_id","campaign_id");--> statement-breakpoint
DELETE FROM "referral_counters";--> statement-breakpoint
ALTER TABLE "referral_counters" DROP CONSTRAINT "referral_counters_member_id_level_status_pk";--> statement-breakpoint
ALTER TABLE "referral_counters" ADD COLUMN "campaign_id" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "referral_counters" ADD CONSTRAINT "referral_counters_member_id_campaign_id_level_status_pk" PRIMARY KEY("member_id","campaign_id","level","status");--> statement-breakpoint
ALTER TABLE "referral_counters" ADD CONSTRAINT "referral_counters_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every referral counts for its referrer and up to 9 ancestors above, in its own campaign's tree
-- (server/domain/tree.ts MAX_LEVELS = 10).
WITH RECURSIVE anc(campaign_id, status, member_id, level) AS (
  SELECT r.campaign_id, r.status, r.referrer_id, 1 FROM referrals r
  UNION ALL
  SELECT a.campaign_id, a.status, p.referrer_id, a.level + 1
  FROM anc a JOIN referrals p ON p.referee_id = a.member_id AND p.campaign_id = a.campaign_id
  WHERE a.level < 10
)
INSERT INTO referral_counters (campaign_id, member_id, level, status, count)
SELECT campaign_id, member_id, level, status, count(*)::int FROM anc
GROUP BY campaign_id, member_id, level, status;
