/**
 * A completed challenge taken back (server/domain/challengeRevocation.ts), on PGlite and
 * PostgreSQL over real HTTP: leaving the group of a "stay 3 days" challenge within 3 days of
 * the completion cancels its reward not sent yet (back to the budget), the member is told, the
 * challenge is open again and pays anew when completed again (once); leaving later takes
 * nothing back. An admin revokes a completion through the API (`member.reward`, audited with
 * before and after); a role without it, or a challenge not completed, is refused writing
 * nothing. A referral the challenge qualified stays qualified. (A reward already sent becomes a
 * clawback debt: test/chain/challengeRevocation.test.ts.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq, sql } from "drizzle-orm";
import { parseUnits } from "viem";
import { queryRows } from "../../../server/db/index.ts";
import { challengeRevocations } from "../../../server/db/schema/challenges.ts";
import {
  challengeCompletions,
  ledgerEntries,
  notifications,
  referrals,
} from "../../../server/db/schema.ts";
import { memberChallenges } from "../../../server/domain/challengeProgress.ts";
import { completeChatStays, recordChatMember } from "../../../server/domain/chatMembership.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { challengesCampaign, GROUP_ID } from "../../support/challengesCampaign.ts";
import { DAY, HOUR, testClock } from "../../support/clock.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";
import { tmaFor } from "../../support/telegram.ts";

const REF = (n: string) => parseUnits(n, 18);
const user = (id: number) => ({ id, firstName: `U${id}` });

async function grantsOf(db: { db: import("../../../server/db/index.ts").Db }, memberId: number) {
  return db.db
    .select({
      key: ledgerEntries.idempotencyKey,
      state: ledgerEntries.state,
      amount: ledgerEntries.amount,
    })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.memberId, memberId), eq(ledgerEntries.kind, "challenge")))
    .orderBy(ledgerEntries.id);
}

async function budgetGranted(db: { db: import("../../../server/db/index.ts").Db }) {
  const [row] = await queryRows<{ granted: string }>(
    db.db,
    sql`select granted::text from campaign_tokens where symbol = 'REF'`,
  );
  return BigInt(row?.granted ?? "0");
}

test("leaving a 'stay 3 days' group within 3 days of completing it cancels the unsent reward; completed again it pays once more", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock("2026-03-01T12:00:00Z");
    const app = await startTestApp(t, db, { campaigns: [challengesCampaign()], clock });
    const bob = await app.member(401, "Bob");
    const campaign = app.ctx.campaigns.resolve(undefined, clock.now());
    const stayState = async () =>
      (await memberChallenges(app.ctx, bob.id, campaign)).find((c) => c.id === "group-stay")!;

    await recordChatMember(app.ctx, { chatId: GROUP_ID, user: user(401), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(app.ctx), 1);
    assert.equal((await stayState()).state, "done");
    assert.deepEqual(
      (await grantsOf(db, bob.id)).map((g) => [g.state, g.amount]),
      [["queued", REF("4")]],
    );
    const granted = await budgetGranted(db);

    // He leaves two days later (within 3 days of the completion): taken back.
    clock.advance(2 * DAY);
    const left = await recordChatMember(app.ctx, {
      chatId: GROUP_ID,
      user: user(401),
      inChat: false,
    });
    assert.deepEqual(
      left?.revoked.map((r) => [r.challengeId, r.result.outcome, r.result.amount]),
      [["group-stay", "cancelled", REF("4")]],
    );
    assert.deepEqual(
      (await grantsOf(db, bob.id)).map((g) => g.state),
      ["rejected"],
    );
    assert.equal(await budgetGranted(db), granted - REF("4"), "the amount is back in the budget");
    assert.equal((await stayState()).state, "open");
    const [notice] = await db.db
      .select({ data: notifications.data })
      .from(notifications)
      .where(and(eq(notifications.memberId, bob.id), eq(notifications.kind, "challenge_revoked")));
    assert.deepEqual(notice?.data, {
      campaignId: campaign.id,
      challengeId: "group-stay",
      reason: "left_chat",
      outcome: "cancelled",
      amount: "4",
      token: "REF",
    });
    // The same "left" update again: nothing more.
    const again = await recordChatMember(app.ctx, {
      chatId: GROUP_ID,
      user: user(401),
      inChat: false,
    });
    assert.deepEqual(again?.revoked, []);
    assert.equal((await db.db.select().from(challengeRevocations)).length, 1);

    // Back for three more days: completed again, and paid anew (once).
    clock.advance(HOUR);
    await recordChatMember(app.ctx, { chatId: GROUP_ID, user: user(401), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(app.ctx), 1);
    assert.equal(await completeChatStays(app.ctx), 0);
    const grants = await grantsOf(db, bob.id);
    assert.deepEqual(
      grants.map((g) => [g.state, g.key.endsWith(":r1")]),
      [
        ["rejected", false],
        ["queued", true],
      ],
    );
    assert.equal((await stayState()).state, "done");

    // Leaving after the 3 days that follow the completion takes nothing back.
    clock.advance(3 * DAY + HOUR);
    const late = await recordChatMember(app.ctx, {
      chatId: GROUP_ID,
      user: user(401),
      inChat: false,
    });
    assert.deepEqual(late?.revoked, []);
    assert.equal((await grantsOf(db, bob.id)).at(-1)?.state, "queued");
    await assertLedgerConsistent(db);
  });
});

test("an admin revokes a completed challenge over the API: role-checked, audited, the member told", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock("2026-03-01T12:00:00Z");
    const app = await startTestApp(t, db, { campaigns: [challengesCampaign()], clock });
    const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
    const [carol, analyst] = await app.members(501, 502);
    const slug = app.ctx.campaigns.resolve(undefined, clock.now()).slug;
    await app.call("PUT", `/api/admin/campaigns/${slug}/roles/${analyst!.id}/analyst`, {
      auth: admin,
    });
    const revoke = (auth: string, challengeId = "join") =>
      app.call("POST", `/api/admin/members/${carol!.id}/challenges/${challengeId}/revoke`, {
        auth,
        body: { note: "completed by mistake" },
      });

    // Not completed: refused, nothing written.
    const before = await rowCounts(db);
    const none = await revoke(admin);
    assert.equal(none.status, 409, none.text);
    assert.equal(none.body.code, "challenge_not_completed");
    assert.deepEqual(await rowCounts(db), before);

    const done = await app.call("POST", `/api/admin/members/${carol!.id}/challenges/join`, {
      auth: admin,
      body: {},
    });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.amount.tokens, "2");

    // An analyst may not (one access.denied row, nothing else).
    const counts = await rowCounts(db);
    const denied = await revoke(tmaFor(502, { authDate: clock.now() }));
    assert.equal(denied.status, 403, denied.text);
    assert.equal(denied.body.code, "forbidden");
    const afterDenied = await rowCounts(db);
    assert.equal(afterDenied.audit_log, counts.audit_log + 1);
    assert.deepEqual({ ...afterDenied, audit_log: 0 }, { ...counts, audit_log: 0 });

    const revoked = await revoke(admin);
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual([revoked.body.outcome, revoked.body.amount.tokens], ["cancelled", "2"]);
    const [audit] = await queryRows<{
      before: { completed: boolean; entryState: string };
      after: { completed: boolean; outcome: string };
      details: { note: string };
    }>(db.db, sql`select before, after, details from audit_log where action = 'challenge.revoked'`);
    assert.deepEqual(
      [
        audit?.before.completed,
        audit?.before.entryState,
        audit?.after.completed,
        audit?.after.outcome,
      ],
      [true, "queued", false, "cancelled"],
    );
    assert.equal(audit?.details.note, "completed by mistake");
    assert.equal(
      (
        await db.db
          .select()
          .from(challengeCompletions)
          .where(eq(challengeCompletions.memberId, carol!.id))
      ).length,
      0,
    );
    const notices = await db.db
      .select({ data: notifications.data })
      .from(notifications)
      .where(
        and(eq(notifications.memberId, carol!.id), eq(notifications.kind, "challenge_revoked")),
      );
    assert.equal(notices[0]?.data.reason, "admin");
    // Revoked twice: the second finds nothing to revoke.
    const twice = await revoke(admin);
    assert.equal(twice.body.code, "challenge_not_completed");
    await assertLedgerConsistent(db);
  });
});

test("a referral qualified by the challenge stays qualified when the completion is taken back; the referrer keeps the reward", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock("2026-03-01T12:00:00Z");
    const app = await startTestApp(t, db, {
      campaigns: [
        challengesCampaign({ qualification: { type: "challenge", challengeId: "group-stay" } }),
      ],
      clock,
    });
    const alice = await app.member(410, "Alice");
    const bob = await app.member(411, "Bob");
    const referralId = await app.refer(alice, bob);
    await recordChatMember(app.ctx, { chatId: GROUP_ID, user: user(411), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(app.ctx), 1);
    const statusOf = async () =>
      (await db.db.select().from(referrals).where(eq(referrals.id, referralId)))[0]?.status;
    assert.equal(await statusOf(), "qualified");
    const aliceGrants = async () =>
      (
        await db.db
          .select({ state: ledgerEntries.state, kind: ledgerEntries.kind })
          .from(ledgerEntries)
          .where(eq(ledgerEntries.memberId, alice.id))
      ).filter((g) => g.kind === "referral");
    const before = await aliceGrants();
    assert.ok(before.length > 0, "the qualification rewarded Alice");

    // Bob leaves within the 3 days: his own reward is cancelled, the referral is not undone.
    clock.advance(DAY);
    const left = await recordChatMember(app.ctx, {
      chatId: GROUP_ID,
      user: user(411),
      inChat: false,
    });
    assert.deepEqual(
      left?.revoked.map((r) => [r.challengeId, r.result.outcome]),
      [["group-stay", "cancelled"]],
    );
    assert.equal(await statusOf(), "qualified");
    assert.deepEqual(await aliceGrants(), before);
    await assertLedgerConsistent(db);
  });
});
