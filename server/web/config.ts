/**
 * Settings of the web component (the member dashboard, served on the API's origin), read once
 * from the environment and validated like server/config.ts: a bad value stops start-up with
 * a message naming the variable. Everything is optional; defaults follow the core config.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Config } from "../config.ts";
import {
  bool,
  ConfigError,
  type ConfigIssue,
  type Environment,
  httpUrl,
  optional,
  optionalString,
  parseEnv,
  variablesOf,
} from "../env.ts";

const envSchema = z.object({
  DASHBOARD_RPC_URL: optional(httpUrl),
  DASHBOARD_CHAIN_NAME: optional(z.string().max(64)),
  EXPLORER_URL: optional(httpUrl),
  DASHBOARD_DIST_DIR: optionalString,
  DASHBOARD_VITE: optional(bool),
  DASHBOARD_DEV_TOOLS: optional(bool),
  WALLETCONNECT_PROJECT_ID: optional(
    z.string().regex(/^[0-9a-f]{32}$/i, "expected a 32-character hex project id (cloud.reown.com)"),
  ),
});

export interface WebSettings {
  mode: Config["dashboard"]["mode"];
  /** Origin of the dashboard (login links, CSRF origin check, cookie scope). */
  origin: string;
  /** Whether the session cookie is `Secure` (the dashboard is served over https). */
  secureCookie: boolean;
  /** Where browsers read balances: a public JSON-RPC endpoint (never a private key-bearing one). */
  rpcUrl?: string;
  chainId: number;
  chainName: string;
  explorerUrl?: string;
  /** WalletConnect (Reown) project id: offer WalletConnect beside injected wallets. */
  walletConnectProjectId?: string;
  /** The production build (index.html and hashed assets). */
  distDir: string;
  /** Serve the app through Vite's dev middleware (hot reload) instead of the build. */
  vite: boolean;
  /**
   * Development helpers: signed init data for the mocked Telegram environment, demo login.
   * Default: on in development while BOT_TOKEN is unset (the random token); never in production.
   */
  devTools: boolean;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Reads the web settings. Throws {@link ConfigError} naming each bad variable. */
export function loadWebSettings(config: Config, env: Environment): WebSettings {
  const e = parseEnv(envSchema, env);
  const development = config.env === "development";
  const production = config.env === "production";
  const issues: ConfigIssue[] = [];
  // Both serve code that must never reach members: refuse rather than ignore in production.
  if (production && e.DASHBOARD_DEV_TOOLS === true)
    issues.push({ variable: "DASHBOARD_DEV_TOOLS", message: "cannot be enabled in production" });
  if (production && e.DASHBOARD_VITE === true)
    issues.push({ variable: "DASHBOARD_VITE", message: "cannot be enabled in production" });
  if (issues.length > 0) throw new ConfigError(issues);

  const url = new URL(config.dashboard.url);
  return {
    mode: config.dashboard.mode,
    origin: url.origin,
    secureCookie: url.protocol === "https:",
    rpcUrl: e.DASHBOARD_RPC_URL ?? config.chain.rpcUrl,
    chainId: config.chain.chainId,
    chainName:
      e.DASHBOARD_CHAIN_NAME ??
      (config.chain.chainId === 31337 ? "Hardhat" : `Chain ${config.chain.chainId}`),
    explorerUrl: e.EXPLORER_URL?.replace(/\/+$/, ""),
    walletConnectProjectId: e.WALLETCONNECT_PROJECT_ID,
    distDir: path.resolve(ROOT, e.DASHBOARD_DIST_DIR ?? "miniapp/dist"),
    vite: e.DASHBOARD_VITE ?? development,
    // Signing init data for anyone is harmless with the random token `npm run dev` gets, and a
    // way to impersonate any member with a real one: on by default only in the first case.
    devTools:
      e.DASHBOARD_DEV_TOOLS ??
      (development && config.warnings.some((w) => w.variable === "BOT_TOKEN")),
  };
}

/** The variables this module reads, for the README's configuration table. */
export const WEB_CONFIG_VARIABLES = variablesOf(envSchema);
