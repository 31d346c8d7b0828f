/**
 * The real HTTP service for dashboard tests: the API built by createApp with the web
 * component (and any other components a test names) mounted exactly as app/service.ts
 * mounts them (app/assemble.ts), over a test database, on an ephemeral loopback port. PUBLIC_URL and
 * DASHBOARD_URL are this server's own URL (so SIWE domains, login links and the CSRF origin
 * check match what the browser sees).
 */

import type { Server } from "node:http";
import type { TestContext } from "node:test";
import { assemble } from "../../../app/assemble.ts";
import type { Component, ComponentFactory } from "../../../server/component.ts";
import { type Config, type Environment, loadConfig } from "../../../server/config.ts";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import type { CampaignDefinition } from "../../../server/domain/campaign.ts";
import type { DomainContext } from "../../../server/domain/context.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { createMetrics } from "../../../server/http/metrics.ts";
import { createLogger } from "../../../server/logger.ts";
import { webComponent } from "../../../server/web/component.ts";
import { testCampaign } from "../../support/campaign.ts";
import { freePort } from "../../support/chain.ts";
import { TEST_BOT_TOKEN } from "../../support/telegram.ts";

export interface Stack {
  url: string;
  metrics: ReturnType<typeof createMetrics>;
  config: Config;
  domain: DomainContext;
  components: Component[];
  server: Server;
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Environment;
  campaigns?: CampaignDefinition[];
  deploymentsDir?: string;
  chainId?: number;
  now?: () => Date;
  components?: ComponentFactory[];
}

export async function startStack(
  t: TestContext | undefined,
  db: DatabaseHandle,
  o: StackOptions = {},
): Promise<Stack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Environment = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_USERNAME: "refmint_test_bot",
    CHAIN_ID: String(o.chainId ?? 31337),
    HASH_SECRET: "hash-secret-for-tests-0123456789",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    JOBS_INTERVAL_SECONDS: "0",
    // Every page, asset and poll of a browser test comes from 127.0.0.1: not what limits are for.
    RATE_LIMIT_IP_PER_MINUTE: "100000",
    ...o.env,
  };
  const config = loadConfig(env);
  const logger = createLogger(config.log.level);
  const metrics = createMetrics({ defaultMetrics: false });
  const campaigns = await syncDefinitions(db.db, o.campaigns ?? [testCampaign()], {
    deploymentsDir: o.deploymentsDir,
    chainId: config.chain.chainId,
  });
  const domain: DomainContext = {
    db: db.db,
    campaigns,
    now: o.now ?? (() => new Date()),
    attributionWindowHours: config.attributionWindowHours,
    events: metrics.events,
  };
  const runtime = { database: db, domain, close: async () => {} };
  const { app, components } = await assemble({
    config,
    logger,
    runtime,
    metrics,
    env: env as NodeJS.ProcessEnv,
    components: o.components ?? [webComponent],
    validateResponses: true,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  for (const c of components) await c.start?.({ server, baseUrl: url });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const c of [...components].reverse()) await c.stop?.();
    })();
    return stopped;
  };
  t?.after(stop);
  return { url, metrics, config, domain, components, server, stop };
}
