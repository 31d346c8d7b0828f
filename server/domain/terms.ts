/**
 * Campaign terms: a campaign file may require members to accept its terms (a version, a text
 * in both languages, a link) before their first reward there. Acceptance is recorded per
 * (member, campaign, version) with its time; a new version asks again. Until a member accepts,
 * their qualifying referral is held (qualification.ts, outcome `held`) and no grant is written
 * to them (eligibility.ts); accepting qualifies what waited for it.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { termsAcceptances } from "../db/schema/compliance.ts";
import { referrals } from "../db/schema.ts";
import type { CampaignTerms } from "./campaign.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { type QualifyOutcome, qualifyIfAlreadyDone } from "./qualification.ts";
import type { Campaign } from "./registry.ts";

export interface TermsStatus {
  campaign: string;
  /** `null`: the campaign asks for no terms. */
  terms: CampaignTerms | null;
  /** The current version accepted (true when there are no terms). */
  accepted: boolean;
  acceptedAt: Date | null;
  /** The newest version accepted before, when it is not the current one. */
  previousVersion: string | null;
}

export async function termsStatus(
  db: Db,
  campaign: Campaign,
  memberId: number,
): Promise<TermsStatus> {
  const terms = campaign.definition.terms ?? null;
  const rows = await db
    .select({ version: termsAcceptances.version, at: termsAcceptances.acceptedAt })
    .from(termsAcceptances)
    .where(
      and(eq(termsAcceptances.memberId, memberId), eq(termsAcceptances.campaignId, campaign.id)),
    )
    .orderBy(desc(termsAcceptances.acceptedAt));
  const current = terms ? rows.find((r) => r.version === terms.version) : undefined;
  return {
    campaign: campaign.slug,
    terms,
    accepted: terms === null || current !== undefined,
    acceptedAt: current?.at ?? null,
    previousVersion: terms && !current ? (rows[0]?.version ?? null) : null,
  };
}

/**
 * Records the member's acceptance of `version` (which must be the campaign's current one:
 * accepting text one has not been shown is refused with `terms_version_mismatch`). Accepting
 * again changes nothing. A referral of theirs held for the terms qualifies now when its
 * qualifying action was already done.
 */
export async function acceptTerms(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
  version: string,
): Promise<{ status: TermsStatus; newlyAccepted: boolean; qualification?: QualifyOutcome }> {
  const terms = campaign.definition.terms;
  if (!terms) throw new DomainError("terms_not_required", `${campaign.slug} has no terms`);
  if (version !== terms.version)
    throw new DomainError("terms_version_mismatch", `the current terms are ${terms.version}`, {
      current: terms.version,
    });
  const inserted = await ctx.db
    .insert(termsAcceptances)
    .values({ memberId, campaignId: campaign.id, version, acceptedAt: ctx.now() })
    .onConflictDoNothing()
    .returning();
  const qualification =
    inserted.length > 0 ? await qualifyWaiting(ctx, campaign, memberId) : undefined;
  return {
    status: await termsStatus(ctx.db, campaign, memberId),
    newlyAccepted: inserted.length > 0,
    ...(qualification ? { qualification } : {}),
  };
}

/**
 * The member's pending referral in `campaign`, qualified if its action was done while it
 * waited for the member's acceptance or declaration.
 */
export async function qualifyWaiting(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
): Promise<QualifyOutcome | undefined> {
  const [referral] = await ctx.db
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.refereeId, memberId),
        eq(referrals.campaignId, campaign.id),
        eq(referrals.status, "pending"),
      ),
    );
  return referral ? qualifyIfAlreadyDone(ctx, referral) : undefined;
}
