import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, encodeAbiParameters, getAddress, type Hex, keccak256 } from "viem";

/**
 * The off-chain side of RewardDistributor, shared by the epoch publisher, the API that serves
 * proofs, the public reward files and the tests. Leaves are OpenZeppelin StandardMerkleTree
 * leaves over `["address", "uint256"]`: the wallet and its cumulative amount.
 */
export const REWARD_LEAF_TYPES = ["address", "uint256"] as const;

export interface RewardAllocation {
  account: Address;
  /** Everything the account may have claimed in total, up to and including this epoch. */
  cumulativeAmount: bigint;
}

/** The public reward file of one epoch: anyone can rebuild the root from it. */
export interface RewardFile {
  format: "refmint-rewards/1";
  chainId: number;
  distributor: Address;
  token: Address;
  epoch: number;
  root: Hex;
  deadline: number;
  total: string;
  tree: ReturnType<StandardMerkleTree<[string, string]>["dump"]>;
}

export class RewardTree {
  readonly root: Hex;
  readonly total: bigint;
  private readonly tree: StandardMerkleTree<[string, string]>;
  private readonly index = new Map<string, number>();

  private constructor(tree: StandardMerkleTree<[string, string]>) {
    this.tree = tree;
    this.root = tree.root as Hex;
    let total = 0n;
    for (const [i, [account, amount]] of tree.entries()) {
      this.index.set(account.toLowerCase(), i);
      total += BigInt(amount);
    }
    this.total = total;
  }

  /** Builds the tree; each account may appear once and amounts must be positive. */
  static build(allocations: readonly RewardAllocation[]): RewardTree {
    if (allocations.length === 0) throw new Error("A reward tree needs at least one allocation.");
    const seen = new Set<string>();
    const values = allocations.map(({ account, cumulativeAmount }) => {
      const key = account.toLowerCase();
      if (seen.has(key)) throw new Error(`Duplicate account in reward tree: ${account}`);
      if (cumulativeAmount <= 0n) throw new Error(`Non-positive amount for ${account}`);
      seen.add(key);
      return [getAddress(account), cumulativeAmount.toString()] as [string, string];
    });
    return new RewardTree(StandardMerkleTree.of(values, [...REWARD_LEAF_TYPES]));
  }

  /** Loads a tree from a public reward file and checks that it reproduces the stated root. */
  static fromFile(file: RewardFile): RewardTree {
    const tree = new RewardTree(StandardMerkleTree.load(file.tree));
    tree.tree.validate();
    if (tree.root.toLowerCase() !== file.root.toLowerCase()) {
      throw new Error(`Reward file root ${file.root} does not match its tree (${tree.root}).`);
    }
    return tree;
  }

  /** The account's cumulative amount and proof, or undefined if it is not in this epoch. */
  claimFor(account: Address): { cumulativeAmount: bigint; proof: Hex[] } | undefined {
    const i = this.index.get(account.toLowerCase());
    if (i === undefined) return undefined;
    const [, amount] = this.tree.at(i)!;
    return { cumulativeAmount: BigInt(amount), proof: this.tree.getProof(i) as Hex[] };
  }

  get size(): number {
    return this.index.size;
  }

  toFile(meta: Omit<RewardFile, "format" | "root" | "total" | "tree">): RewardFile {
    return {
      format: "refmint-rewards/1",
      ...meta,
      root: this.root,
      total: this.total.toString(),
      tree: this.tree.dump(),
    };
  }
}

/** The leaf hash RewardDistributor computes: keccak256(keccak256(abi.encode(account, amount))). */
export function rewardLeaf(account: Address, cumulativeAmount: bigint): Hex {
  const inner = keccak256(
    encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [account, cumulativeAmount]),
  );
  return keccak256(inner);
}

/** Verifies a proof without trusting anything but the root (what a wallet holder would run). */
export function verifyRewardProof(
  root: Hex,
  account: Address,
  cumulativeAmount: bigint,
  proof: readonly Hex[],
): boolean {
  let node = rewardLeaf(account, cumulativeAmount);
  for (const sibling of proof) {
    const [a, b] = BigInt(node) < BigInt(sibling) ? [node, sibling] : [sibling, node];
    node = keccak256(`0x${a.slice(2)}${b.slice(2)}`);
  }
  return node.toLowerCase() === root.toLowerCase();
}
