/**
 * Compliance through the API (issue 16): terms read and accepted (a wrong version refused,
 * nothing written), participation declarations (allowed and refused), the data export and
 * deletion (the rows checked), admin exclusions with roles and audit, retention settings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { ConfigError, loadConfig } from "../../../server/config.ts";
import { memberExclusions, termsAcceptances } from "../../../server/db/schema/compliance.ts";
import { auditLog, members, referrals } from "../../../server/db/schema.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { buildSiweMessage, signSiwe, testAccount } from "../../support/siwe.ts";
import { tmaFor } from "../../support/telegram.ts";

const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
const TERMS = {
  version: "2026-12",
  url: "https://example.org/terms",
  text: { en: "Play fair.", ru: "Играйте честно." },
};

test("terms: read, a wrong version refused (nothing written), accepted once with its time", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [testCampaign({ terms: TERMS })] });
    const read = await app.call("GET", "/api/me/terms", { auth: tmaFor(11) });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(
      [read.body.required, read.body.version, read.body.accepted, read.body.text.ru],
      [true, "2026-12", false, "Играйте честно."],
    );
    const before = await rowCounts(db);
    const wrong = await app.call("POST", "/api/me/terms", {
      auth: tmaFor(11),
      body: { version: "2026-11" },
    });
    assert.equal(wrong.status, 409, wrong.text);
    assert.equal(wrong.body.code, "terms_version_mismatch");
    assert.deepEqual(await rowCounts(db), before);
    const ok = await app.call("POST", "/api/me/terms", {
      auth: tmaFor(11),
      body: { version: "2026-12" },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.accepted, true);
    assert.equal(ok.body.qualification, null);
    const rows = await db.db.select().from(termsAcceptances);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.version, "2026-12");
    assert.equal(rows[0]?.acceptedAt.toISOString(), ok.body.acceptedAt);
  });
});

test("terms: a campaign without terms refuses acceptance", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const res = await app.call("POST", "/api/me/terms", {
      auth: tmaFor(12),
      body: { version: "x" },
    });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, "terms_not_required");
    const read = await app.call("GET", "/api/me/terms", { auth: tmaFor(12) });
    assert.deepEqual([read.body.required, read.body.accepted], [false, true]);
  });
});

test("participation: a member outside the allowed countries is refused; an allowed one declares and qualifies", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ participation: { countries: ["DE"], minAge: 18 } })],
    });
    const status = await app.call("GET", "/api/me/participation", { auth: tmaFor(21) });
    assert.equal(status.status, 200, status.text);
    assert.deepEqual(status.body.missing, ["country_required", "age_not_confirmed"]);
    const bad = await app.call("POST", "/api/me/participation", {
      auth: tmaFor(21),
      body: { country: "D1" },
    });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.body.code, "country_invalid");
    const badAge = await app.call("POST", "/api/me/participation", {
      auth: tmaFor(21),
      body: { ageConfirmed: 16 },
    });
    assert.equal(badAge.body.code, "age_invalid");
    const refused = await app.call("POST", "/api/me/participation", {
      auth: tmaFor(21),
      body: { country: "us" },
    });
    assert.equal(refused.status, 200, refused.text);
    assert.deepEqual([refused.body.allowed, refused.body.refused], [false, "country_not_allowed"]);

    // The referrer is allowed; their referee declares and confirms, then links a wallet: paid.
    await app.call("POST", "/api/me/participation", {
      auth: tmaFor(22),
      body: { country: "DE", ageConfirmed: 18 },
    });
    const referrer = await app.call("GET", "/api/me", { auth: tmaFor(22) });
    const code = referrer.body.code ?? referrer.body.member?.code;
    assert.ok(code, referrer.text);
    // The refused member cannot be attributed.
    const att = await app.call("POST", "/api/me/attribution", { auth: tmaFor(21), body: { code } });
    assert.equal(att.status, 403, att.text);
    assert.equal(att.body.code, "country_not_allowed");
    const ok = await app.call("POST", "/api/me/attribution", { auth: tmaFor(23), body: { code } });
    assert.equal(ok.status, 201, ok.text);
    const declared = await app.call("POST", "/api/me/participation", {
      auth: tmaFor(23),
      body: { country: "de", ageConfirmed: 18 },
    });
    assert.deepEqual([declared.body.allowed, declared.body.country], [true, "DE"]);
    const nonce = await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(23) });
    const account = testAccount("participation-23");
    const message = buildSiweMessage({ ...nonce.body, address: account.address });
    const linked = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(23),
      body: { message, signature: await signSiwe(account, message) },
    });
    assert.equal(linked.status, 200, linked.text);
    assert.equal(linked.body.qualification.status, "qualified");
  });
});

test("export and deletion: the JSON lists the member's data; DELETE needs confirmation and erases it", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const auth = tmaFor(31, { user: { username: "thirtyone", last_name: "Doe" } });
    const exp = await app.call("GET", "/api/me/export", { auth });
    assert.equal(exp.status, 200, exp.text);
    assert.equal(exp.body.format, "refmint.member-export.v1");
    assert.equal(exp.body.member.username, "thirtyone");
    assert.equal(exp.body.member.telegramId, 31);
    assert.match(exp.headers.get("content-disposition") ?? "", /attachment/);
    const memberNumber = exp.body.member.memberNumber;

    const before = await rowCounts(db);
    const unconfirmed = await app.call("DELETE", "/api/me", { auth, body: { confirm: false } });
    assert.equal(unconfirmed.status, 400, unconfirmed.text);
    assert.deepEqual(await rowCounts(db), before);
    const del = await app.call("DELETE", "/api/me", { auth, body: { confirm: true } });
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.memberNumber, memberNumber);
    const [row] = await db.db.select().from(members).where(eq(members.id, memberNumber));
    assert.deepEqual(
      [row?.username, row?.lastName, row?.firstName, row?.telegramId, row?.deletedAt !== null],
      [null, null, null, -memberNumber, true],
    );
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "member.deleted"));
    assert.equal(audit.length, 1);
  });
});

test("exclusions: owner-only admin action, audited; the excluded member's referral is rejected", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const [a, b] = await app.members(41, 42);
    await app.refer(a!, b!);
    // A member who holds no role is not an admin.
    const member = await app.call("POST", `/api/admin/campaigns/test/exclusions/${b!.id}`, {
      auth: tmaFor(43),
      body: { reason: "bot farm" },
    });
    assert.ok(member.status === 401 || member.status === 403, member.text);
    assert.equal((await db.db.select().from(memberExclusions)).length, 0);
    const ex = await app.call("POST", `/api/admin/campaigns/test/exclusions/${b!.id}`, {
      auth: admin,
      body: { reason: "bot farm" },
    });
    assert.equal(ex.status, 200, ex.text);
    assert.equal(ex.body.changed, true);
    const missing = await app.call("POST", "/api/admin/campaigns/test/exclusions/999999", {
      auth: admin,
      body: { reason: "bot farm" },
    });
    assert.equal(missing.body.code, "member_not_found");
    const nonce = await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(42) });
    const account = testAccount("excluded-42");
    const message = buildSiweMessage({ ...nonce.body, address: account.address });
    const linked = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(42),
      body: { message, signature: await signSiwe(account, message) },
    });
    assert.deepEqual(
      [linked.body.qualification.status, linked.body.qualification.reason],
      ["rejected", "member_excluded"],
    );
    const [r] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b!.id));
    assert.equal(r?.status, "rejected");
    const lifted = await app.call("DELETE", `/api/admin/campaigns/test/exclusions/${b!.id}`, {
      auth: admin,
      body: { reason: "appeal upheld" },
    });
    assert.equal(lifted.body.changed, true);
    const audit = await db.db.select().from(auditLog).orderBy(auditLog.id);
    assert.deepEqual(
      audit.filter((x) => x.action.startsWith("member.")).map((x) => [x.action, x.actor]),
      [
        ["member.excluded", "api-token"],
        ["member.included", "api-token"],
      ],
    );
  });
});

test("retention periods are settings with defaults, validated by name", () => {
  const c = loadConfig({});
  assert.deepEqual(c.retention, {
    clicksDays: 90,
    ipHashDays: 30,
    deviceHashDays: 90,
    intervalSeconds: 3600,
  });
  const set = loadConfig({ RETENTION_CLICKS_DAYS: "7", RETENTION_IP_HASH_DAYS: "3" });
  assert.deepEqual([set.retention.clicksDays, set.retention.ipHashDays], [7, 3]);
  assert.throws(
    () => loadConfig({ RETENTION_DEVICE_HASH_DAYS: "0" }),
    (e: unknown) =>
      e instanceof ConfigError && e.issues[0]?.variable === "RETENTION_DEVICE_HASH_DAYS",
  );
});
