/**
 * A completed challenge taken back (issue 14): the member left the chat of a "join and stay N
 * days" challenge within N days of the completion being recorded, or an admin revoked it
 * (`member.reward`, the right that grants one by hand; audited with before and after).
 *
 * The reward follows the ledger rules the referral path already has for taking rewards back
 * (a ban: `rejectUnsentGrants`; a refused held payout: `reverseGrants`), reused here:
 *
 * - **not sent yet** (entry pending/queued/held, outbox row not claimed by the payout worker):
 *   the grant is rejected (transition `reject`), its outbox row cancelled, the amount back to
 *   the campaign's budget (`cancelled`);
 * - **sent or settled** (on its way or on-chain; a payout cannot be pulled back from a wallet or
 *   the escrow): the ledger entry is left as it is, exactly as a ban leaves sent grants, and the
 *   amount is recorded as a **clawback debt** (`clawback`, debt `open`) for the operator to
 *   settle off-chain; nothing is paid twice because of it;
 * - **nothing paid** (a cap or the budget was reached, the campaign had ended): only the
 *   completion goes (`unpaid`).
 *
 * The completion row is removed, so the challenge shows open again and can be completed again.
 * A completion after a revocation pays at most what was never kept: after a `cancelled` one it
 * pays anew (a new grant, {@link challengeGrantKey} numbers it); after a `clawback` it pays
 * nothing and settles the open debt instead (the member kept the first reward); after an
 * `unpaid` one it tries again as the first completion did. The member is told
 * (`challenge_revoked`), once per revocation. Everything happens in one transaction; a second
 * revocation of the same completion finds nothing to revoke.
 *
 * A referral the completion qualified (a campaign that qualifies by this challenge) stays
 * qualified, and its referrers keep their rewards: qualification is final in every path (its
 * rewards may already be on-chain, and the referrer did nothing wrong when the member left
 * later), as it stays when a referee is banned after qualifying.
 */
import { and, desc, eq } from "drizzle-orm";
import { formatUnits } from "viem";
import { type Db, transaction } from "../db/index.ts";
import {
  challengeRevocations,
  type RevocationOutcome,
  type RevocationReason,
} from "../db/schema/challenges.ts";
import { challengeCompletions, ledgerEntries } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { idempotencyKeys, lockBudgets, lockGrantees, reverseGrants } from "./ledger.ts";
import { enqueueNotifications } from "./notifications.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

export interface RevocationResult {
  revoked: boolean;
  outcome: RevocationOutcome | null;
  entryId: number | null;
  token: string | null;
  amount: bigint;
}

const NOTHING: RevocationResult = {
  revoked: false,
  outcome: null,
  entryId: null,
  token: null,
  amount: 0n,
};

/**
 * The idempotency key of a challenge's grant: the first completion's, then one per completion
 * after a cancelled revocation (`…:r1`, `…:r2`), so a reward taken back before it left can be
 * earned again but never twice at once.
 */
export function challengeGrantKey(
  campaignId: number,
  challengeId: string,
  memberId: number,
  cancelled: number,
): string {
  const key = idempotencyKeys.challenge(campaignId, challengeId, memberId);
  return cancelled === 0 ? key : `${key}:r${cancelled}`;
}

/** What earlier revocations of this challenge decide for a new completion's reward. */
export async function revocationsOf(
  tx: Db,
  campaignId: number,
  challengeId: string,
  memberId: number,
): Promise<{ cancelled: number; openDebt: number | null }> {
  const rows = await tx
    .select({
      id: challengeRevocations.id,
      outcome: challengeRevocations.outcome,
      debt: challengeRevocations.debt,
    })
    .from(challengeRevocations)
    .where(
      and(
        eq(challengeRevocations.campaignId, campaignId),
        eq(challengeRevocations.challengeId, challengeId),
        eq(challengeRevocations.memberId, memberId),
      ),
    )
    .orderBy(desc(challengeRevocations.id));
  return {
    cancelled: rows.filter((r) => r.outcome === "cancelled").length,
    openDebt: rows.find((r) => r.debt === "open")?.id ?? null,
  };
}

/** A completion after a clawback: the debt is settled by it (no new grant). */
export async function settleChallengeDebt(tx: Db, revocationId: number, now: Date): Promise<void> {
  await tx
    .update(challengeRevocations)
    .set({ debt: "settled", settledAt: now })
    .where(and(eq(challengeRevocations.id, revocationId), eq(challengeRevocations.debt, "open")));
}

export interface RevokeInput {
  memberId: number;
  challengeId: string;
  /** Slug; default: the campaign the registry resolves. */
  campaign?: string;
  reason: RevocationReason;
  note?: string;
  /** An admin revoking it: needs `member.reward` in the campaign; audited. */
  revokedBy?: AdminPrincipal;
}

/**
 * Takes a completed challenge back (see the module's comment). An admin naming a challenge the
 * member has not completed gets `challenge_not_completed` (nothing written); the automatic
 * paths get `revoked: false`.
 */
export async function revokeChallenge(
  ctx: DomainContext,
  input: RevokeInput,
): Promise<RevocationResult> {
  const now = ctx.now();
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  const challenge = campaign.rules.challenges.get(input.challengeId);
  if (!challenge)
    throw new DomainError("challenge_unknown", `no challenge ${input.challengeId}`, {
      challengeId: input.challengeId,
    });
  if (input.revokedBy !== undefined)
    await authorize(ctx, input.revokedBy, "member.reward", campaign.id, {
      type: "member",
      id: input.memberId,
    });
  return transaction(ctx.db, (tx) => revokeInTx(ctx, tx, campaign, input, now));
}

async function revokeInTx(
  _ctx: DomainContext,
  tx: Db,
  campaign: Campaign,
  input: RevokeInput,
  now: Date,
): Promise<RevocationResult> {
  const challenge = campaign.rules.challenges.get(input.challengeId)!;
  // The order completions lock in (challenges.ts): the completion row, the member, the budget.
  const [done] = await tx
    .delete(challengeCompletions)
    .where(
      and(
        eq(challengeCompletions.campaignId, campaign.id),
        eq(challengeCompletions.challengeId, challenge.id),
        eq(challengeCompletions.memberId, input.memberId),
      ),
    )
    .returning();
  if (!done) {
    if (input.revokedBy !== undefined)
      throw new DomainError(
        "challenge_not_completed",
        `member ${input.memberId} has not completed ${challenge.id} in ${campaign.slug}`,
        { memberId: input.memberId, challengeId: challenge.id },
      );
    return NOTHING;
  }
  await lockGrantees(tx, [input.memberId]);
  await lockBudgets(tx, campaign.id, [challenge.token]);
  const past = await revocationsOf(tx, campaign.id, challenge.id, input.memberId);
  const key = challengeGrantKey(campaign.id, challenge.id, input.memberId, past.cancelled);
  const [entry] = await tx
    .select({
      id: ledgerEntries.id,
      state: ledgerEntries.state,
      token: ledgerEntries.token,
      amount: ledgerEntries.amount,
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.idempotencyKey, key));
  let outcome: RevocationOutcome = "unpaid";
  if (entry && entry.state !== "rejected" && entry.state !== "expired") {
    const moved = await reverseGrants(
      tx,
      [entry.id],
      "rejected",
      now,
      `challenge ${challenge.id} revoked: ${input.reason}`,
    );
    // Not moved: sent, settled or being sent right now (the worker holds the row).
    outcome = moved > 0 ? "cancelled" : "clawback";
  }
  const amount = entry ? entry.amount : 0n;
  const actor = input.revokedBy?.actor ?? "system";
  await tx.insert(challengeRevocations).values({
    campaignId: campaign.id,
    challengeId: challenge.id,
    memberId: input.memberId,
    completedAt: done.completedAt,
    source: done.source,
    entryId: entry?.id ?? null,
    outcome,
    token: outcome === "unpaid" ? null : (entry?.token ?? challenge.token),
    amount: outcome === "unpaid" ? null : amount,
    debt: outcome === "clawback" ? "open" : null,
    reason: input.reason,
    note: input.note ?? null,
    actor,
    revokedAt: now,
  });
  const decimals = campaign.rules.tokens.get(challenge.token)?.decimals ?? 18;
  await enqueueNotifications(tx, [
    {
      memberId: input.memberId,
      kind: "challenge_revoked",
      data: {
        campaignId: campaign.id,
        challengeId: challenge.id,
        reason: input.reason,
        outcome,
        amount: outcome === "unpaid" ? null : formatUnits(amount, decimals),
        token: outcome === "unpaid" ? null : challenge.token,
      },
      dedupeKey: `challenge_revoked:${campaign.id}:${challenge.id}:${input.memberId}:${done.completedAt.toISOString()}`,
    },
  ]);
  if (input.revokedBy !== undefined)
    await writeAudit(tx, {
      actor,
      action: "challenge.revoked",
      subjectType: "member",
      subjectId: input.memberId,
      campaignId: campaign.id,
      before: {
        completed: true,
        completedAt: done.completedAt.toISOString(),
        entryId: entry?.id ?? null,
        entryState: entry?.state ?? null,
      },
      after: {
        completed: false,
        outcome,
        debt: outcome === "clawback" ? formatUnits(amount, decimals) : null,
      },
      details: { campaign: campaign.slug, challengeId: challenge.id, note: input.note ?? null },
      at: now,
    });
  return {
    revoked: true,
    outcome,
    entryId: entry?.id ?? null,
    token: outcome === "unpaid" ? null : challenge.token,
    amount: outcome === "unpaid" ? 0n : amount,
  };
}
