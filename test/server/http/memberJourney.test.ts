/**
 * The member's own journey over HTTP (issue 14), PGlite and PostgreSQL: who invited them and
 * what both get (GET /api/me/invitation), whose invitation each reward came from (the history's
 * `source`), where settled rewards are (GET /api/me/rewards/summary; the pipeline's states are
 * in test/chain/delivery.test.ts), and bad input refused with nothing written.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

test("invitation, reward sources and the delivery summary", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ welcomeBonus: { token: "REF", amount: "5" } })],
    });
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body;

    // Nobody invited Alice.
    const none = await app.call("GET", "/api/me/invitation", { auth: tmaFor(1) });
    assert.equal(none.status, 200, none.text);
    assert.deepEqual(none.body, { invitation: null });

    // Bob comes through Alice's link: his first screen names her, both rewards, the next step.
    const r = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(2, { startParam: alice.code }),
    });
    assert.equal(r.status, 201, r.text);
    const bob = (await app.call("GET", "/api/me", { auth: tmaFor(2) })).body;
    const inv = (await app.call("GET", "/api/me/invitation", { auth: tmaFor(2) })).body.invitation;
    assert.equal(inv.referrerName, "User1");
    assert.equal(inv.status, "pending");
    assert.deepEqual(inv.welcome, {
      token: "REF",
      amount: { wei: "5000000000000000000", tokens: "5" },
    });
    assert.deepEqual(inv.referrerReward, {
      token: "REF",
      amount: { wei: "10000000000000000000", tokens: "10" },
    });
    assert.deepEqual(inv.steps, [
      { id: "joined", done: true },
      { id: "wallet", done: false },
      { id: "counted", done: false },
    ]);

    // Dan comes through Bob's link; both qualify.
    await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(4),
      body: { code: bob.code },
    });
    const dan = (await app.call("GET", "/api/me", { auth: tmaFor(4) })).body;
    await qualify(app.ctx, bob.member.id, { type: "wallet_linked" });
    await qualify(app.ctx, dan.member.id, { type: "wallet_linked" });
    const after = (await app.call("GET", "/api/me/invitation", { auth: tmaFor(2) })).body;
    assert.equal(after.invitation.status, "qualified");
    assert.ok(after.invitation.steps.every((s: { done: boolean }) => s.done));

    // Alice's history: level 1 for inviting Bob (named), level 2 through Bob (Dan unnamed).
    const rewards = (await app.call("GET", "/api/me/rewards", { auth: tmaFor(1) })).body.items;
    const byLevel = Object.fromEntries(
      rewards.map((x: { level: number; source: unknown; delivery: unknown }) => [
        x.level,
        { source: x.source, delivery: x.delivery },
      ]),
    );
    assert.deepEqual(byLevel[1], {
      source: { refereeId: bob.member.id, friend: "User2", via: null },
      delivery: null,
    });
    assert.deepEqual(byLevel[2], {
      source: { refereeId: dan.member.id, friend: null, via: "User2" },
      delivery: null,
    });

    // Nothing settled yet: nothing in the summary; the wallet as the profile has it.
    const summary = await app.call("GET", "/api/me/rewards/summary", { auth: tmaFor(1) });
    assert.equal(summary.status, 200, summary.text);
    assert.deepEqual(summary.body, { wallet: null, tokens: [] });

    // Bad input: a clear 4xx, nothing written.
    const before = await rowCounts(db);
    for (const [path, status, code] of [
      ["/api/me/invitation?campaign=NOT%20A%20SLUG", 400, "validation_failed"],
      ["/api/me/invitation?campaign=no-such-campaign", 404, "campaign_not_found"],
      ["/api/me/rewards/summary?campaign=no-such-campaign", 404, "campaign_not_found"],
    ] as const) {
      const res = await app.call("GET", path, { auth: tmaFor(1) });
      assert.equal(res.status, status, `${path}: ${res.text}`);
      assert.equal(res.body.code, code);
    }
    const unauth = await app.call("GET", "/api/me/invitation");
    assert.equal(unauth.status, 401);
    assert.deepEqual(await rowCounts(db), before);
  });
});
