/**
 * `createBot(deps)`: the grammY bot with every feature, not yet connected to Telegram.
 *
 * Middleware order: in-flight tracking → error boundary { per-chat sequencing → commands
 * lower-cased (`/Start` is `/start`) → the member (created on first sight) and their locale →
 * i18n → banned stop → one Composer per feature in bot/features/ }. The same bot runs in long
 * polling (polling.ts) and webhook mode (webhook.ts). Outgoing calls of replies retry on 429
 * `retry_after` (bot/throttle.ts); bulk sends go through a second API with a throttler as
 * well.
 *
 * Why replies are not throttled: a reply answers a member who just wrote, in their own chat,
 * so it stays within Telegram's one message a second per chat by itself, and a global
 * throttle at ~30/s would cap the whole bot at 30 updates a second (thousands of new
 * members after a viral post each wait for their welcome). Telegram's overall limit is
 * enforced by it with 429 `retry_after`, which our retry transformer (bot/throttle.ts) honours. Bulk sends
 * (notifications, broadcasts) are the traffic we generate ourselves, to many chats at
 * once: only they go through `bulkApi`, paced to `BOT_BULK_PER_SECOND` overall and one
 * message a second per chat.
 */
import type { I18n } from "@grammyjs/i18n";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type BotError, GrammyError } from "grammy";
import type { BotCommand, UserFromGetMe } from "grammy/types";
import type { ChainReads } from "../server/chain/driver.ts";
import type { Config } from "../server/config.ts";
import {
  type DomainContext,
  type LinkSettings,
  roleHolderTelegramIds,
} from "../server/domain/index.ts";
import type { Logger } from "../server/logger.ts";
import { asAnswer } from "./answer.ts";
import { ADMIN_COMMANDS, MEMBER_COMMANDS } from "./commands.ts";
import { type BotSettings, loadBotSettings } from "./config.ts";
import type { BotContext, BotServices } from "./context.ts";
import { buttonUrlAllowed } from "./dashboard.ts";
import { accountFeature } from "./features/account.ts";
import { type AdminHooks, adminFeature } from "./features/admin.ts";
import { balanceFeature } from "./features/balance.ts";
import { campaignsFeature } from "./features/campaigns.ts";
import { challengesFeature } from "./features/challenges.ts";
import { complianceFeature } from "./features/compliance.ts";
import { groupFeature } from "./features/group.ts";
import { helpFeature, unknownCommandFeature } from "./features/help.ts";
import { inviteFeature } from "./features/invite.ts";
import { notificationsFeature } from "./features/notifications.ts";
import { referralsFeature } from "./features/referrals.ts";
import { rewardsFeature } from "./features/rewards.ts";
import { rulesFeature } from "./features/rules.ts";
import { shopFeature } from "./features/shop.ts";
import { startFeature } from "./features/start.ts";
import { statsFeature } from "./features/stats.ts";
import { surveysFeature } from "./features/surveys.ts";
import { topFeature } from "./features/top.ts";
import { explorer } from "./format.ts";
import { createTranslator, LOCALES, type Locale, type Translator } from "./i18n.ts";
import { attributionBatcher, loginTokenIssuer, memberLoader } from "./members.ts";
import type { BotMetrics } from "./metrics.ts";
import { loadMember, lowerCaseCommands, stopBanned, translateHelper } from "./middleware.ts";
import {
  realScheduler,
  retrying,
  type Scheduler,
  type Slot,
  Throttle,
  throttled,
} from "./throttle.ts";

/**
 * The update types the bot asks Telegram for: `chat_member` (joins and leaves in chats where
 * the bot is an admin, for `join_chat` challenges; Telegram sends it only when asked) and
 * `poll_answer` (votes in the native polls of surveys).
 */
export const ALLOWED_UPDATES = [
  "message",
  "callback_query",
  "inline_query",
  "chat_member",
  "poll_answer",
] as const;

export interface BotDeps {
  config: Config;
  logger: Logger;
  domain: DomainContext;
  /** On-chain reads (balances, escrow claims); absent without `RPC_URL`. */
  chain?: ChainReads;
  /** The bot's own settings; read from the environment when absent. */
  settings?: BotSettings;
  /** Skips `getMe` when the bot's identity is known (benchmarks, tests). */
  botInfo?: UserFromGetMe;
  hooks?: Partial<AdminHooks>;
  /**
   * Pacing of bulk sends: overall per second (default `settings.bulkPerSecond`) and the
   * shortest interval between two to one chat (default 1000 ms, Telegram's limit).
   */
  bulkThrottle?: BulkThrottleOptions;
  /** The clock retries and the throttler wait on (tests pass a virtual one). */
  scheduler?: Scheduler;
  metrics?: BotMetrics;
}

export interface BulkThrottleOptions {
  perSecond?: number;
  perChatMs?: number;
  /** Called with every bulk call's place in the schedule (tests). */
  onSlot?(slot: Slot): void;
}

export interface RefmintBot {
  bot: Bot<BotContext>;
  services: BotServices;
  translator: Translator & { readonly i18n: I18n<BotContext> };
  /** Updates being handled right now. */
  inflight(): number;
  /** Resolves once no update is being handled. */
  idle(): Promise<void>;
  /** `getMe` (once), then warns when BOT_USERNAME names another bot. */
  init(signal?: AbortSignal): Promise<void>;
  /** Localized command menus (and, in Mini App mode, the menu button). */
  publishCommands(): Promise<void>;
}

export function createBot(deps: BotDeps): RefmintBot {
  const { config, logger } = deps;
  const settings = deps.settings ?? loadBotSettings(process.env, config);
  const apiOptions = { apiRoot: config.telegram.apiRoot };
  const bot = new Bot<BotContext>(config.telegram.botToken, {
    client: apiOptions,
    botInfo: deps.botInfo,
  });
  const scheduler = deps.scheduler ?? realScheduler;
  // A reply that hits 429 waits `retry_after` and tries again (a few times, never for long);
  // a 5xx or a network error is tried again after 3 s, 6 s, 12 s.
  bot.api.config.use(retrying({ retries: 3, maxDelaySeconds: 60, serverErrors: true, scheduler }));

  const bulkApi = new Api(config.telegram.botToken, apiOptions);
  const bulkThrottle = new Throttle({
    perSecond: deps.bulkThrottle?.perSecond ?? settings.bulkPerSecond,
    perChatMs: deps.bulkThrottle?.perChatMs ?? 1000,
    scheduler,
    onSlot: deps.bulkThrottle?.onSlot,
  });
  // The retries wrap the throttler (the last transformer is the outermost): they are paced
  // too. Only 429s are retried here; 5xx and network errors go back to the durable queue's
  // own backoff (sender.ts) or the broadcaster's, which do not hold a place meanwhile.
  bulkApi.config.use(
    throttled(bulkThrottle),
    retrying({ retries: 3, maxDelaySeconds: 60, serverErrors: false, scheduler }),
  );

  const translator = createTranslator<BotContext>((key, locales) =>
    logger.error({ key, locales }, "missing translation"),
  );
  const services: BotServices = {
    config,
    settings,
    logger,
    domain: deps.domain,
    chain: deps.chain,
    translator,
    explorer: explorer(settings.explorerUrl),
    links: (): LinkSettings => ({
      botUsername: bot.isInited() ? bot.botInfo.username : config.telegram.botUsername,
      miniAppShortName: config.telegram.miniAppShortName,
      publicUrl: config.http.publicUrl,
    }),
    isSuperAdmin: (id) => config.admin.telegramIds.has(id),
    bulkApi,
    bulkThrottle,
    scheduler,
    members: memberLoader(deps.domain),
    attributions: attributionBatcher(deps.domain),
    loginTokens: loginTokenIssuer(deps.domain),
  };

  let active = 0;
  let idleWaiters: Array<() => void> = [];
  bot.use(async (_ctx, next) => {
    active++;
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      deps.metrics?.updates.inc({ outcome: "handled" });
      deps.metrics?.updateSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      active--;
      if (active === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  });

  const safe = bot.errorBoundary(async (err) => {
    deps.metrics?.updates.inc({ outcome: "error" });
    await onError(err, translator, logger);
  });
  // Updates of one chat run one after another (a double tap is not two /start at once).
  safe.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));
  safe.use(lowerCaseCommands);
  safe.use(loadMember(services));
  safe.use(translator.i18n.middleware());
  safe.use(translateHelper);
  safe.use(stopBanned);
  safe.use(
    groupFeature(services),
    startFeature(services),
    inviteFeature(services),
    statsFeature(services),
    referralsFeature(services),
    notificationsFeature(services),
    campaignsFeature(services),
    topFeature(services),
    challengesFeature(services),
    balanceFeature(services),
    accountFeature(services),
    rewardsFeature(services),
    shopFeature(services),
    rulesFeature(services),
    helpFeature(services),
    adminFeature(services, { broadcastStarted: () => deps.hooks?.broadcastStarted?.() }),
    complianceFeature(services),
    // After the admin guard (admin.ts), which lets only admins' /survey and /vote through.
    surveysFeature(services),
    unknownCommandFeature(),
  );
  // A last net: the boundary above catches everything a feature throws.
  bot.catch((err) =>
    logger.error({ err: describe(err.error), update: err.ctx.update.update_id }, "bot error"),
  );

  const commands = (locale: Locale, names: string[]): BotCommand[] =>
    names.map((command) => ({
      command,
      description: translator.t(locale, `cmd-${command}`),
    }));

  return {
    bot,
    services,
    translator,
    inflight: () => active,
    idle: () =>
      active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    init: async (signal) => {
      // grammY types its own AbortSignal shim; Node's is what it gets at runtime.
      await bot.init(signal as unknown as Parameters<typeof bot.init>[0]);
      if (bot.botInfo.username.toLowerCase() !== config.telegram.botUsername.toLowerCase()) {
        logger.warn(
          { botUsername: bot.botInfo.username, configured: config.telegram.botUsername },
          "BOT_USERNAME names another bot: Mini App links and the API's deep links will be wrong",
        );
      }
    },
    publishCommands: async () => {
      // Super-admins and everyone holding a campaign role get the admin commands in their chat.
      const admins = new Set([
        ...config.admin.telegramIds,
        ...(await roleHolderTelegramIds(deps.domain.db)),
      ]);
      for (const locale of LOCALES) {
        const language_code = locale === "en" ? undefined : locale;
        await bot.api.setMyCommands(commands(locale, MEMBER_COMMANDS), { language_code });
        for (const id of admins) {
          await bot.api
            .setMyCommands(commands(locale, [...MEMBER_COMMANDS, ...ADMIN_COMMANDS]), {
              scope: { type: "chat", chat_id: id },
              language_code,
            })
            // An admin who never opened the bot has no chat yet; they get it on a later start.
            .catch((error: unknown) =>
              logger.debug({ err: describe(error) }, "admin commands not set"),
            );
        }
      }
      const url = config.dashboard.url;
      if (config.dashboard.mode === "miniapp") {
        if (buttonUrlAllowed(url, true))
          await bot.api.setChatMenuButton({
            menu_button: {
              type: "web_app",
              text: translator.t("en", "menu-button"),
              web_app: { url },
            },
          });
        else logger.warn({ url }, "DASHBOARD_URL is not public HTTPS: no Mini App menu button");
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

/** Logs the error and tells the member, politely and in their language, that it failed. */
async function onError(err: BotError<BotContext>, translator: Translator, logger: Logger) {
  const ctx = err.ctx;
  logger.error(
    {
      err: describe(err.error),
      stack:
        err.error instanceof Error
          ? err.error.stack?.split("\n").slice(0, 6).join("\n")
          : undefined,
      update: ctx.update.update_id,
      member: ctx.member?.id,
    },
    "update failed",
  );
  // Telegram throttles this chat (a `retry_after` too long to wait out): another message
  // to it would be refused the same way and only prolong the flood wait.
  const flooded = err.error instanceof GrammyError && err.error.error_code === 429;
  const text = translator.t(ctx.locale ?? "en", "error-generic");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat?.type === "private" && !flooded) await asAnswer(() => ctx.reply(text));
  } catch (error) {
    logger.warn({ err: describe(error) }, "could not tell the member about the error");
  }
}
