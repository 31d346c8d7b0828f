/**
 * Reconciliation: does the ledger agree with the chain? Everything is compared at the block the
 * indexer has reached (the chain is read at that block, the database in one snapshot), per
 * campaign and token:
 *
 * - the ledger's paid total (entries settled on-chain, including escrow later expired) equals
 *   `ReferralPayouts.budgetOf(token).spent`, the contract's own running total, and the sum of
 *   the indexed payout events;
 * - every settled entry has its payout event, every payout event its settled entry;
 * - no entry the ledger still thinks unpaid is paid on-chain (`arePaid`);
 * - the indexed balances of each token add up to its `totalSupply` (tokens we mint; an external
 *   vault token's history before our deployment is not indexed).
 *
 * Each run is recorded per campaign (server/domain/reconciliations.ts): the admin console's
 * Overview shows a campaign's last result and its last difference.
 */
import { sql } from "drizzle-orm";
import type { PublicClient } from "viem";
import { type Db, queryRows } from "../db/index.ts";
import { recordReconciliation } from "../domain/reconciliations.ts";
import { referralPayoutsAbi, rewardTokenAbi } from "./abi.ts";
import type { ContractIndex } from "./contracts.ts";

export interface ReconcileLine {
  campaign: string;
  token: string;
  ledgerPaid: bigint;
  chainSpent: bigint;
  indexedPayouts: bigint;
  supply: bigint;
  indexedBalances: bigint;
}

export interface ReconcileReport {
  block: number | null;
  lines: ReconcileLine[];
  /** Human-readable differences; empty when the ledger and the chain agree. */
  differences: string[];
  /** The same differences by campaign id (the recorded per-campaign results). */
  byCampaign: Map<number, string[]>;
}

export async function reconcile(
  db: Db,
  client: PublicClient,
  contracts: ContractIndex,
  chainId: number,
): Promise<ReconcileReport> {
  const snapshot = await db.transaction(
    async (tx) => {
      const [cursor] = await queryRows<{ block_number: string }>(
        tx,
        sql`select block_number from chain_cursors where name = ${`indexer:${chainId}`}`,
      );
      const ledger = await queryRows<{ campaign_id: number; token: string; paid: string }>(
        tx,
        sql`select campaign_id, token, coalesce(sum(amount), 0)::text as paid from ledger_entries
            where state = 'settled' or (state = 'expired' and settled_at is not null)
            group by campaign_id, token`,
      );
      const indexed = await queryRows<{ campaign_id: number; token: string; paid: string }>(
        tx,
        sql`select campaign_id, token, sum(amount)::text as paid from chain_payouts group by campaign_id, token`,
      );
      const balances = await queryRows<{ token: string; total: string }>(
        tx,
        sql`select token, sum(balance)::text as total from chain_balances group by token`,
      );
      const settledWithoutEvent = await queryRows<{ id: string; campaign_id: number }>(
        tx,
        sql`select e.id, e.campaign_id from ledger_entries e
            where e.state = 'settled' and not exists (select 1 from chain_payouts p where p.entry_id = e.id)
            order by e.id limit 20`,
      );
      const eventWithoutEntry = await queryRows<{ payout_id: string; campaign_id: number }>(
        tx,
        sql`select p.payout_id, p.campaign_id from chain_payouts p
            where p.entry_id is null
               or not exists (select 1 from ledger_entries e where e.id = p.entry_id
                              and (e.state = 'settled' or (e.state = 'expired' and e.settled_at is not null)))
            order by p.payout_id limit 20`,
      );
      const unpaid = await queryRows<{ id: string; campaign_id: number }>(
        tx,
        sql`select id, campaign_id from ledger_entries
            where state in ('pending', 'queued', 'sent', 'failed') order by id`,
      );
      return { cursor, ledger, indexed, balances, settledWithoutEvent, eventWithoutEntry, unpaid };
    },
    { isolationLevel: "repeatable read" },
  );
  const report: ReconcileReport = {
    block: snapshot.cursor ? Number(snapshot.cursor.block_number) : null,
    lines: [],
    differences: [],
    byCampaign: new Map(contracts.campaigns.map((c) => [c.id, []])),
  };
  const differ = (campaignId: number, text: string) => {
    report.differences.push(text);
    const list = report.byCampaign.get(campaignId) ?? [];
    list.push(text);
    report.byCampaign.set(campaignId, list);
  };
  if (report.block === null) {
    if (snapshot.ledger.length > 0) {
      const text = "the indexer has not run: the ledger cannot be compared";
      report.differences.push(text);
      for (const c of new Set(snapshot.ledger.map((r) => r.campaign_id)))
        report.byCampaign.set(c, [...(report.byCampaign.get(c) ?? []), text]);
    }
    await record(db, report, contracts);
    return report;
  }
  const blockNumber = BigInt(report.block);
  const key = (campaignId: number, token: string) => `${campaignId}:${token}`;
  const ledger = new Map(snapshot.ledger.map((r) => [key(r.campaign_id, r.token), BigInt(r.paid)]));
  const indexed = new Map(
    snapshot.indexed.map((r) => [key(r.campaign_id, r.token), BigInt(r.paid)]),
  );
  const balances = new Map(snapshot.balances.map((r) => [r.token, BigInt(r.total)]));

  for (const c of contracts.campaigns) {
    for (const t of c.tokens.values()) {
      const [[, spent], supply] = await Promise.all([
        client.readContract({
          address: c.payouts,
          abi: referralPayoutsAbi,
          functionName: "budgetOf",
          args: [t.token],
          blockNumber,
        }),
        client.readContract({
          address: t.token,
          abi: rewardTokenAbi,
          functionName: "totalSupply",
          blockNumber,
        }),
      ]);
      const line: ReconcileLine = {
        campaign: c.slug,
        token: t.symbol,
        ledgerPaid: ledger.get(key(c.id, t.symbol)) ?? 0n,
        chainSpent: spent,
        indexedPayouts: indexed.get(key(c.id, t.symbol)) ?? 0n,
        supply,
        indexedBalances: balances.get(t.token.toLowerCase()) ?? 0n,
      };
      report.lines.push(line);
      const where = `${c.slug} ${t.symbol}`;
      if (line.ledgerPaid !== line.chainSpent)
        differ(
          c.id,
          `${where}: ledger paid ${line.ledgerPaid} wei, contract spent ${line.chainSpent} wei (difference ${line.chainSpent - line.ledgerPaid})`,
        );
      if (line.indexedPayouts !== line.chainSpent)
        differ(
          c.id,
          `${where}: indexed payouts ${line.indexedPayouts} wei, contract spent ${line.chainSpent} wei`,
        );
      // An external (vault) token existed before our deployment: the indexer sees only the
      // transfers since, so its balances cannot add up to the supply.
      if (!t.fromVault && line.indexedBalances !== line.supply)
        differ(
          c.id,
          `${where}: indexed balances ${line.indexedBalances} wei, total supply ${line.supply} wei`,
        );
    }
  }
  for (const r of snapshot.settledWithoutEvent)
    differ(r.campaign_id, `entry ${r.id} is settled but no payout event was indexed for it`);
  for (const r of snapshot.eventWithoutEntry)
    differ(
      r.campaign_id,
      `payout ${r.payout_id} of ${contracts.byId(r.campaign_id)?.slug ?? r.campaign_id} was paid on-chain but the ledger has no settled entry for it`,
    );
  // Entries the ledger still counts as unpaid must not be paid on-chain (a lost settlement).
  const byCampaign = new Map<number, bigint[]>();
  for (const r of snapshot.unpaid) {
    const list = byCampaign.get(r.campaign_id) ?? [];
    list.push(BigInt(r.id));
    byCampaign.set(r.campaign_id, list);
  }
  for (const [campaignId, ids] of byCampaign) {
    const c = contracts.byId(campaignId);
    if (!c) continue;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const paid = await client.readContract({
        address: c.payouts,
        abi: referralPayoutsAbi,
        functionName: "arePaid",
        args: [chunk],
        blockNumber,
      });
      paid.forEach((p, j) => {
        if (p)
          differ(campaignId, `entry ${chunk[j]} is paid on-chain but not settled in the ledger`);
      });
    }
  }
  await record(db, report, contracts);
  return report;
}

/** The run, recorded per campaign for the console (the campaign's own lines and differences). */
async function record(db: Db, report: ReconcileReport, contracts: ContractIndex): Promise<void> {
  await recordReconciliation(db, {
    blockNumber: report.block,
    at: new Date(),
    campaigns: [...report.byCampaign].map(([campaignId, differences]) => ({
      campaignId,
      differences,
      lines: report.lines
        .filter((l) => l.campaign === contracts.byId(campaignId)?.slug)
        .map((l) => ({
          token: l.token,
          ledgerPaid: l.ledgerPaid.toString(),
          chainSpent: l.chainSpent.toString(),
          indexedPayouts: l.indexedPayouts.toString(),
          supply: l.supply.toString(),
          indexedBalances: l.indexedBalances.toString(),
        })),
    })),
  });
}
