/**
 * Ledger invariants, checked straight from the tables (reused by domain, HTTP and property
 * tests, and by the payout worker's tests later).
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, queryRows } from "../../server/db/index.ts";

export interface LedgerTotals {
  entries: number;
  outbox: number;
  /** Per `${campaignId}:${token}`: budget, granted column, active entry sum, debit and credit sums. */
  tokens: Map<
    string,
    { budget: bigint; granted: bigint; active: bigint; debits: bigint; credits: bigint }
  >;
}

export async function ledgerTotals(db: DatabaseHandle): Promise<LedgerTotals> {
  const [counts] = await queryRows<{ entries: number; outbox: number }>(
    db.db,
    sql`select (select count(*) from ledger_entries)::int as entries, (select count(*) from payout_outbox)::int as outbox`,
  );
  const rows = await queryRows<{
    campaign_id: number;
    symbol: string;
    budget: string;
    granted: string;
    active: string;
    debits: string;
    credits: string;
  }>(
    db.db,
    sql`select t.campaign_id, t.symbol, t.budget::text, t.granted::text,
          (select coalesce(sum(amount), 0) from ledger_entries e
            where e.campaign_id = t.campaign_id and e.token = t.symbol and e.state not in ('expired', 'rejected'))::text as active,
          (select coalesce(sum(amount), 0) from ledger_postings p
            where p.campaign_id = t.campaign_id and p.token = t.symbol and p.side = 'debit')::text as debits,
          (select coalesce(sum(amount), 0) from ledger_postings p
            where p.campaign_id = t.campaign_id and p.token = t.symbol and p.side = 'credit')::text as credits
        from campaign_tokens t`,
  );
  const tokens = new Map<
    string,
    { budget: bigint; granted: bigint; active: bigint; debits: bigint; credits: bigint }
  >();
  for (const r of rows) {
    tokens.set(`${r.campaign_id}:${r.symbol}`, {
      budget: BigInt(r.budget),
      granted: BigInt(r.granted),
      active: BigInt(r.active),
      debits: BigInt(r.debits),
      credits: BigInt(r.credits),
    });
  }
  return { entries: Number(counts?.entries ?? 0), outbox: Number(counts?.outbox ?? 0), tokens };
}

/** Asserts the ledger's invariants: balanced postings, one outbox row per entry, budget kept. */
export async function assertLedgerConsistent(db: DatabaseHandle): Promise<LedgerTotals> {
  const totals = await ledgerTotals(db);
  assert.equal(totals.outbox, totals.entries, "one outbox row per ledger entry");
  for (const [key, t] of totals.tokens) {
    assert.equal(t.debits, t.credits, `debits = credits for ${key}`);
    assert.equal(t.granted, t.active, `granted column = active entries for ${key}`);
    assert.ok(t.granted <= t.budget, `budget never exceeded for ${key}`);
  }
  const unbalanced = await queryRows<{ entry_id: string }>(
    db.db,
    sql`select entry_id::text from ledger_postings group by entry_id
        having sum(case when side = 'debit' then amount else -amount end) <> 0`,
  );
  assert.deepEqual(unbalanced, [], "every entry's postings balance");
  return totals;
}
