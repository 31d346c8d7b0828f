-- Custom SQL migration file, put your code below! ---- Reward files are content-addressed and append-only: a copy anyone made yesterday must still
-- verify today, so no row is ever changed or deleted (statement level: refused even when it
-- would match nothing). TRUNCATE stays with the database owner (test resets).
CREATE OR REPLACE FUNCTION "reward_files_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'reward_files is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege',
			HINT = 'a new state is a new file; never rewrite one';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "reward_files_append_only"
	BEFORE UPDATE OR DELETE ON "reward_files"
	FOR EACH STATEMENT EXECUTE FUNCTION "reward_files_refuse_change"();
