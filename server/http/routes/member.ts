/** Member endpoints (Mini App): profile and stats, referrals, rewards, attribution, wallet. */
import { createHmac } from "node:crypto";
import type { Request, Router } from "express";
import { z } from "zod";
import { attribute } from "../../domain/attribution.ts";
import { isCampaignActive } from "../../domain/campaign.ts";
import { deepLinks, type LinkSettings } from "../../domain/codes.ts";
import type { DomainContext } from "../../domain/context.ts";
import { memberDeliveries, rewardSources } from "../../domain/delivery.ts";
import { type MemberEarnings, memberEarnings } from "../../domain/earnings.ts";
import type { MemberView } from "../../domain/members.ts";
import { friendStates, remindFriend } from "../../domain/referralStates.ts";
import type { Campaign } from "../../domain/registry.ts";
import { memberRoles } from "../../domain/roles.ts";
import { assignVariant, levelBases, nextTier, tierFor } from "../../domain/rules.ts";
import {
  computeStats,
  funnel,
  listReferrals,
  listRewards,
  loadRawStats,
  memberCampaigns,
} from "../../domain/stats.ts";
import {
  issueNonce,
  linkWallet,
  type SignatureVerifier,
  type SiweSettings,
} from "../../domain/wallets.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import {
  amount,
  deliveryJson,
  friendItemSchema,
  iso,
  isoOrNull,
  page,
  pageSchema,
  pagingQuery,
  profileSchema,
  qualificationOutcomeSchema,
  referralItemSchema,
  remindResultSchema,
  rewardItemSchema,
} from "../schemas.ts";
import { outcomeJson } from "./shared.ts";

export interface MemberRouteDeps {
  domain: DomainContext;
  links: LinkSettings;
  siwe: SiweSettings;
  verifySignature: SignatureVerifier;
  hashSecret: string;
}

/** Keyed hash of client facts (IP, device): comparable across requests, not reversible. */
export function clientHash(secret: string, ...parts: string[]): string {
  return createHmac("sha256", secret).update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

function me(req: Request): MemberView {
  // Guards ran first; this only narrows the type.
  const m = req.member;
  if (!m) throw new ProblemError("auth_required");
  return m;
}

const campaignQuery = z.object({
  campaign: z
    .string()
    .regex(/^[a-z0-9-]{2,48}$/)
    .optional()
    .describe("Campaign slug (default: the current campaign)"),
});

/** {@link MemberEarnings} as JSON (amounts in the token's units). */
function earningsJson(campaign: Campaign, e: MemberEarnings) {
  const dec = (token: string) => campaign.rules.tokens.get(token)?.decimals ?? 18;
  return {
    tier: e.tier.id,
    multiplierBps: e.tier.multiplierBps,
    nextTier: e.next?.id ?? null,
    nextMultiplierBps: e.next?.multiplierBps ?? null,
    toNext: e.toNext,
    levels: e.levels.map((l) => ({
      level: l.level,
      token: l.token,
      percentBps: l.bps,
      min: amount(l.min, dec(l.token)),
      max: amount(l.max, dec(l.token)),
      next: l.next
        ? { min: amount(l.next.min, dec(l.token)), max: amount(l.next.max, dec(l.token)) }
        : null,
    })),
  };
}

export function memberRoutes(table: RouteTable, router: Router, deps: MemberRouteDeps): void {
  const { domain } = deps;
  // What a level pays and how a tier looks depend only on the campaign (and variant):
  // computed once, not per request.
  const offers = new Map<
    string,
    Array<{ level: number; token: string; amount: ReturnType<typeof amount> }>
  >();
  const offerFor = (campaign: Campaign, variant: string | null) => {
    const key = `${campaign.id}:${variant}`;
    let o = offers.get(key);
    if (!o) {
      o = levelBases(campaign.rules, variant).map((l) => ({
        level: l.level,
        token: l.token,
        amount: amount(l.base),
      }));
      offers.set(key, o);
    }
    return o;
  };

  // The earnings depend on the campaign version, the variant and the tier (and `toNext` on
  // the count): their JSON is built once per tier and variant, not per request (formatting
  // the amounts was a tenth of the profile's CPU).
  const earningsCache = new WeakMap<Campaign, Map<string, ReturnType<typeof earningsJson>>>();
  const earningsFor = (
    campaign: Campaign,
    memberId: number,
    variant: string | null,
    qualified: number,
  ) => {
    let byKey = earningsCache.get(campaign);
    if (!byKey) {
      byKey = new Map();
      earningsCache.set(campaign, byKey);
    }
    const tier = tierFor(campaign.rules.tiers, qualified);
    const key = `${variant}:${tier.id}`;
    let json = byKey.get(key);
    if (!json) {
      json = earningsJson(campaign, memberEarnings(campaign.rules, memberId, qualified));
      byKey.set(key, json);
    }
    const next = nextTier(campaign.rules.tiers, qualified);
    const toNext = next ? next.minQualified - qualified : null;
    return json.toNext === toNext ? json : { ...json, toNext };
  };

  table.add(router, {
    method: "get",
    path: "/api/me",
    operationId: "getProfile",
    summary: "Profile, referral code and links, stats, tier progress and reward totals",
    tags: ["member"],
    auth: "member",
    query: campaignQuery,
    problems: ["campaign_not_found"],
    memberStats: true,
    response: { status: 200, description: "The member's profile", schema: profileSchema },
    handler: async ({ req, query }) => {
      const m = me(req);
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      // Usually loaded with the member during authentication (one query for the whole request).
      const stats = computeStats(
        campaign,
        req.principal?.memberStats ?? (await loadRawStats(domain.db, m.id)),
      );
      const variant = assignVariant(campaign.rules, m.id);
      const rights = req.principal?.adminRights ?? "none";
      const [roles, mine] = await Promise.all([
        rights === "none" ? [] : memberRoles(domain.db, m.id),
        memberCampaigns(domain, m.id),
      ]);
      const several = mine.length > 1;
      const tierJson = (t: {
        id: string;
        minQualified: number;
        multiplierBps: number;
        badgeId?: number;
      }) => {
        const def = campaign.definition.tiers.find((d) => d.id === t.id);
        return {
          id: t.id,
          name: def?.name ?? { en: t.id, ru: t.id },
          minQualified: t.minQualified,
          multiplierBps: t.multiplierBps,
          badgeId: t.badgeId ?? null,
        };
      };
      return {
        member: {
          id: m.id,
          username: m.username,
          firstName: m.firstName,
          languageCode: m.languageCode,
          firstSeenAt: m.firstSeenAt.toISOString(),
          wallet: m.wallet,
        },
        isAdmin: rights === "super" || roles.length > 0,
        superAdmin: rights === "super",
        roles: roles.map((r) => ({
          campaign: domain.campaigns.byId(r.campaignId)?.slug ?? String(r.campaignId),
          roles: r.roles,
        })),
        code: m.code,
        // With several campaigns the links name this one (`<code>__<slug>`, codes.ts).
        links: deepLinks(deps.links, m.code, several ? campaign.slug : undefined),
        campaign: {
          slug: campaign.slug,
          name: campaign.definition.name,
          active: isCampaignActive(campaign.rules, domain.now()),
          variant,
        },
        campaigns: mine.map((c) => ({
          slug: c.slug,
          name: c.definition.name,
          active: isCampaignActive(c.rules, domain.now()),
        })),
        offer: offerFor(campaign, variant),
        earnings: earningsFor(campaign, m.id, variant, stats.tier.qualified),
        stats: {
          clicks: m.clicks,
          starts: m.starts,
          funnel: funnel(m.clicks, m.starts, stats.levels[0]?.qualified ?? 0),
          levels: stats.levels,
          tier: {
            current: tierJson(stats.tier.current),
            next: stats.tier.next ? tierJson(stats.tier.next) : null,
            qualified: stats.tier.qualified,
            toNext: stats.tier.toNext,
          },
          rewards: stats.rewards.map((r) => {
            const decimals = campaign.rules.tokens.get(r.token)?.decimals ?? 18;
            return {
              token: r.token,
              earned: amount(r.earned, decimals),
              byState: Object.fromEntries(
                Object.entries(r.byState).map(([s, v]) => [s, amount(v ?? 0n, decimals)]),
              ),
            };
          }),
        },
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/referrals",
    operationId: "listReferrals",
    summary: "The member's direct (level 1) referrals, newest first",
    tags: ["member"],
    auth: "member",
    query: pagingQuery.extend(campaignQuery.shape),
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "A page of referrals in the campaign",
      schema: pageSchema(referralItemSchema),
    },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 20;
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const rows = await listReferrals(domain.db, me(req).id, {
        limit,
        before: query.before,
        campaignId: campaign.id,
      });
      return page(
        rows.map((r) => ({
          ...r,
          attributedAt: r.attributedAt.toISOString(),
          qualifiedAt: isoOrNull(r.qualifiedAt),
        })),
        limit,
      );
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/friends",
    operationId: "listFriends",
    summary:
      "The member's friends (direct referrals) with what happens next for each: waiting_wallet, waiting, review, rejected (with the reason), qualified, paid",
    tags: ["member"],
    auth: "member",
    query: pagingQuery.extend(campaignQuery.shape),
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "A page of friends in the campaign, newest first",
      schema: pageSchema(friendItemSchema),
    },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 20;
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const rows = await friendStates(domain, me(req).id, campaign.id, {
        limit,
        before: query.before,
      });
      return page(
        rows.map((r) => ({
          id: r.referralId,
          refereeId: r.refereeId,
          firstName: r.firstName,
          state: r.state,
          reason: r.reason,
          remindable: r.remindable,
          attributedAt: r.attributedAt.toISOString(),
          lastRemindedAt: isoOrNull(r.lastRemindedAt),
          nextRemindAt: isoOrNull(r.nextRemindAt),
        })),
        limit,
      );
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/me/friends/:id/remind",
    operationId: "remindFriend",
    summary:
      "Remind a friend who has not finished (a bot message to the friend), at most once per friend per UTC day",
    tags: ["member"],
    auth: "member",
    params: z.object({
      id: z
        .string()
        .regex(/^\d{1,15}$/, "expected a number")
        .transform(Number)
        .describe("The friend's referral id (`id` in /api/me/friends)"),
    }),
    problems: ["not_found"],
    response: {
      status: 200,
      description: "`sent`, or why nothing was sent, with when the next reminder may go",
      schema: remindResultSchema,
    },
    handler: async ({ req, params }) => {
      const r = await remindFriend(domain, me(req).id, params.id);
      return {
        result: r.result,
        lastRemindedAt: isoOrNull(r.lastRemindedAt),
        nextRemindAt: isoOrNull(r.nextRemindAt),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/rewards",
    operationId: "listRewards",
    summary: "The member's rewards (ledger entries) with their payout state and transaction hash",
    tags: ["member"],
    auth: "member",
    query: pagingQuery.extend(campaignQuery.shape),
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "A page of rewards in the campaign",
      schema: pageSchema(rewardItemSchema),
    },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 20;
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const member = me(req);
      const rows = await listRewards(domain.db, member.id, {
        limit,
        before: query.before,
        campaignId: campaign.id,
      });
      // Where each reward went (a settled grant may still sit in escrow) and whose invitation
      // it came from: two reads for the page, not one per row.
      const [deliveries, sources] = await Promise.all([
        rows.some((r) => r.state === "settled")
          ? memberDeliveries(domain.db, campaign, member.id, domain.now())
          : null,
        rewardSources(
          domain.db,
          rows.filter((r) => r.kind === "referral").map((r) => r.id),
        ),
      ]);
      return page(
        rows.map((r) => ({
          ...r,
          delivery: deliveryJson(deliveries?.byEntry.get(r.id)),
          source: sources.get(r.id) ?? null,
          // In the token's own units (an external token may have 6 decimals).
          amount: amount(
            r.amount,
            domain.campaigns.bySlug(r.campaign)?.rules.tokens.get(r.token)?.decimals ?? 18,
          ),
          createdAt: r.createdAt.toISOString(),
          queuedAt: isoOrNull(r.queuedAt),
          sentAt: isoOrNull(r.sentAt),
          settledAt: isoOrNull(r.settledAt),
          expiresAt: isoOrNull(r.expiresAt),
          blockNumber: r.blockNumber === null ? null : r.blockNumber.toString(),
        })),
        limit,
      );
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/me/attribution",
    operationId: "attributeFromStartParam",
    summary: "Record who referred this member (Mini App start_param)",
    description:
      "Uses the `start_param` of the validated init data unless `code` is given. The first valid attribution of a new member wins and is never changed.",
    tags: ["member"],
    auth: "member",
    body: z.object({
      code: z
        .string()
        .max(64)
        .optional()
        .describe("Referral code; defaults to the init data's start_param"),
      deviceId: z
        .string()
        .max(128)
        .optional()
        .describe("Stable client device id (fraud signal; stored hashed)"),
    }),
    problems: [
      "invalid_code",
      "unknown_code",
      "referrer_banned",
      "self_referral",
      "referral_loop",
      "already_attributed",
      "not_new_member",
      "campaign_inactive",
      "not_in_pilot",
      "campaign_not_found",
    ],
    response: {
      status: 201,
      description: "The attribution",
      schema: z.object({
        referralId: z.number().int(),
        referrerId: z.number().int(),
        campaign: z.string(),
        status: z.string(),
        attributedAt: iso,
      }),
    },
    handler: async ({ req, body }) => {
      const m = me(req);
      const code = body.code ?? req.principal?.telegram?.startParam;
      if (code === undefined)
        throw new ProblemError(
          "validation_failed",
          "no code given and the init data has no start_param",
        );
      const ua = req.headers["user-agent"] ?? "";
      const { referral } = await attribute(domain, {
        refereeId: m.id,
        code,
        source: "startapp",
        ipHash: req.ip ? clientHash(deps.hashSecret, "ip", req.ip) : null,
        deviceHash: clientHash(deps.hashSecret, "device", body.deviceId ?? ua),
      });
      return {
        referralId: referral.id,
        referrerId: referral.referrerId,
        campaign: domain.campaigns.requireById(referral.campaignId).slug,
        status: referral.status,
        attributedAt: referral.attributedAt.toISOString(),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/wallet/nonce",
    operationId: "getSiweNonce",
    summary: "A single-use SIWE nonce bound to this member, with the fields the message must carry",
    tags: ["wallet"],
    auth: "member",
    response: {
      status: 200,
      description: "Nonce and message parameters",
      schema: z.object({
        nonce: z.string(),
        issuedAt: iso,
        expiresAt: iso,
        domain: z.string(),
        uri: z.string(),
        chainId: z.number().int(),
        statement: z.string(),
        version: z.literal("1"),
      }),
    },
    handler: async ({ req }) => {
      const n = await issueNonce(domain, me(req).id, deps.siwe);
      return {
        ...n,
        issuedAt: n.issuedAt.toISOString(),
        expiresAt: n.expiresAt.toISOString(),
        version: "1" as const,
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/me/wallet",
    operationId: "linkWallet",
    summary: "Link (or re-link) a wallet with a signed EIP-4361 message",
    tags: ["wallet"],
    auth: "member",
    body: z.object({
      message: z.string().min(1).max(4096).describe("The EIP-4361 message exactly as signed"),
      signature: z
        .string()
        .regex(/^0x[0-9a-fA-F]+$/)
        .max(16_384),
    }),
    problems: ["siwe_invalid", "nonce_invalid", "signature_invalid", "wallet_taken"],
    response: {
      status: 200,
      description: "The linked wallet and what it did to a pending referral",
      schema: z.object({
        address: z.string(),
        previousAddress: z.string().nullable(),
        relinked: z.boolean(),
        qualification: qualificationOutcomeSchema,
      }),
    },
    handler: async ({ req, body }) => {
      const r = await linkWallet(domain, me(req).id, body, deps.siwe, deps.verifySignature);
      return {
        address: r.address,
        previousAddress: r.previousAddress,
        relinked: r.relinked,
        qualification: outcomeJson(r.qualification),
      };
    },
  });
}
