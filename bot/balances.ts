/**
 * What `/balance` shows: the member's token balances read from the chain with viem (the
 * chain is the truth, not our database), what is on its way (granted, not yet settled), what
 * the member can claim on-chain now and what waits in escrow for the next epoch. The last
 * three are the domain's figures (`rewardPosition`), the same the dashboard and the API show.
 */
import { type Address, erc20Abi, getAddress, type PublicClient } from "viem";
import {
  type Campaign,
  type ClaimedReader,
  type DomainContext,
  rewardPosition,
} from "../server/domain/index.ts";

const distributorAbi = [
  {
    type: "function",
    name: "claimed",
    stateMutability: "view",
    inputs: [{ name: "member", type: "uint256" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

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
}

/** What a distributor recorded as claimed by a member number, read on-chain. */
function claimedReader(client: PublicClient): ClaimedReader {
  return (distributor, memberId) =>
    client.readContract({
      address: getAddress(distributor),
      abi: distributorAbi,
      functionName: "claimed",
      args: [BigInt(memberId)],
    });
}

export async function balanceReport(
  domain: Pick<DomainContext, "db" | "now">,
  campaign: Campaign,
  member: { id: number; wallet: string | null },
  client: PublicClient | undefined,
): Promise<BalanceReport> {
  const position = await rewardPosition(
    domain.db,
    campaign,
    member.id,
    domain.now(),
    client && claimedReader(client),
  );
  const wallet = member.wallet ? getAddress(member.wallet) : null;
  const tokens = Object.entries(campaign.deployment?.tokens ?? {}).filter(
    (e): e is [string, { token: Address; distributor?: Address }] => e[1].token !== undefined,
  );
  const report: BalanceReport = { wallet, ...position };
  if (client === undefined || tokens.length === 0) return report;
  if (wallet === null) {
    report.onchain = [];
    return report;
  }
  try {
    report.onchain = await Promise.all(
      tokens.map(async ([symbol, t]) => ({
        symbol,
        token: t.token,
        balance: await client.readContract({
          address: t.token,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [wallet],
        }),
      })),
    );
  } catch (error) {
    report.onchain = undefined;
    report.chainError = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
  return report;
}
