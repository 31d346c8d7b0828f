/**
 * Chain faults, in this process on PGlite and PostgreSQL against a real Hardhat chain: RPC
 * errors and rate limits (a fault-injecting proxy), a dropped transaction, a nonce taken by
 * someone else, a batch that reverts once mined, and a reorg after settlement. After each,
 * every payout id is paid exactly once and the ledger reconciles with the chain.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { type Hex, parseGwei, parseUnits } from "viem";
import { referralPayoutsAbi, rewardTokenAbi } from "../../server/chain/abi.ts";
import { requeueFailed } from "../../server/chain/retry.ts";
import { queryRows } from "../../server/db/index.ts";
import { chainSends, chainSendTxs, chainStatus } from "../../server/db/schema/chain.ts";
import { payoutOutbox } from "../../server/db/schema.ts";
import { withDatabases } from "../support/db.ts";
import { assertLedgerConsistent } from "../support/ledger.ts";
import {
  ADMIN,
  assertPaidExactlyOnce,
  assertReconciled,
  deployedChain,
  entryStates,
  harness,
  SIGNER,
  startFaultyRpc,
  until,
} from "./support.ts";

const { chain, campaign, reset, fresh } = await deployedChain();

test("RPC errors and rate limits: the jobs keep running, report the failure, and recover", async (t) => {
  await withDatabases(t, async (db) => {
    await reset();
    const proxy = await startFaultyRpc(chain.url);
    try {
      const h = await harness(db, campaign, { rpcUrl: proxy.url });
      const m = await h.member(5001);
      const entries = [await h.grant(m, "1"), await h.grant(m, "2"), await h.grant(m, "3")];

      // Plain HTTP failures, then HTTP 429, then JSON-RPC "limit exceeded".
      for (const [mode, pattern] of [
        ["http-500", /HTTP request failed\. \(HTTP 500\)/],
        ["http-429", /\(HTTP 429\) \[rate limited\]/],
        ["rpc-rate-limit", /limit.*\[rate limited\]/],
      ] as const) {
        proxy.inject(mode, 1_000);
        assert.equal(await h.worker.runOnce(), false);
        const health = h.worker.health();
        assert.equal(health.status, "degraded");
        assert.match(health.lastError ?? "", pattern);
      }
      assert.ok(h.worker.health().consecutiveFailures >= 3);
      // Health is published for other processes (GET /api/chain/health reads it).
      const [row] = await db.db.select().from(chainStatus).where(eq(chainStatus.job, "worker"));
      assert.equal((row?.health as { status?: string } | undefined)?.status, "degraded");

      // The node accepts the batch but the answer is lost (and that of the transport's retry):
      // the worker cannot know it was sent.
      proxy.inject("lose-response", 2, ["eth_sendRawTransaction"]);
      assert.equal(await h.worker.runOnce(), false, "the pass failed on the lost response");
      const [send] = await db.db.select().from(chainSends);
      assert.equal(send?.status, "signed", "stored before broadcasting, so a retry resends it");

      // The indexer fails on reset connections, then catches up.
      proxy.inject("reset", 4, ["eth_getLogs"]);
      const before = proxy.injected();
      await h.indexer.runOnce();
      assert.ok(proxy.injected() > before, "the indexer's log queries failed");
      assert.equal(h.indexer.health().status, "degraded");
      await h.settle();
      assert.equal(h.worker.health().status, "ok");
      assert.equal(h.worker.health().consecutiveFailures, 0);
      assert.equal(h.indexer.health().status, "ok");
      assert.ok(proxy.injected() > 5);
      await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
      assert.equal((await db.db.select().from(chainSends)).length, 1, "one transaction in all");
      await assertLedgerConsistent(db);
      await assertReconciled(h);
    } finally {
      await proxy.close();
    }
  });
});

test("a dropped transaction is broadcast again (same signed transaction, same nonce)", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const m = await h.member(6001);
    const entries = [await h.grant(m, "4"), await h.grant(m, "5")];
    await chain.automine(false);
    await h.worker.runOnce();
    const [attempt] = await db.db.select().from(chainSendTxs);
    assert.ok(attempt?.broadcastAt);
    assert.equal(await chain.rpc("hardhat_dropTransaction", [attempt.hash]), true);
    await h.worker.runOnce();
    const [send] = await db.db.select().from(chainSends);
    assert.equal(send?.broadcasts, 2, "broadcast again after the drop");
    assert.equal(
      (await db.db.select().from(chainSendTxs)).length,
      1,
      "the same signed transaction",
    );
    await chain.mine();
    await chain.automine(true);
    await h.settle();
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
    await assertReconciled(h);
  });
});

test("a nonce used by another transaction: the payouts go out again with the same payout ids", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const m = await h.member(7001);
    const entries = [await h.grant(m, "1"), await h.grant(m, "1")];
    await chain.automine(false);
    await h.worker.runOnce();
    const [first] = await db.db.select().from(chainSends);
    assert.equal(first?.nonce, 0);
    // Someone else uses the signer's key: a transfer on nonce 0 with higher fees replaces ours.
    const other = await SIGNER.signTransaction({
      chainId: 31337,
      type: "eip1559",
      to: ADMIN.address,
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: parseGwei("50"),
      maxPriorityFeePerGas: parseGwei("20"),
    });
    await chain.rpc("eth_sendRawTransaction", [other]);
    await chain.mine();
    await chain.automine(true);
    await h.settle();
    const sends = await db.db.select().from(chainSends).orderBy(chainSends.id);
    assert.deepEqual(
      sends.map((s) => [s.status, s.nonce]),
      [
        ["replaced", 0],
        ["confirmed", 1],
      ],
    );
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
    await assertLedgerConsistent(db);
    await assertReconciled(h);
  });
});

test("a batch that reverts once mined fails with the decoded error; requeued, it pays once", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const m = await h.member(8001);
    const entries = [await h.grant(m, "6"), await h.grant(m, "7")];
    const payouts = campaign.deployment.referralPayouts;
    await chain.automine(false);
    await h.worker.runOnce(); // simulated fine, signed and broadcast
    // The admin pauses payouts in the same block, ahead of the batch (higher tip).
    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "pause",
      chain: null,
      account: ADMIN,
      maxPriorityFeePerGas: parseGwei("30"),
      maxFeePerGas: parseGwei("100"),
    });
    await chain.mine();
    await chain.automine(true);
    await until("the revert recorded", async () => {
      await h.worker.runOnce();
      const [s] = await db.db.select().from(chainSends);
      return s?.status === "reverted" ? s : undefined;
    });
    const [send] = await db.db.select().from(chainSends);
    assert.equal(send?.error, "EnforcedPause()");
    assert.deepEqual(
      (await entryStates(db)).map((e) => e.state),
      ["failed", "failed"],
    );
    const outbox = await db.db.select().from(payoutOutbox);
    assert.deepEqual(
      outbox.map((o) => [o.status, o.lastError]),
      [
        ["failed", "EnforcedPause()"],
        ["failed", "EnforcedPause()"],
      ],
    );
    await assertReconciled(h);

    await chain.admin.writeContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "unpause",
      chain: null,
      account: ADMIN,
    });
    assert.deepEqual(await requeueFailed(db.db, {}, new Date()), entries);
    await h.settle();
    await assertPaidExactlyOnce(chain, payouts, entries);
    await assertLedgerConsistent(db);
    await assertReconciled(h);
  });
});

test("a reorg after settlement: the indexer rewinds, the same transaction is mined again, paid once", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const wallet = "0x00000000000000000000000000000000000b0b00" as Hex;
    const m = await h.member(9001);
    await h.link(m, wallet);
    const entries = [await h.grant(m, "8"), await h.grant(m, "9")];
    await h.indexer.runOnce();
    const beforePayout = await chain.snapshot();
    await h.settle();
    const [mined] = await db.db.select().from(chainSends);
    assert.equal(mined?.status, "confirmed");
    const [balance] = await queryRows<{ balance: string }>(
      db.db,
      sql`select balance::text from chain_balances`,
    );
    assert.equal(balance?.balance, parseUnits("17", 18).toString());

    // The block with the batch disappears; the new chain grows past it.
    await chain.revert(beforePayout);
    await chain.mine(2);
    await h.indexer.runOnce();
    assert.deepEqual(
      (await entryStates(db)).map((e) => e.state),
      ["sent", "sent"],
      "un-settled by the rewind",
    );
    const [gone] = await queryRows<{ balance: string }>(
      db.db,
      sql`select balance::text from chain_balances`,
    );
    assert.equal(gone?.balance, "0", "the transfers' balance deltas were reversed");
    assert.match(await h.registry.metrics(), /refmint_chain_reorgs_total\{job="indexer"\} 1/);

    await h.settle();
    const [again] = await db.db.select().from(chainSends);
    assert.equal(again?.status, "confirmed");
    assert.equal(again?.txHash, mined?.txHash, "the same signed transaction");
    assert.notEqual(again?.blockHash, mined?.blockHash);
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, entries);
    const onChain = await chain.client.readContract({
      address: campaign.deployment.tokens.REF!.token,
      abi: rewardTokenAbi,
      functionName: "balanceOf",
      args: [wallet],
    });
    const [indexed] = await queryRows<{ balance: string }>(
      db.db,
      sql`select balance::text from chain_balances`,
    );
    assert.equal(indexed?.balance, onChain.toString());
    await assertLedgerConsistent(db);
    await assertReconciled(h);
  });
});
