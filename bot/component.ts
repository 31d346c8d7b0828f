/**
 * The bot component (see server/component.ts): the Telegram bot beside the API.
 *
 * - No `BOT_TOKEN` (or `BOT_MODE=off`): nothing runs; the log and the `npm run dev` banner
 *   say how to turn it on.
 * - `BOT_WEBHOOK_URL` set: webhook mode. The router is mounted at the URL's path; at start
 *   the bot learns who it is (`getMe`), then registers the webhook with its secret.
 * - Otherwise long polling with @grammyjs/runner.
 *
 * In both modes the notification sender drains the queue, the broadcaster resumes running
 * broadcasts, and a periodic job queues expiry notices, stops the polls of closed surveys
 * and tidies the bot's tables. `stop()`
 * (on SIGINT/SIGTERM via the service) stops taking updates, lets the ones in hand finish,
 * then stops the sender and the broadcaster.
 */

import { GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { EvmDriver } from "../server/chain/evm/driver.ts";
import type { Component, ComponentDeps, ComponentFactory } from "../server/component.ts";
import { purgePrompts, queueExpiryNotices } from "../server/domain/index.ts";
import { type LoopJob, loopJob } from "../server/loop.ts";
import { sendAdminAlerts } from "./adminAlerts.ts";
import { ALLOWED_UPDATES, type BulkThrottleOptions, createBot, type RefmintBot } from "./bot.ts";
import { type Broadcaster, createBroadcaster } from "./broadcast.ts";
import { loadBotSettings } from "./config.ts";
import { pruneUpdates } from "./inbox.ts";
import { createBotMetrics } from "./metrics.ts";
import { createNotificationSender, type NotificationSender } from "./notifications/sender.ts";
import { type Polling, startPolling } from "./polling.ts";
import { stopClosedPolls } from "./surveyPolls.ts";
import type { Scheduler } from "./throttle.ts";
import { createWebhook, type Webhook } from "./webhook.ts";

export interface BotComponent extends Component {
  refmint?: RefmintBot;
  webhook?: Webhook;
  sender?: NotificationSender;
  broadcaster?: Broadcaster;
  /** The periodic job, once: expiry notices, inbox recovery and clean-up (tests). */
  runJobs?(): Promise<void>;
  /** Resolves once start-up has connected to Telegram (or given up). */
  ready?(): Promise<void>;
}

export interface BotComponentOptions {
  /** Skip `getMe` (benchmarks). */
  botInfo?: UserFromGetMe;
  /** Pacing of bulk sends (tests; production uses Telegram's limits). */
  bulkThrottle?: BulkThrottleOptions;
  /** The clock of retries, throttling and broadcasts (tests pass a virtual one). */
  scheduler?: Scheduler;
}

const NO_TOKEN =
  "bot off: BOT_TOKEN is not set. Create a bot with @BotFather (/newbot), then run " +
  "BOT_TOKEN=<token> BOT_USERNAME=<its username> npm run dev (or npm start)";

/** Telegram refused the token: retrying cannot help. */
const fatal = (error: unknown) =>
  error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);

export async function createBotComponent(
  deps: ComponentDeps,
  options: BotComponentOptions = {},
): Promise<BotComponent> {
  const { config, logger, runtime } = deps;
  const settings = loadBotSettings(deps.env, config);
  for (const w of settings.warnings) logger.warn({ variable: w.variable }, w.message);
  if (settings.mode === "off") {
    const why = settings.offReason === "no_token" ? NO_TOKEN : "bot off: BOT_MODE=off";
    // Info, not a warning: `npm run dev` (logging warnings only) prints it once, as text, in
    // its banner; `npm start` logs it at the default level.
    logger.info(why);
    return { name: "bot", banner: () => [why] };
  }

  const metrics = createBotMetrics(deps.metrics.registry);
  let broadcaster: Broadcaster | undefined;
  let sender: NotificationSender | undefined;
  const refmint = createBot({
    config,
    logger,
    domain: runtime.domain,
    chain:
      runtime.publicClient &&
      new EvmDriver({ client: runtime.publicClient, chainId: config.chain.chainId }),
    settings,
    metrics,
    botInfo: options.botInfo,
    bulkThrottle: options.bulkThrottle,
    scheduler: options.scheduler,
    hooks: { broadcastStarted: () => broadcaster?.nudge() },
  });
  const { bot, services } = refmint;
  const db = runtime.domain.db;
  sender = createNotificationSender({
    db,
    campaigns: runtime.domain.campaigns,
    translator: refmint.translator,
    explorer: services.explorer,
    api: services.bulkApi,
    logger,
    pollMs: settings.queuePollMs,
    digestMinutes: settings.digestMinutes,
    digestMode: settings.digestMode,
    onOutcome: (kind, outcome) => metrics.notifications.inc({ kind, outcome }),
  });
  broadcaster = createBroadcaster({
    db,
    api: services.bulkApi,
    translator: refmint.translator,
    logger,
    pollMs: settings.queuePollMs * 5,
    scheduler: services.scheduler,
    now: () => runtime.domain.now(),
  });
  const webhook =
    settings.webhook === undefined
      ? undefined
      : createWebhook({
          bot,
          db,
          secret: settings.webhook.secret,
          concurrency: settings.webhook.concurrency,
          answer: settings.webhook.answer,
          logger,
          metrics,
        });

  let polling: Polling | undefined;
  let jobs: LoopJob | undefined;
  let stopped = false;
  let connected = false;
  const abort = new AbortController();

  const runJobs = async () => {
    const queued = await queueExpiryNotices(db, runtime.domain.now(), settings.expiryNoticeDays);
    if (queued > 0) sender?.nudge();
    if (connected) await webhook?.recover();
    // Closed surveys (by an admin, through the API, or at their closing time): stop their polls.
    if (connected) await stopClosedPolls({ domain: runtime.domain, api: services.bulkApi, logger });
    await pruneUpdates(db);
    await purgePrompts(db);
    if (connected)
      await sendAdminAlerts({
        domain: runtime.domain,
        api: services.bulkApi,
        translator: refmint.translator,
        superAdminTelegramIds: config.admin.telegramIds,
        logger,
      });
  };

  const connect = async () => {
    await refmint.init(abort.signal);
    await refmint.publishCommands().catch((error: unknown) => {
      if (fatal(error)) throw error;
      logger.warn({ err: String(error) }, "bot commands not published");
    });
    if (stopped) return;
    if (webhook && settings.webhook) {
      webhook.open();
      await bot.api.setWebhook(settings.webhook.url, {
        secret_token: settings.webhook.secret,
        allowed_updates: ALLOWED_UPDATES,
        max_connections: settings.webhook.maxConnections,
        drop_pending_updates: false,
      });
      await webhook.recover();
    } else {
      polling = await startPolling(bot, logger);
    }
    connected = true;
    sender?.start();
    broadcaster?.start();
    logger.info(
      { bot: bot.botInfo.username, mode: settings.mode, dashboard: config.dashboard.mode },
      "telegram bot running",
    );
  };

  let starting: Promise<void> | undefined;
  return {
    name: "bot",
    routers:
      webhook && settings.webhook
        ? [{ path: settings.webhook.path, router: webhook.router, ipRateLimit: false }]
        : [],
    refmint,
    webhook,
    sender,
    broadcaster,
    runJobs,
    ready: () => starting ?? Promise.resolve(),
    start: async () => {
      // Telegram being unreachable must not keep the API from running: retry in the background.
      starting = (async () => {
        for (let delay = 1000; !stopped; delay = Math.min(delay * 2, 60_000)) {
          try {
            await connect();
            return;
          } catch (error) {
            if (stopped) return;
            if (fatal(error)) {
              logger.error({ err: String(error) }, "Telegram refused BOT_TOKEN: the bot is off");
              return;
            }
            logger.warn({ err: String(error), retryInMs: delay }, "bot could not reach Telegram");
            // Shutdown must not wait out the back-off.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, delay);
              abort.signal.addEventListener("abort", () => {
                clearTimeout(timer);
                resolve();
              });
            });
          }
        }
      })();
      await Promise.race([starting, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (config.jobsIntervalSeconds > 0) {
        jobs = loopJob({
          pass: runJobs,
          intervalMs: config.jobsIntervalSeconds * 1000,
          firstDelayMs: config.jobsIntervalSeconds * 1000,
          keepAlive: false,
          onError: (error) => logger.error({ err: String(error) }, "bot jobs failed"),
        });
        jobs.start();
      }
    },
    stop: async () => {
      stopped = true;
      abort.abort();
      const jobsStopped = jobs?.stop();
      await starting?.catch(() => {});
      await polling?.stop();
      await webhook?.close();
      await refmint.idle();
      await sender?.stop();
      await broadcaster?.stop();
      await jobsStopped;
    },
    banner: () => {
      const who = bot.isInited() ? `@${bot.botInfo.username}` : "the bot";
      const how =
        settings.mode === "webhook"
          ? `${who}: webhook ${settings.webhook?.url}`
          : `${who}: long polling ${config.telegram.apiRoot}`;
      const dashboard =
        config.dashboard.mode === "miniapp"
          ? `dashboard: Mini App ${config.dashboard.url}`
          : `dashboard: website ${config.dashboard.url} (members get login links from the bot)`;
      return [how, dashboard];
    },
  };
}

export const botComponent: ComponentFactory = (deps) => createBotComponent(deps);
