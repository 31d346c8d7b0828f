CREATE TABLE "leaderboard_buckets" (
	"campaign_id" integer NOT NULL,
	"board" text NOT NULL,
	"period" text NOT NULL,
	"score" bigint NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "leaderboard_buckets_campaign_id_board_period_score_pk" PRIMARY KEY("campaign_id","board","period","score"),
	CONSTRAINT "leaderboard_buckets_board" CHECK ("leaderboard_buckets"."board" in ('referrals', 'activity'))
);
--> statement-breakpoint
CREATE TABLE "leaderboard_holds" (
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"reviews" integer NOT NULL,
	CONSTRAINT "leaderboard_holds_campaign_id_member_id_pk" PRIMARY KEY("campaign_id","member_id"),
	CONSTRAINT "leaderboard_holds_nonneg" CHECK ("leaderboard_holds"."reviews" >= 0)
);
--> statement-breakpoint
CREATE TABLE "leaderboard_scores" (
	"campaign_id" integer NOT NULL,
	"board" text NOT NULL,
	"period" text NOT NULL,
	"member_id" bigint NOT NULL,
	"score" bigint NOT NULL,
	"reached_at" timestamp with time zone NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	CONSTRAINT "leaderboard_scores_campaign_id_board_period_member_id_pk" PRIMARY KEY("campaign_id","board","period","member_id"),
	CONSTRAINT "leaderboard_scores_board" CHECK ("leaderboard_scores"."board" in ('referrals', 'activity')),
	CONSTRAINT "leaderboard_scores_nonneg" CHECK ("leaderboard_scores"."score" >= 0)
);
--> statement-breakpoint
CREATE TABLE "leaderboard_settings" (
	"member_id" bigint PRIMARY KEY NOT NULL,
	"show_name" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leaderboard_buckets" ADD CONSTRAINT "leaderboard_buckets_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaderboard_holds" ADD CONSTRAINT "leaderboard_holds_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaderboard_holds" ADD CONSTRAINT "leaderboard_holds_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaderboard_scores" ADD CONSTRAINT "leaderboard_scores_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaderboard_scores" ADD CONSTRAINT "leaderboard_scores_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaderboard_settings" ADD CONSTRAINT "leaderboard_settings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leaderboard_scores_rank_idx" ON "leaderboard_scores" USING btree ("campaign_id","board","period","score" DESC NULLS LAST,"reached_at","member_id") WHERE not "leaderboard_scores"."hidden";--> statement-breakpoint
CREATE INDEX "leaderboard_scores_member_idx" ON "leaderboard_scores" USING btree ("member_id");