/**
 * Admin endpoints: review queue, member look-up, bans, vanity codes, challenge completion.
 * Every one writes an audit row (who, what, before/after for changes): the decisions and
 * changes in their domain transaction, the reads through `auditAdminRead`.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { referralOf } from "../../domain/attribution.ts";
import { auditAdminRead } from "../../domain/audit.ts";
import { completeChallenge } from "../../domain/challenges.ts";
import type { Actor, DomainContext } from "../../domain/context.ts";
import {
  banMember,
  findMember,
  memberCodes,
  requireMember,
  setVanityCode,
  unbanMember,
} from "../../domain/members.ts";
import { approveReview, listReviews, rejectReview } from "../../domain/review.ts";
import { memberStats } from "../../domain/stats.ts";
import { ProblemError } from "../problem.ts";
import { queryInt, type RouteTable } from "../route.ts";
import {
  amount,
  iso,
  isoOrNull,
  levelStatsSchema,
  page,
  pageSchema,
  qualificationOutcomeSchema,
} from "../schemas.ts";
import { outcomeJson } from "./shared.ts";

const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, "expected a number")
    .transform(Number),
});
const reason = z.string().trim().min(3).max(500);

const reviewItem = z.object({
  id: z.number().int(),
  status: z.enum(["open", "approved", "rejected"]),
  reasons: z.array(z.string()),
  createdAt: iso,
  decidedAt: iso.nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  referral: z.object({
    id: z.number().int(),
    campaign: z.string(),
    referrerId: z.number().int(),
    refereeId: z.number().int(),
    source: z.string(),
    attributedAt: iso,
  }),
});

const adminMember = z.object({
  id: z.number().int(),
  telegramId: z.number().int(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  languageCode: z.string().nullable(),
  firstSeenAt: iso,
  lastSeenAt: iso,
  banned: z.boolean(),
  bannedAt: iso.nullable(),
  banReason: z.string().nullable(),
  wallet: z.string().nullable(),
  codes: z.array(z.object({ code: z.string(), kind: z.string(), createdAt: iso })),
  referredBy: z
    .object({
      referralId: z.number().int(),
      referrerId: z.number().int(),
      status: z.string(),
      campaignId: z.number().int(),
    })
    .nullable(),
  clicks: z.number().int(),
  starts: z.number().int(),
  levels: z.array(levelStatsSchema),
  rewards: z.array(
    z.object({ token: z.string(), earned: z.object({ wei: z.string(), tokens: z.string() }) }),
  ),
});

function actor(req: Request): Actor {
  const a = req.principal?.actor;
  if (!a) throw new ProblemError("auth_required");
  return a;
}

export function adminRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;

  const memberJson = async (id: number): Promise<z.input<typeof adminMember>> => {
    const m = await requireMember(domain.db, id);
    const [codes, referral] = await Promise.all([
      memberCodes(domain.db, id),
      referralOf(domain.db, id),
    ]);
    const campaign = domain.campaigns.current(domain.now());
    const stats = campaign ? await memberStats(domain.db, campaign, id) : null;
    return {
      id: m.id,
      telegramId: m.telegramId,
      username: m.username,
      firstName: m.firstName,
      lastName: m.lastName,
      languageCode: m.languageCode,
      firstSeenAt: m.firstSeenAt.toISOString(),
      lastSeenAt: m.lastSeenAt.toISOString(),
      banned: m.bannedAt !== null,
      bannedAt: isoOrNull(m.bannedAt),
      banReason: m.banReason,
      wallet: m.wallet,
      codes: codes.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
      referredBy: referral
        ? {
            referralId: referral.id,
            referrerId: referral.referrerId,
            status: referral.status,
            campaignId: referral.campaignId,
          }
        : null,
      clicks: m.clicks,
      starts: m.starts,
      levels: stats?.levels ?? [],
      rewards: stats?.rewards.map((r) => ({ token: r.token, earned: amount(r.earned) })) ?? [],
    };
  };

  table.add(router, {
    method: "get",
    path: "/api/admin/reviews",
    operationId: "listReviews",
    summary: "Review queue (flagged referrals), newest first",
    tags: ["admin"],
    auth: "admin",
    query: z.object({
      status: z.enum(["open", "approved", "rejected"]).optional().describe("Default: open"),
      limit: queryInt(1, 100).optional(),
      before: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
    }),
    response: {
      status: 200,
      description: "A page of review items",
      schema: pageSchema(reviewItem),
    },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 50;
      const status = query.status ?? "open";
      const items = await listReviews(domain.db, { status, limit, before: query.before });
      await auditAdminRead(domain, {
        actor: actor(req),
        action: "review.listed",
        subjectType: "review",
        subjectId: "queue",
        details: { status, limit, before: query.before ?? null, count: items.length },
      });
      return page(
        items.map((i) => ({
          ...i,
          createdAt: i.createdAt.toISOString(),
          decidedAt: isoOrNull(i.decidedAt),
          referral: {
            id: i.referral.id,
            campaign:
              domain.campaigns.byId(i.referral.campaignId)?.slug ?? String(i.referral.campaignId),
            referrerId: i.referral.referrerId,
            refereeId: i.referral.refereeId,
            source: i.referral.source,
            attributedAt: i.referral.attributedAt.toISOString(),
          },
        })),
        limit,
      );
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/reviews/:id/approve",
    operationId: "approveReview",
    summary: "Approve a flagged referral: it is paid (caps and budget still apply)",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason: reason.optional() }),
    problems: ["review_not_found", "review_closed", "member_banned"],
    response: {
      status: 200,
      description: "The payout outcome",
      schema: qualificationOutcomeSchema,
    },
    handler: async ({ req, params, body }) =>
      outcomeJson(await approveReview(domain, params.id, actor(req), body.reason)),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/reviews/:id/reject",
    operationId: "rejectReview",
    summary: "Reject a flagged referral with a reason; it will never pay",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason }),
    problems: ["review_not_found", "review_closed"],
    response: { status: 200, description: "The rejection", schema: qualificationOutcomeSchema },
    handler: async ({ req, params, body }) =>
      outcomeJson(await rejectReview(domain, params.id, actor(req), body.reason)),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/members",
    operationId: "findMember",
    summary: "Look a member up by member number, Telegram id, username or referral code",
    tags: ["admin"],
    auth: "admin",
    query: z
      .object({
        id: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
        telegramId: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
        username: z.string().min(1).max(65).optional(),
        code: z.string().min(1).max(64).optional(),
      })
      .refine(
        (q) => Object.values(q).some((v) => v !== undefined),
        "give id, telegramId, username or code",
      ),
    problems: ["member_not_found"],
    response: { status: 200, description: "The member", schema: adminMember },
    handler: async ({ req, query }) => {
      const m = await findMember(domain.db, query);
      // Who looked up whom: the answer carries personal data (Telegram id, names).
      await auditAdminRead(domain, {
        actor: actor(req),
        action: "member.looked_up",
        subjectType: "member",
        subjectId: m?.id ?? "none",
        details: {
          by: Object.keys(query).filter((k) => query[k as keyof typeof query] !== undefined),
          found: m !== undefined,
        },
      });
      if (!m) throw new ProblemError("member_not_found", "no member matches");
      return memberJson(m.id);
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/ban",
    operationId: "banMember",
    summary: "Ban a member: codes stop attributing, unsent grants to them are rejected",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason }),
    problems: ["member_not_found"],
    response: {
      status: 200,
      description: "The member after the ban",
      schema: z.object({ member: adminMember, rejectedGrants: z.number().int() }),
    },
    handler: async ({ req, params, body }) => {
      const { rejectedGrants } = await banMember(domain, params.id, body.reason, actor(req));
      return { member: await memberJson(params.id), rejectedGrants };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/unban",
    operationId: "unbanMember",
    summary: "Lift a ban",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason }),
    problems: ["member_not_found"],
    response: { status: 200, description: "The member", schema: adminMember },
    handler: async ({ req, params, body }) => {
      await unbanMember(domain, params.id, body.reason, actor(req));
      return memberJson(params.id);
    },
  });

  table.add(router, {
    method: "put",
    path: "/api/admin/members/:id/code",
    operationId: "setVanityCode",
    summary: "Assign a vanity referral code (old codes keep working)",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ code: z.string().min(3).max(32) }),
    problems: ["member_not_found", "invalid_code", "code_taken"],
    response: { status: 200, description: "The code", schema: z.object({ code: z.string() }) },
    handler: async ({ req, params, body }) => ({
      code: await setVanityCode(domain, params.id, body.code, actor(req)),
    }),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/challenges/:challengeId",
    operationId: "completeChallenge",
    summary:
      "Mark a challenge completed for a member (grants its reward once; may qualify their referral)",
    tags: ["admin"],
    auth: "admin",
    params: z.object({
      id: z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
      challengeId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/),
    }),
    body: z.object({
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
    }),
    problems: ["member_not_found", "member_banned", "challenge_unknown", "campaign_not_found"],
    response: {
      status: 200,
      description: "What the completion did",
      schema: z.object({
        newlyCompleted: z.boolean(),
        entryId: z.number().int().nullable(),
        amount: z.object({ wei: z.string(), tokens: z.string() }),
        qualification: qualificationOutcomeSchema.nullable(),
      }),
    },
    handler: async ({ req, params, body }) => {
      const r = await completeChallenge(domain, {
        memberId: params.id,
        challengeId: params.challengeId,
        campaign: body.campaign,
        source: actor(req),
        grantedBy: actor(req),
      });
      return {
        newlyCompleted: r.newlyCompleted,
        entryId: r.entryId,
        amount: amount(r.amount),
        qualification: r.qualification ? outcomeJson(r.qualification) : null,
      };
    },
  });
}
