/**
 * The review queue: referrals the fraud checks flagged. Approving pays them (caps and
 * budget still apply); rejecting records the reason. Deciding needs `review.decide` in the
 * referral's campaign (roles.ts); every decision is audited.
 */
import { and, count, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { members, referrals, reviewItems } from "../db/schema.ts";
import { auditAdminRead, writeAudit } from "./audit.ts";
import { detectAfterQualification } from "./challengeProgress.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  countOnLeaderboard,
  emitOutcome,
  payReferral,
  type QualifyOutcome,
  setStatus,
} from "./qualification.ts";
import { announceReviewDecision } from "./referralStates.ts";
import { type AdminPrincipal, authorize, campaignsWhere } from "./roles.ts";

export interface ReviewListItem {
  id: number;
  status: "open" | "approved" | "rejected";
  reasons: string[];
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
  referral: {
    id: number;
    campaignId: number;
    referrerId: number;
    refereeId: number;
    source: string;
    attributedAt: Date;
  };
}

/**
 * Review items by status, newest first, paged by id; only those of `campaignIds` when given
 * (the campaigns a reviewer may see: `campaignsWhere(principal, "review.read")`).
 */
export async function listReviews(
  db: Db,
  q: {
    status?: "open" | "approved" | "rejected";
    limit: number;
    before?: number;
    campaignIds?: readonly number[];
  },
): Promise<ReviewListItem[]> {
  if (q.campaignIds?.length === 0) return [];
  const rows = await db
    .select({ r: reviewItems, ref: referrals })
    .from(reviewItems)
    .innerJoin(referrals, eq(referrals.id, reviewItems.referralId))
    .where(
      and(
        q.status ? eq(reviewItems.status, q.status) : undefined,
        q.before !== undefined ? lt(reviewItems.id, q.before) : undefined,
        q.campaignIds !== undefined
          ? inArray(reviewItems.campaignId, [...q.campaignIds])
          : undefined,
      ),
    )
    .orderBy(desc(reviewItems.id))
    .limit(q.limit);
  return rows.map(({ r, ref }) => ({
    id: r.id,
    status: r.status,
    reasons: r.reasons,
    createdAt: r.createdAt,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
    decisionReason: r.decisionReason,
    referral: {
      id: ref.id,
      campaignId: ref.campaignId,
      referrerId: ref.referrerId,
      refereeId: ref.refereeId,
      source: ref.source,
      attributedAt: ref.attributedAt,
    },
  }));
}

/**
 * The review queue as an admin sees it: one campaign's (`review.read` there), or, without one,
 * every campaign's where `by` may read it. The read is audited (`review.listed`).
 */
export async function reviewQueue(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  q: {
    status: "open" | "approved" | "rejected";
    limit: number;
    before?: number;
    campaignId?: number;
  },
): Promise<ReviewListItem[]> {
  let campaignIds: readonly number[] | undefined;
  if (q.campaignId !== undefined) {
    await authorize(ctx, by, "review.read", q.campaignId);
    campaignIds = [q.campaignId];
  } else {
    const readable = campaignsWhere(by, "review.read");
    if (readable !== "all" && readable.length === 0) await authorize(ctx, by, "review.read", null);
    campaignIds = readable === "all" ? undefined : readable;
  }
  const items = await listReviews(ctx.db, { ...q, campaignIds });
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "review.listed",
    subjectType: "review",
    subjectId: "queue",
    campaignId: q.campaignId ?? null,
    details: { status: q.status, limit: q.limit, before: q.before ?? null, count: items.length },
  });
  return items;
}

/** The campaign a review item belongs to; `review_not_found` when there is no such item. */
export async function reviewCampaignId(db: Db, reviewId: number): Promise<number> {
  const [row] = await db
    .select({ campaignId: reviewItems.campaignId })
    .from(reviewItems)
    .where(eq(reviewItems.id, reviewId));
  if (!row) throw new DomainError("review_not_found", `no review item ${reviewId}`, { reviewId });
  return row.campaignId;
}

/** `review_not_found`, or `forbidden` unless `by` may decide reviews in the item's campaign. */
async function authorizeDecision(
  ctx: DomainContext,
  by: AdminPrincipal,
  reviewId: number,
): Promise<void> {
  const campaignId = await reviewCampaignId(ctx.db, reviewId);
  await authorize(ctx, by, "review.decide", campaignId, { type: "review", id: reviewId });
}

async function lockOpenItem(tx: Db, reviewId: number) {
  const [row] = await tx
    .select({ item: reviewItems, referral: referrals })
    .from(reviewItems)
    .innerJoin(referrals, eq(referrals.id, reviewItems.referralId))
    .where(eq(reviewItems.id, reviewId))
    .for("update");
  if (!row) throw new DomainError("review_not_found", `no review item ${reviewId}`, { reviewId });
  if (row.item.status !== "open" || row.referral.status !== "review") {
    throw new DomainError(
      "review_closed",
      `review item ${reviewId} is already ${row.item.status}`,
      {
        reviewId,
        status: row.item.status,
      },
    );
  }
  return row;
}

/** Approves a flagged referral and pays it. */
export async function approveReview(
  ctx: DomainContext,
  reviewId: number,
  by: AdminPrincipal,
  reason?: string,
): Promise<QualifyOutcome> {
  await authorizeDecision(ctx, by, reviewId);
  const actor = by.actor;
  const now = ctx.now();
  const outcome = await transaction(ctx.db, async (tx): Promise<QualifyOutcome> => {
    const { item, referral } = await lockOpenItem(tx, reviewId);
    const campaign = ctx.campaigns.requireById(referral.campaignId);
    const [banned] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(members)
      .where(
        and(
          sql`${members.id} in (${referral.refereeId}, ${referral.referrerId})`,
          sql`${members.bannedAt} is not null`,
        ),
      );
    if ((banned?.n ?? 0) > 0) {
      // Banned since it was flagged: approving cannot pay a banned member.
      throw new DomainError(
        "member_banned",
        "the referrer or referee has been banned since; reject instead",
      );
    }
    const paid = await payReferral(tx, campaign, referral, now, false);
    if (paid.status !== "paid") throw new Error("approval cannot be sent back to review");
    await setStatus(tx, referral, "qualified", now, {
      statusReason: `approved: ${item.reasons.join(",")}`,
    });
    await countOnLeaderboard(tx, campaign.id, referral, paid, now);
    const result: QualifyOutcome = {
      status: "qualified",
      referralId: referral.id,
      campaignId: campaign.id,
      entryIds: paid.entryIds,
      grants: paid.grants,
    };
    await tx
      .update(reviewItems)
      .set({ status: "approved", decidedAt: now, decidedBy: actor, decisionReason: reason ?? null })
      .where(eq(reviewItems.id, item.id));
    await announceReviewDecision(tx, referral, "approved", null);
    await writeAudit(tx, {
      actor,
      action: "review.approved",
      subjectType: "review",
      subjectId: item.id,
      campaignId: campaign.id,
      details: {
        referralId: referral.id,
        reasons: item.reasons,
        reason: reason ?? null,
        entryIds: paid.entryIds,
      },
      before: { status: item.status, referralStatus: referral.status },
      after: { status: "approved", referralStatus: "qualified" },
      at: now,
    });
    return result;
  });
  emitOutcome(ctx, outcome);
  await detectAfterQualification(ctx, outcome);
  return outcome;
}

/** Rejects a flagged referral; it will never pay. */
export async function rejectReview(
  ctx: DomainContext,
  reviewId: number,
  by: AdminPrincipal,
  reason: string,
): Promise<QualifyOutcome> {
  await authorizeDecision(ctx, by, reviewId);
  const actor = by.actor;
  const now = ctx.now();
  const outcome = await transaction(ctx.db, async (tx): Promise<QualifyOutcome> => {
    const { item, referral } = await lockOpenItem(tx, reviewId);
    await setStatus(tx, referral, "rejected", now, { statusReason: `rejected: ${reason}` });
    await tx
      .update(reviewItems)
      .set({ status: "rejected", decidedAt: now, decidedBy: actor, decisionReason: reason })
      .where(eq(reviewItems.id, item.id));
    // A rejection was silent: both people hear it, with the reason.
    await announceReviewDecision(tx, referral, "rejected", reason);
    await writeAudit(tx, {
      actor,
      action: "review.rejected",
      subjectType: "review",
      subjectId: item.id,
      campaignId: referral.campaignId,
      details: { referralId: referral.id, reasons: item.reasons, reason },
      before: { status: item.status, referralStatus: referral.status },
      after: { status: "rejected", referralStatus: "rejected" },
      at: now,
    });
    return { status: "rejected", referralId: referral.id, campaignId: referral.campaignId, reason };
  });
  emitOutcome(ctx, outcome);
  return outcome;
}

/** How many reviews wait for a decision (in `campaignIds` when given). */
export async function openReviewCount(db: Db, campaignIds?: readonly number[]): Promise<number> {
  if (campaignIds?.length === 0) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.status, "open"),
        campaignIds !== undefined ? inArray(reviewItems.campaignId, [...campaignIds]) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}
