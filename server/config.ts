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

/** Where a setting came from: set by the operator, or a documented fallback. */
export interface ConfigWarning {
  variable: string;
  message: string;
}

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["1", "0", "true", "false", "yes", "no"]))
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** An http(s) URL (RPC endpoints, API roots). */
const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), "expected an http(s):// URL");

const BOT_TOKEN_RE = /^\d{3,20}:[A-Za-z0-9_-]{30,100}$/;

/** `id=secret,other=secret2`: per-partner webhook secrets (each at least 16 chars). */
const partnerSecrets = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const out = new Map<string, string>();
    if (v === "") return out;
    for (const pair of v.split(",")) {
      const eq = pair.indexOf("=");
      const id = pair.slice(0, eq).trim();
      const secret = pair.slice(eq + 1).trim();
      if (eq < 1 || !/^[a-z0-9_-]{1,64}$/.test(id) || secret.length < 16) {
        ctx.addIssue({
          code: "custom",
          message: "expected id=secret pairs (id: [a-z0-9_-], secret: at least 16 characters)",
        });
        return z.NEVER;
      }
      out.set(id, secret);
    }
    return out;
  });

/** Comma-separated Telegram user ids. */
const telegramIds = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const ids = new Set<number>();
    if (v === "") return ids;
    for (const part of v.split(",")) {
      const s = part.trim();
      if (!/^\d{1,16}$/.test(s)) {
        ctx.addIssue({ code: "custom", message: `"${s}" is not a Telegram user id` });
        return z.NEVER;
      }
      ids.add(Number(s));
    }
    return ids;
  });

/** Comma-separated origins (scheme://host[:port]) allowed by CORS. */
const origins = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const out: string[] = [];
    if (v === "") return out;
    for (const part of v.split(",")) {
      const s = part.trim();
      if (!URL.canParse(s) || new URL(s).origin !== s) {
        ctx.addIssue({
          code: "custom",
          message: `"${s}" is not an origin like https://app.example`,
        });
        return z.NEVER;
      }
      out.push(s);
    }
    return out;
  });

/** The raw environment schema: names are the variable names, so issues name them. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: optionalString,
  PORT: int(0, 65535).default(3000),
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

  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "expected postgres://user@host:port/db")
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_READ_CACHE_MS: int(0, 60_000).default(1000),
  DATA_DIR: z.string().trim().min(1).default(".data/pglite"),

  BOT_TOKEN: optionalString.pipe(
    z.string().regex(BOT_TOKEN_RE, "expected a bot token like 123456:ABC-DEF…").optional(),
  ),
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
  MINIAPP_ORIGINS: origins.prefault(""),
  DASHBOARD_MODE: z.enum(["miniapp", "web"]).default("web"),
  DASHBOARD_URL: optionalString.pipe(httpUrl.optional()),

  RPC_URL: optionalString.pipe(httpUrl.optional()),
  CHAIN_ID: int(1, 2 ** 48).default(31337),
  SIWE_DOMAIN: optionalString,
  SIWE_URI: optionalString.pipe(httpUrl.optional()),
  SIWE_NONCE_TTL_SECONDS: int(30, 86_400).default(600),

  ADMIN_TELEGRAM_IDS: telegramIds.prefault(""),
  ADMIN_API_TOKEN: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  HASH_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),

  PARTNER_SECRETS: partnerSecrets.prefault(""),
  PARTNER_WEBHOOK_TOLERANCE_SECONDS: int(10, 3600).default(300),

  CAMPAIGNS_DIR: z.string().trim().min(1).default("campaigns"),
  DEPLOYMENTS_DIR: z.string().trim().min(1).default("deployments"),
  DEFAULT_CAMPAIGN: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9-]{2,48}$/)
      .optional(),
  ),
  ATTRIBUTION_WINDOW_HOURS: int(1, 24 * 30).default(24),

  BODY_LIMIT_BYTES: int(1024, 1_048_576).default(16_384),
  RATE_LIMIT_IP_PER_MINUTE: int(1, 10_000_000).default(600),
  RATE_LIMIT_MEMBER_PER_MINUTE: int(1, 10_000_000).default(240),
  JOBS_INTERVAL_SECONDS: int(0, 86_400).default(60),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(10),
  MIGRATE_ON_START: bool.default(true),
});

export type Environment = Record<string, string | undefined>;

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
  warnings: ConfigWarning[];
}

/** Thrown when the environment is invalid; `message` lists every bad variable by name. */
export class ConfigError extends Error {
  readonly issues: ReadonlyArray<{ variable: string; message: string }>;
  constructor(issues: Array<{ variable: string; message: string }>) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Reads and validates the configuration. Throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: Environment = process.env): Config {
  // Only the variables we know are read, so unrelated environment noise never matters.
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const warnings: ConfigWarning[] = [];
  const production = e.NODE_ENV === "production";
  const issues: Array<{ variable: string; message: string }> = [];

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
    warnings,
  };
}

/** The documented variables, for the README table and `--help`-like output. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
