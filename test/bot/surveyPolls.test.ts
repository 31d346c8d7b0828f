/**
 * Closing a survey stops its native Telegram polls (`stopPoll`), each exactly once: right after
 * `/survey close`, and from the bot's periodic job when a survey reaches its closing time
 * (test clock). A stop that fails for a moment is retried after its lease; a process that
 * stopped a poll and died before recording it leaves it to the next pass, which takes
 * Telegram's "already closed" as done. Votes after closing are refused and change nothing.
 * Real bot, fake Bot API (with `stopPoll`), real database.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import type { Message } from "grammy/types";
import { surveyAnswers, surveyDeliveries } from "../../server/db/schema/challenges.ts";
import { claimPollsToStop, createSurvey, systemAdmin } from "../../server/domain/index.ts";
import { challengesCampaign } from "../support/challengesCampaign.ts";
import { HOUR } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { ADMIN_ID, type BotHarness, startBotHarness } from "./support/harness.ts";

const polls = (h: BotHarness, surveyTitle: string) =>
  h.fake
    .callsTo("sendPoll")
    .filter((c) => c.params.question === surveyTitle)
    .map((c) => c.result as Message.PollMessage);

/** Successful `stopPoll` calls per `chat:message`. */
const stops = (h: BotHarness) => {
  const done = new Map<string, number>();
  for (const c of h.fake.callsTo("stopPoll"))
    if (c.status === 200) {
      const key = `${Number(c.params.chat_id)}:${Number(c.params.message_id)}`;
      done.set(key, (done.get(key) ?? 0) + 1);
    }
  return done;
};

test("closing a survey stops each delivered poll once (admin close and closing time, retries, a crash mid-stop); later votes are refused", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [challengesCampaign()],
      loops: false,
    });
    h.clock.set(new Date());
    h.ctx.now = h.clock.now;
    const root = h.user(ADMIN_ID, "en", "Root");
    const alice = h.user(4101, "en", "Alice");
    const boris = h.user(4102, "ru", "Boris");
    for (const u of [root, alice, boris]) await h.say(u, "/start");

    // An admin's close: the vote's three polls are stopped at once, each once.
    await h.say(root, "/vote Next reward?\nStickers | 100\nT-shirt | 500");
    await h.say(root, "/survey send 1");
    const vote = polls(h, "Next reward?");
    assert.equal(vote.length, 3);
    await h.send(h.fake.pollAnswer(alice, vote.find((m) => m.chat.id === alice.id)!.poll.id, [0]));
    const closed = await h.say(root, "/survey close 1");
    assert.equal(
      closed.find((c) => c.method === "sendMessage")?.params.text,
      "Survey #1 is closed.",
    );
    for (const m of vote) assert.equal(h.fake.pollClosed(m.chat.id, m.message_id), true);
    assert.deepEqual([...stops(h).values()], [1, 1, 1]);
    const stoppedRows = await db.db
      .select()
      .from(surveyDeliveries)
      .where(eq(surveyDeliveries.surveyId, 1));
    assert.ok(stoppedRows.every((r) => r.pollStoppedAt !== null && r.pollStopLeaseUntil === null));
    // The periodic job finds nothing more to stop.
    await h.component.runJobs!();
    assert.equal(h.fake.callsTo("stopPoll").length, 3);

    // A vote after closing (Telegram delivering a late answer): refused, nothing changes.
    const late = await h.send(
      h.fake.pollAnswer(boris, vote.find((m) => m.chat.id === boris.id)!.poll.id, [1]),
    );
    assert.equal(
      late.find((c) => c.method === "sendMessage")?.params.text,
      "Опрос закрыт: ответить или изменить ответ уже нельзя.",
    );
    const answers = await db.db.select().from(surveyAnswers).where(eq(surveyAnswers.surveyId, 1));
    assert.equal(answers.length, 1);

    // A scheduled close: a vote that closes in an hour.
    const scheduled = await createSurvey(h.ctx, systemAdmin(), {
      kind: "vote",
      title: "Next meetup?",
      questions: [
        {
          text: "Next meetup?",
          kind: "choice",
          options: [{ text: "Online" }, { text: "Offline" }],
        },
      ],
      closesAt: new Date(h.clock.now().getTime() + HOUR),
    });
    await h.say(root, `/survey send ${scheduled.id}`);
    const meetup = polls(h, "Next meetup?");
    assert.equal(meetup.length, 3);
    await h.component.runJobs!();
    assert.equal(h.fake.callsTo("stopPoll").length, 3, "still open: nothing stopped");

    // Past the closing time. One process had taken the polls, stopped Boris's in Telegram and
    // died before recording it; Alice's first stop fails for a moment.
    h.clock.advance(HOUR + 1000);
    const taken = await claimPollsToStop(h.ctx, { limit: 10, leaseSeconds: 120 });
    assert.equal(taken.length, 3);
    const borisPoll = meetup.find((m) => m.chat.id === boris.id)!;
    await h.component.refmint!.services.bulkApi.stopPoll(boris.id, borisPoll.message_id);
    // The lease holds them: the job (another process) does not touch them meanwhile.
    await h.component.runJobs!();
    assert.equal(h.fake.callsTo("stopPoll").length, 4);

    h.clock.advance(121_000);
    h.fake.failNext(
      "stopPoll",
      { error_code: 500, description: "Internal Server Error" },
      1,
      (p) => Number(p.chat_id) === alice.id,
    );
    await h.component.runJobs!();
    const aliceMeetup = meetup.find((m) => m.chat.id === alice.id)!;
    assert.equal(h.fake.pollClosed(alice.id, aliceMeetup.message_id), false);
    h.clock.advance(121_000);
    await h.component.runJobs!();
    for (const m of meetup) assert.equal(h.fake.pollClosed(m.chat.id, m.message_id), true);
    // Each poll stopped exactly once in Telegram; Boris's second try was "already closed".
    assert.deepEqual([...stops(h).values()], [1, 1, 1, 1, 1, 1]);
    assert.ok(
      h.fake
        .callsTo("stopPoll")
        .some((c) => c.status === 400 && Number(c.params.chat_id) === boris.id),
    );
    const meetupRows = await db.db
      .select()
      .from(surveyDeliveries)
      .where(eq(surveyDeliveries.surveyId, scheduled.id));
    assert.ok(meetupRows.every((r) => r.pollStoppedAt !== null));
    const calls = h.fake.callsTo("stopPoll").length;
    h.clock.advance(HOUR);
    await h.component.runJobs!();
    assert.equal(h.fake.callsTo("stopPoll").length, calls, "nothing stopped twice");

    // A vote after the closing time: refused.
    const afterClose = await h.send(h.fake.pollAnswer(alice, aliceMeetup.poll.id, [0]));
    assert.equal(
      afterClose.find((c) => c.method === "sendMessage")?.params.text,
      "This survey is closed: answers can no longer be given or changed.",
    );
    const meetupAnswers = await db.db
      .select()
      .from(surveyAnswers)
      .where(eq(surveyAnswers.surveyId, scheduled.id));
    assert.equal(meetupAnswers.length, 0);
  });
});
