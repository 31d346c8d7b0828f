/**
 * What one member earns per referral level, now and at the next tier: the numbers the bot
 * (`/start`, `/invite`, `/rules`, the share card) and the dashboard (`GET /api/me`) promise,
 * computed with the rules engine's own functions (`levelBases`, `tierFor`), so a promise is
 * what the engine pays (before caps and budget).
 *
 * Which variant decides a level's base: the engine takes the referral's variant, which is the
 * level-1 referrer's (attribution.ts). For this member's level 1 that is their own variant;
 * for level 2 and deeper it is the variant of the friend in between, which the member does
 * not choose: those levels are a range over the campaign's variants (min = max when the
 * variants do not change them). Pure and cheap: no query; the caller passes how many
 * friends counted (0 for a member created by this very update).
 */
import type { CompiledCampaign, CompiledTier } from "./campaign.ts";
import { assignVariant, BPS, levelBases, nextTier, tierFor } from "./rules.ts";

export interface LevelEarning {
  level: number;
  token: string;
  /** Percent levels: the share of the level above, in basis points. */
  bps: number | null;
  /** What the member earns now (their tier), lowest and highest over friends' variants. */
  min: bigint;
  max: bigint;
  /** The same at the next tier; null at the top tier. */
  next: { min: bigint; max: bigint } | null;
}

export interface MemberEarnings {
  /** The member's A/B variant (decides level 1), null when the campaign tests none. */
  variant: string | null;
  tier: CompiledTier;
  next: CompiledTier | null;
  /** Friends still to count until the next tier; null at the top. */
  toNext: number | null;
  levels: LevelEarning[];
  /** What a friend invited by this member gets once they count (not multiplied). */
  welcome: { token: string; amount: bigint } | null;
}

type Rules = Pick<CompiledCampaign, "slug" | "levels" | "variants" | "tiers" | "welcomeBonus">;

const times = (base: bigint, tier: CompiledTier) => (base * BigInt(tier.multiplierBps)) / BPS;

// Bases per variant depend only on the rules object (compiled once per campaign version).
const basesCache = new WeakMap<object, Map<string | null, ReturnType<typeof levelBases>>>();
function basesOf(rules: Rules, variant: string | null) {
  let byVariant = basesCache.get(rules);
  if (!byVariant) {
    byVariant = new Map();
    basesCache.set(rules, byVariant);
  }
  let bases = byVariant.get(variant);
  if (!bases) {
    bases = levelBases(rules, variant);
    byVariant.set(variant, bases);
  }
  return bases;
}

/** {@link MemberEarnings} of member `memberId` with `qualified` friends counted (pure). */
export function memberEarnings(rules: Rules, memberId: number, qualified: number): MemberEarnings {
  const variant = assignVariant(rules, memberId);
  const tier = tierFor(rules.tiers, qualified);
  const next = nextTier(rules.tiers, qualified) ?? null;
  const own = basesOf(rules, variant);
  // The variants a friend in between may have (none tested: the plain amounts).
  const others =
    rules.variants.length > 0 ? rules.variants.map((v) => basesOf(rules, v.id)) : [own];
  const levels = own.map((b, i): LevelEarning => {
    const candidates = i === 0 ? [b.base] : others.map((o) => o[i]?.base ?? b.base);
    // Bigints: Math.min/max do not take them.
    let lo = b.base;
    let hi = b.base;
    for (const c of candidates) {
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    const def = rules.levels[i];
    return {
      level: b.level,
      token: b.token,
      bps: def?.kind === "percent" ? def.bps : null,
      min: times(lo, tier),
      max: times(hi, tier),
      next: next ? { min: times(lo, next), max: times(hi, next) } : null,
    };
  });
  return {
    variant,
    tier,
    next,
    toNext: next ? next.minQualified - qualified : null,
    levels,
    welcome: rules.welcomeBonus ?? null,
  };
}
