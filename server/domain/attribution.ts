/**
 * Attribution: who referred a new member. The first valid `/start <code>` (bot) or
 * `start_param` (Mini App) of a new member wins and is never changed. Refused: malformed
 * or unknown codes, codes of banned members, self-referral, loops at any depth, members
 * already attributed, members seen too long ago to count as new.
 *
 * Attributions are serialised by one transaction-scoped advisory lock: a loop can be
 * closed by two attributions that touch disjoint members (A→B→C→D, then D→A and B→C at
 * once), so per-row locks are not enough. Attribution is a few small statements, so one
 * lock is not a bottleneck at community scale. Under load the bot decides the attributions
 * it handles together in one transaction ({@link attributeMany}): one take of the lock and
 * one commit per batch, each attribution still decided alone and in order.
 */
import { and, eq, sql } from "drizzle-orm";
import { type Db, lockKey, queryRows, transaction } from "../db/index.ts";
import { type ReferralRow, referrals } from "../db/schema.ts";
import { announceAttributed } from "./announcements.ts";
import { isCampaignActive } from "./campaign.ts";
import { normalizeCode } from "./codes.ts";
import type { DomainContext } from "./context.ts";
import { DomainError, type DomainErrorCode } from "./errors.ts";
import { resolveCode } from "./members.ts";
import { type QualifyOutcome, qualifyIfAlreadyDone } from "./qualification.ts";
import { assignVariant } from "./rules.ts";
import { moveCounters, selfOrAncestorSql } from "./tree.ts";

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
  const [result] = await attributeMany(ctx, [input]);
  if ("error" in result!) throw result.error;
  return result!.ok;
}

/**
 * {@link attribute} for many inputs at once (the bot batches the `/start <code>` updates it
 * handles together): each is decided exactly as alone and in the order given, but all of
 * them in one transaction under one take of the attribution lock, so the lock changes hands
 * and the database commits once per batch, not once per attribution. Results are in the
 * order of `inputs`: the result, or the error that `attribute` would have thrown. An
 * unexpected failure (not a refusal) rolls the whole batch back and is thrown.
 */
export async function attributeMany(
  ctx: DomainContext,
  inputs: readonly AttributeInput[],
): Promise<Array<{ ok: AttributeResult } | { error: unknown }>> {
  const now = ctx.now();
  const prepared = await Promise.all(
    inputs.map((input) =>
      prepareAttribution(ctx, input, now).then(
        (p) => ({ p }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
  const pending = prepared.flatMap((x) => ("p" in x ? [x.p] : []));
  const outcomes = new Map<Prepared, ReferralRow | Refusal>();
  if (pending.length > 0) {
    await transaction(ctx.db, async (tx) => {
      outcomes.clear(); // a retried transaction starts over
      await lockKey(tx, ATTRIBUTION_LOCK);
      for (const p of pending) outcomes.set(p, await attributeInTx(ctx, tx, p, now));
    });
  }
  return Promise.all(
    prepared.map(async (x) => {
      if ("error" in x) return { error: x.error };
      const outcome = outcomes.get(x.p)!;
      try {
        return { ok: await finishAttribution(ctx, x.p, outcome) };
      } catch (error) {
        return { error };
      }
    }),
  );
}

interface Prepared {
  input: AttributeInput;
  code: string;
  owner: { memberId: number };
  campaign: ReturnType<DomainContext["campaigns"]["resolve"]>;
}

/** The checks that need no lock: the code, its owner, the campaign. Throws the refusals. */
async function prepareAttribution(
  ctx: DomainContext,
  input: AttributeInput,
  now: Date,
): Promise<Prepared> {
  const code = normalizeCode(input.code);
  if (code === null) throw new DomainError("invalid_code", "not a referral code");
  const owner = await resolveCode(ctx.db, code);
  if (!owner) throw new DomainError("unknown_code", "no member has this code");
  if (owner.banned) throw new DomainError("referrer_banned", "the code's owner is banned");
  if (owner.memberId === input.refereeId)
    throw new DomainError("self_referral", "members cannot refer themselves");
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  return { input, code, owner, campaign };
}

/** Decides and writes one attribution; the caller holds the attribution lock. */
async function attributeInTx(
  ctx: DomainContext,
  tx: Db,
  { input, code, owner, campaign }: Prepared,
  now: Date,
): Promise<ReferralRow | Refusal> {
  // Every check in one read (the lock is held for as few round trips as possible); the
  // refusals are decided in the same order as they are listed.
  const windowStart = new Date(now.getTime() - ctx.attributionWindowHours * 3_600_000);
  const [referee] = await queryRows<{
    banned: boolean;
    attributed: boolean;
    isNew: boolean;
    loop: boolean;
    paused: boolean;
  }>(
    tx,
    sql`select (m.banned_at is not null) as banned,
          exists(select 1 from referrals where referee_id = m.id) as attributed,
          (m.first_seen_at >= ${windowStart.toISOString()}::timestamptz) as "isNew",
          ${selfOrAncestorSql(input.refereeId, owner.memberId)} as loop,
          exists(select 1 from campaign_pauses where campaign_id = ${campaign.id}) as paused
        from members m where m.id = ${input.refereeId}`,
  );
  if (!referee)
    return { refused: "member_not_found", message: "no such member", recordStart: false };
  if (referee.banned)
    return { refused: "member_banned", message: "member is banned", recordStart: false };

  const refuse = async (refused: DomainErrorCode, message: string): Promise<Refusal> => {
    await recordStart(tx, owner.memberId, input.refereeId, code, input.source, refused, now);
    return { refused, message, recordStart: true };
  };
  if (referee.attributed) return refuse("already_attributed", "this member was already referred");
  if (!referee.isNew) return refuse("not_new_member", "only new members can be referred");
  if (input.refereeId === owner.memberId || referee.loop) {
    return refuse("referral_loop", "this would make a referral loop");
  }
  if (!isCampaignActive(campaign.rules, now)) {
    return {
      refused: "campaign_inactive",
      message: "the campaign is not running",
      recordStart: false,
    };
  }
  if (referee.paused) {
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
}

async function finishAttribution(
  ctx: DomainContext,
  { code }: Prepared,
  outcome: ReferralRow | Refusal,
): Promise<AttributeResult> {
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
  // One statement: the start, and the referrer's counter when the start is a first.
  await tx.execute(sql`with s as (
      insert into starts (referrer_id, starter_id, code, source, outcome, created_at)
      values (${referrerId}, ${starterId}, ${code}, ${source}, ${outcome}, ${now.toISOString()}::timestamptz)
      on conflict do nothing returning id)
    update members set starts = starts + 1
    where id = ${referrerId} and exists (select 1 from s)`);
}

/** The referral that brought `refereeId` in, if any. */
export async function referralOf(db: Db, refereeId: number): Promise<ReferralRow | undefined> {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.refereeId, refereeId)));
  return row;
}
