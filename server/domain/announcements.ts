/**
 * The notifications the referral engine queues for the bot, written inside the transaction
 * that makes them true (see notifications.ts): a referee joined through a member's link, a
 * referral qualified (to the referrer and every upline level that earned), a member reached
 * a new tier. Data carries member numbers and decimal whole-token amounts, never Telegram ids.
 */
import { formatUnits } from "viem";
import type { Db } from "../db/index.ts";
import type { ReferralRow } from "../db/schema.ts";
import type { CompiledTier } from "./campaign.ts";
import {
  enqueueNotification,
  enqueueNotifications,
  type NotificationInput,
} from "./notifications.ts";
import type { PlannedGrant } from "./rules.ts";

/** Amounts in notifications: whole tokens as a decimal string (every campaign token has 18 decimals). */
export const wholeTokens = (wei: bigint) => formatUnits(wei, 18);

/** To each referrer: someone was attributed to their code (a batch's referrals, one statement). */
export async function announceAttributedMany(
  tx: Db,
  referrals: readonly ReferralRow[],
): Promise<void> {
  await enqueueNotifications(tx, referrals.map(attributedNotice));
}

const attributedNotice = (referral: ReferralRow): NotificationInput => ({
  memberId: referral.referrerId,
  kind: "referee_joined",
  data: {
    campaignId: referral.campaignId,
    referralId: referral.id,
    refereeId: referral.refereeId,
  },
  dedupeKey: `referee_joined:${referral.id}`,
});

/**
 * A referral was paid (or qualified with nothing to pay): the level-1 referrer always
 * hears of it, higher levels when they earned something. `tierCrossed` is the referrer's
 * tier when this referral is the one that reached it.
 */
export async function announceQualified(
  tx: Db,
  referral: ReferralRow,
  grants: readonly PlannedGrant[],
  tierCrossed?: { memberId: number; tier: CompiledTier; qualified: number },
): Promise<void> {
  const byLevel = new Map<number, PlannedGrant>();
  for (const g of grants) if (g.kind === "referral") byLevel.set(g.level, g);
  if (!byLevel.has(1)) {
    await enqueueNotification(tx, {
      memberId: referral.referrerId,
      kind: "referral_qualified",
      data: {
        campaignId: referral.campaignId,
        referralId: referral.id,
        refereeId: referral.refereeId,
        level: 1,
        token: null,
        amount: null,
        limitedBy: null,
      },
      dedupeKey: `referral_qualified:${referral.id}:1`,
    });
  }
  for (const g of byLevel.values()) {
    if (g.level > 1 && g.amount <= 0n) continue;
    await enqueueNotification(tx, {
      memberId: g.memberId,
      kind: "referral_qualified",
      data: {
        campaignId: referral.campaignId,
        referralId: referral.id,
        refereeId: referral.refereeId,
        level: g.level,
        token: g.token,
        amount: wholeTokens(g.amount),
        limitedBy: g.limitedBy,
      },
      dedupeKey: `referral_qualified:${referral.id}:${g.level}`,
    });
  }
  if (tierCrossed) {
    await enqueueNotification(tx, {
      memberId: tierCrossed.memberId,
      kind: "tier_reached",
      data: {
        campaignId: referral.campaignId,
        tierId: tierCrossed.tier.id,
        qualified: tierCrossed.qualified,
        multiplierBps: tierCrossed.tier.multiplierBps,
      },
      dedupeKey: `tier_reached:${referral.campaignId}:${tierCrossed.memberId}:${tierCrossed.tier.id}`,
    });
  }
}
