/**
 * The campaign registry's refresh in every process (the service with its API, bot and chain
 * components; each standalone chain job): every `CAMPAIGN_REFRESH_SECONDS` one read of the
 * registry's change counter, and a reload only when it moved (server/domain/registrySync.ts).
 * Requests never pay for it: they read the registry in memory as before.
 */
import type { Config } from "./config.ts";
import type { DomainContext } from "./domain/context.ts";
import { registrySyncState, syncRegistry } from "./domain/registrySync.ts";
import type { Logger } from "./logger.ts";
import { type LoopJob, loopJob } from "./loop.ts";

export function campaignRefreshJob(
  domain: Pick<DomainContext, "db" | "campaigns">,
  config: Pick<Config, "campaignRefreshSeconds" | "campaigns" | "chain">,
  logger: Logger,
): LoopJob | undefined {
  if (config.campaignRefreshSeconds <= 0) return undefined;
  const state = registrySyncState();
  const options = {
    deploymentsDir: config.campaigns.deploymentsDir,
    chainId: config.chain.chainId,
    onWarning: (message: string) => logger.warn(message),
  };
  return loopJob({
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
}
