/**
 * The loyalty layer's routes that need no chain access (issue 14):
 *
 * - `GET /badges/<campaign>/<id>.json` and `.svg` (public): a badge's ERC-1155 metadata, at the
 *   URI `Badges.uri(id)` returns, and its generated image.
 * - `GET /api/me/badges` (member): the member's badges in a campaign and where they are on
 *   their way on-chain.
 * - `POST /api/admin/coupons/import` (admin, `campaign.edit`, audited): a CSV of coupon codes
 *   for a perk's pool.
 * - `POST /api/partner/coupons/<code>/use` (partner, HMAC like `/api/partner/events`): marks a
 *   coupon used; idempotent by `requestId`.
 */
import express, { type Request, type Router } from "express";
import { z } from "zod";
import { badgeInfo, badgeMetadata, badgeSvg } from "../../domain/badgeArt.ts";
import { memberBadges } from "../../domain/badges.ts";
import type { DomainContext } from "../../domain/context.ts";
import { importCouponPool, useCoupon } from "../../domain/coupons.ts";
import type { MemberView } from "../../domain/members.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso } from "../schemas.ts";
import { type PartnerRouteDeps, verifyPartnerRequest } from "./partner.ts";

export interface LoyaltyRouteDeps {
  domain: DomainContext;
  publicUrl: string;
  partners: Pick<PartnerRouteDeps, "secrets" | "toleranceSeconds" | "bodyLimitBytes">;
}

const slug = z.string().regex(/^[a-z0-9-]{2,48}$/);

const badgeSchema = z.object({
  id: z.number().int(),
  name: z.object({ en: z.string(), ru: z.string() }),
  kind: z.string().describe("`tier` or the achievement (`first_invite`, `qualified_10`, …)"),
  status: z
    .enum(["awaiting_wallet", "queued", "minting", "minted", "revoke_queued", "revoking"])
    .describe("`awaiting_wallet`: minted once a wallet is linked; `minted`: on-chain"),
  image: z.string(),
  metadata: z.string(),
  account: z.string().nullable(),
  txHash: z.string().nullable(),
  awardedAt: iso,
});

const couponUseSchema = z.object({
  requestId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:-]+$/, "letters, digits, _ . : -"),
});

function me(req: Request): MemberView {
  const m = req.member;
  if (!m) throw new ProblemError("auth_required");
  return m;
}

export function loyaltyRoutes(table: RouteTable, router: Router, deps: LoyaltyRouteDeps): void {
  const { domain } = deps;
  const base = deps.publicUrl.replace(/\/$/, "");

  table.add(router, {
    method: "get",
    path: "/badges/:campaign/:file",
    operationId: "getBadgeMetadata",
    summary: "A badge's ERC-1155 metadata (`<id>.json`) or its image (`<id>.svg`)",
    description:
      "The URI `Badges.uri(id)` returns. The image is generated from the badge and its campaign.",
    tags: ["badges"],
    auth: "none",
    params: z.object({
      campaign: slug,
      file: z.string().regex(/^\d{1,9}\.(json|svg)$/, "expected <id>.json or <id>.svg"),
    }),
    problems: ["not_found"],
    response: { status: 200, description: "The metadata or the SVG image" },
    raw: ({ params, res }) => {
      const campaign = domain.campaigns.bySlug(params.campaign);
      const [id, ext] = params.file.split(".");
      const info = campaign && badgeInfo(campaign, Number(id));
      if (!campaign || !info) throw new ProblemError("not_found", "no such badge");
      res.setHeader("Cache-Control", "public, max-age=300");
      res.setHeader("Access-Control-Allow-Origin", "*");
      if (ext === "svg") {
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.type("image/svg+xml").send(badgeSvg(campaign, info));
      } else res.json(badgeMetadata(campaign, info, base));
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/badges",
    operationId: "getMyBadges",
    summary: "The member's badges in a campaign",
    tags: ["badges"],
    auth: "member",
    query: z.object({ campaign: slug.optional() }),
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "Badges, oldest first, with the campaign's Badges contract",
      schema: z.object({
        campaign: z.string(),
        contract: z.string().nullable().describe("The campaign's Badges contract (ERC-1155)"),
        items: z.array(badgeSchema),
      }),
    },
    handler: async ({ req, query }) => {
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const rows = await memberBadges(domain.db, campaign.id, me(req).id);
      const items = rows.flatMap((r) => {
        const info = badgeInfo(campaign, r.badgeId);
        if (!info || r.status === "revoked") return [];
        return [
          {
            id: r.badgeId,
            name: info.badge.name,
            kind: info.tier ? "tier" : (info.badge.achievement ?? "award"),
            status: r.status,
            image: `${base}/badges/${campaign.slug}/${r.badgeId}.svg`,
            metadata: `${base}/badges/${campaign.slug}/${r.badgeId}.json`,
            account: r.account,
            txHash: r.txHash,
            awardedAt: r.awardedAt.toISOString(),
          },
        ];
      });
      return { campaign: campaign.slug, contract: campaign.deployment?.badges ?? null, items };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/coupons/import",
    operationId: "importCoupons",
    summary: "Add a CSV of coupon codes to a perk's pool",
    description:
      "Each line: `code` or `code,expiresAt` (ISO date-time); an optional header line. Redemptions of the perk take the oldest free code; without one a code is generated. A bad line refuses the whole file. Needs `campaign.edit`; audited.",
    tags: ["admin"],
    auth: "admin",
    body: z.object({
      campaign: slug.optional(),
      perk: z.string().min(1).max(48),
      csv: z.string().min(1).max(1_000_000),
    }),
    problems: ["forbidden", "campaign_not_found", "coupon_pool_invalid"],
    response: {
      status: 200,
      description: "How many codes were added (codes already in the pool are skipped)",
      schema: z.object({ added: z.number().int(), skipped: z.number().int() }),
    },
    handler: async ({ req, body }) => {
      if (!req.admin) throw new ProblemError("auth_required");
      const campaign = domain.campaigns.resolve(body.campaign, domain.now());
      return importCouponPool(domain, req.admin, {
        campaignId: campaign.id,
        perk: body.perk,
        csv: body.csv,
      });
    },
  });

  const raw = express.raw({ type: () => true, limit: deps.partners.bodyLimitBytes });
  table.add(router, {
    method: "post",
    path: "/api/partner/coupons/:code/use",
    operationId: "useCoupon",
    summary: "Mark a member's coupon used (partner, signed like the partner webhook)",
    description:
      "Headers `X-Refmint-Partner`, `X-Refmint-Timestamp`, `X-Refmint-Signature: sha256=<hmac of '<timestamp>.<body>'>`. Body `{ requestId }`. The same request id again answers the same (`replayed: true`); any other request for a used coupon is refused with `coupon_used`.",
    tags: ["partner"],
    auth: "partner",
    before: [raw],
    params: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) }),
    documentBody: couponUseSchema,
    problems: [
      "webhook_signature_invalid",
      "webhook_timestamp_invalid",
      "malformed_json",
      "coupon_unknown",
      "coupon_used",
      "coupon_revoked",
      "coupon_expired",
      "partner_event_conflict",
    ],
    response: { status: 200, description: "The coupon, used", contentType: "application/json" },
    raw: async ({ req, res, params }) => {
      const { partner, body } = verifyPartnerRequest(req, {
        domain,
        secrets: deps.partners.secrets,
        toleranceSeconds: deps.partners.toleranceSeconds,
      });
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        throw new ProblemError("malformed_json", "the body is not JSON");
      }
      const parsed = couponUseSchema.safeParse(json);
      if (!parsed.success)
        throw new ProblemError("validation_failed", "invalid request", {
          errors: parsed.error.issues.map((i) => ({
            path: ["body", ...i.path].join("."),
            message: i.message,
          })),
        });
      const used = await useCoupon(domain, {
        partner,
        requestId: parsed.data.requestId,
        code: params.code,
      });
      res.status(200).json({
        code: used.code,
        campaign: domain.campaigns.byId(used.campaignId)?.slug ?? null,
        perk: used.perk,
        usedAt: used.usedAt.toISOString(),
        replayed: used.replayed,
      });
    },
  });
}
