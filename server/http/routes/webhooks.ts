/**
 * Outbound webhooks and partners over HTTP (issue 16).
 *
 * Admins (`webhook.manage` / `partner.manage` in the campaign: owners; audited by the domain):
 * - `POST|GET /api/admin/campaigns/<slug>/webhooks`, `DELETE …/webhooks/<id>`: subscriptions
 *   (the secret is in the creation answer only);
 * - `GET …/webhooks/deliveries`: the delivery log; `POST …/webhooks/deliveries/<id>/replay`;
 * - `POST|GET …/partner/keys`, `DELETE …/partner/keys/<id>`: the partner's API keys.
 *
 * Partners (`Authorization: Bearer rmk_…`, a key opens one campaign):
 * - `GET /api/partner/campaign`: the campaign and its co-branding;
 * - `GET /api/partner/analytics/overview`: its analytics overview (no usernames);
 * - `POST|GET /api/partner/webhooks`, `DELETE /api/partner/webhooks/<id>`: its own subscriptions.
 *
 * Both audiences create and list endpoints through {@link endpointRoutes}, with the same SSRF
 * guard (server/domain/webhookReceivers.ts: receivers must be public addresses).
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { analyticsOverview, dayRange } from "../../domain/analytics/queries.ts";
import type { DomainContext } from "../../domain/context.ts";
import {
  campaignPartner,
  issuePartnerKey,
  listPartnerKeys,
  type PartnerAccess,
  partnerByKey,
  partnerPrincipal,
  revokePartnerKey,
} from "../../domain/partnerKeys.ts";
import type { AdminPrincipal } from "../../domain/roles.ts";
import {
  adminDisableWebhookEndpoint,
  adminWebhookEndpoints,
  createWebhookEndpoint,
  disableWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  type NewEndpoint,
  type ReceiverPolicy,
  replayWebhookDelivery,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointView,
  webhookDeliveryLog,
} from "../../domain/webhooks.ts";
import { type ProblemCode, ProblemError } from "../problem.ts";
import { queryInt, type RouteContext, type RouteTable } from "../route.ts";
import { iso } from "../schemas.ts";
import { overviewBody, overviewSchema, rangeQuery } from "./analytics.ts";

const slugParams = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug"),
});
const idParam = queryInt(1, Number.MAX_SAFE_INTEGER);

const subscription = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().trim().max(200).optional(),
});

const endpointSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  description: z.string().nullable(),
  partner: z.string().nullable(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: iso,
});
const createdSchema = endpointSchema.extend({
  secret: z.string().describe("The HMAC-SHA256 key of its deliveries: shown this once"),
});

const endpointBody = (e: WebhookEndpointView) => ({
  id: e.id,
  url: e.url,
  events: e.events,
  description: e.description,
  partner: e.partner,
  active: e.active,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
});

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

/** The partner behind `Authorization: Bearer rmk_…` (unknown and revoked keys alike: 401). */
async function partnerOf(domain: DomainContext, req: Request): Promise<PartnerAccess> {
  const header = req.headers.authorization ?? "";
  const key = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
  const access = key ? await partnerByKey(domain.db, key) : undefined;
  if (!access) throw new ProblemError("partner_key_invalid", "unknown or revoked partner key");
  return access;
}

/**
 * Who subscribes endpoints through a path: an admin of the campaign in the path (owners, any
 * endpoint of the campaign) or a partner (its key's campaign, its own endpoints). Everything
 * else about creating and listing them is the same, including the SSRF guard.
 */
interface EndpointAudience<P extends z.ZodType | undefined> {
  path: string;
  auth: "admin" | "partner";
  params: P;
  tags: string[];
  operationIds: { create: string; list: string };
  summaries: { create: string; list: string };
  createDescription?: string;
  /** Problems both routes may answer (who is asking, which campaign). */
  problems: ProblemCode[];
  subscribe(
    req: Request,
    params: RouteContext<P, undefined, undefined>["params"],
    input: Omit<NewEndpoint, "campaignId">,
  ): Promise<{ endpoint: WebhookEndpointView; secret: string }>;
  list(
    req: Request,
    params: RouteContext<P, undefined, undefined>["params"],
  ): Promise<WebhookEndpointView[]>;
}

/** `POST` (subscribe; the secret is in this answer only) and `GET` (list) of an audience. */
function endpointRoutes<P extends z.ZodType | undefined>(
  table: RouteTable,
  router: Router,
  a: EndpointAudience<P>,
): void {
  table.add(router, {
    method: "post",
    path: a.path,
    operationId: a.operationIds.create,
    summary: a.summaries.create,
    description: a.createDescription,
    tags: a.tags,
    auth: a.auth,
    params: a.params,
    body: subscription,
    problems: [...a.problems, "webhook_invalid"],
    response: { status: 201, description: "The endpoint with its secret", schema: createdSchema },
    handler: async ({ req, params, body }) => {
      const { endpoint, secret } = await a.subscribe(req, params, {
        url: body.url,
        events: body.events,
        description: body.description ?? null,
      });
      return { ...endpointBody(endpoint), secret };
    },
  });

  table.add(router, {
    method: "get",
    path: a.path,
    operationId: a.operationIds.list,
    summary: a.summaries.list,
    tags: a.tags,
    auth: a.auth,
    params: a.params,
    problems: a.problems,
    response: {
      status: 200,
      description: "Newest first",
      schema: z.object({ items: z.array(endpointSchema) }),
    },
    handler: async ({ req, params }) => ({ items: (await a.list(req, params)).map(endpointBody) }),
  });
}

export function webhookRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext; receivers: ReceiverPolicy },
): void {
  const { domain } = deps;
  // Only the policy's two flags: the worker's whole settings object may be handed in.
  const receivers: ReceiverPolicy = {
    allowHttp: deps.receivers.allowHttp,
    allowLoopback: deps.receivers.allowLoopback,
  };
  const campaignOf = (slug: string) => domain.campaigns.resolve(slug, domain.now());
  const campaignById = (id: number) => {
    const c = domain.campaigns.byId(id);
    if (!c) throw new ProblemError("partner_key_invalid", "the key's campaign is gone");
    return c;
  };

  endpointRoutes(table, router, {
    path: "/api/admin/campaigns/:slug/webhooks",
    auth: "admin",
    params: slugParams,
    tags: ["admin", "webhooks"],
    operationIds: { create: "createWebhook", list: "listWebhooks" },
    summaries: {
      create: "Subscribe an endpoint to events of the campaign (the signing secret is shown once)",
      list: "The campaign's webhook endpoints (never their secrets)",
    },
    createDescription: `Needs \`webhook.manage\` (owners). Events: ${WEBHOOK_EVENT_TYPES.join(", ")}. The receiver must be a public address (loopback, private, link-local and other internal addresses are refused). Audited.`,
    problems: ["forbidden", "campaign_not_found"],
    subscribe: (req, params, input) =>
      createWebhookEndpoint(domain, admin(req), {
        ...input,
        ...receivers,
        campaignId: campaignOf(params.slug).id,
      }),
    list: (req, params) => adminWebhookEndpoints(domain, admin(req), campaignOf(params.slug).id),
  });

  table.add(router, {
    method: "delete",
    path: "/api/admin/campaigns/:slug/webhooks/:id",
    operationId: "disableWebhook",
    summary: "Disable an endpoint: nothing more is queued for it; its pending deliveries fail",
    tags: ["admin", "webhooks"],
    auth: "admin",
    params: slugParams.extend({ id: idParam }),
    problems: ["forbidden", "campaign_not_found", "not_found"],
    response: {
      status: 200,
      description: "`disabled: false` when it already was",
      schema: z.object({ disabled: z.boolean() }),
    },
    handler: async ({ req, params }) =>
      adminDisableWebhookEndpoint(domain, admin(req), campaignOf(params.slug).id, params.id),
  });

  const attemptSchema = z.object({
    attempt: z.number().int(),
    replay: z.boolean(),
    at: iso,
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    ok: z.boolean(),
    error: z.string().nullable(),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/webhooks/deliveries",
    operationId: "webhookDeliveries",
    summary: "The delivery log: each delivery with its attempts (status, response code, latency)",
    tags: ["admin", "webhooks"],
    auth: "admin",
    params: slugParams,
    query: z.object({
      endpoint: queryInt(1, 2 ** 31 - 1).optional(),
      status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
      eventId: z.string().max(300).optional(),
      before: queryInt(1, Number.MAX_SAFE_INTEGER).optional().describe("Deliveries below this id"),
      limit: queryInt(1, 500).optional().describe("Default 100"),
    }),
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "Newest first",
      schema: z.object({
        items: z.array(
          z.object({
            deliveryId: z.number().int(),
            endpointId: z.number().int(),
            eventId: z.string(),
            type: z.enum(WEBHOOK_EVENT_TYPES),
            status: z.enum(WEBHOOK_DELIVERY_STATUSES),
            attempts: z.number().int(),
            nextAttemptAt: iso.nullable(),
            lastStatusCode: z.number().int().nullable(),
            lastError: z.string().nullable(),
            deliveredAt: iso.nullable(),
            createdAt: iso,
            log: z.array(attemptSchema),
          }),
        ),
      }),
    },
    handler: async ({ req, params, query }) => {
      const campaign = campaignOf(params.slug);
      const items = await webhookDeliveryLog(domain, admin(req), campaign.id, {
        endpointId: query.endpoint,
        status: query.status,
        eventId: query.eventId,
        before: query.before,
        limit: query.limit ?? 100,
      });
      return {
        items: items.map((d) => ({
          ...d,
          nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
          createdAt: d.createdAt.toISOString(),
          log: d.log.map((a) => ({ ...a, at: a.at.toISOString() })),
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/webhooks/deliveries/:id/replay",
    operationId: "replayWebhookDelivery",
    summary: "Send a delivery again (same event id and body; a new round of retries)",
    tags: ["admin", "webhooks"],
    auth: "admin",
    params: slugParams.extend({ id: idParam }),
    problems: ["forbidden", "campaign_not_found", "not_found"],
    response: {
      status: 202,
      description: "Queued: the worker sends it on its next pass",
      schema: z.object({ deliveryId: z.number().int(), eventId: z.string() }),
    },
    handler: async ({ req, params }) => {
      const out = await replayWebhookDelivery(
        domain,
        admin(req),
        campaignOf(params.slug).id,
        params.id,
      );
      return out;
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/partner/keys",
    operationId: "issuePartnerKey",
    summary: "Issue an API key for the campaign's partner (shown once)",
    description:
      "Needs `partner.manage` (owners); the campaign file must name a `partner`. Audited.",
    tags: ["admin", "partners"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "campaign_not_found", "not_found"],
    response: {
      status: 201,
      description: "The key: shown this once",
      schema: z.object({
        id: z.number().int(),
        partner: z.string(),
        key: z.string(),
        prefix: z.string(),
      }),
    },
    handler: async ({ req, params }) => {
      const out = await issuePartnerKey(domain, admin(req), campaignOf(params.slug));
      return out;
    },
  });

  table.add(router, {
    method: "delete",
    path: "/api/admin/campaigns/:slug/partner/keys/:id",
    operationId: "revokePartnerKey",
    summary: "Revoke a partner API key",
    tags: ["admin", "partners"],
    auth: "admin",
    params: slugParams.extend({ id: idParam }),
    problems: ["forbidden", "campaign_not_found", "not_found"],
    response: {
      status: 200,
      description: "`revoked: false` when it already was",
      schema: z.object({ revoked: z.boolean() }),
    },
    handler: async ({ req, params }) =>
      revokePartnerKey(domain, admin(req), campaignOf(params.slug).id, params.id),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/partner/keys",
    operationId: "listPartnerKeys",
    summary:
      "The campaign's partner and the API keys issued to it, revoked ones too (never the keys)",
    description:
      "Needs `partner.manage` (owners); `partner` is null when the campaign file names none (no key can be issued then). Audited (`partner.key_listed`).",
    tags: ["admin", "partners"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "Newest first",
      schema: z.object({
        partner: z.object({ name: z.string(), logoUrl: z.string().nullable() }).nullable(),
        items: z.array(
          z.object({
            id: z.number().int(),
            partner: z.string(),
            prefix: z.string().describe("The key's first characters"),
            createdBy: z.string(),
            createdAt: iso,
            revokedAt: iso.nullable(),
          }),
        ),
      }),
    },
    handler: async ({ req, params }) => {
      const { partner, keys } = await listPartnerKeys(domain, admin(req), campaignOf(params.slug));
      return {
        partner,
        items: keys.map((k) => ({
          ...k,
          createdAt: k.createdAt.toISOString(),
          revokedAt: k.revokedAt?.toISOString() ?? null,
        })),
      };
    },
  });

  // ---- the partner's own API ----

  table.add(router, {
    method: "get",
    path: "/api/partner/campaign",
    operationId: "partnerCampaign",
    summary: "The partner's campaign and its co-branding",
    tags: ["partner"],
    auth: "partner",
    problems: ["partner_key_invalid"],
    response: {
      status: 200,
      description: "The campaign",
      schema: z.object({
        campaign: z.string(),
        name: z.object({ en: z.string(), ru: z.string() }),
        partner: z.object({ name: z.string(), logoUrl: z.string().nullable() }),
      }),
    },
    handler: async ({ req }) => {
      const access = await partnerOf(domain, req);
      const campaign = campaignById(access.campaignId);
      return {
        campaign: campaign.slug,
        name: campaign.definition.name,
        partner: campaignPartner(campaign),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/partner/analytics/overview",
    operationId: "partnerAnalyticsOverview",
    summary: "The partner campaign's analytics overview (the admin Overview, without usernames)",
    tags: ["partner", "analytics"],
    auth: "partner",
    query: rangeQuery,
    problems: ["partner_key_invalid"],
    response: { status: 200, description: "The Overview", schema: overviewSchema },
    handler: async ({ req, query }) => {
      const access = await partnerOf(domain, req);
      const campaign = campaignById(access.campaignId);
      const range = dayRange(domain.now(), query.from, query.to);
      const o = await analyticsOverview(domain, partnerPrincipal(access), campaign, range);
      const body = overviewBody(campaign.slug, o);
      // Member names are the operator's to see, not a partner's.
      return { ...body, topReferrers: body.topReferrers.map((r) => ({ ...r, username: null })) };
    },
  });

  endpointRoutes(table, router, {
    path: "/api/partner/webhooks",
    auth: "partner",
    params: undefined,
    tags: ["partner", "webhooks"],
    operationIds: { create: "partnerCreateWebhook", list: "partnerListWebhooks" },
    summaries: {
      create: "Subscribe the partner's endpoint to events of its campaign (secret shown once)",
      list: "The partner's own endpoints",
    },
    problems: ["partner_key_invalid"],
    subscribe: async (req, _params, input) => {
      const access = await partnerOf(domain, req);
      return insertWebhookEndpoint(domain, `partner:${access.partner}`, {
        ...input,
        ...receivers,
        campaignId: access.campaignId,
        partner: access.partner,
      });
    },
    list: async (req) => {
      const access = await partnerOf(domain, req);
      return listWebhookEndpoints(domain.db, access.campaignId, access.partner);
    },
  });

  table.add(router, {
    method: "delete",
    path: "/api/partner/webhooks/:id",
    operationId: "partnerDisableWebhook",
    summary: "Disable one of the partner's endpoints",
    tags: ["partner", "webhooks"],
    auth: "partner",
    params: z.object({ id: idParam }),
    problems: ["partner_key_invalid", "not_found"],
    response: {
      status: 200,
      description: "`disabled: false` when it already was",
      schema: z.object({ disabled: z.boolean() }),
    },
    handler: async ({ req, params }) => {
      const access = await partnerOf(domain, req);
      return disableWebhookEndpoint(
        domain,
        `partner:${access.partner}`,
        access.campaignId,
        params.id,
        access.partner,
      );
    },
  });
}
