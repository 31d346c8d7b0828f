/**
 * The double-entry reward ledger.
 *
 * A grant is one `ledger_entries` row (its id is the on-chain payout id), two postings
 * (debit the campaign's budget account, credit the member's reward account) and one
 * `payout_outbox` row, all written in the caller's transaction. The idempotency key makes a
 * second write of the same reward impossible: it hits the unique constraint and is
 * reported as "already there" without touching anything else.
 *
 * Caps are per member: grants lock their recipients first ({@link lockGrantees}), so the
 * totals a cap is decided on are stable. The budget is the campaign's: a qualification plans
 * against an unlocked read ({@link readBudgets}) and charges it as the last statement of its
 * transaction with a conditional update ({@link chargeBudgets}: `granted + x <= budget`), so
 * the budget row is locked from that statement to the commit only; when the charge fails
 * (others spent the budget meanwhile) it plans again under {@link lockBudgets}. The other
 * writers lock the budget rows first ({@link lockBudgets}), after their recipients; the
 * guarded update in {@link writeGrant} refuses to overspend either way.
 *
 * Writing a grant and taking one back (expiry, rejection, lapsed escrow) are transitions of
 * the ledger's state machine (ledgerTransitions.ts): their states come from its table.
 */
import { and, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import { bigintArray, type Db, invalidateReads } from "../db/index.ts";
import {
  campaignTokens,
  type EntryKind,
  type EntryState,
  ledgerEntries,
  ledgerPostings,
  payoutOutbox,
} from "../db/schema.ts";
import { startOfUtcDay } from "./context.ts";
import {
  accepts,
  entryTarget,
  LEDGER_TRANSITIONS,
  type LedgerTransition,
  MOVED_MEMBERS,
  moveEntries,
  outboxTarget,
} from "./ledgerTransitions.ts";
import { statsTag } from "./readTags.ts";
import { type GrantedTotals, totalsKey } from "./rules.ts";

/** States whose amounts no longer count against caps and budget (see ledgerTransitions.ts). */
export const RELEASED_STATES: EntryState[] = ["expired", "rejected"];

export interface GrantToWrite {
  campaignId: number;
  token: string;
  memberId: number;
  amount: bigint;
  kind: EntryKind;
  level?: number | null;
  referralId?: number | null;
  refereeId?: number | null;
  idempotencyKey: string;
  note?: string;
  /** Days until an unclaimed grant expires (campaign `expiry.days`). */
  expiryDays?: number;
  /**
   * The campaign rules version whose rules computed it (registry `Campaign.version`). Omitted
   * (an admin's adjustment, not earned under rules): the newest version in effect.
   */
  rulesVersion?: number;
  now: Date;
}

export interface WrittenGrant {
  entryId: number;
  /** `false` when the idempotency key already existed (nothing was written). */
  created: boolean;
}

/** Thrown when a write would take a budget below zero (a bug upstream, never user input). */
export class BudgetExceededError extends Error {
  constructor(campaignId: number, token: string) {
    super(`budget of campaign ${campaignId} token ${token} would be exceeded`);
    this.name = "BudgetExceededError";
  }
}

export const idempotencyKeys = {
  referral: (campaignId: number, referralId: number, level: number) =>
    `referral:${campaignId}:${referralId}:${level}`,
  welcome: (campaignId: number, referralId: number) => `welcome:${campaignId}:${referralId}`,
  challenge: (campaignId: number, challengeId: string, memberId: number) =>
    `challenge:${campaignId}:${challengeId}:${memberId}`,
};

/** The budget rows of `tokens` in a campaign: what lockBudgets and readBudgets read. */
function selectBudgets(tx: Db, campaignId: number, tokens: string[]) {
  return tx
    .select({
      symbol: campaignTokens.symbol,
      budget: campaignTokens.budget,
      granted: campaignTokens.granted,
    })
    .from(campaignTokens)
    .where(and(eq(campaignTokens.campaignId, campaignId), inArray(campaignTokens.symbol, tokens)));
}

/** What is left of each budget row's budget, by token. */
function budgetsLeft(rows: { symbol: string; budget: bigint; granted: bigint }[]) {
  return new Map(rows.map((r) => [r.symbol, r.budget - r.granted]));
}

/**
 * Locks the budget rows of `tokens` (in sorted order, so concurrent grants never deadlock)
 * and returns what is left of each.
 */
export async function lockBudgets(
  tx: Db,
  campaignId: number,
  tokens: string[],
): Promise<Map<string, bigint>> {
  const sorted = [...new Set(tokens)].sort();
  if (sorted.length === 0) return new Map();
  return budgetsLeft(
    await selectBudgets(tx, campaignId, sorted).orderBy(campaignTokens.symbol).for("update"),
  );
}

/** What is left of each budget of `tokens`, read without a lock (a plan's estimate). */
export async function readBudgets(
  tx: Db,
  campaignId: number,
  tokens: string[],
): Promise<Map<string, bigint>> {
  if (tokens.length === 0) return new Map();
  return budgetsLeft(await selectBudgets(tx, campaignId, [...tokens]));
}

/** Advisory lock class of {@link lockGrantees} (the second key is the member id). */
const GRANTEE_LOCK_CLASS = 7301;

/**
 * Serialises grants to the same members, for the rest of the transaction: their caps are
 * decided on totals nobody else changes meanwhile. Sorted, so two grants never deadlock;
 * taken before any budget row.
 */
export async function lockGrantees(tx: Db, memberIds: readonly number[]): Promise<void> {
  const ids = [...new Set(memberIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(${GRANTEE_LOCK_CLASS}, (m % 2147483647)::int)
        from (select m from unnest(${bigintArray(ids)}) as m order by m) as sorted`,
  );
}

/**
 * Adds `amounts` to the budgets' `granted` when every one of them fits (one conditional update
 * per token, sorted). False when one does not: the caller rolls back what was charged.
 */
export async function chargeBudgets(
  tx: Db,
  campaignId: number,
  amounts: ReadonlyMap<string, bigint>,
): Promise<boolean> {
  for (const token of [...amounts.keys()].sort()) {
    const amount = amounts.get(token)!;
    if (amount <= 0n) continue;
    const charged = await tx
      .update(campaignTokens)
      .set({ granted: sql`${campaignTokens.granted} + ${amount.toString()}::numeric` })
      .where(
        and(
          eq(campaignTokens.campaignId, campaignId),
          eq(campaignTokens.symbol, token),
          sql`${campaignTokens.granted} + ${amount.toString()}::numeric <= ${campaignTokens.budget}`,
        ),
      )
      .returning({ granted: campaignTokens.granted });
    if (charged.length === 0) return false;
  }
  return true;
}

/** What each (member, token) pair has been granted today and in total in a campaign. */
export async function grantedTotals(
  tx: Db,
  campaignId: number,
  memberIds: number[],
  tokens: string[],
  now: Date,
): Promise<Map<string, GrantedTotals>> {
  const out = new Map<string, GrantedTotals>();
  if (memberIds.length === 0 || tokens.length === 0) return out;
  const dayStart = startOfUtcDay(now);
  const rows = await tx
    .select({
      memberId: ledgerEntries.memberId,
      token: ledgerEntries.token,
      total: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)::text`,
      today: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.createdAt} >= ${dayStart}), 0)::text`,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.campaignId, campaignId),
        inArray(ledgerEntries.memberId, memberIds),
        inArray(ledgerEntries.token, tokens),
        notInArray(ledgerEntries.state, RELEASED_STATES),
      ),
    )
    .groupBy(ledgerEntries.memberId, ledgerEntries.token);
  for (const r of rows)
    out.set(totalsKey(r.memberId, r.token), { today: BigInt(r.today), total: BigInt(r.total) });
  return out;
}

/**
 * Writes one grant with its postings and outbox row. Returns the existing entry id with
 * `created: false` when the idempotency key was already used. With `chargeBudget: false` the
 * caller charges the budget itself ({@link chargeBudgets}, for all its grants at the end).
 */
export async function writeGrant(
  tx: Db,
  g: GrantToWrite,
  { chargeBudget = true }: { chargeBudget?: boolean } = {},
): Promise<WrittenGrant> {
  if (g.amount <= 0n) throw new Error("a grant must be positive");
  const expiresAt =
    g.expiryDays === undefined ? null : new Date(g.now.getTime() + g.expiryDays * 86_400_000);
  const [inserted] = await tx
    .insert(ledgerEntries)
    .values({
      campaignId: g.campaignId,
      token: g.token,
      memberId: g.memberId,
      amount: g.amount,
      kind: g.kind,
      level: g.level ?? null,
      referralId: g.referralId ?? null,
      refereeId: g.refereeId ?? null,
      idempotencyKey: g.idempotencyKey,
      // Written straight to "queued": the outbox row below is what queues it.
      state: LEDGER_TRANSITIONS.grant.entry.to,
      note: g.note ?? null,
      createdAt: g.now,
      pendingAt: g.now,
      queuedAt: g.now,
      expiresAt,
      rulesVersion:
        g.rulesVersion ??
        sql`(select coalesce(max(version), 1) from campaign_versions
             where campaign_id = ${g.campaignId} and status = 'effective')`,
    })
    .onConflictDoNothing({ target: ledgerEntries.idempotencyKey })
    .returning({ id: ledgerEntries.id });
  if (!inserted) {
    const [existing] = await tx
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.idempotencyKey, g.idempotencyKey));
    if (!existing) throw new Error(`idempotency key ${g.idempotencyKey} vanished`);
    return { entryId: existing.id, created: false };
  }
  invalidateReads(tx, [statsTag(g.memberId)]);
  const spent = !chargeBudget
    ? [{ granted: 0n }]
    : await tx
        .update(campaignTokens)
        .set({ granted: sql`${campaignTokens.granted} + ${g.amount.toString()}::numeric` })
        .where(
          and(
            eq(campaignTokens.campaignId, g.campaignId),
            eq(campaignTokens.symbol, g.token),
            sql`${campaignTokens.granted} + ${g.amount.toString()}::numeric <= ${campaignTokens.budget}`,
          ),
        )
        .returning({ granted: campaignTokens.granted });
  if (spent.length === 0) throw new BudgetExceededError(g.campaignId, g.token);
  await tx.insert(ledgerPostings).values([
    {
      entryId: inserted.id,
      campaignId: g.campaignId,
      token: g.token,
      account: "budget",
      memberId: null,
      side: "debit",
      amount: g.amount,
      createdAt: g.now,
    },
    {
      entryId: inserted.id,
      campaignId: g.campaignId,
      token: g.token,
      account: "member",
      memberId: g.memberId,
      side: "credit",
      amount: g.amount,
      createdAt: g.now,
    },
  ]);
  await tx.insert(payoutOutbox).values({
    entryId: inserted.id,
    campaignId: g.campaignId,
    token: g.token,
    status: LEDGER_TRANSITIONS.grant.outbox.to,
    createdAt: g.now,
    updatedAt: g.now,
    nextAttemptAt: g.now,
  });
  return { entryId: inserted.id, created: true };
}

/** A grant taken back: why, and what its entry and outbox row become. */
type Reversal =
  | { transition: "expire" | "reject"; note?: string }
  | { transition: "expireEscrow"; note: string };

/**
 * The statement behind every reversal: the entries picked by `picked` (a query returning
 * `id, campaign_id, token, member_id, amount` of the rows it locked) change state, their
 * outbox rows too (unless the transition leaves them), reversing postings return the amounts
 * to the members' campaign budgets. One statement for any number of entries; returns how many.
 */
async function reverse(tx: Db, picked: SQL, r: Reversal, now: Date): Promise<number> {
  const t: LedgerTransition = LEDGER_TRANSITIONS[r.transition];
  const to = entryTarget(r.transition);
  const note = r.note ?? null;
  const stamp = to === "rejected" ? sql.raw("rejected_at") : sql.raw("expired_at");
  const outbox =
    t.outbox.to === "unchanged"
      ? sql``
      : sql`, outbox as (
          update payout_outbox o set status = ${outboxTarget(r.transition)},
            last_error = ${note ?? to}, updated_at = ${now}
          from picked where o.entry_id = picked.id)`;
  return moveEntries(
    tx,
    sql`with picked as materialized (${picked}),
        entries as (
          update ledger_entries e set state = ${to}, ${stamp} = ${now}, note = ${note}
          from picked where e.id = picked.id)${outbox},
        budget as (
          update campaign_tokens t set granted = t.granted - s.amount
          from (select campaign_id, token, sum(amount) as amount from picked group by campaign_id, token) s
          where t.campaign_id = s.campaign_id and t.symbol = s.token),
        postings as (
          insert into ledger_postings (entry_id, campaign_id, token, account, member_id, side, amount,
            reversal, created_at)
          select picked.id, picked.campaign_id, picked.token, p.account,
            case when p.account = 'member' then picked.member_id end, p.side, picked.amount, true, ${now}
          from picked cross join (values ('member', 'debit'), ('budget', 'credit')) as p(account, side))
        select ${MOVED_MEMBERS} from picked`,
  );
}

/**
 * Takes back grants that have not left the building (entry pending/queued, outbox row
 * still queued and not claimed by the payout worker): the entries become `expired` or
 * `rejected` (transitions `expire`, `reject`), reversing postings return the amounts to the
 * budget, the outbox rows are cancelled. Grants already on their way (or gone) are left
 * alone; returns how many were taken back. Callers lock the budget rows first
 * ({@link lockBudgets}), in the order grants take them.
 */
export async function reverseGrants(
  tx: Db,
  entryIds: readonly number[],
  to: "expired" | "rejected",
  now: Date,
  note?: string,
): Promise<number> {
  if (entryIds.length === 0) return 0;
  const transition = to === "expired" ? "expire" : "reject";
  // SKIP LOCKED: a row the payout worker holds is being paid; leave it alone.
  const picked = sql`select e.id, e.campaign_id, e.token, e.member_id, e.amount
    from ledger_entries e join payout_outbox o on o.entry_id = e.id
    where e.id = any(${bigintArray(entryIds)}) and ${accepts(transition)}
    order by e.id
    for update of e, o skip locked`;
  return reverse(tx, picked, { transition, ...(note === undefined ? {} : { note }) }, now);
}

/** {@link reverseGrants} for one grant; `false` when it is already on its way (or gone). */
export async function reverseGrant(
  tx: Db,
  entryId: number,
  to: "expired" | "rejected",
  now: Date,
  note?: string,
): Promise<boolean> {
  return (await reverseGrants(tx, [entryId], to, now, note)) > 0;
}

/**
 * Expires grants paid into escrow that were never claimed and that no open epoch leaf can
 * still pay (transition `expireEscrow`): state `expired`, reversing postings, the amounts back
 * to the campaign's budget. The outbox rows stay settled (the payout did happen). Callers
 * lock the budget rows first. Returns how many expired.
 */
export async function expireEscrowedGrants(
  tx: Db,
  entryIds: readonly number[],
  now: Date,
): Promise<number> {
  if (entryIds.length === 0) return 0;
  const picked = sql`select e.id, e.campaign_id, e.token, e.member_id, e.amount
    from ledger_entries e join payout_outbox o on o.entry_id = e.id
    where e.id = any(${bigintArray(entryIds)}) and ${accepts("expireEscrow")}
    order by e.id
    for update of e`;
  return reverse(tx, picked, { transition: "expireEscrow", note: "unclaimed escrow expired" }, now);
}

/** Locks the budget rows of these grants' campaigns and tokens, campaigns in id order. */
async function lockBudgetsOf(
  tx: Db,
  grants: ReadonlyArray<{ campaignId: number; token: string }>,
): Promise<void> {
  const byBudget = new Map<number, Set<string>>();
  for (const d of grants)
    byBudget.set(d.campaignId, (byBudget.get(d.campaignId) ?? new Set()).add(d.token));
  for (const [campaignId, tokens] of [...byBudget].sort((a, b) => a[0] - b[0])) {
    await lockBudgets(tx, campaignId, [...tokens]);
  }
}

/** An entry with what locking its budget row needs (see lockBudgetsOf). */
const GRANT_BUDGET = {
  id: ledgerEntries.id,
  campaignId: ledgerEntries.campaignId,
  token: ledgerEntries.token,
};

/**
 * Expires grants whose `expires_at` has passed and that were never sent; their amounts
 * return to the budget. Processes at most `limit` per call; returns how many expired.
 */
export async function expireGrants(db: Db, now: Date, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select(GRANT_BUDGET)
      .from(ledgerEntries)
      .where(
        and(
          inArray(ledgerEntries.state, LEDGER_TRANSITIONS.expire.entry.from),
          sql`${ledgerEntries.expiresAt} <= ${now}`,
        ),
      )
      .orderBy(ledgerEntries.id)
      .limit(limit);
    // Budget rows first (same order as grants take them), then the entries.
    await lockBudgetsOf(tx, due);
    return reverseGrants(
      tx,
      due.map((d) => d.id),
      "expired",
      now,
      "expired unclaimed",
    );
  });
}

/** Rejects every grant of a member that has not been sent yet (used when banning). */
export async function rejectUnsentGrants(
  tx: Db,
  memberId: number,
  now: Date,
  note: string,
): Promise<number> {
  const rows = await tx
    .select(GRANT_BUDGET)
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.memberId, memberId),
        inArray(ledgerEntries.state, LEDGER_TRANSITIONS.reject.entry.from),
      ),
    )
    .orderBy(ledgerEntries.id);
  await lockBudgetsOf(tx, rows);
  return reverseGrants(
    tx,
    rows.map((r) => r.id),
    "rejected",
    now,
    note,
  );
}
