/**
 * The host API's domain side: what a bot that already exists (the grammY plugin, plugin/)
 * does for its users in one campaign, with the rights of its key (hostKeys.ts). Each goes
 * through the functions the Refmint bot itself uses:
 *
 * - a start: the member is created on first sight ({@link ensureMember}) and the payload
 *   attributed through the attribution batch path ({@link attributeMany}), in the key's
 *   campaign only. A start the domain already recorded (the same user, the same code's owner,
 *   in this campaign: a redelivered update, a second tap on the link) answers `attributed`
 *   again with `replayed: true` and writes nothing new; refusals are answers, not errors.
 * - a member's status: code, start payload, clicks and starts, referrals per level, tier,
 *   rewards ({@link computeStats}), whether the campaign still needs something from them.
 * - a qualifying action: recorded once per (campaign, event id) and qualified with
 *   {@link qualifyInTx} as the partner the key reports as, in the key's campaign only (never
 *   another campaign the member takes part in); challenges of the campaign that detect that
 *   partner event complete too.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { transaction } from "../db/index.ts";
import { hostEvents } from "../db/schema/host.ts";
import { members, type ReferralRow } from "../db/schema.ts";
import { attributeMany, referralOf } from "./attribution.ts";
import { isCampaignActive } from "./campaign.ts";
import { detectAfterQualification } from "./challengeProgress.ts";
import { completeChallenge } from "./challenges.ts";
import { parseStartPayload, startPayload } from "./codes.ts";
import type { DomainContext } from "./context.ts";
import { type Missing, type Refusal, verdictOf } from "./eligibility.ts";
import { DomainError, type DomainErrorCode, isDomainError } from "./errors.ts";
import type { HostKeyGrant } from "./hostKeys.ts";
import {
  ensureMember,
  getMember,
  getMemberWithStats,
  type MemberView,
  type TelegramUserInput,
} from "./members.ts";
import { summarizeQualification } from "./partner.ts";
import { emitOutcome, type QualifyOutcome, qualifyInTx } from "./qualification.ts";
import type { Campaign } from "./registry.ts";
import { computeStats, type MemberStats, type RawMemberStats } from "./stats.ts";

/** The campaign of a key, or `forbidden` when the request names another one. */
export function hostCampaign(ctx: DomainContext, grant: HostKeyGrant, slug: string): Campaign {
  const campaign = ctx.campaigns.requireById(grant.campaignId);
  if (campaign.slug !== slug)
    throw new DomainError("forbidden", "this API key belongs to another campaign", {
      campaign: slug,
    });
  return campaign;
}

// ---- Starts -----------------------------------------------------------------------------

export interface HostStartResult {
  outcome: "attributed" | "refused";
  /** Why not (a domain error code, e.g. `unknown_code`, `already_attributed`). */
  reason?: DomainErrorCode;
  referralId?: number;
  /** The inviter's first name or username, to greet the new member with. */
  inviter?: string | null;
  /** The member was created by this start. */
  memberCreated: boolean;
  /** The same attribution was recorded before (a repeated start): nothing new was written. */
  replayed: boolean;
  /** Set when the referee had already done the qualifying action. */
  qualification?: QualifyOutcome;
}

/**
 * The payload's code when it is one for `campaign`: a bare code, or `<code>__<slug>` with
 * this campaign's slug. A payload naming another known campaign is `forbidden` (a key acts in
 * its own campaign only); one that cannot be a code is `invalid_code`.
 */
export function hostStartCode(ctx: DomainContext, campaign: Campaign, payload: string): string {
  const parsed = parseStartPayload(payload, (slug) => ctx.campaigns.bySlug(slug) !== undefined);
  if (parsed.campaign !== undefined && parsed.campaign !== campaign.slug)
    throw new DomainError("forbidden", "the payload names another campaign", {
      campaign: parsed.campaign,
    });
  return parsed.code;
}

/**
 * A host's `/start <payload>` for a Telegram user: the member (created on first sight), then
 * the attribution in the key's campaign. The payload was checked with {@link hostStartCode}.
 */
export async function hostStart(
  ctx: DomainContext,
  campaign: Campaign,
  input: { user: TelegramUserInput; code: string },
): Promise<HostStartResult> {
  const { member, created } = await ensureMember(ctx, input.user);
  const [result] = await attributeMany(ctx, [
    { refereeId: member.id, code: input.code, campaign: campaign.slug, source: "host" },
  ]);
  if (result && "ok" in result) {
    const { referral, qualification } = result.ok;
    return {
      outcome: "attributed",
      referralId: referral.id,
      inviter: await inviterName(ctx, referral),
      memberCreated: created,
      replayed: false,
      ...(qualification ? { qualification } : {}),
    };
  }
  const error = result?.error;
  if (!isDomainError(error)) throw error;
  if (error.code === "already_attributed") {
    // The same start again (the attribution stands, so the answer does too).
    const existing = await referralOf(ctx.db, member.id, campaign.id);
    const owner = existing ? await getMember(ctx.db, existing.referrerId) : undefined;
    if (existing && owner && existing.code === input.code.trim().toLowerCase())
      return {
        outcome: "attributed",
        referralId: existing.id,
        inviter: owner.firstName ?? owner.username,
        memberCreated: created,
        replayed: true,
      };
  }
  return { outcome: "refused", reason: error.code, memberCreated: created, replayed: false };
}

async function inviterName(ctx: DomainContext, referral: ReferralRow): Promise<string | null> {
  const inviter = await getMember(ctx.db, referral.referrerId);
  return inviter?.firstName ?? inviter?.username ?? null;
}

// ---- Status -----------------------------------------------------------------------------

export interface HostMemberStatus {
  campaign: Campaign;
  member: MemberView;
  startPayload: string;
  active: boolean;
  referredBy: { referralId: number; status: ReferralRow["status"] } | null;
  stats: MemberStats;
  /** What the campaign still needs from the member (terms, country, age), or why not at all. */
  eligibility: { ok: boolean; refused?: Refusal; missing?: Missing[] };
}

async function statusOf(
  ctx: DomainContext,
  campaign: Campaign,
  member: MemberView,
  raw: RawMemberStats,
): Promise<HostMemberStatus> {
  const [referral, verdict] = await Promise.all([
    referralOf(ctx.db, member.id, campaign.id),
    verdictOf(ctx.db, campaign, member.id),
  ]);
  return {
    campaign,
    member,
    startPayload: startPayload(member.code, campaign.slug),
    active: isCampaignActive(campaign.rules, ctx.now()),
    referredBy: referral ? { referralId: referral.id, status: referral.status } : null,
    stats: computeStats(campaign, raw),
    eligibility: verdict.ok
      ? { ok: true }
      : verdict.refused !== undefined
        ? { ok: false, refused: verdict.refused }
        : { ok: false, missing: verdict.missing },
  };
}

/** The member's status, creating the member on first sight (a host's `/invite`). */
export async function hostEnsureStatus(
  ctx: DomainContext,
  campaign: Campaign,
  user: TelegramUserInput,
): Promise<HostMemberStatus> {
  const { member, stats } = await ensureMember(ctx, user, { withStats: true });
  return statusOf(ctx, campaign, member, stats ?? { counters: [], rewards: [] });
}

/** The status of a member Refmint knows, by Telegram id; writes nothing. */
export async function hostReadStatus(
  ctx: DomainContext,
  campaign: Campaign,
  telegramUserId: number,
): Promise<HostMemberStatus> {
  const found = await getMemberWithStats(ctx.db, telegramUserId);
  if (!found)
    throw new DomainError("member_not_found", "Refmint has not seen this Telegram user", {
      telegramUserId,
    });
  return statusOf(ctx, campaign, found.member, found.stats);
}

// ---- Qualifying actions ---------------------------------------------------------------------

export interface HostActionInput {
  eventId: string;
  type: string;
  telegramUserId: number;
}

export interface HostActionResult extends Record<string, unknown> {
  eventId: string;
  outcome: "qualified" | "review" | "rejected" | "ignored";
  reason?: string;
  referralId?: number;
  /** Challenges of the campaign this action completed. */
  challenges?: string[];
}

/**
 * Records a qualifying action once per (campaign, event id) and qualifies the member's
 * referral in the key's campaign with it (a `partner_event` of the key's partner). A replay
 * with the same content returns the stored result and writes nothing; the same event id with
 * other content is `host_event_conflict`.
 */
export async function hostReportAction(
  ctx: DomainContext,
  grant: HostKeyGrant,
  campaign: Campaign,
  input: HostActionInput,
): Promise<{ result: HostActionResult; replayed: boolean }> {
  const now = ctx.now();
  const payloadHash = createHash("sha256")
    .update(JSON.stringify([input.type, input.telegramUserId]))
    .digest("hex");
  const out = await transaction(ctx.db, async (tx) => {
    const [inserted] = await tx
      .insert(hostEvents)
      .values({
        campaignId: campaign.id,
        keyId: grant.keyId,
        eventId: input.eventId,
        type: input.type,
        payloadHash,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: hostEvents.id });
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(hostEvents)
        .where(and(eq(hostEvents.campaignId, campaign.id), eq(hostEvents.eventId, input.eventId)));
      if (!existing) throw new Error("host event vanished");
      if (existing.payloadHash !== payloadHash)
        throw new DomainError(
          "host_event_conflict",
          "this event id was already used with a different action",
          { eventId: input.eventId },
        );
      return {
        result: (existing.result ?? {
          eventId: input.eventId,
          outcome: "ignored",
        }) as HostActionResult,
        replayed: true,
        outcome: null as QualifyOutcome | null,
        memberId: undefined as number | undefined,
      };
    }
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(eq(members.telegramId, input.telegramUserId));
    const outcome = member
      ? await qualifyInTx(
          ctx,
          tx,
          member.id,
          { type: "partner_event", partner: grant.partner, eventType: input.type },
          campaign.id,
        )
      : null;
    const result: HostActionResult = summarizeQualification(input.eventId, outcome);
    await tx
      .update(hostEvents)
      .set({ memberId: member?.id ?? null, result })
      .where(eq(hostEvents.id, inserted.id));
    return { result, replayed: false, outcome, memberId: member?.id };
  });
  if (out.replayed || out.memberId === undefined)
    return { result: out.result, replayed: out.replayed };
  if (out.outcome) {
    emitOutcome(ctx, out.outcome);
    await detectAfterQualification(ctx, out.outcome);
  }
  const challenges = await completeDetectedChallenges(ctx, campaign, out.memberId, grant, input);
  return {
    result: challenges.length > 0 ? { ...out.result, challenges } : out.result,
    replayed: false,
  };
}

/**
 * The campaign's challenges that detect this partner event (only this campaign's, unlike the
 * partner webhook's). A challenge the campaign does not grant the member now (terms not
 * accepted, excluded, banned) is left for later: the action itself is recorded either way.
 */
async function completeDetectedChallenges(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
  grant: HostKeyGrant,
  input: HostActionInput,
): Promise<string[]> {
  if (!isCampaignActive(campaign.rules, ctx.now())) return [];
  const done: string[] = [];
  for (const ch of campaign.rules.challenges.values()) {
    const d = ch.detect;
    if (d?.type !== "partner_event" || d.partner !== grant.partner || d.eventType !== input.type)
      continue;
    try {
      const r = await completeChallenge(ctx, {
        memberId,
        challengeId: ch.id,
        campaign: campaign.slug,
        source: `partner:${grant.partner}`,
      });
      if (r.newlyCompleted) done.push(ch.id);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  return done;
}
