/**
 * Gas benchmark of the reward contracts on the local Hardhat network (`npm run bench:gas`).
 * Prints a table and writes bench/results/gas.json. Gas is deterministic, so one run is exact;
 * the baselines are measured in the same run for a side-by-side comparison.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { type Address, getAddress, type Hash, type Hex, keccak256, parseEther, toHex } from "viem";
import { encodePayoutBatch, type PayoutInstruction } from "../server/chain/evm/payoutBatch.ts";
import { encodeReleaseBatch } from "../server/chain/evm/releaseBatch.ts";
import {
  type PerkOrder,
  perkOrderTypedData,
  permitOf,
  permitTypedData,
} from "../server/chain/perkOrder.ts";
import { claimArgs, RewardTree } from "../verify/rewardFiles.ts";
import { machine } from "./machine.ts";

const { viem, networkHelpers, provider } = await network.create();
const publicClient = await viem.getPublicClient();
const [admin, backend, treasury, member, publisher] = await viem.getWalletClients();
const A = admin.account.address;

let seed = 0;
const fresh = (): Address => getAddress(`0x${keccak256(toHex(`bench-${seed++}`)).slice(26)}`);
const gasOf = async (hash: Promise<Hash> | Hash) =>
  (await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed;

// GAS_TRACE=1 prints where a transaction's gas goes, per opcode class and storage slot, from
// the struct logger (`debug_traceTransaction`).
interface TraceStep {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}
const traces: Record<string, unknown> = {};
async function traced(name: string, hash: Hash) {
  const gas = await gasOf(hash);
  if (process.env.GAS_TRACE) {
    const tx = await publicClient.getTransaction({ hash });
    const trace = (await provider.request({
      method: "debug_traceTransaction",
      params: [hash],
    })) as { structLogs: TraceStep[] };
    traces[name] = gasBreakdown(trace.structLogs, tx.gas, gas);
  }
  return gas;
}
const slotName = (word: string | undefined) =>
  word === undefined ? "?" : BigInt(word) < 1000n ? String(BigInt(word)) : `${word.slice(0, 10)}…`;
function gasBreakdown(steps: TraceStep[], gasLimit: bigint, gasUsed: bigint) {
  const intrinsic = Number(gasLimit) - steps[0].gas;
  const items = new Map<string, number>();
  const add = (key: string, gas: number) => items.set(key, (items.get(key) ?? 0) + gas);
  const frames = ["tx.to"];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const next = steps[i + 1];
    const frame = frames[step.depth - 1] ?? "?";
    const stack = step.stack ?? [];
    if (next && next.depth > step.depth) {
      // A call: its own cost is the gas it took minus what the callee used.
      let j = i + 1;
      while (j < steps.length && steps[j].depth > step.depth) j++;
      const last = steps[j - 1];
      const child = next.gas - last.gas + last.gasCost;
      add(`${frame} ${step.op} (account access, memory)`, step.gas - (steps[j]?.gas ?? 0) - child);
      frames[step.depth] = `callee ${stack.at(-2)?.slice(-6) ?? "?"}`;
      continue;
    }
    const cost = next && next.depth === step.depth ? step.gas - next.gas : step.gasCost;
    if (step.op === "SLOAD")
      add(`${frame} SLOAD ${cost > 100 ? "cold" : "warm"} slot ${slotName(stack.at(-1))}`, cost);
    else if (step.op === "SSTORE") add(`${frame} SSTORE slot ${slotName(stack.at(-1))}`, cost);
    else if (step.op.startsWith("LOG") || step.op === "KECCAK256") add(`${frame} ${step.op}`, cost);
    else add(`${frame} other opcodes${process.env.GAS_TRACE === "ops" ? ` ${step.op}` : ""}`, cost);
  }
  const execution = [...items.values()].reduce((a, b) => a + b, 0);
  return {
    gasUsed: Number(gasUsed),
    intrinsic,
    calldata: intrinsic - 21_000,
    execution,
    refund: intrinsic + execution - Number(gasUsed),
    items: Object.fromEntries([...items].sort((a, b) => b[1] - a[1])),
  };
}

const DAY = 86_400n;
const MAX_96 = (1n << 96n) - 1n;
const token = await viem.deployContract("RewardToken", [
  "Refmint Referral",
  "REF",
  parseEther("1000000000000"),
  A,
]);
const payouts = await viem.deployContract("ReferralPayouts", [1n, A, backend.account.address, A]);
// Production-like: roots wait a day before they take effect.
const distributor = await viem.deployContract("RewardDistributor", [
  token.address,
  A,
  publisher.account.address,
  backend.account.address,
  A,
  treasury.account.address,
  DAY,
  true,
]);
const badges = await viem.deployContract("Badges", [A, backend.account.address]);
const shop = await viem.deployContract("PerkShop", [
  A,
  backend.account.address,
  treasury.account.address,
]);
await token.write.grantRole([await token.read.MINTER_ROLE(), payouts.address]);
await payouts.write.setBudget([token.address, parseEther("100000000000"), MAX_96, MAX_96, false]);
await distributor.write.setReleaseLimits([MAX_96, MAX_96]);
const asBackend = { client: { wallet: backend } };
const payoutsB = await viem.getContractAt("ReferralPayouts", payouts.address, asBackend);
const distributorP = await viem.getContractAt("RewardDistributor", distributor.address, {
  client: { wallet: publisher },
});
const distributorB = await viem.getContractAt("RewardDistributor", distributor.address, asBackend);
const badgesB = await viem.getContractAt("Badges", badges.address, asBackend);
const shopB = await viem.getContractAt("PerkShop", shop.address, asBackend);

// Payout ids come from one sequence, as the ledger assigns them.
let nextPayoutId = 1n;
const REWARD = parseEther("10");
async function payBatch(recipients: Address[], amount = REWARD, via: Address = token.address) {
  const batch: PayoutInstruction[] = recipients.map((recipient) => ({
    payoutId: nextPayoutId++,
    recipient,
    amount,
    referee: 100_000n + nextPayoutId,
    level: 1,
  }));
  const { transfers, meta } = encodePayoutBatch(batch);
  return gasOf(payoutsB.write.pay([via, transfers, meta]));
}

const results: Record<string, number> = {};
await payBatch([fresh()]); // first payout ever: cold-start slots (supply, budget) are not a steady state
for (const size of [1, 10, 50, 100, 200]) {
  const gas = await payBatch(Array.from({ length: size }, fresh));
  results[`payout_new_holder_batch_${size}`] = Number(gas / BigInt(size));
}
const holders = Array.from({ length: 200 }, fresh);
await payBatch(holders);
results.payout_existing_holder_batch_200 = Number((await payBatch(holders)) / 200n);

// Baseline: one transaction per payout, minting a plain OpenZeppelin ERC-20 to a new holder.
const plain = await viem.deployContract("PlainERC20");
await plain.write.mint([fresh(), 1n]); // supply slot warm-up, as for ours
results.baseline_mint_per_tx = Number(await gasOf(plain.write.mint([fresh(), REWARD])));

// Payouts in a token the campaign does not mint: a plain OpenZeppelin ERC-20 and a fee-less
// USDC-like token (6 decimals) from the pre-funded vault (the ReferralPayouts contract).
const external = await viem.deployContract("PlainERC20");
const usdc = await viem.deployContract("UsdcLike");
await external.write.mint([payouts.address, parseEther("1000000000")]);
await usdc.write.mint([payouts.address, 10n ** 15n]);
await payouts.write.setBudget([external.address, parseEther("100000000000"), MAX_96, MAX_96, true]);
await payouts.write.setBudget([usdc.address, 10n ** 15n, MAX_96, MAX_96, true]);
await payBatch([fresh()], REWARD, external.address); // warm-up, as for ours
results.payout_external_erc20_new_holder_batch_200 = Number(
  (await payBatch(Array.from({ length: 200 }, fresh), REWARD, external.address)) / 200n,
);
await payBatch([fresh()], 10_000_000n, usdc.address);
results.payout_usdc_like_new_holder_batch_200 = Number(
  (await payBatch(Array.from({ length: 200 }, fresh), 10_000_000n, usdc.address)) / 200n,
);

// Escrow released for free: 200 members who earned without a wallet (one escrow payout each
// into the distributor), then link one; one release batch pays them all.
const escrowMembers = Array.from({ length: 200 }, (_, i) => ({
  member: 50_000n + BigInt(i),
  wallet: fresh(),
}));
await payBatch([distributor.address]); // the distributor's balance slot exists from earlier grants
const warmUp = encodeReleaseBatch([{ member: 1n, wallet: fresh(), amount: 1n }]);
// The release limit's slot and the bitmap exist from earlier releases.
await distributorB.write.release([warmUp.transfers, warmUp.members]);
const escrowGas = await payBatch(Array.from({ length: 200 }, () => distributor.address));
const { transfers: releaseTransfers, members: releaseMembers } = encodeReleaseBatch(
  escrowMembers.map((m) => ({ ...m, amount: REWARD })),
);
const releaseGas = await traced(
  "escrow_release_batch_200",
  await distributorB.write.release([releaseTransfers, releaseMembers]),
);
results.escrow_release_per_member_batch_200 = Number(releaseGas / 200n);
results.escrow_lifecycle_per_member = Number((escrowGas + releaseGas) / 200n);

// Merkle epochs: 10,000 members' grants escrowed in the distributor, then two epochs.
const MEMBERS = 10_000;
const members = Array.from({ length: MEMBERS }, fresh);
members[1234] = member.account.address;
await payBatch([distributor.address], parseEther("10") * BigInt(MEMBERS) * 3n);
// A fixed deadline (1 January 2100): it is in every leaf, so a time-dependent one would change
// the proofs' bytes, and with them the calldata gas, from run to run.
const deadline = 4_102_444_800;
const leaves = (cumulativeAmount: bigint, list: Address[]) =>
  list.map((account, i) => ({
    member: BigInt(i + 1),
    account,
    cumulativeAmount,
    deadline,
    released: false,
  }));
const epoch1 = RewardTree.build(leaves(REWARD, members));
results.merkle_tree_members = MEMBERS;
results.merkle_publish_root = Number(
  await gasOf(
    distributorP.write.publishRoot([epoch1.root, epoch1.cumulativeTotal, BigInt(deadline)]),
  ),
);
await networkHelpers.time.increase(DAY);
results.merkle_activate_root = Number(await gasOf(distributor.write.activate()));
const small = RewardTree.build(leaves(REWARD * 2n, members.slice(0, 10)));
results.merkle_publish_root_10_members = Number(
  await gasOf(
    distributorP.write.publishRoot([small.root, small.cumulativeTotal, BigInt(deadline)]),
  ),
);
await distributor.write.veto([2n]);
await distributorP.write.publishRoot([epoch1.root, epoch1.cumulativeTotal, BigInt(deadline)]);
await networkHelpers.time.increase(DAY);
await distributor.write.activate();
const c1 = epoch1.claimFor(1235n)!;
results.merkle_claim_first = Number(
  await traced("merkle_claim_first", await distributor.write.claim(claimArgs(c1))),
);
const epoch2 = RewardTree.build(leaves(REWARD * 2n, members));
await distributorP.write.publishRoot([epoch2.root, epoch2.cumulativeTotal, BigInt(deadline)]);
await networkHelpers.time.increase(DAY);
await distributor.write.activate();
const c2 = epoch2.claimFor(1235n)!;
results.merkle_claim_next_epoch = Number(
  await traced("merkle_claim_next_epoch", await distributor.write.claim(claimArgs(c2))),
);

// Reference: Uniswap's merkle-distributor design (one root, a claimed bit per leaf, plain token).
const values = members.map((account, i) => [i.toString(), account, REWARD.toString()]);
const uniTree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
const uni = await viem.deployContract("BitmapMerkleDistributor", [
  plain.address,
  uniTree.root as Hex,
]);
await plain.write.mint([uni.address, REWARD * BigInt(MEMBERS)]);
const uniClaim = async (name: string, i: number) =>
  traced(
    name,
    await uni.write.claim([BigInt(i), members[i], REWARD, uniTree.getProof(i) as Hex[]]),
  );
results.reference_uniswap_claim_fresh_word = Number(
  await uniClaim("reference_uniswap_claim_fresh_word", 2048),
);
results.reference_uniswap_claim_shared_word = Number(
  await uniClaim("reference_uniswap_claim_shared_word", 2049),
);

// Badges: one badge to 100 new holders.
await badges.write.defineBadge([1n, "ipfs://refmint/badges/1.json", false]);
results.badge_mint_batch_100_per_badge = Number(
  (await gasOf(badgesB.write.mintBatch([1n, Array.from({ length: 100 }, fresh)]))) / 100n,
);

// Perk redemption relayed for the member: their signed order, funded by their permit (the
// member pays no gas).
await shop.write.createPerk([token.address, parseEther("5"), 1000, 0, true]);
const chainId = await publicClient.getChainId();
const permitDeadline = BigInt(await networkHelpers.time.latest()) + 3600n;
const permitTerms = {
  owner: member.account.address,
  spender: shop.address,
  value: parseEther("5"),
  nonce: await token.read.nonces([member.account.address]),
  deadline: permitDeadline,
};
const permit = permitOf(
  permitTerms,
  await member.signTypedData(
    permitTypedData(
      { name: "Refmint Referral", version: "1", chainId, address: token.address },
      permitTerms,
    ),
  ),
);
const order: PerkOrder = {
  member: member.account.address,
  perkId: 1n,
  quantity: 1,
  maxCost: parseEther("5"),
  orderRef: keccak256(toHex("bench-order-1")),
  nonce: 0n,
  deadline: permitDeadline,
};
const orderSignature = await member.signTypedData(perkOrderTypedData(chainId, shop.address, order));
results.perk_redeem_with_permit = Number(
  await gasOf(shopB.write.redeemWithPermit([order, orderSignature, permit])),
);

const targets: Record<string, number> = {
  payout_new_holder_batch_200: 27_500,
  payout_existing_holder_batch_200: 10_500,
  payout_external_erc20_new_holder_batch_200: 30_000,
  escrow_release_per_member_batch_200: 28_000,
  escrow_lifecycle_per_member: 40_000,
  merkle_publish_root: 70_000,
  merkle_claim_first: 95_000,
  merkle_claim_next_epoch: 60_000,
};
const rows = Object.entries(results).map(([key, gas]) => ({
  key,
  gas,
  target: targets[key] ?? "",
  met: key in targets ? (gas <= targets[key] ? "yes" : "NO") : "",
}));
console.table(rows);
if (process.env.GAS_TRACE) console.dir(traces, { depth: null });
const out = {
  measured: new Date().toISOString(),
  machine: machine(),
  network: "hardhat (EDR, in-process), evm prague, solc 0.8.30, optimizer 10000 runs",
  unit: "gas (transaction gasUsed; per payout / per badge for batches)",
  results,
  targets,
};
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(
  new URL("./results/gas.json", import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log("wrote bench/results/gas.json");
