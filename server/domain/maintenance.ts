/**
 * Periodic work: switch to campaign rules versions that took effect (versions.ts), qualify
 * referrals whose hold passed (and the referrers' `invite` challenges they complete), complete
 * `join_chat` challenges whose stay lasted long enough, expire unclaimed grants (their amounts return to the budget),
 * purge stale SIWE nonces. Idempotent; safe to run from
 * several processes (row locks with SKIP LOCKED and status checks keep them apart).
 */
import { detectAfterQualification } from "./challengeProgress.ts";
import { completeChatStays } from "./chatMembership.ts";
import type { DomainContext } from "./context.ts";
import { expireGrants } from "./ledger.ts";
import { processHolds } from "./qualification.ts";
import { refreshCampaignVersions } from "./versions.ts";
import { purgeNonces } from "./wallets.ts";

export interface MaintenanceReport {
  /** Campaigns now running a newer rules version. */
  rulesSwitched: string[];
  holdsProcessed: number;
  grantsExpired: number;
  /** `join_chat` challenges completed because a member stayed long enough. */
  chatStaysCompleted: number;
}

export async function runMaintenance(ctx: DomainContext): Promise<MaintenanceReport> {
  // First: what follows qualifies and expires under the rules in effect.
  const rulesSwitched = await refreshCampaignVersions(ctx);
  const holds = await processHolds(ctx);
  for (const outcome of holds) await detectAfterQualification(ctx, outcome);
  const chatStaysCompleted = await completeChatStays(ctx);
  const grantsExpired = await expireGrants(ctx.db, ctx.now());
  await purgeNonces(ctx);
  return { rulesSwitched, holdsProcessed: holds.length, grantsExpired, chatStaysCompleted };
}
