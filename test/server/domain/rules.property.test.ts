/**
 * Property tests for the rules engine: for random campaigns, trees and balances, every
 * planned amount follows the level rule, the tier multiplier, the caps and the budget.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileCampaign, parseCampaignDefinition } from "../../../server/domain/campaign.ts";
import {
  assignVariant,
  BPS,
  type GrantedTotals,
  levelBases,
  planReferralGrants,
  tierFor,
  totalsKey,
} from "../../../server/domain/rules.ts";
import { campaignArb } from "../../support/arbitraries.ts";

const wei = fc.bigInt({ min: 0n, max: 10n ** 21n });

test("planned amounts follow levels, tiers, caps and budget", () => {
  fc.assert(
    fc.property(
      campaignArb,
      fc.array(
        fc.record({
          memberId: fc.integer({ min: 1, max: 1_000_000 }),
          banned: fc.boolean(),
          qualifiedReferrals: fc.integer({ min: 0, max: 40 }),
          today: wei,
          extraTotal: wei,
        }),
        { maxLength: 6 },
      ),
      wei,
      fc.boolean(),
      (def, chain, budgetLeft, refereeBanned) => {
        const rules = compileCampaign(def);
        // Distinct members (a tree has no repeats on one path).
        const seen = new Set<number>();
        const ancestors = chain.filter((a) => !seen.has(a.memberId) && seen.add(a.memberId));
        const refereeId = 2_000_000;
        const granted = new Map<string, GrantedTotals>();
        for (const a of ancestors)
          granted.set(totalsKey(a.memberId, "REF"), {
            today: a.today,
            total: a.today + a.extraTotal,
          });
        const variant = assignVariant(rules, ancestors[0]?.memberId ?? 1);
        const plan = planReferralGrants({
          rules,
          variantId: variant,
          ancestors,
          referee: { memberId: refereeId, banned: refereeBanned },
          granted,
          budgetLeft: new Map([["REF", budgetLeft]]),
        });
        const bases = levelBases(rules, variant);

        // Level rule: fixed (or variant override) at L1, fixed or percent of the level above deeper.
        const override = rules.variants.find((v) => v.id === variant)?.levelAmounts.get(1);
        let above = 0n;
        for (const l of rules.levels) {
          const b = bases[l.level - 1]!.base;
          const expected =
            l.level === 1 && override !== undefined
              ? override
              : l.kind === "fixed"
                ? l.amount
                : (above * BigInt(l.bps)) / BPS;
          assert.equal(b, expected, `base of level ${l.level}`);
          above = b;
        }

        let spent = 0n;
        const after = new Map(granted);
        for (const g of plan.grants) {
          assert.ok(g.amount >= 0n && g.amount <= g.gross, "never more than the rule gives");
          if (g.kind === "referral") {
            const a = ancestors[g.level - 1]!;
            assert.equal(g.memberId, a.memberId, "level L goes to the L-th ancestor");
            assert.equal(a.banned, false, "banned ancestors earn nothing");
            assert.equal(g.base, bases[g.level - 1]!.base);
            assert.equal(g.multiplierBps, tierFor(rules.tiers, a.qualifiedReferrals).multiplierBps);
            assert.equal(g.gross, (g.base * BigInt(g.multiplierBps)) / BPS);
          } else {
            assert.equal(g.memberId, refereeId);
            assert.equal(refereeBanned, false);
            assert.equal(g.gross, rules.welcomeBonus?.amount);
          }
          if (g.amount < g.gross) assert.ok(g.limitedBy !== null, "a cut always names its reason");
          const key = totalsKey(g.memberId, g.token);
          const t = after.get(key) ?? { today: 0n, total: 0n };
          after.set(key, { today: t.today + g.amount, total: t.total + g.amount });
          spent += g.amount;
        }
        // Every level with a live ancestor is planned (amount possibly 0), none for missing levels.
        const expectedLevels = rules.levels
          .filter((l) => ancestors[l.level - 1] && !ancestors[l.level - 1]!.banned)
          .map((l) => l.level);
        assert.deepEqual(
          plan.grants.filter((g) => g.kind === "referral").map((g) => g.level),
          expectedLevels,
        );

        // Caps and budget hold after the plan (for members that started within them).
        assert.ok(spent <= budgetLeft, "budget never exceeded");
        const daily = rules.caps.daily.get("REF");
        const total = rules.caps.total.get("REF");
        for (const [key, t] of after) {
          const before = granted.get(key) ?? { today: 0n, total: 0n };
          if (daily !== undefined)
            assert.ok(
              t.today <= (before.today > daily ? before.today : daily),
              `daily cap for ${key}`,
            );
          if (total !== undefined)
            assert.ok(
              t.total <= (before.total > total ? before.total : total),
              `total cap for ${key}`,
            );
        }
        // Level-1 cap cuts are reported for review.
        const l1 = plan.grants.find((g) => g.kind === "referral" && g.level === 1);
        const l1Capped = l1?.limitedBy === "daily_cap" || l1?.limitedBy === "total_cap";
        assert.equal(
          plan.capHits.some((h) => h.level === 1),
          l1Capped,
        );
      },
    ),
    { numRuns: 500 },
  );
});

test("variant assignment is deterministic and follows the weights", () => {
  const rules = compileCampaign(
    parseCampaignDefinition({
      ...fc.sample(campaignArb, { numRuns: 1, seed: 1 })[0],
      variants: [
        { id: "a", weight: 1 },
        { id: "b", weight: 3 },
      ],
    }),
  );
  const counts = { a: 0, b: 0 };
  for (let id = 1; id <= 4000; id++) {
    const v = assignVariant(rules, id) as "a" | "b";
    assert.equal(assignVariant(rules, id), v);
    counts[v]++;
  }
  // 1:3 split within a generous tolerance (hash-based, so not exact).
  assert.ok(counts.a > 800 && counts.a < 1200, JSON.stringify(counts));
});
