/**
 * Qualification: a pending referral earns only after the campaign's qualifying action
 * (wallet linked, challenge completed, partner event, or hold period passed). Then fraud
 * checks run; a flagged referral goes to review, a clean one is paid: ledger entries for
 * every level (and the referee's welcome bonus) with their outbox rows, in one transaction.
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import {
  challengeCompletions,
  members,
  memberWallets,
  type ReferralRow,
  referralCounters,
  referrals,
  reviewItems,
} from "../db/schema.ts";
import { announceQualified } from "./announcements.ts";
import { isCampaignActive, type QualificationRule } from "./campaign.ts";
import { grantsOpen } from "./campaignTransitions.ts";
// A cycle by design (functions only): a qualified referral may complete the referrer's "invite N".
import { detectAfterQualification } from "./challengeProgress.ts";
import type { DomainContext } from "./context.ts";
import { type Missing, verdictOf, verdicts } from "./eligibility.ts";
import { type FraudReason, fraudSignals } from "./fraud.ts";
import { addScore, changeReviewHolds } from "./leaderboards.ts";
import {
  chargeBudgets,
  grantedTotals,
  idempotencyKeys,
  lockBudgets,
  lockGrantees,
  readBudgets,
  writeGrant,
} from "./ledger.ts";
import { pilotCapHolds } from "./pilots.ts";
import type { Campaign } from "./registry.ts";
import {
  type Ancestor,
  type PlannedGrant,
  planReferralGrants,
  referralTokens,
  tierFor,
} from "./rules.ts";
import { ancestorsOf, moveCounters } from "./tree.ts";
import { enqueueWebhookEvents, referralQualifiedEvent } from "./webhooks.ts";

export type QualifyingAction =
  | { type: "wallet_linked" }
  | { type: "challenge"; challengeId: string }
  | { type: "partner_event"; partner: string; eventType: string }
  | { type: "hold" };

export type QualifyOutcome =
  | { status: "no_referral" }
  | { status: "not_pending"; referralId: number; referralStatus: ReferralRow["status"] }
  | { status: "not_matching"; referralId: number }
  | {
      status: "qualified";
      referralId: number;
      campaignId: number;
      entryIds: number[];
      grants: PlannedGrant[];
    }
  | { status: "review"; referralId: number; campaignId: number; reasons: FraudReason[] }
  | { status: "rejected"; referralId: number; campaignId: number; reason: string }
  /**
   * The referee has yet to accept the campaign's terms or declare what its participation rules
   * ask (eligibility.ts): nothing is written, the referral stays pending and qualifies when they
   * do (`qualifyAfterDeclaration`).
   */
  | { status: "held"; referralId: number; campaignId: number; missing: Missing[] };

/** Whether `action` is what the campaign's rule asks for (hold: whether the time has come). */
export function actionMatches(
  rule: QualificationRule,
  action: QualifyingAction,
  referral: ReferralRow,
  now: Date,
): boolean {
  switch (rule.type) {
    case "wallet_linked":
      return action.type === "wallet_linked";
    case "challenge":
      return action.type === "challenge" && action.challengeId === rule.challengeId;
    case "partner_event":
      return (
        action.type === "partner_event" &&
        action.partner === rule.partner &&
        action.eventType === rule.eventType
      );
    case "hold":
      return (
        action.type === "hold" &&
        referral.attributedAt.getTime() + rule.hours * 3_600_000 <= now.getTime()
      );
  }
}

/**
 * Qualifies the referral of `refereeId` in a campaign in its own transaction (see
 * {@link qualifyInTx}); without `campaignId`, in every campaign they were referred in
 * ({@link qualifyAllInTx}), returning the {@link primaryOutcome}.
 */
export async function qualify(
  ctx: DomainContext,
  refereeId: number,
  action: QualifyingAction,
  campaignId?: number,
): Promise<QualifyOutcome> {
  const outcomes = await transaction(ctx.db, async (tx) =>
    campaignId === undefined
      ? qualifyAllInTx(ctx, tx, refereeId, action)
      : [await qualifyInTx(ctx, tx, refereeId, action, campaignId)],
  );
  for (const o of outcomes) emitOutcome(ctx, o);
  for (const o of outcomes) await detectAfterQualification(ctx, o);
  return primaryOutcome(outcomes);
}

/**
 * Qualifies every referral of `refereeId` (one per campaign they were referred in) that the
 * action qualifies: one wallet link qualifies the member's pending referral in every campaign
 * that asks for it. The referral rows are locked first, in campaign order, so two such
 * transactions for one member queue instead of deadlocking. `[]` when never referred.
 */
export async function qualifyAllInTx(
  ctx: DomainContext,
  tx: Db,
  refereeId: number,
  action: QualifyingAction,
): Promise<QualifyOutcome[]> {
  const rows = await tx
    .select({ campaignId: referrals.campaignId })
    .from(referrals)
    .where(eq(referrals.refereeId, refereeId))
    .orderBy(referrals.campaignId)
    .for("update");
  const out: QualifyOutcome[] = [];
  for (const r of rows) out.push(await qualifyInTx(ctx, tx, refereeId, action, r.campaignId));
  return out;
}

/**
 * The one outcome to report when an action touched several campaigns: the first that changed
 * something (qualified, review, rejected), else the first at all, else `no_referral`.
 */
export function primaryOutcome(outcomes: readonly QualifyOutcome[]): QualifyOutcome {
  return (
    outcomes.find(
      (o) => o.status === "qualified" || o.status === "review" || o.status === "rejected",
    ) ??
    outcomes.find((o) => o.status !== "not_matching") ??
    outcomes[0] ?? { status: "no_referral" }
  );
}

export function emitOutcome(ctx: DomainContext, o: QualifyOutcome): void {
  if (o.status === "qualified") {
    ctx.events?.qualified?.({
      campaignId: o.campaignId,
      referralId: o.referralId,
      entryIds: o.entryIds,
    });
    if (o.entryIds.length > 0)
      ctx.events?.entriesWritten?.({ campaignId: o.campaignId, count: o.entryIds.length });
  } else if (o.status === "review") {
    ctx.events?.flagged?.({
      campaignId: o.campaignId,
      referralId: o.referralId,
      reasons: o.reasons,
    });
  } else if (o.status === "rejected") {
    ctx.events?.rejected?.({
      campaignId: o.campaignId,
      referralId: o.referralId,
      reason: o.reason,
    });
  }
}

/**
 * Qualifies inside the caller's transaction (so e.g. linking a wallet and the referral it
 * qualifies commit together). Locks the referral row, then the recipients; the budget rows
 * only from the charge at the end (see ledger.ts), so grants to different members do not
 * wait for each other's transactions.
 */
export async function qualifyInTx(
  ctx: DomainContext,
  tx: Db,
  refereeId: number,
  action: QualifyingAction,
  campaignId: number,
): Promise<QualifyOutcome> {
  const now = ctx.now();
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.refereeId, refereeId), eq(referrals.campaignId, campaignId)))
    .for("update");
  if (!referral) return { status: "no_referral" };
  if (referral.status !== "pending") {
    return { status: "not_pending", referralId: referral.id, referralStatus: referral.status };
  }
  const campaign = ctx.campaigns.requireById(referral.campaignId);
  if (!actionMatches(campaign.rules.qualification, action, referral, now)) {
    return { status: "not_matching", referralId: referral.id };
  }
  const [people] = await tx
    .select({
      refereeBanned: sql<boolean>`bool_or(${members.id} = ${referral.refereeId} and ${members.bannedAt} is not null)`,
      referrerBanned: sql<boolean>`bool_or(${members.id} = ${referral.referrerId} and ${members.bannedAt} is not null)`,
    })
    .from(members)
    .where(inArray(members.id, [referral.refereeId, referral.referrerId]));
  if (people?.refereeBanned || people?.referrerBanned) {
    const reason = people.refereeBanned ? "referee_banned" : "referrer_banned";
    await setStatus(tx, referral, "rejected", now, { statusReason: reason });
    return { status: "rejected", referralId: referral.id, campaignId: campaign.id, reason };
  }
  // The campaign's terms and participation rules: refused is final, missing waits.
  const verdict = await verdictOf(tx, campaign, referral.refereeId);
  if (!verdict.ok && verdict.refused !== undefined) {
    await setStatus(tx, referral, "rejected", now, { statusReason: verdict.refused });
    return {
      status: "rejected",
      referralId: referral.id,
      campaignId: campaign.id,
      reason: verdict.refused,
    };
  }
  if (!verdict.ok)
    return {
      status: "held",
      referralId: referral.id,
      campaignId: campaign.id,
      missing: verdict.missing,
    };

  // The budget is charged last, in a savepoint: when it no longer fits (others spent it since
  // the plan read it), the savepoint goes and the referral is paid again under the budget
  // rows' lock, which cuts the amounts to what is left.
  try {
    return await tx.transaction((sp) =>
      settleReferral(sp, campaign, referral, action, now, "charge"),
    );
  } catch (error) {
    if (!(error instanceof BudgetRaceError)) throw error;
    return settleReferral(tx, campaign, referral, action, now, "lock");
  }
}

/** The plan read a budget that others spent before this grant could charge it. */
class BudgetRaceError extends Error {}

/** Pays a qualifying referral (or sends it to review) and moves it to its new status. */
async function settleReferral(
  tx: Db,
  campaign: Campaign,
  referral: ReferralRow,
  action: QualifyingAction,
  now: Date,
  budget: "charge" | "lock",
): Promise<QualifyOutcome> {
  const paid = await payReferral(tx, campaign, referral, now, true, budget);
  if (paid.status === "review") {
    await setStatus(tx, referral, "review", now, {
      statusReason: paid.reasons.join(","),
      qualifiedBy: action.type,
    });
    await tx.insert(reviewItems).values({
      referralId: referral.id,
      campaignId: campaign.id,
      reasons: paid.reasons,
      status: "open",
      createdAt: now,
    });
    return {
      status: "review",
      referralId: referral.id,
      campaignId: campaign.id,
      reasons: paid.reasons,
    };
  }
  await setStatus(tx, referral, "qualified", now, {
    qualifiedBy: action.type,
    statusReason: paid.note ?? null,
  });
  // Last: the budget row stays locked from here to the commit only.
  if (!(await chargeBudgets(tx, campaign.id, paid.charges))) throw new BudgetRaceError();
  // After the budget (bucket rows are the last rows a transaction locks: leaderboards.ts).
  await countOnLeaderboard(tx, campaign.id, referral, paid, now);
  return {
    status: "qualified",
    referralId: referral.id,
    campaignId: campaign.id,
    entryIds: paid.entryIds,
    grants: paid.grants,
  };
}

/**
 * A referral just qualified and paid: one more qualified referral on its referrer's referral
 * boards (not when the campaign had ended: the boards count what the campaign counted).
 */
export async function countOnLeaderboard(
  tx: Db,
  campaignId: number,
  referral: ReferralRow,
  paid: { note?: string },
  now: Date,
): Promise<void> {
  if (paid.note === "campaign_inactive") return;
  await addScore(tx, {
    campaignId,
    board: "referrals",
    memberId: referral.referrerId,
    delta: 1,
    at: now,
  });
}

/**
 * Moves a referral to another status, with the referral counters of its ancestors and, when it
 * enters or leaves review, the leaderboard holds of its referrer and referee (a member with a
 * referral in review is left out of the campaign's boards).
 */
export async function setStatus(
  tx: Db,
  referral: ReferralRow,
  to: ReferralRow["status"],
  now: Date,
  extra: { statusReason?: string | null; qualifiedBy?: string },
): Promise<void> {
  await tx
    .update(referrals)
    .set({
      status: to,
      statusReason: extra.statusReason ?? null,
      ...(extra.qualifiedBy !== undefined ? { qualifiedBy: extra.qualifiedBy } : {}),
      ...(to === "qualified" ? { qualifiedAt: now } : {}),
      ...(to === "review" ? { reviewAt: now } : {}),
      ...(to === "rejected" ? { rejectedAt: now } : {}),
    })
    .where(eq(referrals.id, referral.id));
  await moveCounters(tx, referral.campaignId, referral.refereeId, referral.status, to);
  if ((to === "review") !== (referral.status === "review"))
    await changeReviewHolds(
      tx,
      referral.campaignId,
      [referral.referrerId, referral.refereeId],
      to === "review" ? 1 : -1,
    );
}

type PayResult =
  | {
      status: "paid";
      entryIds: number[];
      grants: PlannedGrant[];
      note?: string;
      /** What the caller must charge to the budgets (`budget: "charge"`; empty otherwise). */
      charges: Map<string, bigint>;
    }
  | { status: "review"; reasons: FraudReason[] };

/**
 * Plans and writes the grants of one referral. With `checkFraud`, any fraud signal returns
 * `review` and writes nothing; without (an admin approved it), caps and budget still cut
 * the amounts. Must run in a transaction that holds the referral row. Locks the recipients
 * (their caps), then, with `budget: "lock"`, the budget rows for the rest of the transaction;
 * with `"charge"` it plans on an unlocked read of the budgets and returns the `charges` the
 * caller makes last ({@link chargeBudgets}).
 */
export async function payReferral(
  tx: Db,
  campaign: Campaign,
  referral: ReferralRow,
  now: Date,
  checkFraud: boolean,
  budget: "lock" | "charge" = "lock",
): Promise<PayResult> {
  const { rules } = campaign;
  // The lifecycle (campaignTransitions.ts): paused holds in review, ended grants within its grace.
  const gate = await grantsOpen(tx, campaign.id, rules, now);
  if (!isCampaignActive(rules, now) || gate === "closed") {
    // Checks still run (a flagged referral is flagged whenever it qualifies), but an ended
    // campaign grants nothing.
    if (checkFraud) {
      const reasons = await fraudSignals(tx, rules, referral, []);
      if (reasons.length > 0) return { status: "review", reasons };
    }
    await announceQualified(tx, referral, []);
    await enqueueWebhookEvents(tx, [referralQualifiedEvent(referral, [], now)], now);
    return {
      status: "paid",
      entryIds: [],
      grants: [],
      note: "campaign_inactive",
      charges: new Map(),
    };
  }
  const tokens = referralTokens(rules);
  const chain = await ancestorsOf(tx, campaign.id, referral.refereeId, rules.levels.length);
  const ids = chain.map((a) => a.memberId);
  await lockGrantees(tx, [...ids, referral.refereeId]);
  const budgetLeft =
    budget === "lock"
      ? await lockBudgets(tx, campaign.id, tokens)
      : await readBudgets(tx, campaign.id, tokens);
  const qualifiedCounts = new Map<number, number>();
  if (ids.length > 0) {
    const rows = await tx
      .select({ memberId: referralCounters.memberId, count: referralCounters.count })
      .from(referralCounters)
      .where(
        and(
          eq(referralCounters.campaignId, campaign.id),
          inArray(referralCounters.memberId, ids),
          eq(referralCounters.level, 1),
          eq(referralCounters.status, "qualified"),
        ),
      );
    for (const r of rows) qualifiedCounts.set(r.memberId, r.count);
  }
  // Nobody is paid who is refused by the campaign's rules or has not accepted its terms.
  const eligible = await verdicts(tx, campaign, [...ids, referral.refereeId]);
  const barred = (id: number) => eligible.get(id)?.ok === false;
  const ancestors: Ancestor[] = chain.map((a) => ({
    memberId: a.memberId,
    banned: a.banned || barred(a.memberId),
    // The referral being paid counts towards its referrer's tier.
    qualifiedReferrals: (qualifiedCounts.get(a.memberId) ?? 0) + (a.level === 1 ? 1 : 0),
  }));
  const [referee] = await tx
    .select({ bannedAt: members.bannedAt })
    .from(members)
    .where(eq(members.id, referral.refereeId));
  const granted = await grantedTotals(tx, campaign.id, [...ids, referral.refereeId], tokens, now);
  const plan = planReferralGrants({
    rules,
    variantId: referral.variant,
    ancestors,
    referee: {
      memberId: referral.refereeId,
      banned: referee?.bannedAt != null || barred(referral.refereeId),
    },
    granted,
    budgetLeft,
  });
  if (checkFraud) {
    const reasons = await fraudSignals(tx, rules, referral, plan.capHits);
    // A pause holds qualifying referrals for an admin instead of paying them (campaignPause.ts),
    // with the fraud signals beside it; an admin's approval (checkFraud false) pays.
    if (gate === "paused") reasons.unshift("campaign_paused");
    if (await pilotCapHolds(tx, campaign, plan.grants)) reasons.push("pilot_budget_cap");
    if (reasons.length > 0) return { status: "review", reasons };
  }
  const entryIds: number[] = [];
  const charges = new Map<string, bigint>();
  for (const g of plan.grants) {
    if (g.amount <= 0n) continue;
    const written = await writeGrant(
      tx,
      {
        campaignId: campaign.id,
        token: g.token,
        memberId: g.memberId,
        amount: g.amount,
        kind: g.kind === "welcome" ? "welcome" : "referral",
        level: g.kind === "welcome" ? null : g.level,
        referralId: referral.id,
        refereeId: referral.refereeId,
        idempotencyKey:
          g.kind === "welcome"
            ? idempotencyKeys.welcome(campaign.id, referral.id)
            : idempotencyKeys.referral(campaign.id, referral.id, g.level),
        note: g.limitedBy ?? undefined,
        expiryDays: rules.expiryDays,
        rulesVersion: campaign.version,
        now,
      },
      { chargeBudget: budget === "lock" },
    );
    entryIds.push(written.entryId);
    if (written.created && budget === "charge")
      charges.set(g.token, (charges.get(g.token) ?? 0n) + g.amount);
  }
  const referrer = ancestors[0];
  const reached =
    referrer && !referrer.banned ? tierFor(rules.tiers, referrer.qualifiedReferrals) : undefined;
  await announceQualified(
    tx,
    referral,
    plan.grants,
    reached &&
      referrer &&
      reached.minQualified === referrer.qualifiedReferrals &&
      reached.minQualified > 0
      ? { memberId: referrer.memberId, tier: reached, qualified: referrer.qualifiedReferrals }
      : undefined,
  );
  await enqueueWebhookEvents(tx, [referralQualifiedEvent(referral, plan.grants, now)], now);
  return { status: "paid", entryIds, grants: plan.grants, charges };
}

/**
 * Right after an attribution: when the referee already did what the campaign asks (linked a
 * wallet, completed the challenge) before being referred, the referral qualifies now rather
 * than waiting for an action that will not come again.
 */
export async function qualifyIfAlreadyDone(
  ctx: DomainContext,
  referral: ReferralRow,
): Promise<QualifyOutcome | undefined> {
  const rule = ctx.campaigns.requireById(referral.campaignId).rules.qualification;
  if (rule.type === "wallet_linked") {
    const [w] = await ctx.db
      .select({ id: memberWallets.memberId })
      .from(memberWallets)
      .where(eq(memberWallets.memberId, referral.refereeId));
    return w
      ? qualify(ctx, referral.refereeId, { type: "wallet_linked" }, referral.campaignId)
      : undefined;
  }
  if (rule.type === "challenge") {
    const [done] = await ctx.db
      .select({ at: challengeCompletions.completedAt })
      .from(challengeCompletions)
      .where(
        and(
          eq(challengeCompletions.campaignId, referral.campaignId),
          eq(challengeCompletions.challengeId, rule.challengeId),
          eq(challengeCompletions.memberId, referral.refereeId),
        ),
      );
    return done
      ? qualify(
          ctx,
          referral.refereeId,
          { type: "challenge", challengeId: rule.challengeId },
          referral.campaignId,
        )
      : undefined;
  }
  return undefined;
}

/**
 * The referrals among `referrals` whose referee may already have done what their campaign
 * asks: one read per kind of rule instead of {@link qualifyIfAlreadyDone}'s one per referral.
 * Only these need `qualifyIfAlreadyDone` (which checks again).
 */
export async function mayAlreadyBeDone(
  ctx: DomainContext,
  referrals: readonly ReferralRow[],
): Promise<Set<number>> {
  const byRule = { wallet: [] as ReferralRow[], challenge: [] as ReferralRow[] };
  for (const r of referrals) {
    const rule = ctx.campaigns.requireById(r.campaignId).rules.qualification;
    if (rule.type === "wallet_linked") byRule.wallet.push(r);
    else if (rule.type === "challenge") byRule.challenge.push(r);
  }
  const done = new Set<number>();
  if (byRule.wallet.length > 0) {
    const linked = new Set(
      (
        await ctx.db
          .select({ id: memberWallets.memberId })
          .from(memberWallets)
          .where(
            inArray(memberWallets.memberId, [...new Set(byRule.wallet.map((r) => r.refereeId))]),
          )
      ).map((w) => w.id),
    );
    for (const r of byRule.wallet) if (linked.has(r.refereeId)) done.add(r.id);
  }
  if (byRule.challenge.length > 0) {
    const completed = new Set(
      (
        await ctx.db
          .select({
            memberId: challengeCompletions.memberId,
            campaignId: challengeCompletions.campaignId,
            challengeId: challengeCompletions.challengeId,
          })
          .from(challengeCompletions)
          .where(
            inArray(challengeCompletions.memberId, [
              ...new Set(byRule.challenge.map((r) => r.refereeId)),
            ]),
          )
      ).map((c) => `${c.memberId}:${c.campaignId}:${c.challengeId}`),
    );
    for (const r of byRule.challenge) {
      const rule = ctx.campaigns.requireById(r.campaignId).rules.qualification;
      if (
        rule.type === "challenge" &&
        completed.has(`${r.refereeId}:${r.campaignId}:${rule.challengeId}`)
      )
        done.add(r.id);
    }
  }
  return done;
}

/** Referrals in hold campaigns whose hold has passed; qualified in batches. */
export async function processHolds(ctx: DomainContext, limit = 200): Promise<QualifyOutcome[]> {
  const now = ctx.now();
  const out: QualifyOutcome[] = [];
  for (const campaign of ctx.campaigns.all()) {
    const rule = campaign.rules.qualification;
    if (rule.type !== "hold") continue;
    const due = await ctx.db
      .select({ refereeId: referrals.refereeId })
      .from(referrals)
      .where(
        and(
          eq(referrals.campaignId, campaign.id),
          eq(referrals.status, "pending"),
          lte(referrals.attributedAt, new Date(now.getTime() - rule.hours * 3_600_000)),
        ),
      )
      .orderBy(referrals.attributedAt)
      .limit(limit);
    for (const d of due) out.push(await qualify(ctx, d.refereeId, { type: "hold" }, campaign.id));
  }
  return out;
}
