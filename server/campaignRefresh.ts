/**
 * The campaign registry's refresh in every process (the service with its API, bot and chain
 * components; each standalone chain job): every `CAMPAIGN_REFRESH_SECONDS` one read of the
 * registry's change counter, and a reload only when it moved (server/domain/registrySync.ts).
 * On PostgreSQL a `LISTEN refmint_campaigns` connection wakes it at once when another process
 * commits a change (registryVersion.ts notifies); the poll stays as the fallback (PGlite is one
 * process, a dropped connection is not retried). Requests never pay for any of it: they read
 * the registry in memory as before.
 */
import pg from "pg";
import type { Config } from "./config.ts";
import type { DomainContext } from "./domain/context.ts";
import { registrySyncState, syncRegistry } from "./domain/registrySync.ts";
import { REGISTRY_CHANNEL } from "./domain/registryVersion.ts";
import type { Logger } from "./logger.ts";
import { type LoopJob, loopJob } from "./loop.ts";

export function campaignRefreshJob(
  domain: Pick<DomainContext, "db" | "campaigns">,
  config: Pick<Config, "campaignRefreshSeconds" | "campaigns" | "chain" | "db">,
  logger: Logger,
): LoopJob | undefined {
  if (config.campaignRefreshSeconds <= 0) return undefined;
  const state = registrySyncState();
  const options = {
    deploymentsDir: config.campaigns.deploymentsDir,
    chainId: config.chain.chainId,
    onWarning: (message: string) => logger.warn(message),
  };
  const job = loopJob({
    intervalMs: config.campaignRefreshSeconds * 1000,
    keepAlive: false,
    pass: async () => {
      const report = await syncRegistry(domain, state, options);
      if (report && report.added.length + report.switched.length + report.deployed.length > 0)
        logger.info(report, "campaigns reloaded");
    },
    onError: (error) =>
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        "campaign refresh failed",
      ),
  });
  if (!config.db.url) return job;
  const url = config.db.url;
  let listener: pg.Client | undefined;
  return {
    ...job,
    start() {
      job.start();
      const client = new pg.Client({ connectionString: url });
      listener = client;
      client.on("notification", () => job.wake());
      // A lost connection leaves the poll doing the work.
      client.on("error", (error) =>
        logger.warn({ err: error.message }, "campaign change notifications lost; polling"),
      );
      client
        .connect()
        .then(() => client.query(`LISTEN ${REGISTRY_CHANNEL}`))
        .then(() => logger.info("listening for campaign changes"))
        .catch((error: Error) =>
          logger.warn({ err: error.message }, "campaign change notifications unavailable; polling"),
        );
    },
    async stop() {
      await job.stop();
      await listener?.end().catch(() => {});
    },
  };
}
