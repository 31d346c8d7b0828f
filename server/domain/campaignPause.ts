/**
 * Pausing a campaign: an off-chain switch an admin flips (the bot's `/pause` and `/resume`).
 * While paused, attribution refuses new referrals (`campaign_inactive`, details
 * `{ paused: true }`) and a referral that qualifies goes to the review queue with the reason
 * `campaign_paused` instead of being paid, so nothing earned during a pause is lost: an
 * admin approves it later. Grants already written are not touched (the payout pipeline and
 * the contracts' own pause govern those).
 */
import { eq } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { campaignPauses } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { Actor, DomainContext } from "./context.ts";

export interface CampaignPause {
  campaignId: number;
  pausedAt: Date;
  pausedBy: string;
  reason: string | null;
}

/** Whether the campaign is paused (read inside the caller's transaction when given one). */
export async function isCampaignPaused(db: Db, campaignId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: campaignPauses.campaignId })
    .from(campaignPauses)
    .where(eq(campaignPauses.campaignId, campaignId));
  return row !== undefined;
}

export async function campaignPause(
  db: Db,
  campaignId: number,
): Promise<CampaignPause | undefined> {
  const [row] = await db
    .select()
    .from(campaignPauses)
    .where(eq(campaignPauses.campaignId, campaignId));
  return row;
}

/** Pauses a campaign; returns false when it already was. Audited. */
export async function pauseCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  actor: Actor,
  reason?: string,
): Promise<boolean> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(campaignPauses)
      .values({ campaignId, pausedAt: now, pausedBy: actor, reason: reason ?? null })
      .onConflictDoNothing()
      .returning({ id: campaignPauses.campaignId });
    if (!row) return false;
    await writeAudit(tx, {
      actor,
      action: "campaign.paused",
      subjectType: "campaign",
      subjectId: campaignId,
      details: { reason: reason ?? null },
      at: now,
    });
    return true;
  });
}

/** Resumes a paused campaign; returns false when it was not paused. Audited. */
export async function resumeCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  actor: Actor,
): Promise<boolean> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const removed = await tx
      .delete(campaignPauses)
      .where(eq(campaignPauses.campaignId, campaignId))
      .returning({ id: campaignPauses.campaignId });
    if (removed.length === 0) return false;
    await writeAudit(tx, {
      actor,
      action: "campaign.resumed",
      subjectType: "campaign",
      subjectId: campaignId,
      at: now,
    });
    return true;
  });
}
