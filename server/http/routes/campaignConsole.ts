/**
 * The console's Campaigns screen (miniapp/src/admin/Campaigns.tsx): drafts from templates,
 * their validation at each field, the dry run with its cost and the deploy with its progress
 * (jobs, server/chain/consoleJobs.ts), and a campaign's versions with what each changed.
 * Lifecycle moves (pause, resume, end, archive) are the lifecycle routes (lifecycle.ts).
 *
 * Rights are checked by the domain (campaignDrafts.ts): reading needs `campaign.view`
 * somewhere, saving and the dry run `campaign.edit` (managers, owners), the deploy
 * `campaign.lifecycle` (owners); each write is audited there.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { ConsoleJob, ConsoleJobs } from "../../chain/consoleJobs.ts";
import {
  authorizeSomewhere,
  DRAFT_SLUG,
  type DraftView,
  draftTemplates,
  getDraft,
  listDrafts,
  saveDraft,
} from "../../domain/campaignDrafts.ts";
import { CAMPAIGN_STATES } from "../../domain/campaignTransitions.ts";
import type { DomainContext } from "../../domain/context.ts";
import { DomainError } from "../../domain/errors.ts";
import { type AdminPrincipal, authorize } from "../../domain/roles.ts";
import { listVersions } from "../../domain/versions.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso, isoOrNull } from "../schemas.ts";
import { changeJson, changeSchema } from "./versions.ts";

const slugParams = z.object({
  slug: z.string().regex(DRAFT_SLUG, "expected lower-case letters, digits and dashes"),
});
const issue = z.object({ path: z.string(), message: z.string() });
const localized = z.object({ en: z.string(), ru: z.string() });

export const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(["dry-run", "deploy", "version"]),
  slug: z.string(),
  actor: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  startedAt: iso,
  finishedAt: iso.nullable(),
  total: z.number().int().nullable().describe("The deploy's Ignition steps, once known"),
  resumed: z.number().int().describe("Steps an interrupted earlier run finished"),
  runs: z
    .number()
    .int()
    .describe("Times the job was started: more than 1 when resumed after an interruption"),
  steps: z.array(
    z.object({
      futureId: z.string(),
      status: z.enum(["sent", "done"]),
      address: z.string().nullable(),
      gasUsed: z.string().nullable(),
      hashes: z.array(z.string()),
    }),
  ),
  report: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      "The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings",
    ),
  campaignId: z.number().int().nullable(),
  error: z.string().nullable(),
  log: z
    .array(z.string())
    .describe("Every line the job printed, in order, across its runs (kept in the database)"),
});

export const jobJson = (j: ConsoleJob): z.input<typeof jobSchema> => ({
  ...j,
  startedAt: j.startedAt.toISOString(),
  finishedAt: isoOrNull(j.finishedAt),
  steps: j.steps.map((s) => ({ ...s, hashes: [...s.hashes] })),
  log: [...j.log],
});

const draftSchema = z.object({
  slug: z.string(),
  document: z.unknown().describe("The campaign file as saved, valid or not"),
  template: z.string(),
  createdBy: z.string(),
  createdAt: iso,
  updatedBy: z.string(),
  updatedAt: iso,
  campaignId: z.number().int().nullable().describe("The campaign deployed from it"),
  campaignState: z
    .enum(CAMPAIGN_STATES)
    .nullable()
    .describe("Its lifecycle state; `deploying`: a deploy to finish (resume)"),
  valid: z.boolean(),
  issues: z.array(issue).describe("Every problem at its field path, e.g. tokens[0].budget"),
  jobs: z.object({ dryRun: jobSchema.nullable(), deploy: jobSchema.nullable() }),
});

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function campaignConsoleRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext; jobs: ConsoleJobs },
): void {
  const { domain, jobs } = deps;

  const draftJson = async (d: DraftView): Promise<z.input<typeof draftSchema>> => {
    const latest = await jobs.latest(d.slug);
    return {
      slug: d.slug,
      document: d.document,
      template: d.template,
      createdBy: d.createdBy,
      createdAt: d.createdAt.toISOString(),
      updatedBy: d.updatedBy,
      updatedAt: d.updatedAt.toISOString(),
      campaignId: d.campaignId,
      campaignState: d.campaignState,
      valid: d.valid,
      issues: d.issues,
      jobs: {
        dryRun: latest["dry-run"] ? jobJson(latest["dry-run"]) : null,
        deploy: latest.deploy ? jobJson(latest.deploy) : null,
      },
    };
  };

  table.add(router, {
    method: "get",
    path: "/api/admin/console/templates",
    operationId: "consoleCampaignTemplates",
    summary:
      "What a new campaign draft can start from: built-in shapes and the campaigns one may see",
    tags: ["admin"],
    auth: "admin",
    problems: ["forbidden"],
    response: {
      status: 200,
      description: "The templates",
      schema: z.object({
        items: z.array(
          z.object({ id: z.string(), kind: z.enum(["builtin", "campaign"]), name: localized }),
        ),
      }),
    },
    handler: async ({ req }) => {
      const by = admin(req);
      await authorizeSomewhere(domain, by, "campaign.edit", "*");
      return { items: draftTemplates(domain, by) };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/console/drafts",
    operationId: "listCampaignDrafts",
    summary: "Campaign drafts, newest first, each with its validation",
    tags: ["admin"],
    auth: "admin",
    problems: ["forbidden"],
    response: {
      status: 200,
      description: "The drafts",
      schema: z.object({ items: z.array(draftSchema) }),
    },
    handler: async ({ req }) => ({
      items: await Promise.all((await listDrafts(domain, admin(req))).map(draftJson)),
    }),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/console/drafts/:slug",
    operationId: "getCampaignDraft",
    summary: "One draft with its problems and its newest dry run and deploy",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "not_found"],
    response: { status: 200, description: "The draft", schema: draftSchema },
    handler: async ({ req, params }) => draftJson(await getDraft(domain, admin(req), params.slug)),
  });

  table.add(router, {
    method: "put",
    path: "/api/admin/console/drafts/:slug",
    operationId: "saveCampaignDraft",
    summary: "Create a draft from a template, or save its campaign file (valid or not)",
    description:
      "Without `document`: a new draft from `template` (`standing`, `launch`, or a campaign's slug). With it: the file as the admin wrote it; the answer lists every problem at its field. Managers and owners; audited (`campaign_draft.created` / `.updated`). A deployed draft or a taken slug: 409 campaign_exists.",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    body: z.object({
      template: z.string().max(48).optional(),
      document: z
        .record(z.string(), z.unknown())
        .optional()
        .describe("The campaign file: a JSON object (its fields are checked, not refused)"),
    }),
    problems: ["forbidden", "not_found", "campaign_exists", "rules_invalid"],
    response: { status: 200, description: "The draft as saved", schema: draftSchema },
    handler: async ({ req, params, body }) =>
      draftJson(
        await saveDraft(domain, admin(req), {
          slug: params.slug,
          template: body.template,
          document: body.document,
        }),
      ),
  });

  for (const kind of ["dry-run", "deploy"] as const)
    table.add(router, {
      method: "post",
      path: `/api/admin/console/drafts/:slug/${kind}`,
      operationId: kind === "deploy" ? "deployCampaignDraft" : "dryRunCampaignDraft",
      summary:
        kind === "deploy"
          ? "Deploy a valid draft (owners): the deploy command as a job, ending with the campaign registered and active"
          : "Dry-run a valid draft (managers, owners): role plan, gas per Ignition step, cost at the target's fee and in USD",
      description:
        "Answers at once with the job; poll `GET /api/admin/console/jobs/{id}`. An invalid draft is 422 rules_invalid with `errors` at their fields; one job per draft at a time (409 job_running). Audited.",
      tags: ["admin"],
      auth: "admin",
      params: slugParams,
      problems: ["forbidden", "not_found", "rules_invalid", "job_running", "campaign_exists"],
      response: { status: 202, description: "The job, started", schema: jobSchema },
      handler: async ({ req, params }) => jobJson(await jobs.start(admin(req), kind, params.slug)),
    });

  table.add(router, {
    method: "get",
    path: "/api/admin/console/jobs/:id",
    operationId: "getConsoleJob",
    summary: "A dry run's or deploy's progress and result",
    tags: ["admin"],
    auth: "admin",
    params: z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, "expected a job id") }),
    problems: ["forbidden", "not_found"],
    response: { status: 200, description: "The job", schema: jobSchema },
    handler: async ({ req, params }) => {
      const by = admin(req);
      const job = await jobs.get(params.id);
      await authorizeSomewhere(domain, by, "campaign.view", job?.slug ?? "*");
      if (!job) throw new DomainError("not_found", `no job ${params.id}`, {});
      return jobJson(job);
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/console/campaigns/:slug/versions",
    operationId: "consoleCampaignVersions",
    summary:
      "A campaign's rules versions, newest first, each with every change from the one before",
    description:
      "Every line, members' and operator-only (fraud, variants, pilot, limits), as data (subject, what it is about, old and new value) that the console words in the admin's language, with an English `text` for scripts.",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "The versions",
      schema: z.object({
        items: z.array(
          z.object({
            version: z.number().int(),
            hash: z.string(),
            status: z.string(),
            createdAt: iso,
            effectiveAt: iso.nullable(),
            txHash: z.string().nullable(),
            changes: z.array(changeSchema),
          }),
        ),
      }),
    },
    handler: async ({ req, params }) => {
      const campaign = domain.campaigns.resolve(params.slug, domain.now());
      await authorize(domain, admin(req), "campaign.view", campaign.id);
      const versions = await listVersions(domain.db, campaign.id, { operator: true });
      return {
        items: versions.map((v) => ({
          version: v.version,
          hash: v.hash,
          status: v.status,
          createdAt: v.createdAt.toISOString(),
          effectiveAt: isoOrNull(v.effectiveAt),
          txHash: v.txHash,
          changes: v.changes.map(changeJson),
        })),
      };
    },
  });
}
