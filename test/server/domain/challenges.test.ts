/**
 * Challenges detected by the system: a channel join (stay days, leaving restarts the count, a
 * personal invite link attributes the friend), invite N qualified friends, link a wallet, the
 * daily check-in and its streak in UTC days (a missed day resets; the 7th day records the
 * achievement), a partner event (a replay pays nothing), each paying once through the ledger.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import { parseUnits } from "viem";
import { achievements } from "../../../server/db/schema/challenges.ts";
import { challengeCompletions, ledgerEntries, referrals } from "../../../server/db/schema.ts";
import { memberChallenges } from "../../../server/domain/challengeProgress.ts";
import {
  completeChatStays,
  recordChatMember,
  saveInviteLink,
} from "../../../server/domain/chatMembership.ts";
import { checkIn } from "../../../server/domain/checkins.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { handlePartnerEvent } from "../../../server/domain/partner.ts";
import { CHANNEL_ID, challengesCampaign, GROUP_ID } from "../../support/challengesCampaign.ts";
import { DAY, HOUR, testClock } from "../../support/clock.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";

const REF = (n: string) => parseUnits(n, 18);

async function challengeGrants(
  db: { db: import("../../../server/db/index.ts").Db },
  memberId: number,
) {
  return db.db
    .select({ key: ledgerEntries.idempotencyKey, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.memberId, memberId), eq(ledgerEntries.kind, "challenge")))
    .orderBy(ledgerEntries.id);
}

test("check-in: once per UTC day, the streak grows day by day, a missed day resets it", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock("2026-03-01T23:30:00Z");
    const d = await testDomain(db, { campaigns: [challengesCampaign()], clock });
    const m = await d.member(100);
    const first = await checkIn(d.ctx, { memberId: m.id });
    assert.deepEqual(
      [first.day, first.streak, first.already, first.amount],
      ["2026-03-01", 1, false, REF("1")],
    );
    // Again the same UTC day: nothing more.
    clock.advance(20 * 60_000);
    const again = await checkIn(d.ctx, { memberId: m.id });
    assert.deepEqual([again.streak, again.already, again.amount], [1, true, 0n]);
    // 00:10 UTC is the next day, whatever the member's time zone.
    clock.advance(20 * 60_000);
    const second = await checkIn(d.ctx, { memberId: m.id });
    assert.deepEqual([second.day, second.streak, second.amount], ["2026-03-02", 2, REF("1")]);
    // A day missed: back to 1.
    clock.advance(2 * DAY);
    const reset = await checkIn(d.ctx, { memberId: m.id });
    assert.deepEqual([reset.day, reset.streak], ["2026-03-04", 1]);
    let view = await memberChallenges(d.ctx, m.id, d.ctx.campaigns.resolve(undefined, clock.now()));
    const daily = view.find((c) => c.id === "daily")!;
    assert.deepEqual(
      [daily.state, daily.progress, daily.repeat],
      ["done", { current: 1, target: 1 }, "day"],
    );
    // Six more days in a row: the 7th completes the streak challenge and records the achievement.
    for (let i = 0; i < 6; i++) {
      clock.advance(DAY);
      const r = await checkIn(d.ctx, { memberId: m.id });
      assert.equal(r.streak, i + 2);
      assert.deepEqual(r.completed, i === 5 ? ["streak-7"] : []);
      assert.equal(r.achievement, i === 5);
    }
    const ach = await db.db.select().from(achievements).where(eq(achievements.memberId, m.id));
    assert.deepEqual(
      ach.map((a) => a.kind),
      ["streak-7"],
    );
    // The next morning, before checking in: the streak still stands, today's is open.
    clock.advance(DAY);
    view = await memberChallenges(d.ctx, m.id, d.ctx.campaigns.resolve(undefined, clock.now()));
    const next = view.find((c) => c.id === "daily")!;
    assert.deepEqual([next.state, next.progress?.current], ["in_progress", 7]);
    assert.equal(view.find((c) => c.id === "streak-7")!.state, "done");
    const grants = await challengeGrants(db, m.id);
    assert.equal(grants.length, 9 + 1, "one per check-in day and one for the streak");
    assert.equal(grants.filter((g) => g.key.endsWith(`:streak-7:${m.id}`)).length, 1);
    await assertLedgerConsistent(db);
  });
});

test("chat join: completes on join; a stay of N days; leaving before restarts; personal links attribute", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock("2026-03-01T12:00:00Z");
    const d = await testDomain(db, { campaigns: [challengesCampaign()], clock });
    const alice = await d.member(200, "Alice");
    const user = (id: number) => ({ id, firstName: `U${id}` });
    // A chat no challenge names: ignored.
    assert.equal(
      await recordChatMember(d.ctx, { chatId: -1, user: user(200), inChat: true }),
      undefined,
    );
    const joined = await recordChatMember(d.ctx, {
      chatId: CHANNEL_ID,
      user: user(200),
      inChat: true,
    });
    assert.deepEqual(
      joined?.completed.map((c) => c.amount),
      [REF("5")],
    );
    // The same update replayed, or a check that finds them in: nothing more.
    const replay = await recordChatMember(d.ctx, {
      chatId: CHANNEL_ID,
      user: user(200),
      inChat: true,
    });
    assert.deepEqual(replay?.completed, []);

    // Bob joins the group through Alice's personal link: he is her referral.
    const link = await saveInviteLink(d.ctx, {
      chatId: GROUP_ID,
      memberId: alice.id,
      link: "https://t.me/+alice",
    });
    assert.equal(link, "https://t.me/+alice");
    const bobJoin = await recordChatMember(d.ctx, {
      chatId: GROUP_ID,
      user: user(201),
      inChat: true,
      inviteLink: "https://t.me/+alice",
    });
    assert.equal(bobJoin?.attributedTo, alice.id);
    const [ref] = await db.db
      .select()
      .from(referrals)
      .where(eq(referrals.refereeId, bobJoin!.memberId));
    assert.equal(ref?.source, "chat_invite");
    assert.deepEqual(bobJoin?.completed, [], "the stay has only begun");
    const campaign = d.ctx.campaigns.resolve(undefined, clock.now());
    clock.advance(2 * DAY);
    let bobView = await memberChallenges(d.ctx, bobJoin!.memberId, campaign);
    let stay = bobView.find((c) => c.id === "group-stay")!;
    assert.deepEqual([stay.state, stay.progress], ["in_progress", { current: 2, target: 3 }]);
    // He leaves before the third day and comes back: the count starts again.
    await recordChatMember(d.ctx, { chatId: GROUP_ID, user: user(201), inChat: false });
    bobView = await memberChallenges(d.ctx, bobJoin!.memberId, campaign);
    assert.equal(bobView.find((c) => c.id === "group-stay")!.state, "open");
    clock.advance(HOUR);
    await recordChatMember(d.ctx, { chatId: GROUP_ID, user: user(201), inChat: true });
    clock.advance(2 * DAY);
    assert.equal(await completeChatStays(d.ctx), 0, "two days of the new stay");
    clock.advance(DAY);
    // The maintenance sweep completes it once the stay lasted three days.
    assert.equal(await completeChatStays(d.ctx), 1);
    assert.equal(await completeChatStays(d.ctx), 0);
    bobView = await memberChallenges(d.ctx, bobJoin!.memberId, campaign);
    stay = bobView.find((c) => c.id === "group-stay")!;
    assert.deepEqual([stay.state, stay.progress], ["done", { current: 3, target: 3 }]);
    assert.deepEqual(
      (await challengeGrants(db, bobJoin!.memberId)).map((g) => g.amount),
      [REF("4")],
    );
    await assertLedgerConsistent(db);
  });
});

test("invite N qualified friends and link a wallet: detected on the event, paid once", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [challengesCampaign()] });
    const [alice, bob, carol] = await d.members(300, 301, 302);
    await d.refer(alice!, bob!);
    await d.refer(alice!, carol!);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    // Bob links a wallet: his wallet challenge, and his referral qualifies (1 of 2 for Alice).
    await linkTestWallet(d.ctx, bob!.id, testAccount("bob"));
    let view = await memberChallenges(d.ctx, alice!.id, campaign);
    assert.deepEqual(
      [
        view.find((c) => c.id === "invite-2")!.state,
        view.find((c) => c.id === "invite-2")!.progress,
      ],
      ["in_progress", { current: 1, target: 2 }],
    );
    assert.equal(
      (await memberChallenges(d.ctx, bob!.id, campaign)).find((c) => c.id === "wallet")!.state,
      "done",
    );
    // Carol qualifies: Alice's invite challenge is completed by that event, not by her looking.
    await linkTestWallet(d.ctx, carol!.id, testAccount("carol"));
    const [done] = await db.db
      .select()
      .from(challengeCompletions)
      .where(
        and(
          eq(challengeCompletions.memberId, alice!.id),
          eq(challengeCompletions.challengeId, "invite-2"),
        ),
      );
    assert.equal(done?.source, "detected");
    view = await memberChallenges(d.ctx, alice!.id, campaign);
    assert.equal(view.find((c) => c.id === "invite-2")!.state, "done");
    const grants = await challengeGrants(db, alice!.id);
    assert.deepEqual(
      grants.map((g) => g.amount),
      [REF("20")],
    );
    await assertLedgerConsistent(db);
  });
});

test("partner event: completes its challenge once; a replayed webhook pays nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [challengesCampaign()] });
    const m = await d.member(400);
    const event = {
      partner: "shop",
      eventId: "evt-1",
      type: "purchase",
      payloadHash: "h1",
      subject: { telegramUserId: 400 },
    };
    await handlePartnerEvent(d.ctx, event);
    const replay = await handlePartnerEvent(d.ctx, event);
    assert.equal(replay.replayed, true);
    await handlePartnerEvent(d.ctx, { ...event, eventId: "evt-2", payloadHash: "h2" });
    assert.deepEqual(
      (await challengeGrants(db, m.id)).map((g) => g.amount),
      [REF("6")],
    );
    // Another event type completes nothing.
    const other = await d.member(401);
    await handlePartnerEvent(d.ctx, {
      ...event,
      eventId: "evt-3",
      type: "signup",
      subject: { telegramUserId: 401 },
    });
    assert.deepEqual(await challengeGrants(db, other.id), []);
  });
});

test("check-in refused: no check-in challenge, banned member", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(500);
    await assert.rejects(
      checkIn(d.ctx, { memberId: m.id }),
      (e) => isDomainError(e) && e.code === "checkin_unavailable",
    );
  });
});
