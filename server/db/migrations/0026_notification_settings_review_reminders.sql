CREATE TABLE "bot_notification_settings" (
	"member_id" bigint PRIMARY KEY NOT NULL,
	"muted" text[] DEFAULT '{}'::text[] NOT NULL,
	"quiet_from" smallint,
	"quiet_to" smallint,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_notification_settings_quiet" CHECK (("bot_notification_settings"."quiet_from" is null) = ("bot_notification_settings"."quiet_to" is null) and coalesce("bot_notification_settings"."quiet_from", 0) between 0 and 1439 and coalesce("bot_notification_settings"."quiet_to", 0) between 0 and 1439)
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind";--> statement-breakpoint
ALTER TABLE "bot_notification_settings" ADD CONSTRAINT "bot_notification_settings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind" CHECK ("notifications"."kind" in ('referee_joined', 'referral_qualified', 'reward_paid', 'reward_expiring', 'tier_reached', 'rules_changed', 'coupon_issued', 'review_decided', 'friend_reminder'));