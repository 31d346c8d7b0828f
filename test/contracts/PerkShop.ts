import assert from "node:assert/strict";
import { network } from "hardhat";
import {
  type Address,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
} from "viem";
import { NO_PERMIT, type PerkOrder, perkOrderTypedData } from "../../server/chain/perkOrder.ts";
import {
  type CampaignFixture,
  deployCampaign,
  payout,
  signPermit,
  type Wallet,
} from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const order = (n: number) => keccak256(toHex(`order-${n}`));
const E = (v: string) => parseEther(v);

/** Alice earned 100 REF; the shop sells a burned coupon (10 REF, 2 in stock) and a treasury perk. */
async function deployShop() {
  const f = await deployCampaign(viem);
  await f.pay([
    payout(1n, f.alice.account.address, E("100")),
    payout(2n, f.mallory.account.address, E("1")),
  ]);
  await f.shop.write.createPerk([f.token.address, E("10"), 2, 0, true]);
  await f.shop.write.createPerk([f.token.address, E("5"), 100, 0, false]);
  await f.shop.write.createPerk([f.token.address, 1n, 100, 0, true]); // the cheapest there is
  return f;
}

async function approving(f: CampaignFixture, wallet: Wallet, amount: bigint) {
  const token = await viem.getContractAt("RewardToken", f.token.address, {
    client: { wallet },
  });
  await token.write.approve([f.shop.address, amount]);
  return viem.getContractAt("PerkShop", f.shop.address, { client: { wallet } });
}

/** A member's order for `perkId`, signed by `signer` (the member's wallet unless forged). */
async function signedOrder(
  f: CampaignFixture,
  member: Address,
  signer: Wallet,
  over: Partial<PerkOrder> = {},
) {
  const o: PerkOrder = {
    member,
    perkId: 1n,
    quantity: 1,
    maxCost: E("10"),
    orderRef: order(1),
    nonce: await f.shop.read.nonces([member]),
    deadline: BigInt(await networkHelpers.time.latest()) + 600n,
    ...over,
  };
  const signature = await signer.signTypedData(
    perkOrderTypedData(await f.publicClient.getChainId(), f.shop.address, o),
  );
  return { order: o, signature };
}

describe("PerkShop", () => {
  describe("createPerk and updatePerk", () => {
    it("creates numbered perks and changes them, for the admin only", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      assert.equal(await f.shop.read.perkCount(), 3n);
      await viem.assertions.emitWithArgs(
        f.shop.write.updatePerk([2n, E("6"), 100, 50, 0, false]),
        f.shop,
        "PerkSet",
        [2n, getAddress(f.token.address), E("6"), 50n, 0n, false, false],
      );
      const perk = await f.shop.read.perkOf([2n]);
      assert.equal(perk.price, E("6"));
      assert.equal(perk.active, false);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.shop.write.updatePerk([9n, 1n, 0, 1, 0, true]),
        f.shop,
        "PerkShopUnknownPerk",
        [9n],
      );
      await viem.assertions.revertWithCustomError(
        f.shop.write.createPerk([zeroAddress, 1n, 1, 0, true]),
        f.shop,
        "PerkShopZeroAddress",
      );
      for (const as of [
        f.as.shop,
        await viem.getContractAt("PerkShop", f.shop.address, { client: { wallet: f.mallory } }),
      ]) {
        await viem.assertions.revertWithCustomError(
          as.write.createPerk([f.token.address, 1n, 1, 0, true]),
          f.shop,
          "AccessControlUnauthorizedAccount",
        );
      }
    });

    it("refuses a price of zero and a token address that holds no contract", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      await viem.assertions.revertWithCustomError(
        f.shop.write.createPerk([f.token.address, 0n, 5, 0, true]),
        f.shop,
        "PerkShopZeroPrice",
      );
      await viem.assertions.revertWithCustomError(
        f.shop.write.updatePerk([1n, 0n, 2, 2, 0, true]),
        f.shop,
        "PerkShopZeroPrice",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.shop.write.createPerk([f.alice.account.address, 1n, 5, 0, true]),
        f.shop,
        "PerkShopNotAContract",
        [getAddress(f.alice.account.address)],
      );
      assert.equal(await f.shop.read.perkCount(), 3n);
    });

    it("does not silently overwrite stock sold since the admin read it", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await approving(f, f.alice, E("15"));
      await shop.write.redeem([2n, 3, E("15"), order(1)]);
      // The admin read 100 and meant to raise the price; 3 were sold in between.
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.shop.write.updatePerk([2n, E("6"), 100, 100, 0, true]),
        f.shop,
        "PerkShopStockChanged",
        [2n, 100n, 97n],
      );
      assert.equal((await f.shop.read.perkOf([2n])).stock, 97);
      await f.shop.write.updatePerk([2n, E("6"), 97, 97, 0, true]);
      assert.equal((await f.shop.read.perkOf([2n])).price, E("6"));
    });
  });

  describe("redeem", () => {
    it("burns the price for a burning perk and logs the order under the member's order id", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await approving(f, f.alice, E("20"));
      const alice = f.alice.account.address;
      const orderId = keccak256(
        encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [alice, order(1)]),
      );
      assert.equal(await f.shop.read.orderIdOf([alice, order(1)]), orderId);
      await viem.assertions.emitWithArgs(
        shop.write.redeem([1n, 2, E("20"), order(1)]),
        f.shop,
        "PerkRedeemed",
        [getAddress(alice), 1n, orderId, 2n, getAddress(f.token.address), E("20")],
      );
      assert.equal(await f.token.read.balanceOf([alice]), E("80"));
      assert.equal(await f.token.read.totalSupply(), E("81"));
      assert.equal((await f.shop.read.perkOf([1n])).stock, 0);
      assert.equal(await f.shop.read.isOrderRefUsed([alice, order(1)]), true);
    });

    it("sends the price to the treasury for a non-burning perk", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await approving(f, f.alice, E("5"));
      await shop.write.redeem([2n, 1, E("5"), order(2)]);
      assert.equal(await f.token.read.balanceOf([f.treasury.account.address]), E("5"));
      assert.equal(await f.token.read.totalSupply(), E("101"));
    });

    it("never charges more than the member's maximum, even if the price rose before the call", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await approving(f, f.alice, E("100"));
      await f.shop.write.updatePerk([1n, E("90"), 2, 2, 0, true]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([1n, 1, E("10"), order(3)]),
        f.shop,
        "PerkShopCostAboveMax",
        [E("90"), E("10")],
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), E("100"));
    });

    it("keys order references per member: a front-runner cannot use up a member's reference", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const asMallory = await approving(f, f.mallory, 1n);
      // Mallory saw Alice's pending order and redeems the cheapest perk with the same reference.
      await asMallory.write.redeem([3n, 1, 1n, order(9)]);
      const shop = await approving(f, f.alice, E("10"));
      await shop.write.redeem([1n, 1, E("10"), order(9)]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), E("90"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, E("5"), order(9)]),
        f.shop,
        "PerkShopOrderRefUsed",
        [getAddress(f.alice.account.address), order(9)],
      );
    });

    it("refuses an out-of-stock, inactive, expired, unknown or zero-quantity redemption", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const shop = await approving(f, f.alice, E("100"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([1n, 3, E("30"), order(3)]),
        f.shop,
        "PerkShopOutOfStock",
        [1n, 3n, 2n],
      );
      await viem.assertions.revertWithCustomError(
        shop.write.redeem([1n, 0, E("30"), order(3)]),
        f.shop,
        "PerkShopZeroQuantity",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([7n, 1, E("30"), order(3)]),
        f.shop,
        "PerkShopUnknownPerk",
        [7n],
      );
      const soon = (await networkHelpers.time.latest()) + 100;
      await f.shop.write.updatePerk([2n, E("5"), 100, 100, soon, true]);
      await networkHelpers.time.increaseTo(soon + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, E("5"), order(3)]),
        f.shop,
        "PerkShopPerkExpired",
        [2n, BigInt(soon)],
      );
      await f.shop.write.updatePerk([2n, E("5"), 100, 100, 0, false]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        shop.write.redeem([2n, 1, E("5"), order(3)]),
        f.shop,
        "PerkShopPerkInactive",
        [2n],
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), E("100"));
    });
  });

  describe("redeemWithPermit", () => {
    it("redeems the member's signed order funded by their permit, costing the member no gas", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const alice = f.alice.account.address;
      const { order: o, signature } = await signedOrder(f, alice, f.alice);
      const permit = await signPermit(f, f.alice, f.shop.address, E("10"), o.deadline);
      const ethBefore = await f.publicClient.getBalance({ address: alice });
      await viem.assertions.emitWithArgs(
        f.as.shop.write.redeemWithPermit([o, signature, permit]),
        f.shop,
        "PerkRedeemed",
        [
          getAddress(alice),
          1n,
          await f.shop.read.orderIdOf([alice, o.orderRef]),
          1n,
          getAddress(f.token.address),
          E("10"),
        ],
      );
      assert.equal(await f.publicClient.getBalance({ address: alice }), ethBefore);
      assert.equal(await f.token.read.balanceOf([alice]), E("90"));
      // The same order cannot be relayed twice.
      await viem.assertions.revertWithCustomError(
        f.as.shop.write.redeemWithPermit([o, signature, NO_PERMIT]),
        f.shop,
        "PerkShopOrderRefUsed",
      );
    });

    it("does not spend a member's standing approval without the member's order", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const alice = f.alice.account.address;
      await approving(f, f.alice, E("100"));
      // A relayer (or its leaked key) with a garbage permit and an order it signed itself.
      const forged = await signedOrder(f, alice, f.relayer, { quantity: 2, maxCost: E("20") });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.shop.write.redeemWithPermit([forged.order, forged.signature, NO_PERMIT]),
        f.shop,
        "PerkShopInvalidSignature",
        [getAddress(alice)],
      );
      // A real order cannot be stretched: another quantity, perk or maximum breaks the signature.
      const real = await signedOrder(f, alice, f.alice);
      for (const changed of [
        { ...real.order, quantity: 2 },
        { ...real.order, perkId: 2n },
        { ...real.order, maxCost: E("20") },
        { ...real.order, orderRef: order(2) },
      ]) {
        await viem.assertions.revertWithCustomError(
          f.as.shop.write.redeemWithPermit([changed, real.signature, NO_PERMIT]),
          f.shop,
          "PerkShopInvalidSignature",
        );
      }
      assert.equal(await f.token.read.balanceOf([alice]), E("100"));
      // The member's own order may use that approval: the order is the authorisation.
      await f.as.shop.write.redeemWithPermit([real.order, real.signature, NO_PERMIT]);
      assert.equal(await f.token.read.balanceOf([alice]), E("90"));
    });

    it("still redeems when someone front-ran the permit", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const alice = f.alice.account.address;
      const { order: o, signature } = await signedOrder(f, alice, f.alice);
      const permit = await signPermit(f, f.alice, f.shop.address, E("10"), o.deadline);
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await asMallory.write.permit([
        alice,
        f.shop.address,
        permit.value,
        permit.deadline,
        permit.v,
        permit.r,
        permit.s,
      ]);
      await f.as.shop.write.redeemWithPermit([o, signature, permit]);
      assert.equal(await f.token.read.balanceOf([alice]), E("90"));
    });

    it("refuses an expired order, a stale nonce, an unfunded order, and every caller but the relayer", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const alice = f.alice.account.address;
      const late = await signedOrder(f, alice, f.alice, {
        deadline: BigInt(await networkHelpers.time.latest()) + 5n,
      });
      await networkHelpers.time.increase(60);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.shop.write.redeemWithPermit([late.order, late.signature, NO_PERMIT]),
        f.shop,
        "PerkShopOrderExpired",
        [late.order.deadline],
      );
      // Alice cancels her outstanding orders.
      const pending = await signedOrder(f, alice, f.alice);
      const asAlice = await viem.getContractAt("PerkShop", f.shop.address, {
        client: { wallet: f.alice },
      });
      await viem.assertions.emitWithArgs(asAlice.write.cancelOrders(), f.shop, "OrdersCancelled", [
        getAddress(alice),
        1n,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.shop.write.redeemWithPermit([pending.order, pending.signature, NO_PERMIT]),
        f.shop,
        "PerkShopInvalidNonce",
        [getAddress(alice), 0n, 1n],
      );
      // A valid order with a bad permit and no allowance: the transfer refuses it.
      const fresh = await signedOrder(f, alice, f.alice);
      const bad = await signPermit(
        f,
        f.alice,
        f.shop.address,
        E("10"),
        fresh.order.deadline,
        f.mallory,
      );
      await viem.assertions.revertWithCustomError(
        f.as.shop.write.redeemWithPermit([fresh.order, fresh.signature, bad]),
        f.token,
        "ERC20InsufficientAllowance",
      );
      for (const wallet of [f.admin, f.alice, f.payer]) {
        const as = await viem.getContractAt("PerkShop", f.shop.address, { client: { wallet } });
        await viem.assertions.revertWithCustomError(
          as.write.redeemWithPermit([fresh.order, fresh.signature, NO_PERMIT]),
          f.shop,
          "AccessControlUnauthorizedAccount",
        );
      }
      assert.equal(await f.token.read.balanceOf([alice]), E("100"));
    });

    it("accepts orders signed by a contract wallet (ERC-1271)", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      const wallet = await viem.deployContract("ERC1271Wallet", [f.carol.account.address]);
      await f.pay([payout(10n, wallet.address, E("30"))]);
      const asOwner = await viem.getContractAt("ERC1271Wallet", wallet.address, {
        client: { wallet: f.carol },
      });
      await asOwner.write.execute([
        f.token.address,
        encodeFunctionData({
          abi: f.token.abi,
          functionName: "approve",
          args: [f.shop.address, E("10")],
        }),
      ]);
      const { order: o, signature } = await signedOrder(f, wallet.address, f.carol);
      await f.as.shop.write.redeemWithPermit([o, signature, NO_PERMIT]);
      assert.equal(await f.token.read.balanceOf([wallet.address]), E("20"));
      // Signed by anyone else, the wallet refuses it.
      const other = await signedOrder(f, wallet.address, f.mallory, { orderRef: order(5) });
      await viem.assertions.revertWithCustomError(
        f.as.shop.write.redeemWithPermit([other.order, other.signature, NO_PERMIT]),
        f.shop,
        "PerkShopInvalidSignature",
      );
    });
  });

  describe("setTreasury", () => {
    it("changes the treasury for the admin only and refuses the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployShop);
      await viem.assertions.emitWithArgs(
        f.shop.write.setTreasury([f.carol.account.address]),
        f.shop,
        "TreasurySet",
        [getAddress(f.carol.account.address)],
      );
      await viem.assertions.revertWithCustomError(
        f.shop.write.setTreasury([zeroAddress]),
        f.shop,
        "PerkShopZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        f.as.shop.write.setTreasury([f.carol.account.address]),
        f.shop,
        "AccessControlUnauthorizedAccount",
      );
    });
  });
});
