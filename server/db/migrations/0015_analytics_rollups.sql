CREATE TABLE "analytics_campaign_totals" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"members" bigint DEFAULT 0 NOT NULL,
	"referrers" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_code_daily" (
	"campaign_id" integer NOT NULL,
	"code" text NOT NULL,
	"day" date NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"starts" bigint DEFAULT 0 NOT NULL,
	"attributed" bigint DEFAULT 0 NOT NULL,
	"qualified" bigint DEFAULT 0 NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_code_daily_campaign_id_code_day_pk" PRIMARY KEY("campaign_id","code","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_cohorts" (
	"campaign_id" integer NOT NULL,
	"week" date NOT NULL,
	"members" bigint DEFAULT 0 NOT NULL,
	"d1" bigint DEFAULT 0 NOT NULL,
	"d7" bigint DEFAULT 0 NOT NULL,
	"d30" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_cohorts_campaign_id_week_pk" PRIMARY KEY("campaign_id","week")
);
--> statement-breakpoint
CREATE TABLE "analytics_daily" (
	"campaign_id" integer NOT NULL,
	"day" date NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"starts" bigint DEFAULT 0 NOT NULL,
	"attributed" bigint DEFAULT 0 NOT NULL,
	"reviews" bigint DEFAULT 0 NOT NULL,
	"qualified" bigint DEFAULT 0 NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	"qualify_seconds" bigint DEFAULT 0 NOT NULL,
	"gas_wei" numeric(78, 0) DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_daily_campaign_id_day_pk" PRIMARY KEY("campaign_id","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"n" smallint NOT NULL,
	"campaign_id" integer,
	"member_id" bigint,
	"other_id" bigint,
	"code" text,
	"variant" text,
	"token" text,
	"amount" numeric(78, 0),
	"seconds" bigint,
	"day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_fold_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"folded" bigint DEFAULT 0 NOT NULL,
	"folded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics_members" (
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"joined_on" date,
	"invited" integer DEFAULT 0 NOT NULL,
	"qualified" integer DEFAULT 0 NOT NULL,
	"d1" boolean DEFAULT false NOT NULL,
	"d7" boolean DEFAULT false NOT NULL,
	"d30" boolean DEFAULT false NOT NULL,
	CONSTRAINT "analytics_members_campaign_id_member_id_pk" PRIMARY KEY("campaign_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_qualify_histogram" (
	"campaign_id" integer NOT NULL,
	"day" date NOT NULL,
	"bucket" smallint NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_qualify_histogram_campaign_id_day_bucket_pk" PRIMARY KEY("campaign_id","day","bucket")
);
--> statement-breakpoint
CREATE TABLE "analytics_token_daily" (
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"day" date NOT NULL,
	"earned" numeric(78, 0) DEFAULT 0 NOT NULL,
	"paid" numeric(78, 0) DEFAULT 0 NOT NULL,
	"escrowed" numeric(78, 0) DEFAULT 0 NOT NULL,
	"expired" numeric(78, 0) DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_token_daily_campaign_id_token_day_pk" PRIMARY KEY("campaign_id","token","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_token_totals" (
	"campaign_id" integer NOT NULL,
	"token" text NOT NULL,
	"claimed" numeric(78, 0) DEFAULT 0 NOT NULL,
	"redeemed" numeric(78, 0) DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_token_totals_campaign_id_token_pk" PRIMARY KEY("campaign_id","token")
);
--> statement-breakpoint
CREATE TABLE "analytics_variant_daily" (
	"campaign_id" integer NOT NULL,
	"variant" text NOT NULL,
	"day" date NOT NULL,
	"attributed" bigint DEFAULT 0 NOT NULL,
	"reviews" bigint DEFAULT 0 NOT NULL,
	"qualified" bigint DEFAULT 0 NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_variant_daily_campaign_id_variant_day_pk" PRIMARY KEY("campaign_id","variant","day")
);
--> statement-breakpoint
CREATE TABLE "member_activity_days" (
	"member_id" bigint NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "member_activity_days_member_id_day_pk" PRIMARY KEY("member_id","day")
);
--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
ALTER TABLE "starts" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
CREATE INDEX "analytics_code_daily_day_idx" ON "analytics_code_daily" USING btree ("campaign_id","day");--> statement-breakpoint
CREATE INDEX "analytics_members_top_idx" ON "analytics_members" USING btree ("campaign_id","qualified" DESC NULLS LAST,"invited" DESC NULLS LAST,"member_id") WHERE "analytics_members"."invited" > 0;--> statement-breakpoint
CREATE INDEX "analytics_members_member_idx" ON "analytics_members" USING btree ("member_id");