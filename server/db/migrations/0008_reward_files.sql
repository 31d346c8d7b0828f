CREATE TABLE "reward_files" (
	"hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"campaign" text,
	"sequence" integer,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_files_kind" CHECK ("reward_files"."kind" in ('campaign', 'payouts', 'epoch', 'index')),
	CONSTRAINT "reward_files_sequence" CHECK (("reward_files"."kind" = 'index') = ("reward_files"."sequence" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reward_files_sequence_idx" ON "reward_files" USING btree ("sequence");--> statement-breakpoint
CREATE INDEX "reward_files_kind_idx" ON "reward_files" USING btree ("kind","campaign");