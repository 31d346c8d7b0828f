/**
 * The ledger's state machine: the only code that moves `ledger_entries.state` and
 * `payout_outbox.status` (grants are written and taken back in ledger.ts, with this table too).
 *
 * An entry and its outbox row move together: every transition below is one SQL statement
 * that changes both (data-modifying CTEs), and only for pairs whose entry state *and* outbox
 * status are in the transition's `from` lists. The lists are written once, in
 * {@link LEDGER_TRANSITIONS}, and the statements are built from them, so a row in any other
 * state is refused by the statement itself (it is left as it was and not counted). Callers
 * that must move every row they name check the count ({@link expectMoved}).
 *
 * Every transition is set-based (a batch, a block range, a list of ids): the payout worker
 * and the indexer move thousands of rows at a time.
 *
 * To add a transition: a row in the table, a function here building its statement from that
 * row, and a case in test/server/domain/ledgerTransitions.test.ts (the test covers the table).
 */
import { type SQL, sql } from "drizzle-orm";
import { bigintArray, type Db, invalidateReads, jsonRows, queryRows } from "../db/index.ts";
import type { EntryState, OutboxStatus } from "../db/schema.ts";
import { statsTag } from "./readTags.ts";

/** One side of a transition: the states it accepts and the one it leaves (or "unchanged"). */
interface Move<S extends string> {
  from: readonly S[];
  to: S | "unchanged";
}

export interface LedgerTransition {
  entry: Move<EntryState>;
  outbox: Move<OutboxStatus>;
}

/**
 * Every allowed change of an entry's state and its outbox row's status. `from: []` is a
 * creation (the rows do not exist yet).
 */
export const LEDGER_TRANSITIONS = {
  /** A reward is granted: entry and outbox row are written queued (ledger.ts `writeGrant`). */
  grant: { entry: { from: [], to: "queued" }, outbox: { from: [], to: "queued" } },
  /** The payout worker puts queued rows into a batch send (recipient resolved now). */
  claim: {
    entry: { from: ["queued"], to: "unchanged" },
    outbox: { from: ["queued"], to: "sending" },
  },
  /** The batch was given up before it was signed (simulation reverted): back to the queue. */
  unclaim: {
    entry: { from: ["queued"], to: "unchanged" },
    outbox: { from: ["sending"], to: "queued" },
  },
  /** A transaction for the batch was signed (first attempt or a fee bump). */
  markSent: {
    entry: { from: ["queued", "sent"], to: "sent" },
    outbox: { from: ["sending", "sent"], to: "sent" },
  },
  /** The batch's transaction was mined and reverted. */
  markFailed: {
    entry: { from: ["queued", "sent"], to: "failed" },
    outbox: { from: ["sending", "sent"], to: "failed" },
  },
  /** The batch's nonce was used by another transaction: the same payout ids go back. */
  requeueReplaced: {
    entry: { from: ["queued", "sent"], to: "queued" },
    outbox: { from: ["sending", "sent"], to: "queued" },
  },
  /** An operator requeues failed payouts (`npm run payouts:retry`). */
  requeueFailed: {
    entry: { from: ["failed"], to: "queued" },
    outbox: { from: ["failed"], to: "queued" },
  },
  /** The indexer read the payout on-chain (whatever the worker thought had happened). */
  settle: {
    entry: { from: ["pending", "queued", "sent", "failed"], to: "settled" },
    outbox: { from: ["queued", "sending", "sent", "failed"], to: "settled" },
  },
  /** A reorg took the paying block away: sent again, waiting to be read on-chain. */
  unsettle: {
    entry: { from: ["settled"], to: "sent" },
    outbox: { from: ["settled"], to: "sent" },
  },
  /** An unsent grant passed its `expires_at`: amount back to the budget (ledger.ts). */
  expire: {
    entry: { from: ["pending", "queued"], to: "expired" },
    outbox: { from: ["queued"], to: "cancelled" },
  },
  /**
   * An unsent grant is rejected (the member was banned, or an admin refused a held payout):
   * amount back to the budget (ledger.ts).
   */
  reject: {
    entry: { from: ["pending", "queued", "held"], to: "rejected" },
    outbox: { from: ["queued", "held"], to: "cancelled" },
  },
  /**
   * The payout worker found the recipient's wallet on a screening list: not sent, held for an
   * admin's decision with the reason (server/domain/screening.ts).
   */
  hold: {
    entry: { from: ["queued"], to: "held" },
    outbox: { from: ["queued"], to: "held" },
  },
  /** An admin lets a held payout go again (its address no longer listed): back to the queue. */
  unhold: {
    entry: { from: ["held"], to: "queued" },
    outbox: { from: ["held"], to: "queued" },
  },
  /**
   * A grant paid into escrow was never claimed before its epoch leaf lapsed: amount back to the
   * budget (ledger.ts). The payout itself did happen, so its outbox row stays settled.
   */
  expireEscrow: {
    entry: { from: ["settled"], to: "expired" },
    outbox: { from: ["settled"], to: "unchanged" },
  },
} as const satisfies Record<string, LedgerTransition>;

export type LedgerTransitionName = keyof typeof LEDGER_TRANSITIONS;

/** A transition did not move every row it was told to (they were not in its `from` states). */
export class LedgerTransitionError extends Error {
  readonly transition: LedgerTransitionName;
  readonly expected: number;
  readonly moved: number;
  constructor(transition: LedgerTransitionName, expected: number, moved: number) {
    const t: LedgerTransition = LEDGER_TRANSITIONS[transition];
    super(
      `ledger transition ${transition} moved ${moved} of ${expected} entries: the others are not ` +
        `in entry state ${t.entry.from.join("|")} with outbox status ${t.outbox.from.join("|")}`,
    );
    this.name = "LedgerTransitionError";
    this.transition = transition;
    this.expected = expected;
    this.moved = moved;
  }
}

/** Throws {@link LedgerTransitionError} unless `moved === expected`. */
export function expectMoved(name: LedgerTransitionName, expected: number, moved: number): void {
  if (moved !== expected) throw new LedgerTransitionError(name, expected, moved);
}

/**
 * `e.state in (…) and o.status in (…)` for a transition (`e` the entry, `o` its outbox row).
 * The states are constants of the table above, written as literals so the planner sees them.
 */
export function accepts(name: LedgerTransitionName, e = "e", o = "o"): SQL {
  const t: LedgerTransition = LEDGER_TRANSITIONS[name];
  if (t.entry.from.length === 0 || t.outbox.from.length === 0)
    throw new Error(`ledger transition ${name} creates rows; it has no states to accept`);
  const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(", ");
  return sql.raw(
    `${e}.state in (${list(t.entry.from)}) and ${o}.status in (${list(t.outbox.from)})`,
  );
}

/** The state a transition leaves entries in (those that change). */
export function entryTarget(name: LedgerTransitionName): EntryState {
  const to = (LEDGER_TRANSITIONS[name] as LedgerTransition).entry.to;
  if (to === "unchanged") throw new Error(`ledger transition ${name} leaves entries unchanged`);
  return to;
}

/** The status a transition leaves outbox rows in (those that change). */
export function outboxTarget(name: LedgerTransitionName): OutboxStatus {
  const to = (LEDGER_TRANSITIONS[name] as LedgerTransition).outbox.to;
  if (to === "unchanged") throw new Error(`ledger transition ${name} leaves outbox rows unchanged`);
  return to;
}

/**
 * Runs a transition whose statement ends in `select count(*)::int as n,
 * coalesce(array_agg(distinct member_id), '{}') as members` over the entries it moved: the
 * members' cached stats (sums by ledger state) are dropped once the transaction ends, so a
 * state change shows at once in this process (on PGlite, the only process, cached reads
 * never expire otherwise). Returns how many moved.
 */
export const moveEntries = async (tx: Db, query: SQL): Promise<number> => {
  const [row] = await queryRows<{ n: number; members: (string | number)[] }>(tx, query);
  invalidateReads(tx, new Set((row?.members ?? []).map((m) => statsTag(Number(m)))));
  return Number(row?.n ?? 0);
};
export const MOVED_MEMBERS = sql.raw(
  "count(*)::int as n, coalesce(array_agg(distinct member_id), '{}') as members",
);

const count = async (tx: Db, query: SQL): Promise<number> => {
  const [row] = await queryRows<{ n: number }>(tx, query);
  return Number(row?.n ?? 0);
};

/** A payout row put into a batch, and who it pays (the member's wallet or the escrow). */
export interface ClaimedPayout {
  entryId: number;
  recipient: string;
}

/**
 * `claim`: the rows join batch `batchId` (status `sending`, recipient recorded, attempt
 * counted). Returns how many moved; the caller has locked them and expects all.
 */
export async function claimForBatch(
  tx: Db,
  batchId: number,
  payouts: readonly ClaimedPayout[],
  now: Date,
): Promise<number> {
  if (payouts.length === 0) return 0;
  return count(
    tx,
    sql`with moved as (
          update payout_outbox o set status = ${outboxTarget("claim")}, batch_id = ${batchId},
            recipient = v.recipient, attempts = o.attempts + 1, last_error = null, updated_at = ${now}
          from jsonb_to_recordset(${jsonRows(payouts.map((p) => ({ id: p.entryId, recipient: p.recipient })))})
            as v(id bigint, recipient text), ledger_entries e
          where o.entry_id = v.id and e.id = o.entry_id and ${accepts("claim")}
            and o.entry_id = any(${bigintArray(payouts.map((p) => p.entryId))})
          returning 1)
        select count(*)::int as n from moved`,
  );
}

export interface HeldPayout {
  entryId: number;
  reason: string;
}

/** `hold`: queued rows whose recipient is listed are kept back with the reason. */
export async function holdPayouts(
  tx: Db,
  payouts: readonly HeldPayout[],
  now: Date,
): Promise<number> {
  if (payouts.length === 0) return 0;
  return moveEntries(
    tx,
    sql`with outbox as (
          update payout_outbox o set status = ${outboxTarget("hold")}, hold_reason = v.reason,
            updated_at = ${now}
          from jsonb_to_recordset(${jsonRows(payouts.map((p) => ({ id: p.entryId, reason: p.reason })))})
            as v(id bigint, reason text), ledger_entries e
          where o.entry_id = v.id and e.id = o.entry_id and ${accepts("hold")}
            and o.entry_id = any(${bigintArray(payouts.map((p) => p.entryId))})
          returning o.entry_id, v.reason),
        moved as (
          update ledger_entries e set state = ${entryTarget("hold")}, note = outbox.reason
          from outbox where e.id = outbox.entry_id
          returning e.member_id)
        select ${MOVED_MEMBERS} from moved`,
  );
}

/** `unhold`: held rows `entryIds` go back to the queue, to be screened again when claimed. */
export async function unholdPayouts(
  tx: Db,
  entryIds: readonly number[],
  now: Date,
): Promise<number> {
  if (entryIds.length === 0) return 0;
  return moveEntries(
    tx,
    sql`with outbox as (
          update payout_outbox o set status = ${outboxTarget("unhold")}, hold_reason = null,
            next_attempt_at = ${now}, updated_at = ${now}
          from ledger_entries e
          where o.entry_id = any(${bigintArray(entryIds)}) and e.id = o.entry_id and ${accepts("unhold")}
          returning o.entry_id),
        moved as (
          update ledger_entries e set state = ${entryTarget("unhold")}, note = null
          from outbox where e.id = outbox.entry_id
          returning e.member_id)
        select ${MOVED_MEMBERS} from moved`,
  );
}

/** `unclaim`: batch `batchId` was given up before signing; its rows wait until `retryAt`. */
export async function unclaimBatch(
  tx: Db,
  batchId: number,
  reason: string,
  retryAt: Date,
  now: Date,
): Promise<number> {
  return count(
    tx,
    sql`with moved as (
          update payout_outbox o set status = ${outboxTarget("unclaim")}, batch_id = null,
            recipient = null, last_error = ${reason}, next_attempt_at = ${retryAt}, updated_at = ${now}
          from ledger_entries e
          where o.batch_id = ${batchId} and e.id = o.entry_id and ${accepts("unclaim")}
          returning 1)
        select count(*)::int as n from moved`,
  );
}

export interface SignedAttempt {
  nonce: number | null;
  txHash: string;
  /** The batch's first attempt: `sent_at` is set now (a fee bump keeps the first time). */
  first: boolean;
}

/** `markSent`: a transaction for batch `batchId` was signed. */
export async function markBatchSent(
  tx: Db,
  batchId: number,
  attempt: SignedAttempt,
  now: Date,
): Promise<number> {
  const sentAt = attempt.first ? sql`coalesce(e.sent_at, ${now})` : sql`e.sent_at`;
  return moveEntries(
    tx,
    sql`with outbox as (
          update payout_outbox o set status = ${outboxTarget("markSent")}, nonce = ${attempt.nonce},
            tx_hash = ${attempt.txHash}, updated_at = ${now}
          from ledger_entries e
          where o.batch_id = ${batchId} and e.id = o.entry_id and ${accepts("markSent")}
          returning o.entry_id),
        moved as (
          update ledger_entries e set state = ${entryTarget("markSent")}, sent_at = ${sentAt},
            tx_hash = ${attempt.txHash}
          from outbox where e.id = outbox.entry_id
          returning e.member_id)
        select ${MOVED_MEMBERS} from moved`,
  );
}

/** `markFailed`: batch `batchId` was mined and reverted with `error`. */
export async function markBatchFailed(
  tx: Db,
  batchId: number,
  error: string,
  now: Date,
): Promise<number> {
  return moveEntries(
    tx,
    sql`with outbox as (
          update payout_outbox o set status = ${outboxTarget("markFailed")}, last_error = ${error},
            updated_at = ${now}
          from ledger_entries e
          where o.batch_id = ${batchId} and e.id = o.entry_id and ${accepts("markFailed")}
          returning o.entry_id),
        moved as (
          update ledger_entries e set state = ${entryTarget("markFailed")}, failed_at = ${now},
            note = ${error}
          from outbox where e.id = outbox.entry_id
          returning e.member_id)
        select ${MOVED_MEMBERS} from moved`,
  );
}

/**
 * `requeueReplaced`: batch `batchId`'s nonce was used by another transaction, so it was never
 * mined. The rows go back to the queue with the same payout ids; any the chain already paid
 * are skipped there and settled by the indexer from the payout event.
 */
export async function requeueBatch(tx: Db, batchId: number, now: Date): Promise<number> {
  return moveEntries(
    tx,
    sql`with outbox as (
          update payout_outbox o set status = ${outboxTarget("requeueReplaced")}, batch_id = null,
            recipient = null, nonce = null, tx_hash = null,
            last_error = 'nonce used by another transaction', next_attempt_at = ${now}, updated_at = ${now}
          from ledger_entries e
          where o.batch_id = ${batchId} and e.id = o.entry_id and ${accepts("requeueReplaced")}
          returning o.entry_id),
        moved as (
          update ledger_entries e set state = ${entryTarget("requeueReplaced")}, tx_hash = null
          from outbox where e.id = outbox.entry_id
          returning e.member_id)
        select ${MOVED_MEMBERS} from moved`,
  );
}

export interface RequeueFilter {
  /** Only these entries (default: every failed payout). */
  entryIds?: number[];
  /** Only this campaign (database id). */
  campaignId?: number;
}

/**
 * `requeueFailed`: failed payouts go back to the queue, due `now`, with the same payout ids
 * (so whatever happened on-chain, each is paid at most once). Returns the entries moved, in
 * id order, with the error they had failed with.
 */
export async function requeueFailedPayouts(
  tx: Db,
  filter: RequeueFilter,
  now: Date,
): Promise<Array<{ entryId: number; campaignId: number; previousError: string | null }>> {
  const rows = await queryRows<{
    id: string | number;
    member_id: string | number;
    campaign_id: number;
    note: string | null;
  }>(
    tx,
    sql`with picked as materialized (
          select e.id, e.member_id, e.campaign_id, e.note from ledger_entries e join payout_outbox o on o.entry_id = e.id
          where ${accepts("requeueFailed")}
            ${filter.entryIds ? sql`and e.id = any(${bigintArray(filter.entryIds)})` : sql``}
            ${filter.campaignId !== undefined ? sql`and e.campaign_id = ${filter.campaignId}` : sql``}
          order by e.id
          for update of e, o),
        entries as (
          update ledger_entries e set state = ${entryTarget("requeueFailed")}, failed_at = null,
            tx_hash = null, note = 'requeued after: ' || coalesce(picked.note, 'failure')
          from picked where e.id = picked.id),
        outbox as (
          update payout_outbox o set status = ${outboxTarget("requeueFailed")}, batch_id = null,
            recipient = null, nonce = null, tx_hash = null, next_attempt_at = ${now}, updated_at = ${now}
          from picked where o.entry_id = picked.id)
        select id, member_id, campaign_id, note from picked order by id`,
  );
  invalidateReads(tx, new Set(rows.map((r) => statsTag(Number(r.member_id)))));
  return rows.map((r) => ({
    entryId: Number(r.id),
    campaignId: Number(r.campaign_id),
    previousError: r.note,
  }));
}

/** An entry the indexer settled, with what its `reward_paid` notification says. */
export interface SettledEntry {
  id: number;
  memberId: number;
  campaignId: number;
  token: string;
  amount: bigint;
  txHash: string;
  /** Paid into the token's RewardDistributor (the member had no wallet). */
  escrow: boolean;
}

/**
 * `settle`: every entry paid (per `chain_payouts`) in blocks `from`..`to` is settled with the
 * paying transaction and block, whatever the worker thought had happened to it. Already
 * settled (and cancelled) entries are left alone, so a re-read settles nothing twice.
 */
export async function settlePaidInBlocks(
  tx: Db,
  blocks: { from: number; to: number },
  now: Date,
): Promise<SettledEntry[]> {
  const rows = await queryRows<{
    id: string | number;
    member_id: string | number;
    campaign_id: number;
    token: string;
    amount: string;
    tx_hash: string;
    escrow: boolean;
  }>(
    tx,
    sql`with entries as (
          update ledger_entries e set state = ${entryTarget("settle")}, settled_at = ${now},
            tx_hash = p.tx_hash, block_number = p.block_number
          from chain_payouts p, payout_outbox o
          where p.block_number between ${blocks.from} and ${blocks.to} and p.entry_id = e.id
            and o.entry_id = e.id and ${accepts("settle")}
          returning e.id, e.member_id, e.campaign_id, e.token, e.amount::text as amount, p.tx_hash,
            p.escrow),
        outbox as (
          update payout_outbox o set status = ${outboxTarget("settle")}, tx_hash = entries.tx_hash,
            updated_at = ${now}
          from entries where o.entry_id = entries.id)
        select * from entries`,
  );
  // Members' ledger sums changed: cached profile stats must not show them unsettled.
  invalidateReads(tx, new Set(rows.map((r) => statsTag(Number(r.member_id)))));
  return rows.map((r) => ({
    id: Number(r.id),
    memberId: Number(r.member_id),
    campaignId: Number(r.campaign_id),
    token: r.token,
    amount: BigInt(r.amount),
    txHash: r.tx_hash,
    escrow: r.escrow,
  }));
}

/** `unsettle`: a reorg removed the payouts of these entries; they are sent again, unsettled. */
export async function unsettleEntries(
  tx: Db,
  entryIds: readonly number[],
  now: Date,
): Promise<number> {
  if (entryIds.length === 0) return 0;
  return moveEntries(
    tx,
    sql`with entries as (
          update ledger_entries e set state = ${entryTarget("unsettle")}, settled_at = null,
            block_number = null
          from payout_outbox o
          where e.id = any(${bigintArray(entryIds)}) and o.entry_id = e.id and ${accepts("unsettle")}
          returning e.id, e.member_id),
        outbox as (
          update payout_outbox o set status = ${outboxTarget("unsettle")}, updated_at = ${now}
          from entries where o.entry_id = entries.id)
        select ${MOVED_MEMBERS} from entries`,
  );
}
