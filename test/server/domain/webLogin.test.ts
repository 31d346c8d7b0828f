import assert from "node:assert/strict";
import { test } from "node:test";
import { webLoginTokens, webSessions } from "../../../server/db/schema/web.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { banMember } from "../../../server/domain/members.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import {
  exchangeLoginToken,
  issueLoginToken,
  LOGIN_TOKEN_TTL_SECONDS,
  loginLink,
  resolveSession,
  revokeMemberSessions,
  revokeSession,
  SESSION_ROTATE_AFTER_SECONDS,
  SESSION_TTL_SECONDS,
} from "../../../server/domain/webLogin.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const rejectsWith = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e) => isDomainError(e) && e.code === code);

test("a login link is single-use, short-lived and stored only as a hash", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(1);
    const { token } = await issueLoginToken(d.ctx, m.id);
    assert.match(
      loginLink("https://app.example/", token),
      /^https:\/\/app\.example\/login#token=[\w-]{43}$/,
    );
    const stored = await db.db.select().from(webLoginTokens);
    assert.notEqual(stored[0]?.tokenHash, token);

    const session = await exchangeLoginToken(d.ctx, token);
    assert.equal(session.memberId, m.id);
    assert.ok(session.secret);
    await rejectsWith(exchangeLoginToken(d.ctx, token), "login_link_used");
    await rejectsWith(exchangeLoginToken(d.ctx, "not-a-token"), "login_link_invalid");

    const late = await issueLoginToken(d.ctx, m.id);
    d.clock.advance((LOGIN_TOKEN_TTL_SECONDS + 1) * 1000);
    await rejectsWith(exchangeLoginToken(d.ctx, late.token), "login_link_expired");
    assert.equal((await db.db.select().from(webSessions)).length, 1);
  });
});

test("two concurrent exchanges of one link give exactly one session", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(2);
    const { token } = await issueLoginToken(d.ctx, m.id);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => exchangeLoginToken(d.ctx, token)),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal((await db.db.select().from(webSessions)).length, 1);
  });
});

test("sessions resolve, rotate their secret, and end on logout, expiry or a ban", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(3);
    const login = await exchangeLoginToken(d.ctx, (await issueLoginToken(d.ctx, m.id)).token);
    const first = login.secret!;
    assert.equal((await resolveSession(d.ctx, first)).memberId, m.id);
    assert.equal((await resolveSession(d.ctx, first)).secret, undefined);

    d.clock.advance((SESSION_ROTATE_AFTER_SECONDS + 1) * 1000);
    const rotated = await resolveSession(d.ctx, first);
    assert.ok(rotated.secret && rotated.secret !== first);
    await rejectsWith(resolveSession(d.ctx, first), "session_invalid");
    assert.equal((await resolveSession(d.ctx, rotated.secret)).memberId, m.id);

    await revokeSession(d.ctx, rotated.secret);
    await rejectsWith(resolveSession(d.ctx, rotated.secret), "session_invalid");

    const other = (await exchangeLoginToken(d.ctx, (await issueLoginToken(d.ctx, m.id)).token))
      .secret!;
    d.clock.advance((SESSION_TTL_SECONDS + 1) * 1000);
    await rejectsWith(resolveSession(d.ctx, other), "session_invalid");

    const again = (await exchangeLoginToken(d.ctx, (await issueLoginToken(d.ctx, m.id)).token))
      .secret!;
    await banMember(d.ctx, m.id, "test", systemAdmin());
    await rejectsWith(resolveSession(d.ctx, again), "session_invalid");
    await rejectsWith(
      exchangeLoginToken(d.ctx, (await issueLoginToken(d.ctx, m.id)).token),
      "member_banned",
    );
    assert.equal(await revokeMemberSessions(d.ctx, m.id), 1);
  });
});
