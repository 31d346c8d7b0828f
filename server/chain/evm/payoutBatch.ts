import { type Address, concatHex, type Hex, isAddress, numberToHex } from "viem";

/** One referral payout as ReferralPayouts.pay() takes it. */
export interface PayoutInstruction {
  /** Unique payout id (the ledger entry id), below 2**64. */
  payoutId: bigint;
  /** Who receives the tokens: the member's wallet, or the distributor escrow. */
  recipient: Address;
  /** Amount in the token's smallest unit, 0 < amount < 2**96. */
  amount: bigint;
  /** Public member number of the referred member (never a Telegram id), below 2**56. */
  referee: bigint;
  /** Referral level, 1 for a direct referral; 0 for rewards that are not referrals. */
  level: number;
}

/** The two calldata arguments of ReferralPayouts.pay() after the token. */
export interface EncodedPayoutBatch {
  /** `recipient << 96 | amount` per payout. */
  transfers: bigint[];
  /** 16 bytes per payout: payoutId (uint64) | referee (uint56) | level (uint8). */
  meta: Hex;
}

export const MAX_PAYOUT_AMOUNT = (1n << 96n) - 1n;
const MAX_PAYOUT_ID = (1n << 64n) - 1n;
const MAX_REFEREE = (1n << 56n) - 1n;

/** A payout that cannot be encoded for the contract. */
export class PayoutEncodingError extends Error {
  override name = "PayoutEncodingError";
  readonly details: string;
  constructor(shortMessage: string, details: string) {
    super(`${shortMessage}\n\nDetails: ${details}`);
    this.details = details;
  }
}

/** Encodes a batch for ReferralPayouts.pay(token, transfers, meta). */
export function encodePayoutBatch(payouts: readonly PayoutInstruction[]): EncodedPayoutBatch {
  if (payouts.length === 0)
    throw new PayoutEncodingError("Empty payout batch.", "batch has no payouts");
  const transfers: bigint[] = [];
  const meta: Hex[] = [];
  for (const p of payouts) {
    const where = `payout ${p.payoutId}`;
    if (!isAddress(p.recipient, { strict: false })) {
      throw new PayoutEncodingError("Invalid recipient.", `${where}: ${p.recipient}`);
    }
    if (p.amount <= 0n || p.amount > MAX_PAYOUT_AMOUNT) {
      throw new PayoutEncodingError(
        "Amount out of range.",
        `${where}: ${p.amount} (0 < amount < 2**96)`,
      );
    }
    if (p.payoutId < 0n || p.payoutId > MAX_PAYOUT_ID) {
      throw new PayoutEncodingError("Payout id out of range.", `${where} (must be below 2**64)`);
    }
    if (p.referee < 0n || p.referee > MAX_REFEREE) {
      throw new PayoutEncodingError("Referee out of range.", `${where}: referee ${p.referee}`);
    }
    if (!Number.isInteger(p.level) || p.level < 0 || p.level > 255) {
      throw new PayoutEncodingError("Level out of range.", `${where}: level ${p.level}`);
    }
    transfers.push((BigInt(p.recipient) << 96n) | p.amount);
    meta.push(numberToHex((p.payoutId << 64n) | (p.referee << 8n) | BigInt(p.level), { size: 16 }));
  }
  return { transfers, meta: concatHex(meta) };
}
