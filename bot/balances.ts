/**
 * What `/balance` shows: the member's token balances read from the chain through the chain
 * seam (the chain is the truth, not our database), what is on its way (granted, not yet
 * settled), what the member can claim on-chain now and what waits in escrow for the next
 * epoch. The last three are the domain's figures (`rewardPosition`), the same the dashboard
 * and the API show.
 */
import { type Address, getAddress } from "viem";
import type { ChainReads } from "../server/chain/driver.ts";
import {
  type Campaign,
  type DomainContext,
  memberDeliveries,
  rewardPosition,
} from "../server/domain/index.ts";

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
  /** Claimable on-chain now (the root in effect minus what was claimed), per token. */
  claimable: Map<string, bigint>;
  /** In escrow, not claimable before the next epoch, per token. */
  inEscrow: Map<string, bigint>;
  /** Covered by the member's escrow release to their linked wallet, not confirmed yet. */
  releasing: Map<string, bigint>;
}

export async function balanceReport(
  domain: Pick<DomainContext, "db" | "now">,
  campaign: Campaign,
  member: { id: number; wallet: string | null },
  chain: ChainReads | undefined,
): Promise<BalanceReport> {
  const position = await rewardPosition(
    domain.db,
    campaign,
    member.id,
    domain.now(),
    chain && ((distributor, memberId) => chain.claimedFromEscrow(distributor, memberId)),
  );
  // The release (issue 12) takes escrowed grants out of `inEscrow` once planned: until the
  // chain confirms it, they are "being released", not gone.
  const releasing = new Map<string, bigint>();
  for (const t of (await memberDeliveries(domain.db, campaign, member.id, domain.now())).totals)
    if (t.amounts.releasing > 0n) releasing.set(t.token, t.amounts.releasing);
  const wallet = member.wallet ? getAddress(member.wallet) : null;
  const tokens = Object.entries(campaign.deployment?.tokens ?? {}).filter(
    (e): e is [string, { token: Address; distributor?: Address }] => e[1].token !== undefined,
  );
  const report: BalanceReport = { wallet, ...position, releasing };
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
  } catch (error) {
    report.onchain = undefined;
    report.chainError = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
  return report;
}
