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
	CONSTRAINT "bot_updates_bot_id_update_id_pk" PRIMARY KEY("bot_id","update_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_pauses" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"paused_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_by" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "bot_broadcasts" ADD CONSTRAINT "bot_broadcasts_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_member_settings" ADD CONSTRAINT "bot_member_settings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pauses" ADD CONSTRAINT "campaign_pauses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_broadcasts_running_idx" ON "bot_broadcasts" USING btree ("id") WHERE "bot_broadcasts"."status" = 'running';--> statement-breakpoint
CREATE INDEX "bot_updates_unprocessed_idx" ON "bot_updates" USING btree ("received_at") WHERE "bot_updates"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "bot_updates_received_idx" ON "bot_updates" USING btree ("received_at");