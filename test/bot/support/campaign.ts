/** The campaign bot tests run: qualification by the "join" task, a welcome bonus, Pro from one friend. */
import type { CampaignDefinition } from "../../../server/domain/campaign.ts";
import { testCampaign } from "../../support/campaign.ts";

export function botCampaign(
  overrides: Parameters<typeof testCampaign>[0] = {},
): CampaignDefinition {
  return testCampaign({
    qualification: { type: "challenge", challengeId: "join" },
    welcomeBonus: { token: "REF", amount: "5" },
    tiers: [
      { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10000 },
      { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 1, multiplierBps: 15000 },
    ],
    ...overrides,
  });
}
