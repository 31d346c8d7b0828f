/**
 * Challenges in the bot, on the real stack through the fake Bot API: `/challenges` with each
 * challenge's reward and state, a personal invite link per member (`createChatInviteLink`),
 * "Check" asking `getChatMember`, `chat_member` updates completing a channel join and
 * attributing a friend who joined through a member's personal link, a replayed update that
 * pays nothing twice, `/checkin` and its button, Russian.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { parseUnits } from "viem";
import { ledgerEntries, referrals } from "../../server/db/schema.ts";
import { CHANNEL_ID, challengesCampaign, GROUP_ID } from "../support/challengesCampaign.ts";
import { withDatabases } from "../support/db.ts";
import { startBotHarness } from "./support/harness.ts";

type Button = { text: string; callback_data?: string; url?: string };
const buttonsOf = (markup: unknown) =>
  (markup as InlineKeyboardMarkup).inline_keyboard.flat() as Button[];

const CHANNEL = { id: CHANNEL_ID, title: "Refmint News" };
const GROUP = { id: GROUP_ID, title: "Refmint Chat" };

test("bot challenges: list, personal links, Check, chat_member joins (replays pay once), /checkin, Russian", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [challengesCampaign()],
      loops: false,
    });
    const alice = h.user(3001, "en", "Alice");
    await h.say(alice, "/start");
    const [list] = await h.say(alice, "/challenges");
    const text = String(list?.params.text);
    const lines = text.split("\n");
    assert.equal(lines[0], "🎯 <b>Challenges</b> · Test");
    assert.ok(lines.includes("⚪️ <b>Join the channel</b> — 5 REF · open"), text);
    assert.ok(lines.includes("⚪️ <b>Daily check-in</b> — 1 REF a day · open"), text);
    assert.ok(lines.includes("⚪️ <b>Invite 2 friends</b> — 20 REF · open"), text);
    assert.match(text, /The daily check-in counts days in UTC\.$/);
    // A personal invite link per chat, made once and kept.
    const links = h.fake.callsTo("createChatInviteLink");
    assert.deepEqual(
      links.map((c) => Number(c.params.chat_id)).sort(),
      [CHANNEL_ID, GROUP_ID].sort(),
    );
    const buttons = buttonsOf(list?.params.reply_markup);
    const groupLink = buttons.find((b) => b.text === "➡️ Join: Stay in the group for 3 days")?.url;
    assert.match(groupLink ?? "", /^https:\/\/t\.me\/\+fake/);
    await h.say(alice, "/challenges");
    assert.equal(h.fake.callsTo("createChatInviteLink").length, 2, "links are made once");

    // "Check" before joining: not in; after joining: paid once.
    const check = buttons.find(
      (b) => b.callback_data === `chk:${h.ctx.campaigns.current(new Date())!.id}:channel`,
    )!;
    const message = list!.result as Message;
    const notIn = await h.send(h.fake.callback(alice, check.callback_data!, message));
    assert.equal(
      notIn.find((c) => c.method === "answerCallbackQuery")?.params.text,
      `I don't see you in that chat yet. Join with the button, then tap "Check" again.`,
    );
    h.fake.setChatMember(CHANNEL_ID, alice.id, "member");
    const checked = await h.send(h.fake.callback(alice, check.callback_data!, message));
    assert.equal(
      checked.find((c) => c.method === "answerCallbackQuery")?.params.text,
      "Done! 5 REF is yours.",
    );
    const edited = checked.find((c) => c.method === "editMessageText");
    assert.ok(String(edited?.params.text).includes("✅ <b>Join the channel</b> — 5 REF · done"));
    // The chat_member update of that join arrives afterwards: nothing more.
    await h.send(h.fake.chatMember(CHANNEL, alice, "member"));

    // Bob joins the group through Alice's link: attributed to her, his stay begins.
    const bob = h.user(3002, "en", "Bob");
    await h.send(h.fake.chatMember(GROUP, bob, "member", groupLink));
    const aliceMember = await h.member(alice.id);
    const bobMember = await h.member(bob.id);
    const [ref] = await db.db.select().from(referrals).where(eq(referrals.refereeId, bobMember.id));
    assert.deepEqual([ref?.referrerId, ref?.source], [aliceMember.id, "chat_invite"]);

    // Carol started the bot; she joins the channel: told in private, paid once even when
    // Telegram delivers the update again and a second update says the same.
    const carol = h.user(3003, "en", "Carol");
    await h.say(carol, "/start");
    const join = h.fake.chatMember(CHANNEL, carol, "member");
    const first = await h.send(join);
    await h.send(join);
    await h.send(h.fake.chatMember(CHANNEL, carol, "member"));
    const told = first.filter((c) => c.method === "sendMessage");
    assert.deepEqual(
      told.map((c) => c.params.text),
      ["🎯 Challenge done: you joined Refmint News. 5 REF is yours."],
    );
    const carolMember = await h.member(carol.id);
    const grants = await db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.memberId, carolMember.id), eq(ledgerEntries.kind, "challenge")));
    assert.deepEqual(
      grants.map((g) => g.amount),
      [parseUnits("5", 18)],
    );

    // /checkin, then the button on the same day: already checked in.
    const [checkin] = await h.say(alice, "/checkin");
    assert.equal(
      checkin?.params.text,
      "📅 Checked in! Your streak: <b>1 day</b>.\n+1 REF for today.\nDays change at 00:00 UTC; miss a day and the streak starts again.",
    );
    const [again] = await h.say(alice, "/challenges");
    const daily = String(again?.params.text)
      .split("\n")
      .find((l) => l.includes("Daily check-in"));
    assert.equal(daily, "✅ <b>Daily check-in</b> — 1 REF a day · done · streak: 1 day");
    assert.equal(
      buttonsOf(again?.params.reply_markup).some((b) => b.text === "📅 Check in"),
      false,
      "no check-in button once checked in today",
    );

    // Dan, in Russian, checks in with the button.
    const dan = h.user(3004, "ru", "Dan");
    await h.say(dan, "/start");
    const [ru] = await h.say(dan, "/challenges");
    assert.ok(String(ru?.params.text).startsWith("🎯 <b>Задания</b> · Тест"));
    assert.ok(
      String(ru?.params.text).includes("⚪️ <b>Ежедневная отметка</b> — 1 REF в день · не начато"),
    );
    const cin = buttonsOf(ru?.params.reply_markup).find((b) => b.text === "📅 Отметиться")!;
    const tapped = await h.send(h.fake.callback(dan, cin.callback_data!, ru!.result as Message));
    assert.ok(
      tapped.some(
        (c) =>
          c.method === "sendMessage" &&
          String(c.params.text).startsWith(
            "📅 Отметка принята! Ваша серия: <b>1 день</b>.\n+1 REF за сегодня.",
          ),
      ),
    );
  });
});
