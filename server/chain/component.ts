/**
 * The chain component: the payout worker, the indexer and the scheduled epoch publisher in
 * the service process (what `npm run dev` runs), and the pipeline's HTTP routes (proofs,
 * public reward files, coupons, balances, health).
 *
 * - No campaign deployed on `CHAIN_ID`: nothing to do (logged), no component.
 * - Deployments but no `RPC_URL`: the routes only (serving what another process indexes).
 * - `RPC_URL`: the indexer; with a signer (`PAYOUT_SIGNER_PRIVATE_KEY` or
 *   `PAYOUT_SIGNER_KEYSTORE`) also the worker and the epoch publisher. `CHAIN_JOBS` narrows the
 *   set (e.g. empty when they run as their own processes: `npm run chain:worker`, …); running
 *   them in both places is safe, the leases elect one instance of each.
 */
import type { ComponentFactory } from "../component.ts";
import { adminTokenResolver, tmaResolver } from "../http/auth.ts";
import { loadChainSettings } from "./config.ts";
import type { ChainContext } from "./context.ts";
import { ContractIndex } from "./contracts.ts";
import { evmPublicClient } from "./evm/client.ts";
import { chainMetrics } from "./health.ts";
import { type ChainJob, epochJob, indexerJob, workerJob } from "./jobs.ts";
import { instanceId } from "./lease.ts";
import { operatorRoutes } from "./operator.ts";
import { chainRoutes } from "./routes.ts";
import { loadAccount } from "./signer.ts";

export const chainComponent: ComponentFactory = async ({
  config,
  logger,
  runtime,
  metrics,
  env,
  authResolvers,
}) => {
  const log = logger.child({ component: "chain" });
  const settings = loadChainSettings(env);
  const contracts = ContractIndex.fromRegistry(runtime.domain.campaigns);
  if (contracts.size === 0) {
    log.info(
      { chainId: config.chain.chainId },
      "no campaign is deployed on this chain: the payout pipeline is off",
    );
    return undefined;
  }
  const account = await loadAccount(settings.signer);
  const client = config.chain.rpcUrl
    ? evmPublicClient(config.chain.rpcUrl, config.chain.chainId)
    : undefined;
  const ctx: ChainContext | undefined = client
    ? {
        db: runtime.database.db,
        client,
        contracts,
        settings,
        chainId: config.chain.chainId,
        account,
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
      if (settings.jobs.has("epochs") && settings.epochs.intervalSeconds > 0)
        jobs.push(epochJob(ctx));
    } else if (settings.jobs.has("worker")) {
      log.warn(
        "no PAYOUT_SIGNER_PRIVATE_KEY or PAYOUT_SIGNER_KEYSTORE: payouts stay queued (indexer only)",
      );
    }
  }

  const tma = tmaResolver(runtime.domain, {
    botToken: config.telegram.botToken,
    maxAgeSeconds: config.telegram.initDataMaxAgeSeconds,
    adminTelegramIds: config.admin.telegramIds,
  });
  const api = chainRoutes({
    domain: runtime.domain,
    db: runtime.database.db,
    contracts,
    chainId: config.chain.chainId,
    client,
    resolvers: [tma, ...(authResolvers ?? [])],
    memberRateLimitPerMinute: config.http.rateLimitMemberPerMinute,
    bodyLimitBytes: config.http.bodyLimitBytes,
    validateResponses: config.env === "test",
    localHealth: () => jobs.map((j) => j.health()),
  });

  const operator = operatorRoutes({
    domain: runtime.domain,
    db: runtime.database.db,
    contracts,
    chainId: config.chain.chainId,
    settings,
    client,
    account,
    metrics: chainMetrics(metrics.registry),
    logger: log,
    resolvers: [adminTokenResolver(config.admin.apiToken), tma],
    bodyLimitBytes: config.http.bodyLimitBytes,
    validateResponses: config.env === "test",
  });

  let banner: string[] = [];
  return {
    name: "chain",
    routers: [
      { path: "/", router: api.router },
      { path: "/", router: operator.router },
    ],
    routeDocs: [...api.table.docs, ...operator.table.docs],
    async start() {
      if (ctx) {
        const chainId = await ctx.client.getChainId().catch(() => undefined);
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
        }, ${settings.confirmations} confirmation(s)`,
        "reward files: /rewards/epochs/index.json, proofs: GET /api/rewards/proof",
      ];
    },
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
    banner: () => banner,
  };
};
