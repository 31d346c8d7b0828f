/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * A deployed campaign's next rules version, from its card on the Campaigns screen: the rules in
 * effect as JSON to edit, the dry run (every change in the admin's language, what only a
 * redeploy could change, each on-chain transaction with its gas and the cost), and the apply
 * (a job: the transactions sent from the campaign admin's key, the version published on-chain
 * with its hash and document URL, then in effect once the indexer saw it). The server runs
 * what `npm run campaign:version` runs (server/chain/consoleVersions.ts).
 */

import type { Dictionary, Lang } from "../i18n/translate.ts";
import { useConsole } from "./AdminApp.tsx";
import { ApiError } from "./api.ts";
import type { CampaignRulesInEffect, ConsoleJob, RulesDryRun } from "./models.ts";
import { R, useLatest, usePoll } from "./react.ts";
import { changeLine, rulesDictionaries } from "./rulesTexts.ts";

/** Wei as the coin, without float rounding (18 decimals, trailing zeros dropped). */
function coin(wei: string): string {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}
const grouped = (n: string) => n.replace(/\B(?=(\d{3})+(?!\d))/g, " ");

/**
 * Polls a running console job once a second until it ends, then calls `done` (one poll at a
 * time: a slow answer never overtakes a newer one, see usePoll).
 */
export function useJobPoll<J extends { id: string; status: string }>(
  job: J | null,
  set: (j: J) => void,
  done?: () => void,
): void {
  const { api } = useConsole();
  const id = job?.id;
  const tick = R.useCallback(
    () =>
      api.get<J>(`/api/admin/console/jobs/${id}`).then(
        (j) => {
          set(j);
          if (j.status !== "running") done?.();
        },
        () => {},
      ),
    [api, id, set, done],
  );
  usePoll(tick, 1000, id !== undefined && job?.status === "running");
}

export function RulesVersionEditor(p: { slug: string; onClose: () => void; onDone: () => void }) {
  const { api, t, lang, problem, explorer } = useConsole();
  const [rules, setRules] = R.useState<CampaignRulesInEffect | null>(null);
  const [text, setText] = R.useState("");
  const [error, setError] = R.useState<string | null>(null);
  const [issues, setIssues] = R.useState<Array<{ path: string; message: string }>>([]);
  const [plan, setPlan] = R.useState<RulesDryRun | null>(null);
  const [planned, setPlanned] = R.useState("");
  const [confirming, setConfirming] = R.useState(false);
  const [busy, setBusy] = R.useState(false);
  const [job, setJob] = R.useState<ConsoleJob | null>(null);
  const [dicts, setDicts] = R.useState<Record<Lang, Dictionary> | null>(null);
  const base = `/api/admin/console/campaigns/${encodeURIComponent(p.slug)}`;

  const latestRules = useLatest();
  R.useEffect(() => {
    void latestRules(
      (signal) => api.get<CampaignRulesInEffect>(`${base}/rules`, signal),
      (r) => {
        setRules(r);
        setText(JSON.stringify(r.document, null, 2));
      },
      (e) => setError(problem(e)),
    );
    rulesDictionaries().then(setDicts, () => {});
  }, [api, base, problem, latestRules]);

  const running = job?.status === "running";
  useJobPoll(job, setJob, p.onDone);

  const parsed = (): Record<string, unknown> | null => {
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v === "object" && v !== null && !Array.isArray(v))
        return v as Record<string, unknown>;
    } catch {
      // Shown below.
    }
    setIssues([{ path: "", message: t("admin.rulesVersion.notJson") }]);
    return null;
  };

  const refused = (e: unknown) => {
    setError(problem(e));
    setIssues(e instanceof ApiError ? (e.errors ?? []) : []);
  };

  // The plan shown is the one for the text last submitted (and none once the editor closed).
  const latestPlan = useLatest();
  const dryRun = async () => {
    const document = parsed();
    if (!document) return;
    setBusy(true);
    setError(null);
    setIssues([]);
    setConfirming(false);
    const submitted = text;
    await latestPlan(
      () => api.send<RulesDryRun>("POST", `${base}/versions/dry-run`, { document }),
      (next) => {
        setPlan(next);
        setPlanned(submitted);
      },
      (e) => {
        setPlan(null);
        refused(e);
      },
    );
    setBusy(false);
  };

  const apply = async () => {
    const document = parsed();
    if (!document) return;
    setBusy(true);
    setError(null);
    setConfirming(false);
    try {
      setJob(await api.send<ConsoleJob>("POST", `${base}/versions`, { document }));
    } catch (e) {
      refused(e);
    } finally {
      setBusy(false);
    }
  };

  const canApply =
    plan !== null &&
    planned === text &&
    plan.version !== null &&
    plan.blockedBy === null &&
    plan.refusals.length === 0 &&
    plan.admin.canSend &&
    !running &&
    job?.status !== "succeeded";
  const report = job?.report as
    | { version?: number; rulesTx?: string | null; rulesUrl?: string; effective?: boolean }
    | null
    | undefined;

  return (
    <section className="admin-bulk" data-rules-editor={p.slug}>
      <div className="admin-card-head">
        <strong>{t("admin.rulesVersion.title")}</strong>
        <button type="button" className="admin-link" onClick={p.onClose}>
          {t("admin.rulesVersion.close")}
        </button>
      </div>
      {rules ? (
        <p className="admin-muted">
          {t("admin.rulesVersion.from", { version: rules.version })}
          {rules.pending
            ? ` ${t("admin.rulesVersion.pending", { version: rules.pending.version })}`
            : ""}
        </p>
      ) : (
        <p className="admin-muted">{t("admin.loading")}</p>
      )}
      <label className="admin-field">
        <span>{t("admin.rulesVersion.json")}</span>
        <textarea
          className="admin-input admin-json-editor admin-json"
          rows={16}
          spellCheck={false}
          data-field="rules-json"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
      </label>
      {issues.length > 0 ? (
        <ul className="admin-list" data-issues={issues.length}>
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`} className="admin-error" data-issue={i.path}>
              {i.path ? <code>{i.path}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="admin-error" role="alert" data-rules-error="">
          {error}
        </p>
      ) : null}
      <div className="admin-row">
        <button
          type="button"
          className="admin-button"
          data-action="version-dry-run"
          disabled={busy || !rules || running}
          onClick={() => void dryRun()}
        >
          {t("admin.rulesVersion.dryRun")}
        </button>
        {confirming ? (
          <button
            type="button"
            className="admin-button admin-danger"
            data-action="version-apply-confirm"
            disabled={busy || !canApply}
            onClick={() => void apply()}
          >
            {t("admin.rulesVersion.confirm", { version: plan?.version ?? "" })}
          </button>
        ) : (
          <button
            type="button"
            className="admin-button"
            data-action="version-apply"
            disabled={busy || !canApply}
            onClick={() => setConfirming(true)}
          >
            {t("admin.rulesVersion.apply")}
          </button>
        )}
      </div>
      {plan && planned !== text ? (
        <p className="admin-muted">{t("admin.rulesVersion.changedSince")}</p>
      ) : null}
      {plan ? <PlanView plan={plan} lang={lang} dicts={dicts} /> : null}
      {job ? (
        <div data-version-job={job.status}>
          <p role="status">
            {job.status === "running"
              ? t("admin.rulesVersion.applying", { done: job.steps.length, total: job.total ?? 0 })
              : null}
          </p>
          <ol className="admin-list">
            {job.steps.map((s) => (
              <li key={s.futureId} data-version-step={s.futureId} data-step-status={s.status}>
                <span className="admin-json">{s.futureId}</span> {s.status === "done" ? "✓" : "…"}
                {s.hashes.map((h) => (
                  <code key={h} className="admin-json">
                    {" "}
                    {h.slice(0, 12)}…
                  </code>
                ))}
              </li>
            ))}
          </ol>
          {job.status === "succeeded" ? (
            <p className="admin-result" data-version-result="ok">
              {t(
                report?.effective ? "admin.rulesVersion.effective" : "admin.rulesVersion.published",
                {
                  version: report?.version ?? "",
                },
              )}{" "}
              {report?.rulesTx ? (
                explorer ? (
                  <a
                    href={`${explorer}/tx/${report.rulesTx}`}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-version-tx={report.rulesTx}
                  >
                    {t("admin.rulesVersion.tx")}
                  </a>
                ) : (
                  <code className="admin-json" data-version-tx={report.rulesTx}>
                    {report.rulesTx}
                  </code>
                )
              ) : null}{" "}
              {report?.rulesUrl ? (
                <a href={report.rulesUrl} target="_blank" rel="noopener noreferrer">
                  {t("admin.rulesVersion.document")}
                </a>
              ) : null}
            </p>
          ) : job.status === "failed" ? (
            <p className="admin-error" role="alert" data-version-result="failed">
              {t("admin.job.failed", { error: job.error ?? "" })}
            </p>
          ) : null}
          <JobLog log={job.log} />
        </div>
      ) : null}
    </section>
  );
}

function PlanView(p: { plan: RulesDryRun; lang: Lang; dicts: Record<Lang, Dictionary> | null }) {
  const { t } = useConsole();
  const { plan } = p;
  return (
    <section data-version-plan={plan.version ?? "none"}>
      <h3>
        {plan.version === null
          ? t("admin.rulesVersion.inEffect")
          : t("admin.rulesVersion.planTitle", { version: plan.version, from: plan.fromVersion })}
      </h3>
      {plan.changes.length === 0 ? (
        <p className="admin-muted">{t("admin.versions.none")}</p>
      ) : (
        <ul className="admin-list">
          {plan.changes.map((c) => (
            <li
              key={`${c.subject}:${c.level ?? ""}:${c.token ?? ""}:${c.field ?? ""}:${c.name?.en ?? ""}`}
              data-version-change={c.subject}
            >
              {p.dicts ? changeLine(p.dicts, p.lang, c) : c.text}
              {c.audience === "operator" ? (
                <span className="admin-chip">{t("admin.versions.operator")}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {plan.refusals.length > 0 ? (
        <div data-refusals={plan.refusals.length}>
          <strong>{t("admin.rulesVersion.refusals")}</strong>
          <ul className="admin-list">
            {plan.refusals.map((r) => (
              <li key={r} className="admin-error">
                {r}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.blockedBy ? (
        <p className="admin-error">
          {t("admin.rulesVersion.blocked", { version: plan.blockedBy.version })}
        </p>
      ) : null}
      {plan.actions.length > 0 ? (
        <>
          <h3>{t("admin.rulesVersion.actions")}</h3>
          <div className="admin-table-wrap">
            <table className="admin-table">
              <tbody>
                {plan.actions.map((a, i) => (
                  <tr key={a.key} data-version-action={a.key}>
                    <td>{i + 1}</td>
                    <td className="admin-wrap">
                      {a.description}
                      <div className="admin-muted admin-json">
                        {a.contract}.{a.functionName}
                      </div>
                    </td>
                    <td className="admin-gas" data-gas={a.gas ?? ""}>
                      {a.gas ? grouped(a.gas) : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {plan.cost ? (
        <dl className="admin-facts">
          <dt>{t("admin.dryRun.cost")}</dt>
          <dd data-fact="version-cost">{coin(plan.cost.cost)} ETH</dd>
          <dt>{t("admin.dryRun.usd")}</dt>
          <dd data-fact="version-usd">
            {plan.cost.usd ? `$${plan.cost.usd}` : t("admin.dryRun.noUsd")}
          </dd>
        </dl>
      ) : null}
      <p className="admin-muted" data-version-admin={plan.admin.canSend ? "key" : "none"}>
        {plan.admin.canSend
          ? t("admin.rulesVersion.sender", { address: plan.admin.address ?? "" })
          : t("admin.rulesVersion.noKey", { address: plan.admin.address ?? "?" })}
      </p>
      <p className="admin-muted">{t("admin.rulesVersion.nothing")}</p>
    </section>
  );
}

/** Every line a job printed (kept by the server across restarts), folded. */
export function JobLog({ log }: { log: readonly string[] }) {
  const { t } = useConsole();
  if (log.length === 0) return null;
  return (
    <details data-job-log={log.length}>
      <summary>{t("admin.job.log", { count: log.length })}</summary>
      <pre className="admin-json admin-log">{log.join("\n")}</pre>
    </details>
  );
}
