/**
 * Relayed perk redemption (issue 12) over HTTP, on a real Hardhat chain with PGlite and
 * PostgreSQL: the member signs an EIP-712 order and an ERC-2612 permit with viem, the API checks
 * them and the relayer key (its own, not the payout signer's) sends `redeemWithPermit`; the
 * member pays no gas, the indexer marks the order redeemed and issues its coupon. Refusals (a
 * signature by another key, an expired order, a price above the order's maximum, no wallet, a
 * reference used before) answer with their own problem and write nothing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, type Hex, parseSignature, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { perkOrderTypedData } from "../../server/chain/perkOrder.ts";
import { queryRows } from "../../server/db/index.ts";
import { importScreeningList } from "../../server/domain/screening.ts";
import { tmaResolver } from "../../server/http/auth.ts";
import { chainRoutes } from "../../server/http/routes/chain.ts";
import { startTestApp } from "../support/app.ts";
import { withDatabases } from "../support/db.ts";
import { TEST_BOT_TOKEN, tmaFor } from "../support/telegram.ts";
import {
  deployTestCampaign,
  type Harness,
  harness,
  SIGNER,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "./support.ts";

/** Hardhat's test keys #3 and #4 (public): the root publisher and the relayer. */
const PUBLISHER = privateKeyToAccount(
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
);
const RELAYER = privateKeyToAccount(
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
);
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };

let chain: TestChain;
let campaign: TestCampaignDeployment;
let run = 0;
let clean: string;

before(async () => {
  chain = await startTestChain();
  campaign = await deployTestCampaign(
    chain,
    {
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
    { payoutSigner: SIGNER.address, rootPublisher: PUBLISHER.address, relayer: RELAYER.address },
  );
  clean = await chain.snapshot();
});

after(async () => {
  await campaign?.cleanup();
  await chain?.close();
});

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
    await chain.revert(clean);
    clean = await chain.snapshot();
    const h = await harness(db, campaign, { rpcUrl: chain.url, accounts });
    const shop = campaign.deployment.perkShop;
    const token = campaign.deployment.tokens.REF!.token;
    const app = await startTestApp(t, db, {
      campaigns: [campaign.definition],
      routers: [
        {
          path: "/",
          router: chainRoutes({
            domain: h.domain,
            db: db.db,
            contracts: h.contracts,
            chainId: 31337,
            driver: h.ctx.driver,
            resolvers: [
              tmaResolver(h.domain, {
                botToken: TEST_BOT_TOKEN,
                maxAgeSeconds: 3600,
                adminTelegramIds: new Set(),
              }),
            ],
            perMember: (_req, _res, next) => next(),
            bodyLimitBytes: 16_384,
            validateResponses: true,
            localHealth: () => [],
          }).router,
        },
      ],
    });

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
    const domain = await h.ctx.driver.client.getEip712Domain({ address: token });
    const permitNonce = await h.ctx.driver.client.readContract({
      address: token,
      abi: rewardTokenAbi,
      functionName: "nonces",
      args: [member.address],
    });
    const permitDeadline = BigInt(now + 3600);
    const permitSig = parseSignature(
      await member.signTypedData({
        domain: {
          name: domain.domain.name,
          version: domain.domain.version,
          chainId: Number(domain.domain.chainId),
          verifyingContract: domain.domain.verifyingContract,
        },
        types: {
          Permit: [
            { name: "owner", type: "address" },
            { name: "spender", type: "address" },
            { name: "value", type: "uint256" },
            { name: "nonce", type: "uint256" },
            { name: "deadline", type: "uint256" },
          ],
        },
        primaryType: "Permit",
        message: {
          owner: member.address,
          spender: shop,
          value: REF("10"),
          nonce: permitNonce,
          deadline: permitDeadline,
        },
      }),
    );
    const permit = {
      value: REF("10").toString(),
      deadline: Number(permitDeadline),
      v: Number(permitSig.v ?? BigInt(27 + (permitSig.yParity ?? 0))),
      r: permitSig.r,
      s: permitSig.s,
    };

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
