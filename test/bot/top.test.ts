/**
 * `/top` against the real bot: the weekly referrals board with the member's own line and place,
 * switching to the activity board and to all time in the same message (ties share a place, in
 * the order they were reached), a member's place and ties in Russian plurals, the name
 * toggle (a pseudonym until the member opts in, then their first name, for everyone), a member
 * in review told why they are not shown, Russian, and forged buttons refused.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { completeChallenge } from "../../server/domain/challenges.ts";
import type { MemberView } from "../../server/domain/members.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { startBotHarness } from "./support/harness.ts";

const buttons = (markup: unknown) =>
  (markup as InlineKeyboardMarkup).inline_keyboard.map((row) =>
    row.map((b) => (b as { text: string }).text),
  );
const dataOf = (markup: unknown, label: RegExp) =>
  (markup as InlineKeyboardMarkup).inline_keyboard
    .flat()
    .find((b) => label.test((b as { text: string }).text)) as { callback_data: string };
const PSEUDONYM = "#[0-9A-Z]{6}";

test("/top: boards, periods, own place, names by opt-in, review, Russian, forged buttons", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      // The second friend of a member from one network goes to review.
      campaigns: [botCampaign({ fraud: { maxRefereesPerIp: 1 } })],
      loops: false,
    });
    const alice = h.user(2001, "en", "Alice");
    const dan = h.user(2004, "ru", "Dan");
    await h.say(alice, "/start");
    await h.say(dan, "/start");
    const a = await h.member(alice.id);
    const d = await h.member(dan.id);
    // Qualifying is completing the "join" task (2 REF: the activity token of this campaign).
    const join = (m: MemberView) =>
      completeChallenge(h.ctx, { memberId: m.id, challengeId: "join", source: "test" });
    const bob = await h.member(2002, "Bob");
    const carol = await h.member(2003, "Carol");
    await h.refer(a, bob);
    await h.refer(a, carol);
    const erin = await h.member(2005, "Erin");
    await h.refer(d, erin);
    for (const m of [bob, carol, erin]) await join(m);

    // The weekly board of friends who joined: Alice (2) above Dan (1), under pseudonyms.
    const [top] = await h.say(alice, "/top");
    const lines = String(top?.params.text).split("\n");
    assert.equal(lines[0], "🏆 <b>Leaderboard: friends who joined</b> · Test");
    assert.match(
      lines[1]!,
      /^This week: \d+ \w+ \d{4} – \d+ \w+ \d{4} \(weeks start on Monday, UTC\)\.$/,
    );
    assert.equal(lines[2], "");
    assert.match(lines[3]!, new RegExp(`^<b>1\\. ${PSEUDONYM} — 2</b> ← you$`));
    assert.match(lines[4]!, new RegExp(`^2\\. ${PSEUDONYM} — 1$`));
    assert.deepEqual(lines.slice(5, 7), ["", "Your place: <b>1</b> of 2, with 2 friends."]);
    const own = lines[3]!.match(/#[0-9A-Z]{6}/)![0];
    assert.equal(lines[7], `Others see you as <code>${own}</code>.`);
    assert.ok(!String(top?.params.text).includes("Dan"), "no names without opting in");
    assert.deepEqual(buttons(top?.params.reply_markup), [
      ["✓ 👥 Friends", "⚡ Activity"],
      ["✓ This week", "All time"],
      ["👤 Show my name"],
    ]);

    // Activity, all time: Bob, Carol and Erin each have 2 points, in the order they got them.
    const message = top!.result as Message;
    const activity = await h.send(
      h.fake.callback(alice, dataOf(top?.params.reply_markup, /Activity/).callback_data, message),
    );
    const edited = activity.find((c) => c.method === "editMessageText");
    assert.match(String(edited?.params.text), /^🏆 <b>Leaderboard: activity points<\/b> · Test\n/);
    const allTime = await h.send(
      h.fake.callback(
        alice,
        dataOf(edited?.params.reply_markup, /All time/).callback_data,
        message,
      ),
    );
    const board = allTime.find((c) => c.method === "editMessageText");
    const text = String(board?.params.text).split("\n");
    assert.equal(text[1], "All time.");
    assert.deepEqual(
      text.slice(3, 6).map((l) => l.replace(new RegExp(PSEUDONYM), "#")),
      ["1. # — 2", "1. # — 2", "1. # — 2"],
    );
    assert.equal(text[7], "You're not on this board yet: points come from completing tasks.");
    assert.deepEqual(buttons(board?.params.reply_markup), [
      ["👥 Friends", "✓ ⚡ Activity"],
      ["This week", "✓ All time"],
      ["👤 Show my name"],
    ]);

    // Alice shows her name: told so, and everyone sees it.
    const shown = await h.send(
      h.fake.callback(
        alice,
        dataOf(board?.params.reply_markup, /Show my name/).callback_data,
        message,
      ),
    );
    assert.equal(
      shown.find((c) => c.method === "answerCallbackQuery")?.params.text,
      "Your first name is now shown on the leaderboards.",
    );
    const after = shown.find((c) => c.method === "editMessageText");
    assert.match(String(after?.params.text), /\nOthers see your name: Alice\.$/);
    assert.deepEqual(buttons(after?.params.reply_markup)[2], ["🙈 Hide my name"]);
    const [bobsView] = await h.say(h.user(2002, "en", "Bob"), "/top");
    assert.match(String(bobsView?.params.text), /\n1\. Alice — 2\n/);

    // Dan, in Russian: second of two friends' inviters; then, on the activity board of all time,
    // tied with three others at 2 points.
    const [dansTop] = await h.say(dan, "/top");
    assert.match(String(dansTop?.params.text), /^🏆 <b>Рейтинг: приглашённые друзья<\/b> · Тест\n/);
    assert.match(String(dansTop?.params.text), /\nВаше место: <b>2<\/b> из 2, 1 друг\.\n/);
    assert.deepEqual(buttons(dansTop?.params.reply_markup), [
      ["✓ 👥 Друзья", "⚡ Активность"],
      ["✓ Эта неделя", "Всё время"],
      ["👤 Показывать моё имя"],
    ]);
    await join(d);
    const dansActivity = await h.send(
      h.fake.callback(
        dan,
        dataOf(dansTop?.params.reply_markup, /Активность/).callback_data.replace(/:w$/, ":a"),
        dansTop!.result as Message,
      ),
    );
    const ru = String(dansActivity.find((c) => c.method === "editMessageText")?.params.text);
    assert.match(ru, /\nЗа всё время\.\n/);
    assert.match(ru, /\nВаше место: <b>1<\/b> из 4, 2 балла\.\n/);
    assert.match(ru, /\nТакой же результат ещё у 3 человек: вы делите это место\.\n/);
    assert.match(ru, new RegExp(`\\nДругие видят вас как <code>${PSEUDONYM}</code>\\.$`));

    // A second friend of Alice's from one network: in review, and Alice is off the boards.
    for (const [id, name] of [
      [2006, "Fay"],
      [2007, "Gus"],
    ] as const) {
      const m = await h.member(id, name);
      await h.refer(a, m, { ipHash: "one-network" });
      await join(m);
    }
    const [held] = await h.say(alice, "/top");
    assert.match(
      String(held?.params.text),
      /\nYou're not shown on the leaderboards while one of your invitations is being checked\. You'll be back once it's decided\.\n/,
    );
    assert.doesNotMatch(String(held?.params.text), /Alice — /);

    // Forged or stale buttons: an alert, nothing edited.
    for (const data of ["top:999:r:w", "top:1:x:w", "top:1:r:z", "top:1:r:w:name:1x"]) {
      const calls = await h.send(h.fake.callback(alice, data, message));
      assert.ok(!calls.some((c) => c.method === "editMessageText"), data);
      if (data.endsWith("1x")) continue; // no handler matches: the update is left unanswered
      assert.equal(
        calls.find((c) => c.method === "answerCallbackQuery")?.params.text,
        "This leaderboard is no longer available. Send /top again.",
        data,
      );
    }
  });
});
