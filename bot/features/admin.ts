/**
 * The admins' quick console (Telegram ids in `ADMIN_TELEGRAM_IDS`): `/review` flagged
 * referrals with approve/reject buttons (a reject asks for the reason), `/pause` and
 * `/resume` a campaign, `/broadcast` a localized message to every member. Everyone else is
 * refused, by command and by button.
 */

import { count, eq } from "drizzle-orm";
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import { reviewItems } from "../../server/db/schema.ts";
import {
  type Actor,
  approveReview,
  type Campaign,
  isDomainError,
  listReviews,
  pauseCampaign,
  rejectReview,
  resumeCampaign,
} from "../../server/domain/index.ts";
import {
  BROADCAST_MAX_LENGTH,
  cancelBroadcast,
  countRecipients,
  createDraft,
  parseBroadcast,
  startBroadcast,
} from "../broadcast.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatDate } from "../format.ts";
import { LOCALES } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { savePrompt, takePrompt } from "../prompts.ts";
import { campaignName } from "../rulesText.ts";

const ADMIN_COMMANDS = ["review", "pause", "resume", "broadcast"];
const REVIEWS_SHOWN = 5;

export interface AdminHooks {
  /** A broadcast was confirmed: start sending now. */
  broadcastStarted(): void;
}

const actorOf = (ctx: BotContext): Actor => `member:${ctx.member!.id}`;

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
    const [open] = await s.domain.db
      .select({ n: count() })
      .from(reviewItems)
      .where(eq(reviewItems.status, "open"));
    const total = Number(open?.n ?? 0);
    if (total > items.length)
      await ctx.reply(ctx.tr("admin-review-more", { shown: items.length, total }), HTML);
  });

  c.callbackQuery(/^rv:a:(\d+)$/, async (ctx) => {
    const id = Number(ctx.match[1]);
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
    const id = Number(ctx.match[1]);
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
    const id = Number(prompt.payload.reviewId);
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
    const texts = parseBroadcast(ctx.match);
    if (!texts) {
      await ctx.reply(ctx.tr("admin-broadcast-usage"), HTML);
      return;
    }
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
    const id = Number(ctx.match[1]);
    const messageId = ctx.callbackQuery.message?.message_id;
    const started = messageId ? await startBroadcast(s.domain.db, id, messageId) : undefined;
    await ctx.answerCallbackQuery();
    if (!started) {
      await ctx.editMessageText(ctx.tr("admin-broadcast-gone"), HTML);
      return;
    }
    await ctx.editMessageText(
      ctx.tr("admin-broadcast-progress", {
        id: String(id),
        sent: 0,
        failed: 0,
        done: 0,
        total: started.total,
      }),
      {
        ...HTML,
        reply_markup: new InlineKeyboard().text(
          ctx.t("admin-broadcast-stop-button"),
          `bc:stop:${id}`,
        ),
      },
    );
    hooks.broadcastStarted();
  });

  c.callbackQuery(/^bc:(no|stop):(\d+)$/, async (ctx) => {
    const id = Number(ctx.match[2]);
    const was = await cancelBroadcast(s.domain.db, id);
    await ctx.answerCallbackQuery();
    // A running broadcast's own worker writes the final progress when it notices.
    if (was !== "running") await ctx.editMessageText(ctx.tr("admin-broadcast-gone"), HTML);
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
