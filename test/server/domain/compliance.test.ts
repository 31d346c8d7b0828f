import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { retentionJob } from "../../../app/retention.ts";
import { memberDeclarations, termsAcceptances } from "../../../server/db/schema/compliance.ts";
import {
  auditLog,
  clicks,
  ledgerEntries,
  members,
  memberWallets,
  notifications,
  referrals,
  walletEvents,
} from "../../../server/db/schema.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { ensureMember } from "../../../server/domain/members.ts";
import { notificationRecipients } from "../../../server/domain/notificationQueue.ts";
import {
  confirmAge,
  declareCountry,
  excludeMember,
  includeMember,
  participationStatus,
} from "../../../server/domain/participation.ts";
import { deleteMemberData, exportMemberData } from "../../../server/domain/privacy.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { enforceRetention } from "../../../server/domain/retention.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { acceptTerms, termsStatus } from "../../../server/domain/terms.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY } from "../../support/clock.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";

const wallet = { type: "wallet_linked" } as const;
const TERMS = { version: "v1", text: { en: "Be fair.", ru: "Будьте честны." } };

const rejects = async (p: Promise<unknown>, code: Parameters<typeof isDomainError>[1]) =>
  assert.rejects(p, (e: unknown) => isDomainError(e, code));

test("terms: nothing is paid before acceptance; accepting qualifies the held referral; a new version asks again", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [testCampaign({ terms: TERMS })] });
    const campaign = d.ctx.campaigns.bySlug("test")!;
    const [a, b] = await d.members(1, 2);
    await acceptTerms(d.ctx, campaign, a.id, "v1");
    await d.refer(a, b);
    await linkTestWallet(d.ctx, b.id, testAccount("terms-b"));
    // The wallet link was the qualifying action, but b has not accepted: held, nothing paid.
    const held = await qualify(d.ctx, b.id, wallet);
    assert.equal(held.status, "held");
    assert.deepEqual(held.status === "held" && held.missing, ["terms_not_accepted"]);
    assert.equal((await assertLedgerConsistent(db)).entries, 0);
    const [r] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b.id));
    assert.equal(r?.status, "pending");

    // Accepting another version than the one shown is refused and records nothing.
    await rejects(acceptTerms(d.ctx, campaign, b.id, "v0"), "terms_version_mismatch");
    assert.equal((await db.db.select().from(termsAcceptances)).length, 1);

    const accepted = await acceptTerms(d.ctx, campaign, b.id, "v1");
    assert.equal(accepted.newlyAccepted, true);
    assert.equal(accepted.qualification?.status, "qualified");
    const rows = await db.db
      .select()
      .from(termsAcceptances)
      .where(eq(termsAcceptances.memberId, b.id));
    assert.deepEqual(
      rows.map((x) => [x.version, x.acceptedAt.toISOString()]),
      [["v1", d.clock.now().toISOString()]],
    );
    assert.equal((await assertLedgerConsistent(db)).entries, 1);
    // Accepting again changes nothing.
    assert.equal((await acceptTerms(d.ctx, campaign, b.id, "v1")).newlyAccepted, false);

    // A new version: everyone is asked again; the old acceptance stays on record.
    const c2 = {
      ...campaign,
      definition: { ...campaign.definition, terms: { ...TERMS, version: "v2" } },
    };
    const s = await termsStatus(db.db, c2, b.id);
    assert.equal(s.accepted, false);
    assert.equal(s.previousVersion, "v1");
  });
});

test("terms: an upline member who has not accepted earns nothing for the referral", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [testCampaign({ terms: TERMS })] });
    const campaign = d.ctx.campaigns.bySlug("test")!;
    const [a, b, c] = await d.members(1, 2, 3);
    await d.refer(a, b);
    await d.refer(b, c);
    await acceptTerms(d.ctx, campaign, b.id, "v1");
    await acceptTerms(d.ctx, campaign, c.id, "v1");
    // Linking the wallet qualifies c's referral in the same transaction.
    await linkTestWallet(d.ctx, c.id, testAccount("terms-c"));
    const [rc] = await db.db.select().from(referrals).where(eq(referrals.refereeId, c.id));
    assert.equal(rc?.status, "qualified");
    const paid = await db.db.select().from(ledgerEntries);
    // b (level 1) accepted and is paid; a (level 2) did not and gets nothing.
    assert.deepEqual(
      paid.map((e) => [e.memberId, e.level]),
      [[b.id, 1]],
    );
  });
});

test("country, language and age rules: allowed members are paid, refused ones are told and get nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({
          participation: { countries: ["DE", "FR"], languages: ["en", "ru"], minAge: 18 },
        }),
      ],
    });
    const campaign = d.ctx.campaigns.bySlug("test")!;
    const member = async (id: number, languageCode: string) =>
      (await ensureMember(d.ctx, { id, firstName: `U${id}`, languageCode })).member;
    const a = await member(1, "ru");
    // The referrer meets the rules too (nobody is paid who does not).
    await declareCountry(d.ctx, campaign, a.id, "FR");
    await confirmAge(d.ctx, campaign, a.id, 18);
    // Allowed path: country and age declared after the action; the referral qualifies then.
    const b = await member(2, "en");
    await d.refer(a, b);
    await linkTestWallet(d.ctx, b.id, testAccount("geo-b"));
    const held = await qualify(d.ctx, b.id, wallet);
    assert.deepEqual(held.status === "held" && held.missing, [
      "country_required",
      "age_not_confirmed",
    ]);
    await rejects(declareCountry(d.ctx, campaign, b.id, "Germany"), "country_invalid");
    const afterCountry = await declareCountry(d.ctx, campaign, b.id, "de");
    assert.equal(afterCountry.qualification?.status, "held");
    await rejects(confirmAge(d.ctx, campaign, b.id, 16), "age_invalid");
    const afterAge = await confirmAge(d.ctx, campaign, b.id, 18);
    assert.equal(afterAge.qualification?.status, "qualified");
    assert.equal(afterAge.status.verdict.ok, true);
    assert.equal((await assertLedgerConsistent(db)).entries, 1);

    // Refused by language: no attribution at all.
    const c = await member(3, "es");
    await rejects(
      attribute(d.ctx, { refereeId: c.id, code: a.code, source: "start" }),
      "language_not_allowed",
    );
    // Refused by country, declared before the start: no attribution.
    const e = await member(4, "ru");
    await declareCountry(d.ctx, campaign, e.id, "US");
    await rejects(
      attribute(d.ctx, { refereeId: e.id, code: a.code, source: "start" }),
      "country_not_allowed",
    );
    // A country cannot be changed to get around the rule.
    await rejects(declareCountry(d.ctx, campaign, e.id, "DE"), "country_invalid");
    // Refused by country declared after the attribution: the referral is rejected when it qualifies.
    const f = await member(5, "en");
    await d.refer(a, f);
    await declareCountry(d.ctx, campaign, f.id, "US");
    await confirmAge(d.ctx, campaign, f.id, 18);
    await linkTestWallet(d.ctx, f.id, testAccount("geo-f"));
    const [rf] = await db.db.select().from(referrals).where(eq(referrals.refereeId, f.id));
    assert.equal(rf?.status, "rejected");
    assert.equal(rf?.statusReason, "country_not_allowed");
    const status = await participationStatus(d.ctx, campaign, f.id);
    assert.deepEqual(status.verdict, { ok: false, refused: "country_not_allowed" });
    assert.equal((await assertLedgerConsistent(db)).entries, 1);
    assert.equal((await db.db.select().from(referrals)).length, 2);
  });
});

test("exclusions: an excluded member is neither attributed nor paid; admin actions are role-checked and audited", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.bySlug("test")!;
    const [a, b, c] = await d.members(1, 2, 3);
    await d.refer(a, b);
    // A member without a role in the campaign may not exclude anyone.
    const nobody = {
      actor: `member:${c.id}` as const,
      memberId: c.id,
      superAdmin: false,
      roles: new Map(),
    };
    await rejects(excludeMember(d.ctx, campaign, b.id, "bot farm", nobody), "forbidden");
    assert.equal(
      (await excludeMember(d.ctx, campaign, b.id, "bot farm", systemAdmin())).changed,
      true,
    );
    assert.equal(
      (await excludeMember(d.ctx, campaign, b.id, "bot farm", systemAdmin())).changed,
      false,
    );
    await linkTestWallet(d.ctx, b.id, testAccount("ex-b"));
    const [rb] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b.id));
    assert.equal(rb?.status, "rejected");
    assert.equal(rb?.statusReason, "member_excluded");
    assert.equal((await assertLedgerConsistent(db)).entries, 0);
    // Their code does not attribute either.
    await rejects(
      attribute(d.ctx, { refereeId: c.id, code: b.code, source: "start" }),
      "referrer_excluded",
    );
    // Lifted: attributions work again.
    assert.equal(
      (await includeMember(d.ctx, campaign, b.id, "appeal", systemAdmin())).changed,
      true,
    );
    const ok = await attribute(d.ctx, { refereeId: c.id, code: b.code, source: "start" });
    assert.equal(ok.referral.status, "pending");
    const audit = await db.db.select().from(auditLog).orderBy(auditLog.id);
    assert.deepEqual(
      audit.map((x) => [x.action, x.campaignId]),
      [
        ["member.excluded", campaign.id],
        ["member.included", campaign.id],
      ],
    );
  });
});

test("export lists the member's data; deletion erases personal data and keeps the books", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.bySlug("test")!;
    const a = (
      await ensureMember(d.ctx, {
        id: 1,
        firstName: "Alice",
        username: "alice",
        languageCode: "en",
      })
    ).member;
    const b = await d.member(2);
    await d.refer(a, b, { ipHash: "ip-b", deviceHash: "dev-b" });
    const c = await d.member(3);
    await attribute(d.ctx, { refereeId: c.id, code: b.code, source: "start", ipHash: "ip-c" });
    await linkTestWallet(d.ctx, a.id, testAccount("priv-a"));
    await linkTestWallet(d.ctx, b.id, testAccount("priv-b"));
    await db.db
      .insert(clicks)
      .values({ memberId: a.id, code: a.code, clientHash: "h", day: "2025-06-01" });
    await db.db.insert(memberDeclarations).values({ memberId: a.id, country: "DE" });
    await excludeMember(d.ctx, campaign, c.id, "test", systemAdmin());

    const exported = await exportMemberData(d.ctx, a.id);
    assert.equal(exported.member.username, "alice");
    assert.equal(exported.member.firstName, "Alice");
    assert.equal(exported.clicks.length, 1);
    assert.equal(exported.referred.length, 1);
    assert.equal(exported.referred[0]?.refereeMemberNumber, b.id);
    assert.equal(exported.rewards.length, 1);
    assert.equal(exported.wallet?.address, testAccount("priv-a").address);
    assert.equal(exported.walletHistory.length, 1);
    assert.equal(exported.declarations.country, "DE");
    const bExport = await exportMemberData(d.ctx, b.id);
    assert.equal(bExport.referredBy?.ipHash, "ip-b");
    // Round-trips as JSON (what the bot and the API send).
    assert.deepEqual(JSON.parse(JSON.stringify(exported)).member.memberNumber, a.id);

    await rejects(deleteMemberData(d.ctx, b.id, false), "deletion_not_confirmed");
    const before = await assertLedgerConsistent(db);
    const report = await deleteMemberData(d.ctx, b.id, true);
    assert.equal(report.memberNumber, b.id);
    assert.equal(report.walletKept, true);
    const [gone] = await db.db.select().from(members).where(eq(members.id, b.id));
    assert.equal(gone?.firstName, null);
    assert.equal(gone?.username, null);
    assert.equal(gone?.languageCode, null);
    assert.equal(gone?.telegramId, -b.id);
    assert.ok(gone?.deletedAt);
    const [rb] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b.id));
    assert.equal(rb?.ipHash, null);
    assert.equal(rb?.deviceHash, null);
    // Other members' rows are untouched.
    const [rc] = await db.db.select().from(referrals).where(eq(referrals.refereeId, c.id));
    assert.equal(rc?.ipHash, "ip-c");
    assert.equal(rc?.referrerId, b.id);
    assert.equal(
      (await db.db.select().from(walletEvents).where(eq(walletEvents.memberId, b.id))).length,
      0,
    );
    assert.equal(
      (await db.db.select().from(walletEvents).where(eq(walletEvents.memberId, a.id))).length,
      1,
    );
    assert.equal(
      (await db.db.select().from(memberWallets).where(eq(memberWallets.memberId, b.id))).length,
      1,
    );
    const pending = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.memberId, b.id));
    assert.ok(pending.length > 0 && pending.every((n) => n.status !== "pending"));
    // Ledger unchanged, still consistent; a deleted member is not a notification recipient.
    assert.deepEqual(await assertLedgerConsistent(db), before);
    const recipients = await notificationRecipients(db.db, [b.id, a.id]);
    assert.deepEqual([recipients.get(b.id)?.banned, recipients.get(a.id)?.banned], [true, false]);
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "member.deleted"));
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, `member:${b.id}`);
    // Deleting or exporting again is refused; the same Telegram user comes back as a new member.
    await rejects(deleteMemberData(d.ctx, b.id, true), "member_deleted");
    await rejects(exportMemberData(d.ctx, b.id), "member_deleted");
    const again = await ensureMember(d.ctx, { id: 2, firstName: "B" });
    assert.equal(again.created, true);
    assert.notEqual(again.member.id, b.id);
  });
});

test("retention removes clicks and hashes past their periods, on the job with a test clock", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [a, b] = await d.members(1, 2);
    await d.refer(a, b, { ipHash: "ip-b", deviceHash: "dev-b" });
    const start = d.clock.now();
    await db.db
      .insert(clicks)
      .values({ memberId: a.id, code: a.code, clientHash: "h1", day: "old", createdAt: start });
    d.clock.advance(20 * DAY);
    const c = await d.member(3);
    await d.refer(a, c, { ipHash: "ip-c", deviceHash: "dev-c" });
    await db.db.insert(clicks).values({
      memberId: a.id,
      code: a.code,
      clientHash: "h2",
      day: "new",
      createdAt: d.clock.now(),
    });
    const settings = { clicksDays: 30, ipHashDays: 15, deviceHashDays: 30, intervalSeconds: 3600 };
    // Day 20: only b's IP hash (older than 15 days) goes.
    assert.deepEqual(await enforceRetention(d.ctx, settings), {
      clicksDeleted: 0,
      ipHashesCleared: 1,
      deviceHashesCleared: 0,
    });
    // Day 36, through the job: the first click and b's device hash go, c's IP hash (15 days) too.
    d.clock.advance(16 * DAY);
    const logged: unknown[] = [];
    const job = retentionJob(d.ctx, settings, {
      info: (o: unknown) => logged.push(o),
      error: () => {},
    } as never);
    const report = await job.runOnce();
    await job.stop();
    assert.deepEqual(report, { clicksDeleted: 1, ipHashesCleared: 1, deviceHashesCleared: 1 });
    assert.equal(logged.length, 1);
    const left = await db.db.select().from(clicks);
    assert.deepEqual(
      left.map((x) => x.clientHash),
      ["h2"],
    );
    const refs = await db.db.select().from(referrals).orderBy(referrals.id);
    assert.deepEqual(
      refs.map((r) => [r.ipHash, r.deviceHash]),
      [
        [null, null],
        [null, "dev-c"],
      ],
    );
    // Idempotent.
    assert.deepEqual(await enforceRetention(d.ctx, settings), {
      clicksDeleted: 0,
      ipHashesCleared: 0,
      deviceHashesCleared: 0,
    });
  });
});
