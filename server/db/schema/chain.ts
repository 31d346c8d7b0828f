/**
 * The payout pipeline's own tables (part of the one schema, see ../schema.ts):
 *
 * - `chain_sends` / `chain_send_txs`: every transaction the backend signer sends (payout
 *   batches, epoch roots). A send is one logical transaction with one nonce; each signed
 *   attempt (the original and fee replacements) is a `chain_send_txs` row written *before* it
 *   is broadcast, so a restart always knows what may be in flight.
 * - `chain_leases`: leader election (one active worker, indexer, epoch publisher).
 * - `chain_status`: each process's latest health, for `/api/chain/health` across processes.
 * - Indexer: `chain_cursors`, `chain_blocks` (recent block hashes and balance changes, for
 *   rewinds) and the decoded logs of our contracts (`chain_payouts`, `chain_claims`, …),
 *   `chain_balances` (per account and token), `chain_coupons` (from redemptions).
 * - Merkle epochs: `chain_epochs` and their leaves `chain_epoch_leaves`.
 *
 * Block numbers are bigint (`mode: "number"`: they stay far below 2**53); amounts are wei.
 * Addresses in the indexer's and the epochs' tables are lower-case hex (cheap to compare and
 * join); `chain_sends` keeps EIP-55 addresses. The API checksums what it returns.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { oneOf, ts, wei } from "../columns.ts";
import { campaigns, members } from "../schema.ts";

export const SEND_KINDS = ["payout", "publish_root", "release", "redeem", "badge"] as const;
export type SendKind = (typeof SEND_KINDS)[number];

/**
 * `pending`: created (payout rows claimed), not signed yet. `signed`: nonce taken and a signed
 * transaction stored, maybe not broadcast. `sent`: broadcast. `mined`: a receipt was seen,
 * not enough confirmations yet. `confirmed`: enough confirmations, re-checked until
 * `final` (deeper than the finality depth). `reverted`: mined with status reverted.
 * `replaced`: its nonce was used by a transaction that is not ours. `released`: given up
 * before signing (its payout rows went back to the queue).
 */
export const SEND_STATUSES = [
  "pending",
  "signed",
  "sent",
  "mined",
  "confirmed",
  "final",
  "reverted",
  "replaced",
  "released",
] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];
/** Statuses whose transaction may still change (the worker checks them every tick). */
export const OPEN_SEND_STATUSES: SendStatus[] = ["pending", "signed", "sent", "mined", "confirmed"];

export const chainSends = pgTable(
  "chain_sends",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: SEND_KINDS }).notNull(),
    chainId: bigint("chain_id", { mode: "number" }).notNull(),
    /** The backend signer's address (EIP-55). */
    signer: text("signer").notNull(),
    campaignId: integer("campaign_id").references(() => campaigns.id),
    /** Token symbol (payouts and epochs). */
    token: text("token"),
    /** Contract called. */
    target: text("target").notNull(),
    /** Calldata, fixed when the send is created: every attempt carries exactly this. */
    data: text("data").notNull(),
    status: text("status", { enum: SEND_STATUSES }).notNull().default("pending"),
    nonce: bigint("nonce", { mode: "number" }),
    gasLimit: bigint("gas_limit", { mode: "bigint" }),
    payoutCount: integer("payout_count").notNull().default(0),
    /** Sum of the payouts (wei). */
    amount: wei("amount").notNull().default(sql`0`),
    /** The attempt that was mined. */
    txHash: text("tx_hash"),
    blockNumber: bigint("block_number", { mode: "number" }),
    blockHash: text("block_hash"),
    gasUsed: bigint("gas_used", { mode: "bigint" }),
    effectiveGasPrice: wei("effective_gas_price"),
    /** Last failure: the decoded custom error of a revert, or the latest RPC problem. */
    error: text("error"),
    broadcasts: integer("broadcasts").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    signedAt: ts("signed_at"),
    sentAt: ts("sent_at"),
    minedAt: ts("mined_at"),
    confirmedAt: ts("confirmed_at"),
    finalAt: ts("final_at"),
  },
  (t) => [
    oneOf("chain_sends_kind", t.kind, SEND_KINDS),
    oneOf("chain_sends_status", t.status, SEND_STATUSES),
    index("chain_sends_open_idx")
      .on(t.status, t.id)
      .where(sql`${t.status} in ('pending', 'signed', 'sent', 'mined', 'confirmed')`),
    // One transaction per nonce of ours: even two workers that both believe they lead
    // cannot put two different payloads on one nonce.
    uniqueIndex("chain_sends_nonce_once")
      .on(t.chainId, t.signer, t.nonce)
      .where(sql`${t.nonce} is not null and ${t.status} <> 'replaced'`),
  ],
);

/** Every signed attempt of a send, stored before it is broadcast. */
export const chainSendTxs = pgTable(
  "chain_send_txs",
  {
    hash: text("hash").primaryKey(),
    sendId: bigint("send_id", { mode: "number" })
      .notNull()
      .references(() => chainSends.id),
    nonce: bigint("nonce", { mode: "number" }).notNull(),
    /** The signed transaction (serialized, 0x…). */
    raw: text("raw").notNull(),
    maxFeePerGas: wei("max_fee_per_gas").notNull(),
    maxPriorityFeePerGas: wei("max_priority_fee_per_gas").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    broadcastAt: ts("broadcast_at"),
  },
  (t) => [index("chain_send_txs_send_idx").on(t.sendId, t.createdAt)],
);

/** Leases: the holder of a row's unexpired lease is the one active instance of that job. */
export const chainLeases = pgTable("chain_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  /** Incremented on every takeover: a fencing token. */
  generation: bigint("generation", { mode: "number" }).notNull(),
  acquiredAt: ts("acquired_at").notNull(),
  renewedAt: ts("renewed_at").notNull(),
  expiresAt: ts("expires_at").notNull(),
});

/** Latest health of each running worker, indexer and publisher instance. */
export const chainStatus = pgTable(
  "chain_status",
  {
    job: text("job").notNull(),
    instance: text("instance").notNull(),
    leader: boolean("leader").notNull(),
    health: jsonb("health").$type<Record<string, unknown>>().notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.job, t.instance] })],
);

/** Indexer cursors: the last block fully processed (and its hash). */
/**
 * Which campaigns' contracts an indexer's cursor covers. A campaign that joins while the
 * indexer runs (deployed from the console, found by a registry reload) is read from its
 * deployment block up to the cursor first (`caught_up_through` records how far, so a restart
 * goes on), then `complete`: from then on every range includes its addresses.
 */
export const chainIndexedCampaigns = pgTable(
  "chain_indexed_campaigns",
  {
    /** The indexer's cursor name (`indexer:<chainId>`). */
    indexer: text("indexer").notNull(),
    /** The campaign's ReferralPayouts address, lower-case. */
    payouts: text("payouts").notNull(),
    caughtUpThrough: bigint("caught_up_through", { mode: "number" }).notNull(),
    complete: boolean("complete").notNull().default(false),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.indexer, t.payouts] })],
);

export const chainCursors = pgTable("chain_cursors", {
  name: text("name").primaryKey(),
  blockNumber: bigint("block_number", { mode: "number" }).notNull(),
  blockHash: text("block_hash").notNull(),
  /** The block's timestamp (unix seconds): chain time as far as the indexer has seen. */
  blockTimestamp: bigint("block_timestamp", { mode: "number" }).notNull(),
  /**
   * The highest block ever indexed (the cursor only moves back in a rewind, which also deletes
   * what it undoes, or by hand): ranges above it are read for the first time and written with
   * plain inserts; ranges at or below it are re-reads, written idempotently.
   */
  indexedThrough: bigint("indexed_through", { mode: "number" }).notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * Recently indexed blocks (those with our logs, and each range's last block), kept for the
 * finality window: their hashes for reorg detection, and the net token balance changes each
 * block's `Transfer` logs made (parallel arrays: token, account, delta in wei), which a rewind
 * takes back. One row per block rather than one per transfer: a backfill writes a fraction of
 * the rows, and older blocks live on only in `chain_balances`.
 */
export const chainBlocks = pgTable("chain_blocks", {
  number: bigint("number", { mode: "number" }).primaryKey(),
  hash: text("hash").notNull(),
  balanceTokens: text("balance_tokens").array(),
  balanceAccounts: text("balance_accounts").array(),
  balanceDeltas: numeric("balance_deltas", { precision: 78, scale: 0 }).array(),
});

/**
 * `ReferralRewarded` logs: one row per payout id paid on-chain (per campaign contract), with
 * what the ledger and the reads need (recipient, referee and level are the ledger entry's).
 * No foreign keys: a backfill writes tens of thousands of rows per range, and the values come
 * from our campaign registry and from a join with `ledger_entries` in the same statement.
 */
export const chainPayouts = pgTable(
  "chain_payouts",
  {
    /** The campaign whose ReferralPayouts contract paid it. */
    campaignId: integer("campaign_id").notNull(),
    payoutId: bigint("payout_id", { mode: "number" }).notNull(),
    /** Token symbol, from the batch's `PayoutBatchPaid` log. */
    token: text("token").notNull(),
    amount: wei("amount").notNull(),
    /** Paid into the token's RewardDistributor (a member without a wallet). */
    escrow: boolean("escrow").notNull(),
    /** The ledger entry it settled, when it matched one. */
    entryId: bigint("entry_id", { mode: "number" }),
    txHash: text("tx_hash").notNull(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.payoutId] }),
    index("chain_payouts_block_idx").on(t.blockNumber),
  ],
);

/** Token balances per account, kept from the indexed transfers. */
export const chainBalances = pgTable(
  "chain_balances",
  {
    token: text("token").notNull(),
    account: text("account").notNull(),
    balance: wei("balance").notNull(),
  },
  // Look-ups name the campaign's tokens and the account: the primary key serves them.
  (t) => [primaryKey({ columns: [t.token, t.account] })],
);

/** `Claimed` logs of our distributors, attributed to the member whose leaf was claimed. */
export const chainClaims = pgTable(
  "chain_claims",
  {
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    logIndex: integer("log_index").notNull(),
    distributor: text("distributor").notNull(),
    account: text("account").notNull(),
    amount: wei("amount").notNull(),
    /** The member number the claim names (claims are kept per member on-chain). */
    memberId: bigint("member_id", { mode: "number" }).references(() => members.id),
    txHash: text("tx_hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    index("chain_claims_member_idx").on(t.distributor, t.memberId),
    index("chain_claims_account_idx").on(t.distributor, t.account),
  ],
);

/** `EpochPublished`, `EpochVetoed` and `ClawedBack` logs of our distributors. */
export const chainDistributorEvents = pgTable(
  "chain_distributor_events",
  {
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    logIndex: integer("log_index").notNull(),
    distributor: text("distributor").notNull(),
    kind: text("kind", { enum: ["epoch", "veto", "clawback"] }).notNull(),
    epoch: integer("epoch").notNull(),
    /** Epochs: the root, its deadline and when it takes effect (unix seconds). */
    root: text("root"),
    deadline: bigint("deadline", { mode: "number" }),
    activatesAt: bigint("activates_at", { mode: "number" }),
    /** Clawbacks: treasury and amount; epochs: the total the root promised. */
    treasury: text("treasury"),
    amount: wei("amount"),
    txHash: text("tx_hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    oneOf("chain_distributor_events_kind", t.kind, ["epoch", "veto", "clawback"]),
    index("chain_distributor_events_idx").on(t.distributor, t.kind, t.epoch),
  ],
);

/**
 * Escrow releases (issue 12): at most one row per member and distributor, like the contract's
 * release bitmap. Written only through the transitions in `server/domain/releases.ts`:
 * `queued` (amount fixed) → `sending` (in a pending release send) → `sent` (signed) →
 * `released` (the indexer saw `Released`), or back to `queued` when the send is given up (a
 * resend is safe: the contract skips a member released before).
 */
/** `held`: the member's wallet is on a screening list (server/domain/screening.ts). */
export const RELEASE_STATUSES = ["queued", "sending", "sent", "released", "held"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const chainReleases = pgTable(
  "chain_releases",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    token: text("token").notNull(),
    /** The distributor (lower-case). */
    distributor: text("distributor").notNull(),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    /** The linked wallet paid (lower-case). */
    wallet: text("wallet").notNull(),
    amount: wei("amount").notNull(),
    /** The newest escrowed grant (ledger entry id) the release covers. */
    throughEntryId: bigint("through_entry_id", { mode: "number" }).notNull(),
    /** What the member had claimed on-chain when the amount was fixed. */
    claimedBefore: wei("claimed_before").notNull().default(sql`0`),
    status: text("status", { enum: RELEASE_STATUSES }).notNull().default("queued"),
    sendId: bigint("send_id", { mode: "number" }).references(() => chainSends.id),
    txHash: text("tx_hash"),
    blockNumber: bigint("block_number", { mode: "number" }),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    releasedAt: ts("released_at"),
  },
  (t) => [
    oneOf("chain_releases_status", t.status, RELEASE_STATUSES),
    uniqueIndex("chain_releases_member_once").on(t.distributor, t.memberId),
    index("chain_releases_status_idx").on(t.status, t.distributor),
    index("chain_releases_send_idx").on(t.sendId),
  ],
);

/**
 * Perk orders members signed (EIP-712) and the relayer sends (`PerkShop.redeemWithPermit`).
 * Written only through `server/domain/perkOrders.ts`: `sent` (accepted, its send created) →
 * `redeemed` (the indexer saw `PerkRedeemed`), or `failed` (the send was given up or
 * reverted). One row per member wallet and order reference, like the shop's own record.
 */
export const PERK_ORDER_STATUSES = ["sent", "redeemed", "failed"] as const;
export type PerkOrderStatus = (typeof PERK_ORDER_STATUSES)[number];

export const chainPerkOrders = pgTable(
  "chain_perk_orders",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    /** The shop and the member's wallet (lower-case). */
    shop: text("shop").notNull(),
    account: text("account").notNull(),
    perkId: integer("perk_id").notNull(),
    quantity: integer("quantity").notNull(),
    maxCost: wei("max_cost").notNull(),
    orderRef: text("order_ref").notNull(),
    /** The shop's key of the order: `keccak256(abi.encode(member, orderRef))`, as logged. */
    orderId: text("order_id").notNull(),
    deadline: bigint("deadline", { mode: "number" }).notNull(),
    /** Whether an ERC-2612 permit came with it. */
    permit: boolean("permit").notNull().default(false),
    status: text("status", { enum: PERK_ORDER_STATUSES }).notNull().default("sent"),
    sendId: bigint("send_id", { mode: "number" }).references(() => chainSends.id),
    txHash: text("tx_hash"),
    error: text("error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("chain_perk_orders_status", t.status, PERK_ORDER_STATUSES),
    uniqueIndex("chain_perk_orders_ref_once").on(t.shop, t.orderId),
    index("chain_perk_orders_member_idx").on(t.memberId, t.id),
    index("chain_perk_orders_send_idx").on(t.sendId),
  ],
);

/** `PerkRedeemed` logs of our perk shops. */
export const chainRedemptions = pgTable(
  "chain_redemptions",
  {
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    logIndex: integer("log_index").notNull(),
    shop: text("shop").notNull(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    account: text("account").notNull(),
    perkId: integer("perk_id").notNull(),
    orderRef: text("order_ref").notNull(),
    quantity: integer("quantity").notNull(),
    token: text("token").notNull(),
    cost: wei("cost").notNull(),
    txHash: text("tx_hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex] })],
);

/**
 * A coupon per redemption. The code is random (order references are public on-chain, so
 * nothing derived from them could be a secret) and kept across re-indexing: a redemption that
 * a reorg removes revokes its coupon, and the same redemption re-indexed restores it.
 */
export const chainCoupons = pgTable(
  "chain_coupons",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    orderRef: text("order_ref").notNull(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: bigint("member_id", { mode: "number" }).references(() => members.id),
    account: text("account").notNull(),
    /** On-chain perk id (1-based position in the campaign's `perks`) and its campaign id. */
    perkId: integer("perk_id").notNull(),
    perk: text("perk"),
    quantity: integer("quantity").notNull(),
    code: text("code").notNull().unique(),
    status: text("status", { enum: ["issued", "revoked"] }).notNull(),
    txHash: text("tx_hash").notNull(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** After this the coupon is no longer accepted (null: never). */
    expiresAt: ts("expires_at"),
    /** When a partner marked it used, and which partner. */
    usedAt: ts("used_at"),
    usedBy: text("used_by"),
  },
  (t) => [
    uniqueIndex("chain_coupons_order_once").on(t.shop, t.orderRef),
    oneOf("chain_coupons_status", t.status, ["issued", "revoked"]),
    index("chain_coupons_member_idx").on(t.memberId),
  ],
);

/** Badge mints and burns (ERC-1155 transfers from or to zero) of our Badges contracts. */
export const chainBadgeEvents = pgTable(
  "chain_badge_events",
  {
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    logIndex: integer("log_index").notNull(),
    /** Position within a TransferBatch log (0 for TransferSingle). */
    position: integer("position").notNull(),
    contract: text("contract").notNull(),
    account: text("account").notNull(),
    badgeId: bigint("badge_id", { mode: "number" }).notNull(),
    /** +n minted, −n burned. */
    delta: integer("delta").notNull(),
    txHash: text("tx_hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex, t.position] }),
    index("chain_badge_events_account_idx").on(t.account),
  ],
);

export const EPOCH_STATUSES = ["pending", "published", "failed", "vetoed"] as const;
export type EpochStatus = (typeof EPOCH_STATUSES)[number];

/**
 * A Merkle epoch built by the publisher: `pending` until its root is seen on-chain, then
 * `published` with the contract's epoch number; `failed` when its send reverted.
 */
export const chainEpochs = pgTable(
  "chain_epochs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    token: text("token").notNull(),
    tokenAddress: text("token_address").notNull(),
    distributor: text("distributor").notNull(),
    root: text("root").notNull(),
    /** Unix seconds: the latest leaf deadline, the root's on-chain. */
    deadline: bigint("deadline", { mode: "number" }).notNull(),
    leafCount: integer("leaf_count").notNull(),
    /** What the root promises (declared on-chain): the leaves' amounts not yet claimed. */
    total: wei("total").notNull(),
    /** Unix seconds the root takes effect (after the publish delay), once published. */
    activatesAt: bigint("activates_at", { mode: "number" }),
    status: text("status", { enum: EPOCH_STATUSES }).notNull().default("pending"),
    sendId: bigint("send_id", { mode: "number" }).references(() => chainSends.id),
    /** The distributor's epoch number, once published. */
    epoch: integer("epoch"),
    blockNumber: bigint("block_number", { mode: "number" }),
    txHash: text("tx_hash"),
    /** The indexed block the epoch was computed at. */
    snapshotBlock: bigint("snapshot_block", { mode: "number" }).notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    publishedAt: ts("published_at"),
  },
  (t) => [
    oneOf("chain_epochs_status", t.status, EPOCH_STATUSES),
    index("chain_epochs_distributor_idx").on(t.distributor, t.status, t.id),
    uniqueIndex("chain_epochs_number_once").on(t.distributor, t.epoch),
  ],
);

/** One leaf per member and epoch: the member's wallet and cumulative amount. */
export const chainEpochLeaves = pgTable(
  "chain_epoch_leaves",
  {
    epochId: bigint("epoch_id", { mode: "number" })
      .notNull()
      .references(() => chainEpochs.id),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => members.id),
    account: text("account").notNull(),
    cumulativeAmount: wei("cumulative_amount").notNull(),
    /** Unix seconds: the leaf's own claim deadline. */
    deadline: bigint("deadline", { mode: "number" }).notNull(),
    /** Whether the leaf was written after the member's escrow was released. */
    released: boolean("released").notNull().default(false),
    /** The newest ledger entry whose amount the leaf includes. */
    throughEntryId: bigint("through_entry_id", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.epochId, t.memberId] }),
    uniqueIndex("chain_epoch_leaves_account").on(t.epochId, t.account),
  ],
);
