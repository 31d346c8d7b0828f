/**
 * Relayed perk redemption (issue 12) over HTTP, on a real Hardhat chain with PGlite and
 * PostgreSQL: the member signs an EIP-712 order and an ERC-2612 permit with viem, the API checks
 * them and the relayer key (its own, not the payout signer's) sends `redeemWithPermit`; the
 * member pays no gas, the indexer marks the order redeemed and issues its coupon. Refusals (a
 * signature by another key, an expired order, a price above the order's maximum, no wallet, a
 * reference used before) answer with their own problem and write nothing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, type Hex, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { perkOrderTypedData, permitOf, permitTypedData } from "../../server/chain/perkOrder.ts";
import { queryRows } from "../../server/db/index.ts";
import { importScreeningList } from "../../server/domain/screening.ts";
import { withDatabases } from "../support/db.ts";
import { tmaFor } from "../support/telegram.ts";
import { chainApp, deployedChain, type Harness, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

// The root publisher and the relayer have keys of their own (the relayer's sends the orders).
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { campaign, fresh } = await deployedChain({
  accounts,
  campaign: {
    perks: [
      {
        id: "sticker",
        title: { en: "Stickers", ru: "Стикеры" },
        token: "REF",
        price: "5",
        stock: null,
      },
    ],
  },
});
let run = 0;

const REF = (v: string) => parseUnits(v, 18);

async function counts(h: Harness) {
  const [row] = await queryRows<{ orders: number; sends: number }>(
    h.db.db,
    sql`select (select count(*) from chain_perk_orders)::int as orders,
               (select count(*) from chain_sends where kind = 'redeem')::int as sends`,
  );
  return { orders: Number(row?.orders), sends: Number(row?.sends) };
}

test("a member's signed order is relayed gas-free and redeemed; bad orders are refused and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    run++;
    // Each database starts from the deployed chain (payout ids restart with the ledger).
    const h = await fresh(db);
    const shop = campaign.deployment.perkShop;
    const token = campaign.deployment.tokens.REF!.token;
    const app = await chainApp(t, h, campaign);

    // The member earns 20 REF to the wallet they linked.
    const member = privateKeyToAccount(generatePrivateKey());
    const telegramId = 9000 + run * 10;
    const memberId = await h.member(telegramId);
    await h.link(memberId, member.address);
    await h.grant(memberId, "20");
    await h.settle();
    const balance = () =>
      h.ctx.driver.client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [member.address],
      });
    assert.equal(await balance(), REF("20"));

    const now = Math.floor(Date.now() / 1000);
    const order = (o: Partial<{ maxCost: bigint; deadline: bigint; orderRef: Hex }> = {}) => ({
      member: member.address as Address,
      perkId: 1n,
      quantity: 2,
      maxCost: o.maxCost ?? REF("10"),
      orderRef: o.orderRef ?? (toHex(`order-${run}-${Math.random()}`, { size: 32 }) as Hex),
      nonce: 0n,
      deadline: o.deadline ?? BigInt(now + 3600),
    });
    const sign = (o: ReturnType<typeof order>, signer = member) =>
      signer.signTypedData(perkOrderTypedData(31337, shop, o));
    const body = (o: ReturnType<typeof order>, signature: Hex, permit?: unknown) => ({
      campaign: campaign.definition.slug,
      quantity: o.quantity,
      maxCost: o.maxCost.toString(),
      orderRef: o.orderRef,
      nonce: o.nonce.toString(),
      deadline: Number(o.deadline),
      signature,
      ...(permit ? { permit } : {}),
    });
    const post = (b: unknown, id = telegramId) =>
      app.call("POST", "/api/me/perks/1/redeem", { auth: tmaFor(id), body: b });

    // The ERC-2612 permit that funds the order (the shop has no allowance yet).
    const { domain } = await h.ctx.driver.client.getEip712Domain({ address: token });
    const terms = {
      owner: member.address,
      spender: shop,
      value: REF("10"),
      nonce: await h.ctx.driver.client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "nonces",
        args: [member.address],
      }),
      deadline: BigInt(now + 3600),
    };
    const signed = permitOf(
      terms,
      await member.signTypedData(
        permitTypedData(
          { ...domain, chainId: Number(domain.chainId), address: domain.verifyingContract },
          terms,
        ),
      ),
    );
    const permit = { ...signed, value: signed.value.toString(), deadline: Number(signed.deadline) };

    const before = await counts(h);
    const refused = async (b: unknown, status: number, code: string, id = telegramId) => {
      const res = await post(b, id);
      assert.equal(res.status, status, `${code}: ${res.text}`);
      assert.equal(res.body.code, code);
      assert.deepEqual(await counts(h), before, `${code} wrote nothing`);
    };
    const stranger = privateKeyToAccount(generatePrivateKey());
    const o1 = order();
    await refused(body(o1, await sign(o1, stranger), permit), 422, "signature_invalid");
    const expired = order({ deadline: BigInt(now - 10) });
    await refused(body(expired, await sign(expired), permit), 422, "order_expired");
    const cheap = order({ maxCost: REF("9") });
    await refused(body(cheap, await sign(cheap), permit), 409, "price_changed");
    // A valid order without the permit: the shop has no allowance, the simulation refuses it.
    await refused(body(o1, await sign(o1)), 422, "order_refused");
    const walletless = telegramId + 1;
    await h.member(walletless);
    await refused(body(o1, await sign(o1), permit), 409, "wallet_required", walletless);
    // A wallet on a screening list gets no relayed transaction; off the list again, it does.
    const screen = (addresses: string[]) =>
      importScreeningList(h.domain, {
        source: "Test list",
        listedOn: "2026-12-01",
        addresses,
        actor: "api-token",
      });
    await screen([member.address]);
    await refused(body(o1, await sign(o1), permit), 403, "address_screened");
    await screen([]);

    // The good order: accepted, relayed by the relayer key, redeemed on-chain.
    const ok = await post(body(o1, await sign(o1), permit));
    assert.equal(ok.status, 202, ok.text);
    assert.equal(ok.body.status, "sent");
    const gasBefore = await h.ctx.driver.client.getBalance({ address: member.address });
    await h.settle(async () => {
      const list = await app.call("GET", "/api/me/redemptions", { auth: tmaFor(telegramId) });
      return list.body.items[0]?.status === "redeemed";
    });
    assert.equal(await balance(), REF("10"), "two perks at 5 REF");
    assert.equal(await h.ctx.driver.client.getBalance({ address: member.address }), gasBefore);
    const list = await app.call("GET", "/api/me/redemptions", { auth: tmaFor(telegramId) });
    assert.equal(list.status, 200);
    const [item] = list.body.items;
    assert.equal(item.orderRef, o1.orderRef);
    assert.equal(item.quantity, 2);
    assert.match(item.coupon, /\S+/);
    const receipt = await h.ctx.driver.client.getTransactionReceipt({ hash: item.txHash });
    assert.equal(receipt.from.toLowerCase(), RELAYER.address.toLowerCase(), "sent by the relayer");

    // The same reference again: refused, nothing written.
    const after = await counts(h);
    const again = await post(body(o1, await sign(o1), permit));
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "order_ref_used");
    assert.deepEqual(await counts(h), after);
  });
});
