/**
 * `/referrals [campaign]`: the member's friends (direct referrals, newest first) with what
 * happens next for each — waiting for a wallet, waiting for the qualifying action, under
 * review, rejected (with the reason), counted (reward on its way), paid — and a "remind"
 * button for each friend who has not finished. A reminder reaches the friend through the
 * notification queue (`friend_reminder`), at most once per friend per day (domain:
 * referralStates.ts); a second tap the same day says so and sends nothing.
 */
import { Composer, InlineKeyboard } from "grammy";
import {
  type FriendItem,
  friendStates,
  isDomainError,
  remindFriend,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { HTML, memberAndCampaigns } from "../middleware.ts";
import { campaignName, qualificationText } from "../rulesText.ts";
import { callbackId } from "./admin.ts";

/** Friends one message lists per campaign (the newest); the dashboard pages through all. */
const SHOWN = 15;
/** Remind buttons per message (Telegram keyboards stay readable). */
const MAX_BUTTONS = 8;

export function referralsFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const nameOf = (ctx: BotContext, f: FriendItem) =>
    f.firstName ?? (f.username ? `@${f.username}` : ctx.t("someone"));

  c.chatType("private").command("referrals", async (ctx) => {
    const opened = await memberAndCampaigns(s, ctx);
    if (!opened) return;
    const { member, campaigns, several } = opened;
    const out = [ctx.tr("referrals-title")];
    const rows: ReturnType<typeof InlineKeyboard.text>[][] = [];
    for (const campaign of campaigns) {
      const friends = await friendStates(s.domain, member.id, campaign.id, { limit: SHOWN });
      if (several) {
        out.push("", ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
      }
      if (friends.length === 0) {
        out.push(ctx.tr("referrals-empty"));
        continue;
      }
      for (const f of friends) {
        const name = nameOf(ctx, f);
        const key =
          f.state === "rejected" && f.reason === null
            ? "referrals-state-rejected-no-reason"
            : `referrals-state-${f.state.replaceAll("_", "-")}`;
        out.push(
          ctx.tr(key, {
            name,
            reason: f.reason ?? "",
            qualification: qualificationText(s.translator.t, campaign, ctx.locale, "friend"),
          }),
        );
        if (f.remindable && rows.length < MAX_BUTTONS)
          rows.push([
            InlineKeyboard.text(ctx.t("referrals-remind-button", { name }), `rm:${f.referralId}`),
          ]);
      }
    }
    if (rows.length > 0) out.push("", ctx.tr("referrals-remind-hint"));
    await ctx.reply(out.join("\n"), {
      ...HTML,
      ...(rows.length > 0 ? { reply_markup: InlineKeyboard.from(rows) } : {}),
    });
  });

  c.callbackQuery(/^rm:(\d+)$/, async (ctx) => {
    // Anyone can send any button data: the domain checks the referral is this member's.
    const id = callbackId(ctx.match[1]);
    if (!ctx.member || id === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t("referrals-remind-gone"), show_alert: true });
      return;
    }
    let key: string;
    try {
      const { result } = await remindFriend(s.domain, ctx.member.id, id);
      key = `referrals-remind-${result.replaceAll("_", "-")}`;
    } catch (error) {
      if (!isDomainError(error) || error.code !== "not_found") throw error;
      key = "referrals-remind-gone";
    }
    await ctx.answerCallbackQuery({
      text: ctx.t(key),
      show_alert: key !== "referrals-remind-sent",
    });
  });
  return c;
}
