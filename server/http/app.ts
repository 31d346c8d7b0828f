/**
 * `createApp(deps)`: the Express 5 application, with nothing started. Tests listen on an
 * ephemeral port; app/service.ts listens on `PORT`; other parts (bot webhook, dashboard files,
 * chain endpoints) pass their routers in `deps.routers` and extra authentication (e.g. a
 * website session) in `deps.authResolvers`.
 */
import { randomUUID } from "node:crypto";
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from "express";
import type { PublicClient } from "viem";
import { loadChainSettings } from "../chain/config.ts";
import { createConsoleJobs } from "../chain/consoleJobs.ts";
import { createConsoleVersions } from "../chain/consoleVersions.ts";
import type { Config } from "../config.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { botLink } from "../domain/codes.ts";
import type { DomainContext } from "../domain/context.ts";
import { isDomainError } from "../domain/errors.ts";
import { createSignatureVerifier, type SignatureVerifier } from "../domain/wallets.ts";
import { describeError, type Logger } from "../logger.ts";
import { type Access, createAccess } from "./access.ts";
import { type AuthResolver, authenticate, requireAdmin, requireMember } from "./auth.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { buildOpenApi } from "./openapi.ts";
import { prefersHtml, sendLinkPage } from "./pages.ts";
import { fromDomainError, ProblemError, sendProblem } from "./problem.ts";
import { rateLimit, WindowCounter } from "./rate-limit.ts";
import { type AuthRequirement, type RouteDoc, RouteTable } from "./route.ts";
import { adminRoutes } from "./routes/admin.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { broadcastRoutes } from "./routes/broadcasts.ts";
import { campaignConsoleRoutes } from "./routes/campaignConsole.ts";
import { challengeRoutes } from "./routes/challenges.ts";
import { consoleRoutes } from "./routes/console.ts";
import { consoleVersionRoutes } from "./routes/consoleVersions.ts";
import { hostKeyGuard, hostRoutes } from "./routes/host.ts";
import { leaderboardRoutes } from "./routes/leaderboard.ts";
import { lifecycleRoutes } from "./routes/lifecycle.ts";
import { loyaltyRoutes } from "./routes/loyalty.ts";
import { memberRoutes } from "./routes/member.ts";
import { memberJourneyRoutes } from "./routes/memberJourney.ts";
import { partnerRoutes } from "./routes/partner.ts";
import { privacyRoutes } from "./routes/privacy.ts";
import { publicRoutes } from "./routes/public.ts";
import { screeningRoutes } from "./routes/screening.ts";
import { versionRoutes } from "./routes/versions.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { apiHeaders, baseHeaders, cors } from "./security.ts";

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  /** The domain context (database, campaigns, clock, events) every handler uses. */
  domain: DomainContext;
  /** For ERC-1271 / ERC-6492 wallet signatures; EOA signatures verify without it. */
  publicClient?: PublicClient;
  /** Overrides the signature check (defaults to EOA recovery + `publicClient`). */
  verifySignature?: SignatureVerifier;
  /** Shared with the domain events; created when absent. */
  metrics?: Metrics;
  /**
   * The resolvers and limiters shared with the components (app/assemble.ts builds them once);
   * created from `config` when absent (an API without components).
   */
  access?: Access;
  /** Tried after the Telegram init data and admin token resolvers. */
  authResolvers?: AuthResolver[];
  /** Mounted after the built-in routes, before the 404 handler. */
  /** `ipRateLimit: false`: the router authenticates its callers and is exempt from the per-IP limit. */
  routers?: Array<{ path: string; router: Router; ipRateLimit?: false }>;
  /** OpenAPI operations of `routers` (declared with their own RouteTable), added to the document. */
  routeDocs?: RouteDoc[];
  /** Check every JSON response against its schema (tests). */
  validateResponses?: boolean;
  version?: string;
  /** The environment the chain settings come from (the campaign admin's key, NATIVE_USD_PRICE). */
  env?: NodeJS.ProcessEnv;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const QUIET_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);

export function createApp(deps: AppDeps): Express {
  const { config, logger, domain } = deps;
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  const app = express();
  app.disable("x-powered-by");
  // Responses are per-member and no-store: ETag hashing would be wasted work.
  app.set("etag", false);
  app.set("trust proxy", config.http.trustProxy);
  app.set("query parser", "simple");

  const requestContext: RequestHandler = (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      // The matched route pattern, never the raw path (codes and ids would explode metric cardinality).
      const pattern = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : undefined;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observe(req.method, pattern ?? "unmatched", res.statusCode, seconds);
      const route = pattern ?? req.path;
      const entry = {
        reqId: id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 100_000) / 100,
        member: req.member?.id,
      };
      if (res.statusCode >= 500) logger.error(entry, "request failed");
      else if (QUIET_ROUTES.has(route)) logger.debug(entry, "request");
      else logger.info(entry, "request");
    });
    next();
  };

  app.use(requestContext, baseHeaders({ hsts: config.http.publicUrl.startsWith("https://") }));
  app.use("/api", cors(config.http.corsOrigins), apiHeaders);
  app.use("/openapi.json", cors(config.http.corsOrigins));

  const access = deps.access ?? createAccess(config, domain);
  // E.g. the bot's webhook: a handful of Telegram addresses deliver every update, with a secret.
  const unlimitedPaths = (deps.routers ?? [])
    .filter((r) => r.ipRateLimit === false)
    .map((r) => r.path);
  const perIp = rateLimit(
    access.ipLimiter,
    (req) =>
      QUIET_ROUTES.has(req.path) ||
      // The host API: one busy host bot calls from one address; it has a window per key.
      req.path.startsWith("/api/host/") ||
      unlimitedPaths.some((p) => req.path === p || req.path.startsWith(`${p}/`))
        ? undefined
        : (req.ip ?? "unknown"),
    "IP",
  );
  app.use(perIp);

  const auth = authenticate([access.tma, access.adminToken, ...(deps.authResolvers ?? [])]);
  const { perMember } = access;
  const guards: Record<AuthRequirement, RequestHandler[]> = {
    none: [],
    member: [auth, requireMember, perMember],
    admin: [auth, requireAdmin(domain.db), perMember],
    partner: [],
    host: [
      hostKeyGuard(domain, {
        perKey: new WindowCounter(config.http.rateLimitHostKeyPerMinute, 60_000, () =>
          domain.now().getTime(),
        ),
        perIp: access.ipLimiter,
      }),
    ],
  };

  const table = new RouteTable({
    validateResponses: deps.validateResponses === true,
    guards,
    jsonBodyLimit: config.http.bodyLimitBytes,
  });
  let openApiDoc: Record<string, unknown> | undefined;
  const openApi = () => {
    openApiDoc ??= buildOpenApi([...table.docs, ...(deps.routeDocs ?? [])], {
      title: "Refmint API",
      version: deps.version ?? "0.1.0",
      serverUrl: config.http.publicUrl,
    });
    return openApiDoc;
  };

  const links = {
    botUsername: config.telegram.botUsername,
    miniAppShortName: config.telegram.miniAppShortName,
    publicUrl: config.http.publicUrl,
  };
  const router = express.Router();
  publicRoutes(table, router, {
    domain,
    database: deps.database,
    links,
    hashSecret: config.hashSecret,
    metricsRegistry: metrics.registry,
    metricsToken: config.metricsToken,
    onClick: (outcome) => metrics.clicks.inc({ outcome }),
    openApi,
  });
  memberRoutes(table, router, {
    domain,
    links,
    siwe: {
      domain: config.siwe.domain,
      uri: config.siwe.uri,
      chainId: config.chain.chainId,
      nonceTtlSeconds: config.siwe.nonceTtlSeconds,
    },
    verifySignature: deps.verifySignature ?? createSignatureVerifier(deps.publicClient),
    hashSecret: config.hashSecret,
  });
  memberJourneyRoutes(table, router, { domain });
  leaderboardRoutes(table, router, { domain, hashSecret: config.hashSecret });
  // Before adminRoutes: `/api/admin/members/search` is not a member's number.
  consoleRoutes(table, router, { domain });
  broadcastRoutes(table, router, { domain });
  const consoleJobs = createConsoleJobs(domain, {
    campaignsDir: config.campaigns.dir,
    deploymentsDir: config.campaigns.deploymentsDir,
    chainId: config.chain.chainId,
    rpcUrl: config.chain.rpcUrl,
    metadataUrl: config.http.publicUrl,
  });
  campaignConsoleRoutes(table, router, { domain, jobs: consoleJobs });
  consoleVersionRoutes(table, router, {
    domain,
    versions: createConsoleVersions(domain, consoleJobs, {
      chainId: config.chain.chainId,
      rpcUrl: config.chain.rpcUrl,
      publicUrl: config.http.publicUrl,
      // Read when used: a service without chain settings still starts.
      admin: () => loadChainSettings(deps.env ?? process.env).admin,
      usdPrice: () =>
        (deps.env?.NATIVE_USD_PRICE ?? process.env.NATIVE_USD_PRICE)?.trim() || undefined,
    }),
  });
  adminRoutes(table, router, { domain });
  lifecycleRoutes(table, router, { domain });
  challengeRoutes(table, router, { domain });
  analyticsRoutes(table, router, { domain, publicUrl: config.http.publicUrl });
  screeningRoutes(table, router, { domain });
  privacyRoutes(table, router, { domain });
  versionRoutes(table, router, { domain, publicUrl: config.http.publicUrl });
  webhookRoutes(table, router, { domain, receivers: config.webhooks });
  partnerRoutes(table, router, {
    domain,
    secrets: config.partners.secrets,
    toleranceSeconds: config.partners.toleranceSeconds,
    bodyLimitBytes: config.http.bodyLimitBytes,
  });
  hostRoutes(table, router, { domain });
  loyaltyRoutes(table, router, {
    domain,
    publicUrl: config.http.publicUrl,
    partners: {
      secrets: config.partners.secrets,
      toleranceSeconds: config.partners.toleranceSeconds,
      bodyLimitBytes: config.http.bodyLimitBytes,
    },
  });
  app.use(router);
  for (const r of deps.routers ?? []) app.use(r.path, r.router);

  app.use((req, _res, next) => {
    next(new ProblemError("route_not_found", `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(logger, botLink(links)));
  return app;
}

/** Errors of Express's own parts (router, body-parser): http-errors with a status. */
interface HttpLikeError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** The problem a client error of Express's own parts stands for, if it is one. */
function clientProblem(error: unknown): ProblemError | undefined {
  // The router percent-decodes path parameters and throws URIError (status 400) on bad input.
  if (error instanceof URIError)
    return new ProblemError("malformed_url", "the URL has malformed percent-encoding");
  if (typeof error !== "object" || error === null) return undefined;
  const { type, status, expose } = error as HttpLikeError;
  // Only http-errors as body-parser/raw-body throw them (a status and `expose`): other
  // libraries' errors with a status (an RPC answering 429, …) are our failures, not the client's.
  if (typeof status !== "number" || expose !== true) return undefined;
  if (typeof type === "string") {
    switch (type) {
      case "entity.too.large":
        return new ProblemError("payload_too_large", "the body exceeds the size limit");
      case "entity.parse.failed":
        return new ProblemError("malformed_json", "the body is not valid JSON");
      case "encoding.unsupported":
      case "charset.unsupported":
        return new ProblemError("unsupported_media_type", "unsupported body encoding");
      case "request.aborted":
      case "request.size.invalid":
        return new ProblemError("malformed_body", "the body is incomplete");
      default:
        return new ProblemError("validation_failed", "the body could not be read");
    }
  }
  // body-parser wraps a decompression failure (corrupt gzip, deflate or br) as a bare 400.
  if (status >= 400 && status < 500) {
    return status === 400
      ? new ProblemError("malformed_body", "the body could not be decompressed")
      : status === 413
        ? new ProblemError("payload_too_large")
        : status === 415
          ? new ProblemError("unsupported_media_type")
          : new ProblemError("validation_failed", "the request could not be read");
  }
  return undefined;
}

function errorHandler(logger: Logger, botUrl: string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = res.locals.requestId as string | undefined;
    let problem: ProblemError;
    if (error instanceof ProblemError) {
      problem = error;
    } else if (isDomainError(error)) {
      problem = fromDomainError(error);
    } else {
      const known = clientProblem(error);
      if (known) {
        problem = known;
      } else {
        // Never the raw error: its message and stack repeat SQL bound parameters, and
        // database errors carry rows in `detail` (see describeError).
        logger.error({ reqId: requestId, err: describeError(error) }, "unhandled error");
        problem = new ProblemError(
          "internal",
          "something went wrong; the request id identifies it in the logs",
        );
      }
    }
    // A person following a referral link gets a page; API clients get problem details.
    if (req.path.startsWith("/r/") && prefersHtml(req)) {
      for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
      const kind =
        problem.code === "not_found" ? "not_found" : problem.status === 400 ? "malformed" : "other";
      return sendLinkPage(req, res, problem.status, kind, botUrl);
    }
    if (req.path.startsWith("/api") || req.path === "/openapi.json") apiHeaders(req, res, () => {});
    sendProblem(res, problem, requestId);
  };
}
