import assert from "node:assert/strict";
import { test } from "node:test";
import { ledgerEntries, partnerEvents, referrals } from "../../../server/db/schema.ts";
import { signPartnerPayload } from "../../../server/http/routes/partner.ts";
import { startTestApp, TEST_PARTNER_SECRET, type TestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";

const purchaseCampaign = testCampaign({
  qualification: { type: "partner_event", partner: "shop", eventType: "purchase" },
});

function send(
  app: TestApp,
  body: unknown,
  o: { secret?: string; timestamp?: number; partner?: string; signature?: string } = {},
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const ts = o.timestamp ?? Math.floor(app.clock.now().getTime() / 1000);
  return app.call("POST", "/api/partner/events", {
    body: raw,
    headers: {
      "content-type": "application/json",
      "x-refmint-partner": o.partner ?? "shop",
      "x-refmint-timestamp": String(ts),
      "x-refmint-signature":
        o.signature ?? signPartnerPayload(o.secret ?? TEST_PARTNER_SECRET, ts, raw),
    },
  });
}

test("a signed purchase event qualifies the referral; a replay is processed once", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [purchaseCampaign] });
    const [a, b] = [await app.member(1), await app.member(2)];
    await app.refer(a, b);
    const event = { eventId: "order-1001", type: "purchase", telegramUserId: 2, amount: "19.99" };
    const first = await send(app, event);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.outcome, "qualified");
    assert.equal(first.body.replayed, false);
    const after1 = await rowCounts(db);

    const replay = await send(app, event);
    assert.equal(replay.status, 200);
    assert.deepEqual({ ...replay.body, replayed: false }, first.body);
    assert.equal(replay.body.replayed, true);
    // Replays in parallel too: still exactly one event and one set of rewards.
    const burst = await Promise.all(Array.from({ length: 10 }, () => send(app, event)));
    assert.ok(burst.every((r) => r.status === 200 && r.body.replayed === true));
    assert.deepEqual(await rowCounts(db), after1, "nothing new written");
    assert.equal((await db.db.select().from(ledgerEntries)).length, 1);
    assert.equal((await db.db.select().from(partnerEvents)).length, 1);

    // Same id, different payload: refused.
    const conflict = await send(app, { ...event, amount: "0.01" });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, "partner_event_conflict");
  });
});

test("other event types and unknown members are recorded but change nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [purchaseCampaign] });
    const [a, b] = [await app.member(1), await app.member(2)];
    await app.refer(a, b);
    const signup = await send(app, { eventId: "e1", type: "signup", memberId: b.id });
    assert.deepEqual(
      [signup.body.outcome, signup.body.reason],
      ["ignored", "not_qualifying_event"],
    );
    const nobody = await send(app, { eventId: "e2", type: "purchase", telegramUserId: 999 });
    assert.deepEqual([nobody.body.outcome, nobody.body.reason], ["ignored", "unknown_member"]);
    const [ref] = await db.db.select().from(referrals);
    assert.equal(ref?.status, "pending");
  });
});

test("bad signatures, stale timestamps and unknown partners are 401 and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [purchaseCampaign] });
    const [a, b] = [await app.member(1), await app.member(2)];
    await app.refer(a, b);
    const event = { eventId: "order-7", type: "purchase", telegramUserId: 2 };
    const now = Math.floor(app.clock.now().getTime() / 1000);
    const before = await rowCounts(db);
    const cases: Array<[string, Parameters<typeof send>[2], number, string]> = [
      ["wrong secret", { secret: "not-the-partner-secret-123" }, 401, "webhook_signature_invalid"],
      ["unknown partner", { partner: "other" }, 401, "webhook_signature_invalid"],
      ["no signature", { signature: "" }, 401, "webhook_signature_invalid"],
      ["too old", { timestamp: now - 301 }, 401, "webhook_timestamp_invalid"],
      ["too new", { timestamp: now + 301 }, 401, "webhook_timestamp_invalid"],
    ];
    for (const [name, o, status, code] of cases) {
      const res = await send(app, event, o);
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(res.body.code, code, name);
    }
    // A valid signature over a body that was changed in transit.
    const raw = JSON.stringify(event);
    const sig = signPartnerPayload(TEST_PARTNER_SECRET, now, raw);
    const altered = await send(
      app,
      { ...event, telegramUserId: 1 },
      { signature: sig, timestamp: now },
    );
    assert.equal(altered.body.code, "webhook_signature_invalid");
    // Signed but invalid content.
    assert.equal((await send(app, "{oops")).body.code, "malformed_json");
    assert.equal(
      (await send(app, { eventId: "x", type: "purchase" })).body.code,
      "validation_failed",
    );
    assert.deepEqual(await rowCounts(db), before);
  });
});
