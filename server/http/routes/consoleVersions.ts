/**
 * The console's "new rules version" of a deployed campaign (miniapp/src/admin/RulesVersion.tsx):
 * the rules in effect to edit, the dry run (every change as data, what only a redeploy could
 * change, each on-chain action with its gas and the cost), and the apply as a job (poll
 * `GET /api/admin/console/jobs/{id}`) that runs what `npm run campaign:version` runs
 * (server/chain/consoleVersions.ts). Managers and owners (`campaign.edit`); the dry run and the
 * version are audited.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { ConsoleVersions } from "../../chain/consoleVersions.ts";
import type { DomainContext } from "../../domain/context.ts";
import { type AdminPrincipal, authorize } from "../../domain/roles.ts";
import { versionState } from "../../domain/versions.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { jobJson, jobSchema } from "./campaignConsole.ts";
import { changeJson, changeSchema } from "./versions.ts";

const slugParams = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected lower-case letters, digits and dashes"),
});
const body = z.object({
  document: z
    .record(z.string(), z.unknown())
    .describe("The campaign file with the new rules (slug and on-chain id unchanged)"),
});

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function consoleVersionRoutes(
  table: RouteTable,
  router: Router,
  deps: {
    domain: DomainContext;
    versions: ConsoleVersions;
  },
): void {
  const { domain, versions } = deps;

  table.add(router, {
    method: "get",
    path: "/api/admin/console/campaigns/:slug/rules",
    operationId: "consoleCampaignRules",
    summary: "A campaign's rules in effect, to edit as its next version",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "The rules in effect and a version being applied, if any",
      schema: z.object({
        slug: z.string(),
        version: z.number().int(),
        deployed: z.boolean(),
        document: z.record(z.string(), z.unknown()),
        pending: z.object({ version: z.number().int(), hash: z.string() }).nullable(),
      }),
    },
    handler: async ({ req, params }) => {
      const campaign = domain.campaigns.resolve(params.slug, domain.now());
      await authorize(domain, admin(req), "campaign.view", campaign.id);
      const state = await versionState(domain.db, campaign.id);
      return {
        slug: campaign.slug,
        version: state.effective.version,
        deployed: campaign.deployment !== null,
        document: JSON.parse(state.effective.document) as Record<string, unknown>,
        pending: state.pending
          ? { version: state.pending.version, hash: state.pending.hash }
          : null,
      };
    },
  });

  const actionSchema = z.object({
    key: z.string(),
    description: z.string(),
    contract: z.string(),
    functionName: z.string(),
    address: z.string(),
    args: z.array(z.unknown()),
    data: z.string(),
    status: z.enum(["planned", "sent", "done"]),
    txHash: z.string().nullable(),
    gas: z.string().nullable().describe("Simulated gas from the campaign admin"),
    estimateError: z.string().nullable(),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/console/campaigns/:slug/versions/dry-run",
    operationId: "dryRunCampaignVersion",
    summary:
      "Dry-run new rules: every change, what only a redeploy could change, the on-chain actions with gas and cost",
    description:
      "Writes nothing but its audit row (`campaign.rules_version_dry_run`). Invalid rules: 422 rules_invalid with `errors` at their fields. Managers and owners.",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    body,
    problems: ["forbidden", "campaign_not_found", "campaign_inactive", "rules_invalid"],
    response: {
      status: 200,
      description: "The plan",
      schema: z.object({
        fromVersion: z.number().int(),
        version: z
          .number()
          .int()
          .nullable()
          .describe("The new version's number; null: these rules are in effect already"),
        hash: z.string(),
        rulesUrl: z.string().describe("The rules document's URL, published on-chain with it"),
        resuming: z.boolean(),
        blockedBy: z.object({ version: z.number().int(), hash: z.string() }).nullable(),
        changes: z.array(changeSchema),
        refusals: z
          .array(z.string())
          .describe("What only a redeploy could change: nothing is sent"),
        actions: z.array(actionSchema),
        cost: z
          .object({
            feePerGas: z.string().describe("Wei per gas now"),
            cost: z.string().describe("Wei for the actions not done yet"),
            usd: z.string().nullable(),
          })
          .nullable(),
        admin: z.object({ address: z.string().nullable(), canSend: z.boolean() }),
      }),
    },
    handler: async ({ req, params, body: b }) => {
      const r = await versions.dryRun(admin(req), params.slug, b.document);
      return { ...r, changes: r.changes.map(changeJson) };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/console/campaigns/:slug/versions",
    operationId: "applyCampaignVersion",
    summary:
      "Apply new rules as the campaign's next version: recorded, its on-chain actions sent, published with updateRules",
    description:
      "Answers at once with the job; poll `GET /api/admin/console/jobs/{id}` (its report: version, rulesTx, rulesUrl, effective). What `npm run campaign:version` does. Refused with nothing written: invalid rules (422 rules_invalid), what only a redeploy could change (422), another version half applied (409 rules_version_pending), no campaign admin key here (403). Audited (`campaign.rules_version`). Managers and owners.",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    body,
    problems: [
      "forbidden",
      "campaign_not_found",
      "campaign_inactive",
      "rules_invalid",
      "rules_version_pending",
      "job_running",
    ],
    response: { status: 202, description: "The job, started", schema: jobSchema },
    handler: async ({ req, params, body: b }) =>
      jobJson(await versions.apply(admin(req), params.slug, b.document)),
  });
}
