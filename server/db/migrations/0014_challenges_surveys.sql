CREATE TABLE "achievements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"campaign_id" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "achievements_once" UNIQUE("member_id","campaign_id","kind")
);
--> statement-breakpoint
CREATE TABLE "chat_invite_links" (
	"chat_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"link" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_invite_links_chat_id_member_id_pk" PRIMARY KEY("chat_id","member_id"),
	CONSTRAINT "chat_invite_links_link_unique" UNIQUE("link")
);
--> statement-breakpoint
CREATE TABLE "chat_memberships" (
	"chat_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"status" text NOT NULL,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_memberships_chat_id_member_id_pk" PRIMARY KEY("chat_id","member_id"),
	CONSTRAINT "chat_memberships_status" CHECK ("chat_memberships"."status" in ('member', 'left'))
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"day" text NOT NULL,
	"streak" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "checkins_campaign_id_member_id_day_pk" PRIMARY KEY("campaign_id","member_id","day")
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"survey_id" bigint NOT NULL,
	"question" smallint NOT NULL,
	"member_id" bigint NOT NULL,
	"choices" jsonb,
	"text" text,
	"answered_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_answers_survey_id_question_member_id_pk" PRIMARY KEY("survey_id","question","member_id")
);
--> statement-breakpoint
CREATE TABLE "survey_deliveries" (
	"survey_id" bigint NOT NULL,
	"question" smallint NOT NULL,
	"member_id" bigint NOT NULL,
	"chat_id" bigint NOT NULL,
	"message_id" integer,
	"poll_id" text,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_deliveries_survey_id_question_member_id_pk" PRIMARY KEY("survey_id","question","member_id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"questions" jsonb NOT NULL,
	"segment" text NOT NULL,
	"reward_token" text,
	"reward_amount" numeric(78, 0),
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "surveys_kind" CHECK ("surveys"."kind" in ('survey', 'vote')),
	CONSTRAINT "surveys_segment" CHECK ("surveys"."segment" in ('all', 'referred', 'inviters', 'wallet')),
	CONSTRAINT "surveys_status" CHECK ("surveys"."status" in ('open', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "achievements" ADD CONSTRAINT "achievements_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievements" ADD CONSTRAINT "achievements_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_invite_links" ADD CONSTRAINT "chat_invite_links_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_memberships" ADD CONSTRAINT "chat_memberships_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_deliveries" ADD CONSTRAINT "survey_deliveries_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_deliveries" ADD CONSTRAINT "survey_deliveries_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_deliveries_poll" ON "survey_deliveries" USING btree ("poll_id");--> statement-breakpoint
CREATE INDEX "survey_deliveries_message" ON "survey_deliveries" USING btree ("chat_id","message_id");