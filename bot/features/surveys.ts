/**
 * Surveys and votes in the bot. Admins (`survey.manage`, checked by the domain):
 *
 *     /survey                       the campaign's surveys with their ids
 *     /survey new Title | 1 REF     then one question a line: `Question? | choice | choice`,
 *                                   or just `Question?` for free text (the reward is optional)
 *     /vote Question | 1 REF        then one option a line: `Option | budget`
 *     /survey send <id>             deliver it to its segment (only members not sent it yet)
 *     /survey results <id>          counts per option and per segment
 *     /survey close <id>            no more answers or changes; its native polls are stopped
 *                                   (`stopPoll`, once each: bot/surveyPolls.ts)
 *
 * Delivery: a choice question that fits a native poll (2–10 options) is sent with `sendPoll`
 * (not anonymous, so `poll_answer` names the member; retracting and re-voting changes the
 * answer until the survey closes); other choice questions get buttons; a free-text question
 * a reply prompt. Answers go to the domain, which pays the reward once.
 */
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  type AnswerResult,
  answerSurvey,
  closeSurvey,
  createSurvey,
  deliveryByMessage,
  deliveryByPoll,
  fitsNativePoll,
  getSurvey,
  isDomainError,
  listSurveys,
  recordDelivery,
  type SurveyQuestion,
  type SurveyView,
  startSurveyDelivery,
  surveyResults,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatAmount } from "../format.ts";
import { LOCALES, type Locale, memberLocale } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { decimalsOf } from "../rulesText.ts";
import { stopClosedPolls } from "../surveyPolls.ts";
import { callbackId } from "./admin.ts";

/** The domain's refusals of an answer, and how the bot words them. */
const REFUSALS = [
  ["survey_closed", "survey-closed"],
  ["answer_invalid", "survey-answer-invalid"],
  ["survey_not_found", "survey-not-found"],
] as const;

/** `Title | 1 REF` → title and optional reward. */
function titleAndReward(line: string): {
  title: string;
  reward?: { token: string; amount: string };
} {
  const [title, reward] = line.split("|").map((p) => p.trim());
  const m = reward ? /^(\d{1,12}(?:[.,]\d{1,6})?)\s*([A-Z][A-Z0-9]{1,10})$/.exec(reward) : null;
  return {
    title: title ?? "",
    reward: m ? { amount: m[1]!.replace(",", "."), token: m[2]! } : undefined,
  };
}

/** The survey or vote an admin wrote, or a reason it is not one. */
export function parseSurveyCommand(
  kind: "survey" | "vote",
  text: string,
):
  | { title: string; questions: SurveyQuestion[]; reward?: { token: string; amount: string } }
  | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const head = lines.shift();
  if (!head) return undefined;
  const { title, reward } = titleAndReward(head);
  if (title.length === 0 || title.length > 300) return undefined;
  if (kind === "vote") {
    const options = lines.map((l) => {
      const [t, budget] = l.split("|").map((p) => p.trim());
      return budget ? { text: t ?? "", budget: budget.replace(",", ".") } : { text: t ?? "" };
    });
    if (options.length < 2 || options.some((o) => o.text.length === 0)) return undefined;
    return { title, reward, questions: [{ text: title, kind: "choice", options }] };
  }
  const questions: SurveyQuestion[] = lines.map((l) => {
    const [q, ...choices] = l.split("|").map((p) => p.trim());
    return choices.length > 0
      ? { text: q ?? "", kind: "choice", options: choices.map((c) => ({ text: c })) }
      : { text: q ?? "", kind: "text" };
  });
  if (questions.length === 0 || questions.some((q) => q.text.length === 0)) return undefined;
  return { title, reward, questions };
}

export function surveysFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const pm = c.chatType("private");

  const t = (locale: Locale, key: string, vars?: Record<string, string | number>) =>
    s.translator.t(locale, key, vars);
  /** The reward token's decimals in the survey's campaign (an external USDC has 6). */
  const rewardDecimals = (survey: SurveyView) =>
    decimalsOf(s.domain.campaigns.byId(survey.campaignId), survey.reward?.token ?? "");

  /** Sends one member every question of a survey; records what was sent. */
  const deliver = async (
    survey: SurveyView,
    r: { memberId: number; telegramId: number; languageCode: string | null },
  ) => {
    const locale: Locale = LOCALES.find((l) => l === r.languageCode) ?? "en";
    const reward = survey.reward
      ? t(locale, "survey-reward", {
          reward: formatAmount(
            survey.reward.amount,
            survey.reward.token,
            locale,
            rewardDecimals(survey),
          ),
        })
      : "";
    await s.bulkApi.sendMessage(
      r.telegramId,
      [
        t(locale, survey.kind === "vote" ? "vote-intro" : "survey-intro", {
          title: escapeHtml(survey.title),
        }),
        reward,
      ]
        .filter(Boolean)
        .join("\n"),
      HTML,
    );
    for (const [i, q] of survey.questions.entries()) {
      const base = { surveyId: survey.id, question: i, memberId: r.memberId, chatId: r.telegramId };
      if (fitsNativePoll(q)) {
        const sent = await s.bulkApi.sendPoll(
          r.telegramId,
          q.text,
          (q.options ?? []).map((o) => ({ text: o.text })),
          { is_anonymous: false, allows_multiple_answers: false },
        );
        await recordDelivery(s.domain, {
          ...base,
          messageId: sent.message_id,
          pollId: sent.poll?.id,
        });
      } else if (q.kind === "choice") {
        const keyboard = new InlineKeyboard();
        (q.options ?? []).forEach((o, oi) => {
          keyboard.text(o.text.slice(0, 60), `sv:${survey.id}:${i}:${oi}`).row();
        });
        const sent = await s.bulkApi.sendMessage(r.telegramId, escapeHtml(q.text), {
          ...HTML,
          reply_markup: keyboard,
        });
        await recordDelivery(s.domain, { ...base, messageId: sent.message_id });
      } else {
        const sent = await s.bulkApi.sendMessage(
          r.telegramId,
          `${escapeHtml(q.text)}\n${t(locale, "survey-reply-hint")}`,
          {
            ...HTML,
            reply_markup: {
              force_reply: true,
              input_field_placeholder: t(locale, "survey-reply-placeholder"),
            },
          },
        );
        await recordDelivery(s.domain, { ...base, messageId: sent.message_id });
      }
    }
  };

  const resultsText = async (ctx: BotContext, id: number) => {
    const r = await surveyResults(s.domain, ctx.admin!, id);
    const out = [
      ctx.tr("survey-results-title", {
        id,
        title: r.survey.title,
        respondents: r.respondents,
        delivered: r.delivered,
      }),
    ];
    for (const q of r.questions) {
      out.push("", `<b>${escapeHtml(q.text)}</b>`);
      for (const o of q.options)
        out.push(
          `• ${escapeHtml(o.text)}${o.budget ? ` (${escapeHtml(o.budget)})` : ""} — ${o.count}`,
        );
      for (const text of q.texts.slice(0, 10)) out.push(`— ${escapeHtml(text)}`);
    }
    out.push(
      "",
      ctx.tr("survey-results-segments", {
        referred: r.segments.referred.respondents,
        inviters: r.segments.inviters.respondents,
        wallet: r.segments.wallet.respondents,
      }),
    );
    return out.join("\n");
  };

  /** Runs an admin action; the domain's refusals are answered in words. */
  const answering = async (ctx: BotContext, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      if (isDomainError(error, "forbidden"))
        await ctx.reply(ctx.tr("admin-forbidden-global"), HTML);
      else if (isDomainError(error, "survey_not_found"))
        await ctx.reply(ctx.tr("survey-not-found"), HTML);
      else if (isDomainError(error, "survey_closed"))
        await ctx.reply(ctx.tr("survey-closed"), HTML);
      else if (isDomainError(error, "answer_invalid") || isDomainError(error, "campaign_not_found"))
        await ctx.reply(ctx.tr("survey-usage"), HTML);
      else throw error;
    }
  };

  pm.command(["survey", "vote"], async (ctx) => {
    const admin = ctx.admin;
    if (!admin) return; // the admin guard (admin.ts) answered already
    const command = ctx.message.text.startsWith("/vote") ? "vote" : "survey";
    const args = ctx.match;
    const [sub, idText] = args.trim().split(/\s+/);
    await answering(ctx, async () => {
      if (command === "vote" || sub === "new") {
        const body = command === "vote" ? args : args.trim().replace(/^new\b/, "");
        const parsed = parseSurveyCommand(command, body);
        if (!parsed) {
          await ctx.reply(ctx.tr("survey-usage"), HTML);
          return;
        }
        const created = await createSurvey(s.domain, admin, { kind: command, ...parsed });
        await ctx.reply(ctx.tr("survey-created", { id: created.id, title: created.title }), HTML);
        return;
      }
      const id = callbackId(idText);
      if (sub === "send" && id !== undefined) {
        const { survey, recipients } = await startSurveyDelivery(s.domain, admin, id);
        let sent = 0;
        for (const r of recipients) {
          try {
            await deliver(survey, r);
            sent++;
          } catch (error) {
            // Blocked the bot or never started it: the others still get it.
            if (!(error instanceof GrammyError)) throw error;
          }
        }
        await ctx.reply(ctx.tr("survey-sent", { id, sent, total: recipients.length }), HTML);
      } else if (sub === "close" && id !== undefined) {
        await closeSurvey(s.domain, admin, id);
        await ctx.reply(ctx.tr("survey-closed-now", { id }), HTML);
        // Its native polls stop taking votes in Telegram too (the job retries what fails).
        await stopClosedPolls({ domain: s.domain, api: s.bulkApi, logger: s.logger });
      } else if (sub === "results" && id !== undefined) {
        await ctx.reply(await resultsText(ctx, id), HTML);
      } else if (sub === undefined || sub === "") {
        const campaign = s.domain.campaigns.current(s.domain.now());
        if (!campaign) return void (await ctx.reply(ctx.tr("no-campaign"), HTML));
        const list = await listSurveys(s.domain, admin, campaign);
        await ctx.reply(
          list.length === 0
            ? ctx.tr("survey-none")
            : list
                .map((x) =>
                  ctx.tr("survey-list-line", {
                    id: x.id,
                    title: x.title,
                    kind: x.kind,
                    status: x.status,
                  }),
                )
                .join("\n"),
          HTML,
        );
      } else await ctx.reply(ctx.tr("survey-usage"), HTML);
    });
  });

  /** Tells the member how their answer went (in private; they may have blocked the bot). */
  const outcomeText = (locale: Locale, r: AnswerResult) => {
    if (r.amount > 0n && r.survey.reward)
      return t(locale, "survey-thanks-paid", {
        reward: formatAmount(r.amount, r.survey.reward.token, locale, rewardDecimals(r.survey)),
      });
    if (r.changed) return t(locale, "survey-changed");
    return r.complete ? t(locale, "survey-thanks") : undefined;
  };

  const answer = async (
    memberId: number,
    locale: Locale,
    input: { surveyId: number; question: number; choices?: number[]; text?: string },
  ): Promise<{ result?: AnswerResult; refusal?: string }> => {
    try {
      return { result: await answerSurvey(s.domain, { memberId, ...input }) };
    } catch (error) {
      for (const [code, key] of REFUSALS)
        if (isDomainError(error, code)) return { refusal: t(locale, key) };
      throw error;
    }
  };

  // grammY gives a poll answer no `ctx.from` (it names `user`): the member is loaded here.
  c.on("poll_answer", async (ctx) => {
    const pa = ctx.pollAnswer;
    if (!pa.user || pa.user.is_bot) return;
    const delivery = await deliveryByPoll(s.domain, pa.poll_id);
    if (!delivery) return;
    const { member, language } = await s.members.call({
      id: pa.user.id,
      username: pa.user.username,
      firstName: pa.user.first_name,
      lastName: pa.user.last_name,
      languageCode: pa.user.language_code,
    });
    if (delivery.memberId !== member.id || member.bannedAt !== null) return;
    const locale = memberLocale(language, pa.user.language_code);
    const { result, refusal } = await answer(member.id, locale, {
      surveyId: delivery.surveyId,
      question: delivery.question,
      choices: pa.option_ids,
    });
    const text =
      refusal ?? (result && pa.option_ids.length > 0 ? outcomeText(locale, result) : undefined);
    if (text) await ctx.api.sendMessage(pa.user.id, text, HTML).catch(() => undefined);
  });

  c.callbackQuery(/^sv:(\d+):(\d{1,2}):(\d{1,3})$/, async (ctx) => {
    const surveyId = callbackId(ctx.match[1]);
    if (!ctx.member || surveyId === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t("survey-not-found"), show_alert: true });
      return;
    }
    const question = Number(ctx.match[2]);
    const choice = Number(ctx.match[3]);
    const { result, refusal } = await answer(ctx.member.id, ctx.locale, {
      surveyId,
      question,
      choices: [choice],
    });
    if (!result) {
      await ctx.answerCallbackQuery({ text: refusal, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery({
      text: outcomeText(ctx.locale, result) ?? ctx.t("survey-saved"),
    });
    const options = result.survey.questions[question]?.options ?? [];
    const keyboard = new InlineKeyboard();
    options.forEach((o, oi) => {
      keyboard
        .text(
          `${oi === choice ? "✓ " : ""}${o.text.slice(0, 60)}`,
          `sv:${surveyId}:${question}:${oi}`,
        )
        .row();
    });
    await ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch(() => undefined);
  });

  pm.on("message:text", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (!ctx.member || replied?.from?.id !== ctx.me.id) return next();
    const delivery = await deliveryByMessage(s.domain, ctx.chat.id, replied.message_id);
    if (!delivery || delivery.memberId !== ctx.member.id) return next();
    const survey: SurveyView = await getSurvey(s.domain, delivery.surveyId);
    if (survey.questions[delivery.question]?.kind !== "text") return next();
    const { result, refusal } = await answer(ctx.member.id, ctx.locale, {
      surveyId: delivery.surveyId,
      question: delivery.question,
      text: ctx.message.text,
    });
    await ctx.reply(
      (result ? outcomeText(ctx.locale, result) : undefined) ?? refusal ?? ctx.tr("survey-saved"),
      HTML,
    );
  });
  return c;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
