CREATE TABLE "campaign_versions" (
	"campaign_id" integer NOT NULL,
	"version" integer NOT NULL,
	"hash" text NOT NULL,
	"document" text NOT NULL,
	"rules_url" text,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"effective_at" timestamp with time zone,
	"block_number" bigint,
	"tx_hash" text,
	CONSTRAINT "campaign_versions_campaign_id_version_pk" PRIMARY KEY("campaign_id","version"),
	CONSTRAINT "campaign_versions_status" CHECK ("campaign_versions"."status" in ('pending', 'effective')),
	CONSTRAINT "campaign_versions_version_pos" CHECK ("campaign_versions"."version" > 0),
	CONSTRAINT "campaign_versions_effective" CHECK (("campaign_versions"."status" = 'effective') = ("campaign_versions"."effective_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind";--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "rules_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_versions" ADD CONSTRAINT "campaign_versions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind" CHECK ("notifications"."kind" in ('referee_joined', 'referral_qualified', 'reward_paid', 'reward_expiring', 'tier_reached', 'rules_changed'));