/**
 * Attribution: who referred a new member. The first valid `/start <code>` (bot) or
 * `start_param` (Mini App) of a new member wins and is never changed. Refused: malformed
 * or unknown codes, codes of banned members, self-referral, loops at any depth, members
 * already attributed, members seen too long ago to count as new.
 *
 * Attributions are serialised by one transaction-scoped advisory lock: a loop can be
 * closed by two attributions that touch disjoint members (A→B→C→D, then D→A and B→C at
 * once), so per-row locks are not enough. Attribution is a few small statements, so one
 * lock is not a bottleneck at community scale.
 */
import { and, eq, sql } from "drizzle-orm";
import { type Db, lockKey, transaction } from "../db/index.ts";
import { members, type ReferralRow, referrals, starts } from "../db/schema.ts";
import { announceAttributed } from "./announcements.ts";
import { isCampaignActive } from "./campaign.ts";
import { isCampaignPaused } from "./campaignPause.ts";
import { normalizeCode } from "./codes.ts";
import type { DomainContext } from "./context.ts";
import { DomainError, type DomainErrorCode } from "./errors.ts";
import { resolveCode } from "./members.ts";
import { type QualifyOutcome, qualifyIfAlreadyDone } from "./qualification.ts";
import { assignVariant } from "./rules.ts";
import { isSelfOrAncestor, moveCounters } from "./tree.ts";

const ATTRIBUTION_LOCK = 727_002;

export type AttributionSource = "start" | "startapp" | "admin";

export interface AttributeInput {
  refereeId: number;
  code: string;
  source: AttributionSource;
  /** Campaign slug; the registry's current campaign when absent. */
  campaign?: string;
  /** Keyed hashes of the referee's IP and device (fraud signals); never raw values. */
  ipHash?: string | null;
  deviceHash?: string | null;
}

export interface AttributeResult {
  referral: ReferralRow;
  /** Set when the referee had already done the qualifying action (e.g. linked a wallet). */
  qualification?: QualifyOutcome;
}

type Refusal = {
  refused: DomainErrorCode;
  message: string;
  recordStart: boolean;
  details?: Record<string, unknown>;
};

/**
 * Records the attribution or throws a {@link DomainError} saying why not. A refusal
 * writes nothing, except that an existing member opening someone's link is counted as a
 * start of that link (analytics only).
 */
export async function attribute(
  ctx: DomainContext,
  input: AttributeInput,
): Promise<AttributeResult> {
  const now = ctx.now();
  const code = normalizeCode(input.code);
  if (code === null) throw new DomainError("invalid_code", "not a referral code");
  const owner = await resolveCode(ctx.db, code);
  if (!owner) throw new DomainError("unknown_code", "no member has this code");
  if (owner.banned) throw new DomainError("referrer_banned", "the code's owner is banned");
  if (owner.memberId === input.refereeId)
    throw new DomainError("self_referral", "members cannot refer themselves");
  const campaign = ctx.campaigns.resolve(input.campaign, now);

  const outcome = await transaction(ctx.db, async (tx): Promise<ReferralRow | Refusal> => {
    await lockKey(tx, ATTRIBUTION_LOCK);
    const [referee] = await tx
      .select({ id: members.id, firstSeenAt: members.firstSeenAt, bannedAt: members.bannedAt })
      .from(members)
      .where(eq(members.id, input.refereeId));
    if (!referee)
      return { refused: "member_not_found", message: "no such member", recordStart: false };
    if (referee.bannedAt !== null)
      return { refused: "member_banned", message: "member is banned", recordStart: false };

    const refuse = async (refused: DomainErrorCode, message: string): Promise<Refusal> => {
      await recordStart(tx, owner.memberId, input.refereeId, code, input.source, refused, now);
      return { refused, message, recordStart: true };
    };
    const [existing] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(eq(referrals.refereeId, input.refereeId));
    if (existing) return refuse("already_attributed", "this member was already referred");
    const windowStart = new Date(now.getTime() - ctx.attributionWindowHours * 3_600_000);
    if (referee.firstSeenAt < windowStart)
      return refuse("not_new_member", "only new members can be referred");
    if (await isSelfOrAncestor(tx, input.refereeId, owner.memberId)) {
      return refuse("referral_loop", "this would make a referral loop");
    }
    if (!isCampaignActive(campaign.rules, now)) {
      return {
        refused: "campaign_inactive",
        message: "the campaign is not running",
        recordStart: false,
      };
    }
    if (await isCampaignPaused(tx, campaign.id)) {
      return {
        refused: "campaign_inactive",
        message: "the campaign is paused",
        recordStart: false,
        details: { paused: true },
      };
    }
    const [row] = await tx
      .insert(referrals)
      .values({
        campaignId: campaign.id,
        referrerId: owner.memberId,
        refereeId: input.refereeId,
        code,
        source: input.source,
        variant: assignVariant(campaign.rules, owner.memberId),
        status: "pending",
        ipHash: input.ipHash ?? null,
        deviceHash: input.deviceHash ?? null,
        attributedAt: now,
      })
      .onConflictDoNothing({ target: referrals.refereeId })
      .returning();
    // The advisory lock makes this unreachable; the unique constraint is the last word.
    if (!row)
      return {
        refused: "already_attributed",
        message: "this member was already referred",
        recordStart: false,
      };
    await moveCounters(tx, input.refereeId, null, "pending");
    await recordStart(tx, owner.memberId, input.refereeId, code, input.source, "attributed", now);
    await announceAttributed(tx, row);
    return row;
  });

  if ("refused" in outcome) {
    throw new DomainError(outcome.refused, outcome.message, { code, ...outcome.details });
  }
  ctx.events?.attributed?.({
    campaignId: outcome.campaignId,
    referralId: outcome.id,
    referrerId: outcome.referrerId,
    refereeId: outcome.refereeId,
  });
  const qualification = await qualifyIfAlreadyDone(ctx, outcome);
  if (!qualification) return { referral: outcome };
  const [fresh] = await ctx.db.select().from(referrals).where(eq(referrals.id, outcome.id));
  return { referral: fresh ?? outcome, qualification };
}

async function recordStart(
  tx: Db,
  referrerId: number,
  starterId: number,
  code: string,
  source: string,
  outcome: string,
  now: Date,
): Promise<void> {
  const [row] = await tx
    .insert(starts)
    .values({ referrerId, starterId, code, source, outcome, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: starts.id });
  if (row)
    await tx
      .update(members)
      .set({ starts: sql`${members.starts} + 1` })
      .where(eq(members.id, referrerId));
}

/** The referral that brought `refereeId` in, if any. */
export async function referralOf(db: Db, refereeId: number): Promise<ReferralRow | undefined> {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.refereeId, refereeId)));
  return row;
}
