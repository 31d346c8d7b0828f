/**
 * Perks through the admin API (issue 14) on a real Hardhat chain with PGlite and PostgreSQL:
 * an admin lists the perks with their state on-chain, plans a new perk (dry run: the calls,
 * their gas and cost; nothing written or sent), creates it (a rules version applied on-chain by
 * the command's code, audited with before and after), a member redeems it through the relayer,
 * the admin raises its price, and an order signed at the old price is refused "price changed"
 * and spends nothing. Bad input (price, end of sale, requirement, stock below what was sold,
 * unknown or taken ids, a role that may not edit) is refused with a clear 4xx, writing nothing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Address, type Hex, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { perkShopAbi, rewardTokenAbi } from "../../server/chain/abi.ts";
import { perkOrderTypedData, permitOf, permitTypedData } from "../../server/chain/perkOrder.ts";
import { queryRows } from "../../server/db/index.ts";
import { refreshCampaignVersions } from "../../server/domain/versions.ts";
import { adminTokenResolver, tmaResolver } from "../../server/http/auth.ts";
import { chainRoutes } from "../../server/http/routes/chain.ts";
import { operatorRoutes } from "../../server/http/routes/operator.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../support/app.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import { TEST_BOT_TOKEN, tmaFor } from "../support/telegram.ts";
import {
  ADMIN,
  ADMIN_KEY,
  CHAIN_ID,
  deployedChain,
  type Harness,
  PUBLISHER,
  RELAYER,
  SIGNER,
  testSettings,
} from "./support.ts";

const title = (en: string) => ({ en, ru: en });
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { campaign, fresh } = await deployedChain({
  accounts,
  campaign: {
    badges: [{ id: 3, name: title("First invite"), transferable: false }],
    perks: [{ id: "sticker", title: title("Stickers"), token: "REF", price: "5", stock: 10 }],
  },
});
const REF = (v: string) => parseUnits(v, 18);
const admin = `Bearer ${TEST_ADMIN_TOKEN}`;
let run = 0;

async function perkApp(t: Parameters<typeof startTestApp>[0], h: Harness) {
  const tma = tmaResolver(h.domain, {
    botToken: TEST_BOT_TOKEN,
    maxAgeSeconds: 3600,
    adminTelegramIds: new Set(),
  });
  const common = {
    domain: h.domain,
    db: h.db.db,
    contracts: h.contracts,
    chainId: CHAIN_ID,
    driver: h.ctx.driver,
    settings: h.ctx.settings,
    metrics: h.ctx.metrics,
    logger: h.ctx.logger,
    bodyLimitBytes: 16_384,
    validateResponses: true,
  };
  const member = chainRoutes({
    ...common,
    resolvers: [tma],
    perMember: (_req, _res, next) => next(),
    localHealth: () => [],
  });
  const operator = operatorRoutes({
    ...common,
    resolvers: [adminTokenResolver(TEST_ADMIN_TOKEN), tma],
    publicUrl: "https://api.refmint.test",
  });
  return startTestApp(t, h.db, {
    campaigns: [campaign.definition],
    routers: [
      { path: "/", router: member.router },
      { path: "/", router: operator.router },
    ],
  });
}

test("admins create and change perks through the API (dry run, then on-chain); an order at the old price is refused", async (t) => {
  await withDatabases(t, async (db) => {
    run++;
    const h = await fresh(db, {
      settings: testSettings({ CAMPAIGN_ADMIN_PRIVATE_KEY: ADMIN_KEY }),
    });
    const app = await perkApp(t, h);
    const client = h.ctx.driver.client;
    const slug = campaign.definition.slug;
    const shop = campaign.deployment.perkShop;
    const token = campaign.deployment.tokens.REF!.token;
    const base = `/api/admin/campaigns/${slug}/perks`;
    const perkCount = async () =>
      Number(
        await client.readContract({ address: shop, abi: perkShopAbi, functionName: "perkCount" }),
      );
    const adminNonce = () => client.getTransactionCount({ address: ADMIN.address });
    /** The indexer sees the version's block; the service switches to it (maintenance). */
    const takeEffect = async () => {
      await h.indexer.runOnce();
      await refreshCampaignVersions(h.domain);
    };

    // The list: the file's perk with its state on-chain.
    const listed = await app.call("GET", base, { auth: admin });
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.body.version, 1);
    assert.deepEqual(
      listed.body.items.map((p: { perkId: number; sold: number; onSale: boolean }) => [
        p.perkId,
        p.sold,
        p.onSale,
      ]),
      [[1, 0, true]],
    );
    assert.equal(listed.body.items[0].onchain.stock, 10);
    assert.equal(listed.body.items[0].onchain.price, REF("5").toString());

    // Refusals: clear 4xx, nothing written, nothing sent.
    const mug = {
      id: "mug",
      title: { en: "Mug", ru: "Кружка" },
      token: "REF",
      price: "7",
      stock: 3,
    };
    const counts = await rowCounts(db);
    const nonce = await adminNonce();
    const refused = async (
      res: Awaited<ReturnType<typeof app.call>>,
      status: number,
      code: string,
      field?: RegExp,
    ) => {
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.code, code, res.text);
      if (field) assert.match(res.body.detail, field);
    };
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, price: "0" } }),
      422,
      "perk_invalid",
      /perks\.mug\.price/,
    );
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, price: "1.5.0" } }),
      422,
      "perk_invalid",
    );
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, token: "NOPE" } }),
      422,
      "perk_invalid",
      /NOPE/,
    );
    await refused(
      await app.call("POST", base, {
        auth: admin,
        body: { ...mug, expiresAt: "2020-01-01T00:00:00Z" },
      }),
      422,
      "perk_expiry_past",
    );
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, requires: { badge: 99 } } }),
      422,
      "perk_requirement_unknown",
      /badge/,
    );
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, requires: { tier: "nope" } } }),
      422,
      "perk_requirement_unknown",
      /tier/,
    );
    await refused(
      await app.call("POST", base, { auth: admin, body: { ...mug, id: "sticker" } }),
      409,
      "perk_exists",
    );
    await refused(
      await app.call("PATCH", `${base}/nothing`, { auth: admin, body: { price: "3" } }),
      404,
      "perk_unknown",
    );
    // A manager may edit; an analyst may not (and the attempt is the one row it leaves).
    const analyst = await app.members(8800 + run);
    await app.call("PUT", `/api/admin/campaigns/${slug}/roles/${analyst[0]!.id}/analyst`, {
      auth: admin,
    });
    const countsWithRole = await rowCounts(db);
    await refused(
      await app.call("POST", base, { auth: tmaFor(8800 + run), body: { ...mug, dryRun: true } }),
      403,
      "forbidden",
    );
    const afterForbidden = await rowCounts(db);
    assert.equal(afterForbidden.audit_log, countsWithRole.audit_log + 1, "access.denied only");
    assert.deepEqual({ ...afterForbidden, audit_log: 0 }, { ...countsWithRole, audit_log: 0 });
    assert.equal(counts.campaign_versions, afterForbidden.campaign_versions);
    assert.equal(await adminNonce(), nonce, "nothing sent");

    // The dry run: the difference, the calls with calldata, the gas and cost; nothing changes.
    const before = await rowCounts(db);
    const dry = await app.call("POST", base, { auth: admin, body: { ...mug, dryRun: true } });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.body.status, "dry_run");
    assert.equal(dry.body.perkId, 2);
    assert.equal(dry.body.version, 2);
    assert.deepEqual(
      dry.body.actions.map((a: { key: string }) => a.key),
      ["perk:2:create", "rules"],
    );
    assert.match(dry.body.actions[0].data, /^0x[0-9a-f]+$/);
    assert.ok(
      dry.body.changes.some((c: { text: string }) => /Mug/.test(c.text)),
      JSON.stringify(dry.body.changes),
    );
    assert.equal(dry.body.estimate.from, ADMIN.address);
    assert.equal(dry.body.estimate.adminKeyHere, true);
    assert.ok(
      dry.body.estimate.actions.every((a: { gas: string | null }) => Number(a.gas) > 21_000),
    );
    assert.ok(BigInt(dry.body.estimate.costWei) > 0n);
    assert.deepEqual(await rowCounts(db), before, "a dry run writes nothing");
    assert.equal(await perkCount(), 1, "a dry run sends nothing");
    assert.equal(await adminNonce(), nonce);

    // Applied: a rules version, sent with the campaign admin's key, audited before/after.
    const created = await app.call("POST", base, { auth: admin, body: mug });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "published");
    assert.ok(
      created.body.actions.every(
        (a: { status: string; txHash: string | null }) => a.status === "done" && a.txHash,
      ),
    );
    assert.equal(await perkCount(), 2);
    const [audit] = await queryRows<{ actor: string; before: unknown; after: { price: string } }>(
      db.db,
      sql`select actor, before, after from audit_log where action = 'perk.created'`,
    );
    assert.equal(audit?.actor, "api-token");
    assert.equal(audit?.before, null);
    assert.equal(audit?.after.price, "7");
    // Until the indexer has seen it, the next change waits (refused, nothing written).
    const early = await app.call("PATCH", `${base}/mug`, { auth: admin, body: { price: "9" } });
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.code, "rules_version_pending");
    await takeEffect();
    const now = await app.call("GET", base, { auth: admin });
    assert.equal(now.body.version, 2);
    assert.equal(now.body.items[1].onchain.stock, 3);

    // A member redeems the new perk through the relayer (no gas).
    const wallet = privateKeyToAccount(generatePrivateKey());
    const telegramId = 8900 + run;
    const memberId = await h.member(telegramId);
    await h.link(memberId, wallet.address);
    await h.grant(memberId, "20");
    await h.settle();
    const auth = tmaFor(telegramId);
    const balance = () =>
      client.readContract({
        address: token,
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [wallet.address],
      });
    const deadline = Math.floor(Date.now() / 1000) + 3600;
    const { domain } = await client.getEip712Domain({ address: token });
    const permit = async (value: bigint) => {
      const terms = {
        owner: wallet.address,
        spender: shop,
        value,
        nonce: await client.readContract({
          address: token,
          abi: rewardTokenAbi,
          functionName: "nonces",
          args: [wallet.address],
        }),
        deadline: BigInt(deadline),
      };
      const p = permitOf(
        terms,
        await wallet.signTypedData(
          permitTypedData(
            { ...domain, chainId: Number(domain.chainId), address: domain.verifyingContract },
            terms,
          ),
        ),
      );
      return { ...p, value: p.value.toString(), deadline: Number(p.deadline) };
    };
    let orders = 0;
    const redeem = async (perkId: number, maxCost: bigint, withPermit?: bigint) => {
      const order = {
        member: wallet.address as Address,
        perkId: BigInt(perkId),
        quantity: 1,
        maxCost,
        orderRef: toHex(`perk-admin-${run}-${++orders}`, { size: 32 }) as Hex,
        nonce: 0n,
        deadline: BigInt(deadline),
      };
      const signature = await wallet.signTypedData(perkOrderTypedData(CHAIN_ID, shop, order));
      return app.call("POST", `/api/me/perks/${perkId}/redeem`, {
        auth,
        body: {
          campaign: slug,
          quantity: 1,
          maxCost: maxCost.toString(),
          orderRef: order.orderRef,
          nonce: "0",
          deadline,
          signature,
          ...(withPermit ? { permit: await permit(withPermit) } : {}),
        },
      });
    };
    const shopView = await app.call("GET", `/api/me/shop?campaign=${slug}`, { auth });
    assert.equal(shopView.status, 200, shopView.text);
    const mugView = shopView.body.items.find((i: { key: string }) => i.key === "mug");
    assert.equal(mugView.price.tokens, "7");
    assert.equal(mugView.refusal, null);
    const first = await redeem(2, REF("7"), REF("20"));
    assert.equal(first.status, 202, first.text);
    await h.settle(async () => {
      const list = await app.call("GET", "/api/me/redemptions", { auth });
      return list.body.items[0]?.status === "redeemed";
    });
    assert.equal(await balance(), REF("13"));

    // One sold: the stock cannot go below it.
    await refused(
      await app.call("PATCH", `${base}/mug`, { auth: admin, body: { stock: 0 } }),
      409,
      "perk_stock_below_sold",
    );

    // The price goes up (dry run first: one updatePerk, then the rules).
    const dryPrice = await app.call("PATCH", `${base}/mug`, {
      auth: admin,
      body: { price: "9", dryRun: true },
    });
    assert.equal(dryPrice.status, 200, dryPrice.text);
    assert.deepEqual(
      dryPrice.body.actions.map((a: { key: string }) => a.key),
      ["perk:2", "rules"],
    );
    assert.equal(dryPrice.body.before.sold, 1);
    const changed = await app.call("PATCH", `${base}/mug`, { auth: admin, body: { price: "9" } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.status, "published");
    assert.equal(changed.body.version, 3);
    await takeEffect();
    const [changeAudit] = await queryRows<{
      before: { price: string; sold: number };
      after: { price: string; stock: number };
    }>(db.db, sql`select before, after from audit_log where action = 'perk.changed'`);
    assert.equal(changeAudit?.before.price, "7");
    assert.equal(changeAudit?.before.sold, 1);
    assert.equal(changeAudit?.after.price, "9");
    assert.equal(changeAudit?.after.stock, 3, "stock unchanged (sold ones included)");
    const onchain = await client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "perkOf",
      args: [2n],
    });
    assert.equal(onchain.price, REF("9"));
    assert.equal(onchain.stock, 2, "two left of three");

    // An order signed at the old price: refused "price changed", nothing spent or written.
    const spent = await rowCounts(db);
    const stale = await redeem(2, REF("7"));
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.body.code, "price_changed");
    assert.deepEqual(await rowCounts(db), spent);
    assert.equal(await balance(), REF("13"));

    // Retired: none left on sale; the perk stays (its id is its position).
    const retired = await app.call("POST", `${base}/mug/retire`, { auth: admin, body: {} });
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.body.after.stock, 1, "its stock is what was sold");
    await takeEffect();
    const last = await app.call("GET", base, { auth: admin });
    const mugState = last.body.items.find(
      (p: { definition: { id: string } }) => p.definition.id === "mug",
    );
    assert.deepEqual([mugState.onchain.stock, mugState.sold, mugState.onSale], [0, 1, false]);
    const again = await redeem(2, REF("9"));
    assert.equal(again.body.code, "out_of_stock", again.text);
    assert.ok(
      (await queryRows(db.db, sql`select 1 from audit_log where action = 'perk.retired'`))
        .length === 1,
    );
  });
});
