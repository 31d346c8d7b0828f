/**
 * Address screening: deny lists of addresses (a sanctions list, the operator's own list …)
 * that no payment may reach.
 *
 * A list is imported from a file with its source and the date it carries; importing the same
 * source again replaces its addresses (an updated list drops the delisted ones). Addresses are
 * checked:
 * - when a wallet is linked: a listed address is refused (`address_screened`), nothing written;
 * - before every payout batch: a payout to a listed wallet is not sent but `held` with the
 *   reason (transition `hold`), for an admin to reject, or to let go once the address is no
 *   longer listed (`unhold`, checked again here and again when the batch is formed);
 * - before every escrow release and perk redemption (the same lookup; a release is held, a
 *   redemption refused).
 * Escrow (the distributor contract) is never on a list, so a member without a wallet keeps
 * earning into escrow; only the step that would reach the listed address stops.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { getAddress, isAddress } from "viem";
import { bigintArray, type Db, pgArray, queryRows, transaction } from "../db/index.ts";
import { screenedAddresses, screeningLists } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { Actor, DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { reverseGrants } from "./ledger.ts";
import { unholdPayouts } from "./ledgerTransitions.ts";
import { unholdReleases } from "./releases.ts";

export interface ScreeningHit {
  /** Lower-case address. */
  address: string;
  source: string;
  listedOn: string;
}

/** "OFAC SDN (2026-12-01)": how a hit is named in hold reasons and error messages. */
export const describeHit = (h: Pick<ScreeningHit, "source" | "listedOn">) =>
  `address screening: listed by ${h.source} (${h.listedOn})`;

/**
 * Parses a list file: one address per line, or CSV/TSV with the address in any column;
 * blank lines and `#` comments are skipped. Every other line must hold exactly one address,
 * else the whole file is refused (a list silently half-read would screen less than it says).
 */
export function parseScreeningFile(text: string): string[] {
  const found = new Set<string>();
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const candidates = line.match(/0x[0-9a-fA-F]{40}\b/g) ?? [];
    const valid = candidates.filter((a) => isAddress(a, { strict: false }));
    if (valid.length === 1) found.add((valid[0] as string).toLowerCase());
    else if (/^address\b/i.test(line))
      return; // a CSV header
    else errors.push(`line ${i + 1}: ${valid.length === 0 ? "no address" : "several addresses"}`);
  });
  if (errors.length > 0) {
    throw new DomainError(
      "screening_list_invalid",
      `the list has lines without one address: ${errors.slice(0, 5).join("; ")}`,
      { errors },
    );
  }
  return [...found];
}

export interface ScreeningImport {
  source: string;
  /** The date the list carries, `YYYY-MM-DD`. */
  listedOn: string;
  addresses: readonly string[];
  actor: Actor;
}

/** Imports (or replaces) the list of `source`; returns how many addresses it now holds. */
export async function importScreeningList(
  ctx: Pick<DomainContext, "db" | "now">,
  input: ScreeningImport,
): Promise<{ listId: number; entries: number; added: number; removed: number }> {
  const source = input.source.trim();
  if (source === "" || source.length > 200)
    throw new DomainError(
      "screening_list_invalid",
      "a list needs a source name (1-200 characters)",
    );
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.listedOn) || Number.isNaN(Date.parse(input.listedOn)))
    throw new DomainError("screening_list_invalid", "the list's date must be YYYY-MM-DD");
  const addresses = [...new Set(input.addresses.map((a) => a.toLowerCase()))];
  const bad = addresses.find((a) => !isAddress(a, { strict: false }));
  if (bad) throw new DomainError("screening_list_invalid", `not an address: ${bad}`);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [list] = await tx
      .insert(screeningLists)
      .values({
        source,
        listedOn: input.listedOn,
        entries: addresses.length,
        importedAt: now,
        importedBy: input.actor,
      })
      .onConflictDoUpdate({
        target: screeningLists.source,
        set: {
          listedOn: input.listedOn,
          entries: addresses.length,
          importedAt: now,
          importedBy: input.actor,
        },
      })
      .returning({ id: screeningLists.id });
    const listId = (list as { id: number }).id;
    const [counts] = await queryRows<{ removed: number; added: number }>(
      tx,
      sql`with incoming as (select unnest(${pgArray(addresses)}::text[]) as address),
          removed as (
            delete from screened_addresses s where s.list_id = ${listId}
              and not exists (select 1 from incoming i where i.address = s.address)
            returning 1),
          added as (
            insert into screened_addresses (address, list_id)
            select address, ${listId} from incoming
            on conflict do nothing
            returning 1)
          select (select count(*)::int from removed) as removed,
                 (select count(*)::int from added) as added`,
    );
    const result = {
      listId,
      entries: addresses.length,
      added: counts?.added ?? 0,
      removed: counts?.removed ?? 0,
    };
    await writeAudit(tx, {
      actor: input.actor,
      action: "screening.list_imported",
      subjectType: "screening_list",
      subjectId: listId,
      details: { source, listedOn: input.listedOn, ...result },
      at: now,
    });
    return result;
  });
}

/** The listed ones among `addresses` (any case), with the list that names each. */
export async function screenAddresses(
  db: Db,
  addresses: readonly string[],
): Promise<Map<string, ScreeningHit>> {
  const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))];
  const hits = new Map<string, ScreeningHit>();
  if (wanted.length === 0) return hits;
  const rows = await db
    .select({
      address: screenedAddresses.address,
      source: screeningLists.source,
      listedOn: screeningLists.listedOn,
    })
    .from(screenedAddresses)
    .innerJoin(screeningLists, eq(screeningLists.id, screenedAddresses.listId))
    .where(inArray(screenedAddresses.address, wanted))
    .orderBy(screeningLists.source);
  for (const r of rows) if (!hits.has(r.address)) hits.set(r.address, r);
  return hits;
}

/** Throws `address_screened` when `address` is listed (wallet links, redemptions). */
export async function assertNotScreened(db: Db, address: string): Promise<void> {
  const hit = (await screenAddresses(db, [address])).get(address.toLowerCase());
  if (hit) {
    throw new DomainError(
      "address_screened",
      `${getAddress(address)} cannot receive rewards here (${describeHit(hit)})`,
      { source: hit.source, listedOn: hit.listedOn },
    );
  }
}

export interface HeldPayoutView {
  entryId: number;
  memberId: number;
  campaignId: number;
  token: string;
  amount: string;
  wallet: string | null;
  reason: string;
  heldAt: Date;
}

/** Payouts held by screening, oldest first. */
export async function listHeldPayouts(db: Db, limit = 200): Promise<HeldPayoutView[]> {
  const rows = await queryRows<{
    entry_id: string;
    member_id: number;
    campaign_id: number;
    token: string;
    amount: string;
    wallet: string | null;
    hold_reason: string | null;
    updated_at: Date | string;
  }>(
    db,
    sql`select o.entry_id, e.member_id, o.campaign_id, o.token, e.amount::text as amount,
               mw.address as wallet, o.hold_reason, o.updated_at
        from payout_outbox o join ledger_entries e on e.id = o.entry_id
        left join member_wallets mw on mw.member_id = e.member_id
        where o.status = 'held'
        order by o.entry_id
        limit ${limit}`,
  );
  return rows.map((r) => ({
    entryId: Number(r.entry_id),
    memberId: r.member_id,
    campaignId: r.campaign_id,
    token: r.token,
    amount: r.amount,
    wallet: r.wallet,
    reason: r.hold_reason ?? "",
    heldAt: new Date(r.updated_at),
  }));
}

export interface HeldDecision {
  entryIds: readonly number[];
  actor: Actor;
  reason: string;
}

/**
 * Lets held payouts go back to the queue. Refused (`address_screened`, nothing changed) while
 * any of their wallets is still listed: the worker would only hold them again.
 */
export async function releaseHeldPayouts(
  ctx: Pick<DomainContext, "db" | "now">,
  d: HeldDecision,
): Promise<number> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const held = await heldRows(tx, d.entryIds);
    const hits = await screenAddresses(
      tx,
      held.flatMap((h) => (h.wallet ? [h.wallet] : [])),
    );
    const still = held.find((h) => h.wallet && hits.has(h.wallet.toLowerCase()));
    if (still?.wallet) {
      const hit = hits.get(still.wallet.toLowerCase()) as ScreeningHit;
      throw new DomainError(
        "address_screened",
        `payout ${still.entryId} goes to ${getAddress(still.wallet)}, still listed (${describeHit(hit)})`,
        { entryId: still.entryId },
      );
    }
    const moved = await unholdPayouts(
      tx,
      held.map((h) => h.entryId),
      now,
    );
    await auditDecision(tx, "screening.hold_released", d, held, { status: "queued" }, now);
    return moved;
  });
}

/** Rejects held payouts: cancelled, their amounts back to the campaign's budget. */
export async function rejectHeldPayouts(
  ctx: Pick<DomainContext, "db" | "now">,
  d: HeldDecision,
): Promise<number> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const held = await heldRows(tx, d.entryIds);
    const moved = await reverseGrants(
      tx,
      held.map((h) => h.entryId),
      "rejected",
      now,
      `rejected after screening: ${d.reason}`,
    );
    await auditDecision(tx, "screening.hold_rejected", d, held, { status: "rejected" }, now);
    return moved;
  });
}

/** Escrow releases held by screening (one per member and distributor). */
export async function listHeldReleases(db: Db, limit = 200) {
  return queryRows<{
    member_id: number;
    distributor: string;
    token: string;
    wallet: string;
    amount: string;
    error: string | null;
  }>(
    db,
    sql`select member_id, distributor, token, wallet, amount::text as amount, error
        from chain_releases where status = 'held' order by member_id limit ${limit}`,
  );
}

/**
 * Lets the held escrow releases of `memberIds` go again; refused (nothing changed) while a
 * wallet is still listed.
 */
export async function releaseHeldReleases(
  ctx: Pick<DomainContext, "db" | "now">,
  d: { memberIds: readonly number[]; actor: Actor; reason: string },
): Promise<number> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const rows = await queryRows<{ member_id: number; wallet: string }>(
      tx,
      sql`select member_id, wallet from chain_releases
          where status = 'held' and member_id = any(${bigintArray(d.memberIds)}) for update`,
    );
    const hits = await screenAddresses(
      tx,
      rows.map((r) => r.wallet),
    );
    const still = rows.find((r) => hits.has(r.wallet.toLowerCase()));
    if (still) {
      throw new DomainError(
        "address_screened",
        `member ${still.member_id}'s wallet ${getAddress(still.wallet)} is still listed (${describeHit(hits.get(still.wallet.toLowerCase()) as ScreeningHit)})`,
      );
    }
    const moved = await unholdReleases(tx, d.memberIds, now);
    for (const r of rows) {
      await writeAudit(tx, {
        actor: d.actor,
        action: "screening.release_unheld",
        subjectType: "member",
        subjectId: r.member_id,
        details: { reason: d.reason },
        before: { status: "held" },
        after: { status: "queued" },
        at: now,
      });
    }
    return moved;
  });
}

async function heldRows(
  tx: Db,
  entryIds: readonly number[],
): Promise<{ entryId: number; wallet: string | null; reason: string | null }[]> {
  if (entryIds.length === 0) throw new DomainError("not_found", "no payouts named");
  const rows = await queryRows<{
    entry_id: string;
    wallet: string | null;
    hold_reason: string | null;
  }>(
    tx,
    sql`select o.entry_id, mw.address as wallet, o.hold_reason
        from payout_outbox o join ledger_entries e on e.id = o.entry_id
        left join member_wallets mw on mw.member_id = e.member_id
        where o.entry_id = any(${bigintArray(entryIds)}) and o.status = 'held'
        for update of o`,
  );
  if (rows.length !== new Set(entryIds).size) {
    const found = new Set(rows.map((r) => Number(r.entry_id)));
    const missing = entryIds.filter((id) => !found.has(id));
    throw new DomainError("not_found", `not held: payout ${missing.join(", ")}`, { missing });
  }
  return rows.map((r) => ({
    entryId: Number(r.entry_id),
    wallet: r.wallet,
    reason: r.hold_reason,
  }));
}

async function auditDecision(
  tx: Db,
  action: string,
  d: HeldDecision,
  held: { entryId: number; wallet: string | null; reason: string | null }[],
  after: Record<string, unknown>,
  at: Date,
): Promise<void> {
  for (const h of held) {
    await writeAudit(tx, {
      actor: d.actor,
      action,
      subjectType: "ledger_entry",
      subjectId: h.entryId,
      details: { reason: d.reason, wallet: h.wallet },
      before: { status: "held", reason: h.reason },
      after,
      at,
    });
  }
}

/** Used by the payout worker's claim: rows' wallets that are listed, keyed by entry id. */
export async function screenPayoutRows(
  tx: Db,
  rows: readonly { entryId: number; wallet: string | null }[],
): Promise<Map<number, string>> {
  const hits = await screenAddresses(
    tx,
    rows.flatMap((r) => (r.wallet ? [r.wallet] : [])),
  );
  const held = new Map<number, string>();
  for (const r of rows) {
    const hit = r.wallet ? hits.get(r.wallet.toLowerCase()) : undefined;
    if (hit) held.set(r.entryId, describeHit(hit));
  }
  return held;
}
