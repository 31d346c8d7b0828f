/**
 * Admin endpoints: the campaigns one administers, review queue, member look-up, bans, vanity
 * codes, challenge completion, roles, and the audit log.
 *
 * The guard (`requireAdmin`) lets in super-admins and members holding some campaign role; each
 * handler then calls a domain function with `req.admin`, which checks the role table
 * (server/domain/roles.ts) for the campaign concerned: a `forbidden` there writes nothing but
 * an `access.denied` audit row. Routes that had no campaign take `campaign` (a slug; default:
 * the current campaign). Every endpoint writes an audit row (who, what, campaign, before and
 * after for changes): the decisions and changes in their domain transaction, the reads
 * through `auditAdminRead`.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { referralOf } from "../../domain/attribution.ts";
import { auditAdminRead } from "../../domain/audit.ts";
import { listAudit } from "../../domain/auditQuery.ts";
import { revokeChallenge } from "../../domain/challengeRevocation.ts";
import { completeChallenge } from "../../domain/challenges.ts";
import type { DomainContext } from "../../domain/context.ts";
import {
  banMember,
  findMember,
  memberCodes,
  requireMember,
  setVanityCode,
  unbanMember,
} from "../../domain/members.ts";
import type { Campaign } from "../../domain/registry.ts";
import { approveReview, rejectReview, reviewQueue } from "../../domain/review.ts";
import {
  ADMIN_ACTIONS,
  type AdminPrincipal,
  authorize,
  CAMPAIGN_ROLES,
  can,
  grantRole,
  listRoleHolders,
  memberTakesPart,
  revokeRole,
} from "../../domain/roles.ts";
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

const slug = z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug");
const roleHolder = z.object({
  memberId: z.number().int(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  roles: z.array(z.enum(CAMPAIGN_ROLES)),
});

const auditItem = z.object({
  id: z.number().int(),
  at: iso,
  actor: z.string().describe("`member:<number>`, `api-token`, `system` or `partner:<name>`"),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  campaign: z.string().nullable().describe("Campaign slug; null for what spans campaigns"),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** Who is acting: set by the admin guard on every admin route. */
function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

/** A member and one of their campaign's challenges (complete, revoke). */
const memberChallengeParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  challengeId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/),
});

export function adminRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;

  /** A campaign by slug, else the current one (`campaign_not_found` when there is none). */
  const campaignOf = (given: string | undefined): Campaign =>
    domain.campaigns.resolve(given, domain.now());

  /** The member as `campaign`'s admins see them: its stats, and their referral only if in it. */
  const memberJson = async (
    id: number,
    campaign: Campaign | undefined,
  ): Promise<z.input<typeof adminMember>> => {
    const m = await requireMember(domain.db, id);
    const [codes, referral] = await Promise.all([
      memberCodes(domain.db, id),
      campaign ? referralOf(domain.db, id, campaign.id) : undefined,
    ]);
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
    description:
      "One campaign's queue (`review.read` there), or without `campaign` every campaign's the caller may review.",
    query: z.object({
      status: z.enum(["open", "approved", "rejected"]).optional().describe("Default: open"),
      campaign: slug.optional().describe("Only this campaign's items"),
      limit: queryInt(1, 100).optional(),
      before: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
    }),
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "A page of review items",
      schema: pageSchema(reviewItem),
    },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 50;
      const items = await reviewQueue(domain, admin(req), {
        status: query.status ?? "open",
        limit,
        before: query.before,
        campaignId: query.campaign === undefined ? undefined : campaignOf(query.campaign).id,
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
    problems: ["review_not_found", "review_closed", "member_banned", "forbidden"],
    response: {
      status: 200,
      description: "The payout outcome",
      schema: qualificationOutcomeSchema,
    },
    handler: async ({ req, params, body }) =>
      outcomeJson(await approveReview(domain, params.id, admin(req), body.reason)),
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
    problems: ["review_not_found", "review_closed", "forbidden"],
    response: { status: 200, description: "The rejection", schema: qualificationOutcomeSchema },
    handler: async ({ req, params, body }) =>
      outcomeJson(await rejectReview(domain, params.id, admin(req), body.reason)),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/members",
    operationId: "findMember",
    summary: "Look a member up by member number, Telegram id, username or referral code",
    description:
      "Within a campaign (`member.read` there): its stats and referral. A campaign's admins find only the members taking part in it (referred, referring or rewarded there); super-admins find anyone.",
    tags: ["admin"],
    auth: "admin",
    query: z
      .object({
        id: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
        telegramId: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
        username: z.string().min(1).max(65).optional(),
        code: z.string().min(1).max(64).optional(),
        campaign: slug.optional().describe("Campaign slug (default: the current campaign)"),
      })
      .refine(
        (q) => [q.id, q.telegramId, q.username, q.code].some((v) => v !== undefined),
        "give id, telegramId, username or code",
      ),
    problems: ["member_not_found", "forbidden", "campaign_not_found"],
    response: { status: 200, description: "The member", schema: adminMember },
    handler: async ({ req, query }) => {
      const by = admin(req);
      const { campaign: given, ...keys } = query;
      const campaign = campaignOf(given);
      await authorize(domain, by, "member.read", campaign.id);
      const found = await findMember(domain.db, keys);
      // A campaign's admins see nothing of members who are not in it.
      const outside =
        found !== undefined &&
        !by.superAdmin &&
        !(await memberTakesPart(domain.db, found.id, campaign.id));
      const m = outside ? undefined : found;
      // Who looked up whom: the answer carries personal data (Telegram id, names).
      await auditAdminRead(domain, {
        actor: by.actor,
        action: "member.looked_up",
        subjectType: "member",
        subjectId: found?.id ?? "none",
        campaignId: campaign.id,
        details: {
          by: Object.keys(keys).filter((k) => keys[k as keyof typeof keys] !== undefined),
          found: m !== undefined,
          ...(outside ? { outsideCampaign: true } : {}),
        },
      });
      if (!m) throw new ProblemError("member_not_found", "no member matches");
      return memberJson(m.id, campaign);
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/ban",
    operationId: "banMember",
    summary: "Ban a member: codes stop attributing, unsent grants to them are rejected",
    description: "A ban holds in every campaign: super-admins only.",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason }),
    problems: ["member_not_found", "forbidden"],
    response: {
      status: 200,
      description: "The member after the ban",
      schema: z.object({ member: adminMember, rejectedGrants: z.number().int() }),
    },
    handler: async ({ req, params, body }) => {
      const { rejectedGrants } = await banMember(domain, params.id, body.reason, admin(req));
      return {
        member: await memberJson(params.id, domain.campaigns.current(domain.now())),
        rejectedGrants,
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/unban",
    operationId: "unbanMember",
    summary: "Lift a ban",
    description: "Super-admins only, like the ban.",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ reason }),
    problems: ["member_not_found", "forbidden"],
    response: { status: 200, description: "The member", schema: adminMember },
    handler: async ({ req, params, body }) => {
      await unbanMember(domain, params.id, body.reason, admin(req));
      return memberJson(params.id, domain.campaigns.current(domain.now()));
    },
  });

  table.add(router, {
    method: "put",
    path: "/api/admin/members/:id/code",
    operationId: "setVanityCode",
    summary: "Assign a vanity referral code (old codes keep working)",
    description: "A member's code works in every campaign: super-admins only.",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    body: z.object({ code: z.string().min(3).max(32) }),
    problems: ["member_not_found", "invalid_code", "code_taken", "forbidden"],
    response: { status: 200, description: "The code", schema: z.object({ code: z.string() }) },
    handler: async ({ req, params, body }) => ({
      code: await setVanityCode(domain, params.id, body.code, admin(req)),
    }),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/challenges/:challengeId",
    operationId: "completeChallenge",
    summary:
      "Mark a challenge completed for a member (grants its reward once; may qualify their referral)",
    description: "Needs `member.reward` (owners, managers) in the campaign.",
    tags: ["admin"],
    auth: "admin",
    params: memberChallengeParams,
    body: z.object({
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
    }),
    problems: [
      "member_not_found",
      "member_banned",
      "challenge_unknown",
      "campaign_not_found",
      "forbidden",
    ],
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
        source: admin(req).actor,
        grantedBy: admin(req),
      });
      return {
        newlyCompleted: r.newlyCompleted,
        entryId: r.entryId,
        amount: amount(r.amount),
        qualification: r.qualification ? outcomeJson(r.qualification) : null,
      };
    },
  });
  table.add(router, {
    method: "post",
    path: "/api/admin/members/:id/challenges/:challengeId/revoke",
    operationId: "revokeChallenge",
    summary: "Take a member's completed challenge back (its reward cancelled, or owed back)",
    description:
      "Needs `member.reward` (owners, managers) in the campaign; audited with before and after. A reward not sent yet is cancelled (back to the budget); one already sent or on-chain is recorded as a clawback debt (`outcome: clawback`), closed if the member completes the challenge again. The member is told.",
    tags: ["admin"],
    auth: "admin",
    params: memberChallengeParams,
    body: z.object({
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
      note: z.string().trim().min(1).max(500).optional().describe("Why (audited)"),
    }),
    problems: ["challenge_unknown", "challenge_not_completed", "campaign_not_found", "forbidden"],
    response: {
      status: 200,
      description: "What the revocation did",
      schema: z.object({
        outcome: z
          .enum(["cancelled", "clawback", "unpaid"])
          .describe(
            "`cancelled`: the reward had not left; `clawback`: it had, and is owed back; `unpaid`: the completion paid nothing",
          ),
        entryId: z.number().int().nullable(),
        token: z.string().nullable(),
        amount: z.object({ wei: z.string(), tokens: z.string() }),
      }),
    },
    handler: async ({ req, params, body }) => {
      const r = await revokeChallenge(domain, {
        memberId: params.id,
        challengeId: params.challengeId,
        campaign: body.campaign,
        reason: "admin",
        note: body.note,
        revokedBy: admin(req),
      });
      return {
        outcome: r.outcome ?? "unpaid",
        entryId: r.entryId,
        token: r.token,
        amount: amount(r.amount),
      };
    },
  });
  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns",
    operationId: "listAdminCampaigns",
    summary: "The campaigns the caller administers, with their roles and what they may do there",
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
            roles: z.array(z.enum(CAMPAIGN_ROLES)),
            actions: z.array(z.enum(ADMIN_ACTIONS)),
          }),
        ),
      }),
    },
    handler: ({ req }) => {
      const by = admin(req);
      return {
        superAdmin: by.superAdmin,
        items: domain.campaigns
          .all()
          .filter((c) => can(by, "campaign.view", c.id))
          .map((c) => ({
            slug: c.slug,
            roles: CAMPAIGN_ROLES.filter((r) => by.roles.get(c.id)?.has(r)),
            actions: ADMIN_ACTIONS.filter((a) => can(by, a, c.id)),
          })),
      };
    },
  });

  const roleParams = z.object({ campaign: slug });
  const roleChangeParams = z.object({
    campaign: slug,
    memberId: z
      .string()
      .regex(/^\d{1,15}$/, "expected a member number")
      .transform(Number),
    role: z.enum(CAMPAIGN_ROLES),
  });
  const roleChange = z.object({
    campaign: z.string(),
    memberId: z.number().int(),
    roles: z.array(z.enum(CAMPAIGN_ROLES)).describe("The member's roles in the campaign now"),
    changed: z.boolean().describe("False when the request changed nothing"),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:campaign/roles",
    operationId: "listRoles",
    summary: "Who holds which role in a campaign (owners and super-admins)",
    tags: ["admin"],
    auth: "admin",
    params: roleParams,
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "The role holders, by member number",
      schema: z.object({ campaign: z.string(), items: z.array(roleHolder) }),
    },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.campaign);
      return {
        campaign: campaign.slug,
        items: await listRoleHolders(domain, admin(req), campaign.id),
      };
    },
  });

  table.add(router, {
    method: "put",
    path: "/api/admin/campaigns/:campaign/roles/:memberId/:role",
    operationId: "grantRole",
    summary: "Give a member a role in a campaign (owners and super-admins); audited",
    description:
      "Idempotent: granting a role the member holds changes and audits nothing. The member must exist (have opened the bot or the dashboard once).",
    tags: ["admin"],
    auth: "admin",
    params: roleChangeParams,
    problems: ["forbidden", "campaign_not_found", "member_not_found"],
    response: { status: 200, description: "The member's roles now", schema: roleChange },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.campaign);
      const r = await grantRole(domain, admin(req), {
        campaignId: campaign.id,
        memberId: params.memberId,
        role: params.role,
      });
      return { campaign: campaign.slug, memberId: params.memberId, ...r };
    },
  });

  table.add(router, {
    method: "delete",
    path: "/api/admin/campaigns/:campaign/roles/:memberId/:role",
    operationId: "revokeRole",
    summary: "Take a role back (owners and super-admins); audited",
    description: "Idempotent: revoking a role the member does not hold changes nothing.",
    tags: ["admin"],
    auth: "admin",
    params: roleChangeParams,
    problems: ["forbidden", "campaign_not_found", "member_not_found"],
    response: { status: 200, description: "The member's roles now", schema: roleChange },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.campaign);
      const r = await revokeRole(domain, admin(req), {
        campaignId: campaign.id,
        memberId: params.memberId,
        role: params.role,
      });
      return { campaign: campaign.slug, memberId: params.memberId, ...r };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/audit",
    operationId: "listAudit",
    summary: "The audit log: who did what, where, before and after; newest first",
    description:
      "Needs `audit.read` (owners) in the campaign asked for; without `campaign`, the rows of every campaign the caller may read (super-admins: all rows, including those of no campaign such as bans). `from` is inclusive, `to` exclusive. Read-only: the application has no way to change or delete a row (the database refuses it). The read is itself audited.",
    tags: ["admin"],
    auth: "admin",
    query: z.object({
      campaign: slug.optional(),
      actor: z
        .string()
        .regex(/^[a-z-]+(:[\w.-]{1,64})?$/, "e.g. member:12, api-token, system")
        .optional(),
      action: z
        .string()
        .regex(/^[a-z_.]{1,64}$/, "e.g. review.approved")
        .optional(),
      subjectType: z
        .string()
        .regex(/^[a-z_]{1,32}$/)
        .optional(),
      subjectId: z.string().min(1).max(64).optional(),
      from: iso.optional().describe("ISO 8601 date-time, inclusive"),
      to: iso.optional().describe("ISO 8601 date-time, exclusive"),
      limit: queryInt(1, 200).optional().describe("Page size (1–200, default 50)"),
      before: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
    }),
    problems: ["forbidden", "campaign_not_found"],
    response: { status: 200, description: "A page of audit rows", schema: pageSchema(auditItem) },
    handler: async ({ req, query }) => {
      const limit = query.limit ?? 50;
      const rows = await listAudit(domain, admin(req), {
        campaignId: query.campaign === undefined ? undefined : campaignOf(query.campaign).id,
        actor: query.actor,
        action: query.action,
        subjectType: query.subjectType,
        subjectId: query.subjectId,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        before: query.before,
        limit,
      });
      return page(
        rows.map((r) => ({
          id: r.id,
          at: r.createdAt.toISOString(),
          actor: r.actor,
          action: r.action,
          subjectType: r.subjectType,
          subjectId: r.subjectId,
          campaign:
            r.campaignId === null
              ? null
              : (domain.campaigns.byId(r.campaignId)?.slug ?? String(r.campaignId)),
          before: r.before,
          after: r.after,
          details: r.details,
        })),
        limit,
      );
    },
  });
}
