/**
 * The payout side of the worker: turns queued outbox rows into `ReferralPayouts.pay` sends.
 *
 * Rows are claimed with `FOR UPDATE SKIP LOCKED` (the core's grant reversal skips locked rows
 * too, and takes no lock the worker waits for, so the two never deadlock), grouped per campaign
 * and token, and batched when a batch is full or its oldest row has waited the batch window.
 * The recipient is resolved at that moment: the member's linked wallet, else the token's
 * RewardDistributor (escrow, claimed later through a Merkle epoch).
 *
 * Before a batch is formed the campaign's on-chain state is read: a paused contract, a missing
 * payout role, or a budget, supply cap, per-batch limit or rolling daily limit the batch would
 * exceed *holds* that campaign's token (rows stay queued, an alert is raised and a gauge set)
 * instead of sending a transaction that would fail; a batch is cut to what the limits allow.
 * Held tokens are re-checked every `PAYOUT_HOLD_RECHECK_SECONDS`.
 */
import { type SQL, sql } from "drizzle-orm";
import {
  encodeFunctionData,
  erc20Abi,
  formatUnits,
  getAddress,
  keccak256,
  type PublicClient,
  toHex,
} from "viem";
import { type Db, queryRows } from "../../db/index.ts";
import {
  claimForBatch,
  expectMoved,
  holdPayouts,
  markBatchFailed,
  markBatchSent,
  requeueBatch,
  unclaimBatch,
} from "../../domain/ledgerTransitions.ts";
import { screenPayoutRows } from "../../domain/screening.ts";
import type { Logger } from "../../logger.ts";
import { referralPayoutsAbi, rewardTokenAbi } from "../abi.ts";
import type { ChainSettings } from "../config.ts";
import type { CampaignContracts, ContractIndex, TokenContracts } from "../contracts.ts";
import type { Failpoint } from "../failpoint.ts";
import type { ChainMetrics } from "../health.ts";
import { encodePayoutBatch, type PayoutInstruction } from "./payoutBatch.ts";
import type { Sender, SendHooks, SendRow } from "./sender.ts";

const PAYOUT_ROLE = keccak256(toHex("PAYOUT_ROLE"));

export type HoldReason =
  | "paused"
  | "budget"
  | "cap"
  | "vault"
  | "batch-limit"
  | "daily-limit"
  | "role"
  | "no-escrow"
  | "reverted";

interface Hold {
  reason: HoldReason;
  message: string;
  /** Re-check after this time (ms since epoch). */
  until: number;
}

export interface PayoutBatcherDeps {
  db: Db;
  client: PublicClient;
  contracts: ContractIndex;
  sender: Sender;
  settings: ChainSettings;
  logger: Logger;
  metrics: ChainMetrics;
  failpoint: Failpoint;
  now: () => Date;
}

export interface BatchReport {
  queued: number;
  created: number;
  held: Array<{ campaign: string; token: string; reason: HoldReason; message: string }>;
}

interface ClaimRow {
  entry_id: string | number;
  amount: string;
  member_id: string | number;
  level: number | null;
  referee_id: string | number | null;
  wallet: string | null;
}

/**
 * The next queued payouts of a campaign's token, lowest payout id first, locked (`SKIP LOCKED`:
 * another worker's rows are passed over), with what a batch needs of their entries. The rows
 * are picked and limited before anything is joined, through `payout_outbox_queued_idx` (the
 * queue in id order): joined first, PostgreSQL walked both primary keys from the first payout
 * ever made, every settled one included, whenever a backlog made queued rows look common.
 */
export function queuedPayoutsQuery(
  campaignId: number,
  token: string,
  now: Date,
  size: number,
): SQL {
  return sql`select o.entry_id, e.amount::text as amount, e.member_id, e.level, e.referee_id,
      mw.address as wallet
    from (select entry_id from payout_outbox
          where status = 'queued' and campaign_id = ${campaignId} and token = ${token}
            and next_attempt_at <= ${now}
          order by entry_id
          limit ${size}
          for update skip locked) o
    join ledger_entries e on e.id = o.entry_id
    left join member_wallets mw on mw.member_id = e.member_id
    order by o.entry_id`;
}

export class PayoutBatcher {
  readonly #d: PayoutBatcherDeps;
  readonly #holds = new Map<string, Hold>();

  constructor(deps: PayoutBatcherDeps) {
    this.#d = deps;
  }

  /** Holds a campaign's token after its simulation reverted (the sender released the batch). */
  holdAfterRevert(send: SendRow, errorName: string, errorText: string): void {
    if (send.campaignId === null || send.token === null) return;
    const ref = this.#d.contracts.token(send.campaignId, send.token);
    if (!ref) return;
    const reason: HoldReason =
      errorName === "EnforcedPause"
        ? "paused"
        : errorName === "ReferralPayoutsBudgetExceeded"
          ? "budget"
          : errorName === "ERC20ExceededCap"
            ? "cap"
            : errorName === "ReferralPayoutsBatchLimitExceeded"
              ? "batch-limit"
              : errorName === "ReferralPayoutsDailyLimitExceeded"
                ? "daily-limit"
                : errorName === "AccessControlUnauthorizedAccount"
                  ? "role"
                  : "reverted";
    this.#hold(ref.campaign, ref.token, reason, `simulation reverted: ${errorText}`);
  }

  /** Forms new batches while fewer than `maxInFlight` sends are open. */
  async run(inFlight: number): Promise<BatchReport> {
    const { db, settings } = this.#d;
    const now = this.#d.now();
    const groups = await queryRows<{
      campaign_id: number;
      token: string;
      n: number;
      oldest: string | Date;
    }>(
      db,
      sql`select campaign_id, token, count(*)::int as n, min(created_at) as oldest
          from payout_outbox where status = 'queued' and next_attempt_at <= ${now}
          group by campaign_id, token order by min(created_at)`,
    );
    const report: BatchReport = { queued: 0, created: 0, held: [] };
    for (const g of groups) report.queued += Number(g.n);
    this.#d.metrics.queueDepth.set(report.queued);
    let open = inFlight;
    for (const g of groups) {
      const ref = this.#d.contracts.token(Number(g.campaign_id), g.token);
      if (!ref) continue; // Not deployed on this chain: nothing to pay with.
      const { campaign, token } = ref;
      const size = Math.min(settings.payout.batchSize, token.maxBatch);
      let remaining = Number(g.n);
      while (remaining > 0 && open < settings.payout.maxInFlight) {
        const waited = now.getTime() - new Date(g.oldest).getTime();
        if (remaining < size && waited < settings.payout.batchWindowMs) break;
        const key = holdKey(campaign.id, token.symbol);
        const hold = this.#holds.get(key);
        if (hold && hold.until > now.getTime()) break;
        const guard = await this.#guard(campaign, token);
        if (!guard.ok) {
          this.#hold(campaign, token, guard.reason, guard.message);
          break;
        }
        const created = await this.#claim(campaign, token, size, guard.allowance);
        if (created === "none") break;
        this.#release(campaign, token);
        report.created++;
        open++;
        remaining -= created;
      }
    }
    for (const [key, hold] of this.#holds) {
      const [campaignId, symbol] = key.split(":");
      const ref = this.#d.contracts.token(Number(campaignId), symbol!);
      report.held.push({
        campaign: ref?.campaign.slug ?? String(campaignId),
        token: symbol!,
        reason: hold.reason,
        message: hold.message,
      });
    }
    return report;
  }

  #hold(campaign: CampaignContracts, token: TokenContracts, reason: HoldReason, message: string) {
    const key = holdKey(campaign.id, token.symbol);
    const previous = this.#holds.get(key);
    const text = `campaign ${campaign.slug} token ${token.symbol} held (${reason}): ${message}`;
    if (previous && previous.reason !== reason)
      this.#d.metrics.held.set(
        { campaign: campaign.slug, token: token.symbol, reason: previous.reason },
        0,
      );
    this.#holds.set(key, {
      reason,
      message: text,
      until: this.#d.now().getTime() + this.#d.settings.payout.holdRecheckSeconds * 1000,
    });
    this.#d.metrics.held.set({ campaign: campaign.slug, token: token.symbol, reason }, 1);
  }

  #release(campaign: CampaignContracts, token: TokenContracts) {
    const key = holdKey(campaign.id, token.symbol);
    const hold = this.#holds.get(key);
    if (!hold) return;
    this.#holds.delete(key);
    this.#d.metrics.held.set(
      { campaign: campaign.slug, token: token.symbol, reason: hold.reason },
      0,
    );
    this.#d.logger.info({ campaign: campaign.slug, symbol: token.symbol }, "payouts resumed");
  }

  /** What the campaign may still pay in this token on-chain, or why it may not pay at all. */
  async #guard(
    campaign: CampaignContracts,
    token: TokenContracts,
  ): Promise<{ ok: true; allowance: bigint } | { ok: false; reason: HoldReason; message: string }> {
    const { client } = this.#d;
    const signer = this.#d.sender.address;
    // A vault token (any ERC-20) has no pause or cap of ours: what bounds it is the vault's
    // balance, which plays the part of the cap (capLeft = balance, nothing minted).
    const [budget, paused, tokenPaused, cap, supply, hasRole] = await Promise.all([
      client.readContract({
        address: campaign.payouts,
        abi: referralPayoutsAbi,
        functionName: "budgetOf",
        args: [token.token],
      }),
      client.readContract({
        address: campaign.payouts,
        abi: referralPayoutsAbi,
        functionName: "paused",
      }),
      token.fromVault
        ? false
        : client.readContract({
            address: token.token,
            abi: rewardTokenAbi,
            functionName: "paused",
          }),
      token.fromVault
        ? client.readContract({
            address: token.token,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [campaign.payouts],
          })
        : client.readContract({ address: token.token, abi: rewardTokenAbi, functionName: "cap" }),
      token.fromVault
        ? 0n
        : client.readContract({
            address: token.token,
            abi: rewardTokenAbi,
            functionName: "totalSupply",
          }),
      client.readContract({
        address: campaign.payouts,
        abi: referralPayoutsAbi,
        functionName: "hasRole",
        args: [PAYOUT_ROLE, signer],
      }),
    ]);
    const [limit, spent, maxBatchAmount, , availableNow] = budget;
    if (!hasRole)
      return {
        ok: false,
        reason: "role",
        message: `signer ${signer} lacks PAYOUT_ROLE on ${campaign.payouts}`,
      };
    if (paused)
      return {
        ok: false,
        reason: "paused",
        message: `ReferralPayouts ${campaign.payouts} is paused`,
      };
    if (tokenPaused)
      return { ok: false, reason: "paused", message: `token ${token.token} is paused` };
    if (limit === 0n)
      return { ok: false, reason: "budget", message: `no on-chain budget set for ${token.token}` };
    if (!token.distributor)
      return {
        ok: false,
        reason: "no-escrow",
        message: "the deployment names no RewardDistributor",
      };
    // Sends not yet mined are not in `spent` or the supply; count them against both.
    const [row] = await queryRows<{ amount: string }>(
      this.#d.db,
      sql`select coalesce(sum(amount), 0)::text as amount from chain_sends
          where kind = 'payout' and campaign_id = ${campaign.id} and token = ${token.symbol}
            and status in ('pending', 'signed', 'sent')`,
    );
    const inFlight = BigInt(row?.amount ?? "0");
    const budgetLeft = limit - spent - inFlight;
    const capLeft = cap - supply - inFlight;
    // The rolling limit refills over time; sends not mined yet will still draw on it.
    const dailyLeft = availableNow - inFlight;
    const fmt = (v: bigint) => `${formatUnits(v < 0n ? 0n : v, token.decimals)} ${token.symbol}`;
    const [next] = await queryRows<{ amount: string }>(
      this.#d.db,
      sql`select e.amount::text as amount from payout_outbox o join ledger_entries e on e.id = o.entry_id
          where o.status = 'queued' and o.campaign_id = ${campaign.id} and o.token = ${token.symbol}
          order by o.entry_id limit 1`,
    );
    const need = BigInt(next?.amount ?? "0");
    if (need > budgetLeft)
      return {
        ok: false,
        reason: "budget",
        message: `on-chain budget left ${fmt(budgetLeft)}, next payout needs ${fmt(need)}`,
      };
    if (need > capLeft)
      return {
        ok: false,
        reason: token.fromVault ? "vault" : "cap",
        message: token.fromVault
          ? `the vault (${campaign.payouts}) holds ${fmt(capLeft)} not yet sent, next payout needs ${fmt(need)}: fund it`
          : `token supply cap leaves ${fmt(capLeft)}, next payout needs ${fmt(need)}`,
      };
    if (need > maxBatchAmount)
      return {
        ok: false,
        reason: "batch-limit",
        message: `per-batch limit ${fmt(maxBatchAmount)} is below one payout of ${fmt(need)}`,
      };
    if (need > dailyLeft)
      return {
        ok: false,
        reason: "daily-limit",
        message: `rolling daily limit leaves ${fmt(dailyLeft)} now, next payout needs ${fmt(need)}`,
      };
    const allowance = [budgetLeft, capLeft, maxBatchAmount, dailyLeft].reduce((a, b) =>
      a < b ? a : b,
    );
    return { ok: true, allowance };
  }

  /**
   * Claims up to `size` queued rows (as many as `allowance` covers) into a new pending send.
   * Returns how many rows it took, or "none".
   */
  async #claim(
    campaign: CampaignContracts,
    token: TokenContracts,
    size: number,
    allowance: bigint,
  ): Promise<number | "none"> {
    const { db, sender } = this.#d;
    const now = this.#d.now();
    const escrow = token.distributor!;
    const created = await db.transaction(async (tx) => {
      const rows = await queryRows<ClaimRow>(
        tx,
        queuedPayoutsQuery(campaign.id, token.symbol, now, size),
      );
      // Screening before anything is sent: a payout to a listed wallet is held with the
      // reason (escrow, the distributor, is never listed), the rest go out as usual.
      const listed = await screenPayoutRows(
        tx,
        rows.map((r) => ({ entryId: Number(r.entry_id), wallet: r.wallet })),
      );
      if (listed.size > 0) {
        const held = [...listed].map(([entryId, reason]) => ({ entryId, reason }));
        expectMoved("hold", held.length, await holdPayouts(tx, held, now));
        this.#d.logger.warn(
          { campaign: campaign.slug, symbol: token.symbol, held: held.map((h) => h.entryId) },
          "payouts held: recipient on a screening list",
        );
      }
      const payouts: PayoutInstruction[] = [];
      let total = 0n;
      for (const r of rows) {
        if (listed.has(Number(r.entry_id))) continue;
        const amount = BigInt(r.amount);
        if (total + amount > allowance) break;
        total += amount;
        payouts.push({
          payoutId: BigInt(r.entry_id),
          recipient: r.wallet ? getAddress(r.wallet) : escrow,
          amount,
          referee: BigInt(r.referee_id ?? 0),
          level: r.level ?? 0,
        });
      }
      if (payouts.length === 0) return undefined;
      const { transfers, meta } = encodePayoutBatch(payouts);
      const data = encodeFunctionData({
        abi: referralPayoutsAbi,
        functionName: "pay",
        args: [token.token, transfers, meta],
      });
      const send = await sender.create(tx, {
        kind: "payout",
        target: campaign.payouts,
        data,
        campaignId: campaign.id,
        token: token.symbol,
        payoutCount: payouts.length,
        amount: total,
      });
      const claimed = await claimForBatch(
        tx,
        send.id,
        payouts.map((p) => ({ entryId: Number(p.payoutId), recipient: p.recipient })),
        now,
      );
      // The rows are locked by this transaction, so all of them move; if not, the batch
      // (already encoded) must not go out: the error rolls it back.
      expectMoved("claim", payouts.length, claimed);
      return {
        send,
        count: payouts.length,
        escrowed: payouts.filter((p) => p.recipient === escrow).length,
      };
    });
    if (!created) return "none";
    this.#d.metrics.payoutsSent.inc(created.count);
    this.#d.logger.info(
      {
        send: created.send.id,
        campaign: campaign.slug,
        symbol: token.symbol,
        payouts: created.count,
        escrowed: created.escrowed,
      },
      "payout batch formed",
    );
    this.#d.failpoint("after-claim");
    return created.count;
  }

  /** What payout sends do to the outbox and the ledger as they move. */
  hooks(): SendHooks {
    const now = () => this.#d.now();
    const recheck = () =>
      new Date(now().getTime() + this.#d.settings.payout.holdRecheckSeconds * 1000);
    return {
      signed: async (tx, send, hash, first) => {
        await markBatchSent(tx, send.id, { nonce: send.nonce, txHash: hash, first }, now());
      },
      released: async (tx, send, reason) => {
        await unclaimBatch(tx, send.id, reason, recheck(), now());
      },
      reverted: async (tx, send, error) => {
        await markBatchFailed(tx, send.id, error, now());
      },
      replaced: async (tx, send) => {
        await requeueBatch(tx, send.id, now());
      },
    };
  }
}

const holdKey = (campaignId: number, symbol: string) => `${campaignId}:${symbol}`;
