/**
 * Answers in the webhook's HTTP response (`BOT_WEBHOOK_ANSWER=response`, the default): the
 * update is handled while Telegram waits, and the call its handler marked as its answer goes
 * back in the response, after the handled mark and that reply are committed. The fake Bot API
 * carries out a webhook reply as Telegram does: only when the whole response arrived.
 *
 * In this process: the reply is the response (the bot makes no Bot API call of its own); a
 * response Telegram never received leaves nothing sent, and the redelivery gets the stored
 * reply, carried out once; a redelivery while the update is still being handled is refused.
 * Then `npm start` twice on one PostgreSQL: one instance killed with `kill -9` in the middle of
 * an update (its effects committed, its answer composed, the response not yet sent), Telegram
 * delivers the update again to the other, and the member gets exactly one answer.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import { sql } from "drizzle-orm";
import { inboxOwner } from "../../bot/inbox.ts";
import { type Db, openDatabase, queryRows } from "../../server/db/index.ts";
import { botUpdates } from "../../server/db/schema/bot.ts";
import { referrals } from "../../server/db/schema.ts";
import { createPostgresDatabase, postgresTest, withDatabases } from "../support/db.ts";
import { startMain } from "../support/mainProcess.ts";
import { TEST_BOT_TOKEN } from "../support/telegram.ts";
import { botCampaign } from "./support/campaign.ts";
import { FakeTelegram } from "./support/fakeTelegram.ts";
import { startBotHarness, WEBHOOK_SECRET } from "./support/harness.ts";

async function inboxRow(db: Db, updateId: number) {
  const [row] = await db.select().from(botUpdates).where(sql`${botUpdates.updateId} = ${updateId}`);
  return row!;
}

/** POSTs an update as Telegram does, without carrying out the reply: the raw response. */
function post(url: string, update: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-telegram-bot-api-secret-token": WEBHOOK_SECRET,
    },
    body: JSON.stringify(update),
  });
}

test("the answer to /start is the webhook's response: no Bot API call, stored with the handled mark", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const ann = h.user(401, "en", "Ann");
    const update = h.fake.message(ann, "/start");
    const res = await post(h.webhookUrl!, update);
    assert.equal(res.status, 200);
    const reply = (await res.json()) as Record<string, unknown>;
    assert.equal(reply.method, "sendMessage");
    assert.equal(reply.chat_id, ann.id);
    assert.equal(reply.parse_mode, "HTML");
    assert.match(String(reply.text), /^👋 Hi Ann! Welcome to <b>Test<\/b>\./);
    assert.equal(h.fake.callsTo("sendMessage").length, 0, "the bot sent nothing itself");
    const row = await inboxRow(db.db, update.update_id);
    assert.ok(row.processedAt, "handled before the response went out");
    assert.equal(row.answerInResponse, true);
    assert.deepEqual(row.reply, reply, "the reply is kept for a redelivery");
    assert.equal(row.payload, null, "the member's message is dropped");

    // Telegram carries it out once it has the response.
    await h.fake.carryOut(JSON.stringify(reply));
    assert.equal(h.fake.sentTo(ann.id).length, 1);
  });
});

test("a response Telegram never received: nothing was sent, the redelivery gets the same answer, once", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const alice = h.user(402, "en", "Alice");
    await h.say(alice, "/start");
    const { code } = await h.member(alice.id, "Alice");
    const bob = h.user(403, "ru", "Боб");
    const update = h.fake.message(bob, `/start ${code}`);

    // Telegram gives up on the delivery as the response arrives (a timeout, a broken
    // connection): the update was handled, its reply never carried out.
    const lost = await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET, { abandon: true });
    assert.equal(lost.status, 599);
    await h.component.webhook!.idle();
    assert.deepEqual(h.fake.sentTo(bob.id), [], "nothing reached Bob");
    assert.equal((await db.db.select().from(referrals)).length, 1, "the referral is recorded");
    const stored = (await inboxRow(db.db, update.update_id)).reply as { text: string };
    assert.match(stored.text, /Вы пришли по приглашению: Alice\./, "the welcome names the inviter");

    // Telegram delivers it again: the same answer, carried out this time, and nothing redone.
    const again = await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET);
    assert.equal(again.status, 200);
    await h.component.webhook!.idle();
    assert.deepEqual(h.fake.textsTo(bob.id), [stored.text], "one answer, the first one");
    assert.equal((await db.db.select().from(referrals)).length, 1);

    // Bob opens the same link again (a new update): he hears which invitation counts.
    await h.say(bob, `/start ${code}`);
    const [, reopened] = h.fake.textsTo(bob.id);
    assert.match(reopened!, /^👋 С возвращением, Боб!/);
    assert.match(reopened!, /Вы пришли по приглашению: Alice\./);
    assert.equal((await db.db.select().from(referrals)).length, 1);
  });
});

test("a redelivery while the update is still being handled is refused; the first response answers it", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      // In Mini App mode /start sets the chat's menu button after composing its answer.
      env: { DASHBOARD_MODE: "miniapp", DASHBOARD_URL: "https://app.refmint.test" },
    });
    const cy = h.user(404, "en", "Cy");
    const menu = h.fake.hold("setChatMenuButton", (p) => Number(p.chat_id) === cy.id);
    const update = h.fake.message(cy, "/start");
    const first = h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET);
    await h.fake.waitFor(
      (c) => c.method === "setChatMenuButton" && Number(c.params.chat_id) === cy.id,
      30_000,
      "the update in hand (its answer composed, the menu button under way)",
    );
    const early = await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET);
    assert.equal(early.status, 503, "Telegram is asked to deliver it again later");
    assert.equal(early.headers.get("retry-after"), "1");
    menu();
    assert.equal((await first).status, 200);
    await h.component.webhook!.idle();
    assert.equal(h.fake.sentTo(cy.id).length, 1);
  });
});

test("a redelivery of a dead owner's update that had sent a Bot API message is closed, not handled again", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const eve = h.user(406, "en", "Eve");
    const update = h.fake.message(eve, "/help");
    // What a process killed after /help's Bot API answer went out (and was recorded) leaves.
    await db.db.insert(botUpdates).values({
      botId: h.fake.me.id,
      updateId: update.update_id,
      payload: update as unknown as Record<string, unknown>,
      owner: inboxOwner(hostname(), 2 ** 22 + 12_345),
      leaseUntil: new Date(Date.now() + 60_000),
      answeredAt: new Date(),
      answerInResponse: true,
    });
    const res = await h.fake.deliver(h.webhookUrl!, update, WEBHOOK_SECRET);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
    assert.deepEqual(h.fake.sentTo(eve.id), [], "not answered a second time");
    assert.ok((await inboxRow(db.db, update.update_id)).processedAt, "closed");
  });
});

test("a message after the held answer does not overtake it: the answer is sent first, in order", async (t) => {
  await withDatabases(t, async (db) => {
    // With terms, /start sends the welcome and then asks for the terms: two messages.
    const terms = { version: "v1", text: { en: "Play fair.", ru: "Играйте честно." } };
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign({ terms })],
    });
    const dee = h.user(405, "en", "Dee");
    const update = h.fake.message(dee, "/start");
    const res = await post(h.webhookUrl!, update);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true }, "nothing left for the response");
    const texts = h.fake.textsTo(dee.id);
    assert.equal(texts.length, 2);
    assert.match(texts[0]!, /^👋 Hi Dee!/);
    assert.match(texts[1]!, /Play fair\./);
  });
});

/**
 * A deployment file for the demo campaign (addresses only; no chain is needed to attribute):
 * with it the service activates the campaign, so `/start <code>` records a referral.
 */
async function demoDeployment(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-answer-"));
  await mkdir(path.join(dir, "31337"));
  const at = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
  await writeFile(
    path.join(dir, "31337", "demo.json"),
    JSON.stringify({
      slug: "demo",
      chainId: 31337,
      startBlock: 0,
      referralPayouts: at(1),
      tokens: {
        REF: { token: at(2), distributor: at(3) },
        ACT: { token: at(4), distributor: at(5) },
      },
    }),
  );
  return dir;
}

/** `npm start` with the bot in webhook mode (answers in the response), on `databaseUrl`. */
const startInstance = (apiRoot: string, databaseUrl: string, deploymentsDir: string) =>
  startMain({
    DEPLOYMENTS_DIR: deploymentsDir,
    CHAIN_ID: "31337",
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_USERNAME: "refmint_test_bot",
    PUBLIC_URL: "https://api.refmint.test",
    TELEGRAM_API_ROOT: apiRoot,
    DATABASE_URL: databaseUrl,
    BOT_MODE: "webhook",
    BOT_WEBHOOK_URL: "http://bot.refmint.test/telegram/webhook",
    BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // In Mini App mode /start sets the chat's menu button after composing its answer: the
    // call this test holds, so the instance is killed at a known point of the update.
    DASHBOARD_MODE: "miniapp",
    DASHBOARD_URL: "https://app.refmint.test",
    DASHBOARD_VITE: "false",
    JOBS_INTERVAL_SECONDS: "0",
  });

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined) {
  for (let i = 0; i < 6000; i++) {
    const found = await check();
    if (found !== undefined && found !== false) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

postgresTest(
  "kill -9 in the middle of an update answered in the response: Telegram delivers it again to the other instance, one answer",
  async (t: TestContext) => {
    const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
    const { url: databaseUrl, drop } = await createPostgresDatabase();
    const db = await openDatabase({ url: databaseUrl, poolSize: 2 });
    const deployments = await demoDeployment();
    const instances: Array<Awaited<ReturnType<typeof startInstance>>> = [];
    t.after(async () => {
      for (const i of instances) i.child.kill("SIGKILL");
      await Promise.all(instances.map((i) => i.exit));
      await fake.close();
      await db.close();
      await drop();
      await rm(deployments, { recursive: true, force: true });
    });
    const a = await startInstance(fake.apiRoot, databaseUrl, deployments);
    instances.push(a);
    const b = await startInstance(fake.apiRoot, databaseUrl, deployments);
    instances.push(b);
    await until("both webhooks registered", () => fake.callsTo("setWebhook").length >= 2);
    const hook = (i: typeof a) => `${i.url}/telegram/webhook`;

    const rita = { id: 7101, is_bot: false, first_name: "Rita", language_code: "en" };
    assert.equal(
      (await fake.deliver(hook(b), fake.message(rita, "/start"), WEBHOOK_SECRET)).status,
      200,
    );
    assert.equal(fake.sentTo(rita.id).length, 1);
    const [{ code } = { code: "" }] = await queryRows<{ code: string }>(
      db.db,
      sql`select c.code from referral_codes c join members m on m.id = c.member_id
          where m.telegram_id = ${rita.id}`,
    );

    const sam = { id: 7102, is_bot: false, first_name: "Sam", language_code: "en" };
    const menu = fake.hold("setChatMenuButton", (p) => Number(p.chat_id) === sam.id);
    const update = fake.message(sam, `/start ${code}`);
    const toA = fake.deliver(hook(a), update, WEBHOOK_SECRET).then(
      (res) => res.status,
      () => "connection lost" as const,
    );
    // Instance A is in the middle of the update: the referral is committed, the answer
    // composed, the menu button under way; the response has not gone out.
    await fake.waitFor(
      (c) => c.method === "setChatMenuButton" && Number(c.params.chat_id) === sam.id,
      60_000,
      "A in the middle of Sam's update",
    );
    const [held] = await queryRows<{ owner: string; handled: boolean }>(
      db.db,
      sql`select owner, processed_at is not null as handled from bot_updates
          where update_id = ${update.update_id}`,
    );
    assert.match(held!.owner, new RegExp(`:${a.child.pid}:`), "stored by A");
    assert.equal(held!.handled, false);
    assert.equal(
      (await db.db.select().from(referrals)).length,
      1,
      "A's effects are committed (Sam is Rita's referral)",
    );

    a.child.kill("SIGKILL");
    await a.exit;
    menu();
    assert.equal(await toA, "connection lost", "Telegram got no response from A");
    assert.deepEqual(fake.sentTo(sam.id), [], "A sent Sam nothing");

    // Telegram delivers the update again (here to B): taken over, handled, answered once.
    const again = await fake.deliver(hook(b), update, WEBHOOK_SECRET);
    assert.equal(again.status, 200);
    const answers = fake.textsTo(sam.id);
    assert.equal(answers.length, 1, `one answer: ${JSON.stringify(answers)}`);
    // Handled again from scratch: the referral A committed is the same invitation.
    assert.match(answers[0]!, /^👋 Welcome back, Sam!/);
    assert.match(answers[0]!, /You joined through Rita's invitation/);
    assert.ok(b.logs.some((l) => l.includes("redelivered update taken over")));
    const [row] = await queryRows<{ owner: string; handled: boolean }>(
      db.db,
      sql`select owner, processed_at is not null as handled from bot_updates
          where update_id = ${update.update_id}`,
    );
    assert.match(row!.owner, new RegExp(`:${b.child.pid}:`));
    assert.equal(row!.handled, true);
    assert.equal((await db.db.select().from(referrals)).length, 1, "attributed once");

    // Should Telegram deliver it once more (its response to B lost), the same answer again,
    // carried out only if it arrives: still one answer per delivered response.
    const lost = await fake.deliver(hook(b), update, WEBHOOK_SECRET, { abandon: true });
    assert.equal(lost.status, 599);
    assert.equal(fake.sentTo(sam.id).length, 1);
  },
);
