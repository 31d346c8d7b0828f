/**
 * Response and shared request schemas. Token amounts travel as strings: `wei` (exact
 * integer) and `tokens` (decimal, for display).
 */
import { formatUnits } from "viem";
import { z } from "zod";
import { CAMPAIGN_ROLES, ENTRY_STATES, REFERRAL_STATUSES } from "../db/schema.ts";
import { DELIVERY_STATES, type Delivery } from "../domain/delivery.ts";
import { FRIEND_STATES } from "../domain/referralStates.ts";

/** A ledger entry's state (server/domain/ledgerTransitions.ts moves them). */
export const entryStateSchema = z.enum(ENTRY_STATES);
export const iso = z.iso.datetime();
export const amountSchema = z.object({ wei: z.string().regex(/^\d+$/), tokens: z.string() });
export type AmountJson = z.infer<typeof amountSchema>;

export function amount(wei: bigint, decimals = 18): AmountJson {
  return { wei: wei.toString(), tokens: formatUnits(wei, decimals) };
}

export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const localizedSchema = z.object({ en: z.string(), ru: z.string() });

export const linksSchema = z.object({ bot: z.string(), miniApp: z.string(), redirect: z.string() });

export const levelStatsSchema = z.object({
  level: z.number().int(),
  pending: z.number().int(),
  review: z.number().int(),
  qualified: z.number().int(),
  rejected: z.number().int(),
});

const tierSchema = z.object({
  id: z.string(),
  name: localizedSchema,
  minQualified: z.number().int(),
  multiplierBps: z.number().int(),
  badgeId: z.number().int().nullable(),
});

export const profileSchema = z.object({
  member: z.object({
    id: z.number().int().describe("Public member number"),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
    languageCode: z.string().nullable(),
    firstSeenAt: iso,
    wallet: z.string().nullable(),
  }),
  isAdmin: z
    .boolean()
    .describe("A super-admin or holding some campaign role (kept for older clients; see `roles`)"),
  superAdmin: z
    .boolean()
    .describe("`ADMIN_TELEGRAM_IDS`: every action in every campaign, whatever `roles` says"),
  roles: z
    .array(
      z.object({
        campaign: z.string().describe("Campaign slug"),
        roles: z.array(z.enum(CAMPAIGN_ROLES)),
      }),
    )
    .describe(
      "The member's admin roles per campaign (empty in a website session: admin rights come only with Telegram init data)",
    ),
  code: z.string(),
  links: linksSchema,
  campaign: z.object({
    slug: z.string(),
    name: localizedSchema,
    active: z.boolean(),
    variant: z.string().nullable(),
  }),
  campaigns: z
    .array(z.object({ slug: z.string(), name: localizedSchema, active: z.boolean() }))
    .describe(
      "The member's campaigns (taken part in, or running now), the current one first; the dashboard's switcher shows them when there are several, and then `links` name `campaign`",
    ),
  offer: z
    .array(z.object({ level: z.number().int(), token: z.string(), amount: amountSchema }))
    .describe(
      "What each referral level earns for this member's variant, before tier multipliers and caps",
    ),
  earnings: z
    .object({
      tier: z.string().describe("The member's tier id in this campaign"),
      multiplierBps: z.number().int(),
      nextTier: z.string().nullable(),
      nextMultiplierBps: z.number().int().nullable(),
      toNext: z.number().int().nullable().describe("Friends still to count until the next tier"),
      levels: z.array(
        z.object({
          level: z.number().int(),
          token: z.string(),
          percentBps: z
            .number()
            .int()
            .nullable()
            .describe("Percent levels: share of the level above"),
          min: amountSchema,
          max: amountSchema,
          next: z.object({ min: amountSchema, max: amountSchema }).nullable(),
        }),
      ),
    })
    .describe(
      "What this member earns per referral level now (their A/B variant and tier multiplier) and at the next tier, before caps; level 2 and deeper depend on the friend in between's variant, hence min and max. The bot's /start, /invite and /rules show the same numbers",
    ),
  stats: z.object({
    clicks: z.number().int(),
    starts: z.number().int(),
    funnel: z
      .object({
        clicks: z.number().int(),
        starts: z.number().int(),
        qualified: z.number().int().describe("Qualified level 1 referrals"),
        startRate: z
          .number()
          .int()
          .min(0)
          .max(100)
          .nullable()
          .describe("Starts per click in percent (capped at 100); null without clicks"),
        qualifyRate: z
          .number()
          .int()
          .min(0)
          .max(100)
          .nullable()
          .describe("Qualified referrals per start in percent; null without starts"),
      })
      .describe("Link clicks → bot starts → qualified referrals"),
    levels: z.array(levelStatsSchema),
    tier: z.object({
      current: tierSchema,
      next: tierSchema.nullable(),
      qualified: z.number().int(),
      toNext: z.number().int().nullable(),
    }),
    rewards: z.array(
      z.object({
        token: z.string(),
        earned: amountSchema,
        byState: z.partialRecord(entryStateSchema, amountSchema),
      }),
    ),
  }),
});

export const referralItemSchema = z.object({
  id: z.number().int(),
  refereeId: z.number().int(),
  firstName: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES),
  source: z.string(),
  attributedAt: iso,
  qualifiedAt: iso.nullable(),
});

export const friendItemSchema = z.object({
  id: z.number().int().describe("The referral's id"),
  refereeId: z.number().int(),
  firstName: z.string().nullable(),
  state: z.enum(FRIEND_STATES),
  reason: z.string().nullable().describe("Why it was rejected (the reviewer's words)"),
  remindable: z.boolean().describe("Not finished: POST /api/me/friends/{id}/remind reminds them"),
  attributedAt: iso,
  lastRemindedAt: iso.nullable().describe("When the member last reminded this friend"),
  nextRemindAt: iso
    .nullable()
    .describe(
      "While a reminder went today (UTC): when the next may go (the next UTC midnight); null when one may go now (or the friend has finished)",
    ),
});

export const remindResultSchema = z.object({
  result: z
    .enum(["sent", "already_today", "not_waiting"])
    .describe(
      "`sent`, or why nothing was sent: `already_today` (one reminder per friend per UTC day), `not_waiting` (the friend has finished)",
    ),
  lastRemindedAt: iso.nullable().describe("The last reminder (this one when `sent`)"),
  nextRemindAt: iso.nullable().describe("When the next reminder may go, or null"),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextBefore: z.number().int().nullable().describe("Pass as `before` for the next page"),
  });

/** See server/domain/delivery.ts. */
export const deliverySchema = z.object({
  state: z
    .enum(DELIVERY_STATES)
    .describe(
      "`wallet`: paid to the wallet; `reserved`: held on-chain for the member (no wallet yet, or waiting for the release or the next epoch); `releasing`: being released to the linked wallet; `released`: released to it; `claimable`: can be claimed now; `claimed`: claimed",
    ),
  txHash: z.string().nullable().describe("The payout's or the release's transaction"),
  at: iso.nullable().describe("`released`: when; `claimable`: since when"),
  until: iso.nullable().describe("`claimable`: the claim deadline"),
  held: z.boolean().describe("`releasing`: held for a check of the wallet"),
});

/** A reward's delivery as the API shows it (null before the grant settles). */
export function deliveryJson(d: Delivery | undefined): z.input<typeof deliverySchema> | null {
  return d
    ? {
        state: d.state,
        txHash: d.txHash,
        at: isoOrNull(d.at),
        until: isoOrNull(d.until),
        held: d.held,
      }
    : null;
}

export const rewardItemSchema = z.object({
  id: z.number().int().describe("Ledger entry id = on-chain payout id"),
  campaign: z.string(),
  token: z.string(),
  amount: amountSchema,
  kind: z.string(),
  level: z.number().int().nullable(),
  state: entryStateSchema,
  createdAt: iso,
  queuedAt: iso.nullable(),
  sentAt: iso.nullable(),
  settledAt: iso.nullable(),
  expiresAt: iso.nullable(),
  txHash: z.string().nullable(),
  blockNumber: z.string().nullable(),
  delivery: deliverySchema
    .nullable()
    .describe("How a settled reward reached (or is reaching) the wallet; null before it settles"),
  source: z
    .object({
      refereeId: z.number().int().describe("The referred member's public number"),
      friend: z.string().nullable().describe("Level 1: the friend who joined"),
      via: z.string().nullable().describe("Level 2: the direct friend who invited them"),
    })
    .nullable()
    .describe("Referral rewards: whose invitation it came from"),
});

export const pagingQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .optional()
    .describe("Page size (1–100, default 20)"),
  before: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional()
    .describe("Return items with ids below this one"),
});

export function page<T extends { id: number }>(items: T[], limit: number) {
  return {
    items,
    nextBefore: items.length === limit ? (items[items.length - 1]?.id ?? null) : null,
  };
}

export const qualificationOutcomeSchema = z.object({
  status: z.enum([
    "no_referral",
    "not_pending",
    "not_matching",
    "qualified",
    "review",
    "rejected",
    "held",
  ]),
  referralId: z.number().int().nullable(),
  entryIds: z.array(z.number().int()).optional(),
  reasons: z.array(z.string()).optional(),
  reason: z.string().optional(),
});
