/** Public endpoints: health, readiness, metrics, OpenAPI, the click redirect, campaign rules. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Router } from "express";
import type { Registry } from "prom-client";
import { z } from "zod";
import type { DatabaseHandle } from "../../db/index.ts";
import { isCampaignActive } from "../../domain/campaign.ts";
import { recordClick } from "../../domain/clicks.ts";
import { botLink, type LinkSettings, startPayload } from "../../domain/codes.ts";
import type { DomainContext } from "../../domain/context.ts";
import type { Campaign } from "../../domain/registry.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { clientHash } from "./member.ts";

export interface PublicRouteDeps {
  domain: DomainContext;
  database: DatabaseHandle;
  links: LinkSettings;
  hashSecret: string;
  metricsRegistry: Registry;
  metricsToken?: string;
  onClick?: (outcome: string) => void;
  openApi: () => Record<string, unknown>;
}

const campaignSummary = z.object({
  slug: z.string(),
  onchainId: z.number().int(),
  name: z.object({ en: z.string(), ru: z.string() }),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  active: z.boolean(),
});

const campaignRules = campaignSummary.extend({
  tokens: z.array(
    z.object({
      symbol: z.string(),
      name: z.string(),
      decimals: z.number().int(),
      cap: z.string().nullable(),
      budget: z.string(),
      maxBatch: z.number().int(),
      address: z.string().nullable(),
      distributor: z.string().nullable(),
    }),
  ),
  qualification: z.record(z.string(), z.unknown()),
  levels: z.array(z.record(z.string(), z.unknown())),
  welcomeBonus: z.object({ token: z.string(), amount: z.string() }).nullable(),
  tiers: z.array(z.record(z.string(), z.unknown())),
  caps: z.object({
    perMemberDaily: z.record(z.string(), z.string()),
    perMemberTotal: z.record(z.string(), z.string()),
  }),
  expiry: z.object({ days: z.number().int() }).nullable(),
  attribution: z
    .object({
      newMembersOnly: z
        .boolean()
        .describe(
          "true: only members new to the community (first seen anywhere within the window); false: members of other campaigns too, within the window counted from joining this one",
        ),
      windowHours: z.number().int().describe("ATTRIBUTION_WINDOW_HOURS"),
    })
    .describe("Who can be referred"),
  challenges: z.array(z.record(z.string(), z.unknown())),
  perks: z.array(z.record(z.string(), z.unknown())),
  // Typed (not a loose record): the dashboard's generated types read id, name and transferable.
  badges: z.array(
    z.object({
      id: z.number().int(),
      name: z.object({ en: z.string(), ru: z.string() }),
      transferable: z.boolean(),
    }),
  ),
  contracts: z
    .object({
      chainId: z.number().int(),
      referralPayouts: z.string().nullable(),
      badges: z.string().nullable(),
      perkShop: z.string().nullable(),
    })
    .nullable(),
});

function summary(c: Campaign, now: Date) {
  return {
    slug: c.slug,
    onchainId: c.definition.onchainId,
    name: c.definition.name,
    startsAt: c.definition.startsAt,
    endsAt: c.definition.endsAt ?? null,
    active: isCampaignActive(c.rules, now),
  };
}

/** The rules as members may read them: everything except fraud thresholds and A/B variants. */
function publicRules(c: Campaign, now: Date, windowHours: number): z.input<typeof campaignRules> {
  const d = c.definition;
  return {
    ...summary(c, now),
    tokens: d.tokens.map((t) => ({
      symbol: t.symbol,
      name: t.name,
      decimals: t.decimals,
      cap: t.cap ?? null,
      budget: t.budget,
      maxBatch: t.maxBatch,
      address: c.deployment?.tokens[t.symbol]?.token ?? null,
      distributor: c.deployment?.tokens[t.symbol]?.distributor ?? null,
    })),
    qualification: d.qualification,
    levels: d.levels,
    welcomeBonus: d.welcomeBonus ?? null,
    tiers: d.tiers,
    caps: d.caps,
    expiry: d.expiry ?? null,
    attribution: { newMembersOnly: c.rules.newMembersOnly, windowHours },
    challenges: d.challenges,
    perks: d.perks,
    badges: d.badges,
    contracts: c.deployment
      ? {
          chainId: c.deployment.chainId,
          referralPayouts: c.deployment.referralPayouts ?? null,
          badges: c.deployment.badges ?? null,
          perkShop: c.deployment.perkShop ?? null,
        }
      : null,
  };
}

export function publicRoutes(table: RouteTable, router: Router, deps: PublicRouteDeps): void {
  const { domain } = deps;
  const expectedMetricsAuth =
    deps.metricsToken === undefined
      ? undefined
      : createHash("sha256").update(`Bearer ${deps.metricsToken}`).digest();

  table.add(router, {
    method: "get",
    path: "/healthz",
    operationId: "health",
    summary: "Liveness: the process is up",
    tags: ["ops"],
    auth: "none",
    response: { status: 200, description: "Alive", schema: z.object({ status: z.literal("ok") }) },
    handler: () => ({ status: "ok" as const }),
  });

  table.add(router, {
    method: "get",
    path: "/readyz",
    operationId: "ready",
    summary: "Readiness: the database answers",
    tags: ["ops"],
    auth: "none",
    problems: ["not_ready"],
    response: {
      status: 200,
      description: "Ready",
      schema: z.object({ status: z.literal("ready"), database: z.enum(["pglite", "postgres"]) }),
    },
    handler: async () => {
      try {
        await deps.database.ping();
      } catch {
        throw new ProblemError("not_ready", "the database does not answer");
      }
      return { status: "ready" as const, database: deps.database.kind };
    },
  });

  table.add(router, {
    method: "get",
    path: "/metrics",
    operationId: "metrics",
    summary: "Prometheus metrics (Bearer METRICS_TOKEN; required in production)",
    tags: ["ops"],
    auth: "none",
    problems: ["auth_required"],
    response: { status: 200, description: "Prometheus text format", contentType: "text/plain" },
    raw: async ({ req, res }) => {
      if (expectedMetricsAuth !== undefined) {
        // Digests: a constant-time comparison whatever the length given.
        const given = createHash("sha256")
          .update(req.headers.authorization ?? "")
          .digest();
        if (!timingSafeEqual(given, expectedMetricsAuth)) {
          throw new ProblemError("auth_required", "send Authorization: Bearer <METRICS_TOKEN>");
        }
      }
      res.setHeader("Content-Type", deps.metricsRegistry.contentType);
      res.send(await deps.metricsRegistry.metrics());
    },
  });

  table.add(router, {
    method: "get",
    path: "/openapi.json",
    operationId: "openapi",
    summary: "This document",
    tags: ["ops"],
    auth: "none",
    response: { status: 200, description: "OpenAPI 3.1 document", contentType: "application/json" },
    raw: ({ res }) => {
      res.json(deps.openApi());
    },
  });

  table.add(router, {
    method: "get",
    path: "/r/:code",
    operationId: "redirect",
    summary: "Public referral link: counts the click, then redirects to the bot",
    description:
      "A click counts once per client IP address, code owner and UTC day, whatever the User-Agent; link-preview bots and crawlers are not counted (Telegram's in-app browsers are). Unknown codes are 404: a page for browsers (`Accept: text/html`, Russian or English after `Accept-Language`), problem details for API clients. Codes of banned members redirect to the bot without the code.",
    tags: ["public"],
    auth: "none",
    params: z.object({ code: z.string().max(64) }),
    query: z.object({
      c: z
        .string()
        .max(48)
        .optional()
        .describe(
          "Campaign slug: the bot link then names it (`start=<code>__<slug>`); an unknown slug is ignored (the default campaign)",
        ),
    }),
    problems: ["not_found"],
    response: {
      status: 302,
      description: "Redirect to https://t.me/<bot>?start=<code> (or `<code>__<slug>`)",
    },
    raw: async ({ req, res, params, query }) => {
      const ua = req.headers["user-agent"];
      const outcome = await recordClick(domain, {
        code: params.code,
        // The client is its IP alone: with the User-Agent in the key, one address cycling
        // through User-Agents would count once per User-Agent.
        clientHash: clientHash(deps.hashSecret, "client", req.ip ?? ""),
        userAgent: ua,
      });
      deps.onClick?.(outcome.status);
      if (outcome.status === "unknown")
        throw new ProblemError("not_found", "no such referral link");
      res.setHeader("Cache-Control", "no-store");
      res.redirect(
        302,
        outcome.status === "banned"
          ? botLink(deps.links)
          : botLink(
              deps.links,
              startPayload(
                outcome.code,
                query.c !== undefined && domain.campaigns.bySlug(query.c) ? query.c : undefined,
              ),
            ),
      );
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/campaigns",
    operationId: "listCampaigns",
    summary: "Campaigns served here",
    tags: ["public"],
    auth: "none",
    response: {
      status: 200,
      description: "Campaigns",
      schema: z.object({ items: z.array(campaignSummary) }),
    },
    handler: () => {
      const now = domain.now();
      return { items: domain.campaigns.all().map((c) => summary(c, now)) };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/campaigns/:slug",
    operationId: "getCampaignRules",
    summary:
      "A campaign's public rules: tokens, qualification, levels, tiers, caps, expiry, challenges, perks, badges",
    tags: ["public"],
    auth: "none",
    params: z.object({ slug: z.string().regex(/^[a-z0-9-]{2,48}$/) }),
    problems: ["campaign_not_found"],
    response: { status: 200, description: "Rules", schema: campaignRules },
    handler: ({ params }) => {
      const c = domain.campaigns.bySlug(params.slug);
      if (!c) throw new ProblemError("campaign_not_found", `no campaign ${params.slug}`);
      return publicRules(c, domain.now(), domain.attributionWindowHours);
    },
  });
}
