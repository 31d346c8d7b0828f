/**
 * The way into the member's dashboard, by `DASHBOARD_MODE`:
 * - `miniapp`: a Web App button opening the dashboard inside Telegram (and the menu button);
 * - `web`: a single-use login link to the website (Telegram's terms allow only TON inside
 *   Mini Apps; a bot without a Mini App is exempt), issued fresh every time.
 *
 * Telegram refuses buttons to hosts it cannot reach (localhost, bare IPs) and Web App
 * buttons without HTTPS; then the link goes into the text instead, so `npm run dev` still
 * shows it.
 */

import { isIP } from "node:net";
import { InlineKeyboard } from "grammy";
import type { MemberView } from "../server/domain/index.ts";
import { LOGIN_TOKEN_TTL_SECONDS, loginLink } from "../server/domain/webLogin.ts";
import type { BotServices } from "./context.ts";
import { Html, type Locale, link } from "./i18n.ts";

export type DashboardPage = "home" | "wallet" | "invite" | "rewards" | "shop";

/** Whether Telegram accepts `url` in an inline button (`webApp`: a Web App button). */
export function buttonUrlAllowed(url: string, webApp = false): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.protocol !== "https:" && (webApp || u.protocol !== "http:")) return false;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return (
    host !== "localhost" && !host.endsWith(".localhost") && isIP(host) === 0 && host.includes(".")
  );
}

/** The dashboard URL of a page in Mini App mode (the Mini App serves the same paths). */
export function dashboardPageUrl(base: string, page: DashboardPage): string {
  return page === "home" ? base : `${base}/${page}`;
}

export interface DashboardEntry {
  /** Add to a reply's inline keyboard (absent when Telegram would refuse the URL). */
  keyboard?: InlineKeyboard;
  /** Put into the text when there is no button: the link itself. */
  fallback?: Html;
  url: string;
}

/**
 * A button (or a link in the text) opening the member's dashboard on `page`. In web mode
 * this issues a login token: call it only when the link is about to be sent.
 */
export async function dashboardEntry(
  s: BotServices,
  member: MemberView,
  locale: Locale,
  page: DashboardPage,
  label: string,
): Promise<DashboardEntry> {
  const base = s.config.dashboard.url;
  if (s.config.dashboard.mode === "miniapp") {
    const url = dashboardPageUrl(base, page);
    if (buttonUrlAllowed(url, true))
      return { url, keyboard: new InlineKeyboard().webApp(label, url) };
    return { url, fallback: link(url, url) };
  }
  const { token } = await s.loginTokens.call(member.id);
  const url = loginLink(base, token);
  if (buttonUrlAllowed(url)) return { url, keyboard: new InlineKeyboard().url(label, url) };
  return {
    url,
    fallback: new Html(
      s.translator.t(locale, "dashboard-link-text", {
        link: link(url, url),
        minutes: Math.round(LOGIN_TOKEN_TTL_SECONDS / 60),
      }),
    ),
  };
}
