/**
 * `/balance [campaign]`: the wallet's on-chain balances (viem; once per token, even one several
 * campaigns pay in), then pending, claimable, releasing and escrowed amounts per campaign, each
 * named when the member has several; explorer links; amounts in each token's decimals.
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
    const reports = await Promise.all(
      campaigns.map(async (campaign) => {
        const report = await balanceReport(s.domain, campaign, member, s.chain);
        if (report.chainError)
          s.logger.warn(
            { member: member.id, err: report.chainError },
            "balance: chain read failed",
          );
        // In the token's own decimals (an external USDC has 6).
        const amount = (wei: bigint, token: string) =>
          formatAmount(wei, token, ctx.locale, campaign.rules.tokens.get(token)?.decimals);
        return { campaign, report, amount };
      }),
    );
    // The wallet's balances come first, once per token: a token two campaigns share (an
    // external USDC each pays from its own vault) is one balance of the wallet, not one per
    // campaign.
    const wallet = reports.find((r) => r.report.wallet !== null);
    if (wallet && wallet.report.wallet !== null) {
      const address = wallet.report.wallet;
      out.push(
        ctx.tr("balance-wallet", {
          address: s.explorer ? s.explorer.address(address) : code(shortHex(address)),
        }),
      );
      if (reports.some((r) => r.report.chainError)) out.push(ctx.tr("balance-chain-error"));
      else if (reports.every((r) => r.report.onchain === undefined))
        out.push(ctx.tr("balance-unavailable"));
      else {
        const shown = new Set<string>();
        for (const { report, amount } of reports)
          for (const b of report.onchain ?? []) {
            if (shown.has(b.token.toLowerCase())) continue;
            shown.add(b.token.toLowerCase());
            const text = amount(b.balance, b.symbol);
            out.push(
              ctx.tr("balance-token", {
                amount: s.explorer
                  ? s.explorer.tokenHolder(b.token, address, text)
                  : new Html(`<b>${text}</b>`),
              }),
            );
          }
      }
    }
    // Then what each campaign has on its way, to claim, being released or reserved: with
    // several, each part is headed by its campaign's name.
    for (const { campaign, report, amount } of reports) {
      if (several)
        out.push(ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
      for (const [token, wei] of report.pending)
        out.push(ctx.tr("balance-pending", { amount: amount(wei, token) }));
      for (const [token, wei] of report.claimable)
        out.push(ctx.tr("balance-claimable", { amount: amount(wei, token) }));
      for (const [token, wei] of report.releasing)
        out.push(ctx.tr("balance-releasing", { amount: amount(wei, token) }));
      // Escrow in the member's words: reserved for them; with no wallet, linking one is the step.
      for (const [token, wei] of report.inEscrow)
        out.push(
          ctx.tr(report.wallet === null ? "balance-reserved-link" : "balance-in-escrow", {
            amount: amount(wei, token),
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
