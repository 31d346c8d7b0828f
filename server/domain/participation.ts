/**
 * What members declare for a campaign's participation rules (their country, once; the minimum
 * age they confirm) and the operator's exclusions of members from a campaign. The rules
 * themselves are judged in eligibility.ts; declaring what a held referral waited for
 * qualifies it (terms.ts `qualifyWaiting`).
 */
import { and, eq } from "drizzle-orm";
import { memberDeclarations, memberExclusions } from "../db/schema/compliance.ts";
import { members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { judge, type MemberFacts, memberFacts, type Verdict } from "./eligibility.ts";
import { DomainError } from "./errors.ts";
import type { QualifyOutcome } from "./qualification.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";
import { qualifyWaiting } from "./terms.ts";

/** What the campaign asks of a member and where they stand (bot, dashboard). */
export interface ParticipationStatus {
  campaign: string;
  verdict: Verdict;
  /** The allowed countries when the campaign restricts them. */
  countries: string[] | null;
  minAge: number | null;
  country: string | null;
  ageConfirmed: number | null;
}

export async function participationStatus(
  ctx: Pick<DomainContext, "db">,
  campaign: Campaign,
  memberId: number,
): Promise<ParticipationStatus> {
  const facts: MemberFacts = (await memberFacts(ctx.db, campaign, [memberId])).get(memberId) ?? {
    country: null,
    ageConfirmed: null,
    language: null,
    excluded: false,
    termsAccepted: false,
  };
  const rules = campaign.definition.participation;
  return {
    campaign: campaign.slug,
    verdict: judge(campaign, facts),
    countries: rules?.countries ?? null,
    minAge: rules?.minAge ?? null,
    country: facts.country,
    ageConfirmed: facts.ageConfirmed,
  };
}

/**
 * Records the member's country (ISO 3166-1 alpha-2, any case). Declared once: a second
 * declaration of another country is refused (`country_invalid` for a malformed code), so a
 * member refused in one country cannot try the next.
 */
export async function declareCountry(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
  input: string,
): Promise<{ status: ParticipationStatus; qualification?: QualifyOutcome }> {
  const country = input.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw new DomainError("country_invalid", "expected a two-letter country code", { input });
  const [existing] = await ctx.db
    .select({ country: memberDeclarations.country })
    .from(memberDeclarations)
    .where(eq(memberDeclarations.memberId, memberId));
  if (existing?.country && existing.country !== country)
    throw new DomainError("country_invalid", "the country was declared already", {
      declared: existing.country,
    });
  await ctx.db
    .insert(memberDeclarations)
    .values({ memberId, country, updatedAt: ctx.now() })
    .onConflictDoUpdate({
      target: memberDeclarations.memberId,
      set: { country, updatedAt: ctx.now() },
    });
  return afterDeclaration(ctx, campaign, memberId);
}

/** Records that the member confirms being at least `age` (the campaign's minimum). */
export async function confirmAge(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
  age: number,
): Promise<{ status: ParticipationStatus; qualification?: QualifyOutcome }> {
  const minAge = campaign.definition.participation?.minAge;
  if (minAge === undefined || age !== minAge)
    throw new DomainError("age_invalid", "the campaign asks for another age", { minAge });
  const [existing] = await ctx.db
    .select({ age: memberDeclarations.ageConfirmed })
    .from(memberDeclarations)
    .where(eq(memberDeclarations.memberId, memberId));
  const kept = Math.max(existing?.age ?? 0, age);
  await ctx.db
    .insert(memberDeclarations)
    .values({ memberId, ageConfirmed: kept, updatedAt: ctx.now() })
    .onConflictDoUpdate({
      target: memberDeclarations.memberId,
      set: { ageConfirmed: kept, updatedAt: ctx.now() },
    });
  return afterDeclaration(ctx, campaign, memberId);
}

async function afterDeclaration(
  ctx: DomainContext,
  campaign: Campaign,
  memberId: number,
): Promise<{ status: ParticipationStatus; qualification?: QualifyOutcome }> {
  const qualification = await qualifyWaiting(ctx, campaign, memberId);
  return {
    status: await participationStatus(ctx, campaign, memberId),
    ...(qualification ? { qualification } : {}),
  };
}

/**
 * Excludes a member from a campaign (`member.exclude` in that campaign): no attribution to or
 * from them there, their referrals there are rejected when they qualify, and no grant is
 * written to them. Audited with before/after; excluding twice changes nothing.
 */
export async function excludeMember(
  ctx: Pick<DomainContext, "db" | "now">,
  campaign: Campaign,
  memberId: number,
  reason: string,
  by: AdminPrincipal,
): Promise<{ changed: boolean }> {
  await authorize(ctx, by, "member.exclude", campaign.id, { type: "member", id: memberId });
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [m] = await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId));
    if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
    const [row] = await tx
      .insert(memberExclusions)
      .values({ campaignId: campaign.id, memberId, reason, excludedBy: by.actor, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) return { changed: false };
    await writeAudit(tx, {
      actor: by.actor,
      action: "member.excluded",
      subjectType: "member",
      subjectId: memberId,
      campaignId: campaign.id,
      before: { excluded: false },
      after: { excluded: true, reason },
      at: now,
    });
    return { changed: true };
  });
}

/** Lifts an exclusion (`member.exclude` in the campaign), audited. */
export async function includeMember(
  ctx: Pick<DomainContext, "db" | "now">,
  campaign: Campaign,
  memberId: number,
  reason: string,
  by: AdminPrincipal,
): Promise<{ changed: boolean }> {
  await authorize(ctx, by, "member.exclude", campaign.id, { type: "member", id: memberId });
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(memberExclusions)
      .where(
        and(eq(memberExclusions.campaignId, campaign.id), eq(memberExclusions.memberId, memberId)),
      )
      .returning();
    if (!row) return { changed: false };
    await writeAudit(tx, {
      actor: by.actor,
      action: "member.included",
      subjectType: "member",
      subjectId: memberId,
      campaignId: campaign.id,
      before: { excluded: true, reason: row.reason },
      after: { excluded: false },
      details: { reason },
      at: now,
    });
    return { changed: true };
  });
}
