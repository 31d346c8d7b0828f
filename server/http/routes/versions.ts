/**
 * Campaign rules versions over HTTP (server/domain/versions.ts):
 *
 * - `GET /api/campaigns/{slug}/versions` (public): the versions that took effect, newest first,
 *   each with its hash, the URL published on-chain, the block and transaction, and what it
 *   changed for members (data the dashboard words per language, and an English `text`).
 * - `GET /rules/{slug}/{hash}.json` (public): a rules document exactly as hashed, so anyone can
 *   compare its SHA-256 with `ReferralPayouts.currentRules()` and the `RulesPublished` log.
 * - `GET|POST /api/operator/campaigns/{slug}/versions…` (admin): what `npm run campaign:version`
 *   does through a running service that holds the database (PGlite next to `npm run dev`):
 *   read the versions, prepare one, record its on-chain actions' progress.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { Actor, DomainContext } from "../../domain/context.ts";
import { CHANGE_SUBJECTS, describeChange, type RulesChange } from "../../domain/rulesDiff.ts";
import {
  listVersions,
  prepareVersion,
  recordVersionAction,
  rulesDocumentByHash,
  rulesDocumentPath,
  type VersionInfo,
  versionState,
} from "../../domain/versions.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso, isoOrNull, localizedSchema } from "../schemas.ts";

export interface VersionRouteDeps {
  domain: DomainContext;
  /** Base of the rules documents' URLs (PUBLIC_URL). */
  publicUrl: string;
}

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{2,48}$/) });

const qualificationSchema = z.record(z.string(), z.unknown());
const valueSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("amount"), amount: z.string(), token: z.string() }),
  z.object({ type: z.literal("percent"), percent: z.number(), ofLevel: z.number().int() }),
  z.object({ type: z.literal("number"), value: z.number() }),
  z.object({ type: z.literal("multiplier"), bps: z.number().int() }),
  z.object({ type: z.literal("days"), days: z.number().int() }),
  z.object({ type: z.literal("date"), at: z.string() }),
  z.object({ type: z.literal("localized"), text: localizedSchema }),
  z.object({ type: z.literal("qualification"), rule: qualificationSchema }),
  z.object({ type: z.literal("stock"), stock: z.number().int().nullable() }),
  z.object({ type: z.literal("flag"), value: z.boolean() }),
  z.object({ type: z.literal("text"), text: z.string() }),
]);

export const changeSchema = z.object({
  subject: z.enum(CHANGE_SUBJECTS),
  audience: z.enum(["members", "operator"]),
  level: z.number().int().optional(),
  token: z.string().optional(),
  name: localizedSchema.optional(),
  field: z.string().optional(),
  from: valueSchema.nullable().describe("null: added"),
  to: valueSchema.nullable().describe("null: removed"),
  text: z.string().describe("The change in English"),
});

const versionSchema = z.object({
  version: z.number().int(),
  hash: z.string().describe("SHA-256 of the rules document (0x + 64 hex digits)"),
  documentUrl: z.string().describe("Where the rules document is served here"),
  rulesUrl: z.string().nullable().describe("The URL published on-chain with the version"),
  status: z.enum(["pending", "effective"]),
  createdAt: iso,
  effectiveAt: iso.nullable(),
  blockNumber: z.number().int().nullable(),
  txHash: z.string().nullable(),
  changes: z.array(changeSchema),
});

export const actionSchema = z.object({
  key: z.string().min(1).max(64),
  description: z.string().max(1000),
  contract: z.string().max(64),
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  functionName: z.string().max(64),
  args: z.array(z.unknown()).max(16),
  data: z.string().regex(/^0x[0-9a-fA-F]*$/),
  status: z.enum(["planned", "sent", "done"]),
  txHash: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .nullable(),
});

const versionInfoSchema = z.object({
  version: z.number().int(),
  hash: z.string(),
  document: z.string(),
  rulesUrl: z.string().nullable(),
  status: z.enum(["pending", "effective"]),
  actions: z.array(actionSchema),
  createdAt: iso,
  effectiveAt: iso.nullable(),
  blockNumber: z.number().int().nullable(),
  txHash: z.string().nullable(),
});

export const changeJson = (c: RulesChange) => ({ ...c, text: describeChange(c) });
const infoJson = (v: VersionInfo) => ({
  ...v,
  createdAt: v.createdAt.toISOString(),
  effectiveAt: isoOrNull(v.effectiveAt),
});

function actor(req: Request): Actor {
  const a = req.principal?.actor;
  if (!a) throw new ProblemError("auth_required");
  return a;
}

export function versionRoutes(table: RouteTable, router: Router, deps: VersionRouteDeps): void {
  const { domain } = deps;
  const campaignOf = (slug: string) => {
    const c = domain.campaigns.bySlug(slug);
    if (!c) throw new ProblemError("campaign_not_found", `no campaign ${slug}`);
    return c;
  };

  table.add(router, {
    method: "get",
    path: "/api/campaigns/:slug/versions",
    operationId: "listCampaignVersions",
    summary: "A campaign's rules versions that took effect, newest first, with what each changed",
    description:
      "Each version's rules document is served at `documentUrl`; its SHA-256 is `hash`, which the campaign's ReferralPayouts contract logged (`RulesPublished`) in `txHash` at `blockNumber`, when it took effect. Version 1 is what the campaign started with. `changes` are the members' lines (amounts, tiers, challenges, perks, dates, limits per member, budgets).",
    tags: ["public"],
    auth: "none",
    params: slugParams,
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "Versions",
      schema: z.object({
        slug: z.string(),
        current: z.number().int().describe("The version in effect"),
        items: z.array(versionSchema),
      }),
    },
    handler: async ({ params }) => {
      const c = campaignOf(params.slug);
      const items = await listVersions(domain.db, c.id);
      return {
        slug: c.slug,
        current: items[0]?.version ?? c.version,
        items: items.map((v) => ({
          ...v,
          documentUrl: `${deps.publicUrl}${rulesDocumentPath(c.slug, v.hash)}`,
          createdAt: v.createdAt.toISOString(),
          effectiveAt: isoOrNull(v.effectiveAt),
          changes: v.changes.map(changeJson),
        })),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/rules/:slug/:file",
    operationId: "getRulesDocument",
    summary: "A campaign's rules document (`<sha256>.json`), exactly as hashed",
    description:
      "The campaign file of one rules version as canonical JSON (keys sorted, no whitespace). `sha256sum` of the body equals the file name and the hash its `RulesPublished` log carries.",
    tags: ["public"],
    auth: "none",
    params: slugParams.extend({
      file: z.string().regex(/^[0-9a-f]{64}\.json$/, "expected <sha256>.json"),
    }),
    problems: ["campaign_not_found", "not_found"],
    response: { status: 200, description: "The document", contentType: "application/json" },
    raw: async ({ params, res }) => {
      const c = campaignOf(params.slug);
      const hash = `0x${params.file.slice(0, 64)}`;
      const document = await rulesDocumentByHash(domain.db, c.id, hash);
      if (document === undefined)
        throw new ProblemError("not_found", `no rules document ${hash} for ${c.slug}`);
      // Content-addressed: the same URL always serves the same bytes.
      res.setHeader("Cache-Control", "public, max-age=86400, immutable");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.status(200).send(Buffer.from(document, "utf8"));
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/operator/campaigns/:slug/versions",
    operationId: "operatorCampaignVersions",
    summary:
      "Every rules version of a campaign, pending ones too, with all changes (npm run campaign:version)",
    tags: ["operator"],
    auth: "admin",
    params: slugParams,
    problems: [
      "campaign_not_found",
      "not_found",
      "auth_required",
      "forbidden",
      "admin_token_invalid",
    ],
    response: {
      status: 200,
      description: "The version in effect, the pending one, and every version with its changes",
      schema: z.object({
        campaignId: z.number().int(),
        effective: versionInfoSchema,
        pending: versionInfoSchema.nullable(),
        nextVersion: z.number().int(),
        items: z.array(versionSchema),
      }),
    },
    handler: async ({ params }) => {
      const c = campaignOf(params.slug);
      const state = await versionState(domain.db, c.id);
      const items = await listVersions(domain.db, c.id, { operator: true });
      return {
        campaignId: state.campaignId,
        effective: infoJson(state.effective),
        pending: state.pending ? infoJson(state.pending) : null,
        nextVersion: state.nextVersion,
        items: items.map((v) => ({
          ...v,
          documentUrl: `${deps.publicUrl}${rulesDocumentPath(c.slug, v.hash)}`,
          createdAt: v.createdAt.toISOString(),
          effectiveAt: isoOrNull(v.effectiveAt),
          changes: v.changes.map(changeJson),
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/operator/campaigns/:slug/versions",
    operationId: "operatorPrepareCampaignVersion",
    summary: "Create (or resume) the rules version `npm run campaign:version` applies",
    tags: ["operator"],
    auth: "admin",
    params: slugParams,
    body: z.object({
      version: z.number().int().min(1),
      document: z.string().min(2).max(500_000),
      rulesUrl: z.url().max(2000),
      actions: z.array(actionSchema).max(500),
    }),
    problems: [
      "campaign_not_found",
      "not_found",
      "rules_invalid",
      "rules_version_pending",
      "auth_required",
      "forbidden",
      "admin_token_invalid",
    ],
    response: {
      status: 200,
      description: "The version to apply and its actions",
      schema: z.object({
        version: z.number().int(),
        outcome: z.enum(["created", "replaced", "resumed", "publishing-effective"]),
        rulesUrl: z.string(),
        actions: z.array(actionSchema),
      }),
    },
    handler: async ({ params, body, req }) => {
      const c = campaignOf(params.slug);
      return prepareVersion(domain.db, {
        campaignId: c.id,
        version: body.version,
        document: body.document,
        rulesUrl: body.rulesUrl,
        actions: body.actions.map((a) => ({ ...a, txHash: a.txHash ?? null })),
        createdBy: actor(req),
      });
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/operator/campaigns/:slug/versions/:version/actions",
    operationId: "operatorRecordVersionAction",
    summary: "Record an on-chain action of a rules version as sent or done",
    tags: ["operator"],
    auth: "admin",
    params: slugParams.extend({
      version: z
        .string()
        .regex(/^[1-9]\d{0,8}$/, "expected a version number")
        .transform(Number),
    }),
    body: z.object({
      key: z.string().min(1).max(64),
      status: z.enum(["planned", "sent", "done"]),
      txHash: z
        .string()
        .regex(/^0x[0-9a-fA-F]{64}$/)
        .nullable(),
    }),
    problems: [
      "campaign_not_found",
      "not_found",
      "auth_required",
      "forbidden",
      "admin_token_invalid",
    ],
    response: {
      status: 200,
      description: "The version's actions now",
      schema: z.object({ actions: z.array(actionSchema) }),
    },
    handler: async ({ params, body }) => {
      const c = campaignOf(params.slug);
      return {
        actions: await recordVersionAction(domain.db, {
          campaignId: c.id,
          version: params.version,
          key: body.key,
          status: body.status,
          txHash: body.txHash,
        }),
      };
    },
  });
}
