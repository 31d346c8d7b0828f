/**
 * Perks through the admin API (issue 14), mounted with the operator endpoints (the chain
 * component's admin routes):
 *
 * - `GET /api/admin/campaigns/{slug}/perks` (`campaign.view`): the perks of the rules in
 *   effect, each with its state on-chain (price, units left and sold, end of sale, on sale).
 * - `POST /api/admin/campaigns/{slug}/perks` (create), `PATCH …/perks/{perk}` (change price,
 *   stock, end of sale, requirement, title, coupon days) and `POST …/perks/{perk}/retire` (stop
 *   selling: its stock becomes what was sold), all `campaign.edit`. With `"dryRun": true` each
 *   answers the plan and writes nothing: the rules' difference, the admin's calls with their
 *   calldata, the gas each needs and the cost at the chain's fee now. Without it the change
 *   becomes the campaign's next rules version, applied by the code of `npm run
 *   campaign:version` (server/chain/perkAdmin.ts), audited with the perk before and after; it
 *   takes effect when the indexer sees the version's `RulesPublished` log.
 *
 * Refusals write nothing and send nothing: `perk_invalid` (a price that is not a positive
 * amount of the token, another token), `perk_expiry_past`, `perk_stock_below_sold`,
 * `perk_requirement_unknown`, `perk_unknown`, `perk_exists`, `rules_version_pending` (another
 * version is being applied or waits for the indexer), `not_ready` (no chain here, or no campaign
 * admin key for an apply: send the dry run's calls from the admin instead).
 */
import type { Request, Router } from "express";
import type { LocalAccount } from "viem";
import { z } from "zod";
import {
  NoAdminKey,
  type PerkAdmin,
  type PerkPlan,
  type PerkState,
} from "../../chain/perkAdmin.ts";
import { campaignAdminAccount } from "../../chain/versions.ts";
import type { PerkEdit, PerkFields } from "../../domain/perkAdmin.ts";
import type { Campaign } from "../../domain/registry.ts";
import { type AdminPrincipal, authorize } from "../../domain/roles.ts";
import { describeChange } from "../../domain/rulesDiff.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { localizedSchema } from "../schemas.ts";
import type { OperatorDeps } from "./operator.ts";

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{2,48}$/) });
const perkParams = slugParams.extend({ perk: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/) });
const wei = z.string().regex(/^\d+$/);

const requiresSchema = z.object({
  tier: z.string().max(48).optional(),
  badge: z.number().int().min(0).optional(),
});
/** Loose on purpose: the domain checks the values and names the field that is wrong. */
const fieldsSchema = z.object({
  title: localizedSchema.optional(),
  price: z.string().max(64).optional().describe('Whole tokens, e.g. "12.5"'),
  stock: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 2)
    .nullable()
    .optional()
    .describe("Total units, sold ones included; null: unlimited"),
  expiresAt: z.string().max(40).nullable().optional().describe("End of sale; null: none"),
  couponDays: z.number().int().min(1).max(3650).nullable().optional(),
  requires: requiresSchema.nullable().optional().describe("A tier or badge; null: none"),
  dryRun: z.boolean().optional().describe("Answer the plan and its cost; change nothing"),
});

const perkDefinitionSchema = z.object({
  id: z.string(),
  title: localizedSchema,
  token: z.string(),
  price: z.string(),
  stock: z.number().int().nullable(),
  couponDays: z.number().int().optional(),
  expiresAt: z.string().optional(),
  requires: requiresSchema.optional(),
});

const onchainSchema = z
  .object({
    price: wei.describe("Smallest units"),
    stock: z.number().int().nullable().describe("Units left; null: unlimited"),
    expiresAt: z.string().nullable(),
    active: z.boolean(),
  })
  .nullable()
  .describe("null: not created on-chain yet");

const perkStateSchema = z.object({
  perkId: z.number().int().describe("On-chain perk id (the position in the rules)"),
  definition: perkDefinitionSchema,
  onchain: onchainSchema,
  sold: z.number().int(),
  onSale: z.boolean(),
});

const actionSchema = z.object({
  key: z.string(),
  description: z.string(),
  contract: z.string(),
  address: z.string(),
  functionName: z.string(),
  args: z.array(z.unknown()),
  data: z.string(),
  status: z.enum(["planned", "sent", "done"]),
  txHash: z.string().nullable(),
});

const resultSchema = z.object({
  status: z
    .enum(["dry_run", "published", "stopped", "unchanged"])
    .describe(
      "`dry_run`: nothing was written or sent; `published`: sent, it takes effect when the indexer sees its block; `stopped`: a call failed (`failed`), send the same request again to resume; `unchanged`: the rules already say this",
    ),
  campaign: z.string(),
  perkId: z.number().int(),
  version: z.number().int().describe("The rules version this change is (or would be)"),
  hash: z.string(),
  rulesUrl: z.string(),
  changes: z.array(z.object({ text: z.string(), audience: z.enum(["members", "operator"]) })),
  before: z.object({
    definition: perkDefinitionSchema.nullable(),
    onchain: onchainSchema,
    sold: z.number().int(),
  }),
  after: perkDefinitionSchema,
  actions: z.array(actionSchema),
  estimate: z.object({
    from: z.string().describe("The campaign admin that sends the calls"),
    adminKeyHere: z
      .boolean()
      .describe("Whether this service holds its key (else send the calls from the admin)"),
    actions: z.array(
      z.object({ key: z.string(), gas: z.string().nullable(), error: z.string().nullable() }),
    ),
    gas: z.string(),
    feePerGas: wei,
    costWei: wei,
    cost: z.string().describe("In the chain's native coin"),
  }),
  failed: z.object({ key: z.string(), reason: z.string() }).nullable(),
});

const PROBLEMS = [
  "campaign_not_found",
  "not_ready",
  "auth_required",
  "forbidden",
  "admin_token_invalid",
  "perk_unknown",
  "perk_exists",
  "perk_invalid",
  "perk_expiry_past",
  "perk_requirement_unknown",
  "perk_stock_below_sold",
  "rules_version_pending",
  "rules_invalid",
] as const;

const UNLIMITED = 2 ** 32 - 1;

function onchainJson(o: PerkState["onchain"], unlimited: boolean) {
  if (!o) return null;
  return {
    price: o.price.toString(),
    stock: unlimited && o.stock === UNLIMITED ? null : o.stock,
    expiresAt: o.expiresAt === 0 ? null : new Date(o.expiresAt * 1000).toISOString(),
    active: o.active,
  };
}

function adminOf(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function perkAdminRoutes(
  table: RouteTable,
  router: Router,
  deps: OperatorDeps & { publicUrl: string },
): void {
  const campaignOf = (slug: string): Campaign => {
    const c = deps.domain.campaigns.bySlug(slug);
    if (!c) throw new ProblemError("campaign_not_found", `no campaign ${slug}`);
    return c;
  };
  const tools = (): PerkAdmin => {
    if (!deps.driver)
      throw new ProblemError("not_ready", "this service has no RPC_URL: it cannot read the chain");
    return deps.driver.perkAdmin({
      db: deps.db,
      now: deps.domain.now,
      publicUrl: deps.publicUrl,
      admin: (deployment) => campaignAdminFor(deps, deployment),
    });
  };
  const planJson = (
    campaign: Campaign,
    plan: PerkPlan,
    status: z.infer<typeof resultSchema>["status"],
    extra: { actions?: PerkPlan["actions"]; failed?: { key: string; reason: string } | null } = {},
  ): z.infer<typeof resultSchema> => ({
    status,
    campaign: campaign.slug,
    perkId: plan.perkId,
    version: plan.version,
    hash: plan.hash,
    rulesUrl: plan.rulesUrl,
    changes: plan.changes.map((c) => ({ text: describeChange(c), audience: c.audience })),
    before: {
      definition: plan.before.definition,
      onchain: onchainJson(plan.before.onchain, plan.before.definition?.stock === null),
      sold: plan.before.sold,
    },
    after: plan.after,
    actions: extra.actions ?? plan.actions,
    estimate: plan.estimate,
    failed: extra.failed ?? null,
  });
  const run = async (req: Request, slug: string, edit: PerkEdit, dryRun: boolean) => {
    const campaign = campaignOf(slug);
    const by = adminOf(req);
    await authorize(deps.domain, by, "campaign.edit", campaign.id, {
      type: "perk",
      id: `${campaign.slug}:${edit.id}`,
    });
    const perks = tools();
    if (dryRun) return planJson(campaign, await perks.plan(campaign, edit), "dry_run");
    try {
      const applied = await perks.apply(campaign, edit, by.actor);
      return planJson(campaign, applied.plan, applied.status, {
        actions: applied.actions,
        failed: applied.failed,
      });
    } catch (error) {
      if (error instanceof NoAdminKey) throw new ProblemError("not_ready", error.message);
      throw error;
    }
  };
  const fields = (b: z.infer<typeof fieldsSchema>): PerkFields => {
    const { dryRun: _dryRun, ...rest } = b;
    return rest;
  };

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/perks",
    operationId: "adminListPerks",
    summary: "A campaign's perks with their state on-chain",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    problems: [...PROBLEMS],
    response: {
      status: 200,
      description: "The perks of the rules in effect",
      schema: z.object({
        campaign: z.string(),
        version: z.number().int(),
        pendingVersion: z.number().int().nullable(),
        shop: z.string().nullable(),
        items: z.array(perkStateSchema),
      }),
    },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.slug);
      await authorize(deps.domain, adminOf(req), "campaign.view", campaign.id);
      const list = await tools().list(campaign);
      return {
        campaign: campaign.slug,
        version: list.version,
        pendingVersion: list.pendingVersion,
        shop: list.shop,
        items: list.perks.map((p) => ({
          perkId: p.perkId,
          definition: p.definition,
          onchain: onchainJson(p.onchain, p.definition.stock === null),
          sold: p.sold,
          onSale: p.onSale,
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/perks",
    operationId: "adminCreatePerk",
    summary: "Create a perk (a new rules version), or plan it with `dryRun`",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    body: fieldsSchema.extend({
      id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/),
      title: localizedSchema,
      token: z.string().max(16),
      price: z.string().max(64),
      stock: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 2)
        .nullable(),
    }),
    problems: [...PROBLEMS],
    response: { status: 200, description: "The plan, or what was sent", schema: resultSchema },
    handler: async ({ req, params, body }) => {
      const { id, ...rest } = body;
      return run(
        req,
        params.slug,
        {
          op: "create",
          id,
          fields: { ...fields(rest), title: body.title, token: body.token, price: body.price },
        },
        body.dryRun === true,
      );
    },
  });

  table.add(router, {
    method: "patch",
    path: "/api/admin/campaigns/:slug/perks/:perk",
    operationId: "adminChangePerk",
    summary: "Change a perk's price, stock, end of sale or requirement (a new rules version)",
    tags: ["admin"],
    auth: "admin",
    params: perkParams,
    body: fieldsSchema.extend({ token: z.string().max(16).optional() }),
    problems: [...PROBLEMS],
    response: { status: 200, description: "The plan, or what was sent", schema: resultSchema },
    handler: async ({ req, params, body }) =>
      run(
        req,
        params.slug,
        { op: "update", id: params.perk, fields: fields(body) },
        body.dryRun === true,
      ),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/perks/:perk/retire",
    operationId: "adminRetirePerk",
    summary: "Stop selling a perk: its stock becomes what was sold (a new rules version)",
    tags: ["admin"],
    auth: "admin",
    params: perkParams,
    body: z.object({ dryRun: z.boolean().optional() }),
    problems: [...PROBLEMS],
    response: { status: 200, description: "The plan, or what was sent", schema: resultSchema },
    handler: async ({ req, params, body }) =>
      run(req, params.slug, { op: "retire", id: params.perk }, body.dryRun === true),
  });
}

/** The campaign admin key this service holds for a deployment (none: dry runs only). */
function campaignAdminFor(
  deps: OperatorDeps,
  deployment: Parameters<typeof campaignAdminAccount>[2],
): Promise<LocalAccount | undefined> {
  return campaignAdminAccount(deps.settings, deps.chainId, deployment);
}
