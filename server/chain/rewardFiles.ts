/**
 * Writes the public reward files (verify/rewardFiles.ts): per campaign a campaign file
 * (contracts, tokens, rules version) and a payouts file (every payout the indexer recorded),
 * and every published epoch's file; then, when any of them is new, an index listing them,
 * numbered, chained to the previous one and signed by the root publisher key. Run after each
 * indexer pass (payouts settle and epochs publish there) and by tests and scripts. The files
 * are stored through server/domain/rewardFiles.ts (their one owner).
 */
import { sql } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import {
  type CampaignFile,
  contentAddress,
  type IndexBody,
  type IndexEntry,
  PAYOUTS_PART_ITEMS,
  type PayoutRecord,
  type PayoutsFile,
  type SignedIndex,
  sortEntries,
  ZERO_HASH,
} from "../../verify/rewardFiles.ts";
import { pgArray } from "../db/arrays.ts";
import { type Db, queryRows } from "../db/index.ts";
import { appendRewardIndex, latestRewardIndex, type StoredFile } from "../domain/rewardFiles.ts";
import { versionState } from "../domain/versions.ts";
import type { ChainContext } from "./context.ts";
import type { CampaignContracts } from "./contracts.ts";
import { publishedEpochs, rewardFile } from "./epochs.ts";

export interface RewardFilesOutcome {
  /** `written`: a new signed index; `unchanged`: the latest index lists these files already. */
  outcome: "written" | "unchanged" | "no-signer";
  sequence?: number;
  hash?: string;
}

async function campaignFile(ctx: ChainContext, c: CampaignContracts): Promise<CampaignFile> {
  let rules: CampaignFile["rules"] = null;
  try {
    const state = await versionState(ctx.db, c.id);
    // Only rules published on-chain: the verifier finds them in a RulesPublished log.
    if (state.effective.blockNumber !== null)
      rules = { version: state.effective.version, hash: state.effective.hash as Hex };
  } catch {
    rules = null; // no version recorded yet
  }
  return {
    format: "refmint-campaign/1",
    chainId: ctx.chainId,
    campaignId: c.campaign.definition.onchainId,
    campaign: c.slug,
    payouts: getAddress(c.payouts),
    startBlock: c.startBlock,
    tokens: [...c.tokens.values()].map((t) => ({
      symbol: t.symbol,
      decimals: t.decimals,
      token: getAddress(t.token),
      distributor: t.distributor ? getAddress(t.distributor) : null,
      mode: t.fromVault ? ("vault" as const) : ("mint" as const),
    })),
    rules,
  };
}

/** Where each stored payouts part starts, read from the head of its canonical text. */
async function storedParts(
  db: Db,
  hashes: readonly string[],
): Promise<Array<{ hash: string; fromBlock: number | null }>> {
  if (hashes.length === 0) return [];
  // Canonical JSON sorts keys: `fromBlock` comes before `items`, so it is read without
  // loading or parsing the items.
  const rows = await queryRows<{ hash: string; head: string }>(
    db,
    sql`select hash, left(body, 400) as head
          from reward_files where hash = any(${pgArray(hashes.map((h) => h.toLowerCase()))}::text[])`,
  );
  return rows.map((r) => {
    const from = /"fromBlock":(\d+)/.exec(r.head)?.[1];
    return { hash: r.hash, fromBlock: from === undefined ? null : Number(from) };
  });
}

/**
 * The campaign's payouts files (see {@link PayoutsFile}): the closed parts of the latest index
 * as they are (`kept`, by hash), and the last part rebuilt from its first block, cut into new
 * closed parts every `partItems` payouts (at a block boundary). Rebuilding is
 * deterministic, so an unchanged last part gets the same hash.
 */
async function payoutsParts(
  ctx: ChainContext,
  c: CampaignContracts,
  previous: SignedIndex | undefined,
  partItems: number,
): Promise<{ kept: string[]; parts: PayoutsFile[] }> {
  const listed = (previous?.files ?? []).filter(
    (f) => f.kind === "payouts" && f.campaign === c.slug,
  );
  const stored = (
    await storedParts(
      ctx.db,
      listed.map((f) => f.hash),
    )
  ).sort((a, b) => (a.fromBlock ?? -1) - (b.fromBlock ?? -1));
  const open = stored.at(-1);
  // A file from before parts (no `fromBlock`) is rebuilt into parts from the start.
  const kept = open?.fromBlock == null ? [] : stored.slice(0, -1).map((p) => p.hash);
  let start = open?.fromBlock ?? c.startBlock + 1;
  const rows = await queryRows<{
    payout_id: string;
    token: string;
    amount: string;
    escrow: boolean;
    tx_hash: string;
    block_number: string;
    level: number | null;
    referee_id: string | null;
    member_id: string | null;
    recipient: string | null;
  }>(
    ctx.db,
    sql`select p.payout_id, p.token, p.amount::text as amount, p.escrow, p.tx_hash, p.block_number,
               e.level, e.referee_id, e.member_id, o.recipient
        from chain_payouts p
        left join ledger_entries e on e.id = p.entry_id
        left join payout_outbox o on o.entry_id = p.entry_id
        where p.campaign_id = ${c.id} and p.block_number >= ${start}
        order by p.block_number, p.payout_id`,
  );
  const items: PayoutRecord[] = [];
  for (const r of rows) {
    const token = c.tokens.get(r.token);
    const recipient = r.escrow ? token?.distributor : r.recipient;
    if (!recipient) continue; // not a payout of ours (no ledger entry): the verifier reports it
    items.push({
      id: String(r.payout_id),
      token: r.token,
      recipient: getAddress(recipient),
      amount: r.amount,
      level: r.level ?? 0,
      referee: String(r.referee_id ?? 0),
      member: String(r.member_id ?? 0),
      escrow: r.escrow,
      txHash: r.tx_hash as Hex,
      block: Number(r.block_number),
    });
  }
  const part = (fromBlock: number, throughBlock: number, of: PayoutRecord[]): PayoutsFile => ({
    format: "refmint-payouts/1",
    chainId: ctx.chainId,
    campaign: c.slug,
    payouts: getAddress(c.payouts) as Address,
    fromBlock,
    throughBlock,
    items: [...of].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
  });
  const parts: PayoutsFile[] = [];
  let at = 0;
  // Close a part once it holds `partItems` payouts, with the rest of its last block.
  while (items.length - at >= partItems) {
    const last = items[at + partItems - 1]!.block;
    let end = at + partItems;
    while (end < items.length && items[end]!.block === last) end++;
    parts.push(part(start, last, items.slice(at, end)));
    start = last + 1;
    at = end;
  }
  // The open part speaks as of the campaign's latest indexed event (payout, release, claim,
  // epoch), so the verifier's balances at that block include the escrow's way out too; it only
  // moves when something happened, so an idle chain writes no new files.
  let throughBlock = Math.max(start - 1, items.at(-1)?.block ?? c.startBlock, c.startBlock);
  const distributors = [...c.tokens.values()].flatMap((t) =>
    t.distributor ? [t.distributor.toLowerCase()] : [],
  );
  if (distributors.length > 0) {
    const list = pgArray(distributors);
    const [latest] = await queryRows<{ block: string | null }>(
      ctx.db,
      sql`select greatest(
            (select max(block_number) from chain_claims where distributor = any(${list}::text[])),
            (select max(block_number) from chain_releases where campaign_id = ${c.id}),
            (select max(block_number) from chain_distributor_events
              where distributor = any(${list}::text[]))) as block`,
    );
    if (latest?.block) throughBlock = Math.max(throughBlock, Number(latest.block));
  }
  // Nothing after the last closed part and nothing newer to speak of: no open part.
  if (at < items.length || throughBlock >= start || parts.length === 0)
    parts.push(part(start, Math.max(throughBlock, start - 1), items.slice(at)));
  return { kept, parts };
}

/** A cheap summary of what the files are built from: unchanged, nothing to rebuild. */
async function fingerprint(db: Db): Promise<string> {
  const [row] = await queryRows<{ f: string }>(
    db,
    sql`select concat_ws(':',
          (select count(*) from chain_payouts), (select max(block_number) from chain_payouts),
          (select count(*) from chain_epochs where status = 'published'),
          (select max(id) from chain_epochs where status = 'published'),
          (select count(*) from campaign_versions where block_number is not null),
          (select max(block_number) from chain_claims),
          (select max(block_number) from chain_releases),
          (select max(block_number) from chain_distributor_events)) as f`,
  );
  return row?.f ?? "";
}

const lastFingerprint = new WeakMap<ChainContext, string>();

/**
 * Builds every file and, when the set differs from the latest index's, stores the new files and
 * a new signed index. Idempotent: the same state gives the same files (same hashes) and no index.
 * `partItems` (tests): payouts per closed part, default {@link PAYOUTS_PART_ITEMS}.
 */
export async function writeRewardFiles(
  ctx: ChainContext,
  options: { partItems?: number } = {},
): Promise<RewardFilesOutcome> {
  const partItems = options.partItems ?? PAYOUTS_PART_ITEMS;
  if (!ctx.driver.addressFor("rootPublisher")) return { outcome: "no-signer" };
  const print = `${partItems}:${await fingerprint(ctx.db)}`;
  if (lastFingerprint.get(ctx) === print) return { outcome: "unchanged" };
  const files: StoredFile[] = [];
  const add = (kind: IndexEntry["kind"], campaign: string, value: unknown) => {
    const { text, hash } = contentAddress(value);
    files.push({ hash, kind, campaign, body: text });
  };
  const latest = await latestRewardIndex(ctx.db);
  const previous = latest ? (JSON.parse(latest.body) as SignedIndex) : undefined;
  // Closed payouts parts stay as the latest index lists them (stored already).
  const kept: IndexEntry[] = [];
  for (const c of ctx.contracts.campaigns) {
    add("campaign", c.slug, await campaignFile(ctx, c));
    const payouts = await payoutsParts(ctx, c, previous, partItems);
    for (const hash of payouts.kept)
      kept.push({ kind: "payouts", campaign: c.slug, hash: hash as Hex });
    for (const part of payouts.parts) add("payouts", c.slug, part);
  }
  for (const e of [...(await publishedEpochs(ctx.db, ctx.contracts))].reverse()) {
    const file = await rewardFile(ctx.db, ctx.contracts, ctx.chainId, e.campaign, e.token, e.epoch);
    if (file) add("epoch", e.campaign, file);
  }
  const entries = sortEntries([
    ...kept,
    ...files.map((f) => ({
      kind: f.kind as IndexEntry["kind"],
      campaign: f.campaign!,
      hash: f.hash as Hex,
    })),
  ]);
  const same =
    previous !== undefined &&
    previous.files.length === entries.length &&
    previous.files.every((f, i) => f.hash === entries[i]!.hash && f.kind === entries[i]!.kind);
  if (same) {
    lastFingerprint.set(ctx, print);
    return { outcome: "unchanged", sequence: latest!.sequence, hash: latest!.hash };
  }
  const body: IndexBody = {
    format: "refmint-index/1",
    chainId: ctx.chainId,
    sequence: (latest?.sequence ?? 0) + 1,
    previous: (latest?.hash as Hex | undefined) ?? ZERO_HASH,
    issuedAt: Math.floor(ctx.now().getTime() / 1000),
    files: entries,
  };
  const signed = await ctx.driver.signRewardIndex(body);
  if (!signed) return { outcome: "no-signer" };
  const index: SignedIndex = {
    ...body,
    signer: getAddress(signed.signer),
    signature: signed.signature as Hex,
  };
  const { text, hash } = contentAddress(index);
  const stored = await appendRewardIndex(ctx.db, files, {
    hash,
    sequence: body.sequence,
    body: text,
  });
  if (!stored) return { outcome: "unchanged" }; // another writer got there first: next pass
  lastFingerprint.set(ctx, print);
  ctx.logger.info({ sequence: body.sequence, index: hash }, "reward files: new signed index");
  return { outcome: "written", sequence: body.sequence, hash };
}
