/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Loyalty: what a campaign gives besides referral rewards, per campaign, in three tabs.
 *
 * - **Perks**: the perks of the rules in effect with their state on-chain (price, units left of
 *   the total, redeemed, end of sale, requirement, on sale or not). Create one, change its
 *   price, stock or end of sale, retire it: each is a new rules version, so the screen first
 *   asks the API for the dry run (the changes in words, the admin's calls with their gas and
 *   cost) and applies only on a second, explicit step; the version takes effect when the indexer
 *   sees its block, and the list refreshes itself meanwhile. A perk's coupon codes are uploaded
 *   as a CSV (added and skipped counts, or the refused lines).
 * - **Surveys and votes**: the campaign's surveys with their state; create one (questions with
 *   options or free text, a vote's options with budgets, segment, reward, closing time), close
 *   one (confirmed), and its results per option and per segment.
 * - **Challenges**: the campaign's challenges with their completion counts.
 *
 * Writes are offered where the caller's roles allow them, as the API enforces: perks and coupon
 * codes `campaign.edit` (owners, managers), surveys `survey.manage` (owners, managers); the
 * lists need `campaign.view`, surveys and results `survey.read`. Everyone else reads only, and
 * the API refuses them anyway.
 */

import { useConsole } from "./AdminApp.tsx";
import type { AdminAction } from "./api.ts";
import { CampaignTabBar, useCampaignTab } from "./CampaignTabs.tsx";
import { ChallengesPanel } from "./LoyaltyChallenges.tsx";
import { PerksPanel } from "./LoyaltyPerks.tsx";
import { SurveysPanel } from "./LoyaltySurveys.tsx";
// biome-ignore lint/correctness/noUnusedImports: the JSX pragma above compiles to R.createElement
import { R } from "./react.ts";
import "./integrations.css";
import "./loyalty.css";

type Tab = "perks" | "surveys" | "challenges";
const TAB_NEEDS: Record<Tab, AdminAction> = {
  perks: "campaign.view",
  surveys: "survey.read",
  challenges: "campaign.view",
};

export function LoyaltyScreen() {
  const { campaigns, t } = useConsole();
  const usable = campaigns.items.filter((c) => c.actions.includes("campaign.view"));
  const choice = useCampaignTab<Tab>(usable, TAB_NEEDS, "perks");
  const { campaign, current } = choice;
  if (!campaign) return <p>{t("admin.loy.none")}</p>;
  return (
    <>
      <CampaignTabBar usable={usable} choice={{ ...choice, campaign }} prefix="admin.loy" />
      <section data-panel={current} data-campaign={campaign.slug}>
        {current === "perks" ? (
          <PerksPanel
            key={`p-${campaign.slug}`}
            slug={campaign.slug}
            canEdit={campaign.actions.includes("campaign.edit")}
          />
        ) : current === "surveys" ? (
          <SurveysPanel
            key={`s-${campaign.slug}`}
            slug={campaign.slug}
            canManage={campaign.actions.includes("survey.manage")}
          />
        ) : (
          <ChallengesPanel key={`c-${campaign.slug}`} slug={campaign.slug} />
        )}
      </section>
    </>
  );
}
