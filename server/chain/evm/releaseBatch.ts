import { type Address, concatHex, type Hex, isAddress, numberToHex } from "viem";
import { MAX_PAYOUT_AMOUNT, PayoutEncodingError } from "./payoutBatch.ts";

/** One member's escrow release as RewardDistributor.release() takes it. */
export interface ReleaseInstruction {
  /** The member's public member number (the release is recorded per member), below 2**64. */
  member: bigint;
  /** The member's linked wallet. */
  wallet: Address;
  /**
   * What the member has in escrow, in the token's smallest unit, below 2**96. Zero only records
   * the release (it stops leaves written before it), paying nothing.
   */
  amount: bigint;
}

/** The two calldata arguments of RewardDistributor.release(). */
export interface EncodedReleaseBatch {
  /** `wallet << 96 | amount` per member. */
  transfers: bigint[];
  /** 8 bytes per member: the member number (uint64). */
  members: Hex;
}

const MAX_MEMBER = (1n << 64n) - 1n;

/**
 * Encodes a batch for RewardDistributor.release(transfers, members). Members sorted by number
 * share bitmap words on-chain, so the batch is sent in member order.
 */
export function encodeReleaseBatch(releases: readonly ReleaseInstruction[]): EncodedReleaseBatch {
  if (releases.length === 0)
    throw new PayoutEncodingError("Empty release batch.", "batch has no releases");
  const seen = new Set<bigint>();
  const sorted = [...releases].sort((a, b) =>
    a.member < b.member ? -1 : a.member > b.member ? 1 : 0,
  );
  const transfers: bigint[] = [];
  const members: Hex[] = [];
  for (const r of sorted) {
    const where = `member ${r.member}`;
    if (r.member < 0n || r.member > MAX_MEMBER)
      throw new PayoutEncodingError("Member out of range.", `${where} (must be below 2**64)`);
    if (seen.has(r.member))
      throw new PayoutEncodingError("Member twice in a release batch.", where);
    seen.add(r.member);
    if (!isAddress(r.wallet, { strict: false }) || BigInt(r.wallet) === 0n)
      throw new PayoutEncodingError("Invalid wallet.", `${where}: ${r.wallet}`);
    if (r.amount < 0n || r.amount > MAX_PAYOUT_AMOUNT)
      throw new PayoutEncodingError("Amount out of range.", `${where}: ${r.amount} (< 2**96)`);
    transfers.push((BigInt(r.wallet) << 96n) | r.amount);
    members.push(numberToHex(r.member, { size: 8 }));
  }
  return { transfers, members: concatHex(members) };
}
