/**
 * The grammY plugin (plugin/, `@refmint/grammy`) end to end: a small host bot that already has
 * its own `/start` and `/buy` mounts `refmint(...)`, runs as a real grammY Bot against the fake
 * Bot API, and talks over HTTP to the real Refmint API on a test database, with API keys its
 * campaign's owner created through the admin API. Checked: `/invite` shows the code and the
 * host bot's link, a `/start` with that link attributes the new member in the key's campaign
 * (and the host's own `/start` still runs), a redelivered update writes nothing, `/stats`
 * shows the counts, a reported purchase qualifies the referral and pays, Russian texts, text
 * overrides; a wrong or revoked key is 401 and writes nothing, and a key of one campaign
 * cannot touch another.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { Bot, type Context } from "grammy";
import type { Update } from "grammy/types";
import {
  DEFAULT_TEXTS,
  type MemberStatus,
  RefmintApiError,
  RefmintClient,
  type RefmintFlavor,
  type RefmintOptions,
  refmint,
} from "../../plugin/index.ts";
import { hostEvents } from "../../server/db/schema/host.ts";
import { auditLog, ledgerEntries, members, referrals } from "../../server/db/schema.ts";
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { testCampaign } from "../support/campaign.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import { FakeTelegram, type TestUser } from "./support/fakeTelegram.ts";

const HOST_TOKEN = "7000000042:AAHhostSHOPbotTOKENforTHEpluginTESTS_4242";
const HOST_BOT = "host_shop_bot";
const admin = `Bearer ${TEST_ADMIN_TOKEN}`;

/** Two campaigns that qualify on a purchase the host reports (the key's partner: `host`). */
const campaigns = () =>
  ["alpha", "beta"].map((slug, i) =>
    testCampaign({
      slug,
      onchainId: 300 + i,
      name: { en: `Shop ${slug}`, ru: `Магазин ${slug}` },
      qualification: { type: "partner_event", partner: "host", eventType: "purchase" },
    }),
  );

type HostContext = Context & RefmintFlavor;

interface HostBot {
  bot: Bot<HostContext>;
  errors: unknown[];
  /** Handles an update like the host's runner would; returns the texts the bot sent the user. */
  send(user: TestUser, text: string): Promise<string[]>;
  deliver(update: Update, chatId: number): Promise<string[]>;
}

/** The host bot: its own `/start` (naming what the plugin did) and `/buy`, plus the plugin. */
async function hostBot(
  fake: FakeTelegram,
  options: Omit<RefmintOptions<HostContext>, "onError">,
): Promise<HostBot> {
  const errors: unknown[] = [];
  const bot = new Bot<HostContext>(HOST_TOKEN, { client: { apiRoot: fake.apiRoot } });
  bot.use(refmint<HostContext>({ ...options, onError: (e) => errors.push(e) }));
  bot.command("start", (ctx) =>
    ctx.reply(`Welcome to the shop! [refmint: ${ctx.refmint.start?.outcome ?? "none"}]`),
  );
  bot.command("buy", async (ctx) => {
    const r = await ctx.refmint.reportAction("purchase", `order-${ctx.match.trim()}`);
    await ctx.reply(`Thanks for your order (${r.outcome}${r.replayed ? ", replayed" : ""})`);
  });
  await bot.init();
  const deliver = async (update: Update, chatId: number) => {
    const before = fake.textsTo(chatId).length;
    await bot.handleUpdate(update);
    return fake.textsTo(chatId).slice(before);
  };
  return {
    bot,
    errors,
    deliver,
    send: (user, text) => deliver(fake.message(user, text), user.id),
  };
}

async function createKey(app: TestApp, campaign: string, name: string): Promise<string> {
  const res = await app.call("POST", `/api/admin/campaigns/${campaign}/api-keys`, {
    auth: admin,
    body: { name },
  });
  assert.equal(res.status, 201, res.text);
  assert.match(res.body.key, /^rmk_[A-Za-z0-9_-]{43}$/);
  assert.equal(res.body.partner, "host", "the campaign's qualification partner by default");
  return res.body.key;
}

const user = (id: number, first: string, language = "en"): TestUser => ({
  id,
  is_bot: false,
  first_name: first,
  language_code: language,
});

test("a host bot with the plugin: /invite, /start attribution, /stats, a reported purchase qualifies", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const fake = await FakeTelegram.start({ token: HOST_TOKEN, username: HOST_BOT });
    t.after(() => fake.close());
    const keyA = await createKey(app, "alpha", "shop bot");
    const host = await hostBot(fake, { apiUrl: app.url, apiKey: keyA, campaign: "alpha" });
    const alpha = app.ctx.campaigns.bySlug("alpha")!;

    const alice = user(101, "Alice");
    const bob = user(102, "Bob");

    // /invite: the code and a link to the HOST bot that names the campaign.
    const [invite] = await host.send(alice, "/invite");
    const link = /https:\/\/t\.me\/host_shop_bot\?start=(\S+)/.exec(invite ?? "");
    assert.ok(link, `no host link in: ${invite}`);
    const payload = link[1]!;
    const [aliceRow] = await db.db.select().from(members).where(eq(members.telegramId, 101));
    assert.ok(aliceRow, "the member was created on first sight");
    const code = payload.split("__")[0]!;
    assert.equal(payload, `${code}__alpha`);
    assert.ok(invite!.includes(`Your code: ${code}`), invite);
    assert.ok(invite!.includes("Shop alpha"), invite);
    const shareButton = fake.sentTo(101).at(-1)!.params.reply_markup as {
      inline_keyboard: Array<Array<{ url: string }>>;
    };
    assert.match(shareButton.inline_keyboard[0]![0]!.url, /^https:\/\/t\.me\/share\/url\?url=/);

    // Bob opens the link: attributed in alpha, greeted, and the host's own /start runs after.
    const startUpdate = fake.message(bob, `/start ${payload}`);
    const greeting = await host.deliver(startUpdate, 102);
    assert.deepEqual(greeting, [
      "🤝 You joined through Alice's invitation.",
      "Welcome to the shop! [refmint: attributed]",
    ]);
    const [bobRow] = await db.db.select().from(members).where(eq(members.telegramId, 102));
    const [referral] = await db.db.select().from(referrals);
    assert.ok(bobRow && referral);
    assert.deepEqual(
      {
        campaign: referral.campaignId,
        referrer: referral.referrerId,
        referee: referral.refereeId,
        source: referral.source,
        status: referral.status,
      },
      {
        campaign: alpha.id,
        referrer: aliceRow.id,
        referee: bobRow.id,
        source: "host",
        status: "pending",
      },
    );

    // The same update again (a redelivery): nothing written, no second greeting.
    const counts = await rowCounts(db);
    assert.deepEqual(await host.deliver(startUpdate, 102), [
      "Welcome to the shop! [refmint: attributed]",
    ]);
    assert.deepEqual(await rowCounts(db), counts, "a redelivered /start writes nothing");

    // /stats: one referral waiting.
    const [stats1] = await host.send(alice, "/stats");
    assert.ok(stats1!.includes("Level 1: 0 counted · 1 waiting · 0 under review"), stats1);
    assert.ok(stats1!.includes("Tier: Base (×1 rewards)"), stats1);
    assert.ok(stats1!.includes("Friends to go until Pro (×1.5): 3"), stats1);

    // Bob buys in the host bot: the referral qualifies and Alice earns level 1 (10 REF).
    assert.deepEqual(await host.send(bob, "/buy 1"), ["Thanks for your order (qualified)"]);
    assert.deepEqual(await host.send(bob, "/buy 1"), [
      "Thanks for your order (qualified, replayed)",
    ]);
    const [qualified] = await db.db.select().from(referrals);
    assert.equal(qualified?.status, "qualified");
    const entries = await db.db.select().from(ledgerEntries);
    assert.deepEqual(
      entries.map((e) => [e.memberId, e.level, e.amount]),
      [[aliceRow.id, 1, 10n * 10n ** 18n]],
    );
    assert.equal((await db.db.select().from(hostEvents)).length, 1, "the replay wrote nothing");
    const [stats2] = await host.send(alice, "/stats");
    assert.ok(stats2!.includes("Level 1: 1 counted · 0 waiting"), stats2);
    assert.ok(stats2!.includes("🎁 Earned: 10 REF"), stats2);

    // A /start the plugin does not own (the host's own deep link) is left alone.
    const carol = user(103, "Carol");
    assert.deepEqual(await host.send(carol, "/start promo-summer"), [
      "Welcome to the shop! [refmint: none]",
    ]);
    assert.equal(
      (await db.db.select().from(members).where(eq(members.telegramId, 103))).length,
      0,
      "nothing sent to Refmint",
    );
    assert.deepEqual(host.errors, []);
  });
});

test("Russian by the user's language, and texts the host overrides", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const fake = await FakeTelegram.start({ token: HOST_TOKEN, username: HOST_BOT });
    t.after(() => fake.close());
    const key = await createKey(app, "alpha", "shop bot");
    const host = await hostBot(fake, {
      apiUrl: app.url,
      apiKey: key,
      campaign: "alpha",
      texts: { en: { attributed: "" }, ru: { statsNone: "Пока никого." } },
    });
    const [invite] = await host.send(user(201, "Иван", "ru"), "/invite");
    assert.ok(invite!.startsWith("📨 Кампания «Магазин alpha»: ваше приглашение"), invite);
    const markup = fake.sentTo(201).at(-1)!.params.reply_markup as {
      inline_keyboard: Array<Array<{ text: string; url: string }>>;
    };
    assert.equal(markup.inline_keyboard[0]![0]!.text, "📤 Поделиться");
    assert.ok(
      decodeURIComponent(markup.inline_keyboard[0]![0]!.url).includes(
        "Присоединяйтесь ко мне: кампания «Магазин alpha»!",
      ),
    );
    const [stats] = await host.send(user(201, "Иван", "ru"), "/stats");
    assert.ok(stats!.includes("Пока никого."), stats);
    assert.ok(stats!.includes("Уровень: База"), stats);
    // An English member with `attributed` overridden to "": the plugin stays silent.
    const payload = /start=(\S+)/.exec(invite!)![1]!;
    assert.deepEqual(await host.send(user(202, "Jane"), `/start ${payload}`), [
      "Welcome to the shop! [refmint: attributed]",
    ]);
  });
});

test("Russian texts never decline the campaign's name: nominative after «кампания», in quotes", () => {
  const ru = Object.entries(DEFAULT_TEXTS.ru).filter(([, text]) => text.includes("{campaign}"));
  assert.ok(ru.length >= 3, "the texts naming the campaign are checked");
  for (const [name, text] of ru) {
    // A preposition (or anything but «кампания «…»») before the name would need a case ending.
    assert.doesNotMatch(
      text,
      /(^|[\s(])(в|во|на|к|ко|из|для|о|об|от|с|со|у|по|до)\s+«?\{campaign\}/i,
      name,
    );
    assert.match(text, /[Кк]ампания «\{campaign\}»/, name);
  }
});

test("a wrong or revoked key is 401 and writes nothing; the host bot goes on", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const fake = await FakeTelegram.start({ token: HOST_TOKEN, username: HOST_BOT });
    t.after(() => fake.close());
    const key = await createKey(app, "alpha", "shop bot");
    const good = await hostBot(fake, { apiUrl: app.url, apiKey: key, campaign: "alpha" });
    const [invite] = await good.send(user(301, "Alice"), "/invite");
    const payload = /start=(\S+)/.exec(invite!)![1]!;

    // A key that was never issued (right shape, wrong secret).
    const wrong = await hostBot(fake, {
      apiUrl: app.url,
      apiKey: `rmk_${"A".repeat(43)}`,
      campaign: "alpha",
    });
    const before = await rowCounts(db);
    assert.deepEqual(await wrong.send(user(302, "Bob"), `/start ${payload}`), [
      "Welcome to the shop! [refmint: none]",
    ]);
    assert.deepEqual(await wrong.send(user(302, "Bob"), "/invite"), [
      "⚠️ Invitations are unavailable right now. Please try again later.",
    ]);
    assert.equal(wrong.errors.length, 2);
    for (const e of wrong.errors) {
      assert.ok(e instanceof RefmintApiError);
      assert.deepEqual([e.status, e.code], [401, "api_key_invalid"]);
    }
    assert.deepEqual(await rowCounts(db), before, "a wrong key writes nothing");

    // The owner revokes the key: it stops working at once.
    const [listed] = (await app.call("GET", "/api/admin/campaigns/alpha/api-keys", { auth: admin }))
      .body.items;
    const revoked = await app.call("DELETE", `/api/admin/campaigns/alpha/api-keys/${listed.id}`, {
      auth: admin,
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.changed, true);
    const afterRevoke = await rowCounts(db);
    assert.deepEqual(await good.send(user(303, "Carol"), `/start ${payload}`), [
      "Welcome to the shop! [refmint: none]",
    ]);
    const [e] = good.errors;
    assert.ok(e instanceof RefmintApiError);
    assert.deepEqual([e.status, e.code], [401, "api_key_invalid"]);
    assert.deepEqual(await rowCounts(db), afterRevoke, "a revoked key writes nothing");
    const audit = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectType, "api_key"))
      .orderBy(auditLog.id);
    assert.deepEqual(
      audit.map((a) => a.action),
      ["api_key.created", "api_key.revoked"],
    );
  });
});

test("a key of one campaign cannot touch another", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const fake = await FakeTelegram.start({ token: HOST_TOKEN, username: HOST_BOT });
    t.after(() => fake.close());
    const keyA = await createKey(app, "alpha", "alpha shop");
    const keyB = await createKey(app, "beta", "beta shop");
    const hostA = await hostBot(fake, { apiUrl: app.url, apiKey: keyA, campaign: "alpha" });
    const [invite] = await hostA.send(user(401, "Alice"), "/invite");
    const payload = /start=(\S+)/.exec(invite!)![1]!;
    await hostA.send(user(402, "Bob"), `/start ${payload}`);
    const [referral] = await db.db.select().from(referrals);
    assert.equal(referral?.status, "pending");
    const before = await rowCounts(db);

    // Key B naming campaign alpha: refused before anything is written, on every endpoint.
    const bAsAlpha = new RefmintClient({ apiUrl: app.url, apiKey: keyB, campaign: "alpha" });
    const refused = async (what: string, call: () => Promise<unknown>) => {
      await assert.rejects(call, (e: unknown) => {
        assert.ok(e instanceof RefmintApiError, what);
        assert.deepEqual([e.status, e.code], [403, "forbidden"], what);
        return true;
      });
    };
    await refused("start", () => bAsAlpha.start(user(403, "Carol"), payload));
    await refused("member", () => bAsAlpha.member(user(403, "Carol")));
    await refused("status", () => bAsAlpha.status(402));
    await refused("action", () =>
      bAsAlpha.reportAction({ telegramUserId: 402, type: "purchase", eventId: "x-1" }),
    );
    // Key B in its own campaign, with a link that names alpha: refused too.
    const beta = new RefmintClient({ apiUrl: app.url, apiKey: keyB, campaign: "beta" });
    await refused("alpha link on beta", () => beta.start(user(403, "Carol"), payload));
    assert.deepEqual(await rowCounts(db), before, "nothing written");

    // Key B reporting Bob's purchase in beta: Bob's alpha referral is not touched.
    const r = await beta.reportAction({ telegramUserId: 402, type: "purchase", eventId: "b-1" });
    assert.deepEqual([r.outcome, r.reason], ["ignored", "no_referral"]);
    const [still] = await db.db.select().from(referrals);
    assert.equal(still?.status, "pending");
    assert.equal((await db.db.select().from(ledgerEntries)).length, 0);

    // The alpha host ignores links of beta (another composer's campaign).
    const status: MemberStatus = await beta.member(user(401, "Alice"), HOST_BOT);
    assert.equal(status.member.startPayload.endsWith("__beta"), true);
    const counts = await rowCounts(db);
    assert.deepEqual(await hostA.send(user(404, "Dan"), `/start ${status.member.startPayload}`), [
      "Welcome to the shop! [refmint: none]",
    ]);
    assert.deepEqual(await rowCounts(db), counts);
  });
});
