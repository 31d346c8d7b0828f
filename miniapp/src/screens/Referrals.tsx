/**
 * Referrals: the member's funnel (clicks → starts → qualified) and, level by level, the
 * people they brought in with each one's status (pending, in review, qualified, paid). At
 * level 1 (the member's own friends) each friend also says what happens next in plain words
 * (waiting for a wallet, not finished yet, being checked, not accepted and why, counted, paid;
 * GET /api/me/friends, the same pages as the network's) and, for a friend who has not
 * finished, a Remind button: a bot message to the friend, once per friend per UTC day, with
 * when the last one went and when the next may go, and why a tap sent nothing.
 */
import { Button, Cell, List, Section, SegmentedControl } from "@telegram-apps/telegram-ui";
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";
import type { FriendItem, NetworkItem, Page, RemindOutcome } from "../api/models.ts";
import {
  Empty,
  ErrorState,
  MoreButton,
  SkeletonRows,
  useProblemText,
} from "../components/States.tsx";
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
  const [friends, setFriends] = useState<ReadonlyMap<number, FriendItem>>(new Map());
  const [cursor, setCursor] = useState<number | null>(null);
  const [more, setMore] = useState(false);
  // Level 1 pages of the network and of the friends list are the same referrals (the member's
  // own, newest first, by id): fetched together and matched by id.
  const fetchPage = async (before: number | null) => {
    const q = `limit=20&campaign=${slug}${before === null ? "" : `&before=${before}`}`;
    const [network, mine] = await Promise.all([
      api.get<Page<NetworkItem>>(`/api/me/network?level=${level}&${q}`),
      level === 1 ? api.get<Page<FriendItem>>(`/api/me/friends?${q}`) : null,
    ]);
    return { network, friends: mine?.items ?? [] };
  };
  const first = useResource(`network:${slug}:${level}`, () => fetchPage(null));
  useEffect(() => {
    if (first.status === "ready") {
      setPages([first.data.network.items]);
      setFriends(new Map(first.data.friends.map((f) => [f.id, f])));
      setCursor(first.data.network.nextBefore);
    }
  }, [first.status, first.data]);
  const loadMore = async () => {
    if (cursor === null) return;
    setMore(true);
    try {
      const next = await fetchPage(cursor);
      setPages((p) => [...p, next.network.items]);
      setFriends((m) => new Map([...m, ...next.friends.map((f) => [f.id, f] as const)]));
      setCursor(next.network.nextBefore);
    } finally {
      setMore(false);
    }
  };
  const updated = (f: FriendItem) => setFriends((m) => new Map(m).set(f.id, f));

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
        const friend = friends.get(r.id);
        return (
          <div key={r.id} className="friend" data-friend={friend ? r.id : undefined}>
            <Cell
              data-referral={r.id}
              data-status={status}
              subtitle={t("referrals.joined", { date: date.format(new Date(r.attributedAt)) })}
              after={
                <span className={`status status-${stateTone(status)}`}>
                  {t(`status.${status}`)}
                </span>
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
            {friend ? (
              <FriendNext
                friend={friend}
                name={r.firstName ?? t("referrals.member", { id: r.refereeId })}
                onChange={updated}
                onFinished={first.reload}
              />
            ) : null}
          </div>
        );
      })}
      <MoreButton cursor={cursor} loading={more} onMore={() => void loadMore()} />
    </>
  );
}

/** What happens next for one friend in plain words, and the Remind button while unfinished. */
function FriendNext(p: {
  friend: FriendItem;
  name: string;
  onChange: (f: FriendItem) => void;
  /** The friend turned out to have finished: the list is read again. */
  onFinished: () => void;
}) {
  const { api, t, lang } = useApp();
  const problemText = useProblemText();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const f = p.friend;
  const time = new Intl.DateTimeFormat(lang, { timeStyle: "short" });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
  const when = (iso: string) => {
    const d = new Date(iso);
    return sameDay(d, new Date()) ? time.format(d) : dateTime.format(d);
  };
  const stateText =
    f.state === "rejected"
      ? f.reason
        ? t("friends.state.rejected", { reason: f.reason })
        : t("friends.state.rejectedNoReason")
      : t(`friends.state.${f.state}`, { name: p.name });
  // When the last reminder went and when the next may go (once per friend per UTC day).
  const timing =
    f.lastRemindedAt === null
      ? null
      : f.nextRemindAt !== null
        ? t("friends.remindedNext", {
            last: when(f.lastRemindedAt),
            next: dateTime.format(new Date(f.nextRemindAt)),
          })
        : t("friends.remindedLast", { last: dateTime.format(new Date(f.lastRemindedAt)) });
  const waitingForNext = f.nextRemindAt !== null && new Date(f.nextRemindAt) > new Date();

  const remind = async () => {
    setBusy(true);
    try {
      const r = await api.post<RemindOutcome>(`/api/me/friends/${f.id}/remind`);
      const next = r.nextRemindAt ? dateTime.format(new Date(r.nextRemindAt)) : "";
      if (r.result === "not_waiting") {
        setSaid(t("friends.remind.not_waiting", { name: p.name }));
        p.onFinished();
        return;
      }
      setSaid(
        t(r.result === "sent" ? "friends.remind.sent" : "friends.remind.already_today", {
          name: p.name,
          next,
        }),
      );
      p.onChange({ ...f, lastRemindedAt: r.lastRemindedAt, nextRemindAt: r.nextRemindAt });
    } catch (error) {
      setSaid(
        error instanceof ApiError && error.code === "not_found"
          ? t("friends.remind.gone")
          : problemText(error as { code: string }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="friend-next" data-state={f.state}>
      <p className="friend-state" data-testid="friend-state">
        {stateText}
      </p>
      {f.remindable ? (
        <div className="friend-remind">
          <Button
            size="s"
            mode="bezeled"
            data-testid="remind"
            aria-label={t("friends.remindLabel", { name: p.name })}
            disabled={busy || waitingForNext}
            loading={busy}
            onClick={() => void remind()}
          >
            {t("friends.remind")}
          </Button>
          <span className="hint" role="status" data-testid="remind-status">
            {said ?? timing ?? t("friends.remindHint")}
          </span>
        </div>
      ) : said ? (
        // The friend finished meanwhile: the refusal stays in view under the new state.
        <p className="hint friend-said" role="status" data-testid="remind-status">
          {said}
        </p>
      ) : null}
    </div>
  );
}
