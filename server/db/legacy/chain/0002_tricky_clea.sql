ALTER TABLE "chain_distributor_events" DROP CONSTRAINT "chain_distributor_events_kind";--> statement-breakpoint
ALTER TABLE "chain_epochs" DROP CONSTRAINT "chain_epochs_status";--> statement-breakpoint
ALTER TABLE "chain_distributor_events" ADD COLUMN "activates_at" bigint;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD COLUMN "deadline" bigint;--> statement-breakpoint
-- Leaves written before per-leaf deadlines closed with their epoch.
UPDATE "chain_epoch_leaves" l SET "deadline" = e."deadline" FROM "chain_epochs" e WHERE e."id" = l."epoch_id";--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ALTER COLUMN "deadline" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "chain_epoch_leaves" ADD COLUMN "released" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD COLUMN "activates_at" bigint;--> statement-breakpoint
-- Roots published before the publish delay took effect at once.
UPDATE "chain_epochs" SET "activates_at" = 0 WHERE "status" = 'published';--> statement-breakpoint
ALTER TABLE "chain_claims" DROP COLUMN "cumulative_amount";--> statement-breakpoint
ALTER TABLE "chain_distributor_events" ADD CONSTRAINT "chain_distributor_events_kind" CHECK ("chain_distributor_events"."kind" in ('epoch', 'veto', 'clawback'));--> statement-breakpoint
ALTER TABLE "chain_epochs" ADD CONSTRAINT "chain_epochs_status" CHECK ("chain_epochs"."status" in ('pending', 'published', 'failed', 'vetoed'));