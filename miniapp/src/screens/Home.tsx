/**
 * Home: the member's tier and progress, badges, and per token the balance read directly
 * from the chain (marked "verified on-chain", with the contract and explorer links), plus
 * what is still on its way and what can be claimed (from the API).
 */
import { Button, Cell, List, Progress, Section, Text, Title } from "@telegram-apps/telegram-ui";
import { Suspense } from "react";
import type { CampaignRules, Profile } from "../api/models.ts";
import { loadProofs } from "../api/proofs.ts";
import { ExplorerLink } from "../components/ExplorerLink.tsx";
import { ErrorState, SkeletonRows } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { lazyScreen } from "../i18n/load.ts";
import { explorerToken, formatAmount, percent } from "../shared/format.ts";
import { pendingWei } from "../shared/status.ts";

// Shown only after a rules change, with messages outside the shell: loaded when needed.
const RulesChanged = lazyScreen<{ slug: string }>(() =>
  import("../components/RulesChanged.tsx").then((m) => ({ default: m.RulesChanged })),
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
      </Suspense>
      <TierSection profile={profile} />
      <LeaderboardLink />
      <ShopLink />
      <ChallengesLink />
      <Balances profile={profile} />
      <Badges profile={profile} />
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
        <div className="progress">
          <Progress value={percent(tier.qualified, next.minQualified)} />
        </div>
      ) : null}
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

function Balances({ profile }: { profile: Profile }) {
  const { t, lang, config, api, campaign, navigate } = useApp();
  const wallet = profile.member.wallet;
  const tokens = campaign?.tokens ?? [];
  const readable = tokens.filter((x) => x.address !== null);
  const canRead = wallet !== null && config.chain.rpcUrl !== null && readable.length > 0;
  const balances = useResource(
    canRead ? `balances:${wallet}:${readable.map((x) => x.address).join()}` : null,
    async () => {
      const { readTokenBalances } = await import("../chain/reads.ts");
      return readTokenBalances(
        config.chain,
        wallet ?? "",
        readable.map((x) => ({ symbol: x.symbol, address: x.address ?? "" })),
      );
    },
  );
  const proofs = useResource("proofs", () => loadProofs(api));

  if (!campaign) return <SkeletonRows rows={2} />;
  const symbols = new Set([
    ...tokens.map((x) => x.symbol),
    ...profile.stats.rewards.map((r) => r.token),
  ]);
  return (
    <Section
      header={t("home.balances")}
      data-section="balances"
      footer={
        wallet === null
          ? undefined
          : config.chain.rpcUrl === null
            ? t("home.noRpc")
            : t("home.readFrom", { chain: config.chain.name })
      }
    >
      {wallet === null ? (
        <Cell
          multiline
          description={t("home.linkWalletHint")}
          after={
            <Button size="s" mode="bezeled" onClick={() => navigate("/wallet")}>
              {t("home.linkWallet")}
            </Button>
          }
        >
          {t("home.noWallet")}
        </Cell>
      ) : null}
      {balances.status === "error" ? (
        <ErrorState error={balances.error} onRetry={balances.reload} />
      ) : null}
      {[...symbols].map((symbol) => {
        const token = tokens.find((x) => x.symbol === symbol);
        const decimals = token?.decimals ?? 18;
        const onChain = balances.data?.find((b) => b.symbol === symbol);
        const rewards = profile.stats.rewards.find((r) => r.token === symbol);
        const pending = rewards ? pendingWei(rewards.byState) : 0n;
        const claimable = (proofs.data ?? [])
          .filter((p) => p.token === symbol)
          .reduce((sum, p) => sum + BigInt(p.claimable), 0n);
        return (
          <TokenCell
            key={symbol}
            symbol={symbol}
            token={token}
            decimals={decimals}
            balance={onChain?.wei}
            loading={canRead && balances.status === "loading" && token?.address !== null}
            wallet={wallet}
            pending={pending}
            claimable={claimable}
            lang={lang}
          />
        );
      })}
    </Section>
  );
}

function TokenCell(p: {
  symbol: string;
  token: CampaignRules["tokens"][number] | undefined;
  decimals: number;
  balance: bigint | undefined;
  loading: boolean;
  wallet: string | null;
  pending: bigint;
  claimable: bigint;
  lang: string;
}) {
  const { t, config } = useApp();
  const address = p.token?.address ?? null;
  const link = address ? explorerToken(config.chain.explorerUrl, address, p.wallet) : null;
  const extra = [
    p.pending > 0n
      ? t("home.pending", { amount: formatAmount(p.pending, p.decimals, p.lang) })
      : null,
    p.claimable > 0n
      ? t("home.claimable", { amount: formatAmount(p.claimable, p.decimals, p.lang) })
      : null,
  ].filter(Boolean);
  return (
    <Cell
      multiline
      data-token={p.symbol}
      before={<span className="token-mark">{p.symbol.slice(0, 3)}</span>}
      subhead={p.token?.name ?? p.symbol}
      subtitle={
        address ? (
          <span className="contract">
            {t("home.contract")} <ExplorerLink value={address} link={link} />
          </span>
        ) : (
          t("home.notDeployed")
        )
      }
      description={extra.length > 0 ? extra.join(" · ") : undefined}
      after={
        p.balance !== undefined ? (
          <span className="verified" data-testid={`verified-${p.symbol}`}>
            ✓ {t("home.verified")}
          </span>
        ) : undefined
      }
    >
      <span data-testid={`balance-${p.symbol}`} className="balance">
        {p.balance !== undefined
          ? `${formatAmount(p.balance, p.decimals, p.lang)} ${p.symbol}`
          : p.loading
            ? "…"
            : `— ${p.symbol}`}
      </span>
    </Cell>
  );
}

function Badges({ profile }: { profile: Profile }) {
  const { t, lang, config, campaign } = useApp();
  const wallet = profile.member.wallet;
  const contract = campaign?.contracts?.badges ?? null;
  const ids = campaign?.badges.map((b) => b.id) ?? [];
  const owned = useResource(
    wallet && contract && config.chain.rpcUrl ? `badges:${wallet}:${contract}` : null,
    async () => {
      const { readBadges } = await import("../chain/reads.ts");
      return readBadges(config.chain, contract ?? "", wallet ?? "", ids);
    },
  );
  if (!campaign || campaign.badges.length === 0) return null;
  const tierBadge = profile.stats.tier.current.badgeId;
  const shown = campaign.badges.filter((b) => b.id === tierBadge || owned.data?.includes(b.id));
  return (
    <Section header={t("home.badges")} data-section="badges">
      {shown.length === 0 ? (
        <Cell multiline>{t("home.noBadges")}</Cell>
      ) : (
        shown.map((b) => (
          <Cell
            key={b.id}
            before={<span className="badge-mark">★</span>}
            after={
              owned.data?.includes(b.id) ? (
                <span className="verified">✓ {t("home.verified")}</span>
              ) : (
                <span className="hint">{t("home.badgeEarned")}</span>
              )
            }
          >
            {b.name[lang]}
          </Cell>
        ))
      )}
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
