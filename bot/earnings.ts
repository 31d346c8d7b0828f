/**
 * The member's own numbers for a campaign (their A/B variant, tier and next tier), for every
 * promise the bot makes. A member created by this very update has no friend counted yet:
 * no read at all (`/start` of new members is the bot's hot path); otherwise the counters
 * come from the stats read, which the per-process read cache serves.
 */
import {
  type Campaign,
  type MemberEarnings,
  memberEarnings,
  memberStats,
} from "../server/domain/index.ts";
import type { BotServices } from "./context.ts";

export async function earningsOf(
  s: BotServices,
  member: { id: number },
  campaign: Campaign,
  isNew = false,
): Promise<MemberEarnings> {
  const qualified = isNew
    ? 0
    : (await memberStats(s.domain.db, campaign, member.id)).tier.qualified;
  return memberEarnings(campaign.rules, member.id, qualified);
}
