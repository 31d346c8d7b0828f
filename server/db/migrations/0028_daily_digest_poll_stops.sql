ALTER TABLE "bot_notification_settings" ADD COLUMN "digest" text;--> statement-breakpoint
ALTER TABLE "survey_deliveries" ADD COLUMN "poll_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "survey_deliveries" ADD COLUMN "poll_stop_lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "survey_deliveries_poll_open" ON "survey_deliveries" USING btree ("survey_id") WHERE "survey_deliveries"."poll_id" is not null and "survey_deliveries"."poll_stopped_at" is null;--> statement-breakpoint
ALTER TABLE "bot_notification_settings" ADD CONSTRAINT "bot_notification_settings_digest" CHECK ("bot_notification_settings"."digest" is null or "bot_notification_settings"."digest" in ('window', 'daily'));