/**
 * Pausing a campaign: the lifecycle's `active ⇄ paused` (campaignTransitions.ts), an off-chain
 * switch an admin flips (the bot's `/pause` and `/resume`, `POST /api/admin/campaigns/:slug/pause`).
 * While paused, attribution refuses new referrals (`campaign_inactive`, details
 * `{ paused: true }`) and a referral that qualifies goes to the review queue with the reason
 * `campaign_paused` instead of being paid, so nothing earned during a pause is lost: an
 * admin approves it later. Grants already written are not touched (the payout pipeline and
 * the contracts' own pause govern those).
 */
import type { Db } from "../db/index.ts";
import { campaignLifecycle, transitionCampaign } from "./campaignTransitions.ts";
import type { DomainContext } from "./context.ts";
import { isDomainError } from "./errors.ts";
import type { AdminPrincipal } from "./roles.ts";

export interface CampaignPause {
  campaignId: number;
  pausedAt: Date;
  pausedBy: string;
}

/** Whether the campaign is paused (read inside the caller's transaction when given one). */
export async function isCampaignPaused(db: Db, campaignId: number): Promise<boolean> {
  return (await campaignLifecycle(db, campaignId)).state === "paused";
}

export async function campaignPause(
  db: Db,
  campaignId: number,
): Promise<CampaignPause | undefined> {
  const l = await campaignLifecycle(db, campaignId);
  if (l.state !== "paused") return undefined;
  return { campaignId, pausedAt: l.stateChangedAt, pausedBy: l.stateChangedBy };
}

/**
 * Pauses a campaign (`campaign.pause`); returns false when it already was. Audited. Any other
 * state than `active` or `paused` is refused (`campaign_transition_refused`).
 */
export async function pauseCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  by: AdminPrincipal,
  reason?: string,
): Promise<boolean> {
  return sameStateIsNoChange(
    transitionCampaign(ctx, by, campaignId, "pause", { reason: reason ?? null }),
    "paused",
  );
}

/** Resumes a paused campaign (`campaign.pause`); returns false when it was active already. Audited. */
export async function resumeCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  by: AdminPrincipal,
): Promise<boolean> {
  return sameStateIsNoChange(transitionCampaign(ctx, by, campaignId, "resume"), "active");
}

/** Pausing a paused campaign (resuming an active one) is the bot's idempotent "no change". */
async function sameStateIsNoChange(
  move: Promise<unknown>,
  target: "paused" | "active",
): Promise<boolean> {
  try {
    await move;
    return true;
  } catch (error) {
    if (isDomainError(error, "campaign_transition_refused") && error.details.from === target)
      return false;
    throw error;
  }
}
