import assert from "node:assert/strict";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroHash } from "viem";
import { buildCampaignModule, campaignModuleId } from "../../ignition/modules/Campaign.ts";

const { viem, ignition } = await network.create();
const role = (name: string) => keccak256(toHex(name));

async function deployShape(handOver: boolean, slug: string) {
  const [deployer, adminWallet, backend, treasury] = await viem.getWalletClients();
  const admin = handOver ? adminWallet.account.address : deployer.account.address;
  const module = buildCampaignModule({
    slug,
    tokens: ["REF", "ACT"],
    badges: [1, 2],
    perks: ["REF", "ACT"],
    handOver,
  });
  const deployed = await ignition.deploy(module, {
    displayUi: false,
    parameters: {
      [campaignModuleId(slug)]: {
        campaignId: 42n,
        admin,
        backend: backend.account.address,
        treasury: treasury.account.address,
        REF_name: "Refmint Referral",
        REF_cap: parseEther("1000000"),
        REF_budget: parseEther("500000"),
        REF_maxBatch: parseEther("10000"),
        ACT_name: "Refmint Activity",
        ACT_cap: parseEther("2000000"),
        ACT_budget: parseEther("100000"),
        ACT_maxBatch: parseEther("1000"),
        badge1_uri: "ipfs://silver",
        badge1_transferable: false,
        badge2_uri: "ipfs://ticket",
        badge2_transferable: true,
        perk1_price: parseEther("50"),
        perk1_stock: 100,
        perk2_price: parseEther("5"),
        perk2_stock: 10,
        perk2_burn: false,
      },
    },
  });
  // Per-token futures are keyed by symbol at build time, so look them up by address.
  const byKey = deployed as unknown as Record<string, { address: `0x${string}` }>;
  const d = {
    payouts: deployed.payouts,
    badges: deployed.badges,
    shop: deployed.shop,
    token_REF: await viem.getContractAt("RewardToken", byKey.token_REF.address),
    token_ACT: await viem.getContractAt("RewardToken", byKey.token_ACT.address),
    distributor_REF: await viem.getContractAt("RewardDistributor", byKey.distributor_REF.address),
    distributor_ACT: await viem.getContractAt("RewardDistributor", byKey.distributor_ACT.address),
  };
  return {
    deployed: d,
    deployer: deployer.account.address,
    admin,
    backend: backend.account.address,
    treasury: treasury.account.address,
  };
}

describe("Campaign Ignition module", () => {
  it("deploys a whole campaign with budgets, badges, perks and the backend's roles", async () => {
    const { deployed: d, admin, backend, treasury } = await deployShape(false, "dev");
    assert.equal(await d.payouts.read.campaignId(), 42n);
    assert.deepEqual(await d.payouts.read.budgetOf([d.token_REF.address]), [
      parseEther("500000"),
      0n,
      parseEther("10000"),
    ]);
    assert.equal(await d.token_ACT.read.symbol(), "ACT");
    assert.equal(await d.token_ACT.read.cap(), parseEther("2000000"));
    for (const token of [d.token_REF, d.token_ACT]) {
      assert.equal(await token.read.hasRole([role("MINTER_ROLE"), d.payouts.address]), true);
      assert.equal(await token.read.hasRole([role("PAUSER_ROLE"), admin]), true);
    }
    assert.equal(await d.payouts.read.hasRole([role("PAYOUT_ROLE"), backend]), true);
    assert.equal(await d.distributor_REF.read.hasRole([role("PUBLISHER_ROLE"), backend]), true);
    assert.equal(
      (await d.distributor_ACT.read.token()).toLowerCase(),
      d.token_ACT.address.toLowerCase(),
    );
    assert.equal((await d.distributor_REF.read.treasury()).toLowerCase(), treasury.toLowerCase());
    assert.equal(await d.badges.read.hasRole([role("MINTER_ROLE"), backend]), true);
    assert.equal(await d.badges.read.uri([2n]), "ipfs://ticket");
    assert.equal(await d.badges.read.isTransferable([1n]), false);
    assert.equal(await d.shop.read.hasRole([role("RELAYER_ROLE"), backend]), true);
    assert.equal(await d.shop.read.perkCount(), 2n);
    const perk2 = await d.shop.read.perkOf([2n]);
    assert.equal(perk2.token.toLowerCase(), d.token_ACT.address.toLowerCase());
    assert.equal(perk2.burn, false);
  });

  it("hands every admin role over to a separate admin and keeps none for the deployer", async () => {
    const { deployed: d, deployer, admin } = await deployShape(true, "handover");
    for (const c of [d.payouts, d.badges, d.shop, d.token_REF, d.token_ACT]) {
      assert.equal(await c.read.hasRole([zeroHash, admin]), true);
      assert.equal(await c.read.hasRole([zeroHash, deployer]), false);
    }
    assert.equal(await d.distributor_REF.read.hasRole([zeroHash, admin]), true);
    assert.equal(await d.distributor_REF.read.hasRole([zeroHash, deployer]), false);
  });
});
