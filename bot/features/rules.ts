/**
 * `/rules`: the campaign's full rules, generated from its definition (see rulesText.ts), then
 * its rules version: since when, the public document and its hash, and what the version
 * changed (rulesChanges.ts).
 */
import { Composer } from "grammy";
import {
  campaignLifecycleView,
  isCampaignPaused,
  listVersions,
  memberEarnings,
  rulesDocumentPath,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { earningsOf } from "../earnings.ts";
import { formatDate } from "../format.ts";
import { lines } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { versionFooter } from "../rulesChanges.ts";
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
      // The amounts are this member's: their A/B variant and tier multiplier.
      earnings: ctx.member
        ? await earningsOf(s, ctx.member, campaign, ctx.memberIsNew)
        : memberEarnings(campaign.rules, 0, 0),
    });
    // The newest version in effect, straight from the database: this process may switch to it
    // a little later (maintenance), the member hears of it now.
    const [current] = await listVersions(s.domain.db, campaign.id);
    const footer = current
      ? versionFooter(
          s.translator.t,
          {
            ...current,
            documentUrl:
              current.rulesUrl ??
              `${s.config.http.publicUrl}${rulesDocumentPath(campaign.slug, current.hash)}`,
          },
          ctx.locale,
        )
      : undefined;
    // An ended campaign: until when pending invitations count, and the clawback date.
    const lifecycle = await campaignLifecycleView(s.domain, campaign);
    const ended =
      lifecycle.graceEndsAt && lifecycle.clawbackAt
        ? ctx.tr("rules-ended", {
            grace: formatDate(lifecycle.graceEndsAt, ctx.locale),
            clawback: formatDate(lifecycle.clawbackAt, ctx.locale),
          })
        : undefined;
    const body = (footer ? lines([text, footer], "\n\n") : text).html;
    await ctx.reply(ended ? `${ended}\n\n${body}` : body, HTML);
  });
  return c;
}
