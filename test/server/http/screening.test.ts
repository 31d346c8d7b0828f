/**
 * Address screening through the API (issue 16): an admin imports a list (refused whole when a
 * line holds no address); a member cannot link a listed wallet (403, nothing written, the nonce
 * still usable); once the list's next version drops the address, the same signed message links.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { auditLog, memberWallets, screenedAddresses } from "../../../server/db/schema.ts";
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../../support/app.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { buildSiweMessage, signSiwe, testAccount } from "../../support/siwe.ts";
import { tmaFor } from "../../support/telegram.ts";

const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
const listed = testAccount("screened-wallet");

const importList = (app: TestApp, text: string, listedOn = "2026-12-01", auth = admin) =>
  app.call("POST", "/api/admin/screening/lists", {
    auth,
    body: { source: "Test sanctions list", listedOn, text },
  });

test("admins import lists; a bad file is refused whole; members cannot import", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const csv = `address,name\n${listed.address},Someone\n# a comment\n\n0x${"ab".repeat(20)},Other\n`;
    const res = await importList(app, csv);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { listId: res.body.listId, entries: 2, added: 2, removed: 0 });
    const rows = await db.db.select().from(screenedAddresses);
    assert.deepEqual(
      rows.map((r) => r.address).sort(),
      [listed.address.toLowerCase(), `0x${"ab".repeat(20)}`].sort(),
    );
    const audits = await db.db.select().from(auditLog);
    assert.ok(
      audits.some((a) => a.action === "screening.list_imported" && a.actor === "api-token"),
    );

    // A member (signed in: their row exists from this call on) is not an admin.
    const member = await importList(app, listed.address, "2026-12-02", tmaFor(5));
    assert.ok(member.status === 401 || member.status === 403, member.text);
    const before = await rowCounts(db);
    const bad = await importList(app, `${listed.address}\nnot an address\n`);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.code, "screening_list_invalid");
    assert.match(bad.body.detail, /line 2: no address/);
    const badDate = await importList(app, listed.address, "1st December");
    assert.equal(badDate.status, 400, badDate.text);
    assert.deepEqual(await rowCounts(db), before, "refused imports wrote nothing");
  });
});

test("a listed wallet cannot be linked (403, nothing written); once delisted the same message links", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    assert.equal((await importList(app, listed.address)).status, 200);
    const nonce = await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(7) });
    assert.equal(nonce.status, 200, nonce.text);
    const message = buildSiweMessage({ ...nonce.body, address: listed.address });
    const signature = await signSiwe(listed, message);
    const before = await rowCounts(db);
    const refused = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(7),
      body: { message, signature },
    });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, "address_screened");
    assert.match(refused.body.detail, /listed by Test sanctions list \(2026-12-01\)/);
    assert.deepEqual(await rowCounts(db), before, "nothing written, the nonce not used");

    // The list's next version no longer names it: the same signed message now links.
    const next = await importList(app, `0x${"cd".repeat(20)}`, "2026-12-05");
    assert.deepEqual([next.body.added, next.body.removed], [1, 1]);
    const linked = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(7),
      body: { message, signature },
    });
    assert.equal(linked.status, 200, linked.text);
    const wallets = await db.db.select().from(memberWallets);
    assert.deepEqual(
      wallets.map((w) => w.address),
      [listed.address],
    );
    const held = await app.call("GET", "/api/admin/screening/held", { auth: admin });
    assert.deepEqual(held.body, { payouts: [], releases: [] });
  });
});
