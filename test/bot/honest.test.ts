/**
 * What the bot tells members, made honest (issue 14): every promise in the member's own
 * numbers (A/B variant, tier multiplier, the next tier's), the friends list with each
 * friend's state and a rate-limited "remind" button, review outcomes to both people, digests
 * of friends joining, quiet hours that delay and never drop, the campaign named when a member
 * has several, and Russian plural agreement. Real bot, fake Bot API, real database.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { InlineKeyboardMarkup } from "grammy/types";
import { createTranslator } from "../../bot/i18n.ts";
import { createNotificationSender } from "../../bot/notifications/sender.ts";
import {
  ledgerEntries,
  memberWallets,
  notifications,
  reviewItems,
} from "../../server/db/schema.ts";
import { compileCampaign } from "../../server/domain/campaign.ts";
import {
  completeChallenge,
  ensureMember,
  memberEarnings,
  qualify,
  rejectReview,
  systemAdmin,
} from "../../server/domain/index.ts";
import { enqueueNotification } from "../../server/domain/notifications.ts";
import { createLogger } from "../../server/logger.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { type BotHarness, startBotHarness } from "./support/harness.ts";

const TIERS = [
  { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10_000 },
  { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 1, multiplierBps: 12_000 },
];
const PAID_TX = `0x${"cd".repeat(32)}`;

const keyboardOf = (call: { params: Record<string, unknown> } | undefined) =>
  (call?.params.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [];
const textOf = (calls: Array<{ method: string; params: Record<string, unknown> }>) =>
  String(calls.find((c) => c.method === "sendMessage")?.params.text ?? "");
const answerOf = (calls: Array<{ method: string; params: Record<string, unknown> }>) =>
  String(calls.find((c) => c.method === "answerCallbackQuery")?.params.text ?? "");

function senderFor(h: BotHarness, now?: () => Date) {
  return createNotificationSender({
    db: h.db.db,
    campaigns: h.ctx.campaigns,
    translator: h.component.refmint!.translator,
    api: h.component.refmint!.services.bulkApi,
    logger: createLogger("silent"),
    pollMs: 20,
    now,
  });
}

test("/start, /invite, /rules and the share card promise the member's variant amount and tier multiplier, and the next tier's", async (t) => {
  await withDatabases(t, async (db) => {
    // Everyone lands in the one variant, which pays 12 at level 1 instead of the file's 10.
    const campaign = botCampaign({
      slug: "numbers",
      tiers: TIERS,
      variants: [{ id: "v12", weight: 1, levelAmounts: { "1": "12" } }],
    });
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [campaign],
      loops: false,
    });
    const alice = h.user(3101, "en", "Alice");
    const start = textOf(await h.say(alice, "/start"));
    assert.match(
      start,
      /you earn <b>12 REF<\/b>\. At tier <b>Pro<\/b> \(1 more friend\) it's <b>14\.4 REF<\/b>\./,
    );

    const invite = textOf(await h.say(alice, "/invite"));
    const hint = invite.split("\n").slice(-2);
    assert.deepEqual(hint, [
      "Every friend who joins through your link and completes the task “Join” earns you <b>12 REF</b>.",
      "At tier <b>Pro</b> (1 more friend) it's <b>14.4 REF</b>.",
    ]);

    const rulesLines = (text: string) => {
      const lines = text.split("\n");
      const from = lines.findIndex((l) => l.startsWith("<b>What you get"));
      return lines.slice(from, from + 4);
    };
    assert.deepEqual(rulesLines(textOf(await h.say(alice, "/rules"))), [
      "<b>What you get per friend who counts</b> (your tier <b>Base</b>, rewards ×1):",
      "• Level 1: 12 REF (at <b>Pro</b>: 14.4 REF)",
      "• Level 2: 20% of level 1, for you 2.4 REF (at <b>Pro</b>: 2.88 REF)",
      "• Level 3: 1 REF (at <b>Pro</b>: 1.2 REF)",
    ]);

    // The share card: the member sees what a friend earns them; the friend reads their bonus.
    const inline = await h.send(h.fake.inlineQuery(alice));
    const answer = inline.find((c) => c.method === "answerInlineQuery");
    const results = answer?.params.results as Array<{
      description: string;
      input_message_content: { message_text: string };
    }>;
    assert.equal(
      results[0]?.description,
      "Your personal link: you earn 12 REF per friend who counts",
    );
    assert.match(
      results[0]!.input_message_content.message_text,
      /\n🎁 You get 5 REF once you complete the task “Join”\.$/,
    );

    // A friend counts: Alice is Pro now, and every number is multiplied by 1.2.
    const aliceMember = await h.member(alice.id);
    const bob = h.user(3102, "en", "Bob");
    await h.say(bob, `/start ${aliceMember.code}`);
    const bobMember = await h.member(bob.id);
    await completeChallenge(h.ctx, { memberId: bobMember.id, challengeId: "join", source: "test" });
    const pro = textOf(await h.say(alice, "/rules"));
    assert.deepEqual(rulesLines(pro), [
      "<b>What you get per friend who counts</b> (your tier <b>Pro</b>, rewards ×1.2):",
      "• Level 1: 14.4 REF",
      "• Level 2: 20% of level 1, for you 2.88 REF",
      "• Level 3: 1.2 REF",
    ]);
    assert.ok(pro.includes("• <b>Pro</b>: from 1, ×1.2 ← your tier"), pro);
    const proInvite = textOf(await h.say(alice, "/invite"));
    assert.ok(proInvite.endsWith("earns you <b>14.4 REF</b>."), proInvite);

    // In Russian: «статус» for tiers, «20 %», the decimal comma.
    const ru = textOf(await h.say(h.user(3101, "ru", "Alice"), "/rules"));
    assert.ok(ru.includes("(ваш статус — <b>«Про»</b>, награды ×1,2):"), ru);
    assert.ok(ru.includes("• Уровень 2: 20\u00a0% от уровня 1, для вас — 2,88 REF"), ru);
    assert.ok(ru.includes("<b>Статусы участника</b>"), ru);
    assert.ok(ru.includes("• «База»: от 0 друзей, награды ×1"), ru);
    assert.ok(ru.includes("• <b>«Про»</b>: от 1 друга, награды ×1,2 ← ваш статус"), ru);
  });
});

test("memberEarnings: level 1 is the member's own variant, deeper levels a range over the friend's", () => {
  const campaign = botCampaign({
    tiers: TIERS,
    variants: [
      { id: "a", weight: 1, levelAmounts: { "1": "10" } },
      { id: "b", weight: 1, levelAmounts: { "1": "15" } },
    ],
  });
  const rules = compileCampaign(campaign);
  const e = memberEarnings(rules, 42, 0);
  const own = e.variant === "a" ? 10n : 15n;
  const REF = 10n ** 18n;
  assert.equal(e.levels[0]!.min, own * REF);
  assert.equal(e.levels[0]!.max, own * REF);
  // Level 2 is 20 % of the friend's level 1: 2 or 3, and at Pro ×1.2.
  assert.deepEqual(
    [e.levels[1]!.min, e.levels[1]!.max, e.levels[1]!.next?.min, e.levels[1]!.next?.max],
    [2n * REF, 3n * REF, (24n * REF) / 10n, (36n * REF) / 10n],
  );
  assert.equal(memberEarnings(rules, 42, 5).next, null);
  assert.equal(memberEarnings(rules, 42, 5).levels[0]!.min, (own * REF * 12n) / 10n);
});

test("/referrals shows each friend's state; remind reaches the friend once a day; a rejection reaches both", async (t) => {
  await withDatabases(t, async (db) => {
    const campaign = botCampaign({
      slug: "friends",
      qualification: { type: "wallet_linked" },
      fraud: {
        burst: { maxReferrals: 1000, windowMinutes: 10 },
        maxRefereesPerIp: 1,
        maxRefereesPerDevice: 1000,
        reviewSharedWallets: true,
      },
    });
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [campaign],
      loops: false,
    });
    const alice = await h.member(3201, "Alice");
    const [bob, carol, dan, erin, frank] = await Promise.all(
      [
        [3202, "Bob"],
        [3203, "Carol"],
        [3204, "Dan"],
        [3205, "Erin"],
        [3206, "Frank"],
      ].map(([id, name]) => h.member(id as number, name as string)),
    );
    const bobRef = await h.refer(alice, bob!);
    await h.refer(alice, carol!, { ipHash: "home" });
    const danRef = await h.refer(alice, dan!, { ipHash: "home" });
    const erinRef = await h.refer(alice, erin!);
    await h.refer(alice, frank!);
    for (const [i, m] of [carol!, dan!, erin!, frank!].entries()) {
      await db.db.insert(memberWallets).values({
        memberId: m.id,
        address: `0x${String(3300 + i).padStart(40, "0")}`,
        chainId: 31337,
      });
      await qualify(h.ctx, m.id, { type: "wallet_linked" });
    }
    // Two friends from one network: both go to review; Dan's is rejected with a reason.
    const [danReview] = await db.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.referralId, danRef));
    assert.ok(danReview, "Dan's referral is in review");
    await rejectReview(h.ctx, danReview.id, systemAdmin(), "Same household as another friend");
    // Erin's reward was paid on-chain (what the indexer records).
    await db.db
      .update(ledgerEntries)
      .set({ state: "settled", txHash: PAID_TX })
      .where(and(eq(ledgerEntries.referralId, erinRef), eq(ledgerEntries.memberId, alice.id)));

    const aliceUser = h.user(3201, "en", "Alice");
    const list = await h.say(aliceUser, "/referrals");
    assert.equal(
      textOf(list),
      [
        "👥 <b>Your friends</b>",
        "• Frank — ✅ counted, your reward is on its way",
        "• Erin — 💎 counted and paid",
        "• Dan — ❌ not accepted: Same household as another friend",
        "• Carol — 🔎 being checked by an admin",
        "• Bob — ⏳ waiting for them to link a wallet",
        "",
        "Tap a button to remind that friend (once a day per friend).",
      ].join("\n"),
    );
    assert.deepEqual(keyboardOf(list.find((c) => c.method === "sendMessage")), [
      [{ text: "🔔 Remind Bob", callback_data: `rm:${bobRef}` }],
    ]);

    // The reminder is queued for Bob once; a second tap the same day sends nothing.
    const message = h.lastMessageTo(aliceUser.id);
    const tap = () => h.send(h.fake.callback(aliceUser, `rm:${bobRef}`, message));
    assert.equal(answerOf(await tap()), "Reminder sent.");
    assert.equal(
      answerOf(await tap()),
      "You already reminded this friend today. Try again tomorrow.",
    );
    const reminders = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "friend_reminder"));
    assert.equal(reminders.length, 1);
    assert.equal(reminders[0]!.memberId, bob!.id);
    // Someone else's friend, and a friend who has finished: nothing queued.
    const mallory = h.user(3207, "en", "Mallory");
    assert.equal(
      answerOf(await h.send(h.fake.callback(mallory, `rm:${bobRef}`, message))),
      "This friend is no longer on your list.",
    );
    assert.equal(
      answerOf(await h.send(h.fake.callback(aliceUser, `rm:${erinRef}`, message))),
      "This friend has already finished: nothing to remind.",
    );
    assert.equal(
      (await db.db.select().from(notifications).where(eq(notifications.kind, "friend_reminder")))
        .length,
      1,
    );

    await h.component.sender!.drainOnce();
    assert.deepEqual(h.fake.textsTo(3202), [
      "👋 Alice invited you and is waiting for you: the invitation counts once you link a wallet. /start shows the next step.",
    ]);
    // The rejection reaches both people, with the reason.
    assert.ok(
      h.fake
        .textsTo(3201)
        .includes(
          "❌ The invitation of Dan was checked and not accepted: Same household as another friend. It won't pay a reward.",
        ),
      JSON.stringify(h.fake.textsTo(3201)),
    );
    assert.deepEqual(h.fake.textsTo(3204), [
      "❌ The invitation you joined through was checked and not accepted: Same household as another friend. Invited by: Alice.",
    ]);
  });
});

test("friends joining in a burst come as one digest; more within the hour wait and come as the next one, without holding up other notifications (Russian plurals)", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
      env: { BOT_DIGEST_MINUTES: "60" },
    });
    const alice = (await ensureMember(h.ctx, { id: 3301, firstName: "Алиса", languageCode: "ru" }))
      .member;
    for (let i = 2; i <= 6; i++) await h.refer(alice, await h.member(3300 + i, `Друг${i}`));
    await h.component.sender!.drainOnce();
    assert.deepEqual(h.fake.textsTo(3301), [
      "🎉 По вашей ссылке пришли 5 друзей: Друг2, Друг3, Друг4 и ещё 2. Каждый засчитается, когда выполнит задание «Вступить».",
    ]);
    const joined = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "referee_joined"))
      .orderBy(notifications.id);
    assert.deepEqual(
      joined.map((n) => n.status),
      ["sent", "sent", "sent", "sent", "sent"],
    );
    assert.deepEqual(
      joined.slice(1).map((n) => n.lastError),
      Array(4).fill(`digest:${joined[0]!.id}`),
    );

    // Two more within the hour: held back (not an attempt), nothing sent; a reward queued
    // after them is not held up.
    await h.refer(alice, await h.member(3307, "Друг7"));
    await h.refer(alice, await h.member(3308, "Друг8"));
    await h.component.sender!.drainOnce();
    await enqueueNotification(db.db, {
      memberId: alice.id,
      kind: "reward_paid",
      data: { entryId: 1, token: "REF", amount: "1", txHash: PAID_TX, escrow: false },
      dedupeKey: "after-joins",
    });
    await h.component.sender!.drainOnce();
    assert.equal(h.fake.textsTo(3301).length, 2);
    assert.match(h.fake.textsTo(3301)[1]!, /^💸 <b>1 REF<\/b>/);
    const [held] = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, "referee_joined"), eq(notifications.status, "pending")))
      .orderBy(notifications.id)
      .limit(1);
    assert.equal(held?.attempts, 0);
    assert.equal(
      held?.nextAttemptAt.getTime(),
      joined[0]!.sentAt!.getTime() + 60 * 60_000,
      "due when the hour since the last join message is over",
    );

    // An hour later: one digest of both.
    await senderFor(h, () => new Date(held!.nextAttemptAt.getTime() + 1000)).drainOnce();
    assert.deepEqual(h.fake.textsTo(3301).slice(2), [
      "🎉 По вашей ссылке пришли 2 друга: Друг7, Друг8. Каждый засчитается, когда выполнит задание «Вступить».",
    ]);
  });
});

test("quiet hours (set with /notifications, in the member's time zone) delay a notification until they end; a kind turned off is skipped", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    const bob = h.user(3401, "en", "Bob");
    const set = textOf(await h.say(bob, "/notifications quiet 22:00-06:00 +3"));
    assert.ok(set.startsWith("Saved.\n\n🔔 <b>Notifications</b>"), set);
    assert.ok(
      set.includes("🌙 Quiet hours: 22:00–06:00 (+03:00). Notifications wait until they end."),
      set,
    );
    const bad = textOf(await h.say(bob, "/notifications tz Mars/Olympus"));
    assert.match(bad, /is not a time zone/);

    // Turn "friends who joined" off with its button.
    const menu = await h.say(bob, "/notifications");
    const buttons = keyboardOf(menu.find((c) => c.method === "sendMessage")).flat();
    const joinedButton = buttons.find((b) => b.text === "🔕 Friends who joined");
    assert.ok(joinedButton && "callback_data" in joinedButton);
    const toggled = await h.send(
      h.fake.callback(bob, joinedButton.callback_data!, h.lastMessageTo(bob.id)),
    );
    const edit = toggled.find((c) => c.method === "editMessageText");
    assert.ok(String(edit?.params.text).includes("🔕 Friends who joined (off)"));

    const member = await h.member(bob.id);
    await enqueueNotification(db.db, {
      memberId: member.id,
      kind: "reward_paid",
      data: { entryId: 1, token: "REF", amount: "3", txHash: PAID_TX, escrow: false },
      dedupeKey: "quiet-1",
    });
    // 23:30 at +03:00 is 20:30 UTC: inside the quiet hours, which end at 03:00 UTC.
    const night = new Date("2027-06-10T20:30:00Z");
    await senderFor(h, () => night).drainOnce();
    assert.equal(h.fake.textsTo(bob.id).filter((x) => x.startsWith("💸")).length, 0);
    const [row] = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, "quiet-1"));
    assert.equal(row?.status, "pending");
    assert.equal(row?.attempts, 0);
    assert.equal(row?.nextAttemptAt.toISOString(), "2027-06-11T03:00:00.000Z");
    await senderFor(h, () => new Date("2027-06-11T02:59:00Z")).drainOnce();
    assert.equal(h.fake.textsTo(bob.id).filter((x) => x.startsWith("💸")).length, 0);
    await senderFor(h, () => new Date("2027-06-11T03:00:00Z")).drainOnce();
    assert.equal(h.fake.textsTo(bob.id).filter((x) => x.startsWith("💸")).length, 1);

    // A kind the member turned off: skipped, never sent.
    const alice = await h.member(3402, "Alice");
    await enqueueNotification(db.db, {
      memberId: member.id,
      kind: "referee_joined",
      data: { campaignId: h.ctx.campaigns.all()[0]!.id, referralId: 1, refereeId: alice.id },
      dedupeKey: "muted-1",
    });
    await senderFor(h, () => new Date("2027-06-11T12:00:00Z")).drainOnce();
    const [muted] = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, "muted-1"));
    assert.equal(muted?.status, "skipped");
    assert.equal(muted?.lastError, "muted by the member");
    assert.equal(h.fake.textsTo(bob.id).filter((x) => x.startsWith("🎉")).length, 0);
  });
});

test("with two campaigns, notifications and /balance name their campaign", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [
        botCampaign({ slug: "alpha", onchainId: 321, name: { en: "Alpha", ru: "Альфа" } }),
        botCampaign({ slug: "beta", onchainId: 322, name: { en: "Beta", ru: "Бета" } }),
      ],
      loops: false,
    });
    const beta = h.ctx.campaigns.bySlug("beta")!;
    const en = await h.member(3501, "Ann");
    const ru = (await ensureMember(h.ctx, { id: 3502, firstName: "Вера", languageCode: "ru" }))
      .member;
    for (const [m, key] of [
      [en, "two-en"],
      [ru, "two-ru"],
    ] as const)
      await enqueueNotification(db.db, {
        memberId: m.id,
        kind: "reward_paid",
        data: {
          campaignId: beta.id,
          entryId: m.id,
          token: "REF",
          amount: "2.5",
          txHash: PAID_TX,
          escrow: false,
        },
        dedupeKey: key,
      });
    await h.component.sender!.drainOnce();
    assert.match(h.fake.textsTo(3501)[0]!, /^🎯 Campaign “Beta”\n💸 <b>2\.5 REF<\/b> /);
    assert.match(h.fake.textsTo(3502)[0]!, /^🎯 Кампания «Бета»\n💸 <b>2,5 REF<\/b> /);

    const balance = textOf(await h.say(h.user(3501, "en", "Ann"), "/balance"));
    assert.deepEqual(
      balance.split("\n").filter((l) => l.startsWith("🎯")),
      ["🎯 <b>Alpha</b>", "🎯 <b>Beta</b>"],
    );
  });
});

test("Russian plural agreement: «остался 1 друг», «осталось 2 друга», «осталось 5 друзей», «остался 21 друг»", () => {
  const missing: string[] = [];
  const t = createTranslator((key) => missing.push(key)).t;
  const next = (left: number) =>
    t("ru", "stats-next-tier", { next: "Про", multiplier: "×1,5", left });
  assert.equal(next(1), "До статуса <b>Про</b> (×1,5) остался 1 друг.");
  assert.equal(next(2), "До статуса <b>Про</b> (×1,5) осталось 2 друга.");
  assert.equal(next(5), "До статуса <b>Про</b> (×1,5) осталось 5 друзей.");
  assert.equal(next(21), "До статуса <b>Про</b> (×1,5) остался 21 друг.");
  assert.equal(next(11), "До статуса <b>Про</b> (×1,5) осталось 11 друзей.");
  const levels = (n: number) => t("ru", "rules-short-levels", { levels: n });
  assert.match(levels(1), /\(до 1 уровня вглубь\)/);
  assert.match(levels(3), /\(до 3 уровней вглубь\)/);
  const digest = (count: number) =>
    t("ru", "notify-referee-digest", { count, names: "А", more: 0, qualification: "x" });
  assert.match(digest(21), /пришёл 21 друг:/);
  assert.match(digest(3), /пришли 3 друга:/);
  assert.match(digest(12), /пришли 12 друзей:/);
  assert.deepEqual(missing, []);
});
