/**
 * The payout worker and the indexer on a real Hardhat chain, in this process, on PGlite and
 * PostgreSQL: batching, recipients (wallet or escrow), settlement with notifications, the
 * budget/cap/pause guard, gas funds, and replacement of a stuck transaction.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, decodeEventLog, formatUnits, getAddress, parseUnits } from "viem";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { queryRows } from "../../server/db/index.ts";
import { chainSends, chainSendTxs } from "../../server/db/schema/chain.ts";
import { notifications, payoutOutbox } from "../../server/db/schema.ts";
import { withDatabases } from "../support/db.ts";
import { assertLedgerConsistent } from "../support/ledger.ts";
import {
  ADMIN,
  assertPaidExactlyOnce,
  assertReconciled,
  deployedChain,
  entryStates,
  SIGNER,
  testSettings,
  until,
} from "./support.ts";

// Every scenario starts from the freshly deployed chain (`fresh`).
const { chain, campaign, fresh } = await deployedChain();

const wallet = (n: number) => getAddress(`0x${(0xa11ce000 + n).toString(16).padStart(40, "0")}`);

test("pays queued grants in batches, to wallets or into escrow, and settles them from chain events", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db, {
      settings: testSettings({ PAYOUT_BATCH_SIZE: "4" }),
    });
    const members = await Promise.all([1, 2, 3, 4, 5].map((i) => h.member(1000 + i)));
    // Members 1–3 have wallets; 4 and 5 do not (their grants go to the distributor).
    for (const [i, m] of members.slice(0, 3).entries()) await h.link(m, wallet(i));
    const referee = members[4]!;
    const entries: number[] = [];
    for (const m of members) entries.push(await h.grant(m, "10", { level: 1, refereeId: referee }));
    entries.push(await h.grant(members[0]!, "2.5"));
    entries.push(await h.grant(members[3]!, "1"));

    await h.settle();
    const states = await entryStates(db);
    assert.deepEqual(
      states.map((s) => s.state),
      entries.map(() => "settled"),
    );
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);

    // 7 payouts with batches of at most 4: two transactions, nonces 0 and 1 of the signer.
    const sends = await db.db.select().from(chainSends).orderBy(chainSends.id);
    assert.deepEqual(
      sends.map((s) => [s.kind, s.status, s.nonce, s.payoutCount]),
      [
        ["payout", "confirmed", 0, 4],
        ["payout", "confirmed", 1, 3],
      ],
    );
    const outbox = await db.db.select().from(payoutOutbox).orderBy(payoutOutbox.entryId);
    const escrow = getAddress(campaign.deployment.tokens.REF!.distributor);
    assert.deepEqual(
      outbox.map((o) => [o.status, o.recipient]),
      [
        ["settled", wallet(0)],
        ["settled", wallet(1)],
        ["settled", wallet(2)],
        ["settled", escrow],
        ["settled", escrow],
        ["settled", wallet(0)],
        ["settled", escrow],
      ],
    );

    // What went on-chain: recipient, payout id, referee, level and amount per payout.
    const receipt = await chain.client.getTransactionReceipt({ hash: sends[0]!.txHash as Address });
    const rewarded = receipt.logs
      .filter((l) => getAddress(l.address) === campaign.deployment.referralPayouts)
      .map((l) => decodeEventLog({ abi: referralPayoutsAbi, data: l.data, topics: l.topics }))
      .filter((e) => e.eventName === "ReferralRewarded");
    assert.deepEqual(
      rewarded.map((e) => e.args),
      [0, 1, 2, 3].map((i) => ({
        recipient: i < 3 ? wallet(i) : escrow,
        payoutId: BigInt(entries[i]!),
        referee: BigInt(referee),
        level: 1n,
        amount: parseUnits("10", 18),
      })),
    );

    // One reward_paid notification per entry, in the shape the bot renders.
    const sent = await db.db.select().from(notifications).orderBy(notifications.id);
    assert.equal(sent.length, entries.length);
    const byEntry = new Map(sent.map((n) => [Number(n.data.entryId), n]));
    const n6 = byEntry.get(entries[5]!)!;
    assert.equal(n6.kind, "reward_paid");
    assert.equal(n6.dedupeKey, `reward_paid:${entries[5]}`);
    assert.equal(n6.memberId, members[0]);
    // The entry's campaign, so the bot can name it when the member has several.
    const [entry6] = await queryRows<{ campaign_id: number | string }>(
      db.db,
      sql`select campaign_id from ledger_entries where id = ${entries[5]!}`,
    );
    assert.deepEqual(
      { ...n6.data, txHash: undefined },
      {
        campaignId: Number(entry6!.campaign_id),
        entryId: entries[5],
        token: "REF",
        amount: "2.5",
        escrow: false,
        txHash: undefined,
      },
    );
    assert.equal(byEntry.get(entries[6]!)!.data.escrow, true);
    assert.match(String(n6.data.txHash), /^0x[0-9a-f]{64}$/);

    await assertLedgerConsistent(db);
    await assertReconciled(h);
    // A second pass over everything changes nothing.
    await h.worker.runOnce();
    await h.indexer.runOnce();
    assert.equal((await db.db.select().from(notifications)).length, entries.length);
  });
});

test("holds a campaign whose on-chain budget, cap or pause would make the batch fail, and resumes", async (t) => {
  await withDatabases(t, async (db) => {
    // The worker's clock runs with real time, and the test moves it on past a hold's
    // re-check (PAYOUT_HOLD_RECHECK_SECONDS) instead of sleeping and hoping that was enough.
    let skewMs = 0;
    const h = await fresh(db, { now: () => new Date(Date.now() + skewMs) });
    const m = await h.member(2001);
    const token = campaign.deployment.tokens.REF!.token;
    const payouts = campaign.deployment.referralPayouts;
    // The admin lowers the on-chain budget below what the ledger grants.
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "setBudget",
      args: [token, parseUnits("15", 18), parseUnits("15", 18), parseUnits("15", 18), false],
      chain: null,
      account: ADMIN,
    });
    const first = await h.grant(m, "10");
    const second = await h.grant(m, "10");
    await h.settle(
      async () => (await entryStates(db)).find((e) => e.id === first)?.state === "settled",
    );
    // The second payout would exceed the budget: nothing is sent, an alert is raised.
    await h.worker.runOnce();
    const health = h.worker.health();
    assert.equal(health.status, "degraded");
    assert.match(
      health.alerts.join("\n"),
      /held \(budget\): on-chain budget left 5 REF, next payout needs 10 REF/,
    );
    assert.match(
      await h.registry.metrics(),
      /refmint_payouts_held\{campaign="[^"]+",token="REF",reason="budget"\} 1/,
    );
    const nonce = await chain.client.getTransactionCount({ address: SIGNER.address });
    assert.equal(nonce, 1, "no failing transaction was sent");
    assert.equal((await entryStates(db)).find((e) => e.id === second)?.state, "queued");

    // Paused: also held.
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "setBudget",
      args: [token, parseUnits("1000", 18), parseUnits("1000", 18), parseUnits("1000", 18), false],
      chain: null,
      account: ADMIN,
    });
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "pause",
      chain: null,
      account: ADMIN,
    });
    skewMs += 1000; // the hold is re-checked after PAYOUT_HOLD_RECHECK_SECONDS (1 s)
    await h.worker.runOnce();
    assert.match(h.worker.health().alerts.join("\n"), /held \(paused\)/);
    assert.equal(await chain.client.getTransactionCount({ address: SIGNER.address }), 1);

    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "unpause",
      chain: null,
      account: ADMIN,
    });
    skewMs += 1000;
    await h.settle();
    assert.equal(h.worker.health().status, "ok");
    assert.deepEqual(h.worker.health().alerts, []);
    await assertPaidExactlyOnce(chain, payouts, [first, second]);
    await assertLedgerConsistent(db);
    await assertReconciled(h);
  });
});

test("holds a campaign whose rolling daily limit is used up, and pays the rest once it refills", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const m = await h.member(2501);
    const token = campaign.deployment.tokens.REF!.token;
    const payouts = campaign.deployment.referralPayouts;
    // At most 15 REF at once, refilled at 15 per day.
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "setBudget",
      args: [token, parseUnits("1000", 18), parseUnits("15", 18), parseUnits("15", 18), false],
      chain: null,
      account: ADMIN,
    });
    const first = await h.grant(m, "10");
    await h.settle(
      async () => (await entryStates(db)).find((e) => e.id === first)?.state === "settled",
    );
    const second = await h.grant(m, "10");
    await h.worker.runOnce();
    assert.match(
      h.worker.health().alerts.join("\n"),
      /held \(daily-limit\): rolling daily limit leaves 5(\.\d+)? REF now, next payout needs 10 REF/,
    );
    const nonce = await chain.client.getTransactionCount({ address: SIGNER.address });
    assert.equal(nonce, 1, "no failing transaction was sent");
    assert.equal((await entryStates(db)).find((e) => e.id === second)?.state, "queued");
    // Half a day later the limit has refilled enough.
    await chain.rpc("evm_increaseTime", [43_200]);
    await chain.mine();
    await new Promise((r) => setTimeout(r, 1100)); // the hold is re-checked after PAYOUT_HOLD_RECHECK_SECONDS
    await h.settle();
    await assertPaidExactlyOnce(chain, payouts, [first, second]);
    await assertReconciled(h);
  });
});

test("waits without sending while the signer has no gas funds, and pays once it is funded", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const m = await h.member(3001);
    const entry = await h.grant(m, "3");
    await chain.setBalance(SIGNER.address, 0n);
    await h.worker.runOnce();
    await h.worker.runOnce();
    const health = h.worker.health();
    assert.equal(health.status, "degraded");
    assert.match(health.alerts.join("\n"), /short of gas funds: balance 0 wei/);
    assert.equal(await chain.client.getTransactionCount({ address: SIGNER.address }), 0);
    assert.equal((await entryStates(db))[0]?.state, "queued");

    await chain.setBalance(SIGNER.address, parseUnits("10", 18));
    await h.settle();
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, [entry]);
    await assertReconciled(h);
  });
});

test("replaces a transaction that is not mined in time: same nonce and payload, higher fees", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db, {
      settings: testSettings({ PAYOUT_REPLACE_AFTER_SECONDS: "1" }),
    });
    const m = await h.member(4001);
    const entries = [await h.grant(m, "1"), await h.grant(m, "2")];
    await chain.automine(false);
    await h.worker.runOnce();
    const [send] = await db.db.select().from(chainSends);
    assert.equal(send?.status, "sent");
    // Stuck: nothing mines it. After PAYOUT_REPLACE_AFTER_SECONDS the worker re-signs it.
    await until("a replacement", async () => {
      await h.worker.runOnce();
      return (await db.db.select().from(chainSendTxs)).length >= 2;
    });
    const attempts = await db.db.select().from(chainSendTxs).orderBy(chainSendTxs.createdAt);
    assert.equal(attempts[0]!.nonce, attempts[1]!.nonce);
    assert.ok(attempts[1]!.maxFeePerGas >= (attempts[0]!.maxFeePerGas * 120n) / 100n);
    assert.ok(
      attempts[1]!.maxPriorityFeePerGas >= (attempts[0]!.maxPriorityFeePerGas * 120n) / 100n,
    );
    await chain.mine();
    await chain.automine(true);
    await h.settle();
    const [done] = await db.db.select().from(chainSends);
    assert.equal(done?.txHash, attempts.at(-1)!.hash, "the replacement was mined");
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
    await assertReconciled(h);
  });
});

void formatUnits;
void sql;
void queryRows;
