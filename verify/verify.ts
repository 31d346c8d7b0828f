/**
 * The verifier: checks Refmint's public reward files against the chain, trusting nothing but a
 * JSON-RPC endpoint. Shared by the `refmint-verify` command (verify/cli.ts) and the static
 * verifier page (verify/page/); it depends on viem and `@openzeppelin/merkle-tree` only.
 *
 * 1. The index: its EIP-712 signature must recover to its signer, and the signer must hold
 *    PUBLISHER_ROLE on the campaigns' distributors; otherwise it is refused and nothing else is
 *    believed.
 * 2. Every file the index lists must hash (SHA-256) to its name.
 * 3. Campaign mode: the contracts are the campaign's, the rules are the ones published
 *    on-chain, every payout in the file is a `ReferralRewarded` log with the same fields and
 *    every log up to the file's block is in the file, every epoch file rebuilds the root
 *    `rootOf(epoch)` returns with the total and deadline its `EpochPublished` log declared, the
 *    token's supply is what the payouts minted, and the distributor's balance is what escrow
 *    received less releases, claims and clawbacks.
 * 4. Wallet mode: one wallet's payouts with their logs, its escrowed rewards, releases and
 *    claims, and what it can claim now with a proof checked against the on-chain root.
 *
 * Every disagreement is a {@link Mismatch} naming the file, the field, the file's value and the
 * chain's.
 */
import {
  type Address,
  getAddress,
  type Hex,
  isAddressEqual,
  type Log,
  type PublicClient,
  recoverTypedDataAddress,
  zeroAddress,
} from "viem";
import { distributorAbi, payoutsAbi, tokenAbi } from "./abi.ts";
import {
  type CampaignFile,
  fileName,
  indexTypedData,
  leafTerms,
  type PayoutRecord,
  type PayoutsFile,
  type RewardFile,
  RewardTree,
  type SignedIndex,
  textHash,
  verifyRewardProof,
} from "./rewardFiles.ts";

/** Where the files come from: a URL, a directory, or files dropped on the page. */
export interface FileSource {
  /** What to call it in messages. */
  readonly name: string;
  /** The latest signed index's text. */
  index(): Promise<string>;
  /** A file's text by its hash (`0x…`). */
  file(hash: Hex): Promise<string>;
}

/**
 * A source over HTTP: `url` is the folder of `index.json` (`https://host/rewards/files`), the
 * index itself, or the site's root (the files are then under `/rewards/files`).
 */
export function urlSource(url: string, fetchFn: typeof fetch = fetch): FileSource {
  let base = url.replace(/\/+$/, "");
  if (base.endsWith("/index.json")) base = base.slice(0, -"/index.json".length);
  if (new URL(base).pathname.replace(/\/+$/, "") === "") base = `${base}/rewards/files`;
  const get = async (path: string) => {
    const res = await fetchFn(`${base}/${path}`);
    if (!res.ok) throw new Error(`${base}/${path}: HTTP ${res.status}`);
    return res.text();
  };
  return { name: base, index: () => get("index.json"), file: (hash) => get(fileName(hash)) };
}

/** A source over files already in memory (a saved folder, files dropped on the page). */
export function mapSource(name: string, files: ReadonlyMap<string, string>): FileSource {
  const get = (n: string) => {
    const text = files.get(n);
    if (text === undefined) throw new Error(`${name}: no file ${n}`);
    return Promise.resolve(text);
  };
  return { name, index: () => get("index.json"), file: (hash) => get(fileName(hash)) };
}

export interface Mismatch {
  /** The file (its name) or `index`, or `chain` for a log no file accounts for. */
  file: string;
  /** What was compared, e.g. `payout 12 amount`. */
  field: string;
  /** What the file (or the index) says. */
  expected: string;
  /** What the chain says (or, for a hash, what the file's content hashes to). */
  actual: string;
}

export interface PayoutProof {
  campaign: string;
  id: string;
  token: string;
  amount: string;
  level: number;
  referee: string;
  member: string;
  escrow: boolean;
  /** The `ReferralRewarded` log proving it. */
  event: { address: Address; txHash: Hex; block: number; logIndex: number } | null;
}

export interface ClaimRecord {
  campaign: string;
  token: string;
  distributor: Address;
  member: string;
  amount: string;
  txHash: Hex;
  block: number;
}

export interface ClaimableItem {
  campaign: string;
  token: string;
  distributor: Address;
  epoch: number;
  root: Hex;
  member: string;
  cumulativeAmount: string;
  claimed: string;
  claimable: string;
  deadline: number;
  released: boolean;
  /** `claim(account, cumulativeAmount, terms, proof)`. */
  terms: string;
  proof: Hex[];
  /** The proof rebuilds the root the distributor holds on-chain. */
  proofVerified: boolean;
}

export interface WalletReport {
  address: Address;
  payouts: PayoutProof[];
  escrowed: PayoutProof[];
  releases: ClaimRecord[];
  claims: ClaimRecord[];
  claimable: ClaimableItem[];
}

export interface CampaignSummary {
  campaign: string;
  payouts: number;
  throughBlock: number;
  epochs: number;
  tokens: Array<{ symbol: string; paid: string; supply: string | null; escrow: string | null }>;
}

export interface Report {
  ok: boolean;
  /** The index could not be trusted (bad signature or signer not a publisher): nothing else was checked. */
  refused: boolean;
  source: string;
  chainId: number;
  index: { sequence: number; hash: Hex; signer: Address | null; issuedAt: number } | null;
  /** What was checked and held. */
  passed: string[];
  mismatches: Mismatch[];
  campaigns: CampaignSummary[];
  wallet?: WalletReport;
}

export interface VerifyOptions {
  client: PublicClient;
  source: FileSource;
  /** Wallet mode: this wallet's rewards, claims and claimable amounts. */
  address?: Address;
  /** Only this campaign (slug). */
  campaign?: string;
  /** Blocks per `eth_getLogs` call. */
  logChunk?: number;
}

interface Loaded {
  name: string;
  hash: Hex;
  text: string;
}

interface CampaignFiles {
  campaign?: CampaignFile & { $name: string };
  /** Every part of the campaign's payouts as one file (see {@link joinPayoutParts}). */
  payouts?: PayoutsFile & { $name: string; $fileOf: Map<string, string> };
  payoutParts: Array<PayoutsFile & { $name: string }>;
  epochs: Array<RewardFile & { $name: string }>;
}

/**
 * A campaign's payouts parts as one file: ordered by first block, each starting the block after
 * the one before ends (the first after the campaign's start block), every payout inside its
 * part's blocks. Each break of that is a mismatch naming the part; `$fileOf` names the part each
 * payout came from, so a wrong payout is reported in its own file.
 */
function joinPayoutParts(
  parts: ReadonlyArray<PayoutsFile & { $name: string }>,
  startBlock: number,
  miss: (file: string, what: string, expected: unknown, actual: unknown) => void,
): CampaignFiles["payouts"] {
  if (parts.length === 0) return undefined;
  const first = (p: PayoutsFile) => p.fromBlock ?? startBlock + 1;
  const sorted = [...parts].sort((a, b) => first(a) - first(b));
  const fileOf = new Map<string, string>();
  const items: PayoutRecord[] = [];
  let next = startBlock + 1;
  for (const part of sorted) {
    if (first(part) !== next) miss(part.$name, "fromBlock", next, first(part));
    for (const item of part.items) {
      if (item.block < first(part) || item.block > part.throughBlock)
        miss(
          part.$name,
          `payout ${item.id} block`,
          `within ${first(part)}..${part.throughBlock}`,
          item.block,
        );
      fileOf.set(item.id, part.$name);
      items.push(item);
    }
    next = Math.max(next, part.throughBlock + 1);
  }
  const last = sorted.at(-1)!;
  return {
    ...last,
    $name: sorted.length === 1 ? last.$name : sorted.map((p) => p.$name).join(", "),
    $fileOf: fileOf,
    fromBlock: first(sorted[0]!),
    throughBlock: next - 1,
    items,
  };
}

const str = (v: unknown) => (v === null || v === undefined ? "none" : String(v));

/** Runs every check; never throws for a mismatch (only for an unreachable source or RPC). */
export async function verify(opts: VerifyOptions): Promise<Report> {
  const { client, source } = opts;
  const chainId = await client.getChainId();
  const report: Report = {
    ok: false,
    refused: false,
    source: source.name,
    chainId,
    index: null,
    passed: [],
    mismatches: [],
    campaigns: [],
  };
  const miss = (file: string, field: string, expected: unknown, actual: unknown) =>
    report.mismatches.push({ file, field, expected: str(expected), actual: str(actual) });
  const pass = (what: string) => report.passed.push(what);
  const refuse = (field: string, expected: unknown, actual: unknown) => {
    miss("index.json", field, expected, actual);
    report.refused = true;
    report.ok = false;
    return report;
  };

  // 1. The index and its signature.
  const indexText = await source.index();
  let index: SignedIndex;
  try {
    index = JSON.parse(indexText) as SignedIndex;
  } catch {
    return refuse("JSON", "a signed index", "not JSON");
  }
  const indexHash = textHash(indexText);
  report.index = {
    sequence: index.sequence,
    hash: indexHash,
    signer: null,
    issuedAt: index.issuedAt,
  };
  if (index.format !== "refmint-index/1") return refuse("format", "refmint-index/1", index.format);
  if (index.chainId !== chainId) return refuse("chainId", index.chainId, chainId);
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({
      ...indexTypedData(index),
      signature: index.signature,
    });
  } catch (error) {
    return refuse("signature", `a signature by ${index.signer}`, (error as Error).message);
  }
  if (!isAddressEqual(recovered, index.signer))
    return refuse("signature", `signed by ${index.signer}`, `signed by ${recovered}`);
  report.index.signer = recovered;
  pass(`index ${index.sequence} is signed by ${recovered}`);

  // 2. Every listed file hashes to its name.
  const byCampaign = new Map<string, CampaignFiles>();
  for (const entry of index.files) {
    if (opts.campaign !== undefined && entry.campaign !== opts.campaign) continue;
    const name = fileName(entry.hash);
    let loaded: Loaded;
    try {
      const text = await source.file(entry.hash);
      loaded = { name, hash: entry.hash, text };
    } catch (error) {
      miss(name, "file", `${entry.kind} file of ${entry.campaign}`, (error as Error).message);
      continue;
    }
    const actual = textHash(loaded.text);
    if (actual !== entry.hash.toLowerCase()) miss(name, "sha256", entry.hash, actual);
    let value: unknown;
    try {
      value = JSON.parse(loaded.text);
    } catch {
      miss(name, "JSON", "a JSON file", "not JSON");
      continue;
    }
    const slot = byCampaign.get(entry.campaign) ?? { epochs: [], payoutParts: [] };
    byCampaign.set(entry.campaign, slot);
    const tagged = { ...(value as object), $name: name };
    if (entry.kind === "campaign") slot.campaign = tagged as CampaignFiles["campaign"];
    else if (entry.kind === "payouts")
      slot.payoutParts.push(tagged as CampaignFiles["payoutParts"][number]);
    else slot.epochs.push(tagged as CampaignFiles["epochs"][number]);
  }
  if (opts.campaign !== undefined && !byCampaign.has(opts.campaign))
    miss("index.json", "campaign", opts.campaign, "not listed");

  // The signer must be a root publisher of the campaigns' distributors.
  let publisherOf = 0;
  let distributors = 0;
  for (const [, files] of byCampaign) {
    for (const t of files.campaign?.tokens ?? []) {
      if (!t.distributor) continue;
      distributors++;
      const role = await client.readContract({
        address: t.distributor,
        abi: distributorAbi,
        functionName: "PUBLISHER_ROLE",
      });
      const holds = await client.readContract({
        address: t.distributor,
        abi: distributorAbi,
        functionName: "hasRole",
        args: [role, recovered],
      });
      if (holds) publisherOf++;
      else
        miss(
          files.campaign!.$name,
          `${t.symbol} distributor ${t.distributor} PUBLISHER_ROLE`,
          `held by the index's signer ${recovered}`,
          "not held",
        );
    }
  }
  if (distributors > 0 && publisherOf === 0)
    return refuse("signer", "a root publisher of the campaign's distributors", recovered);
  if (publisherOf > 0)
    pass(`the index's signer holds PUBLISHER_ROLE on ${publisherOf} distributor(s)`);

  // 3. Each campaign.
  const wallet: WalletReport | undefined = opts.address
    ? {
        address: getAddress(opts.address),
        payouts: [],
        escrowed: [],
        releases: [],
        claims: [],
        claimable: [],
      }
    : undefined;
  for (const [slug, files] of byCampaign) {
    await checkCampaign(
      client,
      slug,
      files,
      { miss, pass },
      report,
      wallet,
      opts.logChunk ?? 10_000,
    );
  }
  if (wallet) report.wallet = wallet;
  report.ok = report.mismatches.length === 0;
  return report;
}

interface Sink {
  miss(file: string, field: string, expected: unknown, actual: unknown): void;
  pass(what: string): void;
}

async function logsInChunks<T>(
  from: number,
  to: number,
  chunk: number,
  get: (fromBlock: bigint, toBlock: bigint) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let start = from; start <= to; start += chunk) {
    const end = Math.min(to, start + chunk - 1);
    out.push(...(await get(BigInt(start), BigInt(end))));
  }
  return out;
}

type DecodedLog<A> = Log<bigint, number, false> & { args: A };

async function checkCampaign(
  client: PublicClient,
  slug: string,
  files: CampaignFiles,
  sink: Sink,
  report: Report,
  wallet: WalletReport | undefined,
  chunk: number,
): Promise<void> {
  const { miss, pass } = sink;
  const c = files.campaign;
  if (!c) {
    miss("index.json", `${slug} campaign file`, "listed", "missing");
    return;
  }
  const p = joinPayoutParts(files.payoutParts, c.startBlock, miss);
  const summary: CampaignSummary = {
    campaign: slug,
    payouts: p?.items.length ?? 0,
    throughBlock: p?.throughBlock ?? c.startBlock,
    epochs: files.epochs.length,
    tokens: [],
  };
  report.campaigns.push(summary);

  // The contracts are this campaign's.
  const onChainId = await client
    .readContract({ address: c.payouts, abi: payoutsAbi, functionName: "campaignId" })
    .catch(() => undefined);
  if (onChainId === undefined || Number(onChainId) !== c.campaignId)
    miss(c.$name, "campaignId", c.campaignId, onChainId);
  else pass(`${slug}: ReferralPayouts ${c.payouts} is campaign ${c.campaignId}`);
  const tokenBySymbol = new Map(c.tokens.map((t) => [t.symbol, t]));
  for (const t of c.tokens) {
    if (!t.distributor) continue;
    const token = await client
      .readContract({ address: t.distributor, abi: distributorAbi, functionName: "token" })
      .catch(() => undefined);
    if (!token || !isAddressEqual(token, t.token))
      miss(c.$name, `${t.symbol} distributor token`, t.token, token);
  }

  const head = Number(await client.getBlockNumber());
  const throughBlock = p?.throughBlock ?? head;
  const from = c.startBlock + 1;

  // The rules version the file names was published on-chain with that hash.
  if (c.rules) {
    const logs = (await logsInChunks(from, head, chunk, (fromBlock, toBlock) =>
      client.getLogs({
        address: c.payouts,
        event: payoutsAbi[3],
        args: { version: BigInt(c.rules!.version) },
        fromBlock,
        toBlock,
      }),
    )) as Array<DecodedLog<{ version: bigint; hash: Hex }>>;
    const hashes = logs.map((l) => l.args.hash.toLowerCase());
    if (!hashes.includes(c.rules.hash.toLowerCase()))
      miss(
        c.$name,
        `rules version ${c.rules.version} hash`,
        c.rules.hash,
        hashes[0] ?? "no RulesPublished log",
      );
    else
      pass(
        `${slug}: rules version ${c.rules.version} published on-chain with hash ${c.rules.hash}`,
      );
  }

  // Payouts: the file and the logs, both ways.
  const rewarded = (await logsInChunks(from, throughBlock, chunk, (fromBlock, toBlock) =>
    client.getLogs({ address: c.payouts, event: payoutsAbi[1], fromBlock, toBlock }),
  )) as Array<
    DecodedLog<{
      recipient: Address;
      payoutId: bigint;
      referee: bigint;
      level: bigint;
      amount: bigint;
    }>
  >;
  const batches = (await logsInChunks(from, throughBlock, chunk, (fromBlock, toBlock) =>
    client.getLogs({ address: c.payouts, event: payoutsAbi[2], fromBlock, toBlock }),
  )) as Array<DecodedLog<{ token: Address }>>;
  const tokenOfTx = new Map(batches.map((b) => [b.transactionHash.toLowerCase(), b.args.token]));
  const byId = new Map(rewarded.map((l) => [l.args.payoutId.toString(), l]));
  const inFile = new Set<string>();
  const paidByToken = new Map<string, bigint>();
  const escrowByToken = new Map<string, bigint>();
  const escrowByMember = new Map<string, bigint>(); // `${token}:${member}`
  const proofOf = (item: PayoutRecord): PayoutProof => {
    const l = byId.get(item.id);
    return {
      campaign: slug,
      id: item.id,
      token: item.token,
      amount: item.amount,
      level: item.level,
      referee: item.referee,
      member: item.member,
      escrow: item.escrow,
      event: l
        ? {
            address: getAddress(l.address),
            txHash: l.transactionHash,
            block: Number(l.blockNumber),
            logIndex: l.logIndex,
          }
        : null,
    };
  };
  const walletMembers = new Set<string>();
  let payoutErrors = 0;
  if (p) {
    const before = report.mismatches.length;
    const partOf = (item: PayoutRecord) => p.$fileOf.get(item.id) ?? p.$name;
    for (const item of p.items) {
      const where = `payout ${item.id}`;
      if (inFile.has(item.id)) miss(partOf(item), where, "listed once", "listed twice");
      inFile.add(item.id);
      const t = tokenBySymbol.get(item.token);
      if (!t) {
        miss(partOf(item), `${where} token`, item.token, "not a token of the campaign file");
        continue;
      }
      paidByToken.set(item.token, (paidByToken.get(item.token) ?? 0n) + BigInt(item.amount));
      if (item.escrow) {
        escrowByToken.set(item.token, (escrowByToken.get(item.token) ?? 0n) + BigInt(item.amount));
        const k = `${item.token}:${item.member}`;
        escrowByMember.set(k, (escrowByMember.get(k) ?? 0n) + BigInt(item.amount));
      }
      const l = byId.get(item.id);
      if (!l) {
        miss(
          partOf(item),
          where,
          `ReferralRewarded in tx ${item.txHash} (block ${item.block})`,
          "no such log on-chain",
        );
        continue;
      }
      const a = l.args;
      if (!isAddressEqual(a.recipient, item.recipient))
        miss(partOf(item), `${where} recipient`, item.recipient, getAddress(a.recipient));
      if (a.amount.toString() !== item.amount)
        miss(partOf(item), `${where} amount`, item.amount, a.amount);
      if (Number(a.level) !== item.level) miss(partOf(item), `${where} level`, item.level, a.level);
      if (a.referee.toString() !== item.referee)
        miss(partOf(item), `${where} referee`, item.referee, a.referee);
      if (l.transactionHash.toLowerCase() !== item.txHash.toLowerCase())
        miss(partOf(item), `${where} transaction`, item.txHash, l.transactionHash);
      if (Number(l.blockNumber) !== item.block)
        miss(partOf(item), `${where} block`, item.block, l.blockNumber);
      const paidToken = tokenOfTx.get(l.transactionHash.toLowerCase());
      if (!paidToken || !isAddressEqual(paidToken, t.token))
        miss(partOf(item), `${where} token`, `${item.token} (${t.token})`, paidToken);
      const toDistributor = t.distributor !== null && isAddressEqual(item.recipient, t.distributor);
      if (toDistributor !== item.escrow)
        miss(
          partOf(item),
          `${where} escrow`,
          item.escrow,
          toDistributor ? "paid to the distributor" : "paid to a wallet",
        );
    }
    for (const [id, l] of byId) {
      if (!inFile.has(id))
        miss(
          p.$name,
          `payout ${id}`,
          "missing from the file",
          `ReferralRewarded to ${getAddress(l.args.recipient)} amount ${l.args.amount} in tx ${l.transactionHash} (block ${l.blockNumber})`,
        );
    }
    payoutErrors = report.mismatches.length - before;
    if (payoutErrors === 0)
      pass(
        `${slug}: ${p.items.length} payouts match their ReferralRewarded logs through block ${throughBlock}`,
      );
    if (wallet) {
      for (const item of p.items)
        if (!item.escrow && isAddressEqual(item.recipient, wallet.address))
          wallet.payouts.push(proofOf(item));
      // Payouts to the wallet on-chain that the file does not have are mismatches above.
    }
  } else {
    miss("index.json", `${slug} payouts file`, "listed", "missing");
  }

  // Epochs: each file rebuilds the on-chain root, with the declared total and deadline.
  const epochLogs = new Map<
    string,
    DecodedLog<{ epoch: bigint; root: Hex; total: bigint; deadline: bigint }>
  >();
  for (const t of c.tokens) {
    if (!t.distributor) continue;
    const logs = (await logsInChunks(from, head, chunk, (fromBlock, toBlock) =>
      client.getLogs({ address: t.distributor!, event: distributorAbi[6], fromBlock, toBlock }),
    )) as Array<DecodedLog<{ epoch: bigint; root: Hex; total: bigint; deadline: bigint }>>;
    for (const l of logs) epochLogs.set(`${t.distributor.toLowerCase()}:${l.args.epoch}`, l);
  }
  const trees = new Map<string, { file: RewardFile & { $name: string }; tree: RewardTree }>();
  for (const e of files.epochs) {
    const where = `epoch ${e.epoch}`;
    const t = c.tokens.find((x) => x.distributor && isAddressEqual(x.distributor, e.distributor));
    if (!t) {
      miss(
        e.$name,
        `${where} distributor`,
        e.distributor,
        "not a distributor of the campaign file",
      );
      continue;
    }
    let tree: RewardTree;
    try {
      tree = RewardTree.fromFile(e);
    } catch (error) {
      miss(e.$name, `${where} tree`, `a tree with root ${e.root}`, (error as Error).message);
      continue;
    }
    const root = await client.readContract({
      address: e.distributor,
      abi: distributorAbi,
      functionName: "rootOf",
      args: [BigInt(e.epoch)],
    });
    if (root.toLowerCase() !== e.root.toLowerCase()) miss(e.$name, `${where} root`, e.root, root);
    const log = epochLogs.get(`${e.distributor.toLowerCase()}:${e.epoch}`);
    if (!log) miss(e.$name, `${where} EpochPublished`, "a log", "none");
    else {
      if (log.args.total.toString() !== e.total)
        miss(e.$name, `${where} total`, e.total, log.args.total);
      if (Number(log.args.deadline) !== e.deadline)
        miss(e.$name, `${where} deadline`, e.deadline, log.args.deadline);
    }
    if (!isAddressEqual(e.token, t.token)) miss(e.$name, `${where} token`, t.token, e.token);
    // No leaf promises more than the member's escrowed payouts the payouts file shows.
    if (p && log && Number(log.blockNumber) <= p.throughBlock) {
      for (const member of leafMembers(e)) {
        const leaf = tree.claimFor(member)!;
        const escrowed = escrowByMember.get(`${t.symbol}:${member}`) ?? 0n;
        if (leaf.cumulativeAmount > escrowed)
          miss(
            e.$name,
            `${where} member ${member} cumulativeAmount`,
            `at most ${escrowed} (the member's escrowed payouts)`,
            leaf.cumulativeAmount,
          );
      }
    }
    trees.set(`${e.distributor.toLowerCase()}:${e.epoch}`, { file: e, tree });
    if (root.toLowerCase() === e.root.toLowerCase())
      pass(`${slug}: epoch ${e.epoch} of ${t.symbol} rebuilds the on-chain root ${e.root}`);
  }

  // Token supply and escrow balances at the payouts file's block.
  const at = BigInt(throughBlock);
  for (const t of c.tokens) {
    const paid = paidByToken.get(t.symbol) ?? 0n;
    const row = {
      symbol: t.symbol,
      paid: paid.toString(),
      supply: null as string | null,
      escrow: null as string | null,
    };
    summary.tokens.push(row);
    if (t.mode === "mint" && p) {
      const mints = (await logsInChunks(from, throughBlock, chunk, (fromBlock, toBlock) =>
        client.getLogs({
          address: t.token,
          event: tokenAbi[2],
          args: { from: zeroAddress },
          fromBlock,
          toBlock,
        }),
      )) as Array<DecodedLog<{ value: bigint }>>;
      const burns = (await logsInChunks(from, throughBlock, chunk, (fromBlock, toBlock) =>
        client.getLogs({
          address: t.token,
          event: tokenAbi[2],
          args: { to: zeroAddress },
          fromBlock,
          toBlock,
        }),
      )) as Array<DecodedLog<{ value: bigint }>>;
      const minted = mints.reduce((s, l) => s + l.args.value, 0n);
      const burned = burns.reduce((s, l) => s + l.args.value, 0n);
      const supply = await client.readContract({
        address: t.token,
        abi: tokenAbi,
        functionName: "totalSupply",
        blockNumber: at,
      });
      row.supply = supply.toString();
      if (minted !== paid) miss(p.$name, `${t.symbol} total paid (minted)`, paid, minted);
      if (supply !== minted - burned)
        miss(c.$name, `${t.symbol} totalSupply at block ${throughBlock}`, minted - burned, supply);
      if (minted === paid && supply === minted - burned)
        pass(`${slug}: ${t.symbol} supply ${supply} = payouts ${paid} − burned ${burned}`);
    }
    if (t.distributor && p) {
      const d = t.distributor;
      const outflows = (await logsInChunks(from, throughBlock, chunk, (fromBlock, toBlock) =>
        client.getLogs({
          address: t.token,
          event: tokenAbi[2],
          args: { from: d },
          fromBlock,
          toBlock,
        }),
      )) as Array<DecodedLog<{ from: Address; to: Address; value: bigint }>>;
      const out = outflows.reduce((s, l) => s + l.args.value, 0n);
      const balance = await client.readContract({
        address: t.token,
        abi: tokenAbi,
        functionName: "balanceOf",
        args: [d],
        blockNumber: at,
      });
      row.escrow = balance.toString();
      const escrowed = escrowByToken.get(t.symbol) ?? 0n;
      if (balance !== escrowed - out)
        miss(
          p.$name,
          `${t.symbol} escrow in ${d} at block ${throughBlock}`,
          `${escrowed - out} (escrowed payouts ${escrowed} − released, claimed, clawed back ${out})`,
          balance,
        );
      else
        pass(
          `${slug}: ${t.symbol} escrow balance ${balance} = escrowed ${escrowed} − paid out ${out}`,
        );
      if (wallet)
        await walletEscrow(client, slug, t, files, trees, wallet, walletMembers, chunk, from, head);
    }
  }
  if (wallet) {
    for (const item of p?.items ?? [])
      if (item.escrow && walletMembers.has(`${item.token}:${item.member}`))
        wallet.escrowed.push(proofOf(item));
    // Payouts to the wallet on-chain but not in the file (after the file's block too).
    const direct = (await logsInChunks(from, head, chunk, (fromBlock, toBlock) =>
      client.getLogs({
        address: c.payouts,
        event: payoutsAbi[1],
        args: { recipient: wallet.address },
        fromBlock,
        toBlock,
      }),
    )) as Array<DecodedLog<{ payoutId: bigint; amount: bigint }>>;
    for (const l of direct)
      if (!inFile.has(l.args.payoutId.toString()) && Number(l.blockNumber) > throughBlock)
        wallet.payouts.push({
          campaign: slug,
          id: l.args.payoutId.toString(),
          token: tokenOfTx.get(l.transactionHash.toLowerCase()) ?? "?",
          amount: l.args.amount.toString(),
          level: 0,
          referee: "0",
          member: "0",
          escrow: false,
          event: {
            address: getAddress(l.address),
            txHash: l.transactionHash,
            block: Number(l.blockNumber),
            logIndex: l.logIndex,
          },
        });
  }
}

function leafMembers(file: RewardFile): bigint[] {
  return file.tree.values.map((v) => BigInt(v.value[0] as string));
}

async function walletEscrow(
  client: PublicClient,
  slug: string,
  t: CampaignFile["tokens"][number],
  files: CampaignFiles,
  trees: Map<string, { file: RewardFile & { $name: string }; tree: RewardTree }>,
  wallet: WalletReport,
  walletMembers: Set<string>,
  chunk: number,
  from: number,
  head: number,
): Promise<void> {
  const d = t.distributor!;
  const members = new Set<string>();
  // The wallet's member numbers: leaves naming it, releases to it.
  for (const e of files.epochs) {
    if (!isAddressEqual(e.distributor, d)) continue;
    for (const v of e.tree.values)
      if (isAddressEqual(v.value[1] as Address, wallet.address)) members.add(String(v.value[0]));
  }
  const releasedNow = (await logsInChunks(from, head, chunk, (fromBlock, toBlock) =>
    client.getLogs({
      address: d,
      event: distributorAbi[8],
      args: { account: wallet.address },
      fromBlock,
      toBlock,
    }),
  )) as Array<DecodedLog<{ account: Address; member: bigint; amount: bigint }>>;
  for (const r of releasedNow) {
    members.add(r.args.member.toString());
    wallet.releases.push({
      campaign: slug,
      token: t.symbol,
      distributor: d,
      member: r.args.member.toString(),
      amount: r.args.amount.toString(),
      txHash: r.transactionHash,
      block: Number(r.blockNumber),
    });
  }
  for (const m of members) walletMembers.add(`${t.symbol}:${m}`);
  // Claims by those members: `Claimed(member)` and the token's Transfer in the same transaction.
  const claimed = (await logsInChunks(from, head, chunk, (fromBlock, toBlock) =>
    client.getLogs({ address: d, event: distributorAbi[7], fromBlock, toBlock }),
  )) as Array<DecodedLog<{ member: bigint }>>;
  for (const cl of claimed) {
    if (!members.has(cl.args.member.toString())) continue;
    const receipt = await client.getTransactionReceipt({ hash: cl.transactionHash });
    let amount = 0n;
    for (const log of receipt.logs) {
      if (!isAddressEqual(log.address, t.token) || log.topics.length < 3) continue;
      const fromTopic = `0x${log.topics[1]!.slice(26)}` as Address;
      if (isAddressEqual(fromTopic, d) && log.logIndex > cl.logIndex) {
        amount = BigInt(log.data);
        break;
      }
    }
    wallet.claims.push({
      campaign: slug,
      token: t.symbol,
      distributor: d,
      member: cl.args.member.toString(),
      amount: amount.toString(),
      txHash: cl.transactionHash,
      block: Number(cl.blockNumber),
    });
  }
  // What the wallet can claim now: its leaf in the epoch claims are checked against.
  const [number, root] = await client.readContract({
    address: d,
    abi: distributorAbi,
    functionName: "latestEpoch",
  });
  if (number === 0n) return;
  const current = trees.get(`${d.toLowerCase()}:${number}`);
  if (!current) {
    if (members.size > 0)
      wallet.claimable.push({
        campaign: slug,
        token: t.symbol,
        distributor: d,
        epoch: Number(number),
        root,
        member: [...members][0]!,
        cumulativeAmount: "0",
        claimed: "0",
        claimable: "0",
        deadline: 0,
        released: false,
        terms: "0",
        proof: [],
        proofVerified: false,
      });
    return;
  }
  const block = await client.getBlock();
  for (const m of members) {
    const leaf = current.tree.claimFor(BigInt(m));
    if (!leaf || !isAddressEqual(leaf.account, wallet.address)) continue;
    const already = await client.readContract({
      address: d,
      abi: distributorAbi,
      functionName: "claimed",
      args: [leaf.member],
    });
    const open = leaf.deadline >= Number(block.timestamp);
    const left = open && leaf.cumulativeAmount > already ? leaf.cumulativeAmount - already : 0n;
    wallet.claimable.push({
      campaign: slug,
      token: t.symbol,
      distributor: d,
      epoch: Number(number),
      root,
      member: m,
      cumulativeAmount: leaf.cumulativeAmount.toString(),
      claimed: already.toString(),
      claimable: left.toString(),
      deadline: leaf.deadline,
      released: leaf.released,
      terms: leafTerms(leaf).toString(),
      proof: leaf.proof,
      proofVerified: verifyRewardProof(root, leaf, leaf.proof),
    });
  }
}

const unit = (amount: string, decimals = 18) => {
  const v = BigInt(amount);
  const base = 10n ** BigInt(decimals);
  const frac = (v % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return frac ? `${v / base}.${frac}` : `${v / base}`;
};

/** The report as text for people (the `--json` output is the report itself). */
export function formatReport(r: Report): string {
  const lines: string[] = [];
  lines.push(`Refmint reward files: ${r.source} (chain ${r.chainId})`);
  if (r.index)
    lines.push(
      `Index ${r.index.sequence} (${r.index.hash}) signed by ${r.index.signer ?? "nobody it can be trusted for"}`,
    );
  if (r.refused) {
    lines.push("", "REFUSED: the index is not signed by the campaign's root publisher.");
  }
  for (const c of r.campaigns) {
    lines.push(
      "",
      `Campaign ${c.campaign}: ${c.payouts} payouts through block ${c.throughBlock}, ${c.epochs} epoch file(s)`,
    );
    for (const t of c.tokens)
      lines.push(
        `  ${t.symbol}: paid ${unit(t.paid)}${t.supply !== null ? `, supply ${unit(t.supply)}` : ""}${t.escrow !== null ? `, in escrow ${unit(t.escrow)}` : ""}`,
      );
  }
  const w = r.wallet;
  if (w) {
    lines.push("", `Wallet ${w.address}`);
    const ev = (e: PayoutProof["event"]) =>
      e ? `tx ${e.txHash} block ${e.block} log ${e.logIndex}` : "NO ON-CHAIN LOG";
    lines.push(`  Rewards paid to the wallet (${w.payouts.length}):`);
    for (const x of w.payouts)
      lines.push(
        `    #${x.id} ${unit(x.amount)} ${x.token} level ${x.level} referee ${x.referee}: ${ev(x.event)}`,
      );
    lines.push(`  Rewards held in escrow for its member number(s) (${w.escrowed.length}):`);
    for (const x of w.escrowed)
      lines.push(`    #${x.id} ${unit(x.amount)} ${x.token} member ${x.member}: ${ev(x.event)}`);
    lines.push(`  Releases (${w.releases.length}):`);
    for (const x of w.releases)
      lines.push(
        `    member ${x.member} ${unit(x.amount)} ${x.token}: tx ${x.txHash} block ${x.block}`,
      );
    lines.push(`  Claims (${w.claims.length}):`);
    for (const x of w.claims)
      lines.push(
        `    member ${x.member} ${unit(x.amount)} ${x.token}: tx ${x.txHash} block ${x.block}`,
      );
    lines.push(`  Claimable now (${w.claimable.filter((x) => x.claimable !== "0").length}):`);
    for (const x of w.claimable)
      lines.push(
        `    ${unit(x.claimable)} ${x.token} from ${x.distributor} (epoch ${x.epoch}, member ${x.member}, proof ${x.proofVerified ? "verified against the on-chain root" : "DOES NOT VERIFY"})`,
        ...(x.claimable !== "0"
          ? [
              `      claim(${w.address}, ${x.cumulativeAmount}, ${x.terms}, [${x.proof.join(", ")}])`,
            ]
          : []),
      );
  }
  lines.push("", `Checks passed (${r.passed.length}):`, ...r.passed.map((p) => `  ✓ ${p}`));
  if (r.mismatches.length > 0) {
    lines.push("", `MISMATCHES (${r.mismatches.length}):`);
    for (const m of r.mismatches)
      lines.push(`  ✗ ${m.file}: ${m.field}: expected ${m.expected}, actual ${m.actual}`);
  }
  lines.push(
    "",
    r.ok ? "OK: the files and the chain agree." : "FAILED: the files and the chain disagree.",
  );
  return lines.join("\n");
}
