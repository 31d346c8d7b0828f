/**
 * How the dashboard names states (pure: unit-tested under node).
 *
 * A referral is shown as `paid` once the member's own reward for it is settled on-chain;
 * before that its referral status (pending, in review, qualified, rejected) is shown.
 * Rewards group into what the member holds or can claim and what is still on its way.
 */

export type ReferralStatus = "pending" | "review" | "qualified" | "rejected";
export type EntryState =
  | "pending"
  | "queued"
  | "sent"
  | "settled"
  | "failed"
  | "expired"
  | "rejected"
  | "held";
/**
 * `paid`: the reward reached the member's wallet (paid to it, released to it, or claimed);
 * a reward settled into escrow is `reserved` (or `releasing`, `claimable`) until then.
 */
export type DisplayStatus = ReferralStatus | "paid" | "reserved" | "releasing" | "claimable";

export function referralDisplayStatus(item: {
  status: ReferralStatus;
  reward: { state: EntryState; delivery?: { state: string } | null } | null;
}): DisplayStatus {
  if (item.status === "qualified" && item.reward?.state === "settled") {
    const where = item.reward.delivery?.state;
    if (where === "reserved" || where === "releasing" || where === "claimable") return where;
    return "paid";
  }
  return item.status;
}

/** Entry states whose tokens are on their way to the member (granted, not yet on-chain). */
export const IN_FLIGHT_STATES: readonly EntryState[] = ["pending", "queued", "sent"];

/** Wei still on its way per the profile's `byState` map. */
export function pendingWei(byState: Partial<Record<EntryState, { wei: string }>>): bigint {
  let total = 0n;
  for (const s of IN_FLIGHT_STATES) total += BigInt(byState[s]?.wei ?? "0");
  return total;
}

/** Which tone a state is shown in. */
export function stateTone(state: EntryState | DisplayStatus): "good" | "wait" | "bad" {
  if (state === "settled" || state === "paid" || state === "qualified") return "good";
  if (state === "reserved" || state === "releasing" || state === "claimable") return "wait";
  if (state === "failed" || state === "expired" || state === "rejected") return "bad";
  return "wait";
}
