/**
 * The ledger's transition table, checked against the statements built from it: every
 * transition moves every (entry state, outbox status) pair its `from` lists allow to its `to`
 * states, and refuses every other pair, writing nothing (entry, outbox row, postings, budget).
 * Fixtures put entries into a state with plain SQL; only the domain's functions move them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq, sql } from "drizzle-orm";
import type { DatabaseHandle, Db } from "../../../server/db/index.ts";
import {
  campaignTokens,
  ENTRY_STATES,
  type EntryState,
  ledgerEntries,
  ledgerPostings,
  OUTBOX_STATUSES,
  type OutboxStatus,
  payoutOutbox,
} from "../../../server/db/schema.ts";
import {
  expireEscrowedGrants,
  lockBudgets,
  reverseGrants,
  writeGrant,
} from "../../../server/domain/ledger.ts";
import {
  claimForBatch,
  expectMoved,
  holdPayouts,
  LEDGER_TRANSITIONS,
  type LedgerTransition,
  LedgerTransitionError,
  type LedgerTransitionName,
  markBatchFailed,
  markBatchSent,
  requeueBatch,
  requeueFailedPayouts,
  settlePaidInBlocks,
  unclaimBatch,
  unholdPayouts,
  unsettleEntries,
} from "../../../server/domain/ledgerTransitions.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const WALLET = "0x00000000000000000000000000000000000000aa";
const TX = `0x${"ab".repeat(32)}`;
/** Each fixture entry gets its own batch and paying block, so a run touches only it. */
const batchOf = (id: number) => 100_000 + id;
const blockOf = (id: number) => 200_000 + id;

/**
 * How each transition is invoked on one entry (the batch, block or id it selects by);
 * `grant` creates rows and is checked on its own. Typed over the table's names, so a
 * transition added to the table without a case here does not compile.
 */
const RUN: Record<
  Exclude<LedgerTransitionName, "grant">,
  (tx: Db, id: number, now: Date) => Promise<number>
> = {
  claim: (tx, id, now) => claimForBatch(tx, batchOf(id), [{ entryId: id, recipient: WALLET }], now),
  unclaim: (tx, id, now) => unclaimBatch(tx, batchOf(id), "simulation reverted", now, now),
  markSent: (tx, id, now) =>
    markBatchSent(tx, batchOf(id), { nonce: 7, txHash: TX, first: true }, now),
  markFailed: (tx, id, now) => markBatchFailed(tx, batchOf(id), "Paused()", now),
  requeueReplaced: (tx, id, now) => requeueBatch(tx, batchOf(id), now),
  requeueFailed: async (tx, id, now) =>
    (await requeueFailedPayouts(tx, { entryIds: [id] }, now)).length,
  settle: async (tx, id, now) =>
    (await settlePaidInBlocks(tx, { from: blockOf(id), to: blockOf(id) }, now)).length,
  unsettle: (tx, id, now) => unsettleEntries(tx, [id], now),
  expire: (tx, id, now) => reverseGrants(tx, [id], "expired", now, "expired unclaimed"),
  reject: (tx, id, now) => reverseGrants(tx, [id], "rejected", now, "member banned"),
  expireEscrow: (tx, id, now) => expireEscrowedGrants(tx, [id], now),
  hold: (tx, id, now) => holdPayouts(tx, [{ entryId: id, reason: "listed" }], now),
  unhold: (tx, id, now) => unholdPayouts(tx, [id], now),
};

interface Fixture {
  db: DatabaseHandle;
  campaignId: number;
  memberId: number;
  now: Date;
  seq: number;
}

/** A REF adjustment grant of `amount` wei to the fixture's member, written as the domain does. */
function adjustmentGrant(f: Fixture, amount: bigint, idempotencyKey: string) {
  return f.db.db.transaction(async (tx) => {
    await lockBudgets(tx, f.campaignId, ["REF"]);
    return writeGrant(tx, {
      campaignId: f.campaignId,
      token: "REF",
      memberId: f.memberId,
      amount,
      kind: "adjustment",
      idempotencyKey,
      now: f.now,
    });
  });
}

/** A fresh 1-wei grant placed in (`state`, `status`), with its batch and its on-chain payout. */
async function entryIn(f: Fixture, state: EntryState, status: OutboxStatus): Promise<number> {
  const { entryId } = await adjustmentGrant(f, 1n, `adjustment:transitions:${f.seq++}`);
  await f.db.db
    .update(ledgerEntries)
    .set({ state, txHash: state === "queued" || state === "pending" ? null : TX })
    .where(eq(ledgerEntries.id, entryId));
  await f.db.db
    .update(payoutOutbox)
    .set({ status, batchId: batchOf(entryId) })
    .where(eq(payoutOutbox.entryId, entryId));
  await f.db.db.execute(
    sql`insert into chain_payouts (campaign_id, payout_id, token, amount, escrow, entry_id, tx_hash,
          block_number)
        values (${f.campaignId}, ${entryId}, 'REF', 1, true, ${entryId}, ${TX}, ${blockOf(entryId)})`,
  );
  return entryId;
}

/** Everything a transition could write about an entry. */
async function snapshot(f: Fixture, id: number) {
  const [entry] = await f.db.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, id));
  const [outbox] = await f.db.db.select().from(payoutOutbox).where(eq(payoutOutbox.entryId, id));
  const postings = await f.db.db
    .select({ id: ledgerPostings.id })
    .from(ledgerPostings)
    .where(eq(ledgerPostings.entryId, id));
  const [budget] = await f.db.db
    .select({ granted: campaignTokens.granted })
    .from(campaignTokens)
    .where(and(eq(campaignTokens.campaignId, f.campaignId), eq(campaignTokens.symbol, "REF")));
  assert.ok(entry && outbox && budget);
  return { entry, outbox, postings: postings.length, granted: budget.granted };
}

/** A domain with one member, in the campaign running now. */
async function fixture(db: DatabaseHandle): Promise<Fixture> {
  const d = await testDomain(db);
  const m = await d.member(1);
  const now = d.clock.now();
  return {
    db,
    campaignId: d.ctx.campaigns.resolve(undefined, now).id,
    memberId: m.id,
    now,
    seq: 0,
  };
}

const run = (f: Fixture, name: keyof typeof RUN, id: number) =>
  f.db.db.transaction((tx) => RUN[name](tx, id, f.now));

test("every transition in the table moves exactly the pairs it allows, and refuses every other pair without writing", async (t) => {
  await withDatabases(t, async (db) => {
    const f = await fixture(db);
    for (const name of Object.keys(RUN) as Array<keyof typeof RUN>) {
      const tr: LedgerTransition = LEDGER_TRANSITIONS[name];
      // Allowed: every combination of the `from` lists.
      for (const state of tr.entry.from)
        for (const status of tr.outbox.from) {
          const id = await entryIn(f, state, status);
          const before = await snapshot(f, id);
          assert.equal(await run(f, name, id), 1, `${name} moves ${state}/${status}`);
          const after = await snapshot(f, id);
          assert.equal(after.entry.state, tr.entry.to === "unchanged" ? state : tr.entry.to, name);
          assert.equal(
            after.outbox.status,
            tr.outbox.to === "unchanged" ? status : tr.outbox.to,
            name,
          );
          // Taking a grant back returns its amount: two reversing postings, budget released.
          const reversal = name === "expire" || name === "reject" || name === "expireEscrow";
          assert.equal(after.postings, before.postings + (reversal ? 2 : 0), name);
          assert.equal(after.granted, before.granted - (reversal ? 1n : 0n), name);
          // Moved once, it is no longer where it came from (except transitions that loop).
          const again = await run(f, name, id);
          const loops =
            (tr.entry.to === "unchanged" ||
              (tr.entry.from as readonly string[]).includes(tr.entry.to)) &&
            (tr.outbox.to === "unchanged" ||
              (tr.outbox.from as readonly string[]).includes(tr.outbox.to));
          assert.equal(again, loops ? 1 : 0, `${name} twice`);
        }
      // Refused: an entry state outside `from` (outbox allowed), an outbox status outside
      // `from` (entry allowed). Nothing about the entry changes.
      const refused: Array<[EntryState, OutboxStatus]> = [
        ...ENTRY_STATES.filter((s) => !(tr.entry.from as readonly string[]).includes(s)).map(
          (s): [EntryState, OutboxStatus] => [s, tr.outbox.from[0] as OutboxStatus],
        ),
        ...OUTBOX_STATUSES.filter((s) => !(tr.outbox.from as readonly string[]).includes(s)).map(
          (s): [EntryState, OutboxStatus] => [tr.entry.from[0] as EntryState, s],
        ),
      ];
      for (const [state, status] of refused) {
        const id = await entryIn(f, state, status);
        const before = await snapshot(f, id);
        assert.equal(await run(f, name, id), 0, `${name} refuses ${state}/${status}`);
        assert.deepEqual(await snapshot(f, id), before, `${name} wrote on ${state}/${status}`);
      }
    }
  });
});

test("a grant is written in the table's first states; a caller needing every row moved gets a clear error", async (t) => {
  await withDatabases(t, async (db) => {
    const f = await fixture(db);
    const now = f.now;
    const { entryId } = await adjustmentGrant(f, 5n, "adjustment:grant");
    const s = await snapshot(f, entryId);
    assert.equal(s.entry.state, LEDGER_TRANSITIONS.grant.entry.to);
    assert.equal(s.outbox.status, LEDGER_TRANSITIONS.grant.outbox.to);

    // A claim of two rows, one of them already being sent: the caller's check throws and
    // the transaction (the claim of the other row with it) rolls back.
    const sending = await entryIn(f, "queued", "sending");
    const before = [await snapshot(f, entryId), await snapshot(f, sending)];
    await assert.rejects(
      db.db.transaction(async (tx) => {
        const payouts = [entryId, sending].map((id) => ({ entryId: id, recipient: WALLET }));
        expectMoved("claim", 2, await claimForBatch(tx, 42, payouts, now));
      }),
      (e: unknown) =>
        e instanceof LedgerTransitionError &&
        e.transition === "claim" &&
        e.moved === 1 &&
        /claim moved 1 of 2 entries: .*entry state queued with outbox status queued/.test(
          e.message,
        ),
    );
    assert.deepEqual([await snapshot(f, entryId), await snapshot(f, sending)], before);
  });
});
