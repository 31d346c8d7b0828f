/**
 * `/top [campaign]`: the campaign's leaderboard, by friends who joined or by activity points,
 * this week (ISO week, UTC) or all time, with the member's own place even outside the top. The
 * buttons switch board and period in the same message, and turn showing the member's name on
 * the boards on or off (a pseudonym by default).
 */
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  type Board,
  type Campaign,
  type LeaderboardBoard,
  type LeaderboardPeriod,
  pseudonymKey,
  readBoard,
  setShowName,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatDate, formatDecimal } from "../format.ts";
import { code } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";
import { callbackId } from "./admin.ts";

/** How many from the top a message shows. */
const SHOWN = 10;
const DAY_MS = 86_400_000;

const BOARD_CODES: Record<LeaderboardBoard, string> = { referrals: "r", activity: "a" };
const PERIOD_CODES: Record<LeaderboardPeriod, string> = { week: "w", all: "a" };
const boardOf = (c: string | undefined): LeaderboardBoard | undefined =>
  c === "r" ? "referrals" : c === "a" ? "activity" : undefined;
const periodOf = (c: string | undefined): LeaderboardPeriod | undefined =>
  c === "w" ? "week" : c === "a" ? "all" : undefined;

/** Button data: `top:<campaign id>:<board>:<period>`, plus `:name:<1|0>` for the name toggle. */
const data = (campaign: Campaign, board: LeaderboardBoard, period: LeaderboardPeriod) =>
  `top:${campaign.id}:${BOARD_CODES[board]}:${PERIOD_CODES[period]}`;

export function topFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const key = pseudonymKey(s.config.hashSecret);

  /** A score as members read it: a count of friends, or points (stored in hundredths). */
  const scoreText = (board: LeaderboardBoard, score: number, ctx: BotContext) =>
    formatDecimal(
      board === "activity"
        ? `${Math.floor(score / 100)}.${String(score % 100).padStart(2, "0")}`
        : String(score),
      ctx.locale,
    );

  const render = (
    ctx: BotContext,
    campaign: Campaign,
    board: LeaderboardBoard,
    period: LeaderboardPeriod,
    b: Board,
  ): { text: string; keyboard: InlineKeyboard } => {
    const out = [ctx.tr(`top-title-${board}`, { campaign: campaignName(campaign, ctx.locale) })];
    out.push(
      b.period.startsAt && b.period.endsAt
        ? ctx.tr("top-period-week", {
            start: formatDate(b.period.startsAt, ctx.locale),
            end: formatDate(new Date(b.period.endsAt.getTime() - DAY_MS), ctx.locale),
          })
        : ctx.tr("top-period-all"),
    );
    out.push("");
    if (b.top.length === 0) out.push(ctx.tr("top-empty"));
    for (const e of b.top) {
      out.push(
        ctx.tr(e.memberId === ctx.member?.id ? "top-line-me" : "top-line", {
          rank: e.rank,
          name: e.name.text,
          score: scoreText(board, e.score, ctx),
        }),
      );
    }
    out.push("");
    const me = b.me;
    if (me.status === "ranked") {
      out.push(
        ctx.tr(`top-me-ranked-${board}`, {
          rank: me.rank ?? 0,
          total: formatDecimal(String(me.total), ctx.locale),
          count: board === "activity" ? me.score / 100 : me.score,
          score: scoreText(board, me.score, ctx),
        }),
      );
      if (me.tiedWith > 0) out.push(ctx.tr("top-me-tied", { others: me.tiedWith }));
    } else if (me.status === "hidden") out.push(ctx.tr("top-me-hidden"));
    else out.push(ctx.tr(`top-me-unranked-${board}`));
    out.push(
      me.showName
        ? ctx.tr("top-name-shown", { name: me.name.text })
        : ctx.tr("top-name-hidden", { pseudonym: code(me.name.text) }),
    );

    const mark = (selected: boolean, label: string) => (selected ? `✓ ${label}` : label);
    const keyboard = new InlineKeyboard();
    for (const other of ["referrals", "activity"] as const)
      keyboard.text(
        mark(other === board, ctx.t(`top-board-${other}`)),
        data(campaign, other, period),
      );
    keyboard.row();
    for (const other of ["week", "all"] as const)
      keyboard.text(
        mark(other === period, ctx.t(`top-period-${other}-button`)),
        data(campaign, board, other),
      );
    keyboard
      .row()
      .text(
        ctx.t(me.showName ? "top-hide-name" : "top-show-name"),
        `${data(campaign, board, period)}:name:${me.showName ? 0 : 1}`,
      );
    return { text: out.join("\n"), keyboard };
  };

  const boardFor = (
    ctx: BotContext,
    campaign: Campaign,
    board: LeaderboardBoard,
    period: LeaderboardPeriod,
  ) =>
    readBoard(s.domain.db, {
      campaignId: campaign.id,
      board,
      period,
      now: s.domain.now(),
      memberId: ctx.member!.id,
      limit: SHOWN,
      key,
    });

  c.chatType("private").command("top", async (ctx) => {
    if (!ctx.member) return;
    const slug = ctx.match.trim().split(/\s+/)[0] ?? "";
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
      return;
    }
    const view = render(
      ctx,
      campaign,
      "referrals",
      "week",
      await boardFor(ctx, campaign, "referrals", "week"),
    );
    await ctx.reply(view.text, { ...HTML, reply_markup: view.keyboard });
  });

  c.callbackQuery(/^top:(\d+):([a-z]):([a-z])(?::name:([01]))?$/, async (ctx) => {
    // Anyone can send any button data: checked like input.
    const id = callbackId(ctx.match[1]);
    const campaign = id === undefined ? undefined : s.domain.campaigns.byId(id);
    const board = boardOf(ctx.match[2]);
    const period = periodOf(ctx.match[3]);
    if (!ctx.member || !campaign || !board || !period) {
      await ctx.answerCallbackQuery({ text: ctx.t("top-gone"), show_alert: true });
      return;
    }
    const toggle = ctx.match[4];
    if (toggle !== undefined) await setShowName(s.domain.db, ctx.member.id, toggle === "1");
    const view = render(ctx, campaign, board, period, await boardFor(ctx, campaign, board, period));
    await ctx.answerCallbackQuery(
      toggle === undefined
        ? {}
        : { text: ctx.t(toggle === "1" ? "top-name-now-shown" : "top-name-now-hidden") },
    );
    try {
      await ctx.editMessageText(view.text, { ...HTML, reply_markup: view.keyboard });
    } catch (error) {
      // The same board again (a second tap): Telegram refuses an edit that changes nothing.
      if (!(error instanceof GrammyError && /message is not modified/.test(error.description)))
        throw error;
    }
  });
  return c;
}
