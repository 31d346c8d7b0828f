/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * What the Loyalty console screen's panels (LoyaltyPerks, LoyaltySurveys, LoyaltyChallenges)
 * share: the API shapes they read and send, input checks, problem texts, and the campaign's
 * public rules for the forms' choices.
 */

import { useConsole } from "./AdminApp.tsx";
import type { ApiBody, ApiInput } from "./api.ts";
import { useDetailedFailure } from "./CampaignTabs.tsx";
import { type Latest, R, useLatest } from "./react.ts";

export type PerkList = ApiBody<"adminListPerks", 200>;
export type Perk = PerkList["items"][number];
export type PerkResult = ApiBody<"adminCreatePerk", 200>;
export type NewPerk = ApiInput<"adminCreatePerk">;
export type PerkChange = ApiInput<"adminChangePerk">;
export type Imported = ApiBody<"importCoupons", 200>;
export type Survey = ApiBody<"listSurveys", 200>[number];
export type NewSurvey = ApiInput<"createSurvey">;
export type Results = ApiBody<"getSurveyResults", 200>;
export type Segment = Survey["segment"];
export type Challenges = ApiBody<"adminListChallenges", 200>;
export type Rules = ApiBody<"getCampaignRules", 200>;

/** Every segment, checked complete against the generated types at compile time. */
export const SEGMENTS = Object.keys({
  all: 1,
  referred: 1,
  inviters: 1,
  wallet: 1,
} satisfies Record<Segment, 1>) as Segment[];
export const PERK_ID = /^[a-z0-9][a-z0-9_-]{0,47}$/;
export const AMOUNT = /^\d{1,30}(\.\d{1,18})?$/;
/** The coupon import's body limit (the API refuses more). */
export const CSV_MAX = 1_000_000;
/** How often the perk list is read again while a version waits for the indexer. */
export const PENDING_POLL_MS = 2000;

/** Problem codes whose server detail helps fix the input (it names the field or the rule). */
export const DETAILED = new Set([
  "perk_invalid",
  "perk_expiry_past",
  "perk_requirement_unknown",
  "perk_stock_below_sold",
  "rules_invalid",
  "rules_version_pending",
  "not_ready",
  "answer_invalid",
  "validation_failed",
]);

export const useFailure = () => useDetailedFailure(DETAILED);

/** Supersedes whatever `latest` has pending: its answer, when it comes, is dropped. */
export const drop = (latest: Latest) =>
  latest(
    async () => undefined,
    () => {},
    () => {},
  );

/** A date-time input's value (local time) for an ISO moment, and back. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
export const fromLocalInput = (value: string): string | null =>
  value === "" ? null : new Date(value).toISOString();

export function ReadOnly() {
  const { t } = useConsole();
  return (
    <p className="admin-muted" data-read-only>
      {t("admin.loy.readOnly")}
    </p>
  );
}

/** The campaign's public rules: its tokens, tiers and badges for the forms' choices. */
export function useRules(slug: string): Rules | null {
  const { api } = useConsole();
  const [rules, setRules] = R.useState<Rules | null>(null);
  const latest = useLatest();
  R.useEffect(() => {
    // Without them the forms offer fewer choices; the API still checks what is sent.
    void latest(
      (signal) => api.get<Rules>(`/api/campaigns/${encodeURIComponent(slug)}`, signal),
      setRules,
      () => {},
    );
  }, [latest, api, slug]);
  return rules;
}
