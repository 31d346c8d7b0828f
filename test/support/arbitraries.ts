/** fast-check arbitraries shared by property tests. */
import fc from "fast-check";
import { type CampaignDefinition, parseCampaignDefinition } from "../../server/domain/campaign.ts";

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 99 }))
  .filter(([w, f]) => w + f > 0)
  .map(([w, f]) => (f === 0 ? String(w) : `${w}.${String(f).padStart(2, "0")}`));

const levelArb = fc.oneof(
  decimal.map((amount) => ({ amount })),
  fc.integer({ min: 1, max: 10_000 }).map((bps) => ({ percent: bps / 100 })),
);

/** A random but valid campaign definition. */
export const campaignArb: fc.Arbitrary<CampaignDefinition> = fc
  .record({
    first: decimal,
    deeper: fc.array(levelArb, { maxLength: 4 }),
    tierSteps: fc.array(
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 30_000 })),
      { maxLength: 3 },
    ),
    baseMultiplier: fc.integer({ min: 5_000, max: 20_000 }),
    daily: fc.option(decimal, { nil: undefined }),
    total: fc.option(decimal, { nil: undefined }),
    budget: decimal,
    welcome: fc.option(decimal, { nil: undefined }),
    variant: fc.option(decimal, { nil: undefined }),
  })
  .map((r) => {
    let min = 0;
    const tiers = [
      { id: "t0", name: { en: "t0", ru: "t0" }, minQualified: 0, multiplierBps: r.baseMultiplier },
    ];
    r.tierSteps.forEach(([step, mult], i) => {
      min += step;
      tiers.push({
        id: `t${i + 1}`,
        name: { en: "t", ru: "t" },
        minQualified: min,
        multiplierBps: mult,
      });
    });
    return parseCampaignDefinition({
      slug: "prop",
      onchainId: 1,
      name: { en: "p", ru: "p" },
      startsAt: "2020-01-01T00:00:00Z",
      tokens: [
        {
          symbol: "REF",
          name: "R",
          decimals: 18,
          cap: "1000000000",
          budget: r.budget,
          maxBatch: 10,
          maxBatchAmount: r.budget,
          dailyLimit: r.budget,
        },
      ],
      escrow: { publishDelayHours: 0 },
      qualification: { type: "wallet_linked" },
      levels: [
        { level: 1, token: "REF", amount: r.first },
        ...r.deeper.map((l, i) => ({ level: i + 2, ...l })),
      ],
      welcomeBonus: r.welcome ? { token: "REF", amount: r.welcome } : undefined,
      tiers,
      caps: {
        perMemberDaily: r.daily ? { REF: r.daily } : {},
        perMemberTotal: r.total ? { REF: r.total } : {},
      },
      fraud: {
        burst: { maxReferrals: 10, windowMinutes: 10 },
        maxRefereesPerIp: 3,
        maxRefereesPerDevice: 3,
        reviewSharedWallets: true,
      },
      variants: r.variant
        ? [
            { id: "a", weight: 1 },
            { id: "b", weight: 1, levelAmounts: { "1": r.variant } },
          ]
        : [],
    });
  });
