/**
 * `npm run campaign:version`: makes a changed campaign file the campaign's next rules version.
 *
 *   npm run campaign:version -- <campaign file> [--dry-run] [--rules-url <url>]
 *     [--metadata-url <url>] [--no-wait] [--timeout <seconds>]
 *
 * 1. Compares the file with the rules version in effect and prints every difference (what
 *    members will be told, then what only the operator sees), and what the file changes that
 *    only a redeploy could (then it stops: nothing is changed).
 * 2. Plans the admin's transactions from the chain as it is (server/chain/versions.ts): budgets
 *    and limits, escrow release limits, perks, badges, and last `updateRules(version, hash,
 *    uri)`, which makes the version take effect in its block. Each is printed with its
 *    calldata (a multisig admin can send them as they are).
 * 3. `--dry-run` stops here: nothing is written, nothing is sent.
 * 4. Otherwise it records the version (pending) and sends the transactions with the campaign
 *    admin's key (CAMPAIGN_ADMIN_PRIVATE_KEY, or CAMPAIGN_ADMIN_KEYSTORE + _PASSWORD; on a
 *    development chain Hardhat's account #0, the dev deployer, when the deployment names it as
 *    admin), recording each before it is broadcast; then waits until the indexer has seen the
 *    version take effect (`--no-wait` does not). Run again after an interruption, it resumes.
 *
 * The rules document is published at `--rules-url` (default: PUBLIC_URL +
 * `/rules/<slug>/<sha256>.json`, served by the service from its database).
 *
 * Next to `npm run dev` it needs no setup and works through the dev service (its PGlite
 * database is the service's own); otherwise it uses the server's environment (DATABASE_URL or
 * DATA_DIR, RPC_URL, CHAIN_ID), like the other operator commands (server/chain/operatorTarget.ts).
 */
import { readFile } from "node:fs/promises";
import type { LocalAccount } from "viem";
import { type Args, parseArgs, runCommand } from "../server/chain/cli.ts";
import { loadChainSettings } from "../server/chain/config.ts";
import { evmPublicClient } from "../server/chain/evm/client.ts";
import { indexerJob } from "../server/chain/jobs.ts";
import {
  callService,
  type OperatorTarget,
  operatorTarget,
  readDevRuntime,
} from "../server/chain/operatorTarget.ts";
import { openChain } from "../server/chain/standalone.ts";
import {
  applyRulesVersion,
  planRulesVersion,
  type VersionSetup,
  type VersionStore,
  waitEffective,
} from "../server/chain/versionCommand.ts";
import { campaignAdminAccount, type VersionPlan } from "../server/chain/versions.ts";
import { ConfigError, loadConfig } from "../server/config.ts";
import { type CampaignDefinition, parseCampaignDefinition } from "../server/domain/campaign.ts";
import type { Actor } from "../server/domain/context.ts";
import { type CampaignDeployment, loadDeployment } from "../server/domain/deployment.ts";
import { describeChange } from "../server/domain/rulesDiff.ts";
import {
  type PreparedVersion,
  prepareVersion,
  recordVersionAction,
  type VersionState,
  versionState,
} from "../server/domain/versions.ts";

const USAGE =
  "usage: npm run campaign:version -- <campaign file> [--dry-run] [--rules-url <url>] [--metadata-url <url>] [--no-wait] [--timeout <seconds>]";

type Setup = VersionSetup;

type ServiceTarget = Extract<OperatorTarget, { kind: "service" }>;

interface StateJson {
  campaignId: number;
  effective: VersionState["effective"] & { createdAt: string; effectiveAt: string | null };
  pending: (VersionState["effective"] & { createdAt: string; effectiveAt: string | null }) | null;
  nextVersion: number;
}

const revive = (v: StateJson["effective"]) => ({
  ...v,
  createdAt: new Date(v.createdAt),
  effectiveAt: v.effectiveAt ? new Date(v.effectiveAt) : null,
});

async function throughService(
  target: ServiceTarget,
  slug: string,
  onchainId: number,
): Promise<Setup> {
  const config = loadConfig(process.env);
  const dev = readDevRuntime();
  const rpcUrl = process.env.RPC_URL?.trim() || dev?.rpcUrl;
  const chainId = dev && !process.env.RPC_URL ? dev.chainId : config.chain.chainId;
  if (!rpcUrl)
    throw new ConfigError([
      { variable: "RPC_URL", message: "is required to plan on-chain changes" },
    ]);
  const loaded = await loadDeployment(config.campaigns.deploymentsDir, chainId, slug, onchainId);
  if (loaded.status !== "ok")
    throw new Error(
      loaded.status === "missing"
        ? `${slug} is not deployed on chain ${chainId} (no deployment file)`
        : loaded.error,
    );
  const base = `/api/operator/campaigns/${slug}/versions`;
  const store: VersionStore = {
    via: `${target.via} at ${target.apiUrl}`,
    state: async () => {
      const s = await callService<StateJson>(target, "GET", base);
      return {
        campaignId: s.campaignId,
        effective: revive(s.effective),
        pending: s.pending ? revive(s.pending) : null,
        nextVersion: s.nextVersion,
      };
    },
    prepare: (input) => callService<PreparedVersion>(target, "POST", base, input),
    record: async (version, key, status, txHash) => {
      await callService(target, "POST", `${base}/${version}/actions`, { key, status, txHash });
    },
    // The service's indexer records the version taking effect.
    index: async () => {},
    close: async () => {},
  };
  return {
    store,
    client: evmPublicClient(rpcUrl, chainId),
    chainId,
    deployment: loaded.deployment,
    publicUrl: dev && !process.env.PUBLIC_URL ? dev.apiUrl : config.http.publicUrl,
  };
}

async function local(slug: string, actor: Actor): Promise<Setup> {
  const { ctx, close } = await openChain(process.env, { logName: "refmint-campaign-version" });
  try {
    const campaign = ctx.contracts.bySlug(slug)?.campaign;
    if (!campaign?.deployment)
      throw new Error(`${slug} is not deployed on chain ${ctx.chainId} (see DEPLOYMENTS_DIR)`);
    // Made only once something was sent: a dry run writes nothing, not even the job's status.
    let indexer: ReturnType<typeof indexerJob> | undefined;
    const store: VersionStore = {
      via: "this process",
      state: () => versionState(ctx.db, campaign.id),
      prepare: (input) =>
        prepareVersion(ctx.db, { ...input, campaignId: campaign.id, createdBy: actor }),
      record: async (version, key, status, txHash) => {
        await recordVersionAction(ctx.db, {
          campaignId: campaign.id,
          version,
          key,
          status,
          txHash,
        });
      },
      // Yields to an indexer running elsewhere (its lease); otherwise reads the new blocks.
      index: async () => {
        indexer ??= indexerJob(ctx);
        await indexer.runOnce();
      },
      close: async () => {
        await indexer?.stop();
        await close();
      },
    };
    return {
      store,
      client: ctx.driver.client,
      chainId: ctx.chainId,
      deployment: campaign.deployment,
      publicUrl: loadConfig(process.env).http.publicUrl,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function adminAccount(
  chainId: number,
  deployment: CampaignDeployment,
): Promise<LocalAccount> {
  const account = await campaignAdminAccount(loadChainSettings(process.env), chainId, deployment);
  if (account) return account;
  throw new ConfigError([
    {
      variable: "CAMPAIGN_ADMIN_PRIVATE_KEY",
      message: `or CAMPAIGN_ADMIN_KEYSTORE (+ _PASSWORD) is required to send the admin's transactions (admin: ${deployment.roles?.admin ?? "see the deployment file"}); --dry-run prints them for a multisig`,
    },
  ]);
}

function printPlan(plan: VersionPlan, header: string): void {
  console.log(header);
  const members = plan.changes.filter((c) => c.audience === "members");
  const operator = plan.changes.filter((c) => c.audience === "operator");
  if (plan.changes.length === 0) console.log("  no change to the rules");
  if (members.length > 0) {
    console.log("members are told:");
    for (const c of members) console.log(`  • ${describeChange(c)}`);
  }
  if (operator.length > 0) {
    console.log("operator only:");
    for (const c of operator) console.log(`  • ${describeChange(c)}`);
  }
  if (plan.refusals.length > 0) {
    console.log("cannot be applied (nothing was changed):");
    for (const r of plan.refusals) console.log(`  ✗ ${r}`);
    return;
  }
  console.log(`on-chain (rules version ${plan.onchain.version} on the contract now):`);
  plan.actions.forEach((a, i) => {
    const state =
      a.status === "done" ? " [done]" : a.status === "sent" ? ` [sent ${a.txHash}]` : "";
    console.log(`  ${i + 1}. ${a.description}${state}`);
    console.log(
      `     ${a.contract}.${a.functionName}(${a.args.map((x) => JSON.stringify(x)).join(", ")})`,
    );
    console.log(`     to ${a.address} data ${a.data}`);
  });
}

async function waitForEffect(setup: Setup, version: number, args: Args): Promise<number> {
  const s = await waitEffective(setup, version, Number(args.get("timeout") ?? 120) * 1000);
  if (!s) {
    console.error(
      `timed out waiting for the indexer to see rules version ${version} (it takes effect once it does; run the command again to check)`,
    );
    return 1;
  }
  const e = s.effective;
  console.log(
    `rules version ${e.version} took effect at block ${e.blockNumber} (${e.effectiveAt?.toISOString()}), transaction ${e.txHash}`,
  );
  return 0;
}

async function run(args: Args, file: string): Promise<number> {
  let to: CampaignDefinition;
  try {
    to = parseCampaignDefinition(JSON.parse(await readFile(file, "utf8")), file);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const target = operatorTarget();
  const setup =
    target.kind === "service"
      ? await throughService(target, to.slug, to.onchainId)
      : await local(to.slug, "system");
  try {
    const planned = await planRulesVersion(setup, to, {
      rulesUrl: args.get("rules-url"),
      metadataUrl: args.get("metadata-url"),
    });
    const { state, version, rulesUrl } = planned;
    console.log(`${to.slug}: ${file} (${planned.hash}), versions through ${setup.store.via}`);
    if (version === undefined) {
      console.log(
        `already in effect: rules version ${state.effective.version}, published in block ${state.effective.blockNumber}`,
      );
      return 0;
    }
    if (planned.blockedBy) {
      console.error(
        `version ${planned.blockedBy.version} (${planned.blockedBy.hash}) is being applied: finish it first (run the command with that file); nothing was changed`,
      );
      return 1;
    }
    const plan = planned.plan!;
    printPlan(
      plan,
      version === state.effective.version
        ? `rules version ${version} is in effect but not on-chain yet: publishing it; document ${rulesUrl}`
        : `rules version ${version}${planned.resuming ? " (resuming)" : ""}, after version ${state.effective.version} in effect; document ${rulesUrl}`,
    );
    if (plan.refusals.length > 0) return 1;
    if (args.has("dry-run")) {
      console.log("dry run: nothing was written or sent");
      return 0;
    }
    const admin = await adminAccount(setup.chainId, setup.deployment);
    const result = await applyRulesVersion(setup, planned, admin, (line) => console.log(line));
    if (!result.ok) {
      console.error(
        `stopped at ${result.failed?.key}: ${result.failed?.reason}. What was sent is recorded; run the command again to go on.`,
      );
      return 1;
    }
    if (args.has("no-wait")) {
      console.log(
        `published; version ${result.version} takes effect once the indexer sees its block`,
      );
      return 0;
    }
    return await waitForEffect(setup, result.version, args);
  } finally {
    await setup.store.close();
  }
}

/** The campaign file: the one argument that is neither a flag nor a flag's value. */
function positional(argv: string[]): string | undefined {
  const withValue = new Set(["rules-url", "metadata-url", "timeout"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      if (withValue.has(a.slice(2))) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

runCommand(async () => {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const file = positional(argv);
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  return run(args, file);
});
