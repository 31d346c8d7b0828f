CREATE TABLE "screened_addresses" (
	"address" text NOT NULL,
	"list_id" integer NOT NULL,
	CONSTRAINT "screened_addresses_address_list_id_pk" PRIMARY KEY("address","list_id")
);
--> statement-breakpoint
CREATE TABLE "screening_lists" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"listed_on" text NOT NULL,
	"entries" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_by" text NOT NULL,
	CONSTRAINT "screening_lists_source_unique" UNIQUE("source")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_state";--> statement-breakpoint
ALTER TABLE "payout_outbox" DROP CONSTRAINT "payout_outbox_status";--> statement-breakpoint
ALTER TABLE "chain_releases" DROP CONSTRAINT "chain_releases_status";--> statement-breakpoint
ALTER TABLE "payout_outbox" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "screened_addresses" ADD CONSTRAINT "screened_addresses_list_id_screening_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."screening_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_state" CHECK ("ledger_entries"."state" in ('pending', 'queued', 'sent', 'settled', 'failed', 'expired', 'rejected', 'held'));--> statement-breakpoint
ALTER TABLE "payout_outbox" ADD CONSTRAINT "payout_outbox_status" CHECK ("payout_outbox"."status" in ('queued', 'sending', 'sent', 'settled', 'failed', 'cancelled', 'held'));--> statement-breakpoint
ALTER TABLE "chain_releases" ADD CONSTRAINT "chain_releases_status" CHECK ("chain_releases"."status" in ('queued', 'sending', 'sent', 'released', 'held'));