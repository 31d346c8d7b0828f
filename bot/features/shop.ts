/**
 * `/shop` (issue 14): the campaign's perks with price, stock, end of sale and any requirement
 * (a status or a badge), the member's balance beside each and whether they can redeem it now,
 * read from the chain. Redeeming needs the member's wallet to sign the order, so the reply
 * links to the dashboard's Shop screen, which does that.
 */
import { Composer } from "grammy";
import { formatUnits } from "viem";
import { ContractIndex } from "../../server/chain/contracts.ts";
import { type PerkView, perkCatalogue, type ShopChainState } from "../../server/domain/perks.ts";
import { memberStats } from "../../server/domain/stats.ts";
import type { BotContext, BotServices } from "../context.ts";
import { dashboardEntry } from "../dashboard.ts";
import { formatDate, formatDecimal } from "../format.ts";
import type { Locale } from "../i18n.ts";
import { HTML, memberAndCampaign } from "../middleware.ts";

const amount = (wei: bigint, decimals: number, token: string, locale: Locale) =>
  `${formatDecimal(formatUnits(wei, decimals), locale)} ${token}`;

export function shopFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("shop", async (ctx) => {
    const opened = await memberAndCampaign(s, ctx);
    if (!opened) return;
    const { member, campaign } = opened;
    const def = campaign.definition;
    if (def.perks.length === 0) {
      await ctx.reply(ctx.tr("shop-empty"), HTML);
      return;
    }
    const contracts = ContractIndex.fromRegistry(s.domain.campaigns).byId(campaign.id);
    let chain: ShopChainState | null = null;
    let chainFailed = false;
    if (s.chain && contracts?.perkShop) {
      try {
        chain = await s.chain.shopState({
          shop: contracts.perkShop,
          perkCount: def.perks.length,
          wallet: member.wallet ?? null,
          tokens: [...contracts.tokens.values()].map((t) => t.token),
          badges: contracts.badges
            ? {
                contract: contracts.badges,
                ids: def.perks.flatMap((p) =>
                  p.requires?.badge === undefined ? [] : [p.requires.badge],
                ),
              }
            : undefined,
        });
      } catch (error) {
        chainFailed = true;
        s.logger.warn({ member: member.id, err: error }, "shop: chain read failed");
      }
    }
    const stats = await memberStats(s.domain.db, campaign, member.id);
    const items = perkCatalogue(
      campaign,
      chain,
      { wallet: member.wallet ?? null, qualified: stats.tier.qualified },
      s.domain.now(),
    );
    const locale = ctx.locale;
    const line = (p: PerkView) => {
      const parts = [
        ctx.tr("shop-item", {
          title: p.title[locale],
          price: amount(p.price, p.decimals, p.token, locale),
        }),
      ];
      parts.push(
        p.stock === null
          ? ctx.tr("shop-stock-unlimited")
          : ctx.tr("shop-stock", { count: p.stock }),
      );
      if (p.expiresAt) parts.push(ctx.tr("shop-until", { date: formatDate(p.expiresAt, locale) }));
      if (p.requires?.tier)
        parts.push(ctx.tr("shop-needs-tier", { tier: p.requires.tier.name[locale] }));
      if (p.requires?.badge)
        parts.push(ctx.tr("shop-needs-badge", { badge: p.requires.badge.name[locale] }));
      const state =
        p.refusal === null
          ? ctx.tr("shop-can-redeem")
          : ctx.tr(`shop-refusal-${p.refusal.replaceAll("_", "-")}`);
      const balance =
        p.balance === null
          ? ""
          : ` ${ctx.tr("shop-balance", { amount: amount(p.balance, p.decimals, p.token, locale) })}`;
      return `${parts.join(" · ")}\n   ${state}${balance}`;
    };
    const out = [ctx.tr("shop-title", { campaign: def.name[locale] }), ...items.map(line)];
    if (chainFailed) out.push(ctx.tr("shop-chain-error"));
    out.push(ctx.tr("shop-how"));
    const entry = await dashboardEntry(s, member, locale, "shop", ctx.tr("shop-button"));
    if (entry.fallback) out.push(entry.fallback.html);
    await ctx.reply(out.join("\n"), { ...HTML, reply_markup: entry.keyboard });
  });
  return c;
}
