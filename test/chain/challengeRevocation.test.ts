/**
 * A completed challenge whose reward is already on-chain, on a real Hardhat chain with PGlite
 * and PostgreSQL (server/domain/challengeRevocation.ts):
 *
 * - the member leaves the group within the 3 days that follow the completion of "stay 3 days":
 *   the paid reward cannot be pulled back, so it is recorded as a clawback debt (the ledger
 *   entry stays settled and reconciles with the chain), the member is told; completed again,
 *   the challenge pays nothing more and the debt is settled: paid exactly once;
 * - a reorg takes the reward's payout away: the challenge goes back from "paid" to "done", the
 *   pipeline pays the same payout id again on the new chain, exactly once.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq, like } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { challengeRevocations } from "../../server/db/schema/challenges.ts";
import { ledgerEntries, notifications } from "../../server/db/schema.ts";
import { memberChallenges } from "../../server/domain/challengeProgress.ts";
import { completeChatStays, recordChatMember } from "../../server/domain/chatMembership.ts";
import { challengesCampaign, GROUP_ID } from "../support/challengesCampaign.ts";
import { DAY, testClock } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { assertPaidExactlyOnce, assertReconciled, deployedChain, type Harness } from "./support.ts";

const { chain, campaign, fresh } = await deployedChain({
  campaign: { challenges: challengesCampaign().challenges },
});
const user = (id: number) => ({ id, firstName: `U${id}` });

async function stay(h: Harness, memberId: number) {
  const c = h.domain.campaigns.requireById(h.campaignId);
  return (await memberChallenges(h.domain, memberId, c)).find((x) => x.id === "group-stay")!;
}

/** The member's grants for "stay 3 days" (looking at the challenges also pays "link a wallet"). */
async function grants(h: Harness, memberId: number) {
  return h.db.db
    .select({ id: ledgerEntries.id, state: ledgerEntries.state })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.memberId, memberId),
        like(ledgerEntries.idempotencyKey, `challenge:${h.campaignId}:group-stay:%`),
      ),
    )
    .orderBy(ledgerEntries.id);
}

/** Every payout id of the member (each must be paid exactly once on-chain). */
async function payoutIds(h: Harness, memberId: number) {
  const rows = await h.db.db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.memberId, memberId));
  return rows.map((r) => r.id);
}

test("leaving after the reward was paid records a clawback debt; completed again it pays nothing more", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock(new Date());
    const h = await fresh(db, { now: () => clock.now() });
    const memberId = await h.member(6101);
    await h.link(memberId, privateKeyToAccount(generatePrivateKey()).address);
    await recordChatMember(h.domain, { chatId: GROUP_ID, user: user(6101), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(h.domain), 1);
    await h.settle();
    const [paid] = await grants(h, memberId);
    assert.equal(paid?.state, "settled");
    assert.equal((await stay(h, memberId)).state, "paid");

    // A day later he leaves: within the 3 days that follow the completion.
    clock.advance(DAY);
    const left = await recordChatMember(h.domain, {
      chatId: GROUP_ID,
      user: user(6101),
      inChat: false,
    });
    assert.deepEqual(
      left?.revoked.map((r) => [r.result.outcome, r.result.entryId]),
      [["clawback", paid!.id]],
    );
    assert.deepEqual(
      (await grants(h, memberId)).map((g) => g.state),
      ["settled"],
      "the on-chain payout stays as it is",
    );
    const [debt] = await db.db.select().from(challengeRevocations);
    assert.deepEqual(
      [debt?.outcome, debt?.debt, debt?.amount, debt?.token],
      ["clawback", "open", 4n * 10n ** 18n, "REF"],
    );
    const [notice] = await db.db
      .select({ data: notifications.data })
      .from(notifications)
      .where(
        and(eq(notifications.memberId, memberId), eq(notifications.kind, "challenge_revoked")),
      );
    assert.equal(notice?.data.outcome, "clawback");
    assert.equal((await stay(h, memberId)).state, "open");
    await assertReconciled(h);

    // Back for three days: completed again, no second reward, the debt settled.
    await recordChatMember(h.domain, { chatId: GROUP_ID, user: user(6101), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(h.domain), 1);
    await h.settle();
    assert.deepEqual(
      (await grants(h, memberId)).map((g) => g.id),
      [paid!.id],
    );
    const [closed] = await db.db.select().from(challengeRevocations);
    assert.equal(closed?.debt, "settled");
    assert.equal((await stay(h, memberId)).state, "paid");
    assert.ok((await payoutIds(h, memberId)).includes(paid!.id));
    await assertPaidExactlyOnce(
      chain,
      campaign.deployment.referralPayouts,
      await payoutIds(h, memberId),
    );
    await assertReconciled(h);
  });
});

test("a reorg that removes a challenge's payout: back to done, paid again exactly once", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock(new Date());
    const h = await fresh(db, { now: () => clock.now() });
    const memberId = await h.member(6201);
    await h.link(memberId, privateKeyToAccount(generatePrivateKey()).address);
    await recordChatMember(h.domain, { chatId: GROUP_ID, user: user(6201), inChat: true });
    clock.advance(3 * DAY);
    assert.equal(await completeChatStays(h.domain), 1);
    await h.indexer.runOnce();
    const beforePay = await chain.snapshot();
    await h.settle();
    const [entry] = await grants(h, memberId);
    assert.equal((await stay(h, memberId)).state, "paid");

    await chain.revert(beforePay);
    await chain.mine(3);
    await h.indexer.runOnce();
    assert.equal((await grants(h, memberId))[0]?.state, "sent", "unsettled by the rewind");
    assert.equal((await stay(h, memberId)).state, "done");

    await h.settle();
    assert.equal((await stay(h, memberId)).state, "paid");
    assert.ok((await payoutIds(h, memberId)).includes(entry!.id));
    await assertPaidExactlyOnce(
      chain,
      campaign.deployment.referralPayouts,
      await payoutIds(h, memberId),
    );
    await assertReconciled(h);
  });
});
