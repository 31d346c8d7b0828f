/**
 * `/campaigns`: the member's campaigns (taken part in, or running now: one code works in
 * each), whether each is running, and the member's link for each. `/stats <slug>` and
 * `/invite <slug>` then show one of them.
 */
import { Composer } from "grammy";
import { isCampaignActive } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { code, link } from "../i18n.ts";
import { HTML, memberAndCampaigns } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";
import { memberLinks, shareLink } from "./invite.ts";

export function campaignsFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("campaigns", async (ctx) => {
    const opened = await memberAndCampaigns(s, ctx);
    if (!opened) return;
    const { member, campaigns, several } = opened;
    const now = s.domain.now();
    const out = [ctx.tr("campaigns-title")];
    for (const campaign of campaigns) {
      const state = isCampaignActive(campaign.rules, now)
        ? "campaigns-running"
        : now < campaign.rules.startsAt
          ? "campaigns-upcoming"
          : "campaigns-ended";
      const url = shareLink(memberLinks(s, member, several ? campaign.slug : undefined));
      out.push(
        ctx.tr("campaigns-item", {
          campaign: campaignName(campaign, ctx.locale),
          slug: code(campaign.slug),
          state: ctx.t(state),
          link: link(url, url),
        }),
      );
    }
    if (several) out.push("", ctx.tr("campaigns-hint", { slug: campaigns[0]!.slug }));
    await ctx.reply(out.join("\n"), HTML);
  });
  return c;
}
