/**
 * The leaderboard API over real HTTP: a campaign's board with the caller's own rank (inside and
 * outside the top N), both boards and periods, pseudonyms until a member opts in to their
 * name with `PATCH /api/me/settings`, and bad input refused with nothing written.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const token = (symbol: string) => ({
  symbol,
  name: symbol,
  decimals: 18,
  cap: "100000000",
  budget: "1000000",
  maxBatch: 100,
  maxBatchAmount: "10000",
  dailyLimit: "100000",
});

const campaign = () =>
  testCampaign({
    tokens: [token("REF"), token("ACT")],
    challenges: [
      {
        id: "join",
        title: { en: "Join", ru: "Вступить" },
        reward: { token: "ACT", amount: "2.5" },
      },
    ],
  });

test("the board, the caller's own rank inside and outside the top, names only by opt-in", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [campaign()] });
    const profile = async (id: number) =>
      (await app.call("GET", "/api/me", { auth: tmaFor(id) })).body;
    const alice = await profile(1);
    const dan = await profile(4);
    // Alice invites Bob and Carol, Dan invites Erin; all qualify.
    for (const [id, code] of [
      [2, alice.code],
      [3, alice.code],
      [5, dan.code],
    ] as const) {
      const r = await app.call("POST", "/api/me/attribution", {
        auth: tmaFor(id, { startParam: code }),
      });
      assert.equal(r.status, 201, r.text);
      await qualify(app.ctx, (await profile(id)).member.id, { type: "wallet_linked" });
    }
    await completeChallenge(app.ctx, {
      memberId: dan.member.id,
      challengeId: "join",
      source: "test",
    });

    const board = (id: number, query = "") =>
      app.call("GET", `/api/campaigns/test/leaderboard${query}`, { auth: tmaFor(id) });
    const week = await board(1);
    assert.equal(week.status, 200, week.text);
    assert.equal(week.body.campaign, "test");
    assert.equal(week.body.board, "referrals");
    assert.equal(week.body.period.kind, "week");
    assert.match(week.body.period.key, /^\d{4}-W\d{2}$/);
    assert.deepEqual(week.body.unit, { kind: "referrals", token: null });
    assert.equal(week.body.total, 2);
    assert.deepEqual(
      week.body.entries.map((e: { rank: number; score: number; me: boolean }) => [
        e.rank,
        e.score,
        e.me,
      ]),
      [
        [1, 2, true],
        [2, 1, false],
      ],
    );
    for (const e of week.body.entries) {
      assert.equal(e.name.kind, "pseudonym");
      assert.match(e.name.text, /^#[0-9A-Z]{6}$/);
      assert.ok(!e.name.text.includes("User"), "no Telegram name without opting in");
    }
    assert.deepEqual(week.body.me, {
      status: "ranked",
      rank: 1,
      score: 2,
      tiedWith: 0,
      name: week.body.entries[0].name,
      showName: false,
    });

    // Dan, outside a top of one: his own rank all the same.
    const dans = await board(4, "?limit=1&period=all");
    assert.equal(dans.status, 200, dans.text);
    assert.equal(dans.body.period.key, "all");
    assert.equal(dans.body.entries.length, 1);
    assert.equal(dans.body.entries[0].me, false);
    assert.equal(dans.body.me.rank, 2);
    assert.equal(dans.body.me.score, 1);
    // Bob has no qualified referral: not on the board.
    const bobs = await board(2);
    assert.equal(bobs.body.me.status, "unranked");
    assert.equal(bobs.body.me.rank, null);

    // Activity points: the activity token, in whole tokens.
    const activity = await board(1, "?board=activity&period=all");
    assert.deepEqual(activity.body.unit, { kind: "points", token: "ACT" });
    assert.deepEqual(
      activity.body.entries.map((e: { rank: number; score: number }) => [e.rank, e.score]),
      [[1, 2.5]],
    );

    // Alice opts in: others see her first name; she sees her choice.
    const set = await app.call("PATCH", "/api/me/settings", {
      auth: tmaFor(1),
      body: { showNameOnLeaderboards: true },
    });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body, { showNameOnLeaderboards: true });
    const seen = await board(4);
    assert.deepEqual(seen.body.entries[0].name, { kind: "name", text: "User1" });
    assert.equal(seen.body.entries[1].name.kind, "pseudonym");
    assert.equal((await board(1)).body.me.showName, true);
    await app.call("PATCH", "/api/me/settings", {
      auth: tmaFor(1),
      body: { showNameOnLeaderboards: false },
    });
    assert.deepEqual((await board(4)).body.entries[0].name, week.body.entries[0].name);
  });
});

test("bad input: a clear 4xx and nothing written", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [campaign()] });
    await app.call("GET", "/api/me", { auth: tmaFor(1) });
    const before = await rowCounts(db);
    for (const query of ["?board=karma", "?period=month", "?limit=0", "?limit=101", "?limit=ten"]) {
      const r = await app.call("GET", `/api/campaigns/test/leaderboard${query}`, {
        auth: tmaFor(1),
      });
      assert.equal(r.status, 400, query);
      assert.equal(r.body.code, "validation_failed", query);
    }
    const missing = await app.call("GET", "/api/campaigns/nope/leaderboard", { auth: tmaFor(1) });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "campaign_not_found");
    const anonymous = await app.call("GET", "/api/campaigns/test/leaderboard");
    assert.equal(anonymous.status, 401);
    for (const body of [{}, { showNameOnLeaderboards: "yes" }, { showNameOnLeaderboards: null }]) {
      const r = await app.call("PATCH", "/api/me/settings", { auth: tmaFor(1), body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, "validation_failed");
    }
    assert.deepEqual(await rowCounts(db), before, "nothing was written");

    const doc = (await app.call("GET", "/openapi.json")).body;
    assert.equal(doc.paths["/api/campaigns/{slug}/leaderboard"].get.operationId, "getLeaderboard");
    assert.equal(doc.paths["/api/me/settings"].patch.operationId, "updateSettings");
  });
});
