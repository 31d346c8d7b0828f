ALTER TABLE "web_login_tokens" ADD COLUMN "admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD COLUMN "admin" boolean DEFAULT false NOT NULL;