/**
 * The admins' quick console (Telegram ids in `ADMIN_TELEGRAM_IDS`): `/review` flagged
 * referrals with approve/reject buttons (a reject asks for the reason), `/pause` and
 * `/resume` a campaign, `/broadcast` a localized message to every member. Everyone else is
 * refused, by command and by button.
 */

import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  type Actor,
  approveReview,
  type Campaign,
  cancelBroadcast,
  countRecipients,
  createDraft,
  isDomainError,
  listReviews,
  loadBroadcast,
  openReviewCount,
  pauseCampaign,
  rejectReview,
  resumeCampaign,
  savePrompt,
  startBroadcast,
  takePrompt,
} from "../../server/domain/index.ts";
import { BROADCAST_MAX_LENGTH, broadcastSummary, parseBroadcast } from "../broadcast.ts";
import { ADMIN_COMMANDS } from "../commands.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatDate } from "../format.ts";
import { LOCALES } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";

const REVIEWS_SHOWN = 5;

export interface AdminHooks {
  /** A broadcast was confirmed: start sending now. */
  broadcastStarted(): void;
}

const actorOf = (ctx: BotContext): Actor => `member:${ctx.member!.id}`;

/**
 * The id in a button's data. Anyone can send any callback data, so it is checked like input:
 * `undefined` for what cannot be one of our ids (bigint columns read as JS numbers), which
 * then gets the same answer as an id that does not exist.
 */
export function callbackId(digits: string | undefined): number | undefined {
  const id = Number(digits);
  return digits !== undefined && /^\d{1,16}$/.test(digits) && Number.isSafeInteger(id) && id > 0
    ? id
    : undefined;
}

export function adminFeature(s: BotServices, hooks: AdminHooks): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const pm = c.chatType("private");

  // Refuse before anything else happens: non-admins learn nothing about the queue.
  pm.command(ADMIN_COMMANDS, async (ctx, next) => {
    if (s.isAdmin(ctx.from.id) && ctx.member) return next();
    await ctx.reply(ctx.tr("not-admin"), HTML);
  });
  c.callbackQuery(/^(rv|bc):/, async (ctx, next) => {
    if (s.isAdmin(ctx.from.id) && ctx.member) return next();
    await ctx.answerCallbackQuery({ text: ctx.t("not-admin"), show_alert: true });
  });

  pm.command("review", async (ctx) => {
    const items = await listReviews(s.domain.db, { status: "open", limit: REVIEWS_SHOWN });
    if (items.length === 0) {
      await ctx.reply(ctx.tr("admin-review-empty"), HTML);
      return;
    }
    for (const item of [...items].reverse()) {
      const reasons = item.reasons
        .map((r) => {
          const key = `reason-${r.replaceAll("_", "-")}`;
          const text = ctx.t(key);
          return text === key ? r : text;
        })
        .join(", ");
      await ctx.reply(
        ctx.tr("admin-review-item", {
          id: String(item.id),
          referrer: String(item.referral.referrerId),
          referee: String(item.referral.refereeId),
          reasons,
          date: formatDate(item.referral.attributedAt, ctx.locale),
        }),
        {
          ...HTML,
          reply_markup: new InlineKeyboard()
            .text(ctx.t("admin-review-approve"), `rv:a:${item.id}`)
            .text(ctx.t("admin-review-reject"), `rv:r:${item.id}`),
        },
      );
    }
    const total = await openReviewCount(s.domain.db);
    if (total > items.length)
      await ctx.reply(ctx.tr("admin-review-more", { shown: items.length, total }), HTML);
  });

  /** A review button whose id cannot exist: the same answer as a missing review. */
  const noSuchReview = async (ctx: BotContext, digits: string) => {
    await ctx.answerCallbackQuery({
      text: ctx.t("admin-review-not-found", { id: digits.slice(0, 20) }),
      show_alert: true,
    });
  };

  c.callbackQuery(/^rv:a:(\d+)$/, async (ctx) => {
    const id = callbackId(ctx.match[1]);
    if (id === undefined) return noSuchReview(ctx, ctx.match[1]!);
    try {
      await approveReview(s.domain, id, actorOf(ctx));
    } catch (error) {
      await ctx.answerCallbackQuery({ text: reviewErrorText(ctx, error, id), show_alert: true });
      await ctx.editMessageReplyMarkup().catch(() => {});
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup();
    await ctx.reply(ctx.tr("admin-review-approved", { id: String(id) }), HTML);
  });

  c.callbackQuery(/^rv:r:(\d+)$/, async (ctx) => {
    const id = callbackId(ctx.match[1]);
    if (id === undefined) return noSuchReview(ctx, ctx.match[1]!);
    await ctx.answerCallbackQuery();
    const prompt = await ctx.reply(ctx.tr("admin-review-reject-prompt", { id: String(id) }), {
      ...HTML,
      reply_markup: { force_reply: true, selective: true },
    });
    await savePrompt(s.domain.db, {
      chatId: prompt.chat.id,
      messageId: prompt.message_id,
      kind: "reject_review",
      payload: { reviewId: id, sourceMessageId: ctx.callbackQuery.message?.message_id ?? 0 },
    });
  });

  // The reason for a reject: a reply to the bot's prompt.
  pm.on("message:text", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (replied?.from?.id !== ctx.me.id || !s.isAdmin(ctx.from.id) || !ctx.member) return next();
    const prompt = await takePrompt(s.domain.db, ctx.chat.id, replied.message_id);
    if (prompt?.kind !== "reject_review") return next();
    const id = callbackId(String(prompt.payload.reviewId));
    if (id === undefined) return next();
    const reason = ctx.message.text.trim().slice(0, 500);
    try {
      await rejectReview(s.domain, id, actorOf(ctx), reason);
    } catch (error) {
      await ctx.reply(reviewErrorText(ctx, error, id), HTML);
      return;
    }
    const source = Number(prompt.payload.sourceMessageId);
    if (source > 0)
      await ctx.api.editMessageReplyMarkup(ctx.chat.id, source).catch(() => {
        // The review message may be gone; the decision stands.
      });
    await ctx.reply(ctx.tr("admin-review-rejected", { id: String(id), reason }), HTML);
  });

  const campaignFrom = async (
    ctx: BotContext & { match: string },
  ): Promise<Campaign | undefined> => {
    const slug = ctx.match.trim().split(/\s+/)[0] ?? "";
    const campaign =
      slug === "" ? s.domain.campaigns.current(s.domain.now()) : s.domain.campaigns.bySlug(slug);
    if (!campaign) {
      const slugs = s.domain.campaigns
        .all()
        .map((x) => x.slug)
        .join(", ");
      await ctx.reply(
        slug === "" ? ctx.tr("no-campaign") : ctx.tr("admin-campaign-unknown", { slug, slugs }),
        HTML,
      );
    }
    return campaign;
  };

  pm.command("pause", async (ctx) => {
    const campaign = await campaignFrom(ctx);
    if (!campaign) return;
    const changed = await pauseCampaign(s.domain, campaign.id, actorOf(ctx));
    await ctx.reply(
      ctx.tr(changed ? "admin-pause-done" : "admin-pause-already", {
        campaign: campaignName(campaign, ctx.locale),
      }),
      HTML,
    );
  });

  pm.command("resume", async (ctx) => {
    const campaign = await campaignFrom(ctx);
    if (!campaign) return;
    const changed = await resumeCampaign(s.domain, campaign.id, actorOf(ctx));
    await ctx.reply(
      ctx.tr(changed ? "admin-resume-done" : "admin-resume-not-paused", {
        campaign: campaignName(campaign, ctx.locale),
      }),
      HTML,
    );
  });

  pm.command("broadcast", async (ctx) => {
    const parsed = parseBroadcast(ctx.match);
    if (!parsed.ok) {
      await ctx.reply(
        ctx.tr(
          parsed.reason === "two_defaults"
            ? "admin-broadcast-two-defaults"
            : "admin-broadcast-usage",
        ),
        HTML,
      );
      return;
    }
    const texts = parsed.texts;
    if (Object.values(texts).some((t) => (t?.length ?? 0) > BROADCAST_MAX_LENGTH)) {
      await ctx.reply(ctx.tr("admin-broadcast-too-long", { max: BROADCAST_MAX_LENGTH }), HTML);
      return;
    }
    // The previews double as the check that Telegram accepts the HTML of every version.
    for (const locale of LOCALES) {
      const text = texts[locale];
      if (text === undefined) continue;
      try {
        await ctx.reply(text, HTML);
      } catch (error) {
        if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
        await ctx.reply(ctx.tr("admin-broadcast-invalid", { error: error.description }), HTML);
        return;
      }
      await ctx.reply(
        ctx.tr("admin-broadcast-preview", { language: ctx.t(`language-name-${locale}`) }),
        HTML,
      );
    }
    const id = await createDraft(s.domain.db, {
      texts,
      createdBy: ctx.member!.id,
      adminChatId: ctx.chat.id,
      adminLanguage: ctx.locale,
    });
    await ctx.reply(
      ctx.tr("admin-broadcast-confirm", { count: await countRecipients(s.domain.db) }),
      {
        ...HTML,
        reply_markup: new InlineKeyboard()
          .text(ctx.t("admin-broadcast-send-button"), `bc:go:${id}`)
          .text(ctx.t("admin-broadcast-cancel-button"), `bc:no:${id}`),
      },
    );
  });

  c.callbackQuery(/^bc:go:(\d+)$/, async (ctx) => {
    const id = callbackId(ctx.match[1]);
    const messageId = ctx.callbackQuery.message?.message_id;
    const started =
      messageId && id !== undefined ? await startBroadcast(s.domain.db, id, messageId) : undefined;
    await ctx.answerCallbackQuery();
    if (!started) {
      await ctx.editMessageText(ctx.tr("admin-broadcast-gone"), HTML);
      return;
    }
    await ctx.editMessageText(
      ctx.tr("admin-broadcast-progress", {
        id: String(id!),
        sent: 0,
        failed: 0,
        done: 0,
        total: started.total,
      }),
      {
        ...HTML,
        reply_markup: new InlineKeyboard().text(
          ctx.t("admin-broadcast-stop-button"),
          `bc:stop:${id!}`,
        ),
      },
    );
    hooks.broadcastStarted();
  });

  c.callbackQuery(/^bc:(no|stop):(\d+)$/, async (ctx) => {
    const id = callbackId(ctx.match[2]);
    const was = id === undefined ? undefined : await cancelBroadcast(s.domain.db, id);
    if (was === "running") {
      // Its own worker writes the final summary when it notices.
      await ctx.answerCallbackQuery();
      return;
    }
    const over = id === undefined || was ? undefined : await loadBroadcast(s.domain.db, id);
    if (over?.startedAt) {
      // Already finished (or stopped): the summary stays (a late tap on an old Stop button).
      await ctx.answerCallbackQuery({ text: ctx.t("admin-broadcast-already-over") });
      await ctx
        .editMessageText(broadcastSummary(s.translator.t, over), HTML)
        .catch((error: unknown) =>
          s.logger.debug({ err: String(error) }, "broadcast summary not re-shown"),
        );
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.tr("admin-broadcast-gone"), HTML);
  });
  return c;
}

function reviewErrorText(ctx: BotContext, error: unknown, id: number): string {
  if (!isDomainError(error)) throw error;
  const key =
    error.code === "review_closed"
      ? "admin-review-closed"
      : error.code === "review_not_found"
        ? "admin-review-not-found"
        : error.code === "member_banned"
          ? "admin-review-banned"
          : undefined;
  if (key === undefined) throw error;
  return ctx.t(key, { id: String(id) });
}
