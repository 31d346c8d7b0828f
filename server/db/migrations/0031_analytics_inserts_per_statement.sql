-- Analytics deltas of new starts and new referrals, once per INSERT statement instead of once
-- per row (as 0020 did for members): attribution writes a batch of up to 50 of each in one
-- statement, and a PL/pgSQL call with its single-row inserts per row cost bench:bot's
-- attribution about a fifth of its throughput on PGlite. Same deltas as 0016's row triggers:
-- a start counts once for its campaign on its day; a referral is attributed on its day, and
-- also counted for review or as qualified when inserted in those states.
-- Updates and deletes stay per row (rare; and PostgreSQL allows no transition tables on a
-- trigger with a column list or on one with more than one event).
DROP TRIGGER IF EXISTS "starts_analytics" ON "starts";
--> statement-breakpoint
CREATE TRIGGER "starts_analytics" AFTER DELETE OR UPDATE OF campaign_id, code, created_at ON "starts"
	FOR EACH ROW EXECUTE FUNCTION analytics_starts();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_starts_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, day)
	SELECT 'start', 1, s.campaign_id, s.referrer_id, s.code, analytics_day(s.created_at)
	FROM new_starts s ORDER BY s.id;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "starts_analytics_insert" AFTER INSERT ON "starts"
	REFERENCING NEW TABLE AS new_starts
	FOR EACH STATEMENT EXECUTE FUNCTION analytics_starts_inserted();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "referrals_analytics" ON "referrals";
--> statement-breakpoint
CREATE TRIGGER "referrals_analytics" AFTER DELETE OR UPDATE ON "referrals"
	FOR EACH ROW EXECUTE FUNCTION analytics_referrals();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_referrals_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, other_id, code, variant, seconds, day)
	SELECT d.kind, 1, d.campaign_id, d.member_id, d.other_id, d.code, d.variant, d.seconds, d.day
	FROM new_referrals x
	CROSS JOIN LATERAL (VALUES
		('attributed', 1, x.campaign_id, x.referrer_id, x.referee_id, x.code, x.variant,
			NULL::bigint, analytics_day(x.attributed_at)),
		('review', 2, x.campaign_id, x.referrer_id, NULL::bigint, x.code, x.variant,
			NULL::bigint, analytics_day(x.review_at)),
		('qualified', 3, x.campaign_id, x.referrer_id, x.referee_id, x.code, x.variant,
			greatest(0, floor(extract(epoch FROM coalesce(x.qualified_at, x.attributed_at) - x.attributed_at)))::bigint,
			analytics_day(coalesce(x.qualified_at, x.attributed_at)))
	) AS d(kind, k, campaign_id, member_id, other_id, code, variant, seconds, day)
	WHERE d.k = 1 OR (d.k = 2 AND x.review_at IS NOT NULL) OR (d.k = 3 AND x.status = 'qualified')
	ORDER BY x.id, d.k;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_analytics_insert" AFTER INSERT ON "referrals"
	REFERENCING NEW TABLE AS new_referrals
	FOR EACH STATEMENT EXECUTE FUNCTION analytics_referrals_inserted();
--> statement-breakpoint
-- The campaign of a click or start is filled only when its writer names none (attribution
-- names it): without the condition, a PL/pgSQL call per row that had nothing to do.
DROP TRIGGER IF EXISTS "starts_analytics_campaign" ON "starts";
--> statement-breakpoint
CREATE TRIGGER "starts_analytics_campaign" BEFORE INSERT ON "starts"
	FOR EACH ROW WHEN (NEW.campaign_id IS NULL) EXECUTE FUNCTION analytics_fill_campaign();
--> statement-breakpoint
DROP TRIGGER IF EXISTS "clicks_analytics_campaign" ON "clicks";
--> statement-breakpoint
CREATE TRIGGER "clicks_analytics_campaign" BEFORE INSERT ON "clicks"
	FOR EACH ROW WHEN (NEW.campaign_id IS NULL) EXECUTE FUNCTION analytics_fill_campaign();
