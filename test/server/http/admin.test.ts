import assert from "node:assert/strict";
import { test } from "node:test";
import { asc } from "drizzle-orm";
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
      ["review.listed", "api-token"],
      ["review.listed", "api-token"],
      ["review.listed", "api-token"],
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
    const actions = (await db.db.select().from(auditLog))
      .map((x) => x.action)
      .filter((a) => a !== "member.looked_up")
      .sort();
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
    const [granted] = await db.db.select().from(auditLog);
    assert.deepEqual([granted?.action, granted?.actor], ["challenge.granted", "api-token"]);
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

test("every admin endpoint writes an audit row: who, what, before and after", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } } })],
    });
    const admin = await app.member(TEST_ADMIN_TELEGRAM_ID);
    const asAdmin = tmaFor(TEST_ADMIN_TELEGRAM_ID);
    const a = await app.member(1);
    const referees = [await app.member(2), await app.member(3), await app.member(4)];
    for (const r of referees) await app.refer(a, r);
    for (const r of referees) await qualify(app.ctx, r.id, { type: "wallet_linked" });
    const rows = () => db.db.select().from(auditLog).orderBy(asc(auditLog.id));
    /** Calls an endpoint and returns the audit rows it added. */
    const audited = async (
      method: string,
      path: string,
      auth: string,
      body?: unknown,
    ): Promise<Array<typeof auditLog.$inferSelect>> => {
      const before = (await rows()).length;
      const res = await app.call(method, path, { auth, body });
      assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
      return (await rows()).slice(before);
    };

    const listed = await audited("GET", "/api/admin/reviews?status=open&limit=10", token);
    assert.deepEqual(
      listed.map((r) => [r.actor, r.action, r.subjectType, r.details]),
      [
        [
          "api-token",
          "review.listed",
          "review",
          { status: "open", limit: 10, before: null, count: 3 },
        ],
      ],
    );
    const open = (await app.call("GET", "/api/admin/reviews", { auth: token })).body
      .items as Array<{
      id: number;
      referral: { id: number };
    }>;
    const [approveItem, rejectItem] = open;
    assert.ok(approveItem && rejectItem);

    const approved = await audited(
      "POST",
      `/api/admin/reviews/${approveItem.id}/approve`,
      asAdmin,
      { reason: "known family" },
    );
    assert.equal(approved.length, 1);
    assert.deepEqual(
      [approved[0]?.actor, approved[0]?.action, approved[0]?.subjectId],
      [`member:${admin.id}`, "review.approved", String(approveItem.id)],
    );
    assert.deepEqual(
      [approved[0]?.details.reason, approved[0]?.before, approved[0]?.after],
      [
        "known family",
        { status: "open", referralStatus: "review" },
        { status: "approved", referralStatus: "qualified" },
      ],
    );

    // The campaign is a column of its own: the review's.
    const campaignId = app.ctx.campaigns.all()[0]!.id;
    assert.equal(approved[0]?.campaignId, campaignId);

    const rejected = await audited("POST", `/api/admin/reviews/${rejectItem.id}/reject`, token, {
      reason: "device farm",
    });
    assert.deepEqual(
      [rejected[0]?.action, rejected[0]?.before, rejected[0]?.after],
      [
        "review.rejected",
        { status: "open", referralStatus: "review" },
        { status: "rejected", referralStatus: "rejected" },
      ],
    );

    const lookedUp = await audited("GET", `/api/admin/members?code=${referees[0]!.code}`, asAdmin);
    assert.deepEqual(
      lookedUp.map((r) => [r.actor, r.action, r.subjectId, r.details]),
      [
        [
          `member:${admin.id}`,
          "member.looked_up",
          String(referees[0]!.id),
          { by: ["code"], found: true },
        ],
      ],
    );
    const missing = await app.call("GET", "/api/admin/members?telegramId=424242", { auth: token });
    assert.equal(missing.status, 404);
    const [notFound] = (await rows()).slice(-1);
    assert.deepEqual(
      [notFound?.action, notFound?.subjectId, notFound?.details],
      ["member.looked_up", "none", { by: ["telegramId"], found: false }],
    );

    const banned = await audited("POST", `/api/admin/members/${a.id}/ban`, token, {
      reason: "bought referrals",
    });
    const [ban] = banned;
    assert.ok(ban);
    assert.equal(ban.action, "member.banned");
    assert.deepEqual(ban.before, { bannedAt: null, banReason: null });
    // A ban holds in every campaign: it belongs to none.
    assert.equal(ban.campaignId, null);
    const after = ban.after as { bannedAt: string; banReason: string };
    assert.equal(after.banReason, "bought referrals");
    const bannedAt = after.bannedAt;
    assert.ok(!Number.isNaN(Date.parse(bannedAt)));
    const unbanned = await audited("POST", `/api/admin/members/${a.id}/unban`, token, {
      reason: "appeal accepted",
    });
    assert.deepEqual(
      [unbanned[0]?.action, unbanned[0]?.before, unbanned[0]?.after],
      [
        "member.unbanned",
        { bannedAt, banReason: "bought referrals" },
        { bannedAt: null, banReason: null },
      ],
    );

    const vanity = await audited("PUT", `/api/admin/members/${a.id}/code`, token, {
      code: "alice-vip",
    });
    assert.deepEqual(
      [vanity[0]?.action, vanity[0]?.before, vanity[0]?.after],
      ["code.vanity_assigned", { code: a.code }, { code: "alice-vip" }],
    );

    const challenge = await audited(
      "POST",
      `/api/admin/members/${referees[2]!.id}/challenges/join`,
      asAdmin,
      {},
    );
    assert.equal(challenge.length, 1);
    assert.deepEqual(
      [challenge[0]?.actor, challenge[0]?.action, challenge[0]?.subjectId],
      [`member:${admin.id}`, "challenge.granted", String(referees[2]!.id)],
    );
    assert.deepEqual(
      [
        challenge[0]?.details.challengeId,
        challenge[0]?.details.amount,
        challenge[0]?.before,
        challenge[0]?.after,
      ],
      ["join", "2000000000000000000", { completed: false }, { completed: true }],
    );
    // No audit row carries a Telegram id.
    for (const r of await rows())
      assert.ok(!JSON.stringify(r).includes(String(TEST_ADMIN_TELEGRAM_ID)), r.action);
  });
});
