/**
 * Middleware every update passes before the features: who the member is (created on first
 * sight through the domain), which language they read, a translate function that escapes
 * variables, and a stop for banned members.
 */
import type { Context, NextFunction } from "grammy";
import { type MemberView, memberCampaigns } from "../server/domain/index.ts";
import type { BotContext, BotServices } from "./context.ts";
import { fluentVars, localeFromLanguageCode, memberLocale, type TextVars } from "./i18n.ts";

/** Sets `ctx.member` and `ctx.locale` (before the i18n middleware, which reads the locale). */
export function loadMember(s: BotServices) {
  return async (ctx: BotContext, next: NextFunction): Promise<void> => {
    const from = ctx.from;
    ctx.locale = localeFromLanguageCode(from?.language_code);
    ctx.memberIsNew = false;
    // Channel posts and the like have no user; bots never become members.
    if (from !== undefined && !from.is_bot) {
      // Batched with the other updates in flight (bot/members.ts).
      const { member, created, language } = await s.members.call({
        id: from.id,
        username: from.username,
        firstName: from.first_name,
        lastName: from.last_name,
        languageCode: from.language_code,
        isPremium: from.is_premium === true,
      });
      ctx.member = member;
      ctx.memberIsNew = created;
      // A member created by this very update has made no choice yet.
      ctx.locale = memberLocale(language, from.language_code);
    }
    await next();
  };
}

/**
 * Commands are case-insensitive: `/Start` and `/HELP@Bot` reach the `/start` and `/help`
 * handlers (grammY matches them exactly). Only the command itself is lower-cased, never what
 * follows it (an invite code, a broadcast's text).
 */
export async function lowerCaseCommands(ctx: Context, next: NextFunction): Promise<void> {
  const msg = ctx.message;
  const text = msg?.text;
  const entity = msg?.entities?.find((e) => e.offset === 0 && e.type === "bot_command");
  if (msg && text && entity) {
    const command = text.slice(0, entity.length);
    // ASCII only (commands are [A-Za-z0-9_]): the text keeps its length, so entities stay put.
    const lower = command.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (lower !== command) msg.text = lower + text.slice(entity.length);
  }
  await next();
}

/** `ctx.tr`: `ctx.t` with escaped variables (runs after the i18n middleware). */
export async function translateHelper(ctx: BotContext, next: NextFunction): Promise<void> {
  ctx.tr = (key: string, vars?: TextVars) => ctx.t(key, fluentVars(vars));
  await next();
}

/** Banned members get one polite answer and nothing else. */
export async function stopBanned(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.member?.bannedAt == null) return next();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("banned"), show_alert: true });
  else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 60, is_personal: true });
  else if (ctx.chat?.type === "private") await ctx.reply(ctx.tr("banned"));
}

/** Options every HTML reply uses. */
export const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/** The Telegram user id of an update (admins are configured by it). */
export const userId = (ctx: Context) => ctx.from?.id;

/** The campaign running now, as the domain registry loaded it. */
export type CurrentCampaign = NonNullable<
  ReturnType<BotServices["domain"]["campaigns"]["current"]>
>;

/**
 * The member and the running campaign of a member command, or undefined when there is no
 * member (nothing to answer) or no campaign (the member is told so): the opening every
 * campaign command shares.
 */
export async function memberAndCampaign(
  s: BotServices,
  ctx: BotContext,
): Promise<{ member: MemberView; campaign: CurrentCampaign } | undefined> {
  const member = ctx.member;
  const campaign = s.domain.campaigns.current(s.domain.now());
  if (!member) return undefined;
  if (!campaign) {
    await ctx.reply(ctx.tr("no-campaign"), HTML);
    return undefined;
  }
  return { member, campaign };
}

/**
 * The member and the campaigns a member command is about: those the member has (the current
 * one first), or only the one named by the command's argument (`/stats <slug>`). Undefined
 * when there is no member or no campaign (the member is told so). `several` says whether the
 * answer must name its campaign: the member has more than one.
 */
export async function memberAndCampaigns(
  s: BotServices,
  ctx: BotContext,
): Promise<{ member: MemberView; campaigns: CurrentCampaign[]; several: boolean } | undefined> {
  const member = ctx.member;
  if (!member) return undefined;
  const all = await memberCampaigns(s.domain, member.id);
  if (all.length === 0) {
    await ctx.reply(ctx.tr("no-campaign"), HTML);
    return undefined;
  }
  const arg = typeof ctx.match === "string" ? ctx.match.trim().toLowerCase() : "";
  const named = arg === "" ? undefined : all.find((c) => c.slug === arg);
  return { member, campaigns: named ? [named] : all, several: all.length > 1 };
}
