/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/** The audit log, filterable by who, action and campaign, with the state before and after. */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import { R, useLatest } from "./react.ts";

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  campaign: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown>;
}

export function AuditScreen() {
  const { api, t, problem, campaigns, lang } = useConsole();
  const readable = campaigns.items.filter((c) => c.actions.includes("audit.read"));
  const [actor, setActor] = R.useState("");
  const [action, setAction] = R.useState("");
  const [campaign, setCampaign] = R.useState(campaigns.superAdmin ? "" : (readable[0]?.slug ?? ""));
  const [rows, setRows] = R.useState<AuditRow[] | null>(null);
  const [cursor, setCursor] = R.useState<number | null>(null);
  const [error, setError] = R.useState<string | null>(null);

  const query = R.useCallback(
    (before?: number) => {
      const p = new URLSearchParams({ limit: "50" });
      if (actor.trim()) p.set("actor", actor.trim());
      if (action.trim()) p.set("action", action.trim());
      if (campaign) p.set("campaign", campaign);
      if (before !== undefined) p.set("before", String(before));
      return `/api/admin/audit?${p}`;
    },
    [actor, action, campaign],
  );
  // Only the latest request's answer is shown: the first load, answered late, must not replace
  // the rows of a filter submitted meanwhile.
  const latest = useLatest();
  const load = R.useCallback(
    (before?: number) =>
      latest(
        (signal) =>
          api.get<{ items: AuditRow[]; nextCursor?: number | null }>(query(before), signal),
        (page) => {
          setRows((r) => (before === undefined ? page.items : [...(r ?? []), ...page.items]));
          const last = page.items[page.items.length - 1];
          setCursor(page.items.length === 50 && last ? last.id : null);
          setError(null);
        },
        (e) => setError(problem(e)),
      ),
    [api, query, problem, latest],
  );
  // Loads once; the form reloads.
  R.useEffect(() => {
    void load();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load();
  };
  const json = (v: unknown) => (v === null || v === undefined ? "—" : JSON.stringify(v));
  return (
    <>
      <form className="admin-filters" onSubmit={submit}>
        <input
          className="admin-input"
          aria-label={t("admin.audit.actor")}
          placeholder={t("admin.audit.actor")}
          value={actor}
          data-input="actor"
          onChange={(e) => setActor(e.target.value)}
        />
        <input
          className="admin-input"
          aria-label={t("admin.audit.action")}
          placeholder={t("admin.audit.action")}
          value={action}
          data-input="action"
          onChange={(e) => setAction(e.target.value)}
        />
        <select
          className="admin-input"
          aria-label={t("admin.audit.campaign")}
          value={campaign}
          data-input="campaign"
          onChange={(e) => setCampaign(e.target.value)}
        >
          {campaigns.superAdmin ? <option value="">{t("admin.audit.all")}</option> : null}
          {readable.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name[lang] ?? c.slug}
            </option>
          ))}
        </select>
        <button type="submit" className="admin-button" data-action="filter">
          {t("admin.audit.filter")}
        </button>
      </form>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {rows?.length === 0 ? <p>{t("admin.none")}</p> : null}
      <div className="admin-table-wrap">
        <table className="admin-table">
          <tbody>
            {(rows ?? []).map((r) => (
              <tr key={r.id} data-audit={r.action}>
                <td className="admin-muted">
                  {new Date(r.at).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", {
                    dateStyle: "short",
                    timeStyle: "medium",
                  })}
                </td>
                <td>
                  <code>{r.actor}</code>
                </td>
                <td>
                  <strong>{r.action}</strong>
                  <div className="admin-muted">
                    {r.subjectType} {r.subjectId}
                    {r.campaign ? ` · ${r.campaign}` : ""}
                  </div>
                </td>
                <td className="admin-json">
                  {r.before || r.after ? (
                    <>
                      <div>
                        {t("admin.audit.before")}: {json(r.before)}
                      </div>
                      <div>
                        {t("admin.audit.after")}: {json(r.after)}
                      </div>
                    </>
                  ) : (
                    json(r.details)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor !== null ? (
        <button type="button" className="admin-link" onClick={() => load(cursor)}>
          {t("admin.audit.more")}
        </button>
      ) : null}
    </>
  );
}
