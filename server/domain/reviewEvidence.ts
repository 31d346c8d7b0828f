/**
 * The evidence behind one review item, for the admin console: the fraud signals that fired
 * (the item's reasons), the two members by name, the referral chain above the referrer, what
 * the referee shares with other members (IP, device, wallet) and the timing. Needs
 * `review.read` in the item's campaign; audited as `review.evidence_read` (it names members).
 */
import { and, count, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { members, referrals, reviewItems, walletEvents } from "../db/schema.ts";
import { auditAdminRead } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

export interface EvidenceMember {
  id: number;
  username: string | null;
  firstName: string | null;
  firstSeenAt: Date;
  banned: boolean;
}

export interface ReviewEvidence {
  reviewId: number;
  campaignId: number;
  reasons: string[];
  referrer: EvidenceMember;
  referee: EvidenceMember;
  /** Who referred the referrer, and so on up (nearest first, at most 5) in this campaign. */
  chain: EvidenceMember[];
  /** Other referrals in the campaign from the same IP hash / device hash (0 when unknown). */
  sharedIp: number;
  sharedDevice: number;
  /** Other members who linked a wallet the referee linked. */
  sharedWalletMembers: number[];
  /** Seconds from the referee's first contact to the attribution, and to the review. */
  secondsToAttribution: number;
  secondsToReview: number;
  /** How many referrals the referrer made in the campaign within 24 hours of this one. */
  referrerBurst24h: number;
}

const CHAIN_DEPTH = 5;

export async function reviewEvidence(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  reviewId: number,
): Promise<ReviewEvidence> {
  const evidence = await collectEvidence(ctx.db, reviewId, (campaignId) =>
    authorize(ctx, by, "review.read", campaignId, { type: "review", id: reviewId }),
  );
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "review.evidence_read",
    subjectType: "review",
    subjectId: reviewId,
    campaignId: evidence.campaignId,
    details: {},
  });
  return evidence;
}

/**
 * The evidence of review items for the admins' alerts in the bot (adminAlerts.ts), read by
 * the system: the alert goes only to those whose roles allow `review.read` in the campaign,
 * and the alert itself is audited there. Items gone meanwhile are left out.
 */
export async function evidenceForAlert(
  db: Db,
  reviewIds: readonly number[],
): Promise<ReviewEvidence[]> {
  const out: ReviewEvidence[] = [];
  for (const id of reviewIds) {
    try {
      out.push(await collectEvidence(db, id, async () => {}));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return out;
}

async function collectEvidence(
  db: Db,
  reviewId: number,
  check: (campaignId: number) => Promise<void>,
): Promise<ReviewEvidence> {
  const [item] = await db
    .select({ r: reviewItems, ref: referrals })
    .from(reviewItems)
    .innerJoin(referrals, eq(referrals.id, reviewItems.referralId))
    .where(eq(reviewItems.id, reviewId));
  if (!item) throw new DomainError("review_not_found", `no review ${reviewId}`, { reviewId });
  const { r, ref } = item;
  await check(r.campaignId);

  const person = async (id: number): Promise<EvidenceMember> => {
    const [m] = await db
      .select({
        id: members.id,
        username: members.username,
        firstName: members.firstName,
        firstSeenAt: members.firstSeenAt,
        bannedAt: members.bannedAt,
      })
      .from(members)
      .where(eq(members.id, id));
    if (!m) throw new DomainError("member_not_found", `no member ${id}`, { memberId: id });
    return {
      id: m.id,
      username: m.username,
      firstName: m.firstName,
      firstSeenAt: m.firstSeenAt,
      banned: m.bannedAt !== null,
    };
  };
  const [referrer, referee] = await Promise.all([person(ref.referrerId), person(ref.refereeId)]);

  const chain: EvidenceMember[] = [];
  const seen = new Set([ref.refereeId, ref.referrerId]);
  let current = ref.referrerId;
  for (let depth = 0; depth < CHAIN_DEPTH; depth++) {
    const [up] = await db
      .select({ referrerId: referrals.referrerId })
      .from(referrals)
      .where(and(eq(referrals.refereeId, current), eq(referrals.campaignId, r.campaignId)));
    if (!up || seen.has(up.referrerId)) break;
    seen.add(up.referrerId);
    chain.push(await person(up.referrerId));
    current = up.referrerId;
  }

  const sharing = async (
    column: typeof referrals.ipHash | typeof referrals.deviceHash,
    value: string | null,
  ) => {
    if (value === null) return 0;
    const [row] = await db
      .select({ n: count() })
      .from(referrals)
      .where(
        and(eq(column, value), eq(referrals.campaignId, r.campaignId), ne(referrals.id, ref.id)),
      );
    return row?.n ?? 0;
  };
  const [sharedIp, sharedDevice] = await Promise.all([
    sharing(referrals.ipHash, ref.ipHash),
    sharing(referrals.deviceHash, ref.deviceHash),
  ]);
  const wallets = await db
    .selectDistinct({ memberId: walletEvents.memberId })
    .from(walletEvents)
    .where(
      and(
        sql`${walletEvents.address} in (select w.address from wallet_events w where w.member_id = ${ref.refereeId})`,
        ne(walletEvents.memberId, ref.refereeId),
      ),
    );
  const dayMs = 24 * 60 * 60 * 1000;
  const [burst] = await db
    .select({ n: count() })
    .from(referrals)
    .where(
      and(
        eq(referrals.referrerId, ref.referrerId),
        eq(referrals.campaignId, r.campaignId),
        sql`${referrals.attributedAt} between ${new Date(ref.attributedAt.getTime() - dayMs).toISOString()}::timestamptz and ${new Date(ref.attributedAt.getTime() + dayMs).toISOString()}::timestamptz`,
      ),
    );

  const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);
  return {
    reviewId,
    campaignId: r.campaignId,
    reasons: r.reasons,
    referrer,
    referee,
    chain,
    sharedIp,
    sharedDevice,
    sharedWalletMembers: wallets.map((w) => w.memberId).sort((a, b) => a - b),
    secondsToAttribution: seconds(referee.firstSeenAt, ref.attributedAt),
    secondsToReview: seconds(ref.attributedAt, r.createdAt),
    referrerBurst24h: burst?.n ?? 0,
  };
}
