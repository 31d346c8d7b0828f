/**
 * The indexer decodes our events by slicing hex (fast for backfills); this holds it equal to
 * viem's ABI decoding for every event it reads, on logs encoded from the ABI itself.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Abi, decodeEventLog, encodeAbiParameters, encodeEventTopics, type Hex } from "viem";
import {
  badgesAbi,
  perkShopAbi,
  referralPayoutsAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "../../server/chain/abi.ts";
import {
  decodeRulesPublished,
  decodeTransferBatch,
  INDEXED_TOPICS,
  smallWord,
  TOPICS,
  topicAddress,
  word,
  wordAddress,
} from "../../server/chain/evm/logs.ts";
import { backoffMs, classifyRpcError, decodeRevert } from "../../server/chain/rpc.ts";

const A = "0x00000000000000000000000000000000DeaDBeef";
const B = "0x1111111111111111111111111111111111111111";

function log(abi: Abi, eventName: string, args: Record<string, unknown>) {
  const event = abi.find((i) => i.type === "event" && i.name === eventName);
  if (event?.type !== "event") throw new Error(eventName);
  const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as Hex[];
  const unindexed = event.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(unindexed, unindexed.map((i) => args[i.name!]) as never);
  const decoded = decodeEventLog({ abi: [event], data, topics: topics as [Hex, ...Hex[]] })
    .args as Record<string, unknown>;
  return { topics, data, decoded };
}

test("hex slicing decodes every indexed event exactly like the ABI", () => {
  const big = (1n << 95n) + 12345n;
  const r = log(referralPayoutsAbi, "ReferralRewarded", {
    recipient: A,
    payoutId: 2n ** 63n + 7n,
    referee: 2n ** 55n,
    level: 3n,
    amount: big,
  });
  assert.equal(r.topics[0], TOPICS.referralRewarded);
  assert.equal(topicAddress(r.topics[1]!), A.toLowerCase());
  assert.deepEqual(
    [word(r.data, 0), word(r.data, 1), smallWord(r.data, 2), word(r.data, 3)],
    [r.decoded.payoutId, r.decoded.referee, Number(r.decoded.level), r.decoded.amount],
  );
  const batch = log(referralPayoutsAbi, "PayoutBatchPaid", { token: B, count: 200n, amount: big });
  assert.equal(topicAddress(batch.topics[1]!), B);
  const t = log(rewardTokenAbi, "Transfer", { from: A, to: B, value: big });
  assert.deepEqual(
    [topicAddress(t.topics[1]!), topicAddress(t.topics[2]!), word(t.data, 0)],
    [A.toLowerCase(), B, big],
  );
  const root = `0x${"ab".repeat(32)}` as Hex;
  const e = log(rewardDistributorAbi, "EpochPublished", {
    epoch: 9n,
    root,
    total: big,
    deadline: 1_900_000_000n,
    activatesAt: 1_800_000_000n,
  });
  assert.deepEqual(
    [
      BigInt(e.topics[1]!),
      `0x${e.data.slice(2, 66)}`,
      word(e.data, 1),
      smallWord(e.data, 2),
      smallWord(e.data, 3),
    ],
    [9n, root, big, 1_900_000_000, 1_800_000_000],
  );
  const v = log(rewardDistributorAbi, "EpochVetoed", { epoch: 10n });
  assert.equal(BigInt(v.topics[1]!), 10n);
  const c = log(rewardDistributorAbi, "Claimed", { member: 77n });
  assert.equal(word(c.data, 0), 77n);
  const rl = log(rewardDistributorAbi, "Released", { account: A, member: 77n, amount: big });
  assert.equal(rl.topics[0], TOPICS.released);
  assert.deepEqual(
    [topicAddress(rl.topics[1]!), smallWord(rl.data, 0), word(rl.data, 1)],
    [A.toLowerCase(), Number(rl.decoded.member), rl.decoded.amount],
  );
  const cb = log(rewardDistributorAbi, "ClawedBack", { epoch: 2n, treasury: B, amount: 77n });
  assert.deepEqual(
    [BigInt(cb.topics[1]!), topicAddress(cb.topics[2]!), word(cb.data, 0)],
    [2n, B, 77n],
  );
  const ref = `0x${"cd".repeat(32)}` as Hex;
  const p = log(perkShopAbi, "PerkRedeemed", {
    member: A,
    perkId: 4n,
    orderId: ref,
    quantity: 2n,
    token: B,
    cost: big,
  });
  assert.deepEqual(
    [
      topicAddress(p.topics[1]!),
      BigInt(p.topics[2]!),
      p.topics[3],
      smallWord(p.data, 0),
      wordAddress(p.data, 1),
      word(p.data, 2),
    ],
    [A.toLowerCase(), 4n, ref, 2, B, big],
  );
  const tb = log(badgesAbi, "TransferBatch", {
    operator: A,
    from: "0x0000000000000000000000000000000000000000",
    to: B,
    ids: [1n, 3n],
    values: [1n, 1n],
  });
  assert.deepEqual(decodeTransferBatch(tb.data), { ids: [1n, 3n], values: [1n, 1n] });
  const rules = log(referralPayoutsAbi, "RulesPublished", {
    version: 3n,
    hash: root,
    uri: "https://refmint.test/rules/demo/ab.json",
  });
  assert.equal(rules.topics[0], TOPICS.rulesPublished);
  assert.equal(BigInt(rules.topics[1]!), 3n);
  assert.deepEqual(decodeRulesPublished(rules.data), {
    hash: root,
    uri: "https://refmint.test/rules/demo/ab.json",
  });
  assert.equal(new Set(INDEXED_TOPICS).size, 12);
});

test("custom errors decode by name; RPC failures are classified; backoff grows with jitter", () => {
  const data = encodeAbiParameters(
    [{ type: "address" }, { type: "uint256" }, { type: "uint256" }],
    [B, 10n, 5n],
  );
  const selector = "0x7a3f9a8e"; // not ours: decoded as unknown, never thrown
  assert.equal(decodeRevert(`${selector}${data.slice(2)}`).name, "UnknownError");
  assert.equal(decodeRevert("0xd93c0665").text, "EnforcedPause()");
  assert.equal(
    classifyRpcError(new Error("Transaction nonce too low. Expected nonce to be at least 1")),
    "nonce_too_low",
  );
  assert.equal(classifyRpcError(new Error("already known")), "already_known");
  assert.equal(classifyRpcError(new Error("Known transaction: 0xabc")), "already_known");
  assert.equal(classifyRpcError(new Error("replacement transaction underpriced")), "underpriced");
  assert.equal(
    classifyRpcError(new Error("insufficient funds for gas * price + value")),
    "insufficient_funds",
  );
  assert.equal(
    classifyRpcError(new Error("Sender doesn't have enough funds to send tx")),
    "insufficient_funds",
  );
  assert.equal(classifyRpcError(new Error("fetch failed: ECONNREFUSED")), "transient");
  for (let attempt = 0; attempt < 8; attempt++) {
    const ceiling = Math.min(30_000, 100 * 2 ** attempt);
    const d = backoffMs(attempt, 100, 30_000);
    assert.ok(
      d >= ceiling / 2 && d <= ceiling,
      `attempt ${attempt}: ${d} in [${ceiling / 2}, ${ceiling}]`,
    );
  }
});
