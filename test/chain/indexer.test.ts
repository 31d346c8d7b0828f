/**
 * The indexer on PGlite and PostgreSQL against a real chain: everything our contracts log
 * (payouts, transfers, an epoch and a claim, a perk redemption, badge mints) ends up in the
 * database; re-reading any range changes nothing, whatever the range size; balances match the
 * chain; a reorg revokes a coupon and re-indexing the same redemption restores the same code.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  parseUnits,
  toHex,
} from "viem";
import {
  badgesAbi,
  perkShopAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "../../server/chain/abi.ts";
import { memberProofs } from "../../server/chain/epochs.ts";
import { evmPublicClient } from "../../server/chain/evm/client.ts";
import { Indexer } from "../../server/chain/evm/indexer.ts";
import { type DatabaseHandle, queryRows } from "../../server/db/index.ts";
import { withDatabases } from "../support/db.ts";
import { testAccount } from "../support/siwe.ts";
import {
  ADMIN,
  assertReconciled,
  deployedChain,
  type Harness,
  SIGNER,
  startFaultyRpc,
  type TestChain,
  testSettings,
} from "./support.ts";

const { chain, campaign, fresh } = await deployedChain({
  campaign: {
    perks: [
      {
        id: "sticker",
        title: { en: "Sticker", ru: "Стикер" },
        token: "REF",
        price: "5",
        stock: null,
      },
    ],
    badges: [{ id: 1, name: { en: "First", ru: "Первый" }, transferable: false }],
  },
});

const walletOf = testAccount("indexer-member");
const other = getAddress("0x00000000000000000000000000000000000d00d0");

/** Everything the indexer writes, in a canonical order, without wall-clock timestamps. */
async function dump(db: DatabaseHandle): Promise<Record<string, Array<Record<string, unknown>>>> {
  const q = (query: ReturnType<typeof sql>) => queryRows<Record<string, unknown>>(db.db, query);
  return {
    cursor: await q(sql`select name, block_number::text, block_hash from chain_cursors`),
    payouts: await q(
      sql`select campaign_id, payout_id::text, token, amount::text, escrow, entry_id::text, tx_hash, block_number::text from chain_payouts order by payout_id`,
    ),
    // Blocks with balance changes (which other blocks keep a hash depends on the range sizes).
    blocks: await q(
      sql`select number::text, hash, balance_tokens, balance_accounts, balance_deltas::text[] from chain_blocks
          where balance_deltas is not null order by number`,
    ),
    balances: await q(
      sql`select token, account, balance::text from chain_balances order by token, account`,
    ),
    claims: await q(sql`select * from chain_claims order by block_number, log_index`),
    distributor: await q(
      sql`select * from chain_distributor_events order by block_number, log_index`,
    ),
    redemptions: await q(sql`select * from chain_redemptions order by block_number, log_index`),
    coupons: await q(
      sql`select shop, order_ref, member_id::text, account, perk_id, perk, quantity, code, status, tx_hash from chain_coupons order by id`,
    ),
    badges: await q(
      sql`select * from chain_badge_events order by block_number, log_index, position`,
    ),
    ledger: await q(
      sql`select id::text, state, tx_hash, block_number::text from ledger_entries order by id`,
    ),
    outbox: await q(
      sql`select entry_id::text, status, tx_hash from payout_outbox order by entry_id`,
    ),
    notifications: await q(sql`select dedupe_key, data from notifications order by dedupe_key`),
    epochs: await q(sql`select id, status, epoch, root from chain_epochs order by id`),
  };
}

async function write(h: Harness, request: Parameters<TestChain["admin"]["writeContract"]>[0]) {
  const hash = await chain.admin.writeContract(request);
  const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  assert.equal(receipt.status, "success");
  void h;
  return hash;
}

/** Pays rewards, publishes an epoch, claims, redeems a perk, mints a badge, transfers. */
async function activity(h: Harness): Promise<{ member: number; orderRef: Hex }> {
  const deployment = campaign.deployment;
  const token = getAddress(deployment.tokens.REF!.token);
  const member = await h.member(31);
  const escrowed = await h.member(32);
  await h.link(member, walletOf.address);
  await h.grant(member, "20");
  await h.grant(escrowed, "4");
  await h.settle();
  await h.link(escrowed, getAddress("0x00000000000000000000000000000000000e5c00"));
  await h.buildEpochs();
  await h.settle(async () => {
    const [row] = await queryRows<{ n: number }>(
      h.db.db,
      sql`select count(*)::int as n from chain_epochs where status = 'published'`,
    );
    return Number(row?.n) === 1;
  });
  const [item] = await memberProofs(h.db.db, h.contracts, h.ctx.driver, escrowed, new Date());
  assert.ok(item, "the escrowed member can claim");
  await write(h, {
    address: item.distributor,
    abi: rewardDistributorAbi,
    functionName: "claim",
    args: [item.account, BigInt(item.cumulativeAmount), BigInt(item.terms), item.proof],
    chain: null,
    account: ADMIN,
  });
  // The member redeems a perk from their own wallet (approve, then redeem).
  await chain.setBalance(walletOf.address, parseUnits("1", 18));
  const memberWallet = { ...chain.admin, account: walletOf };
  const orderRef = keccak256(toHex(`order-${Date.now()}`));
  for (const request of [
    {
      address: token,
      abi: rewardTokenAbi,
      functionName: "approve",
      args: [getAddress(deployment.perkShop), parseUnits("5", 18)],
    },
    {
      address: getAddress(deployment.perkShop),
      abi: perkShopAbi,
      functionName: "redeem",
      args: [1n, 1, parseUnits("5", 18), orderRef],
    },
    {
      address: token,
      abi: rewardTokenAbi,
      functionName: "transfer",
      args: [other, parseUnits("3", 18)],
    },
  ] as const) {
    const hash = await memberWallet.writeContract({
      ...request,
      chain: null,
      account: walletOf,
    } as never);
    await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  }
  // The backend mints a badge (twice: the second mint of the same holder is skipped on-chain).
  for (let i = 0; i < 2; i++)
    await write(h, {
      address: getAddress(deployment.badges),
      abi: badgesAbi,
      functionName: "mintBatch",
      args: [1n, [walletOf.address, other]],
      chain: null,
      account: SIGNER,
    });
  await h.indexer.runOnce();
  // The coupon is keyed by the on-chain order id: the member's wallet and reference.
  return {
    member,
    orderRef: keccak256(
      encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [walletOf.address, orderRef]),
    ),
  };
}

test("indexes every event of our contracts; re-reading, in any range size, changes nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const { member, orderRef } = await activity(h);
    const first = await dump(db);
    assert.equal(first.redemptions.length, 1);
    assert.deepEqual(
      first.coupons.map((c) => [c.member_id, c.perk, c.status, c.order_ref]),
      [[String(member), "sticker", "issued", orderRef]],
    );
    assert.match(String(first.coupons[0]!.code), /^RM-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.equal(first.badges.length, 2, "two mints, the repeated ones skipped on-chain");
    assert.equal(first.claims.length, 1);
    assert.equal(first.distributor.length, 1);
    // Balances as indexed equal the chain's, for every account that ever held the token.
    const token = getAddress(campaign.deployment.tokens.REF!.token);
    for (const b of first.balances as Array<{ account: string; balance: string }>) {
      const onChain = await chain.client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [b.account as Address],
      });
      assert.equal(b.balance, onChain.toString(), `balance of ${b.account}`);
    }
    await assertReconciled(h);
    // The blocks kept for the finality window hold exactly their transfers' net balance
    // changes (what a rewind takes back).
    const kept = first.blocks as Array<{
      number: string;
      balance_tokens: string[] | null;
      balance_accounts: string[] | null;
      balance_deltas: string[] | null;
    }>;
    assert.ok(kept.length > 0, "some blocks with transfers are inside the finality window");
    for (const b of kept) {
      const logs = await chain.client.getContractEvents({
        address: token,
        abi: rewardTokenAbi,
        eventName: "Transfer",
        fromBlock: BigInt(b.number),
        toBlock: BigInt(b.number),
      });
      const expected = new Map<string, bigint>();
      const add = (account: string, v: bigint) => {
        if (BigInt(account) === 0n) return;
        const key = `${token.toLowerCase()}:${account.toLowerCase()}`;
        expected.set(key, (expected.get(key) ?? 0n) + v);
      };
      for (const l of logs) {
        add(l.args.from!, -l.args.value!);
        add(l.args.to!, l.args.value!);
      }
      const stored = new Map(
        b.balance_deltas!.map((d, i) => [
          `${b.balance_tokens![i]}:${b.balance_accounts![i]}`,
          BigInt(d),
        ]),
      );
      assert.deepEqual(
        stored,
        new Map([...expected].filter(([, v]) => v !== 0n)),
        `block ${b.number}`,
      );
    }

    // Re-read everything from the start, one block per range, over the existing rows.
    const start = campaign.deployment.startBlock;
    const startHash = (await chain.client.getBlock({ blockNumber: BigInt(start) })).hash;
    await db.db.execute(
      sql`update chain_cursors set block_number = ${start}, block_hash = ${startHash}`,
    );
    const slow = new Indexer({
      db: db.db,
      client: h.ctx.driver.client,
      contracts: h.contracts,
      settings: testSettings({ INDEXER_BLOCK_RANGE: "1" }),
      chainId: 31337,
      logger: h.ctx.logger,
      metrics: h.ctx.metrics,
      failpoint: () => {},
    });
    for (let i = 0; i < 20; i++) {
      const r = await slow.pass();
      if (r.lag === 0) break;
    }
    assert.deepEqual(await dump(db), first);
    // And once more with the configured range, without resetting: still nothing changes.
    await h.indexer.runOnce();
    assert.deepEqual(await dump(db), first);
  });
});

test("a node refusing wide log queries is read in narrower ranges, with the same result", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    await activity(h);
    const first = await dump(db);
    const proxy = await startFaultyRpc(chain.url);
    try {
      proxy.limitLogRange(2);
      // Read everything again from the start, in ranges the node refuses until narrowed.
      const start = campaign.deployment.startBlock;
      const startHash = (await chain.client.getBlock({ blockNumber: BigInt(start) })).hash;
      await db.db.execute(
        sql`update chain_cursors set block_number = ${start}, block_hash = ${startHash}`,
      );
      const wide = new Indexer({
        db: db.db,
        client: evmPublicClient(proxy.url, 31337),
        contracts: h.contracts,
        settings: testSettings({ INDEXER_BLOCK_RANGE: "1000" }),
        chainId: 31337,
        logger: h.ctx.logger,
        metrics: h.ctx.metrics,
        failpoint: () => {},
      });
      let lag = -1;
      for (let i = 0; i < 50 && lag !== 0; i++) lag = (await wide.pass()).lag;
      assert.equal(lag, 0);
      assert.ok(proxy.injected() > 0, "the node refused some log queries");
      assert.deepEqual(await dump(db), first);
    } finally {
      await proxy.close();
    }
  });
});

test("a reorg revokes a redemption's coupon; the same redemption mined again restores the same code", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const member = await h.member(41);
    await h.link(member, walletOf.address);
    await h.grant(member, "10");
    await h.settle();
    await chain.setBalance(walletOf.address, parseUnits("1", 18));
    const shop = getAddress(campaign.deployment.perkShop);
    const approve = await chain.admin.writeContract({
      address: getAddress(campaign.deployment.tokens.REF!.token),
      abi: rewardTokenAbi,
      functionName: "approve",
      args: [shop, parseUnits("5", 18)],
      chain: null,
      account: walletOf,
    });
    await chain.client.waitForTransactionReceipt({ hash: approve, pollingInterval: 20 });
    await h.indexer.runOnce();
    const beforeRedeem = await chain.snapshot();
    const orderRef = keccak256(toHex("order-reorg"));
    const nonce = await chain.client.getTransactionCount({ address: walletOf.address });
    const block = await chain.client.getBlock();
    const raw = await walletOf.signTransaction({
      chainId: 31337,
      type: "eip1559",
      to: shop,
      data: (await import("viem")).encodeFunctionData({
        abi: perkShopAbi,
        functionName: "redeem",
        args: [1n, 1, parseUnits("5", 18), orderRef],
      }),
      nonce,
      gas: 300_000n,
      maxFeePerGas: (block.baseFeePerGas ?? 1n) * 4n + 1_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
    await chain.rpc("eth_sendRawTransaction", [raw]);
    await h.indexer.runOnce();
    const [issued] = await queryRows<{ code: string; status: string }>(
      db.db,
      sql`select code, status from chain_coupons`,
    );
    assert.equal(issued?.status, "issued");

    await chain.revert(beforeRedeem);
    await chain.mine(2);
    await h.indexer.runOnce();
    const [revoked] = await queryRows<{ code: string; status: string }>(
      db.db,
      sql`select code, status from chain_coupons`,
    );
    assert.deepEqual(revoked, { code: issued!.code, status: "revoked" });
    assert.equal((await queryRows(db.db, sql`select 1 from chain_redemptions`)).length, 0);

    await chain.rpc("eth_sendRawTransaction", [raw]);
    await h.indexer.runOnce();
    const [restored] = await queryRows<{ code: string; status: string }>(
      db.db,
      sql`select code, status from chain_coupons`,
    );
    assert.deepEqual(restored, { code: issued!.code, status: "issued" });
    await assertReconciled(h);
  });
});
