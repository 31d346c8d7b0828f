/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The review queue: flagged invitations with their evidence (signals, chain, shared IP,
 * device or wallet, timing); approve or reject one or many with a reason. The decisions go
 * through the same endpoints as the bot's (each checked and audited by the domain).
 */

import { useConsole } from "./AdminApp.tsx";
import { R, useLatest } from "./react.ts";

interface ReviewItem {
  id: number;
  status: "open" | "approved" | "rejected";
  reasons: string[];
  createdAt: string;
  decidedBy: string | null;
  decisionReason: string | null;
  referral: { id: number; campaign: string; referrerId: number; refereeId: number };
}

interface Person {
  id: number;
  username: string | null;
  firstName: string | null;
  banned: boolean;
}

interface Evidence {
  reasons: string[];
  referrer: Person;
  referee: Person;
  chain: Person[];
  sharedIp: number;
  sharedDevice: number;
  sharedWalletMembers: number[];
  secondsToAttribution: number;
  secondsToReview: number;
  referrerBurst24h: number;
}

const STATUSES = ["open", "approved", "rejected"] as const;

function who(p: Person): string {
  return `${p.username ? `@${p.username}` : (p.firstName ?? "?")} (#${p.id})`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function ReviewScreen() {
  const { api, t, problem, campaigns, refreshBadge } = useConsole();
  const [status, setStatus] = R.useState<(typeof STATUSES)[number]>("open");
  const [items, setItems] = R.useState<ReviewItem[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [selected, setSelected] = R.useState<Set<number>>(new Set());
  const [reason, setReason] = R.useState("");
  const [result, setResult] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);

  // A tab's answer arriving after the next tab was chosen (or after the reload that follows a
  // decision) is dropped.
  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) =>
          api.get<{ items: ReviewItem[] }>(`/api/admin/reviews?status=${status}&limit=100`, signal),
        (page) => {
          setItems(page.items);
          setError(null);
        },
        (e) => setError(problem(e)),
      ),
    [api, status, problem, latest],
  );
  R.useEffect(() => {
    setItems(null);
    setSelected(new Set());
    void load();
  }, [load]);

  const mayDecide = (slug: string) =>
    campaigns.superAdmin ||
    campaigns.items.some((c) => c.slug === slug && c.actions.includes("review.decide"));

  const decide = async (kind: "approve" | "reject") => {
    setBusy(true);
    let ok = 0;
    let failed = 0;
    const errors: string[] = [];
    for (const id of selected) {
      try {
        await api.send(
          "POST",
          `/api/admin/reviews/${id}/${kind}`,
          reason.trim() === "" ? {} : { reason: reason.trim() },
        );
        ok++;
      } catch (e) {
        failed++;
        errors.push(`#${id}: ${problem(e)}`);
      }
    }
    setResult([t("admin.review.done", { ok, failed }), ...errors].join(" · "));
    setBusy(false);
    setSelected(new Set());
    setReason("");
    refreshBadge();
    await load();
  };

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const decidable = (items ?? []).filter(
    (i) => i.status === "open" && mayDecide(i.referral.campaign),
  );

  return (
    <>
      <div className="admin-tabs" role="tablist">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={s === status}
            data-status={s}
            onClick={() => setStatus(s)}
          >
            {t(`admin.review.${s}`)}
          </button>
        ))}
      </div>
      <p className="admin-muted">{t("admin.review.notify")}</p>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <p className="admin-result" role="status" data-result="review">
          {result}
        </p>
      ) : null}
      {items === null ? <p>{t("admin.loading")}</p> : null}
      {items?.length === 0 ? <p>{t("admin.none")}</p> : null}
      {decidable.length > 0 ? (
        <div className="admin-bulk">
          <label>
            <input
              type="checkbox"
              data-select="all"
              checked={selected.size === decidable.length}
              onChange={(e) =>
                setSelected(e.target.checked ? new Set(decidable.map((i) => i.id)) : new Set())
              }
            />{" "}
            {t("admin.review.selectAll")} · {t("admin.review.selected", { count: selected.size })}
          </label>
          <input
            className="admin-input"
            aria-label={t("admin.review.reason")}
            placeholder={t("admin.review.reason")}
            value={reason}
            data-input="reason"
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="admin-row">
            <button
              type="button"
              className="admin-button"
              data-action="approve"
              disabled={busy || selected.size === 0}
              onClick={() => decide("approve")}
            >
              {t("admin.review.approve")}
            </button>
            <button
              type="button"
              className="admin-button admin-danger"
              data-action="reject"
              disabled={busy || selected.size === 0 || reason.trim().length < 3}
              onClick={() => decide("reject")}
            >
              {t("admin.review.reject")}
            </button>
          </div>
        </div>
      ) : null}
      <ul className="admin-cards">
        {(items ?? []).map((i) => (
          <ReviewCard
            key={i.id}
            item={i}
            selectable={i.status === "open" && mayDecide(i.referral.campaign)}
            selected={selected.has(i.id)}
            onToggle={() => toggle(i.id)}
          />
        ))}
      </ul>
    </>
  );
}

function ReviewCard(p: {
  item: ReviewItem;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}) {
  const { api, t, problem, lang } = useConsole();
  const { item } = p;
  const [evidence, setEvidence] = R.useState<Evidence | string | null>(null);
  // (Aborted when the card leaves: another tab shows other cards.)
  const latest = useLatest();
  R.useEffect(() => {
    void latest(
      (signal) => api.get<Evidence>(`/api/admin/reviews/${item.id}/evidence`, signal),
      setEvidence,
      (e) => setEvidence(problem(e)),
    );
  }, [api, item.id, problem, latest]);
  const at = new Date(item.createdAt).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB");
  return (
    <li className="admin-card" data-review={item.id}>
      <div className="admin-card-head">
        {p.selectable ? (
          <input
            type="checkbox"
            aria-label={t("admin.review.select", { id: item.id })}
            data-select={item.id}
            checked={p.selected}
            onChange={p.onToggle}
          />
        ) : null}
        <strong>#{item.id}</strong>
        <code>{item.referral.campaign}</code>
        <span className="admin-muted">{at}</span>
      </div>
      <div>
        {t("admin.review.signals")}:{" "}
        {item.reasons.map((r) => (
          <span key={r} className="admin-chip" data-signal={r}>
            {r}
          </span>
        ))}
      </div>
      {item.decisionReason || item.decidedBy ? (
        <div className="admin-muted">
          {t("admin.review.decided", {
            who: item.decidedBy ?? "?",
            reason: item.decisionReason ?? "—",
          })}
        </div>
      ) : null}
      {typeof evidence === "string" ? <p className="admin-error">{evidence}</p> : null}
      {evidence !== null && typeof evidence === "object" ? (
        <dl className="admin-facts" data-evidence={item.id}>
          <dt>{t("admin.review.referrer")}</dt>
          <dd>{who(evidence.referrer)}</dd>
          <dt>{t("admin.review.referee")}</dt>
          <dd>{who(evidence.referee)}</dd>
          <dt>{t("admin.review.chain")}</dt>
          <dd>
            {evidence.chain.length === 0
              ? t("admin.review.chainNone")
              : evidence.chain.map(who).join(" ← ")}
          </dd>
          <dt>{t("admin.review.sharedIp")}</dt>
          <dd data-fact="shared-ip">{evidence.sharedIp}</dd>
          <dt>{t("admin.review.sharedDevice")}</dt>
          <dd data-fact="shared-device">{evidence.sharedDevice}</dd>
          <dt>{t("admin.review.sharedWallet")}</dt>
          <dd data-fact="shared-wallet">
            {evidence.sharedWalletMembers.length === 0
              ? "0"
              : evidence.sharedWalletMembers.map((id) => `#${id}`).join(", ")}
          </dd>
          <dt>{t("admin.review.timing")}</dt>
          <dd>{duration(evidence.secondsToAttribution)}</dd>
          <dt>{t("admin.review.toReview")}</dt>
          <dd>{duration(evidence.secondsToReview)}</dd>
          <dt>{t("admin.review.burst")}</dt>
          <dd>{evidence.referrerBurst24h}</dd>
        </dl>
      ) : null}
    </li>
  );
}
