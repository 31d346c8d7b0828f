/**
 * Every server setting, read once from the environment and validated.
 *
 * Production (`NODE_ENV=production`) refuses to start without `BOT_TOKEN`, `HASH_SECRET`,
 * `PUBLIC_URL` and `METRICS_TOKEN`: metrics share the public port, so they need a token.
 *
 * A missing or malformed value stops start-up with a message naming the variable. Secrets
 * have no silent defaults: outside production a missing `BOT_TOKEN` or `HASH_SECRET` is
 * replaced by a random value *and a warning* so `npm start` works with no setup while
 * failing closed (no Telegram init data can validate against a random token).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  bool,
  ConfigError,
  type ConfigIssue,
  type ConfigWarning,
  commaList,
  type Environment,
  httpUrl,
  int,
  optional,
  optionalString,
  parseEnv,
  port,
  secret,
  variablesOf,
} from "./env.ts";

export { ConfigError, type ConfigWarning, type Environment };

const BOT_TOKEN_RE = /^\d{3,20}:[A-Za-z0-9_-]{30,100}$/;

/** `id=secret,other=secret2`: per-partner webhook secrets (each at least 16 chars). */
const partnerSecrets = commaList((pair): [string, string] | { error: string } => {
  const eq = pair.indexOf("=");
  const id = pair.slice(0, eq).trim();
  const key = pair.slice(eq + 1).trim();
  return eq < 1 || !/^[a-z0-9_-]{1,64}$/.test(id) || key.length < 16
    ? { error: "expected id=secret pairs (id: [a-z0-9_-], secret: at least 16 characters)" }
    : [id, key];
}).transform((pairs): ReadonlyMap<string, string> => new Map(pairs));

/** Comma-separated Telegram user ids. */
const telegramIds = commaList((s) =>
  /^\d{1,16}$/.test(s) ? Number(s) : { error: `"${s}" is not a Telegram user id` },
).transform((ids): ReadonlySet<number> => new Set(ids));

/** Comma-separated origins (scheme://host[:port]) allowed by CORS. */
const origins = commaList((s) =>
  URL.canParse(s) && new URL(s).origin === s
    ? s
    : { error: `"${s}" is not an origin like https://app.example` },
);

/** The raw environment schema: names are the variable names, so issues name them. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: optionalString,
  PORT: port.default(3000),
  PUBLIC_URL: httpUrl.optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(\d+|true|false|loopback|[0-9a-f.:/, ]+)$/i,
      "expected a hop count, true/false or subnets",
    )
    .default("false"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: optional(
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "expected postgres://user@host:port/db"),
  ),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_READ_CACHE_MS: int(0, 60_000).default(1000),
  DATA_DIR: z.string().trim().min(1).default(".data/pglite"),

  BOT_TOKEN: optional(z.string().regex(BOT_TOKEN_RE, "expected a bot token like 123456:ABC-DEF…")),
  BOT_USERNAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "expected a bot username without @")
    .default("refmint_bot"),
  MINIAPP_SHORT_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]{3,30}$/, "expected the Mini App short name from @BotFather")
    .default("app"),
  TELEGRAM_API_ROOT: httpUrl.default("https://api.telegram.org"),
  INIT_DATA_MAX_AGE_SECONDS: int(1, 7 * 86_400).default(3600),
  MINIAPP_ORIGINS: origins,
  DASHBOARD_MODE: z.enum(["miniapp", "web"]).default("web"),
  DASHBOARD_URL: optional(httpUrl),

  RPC_URL: optional(httpUrl),
  CHAIN_ID: int(1, 2 ** 48).default(31337),
  SIWE_DOMAIN: optionalString,
  SIWE_URI: optional(httpUrl),
  SIWE_NONCE_TTL_SECONDS: int(30, 86_400).default(600),

  ADMIN_TELEGRAM_IDS: telegramIds,
  ADMIN_API_TOKEN: optional(secret(32)),
  METRICS_TOKEN: optional(secret(16)),
  HASH_SECRET: optional(secret(16)),

  PARTNER_SECRETS: partnerSecrets,
  PARTNER_WEBHOOK_TOLERANCE_SECONDS: int(10, 3600).default(300),

  CAMPAIGNS_DIR: z.string().trim().min(1).default("campaigns"),
  DEPLOYMENTS_DIR: z.string().trim().min(1).default("deployments"),
  DEFAULT_CAMPAIGN: optional(z.string().regex(/^[a-z0-9-]{2,48}$/)),
  ATTRIBUTION_WINDOW_HOURS: int(1, 24 * 30).default(24),

  BODY_LIMIT_BYTES: int(1024, 1_048_576).default(16_384),
  RATE_LIMIT_IP_PER_MINUTE: int(1, 10_000_000).default(600),
  RATE_LIMIT_MEMBER_PER_MINUTE: int(1, 10_000_000).default(240),
  RATE_LIMIT_HOST_KEY_PER_MINUTE: int(1, 10_000_000).default(1200),
  JOBS_INTERVAL_SECONDS: int(0, 86_400).default(60),
  /** How often the analytics rollups fold pending events (docs/ANALYTICS.md); 0: never. */
  ANALYTICS_FOLD_INTERVAL_SECONDS: int(0, 86_400).default(5),
  /** How often each process checks for campaigns deployed or changed elsewhere; 0: never. */
  CAMPAIGN_REFRESH_SECONDS: int(0, 3600).default(2),
  RETENTION_CLICKS_DAYS: int(1, 3650).default(90),
  RETENTION_IP_HASH_DAYS: int(1, 3650).default(30),
  RETENTION_DEVICE_HASH_DAYS: int(1, 3650).default(90),
  /** How often the retention job runs (0: never, e.g. a separate worker runs it). */
  RETENTION_INTERVAL_SECONDS: int(0, 7 * 86_400).default(3600),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(10),
  /** Outbound webhooks (server/webhooks/worker.ts): poll interval (0: no worker here). */
  WEBHOOK_INTERVAL_SECONDS: int(0, 3600).default(5),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: int(1, 50).default(8),
  WEBHOOK_BACKOFF_BASE_SECONDS: int(1, 86_400).default(30),
  WEBHOOK_BACKOFF_MAX_SECONDS: int(1, 7 * 86_400).default(6 * 3600),
  WEBHOOK_CONCURRENCY: int(1, 64).default(4),
  /** Plain http:// receivers; default: allowed outside production only. */
  WEBHOOK_ALLOW_HTTP: optional(bool),
  /** Loopback receivers (the SSRF guard's one exception): development and tests only. */
  WEBHOOK_ALLOW_LOOPBACK: bool.default(false),
  MIGRATE_ON_START: bool.default(true),
});

/** Outbound webhooks: the worker's schedule and limits (server/webhooks/worker.ts). */
export interface WebhookSettings {
  /** Poll interval of the worker (0: no worker in this process). */
  intervalSeconds: number;
  timeoutMs: number;
  /** Attempts per round (a replay starts a new round). */
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** Deliveries per pass, sent `concurrency` at a time. */
  batchSize: number;
  concurrency: number;
  /** Plain `http://` receivers (development and tests); production wants https. */
  allowHttp: boolean;
  /**
   * Receivers on loopback addresses (127.0.0.0/8, ::1, localhost), the one exception to the
   * SSRF guard (server/domain/webhookReceivers.ts): local receivers in development and tests;
   * refused in production.
   */
  allowLoopback: boolean;
}

/** The validated configuration every module receives (never `process.env` directly). */
export interface Config {
  env: "development" | "production" | "test";
  http: {
    host: string;
    port: number;
    publicUrl: string;
    trustProxy: boolean | number | string;
    bodyLimitBytes: number;
    corsOrigins: string[];
    rateLimitIpPerMinute: number;
    rateLimitMemberPerMinute: number;
    /** Requests per minute of one host API key (routes/host.ts). */
    rateLimitHostKeyPerMinute: number;
    shutdownTimeoutMs: number;
  };
  log: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" };
  db: {
    url?: string;
    dataDir: string;
    poolSize: number;
    /** PostgreSQL: how long cached reads may miss other processes' writes (0: no cache). */
    readCacheMs: number;
    migrateOnStart: boolean;
  };
  /**
   * Where members see their dashboard. `miniapp`: inside Telegram as a Mini App. `web`: a
   * website reached by a single-use login link from the bot (Telegram's terms allow only TON
   * assets and TON Connect inside Mini Apps; bots without a Mini App are exempt).
   */
  dashboard: { mode: "miniapp" | "web"; url: string };
  telegram: {
    botToken: string;
    botUsername: string;
    miniAppShortName: string;
    apiRoot: string;
    initDataMaxAgeSeconds: number;
  };
  chain: { rpcUrl?: string; chainId: number };
  siwe: { domain: string; uri: string; nonceTtlSeconds: number };
  admin: { telegramIds: ReadonlySet<number>; apiToken?: string };
  metricsToken?: string;
  hashSecret: string;
  partners: { secrets: ReadonlyMap<string, string>; toleranceSeconds: number };
  campaigns: { dir: string; deploymentsDir: string; defaultSlug?: string };
  attributionWindowHours: number;
  jobsIntervalSeconds: number;
  analyticsFoldIntervalSeconds: number;
  /** How often the campaign registry checks its change counter (registrySync.ts); 0: never. */
  campaignRefreshSeconds: number;
  /** How long personal data the fraud checks need is kept (server/domain/retention.ts). */
  retention: {
    clicksDays: number;
    ipHashDays: number;
    deviceHashDays: number;
    intervalSeconds: number;
  };
  /** Outbound webhooks: the worker's schedule and limits (server/webhooks/worker.ts). */
  webhooks: WebhookSettings;
  warnings: ConfigWarning[];
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Reads and validates the configuration. Throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: Environment = process.env): Config {
  const e = parseEnv(envSchema, env);
  const warnings: ConfigWarning[] = [];
  const production = e.NODE_ENV === "production";
  const issues: ConfigIssue[] = [];

  const requireInProduction = (variable: string, present: boolean, why: string) => {
    if (production && !present)
      issues.push({ variable, message: `is required in production (${why})` });
  };
  requireInProduction("BOT_TOKEN", e.BOT_TOKEN !== undefined, "validates Mini App init data");
  requireInProduction("HASH_SECRET", e.HASH_SECRET !== undefined, "keys IP and device hashes");
  requireInProduction("PUBLIC_URL", e.PUBLIC_URL !== undefined, "builds redirect and SIWE URLs");
  requireInProduction(
    "METRICS_TOKEN",
    e.METRICS_TOKEN !== undefined,
    "/metrics is served on the public port and must not be readable by anyone",
  );
  if (production && e.WEBHOOK_ALLOW_LOOPBACK)
    issues.push({
      variable: "WEBHOOK_ALLOW_LOOPBACK",
      message:
        "is refused in production (webhooks would reach the service's own host: development and tests only)",
    });
  if (issues.length > 0) throw new ConfigError(issues);

  let botToken = e.BOT_TOKEN;
  if (botToken === undefined) {
    // A random token: Mini App authentication fails closed until a real one is set.
    botToken = `0000000:${randomBytes(32).toString("base64url")}`;
    warnings.push({
      variable: "BOT_TOKEN",
      message: "not set: every Mini App request will get 401 until it is",
    });
  }
  let hashSecret = e.HASH_SECRET;
  if (hashSecret === undefined) {
    hashSecret = randomBytes(32).toString("hex");
    warnings.push({
      variable: "HASH_SECRET",
      message:
        "not set: using a random per-process secret (click de-duplication resets on restart)",
    });
  }

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const publicOrigin = new URL(publicUrl);
  const siweUri = e.SIWE_URI ?? e.MINIAPP_ORIGINS[0] ?? publicOrigin.origin;

  return {
    env: e.NODE_ENV,
    http: {
      // Development serves dev helpers and Vite's file server: loopback only unless asked.
      host: e.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
      port: e.PORT,
      publicUrl,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      corsOrigins: e.MINIAPP_ORIGINS,
      rateLimitIpPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      rateLimitMemberPerMinute: e.RATE_LIMIT_MEMBER_PER_MINUTE,
      rateLimitHostKeyPerMinute: e.RATE_LIMIT_HOST_KEY_PER_MINUTE,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    },
    log: { level: e.LOG_LEVEL },
    db: {
      url: e.DATABASE_URL,
      dataDir: e.DATA_DIR,
      poolSize: e.DATABASE_POOL_SIZE,
      readCacheMs: e.DATABASE_READ_CACHE_MS,
      migrateOnStart: e.MIGRATE_ON_START,
    },
    dashboard: {
      mode: e.DASHBOARD_MODE,
      url: (e.DASHBOARD_URL ?? publicUrl).replace(/\/+$/, ""),
    },
    telegram: {
      botToken,
      botUsername: e.BOT_USERNAME,
      miniAppShortName: e.MINIAPP_SHORT_NAME,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      initDataMaxAgeSeconds: e.INIT_DATA_MAX_AGE_SECONDS,
    },
    chain: { rpcUrl: e.RPC_URL, chainId: e.CHAIN_ID },
    siwe: {
      domain: e.SIWE_DOMAIN ?? new URL(siweUri).host,
      uri: siweUri,
      nonceTtlSeconds: e.SIWE_NONCE_TTL_SECONDS,
    },
    admin: { telegramIds: e.ADMIN_TELEGRAM_IDS, apiToken: e.ADMIN_API_TOKEN },
    metricsToken: e.METRICS_TOKEN,
    hashSecret,
    partners: {
      secrets: e.PARTNER_SECRETS,
      toleranceSeconds: e.PARTNER_WEBHOOK_TOLERANCE_SECONDS,
    },
    campaigns: {
      dir: e.CAMPAIGNS_DIR,
      deploymentsDir: e.DEPLOYMENTS_DIR,
      defaultSlug: e.DEFAULT_CAMPAIGN,
    },
    attributionWindowHours: e.ATTRIBUTION_WINDOW_HOURS,
    jobsIntervalSeconds: e.JOBS_INTERVAL_SECONDS,
    analyticsFoldIntervalSeconds: e.ANALYTICS_FOLD_INTERVAL_SECONDS,
    campaignRefreshSeconds: e.CAMPAIGN_REFRESH_SECONDS,
    retention: {
      clicksDays: e.RETENTION_CLICKS_DAYS,
      ipHashDays: e.RETENTION_IP_HASH_DAYS,
      deviceHashDays: e.RETENTION_DEVICE_HASH_DAYS,
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
    },
    webhooks: {
      intervalSeconds: e.WEBHOOK_INTERVAL_SECONDS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseSeconds: e.WEBHOOK_BACKOFF_BASE_SECONDS,
      backoffMaxSeconds: Math.max(e.WEBHOOK_BACKOFF_MAX_SECONDS, e.WEBHOOK_BACKOFF_BASE_SECONDS),
      batchSize: 50,
      concurrency: e.WEBHOOK_CONCURRENCY,
      allowHttp: e.WEBHOOK_ALLOW_HTTP ?? !production,
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK,
    },
    warnings,
  };
}

/** The documented variables, for the README table and `--help`-like output. */
export const CONFIG_VARIABLES = variablesOf(envSchema);
