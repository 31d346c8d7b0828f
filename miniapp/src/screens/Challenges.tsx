/**
 * Challenges: each of the campaign's challenges with its reward, progress and state (open,
 * in progress N of M, done, paid), the button that does it (join a chat through the member's
 * personal link, link a wallet, invite friends) and the daily check-in with its streak (days
 * in UTC). Completion is detected by the service; this screen only shows it.
 */
import { Button, Cell, List, Section, Text } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import type { Challenges as ChallengeList, CheckinResult } from "../api/models.ts";
import { ErrorState, SkeletonRows, Toast } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource, useToast } from "../hooks.ts";

type Challenge = ChallengeList["challenges"][number];

const STATE_MARKS: Record<Challenge["state"], string> = {
  open: "⚪️",
  in_progress: "🟡",
  done: "✅",
  paid: "💎",
};

export default function Challenges() {
  const { api, t, lang, profile, navigate, platform } = useApp();
  const [busy, setBusy] = useState(false);
  const [toast, showToast, clearToast] = useToast();
  const slug = profile?.campaign.slug ?? null;
  const data = useResource(slug === null ? null : `challenges:${slug}`, () =>
    api.get<ChallengeList>(`/api/me/challenges?campaign=${encodeURIComponent(slug ?? "")}`),
  );
  if (!profile) return null;
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 6 });
  const reward = (c: Challenge) => {
    const value = `${number.format(Number(c.reward.tokens))} ${c.token}`;
    return c.repeat === "day" ? t("challenges.perDay", { reward: value }) : value;
  };

  const checkIn = async () => {
    setBusy(true);
    try {
      const r = await api.post<CheckinResult>("/api/me/checkin", { campaign: slug });
      showToast(
        r.already
          ? t("challenges.checkinAlready", { count: r.streak })
          : r.reward
            ? t("challenges.checkinPaid", {
                count: r.streak,
                reward: `${number.format(Number(r.reward.tokens))} ${r.token}`,
              })
            : t("challenges.checkinDone", { count: r.streak }),
      );
      data.reload();
    } catch {
      showToast(t("challenges.checkinFailed"));
    } finally {
      setBusy(false);
    }
  };

  const action = (c: Challenge) => {
    if (c.state === "done" || c.state === "paid") return undefined;
    if (c.kind === "join_chat" && c.inviteLink)
      return (
        <Button
          size="s"
          mode="bezeled"
          data-testid={`join-${c.id}`}
          onClick={() => platform.openTelegramLink(c.inviteLink!)}
        >
          {t("challenges.join")}
        </Button>
      );
    if (c.kind === "wallet")
      return (
        <Button size="s" mode="bezeled" onClick={() => navigate("/wallet")}>
          {t("challenges.linkWallet")}
        </Button>
      );
    if (c.kind === "invite")
      return (
        <Button size="s" mode="bezeled" onClick={() => navigate("/invite")}>
          {t("challenges.invite")}
        </Button>
      );
    return undefined;
  };

  const progress = (c: Challenge) => {
    if (!c.progress || c.progress.current === 0) return undefined;
    if (c.kind === "checkin") return t("challenges.streak", { count: c.progress.current });
    if (c.state !== "in_progress") return undefined;
    return c.kind === "join_chat"
      ? t("challenges.days", { current: c.progress.current, target: c.progress.target })
      : t("challenges.count", { current: c.progress.current, target: c.progress.target });
  };

  return (
    <List>
      <div className="hero">
        <Text className="hint">{profile.campaign.name[lang]}</Text>
      </div>
      {data.status === "loading" ? (
        <SkeletonRows rows={4} />
      ) : data.status === "error" ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : (
        <>
          {data.data.checkin.available ? (
            <Section
              header={t("challenges.checkin")}
              footer={t("challenges.utc")}
              data-section="checkin"
            >
              <Cell
                multiline
                before={<span aria-hidden="true">📅</span>}
                subtitle={
                  data.data.checkin.streak > 0
                    ? t("challenges.streak", { count: data.data.checkin.streak })
                    : t("challenges.noStreak")
                }
                after={
                  <Button
                    size="s"
                    data-testid="checkin"
                    disabled={busy || data.data.checkin.today}
                    onClick={() => void checkIn()}
                  >
                    {data.data.checkin.today
                      ? t("challenges.checkedIn")
                      : t("challenges.checkinNow")}
                  </Button>
                }
              >
                <span data-testid="checkin-status">
                  {data.data.checkin.today ? t("challenges.todayDone") : t("challenges.todayOpen")}
                </span>
              </Cell>
            </Section>
          ) : null}
          <Section header={t("challenges.list")} data-section="challenges">
            {data.data.challenges.length === 0 ? (
              <Cell multiline>{t("challenges.empty")}</Cell>
            ) : (
              data.data.challenges.map((c) => (
                <Cell
                  key={c.id}
                  multiline
                  data-challenge={c.id}
                  data-state={c.state}
                  before={<span aria-hidden="true">{STATE_MARKS[c.state]}</span>}
                  subtitle={
                    <>
                      <span data-testid="state">{t(`challenges.state.${c.state}`)}</span>
                      {progress(c) ? <span> · {progress(c)}</span> : null}
                    </>
                  }
                  description={reward(c)}
                  after={action(c)}
                >
                  {c.title[lang]}
                </Cell>
              ))
            )}
          </Section>
        </>
      )}
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}
