/**
 * The campaign's rules as a member reads them (a page of its own, loaded when opened): what
 * each level pays this member (their variant, and their tier's multiplier), what counts as a
 * qualified invitation, the welcome bonus, tiers with thresholds and multipliers, limits per
 * member, expiry, challenges, perks, and the rules' version with the SHA-256 the campaign's
 * contract logged (the public document and the transaction linked, both copyable).
 */
import { Cell, List, Section } from "@telegram-apps/telegram-ui";
import type { CampaignVersions } from "../api/models.ts";
import { ExplorerLink } from "../components/ExplorerLink.tsx";
import { ErrorState, SkeletonRows } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { explorerTx, formatAmount } from "../shared/format.ts";

const BPS = 10_000;

export default function Rules() {
  const { profile, campaign, t, lang, api, config } = useApp();
  const slug = profile?.campaign.slug ?? "";
  const versions = useResource(slug ? `versions:${slug}` : null, () =>
    api.get<CampaignVersions>(`/api/campaigns/${encodeURIComponent(slug)}/versions`),
  );
  if (!profile || !campaign) return <SkeletonRows rows={4} />;
  const decimalsOf = (symbol: string) =>
    campaign.tokens.find((x) => x.symbol === symbol)?.decimals ?? 18;
  // One number format for the language (2,4 in Russian), for amounts given as decimal strings.
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 4 });
  const tokens = (amount: string, symbol: string) =>
    `${formatAmount(decimalString(amount, decimalsOf(symbol)), decimalsOf(symbol), lang)} ${symbol}`;
  const weiTokens = (wei: string, symbol: string) =>
    `${formatAmount(wei, decimalsOf(symbol), lang)} ${symbol}`;
  const multiplier = (bps: number) => `×${number.format(bps / BPS)}`;
  const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 });
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "long" });
  const current = profile.stats.tier.current;
  const tiers = campaign.tiers as Array<{
    id: string;
    name?: Record<string, string>;
    minQualified: number;
    multiplierBps: number;
  }>;
  const levels = campaign.levels as Array<{ level: number; percent?: number }>;
  const challenges = campaign.challenges as Array<{
    id: string;
    title?: Record<string, string>;
    reward?: { token: string; amount: string };
    repeat?: string;
  }>;
  const perks = campaign.perks as Array<{
    id: string;
    title?: Record<string, string>;
    token: string;
    price: string;
    stock?: number | null;
    expiresAt?: string;
    minTier?: string;
  }>;
  const q = campaign.qualification as { type: string; hours?: number; challengeId?: string };
  const latest = versions.data?.items[0];

  return (
    <List>
      <Section
        header={t("rulesPage.levels")}
        footer={t("rulesPage.levelsHint", {
          tier: current.name[lang],
          multiplier: multiplier(current.multiplierBps),
        })}
        data-section="levels"
      >
        {profile.offer.map((o) => {
          const own = (BigInt(o.amount.wei) * BigInt(current.multiplierBps)) / BigInt(BPS);
          const share = levels.find((l) => l.level === o.level)?.percent;
          return (
            <Cell
              key={o.level}
              multiline
              data-level={o.level}
              subtitle={
                o.level === 1
                  ? t("rulesPage.level1")
                  : share !== undefined
                    ? t("rulesPage.levelShare", {
                        percent: percent.format(share / 100),
                        level: o.level - 1,
                      })
                    : t("rulesPage.levelN", { level: o.level })
              }
              after={
                <span className="balance" data-testid={`level-${o.level}-amount`}>
                  {weiTokens(own.toString(), o.token)}
                </span>
              }
            >
              {t("referrals.level", { level: o.level })}
            </Cell>
          );
        })}
        {campaign.welcomeBonus ? (
          <Cell
            multiline
            data-testid="welcome-bonus"
            after={
              <span className="balance">
                {tokens(campaign.welcomeBonus.amount, campaign.welcomeBonus.token)}
              </span>
            }
          >
            {t("rulesPage.welcome")}
          </Cell>
        ) : null}
      </Section>

      <Section header={t("rulesPage.qualification")} data-section="qualification">
        <Cell multiline data-testid="qualification">
          {q.type === "hold"
            ? t("rulesPage.qualify.hold", { hours: q.hours ?? 0 })
            : q.type === "challenge"
              ? t("rulesPage.qualify.challenge", {
                  title:
                    challenges.find((c) => c.id === q.challengeId)?.title?.[lang] ??
                    q.challengeId ??
                    "",
                })
              : t(`rulesPage.qualify.${q.type}`)}
        </Cell>
        <Cell multiline data-testid="who-can-be-invited">
          {t(campaign.attribution.newMembersOnly ? "rulesPage.whoNew" : "rulesPage.whoCampaign", {
            hours: campaign.attribution.windowHours,
          })}
        </Cell>
      </Section>

      {tiers.length > 0 ? (
        <Section header={t("rulesPage.tiers")} data-section="tiers">
          <div className="table-wrap">
            <table className="rules-table" data-testid="tiers-table">
              <thead>
                <tr>
                  <th scope="col">{t("rulesPage.tier")}</th>
                  <th scope="col">{t("rulesPage.threshold")}</th>
                  <th scope="col">{t("rulesPage.multiplier")}</th>
                </tr>
              </thead>
              <tbody>
                {tiers.map((tier) => (
                  <tr
                    key={tier.id}
                    data-tier={tier.id}
                    aria-current={tier.id === current.id ? "true" : undefined}
                  >
                    <th scope="row">
                      {tier.name?.[lang] ?? tier.id}
                      {tier.id === current.id ? (
                        <span className="hint"> · {t("rulesPage.yours")}</span>
                      ) : null}
                    </th>
                    <td>{t("rulesPage.friends", { count: tier.minQualified })}</td>
                    <td>{multiplier(tier.multiplierBps)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}

      <Section header={t("rulesPage.limits")} data-section="limits">
        {Object.entries(campaign.caps.perMemberDaily).map(([symbol, amount]) => (
          <Cell key={`d-${symbol}`} multiline after={<span>{tokens(amount, symbol)}</span>}>
            {t("rulesPage.capDaily")}
          </Cell>
        ))}
        {Object.entries(campaign.caps.perMemberTotal).map(([symbol, amount]) => (
          <Cell key={`t-${symbol}`} multiline after={<span>{tokens(amount, symbol)}</span>}>
            {t("rulesPage.capTotal")}
          </Cell>
        ))}
        <Cell multiline data-testid="expiry">
          {campaign.expiry
            ? t("rulesPage.expiry", { days: campaign.expiry.days })
            : t("rulesPage.noExpiry")}
        </Cell>
        {campaign.endsAt ? (
          <Cell multiline>
            {t("rulesPage.ends", { date: date.format(new Date(campaign.endsAt)) })}
          </Cell>
        ) : null}
      </Section>

      {challenges.length > 0 ? (
        <Section header={t("rulesPage.challenges")} data-section="challenges">
          {challenges.map((c) => (
            <Cell
              key={c.id}
              multiline
              after={c.reward ? <span>{tokens(c.reward.amount, c.reward.token)}</span> : undefined}
            >
              {c.title?.[lang] ?? c.id}
            </Cell>
          ))}
        </Section>
      ) : null}

      {perks.length > 0 ? (
        <Section header={t("rulesPage.perks")} data-section="perks">
          {perks.map((p) => (
            <Cell
              key={p.id}
              multiline
              subtitle={
                [
                  p.stock === null || p.stock === undefined
                    ? null
                    : t("rulesPage.stock", { count: p.stock }),
                  p.expiresAt
                    ? t("rulesPage.until", { date: date.format(new Date(p.expiresAt)) })
                    : null,
                ]
                  .filter(Boolean)
                  .join(" · ") || undefined
              }
              after={<span>{tokens(p.price, p.token)}</span>}
            >
              {p.title?.[lang] ?? p.id}
            </Cell>
          ))}
        </Section>
      ) : null}

      <Section
        header={t("rulesPage.version")}
        footer={t("rulesPage.versionHint")}
        data-section="version"
      >
        {versions.status === "error" ? (
          <ErrorState error={versions.error} onRetry={versions.reload} />
        ) : !latest ? (
          <SkeletonRows rows={1} />
        ) : (
          <>
            <Cell multiline data-testid="rules-version">
              {t("rulesPage.versionN", { version: latest.version })}
              {latest.effectiveAt
                ? ` · ${t("rulesPage.since", { date: date.format(new Date(latest.effectiveAt)) })}`
                : ""}
            </Cell>
            <Cell
              multiline
              subhead={t("rulesPage.hash")}
              data-testid="rules-hash"
              data-hash={latest.hash}
            >
              <ExplorerLink value={latest.hash} link={latest.rulesUrl ?? latest.documentUrl} />
            </Cell>
            {latest.txHash ? (
              <Cell multiline subhead={t("rulesPage.published")}>
                <ExplorerLink
                  value={latest.txHash}
                  link={explorerTx(config.chain.explorerUrl, latest.txHash)}
                />
              </Cell>
            ) : null}
          </>
        )}
      </Section>
    </List>
  );
}

/** "2.4" with `decimals` as an integer string of the smallest unit (exact, no floats). */
function decimalString(amount: string, decimals: number): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  return (
    BigInt(whole) * 10n ** BigInt(decimals) +
    BigInt((fraction.slice(0, decimals) || "0").padEnd(decimals, "0"))
  ).toString();
}
