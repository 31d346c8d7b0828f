/** Shapes of the API responses the dashboard reads (see /openapi.json). */
import type { EntryState, ReferralStatus } from "../shared/status.ts";

export interface Amount {
  wei: string;
  tokens: string;
}

export interface Localized {
  en: string;
  ru: string;
}

export interface Tier {
  id: string;
  name: Localized;
  minQualified: number;
  multiplierBps: number;
  badgeId: number | null;
}

export interface Profile {
  member: {
    id: number;
    username: string | null;
    firstName: string | null;
    languageCode: string | null;
    firstSeenAt: string;
    wallet: string | null;
  };
  isAdmin: boolean;
  code: string;
  links: { bot: string; miniApp: string; redirect: string };
  campaign: { slug: string; name: Localized; active: boolean; variant: string | null };
  offer: Array<{ level: number; token: string; amount: Amount }>;
  stats: {
    clicks: number;
    starts: number;
    /** Rates in percent; null when there is nothing to divide by. */
    funnel: {
      clicks: number;
      starts: number;
      qualified: number;
      startRate: number | null;
      qualifyRate: number | null;
    };
    levels: Array<{
      level: number;
      pending: number;
      review: number;
      qualified: number;
      rejected: number;
    }>;
    tier: { current: Tier; next: Tier | null; qualified: number; toNext: number | null };
    rewards: Array<{
      token: string;
      earned: Amount;
      byState: Partial<Record<EntryState, Amount>>;
    }>;
  };
}

export interface CampaignRules {
  slug: string;
  name: Localized;
  active: boolean;
  tokens: Array<{
    symbol: string;
    name: string;
    decimals: number;
    address: string | null;
    distributor: string | null;
  }>;
  badges: Array<{ id: number; name: Localized; transferable?: boolean }>;
  contracts: {
    chainId: number;
    referralPayouts: string | null;
    badges: string | null;
    perkShop: string | null;
  } | null;
}

export interface Page<T> {
  items: T[];
  nextBefore: number | null;
}

export interface NetworkItem {
  id: number;
  level: number;
  refereeId: number;
  firstName: string | null;
  status: ReferralStatus;
  attributedAt: string;
  qualifiedAt: string | null;
  reward: { token: string; amount: Amount; state: EntryState; txHash: string | null } | null;
}

export interface RewardItem {
  id: number;
  campaign: string;
  token: string;
  amount: Amount;
  kind: string;
  level: number | null;
  state: EntryState;
  createdAt: string;
  settledAt: string | null;
  expiresAt: string | null;
  txHash: string | null;
}

/** One claimable Merkle allocation (GET /api/rewards/proof, from the payout pipeline). */
export interface ProofItem {
  token: string;
  tokenAddress: string;
  distributor: string;
  epoch: number;
  root: string;
  /** The member's number, as the leaf names it. */
  member: number;
  /** Unix seconds the leaf closes. */
  deadline: number;
  released: boolean;
  account: string;
  cumulativeAmount: string;
  /** The `terms` argument of `claim` (member, deadline and released in one word). */
  terms: string;
  claimed: string;
  claimable: string;
  proof: string[];
}

export interface SiweNonce {
  nonce: string;
  issuedAt: string;
  expiresAt: string;
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
  version: "1";
}

export interface LinkedWallet {
  address: string;
  previousAddress: string | null;
  relinked: boolean;
}
