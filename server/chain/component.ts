/**
 * The chain component: the payout worker, the indexer and the scheduled epoch publisher in
 * the service process (what `npm run dev` runs), and the pipeline's HTTP routes (proofs,
 * public reward files, coupons, balances, health).
 *
 * - No campaign deployed on `CHAIN_ID` and no `RPC_URL`: nothing to do (logged), no component.
 * - Deployments but no `RPC_URL`: the routes only (serving what another process indexes).
 * - `RPC_URL`: the indexer; with a signer (`PAYOUT_SIGNER_PRIVATE_KEY` or
 *   `PAYOUT_SIGNER_KEYSTORE`) also the worker and the epoch publisher (with the root publisher's
 *   key: `ROOT_PUBLISHER_*`, in development the signer's). In production each role needs its
 *   own key and start-up refuses a missing or shared one (signer.ts `loadRoleAccounts`). `CHAIN_JOBS` narrows the
 *   set (e.g. empty when they run as their own processes: `npm run chain:worker`, …); running
 *   them in both places is safe, the leases elect one instance of each.
 *
 * The contract index follows the campaign registry (a campaign deployed from the console or by
 * `npm run deploy` while the service runs joins it: registrySync.ts). With `RPC_URL` the
 * pipeline starts even before the first campaign is deployed (a fresh install): its jobs idle
 * (jobs.ts) and start working when one is, without a restart. The role keys are loaded at start
 * (every configured one; in production the jobs' own are required, campaign or not); a perk
 * shop that arrives with no relayer key here is logged, and its orders are refused
 * (`not_ready`) until a restart with one.
 *
 * The routes are the HTTP layer's (server/http/routes/chain.ts and operator.ts): the
 * composition root passes their factory in, so nothing here imports server/http.
 */
import type { Component, ComponentDeps, ComponentFactory } from "../component.ts";
import type { Db } from "../db/index.ts";
import type { DomainContext } from "../domain/context.ts";
import type { Logger } from "../logger.ts";
import { type ChainSettings, loadChainSettings } from "./config.ts";
import type { ChainContext } from "./context.ts";
import { ContractIndex } from "./contracts.ts";
import type { ChainDriver } from "./driver.ts";
import { evmPublicClient } from "./evm/client.ts";
import { EvmDriver } from "./evm/driver.ts";
import { type ChainMetrics, chainMetrics, type JobHealth } from "./health.ts";
import { type ChainJob, epochJob, indexerJob, workerJob } from "./jobs.ts";
import { instanceId } from "./lease.ts";
import { loadRoleAccounts, rolesNeeded } from "./signer.ts";

/** What the pipeline's routes work with. */
export interface ChainRoutesInput {
  domain: DomainContext;
  db: Db;
  contracts: ContractIndex;
  chainId: number;
  settings: ChainSettings;
  /** Absent without `RPC_URL` (the routes serve what another process indexes). */
  driver?: ChainDriver;
  metrics: ChainMetrics;
  logger: Logger;
  /** Health of the jobs running in this process (fresher than their `chain_status` rows). */
  localHealth: () => JobHealth[];
}

/** Builds the pipeline's routers and their OpenAPI docs (the HTTP layer provides it). */
export type ChainRoutesFactory = (
  input: ChainRoutesInput,
  deps: ComponentDeps,
) => Pick<Component, "routers" | "routeDocs">;

/** The chain component, with the pipeline's routes from `routes` (see the HTTP layer). */
export const createChainComponent =
  (routes: ChainRoutesFactory): ComponentFactory =>
  (deps) =>
    chainComponent(deps, routes);

const chainComponent = async (
  deps: ComponentDeps,
  routes: ChainRoutesFactory,
): Promise<Component | undefined> => {
  const { config, logger, runtime, metrics, env } = deps;
  const log = logger.child({ component: "chain" });
  const settings = loadChainSettings(env);
  const contracts = ContractIndex.fromRegistry(runtime.domain.campaigns);
  // A campaign deployed while the service runs (registrySync.ts) is paid and indexed too.
  runtime.domain.campaigns.onChange(() => contracts.reload(runtime.domain.campaigns));
  if (contracts.size === 0 && !config.chain.rpcUrl) {
    // A routes-only process (another one runs the jobs) mounts them at its next restart.
    log.info(
      { chainId: config.chain.chainId },
      "no campaign deployed on this chain and no RPC_URL: the payout pipeline is off",
    );
    return undefined;
  }
  if (contracts.size === 0)
    log.info(
      { chainId: config.chain.chainId },
      "no campaign deployed on this chain yet: the payout pipeline starts when one is",
    );
  const accounts = await loadRoleAccounts(
    settings,
    rolesNeeded(settings, { perkShops: contracts.campaigns.some((c) => c.perkShop) }),
  );
  // Keys are read once, at start: a shop deployed later (or present while the worker runs
  // elsewhere) cannot have orders relayed without the relayer's key. Said once per campaign.
  const shopsWarned = new Set<number>();
  const warnShopsWithoutRelayer = () => {
    if (accounts.relayer || !config.chain.rpcUrl) return;
    for (const c of contracts.campaigns)
      if (c.perkShop && !shopsWarned.has(c.id)) {
        shopsWarned.add(c.id);
        log.error(
          { campaign: c.slug },
          "the campaign has a perk shop but no RELAYER_PRIVATE_KEY or RELAYER_KEYSTORE is loaded: its perk orders are refused until a restart with one",
        );
      }
  };
  warnShopsWithoutRelayer();
  runtime.domain.campaigns.onChange(warnShopsWithoutRelayer);
  const account = accounts.payoutSigner;
  const client = config.chain.rpcUrl
    ? evmPublicClient(config.chain.rpcUrl, config.chain.chainId)
    : undefined;
  const driver = client
    ? new EvmDriver({ client, chainId: config.chain.chainId, accounts })
    : undefined;
  const ctx: ChainContext | undefined = driver
    ? {
        db: runtime.database.db,
        driver,
        contracts,
        settings,
        chainId: config.chain.chainId,
        logger: log,
        metrics: chainMetrics(metrics.registry),
        instance: instanceId(),
        now: runtime.domain.now,
      }
    : undefined;

  const jobs: ChainJob[] = [];
  if (!ctx) log.warn("RPC_URL not set: serving reward routes only; no worker, indexer or epochs");
  else {
    if (settings.jobs.has("indexer")) jobs.push(indexerJob(ctx));
    if (account) {
      if (settings.jobs.has("worker")) jobs.push(workerJob(ctx));
      if (
        settings.jobs.has("epochs") &&
        settings.epochs.intervalSeconds > 0 &&
        accounts.rootPublisher
      )
        jobs.push(epochJob(ctx));
    } else if (settings.jobs.has("worker")) {
      log.warn(
        "no PAYOUT_SIGNER_PRIVATE_KEY or PAYOUT_SIGNER_KEYSTORE: payouts stay queued (indexer only)",
      );
    }
  }

  const http = routes(
    {
      domain: runtime.domain,
      db: runtime.database.db,
      contracts,
      chainId: config.chain.chainId,
      settings,
      driver,
      metrics: chainMetrics(metrics.registry),
      logger: log,
      localHealth: () => jobs.map((j) => j.health()),
    },
    deps,
  );

  let banner: string[] = [];
  return {
    name: "chain",
    routers: http.routers,
    routeDocs: http.routeDocs,
    async start() {
      if (ctx) {
        const chainId = await ctx.driver
          .probe()
          .then((p) => p.chainId)
          .catch(() => undefined);
        if (chainId !== undefined && chainId !== ctx.chainId) {
          log.error(
            { rpcChainId: chainId, chainId: ctx.chainId },
            "RPC_URL serves another chain than CHAIN_ID: the payout pipeline stays off",
          );
          jobs.length = 0;
        }
      }
      for (const job of jobs) job.start();
      banner = [
        `payout pipeline: ${jobs.map((j) => j.name).join(", ") || "routes only"}${
          account ? ` (signer ${account.address})` : ""
        }, ${settings.confirmations} confirmation(s)${
          jobs.length > 0 && contracts.size === 0 ? ", idle until a campaign is deployed" : ""
        }`,
        "reward files: /rewards/epochs/index.json, proofs: GET /api/rewards/proof",
      ];
    },
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
    banner: () => banner,
  };
};
