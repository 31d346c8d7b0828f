/**
 * Campaign definitions: rules are data. A campaign file (`campaigns/<slug>.json`) is
 * validated by {@link campaignDefinitionSchema}; {@link compileCampaign} turns its decimal
 * token amounts into wei once so the rules engine only does integer arithmetic.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseUnits } from "viem";
import { z } from "zod";

const SYMBOL = /^[A-Z][A-Z0-9]{1,10}$/;
const ID = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** Whole-token decimal string, e.g. `"10"` or `"0.5"` (at most 18 decimals). */
export const tokenAmount = z
  .string()
  .regex(/^\d{1,30}(\.\d{1,18})?$/, 'expected a decimal amount in whole tokens, e.g. "12.5"');

const positiveAmount = tokenAmount.refine((v) => /[1-9]/.test(v), "must be greater than zero");

const localized = z.object({ en: z.string().min(1).max(200), ru: z.string().min(1).max(200) });

const tokenSchema = z.object({
  symbol: z.string().regex(SYMBOL, "expected an upper-case ticker such as REF"),
  name: z.string().min(1).max(64),
  /** The token's decimals: 18 for a RewardToken; an external token's own (USDC: 6). */
  decimals: z.number().int().min(0).max(18),
  /** Hard supply cap of the ERC-20 (whole tokens); only for tokens the campaign mints. */
  cap: positiveAmount.optional(),
  /**
   * An ERC-20 the campaign does not mint (a stablecoin, an existing community token): paid from
   * the vault, i.e. the campaign's ReferralPayouts contract, which the admin pre-funds by sending
   * it tokens. Omitted: the deploy creates a RewardToken, minted per payout.
   */
  external: z
    .object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x address") })
    .optional(),
  /** What this campaign may grant in total (whole tokens); never exceeded. */
  budget: positiveAmount,
  /** Most payouts per on-chain batch. */
  maxBatch: z.number().int().min(1).max(500),
  /**
   * Most one on-chain batch may pay (whole tokens), enforced by ReferralPayouts and, for escrow
   * releases, by the RewardDistributor.
   */
  maxBatchAmount: positiveAmount,
  /**
   * The on-chain rolling limit (whole tokens): at most this much at once, refilled at this much
   * per 24 hours. What a leaked payout key can lose before the guardian pauses it.
   */
  dailyLimit: positiveAmount,
  /** Why these limits: a note for the people who review the campaign file. */
  limitsNote: z.string().max(1000).optional(),
});

const escrowSchema = z.object({
  /**
   * Hours a published Merkle root waits before it takes effect, during which the guardian can
   * veto it. 0 only for development (the deploy command refuses it on a real chain).
   */
  publishDelayHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
  note: z.string().max(1000).optional(),
});

const fixedLevel = z.object({
  level: z.number().int().min(1).max(10),
  token: z.string().regex(SYMBOL).optional(),
  amount: positiveAmount,
});
const percentLevel = z.object({
  level: z.number().int().min(2).max(10),
  /** Percent of the level above (e.g. 20 or 12.5); kept in basis points internally. */
  percent: z
    .number()
    .gt(0)
    .max(100)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, "at most two decimals"),
});
const levelSchema = z.union([fixedLevel, percentLevel]);

const qualificationSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("wallet_linked") }),
  z.object({ type: z.literal("challenge"), challengeId: z.string().regex(ID) }),
  z.object({
    type: z.literal("partner_event"),
    partner: z.string().regex(/^[a-z0-9_-]{1,64}$/),
    eventType: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
  }),
  z.object({
    type: z.literal("hold"),
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
  }),
]);

const tierSchema = z.object({
  id: z.string().regex(ID),
  name: localized,
  minQualified: z.number().int().min(0),
  multiplierBps: z.number().int().min(0).max(100_000),
  badgeId: z.number().int().min(0).optional(),
});

const tokenAmounts = z.record(z.string().regex(SYMBOL), positiveAmount);

/** What ending the campaign (`end`) gives pending referrals and members (campaignTransitions.ts). */
const endSchema = z.object({
  /** Hours after `end` in which referrals attributed before it may still qualify and be paid. */
  graceHours: z.number().int().min(0).max(8760).default(72),
  /** Days after the grace that members have to claim: the final epoch's deadline (clawback). */
  claimDays: z.number().int().min(1).max(3650).default(30),
});

/**
 * Who may be referred (attribution.ts). Strict: a misspelt key is an error rather than a
 * silently kept default.
 */
const attributionSchema = z.strictObject({
  /**
   * `true` (the default, and what a file without `attribution` means): only members new to
   * the community can be referred, within ATTRIBUTION_WINDOW_HOURS of first appearing anywhere
   * (referral rewards are for bringing new people). `false`, for a partner promotion: a member
   * already known from another campaign can be referred into this one, within the window counted
   * from joining this campaign (their first referral made, reward, task, check-in or terms
   * accepted here; with none yet, the referral itself is the joining).
   */
  newMembersOnly: z.boolean().default(true),
});

/** A pilot (pilots.ts): who may join until the campaign is promoted to everyone. */
const pilotSchema = z.object({
  /** Telegram ids, or usernames written `@name`. */
  allowlist: z
    .array(
      z.union([
        z.number().int().positive(),
        z.string().regex(/^@[A-Za-z0-9_]{4,32}$/, "expected a Telegram id or an @username"),
      ]),
    )
    .max(100_000)
    .default([]),
  /** Share of new members admitted, sticky per member (a hash of the slug and member number). */
  percent: z.number().min(0).max(100).default(0),
  /** The most the pilot grants, per token (whole tokens): grants beyond it wait in review. */
  budgetCap: tokenAmounts.default({}),
});

const fraudSchema = z.object({
  burst: z.object({
    /** More referees than this for one referrer within the window → review. */
    maxReferrals: z.number().int().min(1),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  }),
  /** More referees of one referrer sharing an IP hash than this → review. */
  maxRefereesPerIp: z.number().int().min(1),
  /** More referees of one referrer sharing a device hash than this → review. */
  maxRefereesPerDevice: z.number().int().min(1),
  /** Review when the referee's wallet was ever linked to another member. */
  reviewSharedWallets: z.boolean(),
});

/**
 * How the system notices a challenge is done (server/domain/challenges.ts). Absent: only an
 * admin (or a script) completes it. `join_chat`: the member is in the chat (the bot must be its
 * admin) and, with `stayDays`, stayed that long (leaving before restarts the count);
 * `invite`: `count` referrals qualified; `wallet`: a wallet linked; `checkin`: the daily
 * check-in, paid once per UTC day, or once when a streak of `streak` days is reached;
 * `survey`: every question of a survey answered; `partner_event`: the partner's signed event.
 */
const challengeDetectSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("join_chat"),
    chatId: z.number().int(),
    stayDays: z.number().int().min(0).max(365).optional(),
  }),
  z.object({ type: z.literal("invite"), count: z.number().int().min(1).max(100_000) }),
  z.object({ type: z.literal("wallet") }),
  z.object({ type: z.literal("checkin"), streak: z.number().int().min(2).max(365).optional() }),
  z.object({ type: z.literal("survey") }),
  z.object({
    type: z.literal("partner_event"),
    partner: z.string().regex(/^[a-z0-9_-]{1,64}$/),
    eventType: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
  }),
]);
export type ChallengeDetect = z.infer<typeof challengeDetectSchema>;

const challengeSchema = z.object({
  id: z.string().regex(ID),
  title: localized,
  reward: z.object({ token: z.string().regex(SYMBOL), amount: positiveAmount }),
  detect: challengeDetectSchema.optional(),
});

const variantSchema = z.object({
  id: z.string().regex(ID),
  weight: z.number().int().min(1).max(10_000),
  /** Level → fixed amount overriding the campaign's level amount. */
  levelAmounts: z.record(z.string().regex(/^([1-9]|10)$/), positiveAmount).default({}),
});

const perkSchema = z.object({
  id: z.string().regex(ID),
  title: localized,
  token: z.string().regex(SYMBOL),
  price: positiveAmount,
  /** `null`: unlimited. */
  stock: z.number().int().min(0).nullable(),
  /** Days a generated coupon is valid (default 90; pool codes carry their own expiry). */
  couponDays: z.number().int().min(1).max(3650).optional(),
  /** When the sale ends (applied on-chain: `PerkShop` refuses later redemptions). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Token-gated: only members of this tier (or higher) or holders of this badge may redeem. */
  requires: z
    .object({
      tier: z.string().regex(ID).optional(),
      badge: z.number().int().min(0).optional(),
    })
    .optional(),
});

/** Achievements a badge can stand for (tier badges are named by `tiers[].badgeId`). */
export const BADGE_ACHIEVEMENTS = [
  "first_invite",
  "qualified_10",
  "streak_7",
  "first_perk",
] as const;
export type BadgeAchievement = (typeof BADGE_ACHIEVEMENTS)[number];

const badgeSchema = z.object({
  id: z.number().int().min(0),
  name: localized,
  transferable: z.boolean(),
  /** The achievement that earns this badge (none: a tier badge or one awarded by hand). */
  achievement: z.enum(BADGE_ACHIEVEMENTS).optional(),
});

/** Terms a member accepts before their first reward; a new `version` asks everyone again. */
const termsSchema = z.object({
  version: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, "expected a short version such as 2026-12"),
  url: z.url({ protocol: /^https$/ }).optional(),
  /** Shown in the bot and the dashboard (a Telegram message holds at most 4096 characters). */
  text: z.object({ en: z.string().min(1).max(3500), ru: z.string().min(1).max(3500) }),
});

/**
 * Who may take part (eligibility.ts): the countries and languages members declare, a minimum
 * age they confirm. Members the operator excluded never take part, whatever these say.
 */
/** A co-branded partner campaign: the partner's name and logo (issue 16, partnerKeys.ts). */
const partnerSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._&'-]{0,63}$/, "1–64 letters, digits, spaces and . _ & ' -"),
  logoUrl: z
    .string()
    .max(500)
    .refine((v) => v.startsWith("https://") && URL.canParse(v), "expected an https:// URL")
    .optional(),
});

const participationSchema = z.object({
  /** ISO 3166-1 alpha-2 codes; the bot asks a member's country once when this is set. */
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, "expected an upper-case ISO 3166-1 alpha-2 code"))
    .min(1)
    .max(250)
    .optional(),
  /** Telegram interface languages (ISO 639-1, e.g. "en", "ru"). */
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, "expected a lower-case ISO 639-1 code"))
    .min(1)
    .max(100)
    .optional(),
  minAge: z.number().int().min(13).max(99).optional(),
});

export const campaignDefinitionSchema = z
  .object({
    $schema: z.string().optional(),
    slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected lower-case letters, digits and dashes"),
    /** `campaignId` of this campaign's ReferralPayouts contract. */
    onchainId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    name: localized,
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    tokens: z.array(tokenSchema).min(1).max(8),
    escrow: escrowSchema,
    qualification: qualificationSchema,
    levels: z.array(levelSchema).min(1).max(10),
    welcomeBonus: z.object({ token: z.string().regex(SYMBOL), amount: positiveAmount }).optional(),
    tiers: z.array(tierSchema).min(1).max(20),
    caps: z.object({
      perMemberDaily: tokenAmounts.default({}),
      perMemberTotal: tokenAmounts.default({}),
    }),
    expiry: z.object({ days: z.number().int().min(1).max(3650) }).optional(),
    fraud: fraudSchema,
    challenges: z.array(challengeSchema).max(100).default([]),
    variants: z.array(variantSchema).max(10).default([]),
    perks: z.array(perkSchema).max(200).default([]),
    badges: z.array(badgeSchema).max(200).default([]),
    end: endSchema.optional(),
    attribution: attributionSchema.optional(),
    pilot: pilotSchema.optional(),
    terms: termsSchema.optional(),
    participation: participationSchema.optional(),
    partner: partnerSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (pathParts: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path: pathParts, message });
    const symbols = new Set<string>();
    c.tokens.forEach((t, i) => {
      if (symbols.has(t.symbol)) issue(["tokens", i, "symbol"], `duplicate token ${t.symbol}`);
      symbols.add(t.symbol);
      const units = (v: string) => parseUnits(v, t.decimals);
      // Amounts (or decimals) already reported as malformed are not compared: parseUnits throws.
      const comparable =
        Number.isInteger(t.decimals) &&
        t.decimals >= 0 &&
        t.decimals <= 18 &&
        [t.cap, t.budget, t.maxBatchAmount, t.dailyLimit].every(
          (v) => v === undefined || tokenAmount.safeParse(v).success,
        );
      for (const field of ["cap", "budget", "maxBatchAmount", "dailyLimit"] as const) {
        if (!comparable) break;
        const v = t[field];
        const fraction = v?.split(".")[1] ?? "";
        if (fraction.replace(/0+$/, "").length > t.decimals)
          issue(["tokens", i, field], `more decimals than the token's ${t.decimals}`);
      }
      if (t.external === undefined && t.decimals !== 18)
        issue(["tokens", i, "decimals"], "a token the campaign mints (a RewardToken) has 18");
      if (t.external === undefined && t.cap === undefined)
        issue(["tokens", i, "cap"], "required for a token the campaign mints");
      if (t.external !== undefined && t.cap !== undefined)
        issue(["tokens", i, "cap"], "an external token's supply is not the campaign's to cap");
      if (!comparable) return;
      if (t.cap !== undefined && units(t.budget) > units(t.cap))
        issue(["tokens", i, "budget"], "budget exceeds the token cap");
      if (units(t.dailyLimit) > units(t.budget))
        issue(["tokens", i, "dailyLimit"], "daily limit exceeds the budget");
      if (units(t.maxBatchAmount) > units(t.dailyLimit))
        issue(["tokens", i, "maxBatchAmount"], "per-batch limit exceeds the daily limit");
      if (units(t.dailyLimit) >= 2n ** 96n)
        issue(
          ["tokens", i, "dailyLimit"],
          "must be below 2**96 wei (smallest units; about 79 billion 18-decimals tokens)",
        );
    });
    const knownToken = (pathParts: (string | number)[], symbol: string | undefined) => {
      if (symbol !== undefined && !symbols.has(symbol)) issue(pathParts, `unknown token ${symbol}`);
    };
    c.levels.forEach((l, i) => {
      if (l.level !== i + 1)
        issue(["levels", i, "level"], `levels must be 1..N in order (expected ${i + 1})`);
      if ("amount" in l) {
        if (i === 0 && l.token === undefined)
          issue(["levels", 0, "token"], "level 1 needs a token");
        knownToken(["levels", i, "token"], l.token);
      }
    });
    if (c.levels[0] !== undefined && !("amount" in c.levels[0]))
      issue(["levels", 0], "level 1 must be a fixed amount");
    knownToken(["welcomeBonus", "token"], c.welcomeBonus?.token);
    for (const [which, caps] of Object.entries(c.caps))
      for (const symbol of Object.keys(caps)) knownToken(["caps", which, symbol], symbol);
    c.tiers.forEach((t, i) => {
      if (i === 0 && t.minQualified !== 0)
        issue(["tiers", 0, "minQualified"], "the first tier starts at 0");
      const prev = c.tiers[i - 1];
      if (prev && t.minQualified <= prev.minQualified)
        issue(["tiers", i, "minQualified"], "tiers must be in increasing minQualified order");
      if (t.badgeId !== undefined && !c.badges.some((b) => b.id === t.badgeId))
        issue(["tiers", i, "badgeId"], `unknown badge ${t.badgeId}`);
    });
    const unique = (list: { id: string | number }[], key: string) => {
      const seen = new Set<string | number>();
      list.forEach((x, i) => {
        if (seen.has(x.id)) issue([key, i, "id"], `duplicate id ${x.id}`);
        seen.add(x.id);
      });
    };
    unique(c.tiers, "tiers");
    unique(c.challenges, "challenges");
    unique(c.variants, "variants");
    unique(c.perks, "perks");
    unique(c.badges, "badges");
    c.challenges.forEach((ch, i) => {
      knownToken(["challenges", i, "reward", "token"], ch.reward.token);
    });
    c.perks.forEach((p, i) => {
      knownToken(["perks", i, "token"], p.token);
      const tier = p.requires?.tier;
      if (tier !== undefined && !c.tiers.some((t) => t.id === tier))
        issue(["perks", i, "requires", "tier"], `unknown tier ${tier}`);
      const badge = p.requires?.badge;
      if (badge !== undefined && !c.badges.some((b) => b.id === badge))
        issue(["perks", i, "requires", "badge"], `unknown badge ${badge}`);
    });
    c.variants.forEach((v, i) => {
      for (const level of Object.keys(v.levelAmounts))
        if (Number(level) > c.levels.length)
          issue(["variants", i, "levelAmounts", level], "no such level");
    });
    if (c.qualification.type === "challenge") {
      const id = c.qualification.challengeId;
      if (!c.challenges.some((ch) => ch.id === id))
        issue(["qualification", "challengeId"], `unknown challenge ${id}`);
    }
    for (const symbol of Object.keys(c.pilot?.budgetCap ?? {}))
      knownToken(["pilot", "budgetCap", symbol], symbol);
    if (c.endsAt && Date.parse(c.endsAt) <= Date.parse(c.startsAt))
      issue(["endsAt"], "must be after startsAt");
  });

/** A campaign file as written by its author. */
export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;
export type QualificationRule = CampaignDefinition["qualification"];
export type CampaignTerms = NonNullable<CampaignDefinition["terms"]>;
export type ParticipationRules = NonNullable<CampaignDefinition["participation"]>;

/** A level rule resolved to integers: a fixed wei amount or basis points of the level above. */
export type CompiledLevel =
  | { level: number; token: string; kind: "fixed"; amount: bigint }
  | { level: number; token: string; kind: "percent"; bps: number };

export interface CompiledTier {
  id: string;
  minQualified: number;
  multiplierBps: number;
  badgeId?: number;
}

export interface CompiledChallenge {
  id: string;
  token: string;
  amount: bigint;
  title: { en: string; ru: string };
  /** Absent: completed only by an admin or a script. */
  detect?: ChallengeDetect;
}

/** The definition with wei amounts; what the rules engine computes with. */
export interface CompiledCampaign {
  slug: string;
  onchainId: number;
  startsAt: Date;
  endsAt?: Date;
  tokens: ReadonlyMap<
    string,
    { symbol: string; decimals: number; budget: bigint; cap: bigint; maxBatch: number }
  >;
  qualification: QualificationRule;
  levels: CompiledLevel[];
  welcomeBonus?: { token: string; amount: bigint };
  tiers: CompiledTier[];
  caps: { daily: ReadonlyMap<string, bigint>; total: ReadonlyMap<string, bigint> };
  expiryDays?: number;
  fraud: CampaignDefinition["fraud"];
  challenges: ReadonlyMap<string, CompiledChallenge>;
  variants: Array<{ id: string; weight: number; levelAmounts: ReadonlyMap<number, bigint> }>;
  /** What `end` gives: the grace for pending referrals and the days to claim after it. */
  end: { graceHours: number; claimDays: number };
  /** Present for a pilot campaign (pilots.ts). */
  pilot?: CompiledPilot;
  /** `attribution.newMembersOnly` (default true): see the campaign file's schema. */
  newMembersOnly: boolean;
}

export interface CompiledPilot {
  telegramIds: ReadonlySet<number>;
  /** Lower-case, without the `@`. */
  usernames: ReadonlySet<string>;
  percent: number;
  budgetCap: ReadonlyMap<string, bigint>;
}

/** Converts a validated definition to integer form (each amount in its token's smallest unit). */
export function compileCampaign(def: CampaignDefinition): CompiledCampaign {
  const decimals = new Map(def.tokens.map((t) => [t.symbol, t.decimals]));
  const first = def.tokens[0]?.symbol ?? "";
  const unitsOf = (amount: string, token: string) => parseUnits(amount, decimals.get(token) ?? 18);
  const levels: CompiledLevel[] = [];
  for (const l of def.levels) {
    const above = levels[levels.length - 1];
    if ("amount" in l) {
      levels.push({
        level: l.level,
        token: l.token ?? above?.token ?? "",
        kind: "fixed",
        amount: unitsOf(l.amount, l.token ?? above?.token ?? first),
      });
    } else {
      levels.push({
        level: l.level,
        token: above?.token ?? "",
        kind: "percent",
        bps: Math.round(l.percent * 100),
      });
    }
  }
  const amounts = (record: Record<string, string>) =>
    new Map(Object.entries(record).map(([k, v]) => [k, unitsOf(v, k)] as const));
  const levelToken = new Map(levels.map((l) => [l.level, l.token]));
  return {
    slug: def.slug,
    onchainId: def.onchainId,
    startsAt: new Date(def.startsAt),
    endsAt: def.endsAt ? new Date(def.endsAt) : undefined,
    tokens: new Map(
      def.tokens.map((t) => [
        t.symbol,
        {
          symbol: t.symbol,
          decimals: t.decimals,
          budget: unitsOf(t.budget, t.symbol),
          cap: unitsOf(t.cap ?? t.budget, t.symbol),
          maxBatch: t.maxBatch,
        },
      ]),
    ),
    qualification: def.qualification,
    levels,
    welcomeBonus: def.welcomeBonus
      ? {
          token: def.welcomeBonus.token,
          amount: unitsOf(def.welcomeBonus.amount, def.welcomeBonus.token),
        }
      : undefined,
    tiers: def.tiers.map((t) => ({
      id: t.id,
      minQualified: t.minQualified,
      multiplierBps: t.multiplierBps,
      badgeId: t.badgeId,
    })),
    caps: { daily: amounts(def.caps.perMemberDaily), total: amounts(def.caps.perMemberTotal) },
    expiryDays: def.expiry?.days,
    fraud: def.fraud,
    challenges: new Map(
      def.challenges.map((c) => [
        c.id,
        {
          id: c.id,
          token: c.reward.token,
          amount: unitsOf(c.reward.amount, c.reward.token),
          title: c.title,
          detect: c.detect,
        },
      ]),
    ),
    variants: def.variants.map((v) => ({
      id: v.id,
      weight: v.weight,
      levelAmounts: new Map(
        Object.entries(v.levelAmounts).map(
          ([k, a]) => [Number(k), unitsOf(a, levelToken.get(Number(k)) ?? first)] as const,
        ),
      ),
    })),
    end: { graceHours: def.end?.graceHours ?? 72, claimDays: def.end?.claimDays ?? 30 },
    newMembersOnly: def.attribution?.newMembersOnly ?? true,
    pilot: def.pilot
      ? {
          telegramIds: new Set(def.pilot.allowlist.filter((a) => typeof a === "number")),
          usernames: new Set(
            def.pilot.allowlist
              .filter((a) => typeof a === "string")
              .map((a) => a.slice(1).toLowerCase()),
          ),
          percent: def.pilot.percent,
          budgetCap: amounts(def.pilot.budgetCap),
        }
      : undefined,
  };
}

/** Thrown when a campaign file is unreadable or invalid; names the file and field. */
export class CampaignFileError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "CampaignFileError";
  }
}

/** One problem of a campaign file: where (a JSON path such as `tokens[1].dailyLimit`) and what. */
export interface CampaignIssue {
  path: string;
  message: string;
}

export type CampaignValidation =
  | { ok: true; definition: CampaignDefinition }
  | { ok: false; issues: CampaignIssue[] };

/** `["tokens", 1, "dailyLimit"]` → `tokens[1].dailyLimit`; a key that is no identifier is quoted. */
export function issuePath(parts: readonly PropertyKey[]): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$]*$/.test(part))
      out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Checks a parsed campaign file and reports every problem at once, each at its field. Zod
 * skips the checks across fields (budgets against limits, token references, level order…)
 * once a field has the wrong type or is missing; they are then run again with those top-level
 * fields let through as they are (or, should that throw, as empty), so one broken field does
 * not hide the problems elsewhere.
 */
export function validateCampaignDefinition(value: unknown): CampaignValidation {
  const parsed = campaignDefinitionSchema.safeParse(value);
  if (parsed.success) return { ok: true, definition: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  const shape = campaignDefinitionSchema.shape as Record<string, z.ZodType>;
  const broken = new Set<string>();
  for (const i of parsed.error.issues) {
    const key = i.path[0];
    if (i.code !== "custom" && typeof key === "string" && key in shape) broken.add(key);
  }
  if (broken.size === 0 || typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, issues };
  const seen = new Set(issues.map((i) => `${i.path}\n${i.message}`));
  for (const neutral of [false, true]) {
    const relaxed = campaignDefinitionSchema.safeExtend(
      Object.fromEntries(
        [...broken].map((key) => [key, neutral ? emptyStandIn(key, shape[key]!) : asItIs()]),
      ),
    );
    let again: ReturnType<typeof relaxed.safeParse>;
    try {
      again = relaxed.safeParse(value);
    } catch {
      continue; // a broken field the checks read as it is: try again with it empty
    }
    if (again.success) break;
    for (const i of again.error.issues) {
      const found = { path: issuePath(i.path), message: i.message };
      if (i.code !== "custom" || seen.has(`${found.path}\n${found.message}`)) continue;
      seen.add(`${found.path}\n${found.message}`);
      issues.push(found);
    }
    break;
  }
  return { ok: false, issues };
}

/**
 * What a broken field stands for when the checks across fields cannot read it: a value that is no
 * list where a list belongs is an empty list, an optional field absent, an object with defaults
 * its defaults, anything else that is no object an empty object. The tokens stay as they are
 * (an empty list would make every reference to them "unknown").
 */
function emptyStandIn(key: string, field: z.ZodType): z.ZodType {
  if (key === "tokens") return asItIs();
  if (field instanceof z.ZodArray)
    return asItIs().transform((v: unknown) => (Array.isArray(v) ? v : []));
  for (const candidate of [undefined, {}]) {
    const r = field.safeParse(candidate);
    if (r.success) return asItIs().transform(() => r.data);
  }
  return asItIs().transform((v: unknown) => (typeof v === "object" && v !== null ? v : {}));
}

/** Any value, a missing one included. */
const asItIs = () => z.any().optional();

/** Validates one parsed JSON value; throws {@link CampaignFileError} listing every issue. */
export function parseCampaignDefinition(value: unknown, source = "campaign"): CampaignDefinition {
  const result = validateCampaignDefinition(value);
  if (!result.ok)
    throw new CampaignFileError(
      source,
      result.issues.map((i) => `${i.path}: ${i.message}`).join("; "),
    );
  return result.definition;
}

/** Loaded, validated campaign with its stable content hash. */
export interface CampaignFile {
  file: string;
  definition: CampaignDefinition;
  hash: string;
}

/** Reads every `*.json` in `dir`. A missing directory is an empty list. */
export async function readCampaignFiles(dir: string): Promise<CampaignFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: CampaignFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new CampaignFileError(file, `not valid JSON (${(error as Error).message})`);
    }
    const definition = parseCampaignDefinition(json, file);
    files.push({ file, definition, hash: hashDefinition(definition) });
  }
  const slugs = new Map<string, string>();
  const ids = new Map<number, string>();
  for (const f of files) {
    const s = slugs.get(f.definition.slug);
    if (s) throw new CampaignFileError(f.file, `slug "${f.definition.slug}" is also used by ${s}`);
    slugs.set(f.definition.slug, f.file);
    const i = ids.get(f.definition.onchainId);
    if (i)
      throw new CampaignFileError(
        f.file,
        `onchainId ${f.definition.onchainId} is also used by ${i}`,
      );
    ids.set(f.definition.onchainId, f.file);
  }
  return files;
}

/**
 * The rules document of a definition: canonical JSON (object keys sorted, no whitespace),
 * without the editor's `$schema` hint. It is exactly what is hashed, served to members and
 * published on-chain (server/domain/versions.ts), so anyone can check it: the hash does not
 * depend on the file's key order or formatting, only on the rules.
 */
export function rulesDocument(def: CampaignDefinition): string {
  const { $schema: _hint, ...rules } = def;
  return canonicalJson(rules);
}

/** SHA-256 of the rules document, hex (the content hash of a campaign's rules). */
export function hashDefinition(def: CampaignDefinition): string {
  return createHash("sha256").update(rulesDocument(def)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Whether the campaign accepts attributions and grants at `now`. */
export function isCampaignActive(
  c: Pick<CompiledCampaign, "startsAt" | "endsAt">,
  now: Date,
): boolean {
  return now >= c.startsAt && (c.endsAt === undefined || now < c.endsAt);
}
