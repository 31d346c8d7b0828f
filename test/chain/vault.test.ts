/**
 * Payouts in any ERC-20 (issue 12), end to end on a real Hardhat chain with PGlite and
 * PostgreSQL: a campaign file names an external token (a fee-less USDC-like token with 6
 * decimals) beside its own RewardToken; the deploy checks the decimals and sets the token's
 * budget to pay from the vault (the ReferralPayouts contract, pre-funded by the admin). The
 * same pipeline pays it: to wallets, into escrow and released from there once the member links
 * a wallet, with amounts in the token's own units; an underfunded vault holds the token's
 * payouts (an alert, nothing sent) until it is funded; payout ids stay per campaign.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Address, erc20Abi, getAddress, parseUnits } from "viem";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { TEST_REF_TOKEN } from "../support/campaign.ts";
import { withDatabases } from "../support/db.ts";
import {
  ADMIN,
  assertPaidExactlyOnce,
  assertReconciled,
  deployTestCampaign,
  type Harness,
  harness,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "./support.ts";

let chain: TestChain;
let campaign: TestCampaignDeployment;
let usdc: Address;
let clean: string;

before(async () => {
  chain = await startTestChain();
  const { network } = await import("hardhat");
  const connection = await network.create({ network: "localhost", override: { url: chain.url } });
  try {
    usdc = getAddress((await connection.viem.deployContract("UsdcLike")).address);
  } finally {
    await connection.close();
  }
  campaign = await deployTestCampaign(chain, {
    tokens: [
      TEST_REF_TOKEN,
      {
        symbol: "USDC",
        name: "USD Coin",
        decimals: 6,
        external: { address: usdc },
        budget: "50000",
        maxBatch: 100,
        maxBatchAmount: "5000",
        dailyLimit: "20000",
      },
    ],
  });
  clean = await chain.snapshot();
});

after(async () => {
  await campaign?.cleanup();
  await chain?.close();
});

const usdcBalance = (h: Harness, account: Address) =>
  h.ctx.driver.client.readContract({
    address: usdc,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [account],
  });

async function fundVault(h: Harness, amount: string) {
  const payouts = h.contracts.campaigns[0]!.payouts;
  const hash = await chain.admin.writeContract({
    address: usdc,
    abi: [
      {
        type: "function",
        name: "mint",
        stateMutability: "nonpayable",
        inputs: [
          { name: "to", type: "address" },
          { name: "amount", type: "uint256" },
        ],
        outputs: [],
      },
    ] as const,
    functionName: "mint",
    args: [payouts, parseUnits(amount, 6)],
    account: ADMIN,
    chain: null,
  });
  await chain.client.waitForTransactionReceipt({ hash });
}

test("the deployment pays an external 6-decimals token from the vault: wallets, escrow and release", async (t) => {
  await withDatabases(t, async (db) => {
    await chain.revert(clean);
    clean = await chain.snapshot();
    const h = await harness(db, campaign, { rpcUrl: chain.url });
    const ref = h.contracts.campaigns[0]!;
    const token = ref.tokens.get("USDC")!;
    assert.equal(token.fromVault, true);
    assert.equal(token.token, usdc);
    assert.equal(campaign.deployment.tokens.USDC?.vault, true);
    const [limit, , maxBatchAmount, dailyLimit, , fromVault] =
      await h.ctx.driver.client.readContract({
        address: ref.payouts,
        abi: referralPayoutsAbi,
        functionName: "budgetOf",
        args: [usdc],
      });
    assert.deepEqual(
      [limit, maxBatchAmount, dailyLimit, fromVault],
      [parseUnits("50000", 6), parseUnits("5000", 6), parseUnits("20000", 6), true],
    );

    await fundVault(h, "100");
    const wallet = "0x00000000000000000000000000000000000b0b01" as Address;
    const payee = await h.member(8001);
    await h.link(payee, wallet);
    const walletless = await h.member(8002);
    const entries = [
      await h.grant(payee, "1.5", { token: "USDC" }),
      await h.grant(walletless, "2.25", { token: "USDC" }),
      await h.grant(payee, "3", { token: "REF" }),
    ];
    await h.settle();
    await assertPaidExactlyOnce(chain, ref.payouts, entries);
    assert.equal(await usdcBalance(h, wallet), 1_500_000n, "1.5 USDC in 6-decimals units");
    assert.equal(await usdcBalance(h, token.distributor!), 2_250_000n, "escrowed in USDC");
    assert.equal(await usdcBalance(h, ref.payouts), parseUnits("96.25", 6), "debited the vault");

    // The walletless member links a wallet: the release pays USDC from the distributor.
    const later = "0x00000000000000000000000000000000000b0b02" as Address;
    await h.link(walletless, later);
    await h.settle(async () => (await usdcBalance(h, later)) === 2_250_000n);
    assert.equal(await usdcBalance(h, token.distributor!), 0n);

    // More than the vault holds: held (no transaction), paid once the admin funds it.
    const big = await h.grant(payee, "500", { token: "USDC" });
    await h.worker.runOnce();
    const held = h.worker.health().details?.held as Array<{ token: string; reason: string }>;
    assert.deepEqual(
      held.map((x) => [x.token, x.reason]),
      [["USDC", "vault"]],
    );
    assert.equal(await usdcBalance(h, wallet), 1_500_000n);
    await fundVault(h, "1000");
    await h.settle(undefined, 30_000);
    await assertPaidExactlyOnce(chain, ref.payouts, [...entries, big]);
    assert.equal(await usdcBalance(h, wallet), 501_500_000n);
    await assertReconciled(h);
  });
});
