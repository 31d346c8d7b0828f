import assert from "node:assert/strict";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress } from "viem";
import { type CampaignFixture, deployCampaign, payout, signPermit } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const order = (n: number) => keccak256(toHex(`order-${n}`));

/** Alice earned 100 REF; the shop sells a burned coupon (10 REF, 2 in stock) and a treasury perk. */
async function deployShop() {
  const f = await deployCampaign(viem);
  await f.pay([payout(1n, f.alice.account.address, parseEther("100"))]);
  await f.shop.write.createPerk([f.token.address, parseEther("10"), 2, 0, true]);
  await f.shop.write.createPerk([f.token.address, parseEther("5"), 100, 0, false]);
  return f;
}

async function asAliceApproving(f: CampaignFixture, amount: bigint) {
  const token = await viem.getContractAt("RewardToken", f.token.address, {
    client: { wallet: f.alice },
  });
  await token.write.approve([f.shop.address, amount]);
  return viem.getContractAt("PerkShop", f.shop.address, { client: { wallet: f.alice } });
}

describe("PerkShop", () => {
  describe("createPerk and updatePerk", () => {
    it("creates numbered perks and changes them, for the admin only", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      assert.equal(await f.shop.read.perkCount(), 2n);
      await viem.assertions.emitWithArgs(
        f.shop.write.updatePerk([2n, parseEther("6"), 50, 0, false]),
        f.shop,
        "PerkSet",
        [2n, f.token.address, parseEther("6"), 50n, 0n, false, false],
      );
      const perk = await f.shop.read.perkOf([2n]);
      assert.equal(perk.price, parseEther("6"));
      assert.equal(perk.active, false);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.shop.write.updatePerk([9n, 1n, 1, 0, true]),
        f.shop,
        "PerkShopUnknownPerk",
        [9n],
      );
      await viem.assertions.revertWithCustomError(
        f.shop.write.createPerk([zeroAddress, 1n, 1, 0, true]),
        f.shop,
        "PerkShopZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        f.asBackend.shop.write.createPerk([f.token.address, 1n, 1, 0, true]),
        f.shop,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("redeem", () => {
    it("burns the price for a burning perk and logs the order", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await asAliceApproving(f, parseEther("20"));
      await viem.assertions.emitWithArgs(
        shop.write.redeem([1n, 2, order(1)]),
        f.shop,
        "PerkRedeemed",
        [f.alice.account.address, 1n, order(1), 2n, f.token.address, parseEther("20")],
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("80"));
      assert.equal(await f.token.read.totalSupply(), parseEther("80"));
      assert.equal((await f.shop.read.perkOf([1n])).stock, 0);
      assert.equal(await f.shop.read.isOrderRefUsed([order(1)]), true);
    });

    it("sends the price to the treasury for a non-burning perk", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await asAliceApproving(f, parseEther("5"));
      await shop.write.redeem([2n, 1, order(2)]);
      assert.equal(await f.token.read.balanceOf([f.treasury.account.address]), parseEther("5"));
      assert.equal(await f.token.read.totalSupply(), parseEther("100"));
    });

    it("refuses an out-of-stock, inactive, expired, unknown or zero-quantity redemption", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await asAliceApproving(f, parseEther("100"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([1n, 3, order(3)]),
        f.shop,
        "PerkShopOutOfStock",
        [1n, 3n, 2n],
      );
      await viem.assertions.revertWithCustomError(
        shop.write.redeem([1n, 0, order(3)]),
        f.shop,
        "PerkShopZeroQuantity",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([7n, 1, order(3)]),
        f.shop,
        "PerkShopUnknownPerk",
        [7n],
      );
      const soon = (await networkHelpers.time.latest()) + 100;
      await f.shop.write.updatePerk([2n, parseEther("5"), 100, soon, true]);
      await networkHelpers.time.increaseTo(soon + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, order(3)]),
        f.shop,
        "PerkShopPerkExpired",
        [2n, BigInt(soon)],
      );
      await f.shop.write.updatePerk([2n, parseEther("5"), 100, 0, false]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, order(3)]),
        f.shop,
        "PerkShopPerkInactive",
        [2n],
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("100"));
    });

    it("refuses a reused order reference", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await asAliceApproving(f, parseEther("10"));
      await shop.write.redeem([2n, 1, order(4)]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, order(4)]),
        f.shop,
        "PerkShopOrderRefUsed",
        [order(4)],
      );
    });
  });

  describe("redeemWithPermit", () => {
    it("redeems with the member's permit, costing the member no gas", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const { v, r, s } = await signPermit(f, f.alice, f.shop.address, parseEther("10"), deadline);
      const ethBefore = await f.publicClient.getBalance({ address: f.alice.account.address });
      await f.asBackend.shop.write.redeemWithPermit([
        f.alice.account.address,
        1n,
        1,
        order(5),
        deadline,
        v,
        r,
        s,
      ]);
      assert.equal(
        await f.publicClient.getBalance({ address: f.alice.account.address }),
        ethBefore,
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("90"));
    });

    it("still redeems when someone front-ran the permit", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const { v, r, s } = await signPermit(f, f.alice, f.shop.address, parseEther("10"), deadline);
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await asMallory.write.permit([
        f.alice.account.address,
        f.shop.address,
        parseEther("10"),
        deadline,
        v,
        r,
        s,
      ]);
      await f.asBackend.shop.write.redeemWithPermit([
        f.alice.account.address,
        1n,
        1,
        order(6),
        deadline,
        v,
        r,
        s,
      ]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("90"));
    });

    it("refuses a permit signed by someone else, an expired permit, and non-relayers", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const alice = f.alice.account.address;
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const forged = await signPermit(
        f,
        f.alice,
        f.shop.address,
        parseEther("10"),
        deadline,
        f.mallory,
      );
      await viem.assertions.revertWithCustomError(
        f.asBackend.shop.write.redeemWithPermit([
          alice,
          1n,
          1,
          order(7),
          deadline,
          forged.v,
          forged.r,
          forged.s,
        ]),
        f.token,
        "ERC2612InvalidSigner",
      );
      const late = BigInt(await networkHelpers.time.latest()) + 5n;
      const expired = await signPermit(f, f.alice, f.shop.address, parseEther("10"), late);
      await networkHelpers.time.increase(60);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asBackend.shop.write.redeemWithPermit([
          alice,
          1n,
          1,
          order(7),
          late,
          expired.v,
          expired.r,
          expired.s,
        ]),
        f.token,
        "ERC2612ExpiredSignature",
        [late],
      );
      const good = await signPermit(f, f.alice, f.shop.address, parseEther("10"), deadline + 600n);
      await viem.assertions.revertWithCustomError(
        f.shop.write.redeemWithPermit([
          alice,
          1n,
          1,
          order(7),
          deadline + 600n,
          good.v,
          good.r,
          good.s,
        ]),
        f.shop,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asBackend.shop.write.redeemWithPermit([
          alice,
          8n,
          1,
          order(7),
          deadline,
          good.v,
          good.r,
          good.s,
        ]),
        f.shop,
        "PerkShopUnknownPerk",
        [8n],
      );
      assert.equal(await f.token.read.balanceOf([alice]), parseEther("100"));
    });
  });

  describe("setTreasury", () => {
    it("changes the treasury for the admin only and refuses the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      await viem.assertions.emitWithArgs(
        f.shop.write.setTreasury([f.carol.account.address]),
        f.shop,
        "TreasurySet",
        [f.carol.account.address],
      );
      await viem.assertions.revertWithCustomError(
        f.shop.write.setTreasury([zeroAddress]),
        f.shop,
        "PerkShopZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        f.asBackend.shop.write.setTreasury([f.carol.account.address]),
        f.shop,
        "AccessControlUnauthorizedAccount",
      );
    });
  });
});
