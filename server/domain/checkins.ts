/**
 * The daily check-in: one per member, campaign and UTC day (days start at 00:00 UTC whatever
 * the member's time zone). Checking in on the day after the last check-in continues the streak;
 * a missed day starts it again at 1. Each check-in pays the campaign's daily `checkin`
 * challenges (once per day: the day is in the grant's idempotency key); a streak challenge
 * (`checkin` with `streak: N`) is completed once when the streak reaches N; a streak of 7
 * records the `streak-7` achievement (a badge can be minted for it).
 */
import { and, desc, eq } from "drizzle-orm";
import { transaction } from "../db/index.ts";
import { checkins } from "../db/schema/challenges.ts";
import { members } from "../db/schema.ts";
import { recordAchievement } from "./achievements.ts";
import { completeChallenge, payChallengeInTx } from "./challenges.ts";
import { type DomainContext, utcDay } from "./context.ts";
import { DomainError } from "./errors.ts";
import { lockBudgets, lockGrantees } from "./ledger.ts";
import type { Campaign } from "./registry.ts";

const DAY_MS = 86_400_000;

export interface CheckinResult {
  campaignId: number;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  streak: number;
  /** True when the member had already checked in today (nothing was written). */
  already: boolean;
  /** What today's check-in paid (0 when already, capped or no budget). */
  amount: bigint;
  token: string | null;
  /** Streak challenges completed by this check-in. */
  completed: string[];
  achievement: boolean;
}

/** `challenge:<campaign>:<challenge>:<member>:<day>`: a daily challenge pays once a day. */
export const dailyKey = (campaignId: number, challengeId: string, memberId: number, day: string) =>
  `challenge:${campaignId}:${challengeId}:${memberId}:${day}`;

export function checkinChallenges(campaign: Campaign) {
  const all = [...campaign.rules.challenges.values()].filter((c) => c.detect?.type === "checkin");
  return {
    daily: all.filter((c) => c.detect?.type === "checkin" && c.detect.streak === undefined),
    streaks: all.filter((c) => c.detect?.type === "checkin" && c.detect.streak !== undefined),
  };
}

/** The streak as it stands at `now`: the last check-in's, if it was today or yesterday. */
export async function currentStreak(
  ctx: Pick<DomainContext, "db">,
  campaignId: number,
  memberId: number,
  now: Date,
): Promise<{ streak: number; today: boolean }> {
  const [last] = await ctx.db
    .select({ day: checkins.day, streak: checkins.streak })
    .from(checkins)
    .where(and(eq(checkins.campaignId, campaignId), eq(checkins.memberId, memberId)))
    .orderBy(desc(checkins.day))
    .limit(1);
  if (!last) return { streak: 0, today: false };
  const today = utcDay(now);
  if (last.day === today) return { streak: last.streak, today: true };
  if (last.day === utcDay(new Date(now.getTime() - DAY_MS)))
    return { streak: last.streak, today: false };
  return { streak: 0, today: false };
}

export async function checkIn(
  ctx: DomainContext,
  input: { memberId: number; campaign?: string },
): Promise<CheckinResult> {
  const now = ctx.now();
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  const { daily, streaks } = checkinChallenges(campaign);
  if (daily.length === 0 && streaks.length === 0)
    throw new DomainError("checkin_unavailable", `${campaign.slug} has no check-in`);
  const day = utcDay(now);
  const yesterday = utcDay(new Date(now.getTime() - DAY_MS));
  const result = await transaction(ctx.db, async (tx): Promise<CheckinResult> => {
    const [member] = await tx
      .select({ bannedAt: members.bannedAt })
      .from(members)
      .where(eq(members.id, input.memberId));
    if (!member) throw new DomainError("member_not_found", `no member ${input.memberId}`);
    if (member.bannedAt !== null) throw new DomainError("member_banned", "member is banned");
    await lockGrantees(tx, [input.memberId]);
    const [last] = await tx
      .select({ day: checkins.day, streak: checkins.streak })
      .from(checkins)
      .where(and(eq(checkins.campaignId, campaign.id), eq(checkins.memberId, input.memberId)))
      .orderBy(desc(checkins.day))
      .limit(1);
    const base = {
      campaignId: campaign.id,
      day,
      token: daily[0]?.token ?? null,
      completed: [],
      achievement: false,
    };
    if (last?.day === day) return { ...base, streak: last.streak, already: true, amount: 0n };
    const streak = last?.day === yesterday ? last.streak + 1 : 1;
    await tx
      .insert(checkins)
      .values({ campaignId: campaign.id, memberId: input.memberId, day, streak, at: now });
    const budget = await lockBudgets(
      tx,
      campaign.id,
      daily.map((c) => c.token),
    );
    let amount = 0n;
    for (const challenge of daily) {
      const paid = await payChallengeInTx(tx, campaign, challenge, {
        memberId: input.memberId,
        idempotencyKey: dailyKey(campaign.id, challenge.id, input.memberId, day),
        budget,
        now,
      });
      amount += paid.amount;
    }
    const achievement =
      streak >= 7 && (await recordAchievement(tx, input.memberId, campaign.id, "streak-7", now));
    return { ...base, streak, already: false, amount, achievement };
  });
  if (!result.already) {
    if (result.amount > 0n) ctx.events?.entriesWritten?.({ campaignId: campaign.id, count: 1 });
    for (const challenge of streaks) {
      if (challenge.detect?.type !== "checkin" || (challenge.detect.streak ?? 0) > result.streak)
        continue;
      const done = await completeChallenge(ctx, {
        memberId: input.memberId,
        challengeId: challenge.id,
        campaign: campaign.slug,
        source: "checkin",
      });
      if (done.newlyCompleted) result.completed.push(challenge.id);
    }
  }
  return result;
}
