/**
 * The host API: a bot that already exists (the grammY plugin, plugin/) reaches one campaign
 * with one of its API keys (`Authorization: Bearer rmk_…`), and the admin endpoints that
 * manage those keys.
 *
 * Host endpoints (`/api/host/campaigns/{slug}/…`; the key must be the campaign's, else 403):
 * - `POST …/starts`: the host's `/start <payload>` for a Telegram user (attribution).
 * - `POST …/members`: the member's status, creating the member on first sight (`/invite`).
 * - `GET …/members/{telegramUserId}`: the status of a member Refmint knows; writes nothing.
 * - `POST …/actions`: a qualifying action (idempotent by `eventId`).
 *
 * The host API is not under the per-IP limit (one busy host bot calls from one address);
 * each key has its own per-minute window (`RATE_LIMIT_HOST_KEY_PER_MINUTE`), and requests
 * with a missing, unknown or revoked key count against the per-IP window of the rest of the
 * API. Every refusal (401, 403, 400, 429) is decided before anything is written.
 *
 * Admin (`apikey.manage`: owners and super-admins; audited):
 * `POST|GET /api/admin/campaigns/{slug}/api-keys`, `DELETE …/api-keys/{id}`.
 */
import type { Request, RequestHandler, Router } from "express";
import { z } from "zod";
import { normalizeCode } from "../../domain/codes.ts";
import type { DomainContext } from "../../domain/context.ts";
import { REFUSALS as ELIGIBILITY_REFUSALS, MISSING } from "../../domain/eligibility.ts";
import {
  type HostMemberStatus,
  hostCampaign,
  hostEnsureStatus,
  hostReadStatus,
  hostReportAction,
  hostStart,
  hostStartCode,
} from "../../domain/hostApi.ts";
import {
  createHostKey,
  type HostKeyGrant,
  type HostKeyView,
  listHostKeys,
  PARTNER_RE,
  resolveHostKey,
  revokeHostKey,
} from "../../domain/hostKeys.ts";
import type { Campaign } from "../../domain/registry.ts";
import type { AdminPrincipal } from "../../domain/roles.ts";
import { ProblemError } from "../problem.ts";
import type { WindowCounter } from "../rate-limit.ts";
import type { RouteTable } from "../route.ts";
import {
  amount,
  amountSchema,
  entryStateSchema,
  iso,
  isoOrNull,
  levelStatsSchema,
  localizedSchema,
  qualificationOutcomeSchema,
} from "../schemas.ts";
import { outcomeJson } from "./shared.ts";

declare module "express-serve-static-core" {
  interface Request {
    /** Set by the host API's guard: the campaign and partner the request's key acts for. */
    hostKey?: HostKeyGrant;
  }
}

/**
 * The host API's guard: a valid key of some campaign (`api_key_invalid` otherwise), then the
 * key's per-minute window. Failed attempts count against the caller's per-IP window.
 */
export function hostKeyGuard(
  domain: Pick<DomainContext, "db">,
  limits: { perKey: WindowCounter; perIp: WindowCounter },
): RequestHandler {
  const limited = (wait: number, scope: string) =>
    new ProblemError(
      "rate_limited",
      `too many requests per ${scope}; retry in ${wait}s`,
      { retryAfter: wait, scope },
      { "Retry-After": String(wait) },
    );
  return async (req, _res, next) => {
    try {
      const header = req.headers.authorization;
      const key = header !== undefined && /^bearer\s/i.test(header) ? header.slice(7).trim() : "";
      const grant = key === "" ? undefined : await resolveHostKey(domain.db, key);
      if (!grant) {
        const wait = limits.perIp.hit(req.ip ?? "unknown");
        if (wait > 0) throw limited(wait, "IP");
        throw key === ""
          ? new ProblemError("auth_required", "send Authorization: Bearer <API key>")
          : new ProblemError("api_key_invalid");
      }
      const wait = limits.perKey.hit(`k${grant.keyId}`);
      if (wait > 0) throw limited(wait, "API key");
      req.hostKey = grant;
      next();
    } catch (error) {
      next(error);
    }
  };
}

const slug = z.string().regex(/^[a-z0-9-]{2,48}$/);
const campaignParams = z.object({ slug });
const telegramId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const telegramUser = z
  .object({
    id: telegramId,
    username: z.string().max(64).optional(),
    firstName: z.string().max(256).optional(),
    lastName: z.string().max(256).optional(),
    languageCode: z.string().max(35).optional(),
    isPremium: z.boolean().optional(),
    isBot: z.literal(false).optional().describe("Bots cannot be members"),
  })
  .describe("The Telegram user as the host's update names them (`ctx.from`)");

const botQuery = z.object({
  bot: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "a bot username, without @")
    .optional()
    .describe("The host bot's username: the answer then carries `link` to share"),
});

const startBody = z.object({
  user: telegramUser,
  payload: z
    .string()
    .min(1)
    .max(64)
    .describe("What followed `/start`: a code, or `<code>__<campaign slug>`"),
});

const startResult = z.object({
  outcome: z.enum(["attributed", "refused"]),
  reason: z
    .string()
    .optional()
    .describe(
      "Why not: `unknown_code`, `self_referral`, `already_attributed`, `not_new_member`, …",
    ),
  referralId: z.number().int().optional(),
  inviter: z.string().nullable().optional().describe("The inviter's first name or username"),
  memberCreated: z.boolean().describe("Refmint saw this Telegram user for the first time"),
  replayed: z.boolean().describe("The same attribution was recorded before; nothing new written"),
  qualification: qualificationOutcomeSchema.optional(),
});

const tierSchema = z.object({
  id: z.string(),
  name: localizedSchema,
  minQualified: z.number().int(),
  multiplierBps: z.number().int(),
});

const statusSchema = z.object({
  campaign: z.object({ slug: z.string(), name: localizedSchema, active: z.boolean() }),
  member: z.object({
    id: z.number().int().describe("Public member number"),
    code: z.string(),
    startPayload: z.string().describe("What the host's `/start` link carries"),
    link: z.string().nullable().describe("`https://t.me/<bot>?start=<startPayload>` with `bot`"),
    clicks: z.number().int(),
    starts: z.number().int(),
    banned: z.boolean(),
    walletLinked: z.boolean(),
  }),
  referredBy: z
    .object({
      referralId: z.number().int(),
      status: z.enum(["pending", "review", "qualified", "rejected"]),
    })
    .nullable(),
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
  eligibility: z
    .object({
      ok: z.boolean(),
      refused: z.enum(ELIGIBILITY_REFUSALS).optional(),
      missing: z.array(z.enum(MISSING)).optional(),
    })
    .describe(
      "What the campaign still needs from the member before rewards (accepted terms, …), or why they cannot take part",
    ),
});

const actionBody = z.object({
  eventId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:-]+$/, "letters, digits, _ . : -")
    .describe("The host's id of the action: the same id is processed once"),
  type: z
    .string()
    .regex(/^[a-z0-9_.-]{1,64}$/)
    .describe("The event type, e.g. `purchase` (the campaign's `qualification.eventType`)"),
  telegramUserId: telegramId,
});

const actionResult = z.object({
  eventId: z.string(),
  outcome: z.enum(["qualified", "review", "rejected", "ignored"]),
  reason: z.string().optional(),
  referralId: z.number().int().optional(),
  challenges: z.array(z.string()).optional(),
  replayed: z.boolean(),
});

const keySchema = z.object({
  id: z.number().int(),
  campaign: z.string(),
  name: z.string(),
  partner: z.string().describe("Reported actions count as `partner_event`s of this partner"),
  prefix: z.string().describe("The key's first characters"),
  createdBy: z.string(),
  createdAt: iso,
  revokedAt: iso.nullable(),
  revokedBy: z.string().nullable(),
});

function grantOf(req: Request): HostKeyGrant {
  if (!req.hostKey) throw new ProblemError("auth_required");
  return req.hostKey;
}

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

const userInput = (u: z.output<typeof telegramUser>) => ({
  id: u.id,
  username: u.username,
  firstName: u.firstName,
  lastName: u.lastName,
  languageCode: u.languageCode,
  isPremium: u.isPremium,
});

function statusJson(s: HostMemberStatus, bot: string | undefined): z.input<typeof statusSchema> {
  const { campaign, member, stats } = s;
  const tierJson = (t: { id: string; minQualified: number; multiplierBps: number }) => ({
    id: t.id,
    name: campaign.definition.tiers.find((d) => d.id === t.id)?.name ?? { en: t.id, ru: t.id },
    minQualified: t.minQualified,
    multiplierBps: t.multiplierBps,
  });
  return {
    campaign: { slug: campaign.slug, name: campaign.definition.name, active: s.active },
    member: {
      id: member.id,
      code: member.code,
      startPayload: s.startPayload,
      link:
        bot === undefined
          ? null
          : `https://t.me/${bot}?start=${encodeURIComponent(s.startPayload)}`,
      clicks: member.clicks,
      starts: member.starts,
      banned: member.bannedAt !== null,
      walletLinked: member.wallet !== null,
    },
    referredBy: s.referredBy,
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
          Object.entries(r.byState).map(([k, v]) => [k, amount(v ?? 0n, decimals)]),
        ),
      };
    }),
    eligibility: s.eligibility,
  };
}

const keyJson = (campaign: Campaign, k: HostKeyView): z.input<typeof keySchema> => ({
  id: k.id,
  campaign: campaign.slug,
  name: k.name,
  partner: k.partner,
  prefix: k.prefix,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  revokedAt: isoOrNull(k.revokedAt),
  revokedBy: k.revokedBy,
});

export function hostRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;
  const HOST_PROBLEMS = ["api_key_invalid", "forbidden", "auth_required"] as const;

  table.add(router, {
    method: "post",
    path: "/api/host/campaigns/:slug/starts",
    operationId: "hostStart",
    summary: "A host bot's `/start <payload>`: attribute the Telegram user in the key's campaign",
    description:
      "Creates the member on first sight and attributes them through the same path as Refmint's own bot (first valid start wins, never re-attributed, no self-referral or loops). A refusal is an answer (`outcome: refused` with the reason), not an error. The same start again (a redelivered update) answers `attributed` with `replayed: true` and writes nothing. A payload that cannot be a code (`invalid_code`) or names another campaign (`forbidden`) writes nothing.",
    tags: ["host"],
    auth: "host",
    params: campaignParams,
    body: startBody,
    problems: [...HOST_PROBLEMS, "invalid_code"],
    response: { status: 200, description: "The attribution's outcome", schema: startResult },
    handler: async ({ req, params, body }) => {
      const campaign = hostCampaign(domain, grantOf(req), params.slug);
      const code = hostStartCode(domain, campaign, body.payload);
      if (normalizeCode(code) === null)
        throw new ProblemError("invalid_code", "the payload is not a referral code");
      const r = await hostStart(domain, campaign, { user: userInput(body.user), code });
      return { ...r, qualification: r.qualification ? outcomeJson(r.qualification) : undefined };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/host/campaigns/:slug/members",
    operationId: "hostEnsureMember",
    summary: "A member's status in the key's campaign, creating the member on first sight",
    description:
      "For the host's `/invite` and `/stats`: the member's code and start payload (and, with `bot`, the link to share), clicks and starts, referrals per level, tier, rewards, and what the campaign still needs from them.",
    tags: ["host"],
    auth: "host",
    params: campaignParams,
    query: botQuery,
    body: z.object({ user: telegramUser }),
    problems: [...HOST_PROBLEMS],
    response: { status: 200, description: "The member's status", schema: statusSchema },
    handler: async ({ req, params, query, body }) => {
      const campaign = hostCampaign(domain, grantOf(req), params.slug);
      return statusJson(await hostEnsureStatus(domain, campaign, userInput(body.user)), query.bot);
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/host/campaigns/:slug/members/:telegramUserId",
    operationId: "hostMemberStatus",
    summary: "The status of a member Refmint knows, by Telegram user id (writes nothing)",
    tags: ["host"],
    auth: "host",
    params: campaignParams.extend({
      telegramUserId: z
        .string()
        .regex(/^\d{1,16}$/, "a Telegram user id")
        .transform(Number)
        .pipe(telegramId),
    }),
    query: botQuery,
    problems: [...HOST_PROBLEMS, "member_not_found"],
    response: { status: 200, description: "The member's status", schema: statusSchema },
    handler: async ({ req, params, query }) => {
      const campaign = hostCampaign(domain, grantOf(req), params.slug);
      return statusJson(await hostReadStatus(domain, campaign, params.telegramUserId), query.bot);
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/host/campaigns/:slug/actions",
    operationId: "hostReportAction",
    summary: "Report a qualifying action of a member (e.g. a purchase in the host's bot)",
    description:
      "Counts as a `partner_event` of the key's partner with `type` as its event type, in the key's campaign only: a pending referral of the member there qualifies when the campaign's rule asks for it (fraud checks and rewards as for every qualification), and the campaign's challenges that detect it complete. Idempotent by `eventId` per campaign: a replay returns the original result with `replayed: true`; the same id with another `type` or member is `host_event_conflict`.",
    tags: ["host"],
    auth: "host",
    params: campaignParams,
    body: actionBody,
    problems: [...HOST_PROBLEMS, "host_event_conflict"],
    response: { status: 200, description: "The processing result", schema: actionResult },
    handler: async ({ req, params, body }) => {
      const grant = grantOf(req);
      const campaign = hostCampaign(domain, grant, params.slug);
      const { result, replayed } = await hostReportAction(domain, grant, campaign, body);
      return { ...result, replayed } as z.input<typeof actionResult>;
    },
  });

  // ---- Admin: the campaign's keys --------------------------------------------------------

  const keyParams = z.object({
    slug,
    id: z
      .string()
      .regex(/^\d{1,9}$/, "a key number")
      .transform(Number),
  });
  const campaignOf = (s: string) => {
    const c = domain.campaigns.bySlug(s);
    if (!c) throw new ProblemError("campaign_not_found", `no campaign ${s}`);
    return c;
  };

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/api-keys",
    operationId: "createApiKey",
    summary: "Create a host API key for the campaign (owners); the key is shown only here",
    description:
      "Needs `apikey.manage` (owners, super-admins); audited (`api_key.created`, without the key). Only the key's SHA-256 is stored. `partner` (default: the campaign's `qualification.partner`, else `host`) is who the key's reported actions count as.",
    tags: ["admin", "host"],
    auth: "admin",
    params: campaignParams,
    body: z.object({
      name: z.string().trim().min(1).max(64),
      partner: z.string().regex(PARTNER_RE, "1–64 of a-z 0-9 _ -").optional(),
    }),
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 201,
      description: "The key (only now) and its record",
      schema: keySchema.extend({ key: z.string().describe("The API key: store it now") }),
    },
    handler: async ({ req, params, body }) => {
      const campaign = campaignOf(params.slug);
      const { key, view } = await createHostKey(domain, admin(req), {
        campaign,
        name: body.name,
        partner: body.partner,
      });
      return { ...keyJson(campaign, view), key };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/api-keys",
    operationId: "listApiKeys",
    summary: "The campaign's host API keys, revoked ones too (owners); audited",
    tags: ["admin", "host"],
    auth: "admin",
    params: campaignParams,
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "The keys, oldest first (never the keys themselves)",
      schema: z.object({ items: z.array(keySchema) }),
    },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.slug);
      const keys = await listHostKeys(domain, admin(req), campaign);
      return { items: keys.map((k) => keyJson(campaign, k)) };
    },
  });

  table.add(router, {
    method: "delete",
    path: "/api/admin/campaigns/:slug/api-keys/:id",
    operationId: "revokeApiKey",
    summary: "Revoke a host API key of the campaign (owners); audited",
    description:
      "The key stops working at once (in other API processes within `DATABASE_READ_CACHE_MS`). Revoking a revoked key changes nothing (`changed: false`).",
    tags: ["admin", "host"],
    auth: "admin",
    params: keyParams,
    problems: ["forbidden", "campaign_not_found", "not_found"],
    response: {
      status: 200,
      description: "The key's record",
      schema: keySchema.extend({ changed: z.boolean() }),
    },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.slug);
      const { view, changed } = await revokeHostKey(domain, admin(req), {
        campaign,
        keyId: params.id,
      });
      return { ...keyJson(campaign, view), changed };
    },
  });
}
