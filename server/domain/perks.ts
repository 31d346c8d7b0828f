/**
 * The shop as a member sees it (issue 14): each perk of the campaign with its price, token,
 * stock, end of sale and requirement, the member's balance beside it, and whether they can
 * redeem it now or why not. The chain's state (`PerkShop.perkOf`, balances, allowances, badge
 * balances) is read by the chain layer into a {@link ShopChainState}; this module only decides.
 *
 * Token-gated perks (`requires` in the campaign file): a tier is checked against the member's
 * tier here, a badge against the wallet's balance on the campaign's `Badges` contract, read from
 * the chain when the member redeems, not the database's idea of it.
 */
import { formatUnits, parseUnits } from "viem";
import type { Campaign } from "./registry.ts";
import { tierFor } from "./rules.ts";

/** What the chain says, read for one member (no wallet: no balances). */
export interface ShopChainState {
  /** Per on-chain perk id 1..n (the file's order); missing: not created on-chain yet. */
  perks: Array<{
    perkId: number;
    token: string;
    price: bigint;
    stock: number;
    /** Unix seconds; 0: never. */
    expiresAt: number;
    active: boolean;
  }>;
  /** The wallet's current order nonce on the shop. */
  orderNonce: bigint | null;
  /** Per token address (lower case). */
  tokens: Map<
    string,
    { balance: bigint; allowance: bigint; permitNonce: bigint; name: string; version: string }
  >;
  /** Badge id → the wallet's balance. */
  badges: Map<number, bigint>;
}

/** Why a member cannot redeem a perk now (each a problem code of the redeem endpoint). */
export type PerkRefusal =
  | "wallet_required"
  | "perk_unknown"
  | "perk_expired"
  | "out_of_stock"
  | "insufficient_balance"
  | "tier_too_low"
  | "badge_required";

export interface PerkView {
  perkId: number;
  key: string;
  title: { en: string; ru: string };
  token: string;
  tokenAddress: string | null;
  decimals: number;
  price: bigint;
  /** Units left; `null`: unlimited. */
  stock: number | null;
  expiresAt: Date | null;
  requires: {
    tier: { id: string; name: { en: string; ru: string } } | null;
    badge: { id: number; name: { en: string; ru: string } } | null;
  } | null;
  balance: bigint | null;
  refusal: PerkRefusal | null;
}

/** The member's tier index in the campaign (0: the first tier). */
export function tierIndex(campaign: Campaign, qualified: number): number {
  return campaign.rules.tiers.indexOf(tierFor(campaign.rules.tiers, qualified));
}

/** Whether a member of tier `memberTier` (index) meets a perk's tier requirement. */
export function meetsTier(campaign: Campaign, requiredTier: string, memberTier: number): boolean {
  const needed = campaign.definition.tiers.findIndex((t) => t.id === requiredTier);
  return needed < 0 || memberTier >= needed;
}

/** The shop's perks for a member, with what stops each one now. */
export function perkCatalogue(
  campaign: Campaign,
  chain: ShopChainState | null,
  member: { wallet: string | null; qualified: number },
  now: Date,
): PerkView[] {
  const def = campaign.definition;
  const memberTier = tierIndex(campaign, member.qualified);
  return def.perks.map((p, i) => {
    const perkId = i + 1;
    const tokenDef = def.tokens.find((t) => t.symbol === p.token);
    const decimals = tokenDef?.decimals ?? 18;
    const tokenAddress = campaign.deployment?.tokens[p.token]?.token ?? null;
    const onchain = chain?.perks.find((x) => x.perkId === perkId);
    const price = onchain?.price ?? parseUnits(p.price, decimals);
    // Unlimited in the file: the chain counts down from 2**32 − 1, which means nothing to anyone.
    const stock = p.stock === null || !onchain ? p.stock : onchain.stock;
    const expiresSeconds = onchain?.expiresAt ?? (p.expiresAt ? Date.parse(p.expiresAt) / 1000 : 0);
    const expiresAt = expiresSeconds > 0 ? new Date(expiresSeconds * 1000) : null;
    const tierReq = p.requires?.tier ? def.tiers.find((t) => t.id === p.requires?.tier) : undefined;
    const badgeReq =
      p.requires?.badge !== undefined
        ? def.badges.find((b) => b.id === p.requires?.badge)
        : undefined;
    const balance =
      member.wallet && tokenAddress && chain
        ? (chain.tokens.get(tokenAddress.toLowerCase())?.balance ?? 0n)
        : null;
    let refusal: PerkRefusal | null = null;
    if (chain && !onchain?.active) refusal = "perk_unknown";
    else if (expiresAt && expiresAt.getTime() <= now.getTime()) refusal = "perk_expired";
    else if (stock !== null && stock < 1) refusal = "out_of_stock";
    else if (tierReq && !meetsTier(campaign, tierReq.id, memberTier)) refusal = "tier_too_low";
    else if (!member.wallet) refusal = "wallet_required";
    else if (badgeReq && (chain?.badges.get(badgeReq.id) ?? 0n) < 1n) refusal = "badge_required";
    else if (balance !== null && balance < price) refusal = "insufficient_balance";
    return {
      perkId,
      key: p.id,
      title: p.title,
      token: p.token,
      tokenAddress,
      decimals,
      price,
      stock,
      expiresAt,
      requires:
        tierReq || badgeReq
          ? {
              tier: tierReq ? { id: tierReq.id, name: tierReq.name } : null,
              badge: badgeReq ? { id: badgeReq.id, name: badgeReq.name } : null,
            }
          : null,
      balance,
      refusal,
    };
  });
}

/** A wei amount in whole tokens, as the API shows it. */
export function tokens(wei: bigint, decimals: number): string {
  return formatUnits(wei, decimals);
}
