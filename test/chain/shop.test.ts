/**
 * The shop journey on a real Hardhat chain with PGlite and PostgreSQL (issue 14): the member's
 * shop (perks with price, stock, expiry, requirement and the member's balance beside each),
 * refused redemptions that spend nothing (expired, not enough tokens, tier too low, a badge
 * the wallet does not hold on-chain, out of stock, price changed), gasless redemptions with
 * and without a permit, coupons from an admin's CSV pool or generated, with expiry, shown to
 * the member and marked used by a partner over HMAC (idempotent, replays refused).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, type Hex, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { perkOrderTypedData, permitOf, permitTypedData } from "../../server/chain/perkOrder.ts";
import { queryRows } from "../../server/db/index.ts";
import { signPartnerPayload } from "../../server/http/routes/partner.ts";
import { TEST_ADMIN_TOKEN, TEST_PARTNER_SECRET } from "../support/app.ts";
import { withDatabases } from "../support/db.ts";
import { tmaFor } from "../support/telegram.ts";
import { chainApp, deployedChain, type Harness, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

const title = (en: string) => ({ en, ru: en });
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { campaign, fresh } = await deployedChain({
  accounts,
  campaign: {
    badges: [
      { id: 3, name: title("First invite"), transferable: false, achievement: "first_invite" },
    ],
    perks: [
      { id: "sticker", title: title("Stickers"), token: "REF", price: "5", stock: null },
      { id: "limited", title: title("Limited"), token: "REF", price: "5", stock: 1 },
      {
        id: "pro-only",
        title: title("Pro lounge"),
        token: "REF",
        price: "5",
        stock: null,
        requires: { tier: "pro" },
      },
      {
        id: "gated",
        title: title("Inviters' club"),
        token: "REF",
        price: "5",
        stock: null,
        requires: { badge: 3 },
      },
      {
        id: "old",
        title: title("Old offer"),
        token: "REF",
        price: "5",
        stock: null,
        expiresAt: "2021-01-01T00:00:00Z",
      },
      { id: "pricey", title: title("Pricey"), token: "REF", price: "1000", stock: null },
    ],
  },
});
const REF = (v: string) => parseUnits(v, 18);
let run = 0;

async function spendCounts(h: Harness) {
  const [row] = await queryRows<{ orders: number; sends: number; coupons: number }>(
    h.db.db,
    sql`select (select count(*) from chain_perk_orders)::int as orders,
               (select count(*) from chain_sends where kind = 'redeem')::int as sends,
               (select count(*) from chain_coupons)::int as coupons`,
  );
  return row;
}

test("the shop: perks with balance and requirements, refusals spend nothing, redemptions give coupons a partner marks used", async (t) => {
  await withDatabases(t, async (db) => {
    run++;
    const h = await fresh(db);
    const shop = campaign.deployment.perkShop;
    const token = campaign.deployment.tokens.REF!.token;
    const app = await chainApp(t, h, campaign);
    const client = h.ctx.driver.client;
    const slug = campaign.definition.slug;

    const member = privateKeyToAccount(generatePrivateKey());
    const telegramId = 7100 + run * 10;
    const memberId = await h.member(telegramId);
    await h.link(memberId, member.address);
    await h.grant(memberId, "12");
    await h.settle();
    const balance = () =>
      client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [member.address],
      });
    assert.equal(await balance(), REF("12"));
    const auth = tmaFor(telegramId);

    // The shop as the member sees it.
    const view = await app.call("GET", `/api/me/shop?campaign=${slug}`, { auth });
    assert.equal(view.status, 200, view.text);
    const byKey = new Map(view.body.items.map((i: { key: string }) => [i.key, i]));
    // biome-ignore lint/suspicious/noExplicitAny: inspected field by field
    const item = (key: string): any => byKey.get(key);
    assert.equal(view.body.items.length, 6);
    assert.equal(item("sticker").price.tokens, "5");
    assert.equal(item("sticker").stock, null);
    assert.equal(item("sticker").balance.tokens, "12");
    assert.equal(item("sticker").refusal, null);
    assert.equal(item("limited").stock, 1);
    assert.equal(item("pro-only").refusal, "tier_too_low");
    assert.equal(item("pro-only").requires.tier.id, "pro");
    assert.equal(item("gated").refusal, "badge_required");
    assert.equal(item("gated").requires.badge.id, 3);
    assert.equal(item("old").refusal, "perk_expired");
    assert.equal(item("old").expiresAt, "2021-01-01T00:00:00.000Z");
    assert.equal(item("pricey").refusal, "insufficient_balance");
    assert.equal(view.body.orderNonce, "0");
    assert.equal(view.body.tokens[0].allowance, "0");

    // Orders signed by the member's wallet, as the dashboard signs them.
    const now = Math.floor(Date.now() / 1000);
    const { domain } = await client.getEip712Domain({ address: token });
    const signPermit = async (value: bigint) => {
      const terms = {
        owner: member.address,
        spender: shop,
        value,
        nonce: await client.readContract({
          address: token,
          abi: rewardTokenAbi,
          functionName: "nonces",
          args: [member.address],
        }),
        deadline: BigInt(now + 3600),
      };
      const p = permitOf(
        terms,
        await member.signTypedData(
          permitTypedData(
            { ...domain, chainId: Number(domain.chainId), address: domain.verifyingContract },
            terms,
          ),
        ),
      );
      return { ...p, value: p.value.toString(), deadline: Number(p.deadline) };
    };
    const redeem = async (
      perkId: number,
      o: { maxCost?: bigint; permit?: bigint; quantity?: number } = {},
    ) => {
      const order = {
        member: member.address as Address,
        perkId: BigInt(perkId),
        quantity: o.quantity ?? 1,
        maxCost: o.maxCost ?? REF("5"),
        orderRef: toHex(`shop-${run}-${perkId}-${Math.random()}`, { size: 32 }) as Hex,
        nonce: 0n,
        deadline: BigInt(now + 3600),
      };
      const signature = await member.signTypedData(perkOrderTypedData(31337, shop, order));
      return app.call("POST", `/api/me/perks/${perkId}/redeem`, {
        auth,
        body: {
          campaign: slug,
          quantity: order.quantity,
          maxCost: order.maxCost.toString(),
          orderRef: order.orderRef,
          nonce: "0",
          deadline: Number(order.deadline),
          signature,
          ...(o.permit ? { permit: await signPermit(o.permit) } : {}),
        },
      });
    };

    const before = await spendCounts(h);
    const refused = async (res: Awaited<ReturnType<typeof redeem>>, code: string) => {
      assert.equal(res.body.code, code, res.text);
      assert.ok(res.status >= 400 && res.status < 500);
      assert.deepEqual(await spendCounts(h), before, `${code} wrote nothing`);
      assert.equal(await balance(), REF("12"), `${code} spent nothing`);
    };
    await refused(await redeem(5, { permit: REF("5") }), "perk_expired");
    await refused(
      await redeem(6, { permit: REF("1000"), maxCost: REF("1000") }),
      "insufficient_balance",
    );
    await refused(await redeem(3, { permit: REF("5") }), "tier_too_low");
    // The badge requirement is read from the chain: an award in the database is not enough.
    await db.db.execute(
      sql`insert into badge_awards (campaign_id, member_id, badge_id, reason, status, account)
          values (${h.campaignId}, ${memberId}, 3, 'first_invite', 'queued', ${member.address})`,
    );
    await refused(await redeem(4, { permit: REF("5") }), "badge_required");
    await refused(await redeem(1, { permit: REF("5"), maxCost: REF("4") }), "price_changed");
    assert.equal((await redeem(2, { quantity: 2, maxCost: REF("10") })).body.code, "out_of_stock");

    // The admin uploads a pool of codes for the limited perk (a bad file writes nothing).
    const upload = (csv: string, as = `Bearer ${TEST_ADMIN_TOKEN}`) =>
      app.call("POST", "/api/admin/coupons/import", {
        auth: as,
        body: { campaign: slug, perk: "limited", csv },
      });
    const bad = await upload("code,expiresAt\nLIM-0001,2099-01-01T00:00:00Z\nno spaces allowed\n");
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.code, "coupon_pool_invalid");
    const notAdmin = await upload("LIM-0001", auth);
    assert.ok(notAdmin.status === 401 || notAdmin.status === 403, notAdmin.text);
    const [{ n: pooledBefore }] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from coupon_pool`,
    );
    assert.equal(pooledBefore, 0);
    const good = await upload("code,expiresAt\nLIM-0001,2099-01-01T00:00:00Z\nLIM-0002\n");
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.body, { added: 2, skipped: 0 });
    const [audit] = await queryRows<{ action: string; after: { added: number } }>(
      db.db,
      sql`select action, after from audit_log where action = 'coupons.import'`,
    );
    assert.equal(audit?.after.added, 2);

    // The limited perk with a permit (10 REF allowed), then a sticker on the allowance left.
    const gasBefore = await client.getBalance({ address: member.address });
    const limited = await redeem(2, { permit: REF("10") });
    assert.equal(limited.status, 202, limited.text);
    assert.equal(limited.body.status, "sent");
    await h.settle(async () => {
      const list = await app.call("GET", "/api/me/redemptions", { auth });
      return list.body.items[0]?.status === "redeemed";
    });
    const sticker = await redeem(1);
    assert.equal(sticker.status, 202, sticker.text);
    await h.settle(async () => {
      const list = await app.call("GET", "/api/me/redemptions", { auth });
      return (
        list.body.items.length === 2 &&
        list.body.items.every((i: { status: string }) => i.status === "redeemed")
      );
    });
    assert.equal(await balance(), REF("2"), "two perks at 5 REF");
    assert.equal(await client.getBalance({ address: member.address }), gasBefore, "no gas");
    assert.equal((await redeem(2, { permit: REF("5") })).body.code, "out_of_stock");

    const coupons = await app.call("GET", "/api/rewards/coupons", { auth });
    assert.equal(coupons.status, 200, coupons.text);
    // biome-ignore lint/suspicious/noExplicitAny: inspected field by field
    const couponOf = (perk: string): any =>
      coupons.body.items.find((c: { perk: string }) => c.perk === perk);
    assert.equal(couponOf("limited").code, "LIM-0001", "the pool's oldest free code");
    assert.equal(couponOf("limited").expiresAt, "2099-01-01T00:00:00.000Z");
    assert.match(couponOf("sticker").code, /^RM-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // A generated coupon lasts 90 days from its issue (both times are the service's clock).
    const [issued] = await queryRows<{ created_at: Date | string }>(
      db.db,
      sql`select created_at from chain_coupons where code = ${couponOf("sticker").code}`,
    );
    assert.equal(
      Date.parse(couponOf("sticker").expiresAt) - new Date(issued!.created_at).getTime(),
      90 * 86_400_000,
    );
    assert.equal(couponOf("sticker").status, "issued");
    const notices = await queryRows<{ data: { code: string } }>(
      db.db,
      sql`select data from notifications where kind = 'coupon_issued' and member_id = ${memberId}`,
    );
    assert.deepEqual(
      notices.map((n) => n.data.code).sort(),
      [couponOf("sticker").code, "LIM-0001"].sort(),
    );

    // A partner marks the coupon used: signed, idempotent per request, replays refused.
    const use = (code: string, requestId: string, secret = TEST_PARTNER_SECRET) => {
      const body = JSON.stringify({ requestId });
      const ts = String(Math.floor(Date.now() / 1000));
      return app.call("POST", `/api/partner/coupons/${code}/use`, {
        body,
        headers: {
          "content-type": "application/json",
          "x-refmint-partner": "shop",
          "x-refmint-timestamp": ts,
          "x-refmint-signature": signPartnerPayload(secret, ts, body),
        },
      });
    };
    assert.equal((await use("LIM-0001", "r1", "wrong-secret")).status, 401);
    assert.equal((await use("NOPE-0000", "r0")).body.code, "coupon_unknown");
    const first = await use("LIM-0001", "r1");
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.replayed, false);
    assert.equal(first.body.perk, "limited");
    const retry = await use("LIM-0001", "r1");
    assert.equal(retry.status, 200);
    assert.equal(retry.body.replayed, true);
    assert.equal(retry.body.usedAt, first.body.usedAt);
    const replay = await use("LIM-0001", "r2");
    assert.equal(replay.status, 409);
    assert.equal(replay.body.code, "coupon_used");
    const after = await app.call("GET", "/api/rewards/coupons", { auth });
    assert.equal(
      after.body.items.find((c: { code: string }) => c.code === "LIM-0001").status,
      "used",
    );
  });
});
