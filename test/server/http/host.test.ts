/**
 * The host API and its keys through the real HTTP app: keys are owners' (a manager is refused
 * with one `access.denied` row), shown once and stored hashed, listed without secrets, revoked
 * once; the host endpoints refuse bad input with a 4xx before writing anything, answer
 * refusals of the attribution as outcomes, read a status without writing, process an action
 * once per event id; each key has its own rate window and failed keys count per IP; the
 * OpenAPI document describes it all.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { hostApiKeys } from "../../../server/db/schema/host.ts";
import { auditLog, referrals } from "../../../server/db/schema.ts";
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
const campaigns = () =>
  ["alpha", "beta"].map((slug, i) =>
    testCampaign({
      slug,
      onchainId: 400 + i,
      name: { en: slug, ru: slug },
      qualification: { type: "partner_event", partner: "shop", eventType: "purchase" },
    }),
  );

async function newKey(app: TestApp, campaign = "alpha", body: Record<string, unknown> = {}) {
  const res = await app.call("POST", `/api/admin/campaigns/${campaign}/api-keys`, {
    auth: admin,
    body: { name: "host bot", ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; key: string; partner: string; prefix: string };
}

const host = (app: TestApp, key: string) => ({
  start: (body: unknown, campaign = "alpha") =>
    app.call("POST", `/api/host/campaigns/${campaign}/starts`, { auth: `Bearer ${key}`, body }),
  member: (body: unknown, query = "") =>
    app.call("POST", `/api/host/campaigns/alpha/members${query}`, { auth: `Bearer ${key}`, body }),
  status: (id: number | string, query = "") =>
    app.call("GET", `/api/host/campaigns/alpha/members/${id}${query}`, { auth: `Bearer ${key}` }),
  action: (body: unknown) =>
    app.call("POST", "/api/host/campaigns/alpha/actions", { auth: `Bearer ${key}`, body }),
});

test("keys: owners only, shown once, stored hashed, listed without secrets, revoked once; audited", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const [owner, manager] = await app.members(11, 12);
    const alpha = app.ctx.campaigns.bySlug("alpha")!;
    for (const [m, role] of [
      [owner!, "owner"],
      [manager!, "manager"],
    ] as const) {
      const r = await app.call("PUT", `/api/admin/campaigns/alpha/roles/${m.id}/${role}`, {
        auth: admin,
      });
      assert.equal(r.status, 200, r.text);
    }

    // A manager may not; the refusal leaves one access.denied row and nothing else.
    const before = await rowCounts(db);
    const denied = await app.call("POST", "/api/admin/campaigns/alpha/api-keys", {
      auth: tmaFor(12),
      body: { name: "x" },
    });
    assert.equal(denied.status, 403, denied.text);
    const afterDenied = await rowCounts(db);
    assert.deepEqual(afterDenied, { ...before, audit_log: before.audit_log! + 1 });
    // The owner of alpha has no say in beta.
    const other = await app.call("GET", "/api/admin/campaigns/beta/api-keys", { auth: tmaFor(11) });
    assert.equal(other.status, 403);

    // Bad input: 400, nothing written.
    const counts = await rowCounts(db);
    for (const body of [{}, { name: "" }, { name: "ok", partner: "Not A Partner" }]) {
      const r = await app.call("POST", "/api/admin/campaigns/alpha/api-keys", {
        auth: tmaFor(11),
        body,
      });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    }
    assert.deepEqual(await rowCounts(db), counts);

    const created = await app.call("POST", "/api/admin/campaigns/alpha/api-keys", {
      auth: tmaFor(11),
      body: { name: "  shop bot  " },
    });
    assert.equal(created.status, 201, created.text);
    const { key, id } = created.body;
    assert.equal(created.body.name, "shop bot");
    assert.equal(created.body.partner, "shop", "the campaign's qualification partner");
    assert.equal(created.body.createdBy, `member:${owner!.id}`);
    assert.ok(key.startsWith(created.body.prefix));
    const [row] = await db.db.select().from(hostApiKeys).where(eq(hostApiKeys.id, id));
    assert.equal(row?.secretHash, createHash("sha256").update(key).digest("hex"));
    assert.ok(!JSON.stringify(row).includes(key.slice(4)), "the key itself is not stored");

    const listed = await app.call("GET", "/api/admin/campaigns/alpha/api-keys", {
      auth: tmaFor(11),
    });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);
    assert.equal(listed.body.items[0].key, undefined);
    assert.ok(!listed.text.includes(key.slice(4)));

    const revoke = () =>
      app.call("DELETE", `/api/admin/campaigns/alpha/api-keys/${id}`, { auth: tmaFor(11) });
    const first = await revoke();
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.changed, true);
    assert.ok(first.body.revokedAt);
    const again = await revoke();
    assert.equal(again.body.changed, false);
    // A key number of another campaign is not found there.
    const elsewhere = await app.call("DELETE", `/api/admin/campaigns/beta/api-keys/${id}`, {
      auth: admin,
    });
    assert.equal(elsewhere.status, 404);

    const audit = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.campaignId, alpha.id))
      .orderBy(auditLog.id);
    assert.deepEqual(
      audit
        .filter((a) => a.action.startsWith("api_key.") || a.action === "access.denied")
        .map((a) => [a.action, a.actor]),
      [
        ["access.denied", `member:${manager!.id}`],
        ["api_key.created", `member:${owner!.id}`],
        ["api_key.listed", `member:${owner!.id}`],
        ["api_key.revoked", `member:${owner!.id}`],
      ],
    );
    assert.ok(!JSON.stringify(audit).includes(key.slice(4)), "the audit log never holds the key");
  });
});

test("host endpoints: bad input is a 4xx that writes nothing; refusals are outcomes", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const { key } = await newKey(app);
    const api = host(app, key);
    const alice = await app.member(1);
    const before = await rowCounts(db);
    const cases: Array<[string, () => ReturnType<TestApp["call"]>, number, string]> = [
      [
        "no key",
        () => app.call("POST", "/api/host/campaigns/alpha/starts", { body: {} }),
        401,
        "auth_required",
      ],
      [
        "admin token is no host key",
        () => app.call("POST", "/api/host/campaigns/alpha/starts", { auth: admin, body: {} }),
        401,
        "api_key_invalid",
      ],
      ["no user", () => api.start({ payload: alice.code }), 400, "validation_failed"],
      [
        "a bot",
        () => api.start({ user: { id: 5, isBot: true }, payload: alice.code }),
        400,
        "validation_failed",
      ],
      ["not a code", () => api.start({ user: { id: 5 }, payload: "a b" }), 422, "invalid_code"],
      [
        "too long",
        () => api.start({ user: { id: 5 }, payload: "x".repeat(65) }),
        400,
        "validation_failed",
      ],
      [
        "other campaign's link",
        () => api.start({ user: { id: 5 }, payload: `${alice.code}__beta` }),
        403,
        "forbidden",
      ],
      [
        "other campaign's path",
        () => api.start({ user: { id: 5 }, payload: alice.code }, "beta"),
        403,
        "forbidden",
      ],
      ["unknown member", () => api.status(5), 404, "member_not_found"],
      ["bad member id", () => api.status("x1"), 400, "validation_failed"],
      ["bad bot name", () => api.member({ user: { id: 5 } }, "?bot=@x"), 400, "validation_failed"],
      [
        "action without member",
        () => api.action({ eventId: "e1", type: "purchase" }),
        400,
        "validation_failed",
      ],
      [
        "action bad id",
        () => api.action({ eventId: "a b", type: "purchase", telegramUserId: 5 }),
        400,
        "validation_failed",
      ],
      [
        "not JSON",
        () =>
          app.call("POST", "/api/host/campaigns/alpha/actions", {
            auth: `Bearer ${key}`,
            body: "{",
            headers: { "content-type": "application/json" },
          }),
        400,
        "malformed_json",
      ],
    ];
    for (const [name, call, status, code] of cases) {
      const r = await call();
      assert.equal(r.status, status, `${name}: ${r.text}`);
      assert.equal(r.body.code, code, name);
      assert.match(r.headers.get("content-type") ?? "", /problem\+json/, name);
    }
    assert.deepEqual(await rowCounts(db), before, "no refused request wrote anything");

    // Refusals of the attribution itself are answers (the member is created, like in the bot).
    const self = await api.start({ user: { id: 1, firstName: "U1" }, payload: alice.code });
    assert.equal(self.status, 200, self.text);
    assert.deepEqual([self.body.outcome, self.body.reason], ["refused", "self_referral"]);
    const unknown = await api.start({ user: { id: 6, firstName: "Bo" }, payload: "nosuchcode" });
    assert.deepEqual(
      [unknown.body.outcome, unknown.body.reason, unknown.body.memberCreated],
      ["refused", "unknown_code", true],
    );
    // A good one, then another code for the same member: already attributed (not a replay).
    const ok = await api.start({
      user: { id: 7, firstName: "Cy" },
      payload: `${alice.code}__alpha`,
    });
    assert.deepEqual(
      [ok.body.outcome, ok.body.inviter, ok.body.replayed],
      ["attributed", "U1", false],
    );
    const replay = await api.start({ user: { id: 7 }, payload: alice.code.toUpperCase() });
    assert.deepEqual([replay.body.outcome, replay.body.replayed], ["attributed", true]);
    assert.equal(replay.body.referralId, ok.body.referralId);
    const bob = await app.member(8);
    const second = await api.start({ user: { id: 7 }, payload: bob.code });
    assert.deepEqual([second.body.outcome, second.body.reason], ["refused", "already_attributed"]);
    assert.equal((await db.db.select().from(referrals)).length, 1);
  });
});

test("status: read without writing, ensure on first sight; actions once per event id", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const { key } = await newKey(app);
    const api = host(app, key);
    const alice = await app.member(1, "Alice");
    const ok = await api.start({ user: { id: 2 }, payload: alice.code });
    assert.equal(ok.body.outcome, "attributed");

    const counts = await rowCounts(db);
    const read = await api.status(1, "?bot=host_bot");
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.member.link, `https://t.me/host_bot?start=${alice.code}__alpha`);
    assert.deepEqual(read.body.levels[0], {
      level: 1,
      pending: 1,
      review: 0,
      qualified: 0,
      rejected: 0,
    });
    assert.equal(read.body.campaign.slug, "alpha");
    assert.deepEqual(read.body.eligibility, { ok: true });
    assert.deepEqual(await rowCounts(db), counts, "a status read writes nothing");
    const ensured = await api.member({ user: { id: 3, firstName: "New" } });
    assert.equal(ensured.status, 200, ensured.text);
    assert.equal(ensured.body.member.link, null);
    assert.equal(ensured.body.referredBy, null);

    const purchase = { eventId: "order-1", type: "purchase", telegramUserId: 2 };
    const first = await api.action(purchase);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual([first.body.outcome, first.body.replayed], ["qualified", false]);
    const after = await rowCounts(db);
    const replayed = await Promise.all([1, 2, 3].map(() => api.action(purchase)));
    for (const r of replayed) assert.deepEqual({ ...r.body, replayed: false }, first.body);
    assert.deepEqual(await rowCounts(db), after, "replays write nothing");
    const conflict = await api.action({ ...purchase, telegramUserId: 3 });
    assert.deepEqual([conflict.status, conflict.body.code], [409, "host_event_conflict"]);
    const other = await api.action({ eventId: "e2", type: "signup", telegramUserId: 2 });
    assert.deepEqual([other.body.outcome, other.body.reason], ["ignored", "referral_qualified"]);
    const nobody = await api.action({ eventId: "e3", type: "purchase", telegramUserId: 99 });
    assert.deepEqual([nobody.body.outcome, nobody.body.reason], ["ignored", "unknown_member"]);
    const status = await api.status(1);
    assert.equal(status.body.levels[0].qualified, 1);
    assert.equal(status.body.rewards[0].earned.tokens, "10");
  });
});

test("rate limits: a window per key; failed keys count per IP", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: campaigns(),
      env: { RATE_LIMIT_HOST_KEY_PER_MINUTE: "3", RATE_LIMIT_IP_PER_MINUTE: "1000" },
    });
    const { key } = await newKey(app);
    const { key: other } = await newKey(app, "alpha", { name: "second" });
    await app.member(1);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await host(app, key).status(1)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await host(app, key).status(1);
    assert.equal(limited.body.code, "rate_limited");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal((await host(app, other).status(1)).status, 200, "another key has its own window");
    // A minute later the window has room again.
    app.clock.advance(61_000);
    assert.equal((await host(app, key).status(1)).status, 200);
  });
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: campaigns(),
      env: { RATE_LIMIT_IP_PER_MINUTE: "3" },
    });
    const bad = host(app, `rmk_${"B".repeat(43)}`);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await bad.status(1)).body.code);
    assert.deepEqual(codes, [
      "api_key_invalid",
      "api_key_invalid",
      "api_key_invalid",
      "rate_limited",
    ]);
  });
});

test("the OpenAPI document describes the host API and its key", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const doc = (await app.call("GET", "/openapi.json")).body;
    assert.equal(doc.components.securitySchemes.hostApiKey.scheme, "bearer");
    for (const [path, method] of [
      ["/api/host/campaigns/{slug}/starts", "post"],
      ["/api/host/campaigns/{slug}/members", "post"],
      ["/api/host/campaigns/{slug}/members/{telegramUserId}", "get"],
      ["/api/host/campaigns/{slug}/actions", "post"],
    ] as const) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path}`);
      assert.deepEqual(op.security, [{ hostApiKey: [] }]);
      assert.ok(op.responses["401"].description.includes("api_key_invalid"));
    }
    assert.ok(doc.paths["/api/admin/campaigns/{slug}/api-keys"].post);
    assert.ok(doc.paths["/api/admin/campaigns/{slug}/api-keys/{id}"].delete);
  });
});
