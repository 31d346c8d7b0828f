/**
 * `/wallet` (the linked address and the dashboard's wallet page) and `/login` (a fresh
 * single-use login link in web mode; in Mini App mode, the Mini App itself).
 */
import { Composer } from "grammy";
import { LOGIN_TOKEN_TTL_SECONDS } from "../../server/domain/webLogin.ts";
import type { BotContext, BotServices } from "../context.ts";
import { dashboardEntry } from "../dashboard.ts";
import { code } from "../i18n.ts";
import { HTML } from "../middleware.ts";

export function accountFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const pm = c.chatType("private");

  pm.command("wallet", async (ctx) => {
    const member = ctx.member;
    if (!member) return;
    const text = [
      member.wallet
        ? ctx.tr("wallet-linked", {
            address: s.explorer ? s.explorer.address(member.wallet) : code(member.wallet),
          })
        : ctx.tr("wallet-none"),
    ];
    const entry = await dashboardEntry(s, member, ctx.locale, "wallet", ctx.t("wallet-button"));
    if (entry.fallback) text.push(entry.fallback.html);
    await ctx.reply(text.join("\n\n"), { ...HTML, reply_markup: entry.keyboard });
  });

  pm.command("login", async (ctx) => {
    const member = ctx.member;
    if (!member) return;
    const entry = await dashboardEntry(s, member, ctx.locale, "home", ctx.t("dashboard-button"));
    const text = [
      s.config.dashboard.mode === "web"
        ? ctx.tr("login-link", { minutes: Math.round(LOGIN_TOKEN_TTL_SECONDS / 60) })
        : ctx.tr("login-miniapp"),
    ];
    if (entry.fallback) text.push(entry.fallback.html);
    await ctx.reply(text.join("\n\n"), { ...HTML, reply_markup: entry.keyboard });
  });
  return c;
}
