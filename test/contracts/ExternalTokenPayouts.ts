import assert from "node:assert/strict";
import { network } from "hardhat";
import { decodeEventLog, getAddress, parseEther, parseUnits } from "viem";
import { encodeReleaseBatch } from "../../server/chain/evm/releaseBatch.ts";
import { claimArgs, RewardTree } from "../../verify/rewardFiles.ts";
import { DAY, deployCampaign, freshAddress, payout } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const usd = (v: string) => parseUnits(v, 6);

/**
 * The campaign also pays in tokens it does not mint, from its vault (the ReferralPayouts
 * contract, pre-funded): a plain OpenZeppelin ERC-20 and a fee-less USDC-like stablecoin with
 * 6 decimals and a blocklist. Each has its own escrow distributor, which releases by plain
 * transfers (these tokens have no `transferBatch`).
 */
async function deployWithVault() {
  const f = await deployCampaign(viem);
  const plain = await viem.deployContract("PlainERC20");
  const usdc = await viem.deployContract("UsdcLike");
  await plain.write.mint([f.payouts.address, parseEther("1000")]);
  await usdc.write.mint([f.payouts.address, usd("1000")]);
  await f.payouts.write.setBudget([
    plain.address,
    parseEther("800"),
    parseEther("100"),
    parseEther("300"),
    true,
  ]);
  await f.payouts.write.setBudget([usdc.address, usd("800"), usd("100"), usd("300"), true]);
  const usdcDistributor = await viem.deployContract("RewardDistributor", [
    usdc.address,
    f.admin.account.address,
    f.publisher.account.address,
    f.payer.account.address,
    f.guardian.account.address,
    f.treasury.account.address,
    0n,
    false,
  ]);
  await usdcDistributor.write.setReleaseLimits([usd("100"), usd("300")]);
  return { ...f, plain, usdc, usdcDistributor };
}

describe("Payouts in any ERC-20 (from the vault)", () => {
  for (const kind of ["plain", "usdc"] as const) {
    it(`pays a ${kind} token with the same ids, events and exactly-once rule`, async () => {
      const f = await networkHelpers.loadFixture(deployWithVault);
      const token = kind === "plain" ? f.plain : f.usdc;
      const unit = kind === "plain" ? parseEther("1") : usd("1");
      const batch = [
        payout(1n, f.alice.account.address, unit * 7n, 1),
        payout(2n, freshAddress(1), unit * 3n, 2),
      ];
      const hash = await f.pay(batch, token.address);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const ours = receipt.logs
        .filter((l) => l.address.toLowerCase() === f.payouts.address.toLowerCase())
        .map((l) => decodeEventLog({ abi: f.payouts.abi, data: l.data, topics: l.topics }));
      assert.deepEqual(
        ours.map((e) => [e.eventName, e.args]),
        [
          [
            "ReferralRewarded",
            {
              recipient: getAddress(f.alice.account.address),
              payoutId: 1n,
              referee: 1001n,
              level: 1n,
              amount: unit * 7n,
            },
          ],
          [
            "ReferralRewarded",
            {
              recipient: freshAddress(1),
              payoutId: 2n,
              referee: 1002n,
              level: 2n,
              amount: unit * 3n,
            },
          ],
          ["PayoutBatchPaid", { token: getAddress(token.address), count: 2n, amount: unit * 10n }],
        ],
      );
      const transfers = receipt.logs
        .filter((l) => l.address.toLowerCase() === token.address.toLowerCase())
        .map((l) => decodeEventLog({ abi: token.abi, data: l.data, topics: l.topics }).args);
      assert.deepEqual(transfers, [
        {
          from: getAddress(f.payouts.address),
          to: getAddress(f.alice.account.address),
          value: unit * 7n,
        },
        { from: getAddress(f.payouts.address), to: freshAddress(1), value: unit * 3n },
      ]);
      assert.equal(await token.read.balanceOf([f.payouts.address]), unit * 990n);
      // Resent: skipped, nothing moves.
      await viem.assertions.emitWithArgs(f.pay(batch, token.address), f.payouts, "PayoutSkipped", [
        2n,
      ]);
      assert.equal(await token.read.balanceOf([f.alice.account.address]), unit * 7n);
      const [limit, spent, , , , fromVault] = await f.payouts.read.budgetOf([token.address]);
      assert.deepEqual([limit, spent, fromVault], [unit * 800n, unit * 10n, true]);
    });
  }

  it("refuses a whole batch when one transfer fails (a blocked recipient) and marks no id paid", async () => {
    const f = await networkHelpers.loadFixture(deployWithVault);
    await f.usdc.write.setBlocked([f.bob.account.address, true]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.pay(
        [
          payout(1n, f.alice.account.address, usd("5")),
          payout(2n, f.bob.account.address, usd("5")),
        ],
        f.usdc.address,
      ),
      f.usdc,
      "UsdcLikeBlocked",
      [getAddress(f.bob.account.address)],
    );
    assert.deepEqual(await f.payouts.read.arePaid([[1n, 2n]]), [false, false]);
    assert.equal(await f.usdc.read.balanceOf([f.payouts.address]), usd("1000"));
  });

  it("is bounded by what the vault holds as well as by the limits", async () => {
    const f = await networkHelpers.loadFixture(deployWithVault);
    await f.payouts.write.withdraw([f.usdc.address, f.treasury.account.address, usd("995")]);
    await viem.assertions.revertWithCustomError(
      f.pay([payout(1n, f.alice.account.address, usd("6"))], f.usdc.address),
      f.usdc,
      "ERC20InsufficientBalance",
    );
    await f.pay([payout(1n, f.alice.account.address, usd("5"))], f.usdc.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.pay([payout(2n, f.alice.account.address, usd("101"))], f.usdc.address),
      f.payouts,
      "ReferralPayoutsBatchLimitExceeded",
      [getAddress(f.usdc.address), usd("101"), usd("100")],
    );
  });

  it("lets only the admin take funds back out of the vault", async () => {
    const f = await networkHelpers.loadFixture(deployWithVault);
    await viem.assertions.revertWithCustomError(
      f.as.payouts.write.withdraw([f.plain.address, f.payer.account.address, 1n]),
      f.payouts,
      "AccessControlUnauthorizedAccount",
    );
    await viem.assertions.emitWithArgs(
      f.payouts.write.withdraw([f.plain.address, f.treasury.account.address, parseEther("1")]),
      f.payouts,
      "VaultWithdrawn",
      [getAddress(f.plain.address), getAddress(f.treasury.account.address), parseEther("1")],
    );
    assert.equal(await f.plain.read.balanceOf([f.treasury.account.address]), parseEther("1"));
  });

  it("escrows, releases and claims a stablecoin like the campaign's own token", async () => {
    const f = await networkHelpers.loadFixture(deployWithVault);
    const d = f.usdcDistributor;
    await f.pay(
      [
        payout(1n, d.address, usd("12")),
        payout(2n, d.address, usd("8")),
        payout(3n, d.address, 1n),
      ],
      f.usdc.address,
    );
    // Member 41 links a wallet: released by a plain transfer.
    const releaser = await viem.getContractAt("RewardDistributor", d.address, {
      client: { wallet: f.payer },
    });
    const wallet = freshAddress(41);
    const r = encodeReleaseBatch([{ member: 41n, wallet, amount: usd("12") }]);
    await releaser.write.release([r.transfers, r.members]);
    assert.equal(await f.usdc.read.balanceOf([wallet]), usd("12"));
    // Member 42 claims with a proof instead.
    const deadline = Number(BigInt(await networkHelpers.time.latest()) + 30n * DAY);
    const tree = RewardTree.build([
      {
        member: 42n,
        account: f.carol.account.address,
        cumulativeAmount: usd("8"),
        deadline,
        released: false,
      },
      { member: 43n, account: freshAddress(43), cumulativeAmount: 1n, deadline, released: false },
    ]);
    const publisher = await viem.getContractAt("RewardDistributor", d.address, {
      client: { wallet: f.publisher },
    });
    await publisher.write.publishRoot([tree.root, usd("8") + 1n, BigInt(deadline)]);
    await d.write.claim(claimArgs(tree.claimFor(42n)!));
    assert.equal(await f.usdc.read.balanceOf([f.carol.account.address]), usd("8"));
    assert.equal(await f.usdc.read.balanceOf([d.address]), 1n);
  });
});
