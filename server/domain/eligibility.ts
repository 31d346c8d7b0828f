/**
 * Who may take part in a campaign and be paid by it: the campaign's terms (accepted in their
 * current version), its participation rules (the country and language a member declares, the
 * minimum age they confirm) and the operator's exclusions. One verdict for every path that
 * attributes or pays: attribution refuses what is already known to be refused, qualification
 * holds a referral while something is missing (the referral stays pending and qualifies once
 * the member accepts or declares) and rejects it when refused, and no grant is written to an
 * upline member who is refused or has not accepted the current terms (their level earns
 * nothing, like a banned member's: never pay without acceptance).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { botMemberSettings } from "../db/schema/bot.ts";
import { memberDeclarations, memberExclusions, termsAcceptances } from "../db/schema/compliance.ts";
import { members } from "../db/schema.ts";
import type { Campaign } from "./registry.ts";

/** Final: the member does not take part (attribution refused, referral rejected). */
export const REFUSALS = ["member_excluded", "country_not_allowed", "language_not_allowed"] as const;
export type Refusal = (typeof REFUSALS)[number];

/** Missing: the member can still take part once they accept or declare it (referral held). */
export const MISSING = ["terms_not_accepted", "country_required", "age_not_confirmed"] as const;
export type Missing = (typeof MISSING)[number];

export type Verdict =
  | { ok: true }
  | { ok: false; refused: Refusal }
  | { ok: false; refused?: undefined; missing: Missing[] };

export interface MemberFacts {
  country: string | null;
  ageConfirmed: number | null;
  /** The member's language: the one chosen in the bot, else Telegram's interface language. */
  language: string | null;
  excluded: boolean;
  /** The current terms version accepted (false when the campaign has no terms). */
  termsAccepted: boolean;
}

/** The verdict from facts (pure; {@link verdicts} reads the facts). */
export function judge(campaign: Campaign, f: MemberFacts): Verdict {
  if (f.excluded) return { ok: false, refused: "member_excluded" };
  const rules = campaign.definition.participation;
  if (rules?.languages && !(f.language !== null && rules.languages.includes(f.language)))
    return { ok: false, refused: "language_not_allowed" };
  if (rules?.countries && f.country !== null && !rules.countries.includes(f.country))
    return { ok: false, refused: "country_not_allowed" };
  const missing: Missing[] = [];
  if (campaign.definition.terms && !f.termsAccepted) missing.push("terms_not_accepted");
  if (rules?.countries && f.country === null) missing.push("country_required");
  if (rules?.minAge !== undefined && (f.ageConfirmed ?? 0) < rules.minAge)
    missing.push("age_not_confirmed");
  return missing.length > 0 ? { ok: false, missing } : { ok: true };
}

/** The facts of `memberIds` for `campaign` (at most three indexed reads). */
export async function memberFacts(
  db: Db,
  campaign: Campaign,
  memberIds: readonly number[],
): Promise<Map<number, MemberFacts>> {
  const ids = [...new Set(memberIds)];
  const out = new Map<number, MemberFacts>();
  if (ids.length === 0) return out;
  const people = await db
    .select({
      id: members.id,
      languageCode: members.languageCode,
      chosen: botMemberSettings.language,
      country: memberDeclarations.country,
      ageConfirmed: memberDeclarations.ageConfirmed,
    })
    .from(members)
    .leftJoin(botMemberSettings, eq(botMemberSettings.memberId, members.id))
    .leftJoin(memberDeclarations, eq(memberDeclarations.memberId, members.id))
    .where(inArray(members.id, ids));
  const excluded = new Set(
    (
      await db
        .select({ id: memberExclusions.memberId })
        .from(memberExclusions)
        .where(
          and(
            eq(memberExclusions.campaignId, campaign.id),
            inArray(memberExclusions.memberId, ids),
          ),
        )
    ).map((r) => r.id),
  );
  const terms = campaign.definition.terms;
  const accepted = new Set(
    terms === undefined
      ? []
      : (
          await db
            .select({ id: termsAcceptances.memberId })
            .from(termsAcceptances)
            .where(
              and(
                eq(termsAcceptances.campaignId, campaign.id),
                eq(termsAcceptances.version, terms.version),
                inArray(termsAcceptances.memberId, ids),
              ),
            )
        ).map((r) => r.id),
  );
  for (const p of people) {
    const language = (p.chosen ?? p.languageCode)?.slice(0, 2).toLowerCase() ?? null;
    out.set(p.id, {
      country: p.country,
      ageConfirmed: p.ageConfirmed,
      language,
      excluded: excluded.has(p.id),
      termsAccepted: accepted.has(p.id),
    });
  }
  return out;
}

/**
 * Verdicts for `memberIds` in `campaign` (exclusions hold in every campaign, so this always
 * reads; a member who does not exist is `ok`: other checks report them).
 */
export async function verdicts(
  db: Db,
  campaign: Campaign,
  memberIds: readonly number[],
): Promise<Map<number, Verdict>> {
  const out = new Map<number, Verdict>();
  if (memberIds.length === 0) return out;
  if (campaign.definition.terms === undefined && campaign.definition.participation === undefined) {
    // Most campaigns ask nothing: only the exclusions matter, one indexed read.
    const excluded = await db
      .select({ id: memberExclusions.memberId })
      .from(memberExclusions)
      .where(
        and(
          eq(memberExclusions.campaignId, campaign.id),
          inArray(memberExclusions.memberId, [...new Set(memberIds)]),
        ),
      );
    const ids = new Set(excluded.map((r) => r.id));
    for (const id of memberIds)
      out.set(id, ids.has(id) ? { ok: false, refused: "member_excluded" } : { ok: true });
    return out;
  }
  const facts = await memberFacts(db, campaign, memberIds);
  for (const id of memberIds) {
    const f = facts.get(id);
    out.set(id, f ? judge(campaign, f) : { ok: true });
  }
  return out;
}

/** The verdict of one member. */
export async function verdictOf(db: Db, campaign: Campaign, memberId: number): Promise<Verdict> {
  return (await verdicts(db, campaign, [memberId])).get(memberId) ?? { ok: true };
}

/**
 * The final refusals among (campaign, member) pairs, keyed `campaignId:memberId` (attribution
 * reads them once per batch; what is only missing does not refuse an attribution).
 */
export async function refusalsAmong(
  db: Db,
  pairs: ReadonlyArray<{ campaign: Campaign; memberId: number }>,
): Promise<Map<string, Refusal>> {
  const byCampaign = new Map<number, { campaign: Campaign; ids: number[] }>();
  for (const p of pairs) {
    const g = byCampaign.get(p.campaign.id) ?? { campaign: p.campaign, ids: [] };
    g.ids.push(p.memberId);
    byCampaign.set(p.campaign.id, g);
  }
  const out = new Map<string, Refusal>();
  for (const { campaign, ids } of byCampaign.values())
    for (const [id, v] of await verdicts(db, campaign, ids))
      if (!v.ok && v.refused !== undefined) out.set(`${campaign.id}:${id}`, v.refused);
  return out;
}
