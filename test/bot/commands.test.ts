/**
 * The commands against the real bot. Members: /start with the API's refusals of invite codes
 * (each a helpful message, nothing attributed) and in Mini App mode, /stats, /rewards (with
 * explorer links), /rules (generated from the campaign, in both languages), /help,
 * /language, /login and /wallet links, the inline share card, unknown commands, banned
 * members, group chats, and the error boundary's polite answer. Admins: refusals for
 * everyone else, /pause and /resume honoured by the referral engine, /review with approve
 * and reject-with-reason, and /broadcast (localized, previewed, progress in one edited
 * message, resumable after a stop).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { Api } from "grammy";
import type { InlineKeyboardMarkup, InlineQueryResultArticle, Message } from "grammy/types";
import { createBroadcaster } from "../../bot/broadcast.ts";
import { createTranslator } from "../../bot/i18n.ts";
import { invalidateReads } from "../../server/db/index.ts";
import { botBroadcasts } from "../../server/db/schema/bot.ts";
import { chainPayouts } from "../../server/db/schema/chain.ts";
import {
  auditLog,
  campaigns,
  ledgerEntries,
  members,
  notifications,
  referrals,
  reviewItems,
  starts,
} from "../../server/db/schema.ts";
import {
  banMember,
  completeChallenge,
  createDraft,
  ensureMember,
  pauseCampaign,
  startBroadcast,
  systemAdmin,
} from "../../server/domain/index.ts";
import { memberTag } from "../../server/domain/readTags.ts";
import { exchangeLoginToken } from "../../server/domain/webLogin.ts";
import { createLogger } from "../../server/logger.ts";
import { virtualScheduler } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { testDomain } from "../support/domain.ts";
import { TEST_BOT_TOKEN } from "../support/telegram.ts";
import { botCampaign } from "./support/campaign.ts";
import { FakeTelegram } from "./support/fakeTelegram.ts";
import { ADMIN_ID, onPglite, startBotHarness } from "./support/harness.ts";

const campaign = () =>
  botCampaign({
    caps: { perMemberDaily: { REF: "200" }, perMemberTotal: { REF: "5000" } },
    expiry: { days: 90 },
  });
const TX = `0x${"cd".repeat(32)}`;
const buttonUrl = (markup: unknown) =>
  ((markup as InlineKeyboardMarkup).inline_keyboard[0]![0] as { url: string }).url;

test("/rules are generated from the campaign the engine runs, in the member's language", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [campaign()],
      loops: false,
    });
    const [en] = await h.say(h.user(1001, "en"), "/rules");
    // The rules; then, after a blank line, their version (test/bot/rulesVersions.test.ts).
    assert.equal(
      String(en?.params.text).split("\n\n")[0],
      [
        "📜 <b>Test: the rules</b>",
        "Runs from 1 Jan 2020 to 1 Jan 2099 (UTC).",
        "<b>When does an invitation count?</b> When your friend completes the task “Join”.",
        "<b>What you get per friend who counts</b> (your tier <b>Base</b>, rewards ×1):",
        "• Level 1: 10 REF (at <b>Pro</b>: 15 REF)",
        "• Level 2: 20% of level 1, for you 2 REF (at <b>Pro</b>: 3 REF)",
        "• Level 3: 1 REF (at <b>Pro</b>: 1.5 REF)",
        "🎁 Every friend you invite also gets a welcome bonus of 5 REF once their invitation counts.",
        "<b>Tiers</b> (by the number of friends who counted) multiply your rewards:",
        "• <b>Base</b>: from 0, ×1 ← your tier",
        "• Pro: from 1, ×1.5",
        "<b>Limits per member:</b>",
        "• at most 200 REF a day",
        "• at most 5,000 REF in total",
        "⌛ A reward not paid out within 90 days expires.",
        "<b>Tasks:</b>",
        "• Join: 2 REF",
        "<b>Fair play:</b> you can't invite yourself, invitations can't go in a circle, and each member is invited only once, within 24 hours of first opening the bot. Suspicious invitations are checked by a person before they pay. Every reward is paid on-chain, so anyone can check it.",
      ].join("\n"),
    );
    const [ru] = await h.say(h.user(1002, "ru"), "/rules");
    const lines = String(ru?.params.text).split("\n");
    assert.equal(
      lines[5],
      "• Уровень 2: 20\u00a0% от уровня 1, для вас — 2 REF (со статусом «Про» — 3 REF)",
    );
    assert.equal(lines[10], "• «Про»: от 1 друга, награды ×1,5");
    assert.equal(lines[13], "• не больше 5\u00a0000 REF всего");
  });
});

test("/rules of a campaign that takes members of other campaigns (attribution.newMembersOnly false) say so", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign({ attribution: { newMembersOnly: false } })],
      loops: false,
    });
    const fairness = async (id: number, lang: "en" | "ru") => {
      const [reply] = await h.say(h.user(id, lang), "/rules");
      return String(reply?.params.text).split("\n\n")[0]!.split("\n").at(-1);
    };
    assert.equal(
      await fairness(1011, "en"),
      "<b>Fair play:</b> you can't invite yourself, invitations can't go in a circle, and each member is invited only once in this campaign, within 24 hours of joining it: members who already take part in our other campaigns can be invited here too. Suspicious invitations are checked by a person before they pay. Every reward is paid on-chain, so anyone can check it.",
    );
    assert.match(
      (await fairness(1012, "ru")) ?? "",
      /^<b>Честная игра:<\/b> .*приглашают в эту кампанию только один раз — в течение 24 часов после того, как он к ней присоединился\. Пригласить сюда можно и тех, кто уже участвует в других наших кампаниях\./,
    );
  });
});

test("/stats, /rewards with explorer links, /login and /wallet links, /help and /language", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [campaign()],
      env: { EXPLORER_URL: "https://explorer.test/" },
      // Replies only: the notification sender would add its own messages to these chats.
      loops: false,
    });
    const alice = h.user(1101, "en", "Alice");
    await h.say(alice, "/start");
    const a = await h.member(alice.id);
    const bob = await h.member(1102, "Bob");
    const carol = await h.member(1103, "Carol");
    await h.refer(a, bob);
    await h.refer(a, carol);
    await completeChallenge(h.ctx, { memberId: bob.id, challengeId: "join", source: "test" });
    const [entry] = await db.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, a.id));
    await db.db
      .update(ledgerEntries)
      .set({ state: "settled", txHash: TX, settledAt: new Date() })
      .where(eq(ledgerEntries.id, entry!.id));

    const [stats] = await h.say(alice, "/stats");
    assert.equal(
      stats?.params.text,
      [
        "📈 <b>Your invitations</b>",
        "Link opened: 0 times · bot started through it: 2 times",
        "Level 1: 1 counted · 1 waiting · 0 under review",
        "🏅 Tier: <b>Pro</b> (×1.5 rewards)",
        "You are at the top tier. 🎉",
      ].join("\n"),
    );
    const [rewards] = await h.say(alice, "/rewards");
    assert.equal(
      rewards?.params.text,
      [
        "🧾 <b>Your latest rewards</b>",
        `• <b>15 REF</b> — level 1 invitation — paid · tx <a href="https://explorer.test/tx/${TX}">0xcdcd…cdcd</a>`,
      ].join("\n"),
    );
    // Paid on-chain, but into escrow (Alice has no wallet): reserved for her, not "paid".
    await db.db.insert(chainPayouts).values({
      campaignId: entry!.campaignId,
      payoutId: entry!.id,
      token: entry!.token,
      amount: entry!.amount,
      escrow: true,
      entryId: entry!.id,
      txHash: TX,
      blockNumber: 1,
    });
    const [reserved] = await h.say(alice, "/rewards");
    assert.equal(
      String(reserved?.params.text).split("\n")[1],
      `• <b>15 REF</b> — level 1 invitation — reserved for you on-chain: link a wallet to receive it · tx <a href="https://explorer.test/tx/${TX}">0xcdcd…cdcd</a>`,
    );
    const bobsRewards = await h.say(h.user(1102, "ru", "Bob"), "/rewards");
    // The date the engine wrote (not "now + 90 days" here, which may fall on another day).
    const [bobsEntry] = await db.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, bob.id));
    const expires = new Intl.DateTimeFormat("ru-RU", {
      dateStyle: "medium",
      timeZone: "UTC",
    }).format(bobsEntry!.expiresAt!);
    assert.deepEqual(String(bobsRewards[0]?.params.text).split("\n").slice(1), [
      `• <b>5 REF</b> — приветственный бонус — в очереди на выплату · сгорит ${expires}`,
      `• <b>2 REF</b> — задание — в очереди на выплату · сгорит ${expires}`,
    ]);

    // /login: a fresh single-use link every time.
    const [login1] = await h.say(alice, "/login");
    const [login2] = await h.say(alice, "/login");
    const token = (url: string) => url.split("#token=")[1]!;
    const t1 = token(buttonUrl(login1?.params.reply_markup));
    assert.notEqual(t1, token(buttonUrl(login2?.params.reply_markup)));
    assert.equal((await exchangeLoginToken(h.ctx, t1)).memberId, a.id);
    await assert.rejects(exchangeLoginToken(h.ctx, t1), { code: "login_link_used" });

    // /wallet shows the linked address with an explorer link.
    await db.db.execute(
      `insert into member_wallets (member_id, address, chain_id) values (${a.id}, '0x000000000000000000000000000000000000dEaD', 31337)` as never,
    );
    invalidateReads(db.db, [memberTag(a.id)]); // as the domain's wallet link does
    const [wallet] = await h.say(alice, "/wallet");
    assert.match(
      String(wallet?.params.text),
      /^👛 Your linked wallet: <a href="https:\/\/explorer\.test\/address\/0x000000000000000000000000000000000000dEaD">0x0000…dEaD<\/a>\n/,
    );

    // /help: admins see their commands too.
    const [memberHelp] = await h.say(alice, "/help");
    assert.doesNotMatch(String(memberHelp?.params.text), /\/review/);
    const [adminHelp] = await h.say(h.user(ADMIN_ID, "en"), "/help");
    assert.match(
      String(adminHelp?.params.text),
      /🛠 <b>Admin<\/b>\n\/admin — a login link to the admin console.*\n\/review/,
    );

    // /language: Russian from now on, whatever the client says.
    const [choose] = await h.say(alice, "/language");
    assert.deepEqual((choose!.params.reply_markup as InlineKeyboardMarkup).inline_keyboard, [
      [
        { text: "🇬🇧 English", callback_data: "lang:en" },
        { text: "🇷🇺 Русский", callback_data: "lang:ru" },
      ],
    ]);
    const switched = await h.send(h.fake.callback(alice, "lang:ru", choose!.result as never));
    assert.equal(
      switched.find((c) => c.method === "editMessageText")?.params.text,
      "Готово: теперь я говорю с вами по-русски.",
    );
    assert.match(String((await h.say(alice, "/help"))[0]?.params.text), /^🤖 <b>Что я умею<\/b>/);
  });
});

test("the inline query answers with a personal share card", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [campaign()],
      loops: false,
    });
    const alice = h.user(1201, "en", "Alice");
    const calls = await h.send(h.fake.inlineQuery(alice));
    const answer = calls.find((c) => c.method === "answerInlineQuery")!;
    assert.equal(answer.params.is_personal, true);
    const [card] = answer.params.results as InlineQueryResultArticle[];
    const code = (await h.member(alice.id)).code;
    const link = `https://api.refmint.test/r/${code}`;
    assert.equal(card?.title, "Invite to Test");
    // What a friend earns this member (their variant and tier): only the member sees it.
    assert.equal(card?.description, "Your personal link: you earn 10 REF per friend who counts");
    assert.deepEqual(card?.input_message_content, {
      message_text: `Join me in <b>Test</b>! 🎁\n<a href="${link}">${link}</a>\n🎁 You get 5 REF once you complete the task “Join”.`,
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
    assert.deepEqual(card?.reply_markup, { inline_keyboard: [[{ text: "Join", url: link }]] });
  });
});

test("unknown commands, banned members, group chats and failures get the right answer", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [campaign()],
      loops: false,
    });
    const zoe = h.user(1301, "en", "Zoe");
    assert.deepEqual(
      (await h.say(zoe, "/frobnicate")).map((c) => c.params.text),
      ["I don't know that command. Send /help to see what I can do."],
    );

    // Commands are case-insensitive (what follows them is kept as typed).
    assert.match(String((await h.say(zoe, "/Start"))[0]?.params.text), /^👋 Welcome back, Zoe!/);
    assert.match(String((await h.say(zoe, "/HELP"))[0]?.params.text), /^🤖 <b>What I can do<\/b>/);

    // In a group a member command gets a button to the private chat, never codes or links:
    // addressed to the bot, plain, or in another case; another bot's command is not ours.
    const inGroup = (text: string) => {
      const update = h.fake.message(zoe, text);
      (update.message as { chat: unknown }).chat = { id: -100123, type: "supergroup", title: "G" };
      return h.send(update);
    };
    const code = (await h.member(zoe.id)).code;
    for (const command of [
      "/invite@refmint_test_bot",
      "/invite",
      "/Stats@Refmint_Test_Bot",
      "/login",
    ]) {
      const calls = await inGroup(command);
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.chat_id, c.params.text]),
        [
          [
            "sendMessage",
            -100123,
            "Your code, links and rewards are personal, so I answer that in our private chat: tap the button, then send the command there.",
          ],
        ],
        command,
      );
      assert.deepEqual(calls[0]!.params.reply_markup, {
        inline_keyboard: [[{ text: "💬 Open the bot", url: "https://t.me/refmint_test_bot" }]],
      });
      assert.doesNotMatch(JSON.stringify(calls[0]!.params), new RegExp(code));
    }
    assert.deepEqual(await inGroup("/invite@another_bot"), []);
    assert.deepEqual(await inGroup("/review"), [], "admin commands stay private");

    // A failure inside a feature: logged, and the member gets a polite answer.
    h.fake.failNext("sendMessage", {
      error_code: 400,
      description: "Bad Request: message is too long",
    });
    const failed = await h.say(zoe, "/help");
    assert.deepEqual(
      failed.map((c) => [c.status, c.params.text]),
      [
        [400, failed[0]?.params.text],
        [200, "Sorry, something went wrong on our side. Please try again in a minute."],
      ],
    );

    await banMember(h.ctx, (await h.member(zoe.id)).id, "abuse", systemAdmin());
    for (const command of ["/stats", "/start", "/invite"]) {
      assert.deepEqual(
        (await h.say(zoe, command)).map((c) => c.params.text),
        [
          "Your account is suspended, so the bot can't do this for you. If you think this is a mistake, contact the community admins.",
        ],
      );
    }
  });
});

const second = (text: unknown) => String(text).split("\n\n")[1];

test("an unknown, malformed, own, second or looping invite code gets a helpful message and no attribution", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const alice = h.user(401, "en", "Alice");
    const bob = h.user(402, "en", "Bob");
    await h.say(alice, "/start");
    const aliceCode = (await h.member(alice.id)).code;

    const expectRefusal = async (
      user: ReturnType<typeof h.user>,
      text: string,
      expected: string,
    ) => {
      const before = (await db.db.select().from(referrals)).length;
      const calls = await h.say(user, text);
      // The reply, not a notification the sender may deliver meanwhile.
      const reply = calls.find(
        (c) => c.method === "sendMessage" && /^👋/.test(String(c.params.text)),
      );
      assert.equal(second(reply?.params.text), expected, text);
      assert.equal(
        (await db.db.select().from(referrals)).length,
        before,
        `${text}: nothing attributed`,
      );
    };

    await expectRefusal(
      bob,
      "/start nosuchcode77",
      "🤔 The invite code “nosuchcode77” doesn't exist. Ask your friend to send their link again — meanwhile you can use the bot as usual.",
    );
    // Malformed, and HTML in what the member typed is shown as text, never as markup.
    await expectRefusal(
      bob,
      "/start <b>x</b>",
      "🤔 “&lt;b&gt;x&lt;/b&gt;” doesn't look like an invite code. Ask your friend to send the link again — meanwhile you can use the bot as usual.",
    );
    await expectRefusal(
      alice,
      `/start ${aliceCode}`,
      "🙂 That's your own invite link. Share it with friends: you earn when they join.",
    );

    // Bob is attributed to Alice; a second code changes nothing.
    await h.say(bob, `/start ${aliceCode}`);
    const carol = h.user(403, "en", "Carol");
    await h.say(carol, "/start");
    await expectRefusal(
      bob,
      `/start ${(await h.member(carol.id)).code}`,
      "ℹ️ You already joined through an invitation. Each member can be invited only once.",
    );
    // Alice joining through Bob's link would close a loop.
    await expectRefusal(
      alice,
      `/start ${(await h.member(bob.id)).code}`,
      "ℹ️ This invitation can't count: the person who invited you joined through you.",
    );
    // A member seen long ago is not new.
    await db.db
      .update(members)
      .set({ firstSeenAt: sql`now() - interval '3 days'` })
      .where(eq(members.telegramId, carol.id));
    await expectRefusal(
      carol,
      `/start ${aliceCode}`,
      "ℹ️ Invitations count only for new members, and you've been here for a while. You can still invite others with /invite.",
    );
    // A banned inviter's link no longer works.
    const dan = h.user(404, "ru", "Дэн");
    await banMember(h.ctx, (await h.member(carol.id)).id, "spam", systemAdmin());
    await expectRefusal(
      dan,
      `/start ${(await h.member(carol.id)).code}`,
      "ℹ️ Эта ссылка-приглашение больше не действует.",
    );

    const rows = await db.db.select().from(referrals);
    assert.equal(rows.length, 1, "only Bob's attribution");
    // Refusals to existing members' links are counted as starts (analytics), attributions once.
    assert.ok((await db.db.select().from(starts)).length >= 1);
    assert.deepEqual(
      (await db.db.select({ kind: notifications.kind }).from(notifications)).map((n) => n.kind),
      ["referee_joined"],
    );
  });
});

test("while a campaign is paused /start with a code is refused and says so", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const alice = h.user(411);
    await h.say(alice, "/start");
    const campaign = h.ctx.campaigns.all()[0]!;
    await pauseCampaign(h.ctx, campaign.id, systemAdmin());
    const bob = h.user(412);
    const calls = await h.say(bob, `/start ${(await h.member(alice.id)).code}`);
    assert.equal(
      second(calls[0]?.params.text),
      "⏸ The campaign is paused for now, so this invitation couldn't be recorded. Please open the link again later.",
    );
    assert.deepEqual(await db.db.select().from(referrals), []);
  });
});

test("in Mini App mode /start offers the Mini App and sets the member's menu button", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [botCampaign()],
      env: { DASHBOARD_MODE: "miniapp", DASHBOARD_URL: "https://app.refmint.test" },
    });
    // At start: the default menu button opens the Mini App.
    assert.deepEqual(h.fake.callsTo("setChatMenuButton")[0]?.params, {
      menu_button: {
        type: "web_app",
        text: "Dashboard",
        web_app: { url: "https://app.refmint.test" },
      },
    });
    const ivan = h.user(421, "ru", "Иван");
    const calls = await h.say(ivan, "/start");
    const reply = calls.find((c) => c.method === "sendMessage");
    assert.deepEqual((reply!.params.reply_markup as InlineKeyboardMarkup).inline_keyboard, [
      [{ text: "📊 Открыть личный кабинет", web_app: { url: "https://app.refmint.test" } }],
    ]);
    assert.deepEqual(calls.find((c) => c.method === "setChatMenuButton")?.params, {
      chat_id: ivan.id,
      menu_button: {
        type: "web_app",
        text: "Кабинет",
        web_app: { url: "https://app.refmint.test" },
      },
    });
    // /invite in Mini App mode also gives the Mini App link.
    const invite = await h.say(ivan, "/invite");
    const code = (await h.member(ivan.id)).code;
    assert.match(
      String(invite[0]?.params.text),
      new RegExp(
        `Сразу открывает приложение: <a href="https://t.me/refmint_test_bot/app\\?startapp=${code}">`,
      ),
    );
  });
});

test("members who are not admins are refused every admin command and button", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const eve = h.user(501, "en", "Eve");
    for (const command of ["/review", "/pause", "/resume test", "/broadcast\nen: hi all"]) {
      const calls = await h.say(eve, command);
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.text]),
        [["sendMessage", "This command is for campaign admins only."]],
        command,
      );
    }
    const msg = { message_id: 1, date: 0, chat: { id: eve.id, type: "private" } } as Message;
    for (const data of ["rv:a:1", "rv:r:1", "bc:go:1", "bc:stop:1"]) {
      const calls = await h.send(h.fake.callback(eve, data, msg));
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.text, c.params.show_alert]),
        [["answerCallbackQuery", "This command is for campaign admins only.", true]],
      );
    }
    assert.deepEqual(
      await db.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.state, "paused")),
      [],
    );
    assert.deepEqual(await db.db.select().from(botBroadcasts), []);
    assert.deepEqual(await db.db.select().from(auditLog), []);
  });
});

test("an admin pauses a campaign (rewards go to review), reviews, approves, rejects with a reason, resumes", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const admin = h.user(ADMIN_ID, "en", "Admin");
    const a = await h.member(601, "Alice");
    const bob = await h.member(602, "Bob");
    const carol = await h.member(603, "Carol");
    await h.refer(a, bob);
    await h.refer(a, carol);

    const paused = await h.say(admin, "/pause");
    assert.equal(
      paused[0]?.params.text,
      "⏸ <b>Test</b> is paused: new invitations are refused and rewards go to /review.",
    );
    assert.equal(
      (await h.say(admin, "/pause test"))[0]?.params.text,
      "<b>Test</b> was already paused.",
    );
    assert.equal(
      (await h.say(admin, "/pause nope"))[0]?.params.text,
      "There is no campaign “nope”. Campaigns: test",
    );

    // Qualifying during the pause pays nothing yet: both referrals wait for a decision.
    for (const m of [bob, carol])
      await completeChallenge(h.ctx, { memberId: m.id, challengeId: "join", source: "test" });
    const referralEntries = await db.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.kind, "referral"));
    assert.deepEqual(referralEntries, []);
    const items = await db.db.select().from(reviewItems);
    assert.deepEqual(
      items.map((i) => i.reasons),
      [["campaign_paused"], ["campaign_paused"]],
    );

    // Each item with its evidence, then the buttons for both at once.
    const review = await h.say(admin, "/review");
    assert.equal(review.length, 3);
    const [first, second] = review;
    assert.equal(
      first!.params.text,
      [
        `🔎 <b>Review #${items[0]!.id}</b> · Test`,
        `New member: Bob (#${bob.id})`,
        `Invited by: Alice (#${a.id})`,
        "Chain above: none",
        "Why flagged: came in while the campaign was paused",
        "Shared with others: IP 0 · device 0 · wallet 0",
        "Inviter's invitations within 24 h: 2",
      ].join("\n"),
    );
    const both = [items[0]!.id, items[1]!.id].map((id) => id.toString(36)).join(".");
    assert.deepEqual(review[2]!.params.reply_markup, {
      inline_keyboard: [
        [
          { text: "✅ Approve all 2", callback_data: `rv:ba:${both}` },
          { text: "❌ Reject all 2", callback_data: `rv:br:${both}` },
        ],
      ],
    });
    assert.deepEqual(first!.params.reply_markup, {
      inline_keyboard: [
        [
          { text: "✅ Approve", callback_data: `rv:a:${items[0]!.id}` },
          { text: "❌ Reject", callback_data: `rv:r:${items[0]!.id}` },
        ],
      ],
    });

    // Approve Bob's: paid now, buttons removed, Alice told.
    const approve = await h.send(
      h.fake.callback(admin, `rv:a:${items[0]!.id}`, first!.result as Message),
    );
    assert.deepEqual(
      approve.map((c) => c.method),
      ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"],
    );
    assert.equal(
      approve[2]!.params.text,
      `✅ Review #${items[0]!.id} approved: the invitation is paid.`,
    );
    assert.equal(
      (await db.db.select().from(ledgerEntries).where(eq(ledgerEntries.kind, "referral"))).length,
      1,
    );
    // Approving again: already decided.
    const again = await h.send(
      h.fake.callback(admin, `rv:a:${items[0]!.id}`, first!.result as Message),
    );
    assert.equal(again[0]!.params.text, `Review #${items[0]!.id} was already decided.`);

    // Reject Carol's: the bot asks why; the admin's reply is the reason.
    const reject = await h.send(
      h.fake.callback(admin, `rv:r:${items[1]!.id}`, second!.result as Message),
    );
    const prompt = reject.find((c) => c.method === "sendMessage")!;
    assert.equal(
      prompt.params.text,
      `Why is review #${items[1]!.id} rejected? Reply to this message with the reason.`,
    );
    assert.deepEqual(prompt.params.reply_markup, { force_reply: true, selective: true });
    const answer = await h.send(
      h.fake.reply(admin, "same person, two accounts", prompt.result as Message),
    );
    assert.equal(
      answer.find((c) => c.method === "sendMessage")?.params.text,
      `❌ Review #${items[1]!.id} rejected: same person, two accounts`,
    );
    const decided = await db.db.select().from(reviewItems).orderBy(reviewItems.id);
    assert.deepEqual(
      decided.map((i) => [i.status, i.decisionReason, i.decidedBy]),
      [
        ["approved", null, `member:${(await h.member(ADMIN_ID)).id}`],
        ["rejected", "same person, two accounts", `member:${(await h.member(ADMIN_ID)).id}`],
      ],
    );
    const [carolReferral] = await db.db
      .select()
      .from(referrals)
      .where(eq(referrals.refereeId, carol.id));
    assert.equal(carolReferral?.status, "rejected");
    assert.equal((await h.say(admin, "/review"))[0]?.params.text, "✅ Nothing to review.");

    const resumed = await h.say(admin, "/resume");
    assert.equal(resumed[0]?.params.text, "▶️ <b>Test</b> is running again.");
    assert.deepEqual(
      await db.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.state, "paused")),
      [],
    );
    assert.deepEqual(
      (await db.db.select({ action: auditLog.action }).from(auditLog).orderBy(auditLog.id)).map(
        (r) => r.action,
      ),
      [
        "campaign.paused",
        "review.listed",
        // The evidence of each item shown names members: each read is audited.
        "review.evidence_read",
        "review.evidence_read",
        "review.approved",
        "review.rejected",
        "review.listed",
        "campaign.resumed",
      ],
    );
    await h.queueSettled();
    assert.ok(
      h.fake.textsTo(601).includes("✅ Your invitation of Bob counts: you earned <b>15 REF</b>."),
      JSON.stringify(h.fake.textsTo(601)),
    );
  });
});

test("/broadcast: previews per language, confirmation, localized delivery, progress in one edited message", async (t) => {
  await withDatabases(t, async (db) => {
    const scheduler = virtualScheduler();
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      scheduler,
    });
    const admin = h.user(ADMIN_ID, "en", "Admin");
    await h.say(admin, "/start");
    const ru = h.user(701, "ru");
    const en = h.user(702, "en");
    const de = h.user(703, "de");
    const blocked = h.user(704, "en");
    const never = h.user(705, "en");
    for (const u of [ru, en, de, blocked, never])
      await ensureMember(h.ctx, {
        id: u.id,
        firstName: u.first_name,
        languageCode: u.language_code,
      });
    h.fake.block(blocked.id);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: chat not found" },
      1,
      (p) => Number(p.chat_id) === never.id,
    );
    // Telegram has a bad moment on one send: tried again, not counted as a failure.
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      1,
      (p) => Number(p.chat_id) === en.id,
    );

    assert.match(
      String((await h.say(admin, "/broadcast"))[0]?.params.text),
      /^Send the message after the command/,
    );
    const invalid = await h.say(admin, "/broadcast\nen: <b>unclosed");
    assert.match(
      String(invalid.at(-1)?.params.text),
      /^Telegram can't display this message: Bad Request: can't parse entities/,
    );
    // A text before the first language line and an en: paragraph: which is English? Refused.
    const ambiguous = await h.say(admin, "/broadcast\nHi all\nen: Hello all\nru: Привет");
    assert.match(
      String(ambiguous[0]?.params.text),
      /^The message has a text before its first language line and an <code>en:<\/code> paragraph too/,
    );
    assert.deepEqual(await db.db.select().from(botBroadcasts), []);

    // The text before `ru:` is the English (default) one.
    const calls = await h.say(admin, "/broadcast\n<b>Hello</b> everyone!\nru: <b>Привет</b> всем!");
    assert.deepEqual(
      calls.map((c) => c.params.text),
      [
        "<b>Hello</b> everyone!",
        "👀 Preview in 🇬🇧 English ↑",
        "<b>Привет</b> всем!",
        "👀 Preview in 🇷🇺 Русский ↑",
        "Send this to 6 members?",
      ],
    );
    const [draft] = await db.db.select().from(botBroadcasts);
    assert.equal(draft?.status, "draft");
    const confirm = calls.at(-1)!;
    const go = await h.send(
      h.fake.callback(admin, `bc:go:${draft!.id}`, confirm.result as Message),
    );
    assert.equal(
      go.find((c) => c.method === "editMessageText")?.params.text,
      `📣 Broadcast #${draft!.id}: 0 sent, 0 failed, 0 of 6…`,
    );

    const finalEdit = (c: { method: string; params: Record<string, unknown> }) =>
      c.method === "editMessageText" && String(c.params.text).startsWith("✅");
    await h.fake.waitFor(finalEdit, 30_000, "the final progress edit");
    assert.deepEqual(h.fake.textsTo(ru.id), ["<b>Привет</b> всем!"]);
    assert.deepEqual(h.fake.textsTo(en.id), ["<b>Hello</b> everyone!"]);
    assert.deepEqual(
      h.fake.textsTo(de.id),
      ["<b>Hello</b> everyone!"],
      "English for other languages",
    );
    assert.ok(scheduler.sleeps.includes(2000), "the failed send was tried again after 2 s");
    const summary = [
      `✅ Broadcast #${draft!.id} finished: 4 sent, 2 failed.`,
      "Not delivered: blocked the bot: 1; never opened the bot: 1.",
    ].join("\n");
    const edits = () =>
      h.fake
        .callsTo("editMessageText")
        .filter((c) => c.params.message_id === (confirm.result as Message).message_id);
    assert.equal(edits().at(-1)?.params.text, summary);
    const [done] = await db.db.select().from(botBroadcasts);
    assert.deepEqual(
      [done?.status, done?.sent, done?.failed, done?.total, done?.failures],
      ["done", 4, 2, 6, { blocked: 1, not_started: 1 }],
    );

    // A late tap on Stop keeps the summary.
    const stop = await h.send(
      h.fake.callback(admin, `bc:stop:${draft!.id}`, confirm.result as Message),
    );
    assert.deepEqual(
      stop.map((c) => [c.method, c.params.text]),
      [
        ["answerCallbackQuery", "This broadcast has already finished."],
        ["editMessageText", summary],
      ],
    );
    assert.equal(edits().at(-1)?.params.text, summary);
  });
});

test("forged or impossible button ids are answered as missing, never with a database error", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    const admin = h.user(ADMIN_ID, "en", "Admin");
    const msg = { message_id: 1, date: 0, chat: { id: ADMIN_ID, type: "private" } } as Message;
    const answerTo = async (data: string) =>
      (await h.send(h.fake.callback(admin, data, msg))).map((c) => [c.method, c.params.text]);
    // Too big for an id (a database error before), beyond 2^53, and one that does not exist.
    for (const data of [
      "rv:a:99999999999999999999",
      "rv:r:99999999999999999999",
      "rv:a:9007199254740993",
      "rv:r:9007199254740993",
    ])
      assert.deepEqual(
        await answerTo(data),
        [["answerCallbackQuery", `There is no review #${data.slice(5)}.`]],
        data,
      );
    assert.deepEqual((await answerTo("rv:a:123"))[0], [
      "answerCallbackQuery",
      "There is no review #123.",
    ]);
    for (const data of ["bc:go:99999999999999999999", "bc:stop:99999999999999999999", "bc:go:7"])
      assert.deepEqual(
        await answerTo(data),
        [
          ["answerCallbackQuery", undefined],
          ["editMessageText", "This broadcast is no longer waiting to be sent."],
        ],
        data,
      );
  });
});

test("a broadcast stopped mid-way resumes where it stopped, and no member gets it twice", async (t) => {
  await withDatabases(t, async (db) => {
    const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
    t.after(() => fake.close());
    const d = await testDomain(db, { campaigns: [botCampaign()] });
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await d.member(800 + i));
    const id = await createDraft(d.ctx, systemAdmin(), {
      texts: { en: "News" },
      campaignId: null,
      createdBy: people[0]!.id,
      adminChatId: 800,
      adminLanguage: "en",
    });
    await startBroadcast(d.ctx, systemAdmin(), id, 1);
    const api = new Api(TEST_BOT_TOKEN, { apiRoot: fake.apiRoot });
    const options = {
      db: db.db,
      api,
      translator: createTranslator(),
      logger: createLogger("silent"),
      pollMs: 20,
      batchSize: 5,
      progressEveryMs: 0,
    };
    const first = createBroadcaster(options);
    first.start();
    // Stop once the first batch is out: the batch in flight completes, then it lets go.
    await fake.waitFor((c) => c.method === "sendMessage", 5000);
    await first.stop();
    const [half] = await db.db.select().from(botBroadcasts).where(eq(botBroadcasts.id, id));
    assert.equal(half?.status, "running");
    assert.ok(half!.sent > 0 && half!.sent < 12, `sent ${half?.sent}`);
    assert.equal(half?.leaseUntil, null, "released for the next process");

    const second = createBroadcaster(options);
    assert.equal(await second.runOnce(), true);
    for (const p of people) assert.equal(fake.sentTo(p.telegramId).length, 1, `member ${p.id}`);
    const [end] = await db.db.select().from(botBroadcasts).where(eq(botBroadcasts.id, id));
    assert.deepEqual([end?.status, end?.sent, end?.failed], ["done", 12, 0]);
    assert.deepEqual(await db.db.select().from(notifications), []);
  });
});
