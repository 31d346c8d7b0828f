/** Campaign definitions for tests: a valid base with overridable parts. */
import { type CampaignDefinition, parseCampaignDefinition } from "../../server/domain/campaign.ts";

type Overrides = Partial<Omit<CampaignDefinition, "fraud">> & {
  fraud?: Partial<CampaignDefinition["fraud"]>;
};

/** The test campaign's own token (a RewardToken): REF, 18 decimals. */
export const TEST_REF_TOKEN = {
  symbol: "REF",
  name: "Referral",
  decimals: 18,
  cap: "100000000",
  budget: "1000000",
  maxBatch: 100,
  maxBatchAmount: "10000",
  dailyLimit: "100000",
};

/** A running campaign: REF token, 3 levels (10 / 20% / 1), lenient fraud thresholds, no caps. */
export function testCampaign(o: Overrides = {}): CampaignDefinition {
  const { fraud, ...rest } = o;
  return parseCampaignDefinition({
    slug: "test",
    onchainId: 7,
    name: { en: "Test", ru: "Тест" },
    startsAt: "2020-01-01T00:00:00Z",
    endsAt: "2099-01-01T00:00:00Z",
    tokens: [TEST_REF_TOKEN],
    escrow: { publishDelayHours: 0 },
    qualification: { type: "wallet_linked" },
    levels: [
      { level: 1, token: "REF", amount: "10" },
      { level: 2, percent: 20 },
      { level: 3, amount: "1" },
    ],
    tiers: [
      { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10000 },
      { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 3, multiplierBps: 15000 },
    ],
    caps: { perMemberDaily: {}, perMemberTotal: {} },
    fraud: {
      burst: { maxReferrals: 1000, windowMinutes: 10 },
      maxRefereesPerIp: 1000,
      maxRefereesPerDevice: 1000,
      reviewSharedWallets: true,
      ...fraud,
    },
    challenges: [
      { id: "join", title: { en: "Join", ru: "Вступить" }, reward: { token: "REF", amount: "2" } },
    ],
    ...rest,
  });
}
