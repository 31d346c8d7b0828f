/**
 * What the dashboard shows a member about their own journey (issue 14, "what members already
 * see, made right"): the invitation that brought them (who, what both get, the next step) and
 * where their settled rewards are (in the wallet, reserved for them on-chain, being released,
 * claimable, claimed). Both are read when a screen asks, never on the profile's hot path.
 */
import type { Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../../domain/context.ts";
import { DELIVERY_STATES, memberDeliveries } from "../../domain/delivery.ts";
import { invitationOf } from "../../domain/invitation.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { amount, amountSchema, iso, isoOrNull } from "../schemas.ts";

export interface MemberJourneyRouteDeps {
  domain: DomainContext;
}

const campaignQuery = z.object({
  campaign: z
    .string()
    .regex(/^[a-z0-9-]{2,48}$/)
    .optional()
    .describe("Campaign slug (default: the current campaign)"),
});

const tokenAmount = z.object({ token: z.string(), amount: amountSchema });

const invitationSchema = z.object({
  invitation: z
    .object({
      referrerName: z.string().nullable().describe("The inviter's first name or @username"),
      status: z.enum(["pending", "review", "qualified", "rejected"]),
      attributedAt: iso,
      qualifiedAt: iso.nullable(),
      welcome: tokenAmount.nullable().describe("What the invited member gets when it counts"),
      referrerReward: tokenAmount
        .nullable()
        .describe("What the inviter gets when it counts (their variant and tier)"),
      steps: z.array(
        z.object({
          id: z.enum(["joined", "wallet", "challenge", "partner", "hold", "counted"]),
          done: z.boolean(),
        }),
      ),
      holdHours: z.number().int().nullable(),
      challengeId: z.string().nullable(),
    })
    .nullable()
    .describe("Null when nobody invited the member in this campaign"),
});

const summarySchema = z.object({
  wallet: z.string().nullable(),
  tokens: z.array(
    z.object({
      token: z.string(),
      amounts: z
        .object({
          wallet: amountSchema,
          reserved: amountSchema,
          releasing: amountSchema,
          released: amountSchema,
          claimable: amountSchema,
          claimed: amountSchema,
        })
        .describe("Settled rewards by where they are (see the reward item's `delivery`)"),
      claimableSince: iso.nullable(),
      claimableUntil: iso.nullable(),
    }),
  ),
});

export function memberJourneyRoutes(
  table: RouteTable,
  router: Router,
  deps: MemberJourneyRouteDeps,
): void {
  const { domain } = deps;
  const decimalsOf = (slug: string, token: string) =>
    domain.campaigns.bySlug(slug)?.rules.tokens.get(token)?.decimals ?? 18;

  table.add(router, {
    method: "get",
    path: "/api/me/invitation",
    operationId: "getInvitation",
    summary: "Who invited the member, what both get and the next step towards it counting",
    tags: ["member"],
    auth: "member",
    query: campaignQuery,
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The member's invitation", schema: invitationSchema },
    handler: async ({ req, query }) => {
      const m = req.member;
      if (!m) throw new ProblemError("auth_required");
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const inv = await invitationOf(domain.db, campaign, m);
      const tokenJson = (t: { token: string; amount: bigint } | null) =>
        t ? { token: t.token, amount: amount(t.amount, decimalsOf(campaign.slug, t.token)) } : null;
      return {
        invitation: inv && {
          referrerName: inv.referrerName,
          status: inv.status,
          attributedAt: inv.attributedAt.toISOString(),
          qualifiedAt: isoOrNull(inv.qualifiedAt),
          welcome: tokenJson(inv.welcome),
          referrerReward: tokenJson(inv.referrerReward),
          steps: inv.steps,
          holdHours: inv.holdHours,
          challengeId: inv.challengeId,
        },
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/rewards/summary",
    operationId: "getRewardSummary",
    summary: "The member's settled rewards per token by where they are",
    description:
      "Paid to the wallet, reserved for the member on-chain (escrow), being released to the linked wallet, released, claimable (since, until) or claimed. What is not settled yet is in the profile's `byState`.",
    tags: ["member"],
    auth: "member",
    query: campaignQuery,
    problems: ["campaign_not_found"],
    response: { status: 200, description: "Per token", schema: summarySchema },
    handler: async ({ req, query }) => {
      const m = req.member;
      if (!m) throw new ProblemError("auth_required");
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const { totals } = await memberDeliveries(domain.db, campaign, m.id, domain.now());
      return {
        wallet: m.wallet,
        tokens: totals.map((t) => ({
          token: t.token,
          amounts: Object.fromEntries(
            DELIVERY_STATES.map((s) => [
              s,
              amount(t.amounts[s], decimalsOf(campaign.slug, t.token)),
            ]),
          ) as Record<(typeof DELIVERY_STATES)[number], ReturnType<typeof amount>>,
          claimableSince: isoOrNull(t.claimableSince),
          claimableUntil: isoOrNull(t.claimableUntil),
        })),
      };
    },
  });
}
