/**
 * Pilots (server/domain/pilots.ts) and the end's grace (campaignTransitions.ts), on PGlite and
 * PostgreSQL: the allowlist (ids and @usernames), the sticky percentage, invitees of pilot
 * members, `not_in_pilot` for everyone else (nothing written), the pilot budget cap holding
 * grants in review, `promote` opening the campaign; after `end`, referrals attributed before it
 * qualify and are paid within the grace, and nothing is granted after it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { asc, eq } from "drizzle-orm";
import { campaignPilotMembers } from "../../../server/db/schema/lifecycle.ts";
import { referrals } from "../../../server/db/schema.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { transitionCampaign } from "../../../server/domain/campaignTransitions.ts";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { runCampaignCommand } from "../../../server/domain/lifecycleCommands.ts";
import { ensureMember } from "../../../server/domain/members.ts";
import { inPilotPercent, promotePilot } from "../../../server/domain/pilots.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { testCampaign } from "../../support/campaign.ts";
import { HOUR } from "../../support/clock.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

test("pilot percentage: sticky per campaign and member, about the share asked for", () => {
  const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
  const inHalf = ids.filter((id) => inPilotPercent("spring", id, 50));
  assert.ok(inHalf.length > 900 && inHalf.length < 1100, `${inHalf.length} of 2000`);
  assert.deepEqual(
    ids.filter((id) => inPilotPercent("spring", id, 50)),
    inHalf,
    "the same members every time",
  );
  assert.notDeepEqual(
    ids.filter((id) => inPilotPercent("autumn", id, 50)),
    inHalf,
    "another campaign draws its own members",
  );
  assert.equal(ids.filter((id) => inPilotPercent("spring", id, 0)).length, 0);
  assert.equal(ids.filter((id) => inPilotPercent("spring", id, 100)).length, 2000);
  const tenth = ids.filter((id) => inPilotPercent("spring", id, 10));
  assert.ok(
    tenth.every((id) => inPilotPercent("spring", id, 50)),
    "a larger share keeps the smaller one's members",
  );
});

test("pilot: allowlist and invitees join, others are refused not_in_pilot; the cap holds grants; promote opens it", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({
          slug: "pilot",
          pilot: { allowlist: [1001, "@Pilot_User"], percent: 0, budgetCap: { REF: "15" } },
        }),
      ],
    });
    const campaign = d.ctx.campaigns.all()[0]!;
    const join = async (id: number, username?: string) =>
      (await ensureMember(d.ctx, { id, firstName: `U${id}`, username })).member;
    const alice = await join(1001);
    const bob = await join(1002);
    const carol = await join(1003, "pilot_user");
    const dan = await join(1004);
    const erin = await join(1005);
    const frank = await join(1006);
    const refer = (referrer: { code: string }, referee: { id: number }) =>
      attribute(d.ctx, { refereeId: referee.id, code: referrer.code, source: "start" });

    // Neither Dan nor Erin is in the pilot: refused, with a message that says why.
    const before = await rowCounts(db);
    await assert.rejects(refer(dan, erin), (e) => {
      assert.ok(isDomainError(e, "not_in_pilot"), String(e));
      assert.match(e.message, /pilot/);
      return true;
    });
    const after = await rowCounts(db);
    assert.equal(after.referrals, before.referrals);
    assert.equal(after.campaign_pilot_members, 0);

    await refer(alice, bob); // Alice is allowlisted: Bob joins as her invitee
    await refer(bob, dan); // Bob is a pilot member now: Dan joins as his invitee
    await refer(erin, carol); // Carol is allowlisted by username (any case)
    const pilotRows = await db.db
      .select({ member: campaignPilotMembers.memberId, reason: campaignPilotMembers.reason })
      .from(campaignPilotMembers)
      .where(eq(campaignPilotMembers.campaignId, campaign.id))
      .orderBy(asc(campaignPilotMembers.memberId));
    assert.deepEqual(pilotRows, [
      { member: alice.id, reason: "allowlist" },
      { member: bob.id, reason: "invitee" },
      { member: carol.id, reason: "allowlist" },
      { member: dan.id, reason: "invitee" },
    ]);

    // Budget cap 15 REF: Bob's qualification pays Alice 10; Dan's (10 + 2) would pass 15: review.
    const first = await qualify(d.ctx, bob.id, { type: "wallet_linked" });
    assert.equal(first.status, "qualified");
    const held = await qualify(d.ctx, dan.id, { type: "wallet_linked" });
    assert.equal(held.status, "review");
    assert.ok(held.status === "review" && held.reasons.includes("pilot_budget_cap"));

    // Promoted (owners, no redeploy): anyone joins.
    const promoted = await runCampaignCommand(d.ctx, systemAdmin(), campaign, "promote");
    assert.ok(promoted.pilot?.promotedAt);
    assert.equal(promoted.pilot?.members, 4);
    await refer(erin, frank);
    assert.equal((await db.db.select().from(referrals)).length, 4);
    await assert.rejects(promotePilot(d.ctx, systemAdmin(), campaign), (e) =>
      isDomainError(e, "campaign_transition_refused"),
    );
  });
});

test("pilot percentage admits the members the hash picks, and their invitees", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({ slug: "half", pilot: { allowlist: [], percent: 50, budgetCap: {} } }),
      ],
    });
    const members = await d.members(...Array.from({ length: 12 }, (_, i) => 2001 + i));
    const isIn = (m: { id: number }) => inPilotPercent("half", m.id, 50);
    const outsider = members.find((m) => !isIn(m))!;
    const insider = members.find((m) => isIn(m))!;
    const others = members.filter((m) => m !== outsider && m !== insider);
    const picked = others.find((m) => isIn(m))!;
    const notPicked = others.filter((m) => !isIn(m));
    // An outsider's invitee is admitted only when picked by the hash itself.
    await attribute(d.ctx, { refereeId: picked.id, code: outsider.code, source: "start" });
    await assert.rejects(
      attribute(d.ctx, { refereeId: notPicked[0]!.id, code: outsider.code, source: "start" }),
      (e) => isDomainError(e, "not_in_pilot"),
    );
    // A picked member's invitee is admitted whatever the hash says of them.
    await attribute(d.ctx, { refereeId: notPicked[1]!.id, code: insider.code, source: "start" });
  });
});

test("end: referrals attributed before it qualify and are paid within the grace; nothing is granted after it", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ end: { graceHours: 24, claimDays: 30 } })],
    });
    const campaign = d.ctx.campaigns.all()[0]!;
    const [alice, bob, carol, dan] = await d.members(1, 2, 3, 4);
    await d.refer(alice!, bob!);
    await d.refer(alice!, carol!);
    await transitionCampaign(d.ctx, systemAdmin(), campaign.id, "end");
    // Attribution stops at once.
    await assert.rejects(d.refer(alice!, dan!), (e) => isDomainError(e, "campaign_inactive"));
    d.clock.advance(23 * HOUR);
    const challengeWithin = await completeChallenge(d.ctx, {
      memberId: bob!.id,
      challengeId: "join",
      source: "test",
    });
    assert.ok(challengeWithin.amount > 0n, "a challenge within the grace is paid");
    const within = await qualify(d.ctx, bob!.id, { type: "wallet_linked" });
    assert.equal(within.status, "qualified");
    assert.ok(within.status === "qualified" && within.grants.length > 0, "paid within the grace");
    d.clock.advance(2 * HOUR);
    const late = await qualify(d.ctx, carol!.id, { type: "wallet_linked" });
    assert.equal(late.status, "qualified");
    assert.ok(late.status === "qualified" && late.grants.length === 0, "nothing after the grace");
    assert.deepEqual(late.status === "qualified" && late.entryIds, []);
    // Challenge rewards stop too; within the grace they were still paid.
    const after = await completeChallenge(d.ctx, {
      memberId: alice!.id,
      challengeId: "join",
      source: "test",
    });
    assert.equal(after.newlyCompleted, true);
    assert.equal(after.amount, 0n);
    assert.equal(after.entryId, null);
  });
});
