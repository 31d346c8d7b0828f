/**
 * Leaderboards: the campaign's board of friends who joined or of activity points, this week
 * (ISO week, UTC) or all time; the member's own place (even far outside the list), and the
 * switch that shows their first name there instead of their pseudonym.
 */
import { Cell, List, Section, SegmentedControl, Switch, Text } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import type { Leaderboard as Board } from "../api/models.ts";
import { Empty, ErrorState, SkeletonRows, Toast } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource, useToast } from "../hooks.ts";

type BoardKind = Board["board"];
type Period = Board["period"]["kind"];

/** How many from the top the screen lists. */
const SHOWN = 50;

export default function Leaderboard() {
  const { api, t, lang, profile } = useApp();
  const [board, setBoard] = useState<BoardKind>("referrals");
  const [period, setPeriod] = useState<Period>("week");
  const [saving, setSaving] = useState(false);
  const [toast, showToast, clearToast] = useToast();
  const slug = profile?.campaign.slug ?? null;
  const data = useResource(slug === null ? null : `leaderboard:${slug}:${board}:${period}`, () =>
    api.get<Board>(
      `/api/campaigns/${encodeURIComponent(slug ?? "")}/leaderboard?board=${board}&period=${period}&limit=${SHOWN}`,
    ),
  );
  if (!profile) return null;

  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const score = (value: number) =>
    t(`top.score.${board}`, { count: value, score: number.format(value) });
  const day = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", timeZone: "UTC" });

  const toggleName = async (show: boolean) => {
    setSaving(true);
    try {
      await api.patch("/api/me/settings", { showNameOnLeaderboards: show });
      data.reload();
    } catch {
      showToast(t("top.saveFailed"));
    } finally {
      setSaving(false);
    }
  };

  return (
    <List>
      {/* The page's heading ("Leaderboards") is the shell's; the campaign goes under it. */}
      <div className="hero">
        <Text className="hint">{profile.campaign.name[lang]}</Text>
      </div>
      <div className="segmented">
        <SegmentedControl aria-label={t("top.boardLabel")}>
          {(["referrals", "activity"] as const).map((b) => (
            <SegmentedControl.Item
              key={b}
              selected={b === board}
              aria-selected={b === board}
              onClick={() => setBoard(b)}
              data-board={b}
            >
              {t(`top.board.${b}`)}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl>
      </div>
      <div className="segmented">
        <SegmentedControl aria-label={t("top.periodLabel")}>
          {(["week", "all"] as const).map((p) => (
            <SegmentedControl.Item
              key={p}
              selected={p === period}
              aria-selected={p === period}
              onClick={() => setPeriod(p)}
              data-period={p}
            >
              {t(`top.period.${p}`)}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl>
      </div>
      {data.status === "loading" ? (
        <SkeletonRows rows={5} />
      ) : data.status === "error" ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : (
        <>
          <Section header={t("top.you")} data-section="me" data-status={data.data.me.status}>
            <Cell
              multiline
              before={<span className="rank rank-me">{data.data.me.rank ?? "–"}</span>}
              subtitle={
                data.data.me.status === "ranked" && data.data.me.tiedWith > 0
                  ? t("top.tied", { count: data.data.me.tiedWith })
                  : undefined
              }
              after={
                data.data.me.status === "ranked" ? (
                  <span className="count" data-testid="my-score">
                    {score(data.data.me.score)}
                  </span>
                ) : undefined
              }
            >
              <span data-testid="my-place">
                {data.data.me.status === "ranked"
                  ? t("top.meRanked", {
                      rank: number.format(data.data.me.rank ?? 0),
                      total: number.format(data.data.total),
                    })
                  : data.data.me.status === "hidden"
                    ? t("top.hidden")
                    : t(`top.unranked.${board}`)}
              </span>
            </Cell>
          </Section>
          <Section
            header={
              data.data.period.startsAt && data.data.period.endsAt
                ? t("top.weekRange", {
                    start: day.format(new Date(data.data.period.startsAt)),
                    end: day.format(new Date(Date.parse(data.data.period.endsAt) - 86_400_000)),
                  })
                : t("top.allTime")
            }
            data-section="board"
          >
            {data.data.entries.length === 0 ? (
              <Empty title={t("top.empty")} description={t("top.emptyHint")} />
            ) : (
              <ol className="board" aria-label={t(`top.board.${board}`)}>
                {data.data.entries.map((e, i) => (
                  // The board carries no member ids (only names or pseudonyms, which may repeat);
                  // each load replaces the whole list, so a row's place is its identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <li key={i} data-rank={e.rank} data-me={e.me}>
                    <Cell
                      before={<span className={e.me ? "rank rank-me" : "rank"}>{e.rank}</span>}
                      after={<span className="count">{number.format(e.score)}</span>}
                    >
                      <span className={e.name.kind === "pseudonym" ? "pseudonym" : undefined}>
                        {e.name.text}
                      </span>
                      {e.me ? <span className="hint"> · {t("top.youMark")}</span> : null}
                    </Cell>
                  </li>
                ))}
              </ol>
            )}
          </Section>
          <Section
            header={t("top.privacy")}
            footer={
              data.data.me.showName
                ? t("top.nameShown", { name: data.data.me.name.text })
                : t("top.pseudonymShown", { pseudonym: data.data.me.name.text })
            }
            data-section="privacy"
          >
            <Cell
              Component="label"
              data-testid="show-name-row"
              multiline
              after={
                <Switch
                  data-testid="show-name"
                  aria-label={t("top.showName")}
                  checked={data.data.me.showName}
                  disabled={saving}
                  onChange={(e) => void toggleName(e.currentTarget.checked)}
                />
              }
            >
              {t("top.showName")}
            </Cell>
          </Section>
        </>
      )}
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}
