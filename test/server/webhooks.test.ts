/**
 * Outbound webhooks on the real stack (HTTP app, PGlite/PostgreSQL, a real local receiver):
 * subscriptions through the admin API (owners only, audited, secret shown once), events
 * queued with their facts, signed deliveries the receiver verifies, retries with backoff on
 * the test clock, the delivery log, replay with the same event id, nothing for a subscription
 * of another campaign, and partners (their key sees their campaign only).
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type TestContext, test } from "node:test";
import { webhookDeliveries, webhookEvents } from "../../server/db/schema/webhooks.ts";
import { auditLog } from "../../server/db/schema.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { grantRole, systemAdmin } from "../../server/domain/roles.ts";
import { verifyWebhook } from "../../server/webhooks/signature.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";
import { testCampaign } from "../support/campaign.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import { tmaFor } from "../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;
const BASE = 30;

const campaigns = () => [
  testCampaign({
    slug: "alpha",
    onchainId: 11,
    qualification: { type: "partner_event", partner: "shop", eventType: "purchase" },
    partner: { name: "Acme Shop", logoUrl: "https://acme.example/logo.png" },
  }),
  testCampaign({ slug: "beta", onchainId: 12 }),
];

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver; answers each request with the next status of `statuses` (then 200). */
async function receiver(t: TestContext, statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const settings = {
  intervalSeconds: 1,
  timeoutMs: 5000,
  maxAttempts: 4,
  backoffBaseSeconds: BASE,
  backoffMaxSeconds: 3600,
  batchSize: 50,
  concurrency: 4,
  allowHttp: true,
  allowLoopback: true,
};
const pass = (app: TestApp) => deliverWebhooks({ db: app.ctx.db, settings, now: app.clock.now });

const subscribe = (app: TestApp, slug: string, url: string, events: string[], auth = token) =>
  app.call("POST", `/api/admin/campaigns/${slug}/webhooks`, { auth, body: { url, events } });

function verified(r: Received, secret: string, app: TestApp) {
  return verifyWebhook(
    secret,
    {
      timestamp: r.headers["x-refmint-timestamp"] as string,
      signature: r.headers["x-refmint-signature"] as string,
    },
    r.body,
    Math.floor(app.clock.now().getTime() / 1000),
  );
}

test("signed deliveries: verified by the receiver, retried with backoff, logged, replayed with the same event id; other campaigns get nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const good = await receiver(t, [500, 503]);
    const other = await receiver(t);

    // Bad subscriptions are refused and write nothing.
    const before = await rowCounts(db);
    const ftp = await subscribe(app, "alpha", "ftp://example.com/x", ["member.joined"]);
    assert.equal(ftp.status, 422, ftp.text);
    assert.equal(ftp.body.code, "webhook_invalid");
    const unknown = await subscribe(app, "alpha", good.url, ["member.left"]);
    assert.equal(unknown.status, 400, unknown.text);
    const creds = await subscribe(app, "alpha", "https://u:p@example.com/", ["member.joined"]);
    assert.equal(creds.status, 422, creds.text);
    assert.deepEqual(await rowCounts(db), before, "refusals write nothing");

    // Only owners subscribe: a manager of the campaign is refused (and that is audited).
    const [manager] = await app.members(501);
    await grantRole(app.ctx, systemAdmin(), {
      campaignId: app.ctx.campaigns.bySlug("alpha")!.id,
      memberId: manager!.id,
      role: "manager",
    });
    const refused = await subscribe(app, "alpha", good.url, ["member.joined"], tmaFor(501));
    assert.equal(refused.status, 403, refused.text);

    const created = await subscribe(app, "alpha", good.url, [
      "member.joined",
      "referral.qualified",
    ]);
    assert.equal(created.status, 201, created.text);
    const secret: string = created.body.secret;
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    // The secret is shown once: never in the list.
    const list = await app.call("GET", "/api/admin/campaigns/alpha/webhooks", { auth: token });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].secret, undefined);
    assert.ok(!list.text.includes(secret));
    // A subscription of the other campaign, to the same event types.
    const betaHook = await subscribe(app, "beta", other.url, [
      "member.joined",
      "referral.qualified",
    ]);
    assert.equal(betaHook.status, 201);

    // Facts in campaign alpha: a member joins through a link, then qualifies (partner event).
    const [alice, bob] = await app.members(1, 2);
    await app.refer(alice!, bob!, { campaign: "alpha" });
    const q = await qualify(
      app.ctx,
      bob!.id,
      { type: "partner_event", partner: "shop", eventType: "purchase" },
      app.ctx.campaigns.bySlug("alpha")!.id,
    );
    assert.equal(q.status, "qualified");

    // Attempt 1 of each: member.joined and referral.qualified; the receiver answers 500, 503.
    const first = await pass(app);
    assert.deepEqual(first, { delivered: 0, retrying: 2, failed: 0 });
    assert.equal(good.received.length, 2);
    assert.equal(other.received.length, 0, "the other campaign's endpoint gets nothing");
    for (const r of good.received) {
      assert.ok(verified(r, secret, app), "the signature verifies with the endpoint's secret");
      assert.ok(!verified(r, "whsec_wrong", app), "and not with another secret");
      const body = JSON.parse(r.body);
      assert.equal(r.headers["x-refmint-event-id"], body.id);
      assert.equal(body.campaign, "alpha");
    }
    const bodies = good.received.map((r) => JSON.parse(r.body));
    const joined = bodies.find((b) => b.type === "member.joined");
    const qualified = bodies.find((b) => b.type === "referral.qualified");
    assert.deepEqual(joined.data.memberId, bob!.id);
    assert.equal(joined.data.referrerId, alice!.id);
    assert.equal(qualified.data.memberId, bob!.id);
    assert.deepEqual(
      qualified.data.rewards.map((r: { level: number; amount: string }) => [r.level, r.amount]),
      [[1, "10000000000000000000"]],
    );

    // Backoff: nothing is due before BASE seconds, then the second attempt (both succeed).
    assert.deepEqual(await pass(app), { delivered: 0, retrying: 0, failed: 0 });
    app.clock.advance((BASE - 1) * 1000);
    assert.deepEqual(await pass(app), { delivered: 0, retrying: 0, failed: 0 });
    assert.equal(good.received.length, 2);
    app.clock.advance(1000);
    assert.deepEqual(await pass(app), { delivered: 2, retrying: 0, failed: 0 });
    assert.equal(good.received.length, 4);
    // Retries carry the same event id and body, with a fresh signature.
    for (const r of good.received.slice(2)) assert.ok(verified(r, secret, app));
    assert.deepEqual(
      good.received
        .slice(2)
        .map((r) => r.body)
        .sort(),
      good.received
        .slice(0, 2)
        .map((r) => r.body)
        .sort(),
    );

    // The log: attempts with response codes and latency.
    const log = await app.call("GET", "/api/admin/campaigns/alpha/webhooks/deliveries", {
      auth: token,
    });
    assert.equal(log.status, 200, log.text);
    assert.equal(log.body.items.length, 2);
    for (const d of log.body.items) {
      assert.equal(d.status, "delivered");
      assert.equal(d.attempts, 2);
      assert.equal(d.log.length, 2);
      assert.equal(d.log[1].statusCode, 200);
      assert.ok([500, 503].includes(d.log[0].statusCode));
      assert.equal(d.log[0].ok, false);
      assert.ok(d.log.every((a: { latencyMs: number }) => a.latencyMs >= 0));
      // The second attempt was exactly BASE seconds after the first.
      assert.equal(Date.parse(d.log[1].at) - Date.parse(d.log[0].at), BASE * 1000);
    }

    // Replay: the same event id and body go out again, logged as a replay.
    const target = log.body.items.find((d: { type: string }) => d.type === "member.joined");
    const replay = await app.call(
      "POST",
      `/api/admin/campaigns/alpha/webhooks/deliveries/${target.deliveryId}/replay`,
      { auth: token },
    );
    assert.equal(replay.status, 202, replay.text);
    assert.equal(replay.body.eventId, target.eventId);
    // A delivery of another campaign cannot be replayed through this one.
    const foreign = await app.call(
      "POST",
      `/api/admin/campaigns/beta/webhooks/deliveries/${target.deliveryId}/replay`,
      { auth: token },
    );
    assert.equal(foreign.status, 404);
    assert.deepEqual(await pass(app), { delivered: 1, retrying: 0, failed: 0 });
    assert.equal(good.received.length, 5);
    const replayed = good.received[4]!;
    assert.equal(replayed.headers["x-refmint-event-id"], target.eventId);
    assert.equal(
      replayed.body,
      good.received.find((r) => r.headers["x-refmint-event-id"] === target.eventId)!.body,
    );
    assert.ok(verified(replayed, secret, app));
    const after = await app.call(
      "GET",
      `/api/admin/campaigns/alpha/webhooks/deliveries?eventId=${encodeURIComponent(target.eventId)}`,
      { auth: token },
    );
    assert.deepEqual(
      after.body.items[0].log.map((a: { replay: boolean; ok: boolean }) => [a.replay, a.ok]),
      [
        [false, false],
        [false, true],
        [true, true],
      ],
    );
    assert.equal(other.received.length, 0);

    // The same fact again writes no second event (the event id is the idempotency key).
    assert.equal((await db.db.select().from(webhookEvents)).length, 2);
    const audit = (await db.db.select().from(auditLog)).map((a) => a.action);
    assert.ok(audit.includes("webhook.subscribed"));
    assert.ok(audit.includes("webhook.replayed"));
    assert.ok(audit.includes("access.denied"));
  });
});

test("a receiver that keeps failing: exponential backoff up to the cap of attempts, then failed", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const bad = await receiver(t, [500, 500, 500, 500, 500]);
    const created = await subscribe(app, "alpha", bad.url, ["member.joined"]);
    assert.equal(created.status, 201);
    const [a, b] = await app.members(1, 2);
    await app.refer(a!, b!, { campaign: "alpha" });

    const sentAt: number[] = [];
    for (let i = 0; i < 40 && bad.received.length < settings.maxAttempts; i++) {
      const n = bad.received.length;
      await pass(app);
      if (bad.received.length > n) sentAt.push(app.clock.now().getTime());
      app.clock.advance(BASE * 1000);
    }
    assert.equal(bad.received.length, settings.maxAttempts);
    // Waits of BASE, 2·BASE, 4·BASE seconds between the attempts.
    const gaps = sentAt.slice(1).map((t, i) => (t - sentAt[i]!) / 1000);
    assert.deepEqual(gaps, [BASE, 2 * BASE, 4 * BASE]);
    const [d] = await db.db.select().from(webhookDeliveries);
    assert.equal(d!.status, "failed");
    assert.equal(d!.attempts, settings.maxAttempts);
    assert.equal(d!.lastStatusCode, 500);
    // Nothing more after the cap.
    app.clock.advance(86_400_000);
    await pass(app);
    assert.equal(bad.received.length, settings.maxAttempts);

    // Disabling the endpoint: nothing more is queued for it.
    const off = await app.call("DELETE", `/api/admin/campaigns/alpha/webhooks/${created.body.id}`, {
      auth: token,
    });
    assert.deepEqual(off.body, { disabled: true });
    const [c] = await app.members(3);
    await app.refer(a!, c!, { campaign: "alpha" });
    assert.equal((await db.db.select().from(webhookEvents)).length, 1);
  });
});

test("no subscription, no rows: facts of an unsubscribed campaign or event type queue nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const r = await receiver(t);
    // Subscribed to another event type only.
    assert.equal((await subscribe(app, "alpha", r.url, ["reward.paid"])).status, 201);
    const [a, b] = await app.members(1, 2);
    await app.refer(a!, b!, { campaign: "alpha" });
    assert.equal((await db.db.select().from(webhookEvents)).length, 0);
    assert.equal((await db.db.select().from(webhookDeliveries)).length, 0);
    assert.deepEqual(await pass(app), { delivered: 0, retrying: 0, failed: 0 });
    assert.equal(r.received.length, 0);
  });
});

test("partners: a key opens its own campaign's analytics and webhooks only", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    // A campaign without a partner has no partner key to issue.
    const none = await app.call("POST", "/api/admin/campaigns/beta/partner/keys", { auth: token });
    assert.equal(none.status, 404, none.text);
    const issued = await app.call("POST", "/api/admin/campaigns/alpha/partner/keys", {
      auth: token,
    });
    assert.equal(issued.status, 201, issued.text);
    assert.equal(issued.body.partner, "Acme Shop");
    const key = `Bearer ${issued.body.key}`;

    const me = await app.call("GET", "/api/partner/campaign", { auth: key });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.body.partner, {
      name: "Acme Shop",
      logoUrl: "https://acme.example/logo.png",
    });
    assert.equal(me.body.campaign, "alpha");

    const [a, b] = await app.members(1, 2);
    await app.refer(a!, b!, { campaign: "alpha" });
    const [c, d] = await app.members(3, 4);
    await app.refer(c!, d!, { campaign: "beta" });
    await app.refer(a!, (await app.members(5))[0]!, { campaign: "beta" });

    const overview = await app.call("GET", "/api/partner/analytics/overview", { auth: key });
    assert.equal(overview.status, 200, overview.text);
    assert.equal(overview.body.campaign, "alpha");
    assert.equal(overview.body.funnel.attributed, 1, "alpha's one attribution, not beta's two");
    assert.ok(overview.body.topReferrers.every((r: { username: unknown }) => r.username === null));
    // The admin's view of the same campaign agrees on the counts.
    const adminView = await app.call("GET", "/api/admin/campaigns/alpha/analytics/overview", {
      auth: token,
    });
    assert.deepEqual(adminView.body.funnel, overview.body.funnel);

    // The key does not open the admin API, another campaign, or anything once revoked.
    const adminWithKey = await app.call("GET", "/api/admin/campaigns/beta/analytics/overview", {
      auth: key,
    });
    assert.equal(adminWithKey.status, 401);
    const wrong = await app.call("GET", "/api/partner/analytics/overview", {
      auth: "Bearer rmk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, "partner_key_invalid");

    // Its own webhook, with its own secret, for its campaign only.
    const r = await receiver(t);
    const hook = await app.call("POST", "/api/partner/webhooks", {
      auth: key,
      body: { url: r.url, events: ["member.joined"] },
    });
    assert.equal(hook.status, 201, hook.text);
    assert.equal(hook.body.partner, "Acme Shop");
    await app.refer(a!, (await app.members(6))[0]!, { campaign: "alpha" });
    await app.refer(c!, (await app.members(7))[0]!, { campaign: "beta" });
    await pass(app);
    assert.equal(r.received.length, 1);
    assert.equal(JSON.parse(r.received[0]!.body).campaign, "alpha");
    assert.ok(verified(r.received[0]!, hook.body.secret, app));
    const mine = await app.call("GET", "/api/partner/webhooks", { auth: key });
    assert.equal(mine.body.items.length, 1);

    const revoked = await app.call(
      "DELETE",
      `/api/admin/campaigns/alpha/partner/keys/${issued.body.id}`,
      { auth: token },
    );
    assert.deepEqual(revoked.body, { revoked: true });
    const after = await app.call("GET", "/api/partner/analytics/overview", { auth: key });
    assert.equal(after.status, 401);
    const audit = (await db.db.select().from(auditLog)).map((x) => x.action);
    assert.ok(audit.includes("partner.key_issued") && audit.includes("partner.key_revoked"));
  });
});
