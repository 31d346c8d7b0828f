import assert from "node:assert/strict";
import { network } from "hardhat";
import { type Address, getAddress, keccak256, parseEther, toHex, zeroHash } from "viem";
import { buildCampaignModule, campaignModuleId } from "../../ignition/modules/Campaign.ts";

const { viem, ignition } = await network.create();
const role = (name: string) => keccak256(toHex(name));
const ADMIN = zeroHash;

async function deployShape(handOver: boolean, slug: string) {
  const [
    deployer,
    adminWallet,
    guardian,
    payoutSigner,
    rootPublisher,
    badgeMinter,
    relayer,
    treasury,
  ] = await viem.getWalletClients();
  const admin = handOver ? adminWallet.account.address : deployer.account.address;
  // The role holders the module is given, as its parameters name them.
  const roles = {
    guardian: guardian.account.address,
    payoutSigner: payoutSigner.account.address,
    rootPublisher: rootPublisher.account.address,
    badgeMinter: badgeMinter.account.address,
    relayer: relayer.account.address,
    treasury: treasury.account.address,
  };
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
        ...roles,
        publishDelay: 86_400n,
        REF_name: "Refmint Referral",
        REF_cap: parseEther("1000000"),
        REF_budget: parseEther("500000"),
        REF_maxBatch: parseEther("4000"),
        REF_daily: parseEther("20000"),
        ACT_name: "Refmint Activity",
        ACT_cap: parseEther("2000000"),
        ACT_budget: parseEther("100000"),
        ACT_maxBatch: parseEther("1000"),
        ACT_daily: parseEther("3000"),
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
  const who = {
    deployer: deployer.account.address,
    admin,
    ...roles,
  };
  return { deployed: d, who, adminWallet };
}

type Deployed = Awaited<ReturnType<typeof deployShape>>["deployed"];
type Who = Awaited<ReturnType<typeof deployShape>>["who"];

/** Every role of every contract, and exactly who may hold it. */
function expectedRoles(d: Deployed, who: Who) {
  const expect: Array<
    [
      string,
      { read: { hasRole: (a: readonly [`0x${string}`, Address]) => Promise<boolean> } },
      string,
      Address[],
    ]
  > = [];
  const add = (name: string, c: (typeof expect)[number][1], roleName: string, holders: Address[]) =>
    expect.push([name, c, roleName, holders]);
  for (const s of ["REF", "ACT"] as const) {
    const token = s === "REF" ? d.token_REF : d.token_ACT;
    const distributor = s === "REF" ? d.distributor_REF : d.distributor_ACT;
    add(`token ${s}`, token, "DEFAULT_ADMIN_ROLE", [who.admin]);
    add(`token ${s}`, token, "MINTER_ROLE", [d.payouts.address]);
    add(`token ${s}`, token, "PAUSER_ROLE", [who.guardian]);
    add(`distributor ${s}`, distributor, "DEFAULT_ADMIN_ROLE", [who.admin]);
    add(`distributor ${s}`, distributor, "PUBLISHER_ROLE", [who.rootPublisher]);
    add(`distributor ${s}`, distributor, "RELEASER_ROLE", [who.payoutSigner]);
    add(`distributor ${s}`, distributor, "GUARDIAN_ROLE", [who.guardian]);
  }
  add("payouts", d.payouts, "DEFAULT_ADMIN_ROLE", [who.admin]);
  add("payouts", d.payouts, "PAYOUT_ROLE", [who.payoutSigner]);
  add("payouts", d.payouts, "PAUSER_ROLE", [who.guardian]);
  add("badges", d.badges, "DEFAULT_ADMIN_ROLE", [who.admin]);
  add("badges", d.badges, "MINTER_ROLE", [who.badgeMinter]);
  add("shop", d.shop, "DEFAULT_ADMIN_ROLE", [who.admin]);
  add("shop", d.shop, "RELAYER_ROLE", [who.relayer]);
  return expect;
}

async function assertRoleMatrix(d: Deployed, who: Who) {
  const people = Object.entries(who) as Array<[string, Address]>;
  for (const [contract, c, roleName, holders] of expectedRoles(d, who)) {
    const id = roleName === "DEFAULT_ADMIN_ROLE" ? ADMIN : role(roleName);
    for (const [name, address] of [
      ...people,
      ["payouts", d.payouts.address] as [string, Address],
    ]) {
      const expected = holders.some((h) => getAddress(h) === getAddress(address));
      assert.equal(
        await c.read.hasRole([id, address]),
        expected,
        `${contract} ${roleName}: ${name} ${expected ? "holds" : "must not hold"} it`,
      );
    }
  }
}

describe("Campaign Ignition module", () => {
  it("deploys a whole campaign with budgets, per-batch and daily limits, badges, perks and one key per role", async () => {
    const { deployed: d, who } = await deployShape(false, "dev");
    assert.equal(await d.payouts.read.campaignId(), 42n);
    assert.deepEqual(await d.payouts.read.budgetOf([d.token_REF.address]), [
      parseEther("500000"),
      0n,
      parseEther("4000"),
      parseEther("20000"),
      parseEther("20000"),
      false,
    ]);
    assert.deepEqual(await d.distributor_ACT.read.releaseLimits(), [
      parseEther("1000"),
      parseEther("3000"),
      parseEther("3000"),
    ]);
    assert.equal(await d.distributor_REF.read.publishDelay(), 86_400n);
    assert.equal(await d.token_ACT.read.symbol(), "ACT");
    assert.equal(await d.token_ACT.read.cap(), parseEther("2000000"));
    assert.equal(getAddress(await d.distributor_ACT.read.token()), getAddress(d.token_ACT.address));
    assert.equal(getAddress(await d.distributor_REF.read.treasury()), getAddress(who.treasury));
    assert.equal(await d.badges.read.uri([2n]), "ipfs://ticket");
    assert.equal(await d.badges.read.isTransferable([1n]), false);
    assert.equal(await d.shop.read.perkCount(), 2n);
    const perk2 = await d.shop.read.perkOf([2n]);
    assert.equal(getAddress(perk2.token), getAddress(d.token_ACT.address));
    assert.equal(perk2.burn, false);
    // The deployer is the admin here, and holds nothing else.
    await assertRoleMatrix(d, who);
  });

  it("hands the admin role over in two steps, after which the deployer holds no role anywhere", async () => {
    const { deployed: d, who, adminWallet } = await deployShape(true, "handover");
    const all = [
      d.payouts,
      d.badges,
      d.shop,
      d.token_REF,
      d.token_ACT,
      d.distributor_REF,
      d.distributor_ACT,
    ];
    for (const c of all) {
      // Started, not done: the deployer keeps the role until the admin accepts.
      const [pending] = await c.read.pendingDefaultAdmin();
      assert.equal(getAddress(pending), getAddress(who.admin));
      assert.equal(await c.read.hasRole([ADMIN, who.deployer]), true);
      const asAdmin = await viem.getContractAt("ReferralPayouts", c.address, {
        client: { wallet: adminWallet },
      });
      await asAdmin.write.acceptDefaultAdminTransfer();
    }
    await assertRoleMatrix(d, who);
    for (const c of all)
      assert.equal(getAddress(await c.read.defaultAdmin()), getAddress(who.admin));
  });
});
