/**
 * Referrals: the member's funnel (clicks → starts → qualified) and, level by level, the
 * people they brought in with each one's status (pending, in review, qualified, paid).
 */
import { Button, Cell, List, Section, SegmentedControl } from "@telegram-apps/telegram-ui";
import { useEffect, useState } from "react";
import type { NetworkItem, Page } from "../api/models.ts";
import { Empty, ErrorState, MoreButton, SkeletonRows } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { formatAmount, funnelSteps } from "../shared/format.ts";
import { referralDisplayStatus, stateTone } from "../shared/status.ts";

export default function Referrals() {
  const { profile, t, lang } = useApp();
  const [level, setLevel] = useState(1);
  // "20 %" in Russian, "20%" in English: the language's own percent format.
  const rate = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(lang);
  if (!profile) return null;
  const { stats } = profile;
  const levels = Math.max(1, stats.levels.length, profile.offer.length);
  // Rates come from the server: none is shown where there is nothing to divide by.
  const funnel = funnelSteps(stats.funnel);
  const counts = stats.levels.find((l) => l.level === level);
  return (
    <List>
      <Section
        header={t("referrals.funnel")}
        footer={t("referrals.funnelHint")}
        data-section="funnel"
      >
        <div className="funnel">
          {funnel.map((f) => (
            <div key={f.id} className="funnel-step" data-step={f.id}>
              <div className="funnel-value">{number.format(f.value)}</div>
              <div className="hint">{t(`referrals.${f.id}`)}</div>
              {f.rate !== null ? (
                <div className="funnel-rate">{rate.format(f.rate / 100)}</div>
              ) : null}
            </div>
          ))}
        </div>
      </Section>
      {levels > 1 ? (
        <div className="segmented">
          <SegmentedControl>
            {Array.from({ length: levels }, (_, i) => i + 1).map((l) => (
              <SegmentedControl.Item
                key={l}
                selected={l === level}
                onClick={() => setLevel(l)}
                data-level={l}
              >
                {t("referrals.level", { level: l })}
              </SegmentedControl.Item>
            ))}
          </SegmentedControl>
        </div>
      ) : null}
      <Section
        header={t("referrals.levelHeader", { level })}
        footer={
          counts
            ? t("referrals.counts", {
                pending: counts.pending,
                review: counts.review,
                qualified: counts.qualified,
              })
            : undefined
        }
        data-section="list"
      >
        <LevelList level={level} key={level} />
      </Section>
    </List>
  );
}

function LevelList({ level }: { level: number }) {
  const { api, t, lang, navigate, profile, campaign } = useApp();
  // Each campaign has its own tree: the one the profile (and the switcher) is about.
  const slug = encodeURIComponent(profile?.campaign.slug ?? "");
  const [pages, setPages] = useState<NetworkItem[][]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [more, setMore] = useState(false);
  const first = useResource(`network:${slug}:${level}`, () =>
    api.get<Page<NetworkItem>>(`/api/me/network?level=${level}&limit=20&campaign=${slug}`),
  );
  useEffect(() => {
    if (first.status === "ready") {
      setPages([first.data.items]);
      setCursor(first.data.nextBefore);
    }
  }, [first.status, first.data]);
  const loadMore = async () => {
    if (cursor === null) return;
    setMore(true);
    try {
      const next = await api.get<Page<NetworkItem>>(
        `/api/me/network?level=${level}&limit=20&before=${cursor}&campaign=${slug}`,
      );
      setPages((p) => [...p, next.items]);
      setCursor(next.nextBefore);
    } finally {
      setMore(false);
    }
  };

  if (first.status === "loading") return <SkeletonRows rows={3} />;
  if (first.status === "error") return <ErrorState error={first.error} onRetry={first.reload} />;
  const items = pages.flat();
  if (items.length === 0)
    return (
      <Empty
        title={t("referrals.empty")}
        description={t("referrals.emptyHint")}
        action={
          <Button size="m" mode="bezeled" onClick={() => navigate("/invite")}>
            {t("referrals.invite")}
          </Button>
        }
      />
    );
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "long" });
  return (
    <>
      {items.map((r) => {
        const status = referralDisplayStatus(r);
        return (
          <Cell
            key={r.id}
            data-referral={r.id}
            data-status={status}
            subtitle={t("referrals.joined", { date: date.format(new Date(r.attributedAt)) })}
            after={
              <span className={`status status-${stateTone(status)}`}>{t(`status.${status}`)}</span>
            }
            description={
              r.reward
                ? `+${formatAmount(
                    r.reward.amount.wei,
                    campaign?.tokens.find((x) => x.symbol === r.reward?.token)?.decimals ?? 18,
                    lang,
                  )} ${r.reward.token}`
                : undefined
            }
          >
            {r.firstName ?? t("referrals.member", { id: r.refereeId })}
          </Cell>
        );
      })}
      <MoreButton cursor={cursor} loading={more} onMore={() => void loadMore()} />
    </>
  );
}
