ALTER TABLE "bot_updates" ADD COLUMN "answer_in_response" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bot_updates" ADD COLUMN "reply" jsonb;