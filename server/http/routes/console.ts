/**
 * The admin console's own reads (miniapp/src/admin/): member search across every key an
 * admin may hold, one member's whole record, a review item's evidence, and the badge counts.
 * Each is checked by the domain with the caller's roles and audited there (the badge count
 * is a number of open items, no personal data, and is not).
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { memberRecord, searchMembers } from "../../domain/adminMembers.ts";
import { isCampaignPaused } from "../../domain/campaignPause.ts";
import { CAMPAIGN_STATES, campaignStates } from "../../domain/campaignTransitions.ts";
import type { DomainContext } from "../../domain/context.ts";
import { openReviewCount } from "../../domain/review.ts";
import { reviewEvidence } from "../../domain/reviewEvidence.ts";
import {
  ADMIN_ACTIONS,
  type AdminPrincipal,
  CAMPAIGN_ROLES,
  campaignsWhere,
  can,
} from "../../domain/roles.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso, isoOrNull } from "../schemas.ts";

const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, "expected a number")
    .transform(Number),
});

const memberHit = z.object({
  id: z.number().int(),
  telegramId: z.number().int(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  wallet: z.string().nullable(),
  banned: z.boolean(),
  matched: z.array(z.string()).describe("What matched: telegram_id, member_id, username, …"),
});

const evidenceMember = z.object({
  id: z.number().int(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  firstSeenAt: iso,
  banned: z.boolean(),
});

const recordSchema = z.object({
  member: memberHit.extend({
    languageCode: z.string().nullable(),
    firstSeenAt: iso,
    lastSeenAt: iso,
    bannedAt: iso.nullable(),
    banReason: z.string().nullable(),
    clicks: z.number().int(),
    starts: z.number().int(),
    codes: z.array(z.object({ code: z.string(), kind: z.string(), createdAt: iso })),
  }),
  attributions: z.array(
    z.object({
      id: z.number().int(),
      campaign: z.string(),
      role: z.enum(["referee", "referrer"]),
      referrerId: z.number().int(),
      refereeId: z.number().int(),
      code: z.string(),
      source: z.string(),
      status: z.string(),
      statusReason: z.string().nullable(),
      attributedAt: iso,
      qualifiedAt: iso.nullable(),
      rejectedAt: iso.nullable(),
      review: z
        .object({
          id: z.number().int(),
          status: z.string(),
          reasons: z.array(z.string()),
          decisionReason: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  ledger: z.array(
    z.object({
      id: z.number().int(),
      campaign: z.string(),
      token: z.string(),
      amountWei: z.string(),
      kind: z.string(),
      level: z.number().int().nullable(),
      state: z.string(),
      history: z
        .array(z.object({ state: z.string(), at: iso }))
        .describe("The dates the entry reached each state, oldest first"),
      txHash: z.string().nullable(),
      payout: z
        .object({
          status: z.string(),
          holdReason: z.string().nullable(),
          txHash: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  claims: z.array(
    z.object({
      account: z.string(),
      amountWei: z.string(),
      txHash: z.string(),
      blockNumber: z.number().int(),
    }),
  ),
  notifications: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      status: z.string(),
      createdAt: iso,
      sentAt: iso.nullable(),
    }),
  ),
});

/** The dates a ledger entry reached each of its states, oldest first. */
function stateHistory(e: Record<string, unknown>): Array<{ state: string; at: string }> {
  const steps: Array<{ state: string; at: Date }> = [];
  for (const state of [
    "created",
    "pending",
    "queued",
    "sent",
    "settled",
    "failed",
    "expired",
    "rejected",
  ]) {
    const at = e[`${state}At`];
    if (at instanceof Date) steps.push({ state, at });
  }
  return steps
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((s) => ({ state: s.state, at: s.at.toISOString() }));
}

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function consoleRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;
  const slugOf = (id: number) => domain.campaigns.byId(id)?.slug ?? String(id);

  table.add(router, {
    method: "get",
    path: "/api/admin/console/badges",
    operationId: "consoleBadges",
    summary: "Counts for the console's badges: open review items the caller may decide",
    tags: ["admin"],
    auth: "admin",
    response: {
      status: 200,
      description: "The counts",
      schema: z.object({ openReviews: z.number().int() }),
    },
    handler: async ({ req }) => {
      const where = campaignsWhere(admin(req), "review.read");
      return {
        openReviews: await openReviewCount(domain.db, where === "all" ? undefined : where),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/console/campaigns",
    operationId: "consoleCampaigns",
    summary: "The campaigns the caller may see, with name, state, dates, roles and allowed actions",
    description:
      "State from the dates and the pause switch (`scheduled`, `active`, `paused`, `ended`); the lifecycle states replace it once they exist.",
    tags: ["admin"],
    auth: "admin",
    response: {
      status: 200,
      description: "One item per campaign the caller may see",
      schema: z.object({
        superAdmin: z.boolean(),
        items: z.array(
          z.object({
            slug: z.string(),
            name: z.record(z.string(), z.string()),
            state: z.enum(["scheduled", "active", "paused", "ended"]),
            startsAt: iso,
            endsAt: iso.nullable(),
            deployed: z.boolean(),
            lifecycle: z
              .enum(CAMPAIGN_STATES)
              .describe("The lifecycle state (draft … archived) the lifecycle moves act on"),
            roles: z.array(z.enum(CAMPAIGN_ROLES)),
            actions: z.array(z.enum(ADMIN_ACTIONS)),
          }),
        ),
      }),
    },
    handler: async ({ req }) => {
      const by = admin(req);
      const now = domain.now();
      const visible = domain.campaigns.all().filter((c) => can(by, "campaign.view", c.id));
      const lifecycle = await campaignStates(domain.db);
      const items = await Promise.all(
        visible.map(async (c) => {
          const { startsAt, endsAt } = c.rules;
          const paused = await isCampaignPaused(domain.db, c.id);
          const state =
            startsAt > now
              ? "scheduled"
              : endsAt !== undefined && endsAt <= now
                ? "ended"
                : paused
                  ? "paused"
                  : "active";
          const name = c.definition.name as string | Record<string, string>;
          return {
            slug: c.slug,
            name: typeof name === "string" ? { en: name } : name,
            state: state as "scheduled" | "active" | "paused" | "ended",
            startsAt: startsAt.toISOString(),
            endsAt: endsAt ? endsAt.toISOString() : null,
            deployed: c.deployment !== null,
            lifecycle: lifecycle.get(c.id) ?? "draft",
            roles: CAMPAIGN_ROLES.filter((r) => by.roles.get(c.id)?.has(r)),
            actions: ADMIN_ACTIONS.filter((a) => can(by, a, c.id)),
          };
        }),
      );
      return { superAdmin: by.superAdmin, items };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/members/search",
    operationId: "searchMembers",
    summary:
      "Find members by Telegram id, member number, @username, wallet, referral code, payout id or transaction hash",
    description:
      "Needs `member.read`; a campaign's admins find only the members taking part in their campaigns. At most 20, newest first. Audited (`member.searched`, without the term).",
    tags: ["admin"],
    auth: "admin",
    query: z.object({ q: z.string().trim().min(1).max(80) }),
    problems: ["forbidden"],
    response: {
      status: 200,
      description: "The members found",
      schema: z.object({ items: z.array(memberHit) }),
    },
    handler: async ({ req, query }) => ({
      items: await searchMembers(domain, admin(req), query.q),
    }),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/members/:id/record",
    operationId: "memberRecord",
    summary:
      "One member's whole record: attributions, ledger with state history, payouts, claims, notifications",
    description:
      "Needs `member.read` in a campaign the member takes part in; a campaign's admins see only their campaigns' referrals and entries. Audited (`member.record_read`).",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["forbidden", "member_not_found"],
    response: { status: 200, description: "The record", schema: recordSchema },
    handler: async ({ req, params }) => {
      const r = await memberRecord(domain, admin(req), params.id);
      const m = r.member;
      return {
        member: {
          ...m,
          firstSeenAt: m.firstSeenAt.toISOString(),
          lastSeenAt: m.lastSeenAt.toISOString(),
          bannedAt: isoOrNull(m.bannedAt),
          codes: m.codes.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
        },
        attributions: r.attributions.map((a) => ({
          id: a.id,
          campaign: slugOf(a.campaignId),
          role: a.role,
          referrerId: a.referrerId,
          refereeId: a.refereeId,
          code: a.code,
          source: a.source,
          status: a.status,
          statusReason: a.statusReason,
          attributedAt: a.attributedAt.toISOString(),
          qualifiedAt: isoOrNull(a.qualifiedAt),
          rejectedAt: isoOrNull(a.rejectedAt),
          review: a.review,
        })),
        ledger: r.ledger.map((e) => ({
          id: e.id,
          campaign: slugOf(e.campaignId),
          token: e.token,
          amountWei: e.amountWei,
          kind: e.kind,
          level: e.level,
          state: e.state,
          history: stateHistory(e),
          txHash: e.txHash,
          payout: e.payout,
        })),
        claims: r.claims,
        notifications: r.notifications.map((n) => ({
          ...n,
          createdAt: n.createdAt.toISOString(),
          sentAt: isoOrNull(n.sentAt),
        })),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/reviews/:id/evidence",
    operationId: "reviewEvidence",
    summary:
      "A review item's evidence: signals that fired, the referral chain, shared IP/device/wallet, timing",
    description: "Needs `review.read` in the item's campaign. Audited (`review.evidence_read`).",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["forbidden", "review_not_found"],
    response: {
      status: 200,
      description: "The evidence",
      schema: z.object({
        reviewId: z.number().int(),
        campaign: z.string(),
        reasons: z.array(z.string()),
        referrer: evidenceMember,
        referee: evidenceMember,
        chain: z.array(evidenceMember),
        sharedIp: z.number().int(),
        sharedDevice: z.number().int(),
        sharedWalletMembers: z.array(z.number().int()),
        secondsToAttribution: z.number().int(),
        secondsToReview: z.number().int(),
        referrerBurst24h: z.number().int(),
      }),
    },
    handler: async ({ req, params }) => {
      const e = await reviewEvidence(domain, admin(req), params.id);
      const who = (m: typeof e.referrer) => ({ ...m, firstSeenAt: m.firstSeenAt.toISOString() });
      return {
        ...e,
        campaign: slugOf(e.campaignId),
        referrer: who(e.referrer),
        referee: who(e.referee),
        chain: e.chain.map(who),
      };
    },
  });
}
