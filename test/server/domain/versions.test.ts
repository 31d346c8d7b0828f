/**
 * Campaign rules versions in the domain (server/domain/versions.ts): version 1 at start-up,
 * a changed file never applied by a restart, the command's pending version (created, resumed,
 * replaced, refused), a version taking effect at its `RulesPublished` block (campaign row,
 * budgets, this process's rules, members told), a reorg taking it back, and grants recording
 * the version they were earned under. The on-chain side is test/chain/versions.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq, sql } from "drizzle-orm";
import { parseUnits } from "viem";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import { campaignVersions } from "../../../server/db/schema/versions.ts";
import {
  campaigns,
  campaignTokens,
  ledgerEntries,
  notifications,
} from "../../../server/db/schema.ts";
import {
  type CampaignDefinition,
  hashDefinition,
  rulesDocument,
} from "../../../server/domain/campaign.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { writeGrant } from "../../../server/domain/ledger.ts";
import { runMaintenance } from "../../../server/domain/maintenance.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { memberChanges } from "../../../server/domain/rulesDiff.ts";
import {
  documentHash,
  listVersions,
  prepareVersion,
  recordVersionAction,
  rulesDocumentByHash,
  rulesPublished,
  rulesRewound,
  type VersionAction,
  versionChanges,
  versionFor,
  versionState,
} from "../../../server/domain/versions.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const REF = (n: string) => parseUnits(n, 18);
const v1 = () => testCampaign({ slug: "vers", onchainId: 31 });
/** Version 2: level 1 pays 12 (was 10), the budget doubles, a task pays 3 (was 2). */
const v2 = () =>
  testCampaign({
    slug: "vers",
    onchainId: 31,
    levels: [
      { level: 1, token: "REF", amount: "12" },
      { level: 2, percent: 20 },
      { level: 3, amount: "1" },
    ],
    tokens: [{ ...v1().tokens[0]!, budget: "2000000" }],
    challenges: [
      { id: "join", title: { en: "Join", ru: "Вступить" }, reward: { token: "REF", amount: "3" } },
    ],
  });

const rulesAction = (version: number, hash: string): VersionAction => ({
  key: "rules",
  description: `publish ${version}`,
  contract: "ReferralPayouts",
  address: "0x00000000000000000000000000000000000000aa",
  functionName: "updateRules",
  args: [version, hash, "https://x.test/r.json"],
  data: "0x",
  status: "planned",
  txHash: null,
});

/** What `npm run campaign:version` records for `def` (no on-chain action but the publication). */
async function prepare(db: DatabaseHandle, campaignId: number, def: CampaignDefinition) {
  const document = rulesDocument(def);
  const hash = documentHash(document);
  const version = versionFor(await versionState(db.db, campaignId), hash)!;
  return prepareVersion(db.db, {
    campaignId,
    version,
    document,
    rulesUrl: `https://rules.test/${hash}.json`,
    actions: [rulesAction(version, hash)],
    createdBy: "system",
  });
}

/** The indexer seeing `version`'s RulesPublished at `block`. */
function publish(
  db: DatabaseHandle,
  campaignId: number,
  def: CampaignDefinition,
  version: number,
  block: number,
) {
  return db.db.transaction((tx) =>
    rulesPublished(tx, {
      campaignId,
      version,
      hash: documentHash(rulesDocument(def)),
      uri: `https://rules.test/v${version}.json`,
      blockNumber: block,
      blockTime: new Date(Date.UTC(2030, 0, 1, 0, 0, block)),
      txHash: `0x${block.toString(16).padStart(64, "0")}`,
    }),
  );
}

test("a new campaign's file is its version 1, in effect since it was registered, with its document's hash", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const campaign = d.ctx.campaigns.bySlug("vers")!;
    assert.equal(campaign.version, 1);
    const [row] = await db.db.select().from(campaignVersions);
    assert.equal(row?.version, 1);
    assert.equal(row?.status, "effective");
    assert.equal(row?.createdBy, "startup");
    assert.equal(row?.document, rulesDocument(v1()));
    assert.equal(row?.hash, `0x${hashDefinition(v1())}`);
    const [c] = await db.db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    assert.equal(row?.effectiveAt?.getTime(), c?.createdAt.getTime());
    assert.equal(c?.definitionHash, hashDefinition(v1()));
    assert.equal(await rulesDocumentByHash(db.db, campaign.id, row!.hash), rulesDocument(v1()));
    // A second start-up with the same file records nothing new.
    await syncDefinitions(db.db, [v1()]);
    assert.equal((await db.db.select().from(campaignVersions)).length, 1);
  });
});

test("a changed file at start-up is reported and not applied: the campaign keeps the version in effect", async (t) => {
  await withDatabases(t, async (db) => {
    await testDomain(db, { campaigns: [v1()] });
    const warnings: string[] = [];
    const registry = await syncDefinitions(db.db, [v2()], { onWarning: (w) => warnings.push(w) });
    const campaign = registry.bySlug("vers")!;
    assert.equal(campaign.version, 1);
    assert.equal(
      campaign.definition.levels[0] &&
        "amount" in campaign.definition.levels[0] &&
        campaign.definition.levels[0].amount,
      "10",
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /vers\.json differs from rules version 1 in effect: running version 1; `npm run campaign:version -- vers\.json --dry-run`/,
    );
    const [budget] = await db.db.select().from(campaignTokens);
    assert.equal(budget?.budget, REF("1000000"));
    assert.equal((await db.db.select().from(campaignVersions)).length, 1);
  });
});

test("a campaign registered before versions gets version 1 from what its database held, not from the file", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    await db.db.delete(campaignVersions);
    const warnings: string[] = [];
    const registry = await syncDefinitions(db.db, [v2()], { onWarning: (w) => warnings.push(w) });
    assert.equal(registry.bySlug("vers")!.version, 1);
    const [row] = await db.db.select().from(campaignVersions);
    assert.equal(row?.document, rulesDocument(v1()));
    assert.equal(warnings.length, 1);
    assert.equal(d.ctx.campaigns.bySlug("vers")!.version, 1);
  });
});

test("the command's version: created pending, resumed with its recorded sends, replaced while nothing was sent, otherwise refused", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const id = d.ctx.campaigns.bySlug("vers")!.id;
    const created = await prepare(db, id, v2());
    assert.deepEqual([created.version, created.outcome], [2, "created"]);
    let state = await versionState(db.db, id);
    assert.equal(state.effective.version, 1);
    assert.equal(state.pending?.version, 2);
    assert.equal(state.pending?.status, "pending");

    // Another file while nothing was sent: it replaces version 2.
    const v3 = testCampaign({ slug: "vers", onchainId: 31, expiry: { days: 10 } });
    const replaced = await prepare(db, id, v3);
    assert.deepEqual([replaced.version, replaced.outcome], [2, "replaced"]);
    // Its publication sent: the same file resumes with that record, another is refused.
    await recordVersionAction(db.db, {
      campaignId: id,
      version: 2,
      key: "rules",
      status: "sent",
      txHash: `0x${"ab".repeat(32)}`,
    });
    const resumed = await prepare(db, id, v3);
    assert.equal(resumed.outcome, "resumed");
    assert.deepEqual(
      resumed.actions.map((a) => [a.key, a.status, a.txHash]),
      [["rules", "sent", `0x${"ab".repeat(32)}`]],
    );
    const before = await rowCounts(db);
    await assert.rejects(prepare(db, id, v2()), (e) => isDomainError(e, "rules_version_pending"));
    // A plan made for a number that moved on is refused too; nothing was written either way.
    await assert.rejects(
      prepareVersion(db.db, {
        campaignId: id,
        version: 5,
        document: rulesDocument(v3),
        rulesUrl: "https://x.test",
        actions: [],
        createdBy: "system",
      }),
      (e) => isDomainError(e, "rules_version_pending"),
    );
    assert.deepEqual(await rowCounts(db), before);
    state = await versionState(db.db, id);
    assert.equal(state.pending?.hash, documentHash(rulesDocument(v3)));
    // The audit log says who prepared what (created and replaced; resuming changes nothing).
    const audits = await db.db.execute(
      sql`select details->>'outcome' as outcome from audit_log where action = 'campaign.rules_version' order by id`,
    );
    assert.deepEqual(
      (audits as unknown as { rows: { outcome: string }[] }).rows.map((r) => r.outcome),
      ["created", "replaced"],
    );
  });
});

test("a version takes effect at its RulesPublished block: campaign row, budgets, this process's rules, and its members are told", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const campaign = d.ctx.campaigns.bySlug("vers")!;
    const [alice, bob, carol, outsider] = await d.members(1, 2, 3, 4);
    await d.refer(alice!, bob!);
    await d.refer(bob!, carol!);
    await prepare(db, campaign.id, v2());

    // Not ours, or another hash: nothing changes.
    assert.equal(await publish(db, campaign.id, v2(), 9, 100), "unknown");
    assert.equal(await publish(db, campaign.id, v1(), 2, 100), "mismatch");
    assert.equal((await versionState(db.db, campaign.id)).pending?.version, 2);

    assert.equal(await publish(db, campaign.id, v2(), 2, 101), "effective");
    const state = await versionState(db.db, campaign.id);
    assert.equal(state.effective.version, 2);
    assert.equal(state.effective.blockNumber, 101);
    assert.equal(state.effective.effectiveAt?.toISOString(), "2030-01-01T00:01:41.000Z");
    assert.equal(state.pending, null);
    const [row] = await db.db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    assert.equal(row?.definitionHash, hashDefinition(v2()));
    const [budget] = await db.db.select().from(campaignTokens);
    assert.equal(budget?.budget, REF("2000000"));

    // Members of the campaign (either side of a referral) hear of it once; others do not.
    const told = await db.db
      .select({ memberId: notifications.memberId, data: notifications.data })
      .from(notifications)
      .where(eq(notifications.kind, "rules_changed"))
      .orderBy(notifications.memberId);
    assert.deepEqual(
      told.map((n) => n.memberId),
      [alice!.id, bob!.id, carol!.id],
    );
    assert.deepEqual(told[0]?.data, { campaignId: campaign.id, version: 2 });
    assert.ok(!told.some((n) => n.memberId === outsider!.id));
    // Re-reading the range changes nothing.
    assert.equal(await publish(db, campaign.id, v2(), 2, 101), "recorded");
    assert.equal(
      (await db.db.select().from(notifications).where(eq(notifications.kind, "rules_changed")))
        .length,
      3,
    );

    // This process switches at its next maintenance pass.
    assert.equal(d.ctx.campaigns.bySlug("vers")!.version, 1);
    const report = await runMaintenance(d.ctx);
    assert.deepEqual(report.rulesSwitched, ["vers"]);
    const now = d.ctx.campaigns.bySlug("vers")!;
    assert.equal(now.version, 2);
    assert.equal(now.rules.levels[0]?.kind === "fixed" && now.rules.levels[0].amount, REF("12"));
    assert.deepEqual((await runMaintenance(d.ctx)).rulesSwitched, []);

    // What members read: the versions that took effect, with their changes.
    const versions = await listVersions(db.db, campaign.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.status, v.blockNumber]),
      [
        [2, "effective", 101],
        [1, "effective", null],
      ],
    );
    assert.deepEqual(
      versions[0]?.changes.map((c) => c.subject),
      ["level", "challenge.reward", "token.budget"],
    );
    const changes = await versionChanges(db.db, campaign.id, 2);
    assert.deepEqual(memberChanges(changes!.changes), versions[0]?.changes);
  });
});

test("a version that changes nothing members see tells no one", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const campaign = d.ctx.campaigns.bySlug("vers")!;
    const [alice, bob] = await d.members(1, 2);
    await d.refer(alice!, bob!);
    const quiet = testCampaign({ slug: "vers", onchainId: 31, fraud: { maxRefereesPerIp: 3 } });
    await prepare(db, campaign.id, quiet);
    assert.equal(await publish(db, campaign.id, quiet, 2, 50), "effective");
    assert.equal((await listVersions(db.db, campaign.id))[0]?.changes.length, 0);
    assert.equal(
      (await listVersions(db.db, campaign.id, { operator: true }))[0]?.changes.length,
      1,
    );
    assert.equal(
      (await db.db.select().from(notifications).where(eq(notifications.kind, "rules_changed")))
        .length,
      0,
    );
  });
});

test("a reorg that takes the block away makes the version pending again, and the campaign goes back", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const campaign = d.ctx.campaigns.bySlug("vers")!;
    await prepare(db, campaign.id, v2());
    await publish(db, campaign.id, v2(), 2, 200);
    // Version 1 published on-chain later (block 150) stays in effect whatever happens to it.
    await db.db
      .update(campaignVersions)
      .set({ blockNumber: 210 })
      .where(and(eq(campaignVersions.campaignId, campaign.id), eq(campaignVersions.version, 1)));
    await runMaintenance(d.ctx);
    assert.equal(d.ctx.campaigns.bySlug("vers")!.version, 2);

    assert.equal(await db.db.transaction((tx) => rulesRewound(tx, 199)), 2);
    const state = await versionState(db.db, campaign.id);
    assert.equal(state.effective.version, 1);
    assert.equal(state.effective.blockNumber, null);
    assert.equal(state.pending?.version, 2);
    assert.equal(state.pending?.effectiveAt, null);
    const [budget] = await db.db.select().from(campaignTokens);
    assert.equal(budget?.budget, REF("1000000"));
    const [row] = await db.db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    assert.equal(row?.definitionHash, hashDefinition(v1()));
    assert.deepEqual((await runMaintenance(d.ctx)).rulesSwitched, ["vers"]);
    assert.equal(d.ctx.campaigns.bySlug("vers")!.version, 1);
    // Read again on the new chain, it takes effect again (and its members were told once).
    assert.equal(await publish(db, campaign.id, v2(), 2, 205), "effective");
    assert.equal((await versionState(db.db, campaign.id)).effective.version, 2);
  });
});

test("rewards record the rules version they were earned under", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [v1()] });
    const campaign = d.ctx.campaigns.bySlug("vers")!;
    const [alice, bob, carol] = await d.members(1, 2, 3);
    await d.refer(alice!, bob!);
    await d.refer(alice!, carol!);
    assert.equal((await qualify(d.ctx, bob!.id, { type: "wallet_linked" })).status, "qualified");

    await prepare(db, campaign.id, v2());
    await publish(db, campaign.id, v2(), 2, 300);
    await runMaintenance(d.ctx);
    assert.equal((await qualify(d.ctx, carol!.id, { type: "wallet_linked" })).status, "qualified");
    // An admin's adjustment, with no rules behind it, takes the version in effect.
    await db.db.transaction((tx) =>
      writeGrant(tx, {
        campaignId: campaign.id,
        token: "REF",
        memberId: alice!.id,
        amount: REF("1"),
        kind: "adjustment",
        idempotencyKey: "versions-test-adjustment",
        now: d.clock.now(),
      }),
    );
    const rows = await db.db
      .select({
        referee: ledgerEntries.refereeId,
        amount: ledgerEntries.amount,
        version: ledgerEntries.rulesVersion,
      })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, alice!.id))
      .orderBy(ledgerEntries.id);
    assert.deepEqual(rows, [
      { referee: bob!.id, amount: REF("10"), version: 1 },
      { referee: carol!.id, amount: REF("12"), version: 2 },
      { referee: null, amount: REF("1"), version: 2 },
    ]);
  });
});
