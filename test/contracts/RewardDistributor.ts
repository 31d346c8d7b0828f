import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { type Address, decodeEventLog, getAddress, type Hex, parseEther, zeroHash } from "viem";
import {
  encodeReleaseBatch,
  type ReleaseInstruction,
} from "../../server/chain/evm/releaseBatch.ts";
import {
  claimArgs,
  leafTerms,
  type RewardAllocation,
  RewardTree,
  verifyRewardProof,
} from "../../verify/rewardFiles.ts";
import { type CampaignFixture, DAY, deployCampaign, freshAddress, payout } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const E = (v: string) => parseEther(v);

/** The campaign with 1,000 tokens escrowed in the distributor, as payouts to it. */
async function deployFunded() {
  const f = await deployCampaign(viem);
  await f.pay([payout(1n, f.distributor.address, E("1000"))]);
  return f;
}

/** The same with a one-day publish delay, as in production. */
async function deployDelayed() {
  const f = await deployCampaign(viem, { publishDelay: DAY });
  await f.pay([payout(1n, f.distributor.address, E("1000"))]);
  return f;
}

const now = async () => BigInt(await networkHelpers.time.latest());

/** Leaves for `[member, account, cumulativeAmount]`, all closing at `deadline`. */
function tree(entries: Array<[bigint, Address, bigint]>, deadline: bigint, released = false) {
  return RewardTree.build(
    entries.map(([member, account, cumulativeAmount]) => ({
      member,
      account,
      cumulativeAmount,
      deadline: Number(deadline),
      released,
    })),
  );
}

/** Publishes `t` promising `total` (default: every leaf in full, as for a first epoch). */
/** A tree of two leaves: member 1 (Alice) owed `alice`, member 2 (Bob) owed `bob`. */
function aliceAndBob(f: CampaignFixture, alice: bigint, bob: bigint, deadline: bigint) {
  return tree(
    [
      [1n, f.alice.account.address, alice],
      [2n, f.bob.account.address, bob],
    ],
    deadline,
  );
}

async function publish(f: CampaignFixture, t: RewardTree, total = t.cumulativeTotal) {
  return f.as.publisher.write.publishRoot([t.root, total, BigInt(t.deadline)]);
}

async function release(f: CampaignFixture, releases: ReleaseInstruction[]) {
  const { transfers, members } = encodeReleaseBatch(releases);
  return f.as.releaser.write.release([transfers, members]);
}

describe("RewardDistributor", () => {
  describe("publishRoot", () => {
    it("publishes numbered epochs that take effect at once without a delay, and keeps every root", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + DAY;
      const t1 = tree([[1n, f.alice.account.address, 5n]], deadline);
      const t2 = tree([[1n, f.alice.account.address, 9n]], deadline);
      const hash = await publish(f, t1);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      assert.deepEqual(
        receipt.logs.map((l) => {
          const e = decodeEventLog({ abi: f.distributor.abi, data: l.data, topics: l.topics });
          return [e.eventName, e.args];
        }),
        [
          [
            "EpochPublished",
            { epoch: 1n, root: t1.root, total: 5n, deadline, activatesAt: block.timestamp },
          ],
          ["EpochActivated", { epoch: 1n }],
        ],
      );
      await publish(f, t2, 9n);
      assert.deepEqual(await f.distributor.read.latestEpoch(), [2n, t2.root, deadline, 9n]);
      assert.equal(await f.distributor.read.rootOf([1n]), t1.root);
      assert.equal(await f.distributor.read.rootOf([3n]), zeroHash);
      assert.equal(await f.distributor.read.publishedEpochs(), 2n);
    });

    it("refuses a zero root, a past or too late deadline, and every key but the publisher's", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t = tree([[1n, f.alice.account.address, 5n]], (await now()) + DAY);
      await viem.assertions.revertWithCustomError(
        f.as.publisher.write.publishRoot([zeroHash, 5n, (await now()) + DAY]),
        f.distributor,
        "RewardDistributorZeroRoot",
      );
      await viem.assertions.revertWithCustomError(
        f.as.publisher.write.publishRoot([t.root, 5n, await now()]),
        f.distributor,
        "RewardDistributorInvalidDeadline",
      );
      await viem.assertions.revertWithCustomError(
        f.as.publisher.write.publishRoot([t.root, 5n, 2n ** 40n]),
        f.distributor,
        "RewardDistributorInvalidDeadline",
      );
      for (const wallet of [f.admin, f.payer, f.guardian, f.mallory]) {
        const as = await viem.getContractAt("RewardDistributor", f.distributor.address, {
          client: { wallet },
        });
        await viem.assertions.revertWithCustomErrorWithArgs(
          as.write.publishRoot([t.root, 5n, (await now()) + DAY]),
          f.distributor,
          "AccessControlUnauthorizedAccount",
          [getAddress(wallet.account.address), await f.distributor.read.PUBLISHER_ROLE()],
        );
      }
    });

    it("refuses a root that promises more than the distributor holds", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + DAY;
      // 1,000 escrowed: a root promising 600 + 500 would make claims race for the last 100.
      const t = aliceAndBob(f, E("600"), E("500"), deadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        publish(f, t),
        f.distributor,
        "RewardDistributorOverPromised",
        [E("1100"), E("1000")],
      );
      assert.equal(await f.distributor.read.publishedEpochs(), 0n);
      const fits = aliceAndBob(f, E("600"), E("400"), deadline);
      await publish(f, fits);
      assert.deepEqual(await f.distributor.read.latestEpoch(), [
        1n,
        fits.root,
        deadline,
        E("1000"),
      ]);
    });

    it("never moves an open root's deadline earlier (so promised funds cannot be clawed back early)", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t0 = await now();
      const long = tree([[1n, f.alice.account.address, E("10")]], t0 + 30n * DAY);
      await publish(f, long);
      const short = tree([[1n, f.alice.account.address, E("10")]], t0 + DAY);
      await viem.assertions.revertWithCustomErrorWithArgs(
        publish(f, short),
        f.distributor,
        "RewardDistributorDeadlineShortened",
        [t0 + DAY, t0 + 30n * DAY],
      );
      // Past the first root's deadline its promises are over: a new root may close sooner.
      await networkHelpers.time.increaseTo(t0 + 30n * DAY + 1n);
      const later = tree([[1n, f.alice.account.address, E("10")]], t0 + 31n * DAY);
      await publish(f, later);
      assert.equal((await f.distributor.read.latestEpoch())[0], 2n);
    });

    it("with a publish delay: the root waits, the previous one keeps paying, then it takes effect", async () => {
      const f = await networkHelpers.loadFixture(deployDelayed);
      const deadline = (await now()) + 30n * DAY;
      const alice = f.alice.account.address;
      const t1 = tree(
        [
          [1n, alice, E("10")],
          [2n, f.bob.account.address, E("1")],
        ],
        deadline,
      );
      await publish(f, t1);
      const [pending, pendingRoot, , pendingTotal, activatesAt] =
        await f.distributor.read.pendingEpoch();
      assert.deepEqual([pending, pendingRoot, pendingTotal], [1n, t1.root, E("11")]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t1.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        publish(f, t1),
        f.distributor,
        "RewardDistributorRootPending",
        [1n, activatesAt],
      );
      await networkHelpers.time.increaseTo(activatesAt);
      // The first claim after the delay makes the root active on its own.
      await viem.assertions.emitWithArgs(
        f.distributor.write.claim(claimArgs(t1.claimFor(1n)!)),
        f.distributor,
        "EpochActivated",
        [1n],
      );
      assert.equal(await f.token.read.balanceOf([alice]), E("10"));

      // Epoch 2 waits its day; meanwhile epoch 1 still pays bob.
      const t2 = tree(
        [
          [1n, alice, E("15")],
          [2n, f.bob.account.address, E("1")],
        ],
        deadline,
      );
      await publish(f, t2, E("6"));
      await f.distributor.write.claim(claimArgs(t1.claimFor(2n)!));
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t2.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorInvalidProof",
      );
      await networkHelpers.time.increase(DAY);
      await f.distributor.write.activate();
      assert.deepEqual(await f.distributor.read.latestEpoch(), [2n, t2.root, deadline, E("6")]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t1.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorInvalidProof",
      );
      await f.distributor.write.claim(claimArgs(t2.claimFor(1n)!));
      assert.equal(await f.token.read.balanceOf([alice]), E("15"));
    });

    it("lets the guardian, and only the guardian, veto a root during its delay", async () => {
      const f = await networkHelpers.loadFixture(deployDelayed);
      const t = tree([[1n, f.alice.account.address, E("10")]], (await now()) + 30n * DAY);
      await publish(f, t);
      for (const as of [f.distributor, f.as.publisher, f.as.releaser]) {
        await viem.assertions.revertWithCustomError(
          as.write.veto([1n]),
          f.distributor,
          "AccessControlUnauthorizedAccount",
        );
      }
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.guardian.distributor.write.veto([2n]),
        f.distributor,
        "RewardDistributorNotPending",
        [2n],
      );
      await viem.assertions.emitWithArgs(
        f.as.guardian.distributor.write.veto([1n]),
        f.distributor,
        "EpochVetoed",
        [1n],
      );
      await networkHelpers.time.increase(2n * DAY);
      await f.distributor.write.activate();
      assert.deepEqual(await f.distributor.read.latestEpoch(), [0n, zeroHash, 0n, 0n]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      // Too late once the delay is over.
      await publish(f, t);
      await networkHelpers.time.increase(DAY);
      const [, , , , activatesAt] = await f.distributor.read.pendingEpoch();
      assert.equal(activatesAt, 0n, "no longer pending once due");
      await viem.assertions.revertWithCustomError(
        f.as.guardian.distributor.write.veto([2n]),
        f.distributor,
        "RewardDistributorVetoTooLate",
      );
    });

    it("stops a leaked backend key from emptying the escrow with a root that pays itself", async () => {
      const f = await networkHelpers.loadFixture(deployDelayed);
      // The payout signer's key holds no publisher role.
      const thief = f.payer.account.address;
      const steal = tree(
        [
          [999n, thief, E("1000")],
          [1n, f.alice.account.address, 1n],
        ],
        (await now()) + 30n * DAY,
      );
      await viem.assertions.revertWithCustomError(
        f.as.releaser.write.publishRoot([steal.root, E("1000"), BigInt(steal.deadline)]),
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
      // A leaked publisher key cannot promise more than is held, and its root waits out the
      // delay, during which the guardian vetoes it.
      await viem.assertions.revertWithCustomError(
        publish(f, steal),
        f.distributor,
        "RewardDistributorOverPromised",
      );
      const cheaper = tree(
        [
          [999n, thief, E("999")],
          [1n, f.alice.account.address, 1n],
        ],
        BigInt(steal.deadline),
      );
      await publish(f, cheaper);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(cheaper.claimFor(999n)!)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      await f.as.guardian.distributor.write.veto([1n]);
      await networkHelpers.time.increase(2n * DAY);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(cheaper.claimFor(999n)!)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      assert.equal(await f.token.read.balanceOf([thief]), 0n);
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), E("1000"));
    });
  });

  describe("claim", () => {
    it("pays the leaf's wallet, not the caller, and only the difference on later epochs", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const deadline = (await now()) + 30n * DAY;
      const t1 = tree(
        [
          [1n, alice, E("10")],
          [2n, f.bob.account.address, E("4")],
        ],
        deadline,
      );
      await publish(f, t1);
      const asMallory = await viem.getContractAt("RewardDistributor", f.distributor.address, {
        client: { wallet: f.mallory },
      });
      const hash = await asMallory.write.claim(claimArgs(t1.claimFor(1n)!));
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      // The member's Claimed, then the token's Transfer to the leaf's wallet.
      assert.deepEqual(
        receipt.logs.map((l) =>
          l.address.toLowerCase() === f.distributor.address.toLowerCase()
            ? decodeEventLog({ abi: f.distributor.abi, data: l.data, topics: l.topics })
            : decodeEventLog({ abi: f.token.abi, data: l.data, topics: l.topics }),
        ),
        [
          { eventName: "Claimed", args: { member: 1n } },
          {
            eventName: "Transfer",
            args: {
              from: getAddress(f.distributor.address),
              to: getAddress(alice),
              value: E("10"),
            },
          },
        ],
      );
      assert.equal(await f.token.read.balanceOf([alice]), E("10"));
      assert.equal(await f.token.read.balanceOf([f.mallory.account.address]), 0n);
      assert.equal(await f.distributor.read.claimed([1n]), E("10"));

      const t2 = tree(
        [
          [1n, alice, E("25")],
          [2n, f.bob.account.address, E("4")],
        ],
        deadline,
      );
      await publish(f, t2, E("19"));
      await f.distributor.write.claim(claimArgs(t2.claimFor(1n)!));
      assert.equal(await f.token.read.balanceOf([alice]), E("25"));
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), E("975"));
    });

    it("keeps what a member claimed across wallets: a relinked member is never paid twice", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const [w1, w2] = [f.alice.account.address, f.carol.account.address];
      const deadline = (await now()) + 30n * DAY;
      const t1 = tree(
        [
          [7n, w1, E("10")],
          [8n, f.bob.account.address, 1n],
        ],
        deadline,
      );
      await publish(f, t1);
      await f.distributor.write.claim(claimArgs(t1.claimFor(7n)!));
      // Member 7 relinks to w2; a root built before the claim was indexed still says 10 (+5 new).
      const t2 = tree(
        [
          [7n, w2, E("15")],
          [8n, f.bob.account.address, 1n],
        ],
        deadline,
      );
      await publish(f, t2, E("5") + 1n);
      await f.distributor.write.claim(claimArgs(t2.claimFor(7n)!));
      assert.equal(await f.token.read.balanceOf([w1]), E("10"));
      assert.equal(await f.token.read.balanceOf([w2]), E("5"));
      assert.equal(await f.distributor.read.claimed([7n]), E("15"));
    });

    it("closes each leaf at its own deadline, not at the earliest one in the root", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t0 = await now();
      const leaves: RewardAllocation[] = [
        {
          member: 1n,
          account: f.alice.account.address,
          cumulativeAmount: E("1"),
          deadline: Number(t0 + DAY),
          released: false,
        },
        {
          member: 2n,
          account: f.bob.account.address,
          cumulativeAmount: E("2"),
          deadline: Number(t0 + 30n * DAY),
          released: false,
        },
      ];
      const t = RewardTree.build(leaves);
      assert.equal(t.deadline, Number(t0 + 30n * DAY));
      await publish(f, t);
      await networkHelpers.time.increaseTo(t0 + DAY + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorClaimWindowClosed",
        [1n, t0 + DAY],
      );
      await f.distributor.write.claim(claimArgs(t.claimFor(2n)!));
      assert.equal(await f.token.read.balanceOf([f.bob.account.address]), E("2"));
    });

    it("never lets a leaf outlive its root's deadline", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const t0 = await now();
      const t = tree([[1n, f.alice.account.address, E("1")]], t0 + 30n * DAY);
      // Published with a root deadline before the leaf's own.
      await f.as.publisher.write.publishRoot([t.root, E("1"), t0 + DAY]);
      await networkHelpers.time.increaseTo(t0 + DAY + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorClaimWindowClosed",
        [1n, t0 + DAY],
      );
    });

    it("compares the root beyond the deadline bits: a root one bit off at bit 40 refuses the proof", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + DAY;
      const t = tree(
        [
          [1n, f.alice.account.address, 7n],
          [2n, freshAddress(3), 1n],
        ],
        deadline,
      );
      const offByOne = `0x${(BigInt(t.root) ^ (1n << 40n)).toString(16).padStart(64, "0")}` as Hex;
      await f.as.publisher.write.publishRoot([offByOne, 8n, deadline]);
      const c = t.claimFor(1n)!;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(c)),
        f.distributor,
        "RewardDistributorInvalidProof",
        [getAddress(c.account), 7n, leafTerms(c)],
      );
      await publish(f, t);
      await f.distributor.write.claim(claimArgs(c));
      assert.equal(await f.distributor.read.claimed([1n]), 7n);
    });

    it("passes on the token's refusal while it is paused, and claims once resumed", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const alice = f.alice.account.address;
      const t = tree(
        [
          [1n, alice, 7n],
          [2n, freshAddress(4), 1n],
        ],
        (await now()) + DAY,
      );
      await publish(f, t);
      await f.as.guardian.token.write.pause();
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t.claimFor(1n)!)),
        f.token,
        "EnforcedPause",
      );
      assert.equal(await f.distributor.read.claimed([1n]), 0n);
      await f.as.guardian.token.write.unpause();
      await viem.assertions.emitWithArgs(
        f.distributor.write.claim(claimArgs(t.claimFor(1n)!)),
        f.token,
        "Transfer",
        [getAddress(f.distributor.address), getAddress(alice), 7n],
      );
    });

    it("refuses a second claim, wrong proofs, another epoch's proof, claims before any epoch and after the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const [alice, bob] = [f.alice.account.address, f.bob.account.address];
      const deadline = (await now()) + DAY;
      const t1 = tree(
        [
          [1n, alice, 7n],
          [2n, bob, 3n],
        ],
        deadline,
      );
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t1.claimFor(1n)!)),
        f.distributor,
        "RewardDistributorNoEpoch",
      );
      await publish(f, t1);
      const c = t1.claimFor(1n)!;
      for (const wrong of [
        { ...c, cumulativeAmount: 8n },
        { ...c, account: bob },
        { ...c, member: 2n },
        { ...c, deadline: c.deadline + 1 },
        { ...c, released: true },
      ]) {
        await viem.assertions.revertWithCustomError(
          f.distributor.write.claim(claimArgs(wrong)),
          f.distributor,
          "RewardDistributorInvalidProof",
        );
      }
      await f.distributor.write.claim(claimArgs(c));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(c)),
        f.distributor,
        "RewardDistributorNothingToClaim",
        [1n, 7n, 7n],
      );
      const t2 = tree(
        [
          [1n, alice, 9n],
          [2n, bob, 3n],
        ],
        deadline,
      );
      await publish(f, t2, 5n);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t1.claimFor(2n)!)),
        f.distributor,
        "RewardDistributorInvalidProof",
      );
      await networkHelpers.time.increaseTo(deadline + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t2.claimFor(2n)!)),
        f.distributor,
        "RewardDistributorClaimWindowClosed",
        [2n, deadline],
      );
    });

    it("claims with proofs made by @openzeppelin/merkle-tree itself (1,000 members)", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + DAY;
      const values = Array.from(
        { length: 1000 },
        (_, i) =>
          [
            (10_000n + BigInt(i)).toString(),
            freshAddress(10_000 + i),
            ((BigInt(i) + 1n) * 10n ** 14n).toString(),
            deadline.toString(),
            false,
          ] as [string, string, string, string, boolean],
      );
      const oz = StandardMerkleTree.of(values, [
        "uint256",
        "address",
        "uint256",
        "uint256",
        "bool",
      ]);
      const total = values.reduce((s, v) => s + BigInt(v[2]), 0n);
      await f.as.publisher.write.publishRoot([oz.root as Hex, total, deadline]);
      for (const i of [0, 1, 511, 998, 999]) {
        const [member, account, amount] = values[i]!;
        const leaf = {
          member: BigInt(member),
          account: account as Address,
          cumulativeAmount: BigInt(amount),
          deadline: Number(deadline),
          released: false,
        };
        const proof = oz.getProof(i) as Hex[];
        assert.equal(
          await f.distributor.read.computeRoot([
            leaf.account,
            leaf.cumulativeAmount,
            leafTerms(leaf),
            proof,
          ]),
          oz.root,
        );
        assert.equal(verifyRewardProof(oz.root as Hex, leaf, proof), true);
        await f.distributor.write.claim(claimArgs({ ...leaf, proof }));
        assert.equal(await f.token.read.balanceOf([leaf.account]), leaf.cumulativeAmount);
      }
    });
  });

  describe("release", () => {
    it("releases a batch of members' escrow to their wallets, once each; a resent batch pays nothing", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const batch = [
        { member: 300n, wallet: freshAddress(300), amount: E("10") },
        { member: 256n, wallet: freshAddress(256), amount: E("5") },
        { member: 2n, wallet: freshAddress(2), amount: E("1") },
      ];
      const hash = await release(f, batch);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const events = receipt.logs
        .filter((l) => l.address.toLowerCase() === f.distributor.address.toLowerCase())
        .map((l) => {
          const e = decodeEventLog({ abi: f.distributor.abi, data: l.data, topics: l.topics });
          return [e.eventName, e.args];
        });
      // Sent in member order, so that neighbours share a bitmap word.
      assert.deepEqual(events, [
        ["Released", { account: freshAddress(2), member: 2n, amount: E("1") }],
        ["Released", { account: freshAddress(256), member: 256n, amount: E("5") }],
        ["Released", { account: freshAddress(300), member: 300n, amount: E("10") }],
        ["EscrowReleased", { count: 3n, amount: E("16") }],
      ]);
      for (const r of batch) assert.equal(await f.token.read.balanceOf([r.wallet]), r.amount);
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), E("984"));
      for (const m of [2n, 256n, 300n])
        assert.equal(await f.distributor.read.isReleased([m]), true);
      assert.equal(await f.distributor.read.isReleased([3n]), false);
      assert.equal(await f.distributor.read.isReleased([257n]), false);

      const { transfers, members } = encodeReleaseBatch(batch);
      const { result } = await f.as.releaser.simulate.release([transfers, members], {
        account: f.payer.account.address,
      });
      assert.deepEqual(result, [0n, 0n]);
      await viem.assertions.emitWithArgs(release(f, batch), f.distributor, "ReleaseSkipped", [
        300n,
      ]);
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), E("984"));
    });

    it("stops a member's earlier leaves from paying (a relinked member is not paid to the old wallet)", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const [oldWallet, newWallet] = [f.alice.account.address, f.carol.account.address];
      const deadline = (await now()) + 30n * DAY;
      const t = tree(
        [
          [5n, oldWallet, E("10")],
          [6n, f.bob.account.address, E("3")],
        ],
        deadline,
      );
      await publish(f, t);
      // Member 5 moves to a new wallet; the backend releases the escrow there.
      // The root promised 13 of the 1,000 held: the release comes from the other 987.
      await release(f, [{ member: 5n, wallet: newWallet, amount: E("10") }]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.claim(claimArgs(t.claimFor(5n)!)),
        f.distributor,
        "RewardDistributorLeafReleased",
        [5n],
      );
      assert.equal(await f.token.read.balanceOf([oldWallet]), 0n);
      assert.equal(await f.token.read.balanceOf([newWallet]), E("10"));
      // A zero release only records it: it stops member 6's leaf without paying anything.
      await release(f, [{ member: 6n, wallet: f.bob.account.address, amount: 0n }]);
      await viem.assertions.revertWithCustomError(
        f.distributor.write.claim(claimArgs(t.claimFor(6n)!)),
        f.distributor,
        "RewardDistributorLeafReleased",
      );
      // A leaf written after the release covers what the member earned since, and pays.
      const after = tree(
        [
          [5n, newWallet, E("4")],
          [6n, f.bob.account.address, E("3")],
        ],
        deadline,
        true,
      );
      await publish(f, after, E("7"));
      await f.distributor.write.claim(claimArgs(after.claimFor(5n)!));
      assert.equal(await f.token.read.balanceOf([newWallet]), E("14"));
    });

    it("takes only what no open root promises, within the per-batch and rolling daily limits", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + 30n * DAY;
      const t = tree([[1n, f.alice.account.address, E("900")]], deadline);
      await publish(f, t);
      assert.equal(await f.distributor.read.unpromised(), E("100"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        release(f, [{ member: 9n, wallet: freshAddress(9), amount: E("101") }]),
        f.distributor,
        "RewardDistributorExceedsUnpromised",
        [E("101"), E("100")],
      );
      // A claim does not lower the root's promise until the next root declares anew.
      await f.distributor.write.claim(claimArgs(t.claimFor(1n)!));
      assert.equal(await f.distributor.read.unpromised(), 0n);
      await publish(f, tree([[1n, f.alice.account.address, E("900")]], deadline), 0n);
      assert.equal(await f.distributor.read.unpromised(), E("100"));

      await f.distributor.write.setReleaseLimits([E("30"), E("50")]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        release(f, [{ member: 9n, wallet: freshAddress(9), amount: E("31") }]),
        f.distributor,
        "RewardDistributorBatchLimitExceeded",
        [E("31"), E("30")],
      );
      const t0 = (await now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(t0);
      await release(f, [{ member: 9n, wallet: freshAddress(9), amount: E("30") }]);
      await networkHelpers.time.setNextBlockTimestamp(t0 + 1n);
      await viem.assertions.revertWithCustomError(
        release(f, [{ member: 10n, wallet: freshAddress(10), amount: E("21") }]),
        f.distributor,
        "RewardDistributorDailyLimitExceeded",
      );
      await networkHelpers.time.setNextBlockTimestamp(t0 + DAY);
      await release(f, [{ member: 10n, wallet: freshAddress(10), amount: E("30") }]);
      assert.equal(await f.token.read.balanceOf([freshAddress(10)]), E("30"));
    });

    it("is for the releaser only, and refuses malformed batches", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const one = encodeReleaseBatch([{ member: 1n, wallet: freshAddress(1), amount: 1n }]);
      for (const as of [f.distributor, f.as.publisher, f.as.guardian.distributor]) {
        await viem.assertions.revertWithCustomError(
          as.write.release([one.transfers, one.members]),
          f.distributor,
          "AccessControlUnauthorizedAccount",
        );
      }
      await viem.assertions.revertWithCustomError(
        f.as.releaser.write.release([[], "0x"]),
        f.distributor,
        "RewardDistributorEmptyBatch",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.releaser.write.release([[...one.transfers, ...one.transfers], one.members]),
        f.distributor,
        "RewardDistributorLengthMismatch",
        [2n, 8n],
      );
      await viem.assertions.revertWithCustomError(
        f.as.releaser.write.release([[1n], one.members]),
        f.token,
        "ERC20InvalidReceiver",
      );
      assert.equal(await f.distributor.read.isReleased([1n]), false);
    });
  });

  describe("clawback", () => {
    it("returns only what no open root promises, for the admin only", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      const deadline = (await now()) + DAY;
      const t = aliceAndBob(f, E("10"), E("5"), deadline);
      await publish(f, t);
      await f.distributor.write.claim(claimArgs(t.claimFor(1n)!));
      // 990 held, 15 promised (claims do not lower it): 975 may go back while the root is open.
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.clawback([E("976")]),
        f.distributor,
        "RewardDistributorExceedsUnpromised",
        [E("976"), E("975")],
      );
      await viem.assertions.revertWithCustomError(
        f.as.guardian.distributor.write.clawback([1n]),
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.emitWithArgs(
        f.distributor.write.clawback([E("975")]),
        f.distributor,
        "ClawedBack",
        [1n, getAddress(f.treasury.account.address), E("975")],
      );
      // Bob can still claim what was promised to him.
      await f.distributor.write.claim(claimArgs(t.claimFor(2n)!));
      // After the deadline nothing is promised: the rest may go back.
      await networkHelpers.time.increaseTo(deadline + 1n);
      await f.distributor.write.clawback([E("10")]);
      assert.equal(await f.token.read.balanceOf([f.treasury.account.address]), E("985"));
      assert.equal(await f.token.read.balanceOf([f.distributor.address]), 0n);
    });
  });

  it("refuses a publish delay above 30 days and a zero treasury at deployment", async () => {
    const f = await networkHelpers.loadFixture(deployFunded);
    const args = (delay: bigint, treasury: Address) =>
      [
        f.token.address,
        f.admin.account.address,
        f.publisher.account.address,
        f.payer.account.address,
        f.guardian.account.address,
        treasury,
        delay,
        true,
      ] as const;
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("RewardDistributor", args(30n * DAY + 1n, f.treasury.account.address)),
      f.distributor,
      "RewardDistributorInvalidDelay",
      [30n * DAY + 1n],
    );
    await viem.assertions.revertWithCustomError(
      viem.deployContract(
        "RewardDistributor",
        args(DAY, "0x0000000000000000000000000000000000000000"),
      ),
      f.distributor,
      "RewardDistributorZeroAddress",
    );
    const ok = await viem.deployContract(
      "RewardDistributor",
      args(30n * DAY, f.treasury.account.address),
    );
    assert.equal(await ok.read.publishDelay(), 30n * DAY);
  });

  describe("settings", () => {
    it("changes the treasury and the release limits for the admin only", async () => {
      const f = await networkHelpers.loadFixture(deployFunded);
      await viem.assertions.emitWithArgs(
        f.distributor.write.setTreasury([f.carol.account.address]),
        f.distributor,
        "TreasurySet",
        [getAddress(f.carol.account.address)],
      );
      assert.equal(await f.distributor.read.treasury(), getAddress(f.carol.account.address));
      await viem.assertions.revertWithCustomError(
        f.distributor.write.setTreasury(["0x0000000000000000000000000000000000000000"]),
        f.distributor,
        "RewardDistributorZeroAddress",
      );
      await viem.assertions.emitWithArgs(
        f.distributor.write.setReleaseLimits([5n, 7n]),
        f.distributor,
        "ReleaseLimitsSet",
        [5n, 7n],
      );
      assert.deepEqual(await f.distributor.read.releaseLimits(), [5n, 7n, 7n]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.distributor.write.setReleaseLimits([8n, 7n]),
        f.distributor,
        "RewardDistributorInvalidLimits",
        [8n, 7n],
      );
      for (const as of [f.as.publisher, f.as.releaser, f.as.guardian.distributor]) {
        await viem.assertions.revertWithCustomError(
          as.write.setTreasury([f.carol.account.address]),
          f.distributor,
          "AccessControlUnauthorizedAccount",
        );
        await viem.assertions.revertWithCustomError(
          as.write.setReleaseLimits([1n, 1n]),
          f.distributor,
          "AccessControlUnauthorizedAccount",
        );
      }
    });
  });

  it("round-trips a public reward file to the same root and proofs", async () => {
    const accounts = Array.from({ length: 50 }, (_, i) => freshAddress(500 + i));
    const t = RewardTree.build(
      accounts.map((account, i) => ({
        member: BigInt(i + 1),
        account,
        cumulativeAmount: BigInt(i + 1),
        deadline: 1_900_000_000 + i,
        released: i % 2 === 0,
      })),
    );
    const file = JSON.parse(
      JSON.stringify(
        t.toFile({
          chainId: 31337,
          distributor: accounts[0]!,
          token: accounts[1]!,
          epoch: 3,
          deadline: t.deadline,
          total: "1275",
        }),
      ),
    );
    const loaded = RewardTree.fromFile(file);
    assert.equal(loaded.root, t.root);
    assert.equal(loaded.cumulativeTotal, 1275n);
    assert.equal(loaded.deadline, 1_900_000_049);
    assert.deepEqual(loaded.claimFor(8n), t.claimFor(8n));
    assert.throws(() => RewardTree.fromFile({ ...file, root: zeroHash }), /does not match/);
  });
});
