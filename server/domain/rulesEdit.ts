/**
 * A deployed campaign's rules edited in the admin console as its next version: who may, and
 * whether the edited file can be a version at all. Planning, sending and recording it is the
 * code path of `npm run campaign:version` (server/chain/versionCommand.ts); the version itself,
 * its audit row and its taking effect are versions.ts's.
 */
import { writeAudit } from "./audit.ts";
import {
  type CampaignDefinition,
  type CampaignIssue,
  validateCampaignDefinition,
} from "./campaign.ts";
import { campaignLifecycle } from "./campaignTransitions.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

/** States in which a campaign's rules can get a new version (deployed, not over). */
const EDITABLE = new Set(["active", "paused"]);

/**
 * `campaign.edit` in the campaign (managers, owners; a refusal leaves its `access.denied` row),
 * the campaign deployed and running, and `document` a valid campaign file for the same slug and
 * on-chain id; else `rules_invalid` with every problem at its field. Writes nothing else.
 */
export async function checkNewRules(
  ctx: Pick<DomainContext, "db" | "now">,
  p: AdminPrincipal,
  campaign: Campaign,
  document: unknown,
): Promise<CampaignDefinition> {
  await authorize(ctx, p, "campaign.edit", campaign.id);
  const { state } = await campaignLifecycle(ctx.db, campaign.id);
  if (!EDITABLE.has(state) || !campaign.deployment)
    throw new DomainError(
      "campaign_inactive",
      `${campaign.slug} is ${state}${campaign.deployment ? "" : " and not deployed on this chain"}: a new rules version needs a deployed, running campaign`,
      { state },
    );
  const result = validateCampaignDefinition(document);
  const issues: CampaignIssue[] = result.ok ? [] : [...result.issues];
  const doc = (typeof document === "object" && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  if (doc.slug !== campaign.slug)
    issues.push({
      path: "slug",
      message: `stays "${campaign.slug}": it names the deployed campaign`,
    });
  if (doc.onchainId !== campaign.definition.onchainId)
    issues.push({
      path: "onchainId",
      message: `stays ${campaign.definition.onchainId}: it names the deployed campaign`,
    });
  if (!result.ok || issues.length > 0)
    throw new DomainError(
      "rules_invalid",
      `the new rules have ${issues.length} problem(s): ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { errors: issues },
    );
  return result.definition;
}

/** The console's dry run of a new version, audited (who looked at which change). */
export async function auditRulesDryRun(
  ctx: Pick<DomainContext, "db" | "now">,
  p: AdminPrincipal,
  campaign: Campaign,
  outcome: { version: number | null; hash: string; changes: number; refusals: number },
): Promise<void> {
  await writeAudit(ctx.db, {
    actor: p.actor,
    action: "campaign.rules_version_dry_run",
    subjectType: "campaign",
    subjectId: campaign.id,
    campaignId: campaign.id,
    before: { version: campaign.version },
    after: null,
    details: outcome,
    at: ctx.now(),
  });
}
