/**
 * Headers for the dashboard's pages. The production build needs nothing inline: scripts and
 * styles are files from this origin, so the policy allows only 'self' for them. The browser
 * talks to this API and the public RPC endpoint (balances, claim receipts). Inside Telegram's
 * web client the Mini App is framed by web.telegram.org, so framing is allowed there in
 * `miniapp` mode and refused otherwise.
 */
import type { Response } from "express";

export interface PageSecurity {
  mode: "miniapp" | "web";
  rpcUrl?: string;
  /** WalletConnect is offered: the page talks to its relay and verify servers. */
  walletConnect?: boolean;
  /** Vite's dev server injects inline scripts (React refresh) and styles, and a websocket. */
  dev: boolean;
}

/** The WalletConnect relay (websocket), its verify and event servers. */
const WALLETCONNECT_ORIGINS = [
  "wss://relay.walletconnect.org",
  "wss://relay.walletconnect.com",
  "https://verify.walletconnect.org",
  "https://verify.walletconnect.com",
  "https://pulse.walletconnect.org",
  "https://rpc.walletconnect.org",
];
const WALLETCONNECT_FRAMES = [
  "https://verify.walletconnect.org",
  "https://verify.walletconnect.com",
];
const TELEGRAM_FRAMERS = ["https://web.telegram.org", "https://*.web.telegram.org"];

export function contentSecurityPolicy(s: PageSecurity): string {
  const connect = ["'self'"];
  if (s.rpcUrl !== undefined) connect.push(new URL(s.rpcUrl).origin);
  if (s.dev) connect.push("ws:", "wss:");
  if (s.walletConnect) connect.push(...WALLETCONNECT_ORIGINS);
  const directives: Array<[string, string[]]> = [
    ["default-src", ["'self'"]],
    ["script-src", s.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    // telegram-ui and React set element styles through the CSSOM, which CSP does not govern;
    // the dev server injects <style> elements for hot-reloaded CSS.
    ["style-src", s.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ["img-src", ["'self'", "data:", "blob:"]],
    ["font-src", ["'self'", "data:"]],
    ["connect-src", connect],
    // WalletConnect's verify API answers through an iframe of its own.
    ["frame-src", s.walletConnect ? WALLETCONNECT_FRAMES : ["'none'"]],
    [
      "frame-ancestors",
      s.mode === "miniapp" || s.dev ? ["'self'", ...TELEGRAM_FRAMERS] : ["'none'"],
    ],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    ["form-action", ["'self'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(" ")}`).join("; ");
}

export function setPageHeaders(res: Response, csp: string, s: PageSecurity): void {
  res.setHeader("Content-Security-Policy", csp);
  if (s.mode === "web" && !s.dev) res.setHeader("X-Frame-Options", "DENY");
  // Wallet extensions may open windows that must be able to talk back.
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}
