/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Members: search by any key an admin may hold, then one member's whole record, from the
 * invitation to the on-chain payout; ban and unban (super-admins: a ban spans campaigns).
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import { R, useLatest } from "./react.ts";

interface Hit {
  id: number;
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  wallet: string | null;
  banned: boolean;
  matched: string[];
}

interface MemberRecordJson {
  member: Hit & {
    languageCode: string | null;
    firstSeenAt: string;
    lastSeenAt: string;
    banReason: string | null;
    codes: Array<{ code: string; kind: string }>;
  };
  attributions: Array<{
    id: number;
    campaign: string;
    role: "referee" | "referrer";
    referrerId: number;
    refereeId: number;
    status: string;
    statusReason: string | null;
    attributedAt: string;
    review: { id: number; status: string; reasons: string[] } | null;
  }>;
  ledger: Array<{
    id: number;
    campaign: string;
    token: string;
    amountWei: string;
    kind: string;
    level: number | null;
    state: string;
    history: Array<{ state: string; at: string }>;
    txHash: string | null;
    payout: { status: string; holdReason: string | null; txHash: string | null } | null;
  }>;
  claims: Array<{ account: string; amountWei: string; txHash: string }>;
  notifications: Array<{ id: number; kind: string; status: string; createdAt: string }>;
}

/** Wei as a decimal string with at most 4 fraction digits (exact: no floating point). */
function tokens(wei: string, decimals = 18): string {
  const value = BigInt(wei);
  const base = 10n ** BigInt(decimals);
  const fraction = (value % base).toString().padStart(decimals, "0").slice(0, 4).replace(/0+$/, "");
  return `${value / base}${fraction ? `.${fraction}` : ""}`;
}

const name = (m: Pick<Hit, "username" | "firstName" | "lastName" | "id">) =>
  [m.firstName, m.lastName].filter(Boolean).join(" ") ||
  (m.username ? `@${m.username}` : `#${m.id}`);

export function MembersScreen() {
  const { path } = useConsole();
  const id = /^members\/(\d+)$/.exec(path)?.[1];
  return id ? <MemberRecordView id={Number(id)} /> : <MemberSearch />;
}

function MemberSearch() {
  const { api, t, problem, go } = useConsole();
  const [q, setQ] = R.useState(() => sessionStorage.getItem("refmint:admin:q") ?? "");
  const [hits, setHits] = R.useState<Hit[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  // A search answered late never replaces the hits of one submitted after it.
  const latest = useLatest();
  const search = (e?: FormEvent) => {
    e?.preventDefault();
    if (q.trim() === "") return;
    sessionStorage.setItem("refmint:admin:q", q.trim());
    void latest(
      (signal) =>
        api.get<{ items: Hit[] }>(
          `/api/admin/members/search?q=${encodeURIComponent(q.trim())}`,
          signal,
        ),
      (r) => {
        setHits(r.items);
        setError(null);
      },
      (err) => {
        setError(problem(err));
        setHits(null);
      },
    );
  };
  return (
    <>
      <form className="admin-search" onSubmit={search}>
        <input
          className="admin-input"
          aria-label={t("admin.members.search")}
          placeholder={t("admin.members.search")}
          value={q}
          data-input="search"
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="submit" className="admin-button" data-action="search">
          {t("admin.members.find")}
        </button>
      </form>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {hits?.length === 0 ? <p data-result="none">{t("admin.members.notFound")}</p> : null}
      <ul className="admin-cards">
        {(hits ?? []).map((h) => (
          <li key={h.id} className="admin-card" data-member={h.id}>
            <a
              href={`/admin/members/${h.id}`}
              onClick={(e) => {
                e.preventDefault();
                go(`members/${h.id}`);
              }}
            >
              <strong>{name(h)}</strong>
            </a>{" "}
            <span className="admin-muted">
              #{h.id} · {h.username ? `@${h.username} · ` : ""}
              {t("admin.members.matched", { what: h.matched.join(", ") })}
            </span>
            {h.banned ? <span className="admin-chip">{t("admin.members.banned")}</span> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

function MemberRecordView({ id }: { id: number }) {
  const { api, t, problem, go, campaigns, explorer, lang } = useConsole();
  const [record, setRecord] = R.useState<MemberRecordJson | string | null>(null);
  const [reason, setReason] = R.useState("");
  const [result, setResult] = R.useState<string | null>(null);
  // The record after a ban is the one shown, whatever answer arrives last.
  const latest = useLatest();
  const load = R.useCallback(() => {
    void latest(
      (signal) => api.get<MemberRecordJson>(`/api/admin/members/${id}/record`, signal),
      setRecord,
      (e) => setRecord(problem(e)),
    );
  }, [api, id, problem, latest]);
  R.useEffect(load, [load]);
  const when = (iso: string) =>
    new Date(iso).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", {
      dateStyle: "short",
      timeStyle: "short",
    });
  const back = (
    <button type="button" className="admin-link" onClick={() => go("members")}>
      {t("admin.members.back")}
    </button>
  );
  if (record === null) return <p>{t("admin.loading")}</p>;
  if (typeof record === "string")
    return (
      <>
        {back}
        <p className="admin-error" role="alert">
          {record}
        </p>
      </>
    );
  const m = record.member;
  const moderate = async (kind: "ban" | "unban") => {
    try {
      await api.send("POST", `/api/admin/members/${id}/${kind}`, { reason: reason.trim() });
      setResult(t("admin.members.banDone"));
      setReason("");
      load();
    } catch (e) {
      setResult(problem(e));
    }
  };
  const tx = (hash: string | null) => {
    if (!hash) return "—";
    const url = explorer ? `${explorer}/tx/${hash}` : null;
    const short = `${hash.slice(0, 10)}…${hash.slice(-6)}`;
    return url ? (
      <a href={url} target="_blank" rel="noopener noreferrer" data-tx={hash}>
        {short}
      </a>
    ) : (
      <code data-tx={hash}>{short}</code>
    );
  };
  return (
    <div data-record={m.id}>
      {back}
      <h2>
        {name(m)} <span className="admin-muted">#{m.id}</span>{" "}
        {m.banned ? (
          <span className="admin-chip" data-banned="yes">
            {t("admin.members.banned")}
          </span>
        ) : null}
      </h2>
      <section>
        <h3>{t("admin.members.profile")}</h3>
        <dl className="admin-facts">
          <dt>{t("admin.members.telegramId")}</dt>
          <dd>
            {m.telegramId}
            {m.username ? ` · @${m.username}` : ""}
          </dd>
          <dt>{t("admin.members.wallet")}</dt>
          <dd>{m.wallet ?? t("admin.members.noWallet")}</dd>
          <dt>{t("admin.members.language")}</dt>
          <dd>{m.languageCode ?? "—"}</dd>
          <dt>{t("admin.members.firstSeen")}</dt>
          <dd>{when(m.firstSeenAt)}</dd>
          <dt>{t("admin.members.lastSeen")}</dt>
          <dd>{when(m.lastSeenAt)}</dd>
          <dt>{t("admin.members.codes")}</dt>
          <dd>{m.codes.map((c) => c.code).join(", ")}</dd>
        </dl>
      </section>
      {campaigns.superAdmin ? (
        <section className="admin-bulk" data-moderation="yes">
          <input
            className="admin-input"
            aria-label={t("admin.members.banReason")}
            placeholder={t("admin.members.banReason")}
            value={reason}
            data-input="ban-reason"
            onChange={(e) => setReason(e.target.value)}
          />
          <button
            type="button"
            className={`admin-button${m.banned ? "" : " admin-danger"}`}
            data-action={m.banned ? "unban" : "ban"}
            disabled={reason.trim().length < 3}
            onClick={() => moderate(m.banned ? "unban" : "ban")}
          >
            {t(m.banned ? "admin.members.unban" : "admin.members.ban")}
          </button>
          {result ? (
            <span role="status" data-result="ban">
              {result}
            </span>
          ) : null}
        </section>
      ) : null}
      <section>
        <h3>{t("admin.members.attributions")}</h3>
        {record.attributions.length === 0 ? <p>{t("admin.none")}</p> : null}
        <ul className="admin-list">
          {record.attributions.map((a) => (
            <li key={a.id} data-attribution={a.id}>
              <code>{a.campaign}</code>{" "}
              {a.role === "referee"
                ? t("admin.members.asReferee", { id: a.referrerId })
                : t("admin.members.asReferrer", { id: a.refereeId })}{" "}
              · <strong>{a.status}</strong> · {when(a.attributedAt)}
              {a.review ? ` · review #${a.review.id} (${a.review.reasons.join(", ")})` : ""}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t("admin.members.ledger")}</h3>
        {record.ledger.length === 0 ? <p>{t("admin.none")}</p> : null}
        <div className="admin-table-wrap">
          <table className="admin-table">
            <tbody>
              {record.ledger.map((e) => (
                <tr key={e.id} data-entry={e.id} data-state={e.state}>
                  <td>#{e.id}</td>
                  <td>
                    <code>{e.campaign}</code> {e.kind}
                    {e.level !== null ? ` L${e.level}` : ""}
                  </td>
                  <td>
                    {tokens(e.amountWei)} {e.token}
                  </td>
                  <td>
                    <strong>{e.state}</strong>
                    {e.payout?.status === "held" ? ` (held: ${e.payout.holdReason ?? ""})` : ""}
                    <div className="admin-muted">
                      {e.history.map((h) => `${h.state} ${when(h.at)}`).join(" → ")}
                    </div>
                  </td>
                  <td>{tx(e.txHash ?? e.payout?.txHash ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section>
        <h3>{t("admin.members.claims")}</h3>
        {record.claims.length === 0 ? <p>{t("admin.none")}</p> : null}
        <ul className="admin-list">
          {record.claims.map((c) => (
            <li key={c.txHash}>
              {tokens(c.amountWei)} · {tx(c.txHash)}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>{t("admin.members.notifications")}</h3>
        {record.notifications.length === 0 ? <p>{t("admin.none")}</p> : null}
        <ul className="admin-list">
          {record.notifications.map((n) => (
            <li key={n.id} data-notification={n.kind}>
              {n.kind} · {n.status} · {when(n.createdAt)}
            </li>
          ))}
        </ul>
      </section>
      <p className="admin-muted">{t("admin.members.privacy")}</p>
    </div>
  );
}
