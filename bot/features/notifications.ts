/**
 * `/notifications`: which notifications the member gets (a button per kind turns it on or
 * off) and quiet hours in their time zone. Quiet hours delay notifications until they end,
 * never drop them; a kind turned off is not sent at all.
 *
 *   /notifications quiet 23:00-07:00 [time zone]   quiet hours (the window may wrap midnight)
 *   /notifications quiet off
 *   /notifications tz Europe/Moscow | +3 | UTC-05:30   the member's time zone (default UTC)
 *   /notifications digest daily | window         friends who joined: one message per calendar
 *                                                day (their time zone), or as they come with
 *                                                bursts folded (default: BOT_DIGEST_MODE)
 */
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import {
  clockText,
  DIGEST_MODES,
  type DigestMode,
  MUTABLE_KINDS,
  type NotificationSettings,
  notificationSettings,
  parseClock,
  parseTimeZone,
  toggleNotificationKind,
  updateNotificationSettings,
} from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { HTML } from "../middleware.ts";

const kindKey = (kind: string) => `notifications-kind-${kind.replaceAll("_", "-")}`;

export function notificationsFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  /** The member's digest of friends joining (their choice, else the service's default). */
  const digestOf = (st: NotificationSettings): DigestMode => st.digest ?? s.settings.digestMode;

  const view = (ctx: BotContext, st: NotificationSettings) => {
    const out = [ctx.tr("notifications-title")];
    const rows: ReturnType<typeof InlineKeyboard.text>[][] = [];
    MUTABLE_KINDS.forEach((kind, i) => {
      const on = !st.muted.includes(kind);
      out.push(
        ctx.tr(on ? "notifications-on" : "notifications-off", { kind: ctx.t(kindKey(kind)) }),
      );
      rows.push([InlineKeyboard.text(`${on ? "🔕" : "🔔"} ${ctx.t(kindKey(kind))}`, `nt:${i}`)]);
    });
    out.push("");
    const digest = digestOf(st);
    out.push(ctx.tr(`notifications-digest-${digest}`, { zone: st.timeZone }));
    rows.push([
      InlineKeyboard.text(
        ctx.t(
          digest === "daily"
            ? "notifications-digest-window-button"
            : "notifications-digest-daily-button",
        ),
        "nt:d",
      ),
    ]);
    out.push(
      st.quietFrom !== null && st.quietTo !== null
        ? ctx.tr("notifications-quiet", {
            from: clockText(st.quietFrom),
            to: clockText(st.quietTo),
            zone: st.timeZone,
          })
        : ctx.tr("notifications-quiet-none", { zone: st.timeZone }),
    );
    if (st.quietFrom !== null)
      rows.push([InlineKeyboard.text(ctx.t("notifications-quiet-off-button"), "nt:q")]);
    out.push(ctx.tr("notifications-help"));
    return { text: out.join("\n"), keyboard: InlineKeyboard.from(rows) };
  };

  c.chatType("private").command("notifications", async (ctx) => {
    const member = ctx.member;
    if (!member) return;
    const [sub = "", ...rest] = ctx.match.trim().split(/\s+/);
    const arg = rest.join(" ");
    let notice: string | undefined;
    if (sub.toLowerCase() === "quiet") {
      if (/^off$/i.test(arg)) {
        await updateNotificationSettings(s.domain.db, member.id, {
          quietFrom: null,
          quietTo: null,
        });
        notice = ctx.tr("notifications-quiet-cleared");
      } else {
        const m = /^(\d{1,2}(?::\d{2})?)\s*[-–]\s*(\d{1,2}(?::\d{2})?)(?:\s+(\S+))?$/.exec(arg);
        const from = m ? parseClock(m[1]!) : undefined;
        const to = m ? parseClock(m[2]!) : undefined;
        const zone = m?.[3] === undefined ? undefined : parseTimeZone(m[3]);
        if (from === undefined || to === undefined || from === to || (m?.[3] && !zone)) {
          await ctx.reply(ctx.tr("notifications-quiet-invalid"), HTML);
          return;
        }
        await updateNotificationSettings(s.domain.db, member.id, {
          quietFrom: from,
          quietTo: to,
          ...(zone ? { timeZone: zone } : {}),
        });
        notice = ctx.tr("notifications-saved");
      }
    } else if (sub.toLowerCase() === "tz") {
      const zone = parseTimeZone(arg);
      if (!zone) {
        await ctx.reply(ctx.tr("notifications-tz-invalid", { zone: arg }), HTML);
        return;
      }
      await updateNotificationSettings(s.domain.db, member.id, { timeZone: zone });
      notice = ctx.tr("notifications-saved");
    } else if (sub.toLowerCase() === "digest") {
      const mode = DIGEST_MODES.find((m) => m === arg.trim().toLowerCase());
      if (!mode) {
        await ctx.reply(ctx.tr("notifications-digest-invalid"), HTML);
        return;
      }
      await updateNotificationSettings(s.domain.db, member.id, { digest: mode });
      notice = ctx.tr("notifications-saved");
    } else if (sub !== "") {
      await ctx.reply(ctx.tr("notifications-help"), HTML);
      return;
    }
    const v = view(ctx, await notificationSettings(s.domain.db, member.id));
    await ctx.reply(notice ? `${notice}\n\n${v.text}` : v.text, {
      ...HTML,
      reply_markup: v.keyboard,
    });
  });

  c.callbackQuery(/^nt:(\d{1,2}|q|d)$/, async (ctx) => {
    const member = ctx.member;
    const code = ctx.match[1]!;
    const kind = code === "q" || code === "d" ? undefined : MUTABLE_KINDS[Number(code)];
    if (!member || (code !== "q" && code !== "d" && kind === undefined)) {
      await ctx.answerCallbackQuery({ text: ctx.t("notifications-gone"), show_alert: true });
      return;
    }
    const st = kind
      ? await toggleNotificationKind(s.domain.db, member.id, kind)
      : code === "d"
        ? await updateNotificationSettings(s.domain.db, member.id, {
            digest:
              digestOf(await notificationSettings(s.domain.db, member.id)) === "daily"
                ? "window"
                : "daily",
          })
        : await updateNotificationSettings(s.domain.db, member.id, {
            quietFrom: null,
            quietTo: null,
          });
    await ctx.answerCallbackQuery({ text: ctx.t("notifications-saved") });
    const v = view(ctx, st);
    try {
      await ctx.editMessageText(v.text, { ...HTML, reply_markup: v.keyboard });
    } catch (error) {
      if (!(error instanceof GrammyError && /message is not modified/.test(error.description)))
        throw error;
    }
  });
  return c;
}
