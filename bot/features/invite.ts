/**
 * `/invite [campaign]`: the member's code, bot link and Mini App link, a share button
 * (`t.me/share/url`), a button that opens the inline share card in any chat, and a QR code
 * of the link. The inline query answers with the card itself. A member with several
 * campaigns gets one link per campaign (`<code>__<slug>`, codes.ts); the share button, the
 * QR code and the card are the first campaign's (the current one, or the one named).
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import QRCode from "qrcode";
import { type DeepLinks, deepLinks, type MemberView } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { buttonUrlAllowed } from "../dashboard.ts";
import { earningsOf } from "../earnings.ts";
import { formatAmount } from "../format.ts";
import { code, link } from "../i18n.ts";
import { HTML, memberAndCampaigns } from "../middleware.ts";
import {
  campaignName,
  decimalsOf,
  levelOneReward,
  nextTierLine,
  qualificationText,
} from "../rulesText.ts";

/**
 * The link members hand out: the public redirect (it counts clicks, then opens the bot) when
 * the API is publicly reachable, else the bot link itself.
 */
export function shareLink(links: DeepLinks): string {
  return buttonUrlAllowed(links.redirect) && links.redirect.startsWith("https://")
    ? links.redirect
    : links.bot;
}

/** The member's links; with `campaign`, links that attribute in that campaign. */
export function memberLinks(s: BotServices, member: MemberView, campaign?: string): DeepLinks {
  return deepLinks(s.links(), member.code, campaign);
}

/** The QR code of `url` as a PNG. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: "png", width: 512, margin: 2, errorCorrectionLevel: "M" });
}

export function inviteFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.chatType("private").command("invite", async (ctx) => {
    const opened = await memberAndCampaigns(s, ctx);
    if (!opened) return;
    const { member, campaigns, several } = opened;
    const campaign = campaigns[0]!;
    // With several campaigns every link names its own; a lone campaign keeps the short link.
    const links = memberLinks(s, member, several ? campaign.slug : undefined);
    const share = shareLink(links);
    const text = [ctx.tr("invite-title"), ctx.tr("invite-code", { code: code(member.code) })];
    if (several) {
      for (const other of campaigns) {
        const url = shareLink(memberLinks(s, member, other.slug));
        text.push(
          ctx.tr("invite-campaign-link", {
            campaign: campaignName(other, ctx.locale),
            link: link(url, url),
          }),
        );
      }
      if (campaigns.length > 1) text.push(ctx.tr("invite-campaign-hint"));
      text.push(ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
    } else text.push(ctx.tr("invite-link", { link: link(share, share) }));
    // The tracked link counts clicks; the bot link works even where the API is unreachable.
    if (share !== links.bot)
      text.push(ctx.tr("invite-bot-link", { link: link(links.bot, links.bot) }));
    if (s.config.dashboard.mode === "miniapp")
      text.push(ctx.tr("invite-miniapp-link", { link: link(links.miniApp, links.miniApp) }));
    // The member's own numbers: their A/B variant and tier (and what the next tier pays).
    const earnings = await earningsOf(s, member, campaign, ctx.memberIsNew);
    text.push(
      ctx.tr("invite-hint", {
        qualification: qualificationText(s.translator.t, campaign, ctx.locale, "friend"),
        reward: levelOneReward(earnings, ctx.locale, campaign),
      }),
    );
    const next = nextTierLine(s.translator.t, campaign, earnings, ctx.locale);
    if (next) text.push(next);
    const shareText = s.translator.t(ctx.locale, "invite-share-text", {
      campaign: campaignName(campaign, ctx.locale),
    });
    const shareUrl = `https://t.me/share/url?url=${encodeURIComponent(share)}&text=${encodeURIComponent(plainText(shareText))}`;
    const keyboard = new InlineKeyboard()
      .url(ctx.t("invite-share-button"), shareUrl)
      .row()
      .switchInline(ctx.t("invite-inline-button"), "");
    await ctx.reply(text.join("\n"), { ...HTML, reply_markup: keyboard });
    await ctx.replyWithPhoto(new InputFile(await qrPng(share), "invite.png"), {
      caption: ctx.tr("invite-qr-caption"),
      parse_mode: "HTML",
    });
  });

  c.on("inline_query", async (ctx) => {
    const member = ctx.member;
    const campaign = s.domain.campaigns.current(s.domain.now());
    if (!member || !campaign) {
      await ctx.answerInlineQuery([], { cache_time: 60, is_personal: true });
      return;
    }
    // Several campaigns: the card names the one it invites to, so its link must too.
    const several = s.domain.campaigns.all().length > 1;
    const share = shareLink(memberLinks(s, member, several ? campaign.slug : undefined));
    const name = campaignName(campaign, ctx.locale);
    // The card's description (only the member sees it) says what a friend earns them; the
    // message (what the friend reads) says what the friend gets, if anything.
    const earnings = await earningsOf(s, member, campaign, ctx.memberIsNew);
    const bonus = earnings.welcome;
    const card: InlineQueryResultArticle = {
      type: "article",
      id: `invite-${ctx.locale}`,
      title: plainText(ctx.tr("inline-title", { campaign: name })),
      description: plainText(
        ctx.tr("inline-description", { reward: levelOneReward(earnings, ctx.locale, campaign) }),
      ),
      input_message_content: {
        message_text: [
          ctx.tr("inline-message", { campaign: name, link: link(share, share) }),
          ...(bonus
            ? [
                ctx.tr("inline-message-bonus", {
                  amount: formatAmount(
                    bonus.amount,
                    bonus.token,
                    ctx.locale,
                    decimalsOf(campaign, bonus.token),
                  ),
                  qualification: qualificationText(s.translator.t, campaign, ctx.locale, "self"),
                }),
              ]
            : []),
        ].join("\n"),
        ...HTML,
      },
      ...(buttonUrlAllowed(share)
        ? { reply_markup: new InlineKeyboard().url(ctx.t("inline-join-button"), share) }
        : {}),
    };
    // Personal: the card carries this member's own link.
    await ctx.answerInlineQuery([card], { cache_time: 300, is_personal: true });
  });
  return c;
}

/** Plain text from our escaped HTML text (for places Telegram shows verbatim). */
function plainText(html: string): string {
  return html.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}
