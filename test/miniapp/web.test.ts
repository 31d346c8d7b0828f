/**
 * The web component over real HTTP (no browser): serving the build with its headers and
 * runtime config, the website's login-link exchange, session cookie, CSRF guard and logout,
 * the referral network endpoint, the development helpers, and the settings' validation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { RUNTIME_CONFIG_ELEMENT_ID } from "../../miniapp/src/shared/runtimeConfig.ts";
import { ConfigError } from "../../server/config.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { webLoginTokens } from "../../server/db/schema/web.ts";
import { ledgerEntries } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import {
  issueLoginToken,
  LOGIN_TOKEN_TTL_SECONDS,
  SESSION_ROTATE_AFTER_SECONDS,
} from "../../server/domain/webLogin.ts";
import { loadWebSettings } from "../../server/web/config.ts";
import { testConfig } from "../support/app.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import { tamper, tmaFor } from "../support/telegram.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

const dist = await dashboardBuild();

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
  body: any;
  text: string;
}

async function call(
  s: Stack,
  method: string,
  path: string,
  o: {
    cookie?: string;
    origin?: string | null;
    secFetchSite?: string;
    body?: unknown;
    auth?: string;
    accept?: string;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: o.accept ?? "application/json" };
  if (o.secFetchSite) headers["sec-fetch-site"] = o.secFetchSite;
  if (o.cookie) headers.cookie = o.cookie;
  if (o.auth) headers.authorization = o.auth;
  // Browsers send Origin on every POST; tests send the dashboard's unless told otherwise.
  const origin = o.origin === undefined ? (method === "GET" ? null : s.url) : o.origin;
  if (origin !== null) headers.origin = origin;
  let body: string | undefined;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers["content-type"] = "application/json";
  }
  const res = await fetch(`${s.url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let parsed: unknown = text;
  if (/json/.test(res.headers.get("content-type") ?? "") && text !== "") parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** `name=value` of the Set-Cookie header (the part a browser would send back). */
function cookieOf(r: Reply): string | undefined {
  const set = r.headers.getSetCookie();
  return set.length === 0 ? undefined : set[set.length - 1]?.split(";")[0];
}

async function member(s: Stack, telegramId: number, firstName = `U${telegramId}`) {
  return (await ensureMember(s.domain, { id: telegramId, firstName })).member;
}

async function login(s: Stack, m: MemberView): Promise<string> {
  const { token } = await issueLoginToken(s.domain, m.id);
  const r = await call(s, "POST", "/api/web/login", { body: { token } });
  assert.equal(r.status, 200, r.text);
  const cookie = cookieOf(r);
  assert.ok(cookie);
  return cookie;
}

const stackOn = (t: Parameters<typeof startStack>[0], db: DatabaseHandle, env = {}) =>
  startStack(t, db, { env: { DASHBOARD_DIST_DIR: dist, ...env } });

test("serves the build: the page with its runtime config and strict headers, assets cached, API 404s stay problems", async (t) => {
  await withDatabases(t, async (db) => {
    const s = await stackOn(t, db, {
      DASHBOARD_RPC_URL: "https://rpc.example.org/v1",
      EXPLORER_URL: "https://explorer.example.org/",
      DASHBOARD_MODE: "miniapp",
    });
    for (const path of ["/", "/invite", "/login"]) {
      const page = await call(s, "GET", path, { accept: "text/html" });
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.equal(page.headers.get("cache-control"), "no-cache");
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self';/);
      assert.match(csp, /style-src 'self';/);
      assert.match(csp, /connect-src 'self' https:\/\/rpc\.example\.org;/);
      assert.match(csp, /frame-ancestors 'self' https:\/\/web\.telegram\.org/);
      assert.doesNotMatch(csp, /unsafe/);
      const json = page.text.match(
        new RegExp(
          `<script id="${RUNTIME_CONFIG_ELEMENT_ID}" type="application/json">(.*?)</script>`,
        ),
      );
      assert.ok(json, "the runtime config is in the page");
      assert.deepEqual(JSON.parse(json[1] ?? ""), {
        mode: "miniapp",
        botUsername: "refmint_test_bot",
        miniAppShortName: "app",
        chain: {
          id: 31337,
          name: "Hardhat",
          rpcUrl: "https://rpc.example.org/v1",
          explorerUrl: "https://explorer.example.org",
        },
        walletConnectProjectId: null,
      });
    }
    const page = await call(s, "GET", "/", { accept: "text/html" });
    const script = page.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(script);
    const asset = await call(s, "GET", script);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");

    const missing = await call(s, "GET", "/assets/nope-123.js");
    assert.equal(missing.status, 404);
    const api = await call(s, "GET", "/api/nothing-here", { accept: "text/html" });
    assert.equal(api.status, 404);
    assert.equal(api.body.code, "route_not_found");
    assert.match(api.headers.get("content-type") ?? "", /problem\+json/);
  });
});

test("website mode refuses framing; no build means the API still runs and pages 404", async (t) => {
  await withDatabases(t, async (db) => {
    const web = await stackOn(t, db, { DASHBOARD_MODE: "web" });
    const page = await call(web, "GET", "/", { accept: "text/html" });
    assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    await web.stop();

    const bare = await startStack(t, db, { env: { DASHBOARD_DIST_DIR: "/nonexistent" } });
    assert.equal((await call(bare, "GET", "/", { accept: "text/html" })).status, 404);
    assert.equal((await call(bare, "GET", "/healthz")).status, 200);
  });
});

test("a login link opens one session: cookie flags, reuse refused, expiry refused, logout ends it", async (t) => {
  await withDatabases(t, async (db) => {
    let now = new Date();
    const s = await startStack(t, db, { env: { DASHBOARD_DIST_DIR: dist }, now: () => now });
    const alice = await member(s, 501, "Alice");
    const { token } = await issueLoginToken(s.domain, alice.id);

    const ok = await call(s, "POST", "/api/web/login", { body: { token } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.memberId, alice.id);
    const setCookie = ok.headers.get("set-cookie") ?? "";
    // Plain http here, so no Secure and no __Host- prefix (see the https case below).
    assert.match(
      setCookie,
      /^refmint_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    const cookie = cookieOf(ok) ?? "";

    const me = await call(s, "GET", "/api/me", { cookie });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.member.id, alice.id);
    assert.equal(me.body.member.firstName, "Alice");
    assert.equal(me.body.isAdmin, false);

    const again = await call(s, "POST", "/api/web/login", { body: { token } });
    assert.equal(again.status, 401);
    assert.equal(again.body.code, "login_link_used");
    assert.equal(again.headers.get("set-cookie"), null);

    const forged = await call(s, "POST", "/api/web/login", { body: { token: "x".repeat(43) } });
    assert.equal(forged.body.code, "login_link_invalid");

    const { token: old } = await issueLoginToken(s.domain, alice.id);
    now = new Date(now.getTime() + (LOGIN_TOKEN_TTL_SECONDS + 1) * 1000);
    const expired = await call(s, "POST", "/api/web/login", { body: { token: old } });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, "login_link_expired");

    const out = await call(s, "POST", "/api/web/logout", { cookie });
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie") ?? "", /^refmint_session=; Path=\/; Max-Age=0;/);
    const after = await call(s, "GET", "/api/me", { cookie });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, "session_invalid");
    assert.match(after.headers.get("set-cookie") ?? "", /Max-Age=0/);
  });
});

test("over https the cookie is Secure with the __Host- prefix", async (t) => {
  await withDatabases(t, async (db) => {
    const s = await stackOn(t, db, { DASHBOARD_URL: "https://dash.refmint.test" });
    const m = await member(s, 502);
    const { token } = await issueLoginToken(s.domain, m.id);
    const r = await call(s, "POST", "/api/web/login", {
      body: { token },
      origin: "https://dash.refmint.test",
    });
    assert.equal(r.status, 200, r.text);
    assert.match(
      r.headers.get("set-cookie") ?? "",
      /^__Host-refmint_session=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/,
    );
  });
});

test("cookie requests from another origin are refused and write nothing; Telegram init data still works", async (t) => {
  await withDatabases(t, async (db) => {
    const s = await stackOn(t, db);
    const bob = await member(s, 503, "Bob");
    const carol = await member(s, 504, "Carol");
    const cookie = await login(s, bob);
    const { token } = await issueLoginToken(s.domain, carol.id);
    const before = await rowCounts(db);

    const evil = await call(s, "POST", "/api/me/attribution", {
      cookie,
      origin: "https://evil.example",
      body: { code: carol.code },
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.body.code, "forbidden");
    const crossSite = await call(s, "POST", "/api/me/attribution", {
      cookie,
      origin: null,
      secFetchSite: "cross-site",
      body: { code: carol.code },
    });
    assert.equal(crossSite.status, 403);
    const loginCsrf = await call(s, "POST", "/api/web/login", {
      body: { token },
      origin: "https://evil.example",
    });
    assert.equal(loginCsrf.status, 403);
    const logoutCsrf = await call(s, "POST", "/api/web/logout", {
      cookie,
      origin: "https://evil.example",
    });
    assert.equal(logoutCsrf.status, 403);
    assert.deepEqual(await rowCounts(db), before, "refused requests write nothing");
    const [unused] = await db.db
      .select({ usedAt: webLoginTokens.usedAt })
      .from(webLoginTokens)
      .where(eq(webLoginTokens.memberId, carol.id));
    assert.equal(unused?.usedAt, null, "a refused login does not burn the link");
    assert.equal((await call(s, "GET", "/api/me", { cookie })).status, 200, "still logged in");

    // The dashboard's own origin is accepted (and so is a client that is not a browser page).
    const own = await call(s, "POST", "/api/me/attribution", {
      cookie,
      body: { code: carol.code },
    });
    assert.equal(own.status, 201, own.text);
    assert.equal(own.body.referrerId, carol.id);

    const fromTelegram = await call(s, "GET", "/api/me", { auth: tmaFor(505) });
    assert.equal(fromTelegram.status, 200);
    const raw = tmaFor(506).slice("tma ".length);
    const bad = await call(s, "GET", "/api/me", { auth: `tma ${tamper(raw, "auth_date", "1")}` });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.code, "init_data_invalid");
  });
});

test("sessions rotate after a day: the new cookie works, the old one is dead", async (t) => {
  await withDatabases(t, async (db) => {
    let now = new Date();
    const s = await startStack(t, db, { env: { DASHBOARD_DIST_DIR: dist }, now: () => now });
    const m = await member(s, 507);
    const cookie = await login(s, m);
    now = new Date(now.getTime() + (SESSION_ROTATE_AFTER_SECONDS + 60) * 1000);
    const r = await call(s, "GET", "/api/me", { cookie });
    assert.equal(r.status, 200, r.text);
    const rotated = cookieOf(r);
    assert.ok(rotated && rotated !== cookie, "a new secret is set");
    assert.equal((await call(s, "GET", "/api/me", { cookie: rotated })).status, 200);
    const stale = await call(s, "GET", "/api/me", { cookie });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.code, "session_invalid");
    const junk = await call(s, "GET", "/api/me", { cookie: "refmint_session=not-a-secret" });
    assert.equal(junk.body.code, "session_invalid");
  });
});

test("the referral network by level: statuses, the member's own reward, paid once settled", async (t) => {
  await withDatabases(t, async (db) => {
    const s = await stackOn(t, db);
    const a = await member(s, 601, "Ann");
    const b = await member(s, 602, "Ben");
    const c = await member(s, 603, "Cat");
    const d = await member(s, 604, "Dan");
    const refer = (from: MemberView, to: MemberView) =>
      attribute(s.domain, { refereeId: to.id, code: from.code, source: "start" });
    await refer(a, b);
    await refer(a, c);
    const { referral: bd } = await refer(b, d);
    // Settle Ann's level-2 reward for Dan's referral as the indexer would.
    await db.db.insert(ledgerEntries).values({
      campaignId: s.domain.campaigns.all()[0]!.id,
      token: "REF",
      memberId: a.id,
      amount: 2n * 10n ** 18n,
      kind: "referral",
      level: 2,
      referralId: bd.id,
      refereeId: d.id,
      idempotencyKey: `test:${bd.id}:2`,
      state: "settled",
      txHash: `0x${"ab".repeat(32)}`,
    });
    // The referral itself qualified (the rule engine's job; set directly here).
    await db.db.execute(
      sql`update referrals set status = 'qualified', qualified_at = now() where id = ${bd.id}`,
    );
    const auth = tmaFor(601);
    const l1 = await call(s, "GET", "/api/me/network?level=1", { auth });
    assert.equal(l1.status, 200, l1.text);
    assert.deepEqual(
      l1.body.items.map((i: { firstName: string; status: string }) => [i.firstName, i.status]),
      [
        ["Cat", "pending"],
        ["Ben", "pending"],
      ],
    );
    const l2 = await call(s, "GET", "/api/me/network?level=2", { auth });
    assert.equal(l2.body.items.length, 1);
    const [dan] = l2.body.items;
    assert.equal(dan.refereeId, d.id);
    assert.equal(dan.firstName, null, "names only for direct referrals");
    assert.equal(dan.status, "qualified");
    assert.deepEqual(dan.reward.amount, { wei: "2000000000000000000", tokens: "2" });
    assert.equal(dan.reward.state, "settled");
    const paged = await call(s, "GET", "/api/me/network?level=1&limit=1", { auth });
    assert.equal(paged.body.items.length, 1);
    const next = await call(
      s,
      "GET",
      `/api/me/network?level=1&limit=1&before=${paged.body.nextBefore}`,
      { auth },
    );
    assert.equal(next.body.items[0].firstName, "Ben");
    const bad = await call(s, "GET", "/api/me/network?level=99", { auth });
    assert.equal(bad.status, 400);
    assert.equal((await call(s, "GET", "/api/me/network")).status, 401);
    // Someone else's view of the same tree is their own.
    const benView = await call(s, "GET", "/api/me/network?level=1", { auth: tmaFor(602) });
    assert.deepEqual(
      benView.body.items.map((i: { refereeId: number }) => i.refereeId),
      [d.id],
    );
  });
});

test("the OpenAPI document lists the web component's operations", async (t) => {
  await withDatabases(t, async (db) => {
    const s = await stackOn(t, db);
    const doc = await call(s, "GET", "/openapi.json");
    assert.ok(doc.body.paths["/api/web/login"].post);
    assert.ok(doc.body.paths["/api/web/logout"].post);
    assert.ok(doc.body.paths["/api/me/network"].get);
  });
});

test("development helpers: signed init data the API accepts, a demo login; absent unless enabled", async (t) => {
  await withDatabases(t, async (db) => {
    const off = await stackOn(t, db);
    assert.equal((await call(off, "GET", "/__dev/telegram-init-data")).status, 404);
    assert.equal((await call(off, "GET", "/__dev/login")).status, 404);
    await off.stop();

    const s = await stackOn(t, db, { DASHBOARD_DEV_TOOLS: "true" });
    const signed = await call(
      s,
      "GET",
      "/__dev/telegram-init-data?id=777&language_code=ru&start_param=abc",
    );
    assert.equal(signed.status, 200);
    const params = new URLSearchParams(signed.body.initData);
    assert.equal(JSON.parse(params.get("user") ?? "{}").id, 777);
    assert.equal(params.get("start_param"), "abc");
    const me = await call(s, "GET", "/api/me", { auth: `tma ${signed.body.initData}` });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.member.languageCode, "ru");
    const invalid = await call(s, "GET", "/__dev/telegram-init-data?id=abc");
    assert.equal(invalid.status, 400);

    // Not through a proxy (a reverse proxy on this host would make every client look local).
    const proxied = await fetch(`${s.url}/__dev/telegram-init-data`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    assert.equal(proxied.status, 404);

    const link = await call(s, "GET", "/__dev/login");
    assert.equal(link.status, 302);
    const token = new URL(link.headers.get("location") ?? "").hash.replace("#token=", "");
    const r = await call(s, "POST", "/api/web/login", { body: { token } });
    assert.equal(r.status, 200, r.text);
  });
});

test("settings: bad values name their variable; development helpers cannot run in production", () => {
  const base = testConfig();
  assert.throws(
    () => loadWebSettings(base, { DASHBOARD_RPC_URL: "ftp://x" }),
    (e: unknown) => e instanceof ConfigError && e.issues[0]?.variable === "DASHBOARD_RPC_URL",
  );
  const production = testConfig({ NODE_ENV: "production" });
  for (const variable of ["DASHBOARD_DEV_TOOLS", "DASHBOARD_VITE"]) {
    assert.throws(
      () => loadWebSettings(production, { [variable]: "true" }),
      (e: unknown) => e instanceof ConfigError && e.issues[0]?.variable === variable,
    );
  }
  const dev = loadWebSettings(
    testConfig({ NODE_ENV: "development", RPC_URL: "http://127.0.0.1:8545", BOT_TOKEN: "" }),
    {},
  );
  assert.equal(dev.devTools, true, "on with the random development token");
  const realBot = loadWebSettings(testConfig({ NODE_ENV: "development" }), {});
  assert.equal(realBot.devTools, false, "off by default once a real bot token is set");
  assert.equal(dev.vite, true);
  assert.equal(dev.rpcUrl, "http://127.0.0.1:8545", "the browser RPC defaults to RPC_URL");
  const prod = loadWebSettings(production, {});
  assert.equal(prod.devTools, false);
  assert.equal(prod.vite, false);
  assert.equal(prod.secureCookie, true, "PUBLIC_URL is https in the test config");
});
