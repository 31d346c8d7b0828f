/**
 * Named shapes of the API responses the dashboard reads, all taken from the generated
 * ./types.ts (the service's /openapi.json): a route whose schema changes changes these, and
 * `npx tsc -p miniapp` shows every use that no longer fits.
 */
import type { operations } from "./types.ts";

/** The JSON body of an operation's success response. */
type Success<Op extends keyof operations> = operations[Op]["responses"] extends infer R
  ? R extends { 200: { content: { "application/json": infer T } } }
    ? T
    : R extends { 201: { content: { "application/json": infer T } } }
      ? T
      : never
  : never;

export type Profile = Success<"getProfile">;
export type CampaignRules = Success<"getCampaignRules">;
export type Tier = Profile["stats"]["tier"]["current"];
export type Amount = Profile["offer"][number]["amount"];
export type Localized = Profile["campaign"]["name"];

/** A page of a newest-first list: pass `nextBefore` as `before` for the next one. */
export interface Page<T> {
  items: T[];
  nextBefore: number | null;
}

export type NetworkItem = Success<"listNetwork">["items"][number];
/** A direct referral with what happens next for them (GET /api/me/friends). */
export type FriendItem = Success<"listFriends">["items"][number];
export type RemindOutcome = Success<"remindFriend">;
export type RewardItem = Success<"listRewards">["items"][number];
/** One claimable Merkle allocation (GET /api/rewards/proof, from the payout pipeline). */
export type ProofItem = Success<"getRewardProofs">["items"][number];
export type SiweNonce = Success<"getSiweNonce">;
export type LinkedWallet = Success<"linkWallet">;
/** A campaign's leaderboard with the caller's own place (GET /api/campaigns/:slug/leaderboard). */
export type Leaderboard = Success<"getLeaderboard">;
export type Challenges = Success<"listChallenges">;
export type CheckinResult = Success<"checkIn">;
export type LeaderboardEntry = Leaderboard["entries"][number];
export type MemberSettings = Success<"updateSettings">;
/** A campaign's rules versions that took effect, newest first (GET /api/campaigns/{slug}/versions). */
export type CampaignVersions = Success<"listCampaignVersions">;
export type CampaignVersion = CampaignVersions["items"][number];
export type RulesChange = CampaignVersion["changes"][number];
export type CampaignLifecycle = Success<"getCampaignLifecycle">;

export type TermsStatus = Success<"getTerms">;
export type Participation = Success<"getParticipation">;
export type Shop = Success<"getShop">;
export type ShopItem = Shop["items"][number];
export type Redemption = Success<"getRedemptions">["items"][number];
export type Coupon = Success<"getCoupons">["items"][number];
export type MyBadges = Success<"getMyBadges">;
/** Who invited the member, what both get, the next step (GET /api/me/invitation). */
export type Invitation = Success<"getInvitation">;
/** Settled rewards per token by where they are (GET /api/me/rewards/summary). */
export type RewardSummary = Success<"getRewardSummary">;
