/**
 * The real bot component, over a test database, talking to a {@link FakeTelegram} through
 * `TELEGRAM_API_ROOT`, in polling or webhook mode (the webhook router mounted on the real
 * API app on an ephemeral port). `send` delivers an update the way the mode receives it and
 * waits until the bot has handled it.
 */
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import { count, eq } from "drizzle-orm";
import type { Message, Update } from "grammy/types";
import type { PublicClient } from "viem";
import { type BotComponent, createBotComponent } from "../../../bot/component.ts";
import type { Scheduler, Slot } from "../../../bot/throttle.ts";
import type { Config, Environment } from "../../../server/config.ts";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import { notifications } from "../../../server/db/schema.ts";
import type { CampaignDefinition } from "../../../server/domain/campaign.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { createAccess } from "../../../server/http/access.ts";
import { createApp } from "../../../server/http/app.ts";
import { createMetrics } from "../../../server/http/metrics.ts";
import { createLogger } from "../../../server/logger.ts";
import { TEST_ADMIN_TELEGRAM_ID, testConfig } from "../../support/app.ts";
import { testClock } from "../../support/clock.ts";
import { useDatabase } from "../../support/db.ts";
import { type TestDomain, testDomain } from "../../support/domain.ts";
import { TEST_BOT_TOKEN } from "../../support/telegram.ts";
import { FakeTelegram, type RecordedCall, type TestUser } from "./fakeTelegram.ts";

export const WEBHOOK_SECRET = "webhook-secret-for-tests_0123456789";
export const WEBHOOK_PATH = "/telegram/webhook";
export const ADMIN_ID = TEST_ADMIN_TELEGRAM_ID;

/**
 * For tests whose assertions do not depend on the database (texts, buttons, HTTP status):
 * one run on PGlite. Everything the database decides runs on both kinds (`withDatabases`).
 */
export function onPglite(body: (db: DatabaseHandle) => Promise<void>): Promise<void> {
  // biome-ignore lint/correctness/useHookAtTopLevel: the test harness's function, not a React hook
  return useDatabase("pglite", body);
}

export interface BotHarness extends TestDomain {
  fake: FakeTelegram;
  db: DatabaseHandle;
  config: Config;
  component: BotComponent;
  /** The API's base URL (webhook mode). */
  url?: string;
  /** Where Telegram would post updates (webhook mode). */
  webhookUrl?: string;
  user(id: number, language?: "en" | "ru" | "de", firstName?: string): TestUser;
  /** Delivers an update and waits until the bot handled it; returns the calls it caused. */
  send(update: Update): Promise<RecordedCall[]>;
  /** `send` of a text message from `user`. */
  say(user: TestUser, text: string): Promise<RecordedCall[]>;
  /** Every bulk call's place in the throttler's schedule, in the order they got it. */
  slots: Slot[];
  /** Waits until the notification queue has nothing pending (sent, skipped or failed). */
  queueSettled(timeoutMs?: number): Promise<void>;
  /** The bot's last message to a chat (for buttons and replies). */
  lastMessageTo(chatId: number): Message;
  stop(): Promise<void>;
}

export interface BotHarnessOptions {
  mode: "polling" | "webhook";
  campaigns?: CampaignDefinition[];
  env?: Environment;
  publicClient?: PublicClient;
  /** Load the campaigns' deployments from here (chain id 31337). */
  deploymentsDir?: string;
  /** Start the component's notification sender and broadcaster loops (default true). */
  loops?: boolean;
  /**
   * Bulk-send pacing. Default: Telegram's overall rate but 50 ms per chat instead of 1 s, so
   * tests do not wait; the test of the pacing itself passes `{}` for the real limits.
   */
  throttle?: { perSecond?: number; perChatMs?: number };
  /** The clock of the bot's waits (retries, throttling, broadcasts); default: real time. */
  scheduler?: Scheduler;
  /** Runs before the component starts (e.g. to leave what a crashed run would have left). */
  beforeStart?(h: { fake: FakeTelegram; db: DatabaseHandle }): Promise<void>;
}

export async function startBotHarness(
  t: TestContext,
  db: DatabaseHandle,
  opts: BotHarnessOptions,
): Promise<BotHarness> {
  const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
  const env: Environment = {
    TELEGRAM_API_ROOT: fake.apiRoot,
    BOT_MODE: opts.mode,
    BOT_WEBHOOK_URL: `https://bot.refmint.test${WEBHOOK_PATH}`,
    BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BOT_QUEUE_POLL_MS: "50",
    // No digest window: a test's "friend joined" goes out at once (bursts still fold);
    // test/bot/honest.test.ts sets its own to test digests.
    BOT_DIGEST_MINUTES: "0",
    JOBS_INTERVAL_SECONDS: "0",
    ...opts.env,
  };
  const config = testConfig(env);
  const logger = createLogger(config.log.level);
  const domain = await testDomain(db, { campaigns: opts.campaigns, clock: testClock(new Date()) });
  // The domain's clock is the real one: init data, expiry and the queue all use wall time.
  domain.ctx.now = () => new Date();
  if (opts.deploymentsDir)
    domain.ctx.campaigns = await syncDefinitions(db.db, opts.campaigns ?? [], {
      deploymentsDir: opts.deploymentsDir,
      chainId: 31337,
    });
  const metrics = createMetrics({ defaultMetrics: false });
  const slots: Slot[] = [];
  const component = await createBotComponent(
    {
      config,
      logger,
      metrics,
      env,
      access: createAccess(config, domain.ctx),
      runtime: {
        database: db,
        domain: domain.ctx,
        publicClient: opts.publicClient,
        close: async () => {},
      },
    },
    {
      bulkThrottle: { ...(opts.throttle ?? { perChatMs: 50 }), onSlot: (s) => slots.push(s) },
      scheduler: opts.scheduler,
    },
  );
  let server: import("node:http").Server | undefined;
  let url: string | undefined;
  if (opts.mode === "webhook") {
    const app = createApp({
      config,
      logger,
      database: db,
      domain: domain.ctx,
      metrics,
      routers: component.routers,
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server!.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  if (opts.loops === false) {
    // Tests that drive the queue by hand: keep the loops from racing them.
    component.sender!.start = () => {};
    component.broadcaster!.start = () => {};
  }
  await opts.beforeStart?.({ fake, db });
  await component.start?.({ server: server!, baseUrl: url ?? "" });
  await component.ready?.();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await component.stop?.();
    if (server) {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        server!.closeAllConnections();
      });
    }
    await fake.close();
  };
  t.after(stop);

  const webhookUrl = url ? `${url}${WEBHOOK_PATH}` : undefined;
  const send = async (update: Update) => {
    const before = fake.calls.length;
    if (opts.mode === "webhook") {
      const res = await fake.deliver(webhookUrl!, update, WEBHOOK_SECRET);
      if (res.status !== 200)
        throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      await component.webhook!.idle();
    } else {
      fake.push(update);
      // The runner confirms an update by asking for the next offset, after taking it.
      await fake.waitFor(
        (c) => c.method === "getUpdates" && Number(c.params.offset ?? 0) > update.update_id,
        30_000,
        `getUpdates confirming ${update.update_id}`,
      );
      await component.refmint!.idle();
    }
    // Polling's own getUpdates and the sender's messages to other chats are not the answer.
    const chat =
      update.message?.chat.id ??
      update.callback_query?.from.id ??
      update.inline_query?.from.id ??
      update.chat_member?.new_chat_member.user.id ??
      update.poll_answer?.user?.id;
    return fake.calls
      .slice(before)
      .filter(
        (c) =>
          c.method !== "getUpdates" &&
          (c.params.chat_id === undefined || Number(c.params.chat_id) === chat),
      );
  };

  return {
    ...domain,
    fake,
    db,
    config,
    component,
    url,
    webhookUrl,
    user: (id, language = "en", firstName) => ({
      id,
      is_bot: false,
      first_name: firstName ?? `User${id}`,
      language_code: language,
    }),
    send,
    slots,
    say: (user, text) => send(fake.message(user, text)),
    queueSettled: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await db.db
          .select({ n: count() })
          .from(notifications)
          .where(eq(notifications.status, "pending"));
        if (Number(row?.n ?? 0) === 0) return;
        if (Date.now() > deadline) throw new Error("notifications still pending");
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    lastMessageTo: (chatId) => {
      const calls = fake.sentTo(chatId);
      const last = calls[calls.length - 1];
      if (!last) throw new Error(`no message to ${chatId}`);
      return last.result as Message;
    },
    stop,
  };
}
