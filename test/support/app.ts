/**
 * Starts the real HTTP app on an ephemeral port over a test database, and a tiny fetch
 * client. The server is closed when the test ends.
 */
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import type { Router } from "express";
import type { PublicClient } from "viem";
import { type Config, type Environment, loadConfig } from "../../server/config.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import type { SignatureVerifier } from "../../server/domain/wallets.ts";
import { createApp } from "../../server/http/app.ts";
import type { AuthResolver } from "../../server/http/auth.ts";
import { createMetrics } from "../../server/http/metrics.ts";
import { createLogger } from "../../server/logger.ts";
import { type TestClock, testClock } from "./clock.ts";
import { type TestDomain, testDomain } from "./domain.ts";
import { TEST_BOT_TOKEN } from "./telegram.ts";

export const TEST_ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef";
export const TEST_PARTNER_SECRET = "partner-secret-for-tests-0123456789";
export const TEST_ADMIN_TELEGRAM_ID = 900_000_001;

export const TEST_METRICS_TOKEN = "metrics-token-for-tests-0123456789";

/** Test configuration; `env` overrides any variable. */
export function testConfig(env: Environment = {}): Config {
  // Production refuses to start without a metrics token: production-like test configs get one.
  const production =
    env.NODE_ENV === "production" && env.METRICS_TOKEN === undefined
      ? { METRICS_TOKEN: TEST_METRICS_TOKEN }
      : {};
  // Tests' webhook receivers listen on 127.0.0.1: the SSRF guard's loopback exception (never
  // in production, where the configuration refuses it).
  const loopback = env.NODE_ENV === "production" ? {} : { WEBHOOK_ALLOW_LOOPBACK: "true" };
  return loadConfig({
    NODE_ENV: "test",
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_USERNAME: "refmint_test_bot",
    MINIAPP_SHORT_NAME: "app",
    PUBLIC_URL: "https://api.refmint.test",
    MINIAPP_ORIGINS: "https://app.refmint.test",
    SIWE_DOMAIN: "app.refmint.test",
    SIWE_URI: "https://app.refmint.test",
    CHAIN_ID: "31337",
    HASH_SECRET: "hash-secret-for-tests-0123456789",
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    ADMIN_TELEGRAM_IDS: String(TEST_ADMIN_TELEGRAM_ID),
    PARTNER_SECRETS: `shop=${TEST_PARTNER_SECRET}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...production,
    ...loopback,
    ...env,
  });
}

export interface TestApp extends TestDomain {
  url: string;
  config: Config;
  /** `fetch` against the app; JSON bodies are serialised, responses parsed when JSON. */
  call(
    method: string,
    path: string,
    opts?: { auth?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  body: any;
  text: string;
}

export interface TestAppOptions {
  campaigns?: CampaignDefinition[];
  env?: Environment;
  clock?: TestClock;
  publicClient?: PublicClient;
  verifySignature?: SignatureVerifier;
  authResolvers?: AuthResolver[];
  routers?: Array<{ path: string; router: Router }>;
  /** Collects every log line (JSON, level info and up) instead of the configured silence. */
  logs?: string[];
}

export async function startTestApp(
  t: TestContext,
  db: DatabaseHandle,
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const config = testConfig(opts.env);
  const metrics = createMetrics({ defaultMetrics: false });
  // Real time by default: init data and SIWE messages are signed with the real clock.
  const domain = await testDomain(db, {
    campaigns: opts.campaigns,
    clock: opts.clock ?? testClock(new Date()),
    events: metrics.events,
    attributionWindowHours: config.attributionWindowHours,
  });
  const app = createApp({
    config,
    logger:
      opts.logs === undefined
        ? createLogger(config.log.level)
        : createLogger("info", { write: (line: string) => void opts.logs?.push(line) }),
    database: db,
    domain: domain.ctx,
    metrics,
    publicClient: opts.publicClient,
    verifySignature: opts.verifySignature,
    authResolvers: opts.authResolvers,
    routers: opts.routers,
    validateResponses: true,
  });
  const server = app.listen(0, "127.0.0.1");
  // Idle keep-alive connections are closed by the client (fetch), never by the server: a test
  // that pauses between calls longer than Node's 5 s default (slow steps on a loaded machine)
  // would otherwise race the server's close with its next request (ECONNRESET). The sockets
  // are closed when the test ends (below).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...domain,
    url,
    config,
    call: async (method, path, o = {}) => {
      const headers: Record<string, string> = { ...o.headers };
      if (o.auth !== undefined) headers.authorization = o.auth;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(`${url}${path}`, { method, headers, body, redirect: "manual" });
      const text = await res.text();
      let parsed: unknown = text;
      if (/json/.test(res.headers.get("content-type") ?? "") && text !== "")
        parsed = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
  };
}
