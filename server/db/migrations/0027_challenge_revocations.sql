CREATE TABLE "challenge_revocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"challenge_id" text NOT NULL,
	"member_id" bigint NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"entry_id" bigint,
	"outcome" text NOT NULL,
	"token" text,
	"amount" numeric(78, 0),
	"debt" text,
	"reason" text NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "challenge_revocations_outcome" CHECK ("challenge_revocations"."outcome" in ('cancelled', 'clawback', 'unpaid')),
	CONSTRAINT "challenge_revocations_reason" CHECK ("challenge_revocations"."reason" in ('left_chat', 'admin')),
	CONSTRAINT "challenge_revocations_debt" CHECK ("challenge_revocations"."debt" in ('open', 'settled'))
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind";--> statement-breakpoint
ALTER TABLE "challenge_revocations" ADD CONSTRAINT "challenge_revocations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_revocations" ADD CONSTRAINT "challenge_revocations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "challenge_revocations_member_idx" ON "challenge_revocations" USING btree ("campaign_id","challenge_id","member_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind" CHECK ("notifications"."kind" in ('referee_joined', 'referral_qualified', 'reward_paid', 'reward_expiring', 'tier_reached', 'rules_changed', 'coupon_issued', 'review_decided', 'friend_reminder', 'challenge_revoked'));