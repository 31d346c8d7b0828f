import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { parseUnits } from "viem";
import { pgErrorCode } from "../../../server/db/index.ts";
import { ledgerEntries, ledgerPostings, payoutOutbox } from "../../../server/db/schema.ts";
import {
  BudgetExceededError,
  expireGrants,
  idempotencyKeys,
  lockBudgets,
  writeGrant,
} from "../../../server/domain/ledger.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY } from "../../support/clock.ts";
import { openTestDatabase, postgresTest, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";

const REF = (n: string) => parseUnits(n, 18);

test("a grant is one entry, two balanced postings and one queued outbox row; its key cannot be written twice", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(1);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    const grant = {
      campaignId: campaign.id,
      token: "REF",
      memberId: m.id,
      amount: REF("3"),
      kind: "adjustment" as const,
      idempotencyKey: "adjustment:test:1",
      now: d.clock.now(),
    };
    const first = await db.db.transaction(async (tx) => {
      await lockBudgets(tx, campaign.id, ["REF"]);
      return writeGrant(tx, grant);
    });
    const second = await db.db.transaction(async (tx) => {
      await lockBudgets(tx, campaign.id, ["REF"]);
      return writeGrant(tx, grant);
    });
    assert.equal(first.created, true);
    assert.deepEqual(second, { entryId: first.entryId, created: false });
    const postings = await db.db
      .select()
      .from(ledgerPostings)
      .where(eq(ledgerPostings.entryId, first.entryId));
    assert.deepEqual(postings.map((p) => [p.account, p.side, p.amount, p.memberId]).sort(), [
      ["budget", "debit", REF("3"), null],
      ["member", "credit", REF("3"), m.id],
    ]);
    const outbox = await db.db.select().from(payoutOutbox);
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0]?.entryId, first.entryId);
    const totals = await assertLedgerConsistent(db);
    assert.equal(totals.entries, 1);

    // The unique constraint itself refuses a raw duplicate.
    await assert.rejects(
      db.db.insert(ledgerEntries).values({
        campaignId: campaign.id,
        token: "REF",
        memberId: m.id,
        amount: 1n,
        kind: "adjustment",
        idempotencyKey: "adjustment:test:1",
        state: "queued",
      }),
      (e) => pgErrorCode(e) === "23505",
    );
  });
});

test("entry, postings and outbox commit or roll back together", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(1);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    await assert.rejects(
      db.db.transaction(async (tx) => {
        await writeGrant(tx, {
          campaignId: campaign.id,
          token: "REF",
          memberId: m.id,
          amount: REF("1"),
          kind: "adjustment",
          idempotencyKey: idempotencyKeys.challenge(campaign.id, "x", m.id),
          now: d.clock.now(),
        });
        throw new Error("crash after the write");
      }),
      /crash after the write/,
    );
    const totals = await assertLedgerConsistent(db);
    assert.equal(totals.entries, 0);
    assert.equal(totals.outbox, 0);
    assert.equal([...totals.tokens.values()][0]?.granted, 0n);
  });
});

test("the database refuses to overspend a budget even if the caller forgot to check", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({
          tokens: [
            {
              symbol: "REF",
              name: "R",
              decimals: 18,
              cap: "100",
              budget: "5",
              maxBatch: 10,
              maxBatchAmount: "5",
              dailyLimit: "5",
            },
          ],
        }),
      ],
    });
    const m = await d.member(1);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    await assert.rejects(
      db.db.transaction((tx) =>
        writeGrant(tx, {
          campaignId: campaign.id,
          token: "REF",
          memberId: m.id,
          amount: REF("6"),
          kind: "adjustment",
          idempotencyKey: "adjustment:over",
          now: d.clock.now(),
        }),
      ),
      BudgetExceededError,
    );
    assert.equal((await assertLedgerConsistent(db)).entries, 0);
  });
});

test("unclaimed grants expire after the campaign's expiry and return to the budget", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [testCampaign({ expiry: { days: 30 } })] });
    const [a, b, c] = [await d.member(1), await d.member(2), await d.member(3)];
    await d.refer(a, b);
    await d.refer(a, c);
    await qualify(d.ctx, b.id, { type: "wallet_linked" });
    await qualify(d.ctx, c.id, { type: "wallet_linked" });
    const [e1, e2] = await db.db.select().from(ledgerEntries).orderBy(ledgerEntries.id);
    assert.ok(e1 && e2);
    assert.equal(e1.expiresAt?.getTime(), d.clock.now().getTime() + 30 * DAY);
    // The payout worker already sent the second one: it must not expire.
    await db.db
      .update(ledgerEntries)
      .set({ state: "sent", sentAt: d.clock.now() })
      .where(eq(ledgerEntries.id, e2.id));
    await db.db.update(payoutOutbox).set({ status: "sent" }).where(eq(payoutOutbox.entryId, e2.id));

    assert.equal(await expireGrants(db.db, d.clock.now()), 0);
    d.clock.advance(30 * DAY);
    assert.equal(await expireGrants(db.db, d.clock.now()), 1);
    assert.equal(await expireGrants(db.db, d.clock.now()), 0, "idempotent");
    const [x1] = await db.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, e1.id));
    const [x2] = await db.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, e2.id));
    assert.equal(x1?.state, "expired");
    assert.ok(x1?.expiredAt);
    assert.equal(x2?.state, "sent");
    const [o1] = await db.db.select().from(payoutOutbox).where(eq(payoutOutbox.entryId, e1.id));
    assert.equal(o1?.status, "cancelled");
    const totals = await assertLedgerConsistent(db);
    const t0 = [...totals.tokens.values()][0]!;
    assert.equal(t0.granted, REF("10"), "only the sent grant still counts against the budget");
    const reversals = await db.db
      .select()
      .from(ledgerPostings)
      .where(eq(ledgerPostings.reversal, true));
    assert.equal(reversals.length, 2);
  });
});

// Needs two connections at once, i.e. PostgreSQL (PGlite runs one transaction at a time).
postgresTest(
  "expiry skips outbox rows the payout worker holds (FOR UPDATE SKIP LOCKED)",
  async () => {
    const db = await openTestDatabase("postgres", 4);
    try {
      const d = await testDomain(db, { campaigns: [testCampaign({ expiry: { days: 1 } })] });
      const [a, b] = [await d.member(1), await d.member(2)];
      await d.refer(a, b);
      await qualify(d.ctx, b.id, { type: "wallet_linked" });
      d.clock.advance(2 * DAY);
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      // A "worker" transaction claims the row and keeps it.
      const worker = db.db.transaction(async (tx) => {
        const rows = await tx.execute(
          sql`select entry_id from payout_outbox where status = 'queued' for update skip locked`,
        );
        assert.equal((rows as unknown as { rows: unknown[] }).rows.length, 1);
        locked();
        await held;
      });
      await isLocked;
      assert.equal(
        await expireGrants(db.db, d.clock.now()),
        0,
        "the held row is skipped, not waited for",
      );
      release();
      await worker;
      assert.equal(await expireGrants(db.db, d.clock.now()), 1);
      await assertLedgerConsistent(db);
    } finally {
      await db.close();
    }
  },
);
