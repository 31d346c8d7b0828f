import assert from "node:assert/strict";
import { network } from "hardhat";
import { deployCampaign, freshAddress } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();

async function deployWithBadges() {
  const f = await deployCampaign(viem);
  await f.badges.write.defineBadge([1n, "ipfs://badges/silver.json", false]);
  await f.badges.write.defineBadge([2n, "ipfs://badges/ticket.json", true]);
  return f;
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
        f.asBackend.badges.write.defineBadge([4n, "x", true]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("mintBatch", () => {
    it("mints one badge to each new holder and skips those who hold it", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      const bob = f.bob.account.address;
      await f.asBackend.badges.write.mintBatch([1n, [alice]]);
      const { result } = await f.asBackend.badges.simulate.mintBatch([1n, [alice, bob, bob]], {
        account: f.backend.account.address,
      });
      assert.equal(result, 1n);
      await viem.assertions.emitWithArgs(
        f.asBackend.badges.write.mintBatch([1n, [alice, bob, bob]]),
        f.badges,
        "TransferSingle",
        [f.backend.account.address, "0x0000000000000000000000000000000000000000", bob, 1n, 1n],
      );
      assert.equal(await f.badges.read.balanceOf([alice, 1n]), 1n);
      assert.equal(await f.badges.read.balanceOf([bob, 1n]), 1n);
    });

    it("refuses undefined badges and callers without MINTER_ROLE", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asBackend.badges.write.mintBatch([9n, [f.alice.account.address]]),
        f.badges,
        "BadgesUnknownBadge",
        [9n],
      );
      await viem.assertions.revertWithCustomError(
        f.badges.write.mintBatch([1n, [f.alice.account.address]]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("prints gas per badge for a batch of 100", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const hash = await f.asBackend.badges.write.mintBatch([
        1n,
        Array.from({ length: 100 }, (_, i) => freshAddress(i)),
      ]);
      const { gasUsed } = await f.publicClient.waitForTransactionReceipt({ hash });
      console.log(`        gas per badge, batch of 100: ${gasUsed / 100n}`);
      assert.equal(await f.badges.read.balanceOf([freshAddress(99), 1n]), 1n);
    });
  });

  describe("transfers", () => {
    it("refuses to move a soulbound badge, single or batched", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.asBackend.badges.write.mintBatch([1n, [alice]]);
      await f.asBackend.badges.write.mintBatch([2n, [alice]]);
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

    it("lets holders move a transferable badge", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.asBackend.badges.write.mintBatch([2n, [alice]]);
      const asAlice = await viem.getContractAt("Badges", f.badges.address, {
        client: { wallet: f.alice },
      });
      await asAlice.write.safeTransferFrom([alice, f.bob.account.address, 2n, 1n, "0x"]);
      assert.equal(await f.badges.read.balanceOf([f.bob.account.address, 2n]), 1n);
    });
  });

  describe("revoke", () => {
    it("burns a held badge, for the minter only", async () => {
      const f = await networkHelpers.loadFixture(deployWithBadges);
      const alice = f.alice.account.address;
      await f.asBackend.badges.write.mintBatch([1n, [alice]]);
      await viem.assertions.revertWithCustomError(
        f.badges.write.revoke([alice, 1n]),
        f.badges,
        "AccessControlUnauthorizedAccount",
      );
      await f.asBackend.badges.write.revoke([alice, 1n]);
      assert.equal(await f.badges.read.balanceOf([alice, 1n]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asBackend.badges.write.revoke([alice, 1n]),
        f.badges,
        "BadgesNotHeld",
        [alice, 1n],
      );
    });
  });

  it("supports the ERC-1155 and AccessControl interfaces", async () => {
    const f = await networkHelpers.loadFixture(deployWithBadges);
    assert.equal(await f.badges.read.supportsInterface(["0xd9b67a26"]), true);
    assert.equal(await f.badges.read.supportsInterface(["0x7965db0b"]), true);
    assert.equal(await f.badges.read.supportsInterface(["0xffffffff"]), false);
  });
});
