/**
 * The retention job: {@link enforceRetention} on a `loopJob`, beside the maintenance job
 * (service.ts). Passes never overlap; a failed pass is logged and the next one tries again.
 */
import type { Config } from "../server/config.ts";
import type { DomainContext } from "../server/domain/context.ts";
import { enforceRetention, type RetentionReport } from "../server/domain/retention.ts";
import type { Logger } from "../server/logger.ts";
import { type LoopJob, loopJob } from "../server/loop.ts";

export function retentionJob(
  ctx: Pick<DomainContext, "db" | "now">,
  settings: Config["retention"],
  logger: Pick<Logger, "info" | "error">,
): LoopJob<RetentionReport> {
  return loopJob({
    intervalMs: settings.intervalSeconds * 1000,
    // Not at start-up: the service has other things to do first.
    firstDelayMs: Math.min(settings.intervalSeconds, 60) * 1000,
    keepAlive: false,
    pass: async () => {
      const report = await enforceRetention(ctx, settings);
      if (report.clicksDeleted + report.ipHashesCleared + report.deviceHashesCleared > 0)
        logger.info(report, "retention");
      return report;
    },
    onError: (error) =>
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        "retention failed",
      ),
  });
}
