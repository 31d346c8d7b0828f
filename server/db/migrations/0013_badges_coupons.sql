CREATE TABLE "badge_awards" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"badge_id" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"account" text,
	"send_id" bigint,
	"tx_hash" text,
	"revoke_tx_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "badge_awards_status" CHECK ("badge_awards"."status" in ('awaiting_wallet', 'queued', 'minting', 'minted', 'revoke_queued', 'revoking', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "coupon_pool" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"perk" text NOT NULL,
	"code" text NOT NULL,
	"expires_at" timestamp with time zone,
	"coupon_id" bigint,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coupon_uses" (
	"partner" text NOT NULL,
	"request_id" text NOT NULL,
	"code" text NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_uses_partner_request_id_pk" PRIMARY KEY("partner","request_id")
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind";--> statement-breakpoint
ALTER TABLE "chain_sends" DROP CONSTRAINT "chain_sends_kind";--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD COLUMN "used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD COLUMN "used_by" text;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_pool" ADD CONSTRAINT "coupon_pool_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_once" ON "badge_awards" USING btree ("campaign_id","member_id","badge_id");--> statement-breakpoint
CREATE INDEX "badge_awards_open_idx" ON "badge_awards" USING btree ("status","campaign_id","badge_id") WHERE "badge_awards"."status" in ('queued', 'revoke_queued', 'minting', 'revoking');--> statement-breakpoint
CREATE INDEX "badge_awards_member_idx" ON "badge_awards" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_pool_code_once" ON "coupon_pool" USING btree ("campaign_id","code");--> statement-breakpoint
CREATE INDEX "coupon_pool_free_idx" ON "coupon_pool" USING btree ("campaign_id","perk","id") WHERE "coupon_pool"."coupon_id" is null;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind" CHECK ("notifications"."kind" in ('referee_joined', 'referral_qualified', 'reward_paid', 'reward_expiring', 'tier_reached', 'rules_changed', 'coupon_issued'));--> statement-breakpoint
ALTER TABLE "chain_sends" ADD CONSTRAINT "chain_sends_kind" CHECK ("chain_sends"."kind" in ('payout', 'publish_root', 'release', 'redeem', 'badge'));