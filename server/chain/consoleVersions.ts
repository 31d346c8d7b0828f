/**
 * The admin console's "new rules version" of a deployed campaign: the dry run (every change,
 * what only a redeploy could change, each on-chain action with its simulated gas and the cost
 * at the chain's fee) and the apply, a console job (consoleJobs.ts) running the code path of
 * `npm run campaign:version` (versionCommand.ts) in this process: the version recorded in the
 * admin's name (audited by the domain), the campaign admin's transactions sent and recorded one
 * by one, the last `ReferralPayouts.updateRules(version, hash, uri)` whose `RulesPublished` log
 * the indexer turns into the version taking effect.
 *
 * Rights and the edited file's validity are the domain's (rulesEdit.ts `checkNewRules`).
 */
import type { Address, PublicClient } from "viem";
import type { CampaignDefinition } from "../domain/campaign.ts";
import type { ConsoleJob } from "../domain/consoleJobs.ts";
import type { DomainContext } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import type { Campaign } from "../domain/registry.ts";
import type { AdminPrincipal } from "../domain/roles.ts";
import type { RulesChange } from "../domain/rulesDiff.ts";
import { auditRulesDryRun, checkNewRules } from "../domain/rulesEdit.ts";
import {
  prepareVersion,
  recordVersionAction,
  refreshCampaignVersions,
  type VersionAction,
  versionState,
} from "../domain/versions.ts";
import type { KeySource } from "./config.ts";
import type { ConsoleJobs } from "./consoleJobs.ts";
import { evmPublicClient } from "./evm/client.ts";
import {
  applyRulesVersion,
  type CostEstimate,
  estimateActions,
  planRulesVersion,
  type VersionSetup,
  waitEffective,
} from "./versionCommand.ts";
import { campaignAdminAccount } from "./versions.ts";

export interface ConsoleVersionsOptions {
  chainId: number;
  rpcUrl?: string;
  /** Base of the rules documents' URLs and of badge metadata (PUBLIC_URL). */
  publicUrl: string;
  /** The campaign admin's key (CAMPAIGN_ADMIN_PRIVATE_KEY or its keystore). */
  admin: () => KeySource;
  /** NATIVE_USD_PRICE: dollars per native coin, for the cost in dollars. */
  usdPrice: () => string | undefined;
  /** How long the apply waits for the indexer to see the version take effect. */
  waitMs?: number;
}

export interface RulesDryRun {
  /** The version in effect now. */
  fromVersion: number;
  /** The number the new rules get; null: they are in effect and on-chain already. */
  version: number | null;
  hash: string;
  rulesUrl: string;
  resuming: boolean;
  blockedBy: { version: number; hash: string } | null;
  changes: RulesChange[];
  refusals: string[];
  actions: Array<VersionAction & { gas: string | null; estimateError: string | null }>;
  cost: Omit<CostEstimate, "actions"> | null;
  /** The campaign admin that would send them, and whether this service holds its key. */
  admin: { address: string | null; canSend: boolean };
}

export interface ConsoleVersions {
  dryRun(p: AdminPrincipal, slug: string, document: unknown): Promise<RulesDryRun>;
  apply(p: AdminPrincipal, slug: string, document: unknown): Promise<ConsoleJob>;
}

export function createConsoleVersions(
  domain: Pick<DomainContext, "db" | "now" | "campaigns">,
  jobs: ConsoleJobs,
  options: ConsoleVersionsOptions,
): ConsoleVersions {
  let client: PublicClient | undefined;
  const chain = (): PublicClient => {
    if (!options.rpcUrl)
      throw new DomainError(
        "campaign_inactive",
        "RPC_URL is not set: the service has no chain to publish rules on",
        {},
      );
    client ??= evmPublicClient(options.rpcUrl, options.chainId, "reads");
    return client;
  };

  const setupFor = (campaign: Campaign, actor: AdminPrincipal["actor"]): VersionSetup => ({
    store: {
      via: "the console",
      state: () => versionState(domain.db, campaign.id),
      prepare: (input) =>
        prepareVersion(domain.db, { ...input, campaignId: campaign.id, createdBy: actor }),
      record: async (version, key, status, txHash) => {
        await recordVersionAction(domain.db, {
          campaignId: campaign.id,
          version,
          key,
          status,
          txHash,
        });
      },
      // The service's indexer records the version taking effect.
      index: async () => {},
      close: async () => {},
    },
    client: chain(),
    chainId: options.chainId,
    deployment: campaign.deployment!,
    publicUrl: options.publicUrl,
  });

  async function prepare(p: AdminPrincipal, slug: string, document: unknown) {
    const campaign = domain.campaigns.bySlug(slug);
    if (!campaign) throw new DomainError("campaign_not_found", `no campaign ${slug}`, { slug });
    const to: CampaignDefinition = await checkNewRules(domain, p, campaign, document);
    const setup = setupFor(campaign, p.actor);
    const planned = await planRulesVersion(setup, to);
    const account = await campaignAdminAccount(
      { admin: options.admin() },
      options.chainId,
      campaign.deployment!,
    );
    return { campaign, setup, planned, account };
  }

  return {
    async dryRun(p, slug, document) {
      const { campaign, setup, planned, account } = await prepare(p, slug, document);
      const adminAddress = (account?.address ??
        campaign.deployment?.roles?.admin ??
        null) as Address | null;
      const plan = planned.plan;
      const estimate =
        plan && plan.refusals.length === 0 && adminAddress
          ? await estimateActions(setup.client, adminAddress, plan.actions, options.usdPrice())
          : undefined;
      const gasOf = new Map(estimate?.actions.map((a) => [a.key, a]) ?? []);
      const result: RulesDryRun = {
        fromVersion: planned.state.effective.version,
        version: planned.version ?? null,
        hash: planned.hash,
        rulesUrl: planned.rulesUrl,
        resuming: planned.resuming,
        blockedBy: planned.blockedBy ?? null,
        changes: plan?.changes ?? [],
        refusals: plan?.refusals ?? [],
        actions: (plan?.actions ?? []).map((a) => ({
          ...a,
          gas: gasOf.get(a.key)?.gas ?? null,
          estimateError: gasOf.get(a.key)?.error ?? null,
        })),
        cost: estimate
          ? { feePerGas: estimate.feePerGas, cost: estimate.cost, usd: estimate.usd }
          : null,
        admin: { address: adminAddress, canSend: account !== undefined },
      };
      await auditRulesDryRun(domain, p, campaign, {
        version: result.version,
        hash: result.hash,
        changes: result.changes.length,
        refusals: result.refusals.length,
      });
      return result;
    },

    async apply(p, slug, document) {
      const { campaign, setup, planned, account } = await prepare(p, slug, document);
      if (planned.version === undefined)
        throw new DomainError(
          "rules_version_pending",
          `these rules are version ${planned.state.effective.version}, in effect and published`,
          { version: planned.state.effective.version },
        );
      if (planned.blockedBy)
        throw new DomainError(
          "rules_version_pending",
          `version ${planned.blockedBy.version} is half applied: finish it first`,
          planned.blockedBy,
        );
      const plan = planned.plan!;
      if (plan.refusals.length > 0)
        throw new DomainError(
          "rules_invalid",
          `only a redeploy could: ${plan.refusals.join("; ")}`,
          { errors: plan.refusals.map((message) => ({ path: "", message })) },
        );
      if (!account)
        throw new DomainError(
          "forbidden",
          "this service holds no campaign admin key (CAMPAIGN_ADMIN_PRIVATE_KEY or CAMPAIGN_ADMIN_KEYSTORE): send the dry run's transactions from the admin (e.g. a multisig)",
          {},
        );
      return jobs.startVersion(p, slug, campaign.id, async ({ log, steps }) => {
        const total = plan.actions.length;
        const progress = plan.actions.map((a) => ({
          futureId: a.key,
          status: "sent" as const,
          address: a.address,
          gasUsed: null,
          hashes: a.txHash ? [a.txHash] : [],
        }));
        log(
          `rules version ${planned.version}${planned.resuming ? " (resuming)" : ""} of ${slug}, after version ${planned.state.effective.version}: ${total} transaction(s) from ${account.address}; document ${planned.rulesUrl}`,
        );
        const result = await applyRulesVersion(
          {
            ...setup,
            store: {
              ...setup.store,
              record: async (version, key, status, txHash) => {
                await setup.store.record(version, key, status, txHash);
                const step = progress.find((s) => s.futureId === key);
                if (step && txHash && !step.hashes.includes(txHash)) step.hashes.push(txHash);
                if (step && status === "done") Object.assign(step, { status: "done" });
                steps(
                  progress.filter((s) => s.hashes.length > 0),
                  total,
                );
              },
            },
          },
          planned,
          account,
          log,
        );
        if (!result.ok)
          throw new Error(
            `stopped at ${result.failed?.key}: ${result.failed?.reason}. What was sent is recorded; apply again to go on.`,
          );
        const effective = await waitEffective(setup, result.version, options.waitMs ?? 60_000);
        // This process runs it at once (the others at their next registry check).
        if (effective) await refreshCampaignVersions(domain);
        log(
          effective
            ? `rules version ${result.version} took effect at block ${effective.effective.blockNumber}`
            : `published; version ${result.version} takes effect once the indexer sees block ${result.rulesBlock}`,
        );
        return {
          version: result.version,
          outcome: result.outcome,
          hash: planned.hash,
          rulesUrl: planned.rulesUrl,
          rulesTx: result.rulesTx ?? null,
          rulesBlock: result.rulesBlock ?? null,
          effective: effective !== undefined,
        };
      });
    },
  };
}
