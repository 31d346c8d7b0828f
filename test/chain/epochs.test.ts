/**
 * Merkle epochs end to end, on PGlite and PostgreSQL against a real chain: escrowed grants,
 * the epoch built and its root published by the worker, proofs served over HTTP and claimed
 * on-chain, public reward files that rebuild the on-chain root, re-linked wallets, per-member
 * deadlines, and expiry with the admin's clawback of what no open root promises.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, getAddress, type Hex, parseUnits } from "viem";
import { rewardDistributorAbi, rewardTokenAbi } from "../../server/chain/abi.ts";
import { executeClawback, planClawback } from "../../server/chain/clawback.ts";
import { type DatabaseHandle, queryRows } from "../../server/db/index.ts";
import { chainEpochs } from "../../server/db/schema/chain.ts";
import { leafTerms, RewardTree, verifyRewardProof } from "../../verify/rewardFiles.ts";
import { DAY, HOUR, testClock } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { assertLedgerConsistent } from "../support/ledger.ts";
import { tmaFor } from "../support/telegram.ts";
import {
  ADMIN,
  assertReconciled,
  chainApp,
  deployedChain,
  entryStates,
  type Harness,
  harness,
  SIGNER,
  TREASURY,
} from "./support.ts";

// Each reset also mines a block at the wall clock's time: reverting turns the chain's clock back
// to the snapshot's, and on a busy machine (the snapshot minutes old) init data signed at the
// wall clock looked signed in the future and was refused.
const { chain, campaign, reset } = await deployedChain({ wallClock: true });

/**
 * A scenario's start: the freshly deployed chain and a harness on a test clock that starts at
 * the chain's time (sign init data at `clock.now()`, see `chainApp`).
 */
async function freshOnChainTime(db: DatabaseHandle) {
  await reset();
  const block = await chain.client.getBlock();
  const clock = testClock(new Date(Number(block.timestamp) * 1000));
  const h = await harness(db, campaign, { rpcUrl: chain.url, now: clock.now });
  return { clock, h, chainTime: block.timestamp };
}

const addr = (n: number) => getAddress(`0x${(0xc1a1e000 + n).toString(16).padStart(40, "0")}`);
const REF = (v: string) => parseUnits(v, 18);

/** Builds epochs, lets the worker publish the roots and the indexer see them. */
async function publish(h: Harness): Promise<void> {
  await h.buildEpochs();
  await h.settle(async () => {
    const [pending] = await queryRows<{ n: number }>(
      h.db.db,
      sql`select count(*)::int as n from chain_epochs where status = 'pending'`,
    );
    return Number(pending?.n) === 0;
  });
}

async function claim(
  distributor: Address,
  item: { account: string; cumulativeAmount: string; terms: string; proof: string[] },
) {
  const hash = await chain.admin.writeContract({
    address: distributor,
    abi: rewardDistributorAbi,
    functionName: "claim",
    args: [
      item.account as Address,
      BigInt(item.cumulativeAmount),
      BigInt(item.terms),
      item.proof as Hex[],
    ],
    chain: null,
    account: ADMIN,
  });
  const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  assert.equal(receipt.status, "success");
}

test("epochs: escrowed grants become claimable with proofs served over HTTP; reward files rebuild the root; re-linked wallets", async (t) => {
  await withDatabases(t, async (db) => {
    const { clock, h } = await freshOnChainTime(db);
    const app = await chainApp(t, h, campaign);
    const distributor = getAddress(campaign.deployment.tokens.REF!.distributor);
    const token = getAddress(campaign.deployment.tokens.REF!.token);

    // A, B and C earn while they have no wallet: paid into the distributor (escrow).
    const [a, b, c] = [await h.member(11), await h.member(12), await h.member(13)];
    await h.grant(a, "10");
    await h.grant(a, "5");
    await h.grant(b, "7");
    await h.grant(c, "3");
    await h.settle();
    const escrowed = await chain.client.readContract({
      address: token,
      abi: rewardTokenAbi,
      functionName: "balanceOf",
      args: [distributor],
    });
    assert.equal(escrowed, REF("25"));

    // Nobody has a wallet: nothing to publish (the scheduled job's first pass builds at once).
    await h.epochs.runOnce();
    assert.deepEqual(
      (h.epochs.health().details.last as Array<{ outcome: string }>).map((o) => o.outcome),
      ["empty"],
    );
    assert.equal((await db.db.select().from(chainEpochs)).length, 0);

    // A links a wallet: epoch 1 holds A's 15.
    await h.link(a, addr(1));
    await publish(h);
    const [e1] = await db.db.select().from(chainEpochs);
    assert.equal(e1?.status, "published");
    assert.equal(e1?.epoch, 1);
    const onChainRoot = await chain.client.readContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "rootOf",
      args: [1n],
    });
    assert.equal(onChainRoot, e1?.root);
    // Time passes and nothing changes: the same root (each leaf keeps its deadline), so nothing
    // is republished.
    clock.advance(HOUR);
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => o.outcome),
      ["unchanged"],
    );

    const proofA = await app.call("GET", "/api/rewards/proof", {
      auth: tmaFor(11, { authDate: clock.now() }),
    });
    assert.equal(proofA.status, 200);
    assert.equal(proofA.body.items.length, 1);
    const item = proofA.body.items[0];
    assert.deepEqual(
      { ...item, proof: undefined },
      {
        token: "REF",
        tokenAddress: token,
        distributor,
        epoch: 1,
        root: e1?.root,
        member: a,
        deadline: e1?.deadline,
        released: false,
        account: addr(1),
        cumulativeAmount: REF("15").toString(),
        terms: leafTerms({ member: BigInt(a), deadline: e1!.deadline, released: false }).toString(),
        claimed: "0",
        claimable: REF("15").toString(),
        proof: undefined,
      },
    );
    assert.equal(e1?.total, REF("15"), "the root declares what it promises");
    assert.ok(
      verifyRewardProof(
        item.root,
        {
          member: BigInt(a),
          account: item.account,
          cumulativeAmount: BigInt(item.cumulativeAmount),
          deadline: item.deadline,
          released: false,
        },
        item.proof,
      ),
    );
    assert.deepEqual(
      (await app.call("GET", "/api/rewards/proof", { auth: tmaFor(12, { authDate: clock.now() }) }))
        .body,
      {
        items: [],
      },
    );
    assert.equal((await app.call("GET", "/api/rewards/proof")).status, 401);

    // The public reward file rebuilds exactly the on-chain root.
    const index = await app.call("GET", "/rewards/epochs/index.json");
    assert.equal(index.status, 200);
    assert.equal(index.body.epochs.length, 1);
    const file = await app.call("GET", index.body.epochs[0].url);
    assert.equal(file.status, 200);
    const tree = RewardTree.fromFile(file.body);
    assert.equal(tree.root, onChainRoot);
    assert.equal(tree.claimFor(a)?.cumulativeAmount, REF("15"));
    assert.equal(tree.claimFor(a)?.account, addr(1));
    assert.equal(file.body.distributor, distributor);
    assert.equal(file.body.total, REF("15").toString());
    assert.equal(
      (await app.call("GET", `/rewards/epochs/${campaign.definition.slug}/REF/9.json`)).status,
      404,
    );
    assert.equal(
      (await app.call("GET", `/rewards/epochs/${campaign.definition.slug}/REF/x.json`)).status,
      400,
    );

    // A claims on-chain with the served proof; the claim is attributed to A.
    await claim(distributor, item);
    await h.indexer.runOnce();
    const [claimRow] = await queryRows<{ member_id: string; amount: string }>(
      db.db,
      sql`select member_id, amount::text from chain_claims`,
    );
    assert.equal(Number(claimRow?.member_id), a);
    assert.deepEqual(
      (await app.call("GET", "/api/rewards/proof", { auth: tmaFor(11, { authDate: clock.now() }) }))
        .body,
      {
        items: [],
      },
    );

    // Re-links: A moves to a new wallet (nothing left to claim), B takes A's old wallet (claims
    // are kept per member, so A's 15 claimed through it do not count for B), C links one wallet
    // and then another.
    await h.link(a, addr(2));
    await h.link(b, addr(1));
    await h.link(c, addr(3));
    await publish(h);
    await h.link(c, addr(4));
    await publish(h);
    const latest = await app.call("GET", "/rewards/epochs/index.json");
    assert.deepEqual(
      latest.body.epochs.map((e: { epoch: number }) => e.epoch),
      [3, 2, 1],
    );
    const proofB = (
      await app.call("GET", "/api/rewards/proof", { auth: tmaFor(12, { authDate: clock.now() }) })
    ).body.items;
    assert.deepEqual(
      proofB.map((i: Record<string, string>) => [
        i.account,
        i.cumulativeAmount,
        i.claimed,
        i.claimable,
      ]),
      [[addr(1), REF("7").toString(), "0", REF("7").toString()]],
    );
    const proofC = (
      await app.call("GET", "/api/rewards/proof", { auth: tmaFor(13, { authDate: clock.now() }) })
    ).body.items;
    assert.deepEqual(
      proofC.map((i: Record<string, string>) => [i.account, i.claimable]),
      [[addr(4), REF("3").toString()]],
      "the leaf follows C's current wallet",
    );
    const file3 = RewardTree.fromFile((await app.call("GET", latest.body.epochs[0].url)).body);
    assert.equal(file3.claimFor(c)?.account, addr(4), "C's leaf names the new wallet only");
    assert.equal(file3.claimFor(a), undefined, "A has nothing left");
    await claim(distributor, proofB[0]);
    await claim(distributor, proofC[0]);
    await h.indexer.runOnce();
    for (const [wallet, expected] of [
      [addr(1), "22"], // A's 15, then B's 7
      [addr(4), "3"],
    ] as const) {
      const balance = await chain.client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [wallet],
      });
      assert.equal(balance, REF(expected), `${wallet} holds ${expected}`);
    }
    const byMember = await queryRows<{ member_id: string; total: string }>(
      db.db,
      sql`select member_id, sum(amount)::text as total from chain_claims group by member_id order by member_id`,
    );
    assert.deepEqual(
      byMember.map((r) => [Number(r.member_id), r.total]),
      [
        [a, REF("15").toString()],
        [b, REF("7").toString()],
        [c, REF("3").toString()],
      ],
    );
    // Everything claimed: the next run publishes nothing.
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => o.outcome),
      ["empty"],
    );
    assert.equal((await db.db.select().from(chainEpochs)).length, 3);
    await assertLedgerConsistent(db);
    await assertReconciled(h);
  });
});

test("health: a root on-chain that this database did not build, and a failed epoch, are alerts; served epochs are not", async (t) => {
  await withDatabases(t, async (db) => {
    const { h, chainTime } = await freshOnChainTime(db);
    const app = await chainApp(t, h, campaign);
    const distributor = getAddress(campaign.deployment.tokens.REF!.distributor);
    const health = async () => {
      await h.indexer.runOnce();
      const r = await app.call("GET", "/api/chain/health");
      assert.equal(r.status, 200);
      return r.body as { status: string; alerts: string[] };
    };
    const a = await h.member(31);
    await h.grant(a, "4");
    await h.settle();
    await h.link(a, addr(31));
    await publish(h);
    assert.deepEqual((await health()).alerts, [], "epoch 1 is ours and served");

    // What a command working on another database did: a root this service never built.
    const hash = await chain.admin.writeContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "publishRoot",
      args: [`0x${"ab".repeat(32)}`, 0n, chainTime + 365n * 86_400n],
      chain: null,
      account: SIGNER,
    });
    await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    const unserved = await health();
    assert.notEqual(unserved.status, "ok");
    assert.deepEqual(unserved.alerts, [
      `${campaign.definition.slug} REF: on-chain epoch 2 (root 0xabababab…) was not built by this service's database: its reward file and proofs are not served, so members cannot claim`,
    ]);

    // A publication that failed (reverted, or its nonce taken) is reported too.
    await db.db.execute(sql`update chain_epochs set status = 'failed'`);
    assert.ok(
      (await health()).alerts.some((a) => /REF: the latest epoch failed to publish/.test(a)),
    );
  });
});

test("expiry: each member's leaf closes at their own grants' expiry; an unclaimed grant past it is expired, and clawed back once no open root promises it", async (t) => {
  await withDatabases(t, async (db) => {
    const { clock, h } = await freshOnChainTime(db);
    const distributor = getAddress(campaign.deployment.tokens.REF!.distributor);
    const token = getAddress(campaign.deployment.tokens.REF!.token);
    const [d, e] = [await h.member(21), await h.member(22)];
    const dGrant = await h.grant(d, "6", { expiryDays: 2 });
    const eGrant = await h.grant(e, "2", { expiryDays: 10 });
    await h.settle();
    await h.link(d, addr(21));
    await h.link(e, addr(22));
    await publish(h);
    const [epoch] = await db.db.select().from(chainEpochs);
    const start = Math.floor(clock.now().getTime() / 1000);
    // D's leaf closes when D's grant expires; E's is not cut to D's earlier expiry.
    const app = await chainApp(t, h, campaign);
    const proofOf = async (telegramId: number) => {
      const res = await app.call("GET", "/api/rewards/proof", {
        auth: tmaFor(telegramId, { authDate: clock.now() }),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items[0];
    };
    assert.equal((await proofOf(21)).deadline, start + 2 * 86_400);
    const proofE = await proofOf(22);
    assert.equal(proofE.deadline, start + 10 * 86_400);
    assert.equal(epoch?.deadline, start + 10 * 86_400, "the root closes with its latest leaf");
    assert.equal(epoch?.total, REF("8"));

    // E claims; D does not.
    await claim(distributor, proofE);

    // Too early: the grants have not expired, nothing can be clawed back.
    const ref = h.contracts.token(h.campaignId, "REF")!;
    const early = await planClawback(db.db, h.ctx.driver.client, ref);
    assert.equal(early.amount, 0n);
    assert.match(early.blocked ?? "", /nothing expired/);

    // Three days later, on the chain and on the server's clock: D's leaf has closed.
    clock.advance(3 * DAY);
    await chain.rpc("evm_increaseTime", [3 * 86_400]);
    await chain.mine();
    await h.indexer.runOnce();
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => [o.outcome, o.expired]),
      [["empty", 1]],
    );
    const states = new Map((await entryStates(db)).map((s) => [s.id, s.state]));
    assert.equal(states.get(dGrant), "expired", "D's unclaimed grant expired");
    assert.equal(states.get(eGrant), "settled", "E's claimed grant stays settled");
    assert.equal(
      (await db.db.select().from(chainEpochs)).length,
      1,
      "no new epoch: nothing to claim",
    );
    await assertLedgerConsistent(db); // the expired amount went back to the campaign's budget
    await assertReconciled(h); // ...and still counts as paid on-chain

    // The open root still reserves the 8 it declared (claims do not lower it): nothing may go
    // back yet, and the command says why.
    const reserved = await planClawback(db.db, h.ctx.driver.client, ref);
    assert.equal(reserved.expired, REF("6"));
    assert.equal(reserved.unpromised, 0n);
    assert.equal(reserved.amount, 0n);
    assert.match(reserved.blocked ?? "", /the open roots promise all the distributor holds/);

    // Once the root has closed, the expired 6 go back to the treasury.
    clock.advance(8 * DAY);
    await chain.rpc("evm_increaseTime", [8 * 86_400]);
    await chain.mine();
    await h.indexer.runOnce();
    const plan = await planClawback(db.db, h.ctx.driver.client, ref);
    assert.equal(plan.blocked, undefined);
    assert.equal(plan.expired, REF("6"));
    assert.equal(plan.amount, REF("6"));
    const result = await executeClawback(h.ctx.driver.client, ADMIN, plan);
    assert.equal(result.status, "success");
    const treasury = await chain.client.readContract({
      address: token,
      abi: rewardTokenAbi,
      functionName: "balanceOf",
      args: [TREASURY.address],
    });
    assert.equal(treasury, REF("6"));
    await h.indexer.runOnce();
    const again = await planClawback(db.db, h.ctx.driver.client, ref);
    assert.equal(again.clawedBack, REF("6"));
    assert.equal(again.amount, 0n, "a second run claws back nothing");
    await assertReconciled(h);
  });
});
