/**
 * Challenges and surveys over real HTTP: a member's challenges with reward, progress and
 * state, the daily check-in (once per UTC day), a signed partner webhook completing its
 * challenge once (a replay pays nothing), admins creating a vote and a survey (bad input
 * refused with nothing written, non-admins refused), results per option and per segment,
 * closing; the admins' list of challenges with their completion counts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import { ledgerEntries } from "../../../server/db/schema.ts";
import { answerSurvey } from "../../../server/domain/surveys.ts";
import { signPartnerPayload } from "../../../server/http/routes/partner.ts";
import { startTestApp, TEST_ADMIN_TOKEN, TEST_PARTNER_SECRET } from "../../support/app.ts";
import { challengesCampaign } from "../../support/challengesCampaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";
import { tmaFor } from "../../support/telegram.ts";

const admin = `Bearer ${TEST_ADMIN_TOKEN}`;

test("member challenges and check-in over HTTP; a partner webhook completes its challenge once", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [challengesCampaign()] });
    const auth = tmaFor(11);
    const list = await app.call("GET", "/api/me/challenges", { auth });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.checkin, { available: true, streak: 0, today: false });
    const byId = (body: { challenges: Array<{ id: string }> }, id: string) =>
      body.challenges.find((c) => c.id === id) as Record<string, unknown>;
    assert.deepEqual(byId(list.body, "invite-2"), {
      id: "invite-2",
      title: { en: "Invite 2 friends", ru: "Пригласите 2 друзей" },
      kind: "invite",
      token: "REF",
      reward: { wei: "20000000000000000000", tokens: "20" },
      state: "open",
      progress: { current: 0, target: 2 },
      repeat: null,
      chatId: null,
      inviteLink: null,
      txHash: null,
    });

    const first = await app.call("POST", "/api/me/checkin", { auth, body: {} });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.streak, 1);
    assert.equal(first.body.already, false);
    assert.deepEqual(first.body.reward, { wei: "1000000000000000000", tokens: "1" });
    const second = await app.call("POST", "/api/me/checkin", { auth, body: {} });
    assert.deepEqual([second.body.already, second.body.reward], [true, null]);
    const after = await app.call("GET", "/api/me/challenges", { auth });
    assert.deepEqual(after.body.checkin, { available: true, streak: 1, today: true });
    assert.equal(byId(after.body, "daily").state, "done");
    // Unknown campaign: a problem, nothing written.
    const before = await rowCounts(db);
    const bad = await app.call("POST", "/api/me/checkin", { auth, body: { campaign: "nope" } });
    assert.equal(bad.status, 404);
    assert.deepEqual(await rowCounts(db), before);

    // The partner's signed event: the member's "shop" challenge, once.
    const raw = JSON.stringify({ eventId: "o-1", type: "purchase", telegramUserId: 11 });
    const send = () => {
      const ts = Math.floor(app.clock.now().getTime() / 1000);
      return app.call("POST", "/api/partner/events", {
        body: raw,
        headers: {
          "content-type": "application/json",
          "x-refmint-partner": "shop",
          "x-refmint-timestamp": String(ts),
          "x-refmint-signature": signPartnerPayload(TEST_PARTNER_SECRET, ts, raw),
        },
      });
    };
    assert.equal((await send()).status, 200);
    assert.equal((await send()).body.replayed, true);
    const shop = await app.call("GET", "/api/me/challenges", { auth });
    assert.equal(byId(shop.body, "shop").state, "done");
    const m = await app.member(11);
    const grants = await db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.memberId, m.id), eq(ledgerEntries.kind, "challenge")));
    assert.deepEqual(grants.map((g) => g.idempotencyKey.split(":")[2]).sort(), ["daily", "shop"]);

    // The admins' list (the console's Challenges tab): each challenge with its completions,
    // a revoked one counted apart; counts only, and for admins only.
    const base = `/api/admin/campaigns/${challengesCampaign().slug}/challenges`;
    const counts = async () => {
      const r = await app.call("GET", base, { auth: admin });
      assert.equal(r.status, 200, r.text);
      return Object.fromEntries(
        r.body.items.map((c: { id: string; completions: number; revoked: number }) => [
          c.id,
          [c.completions, c.revoked],
        ]),
      );
    };
    const listed = await app.call("GET", base, { auth: admin });
    assert.deepEqual(
      listed.body.items.find((c: { id: string }) => c.id === "invite-2"),
      {
        id: "invite-2",
        title: { en: "Invite 2 friends", ru: "Пригласите 2 друзей" },
        kind: "invite",
        token: "REF",
        reward: { wei: "20000000000000000000", tokens: "20" },
        repeat: null,
        target: 2,
        partnerEvent: null,
        completions: 0,
        revoked: 0,
      },
    );
    const now = await counts();
    assert.deepEqual(
      [now.daily, now.shop, now["streak-7"]],
      [
        [1, 0],
        [1, 0],
        [0, 0],
      ],
    );
    const revoked = await app.call("POST", `/api/admin/members/${m.id}/challenges/shop/revoke`, {
      auth: admin,
      body: {},
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual((await counts()).shop, [0, 1]);
    const member = await app.call("GET", base, { auth });
    assert.equal(member.status, 403);
    assert.equal(
      (await app.call("GET", "/api/admin/campaigns/nope/challenges", { auth: admin })).status,
      404,
    );
  });
});

test("surveys over HTTP: create (admins only, bad input writes nothing), results per option and segment, close", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [challengesCampaign()] });
    const member = await app.call("POST", "/api/admin/surveys", {
      auth: tmaFor(21),
      body: { kind: "survey", title: "T", questions: [{ text: "Q?", kind: "text" }] },
    });
    // A member without a role (signing in creates them; nothing else is written).
    assert.ok(member.status === 401 || member.status === 403, member.text);
    const before = await rowCounts(db);
    const oneOption = await app.call("POST", "/api/admin/surveys", {
      auth: admin,
      body: {
        kind: "vote",
        title: "Next?",
        questions: [{ text: "Next?", kind: "choice", options: [{ text: "A" }] }],
      },
    });
    assert.equal(oneOption.status, 400, oneOption.text);
    const twoQuestionVote = await app.call("POST", "/api/admin/surveys", {
      auth: admin,
      body: {
        kind: "vote",
        title: "Next?",
        questions: [
          { text: "A?", kind: "choice", options: [{ text: "A" }, { text: "B" }] },
          { text: "Why?", kind: "text" },
        ],
      },
    });
    assert.equal(twoQuestionVote.status, 400);
    assert.equal(twoQuestionVote.body.code, "answer_invalid", twoQuestionVote.text);
    assert.deepEqual(await rowCounts(db), before);

    const created = await app.call("POST", "/api/admin/surveys", {
      auth: admin,
      body: {
        kind: "vote",
        title: "Next reward?",
        questions: [
          {
            text: "Next reward?",
            kind: "choice",
            options: [
              { text: "Stickers", budget: "100" },
              { text: "T-shirt", budget: "500" },
            ],
          },
        ],
        reward: { token: "REF", amount: "0.5" },
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.reward.amount.tokens, "0.5");
    const id = created.body.id;
    // Two members vote; the one with a wallet counts in the `wallet` segment.
    const [a, b] = [await app.member(31), await app.member(32)];
    await linkTestWallet(app.ctx, b.id, testAccount("b"));
    await answerSurvey(app.ctx, { memberId: a.id, surveyId: id, question: 0, choices: [0] });
    await answerSurvey(app.ctx, { memberId: a.id, surveyId: id, question: 0, choices: [1] });
    await answerSurvey(app.ctx, { memberId: b.id, surveyId: id, question: 0, choices: [1] });
    const results = await app.call("GET", `/api/admin/surveys/${id}/results`, { auth: admin });
    assert.equal(results.status, 200, results.text);
    assert.equal(results.body.respondents, 2);
    assert.deepEqual(
      results.body.questions[0].options.map((o: { count: number }) => o.count),
      [0, 2],
    );
    assert.deepEqual(results.body.segments.wallet, { respondents: 1, counts: [[0, 1]] });
    assert.deepEqual(results.body.segments.all, { respondents: 2, counts: [[0, 2]] });
    // The reward was paid once to each, though Alice changed her vote.
    const paid = await db.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.idempotencyKey, `survey:${id}:${a.id}`));
    assert.equal(paid.length, 1);

    const list = await app.call("GET", "/api/admin/surveys", { auth: admin });
    assert.deepEqual(
      list.body.map((s: { id: number }) => s.id),
      [id],
    );
    const closed = await app.call("POST", `/api/admin/surveys/${id}/close`, { auth: admin });
    assert.equal(closed.body.status, "closed");
    const twice = await app.call("POST", `/api/admin/surveys/${id}/close`, { auth: admin });
    assert.equal(twice.status, 409);
    await assert.rejects(
      answerSurvey(app.ctx, { memberId: b.id, surveyId: id, question: 0, choices: [0] }),
      /closed/,
    );
    const missing = await app.call("GET", "/api/admin/surveys/999/results", { auth: admin });
    assert.equal(missing.status, 404);
  });
});
