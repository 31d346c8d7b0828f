/**
 * `refmint(options)`: Refmint's member features as a grammY Composer for a bot that already
 * exists. It talks to a Refmint server over its host API with one campaign's API key:
 *
 * - `/start <payload>` (private chats): a payload `<code>__<campaign>` naming this campaign
 *   (what the links of `/invite` carry) is attributed; the outcome is on `ctx.refmint.start`,
 *   the member is greeted with `texts.attributed` when it counted, and the host's own
 *   `/start` handlers run after it whatever happened (the plugin never swallows `/start`).
 *   Other payloads are left alone (bare codes too, unless `bareCodes` is set).
 * - `/invite`: the member's code and the host bot's link, with a share button.
 * - `/stats`: referrals per level, tier, rewards.
 * - `ctx.refmint`: the client, this update's attribution, the member's status, and
 *   `reportAction(type, eventId)` for the host's qualifying actions (a purchase, …).
 *
 * Refmint being unreachable never breaks the host bot: `/start` goes on to the host's
 * handlers (the error goes to `onError`), `/invite` and `/stats` answer `texts.unavailable`.
 */
import { Composer, type Context, InlineKeyboard } from "grammy";
import {
  type ActionResult,
  type MemberStatus,
  RefmintClient,
  type RefmintClientOptions,
  type StartResult,
} from "./client.ts";
import { fill, type RefmintTexts, type TextOverrides, textsFor } from "./texts.ts";

export interface RefmintOptions<C extends Context = Context> extends RefmintClientOptions {
  /** Text overrides per language (`en`, `ru`, or another language the host adds). */
  texts?: TextOverrides;
  /** The member's language; default: Telegram's `language_code` (`ru…` → ru, else en). */
  language?: (ctx: C) => string | undefined;
  /** Command names, or `false` to leave a command to the host; default `invite` and `stats`. */
  commands?: { invite?: string | false; stats?: string | false };
  /** Also attribute bare codes (links without `__<campaign>`, e.g. from Refmint's own bot). */
  bareCodes?: boolean;
  /** Where failures to reach Refmint go; default `console.error`. */
  onError?: (error: unknown, ctx: C) => void;
  /** A client to use instead of one built from the options (tests, several composers). */
  client?: RefmintClient;
}

/** What the plugin adds to the context. */
export interface RefmintControl {
  readonly client: RefmintClient;
  /** The attribution of this update's `/start` payload, when the plugin made one. */
  start?: StartResult;
  /** The texts in the member's language. */
  readonly texts: RefmintTexts;
  /** The sender's status in the campaign (the member is created on first sight). */
  status(): Promise<MemberStatus>;
  /** Reports a qualifying action of the sender; the same `eventId` is processed once. */
  reportAction(type: string, eventId: string): Promise<ActionResult>;
}

export interface RefmintFlavor {
  refmint: RefmintControl;
}

/** Same shapes as Refmint's codes (`[A-Za-z0-9_-]{3,64}`) and campaign slugs. */
const CODE_RE = /^[A-Za-z0-9_-]{3,64}$/;
const SEPARATOR = "__";

/** Whether a `/start` payload is a Refmint link of `campaign` (see {@link RefmintOptions.bareCodes}). */
export function isRefmintPayload(payload: string, campaign: string, bareCodes = false): boolean {
  if (!CODE_RE.test(payload)) return false;
  const at = payload.lastIndexOf(SEPARATOR);
  if (at <= 0) return bareCodes;
  return payload.slice(at + SEPARATOR.length).toLowerCase() === campaign;
}

const multiplier = (bps: number) => `×${Number((bps / 10_000).toFixed(2))}`;

export function refmint<C extends Context = Context>(
  options: RefmintOptions<C>,
): Composer<C & RefmintFlavor> {
  const client = options.client ?? new RefmintClient(options);
  const overrides = options.texts ?? {};
  const onError =
    options.onError ??
    ((error: unknown) => console.error("@refmint/grammy: Refmint request failed:", error));
  const languageOf = (ctx: C): string => {
    const chosen = options.language?.(ctx);
    if (chosen !== undefined) return chosen;
    const code = ctx.from?.language_code?.toLowerCase() ?? "";
    if (code.startsWith("ru")) return "ru";
    const base = code.split("-")[0] ?? "";
    return base !== "" && overrides[base] !== undefined ? base : "en";
  };
  const bot = (ctx: Context) => ctx.me.username;

  type Ctx = C & RefmintFlavor;
  const composer = new Composer<Ctx>();

  composer.use((ctx, next) => {
    const texts = textsFor(languageOf(ctx), overrides);
    const from = () => {
      if (!ctx.from) throw new TypeError("this update has no sender");
      return ctx.from;
    };
    ctx.refmint = {
      client,
      texts,
      status: () => client.member(from(), bot(ctx)),
      reportAction: (type, eventId) =>
        client.reportAction({ telegramUserId: from().id, type, eventId }),
    };
    return next();
  });

  const privateChats = composer.chatType("private");

  privateChats.command("start", async (ctx, next) => {
    const payload = ctx.match.trim();
    if (
      !ctx.from.is_bot &&
      isRefmintPayload(payload, client.campaign, options.bareCodes === true)
    ) {
      try {
        const result = await client.start(ctx.from, payload);
        ctx.refmint.start = result;
        const text = ctx.refmint.texts.attributed;
        if (result.outcome === "attributed" && !result.replayed && text !== "")
          await ctx.reply(fill(text, { inviter: result.inviter ?? "—" }));
      } catch (error) {
        onError(error, ctx);
      }
    }
    // The host's own /start runs in every case.
    await next();
  });

  const inviteCommand = options.commands?.invite ?? "invite";
  if (inviteCommand !== false)
    privateChats.command(inviteCommand, async (ctx) => {
      const t = ctx.refmint.texts;
      const status = await statusOrExplain(ctx, onError);
      if (!status) return;
      const campaign = nameIn(status, languageOf(ctx));
      const link =
        status.member.link ?? `https://t.me/${bot(ctx)}?start=${status.member.startPayload}`;
      const share = `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(
        fill(t.shareText, { campaign }),
      )}`;
      await ctx.reply(fill(t.invite, { campaign, code: status.member.code, link }), {
        reply_markup: new InlineKeyboard().url(t.shareButton, share),
        link_preview_options: { is_disabled: true },
      });
    });

  const statsCommand = options.commands?.stats ?? "stats";
  if (statsCommand !== false)
    privateChats.command(statsCommand, async (ctx) => {
      const t = ctx.refmint.texts;
      const status = await statusOrExplain(ctx, onError);
      if (!status) return;
      const language = languageOf(ctx);
      const tierName = (n: { en: string; ru: string }) => (language === "ru" ? n.ru : n.en);
      const lines = [
        fill(t.statsTitle, { campaign: nameIn(status, language) }),
        fill(t.statsLink, { clicks: status.member.clicks, starts: status.member.starts }),
      ];
      const levels = status.levels.filter(
        (l) => l.pending + l.review + l.qualified + l.rejected > 0,
      );
      if (levels.length === 0) lines.push(t.statsNone);
      for (const l of levels)
        lines.push(
          fill(t.statsLevel, {
            level: l.level,
            qualified: l.qualified,
            pending: l.pending,
            review: l.review,
          }),
        );
      const { tier } = status;
      lines.push(
        fill(t.statsTier, {
          tier: tierName(tier.current.name),
          multiplier: multiplier(tier.current.multiplierBps),
        }),
      );
      lines.push(
        tier.next && tier.toNext !== null
          ? fill(t.statsNextTier, {
              next: tierName(tier.next.name),
              left: tier.toNext,
              multiplier: multiplier(tier.next.multiplierBps),
            })
          : t.statsTopTier,
      );
      for (const r of status.rewards)
        if (r.earned.wei !== "0")
          lines.push(fill(t.statsReward, { amount: r.earned.tokens, token: r.token }));
      if (status.eligibility.missing?.length) lines.push("", t.needsSomething);
      await ctx.reply(lines.join("\n"));
    });

  return composer;
}

const nameIn = (s: MemberStatus, language: string) =>
  language === "ru" ? s.campaign.name.ru : s.campaign.name.en;

/**
 * The sender's status for `/invite` and `/stats`, or `undefined` after telling them why
 * there is none (Refmint unreachable, banned or excluded, campaign not running).
 */
async function statusOrExplain<C extends Context & RefmintFlavor>(
  ctx: C,
  onError: (error: unknown, ctx: C) => void,
): Promise<MemberStatus | undefined> {
  const t = ctx.refmint.texts;
  let status: MemberStatus;
  try {
    status = await ctx.refmint.status();
  } catch (error) {
    onError(error, ctx);
    await ctx.reply(t.unavailable);
    return undefined;
  }
  if (status.member.banned || status.eligibility.refused !== undefined) {
    await ctx.reply(t.notAllowed);
    return undefined;
  }
  if (!status.campaign.active) {
    await ctx.reply(t.inactive);
    return undefined;
  }
  return status;
}
