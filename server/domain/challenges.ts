/**
 * Challenges: a member completes one (reported by the bot, an admin or a script), earns
 * its reward once, and — when the campaign qualifies referrals by that challenge — their
 * pending referral qualifies in the same transaction.
 */
import { and, eq } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { challengeCompletions, members, referrals } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import { type CompiledChallenge, isCampaignActive } from "./campaign.ts";
import { grantsOpen } from "./campaignTransitions.ts";
import { detectAfterQualification } from "./challengeProgress.ts";
import { challengeGrantKey, revocationsOf, settleChallengeDebt } from "./challengeRevocation.ts";
import type { DomainContext } from "./context.ts";
import { verdictOf } from "./eligibility.ts";
import { DomainError } from "./errors.ts";
import { addActivityPoints } from "./leaderboards.ts";
import { grantedTotals, lockBudgets, lockGrantees, writeGrant } from "./ledger.ts";
import { emitOutcome, type QualifyOutcome, qualifyInTx } from "./qualification.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";
import { limitAmount, referralTokens, totalsKey } from "./rules.ts";
import { ancestorsOf } from "./tree.ts";

export interface ChallengeResult {
  /** `false` when the member had already completed it (nothing was written). */
  newlyCompleted: boolean;
  entryId: number | null;
  amount: bigint;
  qualification: QualifyOutcome | null;
}

export async function completeChallenge(
  ctx: DomainContext,
  input: {
    memberId: number;
    challengeId: string;
    campaign?: string;
    source: string;
    /**
     * An admin granting it by hand: needs `member.reward` in the campaign, and the completion
     * is audited in its transaction.
     */
    grantedBy?: AdminPrincipal;
  },
): Promise<ChallengeResult> {
  const now = ctx.now();
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  const challenge = campaign.rules.challenges.get(input.challengeId);
  if (!challenge)
    throw new DomainError("challenge_unknown", `no challenge ${input.challengeId}`, {
      challengeId: input.challengeId,
    });
  if (input.grantedBy !== undefined)
    await authorize(ctx, input.grantedBy, "member.reward", campaign.id, {
      type: "member",
      id: input.memberId,
    });
  const result = await transaction(ctx.db, async (tx): Promise<ChallengeResult> => {
    const [member] = await tx
      .select({ bannedAt: members.bannedAt })
      .from(members)
      .where(eq(members.id, input.memberId));
    if (!member) throw new DomainError("member_not_found", `no member ${input.memberId}`);
    if (member.bannedAt !== null) throw new DomainError("member_banned", "member is banned");
    // The campaign's terms and participation rules: a challenge's reward is a reward too.
    // Refused whole (nothing recorded): the member completes it again once they accepted.
    const verdict = await verdictOf(tx, campaign, input.memberId);
    if (!verdict.ok) {
      const code = verdict.refused ?? verdict.missing[0]!;
      throw new DomainError(code, `the campaign refuses this member's reward: ${code}`);
    }
    const [done] = await tx
      .insert(challengeCompletions)
      .values({
        campaignId: campaign.id,
        challengeId: challenge.id,
        memberId: input.memberId,
        completedAt: now,
        source: input.source,
      })
      .onConflictDoNothing()
      .returning({ at: challengeCompletions.completedAt });
    if (!done) return { newlyCompleted: false, entryId: null, amount: 0n, qualification: null };
    // Lock order everywhere: referral row, then the members granted to (the challenge's and
    // those its qualification pays), then budget rows (all at once, sorted).
    await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(and(eq(referrals.refereeId, input.memberId), eq(referrals.campaignId, campaign.id)))
      .for("update");
    const upline = await ancestorsOf(tx, campaign.id, input.memberId, campaign.rules.levels.length);
    await lockGrantees(tx, [input.memberId, ...upline.map((a) => a.memberId)]);
    const budget = await lockBudgets(tx, campaign.id, [
      challenge.token,
      ...referralTokens(campaign.rules),
    ]);
    // Completed again after a revocation (challengeRevocation.ts): a reward taken back
    // before it left is earned anew; one the member kept settles its clawback debt instead.
    const past = await revocationsOf(tx, campaign.id, challenge.id, input.memberId);
    let paid: { entryId: number | null; amount: bigint } = { entryId: null, amount: 0n };
    if (past.openDebt !== null) await settleChallengeDebt(tx, past.openDebt, now);
    else
      paid = await payChallengeInTx(tx, campaign, challenge, {
        memberId: input.memberId,
        idempotencyKey: challengeGrantKey(
          campaign.id,
          challenge.id,
          input.memberId,
          past.cancelled,
        ),
        budget,
        now,
      });
    const { entryId, amount } = paid;
    const qualification = await qualifyInTx(
      ctx,
      tx,
      input.memberId,
      { type: "challenge", challengeId: challenge.id },
      campaign.id,
    );
    if (input.grantedBy !== undefined) {
      await writeAudit(tx, {
        actor: input.grantedBy.actor,
        action: "challenge.granted",
        subjectType: "member",
        subjectId: input.memberId,
        campaignId: campaign.id,
        before: { completed: false },
        after: { completed: true },
        details: {
          campaign: campaign.slug,
          challengeId: challenge.id,
          entryId,
          amount: amount.toString(),
          token: challenge.token,
          qualification: qualification?.status ?? null,
        },
        at: now,
      });
    }
    return { newlyCompleted: true, entryId, amount, qualification };
  });
  if (result.qualification) emitOutcome(ctx, result.qualification);
  if (result.entryId !== null) ctx.events?.entriesWritten?.({ campaignId: campaign.id, count: 1 });
  // The referral this completion qualified may complete the referrer's "invite N".
  await detectAfterQualification(ctx, result.qualification);
  return result;
}

/**
 * Writes a challenge's reward (once per idempotency key) under the campaign's caps and budget,
 * and its activity points. The caller holds the member's grantee lock and the budget rows.
 */
export async function payChallengeInTx(
  tx: Db,
  campaign: Campaign,
  challenge: CompiledChallenge,
  p: { memberId: number; idempotencyKey: string; budget: Map<string, bigint>; now: Date },
): Promise<{ entryId: number | null; amount: bigint }> {
  if (!isCampaignActive(campaign.rules, p.now)) return { entryId: null, amount: 0n };
  // Ended past its grace (campaignTransitions.ts): nothing new is granted.
  if ((await grantsOpen(tx, campaign.id, campaign.rules, p.now)) === "closed")
    return { entryId: null, amount: 0n };
  const totals = await grantedTotals(tx, campaign.id, [p.memberId], [challenge.token], p.now);
  const limited = limitAmount(
    campaign.rules,
    challenge.token,
    challenge.amount,
    totals.get(totalsKey(p.memberId, challenge.token)) ?? { today: 0n, total: 0n },
    p.budget.get(challenge.token) ?? 0n,
  );
  if (limited.amount <= 0n) return { entryId: null, amount: 0n };
  const written = await writeGrant(tx, {
    campaignId: campaign.id,
    token: challenge.token,
    memberId: p.memberId,
    amount: limited.amount,
    kind: "challenge",
    idempotencyKey: p.idempotencyKey,
    note: limited.limitedBy ?? `challenge ${challenge.id}`,
    expiryDays: campaign.rules.expiryDays,
    rulesVersion: campaign.version,
    now: p.now,
  });
  if (!written.created) return { entryId: written.entryId, amount: 0n };
  await addActivityPoints(tx, campaign.rules, {
    campaignId: campaign.id,
    memberId: p.memberId,
    token: challenge.token,
    kind: "challenge",
    amount: limited.amount,
    at: p.now,
  });
  return { entryId: written.entryId, amount: limited.amount };
}
