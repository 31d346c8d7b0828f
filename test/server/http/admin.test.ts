import assert from "node:assert/strict";
import { test } from "node:test";
import { auditLog, ledgerEntries } from "../../../server/db/schema.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp, TEST_ADMIN_TELEGRAM_ID, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";
import { tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;

test("the review queue: list, approve, reject, every decision audited", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } } })],
    });
    const a = await app.member(1);
    const referees = [await app.member(2), await app.member(3), await app.member(4)];
    for (const r of referees) await app.refer(a, r);
    for (const r of referees)
      assert.equal((await qualify(app.ctx, r.id, { type: "wallet_linked" })).status, "review");

    const list = await app.call("GET", "/api/admin/reviews", { auth: token });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.items.length, 3);
    assert.deepEqual(list.body.items[0].reasons, ["burst"]);
    assert.equal(list.body.items[0].referral.referrerId, a.id);
    const [first, second, third] = list.body.items as Array<{ id: number }>;

    const approve = await app.call("POST", `/api/admin/reviews/${first!.id}/approve`, {
      auth: tmaFor(TEST_ADMIN_TELEGRAM_ID),
      body: {},
    });
    assert.equal(approve.status, 200, approve.text);
    assert.equal(approve.body.status, "qualified");
    assert.equal(approve.body.entryIds.length, 1);

    const noReason = await app.call("POST", `/api/admin/reviews/${second!.id}/reject`, {
      auth: token,
      body: {},
    });
    assert.equal(noReason.status, 400);
    const reject = await app.call("POST", `/api/admin/reviews/${second!.id}/reject`, {
      auth: token,
      body: { reason: "same device farm" },
    });
    assert.equal(reject.body.status, "rejected");

    const again = await app.call("POST", `/api/admin/reviews/${second!.id}/approve`, {
      auth: token,
      body: {},
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "review_closed");
    assert.equal(
      (await app.call("POST", "/api/admin/reviews/999999/approve", { auth: token, body: {} })).body
        .code,
      "review_not_found",
    );
    const asMember = await app.call("POST", `/api/admin/reviews/${third!.id}/approve`, {
      auth: tmaFor(2),
      body: {},
    });
    assert.equal(asMember.status, 403);

    const open = await app.call("GET", "/api/admin/reviews?status=open", { auth: token });
    assert.deepEqual(
      open.body.items.map((i: { id: number }) => i.id),
      [third!.id],
    );
    const decided = await app.call("GET", "/api/admin/reviews?status=rejected", { auth: token });
    assert.equal(decided.body.items[0].decisionReason, "same device farm");
    assert.equal(decided.body.items[0].decidedBy, "api-token");

    const audit = await db.db.select().from(auditLog);
    const adminMember = await app.member(TEST_ADMIN_TELEGRAM_ID);
    assert.deepEqual(audit.map((x) => [x.action, x.actor]).sort(), [
      ["review.approved", `member:${adminMember.id}`],
      ["review.rejected", "api-token"],
    ]);
    assert.equal((await db.db.select().from(ledgerEntries)).length, 1);
  });
});

test("member look-up, ban, unban and vanity codes", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const me = (
      await app.call("GET", "/api/me", { auth: tmaFor(55, { user: { username: "Zed" } }) })
    ).body;
    for (const q of [
      `id=${me.member.id}`,
      "telegramId=55",
      "username=@zed",
      `code=${me.code.toUpperCase()}`,
    ]) {
      const res = await app.call("GET", `/api/admin/members?${q}`, { auth: token });
      assert.equal(res.status, 200, `${q}: ${res.text}`);
      assert.equal(res.body.id, me.member.id);
      assert.equal(res.body.telegramId, 55);
    }
    assert.equal((await app.call("GET", "/api/admin/members", { auth: token })).status, 400);
    assert.equal(
      (await app.call("GET", "/api/admin/members?id=424242", { auth: token })).body.code,
      "member_not_found",
    );

    const vanity = await app.call("PUT", `/api/admin/members/${me.member.id}/code`, {
      auth: token,
      body: { code: "Zed-Club" },
    });
    assert.equal(vanity.status, 200, vanity.text);
    assert.equal(vanity.body.code, "zed-club");
    assert.equal((await app.call("GET", "/api/me", { auth: tmaFor(55) })).body.code, "zed-club");
    const other = (await app.call("GET", "/api/me", { auth: tmaFor(56) })).body;
    const taken = await app.call("PUT", `/api/admin/members/${other.member.id}/code`, {
      auth: token,
      body: { code: "zed-club" },
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, "code_taken");
    const reserved = await app.call("PUT", `/api/admin/members/${other.member.id}/code`, {
      auth: token,
      body: { code: "admin" },
    });
    assert.equal(reserved.body.code, "invalid_code");
    // The old random code still attributes.
    const viaOld = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(57),
      body: { code: me.code },
    });
    assert.equal(viaOld.status, 201);

    const ban = await app.call("POST", `/api/admin/members/${me.member.id}/ban`, {
      auth: token,
      body: { reason: "bought referrals" },
    });
    assert.equal(ban.status, 200);
    assert.equal(ban.body.member.banned, true);
    assert.equal(ban.body.member.banReason, "bought referrals");
    const refused = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(58),
      body: { code: "zed-club" },
    });
    assert.equal(refused.body.code, "referrer_banned");
    const unban = await app.call("POST", `/api/admin/members/${me.member.id}/unban`, {
      auth: token,
      body: { reason: "appeal accepted" },
    });
    assert.equal(unban.body.banned, false);
    const actions = (await db.db.select().from(auditLog)).map((x) => x.action).sort();
    assert.deepEqual(actions, ["code.vanity_assigned", "member.banned", "member.unbanned"]);
  });
});

test("admins can mark challenges completed (once)", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const m = await app.member(70);
    const first = await app.call("POST", `/api/admin/members/${m.id}/challenges/join`, {
      auth: token,
      body: {},
    });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual([first.body.newlyCompleted, first.body.amount.tokens], [true, "2"]);
    const before = await rowCounts(db);
    const second = await app.call("POST", `/api/admin/members/${m.id}/challenges/join`, {
      auth: token,
      body: {},
    });
    assert.deepEqual([second.body.newlyCompleted, second.body.entryId], [false, null]);
    assert.deepEqual(await rowCounts(db), before);
    const unknown = await app.call("POST", `/api/admin/members/${m.id}/challenges/nope`, {
      auth: token,
      body: {},
    });
    assert.equal(unknown.status, 404);
    await assertLedgerConsistent(db);
  });
});
