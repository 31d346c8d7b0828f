/**
 * The lifecycle commands as the API, the bot and the CLI offer them (one implementation, so
 * they refuse alike): `validate`, `pause`, `resume`, `end`, `archive`, `promote`, and the
 * campaign's lifecycle view (state, end dates, pilot).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { campaigns } from "../db/schema.ts";
import {
  type CampaignDefinition,
  type CompiledCampaign,
  compileCampaign,
  parseCampaignDefinition,
  validateCampaignDefinition,
} from "./campaign.ts";
import {
  type CampaignState,
  campaignLifecycle,
  clawbackDate,
  graceEndsAt,
  transitionCampaign,
} from "./campaignTransitions.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { pilotStatus, promotePilot } from "./pilots.ts";
import type { AdminPrincipal } from "./roles.ts";

export const CAMPAIGN_COMMANDS = [
  "validate",
  "pause",
  "resume",
  "end",
  "archive",
  "promote",
] as const;
export type CampaignCommand = (typeof CAMPAIGN_COMMANDS)[number];

export function isCampaignCommand(value: string): value is CampaignCommand {
  return (CAMPAIGN_COMMANDS as readonly string[]).includes(value);
}

export interface LifecycleCampaign {
  id: number;
  slug: string;
  definition: CampaignDefinition;
  rules: Pick<CompiledCampaign, "end" | "pilot">;
}

/** What members and admins are told about a campaign's lifecycle. */
export interface CampaignLifecycleView {
  slug: string;
  state: CampaignState;
  stateChangedAt: Date;
  /** When `end` was made; null before. */
  endedAt: Date | null;
  /** Until when referrals attributed before the end may still qualify. */
  graceEndsAt: Date | null;
  /** The last day to claim: the final epoch's deadline; unclaimed rewards return after it. */
  clawbackAt: Date | null;
  pilot: { promotedAt: Date | null; members: number } | null;
}

export async function campaignLifecycleView(
  ctx: Pick<DomainContext, "db">,
  campaign: LifecycleCampaign,
): Promise<CampaignLifecycleView> {
  const [l, pilot] = await Promise.all([
    campaignLifecycle(ctx.db, campaign.id),
    pilotStatus(ctx.db, campaign),
  ]);
  return {
    slug: campaign.slug,
    state: l.state,
    stateChangedAt: l.stateChangedAt,
    endedAt: l.endedAt,
    graceEndsAt: l.endedAt ? graceEndsAt(l.endedAt, campaign.rules) : null,
    clawbackAt: l.endedAt ? clawbackDate(l.endedAt, campaign.rules) : null,
    pilot: pilot.pilot ? { promotedAt: pilot.promotedAt, members: pilot.members } : null,
  };
}

/**
 * Runs one lifecycle command as `by` and returns the campaign's lifecycle after it. Refusals:
 * `forbidden` (role), `campaign_transition_refused` (state), `rules_invalid` (validate).
 */
export async function runCampaignCommand(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: LifecycleCampaign,
  command: CampaignCommand,
  reason?: string,
): Promise<CampaignLifecycleView> {
  switch (command) {
    case "promote":
      await promotePilot(ctx, by, campaign);
      break;
    case "validate": {
      // The file was validated when it was loaded; checked again, so the move says so.
      const checked = validateCampaignDefinition(campaign.definition);
      if (!checked.ok)
        throw new DomainError("rules_invalid", "the campaign file is not valid", {
          issues: checked.issues,
        });
      await transitionCampaign(ctx, by, campaign.id, "validate");
      break;
    }
    case "end":
      await transitionCampaign(ctx, by, campaign.id, "end", {
        graceHours: campaign.rules.end.graceHours,
        claimDays: campaign.rules.end.claimDays,
        ...(reason ? { reason } : {}),
      });
      break;
    default:
      await transitionCampaign(ctx, by, campaign.id, command, reason ? { reason } : {});
  }
  return campaignLifecycleView(ctx, campaign);
}

/**
 * A campaign as the database holds it (the CLI, which runs without the campaign files): its
 * rules in effect compiled. `campaign_not_found` when no campaign has the slug.
 */
export async function storedCampaign(db: Db, slug: string): Promise<LifecycleCampaign> {
  const [row] = await db
    .select({ id: campaigns.id, slug: campaigns.slug, definition: campaigns.definition })
    .from(campaigns)
    .where(eq(campaigns.slug, slug));
  if (!row) throw new DomainError("campaign_not_found", `no campaign ${slug}`, { slug });
  const definition = parseCampaignDefinition(row.definition, `campaign ${slug}`);
  return { id: row.id, slug: row.slug, definition, rules: compileCampaign(definition) };
}
