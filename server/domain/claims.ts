/**
 * What a member can claim, defined once for the bot's `/balance`, the dashboard and the API.
 *
 * Claimable: what the member can take from a RewardDistributor on-chain right now. That is the
 * member's leaf in the latest published root that took effect (chain time, as far as the
 * indexer has seen), while the leaf is open, minus what the distributor recorded as claimed by
 * the member. Nothing else can be claimed: a grant paid into escrow after that root's snapshot
 * is in the distributor, but no proof for it exists until the next epoch.
 *
 * In escrow: paid into the distributor for the member (settled payouts the indexer saw going
 * to escrow), neither claimed nor claimable yet: it becomes claimable with the next root that
 * takes effect. Reported apart from the claimable amount, never added to it.
 *
 * What was claimed is read from the contract when the caller can (the caller's chain reader;
 * the domain reads no chain), else the indexer's `Claimed` logs; the contract can only be
 * ahead of the indexer, which lowers the amount, so a figure is never too high.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import type { Campaign } from "./registry.ts";
import { memberStats } from "./stats.ts";

/**
 * Reads what `distributor` recorded as claimed by member number `memberId`, on-chain.
 * `undefined` (or a rejection) falls back to the indexer's figure.
 */
export type ClaimedReader = (distributor: string, memberId: number) => Promise<bigint | undefined>;

/** A member's open leaf in the root in effect, with something left to claim. */
export interface ClaimableLeaf {
  campaignId: number;
  token: string;
  /** Lower-case hex, as the indexer stores them. */
  tokenAddress: string;
  distributor: string;
  /** Our epoch id (its leaves and tree). */
  epochId: number;
  /** The distributor's epoch number. */
  epoch: number;
  root: string;
  /** Unix seconds the leaf closes. */
  deadline: number;
  released: boolean;
  account: string;
  cumulative: bigint;
  claimed: bigint;
  /** `cumulative − claimed`, always positive here. */
  claimable: bigint;
}

async function claimedBy(
  distributor: string,
  memberId: number,
  indexed: bigint,
  readClaimed: ClaimedReader | undefined,
): Promise<bigint> {
  if (readClaimed === undefined) return indexed;
  const onchain = await readClaimed(distributor, memberId).catch(() => undefined);
  return onchain ?? indexed;
}

/** The member's claimable leaves, one per distributor at most (see above). */
export async function claimableLeaves(
  db: Db,
  memberId: number,
  now: Date,
  readClaimed?: ClaimedReader,
): Promise<ClaimableLeaf[]> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const rows = await queryRows<{
    id: string;
    campaign_id: number;
    distributor: string;
    token_address: string;
    token: string;
    epoch: number;
    root: string;
    leaf_deadline: string;
    released: boolean;
    account: string;
    cumulative: string;
    indexed_claimed: string;
  }>(
    db,
    sql`select ep.id, ep.campaign_id, ep.distributor, ep.token_address, ep.token, ep.epoch, ep.root,
          l.deadline as leaf_deadline, l.released, l.account, l.cumulative_amount::text as cumulative,
          coalesce((select sum(c.amount) from chain_claims c
                    where c.distributor = ep.distributor and c.member_id = l.member_id), 0)::text as indexed_claimed
        from chain_epochs ep
        join chain_epoch_leaves l on l.epoch_id = ep.id and l.member_id = ${memberId}
        where ep.status = 'published'
          and ep.epoch = (select max(e2.epoch) from chain_epochs e2
                          where e2.distributor = ep.distributor and e2.status = 'published'
                            and coalesce(e2.activates_at, 0) <= (
                              select coalesce(max(block_timestamp), ${nowSeconds}) from chain_cursors
                              where name like 'indexer:%'))
        order by ep.distributor`,
  );
  const out: ClaimableLeaf[] = [];
  for (const r of rows) {
    const deadline = Number(r.leaf_deadline);
    if (deadline <= nowSeconds) continue;
    const claimed = await claimedBy(
      r.distributor,
      memberId,
      BigInt(r.indexed_claimed),
      readClaimed,
    );
    const cumulative = BigInt(r.cumulative);
    if (cumulative <= claimed) continue;
    out.push({
      campaignId: r.campaign_id,
      token: r.token,
      tokenAddress: r.token_address,
      distributor: r.distributor,
      epochId: Number(r.id),
      epoch: r.epoch,
      root: r.root,
      deadline,
      released: r.released,
      account: r.account,
      cumulative,
      claimed,
      claimable: cumulative - claimed,
    });
  }
  return out;
}

/** A member's rewards in one campaign, per token symbol (only non-zero amounts are kept). */
export interface RewardPosition {
  /** Granted, not yet settled on-chain (pending, queued or sent). */
  pending: Map<string, bigint>;
  /** Claimable on-chain now (see above). */
  claimable: Map<string, bigint>;
  /** In escrow, neither claimed nor in a root in effect yet: claimable after the next epoch. */
  inEscrow: Map<string, bigint>;
}

/** The member's pending, claimable and escrowed amounts in `campaign` (see above). */
export async function rewardPosition(
  db: Db,
  campaign: Campaign,
  memberId: number,
  now: Date,
  readClaimed?: ClaimedReader,
): Promise<RewardPosition> {
  const stats = await memberStats(db, campaign, memberId);
  const pending = new Map<string, bigint>();
  for (const r of stats.rewards) {
    const p = (r.byState.pending ?? 0n) + (r.byState.queued ?? 0n) + (r.byState.sent ?? 0n);
    if (p > 0n) pending.set(r.token, p);
  }
  const claimable = new Map<string, bigint>();
  const claimedByToken = new Map<string, bigint>();
  for (const l of await claimableLeaves(db, memberId, now, readClaimed)) {
    if (l.campaignId !== campaign.id) continue;
    claimable.set(l.token, (claimable.get(l.token) ?? 0n) + l.claimable);
    claimedByToken.set(l.token, l.claimed);
  }
  // Settled grants the indexer saw paid into the token's distributor, and what was claimed
  // from it (by the member's number, whichever wallet took it).
  const escrowed = await queryRows<{ token: string; amount: string; distributor: string | null }>(
    db,
    sql`select p.token, sum(e.amount)::text as amount,
          (select ep.distributor from chain_epochs ep
           where ep.campaign_id = p.campaign_id and ep.token = p.token
           order by ep.id desc limit 1) as distributor
        from chain_payouts p join ledger_entries e on e.id = p.entry_id
        where p.escrow and p.campaign_id = ${campaign.id} and e.member_id = ${memberId}
          and e.state = 'settled'
          and not exists (select 1 from chain_releases r
                          where r.campaign_id = p.campaign_id and r.token = p.token
                            and r.member_id = e.member_id and e.id <= r.through_entry_id)
        group by p.campaign_id, p.token`,
  );
  // A release (server/domain/releases.ts) took the grants it covers out of escrow, and the
  // claims made before it with them.
  const releases = await queryRows<{ token: string; claimed_before: string }>(
    db,
    sql`select token, claimed_before::text as claimed_before from chain_releases
        where campaign_id = ${campaign.id} and member_id = ${memberId}`,
  );
  const claimedBeforeRelease = new Map(releases.map((r) => [r.token, BigInt(r.claimed_before)]));
  const claims = await queryRows<{ distributor: string; total: string }>(
    db,
    sql`select distributor, sum(amount)::text as total from chain_claims
        where member_id = ${memberId} group by distributor`,
  );
  const indexedClaims = new Map(claims.map((c) => [c.distributor, BigInt(c.total)]));
  const inEscrow = new Map<string, bigint>();
  for (const r of escrowed) {
    // The deployment names the distributor; our epochs do too (a deployment file may be gone).
    const distributor =
      campaign.deployment?.tokens[r.token]?.distributor?.toLowerCase() ??
      r.distributor ??
      undefined;
    const claimed =
      claimedByToken.get(r.token) ??
      (distributor === undefined
        ? 0n
        : await claimedBy(
            distributor,
            memberId,
            indexedClaims.get(distributor) ?? 0n,
            readClaimed,
          ));
    const left =
      BigInt(r.amount) -
      (claimed - (claimedBeforeRelease.get(r.token) ?? 0n)) -
      (claimable.get(r.token) ?? 0n);
    if (left > 0n) inEscrow.set(r.token, left);
  }
  return { pending, claimable, inEscrow };
}
