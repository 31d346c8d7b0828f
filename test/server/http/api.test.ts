import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { clicks, referrals } from "../../../server/db/schema.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const BROWSER =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

test("profile: code, deep links, stats per level, tier progress and rewards", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ welcomeBonus: { token: "REF", amount: "5" } })],
    });
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body;
    assert.deepEqual(alice.links, {
      bot: `https://t.me/refmint_test_bot?start=${alice.code}`,
      miniApp: `https://t.me/refmint_test_bot/app?startapp=${alice.code}`,
      redirect: `https://api.refmint.test/r/${alice.code}`,
    });
    // Bob and Carol join through Alice's Mini App link; Dan through Bob's.
    for (const [id, code] of [
      [2, alice.code],
      [3, alice.code],
    ] as const) {
      const r = await app.call("POST", "/api/me/attribution", {
        auth: tmaFor(id, { startParam: code }),
      });
      assert.equal(r.status, 201, r.text);
    }
    const bob = (await app.call("GET", "/api/me", { auth: tmaFor(2) })).body;
    await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(4),
      body: { code: bob.code.toUpperCase() },
    });
    const dan = (await app.call("GET", "/api/me", { auth: tmaFor(4) })).body;
    await qualify(app.ctx, bob.member.id, { type: "wallet_linked" });
    await qualify(app.ctx, dan.member.id, { type: "wallet_linked" });
    await app.call("GET", `/r/${alice.code}`, { headers: { "user-agent": BROWSER } });

    const me = await app.call("GET", "/api/me", { auth: tmaFor(1) });
    assert.equal(me.status, 200, me.text);
    const s = me.body.stats;
    assert.equal(s.clicks, 1);
    assert.equal(s.starts, 2);
    assert.deepEqual(s.levels, [
      { level: 1, pending: 1, review: 0, qualified: 1, rejected: 0 },
      { level: 2, pending: 0, review: 0, qualified: 1, rejected: 0 },
      { level: 3, pending: 0, review: 0, qualified: 0, rejected: 0 },
    ]);
    assert.equal(s.tier.current.id, "base");
    assert.equal(s.tier.next.id, "pro");
    assert.equal(s.tier.toNext, 2);
    // L1 for Bob (10) + L2 for Dan (20% of 10 = 2).
    assert.deepEqual(s.rewards, [
      {
        token: "REF",
        earned: { wei: "12000000000000000000", tokens: "12" },
        byState: { queued: { wei: "12000000000000000000", tokens: "12" } },
      },
    ]);
    assert.deepEqual(
      me.body.offer.map((o: { level: number; amount: { tokens: string } }) => [
        o.level,
        o.amount.tokens,
      ]),
      [
        [1, "10"],
        [2, "2"],
        [3, "1"],
      ],
    );

    const list = await app.call("GET", "/api/me/referrals?limit=1", { auth: tmaFor(1) });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].firstName, "User3");
    const next = await app.call("GET", `/api/me/referrals?limit=1&before=${list.body.nextBefore}`, {
      auth: tmaFor(1),
    });
    assert.equal(next.body.items[0].status, "qualified");

    const rewards = await app.call("GET", "/api/me/rewards", { auth: tmaFor(1) });
    assert.deepEqual(
      rewards.body.items.map(
        (r: { level: number; amount: { tokens: string }; state: string; txHash: null }) => [
          r.level,
          r.amount.tokens,
          r.state,
          r.txHash,
        ],
      ),
      [
        [2, "2", "queued", null],
        [1, "10", "queued", null],
      ],
    );
    const bobRewards = await app.call("GET", "/api/me/rewards", { auth: tmaFor(2) });
    assert.deepEqual(
      bobRewards.body.items.map((r: { kind: string; amount: { tokens: string } }) => [
        r.kind,
        r.amount.tokens,
      ]),
      [
        ["referral", "10"],
        ["welcome", "5"],
      ],
    );
  });
});

test("Mini App attribution uses the validated start_param; refusals are problems and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body;
    await app.call("GET", "/api/me", { auth: tmaFor(2) });
    const before = await rowCounts(db);
    const cases: Array<
      [number, Record<string, unknown> | undefined, string | undefined, number, string]
    > = [
      [1, undefined, alice.code, 422, "self_referral"],
      [2, undefined, "nosuchcode", 422, "unknown_code"],
      [2, { code: "bad code!" }, undefined, 422, "invalid_code"],
      [2, undefined, undefined, 400, "validation_failed"],
      [2, { code: 5 }, undefined, 400, "validation_failed"],
    ];
    for (const [user, body, startParam, status, code] of cases) {
      const res = await app.call("POST", "/api/me/attribution", {
        auth: tmaFor(user, { startParam }),
        body,
      });
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.code, code);
    }
    assert.deepEqual(await rowCounts(db), before);
    const ok = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(2, { startParam: alice.code }),
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.referrerId, alice.member.id);
    const again = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(2, { startParam: alice.code }),
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "already_attributed");
    const [row] = await db.db.select().from(referrals);
    assert.ok(row?.ipHash && row.deviceHash, "client hashes are stored");
    assert.equal(row.ipHash.includes("127.0.0.1"), false);
  });
});

test("the redirect counts one click per client per day, ignores bots and repeats", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body;
    const go = (ua: string, ip = "198.51.100.1") =>
      app.call("GET", `/r/${alice.code.toUpperCase()}`, {
        headers: { "user-agent": ua, "x-forwarded-for": ip },
      });
    const first = await go(BROWSER);
    assert.equal(first.status, 302);
    assert.equal(
      first.headers.get("location"),
      `https://t.me/refmint_test_bot?start=${alice.code}`,
    );
    await go(BROWSER);
    await go("TelegramBot (like TwitterBot)");
    await go("facebookexternalhit/1.1");
    await go("curl/8.0");
    assert.equal((await db.db.select().from(clicks)).length, 1);
    app.clock.advance(24 * 3_600_000);
    await go(BROWSER);
    const me = (
      await app.call("GET", "/api/me", { auth: tmaFor(1, { authDate: app.clock.now() }) })
    ).body;
    assert.equal(me.stats.clicks, 2);
    const unknown = await app.call("GET", "/r/doesnotexist");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "not_found");
    await app.call("POST", `/api/admin/members/${alice.member.id}/ban`, {
      auth: `Bearer ${TEST_ADMIN_TOKEN}`,
      body: { reason: "spam links" },
    });
    const banned = await go("Mozilla/5.0 other browser");
    assert.equal(banned.status, 302);
    assert.equal(banned.headers.get("location"), "https://t.me/refmint_test_bot");
    assert.equal(
      (await db.db.select().from(clicks).where(eq(clicks.memberId, alice.member.id))).length,
      2,
    );
  });
});

test("campaign rules are public and readable; fraud thresholds are not", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const list = await app.call("GET", "/api/campaigns");
    assert.deepEqual(
      list.body.items.map((c: { slug: string; active: boolean }) => [c.slug, c.active]),
      [["test", true]],
    );
    const rules = await app.call("GET", "/api/campaigns/test");
    assert.equal(rules.status, 200);
    assert.deepEqual(rules.body.levels[1], { level: 2, percent: 20 });
    assert.equal(rules.body.contracts, null, "not deployed in tests");
    assert.equal("fraud" in rules.body, false);
    assert.deepEqual(rules.body.attribution, { newMembersOnly: true, windowHours: 24 });
    assert.equal((await app.call("GET", "/api/campaigns/nope")).body.code, "campaign_not_found");
  });
});

test("a campaign's rules say whether members of other campaigns can be invited", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [
        testCampaign(),
        testCampaign({ slug: "partner", onchainId: 8, attribution: { newMembersOnly: false } }),
      ],
      env: { ATTRIBUTION_WINDOW_HOURS: "48" },
    });
    const rules = await app.call("GET", "/api/campaigns/partner");
    assert.equal(rules.status, 200);
    assert.deepEqual(rules.body.attribution, { newMembersOnly: false, windowHours: 48 });
    const standing = await app.call("GET", "/api/campaigns/test");
    assert.deepEqual(standing.body.attribution, { newMembersOnly: true, windowHours: 48 });
  });
});

test("errors are problem+json; bodies are size-limited and must be JSON", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { env: { BODY_LIMIT_BYTES: "1024" } });
    const auth = tmaFor(1);
    const big = await app.call("POST", "/api/me/attribution", {
      auth,
      body: { code: "x".repeat(2000) },
    });
    assert.equal(big.status, 413);
    assert.equal(big.body.code, "payload_too_large");
    const broken = await app.call("POST", "/api/me/attribution", { auth, body: "{not json" });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.code, "malformed_json");
    const form = await app.call("POST", "/api/me/attribution", {
      auth,
      body: "code=abc",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(form.status, 415);
    const missing = await app.call("GET", "/api/nothing-here");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "route_not_found");
    assert.match(missing.headers.get("content-type") ?? "", /^application\/problem\+json/);
    assert.ok(missing.body.requestId);
    const badQuery = await app.call("GET", "/api/me/referrals?limit=5000", { auth });
    assert.equal(badQuery.status, 400);
    assert.equal(badQuery.body.errors[0].path, "query.limit");
  });
});

test("security headers, CORS for the Mini App origin only, request ids", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const res = await app.call("GET", "/api/campaigns", {
      headers: { origin: "https://app.refmint.test", "x-request-id": "req-12345678" },
    });
    assert.equal(res.headers.get("access-control-allow-origin"), "https://app.refmint.test");
    assert.equal(res.headers.get("x-request-id"), "req-12345678");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.equal(
      res.headers.get("strict-transport-security"),
      "max-age=31536000; includeSubDomains",
    );
    assert.equal(res.headers.get("x-powered-by"), null);
    const foreign = await app.call("GET", "/api/campaigns", {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
    const preflight = await app.call("OPTIONS", "/api/me", {
      headers: {
        origin: "https://app.refmint.test",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Authorization/);
    const badPreflight = await app.call("OPTIONS", "/api/me", {
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    assert.equal(badPreflight.headers.get("access-control-allow-origin"), null);
    const generated = await app.call("GET", "/healthz", {
      headers: { "x-request-id": "bad id with spaces" },
    });
    assert.match(generated.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });
});

test("rate limits per IP and per member answer 429 with Retry-After", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      env: { RATE_LIMIT_MEMBER_PER_MINUTE: "3", RATE_LIMIT_IP_PER_MINUTE: "8" },
    });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.call("GET", "/api/me", { auth: tmaFor(1) })).status);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    // Another member from the same IP is still served until the IP limit.
    const other = await app.call("GET", "/api/me", { auth: tmaFor(2) });
    assert.equal(other.status, 200);
    const more: number[] = [];
    for (let i = 0; i < 4; i++) more.push((await app.call("GET", "/api/campaigns")).status);
    assert.deepEqual(more, [200, 200, 200, 429]);
    const limited = await app.call("GET", "/api/campaigns");
    assert.equal(limited.body.code, "rate_limited");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    // Health checks are never limited.
    assert.equal((await app.call("GET", "/healthz")).status, 200);
  });
});

test("health, readiness and metrics", async (t) => {
  await withDatabases(t, async (db, kind) => {
    const app = await startTestApp(t, db);
    assert.deepEqual((await app.call("GET", "/healthz")).body, { status: "ok" });
    assert.deepEqual((await app.call("GET", "/readyz")).body, { status: "ready", database: kind });
    await app.call("GET", "/api/me", { auth: tmaFor(1) });
    const metrics = await app.call("GET", "/metrics");
    assert.equal(metrics.status, 200);
    assert.match(
      metrics.text,
      /refmint_http_requests_total\{method="GET",route="\/api\/me",status="200"\} 1/,
    );
    assert.match(metrics.text, /refmint_http_request_duration_seconds_bucket/);
  });
});

test("metrics can require a token", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { env: { METRICS_TOKEN: "metrics-token-0123456789" } });
    assert.equal((await app.call("GET", "/metrics")).status, 401);
    assert.equal(
      (await app.call("GET", "/metrics", { auth: "Bearer metrics-token-0123456789" })).status,
      200,
    );
  });
});

test("the OpenAPI document describes every route from the validating schemas", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const doc = (await app.call("GET", "/openapi.json")).body;
    assert.equal(doc.openapi, "3.1.0");
    const ops = Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`),
    );
    for (const expected of [
      "GET /api/me getProfile",
      "GET /api/me/referrals listReferrals",
      "GET /api/me/rewards listRewards",
      "POST /api/me/attribution attributeFromStartParam",
      "GET /api/me/wallet/nonce getSiweNonce",
      "POST /api/me/wallet linkWallet",
      "GET /api/campaigns/{slug} getCampaignRules",
      "GET /r/{code} redirect",
      "GET /api/admin/reviews listReviews",
      "POST /api/admin/reviews/{id}/approve approveReview",
      "POST /api/admin/reviews/{id}/reject rejectReview",
      "GET /api/admin/members findMember",
      "POST /api/admin/members/{id}/ban banMember",
      "GET /api/admin/campaigns listAdminCampaigns",
      "GET /api/admin/campaigns/{campaign}/roles listRoles",
      "PUT /api/admin/campaigns/{campaign}/roles/{memberId}/{role} grantRole",
      "DELETE /api/admin/campaigns/{campaign}/roles/{memberId}/{role} revokeRole",
      "GET /api/admin/audit listAudit",
      "POST /api/partner/events partnerEvent",
      "GET /healthz health",
      "GET /readyz ready",
      "GET /metrics metrics",
    ]) {
      assert.ok(ops.includes(expected), `${expected} in ${ops.join(", ")}`);
    }
    const link = doc.paths["/api/me/wallet"].post;
    assert.deepEqual(link.requestBody.content["application/json"].schema.required, [
      "message",
      "signature",
    ]);
    assert.equal(
      link.responses["409"].content["application/problem+json"].schema.$ref,
      "#/components/schemas/Problem",
    );
    assert.match(link.responses["409"].description, /wallet_taken/);
    const partner = doc.paths["/api/partner/events"].post;
    assert.ok(partner.requestBody.content["application/json"].schema.properties.eventId);
    const reviews = doc.paths["/api/admin/reviews"].get;
    assert.deepEqual(
      reviews.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
      ["query:status", "query:campaign", "query:limit", "query:before"],
    );
  });
});
