/**
 * Escrow released automatically (issue 12), end to end on a real Hardhat chain with PGlite and
 * PostgreSQL: a member earns while walletless (paid into the distributor), links a wallet, and
 * the worker releases the escrow to it with `RewardDistributor.release()`, sent by the payout
 * signer while roots come from a separate root publisher key. The member signs nothing. After
 * it: balances and the ledger agree, no epoch offers the member the same grants again, and a
 * Merkle claim of the released amount is refused on-chain. A crash right after the release was
 * signed, and a release sent twice, pay the member once.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, createWalletClient, type Hex, http, parseEventLogs, parseUnits } from "viem";
import { rewardDistributorAbi, rewardTokenAbi } from "../../server/chain/abi.ts";
import { workerJob } from "../../server/chain/jobs.ts";
import { queryRows } from "../../server/db/index.ts";
import { chainReleases } from "../../server/db/schema/chain.ts";
import { rewardPosition } from "../../server/domain/claims.ts";
import { claimArgs, RewardTree } from "../../verify/rewardFiles.ts";
import { withDatabases } from "../support/db.ts";
import {
  assertReconciled,
  deployedChain,
  entryStates,
  type Harness,
  harness,
  PUBLISHER,
  RELAYER,
  SIGNER,
  until,
} from "./support.ts";

// The root publisher and the relayer have keys of their own.
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { chain, campaign, fresh } = await deployedChain({ accounts });

function refAddresses(h: Harness) {
  const token = h.contracts.campaigns[0]!.tokens.get("REF")!;
  return { token: token.token, distributor: token.distributor! };
}

const balanceOf = (h: Harness, token: Address, account: Address) =>
  h.ctx.driver.client.readContract({
    address: token,
    abi: rewardTokenAbi,
    functionName: "balanceOf",
    args: [account],
  });

/** A fresh wallet address for a member (no key needed: the member signs nothing). */
const freshWallet = (n: number) =>
  `0x${(0xa11ce000000000n + BigInt(n)).toString(16).padStart(40, "0")}` as Address;

async function releaseRows(h: Harness) {
  return h.db.db.select().from(chainReleases).orderBy(chainReleases.memberId);
}

/** Earns `amounts` while walletless and waits until the grants sit in escrow on-chain. */
async function earnIntoEscrow(h: Harness, memberId: number, amounts: string[]) {
  const entries: number[] = [];
  for (const a of amounts) entries.push(await h.grant(memberId, a));
  await h.settle();
  const states = await entryStates(h.db);
  for (const id of entries)
    assert.equal(states.find((s) => s.id === id)?.state, "settled", `grant ${id} settled`);
  const [escrowed] = await queryRows<{ n: number }>(
    h.db.db,
    sql`select count(*)::int as n from chain_payouts where escrow and entry_id = any(${`{${entries.join(",")}}`}::bigint[])`,
  );
  assert.equal(Number(escrowed?.n), entries.length, "paid into the distributor (escrow)");
  return entries;
}

test("a walletless member's escrow is released to the wallet they link, gas-free, once; a Merkle claim of it is refused", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const { token, distributor } = refAddresses(h);
    const alice = await h.member(7001);
    const bob = await h.member(7002);
    await earnIntoEscrow(h, alice, ["3", "4.5"]);
    await earnIntoEscrow(h, bob, ["2"]);
    const escrowed = parseUnits("9.5", 18);
    assert.equal(await balanceOf(h, token, distributor), escrowed);

    // Nothing is released while nobody has a wallet.
    await h.worker.runOnce();
    assert.deepEqual(await releaseRows(h), []);

    const wallet = freshWallet(1);
    await h.link(alice, wallet);
    const gasBefore = await chain.client.getBalance({ address: wallet });
    await h.settle(async () => {
      const rows = await releaseRows(h);
      return rows.length > 0 && rows.every((r) => r.status === "released");
    });

    const [row, ...others] = await releaseRows(h);
    assert.equal(others.length, 0, "only Alice (Bob has no wallet) is released");
    assert.equal(row?.memberId, alice);
    assert.equal(row?.amount, parseUnits("7.5", 18));
    assert.equal(row?.wallet, wallet.toLowerCase());
    assert.equal(row?.status, "released");
    assert.ok(row?.txHash && row.blockNumber);

    // On-chain: the wallet holds the escrow, the distributor the rest, the bitmap records it.
    assert.equal(await balanceOf(h, token, wallet), parseUnits("7.5", 18));
    assert.equal(await balanceOf(h, token, distributor), parseUnits("2", 18));
    assert.equal(
      await h.ctx.driver.client.readContract({
        address: distributor,
        abi: rewardDistributorAbi,
        functionName: "isReleased",
        args: [BigInt(alice)],
      }),
      true,
    );
    // The member paid nothing and signed nothing: the payout signer sent the release.
    assert.equal(await chain.client.getBalance({ address: wallet }), gasBefore);
    const receipt = await chain.client.getTransactionReceipt({ hash: row!.txHash as Hex });
    assert.equal(receipt.from.toLowerCase(), SIGNER.address.toLowerCase());
    const released = parseEventLogs({
      abi: rewardDistributorAbi,
      logs: receipt.logs,
      eventName: "Released",
    });
    assert.deepEqual(
      released.map((l) => [l.args.account.toLowerCase(), l.args.member, l.args.amount]),
      [[wallet.toLowerCase(), BigInt(alice), parseUnits("7.5", 18)]],
    );
    // The indexed balances follow the release's Transfer.
    const [indexed] = await queryRows<{ balance: string }>(
      db.db,
      sql`select balance::text as balance from chain_balances where token = ${token.toLowerCase()} and account = ${wallet.toLowerCase()}`,
    );
    assert.equal(BigInt(indexed?.balance ?? "0"), parseUnits("7.5", 18));

    // The one claimable definition (bot, dashboard, API): Alice has nothing left in escrow or to
    // claim; Bob's escrow is still there.
    const campaignRow = h.domain.campaigns.all()[0]!;
    const alicePosition = await rewardPosition(db.db, campaignRow, alice, new Date());
    assert.deepEqual([...alicePosition.inEscrow], []);
    assert.deepEqual([...alicePosition.claimable], []);
    const bobPosition = await rewardPosition(db.db, campaignRow, bob, new Date());
    assert.deepEqual([...bobPosition.inEscrow], [["REF", parseUnits("2", 18)]]);

    // The ledger: the grants stay settled (paid on-chain once, into escrow), and reconcile.
    assert.ok((await entryStates(db)).every((e) => e.state === "settled"));
    await assertReconciled(h);

    // Epochs: nobody with a wallet has unreleased escrow, so no leaf offers Alice's grants again.
    const outcomes = await h.buildEpochs();
    assert.equal(outcomes[0]?.outcome, "empty", "no member has unreleased escrow with a wallet");

    // A root naming Alice's released escrow (as a leaf written before the release) is refused
    // at claim: the release stopped every earlier leaf.
    const deadline = Number((await chain.client.getBlock()).timestamp) + 86_400;
    const leaf = {
      member: BigInt(alice),
      account: wallet,
      cumulativeAmount: parseUnits("7.5", 18),
      deadline,
      released: false,
    };
    const tree = RewardTree.build([leaf]);
    const publisher = createWalletClient({
      account: PUBLISHER,
      chain: chain.client.chain,
      transport: http(chain.url),
    });
    const hash = await publisher.writeContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "publishRoot",
      args: [tree.root, 0n, BigInt(deadline)],
      chain: null,
    });
    assert.equal((await chain.client.waitForTransactionReceipt({ hash })).status, "success");
    const claim = tree.claimFor(alice)!;
    await assert.rejects(
      chain.client.simulateContract({
        address: distributor,
        abi: rewardDistributorAbi,
        functionName: "claim",
        args: claimArgs(claim),
        account: SIGNER.address,
      }),
      /RewardDistributorLeafReleased/,
    );
  });
});

test("a crash right after the release was signed, and a release sent twice, pay the member once", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const { token, distributor } = refAddresses(h);
    const carol = await h.member(7101);
    const dave = await h.member(7102);
    await earnIntoEscrow(h, carol, ["5"]);
    // Dave stays walletless: his escrow leaves room under `unpromised()` for the resend below.
    await earnIntoEscrow(h, dave, ["10"]);
    const wallet = freshWallet(2);
    await h.link(carol, wallet);

    // The worker "dies" right after signing: the signed transaction is stored, not broadcast.
    let crashed = false;
    const dying = workerJob(h.ctx, (name) => {
      if (name === "after-sign" && !crashed) {
        crashed = true;
        throw new Error("killed after signing");
      }
    });
    await until("the release signed", async () => {
      await dying.runOnce();
      return crashed;
    });
    await dying.stop();
    const [signed] = await releaseRows(h);
    assert.equal(signed?.status, "sent", "signed before the crash");
    assert.equal(await balanceOf(h, token, wallet), 0n, "not broadcast before the crash");

    // A new worker broadcasts the stored transaction (same nonce), never a second one.
    const restarted = await harness(db, campaign, { rpcUrl: chain.url, accounts });
    await restarted.settle(async () => (await releaseRows(h))[0]?.status === "released");
    assert.equal(await balanceOf(h, token, wallet), parseUnits("5", 18));
    const [sends] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from chain_sends where kind = 'release'`,
    );
    assert.equal(Number(sends?.n), 1, "one release transaction");

    // Lost state (the release planned again and resent): the contract skips the member.
    await db.db.execute(
      sql`update chain_releases set status = 'queued', send_id = null, next_attempt_at = now() - interval '1 hour'`,
    );
    await restarted.settle(async () => {
      const [n] = await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from chain_sends where kind = 'release' and status in ('confirmed', 'final')`,
      );
      return Number(n?.n) === 2;
    });
    assert.equal(await balanceOf(h, token, wallet), parseUnits("5", 18), "paid once");
    assert.equal(await balanceOf(h, token, distributor), parseUnits("10", 18), "Dave's stays");
    const logs = await chain.client.getContractEvents({
      address: distributor,
      abi: rewardDistributorAbi,
      eventName: "ReleaseSkipped",
      fromBlock: 0n,
    });
    assert.deepEqual(
      logs.map((l) => l.args.member),
      [BigInt(carol)],
    );
  });
});
