/**
 * Bad input found by probing the running service: each answer is a 4xx problem (or a page
 * for people), never a 500; nothing personal reaches the logs; clicks, nonces and the
 * funnel hold up under odd but legitimate traffic.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { members, siweNonces } from "../../../server/db/schema.ts";
import { ensureMember, ensureMembers } from "../../../server/domain/members.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { buildSiweMessage, signSiwe, testAccount } from "../../support/siwe.ts";
import { signInitData, tma, tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;
const BROWSER_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

function assertProblem(
  res: { status: number; headers: Headers; body: { code?: string }; text: string },
  status: number,
  code: string,
  what: string,
) {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/, what);
  assert.equal(res.body.code, code, what);
}

test("malformed percent-encoding in a path parameter is a 400 problem, not a 500", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const m = await app.member(1);
    const cases: Array<[string, string, string | undefined]> = [
      ["GET", "/r/%ff%fe", undefined],
      ["GET", "/r/%E0%A4%A", undefined],
      ["GET", "/api/campaigns/%ff", undefined],
      ["POST", "/api/admin/members/%ff/ban", token],
      ["POST", `/api/admin/members/${m.id}/challenges/%c0`, token],
      ["PUT", "/api/admin/members/%zz/code", token],
    ];
    const before = await rowCounts(db);
    for (const [method, path, auth] of cases) {
      const res = await app.call(method, path, { auth, body: method === "GET" ? undefined : {} });
      assertProblem(res, 400, "malformed_url", `${method} ${path}`);
    }
    // A person opening a broken link gets a page, not JSON.
    const page = await app.call("GET", "/r/%ff%fe", { headers: { accept: BROWSER_HTML } });
    assert.equal(page.status, 400);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.deepEqual(await rowCounts(db), before);
  });
});

test("a corrupt gzip, deflate or br body is a 400 problem; a sound one is read", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    await app.member(1);
    const post = (encoding: string, body: Buffer) =>
      fetch(`${app.url}/api/me/attribution`, {
        method: "POST",
        headers: {
          authorization: tmaFor(1),
          "content-type": "application/json",
          "content-encoding": encoding,
        },
        body: Uint8Array.from(body),
      });
    const garbage = Buffer.from("this is not compressed at all");
    const truncated = gzipSync(JSON.stringify({ code: "abcdefgh" })).subarray(0, 12);
    const before = await rowCounts(db);
    for (const [encoding, body] of [
      ["gzip", garbage],
      ["gzip", truncated],
      ["deflate", garbage],
      ["br", garbage],
    ] as const) {
      const res = await post(encoding, body);
      const text = await res.text();
      assert.equal(res.status, 400, `${encoding}: ${text}`);
      assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
      assert.equal(JSON.parse(text).code, "malformed_body", encoding);
    }
    assert.deepEqual(await rowCounts(db), before);
    // Sound compressed bodies are decoded and validated as usual.
    for (const [encoding, body] of [
      ["gzip", gzipSync(JSON.stringify({ code: "nosuchcode1" }))],
      ["br", brotliCompressSync(JSON.stringify({ code: "nosuchcode1" }))],
    ] as const) {
      const res = await post(encoding, body);
      assert.equal(res.status, 422, encoding);
      assert.equal((await res.json()).code, "unknown_code");
    }
  });
});

/** An open review item (a flagged referral) to decide. */
async function flaggedReview(app: TestApp): Promise<number> {
  const a = await app.member(101);
  for (const id of [102, 103]) {
    const r = await app.member(id);
    await app.refer(a, r);
    await qualify(app.ctx, r.id, { type: "wallet_linked" });
  }
  const list = await app.call("GET", "/api/admin/reviews", { auth: token });
  const id = list.body.items[0]?.id;
  assert.ok(typeof id === "number", list.text);
  return id;
}

test("U+0000: refused in request strings, replaced in Telegram names", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } } })],
    });
    // Names come from Telegram and the member cannot easily change them: stored with U+FFFD.
    const me = await app.call("GET", "/api/me", {
      auth: tmaFor(77, {
        user: { first_name: "Ali\u0000ce", last_name: "B\u0000", username: "ali\u0000ce" },
      }),
    });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.member.firstName, "Ali\uFFFDce");
    const [row] = await db.db.select().from(members).where(eq(members.telegramId, 77));
    assert.deepEqual(
      [row?.firstName, row?.lastName, row?.username],
      ["Ali\uFFFDce", "B\uFFFD", "ali\uFFFDce"],
    );
    // A later change of name (update path), through the Mini App and through the bot.
    const renamed = await app.call("GET", "/api/me", {
      auth: tmaFor(77, { user: { first_name: "Zo\u0000e" } }),
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.member.firstName, "Zo\uFFFDe");
    const [batched] = await ensureMembers(app.ctx, [{ id: 77, firstName: "Bo\u0000b" }]);
    assert.equal(batched?.member.firstName, "Bo\uFFFDb");
    const single = await ensureMember(app.ctx, {
      id: 78,
      firstName: "X\u0000",
      lastName: "\u0000",
    });
    assert.equal(single.member.firstName, "X\uFFFD");

    const reviewId = await flaggedReview(app);
    const target = await app.member(200);
    const before = await rowCounts(db);
    const refused: Array<[string, string, unknown, string | undefined]> = [
      ["POST", `/api/admin/reviews/${reviewId}/reject`, { reason: "farm\u0000ed" }, token],
      ["POST", `/api/admin/reviews/${reviewId}/approve`, { reason: "ok\u0000ok" }, token],
      ["POST", `/api/admin/members/${target.id}/ban`, { reason: "spam\u0000mer" }, token],
      ["POST", `/api/admin/members/${target.id}/unban`, { reason: "appeal\u0000" }, token],
      ["PUT", `/api/admin/members/${target.id}/code`, { code: "vip\u0000x" }, token],
      ["GET", "/api/admin/members?username=ali%00ce", undefined, token],
      ["POST", "/api/me/attribution", { code: "abc\u0000def" }, tmaFor(77)],
      ["POST", "/api/me/attribution", { code: "abcdefgh", deviceId: "d\u0000" }, tmaFor(77)],
      ["POST", "/api/me/wallet", { message: "x\u0000", signature: "0x00" }, tmaFor(77)],
    ];
    for (const [method, path, body, auth] of refused) {
      const res = await app.call(method, path, { auth, body });
      assertProblem(res, 400, "validation_failed", `${method} ${path}`);
      assert.match(JSON.stringify(res.body.errors), /U\+0000/, path);
    }
    assert.deepEqual(await rowCounts(db), before, "nothing written");
  });
});

test("a failing request logs no personal data and no bound parameters", async (t) => {
  await withDatabases(t, async (db) => {
    const logs: string[] = [];
    const app = await startTestApp(t, db, { logs });
    const victim = await app.member(5555);
    // A constraint the writes below break: the database refuses them with an error whose
    // detail repeats the row (PostgreSQL: "Failing row contains (…)").
    await db.db.execute(
      sql.raw(`alter table members add constraint hardening_probe check (
        first_name is distinct from 'Zelda Privatename'
        and ban_reason is distinct from 'probe: a confidential reason')`),
    );
    try {
      const me = await app.call("GET", "/api/me", {
        auth: tmaFor(987654321, {
          user: {
            first_name: "Zelda Privatename",
            last_name: "Lastprivate",
            username: "zeldapriv",
          },
        }),
      });
      assertProblem(me, 500, "internal", "member creation");
      const ban = await app.call("POST", `/api/admin/members/${victim.id}/ban`, {
        auth: token,
        body: { reason: "probe: a confidential reason" },
      });
      assertProblem(ban, 500, "internal", "ban");
    } finally {
      await db.db.execute(sql.raw("alter table members drop constraint hardening_probe"));
    }
    const text = logs.join("");
    // What helps debugging is there …
    assert.match(text, /unhandled error/);
    assert.match(text, /hardening_probe/);
    assert.match(text, /23514/, "the SQLSTATE");
    // … and nothing personal, no bound parameters.
    for (const secret of [
      "987654321",
      "Zelda",
      "Privatename",
      "Lastprivate",
      "zeldapriv",
      "confidential",
      "params:",
      "Failing row",
    ])
      assert.ok(!text.includes(secret), `the logs contain ${secret}:\n${text}`);
  });
});

test("unknown links: people get an HTML page in their language, API clients a problem", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const ru = await app.call("GET", "/r/nosuchcode", {
      headers: { accept: BROWSER_HTML, "accept-language": "ru-RU,ru;q=0.9,en;q=0.8" },
    });
    assert.equal(ru.status, 404);
    assert.match(ru.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(ru.text, /<html lang="ru">/);
    assert.match(ru.text, /Ссылка не найдена/);
    assert.match(ru.text, /https:\/\/t\.me\/refmint_test_bot/, "a way on to the bot");
    const en = await app.call("GET", "/r/nosuchcode", {
      headers: { accept: BROWSER_HTML, "accept-language": "de-DE,en;q=0.5" },
    });
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /link was not found/i);
    // Nothing the client sent is echoed into the page.
    const probe = await app.call("GET", "/r/%3Cscript%3Ealert(1)%3C%2Fscript%3E", {
      headers: { accept: BROWSER_HTML },
    });
    assert.equal(probe.status, 404);
    assert.ok(!probe.text.includes("<script>"));

    for (const accept of [undefined, "application/json", "application/problem+json", "*/*"]) {
      const api = await app.call("GET", "/r/nosuchcode", {
        headers: accept ? { accept } : {},
      });
      assertProblem(api, 404, "not_found", `Accept: ${accept}`);
    }
  });
});

const TELEGRAM_ANDROID =
  "Mozilla/5.0 (Linux; Android 11; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.70 Mobile Safari/537.36 Telegram-Android/11.2.1 (Tecno mobile limited TECNO CH7n; Android 11; SDK 30; AVERAGE)";
const TELEGRAM_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const TELEGRAM_MACOS =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
const TELEGRAM_DESKTOP_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const TELEGRAM_PREVIEW = "TelegramBot (like TwitterBot)";
const TELEGRAM_PREVIEW_CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/77.0.3865.90 Safari/537.36 TelegramBot (like TwitterBot)";

test("clicks: once per client IP a day whatever the User-Agent; Telegram's browsers count, its previews do not", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { env: { TRUST_PROXY: "true" } });
    const alice = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body;
    const click = (ip: string, ua: string) =>
      app.call("GET", `/r/${alice.code}`, {
        headers: { "user-agent": ua, "x-forwarded-for": ip },
      });
    for (let i = 0; i < 50; i++) {
      const res = await click(
        "203.0.113.7",
        `Mozilla/5.0 (X11; Linux x86_64) Firefox/${100 + i}.0`,
      );
      assert.equal(res.status, 302);
    }
    const clicks = async () =>
      (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body.stats.clicks as number;
    assert.equal(await clicks(), 1, "50 User-Agents from one IP are one client");

    // Telegram's in-app browsers (each member on their own address) are people.
    const people = [TELEGRAM_ANDROID, TELEGRAM_IOS, TELEGRAM_MACOS, TELEGRAM_DESKTOP_WINDOWS];
    for (const [i, ua] of people.entries())
      assert.equal((await click(`198.51.100.${i + 1}`, ua)).status, 302);
    assert.equal(await clicks(), 1 + people.length);
    // Telegram's link-preview fetcher is not.
    for (const [i, ua] of [TELEGRAM_PREVIEW, TELEGRAM_PREVIEW_CHROME].entries())
      assert.equal((await click(`192.0.2.${i + 1}`, ua)).status, 302);
    assert.equal(await clicks(), 1 + people.length);
  });
});

test("the funnel has no rate where there is nothing to divide by", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const fresh = await app.call("GET", "/api/me", { auth: tmaFor(1) });
    assert.deepEqual(fresh.body.stats.funnel, {
      clicks: 0,
      starts: 0,
      qualified: 0,
      startRate: null,
      qualifyRate: null,
    });
    assert.ok(!fresh.text.includes("NaN") && !fresh.text.includes("Infinity"));
    // One start without any click (the t.me link shared directly): starts have a base of 0 clicks.
    await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(2),
      body: { code: fresh.body.code },
    });
    const one = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body.stats.funnel;
    assert.deepEqual(one, { clicks: 0, starts: 1, qualified: 0, startRate: null, qualifyRate: 0 });
    await app.call("GET", `/r/${fresh.body.code}`, {
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" },
    });
    const two = (await app.call("GET", "/api/me", { auth: tmaFor(1) })).body.stats.funnel;
    assert.deepEqual(two, { clicks: 1, starts: 1, qualified: 0, startRate: 100, qualifyRate: 0 });
  });
});

test("open SIWE nonces per member are capped: the oldest are replaced", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const me = (await app.call("GET", "/api/me", { auth: tmaFor(10) })).body;
    const other = (await app.call("GET", "/api/me", { auth: tmaFor(11) })).body;
    const issue = async (user: number) => {
      app.clock.advance(1); // a strict order of issue (the test clock stands still otherwise)
      const res = await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(user) });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const othersNonce = await issue(11);
    const nonces = [];
    for (let i = 0; i < 40; i++) nonces.push(await issue(10));
    const open = async (memberId: number) =>
      (await db.db.select().from(siweNonces).where(eq(siweNonces.memberId, memberId))).length;
    assert.equal(await open(me.member.id), 5, "at most 5 open nonces");
    assert.equal(await open(other.member.id), 1, "another member's nonce is untouched");
    // Concurrent requests do not get past the cap either.
    await Promise.all(Array.from({ length: 20 }, () => issue(10)));
    assert.equal(await open(me.member.id), 5);

    const account = testAccount("nonce-cap");
    const link = async (n: { nonce: string }, user = 10) => {
      const message = buildSiweMessage({
        address: account.address,
        domain: "app.refmint.test",
        uri: "https://app.refmint.test",
        chainId: 31337,
        nonce: n.nonce,
      });
      return app.call("POST", "/api/me/wallet", {
        auth: tmaFor(user),
        body: { message, signature: await signSiwe(account, message) },
      });
    };
    assertProblem(await link(nonces[0]), 422, "nonce_invalid", "a replaced nonce");
    const latest = await issue(10);
    const ok = await link(latest);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await link(othersNonce, 11)).status, 409, "other member's nonce still valid");
  });
});

test("SIWE messages must carry an EIP-55 checksummed address", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const account = testAccount("checksum");
    const nonce = (await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(12) })).body;
    const proper = buildSiweMessage({ ...nonce, address: account.address });
    for (const variant of [
      account.address.toLowerCase(),
      `0x${account.address.slice(2).toUpperCase()}`,
    ]) {
      const message = proper.replace(account.address, variant);
      assert.notEqual(message, proper);
      const res = await app.call("POST", "/api/me/wallet", {
        auth: tmaFor(12),
        body: { message, signature: await signSiwe(account, message) },
      });
      assertProblem(res, 422, "siwe_invalid", variant);
      assert.equal(res.body.reason, "address_checksum");
    }
    const ok = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(12),
      body: { message: proper, signature: await signSiwe(account, proper) },
    });
    assert.equal(ok.status, 200, ok.text);
  });
});

test("init data from the future says so (beyond a 60 s clock skew)", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const now = app.clock.now().getTime();
    const at = (ms: number) =>
      app.call("GET", "/api/me", {
        auth: tma(signInitData({ user: { id: 13 }, authDate: new Date(now + ms) })),
      });
    assertProblem(await at(5 * 60_000), 401, "init_data_from_future", "5 minutes ahead");
    const res = await at(5 * 60_000);
    assert.match(res.body.detail, /future/);
    assert.equal((await at(30_000)).status, 200, "within the allowed skew");
  });
});
