import assert from "node:assert/strict";
import { network } from "hardhat";
import {
  type Address,
  createWalletClient,
  custom,
  getAddress,
  parseEther,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployCampaign, freshAddress } from "./fixtures.ts";

const { viem, networkHelpers, provider } = await network.create();

async function deployWithBadges() {
  const f = await deployCampaign(viem);
  await f.badges.write.defineBadge([1n, "ipfs://badges/silver.json", false]);
  await f.badges.write.defineBadge([2n, "ipfs://badges/ticket.json", true]);
  // Contract recipients: one without the ERC-1155 hook, one that accepts.
  const noHook = await viem.deployContract("PlainERC20");
  const receiver = await viem.deployContract("BadgeReceiver");
  return { ...f, noHook, receiver };
}

/** An EIP-7702 account: an EOA whose code delegates to `target` (here one without the hook). */
async function delegatedAccount(target: Address): Promise<Address> {
  const account = privateKeyToAccount(generatePrivateKey());
  await networkHelpers.setBalance(account.address, parseEther("1"));
  const publicClient = await viem.getPublicClient();
  const wallet = createWalletClient({
    account,
    chain: publicClient.chain,
    transport: custom(provider),
  });
  const authorization = await wallet.signAuthorization({
    contractAddress: target,
    executor: "self",
  });
  // Sent to another address: a call to the account itself would run the delegate's code.
  const hash = await wallet.sendTransaction({
    to: freshAddress(7702),
    authorizationList: [authorization],
  });
  await publicClient.waitForTransactionReceipt({ hash });
  const code = await publicClient.getCode({ address: account.address });
  assert.equal(code?.slice(0, 8), "0xef0100", "the account delegates");
  return account.address;
}

describe("Badges", () => {
  describe("defineBadge", () => {
    it("sets the URI and transferability, for the admin only", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      await viem.assertions.emitWithArgs(
        f.badges.write.defineBadge([3n, "ipfs://badges/gold.json", false]),
        f.badges,
        "BadgeDefined",
        [3n, "ipfs://badges/gold.json", false],
      );
      assert.equal(await f.badges.read.uri([3n]), "ipfs://badges/gold.json");
      assert.equal(await f.badges.read.isTransferable([2n]), true);
      assert.equal(await f.badges.read.isTransferable([1n]), false);
      await viem.assertions.revertWithCustomError(
        f.as.badges.write.defineBadge([4n, "x", true]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("mintBatch", () => {
    it("mints one badge to each new holder and skips those it was minted to", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      const bob = f.bob.account.address;
      await f.as.badges.write.mintBatch([1n, [alice]]);
      const { result } = await f.as.badges.simulate.mintBatch([1n, [alice, bob, bob]], {
        account: f.minter.account.address,
      });
      assert.equal(result, 1n);
      await viem.assertions.emitWithArgs(
        f.as.badges.write.mintBatch([1n, [alice, bob, bob]]),
        f.badges,
        "TransferSingle",
        [getAddress(f.minter.account.address), zeroAddress, getAddress(bob), 1n, 1n],
      );
      assert.deepEqual(
        await f.badges.read.balanceOfBatch([
          [alice, bob, alice],
          [1n, 1n, 2n],
        ]),
        [1n, 1n, 0n],
      );
      assert.equal(await f.badges.read.wasMinted([bob, 1n]), true);
      assert.equal(await f.badges.read.wasMinted([bob, 2n]), false);
    });

    it("gives soulbound badges to contract wallets and EIP-7702 accounts without the acceptance call", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const delegated = await delegatedAccount(f.noHook.address);
      const recipients = [
        f.alice.account.address,
        f.noHook.address,
        delegated,
        f.bob.account.address,
      ];
      const { result } = await f.as.badges.simulate.mintBatch([1n, recipients], {
        account: f.minter.account.address,
      });
      assert.equal(result, 4n);
      await f.as.badges.write.mintBatch([1n, recipients]);
      for (const r of recipients) assert.equal(await f.badges.read.balanceOf([r, 1n]), 1n);
    });

    it("skips a transferable badge's recipient that refuses it, and mints to the rest", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const delegated = await delegatedAccount(f.noHook.address);
      const alice = f.alice.account.address;
      const bob = f.bob.account.address;
      const hash = await f.as.badges.write.mintBatch([
        2n,
        [alice, f.noHook.address, delegated, f.receiver.address, bob],
      ]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      await viem.assertions.emitWithArgs(
        f.as.badges.write.mintBatch([2n, [f.noHook.address]]),
        f.badges,
        "BadgeMintFailed",
        [2n, getAddress(f.noHook.address)],
      );
      assert.deepEqual(
        await f.badges.read.balanceOfBatch([
          [alice, f.noHook.address, delegated, f.receiver.address, bob],
          [2n, 2n, 2n, 2n, 2n],
        ]),
        [1n, 0n, 0n, 1n, 1n],
      );
      assert.equal(await f.badges.read.wasMinted([f.noHook.address, 2n]), false);
      assert.equal(await f.badges.read.wasMinted([f.receiver.address, 2n]), true);
      // Only the contract itself may run the checked mint.
      await viem.assertions.revertWithCustomError(
        f.badges.write.mintWithAcceptanceCheck([alice, alice, 2n]),
        f.badges,
        "BadgesOnlySelf",
      );
    });

    it("does not mint again on a retry after a transferable badge moved away or a badge was revoked", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.as.badges.write.mintBatch([2n, [alice]]);
      await f.as.badges.write.mintBatch([1n, [alice]]);
      const asAlice = await viem.getContractAt("Badges", f.badges.address, {
        client: { wallet: f.alice },
      });
      await asAlice.write.safeTransferFrom([alice, f.bob.account.address, 2n, 1n, "0x"]);
      await f.as.badges.write.revoke([alice, 1n]);
      const { result } = await f.as.badges.simulate.mintBatch([2n, [alice]], {
        account: f.minter.account.address,
      });
      assert.equal(result, 0n);
      await f.as.badges.write.mintBatch([2n, [alice]]);
      await f.as.badges.write.mintBatch([1n, [alice]]);
      assert.deepEqual(
        await f.badges.read.balanceOfBatch([
          [alice, alice],
          [1n, 2n],
        ]),
        [0n, 0n],
      );
      assert.equal(await f.badges.read.balanceOf([f.bob.account.address, 2n]), 1n);
      // Bob holds one by transfer, none was minted to him: he can still earn his own.
      await f.as.badges.write.mintBatch([2n, [f.bob.account.address]]);
      assert.equal(await f.badges.read.balanceOf([f.bob.account.address, 2n]), 2n);
    });

    it("refuses undefined badges, a zero recipient and callers without MINTER_ROLE", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.badges.write.mintBatch([9n, [f.alice.account.address]]),
        f.badges,
        "BadgesUnknownBadge",
        [9n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.badges.write.mintBatch([1n, [f.alice.account.address, zeroAddress]]),
        f.badges,
        "ERC1155InvalidReceiver",
        [zeroAddress],
      );
      assert.equal(await f.badges.read.balanceOf([f.alice.account.address, 1n]), 0n);
      await viem.assertions.revertWithCustomError(
        f.badges.write.mintBatch([1n, [f.alice.account.address]]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("transfers", () => {
    it("refuses to move a soulbound badge, single or batched", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.as.badges.write.mintBatch([1n, [alice]]);
      await f.as.badges.write.mintBatch([2n, [alice]]);
      const asAlice = await viem.getContractAt("Badges", f.badges.address, {
        client: { wallet: f.alice },
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.safeTransferFrom([alice, f.bob.account.address, 1n, 1n, "0x"]),
        f.badges,
        "BadgesSoulbound",
        [1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.safeBatchTransferFrom([
          alice,
          f.bob.account.address,
          [2n, 1n],
          [1n, 1n],
          "0x",
        ]),
        f.badges,
        "BadgesSoulbound",
        [1n],
      );
    });

    it("lets holders move a transferable badge, and checks balances", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.as.badges.write.mintBatch([2n, [alice]]);
      const asAlice = await viem.getContractAt("Badges", f.badges.address, {
        client: { wallet: f.alice },
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.safeTransferFrom([alice, f.bob.account.address, 2n, 2n, "0x"]),
        f.badges,
        "ERC1155InsufficientBalance",
        [getAddress(alice), 1n, 2n, 2n],
      );
      await asAlice.write.safeTransferFrom([alice, f.bob.account.address, 2n, 1n, "0x"]);
      assert.equal(await f.badges.read.balanceOf([f.bob.account.address, 2n]), 1n);
      assert.equal(await f.badges.read.balanceOf([alice, 2n]), 0n);
      // The usual ERC-1155 acceptance rule applies to transfers.
      const asBob = await viem.getContractAt("Badges", f.badges.address, {
        client: { wallet: f.bob },
      });
      await viem.assertions.revertWithCustomError(
        asBob.write.safeTransferFrom([f.bob.account.address, f.noHook.address, 2n, 1n, "0x"]),
        f.badges,
        "ERC1155InvalidReceiver",
      );
      await asBob.write.safeTransferFrom([f.bob.account.address, freshAddress(1), 2n, 1n, "0x"]);
      assert.equal(await f.badges.read.balanceOf([freshAddress(1), 2n]), 1n);
    });
  });

  describe("revoke", () => {
    it("burns a held badge, for the minter only", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.as.badges.write.mintBatch([1n, [alice]]);
      await viem.assertions.revertWithCustomError(
        f.badges.write.revoke([alice, 1n]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
      await f.as.badges.write.revoke([alice, 1n]);
      assert.equal(await f.badges.read.balanceOf([alice, 1n]), 0n);
      assert.equal(await f.badges.read.wasMinted([alice, 1n]), true);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.badges.write.revoke([alice, 1n]),
        f.badges,
        "BadgesNotHeld",
        [getAddress(alice), 1n],
      );
    });
  });

  it("supports the ERC-1155, AccessControl and default-admin-rules interfaces", async () => {
    const f = await networkHelpers.loadFixture(deployWithBadges);
    assert.equal(await f.badges.read.supportsInterface(["0xd9b67a26"]), true);
    assert.equal(await f.badges.read.supportsInterface(["0x7965db0b"]), true);
    assert.equal(await f.badges.read.supportsInterface(["0x31498786"]), true);
    assert.equal(await f.badges.read.supportsInterface(["0xffffffff"]), false);
  });
});
