import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import { parseUnits } from "viem";
import {
  auditLog,
  ledgerEntries,
  payoutOutbox,
  referrals,
  reviewItems,
} from "../../../server/db/schema.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { banMember, type MemberView } from "../../../server/domain/members.ts";
import { processHolds, qualify } from "../../../server/domain/qualification.ts";
import { approveReview, listReviews, rejectReview } from "../../../server/domain/review.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { assignVariant } from "../../../server/domain/rules.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY, HOUR } from "../../support/clock.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";

const REF = (n: string) => parseUnits(n, 18);
const wallet = { type: "wallet_linked" } as const;

async function entriesOf(db: Parameters<typeof assertLedgerConsistent>[0], memberId: number) {
  return db.db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.memberId, memberId))
    .orderBy(ledgerEntries.id);
}

test("a referral stays pending until the qualifying action, then pays every level in one go", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ welcomeBonus: { token: "REF", amount: "5" } })],
    });
    const [a, b, c, e] = await d.members(1, 2, 3, 4);
    await d.refer(a, b);
    await d.refer(b, c);
    const refId = await d.refer(c, e);
    const [pending] = await db.db.select().from(referrals).where(eq(referrals.id, refId));
    assert.equal(pending?.status, "pending");
    assert.equal((await assertLedgerConsistent(db)).entries, 0);

    // Not this campaign's qualifying action: nothing happens.
    const miss = await qualify(d.ctx, e.id, { type: "challenge", challengeId: "join" });
    assert.equal(miss.status, "not_matching");
    assert.equal((await assertLedgerConsistent(db)).entries, 0);

    const done = await qualify(d.ctx, e.id, wallet);
    assert.equal(done.status, "qualified");
    // L1 to c: 10, L2 to b: 20% of 10 = 2, L3 to a: 1, welcome to e: 5.
    assert.deepEqual(
      (await entriesOf(db, c.id)).map((x) => [x.level, x.amount, x.kind]),
      [[1, REF("10"), "referral"]],
    );
    assert.deepEqual(
      (await entriesOf(db, b.id)).map((x) => [x.level, x.amount]),
      [[2, REF("2")]],
    );
    assert.deepEqual(
      (await entriesOf(db, a.id)).map((x) => [x.level, x.amount]),
      [[3, REF("1")]],
    );
    assert.deepEqual(
      (await entriesOf(db, e.id)).map((x) => [x.kind, x.amount]),
      [["welcome", REF("5")]],
    );
    const all = await db.db.select().from(ledgerEntries);
    for (const x of all) {
      assert.equal(x.state, "queued");
      assert.equal(x.refereeId, e.id);
      assert.ok(x.queuedAt && x.pendingAt);
    }
    const outbox = await db.db.select().from(payoutOutbox);
    assert.deepEqual(outbox.map((o) => o.entryId).sort(), all.map((x) => x.id).sort());
    assert.ok(outbox.every((o) => o.status === "queued" && o.attempts === 0));
    const totals = await assertLedgerConsistent(db);
    assert.equal(totals.entries, 4);

    // Qualifying again changes nothing.
    const again = await qualify(d.ctx, e.id, wallet);
    assert.equal(again.status, "not_pending");
    assert.equal((await assertLedgerConsistent(db)).entries, 4);
  });
});

test("a referee who already did the qualifying action qualifies on attribution", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [a, b] = [await d.member(1), await d.member(2)];
    await linkTestWallet(d.ctx, b.id, testAccount("early-bird"));
    const { referral, qualification } = await attribute(d.ctx, {
      refereeId: b.id,
      code: a.code,
      source: "start",
    });
    assert.equal(qualification?.status, "qualified");
    assert.equal(referral.status, "qualified");
    assert.equal((await entriesOf(db, a.id)).length, 1);
    // Without the action done, attribution leaves it pending.
    const c = await d.member(3);
    const pending = await attribute(d.ctx, { refereeId: c.id, code: a.code, source: "start" });
    assert.equal(pending.qualification, undefined);
    assert.equal(pending.referral.status, "pending");
  });
});

test("tier multipliers count the referral being paid", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db); // tier "pro" from 3 qualified referrals: x1.5
    const a = await d.member(1);
    const amounts: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await d.member(10 + i);
      await d.refer(a, r);
      const out = await qualify(d.ctx, r.id, wallet);
      assert.equal(out.status, "qualified");
    }
    for (const x of await entriesOf(db, a.id)) amounts.push(x.amount);
    assert.deepEqual(amounts, [REF("10"), REF("10"), REF("15"), REF("15")]);
  });
});

test("A/B variants override level amounts deterministically per referrer", async (t) => {
  await withDatabases(t, async (db) => {
    const campaign = testCampaign({
      variants: [
        { id: "control", weight: 1, levelAmounts: {} },
        { id: "generous", weight: 1, levelAmounts: { "1": "12" } },
      ],
    });
    const d = await testDomain(db, { campaigns: [campaign] });
    const rules = d.ctx.campaigns.resolve(undefined, d.clock.now()).rules;
    const seen = new Map<string, bigint>();
    for (let i = 0; i < 12; i++) {
      const referrer = await d.member(100 + i);
      const referee = await d.member(200 + i);
      await d.refer(referrer, referee);
      await qualify(d.ctx, referee.id, wallet);
      const variant = assignVariant(rules, referrer.id);
      assert.equal(assignVariant(rules, referrer.id), variant, "stable per member");
      const [entry] = await entriesOf(db, referrer.id);
      assert.ok(entry);
      const [ref] = await db.db.select().from(referrals).where(eq(referrals.refereeId, referee.id));
      assert.equal(ref?.variant, variant);
      seen.set(variant ?? "none", entry.amount);
    }
    assert.equal(seen.get("control"), REF("10"));
    assert.equal(seen.get("generous"), REF("12"));
  });
});

test("exceeding the referrer's daily cap sends the referral to review; approving pays what the cap allows", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ caps: { perMemberDaily: { REF: "15" }, perMemberTotal: {} } })],
    });
    const a = await d.member(1);
    const [b, c, e] = [await d.member(2), await d.member(3), await d.member(4)];
    for (const r of [b, c, e]) await d.refer(a, r);
    assert.equal((await qualify(d.ctx, b.id, wallet)).status, "qualified");
    const flagged = await qualify(d.ctx, c.id, wallet);
    assert.equal(flagged.status, "review");
    assert.deepEqual(flagged.status === "review" && flagged.reasons, ["daily_cap"]);
    assert.equal((await entriesOf(db, a.id)).length, 1);
    const [item] = await listReviews(db.db, { status: "open", limit: 10 });
    assert.ok(item);
    assert.deepEqual(item.reasons, ["daily_cap"]);
    assert.equal(item.referral.refereeId, c.id);

    const approved = await approveReview(
      d.ctx,
      item.id,
      systemAdmin("member:1"),
      "known community member",
    );
    assert.equal(approved.status, "qualified");
    // The cap is still a hard limit: 15 - 10 = 5 left today.
    assert.deepEqual(
      (await entriesOf(db, a.id)).map((x) => x.amount),
      [REF("10"), REF("5")],
    );
    await assert.rejects(approveReview(d.ctx, item.id, systemAdmin("member:1")), (err) =>
      isDomainError(err, "review_closed"),
    );

    // The next day there is room again (third qualified referral: tier "pro", x1.5).
    d.clock.advance(DAY);
    assert.equal((await qualify(d.ctx, e.id, wallet)).status, "qualified");
    assert.deepEqual(
      (await entriesOf(db, a.id)).map((x) => x.amount),
      [REF("10"), REF("5"), REF("15")],
    );
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "review.approved"));
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, "member:1");
    await assertLedgerConsistent(db);
  });
});

test("the total cap works the same way and rejection never pays", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ caps: { perMemberDaily: {}, perMemberTotal: { REF: "10" } } })],
    });
    const a = await d.member(1);
    const [b, c] = [await d.member(2), await d.member(3)];
    await d.refer(a, b);
    await d.refer(a, c);
    await qualify(d.ctx, b.id, wallet);
    const out = await qualify(d.ctx, c.id, wallet);
    assert.equal(out.status, "review");
    const [item] = await listReviews(db.db, { limit: 10 });
    const rejected = await rejectReview(
      d.ctx,
      item!.id,
      systemAdmin("api-token"),
      "over the total cap",
    );
    assert.equal(rejected.status, "rejected");
    const [ref] = await db.db.select().from(referrals).where(eq(referrals.refereeId, c.id));
    assert.equal(ref?.status, "rejected");
    const [decided] = await db.db.select().from(reviewItems).where(eq(reviewItems.id, item!.id));
    assert.equal(decided?.status, "rejected");
    assert.equal(decided?.decisionReason, "over the total cap");
    assert.equal(decided?.decidedBy, "api-token");
    assert.equal((await entriesOf(db, a.id)).length, 1);
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "review.rejected"));
    assert.equal(audit.length, 1);
  });
});

test("bursts of referees within minutes go to review", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ fraud: { burst: { maxReferrals: 2, windowMinutes: 10 } } })],
    });
    const a = await d.member(1);
    const referees: MemberView[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await d.member(10 + i);
      await d.refer(a, r);
      d.clock.advance(60_000);
      referees.push(r);
    }
    const out = await qualify(d.ctx, referees[0]!.id, wallet);
    assert.equal(out.status, "review");
    assert.deepEqual(out.status === "review" && out.reasons, ["burst"]);
    // A referral far outside the window is fine.
    d.clock.advance(HOUR);
    const late = await d.member(50);
    await d.refer(a, late);
    assert.equal((await qualify(d.ctx, late.id, wallet)).status, "qualified");
  });
});

test("repeated IP or device hashes across referees go to review", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ fraud: { maxRefereesPerIp: 1, maxRefereesPerDevice: 1 } })],
    });
    const a = await d.member(1);
    const [b, c, e, f] = await d.members(2, 3, 4, 5);
    await d.refer(a, b, { ipHash: "ip-1", deviceHash: "dev-1" });
    await d.refer(a, c, { ipHash: "ip-1", deviceHash: "dev-2" });
    await d.refer(a, e, { ipHash: "ip-2", deviceHash: "dev-2" });
    await d.refer(a, f, { ipHash: "ip-3", deviceHash: "dev-3" });
    const ob = await qualify(d.ctx, b.id, wallet);
    assert.deepEqual(ob.status === "review" && ob.reasons, ["shared_ip"]);
    const oe = await qualify(d.ctx, e.id, wallet);
    assert.deepEqual(oe.status === "review" && oe.reasons, ["shared_device"]);
    assert.equal((await qualify(d.ctx, f.id, wallet)).status, "qualified");
  });
});

test("a wallet used before by another member sends the referral to review", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const a = await d.member(1);
    const x = await d.member(2);
    const w1 = testAccount("shared-1");
    const w2 = testAccount("shared-2");
    await linkTestWallet(d.ctx, x.id, w1);
    await linkTestWallet(d.ctx, x.id, w2); // re-link frees w1
    const y = await d.member(3);
    await d.refer(a, y);
    const linked = await linkTestWallet(d.ctx, y.id, w1);
    assert.equal(linked.qualification.status, "review");
    assert.deepEqual(linked.qualification.status === "review" && linked.qualification.reasons, [
      "shared_wallet",
    ]);
  });
});

test("banned referrers are not paid; ban rejects their unsent grants and returns the budget", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const a = await d.member(1);
    const [b, c] = [await d.member(2), await d.member(3)];
    await d.refer(a, b);
    await d.refer(a, c);
    await qualify(d.ctx, b.id, wallet);
    const before = await assertLedgerConsistent(db);
    const { rejectedGrants } = await banMember(d.ctx, a.id, "fraud ring", systemAdmin("api-token"));
    assert.equal(rejectedGrants, 1);
    const [entry] = await entriesOf(db, a.id);
    assert.equal(entry?.state, "rejected");
    assert.ok(entry?.rejectedAt);
    const [ob] = await db.db.select().from(payoutOutbox).where(eq(payoutOutbox.entryId, entry!.id));
    assert.equal(ob?.status, "cancelled");
    const after = await assertLedgerConsistent(db);
    const key = [...after.tokens.keys()][0]!;
    assert.equal(after.tokens.get(key)?.granted, 0n);
    assert.equal(before.tokens.get(key)?.granted, REF("10"));
    const out = await qualify(d.ctx, c.id, wallet);
    assert.deepEqual(out.status === "rejected" && out.reason, "referrer_banned");
  });
});

test("hold-period campaigns qualify once the hold has passed", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ qualification: { type: "hold", hours: 48 } })],
    });
    const [a, b] = [await d.member(1), await d.member(2)];
    await d.refer(a, b);
    assert.deepEqual(await processHolds(d.ctx), []);
    assert.equal((await qualify(d.ctx, b.id, { type: "hold" })).status, "not_matching");
    d.clock.advance(48 * HOUR);
    const out = await processHolds(d.ctx);
    assert.deepEqual(
      out.map((o) => o.status),
      ["qualified"],
    );
    assert.equal((await entriesOf(db, a.id)).length, 1);
  });
});

test("challenges pay once and can qualify a referral", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ qualification: { type: "challenge", challengeId: "join" } })],
    });
    const [a, b] = [await d.member(1), await d.member(2)];
    await d.refer(a, b);
    const first = await completeChallenge(d.ctx, {
      memberId: b.id,
      challengeId: "join",
      source: "bot",
    });
    assert.equal(first.newlyCompleted, true);
    assert.equal(first.amount, REF("2"));
    assert.equal(first.qualification?.status, "qualified");
    const second = await completeChallenge(d.ctx, {
      memberId: b.id,
      challengeId: "join",
      source: "bot",
    });
    assert.deepEqual(
      [second.newlyCompleted, second.entryId, second.qualification],
      [false, null, null],
    );
    assert.deepEqual(
      (await entriesOf(db, b.id)).map((x) => [x.kind, x.amount]),
      [["challenge", REF("2")]],
    );
    assert.equal((await entriesOf(db, a.id)).length, 1);
    await assert.rejects(
      completeChallenge(d.ctx, { memberId: b.id, challengeId: "nope", source: "bot" }),
      (e) => isDomainError(e, "challenge_unknown"),
    );
    await assertLedgerConsistent(db);
  });
});

test("the budget is never exceeded: grants are cut to what is left, then stop", async (t) => {
  await withDatabases(t, async (db) => {
    const campaign = testCampaign({
      tokens: [
        {
          symbol: "REF",
          name: "Referral",
          decimals: 18,
          cap: "1000",
          budget: "25",
          maxBatch: 10,
          maxBatchAmount: "25",
          dailyLimit: "25",
        },
      ],
      levels: [{ level: 1, token: "REF", amount: "10" }],
    });
    const d = await testDomain(db, { campaigns: [campaign] });
    const a = await d.member(1);
    for (let i = 0; i < 4; i++) {
      const r = await d.member(10 + i);
      await d.refer(a, r);
      assert.equal((await qualify(d.ctx, r.id, wallet)).status, "qualified");
    }
    assert.deepEqual(
      (await entriesOf(db, a.id)).map((x) => x.amount),
      [REF("10"), REF("10"), REF("5")],
    );
    const totals = await assertLedgerConsistent(db);
    assert.equal([...totals.tokens.values()][0]?.granted, REF("25"));
  });
});

test("a campaign that has ended qualifies referrals without paying them", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ endsAt: "2025-06-02T00:00:00Z" })],
    });
    const [a, b] = [await d.member(1), await d.member(2)];
    await d.refer(a, b);
    d.clock.advance(2 * DAY);
    const out = await qualify(d.ctx, b.id, wallet);
    assert.deepEqual(out.status === "qualified" && out.entryIds, []);
    const [ref] = await db.db
      .select()
      .from(referrals)
      .where(and(eq(referrals.refereeId, b.id)));
    assert.equal(ref?.status, "qualified");
    assert.equal(ref?.statusReason, "campaign_inactive");
  });
});
