/**
 * Partner events (e.g. a purchase) reported through the signed webhook. The HTTP layer
 * checks the HMAC and timestamp; here each (partner, event id) is processed once: the
 * unique constraint makes a replay find the stored result and write nothing new.
 */
import { and, eq } from "drizzle-orm";
import { transaction } from "../db/index.ts";
import { members, partnerEvents } from "../db/schema.ts";
import { completePartnerChallenges, detectAfterQualification } from "./challengeProgress.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  emitOutcome,
  primaryOutcome,
  type QualifyOutcome,
  qualifyAllInTx,
} from "./qualification.ts";

export interface PartnerEventInput {
  partner: string;
  eventId: string;
  type: string;
  /** SHA-256 of the raw body: a replay must carry the same payload. */
  payloadHash: string;
  subject: { telegramUserId: number } | { memberId: number };
}

export interface PartnerEventResult extends Record<string, unknown> {
  eventId: string;
  outcome: "qualified" | "review" | "rejected" | "ignored";
  reason?: string;
  referralId?: number;
}

/** What a qualifying event did, as partner and host callers are told (one mapping for both). */
export function summarizeQualification(
  eventId: string,
  q: QualifyOutcome | null,
): PartnerEventResult {
  if (q === null) return { eventId, outcome: "ignored", reason: "unknown_member" };
  switch (q.status) {
    case "qualified":
      return { eventId, outcome: "qualified", referralId: q.referralId };
    case "review":
      return { eventId, outcome: "review", referralId: q.referralId };
    case "rejected":
      return { eventId, outcome: "rejected", referralId: q.referralId, reason: q.reason };
    case "no_referral":
      return { eventId, outcome: "ignored", reason: "no_referral" };
    case "held":
      // The referee has yet to accept the terms or declare what the campaign asks: the
      // caller sends the event again once they have (the event id is then a new one).
      return { eventId, outcome: "ignored", reason: q.missing.join(","), referralId: q.referralId };
    case "not_pending":
      return {
        eventId,
        outcome: "ignored",
        reason: `referral_${q.referralStatus}`,
        referralId: q.referralId,
      };
    case "not_matching":
      return {
        eventId,
        outcome: "ignored",
        reason: "not_qualifying_event",
        referralId: q.referralId,
      };
  }
}

export async function handlePartnerEvent(
  ctx: DomainContext,
  input: PartnerEventInput,
): Promise<{ result: PartnerEventResult; replayed: boolean }> {
  const now = ctx.now();
  const out = await transaction(ctx.db, async (tx) => {
    const [inserted] = await tx
      .insert(partnerEvents)
      .values({
        partner: input.partner,
        eventId: input.eventId,
        type: input.type,
        payloadHash: input.payloadHash,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: partnerEvents.id });
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(partnerEvents)
        .where(
          and(eq(partnerEvents.partner, input.partner), eq(partnerEvents.eventId, input.eventId)),
        );
      if (!existing) throw new Error("partner event vanished");
      if (existing.payloadHash !== input.payloadHash) {
        throw new DomainError(
          "partner_event_conflict",
          "this event id was already used with a different payload",
          {
            eventId: input.eventId,
          },
        );
      }
      return {
        result: (existing.result ?? {
          eventId: input.eventId,
          outcome: "ignored",
        }) as PartnerEventResult,
        replayed: true,
        outcome: null,
        outcomes: [] as QualifyOutcome[],
        memberId: undefined,
      };
    }
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(
        "memberId" in input.subject
          ? eq(members.id, input.subject.memberId)
          : eq(members.telegramId, input.subject.telegramUserId),
      );
    // Every campaign of the member whose rule is this partner event qualifies.
    const outcomes = member
      ? await qualifyAllInTx(ctx, tx, member.id, {
          type: "partner_event",
          partner: input.partner,
          eventType: input.type,
        })
      : [];
    const outcome = member ? primaryOutcome(outcomes) : null;
    const result = summarizeQualification(input.eventId, outcome);
    await tx
      .update(partnerEvents)
      .set({ memberId: member?.id ?? null, result })
      .where(eq(partnerEvents.id, inserted.id));
    return { result, replayed: false, outcome, outcomes, memberId: member?.id };
  });
  for (const o of out.outcomes) emitOutcome(ctx, o);
  if (!out.replayed) {
    for (const o of out.outcomes) await detectAfterQualification(ctx, o);
    if (out.memberId !== undefined)
      await completePartnerChallenges(ctx, out.memberId, {
        partner: input.partner,
        type: input.type,
      });
  }
  return { result: out.result, replayed: out.replayed };
}
