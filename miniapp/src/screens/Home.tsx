/**
 * Home: the invited member's first steps (lazy), the member's tier and progress, the ways to
 * the other pages, and (lazy, components/Balances.tsx) per token the balance read directly
 * from the chain and where the rest of the rewards are, and the badges.
 */
import { Button, Cell, List, Section, Text, Title } from "@telegram-apps/telegram-ui";
import { Suspense } from "react";
import type { Profile } from "../api/models.ts";
import { SkeletonRows } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { lazyScreen } from "../i18n/load.ts";
import { percent } from "../shared/format.ts";

// Shown only after a rules change, with messages outside the shell: loaded when needed.
const RulesChanged = lazyScreen<{ slug: string }>(() =>
  import("../components/RulesChanged.tsx").then((m) => ({ default: m.RulesChanged })),
);
// Balances and badges read the chain and several endpoints: loaded after the first screen.
const Balances = lazyScreen<{ profile: Profile }>(() =>
  import("../components/Balances.tsx").then((m) => ({ default: m.Balances })),
);
const Badges = lazyScreen<{ profile: Profile }>(() =>
  import("../components/Balances.tsx").then((m) => ({ default: m.Badges })),
);
// The invited member's first screen: who invited them, what both get, the next step.
const Invitation = lazyScreen<{ slug: string }>(() =>
  import("../components/Invitation.tsx").then((m) => ({ default: m.Invitation })),
);
// Shown only once the campaign ended (its grace and clawback date): loaded the same way.
const CampaignEnded = lazyScreen<{ slug: string }>(() =>
  import("../components/CampaignEnded.tsx").then((m) => ({ default: m.CampaignEnded })),
);

export function Home() {
  const { profile, t, lang } = useApp();
  if (!profile) return null;
  const name = profile.member.firstName ?? profile.member.username ?? `#${profile.member.id}`;
  return (
    <List>
      <div className="hero">
        <Title level="2" weight="1" Component="h1">
          {t("home.greeting", { name })}
        </Title>
        <Text className="hint">{profile.campaign.name[lang]}</Text>
      </div>
      <Suspense fallback={null}>
        <CampaignEnded slug={profile.campaign.slug} />
        <RulesChanged slug={profile.campaign.slug} />
        <Invitation slug={profile.campaign.slug} />
      </Suspense>
      <TierSection profile={profile} />
      <Suspense fallback={<SkeletonRows rows={2} />}>
        <Balances profile={profile} />
      </Suspense>
      <LeaderboardLink />
      <ShopLink />
      <ChallengesLink />
      <RulesLink />
      <Suspense fallback={null}>
        <Badges profile={profile} />
      </Suspense>
      <Account />
    </List>
  );
}

function TierSection({ profile }: { profile: Profile }) {
  const { t, lang } = useApp();
  const { tier } = profile.stats;
  const next = tier.next;
  return (
    <Section header={t("home.tier")} data-section="tier">
      <Cell
        multiline
        subtitle={
          next
            ? t("home.toNext", { count: tier.toNext ?? 0, tier: next.name[lang] })
            : t("home.topTier")
        }
        after={
          <span className="count" data-testid="qualified-count">
            {t("home.qualified", { count: tier.qualified })}
          </span>
        }
      >
        <span data-testid="tier-name">{tier.current.name[lang]}</span>
      </Cell>
      {next ? (
        // Progress from this tier's threshold to the next one's: empty at 0, nothing drawn
        // for an empty bar (a track of its own colour, not a tinted fill).
        <div className="progress">
          <div
            className="tier-bar"
            role="progressbar"
            aria-label={t("home.tierProgress", { tier: next.name[lang] })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent(
              tier.qualified - tier.current.minQualified,
              next.minQualified - tier.current.minQualified,
            )}
            data-testid="tier-bar"
          >
            <div
              className="tier-bar-fill"
              style={{
                width: `${percent(
                  tier.qualified - tier.current.minQualified,
                  next.minQualified - tier.current.minQualified,
                )}%`,
              }}
            />
          </div>
        </div>
      ) : null}
    </Section>
  );
}

/** The way to the campaign's rules (a page of its own, loaded when opened). */
function RulesLink() {
  const { t, navigate } = useApp();
  return (
    <Section data-section="rules-link">
      <Cell
        multiline
        description={t("home.rulesHint")}
        after={
          <Button
            size="s"
            mode="bezeled"
            data-testid="open-rules"
            onClick={() => navigate("/rules")}
          >
            {t("home.rulesOpen")}
          </Button>
        }
      >
        {t("page.rules")}
      </Cell>
    </Section>
  );
}

/** The way to the shop (a page of its own, loaded when opened). */
function ShopLink() {
  const { t, navigate } = useApp();
  return (
    <Section data-section="shop">
      <Cell
        after={
          <Button size="s" mode="bezeled" data-testid="open-shop" onClick={() => navigate("/shop")}>
            {t("page.shop")}
          </Button>
        }
      >
        {t("home.shop")}
      </Cell>
    </Section>
  );
}

/** The way to the challenges (a page of its own, loaded when opened). */
function ChallengesLink() {
  const { t, navigate } = useApp();
  return (
    <Section data-section="challenges-link">
      <Cell
        multiline
        before={
          <span className="leaderboard-mark" aria-hidden="true">
            🎯
          </span>
        }
        description={t("home.challengesHint")}
        after={
          <Button
            size="s"
            mode="bezeled"
            data-testid="open-challenges"
            onClick={() => navigate("/challenges")}
          >
            {t("home.challengesOpen")}
          </Button>
        }
      >
        {t("home.challenges")}
      </Cell>
    </Section>
  );
}

/** The way to the leaderboards (a page of its own, loaded when opened). */
function LeaderboardLink() {
  const { t, navigate } = useApp();
  return (
    <Section data-section="leaderboard">
      <Cell
        multiline
        before={
          <span className="leaderboard-mark" aria-hidden="true">
            🏆
          </span>
        }
        description={t("home.leaderboardHint")}
        after={
          <Button
            size="s"
            mode="bezeled"
            data-testid="open-leaderboard"
            onClick={() => navigate("/top")}
          >
            {t("home.leaderboardOpen")}
          </Button>
        }
      >
        {t("home.leaderboard")}
      </Cell>
    </Section>
  );
}

function Account() {
  const { t, logout, profile } = useApp();
  if (!logout || !profile) return null;
  return (
    <Section header={t("home.account")}>
      <Cell
        multiline
        subtitle={t("home.signedInAs", { id: profile.member.id })}
        after={
          <Button size="s" mode="gray" data-testid="logout" onClick={() => void logout()}>
            {t("action.logout")}
          </Button>
        }
      >
        {profile.member.firstName ?? profile.member.username ?? `#${profile.member.id}`}
      </Cell>
    </Section>
  );
}
