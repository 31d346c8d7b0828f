/**
 * What a member sees of a campaign's challenges, and the detection that completes them
 * without an admin: each challenge's reward, progress and state, where
 *
 * - `open`: nothing done yet; `in_progress`: part of it (`progress` N of M);
 * - `done`: completed and its reward written to the ledger (on its way on-chain), or nothing
 *   to pay (cap or budget reached, campaign ended);
 * - `paid`: the reward is settled on-chain.
 *
 * A daily check-in's state is today's (`done` once checked in today); its progress is the
 * streak. Detection runs on the events (wallet linked, referral qualified, chat joined,
 * check-in, survey answered, partner event) and again whenever the member looks, so a missed
 * event is caught up; every completion is idempotent.
 */
import { and, count, eq, inArray, like } from "drizzle-orm";
import { challengeRevocations, checkins } from "../db/schema/challenges.ts";
import { challengeCompletions, ledgerEntries, memberWallets, referrals } from "../db/schema.ts";
import { isCampaignActive } from "./campaign.ts";
import { type ChallengeResult, completeChallenge } from "./challenges.ts";
import { completeChatChallenges, inviteLinksOf, staysOf } from "./chatMembership.ts";
import { currentStreak, dailyKey } from "./checkins.ts";
import { type DomainContext, utcDay } from "./context.ts";
import { idempotencyKeys } from "./ledger.ts";
import type { QualifyOutcome } from "./qualification.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

const DAY_MS = 86_400_000;

export const CHALLENGE_STATES = ["open", "in_progress", "done", "paid"] as const;
export type ChallengeState = (typeof CHALLENGE_STATES)[number];
export type ChallengeKind =
  | "manual"
  | "join_chat"
  | "invite"
  | "wallet"
  | "checkin"
  | "survey"
  | "partner_event";

export interface MemberChallenge {
  id: string;
  title: { en: string; ru: string };
  kind: ChallengeKind;
  token: string;
  amount: bigint;
  state: ChallengeState;
  progress: { current: number; target: number } | null;
  /** `day` for the daily check-in (pays once per UTC day). */
  repeat: "day" | null;
  /** join_chat: the chat and the member's personal invite link, once the bot made one. */
  chatId: number | null;
  inviteLink: string | null;
  /** The reward's transaction once on-chain. */
  txHash: string | null;
}

/** Qualified referrals per referrer in a campaign. */
async function qualifiedInvites(ctx: DomainContext, campaignId: number, memberId: number) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(referrals)
    .where(
      and(
        eq(referrals.campaignId, campaignId),
        eq(referrals.referrerId, memberId),
        eq(referrals.status, "qualified"),
      ),
    );
  return Number(row?.n ?? 0);
}

async function hasWallet(ctx: DomainContext, memberId: number) {
  const [row] = await ctx.db
    .select({ m: memberWallets.memberId })
    .from(memberWallets)
    .where(eq(memberWallets.memberId, memberId));
  return row !== undefined;
}

/**
 * Completes whatever of the member's detectable challenges is done by now (wallet, invites,
 * chat stays) in running campaigns; returns the new completions.
 */
export async function detectChallenges(
  ctx: DomainContext,
  memberId: number,
): Promise<ChallengeResult[]> {
  const now = ctx.now();
  const out: ChallengeResult[] = [];
  let wallet: boolean | undefined;
  for (const campaign of ctx.campaigns.all()) {
    if (!isCampaignActive(campaign.rules, now)) continue;
    const candidates = [...campaign.rules.challenges.values()].filter(
      (c) => c.detect?.type === "wallet" || c.detect?.type === "invite",
    );
    if (candidates.length === 0) continue;
    const done = await completedIds(ctx, campaign.id, memberId);
    let invites: number | undefined;
    for (const ch of candidates) {
      if (done.has(ch.id)) continue;
      let met = false;
      if (ch.detect?.type === "wallet") {
        wallet ??= await hasWallet(ctx, memberId);
        met = wallet;
      } else if (ch.detect?.type === "invite") {
        invites ??= await qualifiedInvites(ctx, campaign.id, memberId);
        met = invites >= ch.detect.count;
      }
      if (!met) continue;
      const r = await completeChallenge(ctx, {
        memberId,
        challengeId: ch.id,
        campaign: campaign.slug,
        source: "detected",
      });
      if (r.newlyCompleted) out.push(r);
    }
  }
  out.push(...(await completeChatChallenges(ctx, memberId)));
  return out;
}

/** After a referral qualified: the referrer's `invite` challenges may be done. */
export async function detectAfterQualification(
  ctx: DomainContext,
  outcome: QualifyOutcome | null | undefined,
): Promise<void> {
  if (outcome?.status !== "qualified") return;
  const [row] = await ctx.db
    .select({ referrerId: referrals.referrerId })
    .from(referrals)
    .where(eq(referrals.id, outcome.referralId));
  if (row) await detectChallenges(ctx, row.referrerId);
}

/** Completes the member's challenges of a partner event type (the signed partner webhook). */
export async function completePartnerChallenges(
  ctx: DomainContext,
  memberId: number,
  event: { partner: string; type: string },
): Promise<ChallengeResult[]> {
  const now = ctx.now();
  const out: ChallengeResult[] = [];
  for (const campaign of ctx.campaigns.all()) {
    if (!isCampaignActive(campaign.rules, now)) continue;
    for (const ch of campaign.rules.challenges.values()) {
      const d = ch.detect;
      if (d?.type !== "partner_event" || d.partner !== event.partner || d.eventType !== event.type)
        continue;
      const r = await completeChallenge(ctx, {
        memberId,
        challengeId: ch.id,
        campaign: campaign.slug,
        source: `partner:${event.partner}`,
      });
      if (r.newlyCompleted) out.push(r);
    }
  }
  return out;
}

async function completedIds(ctx: DomainContext, campaignId: number, memberId: number) {
  const rows = await ctx.db
    .select({ id: challengeCompletions.challengeId })
    .from(challengeCompletions)
    .where(
      and(
        eq(challengeCompletions.campaignId, campaignId),
        eq(challengeCompletions.memberId, memberId),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/** The campaign's challenges as the member sees them (after catching up detection). */
export async function memberChallenges(
  ctx: DomainContext,
  memberId: number,
  campaign: Campaign,
): Promise<MemberChallenge[]> {
  await detectChallenges(ctx, memberId);
  const now = ctx.now();
  const list = [...campaign.rules.challenges.values()];
  const done = await completedIds(ctx, campaign.id, memberId);
  const entries = await ctx.db
    .select({
      id: ledgerEntries.id,
      key: ledgerEntries.idempotencyKey,
      state: ledgerEntries.state,
      txHash: ledgerEntries.txHash,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.memberId, memberId),
        eq(ledgerEntries.campaignId, campaign.id),
        eq(ledgerEntries.kind, "challenge"),
        like(ledgerEntries.idempotencyKey, `challenge:${campaign.id}:%`),
      ),
    );
  // A challenge completed again after a cancelled revocation has a newer grant (`…:rN`):
  // the newest grant of the challenge is the one its state shows.
  const entryByKey = new Map<string, (typeof entries)[number]>();
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    const base = e.key.replace(/:r\d+$/, "");
    entryByKey.set(e.key, e);
    if (base !== e.key) entryByKey.set(base, e);
  }
  const chatIds = list.flatMap((c) => (c.detect?.type === "join_chat" ? [c.detect.chatId] : []));
  const stays = chatIds.length > 0 ? await staysOf(ctx, memberId) : new Map<number, Date>();
  const links = await inviteLinksOf(ctx, memberId, chatIds);
  const needsStreak = list.some((c) => c.detect?.type === "checkin");
  const streak = needsStreak
    ? await currentStreak(ctx, campaign.id, memberId, now)
    : { streak: 0, today: false };
  const needsInvites = list.some((c) => c.detect?.type === "invite");
  const invites = needsInvites ? await qualifiedInvites(ctx, campaign.id, memberId) : 0;
  const today = utcDay(now);

  return list.map((c): MemberChallenge => {
    const d = c.detect;
    const daily = d?.type === "checkin" && d.streak === undefined;
    const key = daily
      ? dailyKey(campaign.id, c.id, memberId, today)
      : idempotencyKeys.challenge(campaign.id, c.id, memberId);
    const entry = entryByKey.get(key);
    const completed = daily ? streak.today : done.has(c.id);
    let progress: MemberChallenge["progress"] = null;
    if (d?.type === "invite") progress = { current: Math.min(invites, d.count), target: d.count };
    else if (d?.type === "checkin")
      progress = { current: streak.streak, target: d.streak ?? Math.max(streak.streak, 1) };
    else if (d?.type === "join_chat" && (d.stayDays ?? 0) > 0) {
      const since = stays.get(d.chatId);
      const days = since ? Math.floor((now.getTime() - since.getTime()) / DAY_MS) : 0;
      progress = { current: Math.min(days, d.stayDays!), target: d.stayDays! };
    }
    if (completed && progress && d?.type !== "checkin")
      progress = { current: progress.target, target: progress.target };
    const started =
      (progress !== null && progress.current > 0) ||
      (d?.type === "join_chat" && stays.has(d.chatId));
    const state: ChallengeState = completed
      ? entry?.state === "settled"
        ? "paid"
        : "done"
      : started
        ? "in_progress"
        : "open";
    return {
      id: c.id,
      title: c.title,
      kind: d?.type ?? "manual",
      token: c.token,
      amount: c.amount,
      state,
      progress,
      repeat: daily ? "day" : null,
      chatId: d?.type === "join_chat" ? d.chatId : null,
      inviteLink: d?.type === "join_chat" ? (links.get(d.chatId) ?? null) : null,
      txHash: entry?.txHash ?? null,
    };
  });
}

/** Members' challenge completions by id in one campaign (admin views, tests). */
export async function completionsOf(ctx: DomainContext, campaignId: number, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return ctx.db
    .select()
    .from(challengeCompletions)
    .where(
      and(
        eq(challengeCompletions.campaignId, campaignId),
        inArray(challengeCompletions.memberId, memberIds),
      ),
    );
}

/** A campaign's challenge as admins see it: its definition and how often it was completed. */
export interface ChallengeSummary {
  id: string;
  title: { en: string; ru: string };
  kind: ChallengeKind;
  token: string;
  amount: bigint;
  repeat: "day" | null;
  /** What completes it, beyond the kind: friends, streak days, days in the chat, the event. */
  target: number | null;
  partnerEvent: string | null;
  /**
   * Completions held now (members; a revoked one no longer counts). A daily check-in: the
   * check-ins recorded, one per member and UTC day.
   */
  completions: number;
  /** Completions taken back (the member left the chat too soon, an admin revoked it). */
  revoked: number;
}

/**
 * The campaign's challenges with their completion counts, for the admin console (aggregates
 * only, no member named). Needs `campaign.view`, as the perk list with its units sold does.
 */
export async function challengeSummaries(
  ctx: DomainContext,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<ChallengeSummary[]> {
  await authorize(ctx, by, "campaign.view", campaign.id);
  const [done, revoked, days] = await Promise.all([
    ctx.db
      .select({ id: challengeCompletions.challengeId, n: count() })
      .from(challengeCompletions)
      .where(eq(challengeCompletions.campaignId, campaign.id))
      .groupBy(challengeCompletions.challengeId),
    ctx.db
      .select({ id: challengeRevocations.challengeId, n: count() })
      .from(challengeRevocations)
      .where(eq(challengeRevocations.campaignId, campaign.id))
      .groupBy(challengeRevocations.challengeId),
    ctx.db.select({ n: count() }).from(checkins).where(eq(checkins.campaignId, campaign.id)),
  ]);
  const doneBy = new Map(done.map((r) => [r.id, Number(r.n)]));
  const revokedBy = new Map(revoked.map((r) => [r.id, Number(r.n)]));
  const checkinDays = Number(days[0]?.n ?? 0);
  return [...campaign.rules.challenges.values()].map((c): ChallengeSummary => {
    const d = c.detect;
    const daily = d?.type === "checkin" && d.streak === undefined;
    return {
      id: c.id,
      title: c.title,
      kind: d?.type ?? "manual",
      token: c.token,
      amount: c.amount,
      repeat: daily ? "day" : null,
      target:
        d?.type === "invite"
          ? d.count
          : d?.type === "checkin"
            ? (d.streak ?? null)
            : d?.type === "join_chat"
              ? (d.stayDays ?? null)
              : null,
      partnerEvent: d?.type === "partner_event" ? `${d.partner}:${d.eventType}` : null,
      completions: daily ? checkinDays : (doneBy.get(c.id) ?? 0),
      revoked: revokedBy.get(c.id) ?? 0,
    };
  });
}
