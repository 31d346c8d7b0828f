/**
 * Rules versions over real HTTP (server/http/routes/versions.ts): what members and auditors
 * read (the versions that took effect with their changes, the document whose SHA-256 is the
 * on-chain hash), and the operator endpoints `npm run campaign:version` uses through a running
 * service, with their refusals (4xx, nothing written).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { rulesDocument } from "../../../server/domain/campaign.ts";
import { documentHash, rulesPublished } from "../../../server/domain/versions.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
const v1 = () => testCampaign({ slug: "http-vers", onchainId: 51 });
const v2 = () =>
  testCampaign({
    slug: "http-vers",
    onchainId: 51,
    levels: [
      { level: 1, token: "REF", amount: "15" },
      { level: 2, percent: 20 },
      { level: 3, amount: "1" },
    ],
    fraud: { maxRefereesPerIp: 2 },
  });

const rulesAction = (version: number, hash: string) => ({
  key: "rules",
  description: "publish",
  contract: "ReferralPayouts",
  address: "0x00000000000000000000000000000000000000aa",
  functionName: "updateRules",
  args: [version, hash, "https://rules.test/x.json"],
  data: "0x1234",
  status: "planned",
  txHash: null,
});

test("members read the versions that took effect and what changed; the document hashes to the on-chain hash", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [v1()] });
    const campaign = app.ctx.campaigns.bySlug("http-vers")!;
    const doc2 = rulesDocument(v2());
    const hash2 = documentHash(doc2);

    // The operator prepares version 2 through the service (what the command does next to npm run dev).
    const state = await app.call("GET", "/api/operator/campaigns/http-vers/versions", {
      auth: admin,
    });
    assert.equal(state.status, 200, state.text);
    assert.equal(state.body.effective.version, 1);
    assert.equal(state.body.pending, null);
    assert.equal(state.body.nextVersion, 2);
    const prepared = await app.call("POST", "/api/operator/campaigns/http-vers/versions", {
      auth: admin,
      body: {
        version: 2,
        document: doc2,
        rulesUrl: "https://rules.test/x.json",
        actions: [rulesAction(2, hash2)],
      },
    });
    assert.equal(prepared.status, 200, prepared.text);
    assert.deepEqual([prepared.body.version, prepared.body.outcome], [2, "created"]);
    const recorded = await app.call(
      "POST",
      "/api/operator/campaigns/http-vers/versions/2/actions",
      {
        auth: admin,
        body: { key: "rules", status: "sent", txHash: `0x${"cd".repeat(32)}` },
      },
    );
    assert.equal(recorded.status, 200, recorded.text);
    assert.equal(recorded.body.actions[0].status, "sent");

    // Pending versions are not shown to members; its document is already served (to be checked
    // the moment it is published).
    let list = await app.call("GET", "/api/campaigns/http-vers/versions");
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.items.map((v: { version: number }) => v.version),
      [1],
    );
    const doc = await app.call("GET", `/rules/http-vers/${hash2.slice(2)}.json`);
    assert.equal(doc.status, 200);
    assert.match(doc.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(doc.text, doc2);
    assert.equal(`0x${createHash("sha256").update(doc.text).digest("hex")}`, hash2);

    await db.db.transaction((tx) =>
      rulesPublished(tx, {
        campaignId: campaign.id,
        version: 2,
        hash: hash2,
        uri: "https://rules.test/x.json",
        blockNumber: 77,
        blockTime: new Date("2031-02-03T04:05:06Z"),
        txHash: `0x${"cd".repeat(32)}`,
      }),
    );
    list = await app.call("GET", "/api/campaigns/http-vers/versions");
    assert.equal(list.body.current, 2);
    const [latest] = list.body.items;
    assert.equal(latest.version, 2);
    assert.equal(latest.hash, hash2);
    assert.equal(latest.rulesUrl, "https://rules.test/x.json");
    assert.equal(
      latest.documentUrl,
      `https://api.refmint.test/rules/http-vers/${hash2.slice(2)}.json`,
    );
    assert.equal(latest.effectiveAt, "2031-02-03T04:05:06.000Z");
    assert.equal(latest.blockNumber, 77);
    // Members' lines only: the fraud threshold is the operator's.
    assert.deepEqual(latest.changes, [
      {
        subject: "level",
        audience: "members",
        level: 1,
        from: { type: "amount", amount: "10", token: "REF" },
        to: { type: "amount", amount: "15", token: "REF" },
        text: "Level 1: 10 REF → 15 REF",
      },
    ]);
    const operator = await app.call("GET", "/api/operator/campaigns/http-vers/versions", {
      auth: admin,
    });
    assert.deepEqual(
      operator.body.items[0].changes.map((c: { text: string }) => c.text),
      ["Level 1: 10 REF → 15 REF", "Fraud check maxRefereesPerIp: 1000 → 2"],
    );
  });
});

test("bad requests get a clear 4xx and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [v1()] });
    await app.member(42); // the member below exists already (their sign-in would create them)
    const before = await rowCounts(db);
    const hash = documentHash(rulesDocument(v2()));
    const body = {
      version: 2,
      document: rulesDocument(v2()),
      rulesUrl: "https://rules.test/x.json",
      actions: [rulesAction(2, hash)],
    };
    const cases: Array<[string, Awaited<ReturnType<typeof app.call>>, number, string]> = [
      [
        "no admin",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions", { body }),
        401,
        "auth_required",
      ],
      [
        "a member is no admin",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions", {
          auth: tmaFor(42),
          body,
        }),
        403,
        "forbidden",
      ],
      [
        "invalid rules",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions", {
          auth: admin,
          body: { ...body, document: JSON.stringify({ ...v2(), levels: [] }) },
        }),
        422,
        "rules_invalid",
      ],
      [
        "not canonical",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions", {
          auth: admin,
          body: { ...body, document: JSON.stringify(v2(), null, 2) },
        }),
        422,
        "rules_invalid",
      ],
      [
        "planned for another number",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions", {
          auth: admin,
          body: { ...body, version: 3 },
        }),
        409,
        "rules_version_pending",
      ],
      [
        "unknown campaign",
        await app.call("POST", "/api/operator/campaigns/nope/versions", { auth: admin, body }),
        404,
        "campaign_not_found",
      ],
      [
        "a bad transaction hash",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions/1/actions", {
          auth: admin,
          body: { key: "rules", status: "sent", txHash: "0x12" },
        }),
        400,
        "validation_failed",
      ],
      [
        "no such action",
        await app.call("POST", "/api/operator/campaigns/http-vers/versions/1/actions", {
          auth: admin,
          body: { key: "rules", status: "done", txHash: null },
        }),
        404,
        "not_found",
      ],
      [
        "no such document",
        await app.call("GET", `/rules/http-vers/${"0".repeat(64)}.json`),
        404,
        "not_found",
      ],
      [
        "not a document name",
        await app.call("GET", "/rules/http-vers/latest.json"),
        400,
        "validation_failed",
      ],
    ];
    for (const [what, res, status, code] of cases) {
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assert.equal(res.body.code, code, what);
    }
    assert.deepEqual(await rowCounts(db), before);
  });
});
