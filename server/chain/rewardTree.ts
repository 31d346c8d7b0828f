import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, encodeAbiParameters, getAddress, type Hex, keccak256 } from "viem";

/**
 * The off-chain side of RewardDistributor, shared by the epoch publisher, the API that serves
 * proofs, the public reward files and the tests. Leaves are OpenZeppelin StandardMerkleTree
 * leaves over `["uint256", "address", "uint256", "uint256", "bool"]`: the member's number, the
 * wallet the leaf pays, the member's cumulative amount, the leaf's claim deadline (unix
 * seconds) and whether the member's escrow had been released when the leaf was written.
 */
export const REWARD_LEAF_TYPES = ["uint256", "address", "uint256", "uint256", "bool"] as const;

type LeafValue = [string, string, string, string, boolean];

export interface RewardAllocation {
  /** The member's public member number (the distributor keeps claims per member). */
  member: bigint;
  /** The wallet the leaf pays. */
  account: Address;
  /** Everything the member may have claimed in total, up to and including this epoch. */
  cumulativeAmount: bigint;
  /** Unix seconds after which this leaf can no longer be claimed. */
  deadline: number;
  /** True when the leaf covers only escrow earned after the member's escrow was released. */
  released: boolean;
}

export interface RewardClaim extends RewardAllocation {
  proof: Hex[];
}

/** The public reward file of one epoch: anyone can rebuild the root from it. */
export interface RewardFile {
  format: "refmint-rewards/2";
  chainId: number;
  distributor: Address;
  token: Address;
  epoch: number;
  root: Hex;
  /** The root's deadline on-chain: no leaf closes later. */
  deadline: number;
  /** What the root promises on-chain (each leaf's amount less what its member had claimed). */
  total: string;
  tree: ReturnType<StandardMerkleTree<LeafValue>["dump"]>;
}

export class RewardTree {
  readonly root: Hex;
  /** The sum of the leaves' cumulative amounts. */
  readonly cumulativeTotal: bigint;
  /** The latest leaf deadline. */
  readonly deadline: number;
  private readonly tree: StandardMerkleTree<LeafValue>;
  private readonly index = new Map<bigint, number>();

  private constructor(tree: StandardMerkleTree<LeafValue>) {
    this.tree = tree;
    this.root = tree.root as Hex;
    let total = 0n;
    let deadline = 0;
    for (const [i, [member, , amount, leafDeadline]] of tree.entries()) {
      this.index.set(BigInt(member), i);
      total += BigInt(amount);
      deadline = Math.max(deadline, Number(leafDeadline));
    }
    this.cumulativeTotal = total;
    this.deadline = deadline;
  }

  /** Builds the tree; each member may appear once and amounts must be positive. */
  static build(allocations: readonly RewardAllocation[]): RewardTree {
    if (allocations.length === 0) throw new Error("A reward tree needs at least one allocation.");
    const seen = new Set<bigint>();
    const values = allocations.map((a) => {
      if (seen.has(a.member)) throw new Error(`Duplicate member in reward tree: ${a.member}`);
      if (a.cumulativeAmount <= 0n) throw new Error(`Non-positive amount for member ${a.member}`);
      if (!Number.isSafeInteger(a.deadline) || a.deadline <= 0)
        throw new Error(`Invalid deadline for member ${a.member}: ${a.deadline}`);
      seen.add(a.member);
      return [
        a.member.toString(),
        getAddress(a.account),
        a.cumulativeAmount.toString(),
        String(a.deadline),
        a.released,
      ] as LeafValue;
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

  /** The member's leaf and proof, or undefined if the member is not in this epoch. */
  claimFor(member: bigint | number): RewardClaim | undefined {
    const i = this.index.get(BigInt(member));
    if (i === undefined) return undefined;
    const [m, account, amount, deadline, released] = this.tree.at(i)!;
    return {
      member: BigInt(m),
      account: getAddress(account),
      cumulativeAmount: BigInt(amount),
      deadline: Number(deadline),
      released,
      proof: this.tree.getProof(i) as Hex[],
    };
  }

  get size(): number {
    return this.index.size;
  }

  /** The public reward file; `deadline` and `total` are the root's on-chain. */
  toFile(meta: Omit<RewardFile, "format" | "root" | "tree">): RewardFile {
    return { format: "refmint-rewards/2", ...meta, root: this.root, tree: this.tree.dump() };
  }
}

/** A leaf's member, deadline and released packed into one word, as `claim` takes them. */
export function leafTerms(
  leaf: Pick<RewardAllocation, "member" | "deadline" | "released">,
): bigint {
  return (leaf.member << 41n) | (BigInt(leaf.deadline) << 1n) | (leaf.released ? 1n : 0n);
}

/** The `claim(account, cumulativeAmount, terms, proof)` arguments for a leaf. */
export function claimArgs(c: RewardClaim): [Address, bigint, bigint, Hex[]] {
  return [c.account, c.cumulativeAmount, leafTerms(c), c.proof];
}

/** The leaf hash RewardDistributor computes: keccak256(keccak256(abi.encode(leaf))). */
export function rewardLeaf(leaf: RewardAllocation): Hex {
  const inner = keccak256(
    encodeAbiParameters(
      REWARD_LEAF_TYPES.map((type) => ({ type })),
      [leaf.member, leaf.account, leaf.cumulativeAmount, BigInt(leaf.deadline), leaf.released],
    ),
  );
  return keccak256(inner);
}

/** Verifies a proof without trusting anything but the root (what a wallet holder would run). */
export function verifyRewardProof(
  root: Hex,
  leaf: RewardAllocation,
  proof: readonly Hex[],
): boolean {
  let node = rewardLeaf(leaf);
  for (const sibling of proof) {
    const [a, b] = BigInt(node) < BigInt(sibling) ? [node, sibling] : [sibling, node];
    node = keccak256(`0x${a.slice(2)}${b.slice(2)}`);
  }
  return node.toLowerCase() === root.toLowerCase();
}
