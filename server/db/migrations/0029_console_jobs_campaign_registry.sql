CREATE TABLE "chain_indexed_campaigns" (
	"indexer" text NOT NULL,
	"payouts" text NOT NULL,
	"caught_up_through" bigint NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_indexed_campaigns_indexer_payouts_pk" PRIMARY KEY("indexer","payouts")
);
--> statement-breakpoint
CREATE TABLE "campaign_registry" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_job_lines" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"line" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "console_job_lines_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "console_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"slug" text NOT NULL,
	"actor" text NOT NULL,
	"status" text NOT NULL,
	"owner" text NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"total" integer,
	"resumed" integer DEFAULT 0 NOT NULL,
	"runs" integer DEFAULT 1 NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"report" jsonb,
	"campaign_id" integer,
	"error" text,
	CONSTRAINT "console_jobs_kind" CHECK ("console_jobs"."kind" in ('dry-run', 'deploy', 'version')),
	CONSTRAINT "console_jobs_status" CHECK ("console_jobs"."status" in ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "console_job_lines" ADD CONSTRAINT "console_job_lines_job_id_console_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."console_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "console_jobs_one_running" ON "console_jobs" USING btree ("slug") WHERE "console_jobs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "console_jobs_slug" ON "console_jobs" USING btree ("slug","kind","started_at");