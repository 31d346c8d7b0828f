/**
 * "Promote the winner" of a campaign's A/B experiment: the winning variant's rewards become the
 * campaign's rules for everyone, as a new rules version (server/domain/versions.ts), which
 * takes effect like any other once `npm run campaign:version` has published it on-chain.
 *
 * - Needs `campaign.edit` in the campaign (managers, owners, super-admins; analysts may read the
 *   experiment but not promote). A refusal leaves its `access.denied` row and nothing else.
 * - Only the arm the statistics name as winner (significantly better than control after the
 *   Bonferroni correction, analytics/queries.ts) can be promoted: the numbers are computed
 *   again here, at the moment of promotion, whatever the page showed.
 * - The new rules: the winner's level amounts written into the levels (a percent level it
 *   overrode becomes a fixed one, as the variant paid it), and no variants left.
 * - Audited in one transaction with the version: `experiment.promoted` with the variants before
 *   and the levels after, and the statistics the decision rested on (besides the version's own
 *   `campaign.rules_version` row). Promoting the same winner again changes and writes nothing.
 * - A pending version with other rules is never replaced from here (`rules_version_pending`):
 *   finish or drop it first.
 */

import { writeAudit } from "../audit.ts";
import type { CampaignDefinition } from "../campaign.ts";
import { rulesDocument } from "../campaign.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { Campaign } from "../registry.ts";
import { type AdminPrincipal, authorize } from "../roles.ts";
import {
  definitionOf,
  documentHash,
  type PreparedVersion,
  prepareVersion,
  rulesDocumentPath,
  versionState,
} from "../versions.ts";
import { analyticsExperiments, type ExperimentArm } from "./queries.ts";

export interface PromoteInput {
  variant: string;
  /** Minimum detectable effect the page used (only recorded with the decision). */
  mde: number;
  /** Base of the rules document's public URL (PUBLIC_URL). */
  publicUrl: string;
}

export interface PromoteResult extends PreparedVersion {
  hash: string;
  arm: ExperimentArm;
}

/** The campaign's rules with `variant`'s amounts for everyone and the experiment ended. */
export function promotedDefinition(
  definition: CampaignDefinition,
  campaign: Pick<Campaign, "rules">,
  variant: string,
): CampaignDefinition {
  const winner = definition.variants.find((v) => v.id === variant);
  if (!winner)
    throw new DomainError("not_found", `the rules in effect have no variant ${variant}`, {
      variant,
    });
  const levels = definition.levels.map((l) => {
    const amount = winner.levelAmounts[String(l.level)];
    if (amount === undefined) return l;
    const token = campaign.rules.levels.find((c) => c.level === l.level)?.token;
    return "amount" in l
      ? { ...l, amount }
      : { level: l.level, amount, ...(token ? { token } : {}) };
  });
  return { ...definition, levels, variants: [] };
}

export async function promoteWinner(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: Campaign,
  input: PromoteInput,
): Promise<PromoteResult> {
  await authorize(ctx, by, "campaign.edit", campaign.id);
  const experiment = await analyticsExperiments(ctx, by, campaign, { mde: input.mde });
  const arm = experiment.arms.find((a) => a.variant === input.variant);
  if (!arm || experiment.winner !== input.variant || !arm.comparison)
    throw new DomainError(
      "experiment_no_winner",
      experiment.winner === null
        ? "no variant is significantly better than control: nothing to promote"
        : `${input.variant} is not the winner (${experiment.winner} is)`,
      { variant: input.variant, winner: experiment.winner },
    );
  const state = await versionState(ctx.db, campaign.id);
  const current = definitionOf(state.effective.document, `${campaign.slug} in effect`);
  const next = promotedDefinition(current, campaign, input.variant);
  const document = rulesDocument(next);
  const hash = documentHash(document);
  if (state.pending && state.pending.hash !== hash)
    throw new DomainError(
      "rules_version_pending",
      `version ${state.pending.version} is pending with other rules: finish or replace it with npm run campaign:version first`,
      { version: state.pending.version },
    );
  const version = state.pending?.version ?? state.nextVersion;
  return ctx.db.transaction(async (tx) => {
    const prepared = await prepareVersion(tx, {
      campaignId: campaign.id,
      version,
      document,
      rulesUrl: `${input.publicUrl}${rulesDocumentPath(campaign.slug, hash)}`,
      // Planned from the chain by `npm run campaign:version` (it resumes this version).
      actions: [],
      createdBy: by.actor,
    });
    if (prepared.outcome !== "resumed") {
      const c = arm.comparison!;
      await writeAudit(tx, {
        actor: by.actor,
        action: "experiment.promoted",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        before: { variants: current.variants, levels: current.levels },
        after: { variants: next.variants, levels: next.levels, version: prepared.version, hash },
        details: {
          variant: input.variant,
          control: experiment.control,
          method: "two-proportion z-test, Bonferroni",
          alphaPerComparison: experiment.alphaPerComparison,
          members: arm.members,
          qualified: arm.qualified,
          conversion: arm.conversion,
          difference: c.difference,
          ciLow: c.ciLow,
          ciHigh: c.ciHigh,
          pValue: c.pValue,
          probabilityToBeatControl: c.probabilityToBeatControl,
          mde: input.mde,
        },
        at: ctx.now(),
      });
    }
    return { ...prepared, hash, arm };
  });
}
