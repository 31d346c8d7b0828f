/**
 * Qualifications at the same time, on PostgreSQL (PGlite has one connection): the budget is
 * never exceeded however many grants race for its last part, and a grant in progress does not
 * hold the campaign's budget row: others go through while it waits.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { parseUnits } from "viem";
import { type DatabaseHandle, queryRows } from "../../../server/db/index.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { testCampaign } from "../../support/campaign.ts";
import { openTestDatabase, postgresTest } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";

const REF = (n: string) => parseUnits(n, 18);
const wallet = { type: "wallet_linked" } as const;

function budgetCampaign(budget: string) {
  return testCampaign({
    tokens: [
      {
        symbol: "REF",
        name: "Referral",
        decimals: 18,
        cap: "100000",
        budget,
        maxBatch: 10,
        maxBatchAmount: budget,
        dailyLimit: budget,
      },
    ],
    levels: [{ level: 1, token: "REF", amount: "10" }],
  });
}

async function withPostgres(body: (db: DatabaseHandle) => Promise<void>) {
  const db = await openTestDatabase("postgres", 24);
  try {
    await body(db);
  } finally {
    await db.close();
  }
}

/** Pairs of referrer and referee, each referee attributed to its own referrer. */
async function pairs(d: Awaited<ReturnType<typeof testDomain>>, n: number, from = 0) {
  const out: Array<{ referrer: number; referee: number }> = [];
  for (let i = 0; i < n; i++) {
    const referrer = await d.member(1000 + from + i);
    const referee = await d.member(5000 + from + i);
    await d.refer(referrer, referee);
    out.push({ referrer: referrer.id, referee: referee.id });
  }
  return out;
}

async function sessionsWaitingForALock(db: DatabaseHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db.db,
    sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return row?.n ?? 0;
}

postgresTest(
  "many qualifications at once never exceed the budget: the last grant is cut, the rest get nothing",
  async () => {
    await withPostgres(async (db) => {
      // 40 referrals of 10 REF against 255: 25 paid in full, one cut to 5, 14 paid nothing.
      const d = await testDomain(db, { campaigns: [budgetCampaign("255")] });
      const all = await pairs(d, 40);
      const outcomes = await Promise.all(all.map((p) => qualify(d.ctx, p.referee, wallet)));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        all.map(() => "qualified"),
      );
      const totals = await assertLedgerConsistent(db);
      assert.equal([...totals.tokens.values()][0]?.granted, REF("255"));
      const amounts = await queryRows<{ amount: string; n: number }>(
        db.db,
        sql`select amount::text as amount, count(*)::int as n from ledger_entries
            group by ledger_entries.amount order by ledger_entries.amount`,
      );
      assert.deepEqual(amounts, [
        { amount: REF("5").toString(), n: 1 },
        { amount: REF("10").toString(), n: 25 },
      ]);
    });
  },
);

postgresTest(
  "a grant in progress does not hold the budget row: another qualifies while it waits",
  async () => {
    await withPostgres(async (db) => {
      const d = await testDomain(db, { campaigns: [budgetCampaign("1000")] });
      const [first, second] = await pairs(d, 2);
      // A transaction of the test's own holds the first referrer's counters: the first
      // qualification plans and writes its grant, then waits for them (moving the referral
      // to qualified), with its transaction open.
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding!: () => void;
      const held = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const blocker = db.db.transaction(async (tx) => {
        await tx.execute(
          sql`select * from referral_counters where member_id = ${first!.referrer} for update`,
        );
        holding();
        await released;
      });
      await held;
      const waiting = qualify(d.ctx, first!.referee, wallet);
      while ((await sessionsWaitingForALock(db)) < 1) await new Promise((r) => setImmediate(r));
      // With the budget row locked for the first one's whole transaction, this one would wait
      // too (a second session waiting for a lock) and never finish before the release.
      const other = qualify(d.ctx, second!.referee, wallet).then((o) => ({ done: o }));
      let outcome: Awaited<typeof other> | undefined;
      void other.then((o) => {
        outcome = o;
      });
      while (outcome === undefined) {
        assert.ok((await sessionsWaitingForALock(db)) < 2, "the second qualification waits");
        await new Promise((r) => setImmediate(r));
      }
      assert.equal(outcome.done.status, "qualified");
      release();
      await blocker;
      assert.equal((await waiting).status, "qualified");
      const totals = await assertLedgerConsistent(db);
      assert.equal([...totals.tokens.values()][0]?.granted, REF("20"));
    });
  },
);
