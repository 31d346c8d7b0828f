/** `/rules`: the campaign's full rules, generated from its definition (see rulesText.ts). */
import { Composer } from "grammy";
import { isCampaignPaused } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { HTML } from "../middleware.ts";
import { fullRules } from "../rulesText.ts";

export function rulesFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("rules", async (ctx) => {
    const campaign = s.domain.campaigns.current(s.domain.now());
    if (!campaign) {
      await ctx.reply(ctx.tr("no-campaign"), HTML);
      return;
    }
    const text = fullRules(s.translator.t, campaign, ctx.locale, {
      attributionWindowHours: s.domain.attributionWindowHours,
      paused: await isCampaignPaused(s.domain.db, campaign.id),
    });
    await ctx.reply(text.html, HTML);
  });
  return c;
}
