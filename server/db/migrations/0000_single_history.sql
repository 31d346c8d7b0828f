CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_pauses" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"paused_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_by" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "campaign_tokens" (
	"campaign_id" integer NOT NULL,
	"symbol" text NOT NULL,
	"decimals" smallint NOT NULL,
	"budget" numeric(78, 0) NOT NULL,
	"granted" numeric(78, 0) DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_tokens_campaign_id_symbol_pk" PRIMARY KEY("campaign_id","symbol"),
	CONSTRAINT "campaign_tokens_granted_nonneg" CHECK ("campaign_tokens"."granted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"onchain_id" bigint NOT NULL,
	"definition" jsonb NOT NULL,
	"definition_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_slug_unique" UNIQUE("slug"),
	CONSTRAINT "campaigns_onchain_id_unique" UNIQUE("onchain_id")
);
--> statement-breakpoint
CREATE TABLE "challenge_completions" (
	"campaign_id" integer NOT NULL,
	"challenge_id" text NOT NULL,
	"member_id" bigint NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "challenge_completions_campaign_id_challenge_id_member_id_pk" PRIMARY KEY("campaign_id","challenge_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "clicks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"code" text NOT NULL,
	"client_hash" text NOT NULL,
	"day" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"member_id" bigint NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"kind" text NOT NULL,
	"level" smallint,
	"referral_id" bigint,
	"referee_id" bigint,
	"idempotency_key" text NOT NULL,
	"state" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pending_at" timestamp with time zone,
	"queued_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"tx_hash" text,
	"block_number" bigint,
	CONSTRAINT "ledger_entries_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "ledger_entries_amount_pos" CHECK ("ledger_entries"."amount" > 0),
	CONSTRAINT "ledger_entries_state" CHECK ("ledger_entries"."state" in ('pending', 'queued', 'sent', 'settled', 'failed', 'expired', 'rejected')),
	CONSTRAINT "ledger_entries_kind" CHECK ("ledger_entries"."kind" in ('referral', 'welcome', 'challenge', 'adjustment'))
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" bigint NOT NULL,
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"account" text NOT NULL,
	"member_id" bigint,
	"side" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"reversal" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_postings_amount_pos" CHECK ("ledger_postings"."amount" > 0),
	CONSTRAINT "ledger_postings_account" CHECK ("ledger_postings"."account" in ('budget', 'member')),
	CONSTRAINT "ledger_postings_side" CHECK ("ledger_postings"."side" in ('debit', 'credit')),
	CONSTRAINT "ledger_postings_member_account" CHECK (("ledger_postings"."account" = 'member') = ("ledger_postings"."member_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "member_wallets" (
	"member_id" bigint PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"chain_id" bigint NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_wallets_address_unique" UNIQUE("address")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"telegram_id" bigint NOT NULL,
	"username" text,
	"first_name" text,
	"last_name" text,
	"language_code" text,
	"is_premium" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"banned_at" timestamp with time zone,
	"ban_reason" text,
	"clicks" integer DEFAULT 0 NOT NULL,
	"starts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "members_telegram_id_unique" UNIQUE("telegram_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "notifications_kind" CHECK ("notifications"."kind" in ('referee_joined', 'referral_qualified', 'reward_paid', 'reward_expiring', 'tier_reached')),
	CONSTRAINT "notifications_status" CHECK ("notifications"."status" in ('pending', 'sent', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "partner_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partner" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"payload_hash" text NOT NULL,
	"member_id" bigint,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_outbox" (
	"entry_id" bigint PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"batch_id" bigint,
	"recipient" text,
	"tx_hash" text,
	"nonce" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_outbox_status" CHECK ("payout_outbox"."status" in ('queued', 'sending', 'sent', 'settled', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_kind" CHECK ("referral_codes"."kind" in ('random', 'vanity'))
);
--> statement-breakpoint
CREATE TABLE "referral_counters" (
	"member_id" bigint NOT NULL,
	"level" smallint NOT NULL,
	"status" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "referral_counters_member_id_level_status_pk" PRIMARY KEY("member_id","level","status"),
	CONSTRAINT "referral_counters_nonneg" CHECK ("referral_counters"."count" >= 0),
	CONSTRAINT "referral_counters_status" CHECK ("referral_counters"."status" in ('pending', 'review', 'qualified', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"referrer_id" bigint NOT NULL,
	"referee_id" bigint NOT NULL,
	"code" text NOT NULL,
	"source" text NOT NULL,
	"variant" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"qualified_by" text,
	"ip_hash" text,
	"device_hash" text,
	"attributed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"review_at" timestamp with time zone,
	"qualified_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	CONSTRAINT "referrals_referee_id_unique" UNIQUE("referee_id"),
	CONSTRAINT "referrals_not_self" CHECK ("referrals"."referrer_id" <> "referrals"."referee_id"),
	CONSTRAINT "referrals_status" CHECK ("referrals"."status" in ('pending', 'review', 'qualified', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referral_id" bigint NOT NULL,
	"campaign_id" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_reason" text,
	CONSTRAINT "review_items_referral_id_unique" UNIQUE("referral_id"),
	CONSTRAINT "review_items_status" CHECK ("review_items"."status" in ('open', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "starts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referrer_id" bigint NOT NULL,
	"starter_id" bigint NOT NULL,
	"code" text NOT NULL,
	"source" text NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"address" text NOT NULL,
	"previous_address" text,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_events_action" CHECK ("wallet_events"."action" in ('linked', 'relinked'))
);
--> statement-breakpoint
CREATE TABLE "bot_broadcasts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"texts" jsonb NOT NULL,
	"created_by" bigint NOT NULL,
	"admin_chat_id" bigint NOT NULL,
	"progress_message_id" integer,
	"admin_language" text NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"failures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_broadcasts_status" CHECK ("bot_broadcasts"."status" in ('draft', 'running', 'done', 'cancelled')),
	CONSTRAINT "bot_broadcasts_admin_language" CHECK ("bot_broadcasts"."admin_language" in ('en', 'ru'))
);
--> statement-breakpoint
CREATE TABLE "bot_member_settings" (
	"member_id" bigint PRIMARY KEY NOT NULL,
	"language" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_member_settings_language" CHECK ("bot_member_settings"."language" in ('en', 'ru'))
);
--> statement-breakpoint
CREATE TABLE "bot_prompts" (
	"chat_id" bigint NOT NULL,
	"message_id" integer NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bot_prompts_chat_id_message_id_pk" PRIMARY KEY("chat_id","message_id"),
	CONSTRAINT "bot_prompts_kind" CHECK ("bot_prompts"."kind" in ('reject_review'))
);
--> statement-breakpoint
CREATE TABLE "bot_updates" (
	"bot_id" bigint NOT NULL,
	"update_id" bigint NOT NULL,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"owner" text,
	"lease_until" timestamp with time zone,
	CONSTRAINT "bot_updates_bot_id_update_id_pk" PRIMARY KEY("bot_id","update_id")
);
--> statement-breakpoint
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
	"hash" text NOT NULL,
	"balance_tokens" text[],
	"balance_accounts" text[],
	"balance_deltas" numeric(78, 0)[]
);
--> statement-breakpoint
CREATE TABLE "chain_claims" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"distributor" text NOT NULL,
	"account" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
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
	"activates_at" bigint,
	"treasury" text,
	"amount" numeric(78, 0),
	"tx_hash" text NOT NULL,
	CONSTRAINT "chain_distributor_events_block_number_log_index_pk" PRIMARY KEY("block_number","log_index"),
	CONSTRAINT "chain_distributor_events_kind" CHECK ("chain_distributor_events"."kind" in ('epoch', 'veto', 'clawback'))
);
--> statement-breakpoint
CREATE TABLE "chain_epoch_leaves" (
	"epoch_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"account" text NOT NULL,
	"cumulative_amount" numeric(78, 0) NOT NULL,
	"deadline" bigint NOT NULL,
	"released" boolean DEFAULT false NOT NULL,
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
	"activates_at" bigint,
	"status" text DEFAULT 'pending' NOT NULL,
	"send_id" bigint,
	"epoch" integer,
	"block_number" bigint,
	"tx_hash" text,
	"snapshot_block" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "chain_epochs_status" CHECK ("chain_epochs"."status" in ('pending', 'published', 'failed', 'vetoed'))
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
	"amount" numeric(78, 0) NOT NULL,
	"escrow" boolean NOT NULL,
	"entry_id" bigint,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
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
CREATE TABLE "web_login_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"member_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "web_login_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "web_sessions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"secret_hash" text NOT NULL,
	"member_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "web_sessions_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
ALTER TABLE "campaign_pauses" ADD CONSTRAINT "campaign_pauses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_tokens" ADD CONSTRAINT "campaign_tokens_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_completions" ADD CONSTRAINT "challenge_completions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_completions" ADD CONSTRAINT "challenge_completions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_referee_id_members_id_fk" FOREIGN KEY ("referee_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_entry_id_ledger_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_wallets" ADD CONSTRAINT "member_wallets_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_events" ADD CONSTRAINT "partner_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_outbox" ADD CONSTRAINT "payout_outbox_entry_id_ledger_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_outbox" ADD CONSTRAINT "payout_outbox_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_counters" ADD CONSTRAINT "referral_counters_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_id_members_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referee_id_members_id_fk" FOREIGN KEY ("referee_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "siwe_nonces" ADD CONSTRAINT "siwe_nonces_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "starts" ADD CONSTRAINT "starts_referrer_id_members_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "starts" ADD CONSTRAINT "starts_starter_id_members_id_fk" FOREIGN KEY ("starter_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_events" ADD CONSTRAINT "wallet_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_broadcasts" ADD CONSTRAINT "bot_broadcasts_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_member_settings" ADD CONSTRAINT "bot_member_settings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_claims" ADD CONSTRAINT "chain_claims_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD CONSTRAINT "chain_coupons_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_coupons" ADD CONSTRAINT "chain_coupons_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD CONSTRAINT "chain_epoch_leaves_epoch_id_chain_epochs_id_fk" FOREIGN KEY ("epoch_id") REFERENCES "public"."chain_epochs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD CONSTRAINT "chain_epoch_leaves_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD CONSTRAINT "chain_epochs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD CONSTRAINT "chain_epochs_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_redemptions" ADD CONSTRAINT "chain_redemptions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_send_txs" ADD CONSTRAINT "chain_send_txs_send_id_chain_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."chain_sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chain_sends" ADD CONSTRAINT "chain_sends_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_login_tokens" ADD CONSTRAINT "web_login_tokens_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "clicks_once_per_day" ON "clicks" USING btree ("member_id","client_hash","day");--> statement-breakpoint
CREATE INDEX "ledger_entries_member_idx" ON "ledger_entries" USING btree ("member_id","campaign_id","token","created_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_expiry_idx" ON "ledger_entries" USING btree ("state","expires_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_referral_idx" ON "ledger_entries" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "ledger_postings_entry_idx" ON "ledger_postings" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "ledger_postings_account_idx" ON "ledger_postings" USING btree ("campaign_id","token","account");--> statement-breakpoint
CREATE INDEX "members_username_idx" ON "members" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notifications_member_idx" ON "notifications" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "notifications_pending_member_idx" ON "notifications" USING btree ("member_id","id") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "partner_events_once" ON "partner_events" USING btree ("partner","event_id");--> statement-breakpoint
CREATE INDEX "payout_outbox_ready_idx" ON "payout_outbox" USING btree ("status","campaign_id","token","next_attempt_at");--> statement-breakpoint
CREATE INDEX "referral_codes_member_idx" ON "referral_codes" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("referrer_id","attributed_at");--> statement-breakpoint
CREATE INDEX "referrals_campaign_status_idx" ON "referrals" USING btree ("campaign_id","status","attributed_at");--> statement-breakpoint
CREATE INDEX "referrals_ip_idx" ON "referrals" USING btree ("ip_hash");--> statement-breakpoint
CREATE INDEX "referrals_device_idx" ON "referrals" USING btree ("device_hash");--> statement-breakpoint
CREATE INDEX "review_items_status_idx" ON "review_items" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "siwe_nonces_expiry_idx" ON "siwe_nonces" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "starts_once" ON "starts" USING btree ("referrer_id","starter_id");--> statement-breakpoint
CREATE INDEX "wallet_events_address_idx" ON "wallet_events" USING btree ("address");--> statement-breakpoint
CREATE INDEX "wallet_events_member_idx" ON "wallet_events" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "bot_broadcasts_running_idx" ON "bot_broadcasts" USING btree ("id") WHERE "bot_broadcasts"."status" = 'running';--> statement-breakpoint
CREATE INDEX "bot_updates_unprocessed_idx" ON "bot_updates" USING btree ("received_at") WHERE "bot_updates"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "bot_updates_received_idx" ON "bot_updates" USING btree ("received_at");--> statement-breakpoint
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
CREATE UNIQUE INDEX "chain_sends_nonce_once" ON "chain_sends" USING btree ("chain_id","signer","nonce") WHERE "chain_sends"."nonce" is not null and "chain_sends"."status" <> 'replaced';--> statement-breakpoint
CREATE INDEX "web_login_tokens_member_idx" ON "web_login_tokens" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "web_sessions_member_idx" ON "web_sessions" USING btree ("member_id");