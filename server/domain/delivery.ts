/**
 * How each settled reward reached (or is reaching) the member's wallet, in the words members
 * read (issue 14, "escrow reads as paid"): a grant settled on-chain is not necessarily in the
 * member's wallet. One function for the dashboard's history and Home, the API and the bot's
 * `/balance`, so every place names the same state:
 *
 * - `wallet`: paid straight to the member's wallet (the payout's recipient was the wallet);
 * - `reserved`: paid into the token's RewardDistributor (escrow) for a member who had no
 *   wallet, and neither released nor claimable yet: it waits for a wallet (or, with one
 *   linked, for the release or the next epoch);
 * - `releasing`: covered by the member's escrow release, not confirmed on-chain yet (`held`
 *   while the wallet is on a screening list);
 * - `released`: the release reached the wallet (the release's transaction and time);
 * - `claimable`: in the member's leaf of the Merkle root in effect, open until `until`,
 *   claimable `since` the root took effect;
 * - `claimed`: the member claimed it from the distributor.
 *
 * Grants not yet settled have no delivery (their ledger state says where they are).
 *
 * Per token the escrowed grants are taken in ledger order: the release covers those up to its
 * `throughEntryId` (of which the first `claimedBefore` were claimed before it); of the rest,
 * the first ones up to what was claimed since are `claimed`, then those the open leaf covers
 * are `claimable`, the remainder `reserved`. Claims are the indexer's (a claim just sent shows
 * as claimable until its log is indexed; never the other way round).
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import type { ReleaseStatus } from "../db/schema/chain.ts";
import type { Campaign } from "./registry.ts";

export const DELIVERY_STATES = [
  "wallet",
  "reserved",
  "releasing",
  "released",
  "claimable",
  "claimed",
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Delivery {
  state: DeliveryState;
  /** The transaction that moved it to the wallet: the payout, the release or none known. */
  txHash: string | null;
  /** When: released (the release), claimable (the root took effect); else null. */
  at: Date | null;
  /** Claimable: the leaf's claim deadline; else null. */
  until: Date | null;
  /** Releasing: the release is held for a check of the wallet. */
  held: boolean;
}

/** Per token, the settled amounts by delivery state (wei), and the earliest claim deadline. */
export interface DeliveryTotals {
  token: string;
  amounts: Record<DeliveryState, bigint>;
  claimableSince: Date | null;
  claimableUntil: Date | null;
}

export interface MemberDeliveries {
  /** By ledger entry id; only settled entries of the campaign. */
  byEntry: Map<number, Delivery>;
  totals: DeliveryTotals[];
}

interface EntryRow {
  id: string | number;
  token: string;
  amount: string;
  escrow: boolean;
  tx_hash: string | null;
}

const toDate = (v: Date | string | null): Date | null =>
  v === null ? null : v instanceof Date ? v : new Date(v);

/** Every settled grant of `memberId` in `campaign` with its delivery (see above). */
export async function memberDeliveries(
  db: Db,
  campaign: Campaign,
  memberId: number,
  now: Date,
): Promise<MemberDeliveries> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // The payout row of each settled grant says where the tokens went (the distributor or the
  // wallet); joined by its primary key (payout id = ledger entry id).
  const entries = await queryRows<EntryRow>(
    db,
    sql`select e.id, e.token, e.amount::text as amount, coalesce(p.escrow, false) as escrow, e.tx_hash
        from ledger_entries e
        left join chain_payouts p on p.campaign_id = e.campaign_id and p.payout_id = e.id
          and p.entry_id = e.id
        where e.member_id = ${memberId} and e.campaign_id = ${campaign.id} and e.state = 'settled'
        order by e.id`,
  );
  const byEntry = new Map<number, Delivery>();
  const totals = new Map<string, DeliveryTotals>();
  const totalOf = (token: string) => {
    let t = totals.get(token);
    if (!t) {
      t = {
        token,
        amounts: Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0n])) as Record<
          DeliveryState,
          bigint
        >,
        claimableSince: null,
        claimableUntil: null,
      };
      totals.set(token, t);
    }
    return t;
  };
  const set = (e: EntryRow, d: Omit<Delivery, "held"> & { held?: boolean }) => {
    byEntry.set(Number(e.id), { held: false, ...d });
    const t = totalOf(e.token);
    t.amounts[d.state] += BigInt(e.amount);
    if (d.state === "claimable") {
      t.claimableSince ??= d.at;
      t.claimableUntil ??= d.until;
    }
  };
  const escrowed = new Map<string, EntryRow[]>();
  for (const e of entries) {
    if (!e.escrow) {
      set(e, { state: "wallet", txHash: e.tx_hash, at: null, until: null });
      continue;
    }
    const list = escrowed.get(e.token) ?? [];
    list.push(e);
    escrowed.set(e.token, list);
  }
  if (escrowed.size === 0) return { byEntry, totals: [...totals.values()] };

  const [releases, leaves, claims] = await Promise.all([
    queryRows<{
      token: string;
      through_entry_id: string | number;
      claimed_before: string;
      status: ReleaseStatus;
      tx_hash: string | null;
      released_at: Date | string | null;
    }>(
      db,
      sql`select token, through_entry_id, claimed_before::text as claimed_before, status, tx_hash,
            released_at
          from chain_releases where campaign_id = ${campaign.id} and member_id = ${memberId}`,
    ),
    // The member's leaf in the latest root in effect per distributor (as claims.ts reads it).
    queryRows<{
      token: string;
      distributor: string;
      activates_at: string | number | null;
      published_at: Date | string | null;
      deadline: string | number;
      through_entry_id: string | number;
    }>(
      db,
      sql`select ep.token, ep.distributor, ep.activates_at, ep.published_at, l.deadline,
            l.through_entry_id
          from chain_epochs ep
          join chain_epoch_leaves l on l.epoch_id = ep.id and l.member_id = ${memberId}
          where ep.campaign_id = ${campaign.id} and ep.status = 'published'
            and ep.epoch = (select max(e2.epoch) from chain_epochs e2
                            where e2.distributor = ep.distributor and e2.status = 'published'
                              and coalesce(e2.activates_at, 0) <= (
                                select coalesce(max(block_timestamp), ${nowSeconds}) from chain_cursors
                                where name like 'indexer:%'))`,
    ),
    queryRows<{ distributor: string; total: string }>(
      db,
      sql`select distributor, sum(amount)::text as total from chain_claims
          where member_id = ${memberId} group by distributor`,
    ),
  ]);
  const claimedBy = new Map(claims.map((c) => [c.distributor.toLowerCase(), BigInt(c.total)]));
  for (const [token, list] of escrowed) {
    const release = releases.find((r) => r.token === token);
    const leaf = leaves.find((l) => l.token === token);
    const distributor = (
      campaign.deployment?.tokens[token]?.distributor ??
      leaf?.distributor ??
      ""
    ).toLowerCase();
    const claimed = claimedBy.get(distributor) ?? 0n;
    const claimedBefore = release ? BigInt(release.claimed_before) : 0n;
    const through = release ? Number(release.through_entry_id) : 0;
    let releasedPrefix = 0n;
    let restPrefix = 0n;
    for (const e of list) {
      const amount = BigInt(e.amount);
      if (release && Number(e.id) <= through) {
        releasedPrefix += amount;
        if (releasedPrefix <= claimedBefore) {
          set(e, { state: "claimed", txHash: null, at: null, until: null });
        } else if (release.status === "released") {
          set(e, {
            state: "released",
            txHash: release.tx_hash,
            at: toDate(release.released_at),
            until: null,
          });
        } else {
          set(e, {
            state: "releasing",
            txHash: null,
            at: null,
            until: null,
            held: release.status === "held",
          });
        }
        continue;
      }
      restPrefix += amount;
      const deadline = leaf ? Number(leaf.deadline) : 0;
      if (restPrefix <= claimed - claimedBefore) {
        set(e, { state: "claimed", txHash: null, at: null, until: null });
      } else if (leaf && Number(e.id) <= Number(leaf.through_entry_id) && deadline > nowSeconds) {
        set(e, {
          state: "claimable",
          txHash: null,
          at:
            leaf.activates_at !== null
              ? new Date(Number(leaf.activates_at) * 1000)
              : toDate(leaf.published_at),
          until: new Date(deadline * 1000),
        });
      } else {
        set(e, { state: "reserved", txHash: e.tx_hash, at: null, until: null });
      }
    }
  }
  return { byEntry, totals: [...totals.values()] };
}

/**
 * Where referral rewards came from, for the history: the friend who joined (level 1: a
 * direct referral, named) or, at level 2, the direct friend who invited them (people further
 * down never dealt with the member and stay unnamed, as in the network list).
 */
export interface RewardSource {
  /** The referred member's public number. */
  refereeId: number;
  /** Level 1: the friend's first name (or @username). */
  friend: string | null;
  /** Level 2: the member's direct friend who invited the referee. */
  via: string | null;
}

export async function rewardSources(
  db: Db,
  entryIds: readonly number[],
): Promise<Map<number, RewardSource>> {
  if (entryIds.length === 0) return new Map();
  const rows = await queryRows<{
    id: string | number;
    referee_id: string | number;
    friend: string | null;
    via: string | null;
  }>(
    db,
    sql`select e.id, r.referee_id,
          case when e.level = 1 then coalesce(mr.first_name, '@' || mr.username) end as friend,
          case when e.level = 2 then coalesce(mf.first_name, '@' || mf.username) end as via
        from ledger_entries e
        join referrals r on r.id = e.referral_id
        join members mr on mr.id = r.referee_id
        join members mf on mf.id = r.referrer_id
        where e.id in (${sql.join(
          entryIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { refereeId: Number(r.referee_id), friend: r.friend, via: r.via },
    ]),
  );
}
