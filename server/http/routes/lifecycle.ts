/**
 * The campaign lifecycle over HTTP (server/domain/lifecycleCommands.ts; the bot and
 * `npm run campaign` offer the same commands):
 *
 * - `GET /api/admin/campaigns/{slug}/lifecycle`: the state, end dates and pilot.
 * - `POST /api/admin/campaigns/{slug}/{validate|pause|resume|end|archive|promote}`: one move.
 *   Pause and resume need `campaign.pause` (managers, owners); the others `campaign.lifecycle`
 *   (owners, super-admins). A move the state does not allow is 409
 *   `campaign_transition_refused` and changes nothing.
 * - `GET /api/campaigns/{slug}/lifecycle` (public): what members see: the state and, once the
 *   campaign ended, until when referrals may qualify and the clawback date.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { CAMPAIGN_STATES } from "../../domain/campaignTransitions.ts";
import type { DomainContext } from "../../domain/context.ts";
import {
  CAMPAIGN_COMMANDS,
  type CampaignLifecycleView,
  campaignLifecycleView,
  runCampaignCommand,
} from "../../domain/lifecycleCommands.ts";
import { type AdminPrincipal, authorize } from "../../domain/roles.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso, isoOrNull } from "../schemas.ts";

const slugParams = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug"),
});

const lifecycleSchema = z.object({
  slug: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  stateChangedAt: iso,
  endedAt: iso.nullable(),
  graceEndsAt: iso
    .nullable()
    .describe("Referrals attributed before the end may qualify until then"),
  clawbackAt: iso
    .nullable()
    .describe(
      "The last moment to claim (the final epoch's deadline); unclaimed rewards return after it",
    ),
  pilot: z
    .object({ promotedAt: iso.nullable(), members: z.number().int() })
    .nullable()
    .describe("null: not a pilot"),
});

const json = (v: CampaignLifecycleView): z.input<typeof lifecycleSchema> => ({
  slug: v.slug,
  state: v.state,
  stateChangedAt: v.stateChangedAt.toISOString(),
  endedAt: isoOrNull(v.endedAt),
  graceEndsAt: isoOrNull(v.graceEndsAt),
  clawbackAt: isoOrNull(v.clawbackAt),
  pilot: v.pilot ? { promotedAt: isoOrNull(v.pilot.promotedAt), members: v.pilot.members } : null,
});

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

const SUMMARIES: Record<(typeof CAMPAIGN_COMMANDS)[number], string> = {
  validate: "Mark a draft campaign validated (its file checked again); owners",
  pause: "Pause an active campaign: no new referrals, qualifying ones wait in review; managers",
  resume: "Resume a paused campaign; managers",
  end: "End the campaign: no new referrals; pending ones get the file's grace, then the final epoch; owners",
  archive: "Archive an ended campaign; owners",
  promote: "Open a pilot campaign to everyone, without a redeploy; owners",
};

export function lifecycleRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;
  const campaignOf = (slug: string) => domain.campaigns.resolve(slug, domain.now());

  table.add(router, {
    method: "get",
    path: "/api/campaigns/:slug/lifecycle",
    operationId: "getCampaignLifecycle",
    summary: "A campaign's state and, once it ended, its grace end and clawback date",
    tags: ["public"],
    auth: "none",
    params: slugParams,
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The lifecycle", schema: lifecycleSchema },
    handler: async ({ params }) =>
      json(await campaignLifecycleView(domain, campaignOf(params.slug))),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/lifecycle",
    operationId: "getAdminCampaignLifecycle",
    summary: "A campaign's lifecycle (anyone who may see the campaign)",
    tags: ["admin"],
    auth: "admin",
    params: slugParams,
    problems: ["campaign_not_found", "forbidden"],
    response: { status: 200, description: "The lifecycle", schema: lifecycleSchema },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.slug);
      await authorize(domain, admin(req), "campaign.view", campaign.id);
      return json(await campaignLifecycleView(domain, campaign));
    },
  });

  for (const command of CAMPAIGN_COMMANDS) {
    table.add(router, {
      method: "post",
      path: `/api/admin/campaigns/:slug/${command}`,
      operationId: `${command}Campaign`,
      summary: SUMMARIES[command],
      description:
        "A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.",
      tags: ["admin"],
      auth: "admin",
      params: slugParams,
      body: z.object({ reason: z.string().trim().min(3).max(500).optional() }),
      problems: ["campaign_not_found", "forbidden", "campaign_transition_refused", "rules_invalid"],
      response: {
        status: 200,
        description: "The lifecycle after the move",
        schema: lifecycleSchema,
      },
      handler: async ({ req, params, body }) =>
        json(
          await runCampaignCommand(
            domain,
            admin(req),
            campaignOf(params.slug),
            command,
            body.reason,
          ),
        ),
    });
  }
}
