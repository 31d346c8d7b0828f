/**
 * `/balance [campaign]`: on-chain balances (viem), pending, claimable and escrowed amounts,
 * explorer links; per campaign, each named, when the member has several.
 */
import { Composer } from "grammy";
import { balanceReport } from "../balances.ts";
import type { BotContext, BotServices } from "../context.ts";
import { dashboardEntry } from "../dashboard.ts";
import { formatAmount, shortHex } from "../format.ts";
import { code, Html } from "../i18n.ts";
import { HTML, memberAndCampaigns } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";

export function balanceFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("balance", async (ctx) => {
    const opened = await memberAndCampaigns(s, ctx);
    if (!opened) return;
    const { member, campaigns, several } = opened;
    const out = [ctx.tr("balance-title")];
    let keyboard: Awaited<ReturnType<typeof dashboardEntry>> | undefined;
    if (member.wallet === null) {
      out.push(ctx.tr("balance-no-wallet"));
      keyboard = await dashboardEntry(s, member, ctx.locale, "wallet", ctx.t("wallet-button"));
      if (keyboard.fallback) out.push(keyboard.fallback.html);
    }
    let walletShown = false;
    // Each campaign has its own tokens, escrow and pending rewards: with several, each part
    // is headed by its campaign's name.
    for (const campaign of campaigns) {
      const report = await balanceReport(s.domain, campaign, member, s.chain);
      if (report.chainError)
        s.logger.warn({ member: member.id, err: report.chainError }, "balance: chain read failed");
      if (report.wallet !== null && !walletShown) {
        walletShown = true;
        const address = s.explorer
          ? s.explorer.address(report.wallet)
          : code(shortHex(report.wallet));
        out.push(ctx.tr("balance-wallet", { address }));
      }
      if (several)
        out.push(ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
      if (report.wallet !== null) {
        if (report.chainError) out.push(ctx.tr("balance-chain-error"));
        else if (report.onchain === undefined) out.push(ctx.tr("balance-unavailable"));
        else {
          for (const b of report.onchain) {
            const text = formatAmount(b.balance, b.symbol, ctx.locale);
            const amount = s.explorer
              ? s.explorer.tokenHolder(b.token, report.wallet, text)
              : new Html(`<b>${text}</b>`);
            out.push(ctx.tr("balance-token", { amount }));
          }
        }
      }
      for (const [token, wei] of report.pending)
        out.push(ctx.tr("balance-pending", { amount: formatAmount(wei, token, ctx.locale) }));
      for (const [token, wei] of report.claimable)
        out.push(ctx.tr("balance-claimable", { amount: formatAmount(wei, token, ctx.locale) }));
      for (const [token, wei] of report.releasing)
        out.push(ctx.tr("balance-releasing", { amount: formatAmount(wei, token, ctx.locale) }));
      // Escrow in the member's words: reserved for them; with no wallet, linking one is the step.
      for (const [token, wei] of report.inEscrow)
        out.push(
          ctx.tr(report.wallet === null ? "balance-reserved-link" : "balance-in-escrow", {
            amount: formatAmount(wei, token, ctx.locale),
          }),
        );
      if (
        report.pending.size === 0 &&
        report.claimable.size === 0 &&
        report.inEscrow.size === 0 &&
        report.releasing.size === 0
      )
        out.push(ctx.tr("balance-nothing-pending"));
    }
    await ctx.reply(out.join("\n"), { ...HTML, reply_markup: keyboard?.keyboard });
  });
  return c;
}
