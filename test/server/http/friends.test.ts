/**
 * The member's own numbers and friends in the API the dashboard reads: `earnings` in
 * GET /api/me (variant and tier multiplier, the next tier's), GET /api/me/friends (each
 * friend's state, when they were last reminded and when the next reminder may go),
 * POST /api/me/friends/{id}/remind (once per friend per UTC day on the domain's clock, own
 * friends only).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { notifications } from "../../../server/db/schema.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

test("GET /api/me earnings, GET /api/me/friends states and the rate-limited remind", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [
        testCampaign({
          variants: [{ id: "v12", weight: 1, levelAmounts: { "1": "12" } }],
          tiers: [
            {
              id: "base",
              name: { en: "Base", ru: "База" },
              minQualified: 0,
              multiplierBps: 10_000,
            },
            { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 1, multiplierBps: 12_000 },
          ],
        }),
      ],
    });
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(11) })).body;
    const tokens = (
      levels: Array<{ min: { tokens: string }; next: { min: { tokens: string } } }>,
    ) => levels.map((l) => [l.min.tokens, l.next?.min.tokens]);
    assert.equal(alice.earnings.tier, "base");
    assert.equal(alice.earnings.nextTier, "pro");
    assert.deepEqual(tokens(alice.earnings.levels), [
      ["12", "14.4"],
      ["2.4", "2.88"],
      ["1", "1.2"],
    ]);
    for (const id of [12, 13]) {
      const r = await app.call("POST", "/api/me/attribution", {
        auth: tmaFor(id, { startParam: alice.code }),
      });
      assert.equal(r.status, 201, r.text);
    }
    const bob = (await app.call("GET", "/api/me", { auth: tmaFor(12) })).body;
    await qualify(app.ctx, bob.member.id, { type: "wallet_linked" });

    const me = (await app.call("GET", "/api/me", { auth: tmaFor(11) })).body;
    assert.equal(me.earnings.tier, "pro");
    assert.equal(me.earnings.nextTier, null);
    assert.deepEqual(
      me.earnings.levels.map((l: { min: { tokens: string } }) => l.min.tokens),
      ["14.4", "2.88", "1.2"],
    );

    const friends = await app.call("GET", "/api/me/friends", { auth: tmaFor(11) });
    assert.equal(friends.status, 200, friends.text);
    const states = friends.body.items.map((f: { state: string; remindable: boolean }) => [
      f.state,
      f.remindable,
    ]);
    assert.deepEqual(states, [
      ["waiting_wallet", true],
      ["qualified", false],
    ]);
    assert.deepEqual(
      friends.body.items.map((f: { lastRemindedAt: string; nextRemindAt: string }) => [
        f.lastRemindedAt,
        f.nextRemindAt,
      ]),
      [
        [null, null],
        [null, null],
      ],
    );
    const carolRef = friends.body.items[0].id;
    const remind = () =>
      app.call("POST", `/api/me/friends/${carolRef}/remind`, {
        auth: tmaFor(11, { authDate: app.clock.now() }),
      });
    const sentAt = app.clock.now();
    const midnight = new Date(
      Date.UTC(sentAt.getUTCFullYear(), sentAt.getUTCMonth(), sentAt.getUTCDate() + 1),
    );
    assert.deepEqual((await remind()).body, {
      result: "sent",
      lastRemindedAt: sentAt.toISOString(),
      nextRemindAt: midnight.toISOString(),
    });
    app.clock.advance(60_000);
    assert.deepEqual((await remind()).body, {
      result: "already_today",
      lastRemindedAt: sentAt.toISOString(),
      nextRemindAt: midnight.toISOString(),
    });
    const listed = await app.call("GET", "/api/me/friends", {
      auth: tmaFor(11, { authDate: app.clock.now() }),
    });
    assert.equal(listed.body.items[0].lastRemindedAt, sentAt.toISOString());
    assert.equal(listed.body.items[0].nextRemindAt, midnight.toISOString());
    // Bob has finished: no reminder for him, whatever the day.
    const bobRef = listed.body.items[1].id;
    assert.deepEqual(
      (
        await app.call("POST", `/api/me/friends/${bobRef}/remind`, {
          auth: tmaFor(11, { authDate: app.clock.now() }),
        })
      ).body,
      { result: "not_waiting", lastRemindedAt: null, nextRemindAt: null },
    );
    // Not Bob's friend: 404, nothing queued.
    const other = await app.call("POST", `/api/me/friends/${carolRef}/remind`, {
      auth: tmaFor(12),
    });
    assert.equal(other.status, 404, other.text);
    const bad = await app.call("POST", "/api/me/friends/abc/remind", { auth: tmaFor(11) });
    assert.equal(bad.status, 400, bad.text);
    const queued = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "friend_reminder"));
    assert.equal(queued.length, 1);

    // Past the UTC midnight: the next reminder may go, and goes.
    app.clock.set(new Date(midnight.getTime() + 5 * 60_000));
    const nextDay = await app.call("GET", "/api/me/friends", {
      auth: tmaFor(11, { authDate: app.clock.now() }),
    });
    assert.equal(nextDay.body.items[0].lastRemindedAt, sentAt.toISOString());
    assert.equal(nextDay.body.items[0].nextRemindAt, null);
    const again = await remind();
    assert.equal(again.body.result, "sent");
    assert.equal(again.body.lastRemindedAt, app.clock.now().toISOString());
    const twice = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "friend_reminder"));
    assert.equal(twice.length, 2);
  });
});
