/**
 * `/help` (admin commands too for super-admins and role holders), `/language` (stored per member), and the answer
 * to commands the bot does not know.
 */
import { Composer, InlineKeyboard } from "grammy";
import { memberRoles, setLanguage } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { isLocale, LOCALES } from "../i18n.ts";
import { HTML } from "../middleware.ts";

export function helpFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const pm = c.chatType("private");

  pm.command("help", async (ctx) => {
    const text = [ctx.tr("help")];
    const admin =
      s.isSuperAdmin(ctx.from.id) ||
      (ctx.member !== undefined && (await memberRoles(s.domain.db, ctx.member.id)).length > 0);
    if (admin) text.push(ctx.tr("help-admin"));
    await ctx.reply(text.join("\n\n"), HTML);
  });

  pm.command("language", async (ctx) => {
    const keyboard = new InlineKeyboard();
    for (const l of LOCALES) keyboard.text(ctx.t(`language-name-${l}`), `lang:${l}`);
    await ctx.reply(ctx.tr("language-choose"), { ...HTML, reply_markup: keyboard });
  });

  c.callbackQuery(/^lang:([a-z]{2})$/, async (ctx) => {
    const locale = ctx.match[1];
    if (!ctx.member || !isLocale(locale)) {
      await ctx.answerCallbackQuery();
      return;
    }
    await setLanguage(s.domain.db, ctx.member.id, locale);
    ctx.locale = locale;
    // biome-ignore lint/correctness/useHookAtTopLevel: grammY i18n's method, not a React hook
    ctx.i18n.useLocale(locale);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.tr("language-set"), HTML);
  });
  return c;
}

/** Last in the chain: any other command in a private chat. */
export function unknownCommandFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").on("message:entities:bot_command", async (ctx) => {
    await ctx.reply(ctx.tr("unknown-command"), HTML);
  });
  return c;
}
