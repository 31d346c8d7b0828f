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
import type { DomainContext } from "./context.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

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

/** Pauses a campaign (`campaign.pause`); returns false when it already was. Audited. */
export async function pauseCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  by: AdminPrincipal,
  reason?: string,
): Promise<boolean> {
  await authorize(ctx, by, "campaign.pause", campaignId);
  const actor = by.actor;
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
      campaignId,
      details: { reason: reason ?? null },
      before: { paused: false },
      after: { paused: true },
      at: now,
    });
    return true;
  });
}

/** Resumes a paused campaign (`campaign.pause`); returns false when it was not paused. Audited. */
export async function resumeCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  by: AdminPrincipal,
): Promise<boolean> {
  await authorize(ctx, by, "campaign.pause", campaignId);
  const actor = by.actor;
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const removed = await tx
      .delete(campaignPauses)
      .where(eq(campaignPauses.campaignId, campaignId))
      .returning({
        pausedAt: campaignPauses.pausedAt,
        pausedBy: campaignPauses.pausedBy,
        reason: campaignPauses.reason,
      });
    const [was] = removed;
    if (!was) return false;
    await writeAudit(tx, {
      actor,
      action: "campaign.resumed",
      subjectType: "campaign",
      subjectId: campaignId,
      campaignId,
      before: {
        paused: true,
        pausedAt: was.pausedAt.toISOString(),
        pausedBy: was.pausedBy,
        reason: was.reason,
      },
      after: { paused: false },
      at: now,
    });
    return true;
  });
}
