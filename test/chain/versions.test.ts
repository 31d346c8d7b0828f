/**
 * A campaign rules version on a real Hardhat chain with PGlite and PostgreSQL
 * (server/chain/versions.ts with server/domain/versions.ts): the plan compares the file with
 * the version in effect and with the chain, the admin's transactions apply budgets, limits,
 * perks and badges and publish the version, and the indexer makes it take effect at the block
 * of its `RulesPublished` log. Refusals send nothing; an interrupted run resumes without
 * applying anything twice.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Address, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  badgesAbi,
  perkShopAbi,
  referralPayoutsAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "../../server/chain/abi.ts";
import { evmWalletClient } from "../../server/chain/evm/client.ts";
import {
  executeActions,
  planVersion,
  type RecordAction,
  UNLIMITED_STOCK,
} from "../../server/chain/versions.ts";
import { type CampaignDefinition, rulesDocument } from "../../server/domain/campaign.ts";
import { runMaintenance } from "../../server/domain/maintenance.ts";
import {
  documentHash,
  prepareVersion,
  recordVersionAction,
  versionFor,
  versionState,
} from "../../server/domain/versions.ts";
import { testCampaign } from "../support/campaign.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import {
  ADMIN,
  CHAIN_ID,
  deployTestCampaign,
  type Harness,
  harness,
  SIGNER,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "./support.ts";

const REF = (v: string) => parseUnits(v, 18);
const SLUG = `versions-${process.pid}`;

const mug = {
  id: "mug",
  title: { en: "Mug", ru: "Кружка" },
  token: "REF",
  price: "30",
  stock: 100,
};
const sticker = {
  id: "sticker",
  title: { en: "Stickers", ru: "Стикеры" },
  token: "REF",
  price: "5",
  stock: null,
};
const v1: CampaignDefinition = testCampaign({
  slug: SLUG,
  onchainId: 41,
  perks: [mug, sticker],
  badges: [{ id: 1, name: { en: "Star", ru: "Звезда" }, transferable: false }],
});
/** Version 2: bigger budget and limits, a cheaper mug with 50 more units, a T-shirt, a badge. */
const v2: CampaignDefinition = testCampaign({
  ...v1,
  levels: [
    { level: 1, token: "REF", amount: "12" },
    { level: 2, percent: 20 },
    { level: 3, amount: "1" },
  ],
  tokens: [{ ...v1.tokens[0]!, budget: "2000000", maxBatchAmount: "20000", dailyLimit: "200000" }],
  perks: [
    { ...mug, price: "25", stock: 150 },
    sticker,
    {
      id: "tee",
      title: { en: "T-shirt", ru: "Футболка" },
      token: "REF",
      price: "80",
      stock: 50,
      // Its sale ends on-chain (PerkShop refuses later redemptions).
      expiresAt: "2099-01-01T00:00:00Z",
    },
  ],
  badges: [...v1.badges, { id: 2, name: { en: "Moon", ru: "Луна" }, transferable: true }],
});

let chain: TestChain;
let campaign: TestCampaignDeployment;
let clean: string;

before(async () => {
  chain = await startTestChain();
  campaign = await deployTestCampaign(chain, v1);
  clean = await chain.snapshot();
});

after(async () => {
  await campaign?.cleanup();
  await chain?.close();
});

/** Plans `to` after the version in effect, as the command does. */
async function plan(h: Harness, to: CampaignDefinition) {
  const state = await versionState(h.db.db, h.campaignId);
  const document = rulesDocument(to);
  const hash = documentHash(document);
  const version = versionFor(state, hash)!;
  const rulesUrl = `https://refmint.test/rules/${SLUG}/${hash.slice(2)}.json`;
  const p = await planVersion(h.ctx.driver.client, {
    slug: SLUG,
    deployment: h.domain.campaigns.bySlug(SLUG)!.deployment!,
    from: JSON.parse(state.effective.document),
    to,
    version,
    hash,
    rulesUrl,
    metadataUrl: "https://refmint.test",
  });
  return { ...p, version, document, hash, rulesUrl };
}

/** Plans and records the version, then sends its actions as the admin. */
async function apply(h: Harness, to: CampaignDefinition, record?: RecordAction) {
  const p = await plan(h, to);
  assert.deepEqual(p.refusals, []);
  const prepared = await prepareVersion(h.db.db, {
    campaignId: h.campaignId,
    version: p.version,
    document: p.document,
    rulesUrl: p.rulesUrl,
    actions: p.actions,
    createdBy: "system",
  });
  const recordIt: RecordAction = async (key, status, txHash) => {
    await recordVersionAction(h.db.db, {
      campaignId: h.campaignId,
      version: prepared.version,
      key,
      status,
      txHash,
    });
  };
  return executeActions(h.ctx.driver.client, ADMIN, prepared.actions, record ?? recordIt);
}

/** A member with a wallet buys `quantity` mugs straight from the shop (their own transaction). */
async function buyMugs(h: Harness, quantity: number) {
  const account = privateKeyToAccount(generatePrivateKey());
  await chain.setBalance(account.address, 10n ** 18n);
  const id = await h.member(7000 + quantity);
  await h.link(id, account.address);
  await h.grant(id, "1000");
  await h.settle();
  const wallet = evmWalletClient(account, {
    rpcUrl: chain.url,
    chainId: CHAIN_ID,
    profile: "test",
  });
  const shop = campaign.deployment.perkShop as Address;
  await chain.client.waitForTransactionReceipt({
    hash: await wallet.writeContract({
      address: campaign.deployment.tokens.REF!.token as Address,
      abi: rewardTokenAbi,
      functionName: "approve",
      args: [shop, REF("1000")],
    }),
  });
  await chain.client.waitForTransactionReceipt({
    hash: await wallet.writeContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "redeem",
      args: [1n, quantity, REF("1000"), toHex(`mugs-${quantity}`, { size: 32 })],
    }),
  });
}

const read = {
  budget: (h: Harness) =>
    h.ctx.driver.client.readContract({
      address: campaign.deployment.referralPayouts as Address,
      abi: referralPayoutsAbi,
      functionName: "budgetOf",
      args: [campaign.deployment.tokens.REF!.token as Address],
    }),
  perk: (h: Harness, id: number) =>
    h.ctx.driver.client.readContract({
      address: campaign.deployment.perkShop as Address,
      abi: perkShopAbi,
      functionName: "perkOf",
      args: [BigInt(id)],
    }),
  rules: (h: Harness) =>
    h.ctx.driver.client.readContract({
      address: campaign.deployment.referralPayouts as Address,
      abi: referralPayoutsAbi,
      functionName: "currentRules",
    }),
};

async function fresh(db: Parameters<typeof harness>[0]) {
  // Each database starts from the deployed chain (payout ids restart with the ledger).
  await chain.revert(clean);
  clean = await chain.snapshot();
  return harness(db, campaign, { rpcUrl: chain.url });
}

test("a version's budgets, limits, perks and badges are applied by the admin, and it takes effect at its RulesPublished block", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    await buyMugs(h, 3);

    // Planning (what --dry-run prints) writes nothing and sends nothing.
    const before = await rowCounts(db);
    const blockBefore = await chain.client.getBlockNumber();
    const p = await plan(h, v2);
    assert.deepEqual(await rowCounts(db), before);
    assert.equal(await chain.client.getBlockNumber(), blockBefore);
    assert.equal(p.version, 2);
    assert.deepEqual(p.refusals, []);
    assert.deepEqual(
      p.actions.map((a) => `${a.contract}.${a.functionName} ${a.key}`),
      [
        "ReferralPayouts.setBudget budget:REF",
        "RewardDistributor.setReleaseLimits releaseLimits:REF",
        "PerkShop.updatePerk perk:1",
        "PerkShop.createPerk perk:3:create",
        "Badges.defineBadge badge:2",
        "ReferralPayouts.updateRules rules",
      ],
    );
    assert.deepEqual(
      p.changes.filter((c) => c.audience === "members").map((c) => c.subject),
      ["level", "perk.price", "perk.stock", "perk", "badge", "token.budget"],
    );

    const result = await apply(h, v2);
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    const [limit, spent, maxBatchAmount, dailyLimit, , fromVault] = await read.budget(h);
    assert.deepEqual(
      [limit, maxBatchAmount, dailyLimit, fromVault],
      [REF("2000000"), REF("20000"), REF("200000"), false],
    );
    assert.equal(spent, REF("1000"));
    const [releaseBatch, releaseDaily] = await h.ctx.driver.client.readContract({
      address: campaign.deployment.tokens.REF!.distributor as Address,
      abi: rewardDistributorAbi,
      functionName: "releaseLimits",
    });
    assert.deepEqual([releaseBatch, releaseDaily], [REF("20000"), REF("200000")]);
    // 150 mugs in all, 3 sold: 147 left on sale, at the new price.
    const mugNow = await read.perk(h, 1);
    assert.deepEqual([mugNow.price, mugNow.stock], [REF("25"), 147]);
    const tee = await read.perk(h, 3);
    assert.deepEqual([tee.price, tee.stock, tee.burn, tee.active], [REF("80"), 50, true, true]);
    assert.equal(tee.expiresAt, Date.parse("2099-01-01T00:00:00Z") / 1000);
    assert.equal((await read.perk(h, 2)).stock, UNLIMITED_STOCK);
    assert.equal(
      await h.ctx.driver.client.readContract({
        address: campaign.deployment.badges as Address,
        abi: badgesAbi,
        functionName: "isTransferable",
        args: [2n],
      }),
      true,
    );
    assert.deepEqual(await read.rules(h), [2n, p.hash]);

    // Pending until the indexer sees its block; then in effect, at that block.
    assert.equal((await versionState(db.db, h.campaignId)).pending?.version, 2);
    await h.indexer.runOnce();
    const state = await versionState(db.db, h.campaignId);
    assert.equal(state.effective.version, 2);
    assert.equal(state.effective.blockNumber, result.rulesBlock);
    assert.equal(state.effective.txHash, result.rulesTx);
    assert.equal(state.effective.rulesUrl, p.rulesUrl);
    assert.ok(state.effective.actions.every((a) => a.status === "done"));
    await runMaintenance(h.domain);
    assert.equal(h.domain.campaigns.bySlug(SLUG)?.version, 2);

    // Done: the same file again plans nothing (it is the version in effect, on-chain).
    assert.equal(versionFor(await versionState(db.db, h.campaignId), p.hash), undefined);
  });
});

test("what only a redeploy could change is refused, and so is a budget below what was paid: nothing is sent", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const member = await h.member(7100);
    await h.link(member, SIGNER.address);
    await h.grant(member, "500");
    await h.settle();
    const wrong = testCampaign({
      ...v1,
      tokens: [
        { ...v1.tokens[0]!, cap: "500", budget: "400", dailyLimit: "400", maxBatchAmount: "400" },
      ],
      escrow: { publishDelayHours: 24 },
      perks: [sticker, mug],
      badges: [],
    });
    const blockBefore = await chain.client.getBlockNumber();
    const p = await plan(h, wrong);
    assert.deepEqual(p.refusals, [
      "escrow.publishDelayHours is fixed in the distributors at deployment: it needs a redeploy",
      "tokens.REF.cap is fixed on-chain: it needs a redeploy",
      "tokens.REF.budget 400 is below what the campaign already paid (500000000000000000000 smallest units)",
      'perks.0: "sticker" where "mug" was; perks keep their order (perk ids on-chain are positions), add new ones at the end',
      'perks.1: "mug" where "sticker" was; perks keep their order (perk ids on-chain are positions), add new ones at the end',
      "badges: 1 was removed; a badge stays defined on-chain",
    ]);
    assert.equal(await chain.client.getBlockNumber(), blockBefore);
  });
});

test("an interrupted run resumes: what was sent is confirmed, the rest is planned anew, nothing applies twice", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    await buyMugs(h, 2);
    const real: RecordAction = (key, status, txHash) =>
      recordVersionAction(db.db, {
        campaignId: h.campaignId,
        version: 2,
        key,
        status,
        txHash,
      }).then(() => {});

    // 1. Killed after the mug's update was mined, before it was recorded done.
    const crash = new Error("killed");
    await assert.rejects(
      apply(h, v2, async (key, status, txHash) => {
        await real(key, status, txHash);
        if (key === "perk:1" && status === "done") throw crash;
      }),
      crash,
    );
    assert.equal((await read.perk(h, 1)).stock, 148);
    // 2. Killed after signing the T-shirt's creation and recording it, before broadcasting it.
    await assert.rejects(
      apply(h, v2, async (key, status, txHash) => {
        if (key === "perk:3:create" && status === "sent") {
          await real(key, status, txHash);
          throw crash;
        }
        await real(key, status, txHash);
      }),
      crash,
    );
    let actions = (await versionState(db.db, h.campaignId)).pending!.actions;
    assert.deepEqual(
      actions.map((a) => [a.key, a.status]),
      [
        ["budget:REF", "done"],
        ["releaseLimits:REF", "done"],
        ["perk:1", "done"],
        ["perk:3:create", "sent"],
        ["badge:2", "planned"],
        ["rules", "planned"],
      ],
    );
    // 3. The T-shirt's transaction never went out: the run says so and plans it again.
    const third = await apply(h, v2);
    assert.equal(third.ok, false);
    assert.equal(third.failed?.key, "perk:3:create");
    assert.match(third.failed!.reason, /is gone; run the command again/);
    // 4. And the next run finishes.
    const fourth = await apply(h, v2);
    assert.equal(fourth.ok, true, JSON.stringify(fourth.failed));
    actions = (await versionState(db.db, h.campaignId)).pending!.actions;
    assert.ok(actions.every((a) => a.status === "done"));
    // The mug got its 50 more units once (150 in all, 2 sold), the T-shirt was created once.
    assert.equal((await read.perk(h, 1)).stock, 148);
    assert.equal(
      await h.ctx.driver.client.readContract({
        address: campaign.deployment.perkShop as Address,
        abi: perkShopAbi,
        functionName: "perkCount",
      }),
      3n,
    );
    await h.indexer.runOnce();
    assert.equal((await versionState(db.db, h.campaignId)).effective.version, 2);
  });
});

test("the version in effect is published on-chain as it is (version 1, after a deploy)", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const p = await plan(h, v1);
    assert.equal(p.version, 1);
    assert.deepEqual(p.changes, []);
    assert.deepEqual(
      p.actions.map((a) => a.key),
      ["rules"],
    );
    const result = await apply(h, v1);
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    assert.deepEqual(await read.rules(h), [1n, p.hash]);
    await h.indexer.runOnce();
    const state = await versionState(db.db, h.campaignId);
    assert.equal(state.effective.version, 1);
    assert.equal(state.effective.blockNumber, result.rulesBlock);
    assert.equal(state.effective.rulesUrl, p.rulesUrl);
    assert.equal(state.pending, null);
    // Nothing left to do for this file.
    assert.equal(versionFor(state, p.hash), undefined);
  });
});
