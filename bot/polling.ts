/**
 * Long polling mode (development, or wherever no public URL exists): @grammyjs/runner
 * fetches updates and handles them concurrently (one chat at a time, see bot.ts). Any
 * webhook set earlier is removed first, since Telegram serves getUpdates only without one.
 */
import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Logger } from "../server/logger.ts";
import { ALLOWED_UPDATES } from "./bot.ts";
import type { BotContext } from "./context.ts";

export interface Polling {
  stop(): Promise<void>;
  isRunning(): boolean;
}

export async function startPolling(bot: Bot<BotContext>, logger: Logger): Promise<Polling> {
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  // The runner retries failed fetches itself; say why in our log instead of on stderr.
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (method === "getUpdates" && !signal?.aborted)
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "getUpdates failed",
        );
      throw error;
    }
  });
  const runner: RunnerHandle = run(bot, {
    runner: { fetch: { allowed_updates: ALLOWED_UPDATES, timeout: 30 }, silent: true },
    sink: { concurrency: 100 },
  });
  return {
    isRunning: () => runner.isRunning(),
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
  };
}
