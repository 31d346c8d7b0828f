/**
 * Property test through the real engine and database: random campaigns, random referral
 * trees, random qualification order over several days, random review decisions. After
 * each run: debits equal credits, one outbox row per entry, budget and caps never
 * exceeded, every amount follows its level rule, counters match the tree.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { queryRows } from "../../../server/db/index.ts";
import { ledgerEntries, referrals } from "../../../server/db/schema.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { approveReview, listReviews, rejectReview } from "../../../server/domain/review.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { BPS, levelBases } from "../../../server/domain/rules.ts";
import { campaignArb } from "../../support/arbitraries.ts";
import { HOUR } from "../../support/clock.ts";
import { resetDatabase, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";

const scenarioArb = fc.record({
  campaign: campaignArb,
  // parents[i] is the index (< i+1) of member i+1's referrer, or -1 for none.
  parents: fc
    .array(fc.nat(), { minLength: 1, maxLength: 7 })
    .map((xs) => xs.map((x, i) => (x % (i + 2)) - 1)),
  order: fc.array(fc.nat(), { maxLength: 8 }),
  gapsHours: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 8, maxLength: 8 }),
  decisions: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
});

test("random trees and campaigns keep every ledger invariant", async (t) => {
  await withDatabases(t, async (db) => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        await resetDatabase(db);
        const d = await testDomain(db, {
          campaigns: [s.campaign],
          attributionWindowHours: 24 * 365,
        });
        const rules = d.ctx.campaigns.resolve(undefined, d.clock.now()).rules;
        const members = [await d.member(1)];
        for (let i = 0; i < s.parents.length; i++) {
          const m = await d.member(i + 2);
          members.push(m);
          const p = s.parents[i]!;
          if (p >= 0) await d.refer(members[p]!, m);
        }
        // Qualify in a random order, time passing in between (crosses UTC days).
        const referees = members.slice(1);
        const order = s.order.map((k) => referees[k % referees.length]!).concat(referees);
        for (const [i, m] of order.entries()) {
          await qualify(d.ctx, m.id, { type: "wallet_linked" });
          d.clock.advance((s.gapsHours[i % 8] ?? 0) * HOUR);
        }
        for (const [i, item] of (
          await listReviews(db.db, { status: "open", limit: 100 })
        ).entries()) {
          if (s.decisions[i % 8]) await approveReview(d.ctx, item.id, systemAdmin());
          else await rejectReview(d.ctx, item.id, systemAdmin(), "property test");
        }

        await assertLedgerConsistent(db);

        // Caps: per member and token, in total and per UTC day.
        const perMember = await queryRows<{
          member_id: string;
          token: string;
          day: string;
          amount: string;
        }>(
          db.db,
          sql`select member_id::text, token, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, sum(amount)::text as amount
              from ledger_entries where state not in ('expired', 'rejected') group by 1, 2, 3`,
        );
        const totals = new Map<string, bigint>();
        for (const r of perMember) {
          const daily = rules.caps.daily.get(r.token);
          if (daily !== undefined)
            assert.ok(BigInt(r.amount) <= daily, `daily cap of ${r.member_id} on ${r.day}`);
          totals.set(
            `${r.member_id}:${r.token}`,
            (totals.get(`${r.member_id}:${r.token}`) ?? 0n) + BigInt(r.amount),
          );
        }
        for (const [key, total] of totals) {
          const cap = rules.caps.total.get(key.split(":")[1]!);
          if (cap !== undefined) assert.ok(total <= cap, `total cap of ${key}`);
        }

        // Amounts per level: the rule's base times some tier multiplier, or less with a reason.
        const multipliers = new Set(rules.tiers.map((x) => BigInt(x.multiplierBps)));
        const refs = await db.db.select().from(referrals);
        const parentOf = new Map(refs.map((r) => [r.refereeId, r]));
        const entries = await db.db.select().from(ledgerEntries);
        for (const e of entries) {
          const ref = refs.find((r) => r.id === e.referralId);
          assert.ok(ref, "every entry belongs to a referral");
          if (e.kind === "welcome") {
            assert.equal(e.memberId, ref.refereeId);
            assert.ok(e.amount <= (rules.welcomeBonus?.amount ?? 0n));
            continue;
          }
          // The recipient of level L is the L-th ancestor of the referee.
          let node = ref.refereeId;
          for (let l = 0; l < (e.level ?? 0); l++) node = parentOf.get(node)!.referrerId;
          assert.equal(e.memberId, node, `level ${e.level} recipient`);
          const base = levelBases(rules, ref.variant)[(e.level ?? 1) - 1]!.base;
          const grosses = [...multipliers].map((m) => (base * m) / BPS);
          if (e.note === null)
            assert.ok(grosses.includes(e.amount), `level ${e.level} amount follows the rule`);
          else
            assert.ok(
              ["daily_cap", "total_cap", "budget"].includes(e.note) &&
                grosses.some((g) => e.amount < g),
            );
        }

        // Counters equal a recount from the tree.
        const recount = await queryRows<{ k: string; n: number }>(
          db.db,
          sql`with recursive anc(referee, member_id, level) as (
                select referee_id, referrer_id, 1 from referrals
                union all
                select a.referee, r.referrer_id, a.level + 1 from anc a join referrals r on r.referee_id = a.member_id
                where a.level < 10
              )
              select a.member_id || ':' || a.level || ':' || r.status as k, count(*)::int as n
              from anc a join referrals r on r.referee_id = a.referee group by 1 order by 1`,
        );
        const counters = await queryRows<{ k: string; n: number }>(
          db.db,
          sql`select member_id || ':' || level || ':' || status as k, count as n from referral_counters where count > 0 order by 1`,
        );
        assert.deepEqual(
          counters.map((c) => [c.k, Number(c.n)]),
          recount.map((c) => [c.k, Number(c.n)]),
        );
      }),
      { numRuns: 12 },
    );
  });
});
