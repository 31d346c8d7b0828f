/**
 * Member commands sent in a group (`/invite@bot`, or `/invite` where Telegram passes it on):
 * the bot does not answer them there. Codes, links, balances and login links are personal,
 * and a group is no place for them (anyone could use a login link; an invite link posted by
 * the bot for one member would be used by others). The member gets one short answer with a
 * button that opens the private chat, where the same command works.
 */
import { Composer, InlineKeyboard } from "grammy";
import { MEMBER_COMMANDS } from "../commands.ts";
import type { BotContext, BotServices } from "../context.ts";
import { HTML } from "../middleware.ts";

export function groupFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType(["group", "supergroup"]).command(MEMBER_COMMANDS, async (ctx) => {
    const url = `https://t.me/${s.links().botUsername}`;
    await ctx.reply(ctx.tr("group-use-private"), {
      ...HTML,
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
      reply_markup: new InlineKeyboard().url(ctx.t("group-open-private-button"), url),
    });
  });
  return c;
}
