/**
 * `npm start`: configuration → database (migrated) → campaigns → HTTP API with every
 * component (website, payout pipeline, bot) and the periodic maintenance job. Stops
 * gracefully on SIGINT/SIGTERM: stop accepting, finish in-flight requests, stop the
 * components, close the database.
 */
import { ConfigError, loadConfig } from "../server/config.ts";
import { fatalMessage } from "../server/fatal.ts";
import { createLogger } from "../server/logger.ts";
import { startService } from "./service.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.log.level);
  if (config.env === "development")
    logger.warn(
      { env: config.env, host: config.http.host },
      `DEVELOPMENT MODE (NODE_ENV is not production): not for a deployment; listening on ${config.http.host}${process.env.HOST ? "" : " only (set HOST to change it)"}; set NODE_ENV=production to deploy`,
    );
  for (const w of config.warnings) logger.warn({ variable: w.variable }, w.message);

  // Signals are caught from the start: one that arrives while the components are still
  // starting (the API may already answer) stops the service as soon as it is up.
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  let requested: string | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    requested ??= signal;
    if (!service || stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // The service stops within SHUTDOWN_TIMEOUT_SECONDS and always closes the database; this
    // is only the last resort should closing the database itself hang.
    const force = setTimeout(() => {
      logger.error("shutdown timed out; exiting");
      process.exit(1);
    }, config.http.shutdownTimeoutMs + 5_000);
    force.unref();
    const clean = await service.stop();
    logger.info({ clean }, "stopped");
    process.exit(clean ? 0 : 1);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => void shutdown(signal));
  service = await startService(config, logger);
  if (requested) await shutdown(requested);
}

main().catch((error: unknown) => {
  console.error(fatalMessage(error));
  process.exit(1);
});
