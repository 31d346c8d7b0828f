/**
 * Badges earned in a campaign and their way on-chain (issue 14): tier badges (the campaign
 * file's `tiers[].badgeId`) and achievement badges (`badges[].achievement`: first invite, 10
 * qualified friends, a 7-day check-in streak, first perk).
 *
 * Earning is decided here, exactly once per (campaign, member, badge): the unique key of
 * `badge_awards` turns every repeated award into nothing. {@link sweepBadgeAwards} awards
 * what the database shows (set-based, one statement per rule) and is run by the badge minter
 * before each batch; {@link awardAchievement} is for callers that decide themselves (the
 * daily check-in's streak of 7).
 *
 * The rows are the minting outbox, moved only by the transitions of
 * {@link BADGE_AWARD_TRANSITIONS} (each update guarded by the states it leaves, so a repeated
 * hook or a re-indexed log changes nothing): a member without a wallet waits
 * (`awaiting_wallet`) and is queued when they link one; queued awards form `mintBatch` sends
 * per badge (the chain layer's badge minter, with the badge minter key); the indexer's mint
 * log marks them `minted`. `Badges.mintBatch` skips an account already minted to, so a resent
 * batch after a crash never mints twice. A member's tier badge follows the tier: when the
 * tier changes, the new tier's badge is awarded and the old one is revoked on-chain
 * (`Badges.revoke`), or simply dropped if it was never minted. The contract keeps a record
 * that a badge was minted to an account, so a revoked tier badge is not minted again if the
 * member returns to that tier.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import { type BadgeAwardStatus, badgeAwards } from "../db/schema/loyalty.ts";
import type { BadgeAchievement } from "./campaign.ts";
import type { Campaign } from "./registry.ts";

export const BADGE_AWARD_TRANSITIONS = {
  /** Earned (insert): `queued` with a wallet, else `awaiting_wallet`. */
  award: { from: [], to: "queued" },
  /** The member linked a wallet. */
  link: { from: ["awaiting_wallet"], to: "queued" },
  /** Taken into a `mintBatch` send. */
  batch: { from: ["queued"], to: "minting" },
  /** The mint send was given up or reverted: queued again. */
  requeue: { from: ["minting"], to: "queued" },
  /** The indexer saw the mint. */
  mint: { from: ["awaiting_wallet", "queued", "minting"], to: "minted" },
  /** A tier badge left behind that is on-chain: to be revoked. */
  retire: { from: ["minted"], to: "revoke_queued" },
  /** A tier badge left behind before it was minted: dropped. */
  drop: { from: ["awaiting_wallet", "queued"], to: "revoked" },
  /** Taken into a `revoke` send. */
  revokeBatch: { from: ["revoke_queued"], to: "revoking" },
  /** The revoke send was given up or reverted: queued again. */
  revokeRequeue: { from: ["revoking"], to: "revoke_queued" },
  /** The indexer saw the burn (or the chain says it is not held). */
  revoke: { from: ["minted", "revoke_queued", "revoking"], to: "revoked" },
  /**
   * A reorg took the mint's block away, and the send that carried it is still followed by the
   * sender (it broadcasts the same transaction again, or requeues the award when its nonce was
   * taken): back on that send, minted when the indexer sees it on the new chain.
   */
  unmint: { from: ["minted"], to: "minting" },
  /** A reorg took the mint away and no open send carries it: queued for a new batch. */
  unmintRequeue: { from: ["minted"], to: "queued" },
  /** A reorg took the burn away; its revoke send is still followed: back on it. */
  unrevoke: { from: ["revoked"], to: "revoking" },
  /** A reorg took the burn away and no open send carries it: queued to be revoked again. */
  unrevokeRequeue: { from: ["revoked"], to: "revoke_queued" },
} as const satisfies Record<string, { from: readonly BadgeAwardStatus[]; to: BadgeAwardStatus }>;

type Transition = keyof typeof BADGE_AWARD_TRANSITIONS;
const from = (t: Transition) => [...BADGE_AWARD_TRANSITIONS[t].from] as BadgeAwardStatus[];
const to = (t: Transition) => BADGE_AWARD_TRANSITIONS[t].to;
const list = (t: Transition) =>
  sql.join(
    from(t).map((s) => sql`${s}`),
    sql`, `,
  );

/** Achievements the sweep finds in the database (the streak from the check-ins' achievements). */
const ACHIEVEMENT_MEMBERS: Partial<
  Record<BadgeAchievement, (campaignId: number) => ReturnType<typeof sql>>
> = {
  // Counters are per campaign: a badge of this campaign counts this campaign's referrals.
  first_invite: (campaignId) =>
    sql`select member_id from referral_counters where campaign_id = ${campaignId} and level = 1
        group by member_id having sum(count) >= 1`,
  qualified_10: (campaignId) =>
    sql`select member_id from referral_counters where campaign_id = ${campaignId} and level = 1
        and status = 'qualified' and count >= 10`,
  // A 7-day check-in streak, recorded once by server/domain/checkins.ts.
  streak_7: (campaignId) =>
    sql`select member_id from achievements where campaign_id = ${campaignId} and kind = 'streak-7'`,
  first_perk: (campaignId) =>
    sql`select distinct member_id from chain_coupons
        where campaign_id = ${campaignId} and status = 'issued' and member_id is not null`,
};

/** Inserts the awards of `members` (a query of `member_id`s) for `badgeId`; returns how many. */
async function awardMembers(
  tx: Db,
  campaignId: number,
  badgeId: number,
  reason: string,
  members: ReturnType<typeof sql>,
  now: Date,
): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`insert into badge_awards (campaign_id, member_id, badge_id, reason, status, account,
          created_at, updated_at)
        select ${campaignId}, m.member_id, ${badgeId}, ${reason},
          case when w.address is null then 'awaiting_wallet' else ${to("award")} end, w.address,
          ${now}, ${now}
        from (${members}) m left join member_wallets w on w.member_id = m.member_id
        on conflict (campaign_id, member_id, badge_id) do nothing
        returning id`,
  );
  return rows.length;
}

export interface SweepReport {
  awarded: number;
  linked: number;
  retired: number;
}

/**
 * Awards every badge the database shows a member has earned in `campaign` and not been
 * awarded yet, moves tier badges with the tier, and queues awards of members who linked a
 * wallet since. Idempotent: a second run finds nothing to do.
 */
export async function sweepBadgeAwards(
  tx: Db,
  campaign: Campaign,
  now: Date,
): Promise<SweepReport> {
  const def = campaign.definition;
  const known = new Set(def.badges.map((b) => b.id));
  let awarded = 0;
  let retired = 0;
  const tiers = def.tiers.filter((t) => t.badgeId === undefined || known.has(t.badgeId));
  if (tiers.some((t) => t.badgeId !== undefined)) {
    // Each member's current tier (with at least one qualified friend) and its badge.
    const values = sql.join(
      tiers.map((t) => sql`(${t.minQualified}::int, ${t.badgeId ?? null}::int, ${t.id}::text)`),
      sql`, `,
    );
    const current = sql`select distinct on (q.member_id) q.member_id, t.badge_id, t.tier
      from referral_counters q join (values ${values}) as t(min_qualified, badge_id, tier)
        on q.count >= t.min_qualified
      where q.campaign_id = ${campaign.id} and q.level = 1 and q.status = 'qualified' and q.count > 0
      order by q.member_id, t.min_qualified desc`;
    const tierBadges = tiers.flatMap((t) => (t.badgeId === undefined ? [] : [t.badgeId]));
    const left = await queryRows<{ id: number }>(
      tx,
      sql`with cur as (${current})
          update badge_awards a set
            status = case when a.status in (${list("retire")}) then ${to("retire")} else ${to("drop")} end,
            updated_at = ${now}
          from cur
          where a.campaign_id = ${campaign.id} and a.member_id = cur.member_id
            and a.reason like 'tier:%'
            and a.badge_id in (${sql.join(
              tierBadges.map((b) => sql`${b}`),
              sql`, `,
            )})
            and a.badge_id is distinct from cur.badge_id
            and a.status in (${list("retire")}, ${list("drop")})
          returning a.id`,
    );
    retired += left.length;
    awarded += (
      await queryRows<{ id: number }>(
        tx,
        sql`with cur as (${current})
            insert into badge_awards (campaign_id, member_id, badge_id, reason, status, account,
              created_at, updated_at)
            select ${campaign.id}, cur.member_id, cur.badge_id, 'tier:' || cur.tier,
              case when w.address is null then 'awaiting_wallet' else ${to("award")} end,
              w.address, ${now}, ${now}
            from cur left join member_wallets w on w.member_id = cur.member_id
            where cur.badge_id is not null
            on conflict (campaign_id, member_id, badge_id) do nothing
            returning id`,
      )
    ).length;
  }
  for (const badge of def.badges) {
    const members = badge.achievement && ACHIEVEMENT_MEMBERS[badge.achievement]?.(campaign.id);
    if (members)
      awarded += await awardMembers(tx, campaign.id, badge.id, badge.achievement!, members, now);
  }
  const linked = await queryRows<{ id: number }>(
    tx,
    sql`update badge_awards a set status = ${to("link")}, account = w.address, updated_at = ${now}
        from member_wallets w
        where a.campaign_id = ${campaign.id} and a.status in (${list("link")})
          and w.member_id = a.member_id
        returning a.id`,
  );
  return { awarded, linked: linked.length, retired };
}

/**
 * Awards the campaign's badge for `achievement` to a member, once (for example the daily
 * check-in's `streak_7`). Returns whether this call awarded it; false when the campaign has no
 * badge for the achievement or the member has it already.
 */
export async function awardAchievement(
  db: Db,
  campaign: Campaign,
  memberId: number,
  achievement: BadgeAchievement,
  now: Date,
): Promise<boolean> {
  const badge = campaign.definition.badges.find((b) => b.achievement === achievement);
  if (!badge) return false;
  const n = await awardMembers(
    db,
    campaign.id,
    badge.id,
    achievement,
    sql`select ${memberId}::bigint as member_id`,
    now,
  );
  return n > 0;
}

/** Queued mints of a campaign (locked for the caller's transaction), per badge, oldest first. */
export async function queuedBadgeMints(tx: Db, campaignId: number, limit: number) {
  return queryRows<{ id: number; badge_id: number; account: string }>(
    tx,
    sql`select id, badge_id, account from badge_awards
        where campaign_id = ${campaignId} and status in (${list("batch")}) and account is not null
        order by badge_id, id limit ${limit} for update skip locked`,
  );
}

/** Tier badges to revoke (locked for the caller's transaction). */
export async function queuedBadgeRevokes(tx: Db, campaignId: number, limit: number) {
  return queryRows<{ id: number; badge_id: number; account: string }>(
    tx,
    sql`select id, badge_id, account from badge_awards
        where campaign_id = ${campaignId} and status in (${list("revokeBatch")})
        order by id limit ${limit} for update skip locked`,
  );
}

/** `batch` / `revokeBatch`: the awards `ids` ride on send `sendId`. */
export async function badgeAwardsSent(
  tx: Db,
  ids: number[],
  sendId: number,
  kind: "mint" | "revoke",
  now: Date,
): Promise<void> {
  const t = kind === "mint" ? "batch" : "revokeBatch";
  await tx
    .update(badgeAwards)
    .set({ status: to(t), sendId, updatedAt: now })
    .where(and(inArray(badgeAwards.id, ids), inArray(badgeAwards.status, from(t))));
}

/** A badge send was signed: its hash on the awards it carries. */
export async function badgeSendSigned(tx: Db, sendId: number, hash: string, now: Date) {
  await tx
    .update(badgeAwards)
    .set({ txHash: hash, updatedAt: now })
    .where(and(eq(badgeAwards.sendId, sendId), eq(badgeAwards.status, "minting")));
  await tx
    .update(badgeAwards)
    .set({ revokeTxHash: hash, updatedAt: now })
    .where(and(eq(badgeAwards.sendId, sendId), eq(badgeAwards.status, "revoking")));
}

/**
 * `requeue` / `revokeRequeue`: a badge send was given up or reverted. `notHeld`: the chain says
 * the account does not hold the badge any more (`BadgesNotHeld`), so a revocation is done.
 */
export async function badgeSendFailed(tx: Db, sendId: number, now: Date, notHeld = false) {
  await tx
    .update(badgeAwards)
    .set({ status: to("requeue"), sendId: null, updatedAt: now })
    .where(and(eq(badgeAwards.sendId, sendId), inArray(badgeAwards.status, from("requeue"))));
  await tx
    .update(badgeAwards)
    .set({ status: notHeld ? to("revoke") : to("revokeRequeue"), sendId: null, updatedAt: now })
    .where(and(eq(badgeAwards.sendId, sendId), inArray(badgeAwards.status, from("revokeRequeue"))));
}

/** A badge mint or burn the indexer read (`delta` > 0: minted, < 0: burned). */
export interface BadgeEvent {
  campaignId: number;
  account: string;
  badgeId: number;
  delta: number;
  txHash: string;
}

/** `mint` / `revoke`: what the chain shows becomes the awards' state. */
export async function badgeEventsIndexed(tx: Db, events: BadgeEvent[], now: Date) {
  for (const e of events) {
    const mint = e.delta > 0;
    await tx.execute(
      sql`update badge_awards set
            status = ${mint ? to("mint") : to("revoke")},
            ${mint ? sql`tx_hash` : sql`revoke_tx_hash`} = ${e.txHash},
            send_id = null, updated_at = ${now}
          where campaign_id = ${e.campaignId} and badge_id = ${e.badgeId}
            and lower(account) = ${e.account.toLowerCase()}
            and status in (${mint ? list("mint") : list("revoke")})`,
    );
  }
}

/**
 * A reorg took these badge logs away (the indexer's rewind, in its transaction): the awards
 * they had marked `minted` (or `revoked`) go back to the send that carried them when the
 * sender still follows it (`unmint` / `unrevoke`: it broadcasts the same transaction again on
 * the new chain, or requeues them if the nonce was used by something else), else to the queue
 * (`unmintRequeue` / `unrevokeRequeue`). Either way the pipeline mints (or revokes) once on
 * the new chain: `mintBatch` skips an account already minted to, and the indexer marks the
 * award from the new log. Awards are matched by the log's transaction, so a burn rewound never
 * touches a tier badge dropped before it was minted. Returns how many awards moved back.
 */
export async function badgeEventsRewound(
  tx: Db,
  events: readonly BadgeEvent[],
  now: Date,
): Promise<number> {
  let moved = 0;
  for (const e of events) {
    const mint = e.delta > 0;
    const [onSend, requeue] = mint
      ? (["unmint", "unmintRequeue"] as const)
      : (["unrevoke", "unrevokeRequeue"] as const);
    const hashColumn = mint ? sql`tx_hash` : sql`revoke_tx_hash`;
    const rows = await queryRows<{ id: number }>(
      tx,
      sql`update badge_awards a set
            status = case when s.id is null then ${to(requeue)} else ${to(onSend)} end,
            send_id = s.id, updated_at = ${now}
          from badge_awards b
            left join chain_send_txs t on t.hash = ${e.txHash}
            left join chain_sends s on s.id = t.send_id
              and s.status in ('pending', 'signed', 'sent', 'mined', 'confirmed')
          where a.id = b.id and a.campaign_id = ${e.campaignId} and a.badge_id = ${e.badgeId}
            and lower(a.account) = ${e.account.toLowerCase()}
            and lower(a.${hashColumn}) = ${e.txHash.toLowerCase()}
            and a.status in (${list(onSend)})
          returning a.id`,
    );
    moved += rows.length;
  }
  return moved;
}

export interface MemberBadge {
  badgeId: number;
  reason: string;
  status: BadgeAwardStatus;
  account: string | null;
  txHash: string | null;
  awardedAt: Date;
}

/** A member's badges in a campaign (revoked ones left out), oldest first. */
export async function memberBadges(
  db: Db,
  campaignId: number,
  memberId: number,
): Promise<MemberBadge[]> {
  const rows = await db
    .select()
    .from(badgeAwards)
    .where(
      and(
        eq(badgeAwards.campaignId, campaignId),
        eq(badgeAwards.memberId, memberId),
        sql`${badgeAwards.status} <> 'revoked'`,
      ),
    )
    .orderBy(asc(badgeAwards.id));
  return rows.map((r) => ({
    badgeId: r.badgeId,
    reason: r.reason,
    status: r.status,
    account: r.account,
    txHash: r.txHash,
    awardedAt: r.createdAt,
  }));
}
