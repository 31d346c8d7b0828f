/**
 * The admins' quick console: `/review` flagged referrals with approve/reject buttons (a reject
 * asks for the reason), `/pause` and `/resume` a campaign, `/broadcast` a localized message to
 * a campaign's members (or, for super-admins, every member), `/role` and `/unrole` to manage
 * a campaign's roles. Super-admins (`ADMIN_TELEGRAM_IDS`) and members holding some campaign
 * role get in; what each may do where is the domain's check (server/domain/roles.ts), and
 * its refusal is answered here. Everyone else is refused, by command and by button.
 */

import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  type AdminPrincipal,
  approveReview,
  authorize,
  CAMPAIGN_ROLES,
  type Campaign,
  type CampaignLifecycleView,
  type CampaignRole,
  campaignLifecycleView,
  campaignsWhere,
  cancelBroadcast,
  countRecipients,
  createDraft,
  findMember,
  grantRole,
  isAnyAdmin,
  isCampaignRole,
  isDomainError,
  listRoleHolders,
  loadBroadcast,
  type MemberView,
  memberAdmin,
  openReviewCount,
  pauseCampaign,
  rejectReview,
  resumeCampaign,
  reviewCampaignId,
  reviewQueue,
  revokeRole,
  runCampaignCommand,
  savePrompt,
  startBroadcast,
  takePrompt,
} from "../../server/domain/index.ts";
import { reviewEvidence } from "../../server/domain/reviewEvidence.ts";
import {
  adminLoginLink,
  issueAdminLoginToken,
  LOGIN_TOKEN_TTL_SECONDS,
} from "../../server/domain/webLogin.ts";
import { BROADCAST_MAX_LENGTH, broadcastSummary, parseBroadcast } from "../broadcast.ts";
import { ADMIN_COMMANDS } from "../commands.ts";
import type { BotContext, BotServices } from "../context.ts";
import { buttonUrlAllowed } from "../dashboard.ts";
import { formatDate } from "../format.ts";
import { LOCALES, link } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { bulkButtons, reviewButtons, reviewEvidenceText, unpackIds } from "../reviewText.ts";
import { campaignName } from "../rulesText.ts";

const REVIEWS_SHOWN = 5;

export interface AdminHooks {
  /** A broadcast was confirmed: start sending now. */
  broadcastStarted(): void;
}

/** Who acts: set by the admin guard in front of every admin command and button. */
const adminOf = (ctx: BotContext): AdminPrincipal => {
  if (!ctx.admin) throw new Error("admin handler reached without the admin guard");
  return ctx.admin;
};

/** `@username`, else the first name and member number: how the bot names a member to admins. */
function memberLabel(m: Pick<MemberView, "id" | "username" | "firstName">): string {
  return m.username ? `@${m.username}` : `${m.firstName ?? "?"} (#${m.id})`;
}

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

  /** The principal of an admin (super-admin or some role), read fresh; undefined for others. */
  const loadAdmin = async (ctx: BotContext): Promise<AdminPrincipal | undefined> => {
    if (!ctx.member || !ctx.from) return undefined;
    const admin = await memberAdmin(s.domain.db, ctx.member.id, s.isSuperAdmin(ctx.from.id));
    return isAnyAdmin(admin) ? admin : undefined;
  };

  // Refuse before anything else happens: non-admins learn nothing about the queue.
  pm.command(ADMIN_COMMANDS, async (ctx, next) => {
    ctx.admin = await loadAdmin(ctx);
    if (ctx.admin) return next();
    await ctx.reply(ctx.tr("not-admin"), HTML);
  });
  c.callbackQuery(/^(rv|bc):/, async (ctx, next) => {
    ctx.admin = await loadAdmin(ctx);
    if (ctx.admin) return next();
    await ctx.answerCallbackQuery({ text: ctx.t("not-admin"), show_alert: true });
  });

  /**
   * The answer to the domain's `forbidden`, naming the campaign (rethrows anything else); HTML
   * for a message, plain for a button's alert.
   */
  const forbiddenText = (ctx: BotContext, error: unknown, html = true): string => {
    if (isDomainError(error, "campaign_transition_refused")) {
      const id = error.details.campaignId;
      const c = typeof id === "number" ? s.domain.campaigns.byId(id) : undefined;
      const state = (v: unknown) => {
        const key = `campaign-state-${String(v).replaceAll("_", "-")}`;
        const text = ctx.t(key);
        return text === key ? String(v) : text;
      };
      const vars = {
        campaign: c ? campaignName(c, ctx.locale) : "",
        from: state(error.details.from),
        to: state(error.details.to),
      };
      return html
        ? ctx.tr("admin-transition-refused", vars)
        : ctx.t("admin-transition-refused", vars);
    }
    if (!isDomainError(error, "forbidden")) throw error;
    const id = error.details.campaignId;
    const campaign = typeof id === "number" ? s.domain.campaigns.byId(id) : undefined;
    if (!campaign) return ctx.t("admin-forbidden-global");
    const vars = { campaign: campaignName(campaign, ctx.locale) };
    return html ? ctx.tr("admin-forbidden", vars) : ctx.t("admin-forbidden", vars);
  };
  /** Runs an admin action; a refusal is answered with {@link forbiddenText} (and `false`). */
  const refusedOr = async (ctx: BotContext, run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      if (ctx.callbackQuery)
        await ctx.answerCallbackQuery({ text: forbiddenText(ctx, error, false), show_alert: true });
      else await ctx.reply(forbiddenText(ctx, error), HTML);
      return false;
    }
  };

  // The admin console in the browser: a single-use link to an admin session (webLogin.ts).
  // Sent to any admin; what the console shows and allows is each request's role check.
  pm.command("admin", async (ctx) => {
    const admin = adminOf(ctx);
    if (admin.memberId === null) return;
    const { token } = await issueAdminLoginToken(s.domain, admin.memberId);
    const url = adminLoginLink(s.config.dashboard.url, token);
    const minutes = Math.round(LOGIN_TOKEN_TTL_SECONDS / 60);
    if (buttonUrlAllowed(url)) {
      await ctx.reply(ctx.tr("admin-console-link", { minutes }), {
        ...HTML,
        reply_markup: new InlineKeyboard().url(ctx.t("admin-console-button"), url),
      });
      return;
    }
    await ctx.reply(ctx.tr("admin-console-link-text", { minutes, link: link(url, url) }), HTML);
  });

  pm.command("review", async (ctx) => {
    const admin = adminOf(ctx);
    let items: Awaited<ReturnType<typeof reviewQueue>> = [];
    const ok = await refusedOr(ctx, async () => {
      items = await reviewQueue(s.domain, admin, { status: "open", limit: REVIEWS_SHOWN });
    });
    if (!ok) return;
    if (items.length === 0) {
      await ctx.reply(ctx.tr("admin-review-empty"), HTML);
      return;
    }
    // Oldest first, each with its evidence (a read of personal data: audited by the domain).
    const shown = [...items].reverse();
    for (const item of shown) {
      const campaign = s.domain.campaigns.byId(item.referral.campaignId);
      const evidence = await reviewEvidence(s.domain, admin, item.id);
      await ctx.reply(
        reviewEvidenceText(
          s.translator.t,
          ctx.locale,
          evidence,
          campaign ? campaignName(campaign, ctx.locale) : String(item.referral.campaignId),
        ),
        { ...HTML, reply_markup: reviewButtons(s.translator.t, ctx.locale, item.id) },
      );
    }
    if (shown.length > 1) {
      const bulk = bulkButtons(
        s.translator.t,
        ctx.locale,
        shown.map((i) => i.id),
      );
      await ctx.reply(ctx.tr("admin-alert-bulk", { count: bulk.ids.length }), {
        ...HTML,
        reply_markup: bulk.keyboard,
      });
    }
    const readable = campaignsWhere(admin, "review.read");
    const total = await openReviewCount(s.domain.db, readable === "all" ? undefined : readable);
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
      await approveReview(s.domain, id, adminOf(ctx));
    } catch (error) {
      if (isDomainError(error, "forbidden")) {
        // Not this admin's to decide: the buttons stay for someone who may.
        await ctx.answerCallbackQuery({ text: forbiddenText(ctx, error, false), show_alert: true });
        return;
      }
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
    // Refused before asking for a reason that could not be used.
    try {
      const campaignId = await reviewCampaignId(s.domain.db, id);
      await authorize(s.domain, adminOf(ctx), "review.decide", campaignId, {
        type: "review",
        id,
      });
    } catch (error) {
      if (isDomainError(error, "review_not_found")) return noSuchReview(ctx, String(id));
      await ctx.answerCallbackQuery({ text: forbiddenText(ctx, error, false), show_alert: true });
      return;
    }
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

  /**
   * Decides each listed item in turn (each checked and audited by the domain); how many were
   * decided, and a line for each that was not (refused, already decided, gone).
   */
  const decideEach = async (
    ctx: BotContext,
    ids: readonly number[],
    decide: (id: number) => Promise<unknown>,
  ): Promise<{ ok: number; refused: number; problems: string[] }> => {
    let ok = 0;
    let refused = 0;
    const problems: string[] = [];
    for (const id of ids) {
      try {
        await decide(id);
        ok++;
      } catch (error) {
        if (isDomainError(error, "forbidden")) refused++;
        problems.push(
          isDomainError(error, "forbidden")
            ? `#${id}: ${forbiddenText(ctx, error)}`
            : reviewErrorText(ctx, error, id),
        );
      }
    }
    return { ok, refused, problems };
  };

  // Approve all the items an alert listed.
  c.callbackQuery(/^rv:ba:([0-9a-z.]{1,58})$/, async (ctx) => {
    const ids = unpackIds(ctx.match[1]!);
    if (!ids) return noSuchReview(ctx, ctx.match[1]!);
    const admin = adminOf(ctx);
    await ctx.answerCallbackQuery();
    const { ok, refused, problems } = await decideEach(ctx, ids, (id) =>
      approveReview(s.domain, id, admin),
    );
    // Items this admin may not decide keep their buttons for someone who may.
    if (refused === 0)
      await ctx.editMessageReplyMarkup().catch(() => {
        // Already without buttons (a second tap): the answer below still says what happened.
      });
    await ctx.reply(
      [ctx.tr("admin-review-bulk-approved", { ok, count: ids.length }), ...problems].join("\n"),
      HTML,
    );
  });

  // Reject all the items an alert listed: asks for the one reason first.
  c.callbackQuery(/^rv:br:([0-9a-z.]{1,58})$/, async (ctx) => {
    const ids = unpackIds(ctx.match[1]!);
    if (!ids) return noSuchReview(ctx, ctx.match[1]!);
    await ctx.answerCallbackQuery();
    const prompt = await ctx.reply(
      ctx.tr("admin-review-bulk-reject-prompt", { count: ids.length }),
      { ...HTML, reply_markup: { force_reply: true, selective: true } },
    );
    await savePrompt(s.domain.db, {
      chatId: prompt.chat.id,
      messageId: prompt.message_id,
      kind: "reject_review",
      payload: {
        reviewIds: ctx.match[1]!,
        sourceMessageId: ctx.callbackQuery.message?.message_id ?? 0,
      },
    });
  });

  // The reason for a reject: a reply to the bot's prompt.
  pm.on("message:text", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (replied?.from?.id !== ctx.me.id) return next();
    const admin = await loadAdmin(ctx);
    if (!admin) return next();
    const prompt = await takePrompt(s.domain.db, ctx.chat.id, replied.message_id);
    if (prompt?.kind !== "reject_review") return next();
    if (typeof prompt.payload.reviewIds === "string") {
      const ids = unpackIds(prompt.payload.reviewIds);
      if (!ids) return next();
      const reason = ctx.message.text.trim().slice(0, 500);
      const { ok, refused, problems } = await decideEach(ctx, ids, (id) =>
        rejectReview(s.domain, id, admin, reason),
      );
      const source = Number(prompt.payload.sourceMessageId);
      if (source > 0 && refused === 0)
        await ctx.api.editMessageReplyMarkup(ctx.chat.id, source).catch(() => {
          // The alert may be gone; the decisions stand.
        });
      await ctx.reply(
        [ctx.tr("admin-review-bulk-rejected", { ok, count: ids.length, reason }), ...problems].join(
          "\n",
        ),
        HTML,
      );
      return;
    }
    const id = callbackId(String(prompt.payload.reviewId));
    if (id === undefined) return next();
    const reason = ctx.message.text.trim().slice(0, 500);
    try {
      await rejectReview(s.domain, id, admin, reason);
    } catch (error) {
      await ctx.reply(
        isDomainError(error, "forbidden")
          ? forbiddenText(ctx, error)
          : reviewErrorText(ctx, error, id),
        HTML,
      );
      return;
    }
    const source = Number(prompt.payload.sourceMessageId);
    if (source > 0)
      await ctx.api.editMessageReplyMarkup(ctx.chat.id, source).catch(() => {
        // The review message may be gone; the decision stands.
      });
    await ctx.reply(ctx.tr("admin-review-rejected", { id: String(id), reason }), HTML);
  });

  /** The campaign named by `slug`, else the current one; answers when there is none. */
  const campaignFrom = async (ctx: BotContext, slug: string): Promise<Campaign | undefined> => {
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

  const firstWord = (text: string) => text.trim().split(/\s+/)[0] ?? "";

  pm.command("pause", async (ctx) => {
    const campaign = await campaignFrom(ctx, firstWord(ctx.match));
    if (!campaign) return;
    let changed = false;
    const ok = await refusedOr(ctx, async () => {
      changed = await pauseCampaign(s.domain, campaign.id, adminOf(ctx));
    });
    if (!ok) return;
    await ctx.reply(
      ctx.tr(changed ? "admin-pause-done" : "admin-pause-already", {
        campaign: campaignName(campaign, ctx.locale),
      }),
      HTML,
    );
  });

  pm.command("resume", async (ctx) => {
    const campaign = await campaignFrom(ctx, firstWord(ctx.match));
    if (!campaign) return;
    let changed = false;
    const ok = await refusedOr(ctx, async () => {
      changed = await resumeCampaign(s.domain, campaign.id, adminOf(ctx));
    });
    if (!ok) return;
    await ctx.reply(
      ctx.tr(changed ? "admin-resume-done" : "admin-resume-not-paused", {
        campaign: campaignName(campaign, ctx.locale),
      }),
      HTML,
    );
  });

  /** `/campaign [slug]`: the lifecycle state, end dates and pilot of a campaign. */
  const lifecycleText = (ctx: BotContext, campaign: Campaign, v: CampaignLifecycleView) => {
    const parts = [
      ctx.tr("admin-campaign-state", {
        campaign: campaignName(campaign, ctx.locale),
        state: ctx.t(`campaign-state-${v.state}`),
        since: formatDate(v.stateChangedAt, ctx.locale),
      }),
    ];
    if (v.graceEndsAt && v.clawbackAt)
      parts.push(
        ctx.tr("admin-campaign-ended", {
          grace: formatDate(v.graceEndsAt, ctx.locale),
          clawback: formatDate(v.clawbackAt, ctx.locale),
        }),
      );
    if (v.pilot)
      parts.push(
        v.pilot.promotedAt
          ? ctx.tr("admin-campaign-pilot-promoted", {
              date: formatDate(v.pilot.promotedAt, ctx.locale),
              members: v.pilot.members,
            })
          : ctx.tr("admin-campaign-pilot", { members: v.pilot.members }),
      );
    return parts.join("\n");
  };

  pm.command("campaign", async (ctx) => {
    const campaign = await campaignFrom(ctx, firstWord(ctx.match));
    if (!campaign) return;
    let view: CampaignLifecycleView | undefined;
    const ok = await refusedOr(ctx, async () => {
      await authorize(s.domain, adminOf(ctx), "campaign.view", campaign.id);
      view = await campaignLifecycleView(s.domain, campaign);
    });
    if (ok && view) await ctx.reply(lifecycleText(ctx, campaign, view), HTML);
  });

  for (const command of ["validate", "end", "archive", "promote"] as const) {
    pm.command(command, async (ctx) => {
      const campaign = await campaignFrom(ctx, firstWord(ctx.match));
      if (!campaign) return;
      let view: CampaignLifecycleView | undefined;
      const ok = await refusedOr(ctx, async () => {
        view = await runCampaignCommand(s.domain, adminOf(ctx), campaign, command);
      });
      if (!ok || !view) return;
      await ctx.reply(
        `${ctx.tr(`admin-${command}-done`, { campaign: campaignName(campaign, ctx.locale) })}\n${lifecycleText(ctx, campaign, view)}`,
        HTML,
      );
    });
  }

  pm.command("broadcast", async (ctx) => {
    const admin = adminOf(ctx);
    // `/broadcast <campaign>` with the text on the next lines: that campaign's members. Without
    // one: every member for super-admins, the current campaign's for everyone else.
    const [firstLine = "", ...rest] = ctx.match.split("\n");
    const named = /^[a-z0-9-]{2,48}$/.test(firstLine.trim())
      ? s.domain.campaigns.bySlug(firstLine.trim())
      : undefined;
    const campaign = named ?? (admin.superAdmin ? undefined : await campaignFrom(ctx, ""));
    if (!named && !admin.superAdmin && !campaign) return;
    const campaignId = campaign?.id ?? null;
    if (
      !(await refusedOr(ctx, () =>
        authorize(s.domain, admin, "broadcast.send", campaignId, { type: "broadcast", id: "new" }),
      ))
    )
      return;
    const parsed = parseBroadcast(named ? rest.join("\n") : ctx.match);
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
    const id = await createDraft(s.domain, admin, {
      texts,
      campaignId,
      createdBy: ctx.member!.id,
      adminChatId: ctx.chat.id,
      adminLanguage: ctx.locale,
    });
    const count = await countRecipients(s.domain.db, campaignId);
    await ctx.reply(
      campaign
        ? ctx.tr("admin-broadcast-confirm-campaign", {
            count,
            campaign: campaignName(campaign, ctx.locale),
          })
        : ctx.tr("admin-broadcast-confirm", { count }),
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
    let started: { total: number } | undefined;
    if (messageId && id !== undefined) {
      const ok = await refusedOr(ctx, async () => {
        started = await startBroadcast(s.domain, adminOf(ctx), id, messageId);
      });
      if (!ok) return;
    }
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
    let was: Awaited<ReturnType<typeof cancelBroadcast>>;
    if (id !== undefined) {
      const ok = await refusedOr(ctx, async () => {
        was = await cancelBroadcast(s.domain, adminOf(ctx), id);
      });
      if (!ok) return;
    }
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

  /** `@username`, a Telegram id, or `#<member number>`: the member, or an answer saying who is unknown. */
  const memberFrom = async (ctx: BotContext, who: string): Promise<MemberView | undefined> => {
    const query = who.startsWith("@")
      ? { username: who }
      : /^#\d{1,15}$/.test(who)
        ? { id: Number(who.slice(1)) }
        : /^\d{1,15}$/.test(who)
          ? { telegramId: Number(who) }
          : undefined;
    const member = query && (await findMember(s.domain.db, query));
    if (!member) await ctx.reply(ctx.tr("admin-role-no-member", { who }), HTML);
    return member;
  };
  const roleName = (ctx: BotContext, role: CampaignRole) => ctx.t(`role-name-${role}`);

  const roleUsage = (ctx: BotContext) =>
    ctx.reply(
      ctx.tr("admin-role-usage", {
        roles: CAMPAIGN_ROLES.map((r) => `${r} (${roleName(ctx, r)})`).join(", "),
      }),
      HTML,
    );

  // `/role [campaign]`: who holds which role. `/role <who> <role> [campaign]`: grant it.
  pm.command("role", async (ctx) => {
    const args = ctx.match
      .trim()
      .split(/\s+/)
      .filter((a) => a !== "");
    if (args.length <= 1) {
      const campaign = await campaignFrom(ctx, args[0] ?? "");
      if (!campaign) return;
      let holders: Awaited<ReturnType<typeof listRoleHolders>> = [];
      const ok = await refusedOr(ctx, async () => {
        holders = await listRoleHolders(s.domain, adminOf(ctx), campaign.id);
      });
      if (!ok) return;
      const name = campaignName(campaign, ctx.locale);
      await ctx.reply(
        holders.length === 0
          ? ctx.tr("admin-role-list-empty", { campaign: name })
          : [
              ctx.tr("admin-role-list", { campaign: name }),
              ...holders.map((h) =>
                ctx.tr("admin-role-list-item", {
                  who: memberLabel({ ...h, id: h.memberId }),
                  roles: h.roles.map((r) => roleName(ctx, r)).join(", "),
                }),
              ),
            ].join("\n"),
        HTML,
      );
      return;
    }
    await changeRole(ctx, args, "grant");
  });

  // `/unrole <who> <role> [campaign]`: take it back.
  pm.command("unrole", async (ctx) => {
    await changeRole(
      ctx,
      ctx.match
        .trim()
        .split(/\s+/)
        .filter((a) => a !== ""),
      "revoke",
    );
  });

  const changeRole = async (ctx: BotContext, args: string[], kind: "grant" | "revoke") => {
    const [who, roleArg, slug] = args;
    const role = roleArg?.toLowerCase() ?? "";
    if (who === undefined || !isCampaignRole(role) || args.length > 3) {
      await roleUsage(ctx);
      return;
    }
    const campaign = await campaignFrom(ctx, slug ?? "");
    if (!campaign) return;
    const member = await memberFrom(ctx, who);
    if (!member) return;
    let changed = false;
    const ok = await refusedOr(ctx, async () => {
      const input = { campaignId: campaign.id, memberId: member.id, role };
      const r =
        kind === "grant"
          ? await grantRole(s.domain, adminOf(ctx), input)
          : await revokeRole(s.domain, adminOf(ctx), input);
      changed = r.changed;
    });
    if (!ok) return;
    const key =
      kind === "grant"
        ? changed
          ? "admin-role-granted"
          : "admin-role-already"
        : changed
          ? "admin-role-revoked"
          : "admin-role-not-held";
    await ctx.reply(
      ctx.tr(key, {
        who: memberLabel(member),
        role: roleName(ctx, role),
        campaign: campaignName(campaign, ctx.locale),
      }),
      HTML,
    );
  };
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
