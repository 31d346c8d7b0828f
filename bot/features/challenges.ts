/**
 * `/challenges [campaign]`: the campaign's challenges with reward, progress and state, and the
 * buttons to do them: a personal invite link to each channel or group (made once with
 * `createChatInviteLink`, so friends who join through it are attributed to the member) with
 * a "Check" button (`getChatMember`, for a join the bot did not see), and "Check in" for the
 * daily check-in. `/checkin` checks in directly (days in UTC). `chat_member` updates from
 * chats where the bot is an admin record joins and leaves; a completed challenge is announced
 * to the member in private.
 */
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { ChatMember } from "grammy/types";
import {
  type Campaign,
  type CheckinResult,
  checkIn,
  inviteLinkOf,
  isDomainError,
  isInChat,
  type MemberChallenge,
  memberChallenges,
  recordChatMember,
  saveInviteLink,
  watchedChats,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatAmount } from "../format.ts";
import { HTML } from "../middleware.ts";
import { campaignName, decimalsOf } from "../rulesText.ts";
import { callbackId } from "./admin.ts";

const STATE_ICONS = { open: "⚪️", in_progress: "🟡", done: "✅", paid: "💎" } as const;

export function challengesFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  /** The reward token (and its decimals) of the `join_chat` challenges naming a chat. */
  const joinToken = (chatId: number): { token: string; decimals: number } | undefined => {
    for (const campaign of s.domain.campaigns.all())
      for (const ch of campaign.rules.challenges.values())
        if (ch.detect?.type === "join_chat" && ch.detect.chatId === chatId)
          return { token: ch.token, decimals: decimalsOf(campaign, ch.token) };
    return undefined;
  };

  /** The member's personal link to a chat: stored, or made now (undefined if the bot can't). */
  const personalLink = async (chatId: number, memberId: number): Promise<string | undefined> => {
    const stored = await inviteLinkOf(s.domain, chatId, memberId);
    if (stored) return stored;
    try {
      const made = await s.bulkApi.createChatInviteLink(chatId, { name: `refmint #${memberId}` });
      return await saveInviteLink(s.domain, { chatId, memberId, link: made.invite_link });
    } catch (error) {
      // Not an admin there (any more), or the chat is gone: the challenge still shows.
      s.logger.warn({ chatId, err: String(error) }, "could not create a chat invite link");
      return undefined;
    }
  };

  const line = (ctx: BotContext, campaign: Campaign, ch: MemberChallenge): string => {
    const reward = formatAmount(ch.amount, ch.token, ctx.locale, decimalsOf(campaign, ch.token));
    const progressKey =
      ch.kind === "checkin"
        ? "challenge-progress-streak"
        : ch.kind === "join_chat"
          ? "challenge-progress-days"
          : "challenge-progress-count";
    const text = ctx.tr("challenge-line", {
      icon: STATE_ICONS[ch.state],
      title: ch.title[ctx.locale],
      reward: ch.repeat === "day" ? ctx.t("challenge-reward-daily", { reward }) : reward,
      state: ctx.t(`challenge-state-${ch.state}`),
    });
    const showProgress = ch.progress && (ch.state === "in_progress" || ch.kind === "checkin");
    return showProgress && ch.progress && ch.progress.current > 0
      ? `${text} · ${ctx.tr(progressKey, { current: ch.progress.current, target: ch.progress.target })}`
      : text;
  };

  const render = async (ctx: BotContext, campaign: Campaign) => {
    const list = await memberChallenges(s.domain, ctx.member!.id, campaign);
    const out = [ctx.tr("challenges-title", { campaign: campaignName(campaign, ctx.locale) }), ""];
    if (list.length === 0) out.push(ctx.tr("challenges-empty"));
    for (const ch of list) out.push(line(ctx, campaign, ch));
    const keyboard = new InlineKeyboard();
    for (const ch of list) {
      if (
        ch.kind === "join_chat" &&
        ch.chatId !== null &&
        ch.state !== "done" &&
        ch.state !== "paid"
      ) {
        const link = ch.inviteLink ?? (await personalLink(ch.chatId, ctx.member!.id));
        if (link)
          keyboard.url(ctx.t("challenge-join-button", { title: ch.title[ctx.locale] }), link);
        keyboard.text(ctx.t("challenge-check-button"), `chk:${campaign.id}:${ch.id}`).row();
      }
      if (
        ch.kind === "checkin" &&
        ch.repeat === "day" &&
        ch.state !== "done" &&
        ch.state !== "paid"
      )
        keyboard.text(ctx.t("checkin-button"), `cin:${campaign.id}`).row();
    }
    out.push("", ctx.tr("challenges-footer"));
    return { text: out.join("\n"), keyboard };
  };

  const campaignFor = async (ctx: BotContext, slug: string): Promise<Campaign | undefined> => {
    const campaign =
      slug === "" ? s.domain.campaigns.current(s.domain.now()) : s.domain.campaigns.bySlug(slug);
    if (!campaign) {
      const slugs = s.domain.campaigns
        .all()
        .map((x) => x.slug)
        .join(", ");
      await ctx.reply(
        slug === "" ? ctx.tr("no-campaign") : ctx.tr("top-campaign-unknown", { slug, slugs }),
        HTML,
      );
    }
    return campaign;
  };

  c.chatType("private").command("challenges", async (ctx) => {
    if (!ctx.member) return;
    const campaign = await campaignFor(ctx, ctx.match.trim().split(/\s+/)[0] ?? "");
    if (!campaign) return;
    const view = await render(ctx, campaign);
    await ctx.reply(view.text, { ...HTML, reply_markup: view.keyboard });
  });

  const checkinText = (ctx: BotContext, campaign: Campaign, r: CheckinResult) => {
    const out = [
      r.already
        ? ctx.tr("checkin-already", { streak: r.streak })
        : ctx.tr("checkin-done", { streak: r.streak }),
    ];
    if (r.amount > 0n && r.token)
      out.push(
        ctx.tr("checkin-paid", {
          reward: formatAmount(r.amount, r.token, ctx.locale, decimalsOf(campaign, r.token)),
        }),
      );
    if (r.achievement) out.push(ctx.tr("checkin-streak-7"));
    out.push(ctx.tr("checkin-utc"));
    return out.join("\n");
  };

  const doCheckin = async (ctx: BotContext, campaign: Campaign): Promise<string> => {
    try {
      return checkinText(
        ctx,
        campaign,
        await checkIn(s.domain, { memberId: ctx.member!.id, campaign: campaign.slug }),
      );
    } catch (error) {
      if (isDomainError(error, "checkin_unavailable")) return ctx.tr("checkin-unavailable");
      throw error;
    }
  };

  c.chatType("private").command("checkin", async (ctx) => {
    if (!ctx.member) return;
    const campaign = await campaignFor(ctx, ctx.match.trim().split(/\s+/)[0] ?? "");
    if (!campaign) return;
    await ctx.reply(await doCheckin(ctx, campaign), HTML);
  });

  const refresh = async (ctx: BotContext, campaign: Campaign) => {
    const view = await render(ctx, campaign);
    try {
      await ctx.editMessageText(view.text, { ...HTML, reply_markup: view.keyboard });
    } catch (error) {
      if (!(error instanceof GrammyError && /message is not modified/.test(error.description)))
        throw error;
    }
  };

  c.callbackQuery(/^cin:(\d+)$/, async (ctx) => {
    const id = callbackId(ctx.match[1]);
    const campaign = id === undefined ? undefined : s.domain.campaigns.byId(id);
    if (!ctx.member || !campaign) {
      await ctx.answerCallbackQuery({ text: ctx.t("challenges-gone"), show_alert: true });
      return;
    }
    const text = await doCheckin(ctx, campaign);
    await ctx.answerCallbackQuery();
    await ctx.reply(text, HTML);
    await refresh(ctx, campaign);
  });

  c.callbackQuery(/^chk:(\d+):([a-z0-9][a-z0-9_-]{0,47})$/, async (ctx) => {
    const id = callbackId(ctx.match[1]);
    const campaign = id === undefined ? undefined : s.domain.campaigns.byId(id);
    const challenge = campaign?.rules.challenges.get(ctx.match[2]!);
    if (!ctx.member || !campaign || challenge?.detect?.type !== "join_chat") {
      await ctx.answerCallbackQuery({ text: ctx.t("challenges-gone"), show_alert: true });
      return;
    }
    const chatId = challenge.detect.chatId;
    let status: ChatMember | undefined;
    try {
      status = await ctx.api.getChatMember(chatId, ctx.from.id);
    } catch (error) {
      // "user not found" / "member list is inaccessible": treated as not in the chat.
      if (!(error instanceof GrammyError)) throw error;
    }
    const inChat =
      status !== undefined &&
      isInChat(status.status, "is_member" in status ? status.is_member : undefined);
    const outcome = await recordChatMember(s.domain, {
      chatId,
      user: { id: ctx.from.id, firstName: ctx.from.first_name, username: ctx.from.username },
      inChat,
    });
    const paid = outcome?.completed.reduce((sum, r) => sum + r.amount, 0n) ?? 0n;
    await ctx.answerCallbackQuery({
      text: !inChat
        ? ctx.t("challenge-check-not-in")
        : paid > 0n
          ? ctx.t("challenge-check-paid", {
              reward: formatAmount(
                paid,
                challenge.token,
                ctx.locale,
                decimalsOf(campaign, challenge.token),
              ),
            })
          : ctx.t("challenge-check-in"),
      show_alert: true,
    });
    await refresh(ctx, campaign);
  });

  // Joins and leaves in the chats the challenges name (the bot is an admin there).
  c.on("chat_member", async (ctx) => {
    const update = ctx.chatMember;
    if (!watchedChats(s.domain).has(update.chat.id)) return;
    const m = update.new_chat_member;
    if (m.user.is_bot) return;
    const outcome = await recordChatMember(s.domain, {
      chatId: update.chat.id,
      user: {
        id: m.user.id,
        firstName: m.user.first_name,
        lastName: m.user.last_name,
        username: m.user.username,
        languageCode: m.user.language_code,
      },
      inChat: isInChat(m.status, "is_member" in m ? m.is_member : undefined),
      inviteLink: update.invite_link?.invite_link,
    });
    const paid = outcome?.completed.reduce((sum, r) => sum + r.amount, 0n) ?? 0n;
    const token = joinToken(update.chat.id);
    if (paid > 0n && token)
      await s.bulkApi
        .sendMessage(
          m.user.id,
          ctx.tr("challenge-chat-done", {
            chat: update.chat.title ?? "",
            reward: formatAmount(paid, token.token, ctx.locale, token.decimals),
          }),
          HTML,
        )
        // Never started the bot, or blocked it: nothing to tell them here.
        .catch(() => undefined);
  });
  return c;
}
