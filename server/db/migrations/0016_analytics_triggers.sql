-- Analytics deltas (docs/ANALYTICS.md): each source table's trigger appends, in the writing
-- transaction, what a row now contributes to the rollups minus what it contributed before
-- (n = -1 for the old contribution, +1 for the new one); server/domain/analytics/rollups.ts
-- folds them. A session may switch the triggers off (`set refmint.analytics_off = 'on'`) for a
-- bulk load followed by a rebuild of the rollups (the benchmark's seed does).
CREATE OR REPLACE FUNCTION "analytics_day"(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT (at AT TIME ZONE 'UTC')::date
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_off"() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT coalesce(current_setting('refmint.analytics_off', true), '') = 'on'
$$;
--> statement-breakpoint
-- Time to qualify: half-powers of two of seconds (bucket b holds [2^(b/2) - 1, 2^((b+1)/2) - 1)).
CREATE OR REPLACE FUNCTION "analytics_bucket"(seconds bigint) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
	SELECT floor(2 * log(2.0, (greatest(seconds, 0) + 1)::numeric))::smallint
$$;
--> statement-breakpoint
-- The campaign a click or start counts for when the writer names none (codes span campaigns
-- today): the referral the start made, else the campaign where the code's owner was referred,
-- else the first campaign they referred someone in, else the first campaign.
CREATE OR REPLACE FUNCTION "analytics_campaign_of"(owner bigint, starter bigint) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT coalesce(
		(SELECT r.campaign_id FROM referrals r WHERE starter IS NOT NULL AND r.referee_id = starter AND r.referrer_id = owner ORDER BY r.id LIMIT 1),
		(SELECT r.campaign_id FROM referrals r WHERE r.referee_id = owner ORDER BY r.id LIMIT 1),
		(SELECT r.campaign_id FROM referrals r WHERE r.referrer_id = owner ORDER BY r.attributed_at, r.id LIMIT 1),
		(SELECT min(c.id) FROM campaigns c))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_fill_campaign"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.campaign_id IS NULL THEN
		IF TG_TABLE_NAME = 'starts' THEN
			NEW.campaign_id := analytics_campaign_of(NEW.referrer_id, NEW.starter_id);
		ELSE
			NEW.campaign_id := analytics_campaign_of(NEW.member_id, NULL);
		END IF;
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "clicks_analytics_campaign" BEFORE INSERT ON "clicks"
	FOR EACH ROW EXECUTE FUNCTION analytics_fill_campaign();
--> statement-breakpoint
CREATE TRIGGER "starts_analytics_campaign" BEFORE INSERT ON "starts"
	FOR EACH ROW EXECUTE FUNCTION analytics_fill_campaign();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_clicks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, day)
		VALUES ('click', -1, OLD.campaign_id, OLD.member_id, OLD.code, analytics_day(OLD.created_at));
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, day)
		VALUES ('click', 1, NEW.campaign_id, NEW.member_id, NEW.code, analytics_day(NEW.created_at));
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "analytics_starts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, day)
		VALUES ('start', -1, OLD.campaign_id, OLD.referrer_id, OLD.code, analytics_day(OLD.created_at));
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, day)
		VALUES ('start', 1, NEW.campaign_id, NEW.referrer_id, NEW.code, analytics_day(NEW.created_at));
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "clicks_analytics" AFTER INSERT OR DELETE OR UPDATE OF campaign_id, code, created_at ON "clicks"
	FOR EACH ROW EXECUTE FUNCTION analytics_clicks();
--> statement-breakpoint
CREATE TRIGGER "starts_analytics" AFTER INSERT OR DELETE OR UPDATE OF campaign_id, code, created_at ON "starts"
	FOR EACH ROW EXECUTE FUNCTION analytics_starts();
--> statement-breakpoint
-- Referrals: attributed (always), sent to review (review_at set), qualified (status qualified).
CREATE OR REPLACE FUNCTION "analytics_referrals"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o referrals;
	x referrals;
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP <> 'INSERT' THEN o := OLD; END IF;
	IF TG_OP <> 'DELETE' THEN x := NEW; END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.referrer_id, o.referee_id, o.code, o.variant, o.attributed_at)
			IS DISTINCT FROM (x.campaign_id, x.referrer_id, x.referee_id, x.code, x.variant, x.attributed_at) THEN
		IF o.id IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, other_id, code, variant, day)
			VALUES ('attributed', -1, o.campaign_id, o.referrer_id, o.referee_id, o.code, o.variant, analytics_day(o.attributed_at));
		END IF;
		IF x.id IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, other_id, code, variant, day)
			VALUES ('attributed', 1, x.campaign_id, x.referrer_id, x.referee_id, x.code, x.variant, analytics_day(x.attributed_at));
		END IF;
	END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.referrer_id, o.code, o.variant, o.review_at)
			IS DISTINCT FROM (x.campaign_id, x.referrer_id, x.code, x.variant, x.review_at) THEN
		IF o.review_at IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, variant, day)
			VALUES ('review', -1, o.campaign_id, o.referrer_id, o.code, o.variant, analytics_day(o.review_at));
		END IF;
		IF x.review_at IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, code, variant, day)
			VALUES ('review', 1, x.campaign_id, x.referrer_id, x.code, x.variant, analytics_day(x.review_at));
		END IF;
	END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.referrer_id, o.code, o.variant, o.status = 'qualified', o.qualified_at, o.attributed_at)
			IS DISTINCT FROM (x.campaign_id, x.referrer_id, x.code, x.variant, x.status = 'qualified', x.qualified_at, x.attributed_at) THEN
		IF o.status = 'qualified' THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, other_id, code, variant, seconds, day)
			VALUES ('qualified', -1, o.campaign_id, o.referrer_id, o.referee_id, o.code, o.variant,
				greatest(0, floor(extract(epoch FROM coalesce(o.qualified_at, o.attributed_at) - o.attributed_at)))::bigint,
				analytics_day(coalesce(o.qualified_at, o.attributed_at)));
		END IF;
		IF x.status = 'qualified' THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, member_id, other_id, code, variant, seconds, day)
			VALUES ('qualified', 1, x.campaign_id, x.referrer_id, x.referee_id, x.code, x.variant,
				greatest(0, floor(extract(epoch FROM coalesce(x.qualified_at, x.attributed_at) - x.attributed_at)))::bigint,
				analytics_day(coalesce(x.qualified_at, x.attributed_at)));
		END IF;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_analytics" AFTER INSERT OR DELETE OR UPDATE ON "referrals"
	FOR EACH ROW EXECUTE FUNCTION analytics_referrals();
--> statement-breakpoint
-- Ledger entries: earned (every grant, on its creation day), paid (settled_at set; a
-- first-level referral reward also moves the funnel's "paid", with its referral's code and
-- variant), expired (state expired).
CREATE OR REPLACE FUNCTION "analytics_ledger"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o ledger_entries;
	x ledger_entries;
	r referrals;
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP <> 'INSERT' THEN o := OLD; END IF;
	IF TG_OP <> 'DELETE' THEN x := NEW; END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.token, o.amount, o.created_at)
			IS DISTINCT FROM (x.campaign_id, x.token, x.amount, x.created_at) THEN
		IF o.id IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('earned', -1, o.campaign_id, o.token, o.amount, analytics_day(o.created_at));
		END IF;
		IF x.id IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('earned', 1, x.campaign_id, x.token, x.amount, analytics_day(x.created_at));
		END IF;
	END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.token, o.amount, o.settled_at, o.kind, o.level, o.referral_id)
			IS DISTINCT FROM (x.campaign_id, x.token, x.amount, x.settled_at, x.kind, x.level, x.referral_id) THEN
		IF o.settled_at IS NOT NULL THEN
			r := NULL;
			IF o.kind = 'referral' AND o.level = 1 THEN
				SELECT * INTO r FROM referrals WHERE id = o.referral_id;
			END IF;
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, other_id, code, variant, day)
			VALUES ('paid', -1, o.campaign_id, o.token, o.amount, r.id, r.code, r.variant, analytics_day(o.settled_at));
		END IF;
		IF x.settled_at IS NOT NULL THEN
			r := NULL;
			IF x.kind = 'referral' AND x.level = 1 THEN
				SELECT * INTO r FROM referrals WHERE id = x.referral_id;
			END IF;
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, other_id, code, variant, day)
			VALUES ('paid', 1, x.campaign_id, x.token, x.amount, r.id, r.code, r.variant, analytics_day(x.settled_at));
		END IF;
	END IF;
	IF TG_OP <> 'UPDATE' OR (o.campaign_id, o.token, o.amount, o.state = 'expired', o.expired_at)
			IS DISTINCT FROM (x.campaign_id, x.token, x.amount, x.state = 'expired', x.expired_at) THEN
		IF o.state = 'expired' THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('expired', -1, o.campaign_id, o.token, o.amount, analytics_day(coalesce(o.expired_at, o.created_at)));
		END IF;
		IF x.state = 'expired' THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('expired', 1, x.campaign_id, x.token, x.amount, analytics_day(coalesce(x.expired_at, x.created_at)));
		END IF;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "ledger_entries_analytics" AFTER INSERT OR DELETE OR UPDATE ON "ledger_entries"
	FOR EACH ROW EXECUTE FUNCTION analytics_ledger();
--> statement-breakpoint
-- Gas: what a mined send of a campaign cost (gas used × effective price), on the day it was mined.
CREATE OR REPLACE FUNCTION "analytics_gas"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o chain_sends;
	x chain_sends;
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP <> 'INSERT' THEN o := OLD; END IF;
	IF TG_OP <> 'DELETE' THEN x := NEW; END IF;
	IF TG_OP = 'UPDATE' AND (o.campaign_id, o.gas_used, o.effective_gas_price, o.mined_at)
			IS NOT DISTINCT FROM (x.campaign_id, x.gas_used, x.effective_gas_price, x.mined_at) THEN
		RETURN NULL;
	END IF;
	IF o.campaign_id IS NOT NULL AND o.gas_used IS NOT NULL AND o.effective_gas_price IS NOT NULL AND o.mined_at IS NOT NULL THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, amount, day)
		VALUES ('gas', -1, o.campaign_id, o.gas_used::numeric * o.effective_gas_price, analytics_day(o.mined_at));
	END IF;
	IF x.campaign_id IS NOT NULL AND x.gas_used IS NOT NULL AND x.effective_gas_price IS NOT NULL AND x.mined_at IS NOT NULL THEN
		INSERT INTO analytics_deltas (kind, n, campaign_id, amount, day)
		VALUES ('gas', 1, x.campaign_id, x.gas_used::numeric * x.effective_gas_price, analytics_day(x.mined_at));
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "chain_sends_analytics" AFTER INSERT OR DELETE OR UPDATE ON "chain_sends"
	FOR EACH ROW EXECUTE FUNCTION analytics_gas();
--> statement-breakpoint
-- Totals without a day: payouts into escrow, claims from escrow, redemptions (perks).
CREATE OR REPLACE FUNCTION "analytics_chain_totals"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n smallint := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
	rec record;
	c integer;
	t text;
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;
	IF TG_TABLE_NAME = 'chain_payouts' THEN
		IF rec.escrow THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('escrowed', n, rec.campaign_id, rec.token, rec.amount, current_date);
		END IF;
	ELSIF TG_TABLE_NAME = 'chain_claims' THEN
		SELECT e.campaign_id, e.token INTO c, t FROM chain_epochs e WHERE e.distributor = rec.distributor ORDER BY e.id LIMIT 1;
		IF c IS NOT NULL THEN
			INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
			VALUES ('claimed', n, c, t, rec.amount, current_date);
		END IF;
	ELSE
		INSERT INTO analytics_deltas (kind, n, campaign_id, token, amount, day)
		VALUES ('redeemed', n, rec.campaign_id, rec.token, rec.cost, current_date);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "chain_payouts_analytics" AFTER INSERT OR DELETE ON "chain_payouts"
	FOR EACH ROW EXECUTE FUNCTION analytics_chain_totals();
--> statement-breakpoint
CREATE TRIGGER "chain_claims_analytics" AFTER INSERT OR DELETE ON "chain_claims"
	FOR EACH ROW EXECUTE FUNCTION analytics_chain_totals();
--> statement-breakpoint
CREATE TRIGGER "chain_redemptions_analytics" AFTER INSERT OR DELETE ON "chain_redemptions"
	FOR EACH ROW EXECUTE FUNCTION analytics_chain_totals();
--> statement-breakpoint
-- Activity: the member was created, or `last_seen_at` (moved by any bot interaction or API
-- call, at most hourly) reached a new UTC day. Each active day is recorded once.
CREATE OR REPLACE FUNCTION "analytics_activity"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	d date := analytics_day(NEW.last_seen_at);
	added integer;
BEGIN
	IF analytics_off() THEN RETURN NULL; END IF;
	INSERT INTO member_activity_days (member_id, day) VALUES (NEW.id, d) ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS added = ROW_COUNT;
	IF added > 0 THEN
		INSERT INTO analytics_deltas (kind, n, member_id, day) VALUES ('active', 1, NEW.id, d);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "members_analytics_insert" AFTER INSERT ON "members"
	FOR EACH ROW EXECUTE FUNCTION analytics_activity();
--> statement-breakpoint
CREATE TRIGGER "members_analytics_seen" AFTER UPDATE OF last_seen_at ON "members"
	FOR EACH ROW WHEN (analytics_day(OLD.last_seen_at) IS DISTINCT FROM analytics_day(NEW.last_seen_at))
	EXECUTE FUNCTION analytics_activity();
