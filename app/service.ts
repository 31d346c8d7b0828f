/**
 * The running service: the HTTP API, the maintenance job and every component (website,
 * payout pipeline, bot), built on one shared runtime and access (assemble.ts). `npm start`
 * (main.ts) and `npm run dev` (scripts/dev.ts) both start it with {@link startService}.
 */
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { bootstrap } from "../server/bootstrap.ts";
import { campaignRefreshJob } from "../server/campaignRefresh.ts";
import type { Component } from "../server/component.ts";
import type { Config } from "../server/config.ts";
import { foldDeltas } from "../server/domain/analytics/rollups.ts";
import { runMaintenance } from "../server/domain/maintenance.ts";
import { createMetrics } from "../server/http/metrics.ts";
import type { Logger } from "../server/logger.ts";
import { loopJob } from "../server/loop.ts";
import { webhookJob } from "../server/webhooks/worker.ts";
import { assemble } from "./assemble.ts";
import { retentionJob } from "./retention.ts";

export interface Service {
  server: Server;
  baseUrl: string;
  components: readonly Component[];
  /**
   * Stops within `timeoutMs` (default `SHUTDOWN_TIMEOUT_SECONDS`): stop accepting, let
   * in-flight requests finish, stop the components, close the database. Resolves `true` when
   * every step finished in its time, `false` when one was cut short (logged); the database is
   * closed either way.
   */
  stop(options?: { timeoutMs?: number }): Promise<boolean>;
}

/** Resolves `true` when `promise` settles within `ms`, `false` otherwise (never rejects). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, ms));
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function startService(
  config: Config,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Service> {
  const metrics = createMetrics({ defaultMetrics: true });
  const runtime = await bootstrap(config, logger, metrics.events);
  let assembled: Awaited<ReturnType<typeof assemble>>;
  try {
    assembled = await assemble({ config, logger, runtime, metrics, env });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const { app, components } = assembled;

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once("error", reject);
  });
  // Upgraded connections (the dashboard's hot-reload websocket in development) are no longer
  // HTTP requests: server.close() would wait for them forever, so shutdown closes them.
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (_req, socket) => {
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
  });
  // Behind a proxy with keep-alive, idle sockets must outlive the proxy's own timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.http.port;
  const baseUrl = `http://${config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host}:${port}`;
  logger.info({ address, database: runtime.database.kind }, "refmint api listening");
  // Operator commands find a running service on this PGlite directory through its lock.
  runtime.database.lock?.update({ apiUrl: baseUrl });
  for (const c of components) {
    await c.start?.({ server, baseUrl });
    logger.info({ component: c.name }, "component started");
  }

  const job =
    config.jobsIntervalSeconds > 0
      ? loopJob({
          intervalMs: config.jobsIntervalSeconds * 1000,
          firstDelayMs: config.jobsIntervalSeconds * 1000,
          keepAlive: false,
          pass: async () => {
            const report = await runMaintenance(runtime.domain);
            if (
              report.holdsProcessed > 0 ||
              report.grantsExpired > 0 ||
              report.rulesSwitched.length > 0
            )
              logger.info(report, "maintenance");
          },
          onError: (error) =>
            logger.error(
              { err: error instanceof Error ? error.message : String(error) },
              "maintenance failed",
            ),
        })
      : undefined;
  job?.start();
  // Campaigns deployed or changed by another process (or the console) join this one's registry.
  const refresh = campaignRefreshJob(runtime.domain, config, logger);
  refresh?.start();
  // Analytics rollups: fold what the triggers recorded; a full batch means more is waiting.
  let foldBacklog = false;
  const analyticsJob =
    config.analyticsFoldIntervalSeconds > 0
      ? loopJob({
          intervalMs: config.analyticsFoldIntervalSeconds * 1000,
          nextDelayMs: () => (foldBacklog ? 0 : config.analyticsFoldIntervalSeconds * 1000),
          keepAlive: false,
          pass: async () => {
            const folded = await foldDeltas(runtime.domain.db);
            foldBacklog = folded > 0;
          },
          onError: (error) =>
            logger.error(
              { err: error instanceof Error ? error.message : String(error) },
              "analytics fold failed",
            ),
        })
      : undefined;
  analyticsJob?.start();
  const retention =
    config.retention.intervalSeconds > 0
      ? retentionJob(runtime.domain, config.retention, logger)
      : undefined;
  retention?.start();
  // Outbound webhooks: the deliveries the domain queued with their facts.
  const webhooks =
    config.webhooks.intervalSeconds > 0
      ? webhookJob({
          db: runtime.domain.db,
          settings: config.webhooks,
          now: runtime.domain.now,
          logger,
        })
      : undefined;
  webhooks?.start();

  let stopped: Promise<boolean> | undefined;
  const stop = (options: { timeoutMs?: number } = {}) => {
    const timeoutMs = options.timeoutMs ?? config.http.shutdownTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const left = () => deadline - Date.now();
    stopped ??= (async () => {
      let clean = true;
      const maintenanceStopped = Promise.all([
        job?.stop(),
        refresh?.stop(),
        analyticsJob?.stop(),
        retention?.stop(),
        webhooks?.stop(),
      ]);
      // 1. Stop accepting; idle keep-alive and upgraded connections close now, requests in
      //    flight get up to 40% of the time to finish before their connections are cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of upgraded) socket.destroy();
      if (!(await within(closed, timeoutMs * 0.4))) {
        logger.warn("requests still in flight at shutdown: closing their connections");
        server.closeAllConnections();
      }
      // 2. Components stop in reverse order, each within its share of what is left; one that
      //    fails or hangs does not keep the others (or the database) open.
      const stoppable = [...components].reverse().filter((c) => c.stop);
      for (const [i, c] of stoppable.entries()) {
        const share = (left() - timeoutMs * 0.1) / (stoppable.length - i);
        const done = c.stop!().catch((error: unknown) => {
          clean = false;
          logger.error({ component: c.name, err: String(error) }, "component failed to stop");
        });
        if (!(await within(done, share))) {
          clean = false;
          logger.error(
            { component: c.name, ms: Math.round(share) },
            "component did not stop in time; going on",
          );
        }
      }
      if (!(await within(maintenanceStopped, left() - timeoutMs * 0.05))) clean = false;
      // 3. The database always closes (PGlite flushes its files and releases its lock).
      await runtime.close();
      return clean;
    })();
    return stopped;
  };
  return { server, baseUrl, components, stop };
}
