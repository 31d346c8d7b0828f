/**
 * Runs one chain job as its own process (production, and the crash tests that kill it):
 *
 *   node server/chain/run.ts worker|indexer|epochs     (npm run chain:worker, …)
 *
 * Same configuration as the service (core variables plus the chain settings); the database
 * must be PostgreSQL when several processes share it (PGlite is single-process). With
 * `CHAIN_HEALTH_PORT`, the process serves `GET /healthz` (the job's health as JSON; 503 when
 * stopped or failing) and `GET /metrics` (Prometheus). SIGTERM/SIGINT stop it gracefully: the
 * current pass finishes and the lease is given up, so a standby takes over at once.
 *
 * A job started before the first campaign is deployed on `CHAIN_ID` (a fresh install) idles,
 * healthy, until the campaign registry's refresh brings one (jobs.ts), then works without a
 * restart; with the refresh off (`CAMPAIGN_REFRESH_SECONDS=0`) it could never see one, and
 * refuses to start. The operator commands built on {@link openChain} need a deployment.
 */
import { createServer, type Server } from "node:http";
import { Registry } from "prom-client";
import { bootstrap } from "../bootstrap.ts";
import { campaignRefreshJob } from "../campaignRefresh.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { assertDatabaseExists } from "../db/index.ts";
import { fatalMessage } from "../fatal.ts";
import { createLogger } from "../logger.ts";
import type { LoopJob } from "../loop.ts";
import { loadChainSettings } from "./config.ts";
import type { ChainContext } from "./context.ts";
import { ContractIndex } from "./contracts.ts";
import { evmPublicClient } from "./evm/client.ts";
import { EvmDriver } from "./evm/driver.ts";
import { chainMetrics, type JobName } from "./health.ts";
import { type ChainJob, epochJob, indexerJob, workerJob } from "./jobs.ts";
import { instanceId } from "./lease.ts";
import { loadRoleAccounts, rolesNeeded } from "./signer.ts";

export interface OpenedChain {
  ctx: ChainContext<EvmDriver>;
  registry: Registry;
  /** The campaign registry's refresh (registrySync.ts), for the long-running jobs. */
  refresh?: LoopJob;
  close(): Promise<void>;
}

/** Configuration → database → campaigns → chain context, for standalone jobs and scripts. */
export async function openChain(
  env: NodeJS.ProcessEnv = process.env,
  opts: {
    needSigner?: boolean;
    logName?: string;
    job?: JobName;
    /** A long-running job: with no campaign deployed yet it waits for one instead of failing. */
    waitForCampaigns?: boolean;
  } = {},
): Promise<OpenedChain> {
  const config = loadConfig(env);
  const settings = loadChainSettings(env);
  // First: a command pointed at a directory with no database must say so, and create nothing.
  assertDatabaseExists({ url: config.db.url, dataDir: config.db.dataDir });
  if (!config.chain.rpcUrl)
    throw new ConfigError([
      { variable: "RPC_URL", message: "is required for the payout pipeline" },
    ]);
  const accounts = await loadRoleAccounts(
    settings,
    opts.job
      ? rolesNeeded({ ...settings, jobs: new Set([opts.job]) }, { perkShops: true })
      : new Set(),
  );
  const account = accounts.payoutSigner;
  if (opts.needSigner && !account)
    throw new ConfigError([
      {
        variable: "PAYOUT_SIGNER_PRIVATE_KEY",
        message: "or PAYOUT_SIGNER_KEYSTORE (+ _PASSWORD) is required",
      },
    ]);
  const logger = createLogger(config.log.level).child({ service: opts.logName ?? "refmint-chain" });
  // Jobs and commands work on an existing database; only the service and db:migrate create one.
  const runtime = await bootstrap(config, logger, undefined, { createDatabase: false });
  try {
    const contracts = ContractIndex.fromRegistry(runtime.domain.campaigns);
    runtime.domain.campaigns.onChange(() => contracts.reload(runtime.domain.campaigns));
    const refresh = campaignRefreshJob(runtime.domain, config, logger);
    if (contracts.size === 0 && !(opts.waitForCampaigns && refresh))
      throw new ConfigError([
        {
          variable: "DEPLOYMENTS_DIR",
          message: `holds no deployment of the campaigns in ${config.campaigns.dir} for chain ${config.chain.chainId}`,
        },
        ...(opts.waitForCampaigns
          ? [
              {
                variable: "CAMPAIGN_REFRESH_SECONDS",
                message: "is 0: a campaign deployed later would never reach this job",
              },
            ]
          : []),
      ]);
    if (contracts.size === 0)
      logger.info(
        { chainId: config.chain.chainId },
        `no campaign deployed on this chain yet: the ${opts.job ?? "job"} starts when one is`,
      );
    const client = evmPublicClient(config.chain.rpcUrl, config.chain.chainId);
    const registry = new Registry();
    const ctx: ChainContext<EvmDriver> = {
      db: runtime.database.db,
      driver: new EvmDriver({ client, chainId: config.chain.chainId, accounts }),
      contracts,
      settings,
      chainId: config.chain.chainId,
      logger,
      metrics: chainMetrics(registry),
      instance: instanceId(),
      now: () => new Date(),
    };
    return { ctx, registry, refresh, close: () => runtime.close() };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

function healthServer(job: ChainJob, registry: Registry, port: number): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      res.setHeader("Content-Type", registry.contentType);
      res.end(await registry.metrics());
      return;
    }
    if (req.url === "/healthz") {
      const h = job.health();
      res.statusCode = h.status === "stopped" || h.consecutiveFailures >= 5 ? 503 : 200;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(h));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}

export async function runStandalone(name: JobName): Promise<void> {
  let opened: OpenedChain;
  try {
    opened = await openChain(process.env, {
      needSigner: name !== "indexer",
      job: name,
      logName: `refmint-${name}`,
      waitForCampaigns: true,
    });
  } catch (error) {
    console.error(fatalMessage(error));
    process.exit(1);
  }
  const { ctx, registry } = opened;
  const rpcChainId = await ctx.driver
    .probe()
    .then((p) => p.chainId)
    .catch(() => undefined);
  if (rpcChainId !== undefined && rpcChainId !== ctx.chainId) {
    console.error(`RPC_URL serves chain ${rpcChainId}, not CHAIN_ID ${ctx.chainId}`);
    process.exit(1);
  }
  const job =
    name === "worker" ? workerJob(ctx) : name === "indexer" ? indexerJob(ctx) : epochJob(ctx);
  const health =
    ctx.settings.healthPort !== undefined
      ? await healthServer(job, registry, ctx.settings.healthPort)
      : undefined;
  job.start();
  opened.refresh?.start();
  ctx.logger.info(
    { job: name, instance: ctx.instance, signer: ctx.driver.signerAddress },
    "chain job started",
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, "stopping");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await Promise.all([job.stop(), opened.refresh?.stop()]);
    health?.close();
    await opened.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
