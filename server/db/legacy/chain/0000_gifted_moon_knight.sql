CREATE TABLE "chain_badge_events" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"position" integer NOT NULL,
	"contract" text NOT NULL,
	"account" text NOT NULL,
	"badge_id" bigint NOT NULL,
	"delta" integer NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_badge_events_block_number_log_index_position_pk" PRIMARY KEY("block_number","log_index","position")
);
--> statement-breakpoint
CREATE TABLE "chain_balances" (
	"token" text NOT NULL,
	"account" text NOT NULL,
	"balance" numeric(78, 0) NOT NULL,
	CONSTRAINT "chain_balances_token_account_pk" PRIMARY KEY("token","account")
);
--> statement-breakpoint
CREATE TABLE "chain_blocks" (
	"number" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_claims" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"distributor" text NOT NULL,
	"account" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"cumulative_amount" numeric(78, 0) NOT NULL,
	"member_id" bigint,
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_claims_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "chain_coupons" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"order_ref" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"member_id" bigint,
	"account" text NOT NULL,
	"perk_id" integer NOT NULL,
	"perk" text,
	"quantity" integer NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_coupons_code_unique" UNIQUE("code"),
	CONSTRAINT "chain_coupons_status" CHECK ("chain_coupons"."status" in ('issued', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "chain_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"indexed_through" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_distributor_events" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"distributor" text NOT NULL,
	"kind" text NOT NULL,
	"epoch" integer NOT NULL,
	"root" text,
	"deadline" bigint,
	"treasury" text,
	"amount" numeric(78, 0),
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_distributor_events_block_number_log_index_pk" PRIMARY KEY("block_number","log_index"),
	CONSTRAINT "chain_distributor_events_kind" CHECK ("chain_distributor_events"."kind" in ('epoch', 'clawback'))
);
--> statement-breakpoint
CREATE TABLE "chain_epoch_leaves" (
	"epoch_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"account" text NOT NULL,
	"cumulative_amount" numeric(78, 0) NOT NULL,
	"through_entry_id" bigint NOT NULL,
	CONSTRAINT "chain_epoch_leaves_epoch_id_member_id_pk" PRIMARY KEY("epoch_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "chain_epochs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"token_address" text NOT NULL,
	"distributor" text NOT NULL,
	"root" text NOT NULL,
	"deadline" bigint NOT NULL,
	"leaf_count" integer NOT NULL,
	"total" numeric(78, 0) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"send_id" bigint,
	"epoch" integer,
	"block_number" bigint,
	"tx_hash" text,
	"snapshot_block" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "chain_epochs_status" CHECK ("chain_epochs"."status" in ('pending', 'published', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "chain_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"generation" bigint NOT NULL,
	"acquired_at" timestamp with time zone NOT NULL,
	"renewed_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_payouts" (
	"campaign_id" integer NOT NULL,
	"payout_id" bigint NOT NULL,
	"token" text NOT NULL,
	"recipient" text NOT NULL,
	"referee" bigint NOT NULL,
	"level" integer NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"escrow" boolean NOT NULL,
	"entry_id" bigint,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	CONSTRAINT "chain_payouts_campaign_id_payout_id_pk" PRIMARY KEY("campaign_id","payout_id")
);
--> statement-breakpoint
CREATE TABLE "chain_redemptions" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"shop" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"account" text NOT NULL,
	"perk_id" integer NOT NULL,
	"order_ref" text NOT NULL,
	"quantity" integer NOT NULL,
	"token" text NOT NULL,
	"cost" numeric(78, 0) NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_redemptions_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "chain_send_txs" (
	"hash" text PRIMARY KEY NOT NULL,
	"send_id" bigint NOT NULL,
	"nonce" bigint NOT NULL,
	"raw" text NOT NULL,
	"max_fee_per_gas" numeric(78, 0) NOT NULL,
	"max_priority_fee_per_gas" numeric(78, 0) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"broadcast_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chain_sends" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"chain_id" bigint NOT NULL,
	"signer" text NOT NULL,
	"campaign_id" integer,
	"token" text,
	"target" text NOT NULL,
	"data" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"nonce" bigint,
	"gas_limit" bigint,
	"payout_count" integer DEFAULT 0 NOT NULL,
	"amount" numeric(78, 0) DEFAULT 0 NOT NULL,
	"tx_hash" text,
	"block_number" bigint,
	"block_hash" text,
	"gas_used" bigint,
	"effective_gas_price" numeric(78, 0),
	"error" text,
	"broadcasts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"mined_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"final_at" timestamp with time zone,
	CONSTRAINT "chain_sends_kind" CHECK ("chain_sends"."kind" in ('payout', 'publish_root')),
	CONSTRAINT "chain_sends_status" CHECK ("chain_sends"."status" in ('pending', 'signed', 'sent', 'mined', 'confirmed', 'final', 'reverted', 'replaced', 'released'))
);
--> statement-breakpoint
CREATE TABLE "chain_status" (
	"job" text NOT NULL,
	"instance" text NOT NULL,
	"leader" boolean NOT NULL,
	"health" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_status_job_instance_pk" PRIMARY KEY("job","instance")
);
--> statement-breakpoint
CREATE TABLE "chain_transfers" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"token" text NOT NULL,
	"from" text NOT NULL,
	"to" text NOT NULL,
	"value" numeric(78, 0) NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_transfers_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
ALTER TABLE "chain_claims" ADD CONSTRAINT "chain_claims_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD CONSTRAINT "chain_coupons_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD CONSTRAINT "chain_coupons_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD CONSTRAINT "chain_epoch_leaves_epoch_id_chain_epochs_id_fk" FOREIGN KEY ("epoch_id") REFERENCES "public"."chain_epochs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD CONSTRAINT "chain_epoch_leaves_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD CONSTRAINT "chain_epochs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD CONSTRAINT "chain_epochs_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_payouts" ADD CONSTRAINT "chain_payouts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_payouts" ADD CONSTRAINT "chain_payouts_entry_id_ledger_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_redemptions" ADD CONSTRAINT "chain_redemptions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_send_txs" ADD CONSTRAINT "chain_send_txs_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_sends" ADD CONSTRAINT "chain_sends_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chain_badge_events_account_idx" ON "chain_badge_events" USING btree ("account");--> statement-breakpoint
CREATE INDEX "chain_claims_member_idx" ON "chain_claims" USING btree ("distributor","member_id");--> statement-breakpoint
CREATE INDEX "chain_claims_account_idx" ON "chain_claims" USING btree ("distributor","account");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_coupons_order_once" ON "chain_coupons" USING btree ("shop","order_ref");--> statement-breakpoint
CREATE INDEX "chain_coupons_member_idx" ON "chain_coupons" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "chain_distributor_events_idx" ON "chain_distributor_events" USING btree ("distributor","kind","epoch");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_epoch_leaves_account" ON "chain_epoch_leaves" USING btree ("epoch_id","account");--> statement-breakpoint
CREATE INDEX "chain_epochs_distributor_idx" ON "chain_epochs" USING btree ("distributor","status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_epochs_number_once" ON "chain_epochs" USING btree ("distributor","epoch");--> statement-breakpoint
CREATE INDEX "chain_payouts_block_idx" ON "chain_payouts" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "chain_send_txs_send_idx" ON "chain_send_txs" USING btree ("send_id","created_at");--> statement-breakpoint
CREATE INDEX "chain_sends_open_idx" ON "chain_sends" USING btree ("status","id") WHERE "chain_sends"."status" in ('pending', 'signed', 'sent', 'mined', 'confirmed');--> statement-breakpoint
CREATE UNIQUE INDEX "chain_sends_nonce_once" ON "chain_sends" USING btree ("chain_id","signer","nonce") WHERE "chain_sends"."nonce" is not null and "chain_sends"."status" <> 'replaced';