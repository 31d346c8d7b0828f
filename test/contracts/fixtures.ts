import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { type Address, getAddress, keccak256, parseEther, toHex } from "viem";
import { encodePayoutBatch, type PayoutInstruction } from "../../server/chain/evm/payoutBatch.ts";
import { type Permit, permitOf, permitTypedData } from "../../server/chain/perkOrder.ts";

export const CAMPAIGN_ID = 7n;
export const CAP = parseEther("1000000000");
export const BUDGET = parseEther("1000000");
export const MAX_BATCH = parseEther("100000");
export const DAILY = parseEther("200000");
export const DAY = 86_400n;

/** A deterministic address that holds nothing (for fresh-holder cases). */
export function freshAddress(seed: number | bigint): Address {
  return getAddress(`0x${keccak256(toHex(`refmint-test-${seed}`)).slice(26)}`);
}

/**
 * One campaign as the Ignition module deploys it: a referral token, ReferralPayouts (minter of
 * the token), a RewardDistributor escrow, Badges and a PerkShop. Roles follow production, one
 * key each: `admin` administers; `payer` pays and releases escrow; `publisher` publishes roots;
 * `minter` mints badges; `relayer` relays perk orders; `guardian` pauses and vetoes roots.
 */
export async function deployCampaign(
  viem: HardhatViemHelpers,
  opts: { publishDelay?: bigint } = {},
) {
  const [admin, payer, treasury, alice, bob, carol, mallory, publisher, minter, relayer, guardian] =
    await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const a = admin.account.address;
  const token = await viem.deployContract("RewardToken", ["Refmint Referral", "REF", CAP, a]);
  const payouts = await viem.deployContract("ReferralPayouts", [
    CAMPAIGN_ID,
    a,
    payer.account.address,
    guardian.account.address,
  ]);
  const distributor = await viem.deployContract("RewardDistributor", [
    token.address,
    a,
    publisher.account.address,
    payer.account.address,
    guardian.account.address,
    treasury.account.address,
    opts.publishDelay ?? 0n,
    true,
  ]);
  const badges = await viem.deployContract("Badges", [a, minter.account.address]);
  const shop = await viem.deployContract("PerkShop", [
    a,
    relayer.account.address,
    treasury.account.address,
  ]);
  await token.write.grantRole([await token.read.MINTER_ROLE(), payouts.address]);
  await token.write.grantRole([await token.read.PAUSER_ROLE(), guardian.account.address]);
  await payouts.write.setBudget([token.address, BUDGET, MAX_BATCH, DAILY, false]);
  await distributor.write.setReleaseLimits([MAX_BATCH, DAILY]);

  const as = {
    payouts: await viem.getContractAt("ReferralPayouts", payouts.address, {
      client: { wallet: payer },
    }),
    releaser: await viem.getContractAt("RewardDistributor", distributor.address, {
      client: { wallet: payer },
    }),
    publisher: await viem.getContractAt("RewardDistributor", distributor.address, {
      client: { wallet: publisher },
    }),
    guardian: {
      distributor: await viem.getContractAt("RewardDistributor", distributor.address, {
        client: { wallet: guardian },
      }),
      payouts: await viem.getContractAt("ReferralPayouts", payouts.address, {
        client: { wallet: guardian },
      }),
      token: await viem.getContractAt("RewardToken", token.address, {
        client: { wallet: guardian },
      }),
    },
    badges: await viem.getContractAt("Badges", badges.address, { client: { wallet: minter } }),
    shop: await viem.getContractAt("PerkShop", shop.address, { client: { wallet: relayer } }),
  };

  /** Pays a batch as the payout signer would. */
  async function pay(batch: PayoutInstruction[], via: Address = token.address) {
    const { transfers, meta } = encodePayoutBatch(batch);
    return as.payouts.write.pay([via, transfers, meta]);
  }

  return {
    viem,
    publicClient,
    admin,
    payer,
    publisher,
    minter,
    relayer,
    guardian,
    treasury,
    alice,
    bob,
    carol,
    mallory,
    token,
    payouts,
    distributor,
    badges,
    shop,
    as,
    pay,
  };
}

export type CampaignFixture = Awaited<ReturnType<typeof deployCampaign>>;
export type Wallet = Awaited<ReturnType<HardhatViemHelpers["getWalletClients"]>>[number];

/** A payout to `recipient` with sensible defaults. */
export function payout(
  payoutId: bigint,
  recipient: Address,
  amount = parseEther("10"),
  level = 1,
): PayoutInstruction {
  return { payoutId, recipient, amount, referee: 1000n + (payoutId % 1_000_000n), level };
}

/** Signs an ERC-2612 permit for `token` the way a member's wallet would. */
export async function signPermit(
  f: CampaignFixture,
  owner: Wallet,
  spender: Address,
  value: bigint,
  deadline: bigint,
  signer: Wallet = owner,
): Promise<Permit> {
  const terms = {
    owner: owner.account.address,
    spender,
    value,
    nonce: await f.token.read.nonces([owner.account.address]),
    deadline,
  };
  const token = {
    name: await f.token.read.name(),
    version: "1",
    chainId: await f.publicClient.getChainId(),
    address: f.token.address,
  };
  return permitOf(terms, await signer.signTypedData(permitTypedData(token, terms)));
}
