/**
 * The bot's own settings, read once from the environment and validated (the style of
 * server/config.ts: a bad value throws an error naming the variable). The token, username,
 * Bot API root, dashboard and admin ids come from the core configuration.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Config } from "../server/config.ts";
import { DIGEST_MODES, type DigestMode } from "../server/domain/notificationSettings.ts";
import {
  ConfigError,
  type ConfigIssue,
  type ConfigWarning,
  type Environment,
  httpUrl,
  int,
  optional,
  parseEnv,
  variablesOf,
} from "../server/env.ts";

export type BotMode = "webhook" | "polling" | "off";

export interface BotSettings {
  /** `off` also when `BOT_TOKEN` is unset (see {@link BotSettings.offReason}). */
  mode: BotMode;
  /** Why the bot does not run, for the log and the `npm run dev` banner. */
  offReason?: "no_token" | "disabled";
  webhook?: {
    /** The public HTTPS URL Telegram posts updates to. */
    url: string;
    /** Where the router is mounted on the API: the path of `url`. */
    path: string;
    /** `X-Telegram-Bot-Api-Secret-Token`: set with setWebhook, required on every update. */
    secret: string;
    /** Updates handled at once; further deliveries wait (Telegram retries a 503 later). */
    concurrency: number;
    /** Telegram's `max_connections` for this webhook. */
    maxConnections: number;
    /**
     * `response`: an update is handled while Telegram waits and its answer goes back in the
     * webhook's response (answered once across crashes); `api`: acknowledged at once, answered
     * with Bot API calls (see bot/webhook.ts).
     */
    answer: "response" | "api";
  };
  /** Block explorer base URL (`https://etherscan.io`); links are left out when unset. */
  explorerUrl?: string;
  /** Members hear about a grant expiring this many days before it does. */
  expiryNoticeDays: number;
  /** Bulk sends (notifications, broadcasts) per second, overall; Telegram allows about 30. */
  bulkPerSecond: number;
  /** How often the notification queue is polled when idle. */
  queuePollMs: number;
  /** "A friend joined" notifications this close to the last one wait and go out as one digest. */
  digestMinutes: number;
  /** The digest of members who did not choose one: `window` (above) or `daily`. */
  digestMode: DigestMode;
  warnings: ConfigWarning[];
}

const envSchema = z.object({
  BOT_MODE: z.enum(["auto", "webhook", "polling", "off"]).default("auto"),
  BOT_WEBHOOK_URL: optional(httpUrl),
  BOT_WEBHOOK_SECRET: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, "expected 16–256 characters of A-Z, a-z, 0-9, _ and -"),
  ),
  BOT_WEBHOOK_CONCURRENCY: int(1, 10_000).default(100),
  BOT_WEBHOOK_MAX_CONNECTIONS: int(1, 100).default(40),
  BOT_WEBHOOK_ANSWER: z.enum(["response", "api"]).default("response"),
  EXPLORER_URL: optional(httpUrl),
  BOT_EXPIRY_NOTICE_DAYS: int(1, 365).default(3),
  BOT_BULK_PER_SECOND: int(1, 30).default(25),
  BOT_QUEUE_POLL_MS: int(10, 60_000).default(1000),
  BOT_DIGEST_MINUTES: int(0, 1440).default(60),
  BOT_DIGEST_MODE: z.enum(DIGEST_MODES).default("window"),
});

/** The variables this module reads (for documentation and tests). */
export const BOT_CONFIG_VARIABLES = variablesOf(envSchema);

/** Reads the bot's settings; throws {@link ConfigError} naming each bad variable. */
export function loadBotSettings(env: Environment, core: Config): BotSettings {
  const e = parseEnv(envSchema, env);
  const warnings: ConfigWarning[] = [];
  const common = {
    explorerUrl: e.EXPLORER_URL?.replace(/\/+$/, ""),
    expiryNoticeDays: e.BOT_EXPIRY_NOTICE_DAYS,
    bulkPerSecond: e.BOT_BULK_PER_SECOND,
    queuePollMs: e.BOT_QUEUE_POLL_MS,
    digestMinutes: e.BOT_DIGEST_MINUTES,
    digestMode: e.BOT_DIGEST_MODE,
    warnings,
  };
  if (e.BOT_MODE === "off") return { mode: "off", offReason: "disabled", ...common };
  // Core config invents a random token when BOT_TOKEN is unset; a bot cannot run on it.
  if (core.warnings.some((w) => w.variable === "BOT_TOKEN")) {
    return { mode: "off", offReason: "no_token", ...common };
  }

  const mode: BotMode =
    e.BOT_MODE === "auto" ? (e.BOT_WEBHOOK_URL ? "webhook" : "polling") : e.BOT_MODE;
  if (mode === "polling") return { mode, ...common };

  const issues: ConfigIssue[] = [];
  if (e.BOT_WEBHOOK_URL === undefined) {
    throw new ConfigError([
      { variable: "BOT_WEBHOOK_URL", message: "is required when BOT_MODE=webhook" },
    ]);
  }
  const url = new URL(e.BOT_WEBHOOK_URL);
  // Telegram's own servers only deliver to HTTPS; a local Bot API server may use plain HTTP.
  if (url.protocol !== "https:" && core.telegram.apiRoot === "https://api.telegram.org") {
    issues.push({
      variable: "BOT_WEBHOOK_URL",
      message: "Telegram delivers webhooks only to https:// URLs",
    });
  }
  if (url.search !== "" || url.hash !== "") {
    issues.push({ variable: "BOT_WEBHOOK_URL", message: "must not carry a query or fragment" });
  }
  if (url.pathname === "/" || url.pathname.startsWith("/api/")) {
    issues.push({
      variable: "BOT_WEBHOOK_URL",
      message: "needs a path of its own, e.g. https://bot.example.com/telegram/webhook",
    });
  }
  let secret = e.BOT_WEBHOOK_SECRET;
  if (secret === undefined) {
    if (core.env === "production") {
      issues.push({
        variable: "BOT_WEBHOOK_SECRET",
        message: "is required in production with a webhook (every instance must share it)",
      });
    } else {
      // setWebhook registers it at start, so a per-process secret is valid for one instance.
      secret = randomBytes(32).toString("base64url");
      warnings.push({
        variable: "BOT_WEBHOOK_SECRET",
        message: "not set: using a random per-process secret (fine for one instance)",
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    mode,
    webhook: {
      url: url.toString(),
      path: url.pathname.replace(/\/+$/, ""),
      secret: secret!,
      concurrency: e.BOT_WEBHOOK_CONCURRENCY,
      maxConnections: e.BOT_WEBHOOK_MAX_CONNECTIONS,
      answer: e.BOT_WEBHOOK_ANSWER,
    },
    ...common,
  };
}
