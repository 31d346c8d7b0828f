/**
 * The referral tree: ancestors of a member and the per-level counters kept for them.
 * Each campaign has its own tree (a member is referred at most once per campaign, possibly
 * by different people in different campaigns), so every walk stays in one campaign.
 * Attributions are never changed and loops are refused, so each tree is a forest; the
 * depth limit is a second guard.
 */
import { sql } from "drizzle-orm";
import { type Db, invalidateReads, queryRows } from "../db/index.ts";
import type { ReferralStatus } from "../db/schema.ts";
import { statsTag } from "./readTags.ts";

/** Counters and reward levels never look deeper than this. */
export const MAX_LEVELS = 10;

export interface AncestorRow {
  memberId: number;
  level: number;
  banned: boolean;
}

/**
 * Ancestors of `memberId` in a campaign's tree: level 1 is who referred them there, level 2
 * that member's referrer in the same campaign, …
 */
export async function ancestorsOf(
  db: Db,
  campaignId: number,
  memberId: number,
  maxLevel = MAX_LEVELS,
): Promise<AncestorRow[]> {
  const rows = await queryRows<{ member_id: string | number; level: number; banned: boolean }>(
    db,
    sql`with recursive anc(member_id, level) as (
          select referrer_id, 1 from referrals
          where referee_id = ${memberId} and campaign_id = ${campaignId}
          union all
          select r.referrer_id, a.level + 1 from referrals r join anc a on r.referee_id = a.member_id
          where r.campaign_id = ${campaignId} and a.level < ${maxLevel}
        )
        select a.member_id::text as member_id, a.level::int as level, (m.banned_at is not null) as banned
        from anc a join members m on m.id = a.member_id order by a.level`,
  );
  return rows.map((r) => ({
    memberId: Number(r.member_id),
    level: Number(r.level),
    banned: r.banned,
  }));
}

/**
 * Moves the referral of `refereeId` in a campaign from one status to another in that
 * campaign's counters of every ancestor (`from: null` for a new referral).
 */
export async function moveCounters(
  tx: Db,
  campaignId: number,
  refereeId: number,
  from: ReferralStatus | null,
  to: ReferralStatus,
): Promise<void> {
  const ancestors = sql`with recursive anc(member_id, level) as (
      select referrer_id, 1 from referrals
      where referee_id = ${refereeId} and campaign_id = ${campaignId}
      union all
      select r.referrer_id, a.level + 1 from referrals r join anc a on r.referee_id = a.member_id
      where r.campaign_id = ${campaignId} and a.level < ${MAX_LEVELS}
    )`;
  if (from !== null) {
    await tx.execute(sql`${ancestors}
      update referral_counters c set count = c.count - 1
      from anc where c.campaign_id = ${campaignId} and c.member_id = anc.member_id
        and c.level = anc.level and c.status = ${from}`);
  }
  const moved = await queryRows<{ member_id: string }>(
    tx,
    sql`${ancestors}
    insert into referral_counters (campaign_id, member_id, level, status, count)
    select ${campaignId}::int, member_id, level, ${to}, 1 from anc
    on conflict (member_id, campaign_id, level, status) do update set count = referral_counters.count + 1
    returning member_id::text`,
  );
  invalidateReads(
    tx,
    moved.map((r) => statsTag(Number(r.member_id))),
  );
}
