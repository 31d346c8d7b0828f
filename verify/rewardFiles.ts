/**
 * Refmint's public reward files and the off-chain side of RewardDistributor: one module shared
 * by the epoch publisher, the API that serves proofs and files, the scripts, the tests and the
 * verifier (`refmint-verify`, the static verifier page). It depends on viem and
 * `@openzeppelin/merkle-tree` only, so `verify/` can be published on its own.
 *
 * Files are content-addressed: each is canonical JSON (keys sorted, no whitespace) named by its
 * SHA-256, and never rewritten (a new state is a new file). An index lists the current files by
 * kind and campaign, numbers itself, names the index before it, and is signed (EIP-712) by the
 * campaign's root publisher key, so anyone can check it against `hasRole(PUBLISHER_ROLE, signer)`
 * on the distributors.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  sha256,
  stringToBytes,
} from "viem";

/**
 * The Merkle tree side: the epoch publisher, the API that serves proofs and the reward files. Leaves are OpenZeppelin StandardMerkleTree
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

// ---- content-addressed files ----------------------------------------------------------------

/** JSON with object keys sorted and no whitespace: the bytes a file's hash is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** SHA-256 of a file's text, `0x` + 64 hex digits (its name is this without `0x`, plus `.json`). */
export function textHash(text: string): Hex {
  return sha256(stringToBytes(text));
}

/** A value's canonical text and its hash. */
export function contentAddress(value: unknown): { text: string; hash: Hex } {
  const text = canonicalJson(value);
  return { text, hash: textHash(text) };
}

/** The file name of a hash: 64 lower-case hex digits and `.json`. */
export const fileName = (hash: string) => `${hash.replace(/^0x/, "").toLowerCase()}.json`;

export const FILE_KINDS = ["campaign", "payouts", "epoch"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** Per campaign: its contracts, tokens and the rules version in effect. */
export interface CampaignFile {
  format: "refmint-campaign/1";
  chainId: number;
  /** The campaign's on-chain id (`ReferralPayouts.campaignId()`). */
  campaignId: number;
  campaign: string;
  payouts: Address;
  /** The block before the deployment: events start after it. */
  startBlock: number;
  tokens: Array<{
    symbol: string;
    decimals: number;
    token: Address;
    distributor: Address | null;
    /** `mint`: a RewardToken minted by the payouts contract; `vault`: an ERC-20 paid from it. */
    mode: "mint" | "vault";
  }>;
  /** The rules version in effect and the SHA-256 of its document (`currentRules()` on-chain). */
  rules: { version: number; hash: Hex } | null;
}

/** One payout as `ReferralRewarded` logged it, plus what the event cannot say. */
export interface PayoutRecord {
  /** The payout id (the ledger entry id). */
  id: string;
  token: string;
  recipient: Address;
  amount: string;
  level: number;
  /** The referred member's number (0 for rewards that are not referral rewards). */
  referee: string;
  /** The member the reward is for: with `escrow`, the one who may claim it from the distributor. */
  member: string;
  /** Paid into the token's distributor (the member had no wallet). */
  escrow: boolean;
  txHash: Hex;
  block: number;
}

/**
 * A part of a campaign's payouts: every payout logged in blocks `fromBlock` to `throughBlock`
 * (inclusive), ordered by id. The parts of a campaign follow each other without gap or overlap
 * (the first starts after the campaign file's `startBlock`), so together they hold every payout
 * up to the last part's `throughBlock`. Parts are cut at block boundaries once they hold
 * {@link PAYOUTS_PART_ITEMS} payouts and do not change after that: a new payout changes only
 * the last part, so writing the files costs the same at the millionth payout as at the first.
 * A file without `fromBlock` (written before parts existed) starts after `startBlock`.
 */
export interface PayoutsFile {
  format: "refmint-payouts/1";
  chainId: number;
  campaign: string;
  payouts: Address;
  /** The part's first block (absent: the block after the campaign's `startBlock`). */
  fromBlock?: number;
  /** Every payout logged from `fromBlock` up to and including this block is in the file. */
  throughBlock: number;
  items: PayoutRecord[];
}

/** How many payouts a part holds before it is closed (more when its last block holds more). */
export const PAYOUTS_PART_ITEMS = 500;

export interface IndexEntry {
  kind: FileKind;
  campaign: string;
  hash: Hex;
}

/** What the publisher signs: the files in effect, numbered and chained to the index before. */
export interface IndexBody {
  format: "refmint-index/1";
  chainId: number;
  sequence: number;
  /** The hash of the previous signed index (zero for the first). */
  previous: Hex;
  /** Unix seconds the index was made. */
  issuedAt: number;
  files: IndexEntry[];
}

export interface SignedIndex extends IndexBody {
  signer: Address;
  signature: Hex;
}

export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

export const INDEX_TYPES = {
  RewardFileIndex: [
    { name: "sequence", type: "uint256" },
    { name: "previous", type: "bytes32" },
    { name: "issuedAt", type: "uint256" },
    { name: "files", type: "FileRef[]" },
  ],
  FileRef: [
    { name: "kind", type: "string" },
    { name: "campaign", type: "string" },
    { name: "hash", type: "bytes32" },
  ],
} as const;

/** The EIP-712 typed data of an index (what `signTypedData` signs and the verifier recovers). */
export function indexTypedData(body: IndexBody) {
  return {
    domain: { name: "Refmint reward files", version: "1", chainId: body.chainId },
    types: INDEX_TYPES,
    primaryType: "RewardFileIndex" as const,
    message: {
      sequence: BigInt(body.sequence),
      previous: body.previous,
      issuedAt: BigInt(body.issuedAt),
      files: body.files.map((f) => ({ kind: f.kind, campaign: f.campaign, hash: f.hash })),
    },
  };
}

/** Files in a stable order (kind, campaign, hash), as an index lists them. */
export function sortEntries(files: readonly IndexEntry[]): IndexEntry[] {
  const order = (f: IndexEntry) => `${FILE_KINDS.indexOf(f.kind)}:${f.campaign}:${f.hash}`;
  return [...files].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
