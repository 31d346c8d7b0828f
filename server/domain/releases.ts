/**
 * Escrow releases: the ledger's record that a member's escrowed rewards (grants paid on-chain
 * into a RewardDistributor while the member had no wallet) were released to the wallet they
 * linked, through `RewardDistributor.release()`.
 *
 * One `chain_releases` row per member and distributor, like the contract's release bitmap: a
 * member is released at most once, so a second release can neither be planned here (unique key)
 * nor paid on-chain (the bitmap skips the member). The grants it covers (escrowed grants up to
 * `throughEntryId`) stay `settled` ledger entries (they were paid on-chain once, into escrow);
 * the release row is what says they reached the member's wallet, so Merkle epochs and expiry
 * leave them out from the moment it exists.
 *
 * Every write goes through one transition of {@link RELEASE_TRANSITIONS}: each names the states
 * it leaves and the state it enters, and its update is guarded by them, so a transition applied
 * twice (a retried hook, a re-indexed log) changes nothing the second time. The chain code calls
 * these functions inside its own transactions; it never writes the table itself.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { chainReleases, type ReleaseStatus } from "../db/schema/chain.ts";

/** The release state machine: for each transition, the states it leaves and the one it enters. */
export const RELEASE_TRANSITIONS = {
  /** A release planned for a member who linked a wallet (insert; none before). */
  queue: { from: [], to: "queued" },
  /** Taken into a pending release send. */
  batch: { from: ["queued"], to: "sending" },
  /** The send was signed (first attempt or a fee replacement). */
  sign: { from: ["sending", "sent"], to: "sent" },
  /** The send was given up (simulation reverted, reverted, nonce taken): planned again. */
  requeue: { from: ["sending", "sent"], to: "queued" },
  /** The indexer saw the member's `Released` log. */
  confirm: { from: ["queued", "sending", "sent"], to: "released" },
  /** A reorg removed the block of the `Released` log: the send is followed again. */
  rewind: { from: ["released"], to: "sent" },
  /** The member's wallet is on a screening list: not released, held with the reason. */
  hold: { from: ["queued"], to: "held" },
  /** An admin lets a held release go again (the wallet no longer listed). */
  unhold: { from: ["held"], to: "queued" },
} as const satisfies Record<string, { from: readonly ReleaseStatus[]; to: ReleaseStatus }>;

export type ReleaseTransition = keyof typeof RELEASE_TRANSITIONS;

const from = (t: ReleaseTransition) => [...RELEASE_TRANSITIONS[t].from] as ReleaseStatus[];
const to = (t: ReleaseTransition) => RELEASE_TRANSITIONS[t].to;

export interface PlannedRelease {
  campaignId: number;
  token: string;
  /** Lower-case distributor address. */
  distributor: string;
  memberId: number;
  /** Lower-case wallet address. */
  wallet: string;
  amount: bigint;
  throughEntryId: number;
  claimedBefore: bigint;
}

/** `queue`: plans releases; a member already planned for this distributor is left as it is. */
export async function queueReleases(
  tx: Db,
  releases: readonly PlannedRelease[],
  now: Date,
): Promise<number[]> {
  if (releases.length === 0) return [];
  const rows = await tx
    .insert(chainReleases)
    .values(
      releases.map((r) => ({
        ...r,
        status: to("queue"),
        createdAt: now,
        updatedAt: now,
        nextAttemptAt: now,
      })),
    )
    .onConflictDoNothing({ target: [chainReleases.distributor, chainReleases.memberId] })
    .returning({ id: chainReleases.id });
  return rows.map((r) => r.id);
}

/** `batch`: the queued releases `ids` go into send `sendId`; returns how many moved. */
export async function batchReleases(
  tx: Db,
  ids: readonly number[],
  sendId: number,
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await tx
    .update(chainReleases)
    .set({
      status: to("batch"),
      sendId,
      attempts: sql`${chainReleases.attempts} + 1`,
      error: null,
      updatedAt: now,
    })
    .where(and(inArray(chainReleases.id, [...ids]), inArray(chainReleases.status, from("batch"))))
    .returning({ id: chainReleases.id });
  return rows.length;
}

/** `hold`: queued releases `ids` are kept back with `reason` (a screening hit). */
export async function holdReleases(
  tx: Db,
  held: readonly { id: number; reason: string }[],
  now: Date,
): Promise<number> {
  let moved = 0;
  for (const h of held) {
    const rows = await tx
      .update(chainReleases)
      .set({ status: to("hold"), error: h.reason, updatedAt: now })
      .where(and(eq(chainReleases.id, h.id), inArray(chainReleases.status, from("hold"))))
      .returning({ id: chainReleases.id });
    moved += rows.length;
  }
  return moved;
}

/** `unhold`: held releases of `memberIds` go back to the queue (screened again when batched). */
export async function unholdReleases(
  tx: Db,
  memberIds: readonly number[],
  now: Date,
): Promise<number> {
  if (memberIds.length === 0) return 0;
  const rows = await tx
    .update(chainReleases)
    .set({ status: to("unhold"), error: null, nextAttemptAt: now, updatedAt: now })
    .where(
      and(
        inArray(chainReleases.memberId, [...memberIds]),
        inArray(chainReleases.status, from("unhold")),
      ),
    )
    .returning({ id: chainReleases.id });
  return rows.length;
}

/** `sign`: the releases of send `sendId` are in a signed transaction `hash`. */
export async function releasesSigned(tx: Db, sendId: number, hash: string, now: Date) {
  await tx
    .update(chainReleases)
    .set({ status: to("sign"), txHash: hash, updatedAt: now })
    .where(and(eq(chainReleases.sendId, sendId), inArray(chainReleases.status, from("sign"))));
}

/** `requeue`: send `sendId` was given up; its releases wait until `retryAt` and go again. */
export async function releasesRequeued(
  tx: Db,
  sendId: number,
  reason: string,
  retryAt: Date,
  now: Date,
) {
  await tx
    .update(chainReleases)
    .set({
      status: to("requeue"),
      sendId: null,
      txHash: null,
      error: reason,
      nextAttemptAt: retryAt,
      updatedAt: now,
    })
    .where(and(eq(chainReleases.sendId, sendId), inArray(chainReleases.status, from("requeue"))));
}

export interface ReleasedLog {
  distributor: string;
  memberId: number;
  wallet: string;
  amount: bigint;
  txHash: string;
  blockNumber: number;
}

/**
 * `confirm`: the chain released the member (a `Released` log). Returns false when no planned
 * release matches (an amount or wallet other than planned is recorded as the chain says: the
 * chain is the truth, and the contract released the member exactly once).
 */
export async function releaseConfirmed(tx: Db, log: ReleasedLog, now: Date): Promise<boolean> {
  const rows = await tx
    .update(chainReleases)
    .set({
      status: to("confirm"),
      wallet: log.wallet,
      amount: log.amount,
      txHash: log.txHash,
      blockNumber: log.blockNumber,
      releasedAt: now,
      error: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(chainReleases.distributor, log.distributor),
        eq(chainReleases.memberId, log.memberId),
        inArray(chainReleases.status, from("confirm")),
      ),
    )
    .returning({ id: chainReleases.id });
  return rows.length > 0;
}

/** `rewind`: releases confirmed in blocks above `block` (a reorg) are followed again. */
export async function releasesRewound(tx: Db, block: number, now: Date) {
  await tx
    .update(chainReleases)
    .set({ status: to("rewind"), blockNumber: null, releasedAt: null, updatedAt: now })
    .where(
      and(
        sql`${chainReleases.blockNumber} > ${block}`,
        inArray(chainReleases.status, from("rewind")),
      ),
    );
}
