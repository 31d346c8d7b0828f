/**
 * The rules engine: pure functions from a compiled campaign and a snapshot of balances to
 * the grants a qualified referral earns. No I/O, so property tests can drive it directly;
 * `qualification.ts` gathers the snapshot under the budget lock and writes the result.
 *
 * Amount of level L for recipient R:
 *   base(1)  = fixed amount (or the member's A/B variant override)
 *   base(L)  = fixed amount, or floor(base(L-1) × bps / 10 000)
 *   gross    = floor(base(L) × tierMultiplierBps(R) / 10 000)
 *   amount   = min(gross, daily cap left, total cap left, budget left)   (never negative)
 */
import { createHash } from "node:crypto";
import type { CompiledCampaign, CompiledTier } from "./campaign.ts";

export const BPS = 10_000n;

export type LimitReason = "daily_cap" | "total_cap" | "budget";

/** What one member has been granted in one token (excluding expired and rejected grants). */
export interface GrantedTotals {
  today: bigint;
  total: bigint;
}

export interface Ancestor {
  memberId: number;
  banned: boolean;
  /** Qualified direct referrals, including the referral being rewarded when at level 1. */
  qualifiedReferrals: number;
}

export interface ReferralPlanInput {
  rules: CompiledCampaign;
  /** The referral's A/B variant (assigned to the level-1 referrer), if any. */
  variantId: string | null;
  /** `ancestors[0]` is the level-1 referrer, `[1]` their referrer, … */
  ancestors: Ancestor[];
  referee: { memberId: number; banned: boolean };
  /** Totals per `${memberId}:${token}`; absent means zero. */
  granted: ReadonlyMap<string, GrantedTotals>;
  budgetLeft: ReadonlyMap<string, bigint>;
}

export interface PlannedGrant {
  memberId: number;
  kind: "referral" | "welcome" | "challenge";
  /** 1..N for referral levels, 0 for the referee's welcome bonus and challenges. */
  level: number;
  token: string;
  base: bigint;
  multiplierBps: number;
  gross: bigint;
  /** What is actually granted (may be 0 when a cap or the budget is used up). */
  amount: bigint;
  limitedBy: LimitReason | null;
}

export interface CapHit {
  level: number;
  memberId: number;
  token: string;
  cap: "daily_cap" | "total_cap";
}

export interface GrantPlan {
  grants: PlannedGrant[];
  /** Grants that a per-member cap cut short (the fraud check reviews level-1 hits). */
  capHits: CapHit[];
}

export const totalsKey = (memberId: number, token: string) => `${memberId}:${token}`;

/** The tier for a number of qualified referrals (tiers are sorted, the first starts at 0). */
export function tierFor(tiers: readonly CompiledTier[], qualified: number): CompiledTier {
  let current = tiers[0];
  if (current === undefined) throw new Error("campaign without tiers");
  for (const t of tiers) if (qualified >= t.minQualified) current = t;
  return current;
}

/** The tier after {@link tierFor}'s, or `undefined` at the top. */
export function nextTier(
  tiers: readonly CompiledTier[],
  qualified: number,
): CompiledTier | undefined {
  return tiers.find((t) => t.minQualified > qualified);
}

/**
 * Deterministic A/B assignment: the same member always lands in the same variant of a
 * campaign, spread by weight. `null` when the campaign has no variants.
 */
export function assignVariant(
  rules: Pick<CompiledCampaign, "slug" | "variants">,
  memberId: number,
): string | null {
  if (rules.variants.length === 0) return null;
  // A SHA-256 per call was a sixth of `GET /api/me`'s own CPU (the profile and the earnings
  // both ask): remembered per rules object (compiled once per campaign version), bounded.
  let known = assigned.get(rules);
  if (!known) {
    known = new Map();
    assigned.set(rules, known);
  }
  const hit = known.get(memberId);
  if (hit !== undefined) return hit;
  if (known.size >= ASSIGNED_MAX) known.clear();
  const variant = pickVariant(rules, memberId);
  known.set(memberId, variant);
  return variant;
}

const ASSIGNED_MAX = 50_000;
const assigned = new WeakMap<object, Map<number, string | null>>();

function pickVariant(
  rules: Pick<CompiledCampaign, "slug" | "variants">,
  memberId: number,
): string | null {
  const total = rules.variants.reduce((s, v) => s + v.weight, 0);
  const digest = createHash("sha256").update(`${rules.slug}:${memberId}`).digest();
  let point = digest.readUInt32BE(0) % total;
  for (const v of rules.variants) {
    if (point < v.weight) return v.id;
    point -= v.weight;
  }
  return rules.variants[rules.variants.length - 1]?.id ?? null;
}

/** Base amount and token of every level for a variant (before tiers and caps). */
export function levelBases(
  rules: Pick<CompiledCampaign, "levels" | "variants">,
  variantId: string | null,
): Array<{ level: number; token: string; base: bigint }> {
  const overrides = rules.variants.find((v) => v.id === variantId)?.levelAmounts;
  const out: Array<{ level: number; token: string; base: bigint }> = [];
  let above = 0n;
  for (const l of rules.levels) {
    const override = overrides?.get(l.level);
    const base = override ?? (l.kind === "fixed" ? l.amount : (above * BigInt(l.bps)) / BPS);
    out.push({ level: l.level, token: l.token, base });
    above = base;
  }
  return out;
}

/** Caps and budget applied to one gross amount; mutates nothing. */
export function limitAmount(
  rules: Pick<CompiledCampaign, "caps">,
  token: string,
  gross: bigint,
  totals: GrantedTotals,
  budgetLeft: bigint,
): { amount: bigint; limitedBy: LimitReason | null } {
  let amount = gross;
  let limitedBy: LimitReason | null = null;
  const daily = rules.caps.daily.get(token);
  if (daily !== undefined) {
    const left = daily > totals.today ? daily - totals.today : 0n;
    if (left < amount) {
      amount = left;
      limitedBy = "daily_cap";
    }
  }
  const total = rules.caps.total.get(token);
  if (total !== undefined) {
    const left = total > totals.total ? total - totals.total : 0n;
    if (left < amount) {
      amount = left;
      limitedBy = "total_cap";
    }
  }
  const budget = budgetLeft > 0n ? budgetLeft : 0n;
  if (budget < amount) {
    amount = budget;
    limitedBy = "budget";
  }
  return { amount, limitedBy };
}

/**
 * Grants for one qualified referral: every level up the tree plus the referee's welcome
 * bonus. Budget and totals are consumed in order, so the plan as a whole respects them.
 */
export function planReferralGrants(input: ReferralPlanInput): GrantPlan {
  const { rules } = input;
  const granted = new Map(input.granted);
  const budget = new Map(input.budgetLeft);
  const grants: PlannedGrant[] = [];
  const capHits: CapHit[] = [];

  const take = (
    memberId: number,
    kind: PlannedGrant["kind"],
    level: number,
    token: string,
    base: bigint,
    multiplierBps: number,
  ) => {
    const gross = (base * BigInt(multiplierBps)) / BPS;
    const key = totalsKey(memberId, token);
    const totals = granted.get(key) ?? { today: 0n, total: 0n };
    const { amount, limitedBy } = limitAmount(rules, token, gross, totals, budget.get(token) ?? 0n);
    grants.push({ memberId, kind, level, token, base, multiplierBps, gross, amount, limitedBy });
    if (limitedBy === "daily_cap" || limitedBy === "total_cap")
      capHits.push({ level, memberId, token, cap: limitedBy });
    granted.set(key, { today: totals.today + amount, total: totals.total + amount });
    budget.set(token, (budget.get(token) ?? 0n) - amount);
  };

  const bases = levelBases(rules, input.variantId);
  bases.forEach((b, i) => {
    const recipient = input.ancestors[i];
    // Levels stay positional: a banned ancestor earns nothing but the next one is still L+1.
    if (recipient === undefined || recipient.banned) return;
    const tier = tierFor(rules.tiers, recipient.qualifiedReferrals);
    take(recipient.memberId, "referral", b.level, b.token, b.base, tier.multiplierBps);
  });
  if (rules.welcomeBonus && !input.referee.banned) {
    take(
      input.referee.memberId,
      "welcome",
      0,
      rules.welcomeBonus.token,
      rules.welcomeBonus.amount,
      Number(BPS),
    );
  }
  return { grants, capHits };
}

/** The tokens a referral grant may touch, sorted (the order budget rows are locked in). */
export function referralTokens(rules: Pick<CompiledCampaign, "levels" | "welcomeBonus">): string[] {
  const set = new Set(rules.levels.map((l) => l.token));
  if (rules.welcomeBonus) set.add(rules.welcomeBonus.token);
  return [...set].sort();
}
