import assert from "node:assert/strict";
import { network } from "hardhat";
import { decodeEventLog, getAddress, parseEther, sha256, toHex, zeroHash } from "viem";
import { encodePayoutBatch } from "../../server/chain/evm/payoutBatch.ts";
import {
  BUDGET,
  CAMPAIGN_ID,
  DAILY,
  DAY,
  deployCampaign,
  freshAddress,
  MAX_BATCH,
  payout,
} from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const deploy = () => deployCampaign(viem);

describe("ReferralPayouts", () => {
  it("is bound to its campaign and grants the configured roles", async () => {
    const f = await networkHelpers.loadFixture(deploy);
    assert.equal(await f.payouts.read.campaignId(), CAMPAIGN_ID);
    assert.equal(
      await f.payouts.read.hasRole([await f.payouts.read.PAYOUT_ROLE(), f.payer.account.address]),
      true,
    );
    assert.equal(
      await f.payouts.read.hasRole([
        await f.payouts.read.PAUSER_ROLE(),
        f.guardian.account.address,
      ]),
      true,
    );
    assert.equal(
      await f.payouts.read.hasRole([await f.payouts.read.PAUSER_ROLE(), f.admin.account.address]),
      false,
    );
    assert.deepEqual(await f.payouts.read.budgetOf([f.token.address]), [
      BUDGET,
      0n,
      MAX_BATCH,
      DAILY,
      DAILY,
      false,
    ]);
  });

  describe("pay", () => {
    it("mints each payout and logs campaign-checkable events", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const batch = [
        {
          payoutId: 1n,
          recipient: f.alice.account.address,
          amount: parseEther("10"),
          referee: 42n,
          level: 1,
        },
        {
          payoutId: 2n,
          recipient: f.bob.account.address,
          amount: parseEther("2"),
          referee: 42n,
          level: 2,
        },
      ];
      const hash = await f.pay(batch);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const rewarded = receipt.logs
        .filter((l) => l.address.toLowerCase() === f.payouts.address.toLowerCase())
        .map((l) => decodeEventLog({ abi: f.payouts.abi, data: l.data, topics: l.topics }))
        .filter((e) => e.eventName === "ReferralRewarded")
        .map((e) => e.args);
      assert.deepEqual(rewarded, [
        {
          recipient: getAddress(f.alice.account.address),
          payoutId: 1n,
          referee: 42n,
          level: 1n,
          amount: parseEther("10"),
        },
        {
          recipient: getAddress(f.bob.account.address),
          payoutId: 2n,
          referee: 42n,
          level: 2n,
          amount: parseEther("2"),
        },
      ]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("10"));
      assert.equal(await f.token.read.balanceOf([f.bob.account.address]), parseEther("2"));
      assert.equal(await f.token.read.totalSupply(), parseEther("12"));
      assert.deepEqual(await f.payouts.read.budgetOf([f.token.address]), [
        BUDGET,
        parseEther("12"),
        MAX_BATCH,
        DAILY,
        DAILY - parseEther("12"),
        false,
      ]);
      assert.deepEqual(await f.payouts.read.arePaid([[1n, 2n, 3n]]), [true, true, false]);
      await viem.assertions.emitWithArgs(
        f.pay([payout(3n, f.carol.account.address)]),
        f.payouts,
        "PayoutBatchPaid",
        [f.token.address, 1n, parseEther("10")],
      );
    });

    it("never pays an id twice: a resent batch is skipped, not reverted", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const batch = [payout(10n, f.alice.account.address), payout(11n, f.bob.account.address)];
      await f.pay(batch);
      const { transfers, meta } = encodePayoutBatch(batch);
      const { result } = await f.as.payouts.simulate.pay([f.token.address, transfers, meta], {
        account: f.payer.account.address,
      });
      assert.deepEqual(result, [0n, 0n]);
      await viem.assertions.emitWithArgs(f.pay(batch), f.payouts, "PayoutSkipped", [11n]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("10"));
      assert.equal(await f.token.read.totalSupply(), parseEther("20"));
      const [, spent] = await f.payouts.read.budgetOf([f.token.address]);
      assert.equal(spent, parseEther("20"));
    });

    it("pays the new payouts of a partly paid batch and skips duplicates inside a batch", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.pay([payout(20n, f.alice.account.address)]);
      const hash = await f.pay([
        payout(20n, f.alice.account.address),
        payout(21n, f.bob.account.address),
        payout(21n, f.bob.account.address),
        payout(22n, f.carol.account.address),
      ]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const names = receipt.logs
        .filter((l) => l.address.toLowerCase() === f.payouts.address.toLowerCase())
        .map(
          (l) => decodeEventLog({ abi: f.payouts.abi, data: l.data, topics: l.topics }).eventName,
        );
      assert.deepEqual(names, [
        "PayoutSkipped",
        "ReferralRewarded",
        "PayoutSkipped",
        "ReferralRewarded",
        "PayoutBatchPaid",
      ]);
      assert.equal(await f.token.read.balanceOf([f.bob.account.address]), parseEther("10"));
      assert.equal(await f.token.read.totalSupply(), parseEther("30"));
    });

    it("records ids across bitmap words, up to the largest id", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const ids = [255n, 256n, 511n, 512n, 3n, (1n << 64n) - 1n];
      await f.pay(ids.map((id, i) => payout(id, freshAddress(i))));
      assert.deepEqual(await f.payouts.read.arePaid([[...ids, 254n, 257n, 0n, (1n << 64n) - 2n]]), [
        true,
        true,
        true,
        true,
        true,
        true,
        false,
        false,
        false,
        false,
      ]);
      assert.equal(await f.payouts.read.isPaid([511n]), true);
    });

    it("refuses callers without PAYOUT_ROLE", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMallory = await viem.getContractAt("ReferralPayouts", f.payouts.address, {
        client: { wallet: f.mallory },
      });
      const { transfers, meta } = encodePayoutBatch([payout(1n, f.mallory.account.address)]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asMallory.write.pay([f.token.address, transfers, meta]),
        f.payouts,
        "AccessControlUnauthorizedAccount",
        [f.mallory.account.address, await f.payouts.read.PAYOUT_ROLE()],
      );
    });

    it("refuses while paused by the guardian, and pays again once resumed", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomError(
        f.payouts.write.pause(),
        f.payouts,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.emit(f.as.guardian.payouts.write.pause(), f.payouts, "Paused");
      await viem.assertions.revertWithCustomError(
        f.pay([payout(1n, f.alice.account.address)]),
        f.payouts,
        "EnforcedPause",
      );
      await f.as.guardian.payouts.write.unpause();
      await f.pay([payout(1n, f.alice.account.address)]);
      assert.equal(await f.payouts.read.isPaid([1n]), true);
      const asMallory = await viem.getContractAt("ReferralPayouts", f.payouts.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.pause(),
        f.payouts,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("refuses malformed batches", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const one = encodePayoutBatch([payout(1n, f.alice.account.address)]);
      const pay = (transfers: bigint[], meta: `0x${string}`, token = f.token.address) =>
        f.as.payouts.write.pay([token, transfers, meta]);
      await viem.assertions.revertWithCustomError(
        pay([], "0x"),
        f.payouts,
        "ReferralPayoutsEmptyBatch",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pay([...one.transfers, ...one.transfers], one.meta),
        f.payouts,
        "ReferralPayoutsLengthMismatch",
        [2n, 16n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pay(one.transfers, one.meta, f.badges.address),
        f.payouts,
        "ReferralPayoutsUnknownToken",
        [f.badges.address],
      );
      const zero = encodePayoutBatch([
        payout(5n, f.alice.account.address),
        payout(6n, f.bob.account.address),
      ]);
      zero.transfers[1] = BigInt(f.bob.account.address) << 96n; // amount 0, bypassing the encoder's check
      await viem.assertions.revertWithCustomErrorWithArgs(
        pay(zero.transfers, zero.meta),
        f.payouts,
        "ReferralPayoutsZeroAmount",
        [6n],
      );
      assert.equal(await f.payouts.read.isPaid([5n]), false);
    });

    it("refuses a batch above the per-batch limit or past the budget", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.payouts.write.setBudget([
        f.token.address,
        parseEther("25"),
        parseEther("15"),
        parseEther("100"),
        false,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.pay([payout(1n, f.alice.account.address), payout(2n, f.bob.account.address)]),
        f.payouts,
        "ReferralPayoutsBatchLimitExceeded",
        [f.token.address, parseEther("20"), parseEther("15")],
      );
      await f.pay([payout(1n, f.alice.account.address)]);
      await f.pay([payout(2n, f.alice.account.address)]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.pay([payout(3n, f.alice.account.address)]),
        f.payouts,
        "ReferralPayoutsBudgetExceeded",
        [f.token.address, parseEther("30"), parseEther("25")],
      );
      assert.equal(await f.payouts.read.isPaid([3n]), false);
    });

    it("bubbles up the token's own refusals (cap, pause, missing minter role)", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.as.guardian.token.write.pause();
      await viem.assertions.revertWithCustomError(
        f.pay([payout(1n, f.alice.account.address)]),
        f.token,
        "EnforcedPause",
      );
      await f.as.guardian.token.write.unpause();
      await f.token.write.revokeRole([await f.token.read.MINTER_ROLE(), f.payouts.address]);
      await viem.assertions.revertWithCustomError(
        f.pay([payout(1n, f.alice.account.address)]),
        f.token,
        "AccessControlUnauthorizedAccount",
      );
      assert.equal(await f.payouts.read.isPaid([1n]), false);
    });
  });

  describe("setBudget", () => {
    it("is for the admin only and refuses zero, shrinking below spent, bad limits and non-contracts", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.pay([payout(1n, f.alice.account.address)]);
      await viem.assertions.emitWithArgs(
        f.payouts.write.setBudget([
          f.token.address,
          parseEther("50"),
          parseEther("5"),
          parseEther("20"),
          false,
        ]),
        f.payouts,
        "BudgetSet",
        [f.token.address, parseEther("50"), parseEther("5"), parseEther("20"), false],
      );
      const [limit, spent] = await f.payouts.read.budgetOf([f.token.address]);
      assert.deepEqual([limit, spent], [parseEther("50"), parseEther("10")]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.setBudget([f.token.address, parseEther("9"), 1n, 1n, false]),
        f.payouts,
        "ReferralPayoutsInvalidBudget",
        [parseEther("9"), parseEther("10")],
      );
      await viem.assertions.revertWithCustomError(
        f.payouts.write.setBudget([f.token.address, 0n, 1n, 1n, false]),
        f.payouts,
        "ReferralPayoutsInvalidBudget",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.setBudget([f.token.address, parseEther("50"), 0n, 1n, false]),
        f.payouts,
        "ReferralPayoutsInvalidLimits",
        [0n, 1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.setBudget([f.token.address, parseEther("50"), 3n, 2n, false]),
        f.payouts,
        "ReferralPayoutsInvalidLimits",
        [3n, 2n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.setBudget([f.alice.account.address, 1n, 1n, 1n, false]),
        f.payouts,
        "ReferralPayoutsNotAContract",
        [f.alice.account.address],
      );
      await viem.assertions.revertWithCustomError(
        f.as.payouts.write.setBudget([f.token.address, 1n, 1n, 1n, false]),
        f.payouts,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("updateRules", () => {
    const hashOf = (text: string) => sha256(toHex(text));
    const uri = (n: number) => `https://refmint.example/rules/demo/${n}.json`;

    it("has no rules version before the first one is published", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      assert.deepEqual(await f.payouts.read.currentRules(), [0n, zeroHash]);
    });

    it("records each version with its document's hash and URL, and logs when it took effect", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await viem.assertions.emitWithArgs(
        f.payouts.write.updateRules([1, hashOf("v1"), uri(1)]),
        f.payouts,
        "RulesPublished",
        [1n, hashOf("v1"), uri(1)],
      );
      // A version may be skipped (one created but never published); the newest is in effect.
      const hash = await f.payouts.write.updateRules([3, hashOf("v3"), uri(3)]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const [log] = receipt.logs.map((l) =>
        decodeEventLog({ abi: f.payouts.abi, data: l.data, topics: l.topics }),
      );
      assert.deepEqual(log, {
        eventName: "RulesPublished",
        args: { version: 3n, hash: hashOf("v3"), uri: uri(3) },
      });
      assert.deepEqual(await f.payouts.read.currentRules(), [3n, hashOf("v3")]);
    });

    it("only moves forward: a version at or below the one in effect is refused", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.payouts.write.updateRules([2, hashOf("v2"), uri(2)]);
      for (const stale of [2, 1]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.payouts.write.updateRules([stale, hashOf("again"), uri(stale)]),
          f.payouts,
          "ReferralPayoutsStaleRulesVersion",
          [BigInt(stale), 2n],
        );
      }
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.updateRules([0, hashOf("v0"), uri(0)]),
        f.payouts,
        "ReferralPayoutsStaleRulesVersion",
        [0n, 2n],
      );
      assert.deepEqual(await f.payouts.read.currentRules(), [2n, hashOf("v2")]);
    });

    it("refuses a version without a document hash or URL", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.updateRules([1, zeroHash, uri(1)]),
        f.payouts,
        "ReferralPayoutsEmptyRules",
        [1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.payouts.write.updateRules([1, hashOf("v1"), ""]),
        f.payouts,
        "ReferralPayoutsEmptyRules",
        [1n],
      );
      assert.deepEqual(await f.payouts.read.currentRules(), [0n, zeroHash]);
    });

    it("is for the admin only: the payout signer and the guardian cannot publish rules", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.as.payouts.write.updateRules([1, hashOf("v1"), uri(1)]),
        f.payouts,
        "AccessControlUnauthorizedAccount",
        [getAddress(f.payer.account.address), zeroHash],
      );
      await viem.assertions.revertWithCustomError(
        f.as.guardian.payouts.write.updateRules([1, hashOf("v1"), uri(1)]),
        f.payouts,
        "AccessControlUnauthorizedAccount",
      );
      assert.deepEqual(await f.payouts.read.currentRules(), [0n, zeroHash]);
    });

    it("works while payouts are paused (a rules change may be why they are)", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.as.guardian.payouts.write.pause();
      await f.payouts.write.updateRules([1, hashOf("v1"), uri(1)]);
      assert.deepEqual(await f.payouts.read.currentRules(), [1n, hashOf("v1")]);
    });
  });

  describe("rolling daily limit", () => {
    it("lets at most the daily limit go at once, then refills it over 24 hours", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const ten = parseEther("10");
      const daily = ten * 3n;
      await f.payouts.write.setBudget([f.token.address, BUDGET, daily, daily, false]);
      const refill = (seconds: bigint) => (seconds * daily) / DAY;
      const t0 = BigInt(await networkHelpers.time.latest()) + 100n;
      await networkHelpers.time.setNextBlockTimestamp(t0);
      await f.pay([payout(1n, f.alice.account.address), payout(2n, f.bob.account.address)]);
      // 20 used a second ago: a batch of 20 more passes the limit.
      await networkHelpers.time.setNextBlockTimestamp(t0 + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.pay([payout(3n, f.alice.account.address), payout(4n, f.bob.account.address)]),
        f.payouts,
        "ReferralPayoutsDailyLimitExceeded",
        [getAddress(f.token.address), ten * 2n, daily - (ten * 2n - refill(1n))],
      );
      await networkHelpers.time.setNextBlockTimestamp(t0 + 2n);
      await f.pay([payout(3n, f.alice.account.address)]);
      // A third of a day later, a third of the limit is back: 10 passes, 10 more does not.
      const t1 = t0 + 2n + DAY / 3n;
      await networkHelpers.time.setNextBlockTimestamp(t1);
      await f.pay([payout(4n, f.alice.account.address)]);
      await networkHelpers.time.setNextBlockTimestamp(t1 + 1n);
      await viem.assertions.revertWithCustomError(
        f.pay([payout(5n, f.alice.account.address)]),
        f.payouts,
        "ReferralPayoutsDailyLimitExceeded",
      );
      // Days later the bucket is full again, and never more than full.
      await networkHelpers.time.increase(10n * DAY);
      await networkHelpers.mine();
      const [, , , , full] = await f.payouts.read.budgetOf([f.token.address]);
      assert.equal(full, daily);
      await f.pay([payout(5n, f.alice.account.address, daily)]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), ten * 6n);
      assert.equal(await f.payouts.read.isPaid([5n]), true);
    });
  });

  describe("payout ids", () => {
    it("are per campaign, not per token: an id paid in one token is skipped in another", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const other = await viem.deployContract("RewardToken", [
        "Activity",
        "ACT",
        parseEther("1000"),
        f.admin.account.address,
      ]);
      await other.write.grantRole([await other.read.MINTER_ROLE(), f.payouts.address]);
      await f.payouts.write.setBudget([
        other.address,
        parseEther("100"),
        parseEther("50"),
        parseEther("50"),
        false,
      ]);
      await f.pay([payout(9n, f.alice.account.address)]);
      await viem.assertions.emitWithArgs(
        f.pay([payout(9n, f.alice.account.address)], other.address),
        f.payouts,
        "PayoutSkipped",
        [9n],
      );
      assert.equal(await other.read.totalSupply(), 0n);
    });

    it("skips a zero-amount payout whose id was paid, and still pays the rest of the batch", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      await f.pay([payout(1n, f.alice.account.address)]);
      const batch = encodePayoutBatch([
        payout(1n, f.alice.account.address),
        payout(2n, f.bob.account.address),
      ]);
      batch.transfers[0] = BigInt(f.alice.account.address) << 96n; // amount 0 for the paid id
      const hash = await f.as.payouts.write.pay([f.token.address, batch.transfers, batch.meta]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const names = receipt.logs
        .filter((l) => l.address.toLowerCase() === f.payouts.address.toLowerCase())
        .map(
          (l) => decodeEventLog({ abi: f.payouts.abi, data: l.data, topics: l.topics }).eventName,
        );
      assert.deepEqual(names, ["PayoutSkipped", "ReferralRewarded", "PayoutBatchPaid"]);
      assert.equal(await f.token.read.balanceOf([f.bob.account.address]), parseEther("10"));
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("10"));
    });
  });
});
