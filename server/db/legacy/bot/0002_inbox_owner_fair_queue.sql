ALTER TABLE "bot_broadcasts" ADD COLUMN "failures" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "bot_updates" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "bot_updates" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "notifications_pending_member_idx" ON "notifications" USING btree ("member_id","id") WHERE "notifications"."status" = 'pending';