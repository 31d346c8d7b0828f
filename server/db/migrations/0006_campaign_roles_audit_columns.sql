CREATE TABLE "campaign_roles" (
	"campaign_id" integer NOT NULL,
	"member_id" bigint NOT NULL,
	"role" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_roles_campaign_id_member_id_role_pk" PRIMARY KEY("campaign_id","member_id","role"),
	CONSTRAINT "campaign_roles_role" CHECK ("campaign_roles"."role" in ('owner', 'manager', 'reviewer', 'analyst'))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "before" jsonb;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "after" jsonb;--> statement-breakpoint
ALTER TABLE "bot_broadcasts" ADD COLUMN "campaign_id" integer;--> statement-breakpoint
ALTER TABLE "campaign_roles" ADD CONSTRAINT "campaign_roles_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_roles" ADD CONSTRAINT "campaign_roles_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_roles_member_idx" ON "campaign_roles" USING btree ("member_id");--> statement-breakpoint
ALTER TABLE "bot_broadcasts" ADD CONSTRAINT "bot_broadcasts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_campaign_idx" ON "audit_log" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "audit_log_created_idx" ON "audit_log" USING btree ("created_at");