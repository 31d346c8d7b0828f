/**
 * Every outbound event type through the whole real stack (attribution, qualification, payout
 * worker, badge minter, a member's own PerkShop redemption, the indexer on a Hardhat chain):
 * `member.joined`, `referral.qualified`, `reward.paid`, `perk.redeemed` and `badge.minted` are
 * each queued once, POSTed to a local receiver with a signature it verifies, carry the fields
 * the README promises, and are delivered once each, also after the indexer has read the whole
 * range again (before and after the deliveries).
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { encodeAbiParameters, keccak256, parseEther, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { perkShopAbi, rewardTokenAbi } from "../../server/chain/abi.ts";
import { evmWalletClient } from "../../server/chain/evm/client.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { webhookDeliveries, webhookEvents } from "../../server/db/schema/webhooks.ts";
import { ledgerEntries } from "../../server/db/schema.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { createWebhookEndpoint, WEBHOOK_EVENT_TYPES } from "../../server/domain/webhooks.ts";
import { verifyWebhook } from "../../server/webhooks/signature.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { withDatabases } from "../support/db.ts";
import {
  CHAIN_ID,
  chainApp,
  deployedChain,
  type Harness,
  PUBLISHER,
  RELAYER,
  SIGNER,
} from "./support.ts";

/** Hardhat's test key #5: a badge minter of its own. */
const MINTER = privateKeyToAccount(
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
);
const title = (en: string) => ({ en, ru: en });
const { chain, campaign, fresh } = await deployedChain({
  accounts: {
    payoutSigner: SIGNER,
    rootPublisher: PUBLISHER,
    relayer: RELAYER,
    badgeMinter: MINTER,
  },
  campaign: {
    tiers: [{ id: "base", name: title("Base"), minQualified: 0, multiplierBps: 10000, badgeId: 1 }],
    badges: [
      { id: 1, name: title("Base member"), transferable: false },
      { id: 3, name: title("First invite"), transferable: false, achievement: "first_invite" },
    ],
    perks: [{ id: "sticker", title: title("Stickers"), token: "REF", price: "5", stock: null }],
  },
});

const settings = {
  intervalSeconds: 1,
  timeoutMs: 5000,
  maxAttempts: 3,
  backoffBaseSeconds: 10,
  backoffMaxSeconds: 60,
  batchSize: 2,
  concurrency: 2,
  allowHttp: true,
  allowLoopback: true,
};

/** The indexer reads everything from the deployment's first block again. */
async function reindexFromStart(h: Harness, db: DatabaseHandle) {
  const start = campaign.deployment.startBlock;
  const startHash = (await chain.client.getBlock({ blockNumber: BigInt(start) })).hash;
  await db.db.execute(
    sql`update chain_cursors set block_number = ${start}, block_hash = ${startHash}`,
  );
  await h.indexer.runOnce();
  await h.indexer.runOnce();
}

test("every event type through the real pipeline: signed, with its fields, delivered once each, also after a re-read range", async (t) => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/refmint`;

  await withDatabases(t, async (db, kind) => {
    received.length = 0;
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const { endpoint, secret } = await createWebhookEndpoint(h.domain, systemAdmin(), {
      campaignId: h.campaignId,
      url,
      events: [...WEBHOOK_EVENT_TYPES],
      allowHttp: true,
      allowLoopback: true,
    });
    assert.equal(endpoint.events.length, WEBHOOK_EVENT_TYPES.length);

    // A invites B; both link wallets; B qualifies: A earns 10 REF and two badges.
    const base = kind === "pglite" ? 8100 : 8200;
    const wa = privateKeyToAccount(generatePrivateKey());
    const wb = privateKeyToAccount(generatePrivateKey());
    const [a, b] = await app.members(base, base + 1);
    await h.link(a!.id, wa.address);
    const referral = await app.refer(a!, b!);
    await h.link(b!.id, wb.address);
    assert.equal((await qualify(h.domain, b!.id, { type: "wallet_linked" })).status, "qualified");
    await h.settle();
    await h.settle(async () => {
      const minted = await db.db.select().from(webhookEvents);
      return minted.filter((e) => e.type === "badge.minted").length >= 2;
    });

    // A spends 5 of the 10 REF in the campaign's PerkShop, from their own wallet.
    const shop = campaign.deployment.perkShop!;
    const token = campaign.deployment.tokens.REF!.token!;
    const cost = parseUnits("5", 18);
    await chain.setBalance(wa.address, parseEther("1"));
    const wallet = evmWalletClient(wa, { rpcUrl: chain.url, chainId: CHAIN_ID, profile: "test" });
    await chain.client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "approve",
        args: [shop, cost],
      }),
    });
    const orderRef = toHex(`webhook-order-${kind}`, { size: 32 });
    const redeemTx = await wallet.writeContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "redeem",
      args: [1n, 1, cost, orderRef],
    });
    assert.equal(
      (await chain.client.waitForTransactionReceipt({ hash: redeemTx })).status,
      "success",
    );
    await h.settle(async () => {
      const events = await db.db.select().from(webhookEvents);
      return events.some((e) => e.type === "perk.redeemed");
    });

    // The indexer reads the whole range again: no event twice, nothing new.
    const queued = await db.db.select().from(webhookEvents).orderBy(webhookEvents.id);
    await reindexFromStart(h, db);
    const events = await db.db.select().from(webhookEvents).orderBy(webhookEvents.id);
    assert.deepEqual(
      events.map((e) => e.eventId),
      queued.map((e) => e.eventId),
      "a re-read range queues nothing",
    );
    assert.equal((await db.db.select().from(webhookDeliveries)).length, events.length);
    const ids = events.map((e) => e.eventId);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.deepEqual(
      [...new Set(events.map((e) => e.type))].sort(),
      [...WEBHOOK_EVENT_TYPES].sort(),
      "every event type the issue lists",
    );

    // Delivered in passes of two until nothing is due; then a re-read range sends nothing more.
    for (let i = 0; i < 10; i++) {
      const r = await deliverWebhooks({ db: db.db, settings, now: () => new Date() });
      assert.equal(r.retrying + r.failed, 0);
      if (r.delivered === 0) break;
    }
    await reindexFromStart(h, db);
    assert.deepEqual(await deliverWebhooks({ db: db.db, settings, now: () => new Date() }), {
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    assert.deepEqual(
      received.map((r) => r.headers["x-refmint-event-id"]).sort(),
      [...ids].sort(),
      "each event delivered exactly once",
    );

    // Each delivery: signed with the endpoint's secret, headers agreeing with the body.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const bodies = received.map((r) => {
      const headers = {
        timestamp: r.headers["x-refmint-timestamp"] as string,
        signature: r.headers["x-refmint-signature"] as string,
      };
      assert.ok(verifyWebhook(secret, headers, r.body, nowSeconds), "the HMAC verifies");
      assert.ok(!verifyWebhook("whsec_other", headers, r.body, nowSeconds), "not with another key");
      assert.ok(
        !verifyWebhook(secret, headers, r.body.replace(/}$/, " }"), nowSeconds),
        "not over other bytes",
      );
      const body = JSON.parse(r.body);
      assert.equal(r.headers["x-refmint-event-id"], body.id);
      assert.equal(r.headers["x-refmint-event-type"], body.type);
      assert.equal(r.headers["content-type"], "application/json");
      assert.equal(body.campaign, campaign.definition.slug);
      assert.ok(!Number.isNaN(Date.parse(body.occurredAt)));
      return body as { id: string; type: string; data: Record<string, unknown> };
    });
    const ofType = (type: string) => bodies.filter((x) => x.type === type);

    const [joined] = ofType("member.joined");
    assert.equal(joined!.id, `member.joined:${referral}`);
    const { source, joinedAt, ...who } = joined!.data;
    assert.deepEqual(who, { memberId: b!.id, referrerId: a!.id, referralId: referral });
    assert.match(String(source), /^[a-z_]+$/);
    assert.ok(!Number.isNaN(Date.parse(String(joinedAt))));

    const [qualified] = ofType("referral.qualified");
    assert.equal(qualified!.id, `referral.qualified:${referral}`);
    assert.equal(qualified!.data.referralId, referral);
    assert.equal(qualified!.data.memberId, b!.id);
    assert.equal(qualified!.data.referrerId, a!.id);
    assert.deepEqual(qualified!.data.rewards, [
      {
        memberId: a!.id,
        kind: "referral",
        level: 1,
        token: "REF",
        amount: parseUnits("10", 18).toString(),
      },
    ]);

    const paid = ofType("reward.paid");
    assert.equal(paid.length, 1, "A's level-1 reward, paid once");
    const [entry] = await db.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, a!.id));
    assert.equal(paid[0]!.id, `reward.paid:${entry!.id}`);
    assert.deepEqual(paid[0]!.data, {
      payoutId: entry!.id,
      memberId: a!.id,
      token: "REF",
      amount: parseUnits("10", 18).toString(),
      escrow: false,
      txHash: entry!.txHash,
    });
    assert.match(String(entry!.txHash), /^0x[0-9a-f]{64}$/);

    const redeemed = ofType("perk.redeemed");
    assert.equal(redeemed.length, 1);
    // The shop logs the order id, keccak256(abi.encode(member, orderRef)): what `orderRef` carries.
    const orderId = keccak256(
      encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [wa.address, orderRef]),
    );
    assert.equal(redeemed[0]!.id, `perk.redeemed:${shop.toLowerCase()}:${orderId}`);
    assert.deepEqual(
      {
        ...redeemed[0]!.data,
        shop: String(redeemed[0]!.data.shop).toLowerCase(),
        account: String(redeemed[0]!.data.account).toLowerCase(),
      },
      {
        shop: shop.toLowerCase(),
        orderRef: orderId,
        account: wa.address.toLowerCase(),
        perkId: 1,
        quantity: 1,
        token: "REF",
        cost: cost.toString(),
        txHash: redeemTx,
      },
    );

    const minted = ofType("badge.minted");
    assert.deepEqual(
      minted
        .map((m) => [m.data.badgeId, String(m.data.account).toLowerCase(), m.data.amount])
        .sort(),
      [
        [1, wa.address.toLowerCase(), 1],
        [3, wa.address.toLowerCase(), 1],
      ],
    );
    for (const m of minted) assert.match(String(m.data.txHash), /^0x[0-9a-f]{64}$/);

    const deliveries = await db.db.select().from(webhookDeliveries);
    assert.ok(deliveries.every((d) => d.status === "delivered" && d.attempts === 1));
  });
});
