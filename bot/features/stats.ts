/**
 * `/stats [campaign]`: clicks and starts of the member's link, then referrals per level, tier
 * and progress in each of the member's campaigns (each has its own tree and tiers), headed by
 * the campaign's name when there are several.
 */
import { Composer } from "grammy";
import { memberStats } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatMultiplier } from "../format.ts";
import { HTML, memberAndCampaigns } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";

export function statsFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("stats", async (ctx) => {
    const opened = await memberAndCampaigns(s, ctx);
    if (!opened) return;
    const { member, campaigns, several } = opened;
    const out = [
      ctx.tr("stats-title"),
      ctx.tr("stats-clicks", { clicks: member.clicks, starts: member.starts }),
    ];
    for (const campaign of campaigns) {
      const stats = await memberStats(s.domain.db, campaign, member.id);
      const tierName = (id: string) =>
        campaign.definition.tiers.find((t) => t.id === id)?.name[ctx.locale] ?? id;
      if (several)
        out.push("", ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
      const levels = stats.levels.filter(
        (l) => l.pending + l.review + l.qualified + l.rejected > 0,
      );
      if (levels.length === 0) out.push(ctx.tr("stats-no-referrals"));
      for (const l of levels) {
        out.push(
          ctx.tr("stats-level", {
            level: l.level,
            qualified: l.qualified,
            pending: l.pending,
            review: l.review,
          }),
        );
      }
      out.push(
        ctx.tr("stats-tier", {
          tier: tierName(stats.tier.current.id),
          multiplier: formatMultiplier(stats.tier.current.multiplierBps, ctx.locale),
        }),
      );
      const next = stats.tier.next;
      out.push(
        next && stats.tier.toNext !== null
          ? ctx.tr("stats-next-tier", {
              next: tierName(next.id),
              left: stats.tier.toNext,
              multiplier: formatMultiplier(next.multiplierBps, ctx.locale),
            })
          : ctx.tr("stats-top-tier"),
      );
    }
    await ctx.reply(out.join("\n"), HTML);
  });
  return c;
}
