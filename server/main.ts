/**
 * `npm start`: configuration → database (migrated) → campaigns → HTTP API with every
 * component (website, payout pipeline, bot) and the periodic maintenance job. Stops
 * gracefully on SIGINT/SIGTERM: stop accepting, finish in-flight requests, stop the
 * components, close the database.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
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
    const force = setTimeout(() => {
      logger.error("shutdown timed out; exiting");
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    await service.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  service = await startService(config, logger);
  if (requested) await shutdown(requested);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
