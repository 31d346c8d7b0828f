/**
 * Surveys and votes in the bot: an admin creates a vote and a survey with `/vote` and
 * `/survey new`, sends them (native polls for choices, a reply prompt for free text), members
 * answer with `poll_answer` and a reply, change their vote until it closes, the reward is paid
 * once (a replayed update pays nothing), results per option; members cannot use the commands.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { Message } from "grammy/types";
import { parseUnits } from "viem";
import { auditLog, ledgerEntries } from "../../server/db/schema.ts";
import { challengesCampaign } from "../support/challengesCampaign.ts";
import { withDatabases } from "../support/db.ts";
import { ADMIN_ID, startBotHarness } from "./support/harness.ts";

test("bot surveys: /vote and /survey new, polls and reply prompts, change a vote, reward once, results, close", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [challengesCampaign()],
      loops: false,
    });
    const root = h.user(ADMIN_ID, "en", "Root");
    const alice = h.user(4001, "en", "Alice");
    const boris = h.user(4002, "ru", "Boris");
    for (const u of [root, alice, boris]) await h.say(u, "/start");

    // A member cannot create one.
    const [refused] = await h.say(alice, "/vote Next?\nA\nB");
    assert.equal(refused?.params.text, "This command is for campaign admins only.");

    const [created] = await h.say(root, "/vote Next reward?\nStickers | 100\nT-shirt | 500");
    assert.equal(
      created?.params.text,
      "Survey #1 “Next reward?” created. Send it with /survey send 1.",
    );
    const sent = (await h.say(root, "/survey send 1"))
      .filter((c) => c.method === "sendMessage")
      .at(-1);
    assert.equal(sent?.params.text, "Survey #1 sent to 3 of 3 members.");
    const polls = h.fake.callsTo("sendPoll");
    assert.equal(polls.length, 3);
    assert.deepEqual(polls[0]?.params.options, [{ text: "Stickers" }, { text: "T-shirt" }]);
    assert.equal(polls[0]?.params.is_anonymous, false);
    const pollOf = (userId: number, question = "Next reward?") => {
      const call = h.fake
        .callsTo("sendPoll")
        .find((c) => Number(c.params.chat_id) === userId && c.params.question === question);
      assert.ok(call, `a poll "${question}" to ${userId}`);
      return (call.result as Message.PollMessage).poll.id;
    };
    // A second send reaches nobody new.
    const [again] = await h.say(root, "/survey send 1");
    assert.equal(again?.params.text, "Survey #1 sent to 0 of 0 members.");

    // Alice votes Stickers, then changes to T-shirt; Boris votes T-shirt.
    const first = await h.send(h.fake.pollAnswer(alice, pollOf(alice.id), [0]));
    assert.equal(
      first.find((c) => c.method === "sendMessage")?.params.text,
      "Thank you for answering!",
    );
    const changed = await h.send(h.fake.pollAnswer(alice, pollOf(alice.id), [1]));
    assert.equal(
      changed.find((c) => c.method === "sendMessage")?.params.text,
      "Your answer is changed.",
    );
    await h.send(h.fake.pollAnswer(boris, pollOf(boris.id), [1]));
    const [results] = await h.say(root, "/survey results 1");
    const r = String(results?.params.text);
    assert.match(r, /^📊 <b>Results of #1<\/b> “Next reward\?”: 2 answered of 3 sent\./);
    assert.ok(r.includes("• Stickers (100) — 0\n• T-shirt (500) — 2"), r);

    // A survey with a reward: a poll and a free-text question.
    await h.say(
      root,
      "/survey new Feedback | 1 REF\nHow did you find us? | A friend | The channel\nWhat should we improve?",
    );
    await h.say(root, "/survey send 2");
    const prompt = h.fake
      .sentTo(alice.id)
      .find((c) => String(c.params.text).startsWith("What should we improve?"));
    assert.deepEqual(prompt?.params.reply_markup, {
      force_reply: true,
      input_field_placeholder: "Your answer",
    });
    const poll2 = pollOf(alice.id, "How did you find us?");
    const answer = h.fake.pollAnswer(alice, poll2, [0]);
    await h.send(answer);
    const replied = await h.send(
      h.fake.reply(alice, "More perks, please", prompt!.result as Message),
    );
    assert.equal(replied[0]?.params.text, "Thank you for answering! 1 REF is yours.");
    // Telegram delivers the poll answer again, and Alice re-votes: no second reward.
    await h.send(answer);
    await h.send(h.fake.pollAnswer(alice, poll2, [1]));
    const aliceMember = await h.member(alice.id);
    const paid = await db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.memberId, aliceMember.id), eq(ledgerEntries.kind, "challenge")));
    // The survey's reward and the "answer a survey" challenge (1.5 REF), once each.
    assert.deepEqual(paid.map((e) => [e.idempotencyKey.split(":")[0], e.amount]).sort(), [
      ["challenge", parseUnits("1.5", 18)],
      ["survey", parseUnits("1", 18)],
    ]);
    const [results2] = await h.say(root, "/survey results 2");
    assert.ok(String(results2?.params.text).includes("— More perks, please"));

    // Closed: Boris can no longer change his vote (told in Russian), and the results stay.
    const [closed] = await h.say(root, "/survey close 1");
    assert.equal(closed?.params.text, "Survey #1 is closed.");
    const late = await h.send(h.fake.pollAnswer(boris, pollOf(boris.id), [0]));
    assert.equal(
      late.find((c) => c.method === "sendMessage")?.params.text,
      "Опрос закрыт: ответить или изменить ответ уже нельзя.",
    );
    const [final] = await h.say(root, "/survey results 1");
    assert.ok(String(final?.params.text).includes("• T-shirt (500) — 2"));
    const actions = (await db.db.select().from(auditLog)).map((a) => a.action);
    for (const a of ["survey.created", "survey.delivered", "survey.closed", "survey.results_read"])
      assert.ok(actions.includes(a), a);
  });
});
