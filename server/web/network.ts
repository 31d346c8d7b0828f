/**
 * The member's referral network by level, for the dashboard's Referrals screen: who joined
 * through the member directly (level 1) or further down (level 2, 3, …), each with the
 * referral's status and what the member earned from it at that level (so "paid" is the
 * member's own reward for that referral being settled on-chain).
 *
 * Each campaign has its own tree: the walk stays in the campaign asked for.
 *
 * Level N is reached by walking the tree down from the member N steps, never deeper; pages
 * are ordered by referral id, newest first. Names are shown for direct referrals only: people
 * further down never dealt with the member.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import type { EntryState, ReferralStatus } from "../db/schema.ts";

export interface NetworkItem {
  /** The referral's id (page cursor). */
  id: number;
  level: number;
  /** The referred member's public member number. */
  refereeId: number;
  firstName: string | null;
  status: ReferralStatus;
  attributedAt: Date;
  qualifiedAt: Date | null;
  /** The member's reward for this referral at this level, if one was granted. */
  reward: {
    /** The ledger entry (to look up where a settled reward went: server/domain/delivery.ts). */
    entryId: number;
    token: string;
    amount: bigint;
    state: EntryState;
    txHash: string | null;
  } | null;
}

interface Row {
  id: string | number;
  referee_id: string | number;
  first_name: string | null;
  status: ReferralStatus;
  attributed_at: string | Date;
  qualified_at: string | Date | null;
  reward_token: string | null;
  reward_amount: string | null;
  reward_state: EntryState | null;
  reward_tx: string | null;
  reward_id: string | number | null;
}

const date = (v: string | Date) => (v instanceof Date ? v : new Date(v));

export async function listNetwork(
  db: Db,
  memberId: number,
  q: { level: number; limit: number; before?: number; campaignId: number },
): Promise<NetworkItem[]> {
  const rows = await queryRows<Row>(
    db,
    sql`with recursive tree(referral_id, referee_id, level) as (
          select r.id, r.referee_id, 1 from referrals r
          where r.referrer_id = ${memberId} and r.campaign_id = ${q.campaignId}
          union all
          select r.id, r.referee_id, t.level + 1
          from referrals r join tree t on r.referrer_id = t.referee_id
          where r.campaign_id = ${q.campaignId} and t.level < ${q.level}
        )
        select r.id::text as id, r.referee_id::text as referee_id,
               case when t.level = 1 then m.first_name end as first_name,
               r.status, r.attributed_at, r.qualified_at,
               e.token as reward_token, e.amount::text as reward_amount,
               e.state as reward_state, e.tx_hash as reward_tx, e.id as reward_id
        from tree t
        join referrals r on r.id = t.referral_id
        join members m on m.id = r.referee_id
        left join lateral (
          select le.id, le.token, le.amount, le.state, le.tx_hash from ledger_entries le
          where le.referral_id = r.id and le.member_id = ${memberId} and le.level = t.level
          order by le.id desc limit 1
        ) e on true
        where t.level = ${q.level}
          ${q.before !== undefined ? sql`and r.id < ${q.before}` : sql``}
        order by r.id desc
        limit ${q.limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    level: q.level,
    refereeId: Number(r.referee_id),
    firstName: r.first_name,
    status: r.status,
    attributedAt: date(r.attributed_at),
    qualifiedAt: r.qualified_at === null ? null : date(r.qualified_at),
    reward:
      r.reward_state === null || r.reward_token === null || r.reward_amount === null
        ? null
        : {
            entryId: Number(r.reward_id),
            token: r.reward_token,
            amount: BigInt(r.reward_amount),
            state: r.reward_state,
            txHash: r.reward_tx,
          },
  }));
}
