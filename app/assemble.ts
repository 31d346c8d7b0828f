/**
 * The composition root's wiring: one access (Telegram init data and admin token resolvers,
 * the per-IP and per-member limiters), every component built on it in order, and the API
 * with their routes, resolvers and OpenAPI operations. `startService` (service.ts) uses it,
 * and tests mount exactly what it mounts.
 */
import type { Express } from "express";
import type { Runtime } from "../server/bootstrap.ts";
import type { Component, ComponentFactory } from "../server/component.ts";
import type { Config } from "../server/config.ts";
import { type Access, createAccess } from "../server/http/access.ts";
import { createApp } from "../server/http/app.ts";
import type { Metrics } from "../server/http/metrics.ts";
import type { Logger } from "../server/logger.ts";
import { COMPONENTS } from "./components.ts";

export interface AssembleOptions {
  config: Config;
  logger: Logger;
  runtime: Runtime;
  metrics: Metrics;
  env: NodeJS.ProcessEnv;
  /** The components, in start order (default: every component `npm start` runs). */
  components?: readonly ComponentFactory[];
  /** Check every JSON response against its schema (tests). */
  validateResponses?: boolean;
}

export interface Assembled {
  app: Express;
  access: Access;
  components: Component[];
}

/** Builds the components (none started) and the API (not listening). */
export async function assemble(o: AssembleOptions): Promise<Assembled> {
  const { config, logger, runtime, metrics, env } = o;
  const access = createAccess(config, runtime.domain);
  const components: Component[] = [];
  for (const factory of o.components ?? COMPONENTS) {
    // Later components see the member resolvers of earlier ones (e.g. the website session).
    const authResolvers = components.flatMap((c) => c.authResolvers ?? []);
    const component = await factory({
      config,
      logger,
      runtime,
      metrics,
      env,
      access,
      authResolvers,
    });
    if (component) components.push(component);
  }
  const app = createApp({
    config,
    logger,
    database: runtime.database,
    domain: runtime.domain,
    publicClient: runtime.publicClient,
    metrics,
    access,
    authResolvers: components.flatMap((c) => c.authResolvers ?? []),
    routers: components.flatMap((c) => c.routers ?? []),
    routeDocs: components.flatMap((c) => c.routeDocs ?? []),
    validateResponses: o.validateResponses,
    env,
  });
  return { app, access, components };
}
