/**
 * A component is one part of the running service beside the HTTP API: the payout pipeline
 * (server/chain), the Telegram bot (bot/), the website (server/web). The composition root
 * (app/assemble.ts, for `npm start` and `npm run dev`) builds every component from the same
 * shared runtime and access (resolvers, limiters), mounts its routes and auth resolvers on the
 * API, starts it once the server listens, and stops it on shutdown before the database closes. Each component reads and validates its own settings.
 */
import type { Server } from "node:http";
import type { Router } from "express";
import type { Runtime } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import type { Access } from "./http/access.ts";
import type { AuthResolver } from "./http/auth.ts";
import type { Metrics } from "./http/metrics.ts";
import type { RouteDoc } from "./http/route.ts";
import type { Logger } from "./logger.ts";

export interface ComponentDeps {
  config: Config;
  logger: Logger;
  runtime: Runtime;
  metrics: Metrics;
  env: NodeJS.ProcessEnv;
  /**
   * The Telegram init data and admin token resolvers and the rate limiters, built once and
   * shared by the API and every component (a member's limit is one window across all routes).
   */
  access: Access;
  /**
   * Member resolvers contributed by the components built before this one (e.g. the website
   * session), for components whose own routes authenticate members.
   */
  authResolvers?: AuthResolver[];
}

export interface Component {
  name: string;
  /** Mounted on the API after its built-in routes. */
  /** `ipRateLimit: false`: exempt from the per-IP limit (the router authenticates its callers). */
  routers?: Array<{ path: string; router: Router; ipRateLimit?: false }>;
  /** OpenAPI operations of the routes in `routers` (declared with a RouteTable), for /openapi.json. */
  routeDocs?: RouteDoc[];
  /** Further ways to find the member of a request (e.g. a website session cookie). */
  authResolvers?: AuthResolver[];
  /** Runs once the HTTP server listens. */
  start?(server: { server: Server; baseUrl: string }): Promise<void>;
  /** Runs on shutdown, before the database closes. */
  stop?(): Promise<void>;
  /** Lines `npm run dev` prints once everything runs (URLs to open, modes, warnings). */
  banner?(): string[];
}

/** Builds a component, or returns undefined when it is switched off by its settings. */
export type ComponentFactory = (deps: ComponentDeps) => Promise<Component | undefined>;
