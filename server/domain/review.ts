/**
 * The review queue: referrals the fraud checks flagged. Approving pays them (caps and
 * budget still apply); rejecting records the reason. Every decision is audited.
 */
import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { members, referrals, reviewItems } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { Actor, DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  countOnLeaderboard,
  emitOutcome,
  payReferral,
  type QualifyOutcome,
  setStatus,
} from "./qualification.ts";

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

/** Review items by status, newest first, paged by id. */
export async function listReviews(
  db: Db,
  q: { status?: "open" | "approved" | "rejected"; limit: number; before?: number },
): Promise<ReviewListItem[]> {
  const rows = await db
    .select({ r: reviewItems, ref: referrals })
    .from(reviewItems)
    .innerJoin(referrals, eq(referrals.id, reviewItems.referralId))
    .where(
      and(
        q.status ? eq(reviewItems.status, q.status) : undefined,
        q.before !== undefined ? lt(reviewItems.id, q.before) : undefined,
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
  actor: Actor,
  reason?: string,
): Promise<QualifyOutcome> {
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
    await writeAudit(tx, {
      actor,
      action: "review.approved",
      subjectType: "review",
      subjectId: item.id,
      details: {
        referralId: referral.id,
        reasons: item.reasons,
        reason: reason ?? null,
        entryIds: paid.entryIds,
        before: { status: item.status, referralStatus: referral.status },
        after: { status: "approved", referralStatus: "qualified" },
      },
      at: now,
    });
    return result;
  });
  emitOutcome(ctx, outcome);
  return outcome;
}

/** Rejects a flagged referral; it will never pay. */
export async function rejectReview(
  ctx: DomainContext,
  reviewId: number,
  actor: Actor,
  reason: string,
): Promise<QualifyOutcome> {
  const now = ctx.now();
  const outcome = await transaction(ctx.db, async (tx): Promise<QualifyOutcome> => {
    const { item, referral } = await lockOpenItem(tx, reviewId);
    await setStatus(tx, referral, "rejected", now, { statusReason: `rejected: ${reason}` });
    await tx
      .update(reviewItems)
      .set({ status: "rejected", decidedAt: now, decidedBy: actor, decisionReason: reason })
      .where(eq(reviewItems.id, item.id));
    await writeAudit(tx, {
      actor,
      action: "review.rejected",
      subjectType: "review",
      subjectId: item.id,
      details: {
        referralId: referral.id,
        reasons: item.reasons,
        reason,
        before: { status: item.status, referralStatus: referral.status },
        after: { status: "rejected", referralStatus: "rejected" },
      },
      at: now,
    });
    return { status: "rejected", referralId: referral.id, campaignId: referral.campaignId, reason };
  });
  emitOutcome(ctx, outcome);
  return outcome;
}

/** How many reviews wait for a decision. */
export async function openReviewCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(reviewItems)
    .where(eq(reviewItems.status, "open"));
  return Number(row?.n ?? 0);
}
