CREATE TABLE "reconciliations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"block_number" bigint,
	"lines" jsonb NOT NULL,
	"differences" jsonb NOT NULL,
	"difference_count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliations_campaign_idx" ON "reconciliations" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "reconciliations_differences_idx" ON "reconciliations" USING btree ("campaign_id","id") WHERE "reconciliations"."difference_count" > 0;