import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { type Address, getAddress, keccak256, parseEther, parseSignature, toHex } from "viem";
import { encodePayoutBatch, type PayoutInstruction } from "../../server/chain/payoutBatch.ts";

export const CAMPAIGN_ID = 7n;
export const CAP = parseEther("1000000000");
export const BUDGET = parseEther("1000000");
export const MAX_BATCH = parseEther("100000");

/** A deterministic address that holds nothing (for fresh-holder cases). */
export function freshAddress(seed: number | bigint): Address {
  return getAddress(`0x${keccak256(toHex(`refmint-test-${seed}`)).slice(26)}`);
}

/**
 * One campaign as the Ignition module deploys it: a referral token, ReferralPayouts (minter of
 * the token), a RewardDistributor escrow, Badges and a PerkShop. Roles follow production:
 * `admin` administers, `backend` pays, publishes, mints badges and relays permits.
 */
export async function deployCampaign(viem: HardhatViemHelpers) {
  const [admin, backend, treasury, alice, bob, carol, mallory] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const a = admin.account.address;
  const token = await viem.deployContract("RewardToken", ["Refmint Referral", "REF", CAP, a]);
  const payouts = await viem.deployContract("ReferralPayouts", [
    CAMPAIGN_ID,
    a,
    backend.account.address,
  ]);
  const distributor = await viem.deployContract("RewardDistributor", [
    token.address,
    a,
    backend.account.address,
    treasury.account.address,
  ]);
  const badges = await viem.deployContract("Badges", [a, backend.account.address]);
  const shop = await viem.deployContract("PerkShop", [
    a,
    backend.account.address,
    treasury.account.address,
  ]);
  await token.write.grantRole([await token.read.MINTER_ROLE(), payouts.address]);
  await token.write.grantRole([await token.read.PAUSER_ROLE(), a]);
  await payouts.write.setBudget([token.address, BUDGET, MAX_BATCH]);

  const asBackend = {
    payouts: await viem.getContractAt("ReferralPayouts", payouts.address, {
      client: { wallet: backend },
    }),
    distributor: await viem.getContractAt("RewardDistributor", distributor.address, {
      client: { wallet: backend },
    }),
    badges: await viem.getContractAt("Badges", badges.address, { client: { wallet: backend } }),
    shop: await viem.getContractAt("PerkShop", shop.address, { client: { wallet: backend } }),
  };

  /** Pays a batch as the backend signer would. */
  async function pay(batch: PayoutInstruction[]) {
    const { transfers, meta } = encodePayoutBatch(batch);
    return asBackend.payouts.write.pay([token.address, transfers, meta]);
  }

  return {
    viem,
    publicClient,
    admin,
    backend,
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
    asBackend,
    pay,
  };
}

export type CampaignFixture = Awaited<ReturnType<typeof deployCampaign>>;

/** A payout to `recipient` with sensible defaults. */
export function payout(
  payoutId: bigint,
  recipient: Address,
  amount = parseEther("10"),
  level = 1,
): PayoutInstruction {
  return { payoutId, recipient, amount, referee: 1000n + (payoutId % 1_000_000n), level };
}

type Wallet = Awaited<ReturnType<HardhatViemHelpers["getWalletClients"]>>[number];

/** Signs an ERC-2612 permit for `token` the way a member's wallet would. */
export async function signPermit(
  f: CampaignFixture,
  owner: Wallet,
  spender: Address,
  value: bigint,
  deadline: bigint,
  signer: Wallet = owner,
) {
  const nonce = await f.token.read.nonces([owner.account.address]);
  const signature = await signer.signTypedData({
    domain: {
      name: await f.token.read.name(),
      version: "1",
      chainId: await f.publicClient.getChainId(),
      verifyingContract: f.token.address,
    },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner: owner.account.address, spender, value, nonce, deadline },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt(yParity + 27)), r, s };
}
