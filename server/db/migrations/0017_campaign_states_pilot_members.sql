CREATE TABLE "campaign_pilot_members" (
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"reason" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_pilot_members_campaign_id_member_id_pk" PRIMARY KEY("campaign_id","member_id"),
	CONSTRAINT "campaign_pilot_members_reason" CHECK ("campaign_pilot_members"."reason" in ('allowlist', 'percent', 'invitee'))
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "state" text DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "state_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "state_changed_by" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "pilot_promoted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_pilot_members" ADD CONSTRAINT "campaign_pilot_members_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pilot_members" ADD CONSTRAINT "campaign_pilot_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_state" CHECK ("campaigns"."state" in ('draft', 'validated', 'deploying', 'active', 'paused', 'ended', 'archived'));