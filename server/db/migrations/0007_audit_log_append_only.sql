-- Rows written before the audit log had its own columns kept `before`, `after` and the
-- campaign inside `details`: moved to the columns once, before the log is sealed below.
UPDATE "audit_log" SET
	"before" = CASE WHEN jsonb_typeof("details"->'before') = 'object' THEN "details"->'before' END,
	"after" = CASE WHEN jsonb_typeof("details"->'after') = 'object' THEN "details"->'after' END,
	"details" = "details" - 'before' - 'after'
WHERE "details" ? 'before' OR "details" ? 'after';
--> statement-breakpoint
UPDATE "audit_log" a SET "campaign_id" = CASE
	WHEN a."subject_type" = 'campaign' AND a."subject_id" ~ '^[0-9]{1,9}$' THEN a."subject_id"::integer
	WHEN a."subject_type" = 'review' AND a."subject_id" ~ '^[0-9]{1,18}$'
		THEN (SELECT r."campaign_id" FROM "review_items" r WHERE r."id" = a."subject_id"::bigint)
	WHEN a."subject_type" = 'ledger_entry' AND a."subject_id" ~ '^[0-9]{1,18}$'
		THEN (SELECT e."campaign_id" FROM "ledger_entries" e WHERE e."id" = a."subject_id"::bigint)
	WHEN a."details" ? 'campaign'
		THEN (SELECT c."id" FROM "campaigns" c WHERE c."slug" = a."details"->>'campaign')
END
WHERE a."campaign_id" IS NULL;
--> statement-breakpoint
-- The audit log is append-only: any UPDATE or DELETE, by any code, fails (statement level, so
-- even one that would match no row is refused). TRUNCATE stays with the database owner
-- (test resets; a retention decision is the operator's, outside the application).
CREATE OR REPLACE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege',
			HINT = 'audit rows are never changed or deleted; write a new row instead';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only"
	BEFORE UPDATE OR DELETE ON "audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
