/**
 * Fraud signals checked when a referral qualifies. Any signal sends the referral to the
 * review queue instead of paying; an admin then approves or rejects it.
 *
 * Counts are per campaign (each campaign has its own tree and fraud limits).
 *
 * - burst: more than `burst.maxReferrals` referees of one referrer attributed within
 *   `burst.windowMinutes` of this one (either side);
 * - shared_ip / shared_device: more referees of one referrer with the same IP or device
 *   hash than the campaign allows;
 * - shared_wallet: the referee's wallet was ever linked to another member;
 * - daily_cap / total_cap: the level-1 reward would exceed the referrer's cap.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { memberWallets, type ReferralRow, referrals, walletEvents } from "../db/schema.ts";
import type { CompiledCampaign } from "./campaign.ts";
import type { CapHit } from "./rules.ts";

export type FraudReason =
  | "burst"
  | "shared_ip"
  | "shared_device"
  | "shared_wallet"
  | "daily_cap"
  | "total_cap"
  // Not a fraud signal: the campaign was paused when the referral qualified (campaignPause.ts).
  | "campaign_paused"
  // Not a fraud signal: paying would take a pilot past its budget cap (pilots.ts).
  | "pilot_budget_cap";

export async function fraudSignals(
  tx: Db,
  rules: Pick<CompiledCampaign, "fraud">,
  referral: ReferralRow,
  capHits: CapHit[],
): Promise<FraudReason[]> {
  const reasons: FraudReason[] = [];
  const { fraud } = rules;
  const windowMs = fraud.burst.windowMinutes * 60_000;
  const from = new Date(referral.attributedAt.getTime() - windowMs);
  const to = new Date(referral.attributedAt.getTime() + windowMs);
  const [counts] = await tx
    .select({
      burst: sql<number>`count(*) filter (where ${referrals.attributedAt} between ${from} and ${to})::int`,
      sameIp: sql<number>`count(*) filter (where ${referrals.ipHash} = ${referral.ipHash})::int`,
      sameDevice: sql<number>`count(*) filter (where ${referrals.deviceHash} = ${referral.deviceHash})::int`,
    })
    .from(referrals)
    // Per campaign: a referrer's referees in another campaign are that campaign's business.
    .where(
      and(
        eq(referrals.referrerId, referral.referrerId),
        eq(referrals.campaignId, referral.campaignId),
      ),
    );
  if ((counts?.burst ?? 0) > fraud.burst.maxReferrals) reasons.push("burst");
  if ((counts?.sameIp ?? 0) > fraud.maxRefereesPerIp) reasons.push("shared_ip");
  if ((counts?.sameDevice ?? 0) > fraud.maxRefereesPerDevice) reasons.push("shared_device");

  if (fraud.reviewSharedWallets) {
    const [shared] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(memberWallets)
      .innerJoin(walletEvents, eq(walletEvents.address, memberWallets.address))
      .where(
        and(
          eq(memberWallets.memberId, referral.refereeId),
          ne(walletEvents.memberId, referral.refereeId),
        ),
      );
    if ((shared?.n ?? 0) > 0) reasons.push("shared_wallet");
  }

  for (const hit of capHits) {
    if (hit.level === 1 && !reasons.includes(hit.cap)) reasons.push(hit.cap);
  }
  return reasons;
}
