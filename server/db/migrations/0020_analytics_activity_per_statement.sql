-- New members' first active day, once per INSERT statement instead of once per row: the bot
-- creates members in batches (one multi-row insert per batch of updates), and a PL/pgSQL
-- call with two single-row inserts per new member cost bench:bot's `/start` about a fifth of
-- its throughput on PGlite. Same rows as before (0016): each member's creation day recorded
-- once in member_activity_days, one 'active' delta for each day newly recorded.
-- The update trigger (a new UTC day of last_seen_at) stays per row: it fires rarely, and
-- PostgreSQL allows no transition tables on a trigger with a column list.
DROP TRIGGER IF EXISTS "members_analytics_insert" ON "members";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_activity_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	WITH added AS (
		INSERT INTO member_activity_days (member_id, day)
		SELECT n.id, analytics_day(n.last_seen_at) FROM new_members n
		ON CONFLICT DO NOTHING
		RETURNING member_id, day
	)
	INSERT INTO analytics_deltas (kind, n, member_id, day)
	SELECT 'active', 1, a.member_id, a.day FROM added a;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "members_analytics_insert" AFTER INSERT ON "members"
	REFERENCING NEW TABLE AS new_members
	FOR EACH STATEMENT EXECUTE FUNCTION analytics_activity_inserted();
