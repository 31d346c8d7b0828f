/**
 * What `/balance` shows: the member's token balances read from the chain with viem (the
 * chain is the truth, not our database), what is on its way (granted, not yet settled), and
 * what is held for them in the campaign's RewardDistributor escrow and not yet claimed
 * (settled payouts whose recipient was the escrow, minus what they claimed: the distributor
 * keeps claims per member number).
 */
import { and, eq, sql } from "drizzle-orm";
import { type Address, getAddress } from "viem";
import type { ChainReads } from "../server/chain/driver.ts";
import type { Db } from "../server/db/index.ts";
import { ledgerEntries, payoutOutbox } from "../server/db/schema.ts";
import { type Campaign, memberStats } from "../server/domain/index.ts";

export interface TokenBalance {
  symbol: string;
  token: Address;
  /** On-chain `balanceOf(wallet)`. */
  balance: bigint;
}

export interface BalanceReport {
  wallet: Address | null;
  /** `undefined` when there is no chain to read (no RPC or no deployment). */
  onchain?: TokenBalance[];
  /** Set when the chain could not be read. */
  chainError?: string;
  /** Granted and not yet settled, per token. */
  pending: Map<string, bigint>;
  /** In escrow for the member and not claimed, per token. */
  claimable: Map<string, bigint>;
}

/** Settled payouts that went to each token's escrow for this member (our ledger). */
async function escrowed(
  db: Db,
  campaign: Campaign,
  memberId: number,
): Promise<Map<string, bigint>> {
  const rows = await db
    .select({
      token: ledgerEntries.token,
      recipient: sql<string | null>`lower(${payoutOutbox.recipient})`,
      amount: sql<string>`sum(${ledgerEntries.amount})::text`,
    })
    .from(ledgerEntries)
    .innerJoin(payoutOutbox, eq(payoutOutbox.entryId, ledgerEntries.id))
    .where(
      and(
        eq(ledgerEntries.memberId, memberId),
        eq(ledgerEntries.campaignId, campaign.id),
        eq(ledgerEntries.state, "settled"),
      ),
    )
    .groupBy(ledgerEntries.token, sql`lower(${payoutOutbox.recipient})`);
  const out = new Map<string, bigint>();
  for (const r of rows) {
    const escrow = campaign.deployment?.tokens[r.token]?.distributor?.toLowerCase();
    if (escrow !== undefined && r.recipient === escrow)
      out.set(r.token, (out.get(r.token) ?? 0n) + BigInt(r.amount));
  }
  return out;
}

export async function balanceReport(
  db: Db,
  campaign: Campaign,
  member: { id: number; wallet: string | null },
  chain: ChainReads | undefined,
): Promise<BalanceReport> {
  const stats = await memberStats(db, campaign, member.id);
  const pending = new Map<string, bigint>();
  for (const r of stats.rewards) {
    const p = (r.byState.pending ?? 0n) + (r.byState.queued ?? 0n) + (r.byState.sent ?? 0n);
    if (p > 0n) pending.set(r.token, p);
  }
  const held = await escrowed(db, campaign, member.id);
  const wallet = member.wallet ? getAddress(member.wallet) : null;
  const tokens = Object.entries(campaign.deployment?.tokens ?? {}).filter(
    (e): e is [string, { token: Address; distributor?: Address }] => e[1].token !== undefined,
  );
  const report: BalanceReport = { wallet, pending, claimable: new Map(held) };
  if (chain === undefined || tokens.length === 0) return report;
  if (wallet === null) {
    report.onchain = [];
    return report;
  }
  try {
    const balances = await chain.tokenBalances(
      wallet,
      tokens.map(([, t]) => t.token),
    );
    report.onchain = tokens.map(([symbol, t], i) => ({
      symbol,
      token: t.token,
      balance: balances[i]!,
    }));
    // What the member already claimed from each escrow is no longer held there.
    for (const [symbol, t] of tokens) {
      const inEscrow = held.get(symbol);
      if (inEscrow === undefined || t.distributor === undefined) continue;
      const claimed = await chain.claimedFromEscrow(t.distributor, member.id);
      const left = inEscrow > claimed ? inEscrow - claimed : 0n;
      if (left > 0n) report.claimable.set(symbol, left);
      else report.claimable.delete(symbol);
    }
  } catch (error) {
    report.onchain = undefined;
    report.chainError = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
  return report;
}
