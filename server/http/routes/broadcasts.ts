/**
 * The console's broadcast composer (miniapp/src/admin/Broadcast.tsx): the live audience count
 * of a segment, composing a broadcast (now or scheduled), its progress and delivery results,
 * and stopping it. The bot's broadcaster sends (bot/broadcast.ts); the domain checks
 * `broadcast.send` (owners and managers; super-admins for every member) and audits
 * (server/domain/broadcastComposer.ts, broadcasts.ts).
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { BOT_LANGUAGES } from "../../db/schema/bot.ts";
import {
  BROADCAST_SCHEDULE_MAX_DAYS,
  BROADCAST_TEXT_MAX,
  broadcastAudience,
  composeBroadcast,
  listBroadcasts,
  type SegmentInput,
  viewBroadcast,
} from "../../domain/broadcastComposer.ts";
import { type Broadcast, cancelBroadcast } from "../../domain/broadcasts.ts";
import type { DomainContext } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import type { AdminPrincipal } from "../../domain/roles.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso, isoOrNull } from "../schemas.ts";

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, "expected a number")
    .transform(Number),
});

const slug = z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug");
const tierId = z.string().min(1).max(64);
const activeDays = z.number().int().min(1).max(365);

const audienceBody = z.object({
  campaign: slug.nullable().describe("The campaign whose members it reaches; null: every member"),
  tier: tierId.optional(),
  language: z.enum(BOT_LANGUAGES).optional(),
  hasWallet: z.boolean().optional(),
  activeDays: activeDays.optional().describe("Seen within this many days of the send"),
});

const audienceQuery = z.object({
  campaign: slug.optional().describe("Absent: every member (super-admins only)"),
  tier: tierId.optional(),
  language: z.enum(BOT_LANGUAGES).optional(),
  wallet: z.enum(["yes", "no"]).optional(),
  activeDays: z
    .string()
    .regex(/^\d{1,3}$/, "expected a number of days")
    .transform(Number)
    .pipe(activeDays)
    .optional(),
});

const failureReasons = z.record(z.string(), z.number().int());

const broadcastSchema = z.object({
  id: z.number().int(),
  campaign: z.string().nullable(),
  status: z
    .enum(["draft", "scheduled", "running", "done", "cancelled"])
    .describe("`scheduled`: stored and waiting for its time"),
  texts: z.record(z.string(), z.string()),
  audience: z.object({
    tier: z.string().nullable(),
    language: z.enum(BOT_LANGUAGES).nullable(),
    hasWallet: z.boolean().nullable(),
    activeDays: z.number().int().nullable(),
  }),
  scheduledAt: iso.nullable(),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  failures: failureReasons.describe(
    "Failed sends by reason: blocked, deactivated, not_started, telegram_error, rejected",
  ),
});

export function broadcastRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;

  const campaignId = (s: string | null | undefined): number | null => {
    if (s === null || s === undefined) return null;
    const c = domain.campaigns.bySlug(s);
    if (!c) throw new DomainError("campaign_not_found", `no campaign ${s}`, { slug: s });
    return c.id;
  };

  const json = (b: Broadcast): z.input<typeof broadcastSchema> => {
    const waiting =
      b.status === "running" &&
      b.scheduledAt !== null &&
      b.scheduledAt.getTime() > domain.now().getTime() &&
      b.sent + b.failed === 0;
    const failures: Record<string, number> = {};
    for (const [k, v] of Object.entries(b.failures)) if (v) failures[k] = v;
    const texts: Record<string, string> = {};
    for (const [k, v] of Object.entries(b.texts)) if (v !== undefined) texts[k] = v;
    return {
      id: b.id,
      campaign: b.campaignId === null ? null : (domain.campaigns.byId(b.campaignId)?.slug ?? null),
      status: waiting ? "scheduled" : b.status,
      texts,
      audience: {
        tier: b.segment.tier?.id ?? null,
        language: b.segment.language ?? null,
        hasWallet: b.segment.hasWallet ?? null,
        activeDays: b.segment.activeDays ?? null,
      },
      scheduledAt: isoOrNull(b.scheduledAt),
      createdAt: b.createdAt.toISOString(),
      startedAt: waiting ? null : isoOrNull(b.startedAt),
      finishedAt: isoOrNull(b.finishedAt),
      total: b.total,
      sent: b.sent,
      failed: b.failed,
      failures,
    };
  };

  table.add(router, {
    method: "get",
    path: "/api/admin/broadcasts/audience",
    operationId: "broadcastAudience",
    summary: "How many members a broadcast to this segment would reach now, and the tiers to pick",
    description:
      "Needs `broadcast.send` in the campaign (owners, managers); without a campaign (every member) super-admins only.",
    tags: ["admin"],
    auth: "admin",
    query: audienceQuery,
    problems: ["forbidden", "campaign_not_found", "broadcast_invalid"],
    response: {
      status: 200,
      description: "The count",
      schema: z.object({
        count: z.number().int(),
        tiers: z.array(z.object({ id: z.string(), name: z.record(z.string(), z.string()) })),
      }),
    },
    handler: async ({ req, query }) => {
      const id = campaignId(query.campaign);
      const segment: SegmentInput = {
        campaignId: id,
        tier: query.tier,
        language: query.language,
        hasWallet: query.wallet === undefined ? undefined : query.wallet === "yes",
        activeDays: query.activeDays,
      };
      const count = await broadcastAudience(domain, admin(req), segment);
      const campaign = id === null ? undefined : domain.campaigns.byId(id);
      return {
        count,
        tiers: (campaign?.definition.tiers ?? []).map((t) => ({ id: t.id, name: t.name })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/broadcasts",
    operationId: "composeBroadcast",
    summary: "Send a broadcast to a segment now, or schedule it",
    description: `Texts are Telegram HTML (checked here), English the fallback for members of other languages, at most ${BROADCAST_TEXT_MAX} characters each. \`scheduledAt\` at most ${BROADCAST_SCHEDULE_MAX_DAYS} days ahead; the broadcast is stored and the bot sends it once due (after restarts too). Needs \`broadcast.send\`; audited with the audience and the texts.`,
    tags: ["admin"],
    auth: "admin",
    body: z.object({
      audience: audienceBody,
      texts: z.object({
        en: z.string().max(BROADCAST_TEXT_MAX).optional(),
        ru: z.string().max(BROADCAST_TEXT_MAX).optional(),
      }),
      scheduledAt: iso.nullable().default(null),
      language: z.enum(BOT_LANGUAGES).default("en").describe("The author's language"),
    }),
    problems: ["forbidden", "campaign_not_found", "broadcast_invalid"],
    response: { status: 201, description: "The broadcast", schema: broadcastSchema },
    handler: async ({ req, body }) => {
      const a = body.audience;
      const b = await composeBroadcast(domain, admin(req), {
        segment: {
          campaignId: campaignId(a.campaign),
          tier: a.tier,
          language: a.language,
          hasWallet: a.hasWallet,
          activeDays: a.activeDays,
        },
        texts: body.texts,
        scheduledAt: body.scheduledAt === null ? null : new Date(body.scheduledAt),
        adminLanguage: body.language,
      });
      return json(b);
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/broadcasts",
    operationId: "listBroadcasts",
    summary: "The broadcasts of the campaigns where the caller may send them, newest first",
    tags: ["admin"],
    auth: "admin",
    query: z.object({
      limit: z
        .string()
        .regex(/^\d{1,3}$/)
        .transform(Number)
        .pipe(z.number().int().min(1).max(100))
        .default(20),
    }),
    problems: ["forbidden"],
    response: {
      status: 200,
      description: "The broadcasts",
      schema: z.object({ items: z.array(broadcastSchema) }),
    },
    handler: async ({ req, query }) => ({
      items: (await listBroadcasts(domain, admin(req), query.limit)).map(json),
    }),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/broadcasts/:id",
    operationId: "getBroadcast",
    summary: "One broadcast's progress and delivery results",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["forbidden", "broadcast_not_found"],
    response: { status: 200, description: "The broadcast", schema: broadcastSchema },
    handler: async ({ req, params }) => json(await viewBroadcast(domain, admin(req), params.id)),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/broadcasts/:id/stop",
    operationId: "stopBroadcast",
    summary: "Stop a scheduled or running broadcast (those sent stay sent)",
    description:
      "Audited (`broadcast.cancelled`). A broadcast already over is returned as it is (nothing is written).",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["forbidden", "broadcast_not_found"],
    response: { status: 200, description: "The broadcast", schema: broadcastSchema },
    handler: async ({ req, params }) => {
      const by = admin(req);
      await viewBroadcast(domain, by, params.id);
      await cancelBroadcast(domain, by, params.id);
      return json(await viewBroadcast(domain, by, params.id));
    },
  });
}
