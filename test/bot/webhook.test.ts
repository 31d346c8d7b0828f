/**
 * The two ways updates arrive. Webhook mode on the real API app: registration at start, the
 * secret token, the inbox that handles a redelivered update once, malformed bodies, recovery
 * after a crash (at once after a restart on the same host; after the lease for others), and
 * a 429 from Telegram retried after `retry_after` (on a virtual clock), or, when that is too
 * long, not answered with a second message. Long polling through `npm start` itself: the real
 * entry point as a child process pointed at the fake Bot API with TELEGRAM_API_ROOT; SIGTERM
 * stops it gracefully (exit code 0). And webhook mode through `npm start` on PostgreSQL, killed
 * with `kill -9` in the middle of an update and restarted. The inbox's crash recovery is for
 * updates acknowledged before they are handled (`BOT_WEBHOOK_ANSWER=api`); answers in the
 * webhook's response are tested in webhookAnswer.test.ts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import { sql } from "drizzle-orm";
import express from "express";
import { Bot } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { inboxOwner, ownerGone, recordUpdates } from "../../bot/inbox.ts";
import { createWebhook } from "../../bot/webhook.ts";
import type { DatabaseHandle, Db } from "../../server/db/index.ts";
import { botUpdates } from "../../server/db/schema/bot.ts";
import { referrals } from "../../server/db/schema.ts";
import { createLogger } from "../../server/logger.ts";
import { testClock, virtualScheduler } from "../support/clock.ts";
import { createMigratedPostgresDatabase, postgresTest, withDatabases } from "../support/db.ts";
import { startMain } from "../support/mainProcess.ts";
import { migratedDataDir } from "../support/process.ts";
import { TEST_BOT_TOKEN } from "../support/telegram.ts";
import { botCampaign } from "./support/campaign.ts";
import { FakeTelegram } from "./support/fakeTelegram.ts";
import { onPglite, startBotHarness, WEBHOOK_SECRET } from "./support/harness.ts";

test("webhook mode: getMe, then setWebhook with the URL, secret and update types", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const methods = h.fake.calls.map((c) => c.method);
    assert.ok(methods.indexOf("getMe") < methods.indexOf("setWebhook"), methods.join());
    assert.equal(methods.includes("getUpdates"), false, "no polling in webhook mode");
    assert.deepEqual(h.fake.webhook, {
      url: "https://bot.refmint.test/telegram/webhook",
      secret: WEBHOOK_SECRET,
      allowedUpdates: ["message", "callback_query", "inline_query", "chat_member", "poll_answer"],
      maxConnections: 40,
    });
    // Localized command menus: English by default, Russian for Russian clients, admin extras.
    const menus = h.fake.callsTo("setMyCommands");
    const member = menus.find(
      (c) => c.params.scope === undefined && c.params.language_code === undefined,
    );
    assert.deepEqual(
      (member!.params.commands as Array<{ command: string }>).map((c) => c.command),
      [
        "start",
        "invite",
        "stats",
        "referrals",
        "campaigns",
        "top",
        "challenges",
        "checkin",
        "balance",
        "rewards",
        "shop",
        "wallet",
        "login",
        "rules",
        "terms",
        "country",
        "export",
        "delete",
        "notifications",
        "language",
        "help",
      ],
    );
    const ru = menus.find((c) => c.params.scope === undefined && c.params.language_code === "ru");
    assert.equal(
      (ru!.params.commands as Array<{ description: string }>)[1]?.description,
      "Ссылка-приглашение и QR-код",
    );
    const admin = menus.find(
      (c) =>
        (c.params.scope as { chat_id?: number } | undefined)?.chat_id ===
        h.config.admin.telegramIds.values().next().value,
    );
    assert.ok(
      (admin!.params.commands as Array<{ command: string }>).some((c) => c.command === "review"),
    );

    const alice = h.user(301, "en", "Alice");
    const calls = await h.say(alice, "/start");
    assert.equal(calls.filter((c) => c.method === "sendMessage").length, 1);
    assert.match(String(calls[0]?.params.text), /^👋 Hi Alice! Welcome to <b>Test<\/b>\./);
  });
});

test("a webhook call without the secret, or with a wrong one, gets 401 and nothing is processed", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const before = h.fake.calls.length;
    const update = h.fake.message(h.user(302), "/start");
    for (const secret of [
      undefined,
      "",
      "wrong-secret-but-long-enough-000",
      `${WEBHOOK_SECRET}x`,
    ]) {
      const res = await h.fake.deliver(h.webhookUrl!, update, secret);
      assert.equal(res.status, 401, `secret ${JSON.stringify(secret)}`);
      assert.equal(res.headers.get("content-type"), "application/problem+json; charset=utf-8");
      assert.equal(((await res.json()) as { code: string }).code, "webhook_signature_invalid");
    }
    await h.component.webhook!.idle();
    assert.equal(h.fake.calls.length, before, "the bot called Telegram for nothing");
    assert.deepEqual(await db.db.select().from(botUpdates), [], "nothing stored");

    // With the right secret the same update goes through.
    assert.equal((await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET)).status, 200);
    await h.component.webhook!.idle();
    assert.equal(h.fake.callsTo("sendMessage").length, 1);
  });
});

test("acknowledged first (BOT_WEBHOOK_ANSWER=api): the same update_id delivered twice is handled once", async (t) => {
  await withDatabases(t, async (db) => {
    // Answers in the response (the default): test/bot/webhookAnswer.test.ts.
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      env: { BOT_WEBHOOK_ANSWER: "api" },
    });
    const alice = h.user(303);
    await h.say(alice, "/start");
    const aliceMember = await h.member(alice.id);
    const bob = h.user(304);
    const update = h.fake.message(bob, `/start ${aliceMember.code}`);
    // Telegram redelivers when our 200 got lost: twice in a row, and once more at the same time.
    for (const res of [
      await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET),
      ...(await Promise.all([
        h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET),
        h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET),
      ])),
    ]) {
      assert.equal(res.status, 200);
    }
    await h.component.webhook!.idle();
    assert.equal(h.fake.sentTo(bob.id).length, 1, "one welcome");
    assert.equal((await db.db.select().from(referrals)).length, 1);
    const [row] = await db.db
      .select()
      .from(botUpdates)
      .where(sql`${botUpdates.updateId} = ${update.update_id}`);
    assert.ok(row?.processedAt, "marked handled");
    assert.equal(row?.payload, null, "the payload (a member's message) is dropped once handled");
  });
});

test("the inbox stores a batch in one statement: repeats are not new, NUL characters survive as U+FFFD", async (t) => {
  await withDatabases(t, async (db) => {
    const text = "/start a\u0000b";
    const update = (id: number) => ({
      update_id: id,
      message: {
        message_id: id,
        date: 1,
        chat: { id: 9, type: "private" as const, first_name: "Nul" },
        from: { id: 9, is_bot: false, first_name: "Nul" },
        text,
      },
    });
    // PostgreSQL's jsonb refuses \u0000; a message holding one must not stall the inbox.
    const fresh = await recordUpdates(db.db, 42, [update(1), update(2), update(1)]);
    assert.deepEqual([...fresh].sort(), [1, 2]);
    assert.deepEqual([...(await recordUpdates(db.db, 42, [update(2), update(3)]))], [3]);
    // Update ids are per bot.
    assert.deepEqual([...(await recordUpdates(db.db, 43, [update(1)]))], [1]);
    const rows = await db.db
      .select()
      .from(botUpdates)
      .where(sql`${botUpdates.botId} = 42`)
      .orderBy(botUpdates.updateId);
    assert.deepEqual(
      rows.map((r) => [r.updateId, (r.payload as { message: { text: string } }).message.text]),
      [1, 2, 3].map((id) => [id, "/start a\uFFFDb"]),
    );
  });
});

test("malformed webhook bodies get 400 and are not stored", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    for (const body of [
      "{not json",
      "[]",
      JSON.stringify({ message: {} }),
      JSON.stringify({ update_id: -1 }),
      JSON.stringify({ update_id: "7" }),
    ]) {
      const res = await h.fake.deliver(h.webhookUrl!, body, WEBHOOK_SECRET);
      assert.equal(res.status, 400, body);
    }
    assert.deepEqual(await db.db.select().from(botUpdates), []);
  });
});

test("an update stored but not handled before a crash is handled by the recovery job", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const carol = h.user(305, "ru", "Кэрол");
    const update = h.fake.message(carol, "/help");
    await db.db.insert(botUpdates).values({
      botId: h.fake.me.id,
      updateId: update.update_id,
      payload: update as unknown as Record<string, unknown>,
      receivedAt: new Date(Date.now() - 10 * 60_000),
    });
    await h.component.runJobs!();
    await h.component.webhook!.idle();
    assert.match(h.fake.textsTo(carol.id)[0] ?? "", /^🤖 <b>Что я умею<\/b>/);
    // Handled once: a second run finds nothing.
    await h.component.runJobs!();
    await h.component.webhook!.idle();
    assert.equal(h.fake.sentTo(carol.id).length, 1);
  });
});

/**
 * A webhook bot on a virtual scheduler whose next sendMessage Telegram answers with a 429
 * asking for `retrySeconds`, and the user `userId` who will trigger it.
 */
async function floodWaitedBot(
  t: TestContext,
  db: DatabaseHandle,
  userId: number,
  retrySeconds: number,
) {
  const scheduler = virtualScheduler();
  const h = await startBotHarness(t, db, {
    mode: "webhook",
    campaigns: [botCampaign()],
    scheduler,
  });
  const user = h.user(userId);
  h.fake.failNext("sendMessage", {
    error_code: 429,
    description: `Too Many Requests: retry after ${retrySeconds}`,
    parameters: { retry_after: retrySeconds },
  });
  return { h, scheduler, user };
}

test("a 429 from Telegram is retried after retry_after", async (t) => {
  await onPglite(async (db) => {
    const { h, scheduler, user: dave } = await floodWaitedBot(t, db, 306, 1);
    await h.say(dave, "/help");
    const attempts = h.fake.callsTo("sendMessage");
    assert.deepEqual(
      attempts.map((c) => c.status),
      [429, 200],
    );
    assert.deepEqual(scheduler.sleeps, [1000], "waited retry_after before retrying");
    assert.equal(attempts[1]!.params.text, attempts[0]!.params.text);
  });
});

test("a 429 with a long retry_after on a reply sends nothing more to that chat", async (t) => {
  await onPglite(async (db) => {
    const { h, scheduler, user: erin } = await floodWaitedBot(t, db, 307, 3600);
    const calls = await h.say(erin, "/help");
    // Neither waited out (an hour) nor followed by an apology the flood wait would refuse too.
    assert.deepEqual(
      calls.map((c) => [c.method, c.status]),
      [["sendMessage", 429]],
    );
    assert.deepEqual(scheduler.sleeps, []);
    // The chat works again once Telegram lets it.
    assert.equal((await h.say(erin, "/help")).filter((c) => c.status === 200).length, 1);
  });
});

/** An inbox row as another bot process would have left it. */
async function leftBehind(
  h: { fake: FakeTelegram; db: { db: Db } },
  update: ReturnType<FakeTelegram["message"]>,
  owner: string,
  leaseSeconds = 30,
) {
  await h.db.db.execute(
    sql`insert into bot_updates (bot_id, update_id, payload, owner, lease_until)
        values (${h.fake.me.id}, ${update.update_id}, ${JSON.stringify(update)}::jsonb, ${owner},
          now() + make_interval(secs => ${leaseSeconds}))`,
  );
}

/** A process id that surely does not run: a child's, after it exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

test("updates a crashed run acknowledged are handled as soon as the bot is back on the same host", async (t) => {
  await withDatabases(t, async (db) => {
    const ann = { id: 308, is_bot: false, first_name: "Ann", language_code: "en" };
    const bob = { id: 309, is_bot: false, first_name: "Bob", language_code: "ru" };
    // The run before this one (same process id: a container restarted as pid 1), and one
    // whose process is gone, each acknowledged an update just before dying: leases still valid.
    const earlierRun = `${hostname()}:${process.pid}:0badc0de`;
    const gone = `${hostname()}:${await deadPid()}:0bad0bad`;
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      beforeStart: async (before) => {
        await leftBehind(before, before.fake.message(ann, "/help"), earlierRun);
        await leftBehind(before, before.fake.message(bob, "/help"), gone);
      },
    });
    // No recovery job ran (JOBS_INTERVAL_SECONDS=0): start-up itself took them over.
    await h.component.webhook!.idle();
    assert.match(h.fake.textsTo(ann.id)[0] ?? "", /^🤖 <b>What I can do<\/b>/);
    assert.match(h.fake.textsTo(bob.id)[0] ?? "", /^🤖 <b>Что я умею<\/b>/);
    const left = await db.db
      .select()
      .from(botUpdates)
      .where(sql`${botUpdates.processedAt} is null`);
    assert.deepEqual(left, []);
  });
});

test("a live process's updates are left alone; another host's are taken over once its lease ran out", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const cy = h.user(310);
    const di = h.user(311);
    // A process that runs on this host (the test runner's parent), and one on another host.
    await leftBehind(h, h.fake.message(cy, "/help"), `${hostname()}:${process.ppid}:1234abcd`);
    await leftBehind(h, h.fake.message(di, "/help"), "other-host:4242:5678abcd");
    assert.equal(await h.component.webhook!.recover(), 0);
    await h.db.db.execute(sql`update bot_updates set lease_until = now() - interval '1 second'`);
    assert.equal(await h.component.webhook!.recover(), 2);
    await h.component.webhook!.idle();
    assert.equal(h.fake.sentTo(cy.id).length, 1);
    assert.equal(h.fake.sentTo(di.id).length, 1);
    // A process's own updates are never its to recover: they are stored in its name, leased.
    await h.say(cy, "/help");
    const [own] = await db.db
      .select()
      .from(botUpdates)
      .where(sql`${botUpdates.owner} = ${h.component.webhook!.owner}`);
    assert.ok(own?.leaseUntil, "stored with a lease");
  });
});

test("which inbox owners are surely gone", () => {
  const self = inboxOwner("box", 100);
  assert.match(self, /^box:100:[0-9a-f]{8}$/);
  const alive = (pid: number) => pid === 200;
  assert.equal(ownerGone(self, self, alive), false, "itself");
  assert.equal(ownerGone("box:100:deadbeef", self, alive), true, "an earlier run, same pid");
  assert.equal(ownerGone("box:300:deadbeef", self, alive), true, "a pid that no longer runs");
  assert.equal(ownerGone("box:200:deadbeef", self, alive), false, "a pid that runs");
  assert.equal(ownerGone("elsewhere:300:deadbeef", self, alive), false, "another host: its lease");
  assert.equal(ownerGone("garbage", self, alive), false);
});

/** The server with the bot configured (its Telegram API given by each test). */
const start = (env: Record<string, string>) =>
  startMain({
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_USERNAME: "refmint_test_bot",
    PUBLIC_URL: "https://api.refmint.test",
    ...env,
  });

/**
 * A second bot process beside the harness's, in this process: its own bot (it answers each
 * message, then sets the chat's menu button), its own inbox owner (another host's name, so only its
 * lease protects it), a long lease, a clock the test moves, and no heartbeat of its own. It
 * "crashes" where the test stops it: at a call Telegram holds.
 */
async function secondInstance(
  t: import("node:test").TestContext,
  h: Awaited<ReturnType<typeof startBotHarness>>,
  concurrency = 8,
) {
  const clock = testClock(new Date(0));
  const bot = new Bot<BotContext>(TEST_BOT_TOKEN, {
    botInfo: h.fake.me,
    client: { apiRoot: h.fake.apiRoot },
  });
  bot.on("message", async (ctx) => {
    await ctx.reply("answer");
    await ctx.api.setChatMenuButton({ chat_id: ctx.chat.id, menu_button: { type: "default" } });
  });
  const webhook = createWebhook({
    bot,
    db: h.db.db,
    secret: WEBHOOK_SECRET,
    concurrency,
    logger: createLogger("silent"),
    owner: `other-host:4242:${Math.floor(Math.random() * 0xffffffff)
      .toString(16)
      .padStart(8, "0")}`,
    clock: () => clock.now().getTime(),
    leaseSeconds: 3600,
    heartbeatMs: 3_600_000,
  });
  const app = express();
  app.use(webhook.router);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  webhook.open();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    webhook,
    clock,
    deliver: async (update: ReturnType<FakeTelegram["message"]>) =>
      assert.equal((await h.fake.deliver(url, update, WEBHOOK_SECRET)).status, 200),
    /** Its lease runs out in the database (it stopped renewing it: it is gone, or stalled). */
    expire: () =>
      h.db.db.execute(
        sql`update bot_updates set lease_until = now() - interval '1 second'
            where owner = ${webhook.owner}`,
      ),
  };
}

async function inboxRow(db: Db, updateId: number) {
  const [row] = await db.select().from(botUpdates).where(sql`${botUpdates.updateId} = ${updateId}`);
  return row!;
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 3000; i++) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

test("a crash between an update's answer and its handled mark: the recovery does not answer it again", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const a = await secondInstance(t, h);
    const ivan = h.user(320, "en", "Ivan");
    // Its answer goes out; its next call (the menu button) is where it dies.
    const menu = h.fake.hold("setChatMenuButton", (p) => Number(p.chat_id) === ivan.id);
    const update = h.fake.message(ivan, "/start");
    await a.deliver(update);
    await h.fake.waitFor(
      (c) => c.method === "setChatMenuButton" && Number(c.params.chat_id) === ivan.id,
      30_000,
      "the answer sent, the menu button under way",
    );
    // The process dies here: its answer reached Telegram and was recorded, its handled mark
    // never written.
    const row = await inboxRow(db.db, update.update_id);
    assert.ok(row.answeredAt, "the answer is recorded");
    assert.equal(row.processedAt, null);
    await a.expire();
    assert.equal(await h.component.webhook!.recover(), 0, "nothing to handle again");
    await h.component.webhook!.idle();
    assert.ok((await inboxRow(db.db, update.update_id)).processedAt, "taken over, closed");
    assert.equal(h.fake.sentTo(ivan.id).length, 1, "answered once");
    menu();
    await a.webhook.idle();
    assert.equal(h.fake.sentTo(ivan.id).length, 1);
  });
});

test("a crash while the answer is under way: the recovery answers it (the one window left)", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const a = await secondInstance(t, h);
    const jo = h.user(321);
    const held = h.fake.hold("sendMessage", (p) => p.text === "answer");
    const update = h.fake.message(jo, "/help");
    await a.deliver(update);
    await h.fake.waitFor(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === jo.id,
      30_000,
      "the answer under way",
    );
    // The process dies with the call in flight: Telegram has not answered, nothing recorded.
    assert.equal((await inboxRow(db.db, update.update_id)).answeredAt, null);
    await a.expire();
    assert.equal(await h.component.webhook!.recover(), 1);
    await h.component.webhook!.idle();
    const toJo = () =>
      h.fake.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === jo.id);
    assert.deepEqual(
      toJo().map((c) => [
        c.params.text === "answer" ? "dead process" : "recovery",
        c.status === 200 ? "answered" : "in flight",
      ]),
      [
        ["dead process", "in flight"],
        ["recovery", "answered"],
      ],
      "the recovery's answer went out; the dead process's call is still without a reply",
    );
    // Had Telegram taken that call before the process died, the member would see it twice:
    // the window left is one Bot API call plus the statement recording it.
    held();
    await eventually("the held call answered", async () =>
      toJo().every((c) => c.status === 200) ? true : undefined,
    );
    assert.equal(h.fake.sentTo(jo.id).length, 2);
  });
});

test("an instance whose lease lapsed asks before handling what it holds; updates taken over are dropped", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    // One update at a time: the first one's answer is held, the others wait in the queue.
    const a = await secondInstance(t, h, 1);
    const [kim, lee, max] = [h.user(322), h.user(323), h.user(324)];
    const blocker = h.fake.hold("sendMessage", (p) => Number(p.chat_id) === kim.id);
    const updates = [kim, lee, max].map((u) => h.fake.message(u, "/help"));
    for (const u of updates) await a.deliver(u);
    await h.fake.waitFor(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === kim.id,
      30_000,
      "kim's answer under way",
    );
    // The instance stalls for longer than its lease (its clock says so); meanwhile the live
    // instance takes over lee's update (as if the lease ran out in the database too).
    a.clock.advance(3600 * 1000);
    await db.db.execute(
      sql`update bot_updates set lease_until = now() - interval '1 second'
          where update_id = ${updates[1]!.update_id}`,
    );
    assert.equal(await h.component.webhook!.recover(), 1);
    await h.component.webhook!.idle();
    assert.equal(h.fake.sentTo(lee.id).length, 1);
    // The stalled instance wakes up: lee's update is no longer its own, max's still is.
    blocker();
    await a.webhook.idle();
    assert.deepEqual(
      [kim, lee, max].map((u) => h.fake.sentTo(u.id).length),
      [1, 1, 1],
      "each answered once",
    );
    for (const u of updates) assert.ok((await inboxRow(db.db, u.update_id)).processedAt);
  });
});

const user = { id: 7001, is_bot: false, first_name: "Pat", language_code: "en" };

test("npm start runs the bot with long polling, answers, and stops on SIGTERM", async (t) => {
  const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-bot-start-"));
  t.after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  // A data directory that is already migrated: the child skips the slow first migration.
  await migratedDataDir(path.join(dir, "pglite"));
  const s = await start({ TELEGRAM_API_ROOT: fake.apiRoot, DATA_DIR: path.join(dir, "pglite") });
  try {
    await fake.waitFor((c) => c.method === "getUpdates", 20_000, "polling");
    assert.ok(fake.callsTo("deleteWebhook").length === 1, "an old webhook is removed first");
    fake.push(fake.message(user, "/start"));
    const reply = await fake.waitFor((c) => c.method === "sendMessage", 20_000, "the welcome");
    assert.match(
      String(reply.params.text),
      /^👋 Hi Pat! Welcome to <b>Refmint demo campaign<\/b>\./,
    );
    assert.ok(s.logs.some((l) => l.includes('"msg":"telegram bot running"')));
  } finally {
    s.child.kill("SIGTERM");
  }
  assert.equal(await s.exit, 0);
  assert.ok(s.logs.some((l) => l.includes('"msg":"stopped"')));
});

postgresTest(
  "webhook mode killed with kill -9 while handling an acknowledged update: the restart handles it at once",
  async (t) => {
    const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
    const { url: databaseUrl, drop } = await createMigratedPostgresDatabase();
    t.after(async () => {
      await fake.close();
      await drop();
    });
    const env = {
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: databaseUrl,
      BOT_MODE: "webhook",
      BOT_WEBHOOK_URL: "http://bot.refmint.test/telegram/webhook",
      BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // Acknowledged first, answered with Bot API calls: the inbox's crash recovery.
      BOT_WEBHOOK_ANSWER: "api",
      // No periodic recovery job: only start-up can take the update over.
      JOBS_INTERVAL_SECONDS: "0",
    };
    const quinn = { id: 7002, is_bot: false, first_name: "Quinn", language_code: "en" };
    const toQuinn = (c: { method: string; params: Record<string, unknown> }) =>
      c.method === "sendMessage" && Number(c.params.chat_id) === quinn.id;
    // Telegram does not answer the reply: the update is in hand when the process dies.
    const answer = fake.hold("sendMessage", (p) => Number(p.chat_id) === quinn.id);
    const first = await start(env);
    let underWay: Awaited<ReturnType<typeof fake.waitFor>>;
    try {
      await fake.waitFor((c) => c.method === "setWebhook", 60_000, "the webhook set");
      const update = fake.message(quinn, "/help");
      const res = await fake.deliver(`${first.url}/telegram/webhook`, update, WEBHOOK_SECRET);
      assert.equal(res.status, 200, "acknowledged: Telegram will not deliver it again");
      underWay = await fake.waitFor(toQuinn, 60_000, "the reply under way");
    } finally {
      first.child.kill("SIGKILL");
    }
    await first.exit;
    answer();
    const second = await start(env);
    try {
      const reply = await fake.waitFor(
        (c) => toQuinn(c) && c !== underWay,
        60_000,
        "the reply sent by the restarted process",
      );
      assert.match(String(reply.params.text), /^🤖 <b>What I can do<\/b>/);
      assert.ok(second.logs.some((l) => l.includes("handling updates left unhandled by a crash")));
    } finally {
      second.child.kill("SIGTERM");
    }
    assert.equal(await second.exit, 0);
  },
);
