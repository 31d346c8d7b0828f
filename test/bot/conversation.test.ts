/**
 * The referral story end to end in long polling mode against the fake Bot API: Alice
 * (Russian) invites Bob (English); Bob starts with her code, qualifies; both hear about it in
 * their own language, from the durable notification queue. Then the queue itself: what the
 * referral engine queues inside its transactions (referee joined, qualified at every level
 * that earned, tier reached, once each), the expiry job, and the sender: localized per
 * member, skipped when undeliverable, retried with backoff, failed when its data is bad,
 * each row sent once even with two senders, paced per chat and overall, fair across members,
 * and handed back at once when the sender stops. Pacing is asserted on the throttler's
 * schedule, kept on a virtual clock: no assertion depends on how fast the machine is.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import type { InlineKeyboardMarkup } from "grammy/types";
import { backoffSeconds, createNotificationSender } from "../../bot/notifications/sender.ts";
import type { Environment } from "../../server/config.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { notifications, referrals } from "../../server/db/schema.ts";
import {
  banMember,
  completeChallenge,
  ensureMember,
  getMemberByTelegramId,
  type MemberView,
  queueExpiryNotices,
  systemAdmin,
} from "../../server/domain/index.ts";
import { enqueueNotification } from "../../server/domain/notifications.ts";
import { exchangeLoginToken } from "../../server/domain/webLogin.ts";
import { createLogger } from "../../server/logger.ts";
import { testClock, virtualScheduler } from "../support/clock.ts";
import { useDatabase, withDatabases } from "../support/db.ts";
import { testDomain } from "../support/domain.ts";
import { botCampaign } from "./support/campaign.ts";
import { type BotHarness, startBotHarness } from "./support/harness.ts";

const TX = `0x${"ab".repeat(32)}`;

test("a member invites another, who starts with the code and qualifies; both are told in their language", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "polling", campaigns: [botCampaign()] });
    const alice = h.user(101, "ru", "Алиса");
    const bob = h.user(202, "en", "Bob");

    // Alice's first contact: a Russian welcome with a single-use dashboard login link.
    const started = await h.say(alice, "/start");
    const welcome = started.filter((c) => c.method === "sendMessage");
    assert.equal(welcome.length, 1);
    assert.equal(
      welcome[0]!.params.text,
      [
        "👋 Привет, Алиса! Добро пожаловать в кампанию <b>«Тест»</b>.",
        "Приглашайте друзей: за каждого друга, который выполнит задание «Вступить», вы получаете <b>10 REF</b>. Со статусом <b>«Про»</b> — <b>15 REF</b> (до него остался 1 друг). Вы также зарабатываете, когда приглашённые вами приглашают других (до 3 уровней вглубь).",
        "Что дальше:\n/invite — ваша личная ссылка-приглашение\n/stats — ваши приглашения и статус\n/referrals — ваши друзья и на каком они шаге\n/balance — ваш баланс в блокчейне\n/rules — полные правила\n/help — все команды",
      ].join("\n\n"),
    );
    assert.equal(welcome[0]!.params.parse_mode, "HTML");
    const button = (welcome[0]!.params.reply_markup as InlineKeyboardMarkup)
      .inline_keyboard[0]![0]!;
    assert.equal(button.text, "📊 Открыть личный кабинет");
    assert.ok("url" in button);
    const token = /^https:\/\/api\.refmint\.test\/login#token=([\w-]+)$/.exec(button.url)?.[1];
    assert.ok(token, button.url);
    const aliceMember = (await getMemberByTelegramId(db.db, alice.id))!;
    assert.equal((await exchangeLoginToken(h.ctx, token)).memberId, aliceMember.id);

    // /invite: code, tracked link, share buttons, and the QR code as a photo.
    const invite = await h.say(alice, "/invite");
    assert.deepEqual(
      invite.map((c) => c.method),
      ["sendMessage", "sendPhoto"],
    );
    const link = `https://api.refmint.test/r/${aliceMember.code}`;
    assert.equal(
      invite[0]!.params.text,
      [
        "📨 <b>Ваше приглашение</b>",
        `Ваш код: <code>${aliceMember.code}</code>`,
        `Ваша ссылка: <a href="${link}">${link}</a>`,
        `Сразу в бота: <a href="https://t.me/refmint_test_bot?start=${aliceMember.code}">https://t.me/refmint_test_bot?start=${aliceMember.code}</a>`,
        "За каждого друга, который придёт по вашей ссылке и выполнит задание «Вступить», вы получите <b>10 REF</b>.",
        "Со статусом <b>«Про»</b> — <b>15 REF</b> (до него остался 1 друг).",
      ].join("\n"),
    );
    const keyboard = (invite[0]!.params.reply_markup as InlineKeyboardMarkup).inline_keyboard;
    assert.deepEqual(keyboard[0], [
      {
        text: "📤 Поделиться",
        url: `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent("Присоединяйтесь ко мне в Telegram: кампания «Тест»!")}`,
      },
    ]);
    assert.deepEqual(keyboard[1], [{ text: "💬 Отправить в чат", switch_inline_query: "" }]);
    const photo = invite[1]!.params;
    assert.equal(photo.chat_id, String(alice.id));
    assert.match(String(photo.photo), /^attach:\/\//);
    const file = Object.values(photo).find(
      (v): v is { type: string; size: number } =>
        typeof v === "object" && v !== null && "size" in v,
    );
    assert.ok(file && file.size > 500, "a PNG file is attached");

    // Bob starts with Alice's code: attributed once, told whose invitation it was.
    const bobStart = await h.say(bob, `/start ${aliceMember.code}`);
    const bobText = String(bobStart.find((c) => c.method === "sendMessage")?.params.text);
    assert.equal(
      bobText.split("\n\n").slice(0, 3).join("\n\n"),
      [
        "👋 Hi Bob! Welcome to <b>Test</b>.",
        "🤝 You joined through Алиса's invitation.",
        "🎁 You get a welcome bonus of <b>5 REF</b> once you complete the task “Join”.",
      ].join("\n\n"),
    );
    const bobMember = (await getMemberByTelegramId(db.db, bob.id))!;
    const [referral] = await db.db
      .select()
      .from(referrals)
      .where(eq(referrals.refereeId, bobMember.id));
    assert.equal(referral?.referrerId, aliceMember.id);

    // Alice hears about it from the queue, in Russian.
    await h.fake.waitForTexts(alice.id, 4);
    assert.equal(
      h.fake.textsTo(alice.id)[3],
      "🎉 По вашей ссылке пришёл новый участник: Bob! Вы получите награду, когда новый участник выполнит задание «Вступить».",
    );

    // Bob completes the task: the referral qualifies, Alice earns with the Pro multiplier.
    const done = await completeChallenge(h.ctx, {
      memberId: bobMember.id,
      challengeId: "join",
      source: "test",
    });
    assert.equal(done.qualification?.status, "qualified");
    const alicesTexts = await h.fake.waitForTexts(alice.id, 6);
    assert.deepEqual(alicesTexts.slice(4), [
      "✅ Ваше приглашение засчитано (Bob): вы заработали <b>15 REF</b>.",
      "🏅 Новый статус: <b>Про</b>! По вашей ссылке пришёл 1 друг, и теперь ваши награды ×1,5.",
    ]);

    // The payout pipeline settles Bob's welcome bonus: Bob is told in English.
    const welcomeEntry =
      done.qualification?.status === "qualified" ? done.qualification.entryIds : [];
    await enqueueNotification(db.db, {
      memberId: bobMember.id,
      kind: "reward_paid",
      data: {
        entryId: welcomeEntry.at(-1) ?? 0,
        token: "REF",
        amount: "5",
        txHash: TX,
        escrow: false,
      },
      dedupeKey: `reward_paid:${welcomeEntry.at(-1)}`,
    });
    const bobTexts = await h.fake.waitForTexts(bob.id, 2);
    assert.equal(
      bobTexts[1],
      "💸 <b>5 REF</b> paid to your wallet. Transaction: <code>0xabab…abab</code>",
    );

    // Everything queued went out exactly once.
    await h.queueSettled();
    const rows = await db.db
      .select({ kind: notifications.kind, status: notifications.status })
      .from(notifications)
      .where(eq(notifications.status, "sent"));
    assert.deepEqual(rows.map((r) => r.kind).sort(), [
      "referee_joined",
      "referral_qualified",
      "reward_paid",
      "tier_reached",
    ]);
    assert.equal(h.fake.sentTo(alice.id).length, 6);
    assert.equal(h.fake.sentTo(bob.id).length, 2);
  });
});

const PAID_TX = `0x${"12".repeat(32)}`;

test("the engine queues referee_joined, referral_qualified per earning level and tier_reached, once each", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [botCampaign({ expiry: { days: 5 } })] });
    // A ← B ← C ← D, then A ← E: D's qualification pays C (L1), B (L2) and A (L3).
    const [a, b, c, dd, e] = [
      await d.member(1, "A"),
      await d.member(2, "B"),
      await d.member(3, "C"),
      await d.member(4, "D"),
      await d.member(5, "E"),
    ] as MemberView[];
    await d.refer(a!, b!);
    await d.refer(b!, c!);
    await d.refer(c!, dd!);
    await d.refer(a!, e!);
    const queued = async () =>
      (await db.db.select().from(notifications).orderBy(notifications.id)).map((n) => [
        n.memberId,
        n.kind,
        n.data,
      ]);
    assert.deepEqual(
      (await queued()).map(([m, k]) => [m, k]),
      [
        [a!.id, "referee_joined"],
        [b!.id, "referee_joined"],
        [c!.id, "referee_joined"],
        [a!.id, "referee_joined"],
      ],
    );
    await db.db.delete(notifications);

    for (const m of [b!, c!, dd!])
      await completeChallenge(d.ctx, { memberId: m.id, challengeId: "join", source: "test" });
    const rows = await queued();
    const qualifiedD = rows.filter(
      ([, k, data]) =>
        k === "referral_qualified" && (data as { refereeId: number }).refereeId === dd!.id,
    );
    assert.deepEqual(
      qualifiedD.map(([m, , data]) => [
        m,
        (data as { level: number }).level,
        (data as { amount: string }).amount,
      ]),
      [
        [c!.id, 1, "15"], // C's first qualified friend: Pro, ×1.5
        [b!.id, 2, "3"], // 20% of level 1's base (10) = 2, ×1.5 (B is Pro since C qualified)
        [a!.id, 3, "1.5"],
      ],
    );
    // Each member reached Pro once: A with B, B with C, C with D.
    assert.deepEqual(
      rows
        .filter(([, k]) => k === "tier_reached")
        .map(([m, , data]) => [m, (data as { tierId: string }).tierId]),
      [
        [a!.id, "pro"],
        [b!.id, "pro"],
        [c!.id, "pro"],
      ],
    );
    // A second qualified friend of A is no new tier.
    await completeChallenge(d.ctx, { memberId: e!.id, challengeId: "join", source: "test" });
    assert.equal((await queued()).filter(([, k]) => k === "tier_reached").length, 3);

    // Expiry notices: every unsent grant expiring within the notice period, once.
    const soon = new Date(d.clock.now().getTime() + 4 * 86_400_000);
    assert.equal(await queueExpiryNotices(db.db, d.clock.now(), 3), 0, "5 days away: not yet");
    const count = await queueExpiryNotices(db.db, soon, 3);
    const grants = (await db.db.execute(
      sql`select count(*)::int as n from ledger_entries`,
    )) as unknown as {
      rows: Array<{ n: number }>;
    };
    assert.equal(count, grants.rows[0]!.n);
    assert.equal(await queueExpiryNotices(db.db, soon, 3), 0, "once per grant");
  });
});

test("the sender localizes per member and skips, retries or fails what it cannot send", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    const sender = h.component.sender!;
    const ru = await ensureMember(h.ctx, { id: 901, firstName: "Оля", languageCode: "ru" });
    const en = await ensureMember(h.ctx, { id: 902, firstName: "Ann", languageCode: "en" });
    const blocked = await ensureMember(h.ctx, { id: 903, firstName: "Bo", languageCode: "en" });
    const banned = await ensureMember(h.ctx, { id: 904, firstName: "Cy", languageCode: "en" });
    await banMember(h.ctx, banned.member.id, "fraud", systemAdmin());
    h.fake.block(903);
    const paid = (memberId: number, key: string, data: Record<string, string | boolean>) =>
      enqueueNotification(db.db, {
        memberId,
        kind: "reward_paid",
        data: {
          entryId: 1,
          token: "REF",
          amount: "1234.5",
          txHash: PAID_TX,
          escrow: false,
          ...data,
        },
        dedupeKey: key,
      });
    await paid(ru.member.id, "ru", { escrow: true });
    await paid(en.member.id, "en", {});
    await paid(blocked.member.id, "blocked", {});
    await paid(banned.member.id, "banned", {});
    await paid(en.member.id, "bad", { txHash: "0x1" });

    assert.equal(await sender.drainOnce(), 5);
    assert.deepEqual(h.fake.textsTo(901), [
      "💸 <b>1\u00a0234,5 REF</b> зарезервировано для вас в блокчейне (транзакция <code>0x1212…1212</code>). Привяжите кошелёк, чтобы получить.",
    ]);
    assert.deepEqual(h.fake.textsTo(902), [
      "💸 <b>1,234.5 REF</b> paid to your wallet. Transaction: <code>0x1212…1212</code>",
    ]);
    const status = async () =>
      Object.fromEntries(
        (await db.db.select().from(notifications)).map((n) => [
          n.dedupeKey,
          [n.status, n.lastError],
        ]),
      );
    assert.deepEqual(await status(), {
      ru: ["sent", null],
      en: ["sent", null],
      blocked: ["skipped", "Forbidden: bot was blocked by the user"],
      banned: ["skipped", "member banned"],
      bad: ["failed", "data.txHash must be a transaction hash"],
    });

    // A Telegram outage: back to pending with a backoff, then sent. The queue runs on the
    // test's clock here, so "not due yet" and "due" do not depend on the machine's speed.
    const clock = testClock(new Date());
    const timed = senderFor(h, { now: clock.now });
    await enqueueNotification(db.db, {
      memberId: en.member.id,
      kind: "reward_paid",
      data: { entryId: 1, token: "REF", amount: "1", txHash: PAID_TX, escrow: false },
      dedupeKey: "outage",
      notBefore: clock.now(),
    });
    h.fake.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    assert.equal(await timed.drainOnce(), 1);
    const [row] = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, "outage"));
    assert.equal(row?.status, "pending");
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastError, "Bad Gateway");
    assert.equal(row!.nextAttemptAt.getTime(), clock.now().getTime() + backoffSeconds(1) * 1000);
    clock.advance(backoffSeconds(1) * 1000 - 1);
    assert.equal(await timed.drainOnce(), 0, "not due yet");
    clock.advance(1);
    assert.equal(await timed.drainOnce(), 1);
    assert.equal((await status()).outage?.[0], "sent");

    // /language overrides the client's language for notifications too.
    await h.say(h.user(902, "en", "Ann"), "/language");
    const choice = h.lastMessageTo(902);
    await h.send(h.fake.callback(h.user(902, "en", "Ann"), "lang:ru", choice));
    await paid(en.member.id, "after-language", {});
    await sender.drainOnce();
    assert.match(
      h.fake.textsTo(902).at(-1) ?? "",
      /^💸 <b>1\u00a0234,5 REF<\/b> выплачено на ваш кошелёк/,
    );
  });
});

test("three senders draining at once deliver every notification exactly once", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    for (let i = 0; i < 20; i++) {
      const m = await ensureMember(h.ctx, { id: 950 + i, languageCode: "en" });
      await enqueueNotification(db.db, {
        memberId: m.member.id,
        kind: "reward_paid",
        data: { entryId: i, token: "REF", amount: "1", txHash: PAID_TX, escrow: false },
        dedupeKey: `r${i}`,
      });
    }
    // Small batches, so the three really compete for rows (as three processes would).
    const senders = [1, 2, 3].map(() =>
      createNotificationSender({
        db: db.db,
        campaigns: h.ctx.campaigns,
        translator: h.component.refmint!.translator,
        api: h.component.refmint!.services.bulkApi,
        logger: createLogger("silent"),
        pollMs: 10,
        batchSize: 3,
      }),
    );
    const drain = async (s: (typeof senders)[number]) => {
      let n = 0;
      for (let got = await s.drainOnce(); got > 0; got = await s.drainOnce()) n += got;
      return n;
    };
    const claimed = await Promise.all(senders.map(drain));
    assert.equal(
      claimed.reduce((x, y) => x + y, 0),
      20,
    );
    for (let i = 0; i < 20; i++) assert.equal(h.fake.sentTo(950 + i).length, 1);
  });
});

/** A sender over the harness's bulk API (the component's own is not started with loops off). */
function senderFor(h: BotHarness, o: { now?: () => Date; batchSize?: number } = {}) {
  return createNotificationSender({
    db: h.db.db,
    campaigns: h.ctx.campaigns,
    translator: h.component.refmint!.translator,
    api: h.component.refmint!.services.bulkApi,
    logger: createLogger("silent"),
    pollMs: 20,
    ...o,
  });
}

const reward = (memberId: number, key: string, amount: number) =>
  ({
    memberId,
    kind: "reward_paid",
    data: { entryId: amount, token: "REF", amount: String(amount), txHash: PAID_TX, escrow: false },
    dedupeKey: key,
  }) as const;

/** The amounts of the reward notices a chat got, in order. */
const amountsTo = (h: BotHarness, chatId: number) =>
  h.fake.textsTo(chatId).map((t) => Number(/<b>(\d+) REF<\/b>/.exec(t)?.[1]));

/** Polls `check` until it holds (a liveness wait, not a timing assertion). */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A webhook bot with its throttler on a virtual clock and no loops (the test drains). */
const throttledHarness = (t: TestContext, db: DatabaseHandle, env?: Environment) =>
  startBotHarness(t, db, {
    mode: "webhook",
    campaigns: [botCampaign()],
    loops: false,
    ...(env ? { env } : {}),
    throttle: {},
    scheduler: virtualScheduler(),
  });

// Pacing is the throttler's, not the database's: one database kind is enough. The throttler
// runs on a virtual clock; the test reads the schedule it kept, not the wall clock.
test("bulk sends keep Telegram's pace of one message a second per chat", async (t) => {
  await useDatabase("pglite", async (db) => {
    const h = await throttledHarness(t, db);
    const m = await ensureMember(h.ctx, { id: 990, languageCode: "en" });
    for (let i = 0; i < 3; i++)
      await enqueueNotification(db.db, reward(m.member.id, `p${i}`, i + 1));
    await h.component.sender!.drainOnce();
    assert.deepEqual(amountsTo(h, 990), [1, 2, 3], "in queue order");
    const times = h.slots.filter((s) => s.chat === "990").map((s) => s.at);
    assert.equal(times.length, 3);
    for (let i = 1; i < times.length; i++)
      assert.ok(
        times[i]! - times[i - 1]! >= 1000,
        `scheduled ${times[i]! - times[i - 1]!} ms apart`,
      );
  });
});

test("the bulk throttle holds BOT_BULK_PER_SECOND in every one-second window", async (t) => {
  await useDatabase("pglite", async (db) => {
    const h = await throttledHarness(t, db, { BOT_BULK_PER_SECOND: "25" });
    const api = h.component.refmint!.services.bulkApi;
    // 100 chats at once (a broadcast's batches and notifications together, say).
    await Promise.all(Array.from({ length: 100 }, (_, i) => api.sendMessage(20_000 + i, `n${i}`)));
    assert.equal(h.fake.callsTo("sendMessage").length, 100);
    const times = h.slots.map((s) => s.at).sort((a, b) => a - b);
    assert.equal(times.length, 100);
    // Evenly spaced, so no one-second window holds more than 25 (any 26 consecutive places
    // span a second) and network delay cannot bunch a burst onto the next one…
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! - times[i - 1]! >= 40, `${times[i]! - times[i - 1]!} ms apart`);
    for (let i = 25; i < times.length; i++)
      assert.ok(
        times[i]! - times[i - 25]! >= 1000,
        `26 sends within ${times[i]! - times[i - 25]!} ms`,
      );
    // …and the pace is used: the 100 go out at 25 a second.
    assert.equal(times[99]! - times[0]!, 99 * 40);
  });
});

test("one member's backlog never delays another member's notification", async (t) => {
  await useDatabase("pglite", async (db) => {
    const h = await throttledHarness(t, db);
    const busy = await ensureMember(h.ctx, { id: 991, languageCode: "en" });
    const other = await ensureMember(h.ctx, { id: 992, languageCode: "en" });
    // A busy referrer's 100 notices are queued first, then one for somebody else.
    for (let i = 1; i <= 100; i++)
      await enqueueNotification(db.db, reward(busy.member.id, `b${i}`, i));
    await enqueueNotification(db.db, reward(other.member.id, "o", 7));
    await h.component.sender!.drainOnce();

    const chats = h.fake.callsTo("sendMessage").map((c) => Number(c.params.chat_id));
    assert.equal(chats.length, 101);
    assert.ok(chats.indexOf(992) < chats.indexOf(991, chats.indexOf(991) + 1), chats.join());
    const slot = h.slots.find((s) => s.chat === "992")!;
    assert.ok(slot.at - slot.requestedAt < 1000, `waited ${slot.at - slot.requestedAt} ms`);
    // The busy member still gets everything, in order, one a second.
    assert.deepEqual(
      amountsTo(h, 991),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const times = h.slots.filter((s) => s.chat === "991").map((s) => s.at);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 1000);
  });
});

test("a notification does not wait for another member's send that is under way", async (t) => {
  await useDatabase("pglite", async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    const busy = await ensureMember(h.ctx, { id: 993, languageCode: "en" });
    const other = await ensureMember(h.ctx, { id: 994, languageCode: "en" });
    for (let i = 1; i <= 3; i++)
      await enqueueNotification(db.db, reward(busy.member.id, `b${i}`, i));
    // Telegram takes as long as the test wants to answer the busy member's first message.
    const answer = h.fake.hold("sendMessage", (p) => Number(p.chat_id) === 993);
    const sender = senderFor(h);
    sender.start();
    t.after(() => sender.stop());
    await h.fake.waitFor((c) => c.method === "sendMessage" && Number(c.params.chat_id) === 993);
    await enqueueNotification(db.db, reward(other.member.id, "o", 7));
    sender.nudge();
    assert.deepEqual(await h.fake.waitForTexts(994, 1), [
      "💸 <b>7 REF</b> paid to your wallet. Transaction: <code>0x1212…1212</code>",
    ]);
    assert.equal(h.fake.sentTo(993).length, 0, "the busy member's first send is still under way");
    answer();
    await h.fake.waitForTexts(993, 3);
    assert.deepEqual(amountsTo(h, 993), [1, 2, 3]);
  });
});

test("stopping hands unsent notifications back at once, in order; a send under way is finished", async (t) => {
  await withDatabases(t, async (db) => {
    // The throttler's clock stands still: what waits for its turn waits until the stop.
    const scheduler = virtualScheduler("manual");
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
      throttle: {},
      scheduler,
    });
    const [a, b, c] = await Promise.all(
      [995, 996, 997].map(
        async (id) => (await ensureMember(h.ctx, { id, languageCode: "en" })).member,
      ),
    );
    for (const round of [1, 2])
      for (const m of [a!, b!, c!])
        await enqueueNotification(db.db, reward(m.id, `${m.telegramId}:${round}`, round));
    const rows = async () =>
      Object.fromEntries(
        (await db.db.select().from(notifications)).map((n) => [
          n.dedupeKey,
          [n.status, n.attempts],
        ]),
      );
    // Telegram is slow to answer b's first message.
    const answer = h.fake.hold("sendMessage", (p) => Number(p.chat_id) === 996);
    const throttle = h.component.refmint!.services.bulkThrottle;
    const sender = senderFor(h);
    sender.start();
    // a1 goes at once; b1 and c1 wait for their places (40 ms apart at 25 a second).
    await h.fake.waitForTexts(995, 1);
    await eventually("b1 and c1 waiting for their places", async () => throttle.waiting === 2);
    await scheduler.advance(80);
    await h.fake.waitForTexts(997, 1);
    await h.fake.waitFor(
      (call) => call.method === "sendMessage" && Number(call.params.chat_id) === 996,
    );
    // a's and c's second notices are claimed and wait for their chats' next second, which
    // never comes on this clock.
    await eventually("a2 and c2 claimed and waiting", async () => {
      const r = await rows();
      return r["995:2"]?.[1] === 1 && r["997:2"]?.[1] === 1 && throttle.waiting === 2;
    });

    const stopped = sender.stop();
    // Handed back at once (b's send is still under way): pending, due, the attempt not counted.
    await eventually("a2 and c2 handed back", async () => {
      const r = await rows();
      return r["995:2"]?.[1] === 0 && r["997:2"]?.[1] === 0;
    });
    assert.deepEqual(await rows(), {
      "995:1": ["sent", 1],
      "996:1": ["pending", 1],
      "997:1": ["sent", 1],
      "995:2": ["pending", 0],
      "996:2": ["pending", 0],
      "997:2": ["pending", 0],
    });
    const [due] = await db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(sql`status = 'pending' and attempts = 0 and next_attempt_at <= now()`);
    assert.equal(due?.n, 3, "due at once");
    assert.equal(h.fake.sentTo(995).length, 1, "nothing more was sent after the stop");
    assert.equal(h.fake.sentTo(997).length, 1);
    // The send under way finishes and counts: it is not handed back (and sent twice).
    answer();
    await stopped;
    assert.deepEqual((await rows())["996:1"], ["sent", 1]);

    // The next start sends the rest, each member's in order, each once.
    scheduler.auto();
    assert.equal(await senderFor(h).drainOnce(), 3);
    for (const m of [a!, b!, c!]) assert.deepEqual(amountsTo(h, m.telegramId), [1, 2]);
  });
});
