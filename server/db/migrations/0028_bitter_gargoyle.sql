CREATE TABLE "chain_indexed_campaigns" (
	"indexer" text NOT NULL,
	"payouts" text NOT NULL,
	"caught_up_through" bigint NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_indexed_campaigns_indexer_payouts_pk" PRIMARY KEY("indexer","payouts")
);
