/**
 * The indexer: reads our contracts' logs in block ranges and turns them into chain truth in
 * the database. Each range is written in one transaction together with the cursor, so a kill
 * at any point leaves either the whole range or none of it; every insert is keyed by the log's
 * position (or payout id) and ignores duplicates, so re-reading a range changes nothing.
 *
 * - `ReferralRewarded` (+ the batch's `PayoutBatchPaid`, which names the token): the payout is
 *   recorded and its ledger entry settled (same campaign, token and amount), its outbox row
 *   closed and a `reward_paid` notification queued, all in the range's transaction.
 * - `Transfer` of our tokens: kept per log, and per-account balances updated by the deltas of
 *   the transfers newly written.
 * - `EpochPublished` marks our epoch published (with when it takes effect), `EpochVetoed` marks
 *   it vetoed; `Claimed` names the member it paid, and the token `Transfer` that follows it the
 *   wallet and amount; `ClawedBack` is recorded; `PerkRedeemed` becomes a coupon; badge mints.
 * - `Released` confirms the member's escrow release (server/domain/releases.ts `confirm`; a
 *   rewind puts it back to `sent`, and the worker follows its send again).
 * - `RulesPublished` makes a campaign's rules version take effect at its block
 *   (server/domain/versions.ts `rulesPublished`; a rewind makes it pending again).
 *
 * Reorgs: the indexer reads up to `head − confirmations + 1`, keeps the hashes of recent
 * blocks, and checks at each pass that the block it stopped at is still canonical. When it is
 * not, it walks back to the newest stored block that still is and rewinds everything above it
 * (payouts unsettled, balance deltas reversed, coupons revoked, epochs unpublished, badge
 * awards back to their send or the queue), then reads
 * forward again. Near the tip each range's blocks are checked against their headers, so a
 * range is never stitched from two forks.
 */
import { type SQL, sql } from "drizzle-orm";
import { formatUnits, type PublicClient } from "viem";
// One encoder for every array parameter (server/db/arrays.ts); named for its uses here.
import { pgArray as arrayLiteral } from "../../db/arrays.ts";
import { type Db, queryRows } from "../../db/index.ts";
import { type BadgeEvent, badgeEventsIndexed, badgeEventsRewound } from "../../domain/badges.ts";
import { issueCoupon } from "../../domain/coupons.ts";
import { settlePaidInBlocks, unsettleEntries } from "../../domain/ledgerTransitions.ts";
import { enqueueNotifications } from "../../domain/notifications.ts";
import { perkOrderRedeemed } from "../../domain/perkOrders.ts";
import { releaseConfirmed, releasesRewound } from "../../domain/releases.ts";
import { rulesPublished, rulesRewound } from "../../domain/versions.ts";
import {
  badgeMintedEvent,
  enqueueWebhookEvents,
  perkRedeemedEvent,
  rewardPaidEvent,
  type WebhookEventInput,
} from "../../domain/webhooks.ts";
import type { Logger } from "../../logger.ts";
import type { ChainSettings } from "../config.ts";
import type { ContractIndex } from "../contracts.ts";
import type { Failpoint } from "../failpoint.ts";
import type { ChainMetrics } from "../health.ts";
import type { Lease } from "../lease.ts";
import { isTooLarge } from "../rpc.ts";
import {
  decodeRulesPublished,
  decodeTransferBatch,
  hexNumber,
  INDEXED_TOPICS,
  type RpcLog,
  smallWord,
  TOPICS,
  topicAddress,
  word,
  wordAddress,
} from "./logs.ts";

const ZERO = "0x0000000000000000000000000000000000000000";
/** Logs per `eth_getLogs` the adaptive range aims at. */
const LOGS_PER_RANGE = 8_000;
/**
 * Ranges being read (requests in flight) while one is written: hides a remote node's latency.
 * Against a local node on two cores, 1, 2 and 3 measured alike (bench/indexer.ts).
 */
const READ_AHEAD = 2;

export interface IndexerDeps {
  db: Db;
  client: PublicClient;
  contracts: ContractIndex;
  settings: ChainSettings;
  chainId: number;
  logger: Logger;
  metrics: ChainMetrics;
  failpoint: Failpoint;
  /** Renewed between ranges (standalone and service runs; absent in one-shot use). */
  lease?: Lease;
  now?: () => Date;
}

export interface Cursor {
  blockNumber: number;
  blockHash: string;
  blockTimestamp: number;
  /** Highest block ever indexed (see `chain_cursors.indexed_through`). */
  indexedThrough: number;
}

export interface IndexerReport {
  head: number;
  cursor: number;
  lag: number;
  events: number;
  ranges: number;
  rewound?: { from: number; to: number };
}

interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

interface Fetched {
  from: number;
  to: number;
  /** The chain head when the range was read (blocks deeper than the finality depth are final). */
  head: number;
  logs: RpcLog[];
  fromBlock: BlockHeader;
  toBlock: BlockHeader;
}

/** A block's net balance changes (parallel: token, account, delta in wei). */
interface BlockChanges {
  tokens: string[];
  accounts: string[];
  deltas: string[];
}

/** A range's `Claimed` logs (each with the token transfer that paid it), column by column. */
export interface ClaimColumns {
  block: number[];
  logIndex: number[];
  distributor: string[];
  account: string[];
  /** The member number the event names (a uint256, in decimal). */
  member: string[];
  amount: string[];
  txHash: string[];
}

/** PostgreSQL's largest bigint, as a constant of the statement: a number above it is no member. */
const MAX_BIGINT = sql.raw("9223372036854775807");

/**
 * The statement writing a range's claims. The event names the member (the distributor keeps
 * claims per member number); a number that is no member of ours (a root we did not build) is
 * kept without one. The number is a uint256, so it comes as numeric, but it is looked up as a
 * bigint (beyond one it matches nobody): compared as numeric, `members.id` had to be cast row by
 * row and PostgreSQL scanned every member for each claim.
 */
export function insertClaims(c: ClaimColumns): SQL {
  return sql`insert into chain_claims (block_number, log_index, distributor, account, amount,
      member_id, tx_hash)
    select v.block_number, v.log_index, v.distributor, v.account, v.amount,
      (select m.id from members m
        where m.id = (case when v.member <= ${MAX_BIGINT} then v.member end)::bigint),
      v.tx_hash
    from unnest(${arrayLiteral(c.block)}::bigint[], ${arrayLiteral(c.logIndex)}::int[],
      ${arrayLiteral(c.distributor)}::text[], ${arrayLiteral(c.account)}::text[],
      ${arrayLiteral(c.amount)}::numeric[], ${arrayLiteral(c.member)}::numeric[],
      ${arrayLiteral(c.txHash)}::text[])
      as v(block_number, log_index, distributor, account, amount, member, tx_hash)
    on conflict (block_number, log_index) do nothing`;
}

/** Rows decoded from one range, in the column order of their tables. */
class RangeRows {
  payouts = {
    payoutId: [] as string[],
    campaignId: [] as number[],
    token: [] as string[],
    /** Only to tell escrow payouts (the recipient is the ledger entry's member). */
    recipient: [] as string[],
    amount: [] as string[],
    escrow: [] as boolean[],
    /** 1-based position in `txHashes` (a batch's payouts share their transaction). */
    tx: [] as number[],
    txHashes: [] as string[],
    block: [] as number[],
  };
  transfers = {
    block: [] as number[],
    token: [] as string[],
    from: [] as string[],
    to: [] as string[],
    value: [] as bigint[],
  };
  claims: ClaimColumns = {
    block: [] as number[],
    logIndex: [] as number[],
    distributor: [] as string[],
    account: [] as string[],
    member: [] as string[],
    amount: [] as string[],
    txHash: [] as string[],
  };
  distributorEvents: Array<{
    block: number;
    logIndex: number;
    distributor: string;
    kind: "epoch" | "veto" | "clawback";
    epoch: number;
    root: string | null;
    deadline: number | null;
    activatesAt: number | null;
    treasury: string | null;
    amount: string | null;
    txHash: string;
  }> = [];
  /** `Released(account, member, amount)` logs: escrow released to a member's wallet. */
  releases: Array<{
    block: number;
    distributor: string;
    wallet: string;
    member: number;
    amount: bigint;
    txHash: string;
  }> = [];
  redemptions: Array<{
    block: number;
    logIndex: number;
    shop: string;
    campaignId: number;
    account: string;
    perkId: number;
    orderRef: string;
    quantity: number;
    token: string;
    cost: string;
    txHash: string;
  }> = [];
  badges: Array<{
    block: number;
    logIndex: number;
    position: number;
    contract: string;
    account: string;
    badgeId: number;
    delta: number;
    txHash: string;
  }> = [];
  /** `RulesPublished` logs: a campaign's rules version taking effect (block time filled in later). */
  rules: Array<{
    block: number;
    campaignId: number;
    version: number;
    hash: string;
    uri: string;
    txHash: string;
  }> = [];
  /** Block number → hash of every block with logs. */
  blocks = new Map<number, string>();
  events = 0;
}

export class Indexer {
  readonly #d: IndexerDeps;
  readonly #now: () => Date;
  readonly name: string;
  /** Adaptive range size: shrinks when a range returns very many logs, grows when few. */
  #range: number;
  /**
   * The campaigns (lower-case payouts address) whose logs the cursor covers, loaded at the first
   * pass from `chain_indexed_campaigns`; the others are caught up first (see #catchUp).
   */
  #covered: Set<string> | undefined;
  /** Catch-ups an earlier run of this indexer left unfinished: payouts → read through block. */
  readonly #catching = new Map<string, number>();

  constructor(deps: IndexerDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
    this.name = `indexer:${deps.chainId}`;
    // Start small (a backfill may be dense) and grow quickly where logs are sparse.
    this.#range = Math.min(deps.settings.indexer.blockRange, 10);
  }

  async cursor(): Promise<Cursor | undefined> {
    const [row] = await queryRows<{
      block_number: string | number;
      block_hash: string;
      block_timestamp: string | number;
      indexed_through: string | number;
    }>(
      this.#d.db,
      sql`select block_number, block_hash, block_timestamp, indexed_through from chain_cursors
          where name = ${this.name}`,
    );
    return row
      ? {
          blockNumber: Number(row.block_number),
          blockHash: row.block_hash,
          blockTimestamp: Number(row.block_timestamp),
          indexedThrough: Number(row.indexed_through),
        }
      : undefined;
  }

  /** One pass: check for a reorg, then read forward until caught up (or `budgetMs` used). */
  async pass(budgetMs = 5_000): Promise<IndexerReport> {
    const { client, settings } = this.#d;
    const started = performance.now();
    const head = Number(await client.getBlockNumber());
    const target = head - settings.confirmations + 1;
    let cursor = await this.cursor();
    const report: IndexerReport = { head, cursor: 0, lag: 0, events: 0, ranges: 0 };
    if (!cursor) await this.#assertEmpty();
    if (cursor) {
      const current = await this.#header(cursor.blockNumber);
      if (!current || current.hash !== cursor.blockHash) {
        report.rewound = await this.#rewind(cursor);
        cursor = await this.cursor();
      }
    }
    const covered = await this.#coverage(cursor);
    if (cursor) await this.#catchUp(cursor, head, covered);
    // The addresses of this pass: only covered campaigns' (one that joins meanwhile is caught
    // up at the next pass, up to where this one stops, so no log is read twice as new).
    const addresses = this.#d.contracts.addresses(
      this.#d.contracts.campaigns.filter((c) => covered.has(c.payouts.toLowerCase())),
    );
    let next = cursor ? cursor.blockNumber + 1 : this.#startBlock() + 1;
    let parentHash = cursor?.blockHash;
    let indexedThrough = cursor?.indexedThrough ?? -1;
    // Ranges being read, in order: up to READ_AHEAD of them while one is written.
    const reading: Array<Promise<Fetched>> = [];
    let unread = next;
    const readAhead = () => {
      while (
        reading.length < READ_AHEAD &&
        unread <= target &&
        performance.now() - started < budgetMs
      ) {
        const to = Math.min(target, unread + this.#range - 1);
        const p = this.#fetchRange(unread, to, head, addresses);
        p.catch(() => {}); // Awaited below; this only stops an unhandled rejection meanwhile.
        reading.push(p);
        unread = to + 1;
      }
    };
    readAhead();
    for (let p = reading.shift(); p; p = reading.shift()) {
      const fetched = await p;
      if (parentHash !== undefined && fetched.fromBlock.parentHash !== parentHash) {
        // The chain changed under us: the next pass rewinds from the stored cursor.
        this.#d.logger.warn({ block: fetched.from }, "chain changed while indexing; retrying");
        break;
      }
      this.#adapt(fetched.to - fetched.from + 1, fetched.logs.length);
      readAhead();
      const events = await this.#write(fetched, indexedThrough);
      indexedThrough = Math.max(indexedThrough, fetched.to);
      report.events += events;
      report.ranges++;
      parentHash = fetched.toBlock.hash;
      next = fetched.to + 1;
      await this.#d.lease?.renewIfDue();
    }
    report.cursor = next - 1;
    report.lag = Math.max(0, head - report.cursor);
    this.#d.metrics.indexedBlock.set(report.cursor);
    this.#d.metrics.indexerLag.set(report.lag);
    return report;
  }

  /**
   * Which campaigns the cursor covers (read once, at the first pass). No row at all: a first
   * pass, or an indexer from before campaigns could join while it runs: every campaign it
   * starts with is covered (read from its start, or by that earlier indexer).
   */
  async #coverage(cursor: Cursor | undefined): Promise<Set<string>> {
    if (this.#covered) return this.#covered;
    const rows = await queryRows<{
      payouts: string;
      caught_up_through: string | number;
      complete: boolean;
    }>(
      this.#d.db,
      sql`select payouts, caught_up_through, complete from chain_indexed_campaigns
          where indexer = ${this.name}`,
    );
    const covered = new Set<string>();
    for (const r of rows)
      if (r.complete) covered.add(r.payouts);
      else this.#catching.set(r.payouts, Number(r.caught_up_through));
    this.#covered = covered;
    if (rows.length === 0 || !cursor) {
      // Everything it starts with is read from the start (no cursor) or was read before.
      for (const c of this.#d.contracts.campaigns)
        if (!this.#catching.has(c.payouts.toLowerCase()) || !cursor)
          await this.#markCovered(c.payouts.toLowerCase(), cursor?.blockNumber ?? c.startBlock);
    }
    return covered;
  }

  async #markCovered(payouts: string, through: number): Promise<void> {
    await this.#d.db.execute(
      sql`insert into chain_indexed_campaigns (indexer, payouts, caught_up_through, complete)
          values (${this.name}, ${payouts}, ${through}, true)
          on conflict (indexer, payouts) do update set complete = true,
            caught_up_through = excluded.caught_up_through, updated_at = now()`,
    );
    this.#covered?.add(payouts);
    this.#catching.delete(payouts);
  }

  /**
   * A campaign that joined the contract index while this indexer ran (deployed from the
   * console, found by a registry reload): its contracts' logs from its deployment up to the
   * cursor are read first, range by range, each written as read for the first time (no range of
   * the main pass included its addresses) with how far it got, in one transaction, so a restart
   * goes on from there; then it is covered and every range includes its addresses.
   */
  async #catchUp(cursor: Cursor, head: number, covered: Set<string>): Promise<void> {
    for (const c of this.#d.contracts.campaigns) {
      const payouts = c.payouts.toLowerCase();
      if (covered.has(payouts)) continue;
      const through = this.#catching.get(payouts) ?? c.startBlock;
      if (!this.#catching.has(payouts)) {
        await this.#d.db.execute(
          sql`insert into chain_indexed_campaigns (indexer, payouts, caught_up_through, complete)
              values (${this.name}, ${payouts}, ${through}, false)
              on conflict (indexer, payouts) do nothing`,
        );
        this.#catching.set(payouts, through);
      }
      // Only its own addresses: a token it shares with a covered campaign was read all along.
      const read = new Set(
        this.#d.contracts
          .addresses(
            this.#d.contracts.campaigns.filter((o) => covered.has(o.payouts.toLowerCase())),
          )
          .map((a) => a.toLowerCase()),
      );
      const addresses = this.#d.contracts.addresses([c]).filter((a) => !read.has(a.toLowerCase()));
      for (let from = through + 1; from <= cursor.blockNumber; ) {
        const to = Math.min(cursor.blockNumber, from + this.#d.settings.indexer.blockRange - 1);
        const fetched = await this.#fetchRange(from, to, head, addresses);
        await this.#write(fetched, from - 1, async (tx) => {
          await tx.execute(
            sql`update chain_indexed_campaigns set caught_up_through = ${to}, updated_at = now()
                where indexer = ${this.name} and payouts = ${payouts}`,
          );
        });
        this.#catching.set(payouts, to);
        from = to + 1;
      }
      await this.#markCovered(payouts, cursor.blockNumber);
      this.#d.logger.info(
        { campaign: c.slug, from: through + 1, to: cursor.blockNumber },
        "indexer caught up with a campaign deployed while it ran",
      );
    }
  }

  /** Without a cursor the tables must be empty: re-reading into existing data would count twice. */
  async #assertEmpty(): Promise<void> {
    const [row] = await queryRows<{ data: boolean }>(
      this.#d.db,
      sql`select exists (select 1 from chain_balances) or exists (select 1 from chain_payouts) as data`,
    );
    if (row?.data)
      throw new Error(
        "The indexer's tables hold data but its cursor is gone: move the cursor back (chain_cursors.block_number) to re-read, or empty the chain_* tables to index from scratch.",
      );
  }

  /**
   * Where a first pass (no cursor) starts: the earliest deployment. The job never runs a pass
   * with no contract (jobs.ts: an indexer started before the first campaign was deployed idles),
   * so the first campaign is read from its deployment block, and nothing (coverage, the cursor)
   * is settled before it is here.
   */
  #startBlock(): number {
    return this.#d.settings.indexer.startBlock ?? this.#d.contracts.startBlock();
  }

  /**
   * Sizes the next range for about {@link LOGS_PER_RANGE} logs: big enough to amortise the
   * round trip, small enough that reading the next range overlaps writing this one.
   */
  #adapt(blocks: number, logs: number): void {
    const max = this.#d.settings.indexer.blockRange;
    const fit = Math.floor((blocks * LOGS_PER_RANGE) / Math.max(logs, 1));
    this.#range = Math.max(1, Math.min(max, blocks * 4, fit));
  }

  async #header(number: number): Promise<BlockHeader | undefined> {
    const block = (await this.#d.client.request({
      method: "eth_getBlockByNumber",
      params: [`0x${number.toString(16)}`, false],
    })) as { number: string; hash: string; parentHash: string; timestamp: string } | null;
    if (!block) return undefined;
    return {
      number: hexNumber(block.number),
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: hexNumber(block.timestamp),
    };
  }

  /**
   * Reads blocks `from`–`to`; when a node refuses that many, reads them in halves (and narrows
   * the range for the next reads), checking that the halves join up.
   */
  async #fetchRange(
    from: number,
    to: number,
    head: number,
    addresses?: `0x${string}`[],
  ): Promise<Fetched> {
    try {
      return await this.#fetch(from, to, head, addresses);
    } catch (error) {
      if (to === from || !isTooLarge(error)) throw error;
      const half = Math.floor((to - from + 1) / 2);
      this.#range = Math.max(1, Math.min(this.#range, half));
      this.#d.logger.debug({ from, range: half }, "log query too large; narrowing the range");
      const first = await this.#fetchRange(from, from + half - 1, head, addresses);
      const second = await this.#fetchRange(from + half, to, head, addresses);
      if (second.fromBlock.parentHash !== first.toBlock.hash)
        throw new Error(`chain reorganised while reading blocks ${from}–${to}; retrying`);
      return {
        from,
        to,
        head,
        logs: first.logs.concat(second.logs),
        fromBlock: first.fromBlock,
        toBlock: second.toBlock,
      };
    }
  }

  async #fetch(
    from: number,
    to: number,
    head: number,
    addresses?: `0x${string}`[],
  ): Promise<Fetched> {
    const { client, contracts, settings } = this.#d;
    // One round trip: the node's transport batches these (see rpc.ts).
    const [logs, fromBlock, toBlock] = await Promise.all([
      client.request({
        method: "eth_getLogs",
        params: [
          {
            address: addresses ?? contracts.addresses(),
            fromBlock: `0x${from.toString(16)}`,
            toBlock: `0x${to.toString(16)}`,
            topics: [INDEXED_TOPICS as `0x${string}`[]],
          },
        ],
      }) as unknown as Promise<RpcLog[]>,
      this.#header(from),
      from === to ? undefined : this.#header(to),
    ]);
    const last = toBlock ?? fromBlock;
    if (!fromBlock || !last)
      throw new Error(`blocks ${from}–${to} not found (the node is behind its own head?)`);
    // Below the finality depth nothing changes any more; nearer the tip every block with logs
    // must still be canonical, or the range would mix two forks.
    if (to > head - settings.finalityDepth) {
      const canonical = new Map<number, string>([
        [from, fromBlock.hash],
        [to, last.hash],
      ]);
      const numbers = new Set<number>();
      for (const l of logs) {
        const n = hexNumber(l.blockNumber);
        if (!canonical.has(n)) numbers.add(n);
      }
      const headers = await Promise.all([...numbers].map((n) => this.#header(n)));
      for (const h of headers) if (h) canonical.set(h.number, h.hash);
      for (const l of logs) {
        if (l.removed || canonical.get(hexNumber(l.blockNumber)) !== l.blockHash)
          throw new Error(`chain reorganised while reading blocks ${from}–${to}; retrying`);
      }
    }
    return { from, to, head, logs, fromBlock, toBlock: last };
  }

  #decode(f: Fetched): RangeRows {
    const { contracts } = this.#d;
    const rows = new RangeRows();
    const p = rows.payouts;
    // ReferralRewarded logs wait for their batch's PayoutBatchPaid (same transaction), which
    // names the token.
    let open: { tx: string; contract: string; from: number } | undefined;
    // A `Claimed` log names the member; the token's `Transfer` from the distributor right after
    // it (same transaction) names the wallet and the amount.
    let claim:
      | {
          tx: string;
          distributor: string;
          token: string;
          block: number;
          logIndex: number;
          member: string;
        }
      | undefined;
    for (const log of f.logs) {
      if (log.removed) continue;
      const topic = log.topics[0];
      const block = hexNumber(log.blockNumber);
      const logIndex = hexNumber(log.logIndex);
      const tx = log.transactionHash;
      rows.blocks.set(block, log.blockHash);
      switch (topic) {
        case TOPICS.referralRewarded: {
          const campaign = contracts.byPayouts(log.address);
          if (!campaign) break;
          if (!open || open.tx !== tx || open.contract !== log.address)
            open = { tx, contract: log.address, from: p.payoutId.length };
          p.payoutId.push(decimalWord(log.data, 0));
          p.campaignId.push(campaign.id);
          p.token.push("");
          p.recipient.push(topicAddress(log.topics[1]!));
          p.amount.push(decimalWord(log.data, 3));
          p.escrow.push(false);
          if (p.txHashes.at(-1) !== tx) p.txHashes.push(tx);
          p.tx.push(p.txHashes.length);
          p.block.push(block);
          rows.events++;
          break;
        }
        case TOPICS.payoutBatchPaid: {
          const campaign = contracts.byPayouts(log.address);
          if (!campaign) break;
          const tokenAddress = topicAddress(log.topics[1]!);
          // The paying campaign's token: a shared token has a distributor per campaign.
          const ref = contracts.tokenAt(campaign.id, tokenAddress);
          if (open && open.tx === tx && open.contract === log.address) {
            const escrow = ref?.token.distributor?.toLowerCase();
            for (let i = open.from; i < p.payoutId.length; i++) {
              p.token[i] = ref?.token.symbol ?? tokenAddress;
              p.escrow[i] = escrow !== undefined && p.recipient[i] === escrow;
            }
          }
          open = undefined;
          rows.events++;
          break;
        }
        case TOPICS.rulesPublished: {
          const campaign = contracts.byPayouts(log.address);
          if (!campaign) break;
          rows.rules.push({
            block,
            campaignId: campaign.id,
            version: Number(BigInt(log.topics[1]!)),
            ...decodeRulesPublished(log.data),
            txHash: tx,
          });
          rows.events++;
          break;
        }
        case TOPICS.transfer: {
          if (!contracts.byToken(log.address) || log.topics.length !== 3) break;
          const t = rows.transfers;
          t.block.push(block);
          t.token.push(log.address.toLowerCase());
          t.from.push(topicAddress(log.topics[1]!));
          t.to.push(topicAddress(log.topics[2]!));
          t.value.push(word(log.data, 0));
          rows.events++;
          if (
            claim?.tx === tx &&
            claim.token === log.address.toLowerCase() &&
            claim.distributor === t.from.at(-1)
          ) {
            const c = rows.claims;
            c.block.push(claim.block);
            c.logIndex.push(claim.logIndex);
            c.distributor.push(claim.distributor);
            c.account.push(t.to.at(-1)!);
            c.member.push(claim.member);
            c.amount.push(t.value.at(-1)!.toString());
            c.txHash.push(tx);
            claim = undefined;
          }
          break;
        }
        case TOPICS.claimed: {
          const ref = contracts.byDistributor(log.address);
          if (!ref) break;
          claim = {
            tx,
            distributor: log.address.toLowerCase(),
            token: ref.token.token.toLowerCase(),
            block,
            logIndex,
            member: word(log.data, 0).toString(),
          };
          rows.events++;
          break;
        }
        case TOPICS.released: {
          if (!contracts.byDistributor(log.address)) break;
          rows.releases.push({
            block,
            distributor: log.address.toLowerCase(),
            wallet: topicAddress(log.topics[1]!),
            member: smallWord(log.data, 0),
            amount: word(log.data, 1),
            txHash: tx,
          });
          rows.events++;
          break;
        }
        case TOPICS.epochPublished:
        case TOPICS.epochVetoed:
        case TOPICS.clawedBack: {
          if (!contracts.byDistributor(log.address)) break;
          const isEpoch = topic === TOPICS.epochPublished;
          const isClawback = topic === TOPICS.clawedBack;
          // EpochPublished: root, total, deadline, activatesAt; ClawedBack: amount.
          rows.distributorEvents.push({
            block,
            logIndex,
            distributor: log.address.toLowerCase(),
            kind: isEpoch ? "epoch" : isClawback ? "clawback" : "veto",
            epoch: Number(BigInt(log.topics[1]!)),
            root: isEpoch ? `0x${log.data.slice(2, 66)}` : null,
            deadline: isEpoch ? smallWord(log.data, 2) : null,
            activatesAt: isEpoch ? smallWord(log.data, 3) : null,
            treasury: isClawback ? topicAddress(log.topics[2]!) : null,
            amount: isEpoch
              ? word(log.data, 1).toString()
              : isClawback
                ? word(log.data, 0).toString()
                : null,
            txHash: tx,
          });
          rows.events++;
          break;
        }
        case TOPICS.perkRedeemed: {
          const campaign = contracts.byShop(log.address);
          if (!campaign) break;
          const tokenAddress = wordAddress(log.data, 1);
          rows.redemptions.push({
            block,
            logIndex,
            shop: log.address.toLowerCase(),
            campaignId: campaign.id,
            account: topicAddress(log.topics[1]!),
            perkId: Number(BigInt(log.topics[2]!)),
            orderRef: log.topics[3]!,
            quantity: smallWord(log.data, 0),
            token: contracts.tokenAt(campaign.id, tokenAddress)?.token.symbol ?? tokenAddress,
            cost: word(log.data, 2).toString(),
            txHash: tx,
          });
          rows.events++;
          break;
        }
        case TOPICS.transferSingle:
        case TOPICS.transferBatch: {
          if (!contracts.byBadges(log.address)) break;
          const from = topicAddress(log.topics[2]!);
          const to = topicAddress(log.topics[3]!);
          if (from !== ZERO && to !== ZERO) break; // Only mints and burns are kept.
          const items =
            topic === TOPICS.transferSingle
              ? [{ id: word(log.data, 0), value: word(log.data, 1) }]
              : (() => {
                  const { ids, values } = decodeTransferBatch(log.data);
                  return ids.map((id, i) => ({ id, value: values[i]! }));
                })();
          items.forEach((item, position) => {
            rows.badges.push({
              block,
              logIndex,
              position,
              contract: log.address.toLowerCase(),
              account: from === ZERO ? to : from,
              badgeId: Number(item.id),
              delta: from === ZERO ? Number(item.value) : -Number(item.value),
              txHash: tx,
            });
          });
          rows.events++;
          break;
        }
        default:
          break;
      }
    }
    return rows;
  }

  /**
   * Writes one range and moves the cursor, in one transaction; returns the events read. A
   * catch-up (#catchUp) passes `instead`: it runs in the transaction in place of moving the
   * cursor.
   */
  async #write(
    f: Fetched,
    indexedThrough: number,
    instead?: (tx: Db) => Promise<void>,
  ): Promise<number> {
    const rows = this.#decode(f);
    const now = this.#now();
    // Read for the first time (the usual case): nothing of it can be in the tables yet.
    const fresh = f.from > indexedThrough;
    const finalBelow = f.head - this.#d.settings.finalityDepth;
    // A rules version takes effect at its block's time (rare: one header per such block).
    const blockTimes = new Map<number, number>();
    for (const r of rows.rules)
      if (!blockTimes.has(r.block)) {
        const header =
          r.block === f.to
            ? f.toBlock
            : r.block === f.from
              ? f.fromBlock
              : await this.#header(r.block);
        if (!header) throw new Error(`block ${r.block} not found`);
        blockTimes.set(r.block, header.timestamp);
      }
    const settled = await this.#d.db.transaction(async (tx) => {
      const settled = await this.#writePayouts(tx, rows, f, fresh, now);
      const changes = await this.#writeBalances(tx, rows, indexedThrough, finalBelow);
      // Crash point: half of the range written inside its (never committed) transaction.
      this.#d.failpoint("indexer-mid-range");
      await this.#writeDistributorEvents(tx, rows, now);
      await this.#writeClaims(tx, rows);
      for (const r of rows.releases)
        await releaseConfirmed(
          tx,
          {
            distributor: r.distributor,
            memberId: r.member,
            wallet: r.wallet,
            amount: r.amount,
            txHash: r.txHash,
            blockNumber: r.block,
          },
          now,
        );
      await this.#writeRedemptions(tx, rows);
      await this.#writeBadges(tx, rows);
      for (const r of rows.rules) {
        const outcome = await rulesPublished(tx, {
          campaignId: r.campaignId,
          version: r.version,
          hash: r.hash,
          uri: r.uri,
          blockNumber: r.block,
          blockTime: new Date(blockTimes.get(r.block)! * 1000),
          txHash: r.txHash,
        });
        const about = { campaignId: r.campaignId, version: r.version, block: r.block, uri: r.uri };
        if (outcome === "effective")
          this.#d.logger.info(about, "campaign rules version took effect");
        else if (outcome === "unknown")
          this.#d.logger.warn(
            about,
            "rules version published on-chain that this database does not know",
          );
        else if (outcome === "mismatch")
          this.#d.logger.error(
            { ...about, hash: r.hash },
            "rules version published on-chain with another hash than ours: not applied",
          );
      }
      // Hashes and balance changes of the range's blocks inside the finality window (plus its
      // last block's hash, where the next pass checks for a reorg): older blocks no longer reorg.
      const blocks = new Map(rows.blocks);
      blocks.set(f.to, f.toBlock.hash);
      const numbers: number[] = [];
      const hashes: string[] = [];
      const tokens: Array<string | null> = [];
      const accounts: Array<string | null> = [];
      const deltas: Array<string | null> = [];
      for (const [number, hash] of blocks) {
        if (number < finalBelow - 1) continue;
        const c = changes.get(number);
        numbers.push(number);
        hashes.push(hash);
        tokens.push(c ? c.tokens.join(",") : null);
        accounts.push(c ? c.accounts.join(",") : null);
        deltas.push(c ? c.deltas.join(",") : null);
      }
      if (numbers.length > 0)
        await tx.execute(
          sql`insert into chain_blocks (number, hash, balance_tokens, balance_accounts, balance_deltas)
              select v.number, v.hash, string_to_array(v.tokens, ','), string_to_array(v.accounts, ','),
                string_to_array(v.deltas, ',')::numeric[]
              from unnest(${arrayLiteral(numbers)}::bigint[], ${arrayLiteral(hashes)}::text[],
                ${arrayLiteral(tokens)}::text[], ${arrayLiteral(accounts)}::text[], ${arrayLiteral(deltas)}::text[])
                as v(number, hash, tokens, accounts, deltas)
              on conflict (number) do update set hash = excluded.hash`,
        );
      await tx.execute(sql`delete from chain_blocks where number < ${finalBelow - 1}`);
      if (instead) await instead(tx);
      else
        await tx.execute(
          sql`insert into chain_cursors (name, block_number, block_hash, block_timestamp, indexed_through,
              updated_at)
            values (${this.name}, ${f.to}, ${f.toBlock.hash}, ${f.toBlock.timestamp}, ${f.to}, ${now})
            on conflict (name) do update set block_number = excluded.block_number,
              block_hash = excluded.block_hash, block_timestamp = excluded.block_timestamp,
              indexed_through = greatest(chain_cursors.indexed_through, excluded.indexed_through),
              updated_at = excluded.updated_at`,
        );
      return settled;
    });
    if (settled > 0) this.#d.metrics.settled.inc(settled);
    for (const [event, n] of [
      ["payout", rows.payouts.payoutId.length],
      ["transfer", rows.transfers.block.length],
      ["claim", rows.claims.block.length],
      ["distributor", rows.distributorEvents.length],
      ["redemption", rows.redemptions.length],
      ["badge", rows.badges.length],
      ["rules", rows.rules.length],
    ] as const)
      if (n > 0) this.#d.metrics.indexedEvents.inc({ event }, n);
    if (rows.events > 0)
      this.#d.logger.debug(
        { from: f.from, to: f.to, events: rows.events, settled },
        "range indexed",
      );
    return rows.events;
  }

  /**
   * Records the range's payouts, then settles every ledger entry paid in the range (all of
   * them, not only new rows: a re-read also repairs an entry left unsettled), closes their
   * outbox rows and queues `reward_paid` notifications. Returns how many entries it settled.
   */
  async #writePayouts(
    tx: Db,
    rows: RangeRows,
    f: Fetched,
    fresh: boolean,
    now: Date,
  ): Promise<number> {
    const p = rows.payouts;
    // Entries the new rows matched (a read-only re-read may also repair older ones).
    let matched = fresh ? 0 : 1;
    if (p.payoutId.length > 0) {
      // Counted in the database: a backfill inserts tens of thousands of rows per range.
      const [counts] = await queryRows<{
        matched: number;
        unmatched: number;
        example: string | null;
      }>(
        tx,
        sql`with ins as (
              insert into chain_payouts (campaign_id, payout_id, token, amount, escrow, entry_id, tx_hash,
                block_number)
              select v.campaign_id, v.payout_id, v.token, v.amount, v.escrow, e.id,
                (${arrayLiteral(p.txHashes)}::text[])[v.tx], v.block_number
              from unnest(${arrayLiteral(p.campaignId)}::int[], ${arrayLiteral(p.payoutId)}::bigint[],
                ${arrayLiteral(p.token)}::text[], ${arrayLiteral(p.amount)}::numeric[],
                ${arrayLiteral(p.escrow)}::boolean[], ${arrayLiteral(p.tx)}::int[],
                ${arrayLiteral(p.block)}::bigint[])
                as v(campaign_id, payout_id, token, amount, escrow, tx, block_number)
              left join ledger_entries e on e.id = v.payout_id and e.campaign_id = v.campaign_id
                and e.token = v.token and e.amount = v.amount
              ${fresh ? sql`` : sql`on conflict (campaign_id, payout_id) do nothing`}
              returning payout_id, entry_id)
            select count(entry_id)::int as matched, (count(*) - count(entry_id))::int as unmatched,
              min(payout_id) filter (where entry_id is null)::text as example
            from ins`,
      );
      matched += Number(counts?.matched ?? 0);
      if (Number(counts?.unmatched) > 0)
        this.#d.logger.error(
          { payouts: Number(counts?.unmatched), example: counts?.example },
          "payouts on-chain with no matching ledger entry (id, campaign, token or amount differ)",
        );
    }
    if (matched === 0) return 0;
    const settled = await settlePaidInBlocks(tx, { from: f.from, to: f.to }, now);
    if (p.payoutId.length > 0) {
      const cancelled = await queryRows<{ id: string | number; state: string }>(
        tx,
        sql`select e.id, e.state from chain_payouts p join ledger_entries e on e.id = p.entry_id
            where p.block_number between ${f.from} and ${f.to} and e.state in ('expired', 'rejected')
              and e.settled_at is null
            limit 20`,
      );
      if (cancelled.length > 0)
        this.#d.logger.error(
          { entries: cancelled.map((c) => `${c.id}:${c.state}`) },
          "paid on-chain although the ledger had cancelled them",
        );
    }
    if (settled.length === 0) return 0;
    await enqueueNotifications(
      tx,
      settled.map((s) => ({
        memberId: s.memberId,
        kind: "reward_paid" as const,
        dedupeKey: `reward_paid:${s.id}`,
        data: {
          // The bot names the campaign when the member has several.
          campaignId: s.campaignId,
          entryId: s.id,
          token: s.token,
          amount: formatUnits(
            s.amount,
            this.#d.contracts.token(s.campaignId, s.token)?.token.decimals ?? 18,
          ),
          txHash: s.txHash,
          escrow: s.escrow,
        },
      })),
    );
    // Outbound webhooks: one statement for the range (it writes nothing unless subscribed).
    await enqueueWebhookEvents(tx, settled.map(rewardPaidEvent), now);
    return settled.length;
  }

  /**
   * Balances move by the transfers read for the first time (blocks above `indexedThrough`), so
   * re-reading a range changes nothing. Returns each block's net balance changes inside the
   * finality window (kept in `chain_blocks`, so a rewind can take them back).
   */
  async #writeBalances(
    tx: Db,
    rows: RangeRows,
    indexedThrough: number,
    finalBelow: number,
  ): Promise<Map<number, BlockChanges>> {
    const t = rows.transfers;
    const changes = new Map<number, BlockChanges>();
    if (t.block.length === 0) return changes;
    // Keys are token + account: both 42-character lower-case addresses.
    const balances = new Map<string, bigint>();
    let blockDeltas: Map<string, bigint> | undefined;
    let current = -1;
    const add = (key: string, delta: bigint, first: boolean) => {
      if (first) balances.set(key, (balances.get(key) ?? 0n) + delta);
      if (blockDeltas) blockDeltas.set(key, (blockDeltas.get(key) ?? 0n) + delta);
    };
    const flush = () => {
      if (!blockDeltas) return;
      const c: BlockChanges = { tokens: [], accounts: [], deltas: [] };
      for (const [key, v] of blockDeltas) {
        if (v === 0n) continue;
        c.tokens.push(key.slice(0, 42));
        c.accounts.push(key.slice(42));
        c.deltas.push(v.toString());
      }
      if (c.tokens.length > 0) changes.set(current, c);
      blockDeltas = undefined;
    };
    for (let i = 0; i < t.block.length; i++) {
      const block = t.block[i]!;
      const first = block > indexedThrough;
      const kept = block > finalBelow;
      if (!first && !kept) continue;
      if (block !== current) {
        flush();
        current = block;
        if (kept) blockDeltas = new Map();
      }
      const token = t.token[i]!;
      const from = t.from[i]!;
      const to = t.to[i]!;
      const v = t.value[i]!;
      // Only the first reading of a block moves balances (see `indexed_through`).
      if (from !== ZERO) add(token + from, -v, first);
      if (to !== ZERO) add(token + to, v, first);
    }
    flush();
    // Few tokens, many accounts: each row names its token by position in `tokens` (1-based).
    const tokens: string[] = [];
    const tokenOf: number[] = [];
    const accounts: string[] = [];
    const amounts: string[] = [];
    for (const [key, v] of balances) {
      if (v === 0n) continue;
      const token = key.slice(0, 42);
      if (tokens.at(-1) !== token && !tokens.includes(token)) tokens.push(token);
      tokenOf.push(tokens.at(-1) === token ? tokens.length : tokens.indexOf(token) + 1);
      accounts.push(key.slice(42));
      amounts.push(v.toString());
    }
    if (accounts.length > 0)
      await tx.execute(
        sql`insert into chain_balances (token, account, balance)
            select (${arrayLiteral(tokens)}::text[])[v.token], v.account, v.amount
            from unnest(${arrayLiteral(tokenOf)}::int[], ${arrayLiteral(accounts)}::text[],
              ${arrayLiteral(amounts)}::numeric[]) as v(token, account, amount)
            on conflict (token, account) do update set balance = chain_balances.balance + excluded.balance`,
      );
    return changes;
  }

  async #writeDistributorEvents(tx: Db, rows: RangeRows, now: Date): Promise<void> {
    const events = rows.distributorEvents;
    if (events.length === 0) return;
    const col = <K extends keyof (typeof events)[number]>(k: K) => events.map((e) => e[k]);
    const inserted = await queryRows<{
      block_number: string | number;
      kind: string;
      distributor: string;
      epoch: number;
      root: string | null;
      deadline: string | number | null;
      activates_at: string | number | null;
      tx_hash: string;
    }>(
      tx,
      sql`insert into chain_distributor_events (block_number, log_index, distributor, kind, epoch, root,
            deadline, activates_at, treasury, amount, tx_hash)
          select * from unnest(${arrayLiteral(col("block"))}::bigint[], ${arrayLiteral(col("logIndex"))}::int[],
            ${arrayLiteral(col("distributor"))}::text[], ${arrayLiteral(col("kind"))}::text[],
            ${arrayLiteral(col("epoch"))}::int[], ${arrayLiteral(col("root"))}::text[],
            ${arrayLiteral(col("deadline"))}::bigint[], ${arrayLiteral(col("activatesAt"))}::bigint[],
            ${arrayLiteral(col("treasury"))}::text[],
            ${arrayLiteral(col("amount"))}::numeric[], ${arrayLiteral(col("txHash"))}::text[])
          on conflict (block_number, log_index) do nothing
          returning block_number, kind, distributor, epoch, root, deadline, activates_at, tx_hash`,
    );
    for (const e of inserted) {
      if (e.kind === "veto") {
        await tx.execute(
          sql`update chain_epochs set status = 'vetoed'
              where distributor = ${e.distributor} and epoch = ${e.epoch} and status = 'published'`,
        );
        continue;
      }
      if (e.kind !== "epoch") continue;
      // Our epoch with this root and deadline (the newest, should one have been built twice).
      await tx.execute(
        sql`update chain_epochs set status = 'published', epoch = ${e.epoch},
              block_number = ${Number(e.block_number)}, tx_hash = ${e.tx_hash}, published_at = ${now},
              activates_at = ${Number(e.activates_at)}
            where id = (select id from chain_epochs where distributor = ${e.distributor}
                          and root = ${e.root} and deadline = ${Number(e.deadline)}
                          and status in ('pending', 'failed')
                        order by id desc limit 1)`,
      );
    }
  }

  async #writeClaims(tx: Db, rows: RangeRows): Promise<void> {
    const c = rows.claims;
    if (c.block.length === 0) return;
    await tx.execute(insertClaims(c));
  }

  async #writeRedemptions(tx: Db, rows: RangeRows): Promise<void> {
    const events: WebhookEventInput[] = [];
    for (const r of rows.redemptions) {
      const inserted = await queryRows<{ block_number: string }>(
        tx,
        sql`insert into chain_redemptions (block_number, log_index, shop, campaign_id, account, perk_id,
              order_ref, quantity, token, cost, tx_hash)
            values (${r.block}, ${r.logIndex}, ${r.shop}, ${r.campaignId}, ${r.account}, ${r.perkId},
              ${r.orderRef}, ${r.quantity}, ${r.token}, ${r.cost}, ${r.txHash})
            on conflict (block_number, log_index) do nothing
            returning block_number`,
      );
      if (inserted.length === 0) continue;
      await perkOrderRedeemed(
        tx,
        { shop: r.shop, orderId: r.orderRef, txHash: r.txHash },
        this.#now(),
      );
      // The pool's code or a generated one; a redemption re-indexed gets its coupon back.
      await issueCoupon(
        tx,
        {
          shop: r.shop,
          orderRef: r.orderRef,
          campaignId: r.campaignId,
          account: r.account,
          perkId: r.perkId,
          quantity: r.quantity,
          txHash: r.txHash,
          block: r.block,
        },
        this.#now(),
      );
      events.push(perkRedeemedEvent(r));
    }
    await enqueueWebhookEvents(tx, events, this.#now());
  }

  async #writeBadges(tx: Db, rows: RangeRows): Promise<void> {
    const events: BadgeEvent[] = [];
    const minted: WebhookEventInput[] = [];
    for (const b of rows.badges) {
      const campaign = this.#d.contracts.byBadges(b.contract);
      if (campaign) {
        events.push({
          campaignId: campaign.id,
          account: b.account,
          badgeId: b.badgeId,
          delta: b.delta,
          txHash: b.txHash,
        });
        if (b.delta > 0)
          minted.push(
            badgeMintedEvent({
              campaignId: campaign.id,
              account: b.account,
              badgeId: b.badgeId,
              amount: b.delta,
              txHash: b.txHash,
            }),
          );
      }
      await tx.execute(
        sql`insert into chain_badge_events (block_number, log_index, position, contract, account, badge_id,
              delta, tx_hash)
            values (${b.block}, ${b.logIndex}, ${b.position}, ${b.contract}, ${b.account}, ${b.badgeId},
              ${b.delta}, ${b.txHash})
            on conflict do nothing`,
      );
    }
    await badgeEventsIndexed(tx, events, this.#now());
    await enqueueWebhookEvents(tx, minted, this.#now());
  }

  /** Finds the newest stored block that is still canonical and undoes everything above it. */
  async #rewind(cursor: Cursor): Promise<{ from: number; to: number }> {
    const stored = await queryRows<{ number: string | number; hash: string }>(
      this.#d.db,
      sql`select number, hash from chain_blocks where number <= ${cursor.blockNumber} order by number desc`,
    );
    let fork: { number: number; hash: string } | undefined;
    for (const b of stored) {
      const header = await this.#header(Number(b.number));
      if (header && header.hash === b.hash) {
        fork = { number: Number(b.number), hash: b.hash };
        break;
      }
    }
    if (!fork) {
      // Deeper than every hash we kept (beyond the finality depth): restart from the oldest.
      const oldest = Math.max(
        this.#startBlock(),
        Number(stored.at(-1)?.number ?? cursor.blockNumber) - 1,
      );
      const header = await this.#header(oldest);
      this.#d.logger.error(
        { cursor: cursor.blockNumber, rewindTo: oldest },
        "reorg deeper than the kept block hashes (finality depth): rewinding to the oldest kept block",
      );
      fork = { number: oldest, hash: header?.hash ?? "0x" };
    }
    const header = await this.#header(fork.number);
    const timestamp = header?.timestamp ?? cursor.blockTimestamp;
    const now = this.#now();
    await this.#d.db.transaction(async (tx) => {
      const gone = await queryRows<{ entry_id: string | number | null }>(
        tx,
        sql`delete from chain_payouts where block_number > ${fork.number} returning entry_id`,
      );
      const entries = gone.filter((g) => g.entry_id !== null).map((g) => Number(g.entry_id));
      await unsettleEntries(tx, entries, now);
      // The undone blocks' balance changes, taken back (and their hashes forgotten).
      await tx.execute(
        sql`with gone as (delete from chain_blocks where number > ${fork.number}
                          returning balance_tokens, balance_accounts, balance_deltas),
            s as (select u.token, u.account, sum(u.delta) as delta
                  from gone, unnest(gone.balance_tokens, gone.balance_accounts, gone.balance_deltas)
                    as u(token, account, delta)
                  group by u.token, u.account)
            update chain_balances b set balance = b.balance - s.delta
            from s where b.token = s.token and b.account = s.account`,
      );
      await tx.execute(sql`delete from chain_claims where block_number > ${fork.number}`);
      await releasesRewound(tx, fork.number, this.#now());
      await tx.execute(
        sql`update chain_epochs set status = 'published'
            where status = 'vetoed' and (distributor, epoch) in (
              select distributor, epoch from chain_distributor_events
              where kind = 'veto' and block_number > ${fork.number})`,
      );
      await tx.execute(
        sql`update chain_epochs set status = 'pending', epoch = null, block_number = null,
              tx_hash = null, published_at = null, activates_at = null
            where status in ('published', 'vetoed') and block_number > ${fork.number}`,
      );
      await tx.execute(
        sql`delete from chain_distributor_events where block_number > ${fork.number}`,
      );
      await tx.execute(
        sql`with gone as (delete from chain_redemptions where block_number > ${fork.number}
                          returning shop, order_ref)
            update chain_coupons c set status = 'revoked'
            from gone where c.shop = gone.shop and c.order_ref = gone.order_ref`,
      );
      // Badge mints and burns of the undone blocks: their awards back to their send or queue.
      const badgeLogs = await queryRows<{
        contract: string;
        account: string;
        badge_id: number;
        delta: number;
        tx_hash: string;
      }>(
        tx,
        sql`delete from chain_badge_events where block_number > ${fork.number}
            returning contract, account, badge_id, delta, tx_hash`,
      );
      await badgeEventsRewound(
        tx,
        badgeLogs.flatMap((b) => {
          const campaign = this.#d.contracts.byBadges(b.contract);
          return campaign
            ? [
                {
                  campaignId: campaign.id,
                  account: b.account,
                  badgeId: Number(b.badge_id),
                  delta: Number(b.delta),
                  txHash: b.tx_hash,
                },
              ]
            : [];
        }),
        now,
      );
      await rulesRewound(tx, fork.number);
      await tx.execute(
        sql`update chain_cursors set block_number = ${fork.number}, block_hash = ${fork.hash},
              block_timestamp = ${timestamp}, indexed_through = ${fork.number}, updated_at = ${now}
            where name = ${this.name}`,
      );
    });
    this.#d.metrics.reorgs.inc({ job: "indexer" });
    this.#d.logger.warn(
      { from: cursor.blockNumber, to: fork.number },
      "reorg: rewound the indexer to the last canonical block",
    );
    return { from: cursor.blockNumber, to: fork.number };
  }
}

/** Word `i` of a log's data in decimal (without a bigint when it is below 2**52). */
function decimalWord(data: string, i: number): string {
  const start = 2 + i * 64;
  // 51 leading zero digits leave 13 hex digits: at most 2**52 − 1, exact as a number.
  if (data.startsWith(ZERO_DIGITS, start))
    return Number.parseInt(data.slice(start + 51, start + 64), 16).toString();
  return word(data, i).toString();
}
const ZERO_DIGITS = "0".repeat(51);
