/**
 * The running service: the HTTP API, the maintenance job and every component (website,
 * payout pipeline, bot), built on one shared runtime. `npm start` (main.ts) and `npm run dev`
 * both start it with {@link startService}.
 */
import type { Server } from "node:http";
import { bootstrap } from "./bootstrap.ts";
import type { Component } from "./component.ts";
import { COMPONENTS } from "./components.ts";
import type { Config } from "./config.ts";
import { runMaintenance } from "./domain/maintenance.ts";
import { createApp } from "./http/app.ts";
import { createMetrics } from "./http/metrics.ts";
import type { Logger } from "./logger.ts";

export interface Service {
  server: Server;
  baseUrl: string;
  components: readonly Component[];
  stop(): Promise<void>;
}

export async function startService(
  config: Config,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Service> {
  const metrics = createMetrics({ defaultMetrics: true });
  const runtime = await bootstrap(config, logger, metrics.events);
  const components: Component[] = [];
  try {
    for (const factory of COMPONENTS) {
      const authResolvers = components.flatMap((c) => c.authResolvers ?? []);
      const component = await factory({ config, logger, runtime, metrics, env, authResolvers });
      if (component) components.push(component);
    }
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const app = createApp({
    config,
    logger,
    database: runtime.database,
    domain: runtime.domain,
    publicClient: runtime.publicClient,
    metrics,
    authResolvers: components.flatMap((c) => c.authResolvers ?? []),
    routers: components.flatMap((c) => c.routers ?? []),
    routeDocs: components.flatMap((c) => c.routeDocs ?? []),
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once("error", reject);
  });
  // Behind a proxy with keep-alive, idle sockets must outlive the proxy's own timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.http.port;
  const baseUrl = `http://${config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host}:${port}`;
  logger.info({ address, database: runtime.database.kind }, "refmint api listening");
  for (const c of components) {
    await c.start?.({ server, baseUrl });
    logger.info({ component: c.name }, "component started");
  }

  let jobRunning = false;
  const job =
    config.jobsIntervalSeconds > 0
      ? setInterval(async () => {
          if (jobRunning) return;
          jobRunning = true;
          try {
            const report = await runMaintenance(runtime.domain);
            if (report.holdsProcessed > 0 || report.grantsExpired > 0)
              logger.info(report, "maintenance");
          } catch (error) {
            logger.error(
              { err: error instanceof Error ? error.message : String(error) },
              "maintenance failed",
            );
          } finally {
            jobRunning = false;
          }
        }, config.jobsIntervalSeconds * 1000)
      : undefined;
  job?.unref();

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (job) clearInterval(job);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // Components stop in reverse order; one failing does not keep the others running.
      for (const c of [...components].reverse()) {
        await c.stop?.().catch((error: unknown) => {
          logger.error({ component: c.name, err: String(error) }, "component failed to stop");
        });
      }
      await runtime.close();
    })();
    return stopped;
  };
  return { server, baseUrl, components, stop };
}
