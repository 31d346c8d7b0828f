/**
 * Decoding of our contracts' logs, straight from the JSON-RPC objects. The events have fixed
 * layouts (static words, indexed addresses), so slicing hex is exact and several times faster
 * than generic ABI decoding, which matters when a backfill reads tens of thousands of logs;
 * test/chain/logs.test.ts holds the results equal to viem's `decodeEventLog`.
 */
import { type AbiEvent, decodeAbiParameters, type Hex, toEventSelector } from "viem";
import {
  badgesAbi,
  perkShopAbi,
  referralPayoutsAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "../abi.ts";

/** A log as `eth_getLogs` returns it. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
}

const selector = (abi: readonly unknown[], name: string): string => {
  const item = (abi as AbiEvent[]).find((i) => i.type === "event" && i.name === name);
  if (!item) throw new Error(`event ${name} not in the ABI`);
  return toEventSelector(item);
};

export const TOPICS = {
  referralRewarded: selector(referralPayoutsAbi, "ReferralRewarded"),
  payoutBatchPaid: selector(referralPayoutsAbi, "PayoutBatchPaid"),
  rulesPublished: selector(referralPayoutsAbi, "RulesPublished"),
  transfer: selector(rewardTokenAbi, "Transfer"),
  epochPublished: selector(rewardDistributorAbi, "EpochPublished"),
  epochVetoed: selector(rewardDistributorAbi, "EpochVetoed"),
  claimed: selector(rewardDistributorAbi, "Claimed"),
  clawedBack: selector(rewardDistributorAbi, "ClawedBack"),
  released: selector(rewardDistributorAbi, "Released"),
  perkRedeemed: selector(perkShopAbi, "PerkRedeemed"),
  transferSingle: selector(badgesAbi, "TransferSingle"),
  transferBatch: selector(badgesAbi, "TransferBatch"),
} as const;

/** The topic-0 filter for `eth_getLogs`: every event the indexer reads. */
export const INDEXED_TOPICS: string[] = Object.values(TOPICS);

/** Word `i` of a log's data as a bigint. */
export function word(data: string, i: number): bigint {
  return BigInt(`0x${data.slice(2 + i * 64, 66 + i * 64)}`);
}

/** Word `i` of a log's data as a (safe) number; throws beyond 2**53. */
export function smallWord(data: string, i: number): number {
  const v = word(data, i);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`value ${v} does not fit a number`);
  return Number(v);
}

/** The lower-case address in a topic (or word) of 32 bytes. */
export function topicAddress(topic: string): string {
  return `0x${topic.slice(26)}`.toLowerCase();
}

/** Word `i` of a log's data as a lower-case address. */
export function wordAddress(data: string, i: number): string {
  return `0x${data.slice(26 + i * 64, 66 + i * 64)}`.toLowerCase();
}

export function hexNumber(value: string): number {
  return Number.parseInt(value, 16);
}

/** RulesPublished's hash and URI (a dynamic string: decoded generically; the event is rare). */
export function decodeRulesPublished(data: string): { hash: string; uri: string } {
  const [hash, uri] = decodeAbiParameters([{ type: "bytes32" }, { type: "string" }], data as Hex);
  return { hash: hash.toLowerCase(), uri };
}

/** TransferBatch's ids and values (dynamic arrays: the one event decoded generically). */
export function decodeTransferBatch(data: string): { ids: bigint[]; values: bigint[] } {
  const [ids, values] = decodeAbiParameters(
    [{ type: "uint256[]" }, { type: "uint256[]" }],
    data as Hex,
  );
  return { ids: [...ids], values: [...values] };
}
