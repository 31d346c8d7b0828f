import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { type Address, type Hex, parseEther, zeroHash } from "viem";
import { RewardTree, verifyRewardProof } from "../../server/chain/rewardTree.ts";
import { type CampaignFixture, deployCampaign, freshAddress, payout } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const DAY = 86_400n;

/** The campaign with 1,000 tokens escrowed in the distributor, as payouts to it. */
async function deployFunded() {
  const f = await deployCampaign(viem);
  await f.pay([payout(1n, f.distributor.address, parseEther("1000"))]);
  return f;
}

async function publish(f: CampaignFixture, tree: RewardTree, ttl = 30n * DAY) {
  const deadline = BigInt(await networkHelpers.time.latest()) + ttl;
  await f.asBackend.distributor.write.publishRoot([tree.root, deadline]);
  return deadline;
}

function claimArgs(tree: RewardTree, account: Address): [Address, bigint, Hex[]] {
  const c = tree.claimFor(account)!;
  return [account, c.cumulativeAmount, c.proof];
}

describe("RewardDistributor", () => {
  describe("publishRoot", () => {
    it("publishes numbered epochs and keeps every root", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t1 = RewardTree.build([{ account: f.alice.account.address, cumulativeAmount: 5n }]);
      const t2 = RewardTree.build([{ account: f.alice.account.address, cumulativeAmount: 9n }]);
      const deadline = BigInt(await networkHelpers.time.latest()) + DAY;
      await viem.assertions.emitWithArgs(
        f.asBackend.distributor.write.publishRoot([t1.root, deadline]),
        f.distributor,
        "EpochPublished",
        [1n, t1.root, deadline],
      );
      await publish(f, t2);
      const [number, root] = await f.distributor.read.latestEpoch();
      assert.equal(number, 2n);
      assert.equal(root, t2.root);
      assert.equal(await f.distributor.read.rootOf([1n]), t1.root);
      assert.equal(await f.distributor.read.rootOf([3n]), zeroHash);
    });

    it("refuses a zero root, a past deadline, and callers without PUBLISHER_ROLE", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const now = BigInt(await networkHelpers.time.latest());
      await viem.assertions.revertWithCustomError(
        f.asBackend.distributor.write.publishRoot([zeroHash, now + DAY]),
        f.distributor,
        "RewardDistributorZeroRoot",
      );
      const root = RewardTree.build([
        { account: f.alice.account.address, cumulativeAmount: 5n },
      ]).root;
      await viem.assertions.revertWithCustomError(
        f.asBackend.distributor.write.publishRoot([root, now]),
        f.distributor,
        "RewardDistributorInvalidDeadline",
      );
      const asMallory = await viem.getContractAt("RewardDistributor", f.distributor.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.publishRoot([root, now + DAY]),
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("packs the deadline in 40 bits: accepts 2**40 - 1, refuses later, keeps the full root", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t = RewardTree.build([{ account: f.alice.account.address, cumulativeAmount: 5n }]);
      const latest = 2n ** 40n - 1n;
      await viem.assertions.revertWithCustomError(
        f.asBackend.distributor.write.publishRoot([t.root, latest + 1n]),
        f.distributor,
        "RewardDistributorInvalidDeadline",
      );
      await viem.assertions.revertWithCustomError(
        f.asBackend.distributor.write.publishRoot([t.root, 2n ** 64n - 1n]),
        f.distributor,
        "RewardDistributorInvalidDeadline",
      );
      await f.asBackend.distributor.write.publishRoot([t.root, latest]);
      assert.deepEqual(await f.distributor.read.latestEpoch(), [1n, t.root, latest]);
      assert.equal(await f.distributor.read.rootOf([1n]), t.root);
      await f.distributor.write.claim(claimArgs(t, f.alice.account.address));
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), 5n);
    });

    it("reports no deadline before the first epoch", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      assert.deepEqual(await f.distributor.read.latestEpoch(), [0n, zeroHash, 0n]);
    });
  });

  describe("claim", () => {
    it("compares the root beyond the deadline bits: a root one bit off at bit 40 refuses the proof", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t = RewardTree.build([
        { account: alice, cumulativeAmount: 7n },
        { account: freshAddress(3), cumulativeAmount: 1n },
      ]);
      const offByOne = `0x${(BigInt(t.root) ^ (1n << 40n)).toString(16).padStart(64, "0")}` as Hex;
      const deadline = BigInt(await networkHelpers.time.latest()) + DAY;
      await f.asBackend.distributor.write.publishRoot([offByOne, deadline]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.distributor,
        "RewardDistributorInvalidProof",
        [alice, 7n],
      );
      assert.deepEqual(await f.distributor.read.latestEpoch(), [1n, offByOne, deadline]);
      await publish(f, t);
      await f.distributor.write.claim(claimArgs(t, alice));
      assert.equal(await f.distributor.read.claimed([alice]), 7n);
    });

    it("pays the member, not the caller, and only the difference on later epochs", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t1 = RewardTree.build([
        { account: alice, cumulativeAmount: parseEther("10") },
        { account: f.bob.account.address, cumulativeAmount: parseEther("4") },
      ]);
      await publish(f, t1);
      const asMallory = await viem.getContractAt("RewardDistributor", f.distributor.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.emitWithArgs(
        asMallory.write.claim(claimArgs(t1, alice)),
        f.distributor,
        "Claimed",
        [alice, parseEther("10"), parseEther("10")],
      );
      assert.equal(await f.token.read.balanceOf([alice]), parseEther("10"));
      assert.equal(await f.token.read.balanceOf([f.mallory.account.address]), 0n);
      assert.equal(await f.distributor.read.claimed([alice]), parseEther("10"));

      const t2 = RewardTree.build([
        { account: alice, cumulativeAmount: parseEther("25") },
        { account: f.bob.account.address, cumulativeAmount: parseEther("4") },
      ]);
      await publish(f, t2);
      await f.distributor.write.claim(claimArgs(t2, alice));
      assert.equal(await f.token.read.balanceOf([alice]), parseEther("25"));
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), parseEther("975"));
    });

    it("passes on the token's refusal while it is paused, and claims once resumed", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t = RewardTree.build([
        { account: alice, cumulativeAmount: 7n },
        { account: freshAddress(4), cumulativeAmount: 1n },
      ]);
      await publish(f, t);
      await f.token.write.pause();
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.token,
        "EnforcedPause",
      );
      assert.equal(await f.distributor.read.claimed([alice]), 0n);
      await f.token.write.unpause();
      await viem.assertions.emitWithArgs(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.token,
        "Transfer",
        [f.distributor.address, alice, 7n],
      );
      assert.equal(await f.token.read.balanceOf([alice]), 7n);
    });

    it("refuses a second claim of the same cumulative amount", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t = RewardTree.build([
        { account: alice, cumulativeAmount: 7n },
        { account: freshAddress(1), cumulativeAmount: 1n },
      ]);
      await publish(f, t);
      await f.distributor.write.claim(claimArgs(t, alice));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.distributor,
        "RewardDistributorNothingToClaim",
        [alice, 7n, 7n],
      );
    });

    it("refuses wrong proofs: another amount, another account, another epoch's proof", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const bob = f.bob.account.address;
      const t1 = RewardTree.build([
        { account: alice, cumulativeAmount: 7n },
        { account: bob, cumulativeAmount: 3n },
      ]);
      await publish(f, t1);
      const [, , proof] = claimArgs(t1, alice);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim([alice, 8n, proof]),
        f.distributor,
        "RewardDistributorInvalidProof",
        [alice, 8n],
      );
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim([bob, 7n, proof]),
        f.distributor,
        "RewardDistributorInvalidProof",
      );
      const t2 = RewardTree.build([
        { account: alice, cumulativeAmount: 9n },
        { account: bob, cumulativeAmount: 3n },
      ]);
      await publish(f, t2);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t1, alice)),
        f.distributor,
        "RewardDistributorInvalidProof",
      );
    });

    it("refuses claims before the first epoch and after the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t = RewardTree.build([
        { account: alice, cumulativeAmount: 7n },
        { account: freshAddress(2), cumulativeAmount: 1n },
      ]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      const deadline = await publish(f, t, DAY);
      await networkHelpers.time.increaseTo(deadline + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t, alice)),
        f.distributor,
        "RewardDistributorClaimWindowClosed",
        [1n, deadline],
      );
    });

    it("claims with proofs made by @openzeppelin/merkle-tree itself (1,000 members)", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const values = Array.from({ length: 1000 }, (_, i) => [
        freshAddress(10_000 + i),
        (BigInt(i) + 1n) * 10n ** 15n,
      ]);
      const tree = StandardMerkleTree.of(
        values.map(([a, v]) => [a, v.toString()]),
        ["address", "uint256"],
      );
      await f.asBackend.distributor.write.publishRoot([
        tree.root as Hex,
        BigInt(await networkHelpers.time.latest()) + DAY,
      ]);
      for (const i of [0, 1, 511, 998, 999]) {
        const [account, amount] = values[i] as [Address, bigint];
        const proof = tree.getProof(i) as Hex[];
        assert.equal(await f.distributor.read.computeRoot([account, amount, proof]), tree.root);
        assert.equal(verifyRewardProof(tree.root as Hex, account, amount, proof), true);
        await f.distributor.write.claim([account, amount, proof]);
        assert.equal(await f.token.read.balanceOf([account]), amount);
      }
    });
  });

  describe("clawback", () => {
    it("returns unclaimed rewards to the treasury, only after the deadline and only for the admin", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t = RewardTree.build([
        { account: f.alice.account.address, cumulativeAmount: parseEther("10") },
      ]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.clawback([1n]),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      const deadline = await publish(f, t, DAY);
      await f.distributor.write.claim(claimArgs(t, f.alice.account.address));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.clawback([parseEther("990")]),
        f.distributor,
        "RewardDistributorClaimWindowOpen",
        [1n, deadline],
      );
      await networkHelpers.time.increaseTo(deadline + 1n);
      const asMallory = await viem.getContractAt("RewardDistributor", f.distributor.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.clawback([1n]),
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.clawback([parseEther("991")]),
        f.distributor,
        "RewardDistributorInsufficientBalance",
        [parseEther("991"), parseEther("990")],
      );
      await viem.assertions.emitWithArgs(
        f.distributor.write.clawback([parseEther("990")]),
        f.distributor,
        "ClawedBack",
        [1n, f.treasury.account.address, parseEther("990")],
      );
      assert.equal(await f.token.read.balanceOf([f.treasury.account.address]), parseEther("990"));
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), 0n);
    });
  });

  describe("setTreasury", () => {
    it("changes the treasury for the admin only and refuses the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      await viem.assertions.emitWithArgs(
        f.distributor.write.setTreasury([f.carol.account.address]),
        f.distributor,
        "TreasurySet",
        [f.carol.account.address],
      );
      assert.equal(
        (await f.distributor.read.treasury()).toLowerCase(),
        f.carol.account.address.toLowerCase(),
      );
      await viem.assertions.revertWithCustomError(
        f.distributor.write.setTreasury(["0x0000000000000000000000000000000000000000"]),
        f.distributor,
        "RewardDistributorZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        f.asBackend.distributor.write.setTreasury([f.carol.account.address]),
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  it("round-trips a public reward file to the same root and proofs", async () => {
    const accounts = Array.from({ length: 50 }, (_, i) => freshAddress(500 + i));
    const tree = RewardTree.build(
      accounts.map((account, i) => ({ account, cumulativeAmount: BigInt(i + 1) })),
    );
    const file = JSON.parse(
      JSON.stringify(
        tree.toFile({
          chainId: 31337,
          distributor: accounts[0],
          token: accounts[1],
          epoch: 3,
          deadline: 1,
        }),
      ),
    );
    const loaded = RewardTree.fromFile(file);
    assert.equal(loaded.root, tree.root);
    assert.equal(loaded.total, 1275n);
    assert.deepEqual(loaded.claimFor(accounts[7]), tree.claimFor(accounts[7]));
    assert.throws(() => RewardTree.fromFile({ ...file, root: zeroHash }), /does not match/);
  });
});
