CREATE TABLE "chain_perk_orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"shop" text NOT NULL,
	"account" text NOT NULL,
	"perk_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"max_cost" numeric(78, 0) NOT NULL,
	"order_ref" text NOT NULL,
	"order_id" text NOT NULL,
	"deadline" bigint NOT NULL,
	"permit" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"send_id" bigint,
	"tx_hash" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_perk_orders_status" CHECK ("chain_perk_orders"."status" in ('sent', 'redeemed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "chain_releases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"distributor" text NOT NULL,
	"member_id" bigint NOT NULL,
	"wallet" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"through_entry_id" bigint NOT NULL,
	"claimed_before" numeric(78, 0) DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"send_id" bigint,
	"tx_hash" text,
	"block_number" bigint,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "chain_releases_status" CHECK ("chain_releases"."status" in ('queued', 'sending', 'sent', 'released'))
);
--> statement-breakpoint
ALTER TABLE "chain_sends" DROP CONSTRAINT "chain_sends_kind";--> statement-breakpoint
ALTER TABLE "chain_perk_orders" ADD CONSTRAINT "chain_perk_orders_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_perk_orders" ADD CONSTRAINT "chain_perk_orders_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_perk_orders" ADD CONSTRAINT "chain_perk_orders_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_releases" ADD CONSTRAINT "chain_releases_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_releases" ADD CONSTRAINT "chain_releases_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_releases" ADD CONSTRAINT "chain_releases_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chain_perk_orders_ref_once" ON "chain_perk_orders" USING btree ("shop","order_id");--> statement-breakpoint
CREATE INDEX "chain_perk_orders_member_idx" ON "chain_perk_orders" USING btree ("member_id","id");--> statement-breakpoint
CREATE INDEX "chain_perk_orders_send_idx" ON "chain_perk_orders" USING btree ("send_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_releases_member_once" ON "chain_releases" USING btree ("distributor","member_id");--> statement-breakpoint
CREATE INDEX "chain_releases_status_idx" ON "chain_releases" USING btree ("status","distributor");--> statement-breakpoint
CREATE INDEX "chain_releases_send_idx" ON "chain_releases" USING btree ("send_id");--> statement-breakpoint
ALTER TABLE "chain_sends" ADD CONSTRAINT "chain_sends_kind" CHECK ("chain_sends"."kind" in ('payout', 'publish_root', 'release', 'redeem'));