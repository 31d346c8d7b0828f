/**
 * A member's friends as the member should read them (the bot's `/referrals`, the dashboard):
 * each direct referral with the state that says what happens next — waiting for the friend to
 * link a wallet, waiting for the friend's qualifying action, under review, rejected (with the
 * reason), qualified (reward on its way) or paid (the level-1 reward settled on-chain) — and
 * "remind your friend": a message to the friend through the notification queue, at most once
 * per friend per UTC day (the dedupe key carries the day). Each friend carries when they were
 * last reminded and, while that was today (UTC), when the next reminder may go (the next UTC
 * midnight), so the dashboard can say so before the member taps.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { ledgerEntries, members, memberWallets, notifications, referrals } from "../db/schema.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { enqueueNotification } from "./notifications.ts";

export const FRIEND_STATES = [
  "waiting_wallet",
  "waiting",
  "review",
  "rejected",
  "qualified",
  "paid",
] as const;
export type FriendState = (typeof FRIEND_STATES)[number];

export interface FriendItem {
  referralId: number;
  refereeId: number;
  firstName: string | null;
  username: string | null;
  state: FriendState;
  /** Why it was rejected (what the reviewer wrote), for `rejected`. */
  reason: string | null;
  attributedAt: Date;
  /** The friend has not finished: the referrer may remind them. */
  remindable: boolean;
  /** When the referrer last reminded this friend (any day), or null. */
  lastRemindedAt: Date | null;
  /** While a reminder went today (UTC): when the next may go; null when one may go now. */
  nextRemindAt: Date | null;
}

/** The start of the UTC day after `at`: when the once-a-day reminder limit lets go. */
export function nextUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** When the next reminder may go after one at `last`, seen at `now`; null: now. */
function nextReminder(last: Date | null, now: Date): Date | null {
  if (last === null) return null;
  const next = nextUtcDay(last);
  return next > now ? next : null;
}

/**
 * SQL: when the referrer last reminded the friend of the `referrals` row being selected (epoch
 * milliseconds), from the `friend_reminder` rows queued for the friend
 * (`notifications_member_idx`). The outer columns are named with their table: a query of one
 * table renders its columns unqualified, and `id` would then be the notification's.
 */
const lastReminded = () =>
  sql<number | string | null>`(select extract(epoch from max(coalesce(
      (n.data->>'remindedAt')::timestamptz, n.created_at))) * 1000
    from ${notifications} n
    where n.member_id = "referrals"."referee_id" and n.kind = 'friend_reminder'
      and n.data->>'referralId' = "referrals"."id"::text)::float8`;

const toDate = (ms: number | string | null): Date | null =>
  ms === null ? null : new Date(Number(ms));

/** The reason part of a stored status reason (`rejected: <reason>`). */
export function rejectionReason(statusReason: string | null): string | null {
  if (!statusReason) return null;
  const text = statusReason.replace(/^rejected:\s*/, "").trim();
  return text === "" ? null : text;
}

/** The member's direct referrals in a campaign with their states, newest first, paged by id. */
export async function friendStates(
  ctx: Pick<DomainContext, "db" | "campaigns" | "now">,
  memberId: number,
  campaignId: number,
  q: { limit: number; before?: number },
): Promise<FriendItem[]> {
  const campaign = ctx.campaigns.requireById(campaignId);
  const needsWallet = campaign.rules.qualification.type === "wallet_linked";
  const rows = await ctx.db
    .select({
      id: referrals.id,
      refereeId: referrals.refereeId,
      firstName: members.firstName,
      username: members.username,
      status: referrals.status,
      statusReason: referrals.statusReason,
      attributedAt: referrals.attributedAt,
      wallet: memberWallets.address,
      // The referrer's own level-1 reward for it: settled means paid.
      paid: sql<boolean>`exists (select 1 from ${ledgerEntries} e
        where e.referral_id = ${referrals.id} and e.member_id = ${referrals.referrerId}
          and e.kind = 'referral' and e.level = 1 and e.state = 'settled')`,
      lastReminded: lastReminded(),
    })
    .from(referrals)
    .innerJoin(members, eq(members.id, referrals.refereeId))
    .leftJoin(memberWallets, eq(memberWallets.memberId, referrals.refereeId))
    .where(
      and(
        eq(referrals.referrerId, memberId),
        eq(referrals.campaignId, campaignId),
        q.before !== undefined ? lt(referrals.id, q.before) : undefined,
      ),
    )
    .orderBy(desc(referrals.id))
    .limit(q.limit);
  const now = ctx.now();
  return rows.map((r) => {
    const state: FriendState =
      r.status === "pending"
        ? needsWallet && r.wallet === null
          ? "waiting_wallet"
          : "waiting"
        : r.status === "qualified"
          ? r.paid
            ? "paid"
            : "qualified"
          : r.status;
    return {
      referralId: r.id,
      refereeId: r.refereeId,
      firstName: r.firstName,
      username: r.username,
      state,
      reason: state === "rejected" ? rejectionReason(r.statusReason) : null,
      attributedAt: r.attributedAt,
      remindable: r.status === "pending",
      lastRemindedAt: toDate(r.lastReminded),
      nextRemindAt: r.status === "pending" ? nextReminder(toDate(r.lastReminded), now) : null,
    };
  });
}

export type RemindResult = "sent" | "already_today" | "not_waiting";

export interface RemindOutcome {
  result: RemindResult;
  /** The last reminder (this one when `sent`), or null if the friend was never reminded. */
  lastRemindedAt: Date | null;
  /** When the next reminder may go (`sent`, `already_today`: the next UTC midnight), or null. */
  nextRemindAt: Date | null;
}

/**
 * The referrer reminds a friend who has not finished: one `friend_reminder` to the friend,
 * at most once per referral per UTC day. `not_found` unless the referral is the member's own.
 */
export async function remindFriend(
  ctx: Pick<DomainContext, "db" | "now">,
  referrerId: number,
  referralId: number,
): Promise<RemindOutcome> {
  const select = () =>
    ctx.db
      .select({
        campaignId: referrals.campaignId,
        refereeId: referrals.refereeId,
        status: referrals.status,
        lastReminded: lastReminded(),
      })
      .from(referrals)
      .where(and(eq(referrals.id, referralId), eq(referrals.referrerId, referrerId)));
  const [r] = await select();
  if (!r) throw new DomainError("not_found", `no referral ${referralId} of this member`);
  const now = ctx.now();
  if (r.status !== "pending")
    return { result: "not_waiting", lastRemindedAt: toDate(r.lastReminded), nextRemindAt: null };
  const day = now.toISOString().slice(0, 10);
  const added = await enqueueNotification(ctx.db, {
    memberId: r.refereeId,
    kind: "friend_reminder",
    // When, by the domain's clock (the day of the dedupe key): what the lists show.
    data: { campaignId: r.campaignId, referralId, referrerId, remindedAt: now.toISOString() },
    dedupeKey: `friend_reminder:${referralId}:${day}`,
  });
  if (added) return { result: "sent", lastRemindedAt: now, nextRemindAt: nextUtcDay(now) };
  const [after] = await select();
  const last = toDate(after?.lastReminded ?? null);
  return { result: "already_today", lastRemindedAt: last, nextRemindAt: nextUtcDay(now) };
}

/**
 * Both people hear a review's outcome (written in the decision's transaction). An approval
 * pays, and the referrer hears of it through `referral_qualified` already; the referee gets
 * `review_decided`. A rejection reaches both, with the reviewer's reason.
 */
export async function announceReviewDecision(
  tx: Db,
  referral: { id: number; campaignId: number; referrerId: number; refereeId: number },
  outcome: "approved" | "rejected",
  reason: string | null,
): Promise<void> {
  const to =
    outcome === "approved"
      ? ([[referral.refereeId, "referee"]] as const)
      : ([
          [referral.referrerId, "referrer"],
          [referral.refereeId, "referee"],
        ] as const);
  for (const [memberId, role] of to) {
    await enqueueNotification(tx, {
      memberId,
      kind: "review_decided",
      data: {
        campaignId: referral.campaignId,
        referralId: referral.id,
        refereeId: referral.refereeId,
        referrerId: referral.referrerId,
        role,
        outcome,
        reason: outcome === "rejected" ? reason : null,
      },
      dedupeKey: `review_decided:${referral.id}:${role}`,
    });
  }
}
