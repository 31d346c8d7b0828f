/**
 * The chain seam: everything the service needs from a chain, behind one interface. The
 * pipeline's jobs (payout worker, indexer, epoch publisher), its health check, reconciliation
 * and the reward routes use a {@link ChainDriver} and nothing chain-specific; the EVM driver
 * (`evm/driver.ts`, viem) is the first, a TON driver can be added beside it without touching
 * the domain, the bot, the HTTP routes or the jobs.
 *
 * What stays chain-neutral around it: the ledger and outbox (server/domain), epochs as
 * cumulative Merkle trees built from the database (`epochs.ts` queues a root; the driver's
 * worker publishes it), leases and job health, and the indexed tables the routes read. What a
 * driver owns: addresses and encodings, signing and nonces, fees, batching sends, decoding
 * events — the measured hot paths (hex log decoding, batched JSON-RPC) stay inside the EVM
 * driver.
 */
import type { IndexBody } from "../../verify/rewardFiles.ts";
import type { Db } from "../db/index.ts";
import type { chainPerkOrders } from "../db/schema/chain.ts";
import type { ShopChainState } from "../domain/perks.ts";
import type { Logger } from "../logger.ts";
import type { BackendRole, ChainSettings } from "./config.ts";
import type { CampaignContracts, ContractIndex } from "./contracts.ts";
import type { Failpoint } from "./failpoint.ts";
import type { ChainMetrics } from "./health.ts";
import type { Lease } from "./lease.ts";
import type { PerkAdmin, PerkAdminEnv } from "./perkAdmin.ts";
import type { OrderInput } from "./perkRelay.ts";
import type { ReconcileReport } from "./reconcile.ts";

/** What one pass of a job reports to its health row. */
export interface PassResult {
  details: Record<string, unknown>;
  alerts: string[];
}

/** One of a job's passes, run by the job's loop under its lease. */
export interface PassRunner {
  pass(): Promise<PassResult>;
}

/** What a driver's jobs run on (the job's lease is renewed during long passes). */
export interface DriverJobEnv {
  db: Db;
  contracts: ContractIndex;
  settings: ChainSettings;
  logger: Logger;
  metrics: ChainMetrics;
  failpoint: Failpoint;
  lease: Lease;
  now: () => Date;
}

/** What the endpoint serves: for the start-up check and the health report. */
export interface ChainProbe {
  chainId: number;
  /** The latest block (or the chain's equivalent sequence number). */
  head: bigint;
}

export interface ChainDriver {
  /** `evm` (later `ton`): for logs and the health report. */
  readonly kind: string;
  /** The chain id the service is configured for (`CHAIN_ID`). */
  readonly chainId: number;
  /** The backend signer's address as the chain writes it; undefined: read-only (indexer only). */
  readonly signerAddress?: string;

  /**
   * The address of the key acting for a backend role (payout signer, root publisher, badge
   * minter, relayer: one key each in production); undefined when that role has no key here.
   */
  addressFor(role: BackendRole): string | undefined;

  /**
   * The root publisher's signature of a reward file index (verify/rewardFiles.ts), or undefined
   * when that key is not here.
   */
  signRewardIndex(body: IndexBody): Promise<{ signer: string; signature: string } | undefined>;

  /** Chain health: which chain the endpoint serves, and its head. Throws when unreachable. */
  probe(): Promise<ChainProbe>;

  /**
   * The payout worker's pass (needs a signer): moves the open sends on (confirmations, fee
   * bumps, replacements), then forms new payout batches from the outbox and sends them, and
   * releases escrow to members who linked a wallet since, and sends the roots `buildEpochs`
   * queued and the relayed perk orders (each role's key with its own nonces). Idempotent across crashes: a payout id is paid at
   * most once (the contracts skip paid ids; the driver tracks every send in the database).
   */
  payoutWorker(env: DriverJobEnv): PassRunner;

  /**
   * The indexer's pass: reads the events of the next block range of our contracts (payouts,
   * transfers, roots, claims, releases, perk orders) into the indexed tables, confirms ledger
   * entries from chain truth, and rewinds on a reorg.
   */
  indexer(env: DriverJobEnv): PassRunner;

  /**
   * What member `member` has claimed so far from `distributor`'s escrow, read from the chain
   * now. Throws when the chain cannot be read.
   */
  claimedFromEscrow(distributor: string, member: number): Promise<bigint>;

  /**
   * `holder`'s balance of each token, read from the chain now (in the tokens' smallest unit).
   * Throws when the chain cannot be read.
   */
  tokenBalances(holder: string, tokens: readonly string[]): Promise<bigint[]>;

  /**
   * Checks a member's signed perk order (throws `OrderRefused` with the reason, writing
   * nothing) and queues it for the relayer, whose sender in the payout worker sends it. Throws
   * when this driver has no relayer key.
   */
  acceptPerkOrder(
    env: { db: Db; now: () => Date },
    campaign: CampaignContracts,
    member: { id: number; wallet: string | null },
    perkId: number,
    order: OrderInput,
  ): Promise<typeof chainPerkOrders.$inferSelect>;

  /**
   * A member's view of a campaign's shop read from the chain now: perks, order nonce, token
   * balances, allowances and permit data, badge balances (server/domain/perks.ts decides what
   * the member may redeem). Throws when the chain cannot be read.
   */
  shopState(q: ShopQuery): Promise<ShopChainState>;

  /** The ledger against the chain at the indexer's block, with every difference. */
  reconcile(db: Db, contracts: ContractIndex): Promise<ReconcileReport>;

  /**
   * The admin API's perk changes on this chain (server/chain/perkAdmin.ts): perks with their
   * state on-chain, and a create, change or retire planned (dry run) or applied as a rules
   * version with the campaign admin's key.
   */
  perkAdmin(env: PerkAdminEnv): PerkAdmin;
}

/** What {@link ChainDriver.shopState} reads for one member. */
export interface ShopQuery {
  shop: string;
  /** How many perks the campaign file lists (ids 1..n). */
  perkCount: number;
  wallet: string | null;
  /** Token addresses whose balances, allowances and permit data are wanted. */
  tokens: string[];
  badges?: { contract: string; ids: number[] };
}

/** The reads a chat or page shows a member (the bot's `/balance`): no signer, no jobs. */
export type ChainReads = Pick<ChainDriver, "tokenBalances" | "claimedFromEscrow" | "shopState">;
