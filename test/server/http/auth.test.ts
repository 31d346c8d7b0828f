import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { members } from "../../../server/db/schema.ts";
import type { AuthResolver } from "../../../server/http/auth.ts";
import { ProblemError } from "../../../server/http/problem.ts";
import { startTestApp, TEST_ADMIN_TELEGRAM_ID, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testClock } from "../../support/clock.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { OTHER_BOT_TOKEN, signInitData, tamper, tma, tmaFor } from "../../support/telegram.ts";

function assertProblem(
  res: { status: number; headers: Headers; body: { type: string; code: string; status: number } },
  status: number,
  code: string,
) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  assert.equal(res.body.status, status);
  assert.equal(res.body.type, `https://refmint.dev/problems/${code.replaceAll("_", "-")}`);
}

test("valid init data authenticates and creates the member from validated data only", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const res = await app.call("GET", "/api/me", {
      auth: tma(
        signInitData({
          user: { id: 4242, first_name: "Ann", username: "ann", language_code: "ru" },
        }),
      ),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.member.username, "ann");
    assert.equal(res.body.member.languageCode, "ru");
    assert.match(res.body.code, /^[a-z0-9]{10}$/);
    const [row] = await db.db.select().from(members).where(eq(members.telegramId, 4242));
    assert.equal(row?.id, res.body.member.id);
    // The member number, never the Telegram id, is what the API shows.
    assert.equal(JSON.stringify(res.body).includes("4242"), false);
  });
});

test("missing, tampered, expired, future-dated or foreign-bot init data is 401 and writes nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { env: { INIT_DATA_MAX_AGE_SECONDS: "300" } });
    // The server's clock (it stands still): "expired by a second" stays exactly that however
    // long the machine takes between signing and checking.
    const now = app.clock.now().getTime();
    const good = signInitData({
      user: { id: 777, first_name: "Eve" },
      startParam: "abc",
      authDate: new Date(now),
    });
    const cases: Array<[string, string | undefined, string]> = [
      ["no header", undefined, "auth_required"],
      ["empty tma", "tma ", "init_data_invalid"],
      ["garbage", "tma not-init-data", "init_data_invalid"],
      [
        "user id changed",
        tma(tamper(good, "user", JSON.stringify({ id: 778, first_name: "Eve" }))),
        "init_data_invalid",
      ],
      ["start_param changed", tma(tamper(good, "start_param", "other")), "init_data_invalid"],
      [
        "auth_date changed",
        tma(tamper(good, "auth_date", String(Math.floor(now / 1000) + 1))),
        "init_data_invalid",
      ],
      [
        "hash removed",
        tma(
          new URLSearchParams(
            [...new URLSearchParams(good)].filter(([k]) => k !== "hash"),
          ).toString(),
        ),
        "init_data_invalid",
      ],
      [
        "expired",
        tma(signInitData({ user: { id: 777 }, authDate: new Date(now - 301_000) })),
        "init_data_expired",
      ],
      [
        "from the future",
        tma(signInitData({ user: { id: 777 }, authDate: new Date(now + 3_600_000) })),
        "init_data_from_future",
      ],
      [
        "another bot",
        tma(signInitData({ user: { id: 777 }, botToken: OTHER_BOT_TOKEN })),
        "init_data_invalid",
      ],
      [
        "no user",
        tma(signInitData({ user: { id: 777 } }).replace(/user=[^&]*&?/, "")),
        "init_data_invalid",
      ],
      ["bot user", tma(signInitData({ user: { id: 777, is_bot: true } })), "init_data_invalid"],
    ];
    const before = await rowCounts(db);
    for (const [name, auth, code] of cases) {
      const res = await app.call("GET", "/api/me", { auth });
      assert.equal(res.status, 401, `${name}: ${res.text}`);
      assertProblem(res, 401, code);
      const post = await app.call("POST", "/api/me/attribution", {
        auth,
        body: { code: "whatever" },
      });
      assert.equal(post.status, 401, `${name} (POST)`);
    }
    assert.deepEqual(await rowCounts(db), before, "nothing written");
    // The untampered original still works.
    assert.equal((await app.call("GET", "/api/me", { auth: tma(good) })).status, 200);
  });
});

test("accepted init data is remembered only within its maximum age, and only as signed", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock(new Date());
    const app = await startTestApp(t, db, {
      clock,
      env: { INIT_DATA_MAX_AGE_SECONDS: "300" },
    });
    const signedAt = clock.now();
    const good = signInitData({ user: { id: 31, first_name: "Kim" }, authDate: signedAt });
    const me = () => app.call("GET", "/api/me", { auth: tma(good) });
    assert.equal((await me()).status, 200);
    // Variants of an accepted string are checked on their own, never matched to it.
    const forged = tma(tamper(good, "user", JSON.stringify({ id: 32, first_name: "Kim" })));
    assertProblem(await app.call("GET", "/api/me", { auth: forged }), 401, "init_data_invalid");
    assertProblem(
      await app.call("GET", "/api/me", { auth: `${tma(good)}&x=1` }),
      401,
      "init_data_invalid",
    );
    clock.advance(299_000);
    assert.equal((await me()).status, 200, "still within the maximum age");
    clock.advance(2_000);
    assertProblem(await me(), 401, "init_data_expired");
    // The clock going back past the signing time (beyond the allowed skew) is noticed too.
    clock.set(new Date(signedAt.getTime() - 120_000));
    assertProblem(await me(), 401, "init_data_from_future");
    clock.set(signedAt);
    assert.equal((await me()).status, 200);
  });
});

test("admins: listed Telegram ids through init data, or the API token; others are refused", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    assertProblem(await app.call("GET", "/api/admin/reviews"), 401, "auth_required");
    assertProblem(
      await app.call("GET", "/api/admin/reviews", { auth: tmaFor(5) }),
      403,
      "forbidden",
    );
    assertProblem(
      await app.call("GET", "/api/admin/reviews", { auth: "Bearer wrong-token" }),
      401,
      "admin_token_invalid",
    );
    assert.equal(
      (await app.call("GET", "/api/admin/reviews", { auth: `Bearer ${TEST_ADMIN_TOKEN}` })).status,
      200,
    );
    const viaTelegram = await app.call("GET", "/api/admin/reviews", {
      auth: tmaFor(TEST_ADMIN_TELEGRAM_ID),
    });
    assert.equal(viaTelegram.status, 200);
    const profile = await app.call("GET", "/api/me", { auth: tmaFor(TEST_ADMIN_TELEGRAM_ID) });
    assert.equal(profile.body.isAdmin, true);
    // The API token is not a member.
    assertProblem(
      await app.call("GET", "/api/me", { auth: `Bearer ${TEST_ADMIN_TOKEN}` }),
      401,
      "auth_required",
    );
  });
});

test("banned members are refused", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const me = await app.call("GET", "/api/me", { auth: tmaFor(31) });
    const ban = await app.call("POST", `/api/admin/members/${me.body.member.id}/ban`, {
      auth: `Bearer ${TEST_ADMIN_TOKEN}`,
      body: { reason: "spam accounts" },
    });
    assert.equal(ban.status, 200, ban.text);
    assertProblem(await app.call("GET", "/api/me", { auth: tmaFor(31) }), 403, "member_banned");
  });
});

test("extra resolvers (e.g. a website session) plug in without touching routes", async (t) => {
  await withDatabases(t, async (db) => {
    let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
    const session: AuthResolver = async (req) => {
      const cookie = req.headers.cookie ?? "";
      if (!cookie.startsWith("session=")) return null;
      if (cookie !== "session=good" || !app) throw new ProblemError("auth_required", "bad session");
      const member = await app.member(9001);
      return { via: "session", member, adminRights: "none", actor: `member:${member.id}` };
    };
    app = await startTestApp(t, db, { authResolvers: [session] });
    const ok = await app.call("GET", "/api/me", { headers: { cookie: "session=good" } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.member.firstName, "U9001");
    assert.equal(
      (await app.call("GET", "/api/me", { headers: { cookie: "session=bad" } })).status,
      401,
    );
  });
});
