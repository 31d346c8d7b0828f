/**
 * Clawback of expired escrow: the unclaimed rewards of grants past their expiry go back to the
 * campaign's treasury through `RewardDistributor.clawback(amount)`, which only the campaign
 * admin may call and which takes only what no open root promises (`unpromised()`).
 *
 * The amount is exactly what the ledger has expired from that distributor's escrow, minus
 * what earlier clawbacks returned (from the indexed `ClawedBack` logs): the rewards members
 * can still claim in a later epoch stay in the distributor.
 */
import { sql } from "drizzle-orm";
import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import { type Db, queryRows } from "../db/index.ts";
import { rewardDistributorAbi, rewardTokenAbi } from "./abi.ts";
import type { TokenRef } from "./contracts.ts";
import { evmWalletClient } from "./evm/client.ts";

export interface ClawbackPlan {
  campaign: string;
  token: string;
  distributor: Address;
  /** Escrowed grants the ledger marked expired (wei). */
  expired: bigint;
  /** Already returned by earlier clawbacks (wei). */
  clawedBack: bigint;
  /** What the distributor holds (wei). */
  balance: bigint;
  /** What no open root promises (wei): the most a clawback may take now. */
  unpromised: bigint;
  /** What to claw back now (wei). */
  amount: bigint;
  latestEpoch: number;
  /** Unix seconds the latest root's window closes (its promise is reserved until then). */
  deadline: number;
  chainTime: number;
  /** Why nothing can be clawed back now, if so. */
  blocked?: string;
}

export async function planClawback(
  db: Db,
  client: PublicClient,
  ref: TokenRef,
): Promise<ClawbackPlan> {
  const distributor = ref.token.distributor;
  if (!distributor) throw new Error(`${ref.campaign.slug} ${ref.token.symbol} has no distributor`);
  const lower = distributor.toLowerCase();
  const [expired] = await queryRows<{ total: string }>(
    db,
    sql`select coalesce(sum(e.amount), 0)::text as total
        from chain_payouts p join ledger_entries e on e.id = p.entry_id
        where p.escrow and p.campaign_id = ${ref.campaign.id} and p.token = ${ref.token.symbol}
          and e.state = 'expired'`,
  );
  const [returned] = await queryRows<{ total: string }>(
    db,
    sql`select coalesce(sum(amount), 0)::text as total from chain_distributor_events
        where distributor = ${lower} and kind = 'clawback'`,
  );
  const [[latestEpoch, , deadline], balance, unpromised, block] = await Promise.all([
    client.readContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "latestEpoch",
    }),
    client.readContract({
      address: ref.token.token,
      abi: rewardTokenAbi,
      functionName: "balanceOf",
      args: [distributor],
    }),
    client.readContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "unpromised",
    }),
    client.getBlock({ blockTag: "latest" }),
  ]);
  const expiredTotal = BigInt(expired?.total ?? "0");
  const clawedBack = BigInt(returned?.total ?? "0");
  let owed = expiredTotal - clawedBack;
  if (owed < 0n) owed = 0n;
  const amount = owed < unpromised ? owed : unpromised;
  const plan: ClawbackPlan = {
    campaign: ref.campaign.slug,
    token: ref.token.symbol,
    distributor,
    expired: expiredTotal,
    clawedBack,
    balance,
    unpromised,
    amount,
    latestEpoch: Number(latestEpoch),
    deadline: Number(deadline),
    chainTime: Number(block.timestamp),
  };
  if (owed === 0n) plan.blocked = "nothing expired is left to claw back";
  else if (amount === 0n)
    plan.blocked = `the open roots promise all the distributor holds (epoch ${plan.latestEpoch} until ${new Date(
      plan.deadline * 1000,
    ).toISOString()})`;
  return plan;
}

/** Sends `clawback(plan.amount)` from the campaign admin's account and waits for its receipt. */
export async function executeClawback(
  client: PublicClient,
  admin: LocalAccount,
  plan: ClawbackPlan,
): Promise<{ hash: Hex; status: "success" | "reverted" }> {
  if (plan.blocked) throw new Error(`Cannot claw back: ${plan.blocked}.`);
  const { request } = await client.simulateContract({
    account: admin,
    address: plan.distributor,
    abi: rewardDistributorAbi,
    functionName: "clawback",
    args: [plan.amount],
  });
  const wallet = evmWalletClient(admin, { client });
  const hash = await wallet.writeContract(request);
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
  return { hash, status: receipt.status };
}
