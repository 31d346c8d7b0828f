/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * One campaign draft: the common fields as a form and the whole campaign file as raw JSON,
 * both editing the same document; saving shows each problem the server's campaign-file schema
 * finds at its field (or, for fields the form does not have, in a list by path). A valid,
 * saved draft can be dry-run (role plan, gas per step, cost at the target's fee, in dollars
 * when a price is configured) and deployed (progress per Ignition step, polled; a deploy that
 * stopped is resumed from its journal).
 */

import { useConsole } from "./AdminApp.tsx";
import { canSomewhere } from "./api.ts";
import { type DraftSummary, draftName } from "./Campaigns.tsx";
import type { ConsoleJob } from "./models.ts";
import { JobLog, useJobPoll } from "./RulesVersion.tsx";
import { R, useLatest } from "./react.ts";

/** A console job as the API sends it (generated types), its dry-run report read as below. */
type Job = Omit<ConsoleJob, "report"> & { report: DryRunReport | null };

/** The deploy command's dry-run report: the API declares it as an object it passes through. */
interface DryRunReport {
  target: { chainId: number; url?: string; development: boolean };
  plan: Array<{ role: string; address?: string; source: string; grants: string[] }>;
  problems: string[];
  steps: Array<{ futureId: string; gasUsed: string }>;
  gas: { deployer: string; admin: string; total: string };
  fee: { perGas: string; method: string; of: string };
  cost: { deployer: string; admin: string; total: string };
  usd?: { price: string; total: string };
  symbol: string;
}

interface Draft extends DraftSummary {
  campaignState: string | null;
  jobs: { dryRun: Job | null; deploy: Job | null };
}

type Key = string | number;

/** `tokens[0].budget` → `["tokens", 0, "budget"]`. */
function parsePath(path: string): Key[] {
  const out: Key[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function getAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const k of parsePath(path)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

/** A copy of `doc` with `path` set (objects and lists made on the way); `undefined` removes it. */
function setAt(doc: unknown, path: string, value: unknown): unknown {
  const keys = parsePath(path);
  const root: unknown = structuredClone(doc ?? {});
  let v = root as Record<Key, unknown>;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      if (value === undefined) delete v[k];
      else v[k] = value;
      return;
    }
    const next = v[k];
    if (next === null || typeof next !== "object") v[k] = typeof keys[i + 1] === "number" ? [] : {};
    v = v[k] as Record<Key, unknown>;
  });
  return root;
}

/** The fields the form shows; everything else is in the JSON. */
const FIELDS: Array<{ path: string; kind: "text" | "number" }> = [
  { path: "name.en", kind: "text" },
  { path: "name.ru", kind: "text" },
  { path: "onchainId", kind: "number" },
  { path: "startsAt", kind: "text" },
  { path: "endsAt", kind: "text" },
  { path: "tokens[0].symbol", kind: "text" },
  { path: "tokens[0].budget", kind: "text" },
  { path: "levels[0].amount", kind: "text" },
  { path: "escrow.publishDelayHours", kind: "number" },
  { path: "end.graceHours", kind: "number" },
];

const covers = (field: string, issuePath: string) =>
  issuePath === field || issuePath.startsWith(`${field}.`) || issuePath.startsWith(`${field}[`);

const pretty = (doc: unknown) => JSON.stringify(doc, null, 2);

/** Wei as the coin, without float rounding (18 decimals, trailing zeros dropped). */
function coin(wei: string): string {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}
const grouped = (n: string) => n.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
const gwei = (wei: string) => {
  const v = BigInt(wei);
  const frac = (v % 10n ** 9n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${v / 10n ** 9n}${frac ? `.${frac}` : ""} gwei`;
};

export function DraftScreen({ slug }: { slug: string }) {
  const { api, t, lang, go, problem, campaigns } = useConsole();
  const [draft, setDraft] = R.useState<Draft | null>(null);
  const [doc, setDoc] = R.useState<unknown>(null);
  const [jsonText, setJsonText] = R.useState("");
  const [jsonError, setJsonError] = R.useState<string | null>(null);
  const [message, setMessage] = R.useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [dryRun, setDryRun] = R.useState<Job | null>(null);
  const [deploy, setDeploy] = R.useState<Job | null>(null);
  const [confirmDeploy, setConfirmDeploy] = R.useState(false);
  const canEdit = canSomewhere(campaigns, "campaign.edit");
  const canDeploy = canSomewhere(campaigns, "campaign.lifecycle");

  const take = R.useCallback((d: Draft) => {
    setDraft(d);
    setDoc(d.document);
    setJsonText(pretty(d.document));
    setJsonError(null);
    setDryRun((j) => d.jobs.dryRun ?? j);
    setDeploy((j) => d.jobs.deploy ?? j);
  }, []);

  // Loaded on opening and once a deploy ends: an older answer never replaces a newer.
  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) => api.get<Draft>(`/api/admin/console/drafts/${slug}`, signal),
        take,
        (e) => setMessage({ ok: false, text: problem(e) }),
      ),
    [api, slug, take, problem, latest],
  );
  R.useEffect(() => {
    void load();
  }, [load]);

  useJobPoll(dryRun, setDryRun);
  useJobPoll(deploy, setDeploy, load);

  if (!draft) return <p className="admin-state">{message?.text ?? t("admin.loading")}</p>;

  const readOnly = draft.campaignId !== null || !canEdit;
  const unsaved = JSON.stringify(doc) !== JSON.stringify(draft.document);
  const issues = draft.issues;
  const running = dryRun?.status === "running" || deploy?.status === "running";
  const otherIssues = issues.filter((i) => !FIELDS.some((f) => covers(f.path, i.path)));

  const edit = (path: string, raw: string, kind: "text" | "number") => {
    const value =
      raw === "" ? undefined : kind === "number" && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    const next = setAt(doc, path, value);
    setDoc(next);
    setJsonText(pretty(next));
  };

  const applyJson = () => {
    try {
      const parsed: unknown = JSON.parse(jsonText);
      setDoc(parsed);
      setJsonError(null);
      return parsed;
    } catch (e) {
      setJsonError(t("admin.drafts.jsonInvalid", { detail: (e as Error).message }));
      return undefined;
    }
  };

  const save = async () => {
    // The JSON box wins when it was edited and not applied.
    const document = jsonText === pretty(doc) ? doc : applyJson();
    if (document === undefined) return;
    setBusy(true);
    try {
      const saved = await api.send<Draft>("PUT", `/api/admin/console/drafts/${slug}`, {
        document,
      });
      take(saved);
      setMessage({
        ok: saved.valid,
        text: saved.valid ? t("admin.drafts.saved") : t("admin.drafts.savedInvalid"),
      });
    } catch (e) {
      setMessage({ ok: false, text: problem(e) });
    } finally {
      setBusy(false);
    }
  };

  const start = async (kind: "dry-run" | "deploy") => {
    setBusy(true);
    setMessage(null);
    setConfirmDeploy(false);
    try {
      const job = await api.send<Job>("POST", `/api/admin/console/drafts/${slug}/${kind}`);
      if (kind === "dry-run") setDryRun(job);
      else setDeploy(job);
    } catch (e) {
      setMessage({ ok: false, text: problem(e) });
    } finally {
      setBusy(false);
    }
  };

  const deployable =
    canDeploy &&
    draft.valid &&
    !unsaved &&
    (draft.campaignId === null || draft.campaignState === "deploying");

  return (
    <section className="admin-draft" data-draft-editor={slug}>
      <button
        type="button"
        className="admin-link"
        data-action="back"
        onClick={() => go("campaigns")}
      >
        {t("admin.drafts.back")}
      </button>
      <h2>
        {draftName(draft, lang)} <code className="admin-muted">{slug}</code>
      </h2>
      <p>
        <span className="admin-state-tag" data-draft-valid={String(draft.valid)}>
          {draft.valid
            ? t("admin.drafts.valid")
            : t("admin.drafts.invalid", { count: issues.length })}
        </span>
        {draft.campaignState ? (
          <span className="admin-state-tag" data-draft-campaign-state={draft.campaignState}>
            {t(`admin.lifecycle.${draft.campaignState}`)}
          </span>
        ) : null}
        {unsaved ? <span className="admin-chip">{t("admin.drafts.unsaved")}</span> : null}
      </p>
      {draft.campaignId !== null ? (
        <p className="admin-muted">{t("admin.drafts.readOnly")}</p>
      ) : null}

      <form
        className="admin-bulk admin-form"
        data-form="draft"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <strong>{t("admin.drafts.form")}</strong>
        {FIELDS.map((f) => {
          const value = getAt(doc, f.path);
          const mine = issues.filter((i) => covers(f.path, i.path));
          const id = `field-${f.path.replace(/[^a-z0-9]/gi, "-")}`;
          return (
            <label key={f.path} className="admin-field" data-field={f.path}>
              <span>{t(`admin.field.${f.path}`)}</span>
              <input
                id={id}
                className="admin-input"
                value={value === undefined || value === null ? "" : String(value)}
                readOnly={readOnly}
                inputMode={f.kind === "number" ? "numeric" : undefined}
                aria-invalid={mine.length > 0}
                aria-describedby={mine.length > 0 ? `${id}-issue` : undefined}
                onChange={(e) => edit(f.path, e.currentTarget.value, f.kind)}
              />
              {mine.length > 0 ? (
                <span className="admin-error" id={`${id}-issue`} data-issue={f.path}>
                  {mine
                    .map((i) => (i.path === f.path ? i.message : `${i.path}: ${i.message}`))
                    .join("; ")}
                </span>
              ) : null}
            </label>
          );
        })}
        {otherIssues.length > 0 ? (
          <div data-other-issues="">
            <strong>{t("admin.drafts.otherIssues")}</strong>
            <ul className="admin-list">
              {otherIssues.map((i) => (
                <li key={`${i.path}:${i.message}`} className="admin-error" data-issue={i.path}>
                  <code>{i.path}</code>: {i.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <details>
          <summary>{t("admin.drafts.json")}</summary>
          <textarea
            className="admin-input admin-json admin-json-editor"
            data-field="json"
            spellCheck={false}
            readOnly={readOnly}
            value={jsonText}
            rows={18}
            onChange={(e) => setJsonText(e.currentTarget.value)}
          />
          {jsonError ? (
            <p className="admin-error" role="alert" data-json-error="">
              {jsonError}
            </p>
          ) : null}
          {readOnly ? null : (
            <button
              type="button"
              className="admin-link"
              data-action="apply-json"
              onClick={applyJson}
            >
              {t("admin.drafts.applyJson")}
            </button>
          )}
        </details>
        {readOnly ? null : (
          <div className="admin-row">
            <button type="submit" className="admin-button" data-action="save" disabled={busy}>
              {t("admin.drafts.save")}
            </button>
          </div>
        )}
      </form>
      {message ? (
        <p
          className={message.ok ? "admin-result" : "admin-error"}
          role={message.ok ? "status" : "alert"}
          data-draft-message={message.ok ? "ok" : "problem"}
        >
          {message.text}
        </p>
      ) : null}

      <div className="admin-row">
        {canEdit && draft.campaignId === null ? (
          <button
            type="button"
            className="admin-button"
            data-action="dry-run"
            disabled={busy || running || !draft.valid || unsaved}
            onClick={() => void start("dry-run")}
          >
            {t("admin.dryRun.run")}
          </button>
        ) : null}
        {deployable && !confirmDeploy ? (
          <button
            type="button"
            className="admin-button"
            data-action="deploy"
            disabled={busy || running}
            onClick={() => setConfirmDeploy(true)}
          >
            {draft.campaignState === "deploying" ? t("admin.deploy.resume") : t("admin.deploy.run")}
          </button>
        ) : null}
        {deployable && confirmDeploy ? (
          <button
            type="button"
            className="admin-button admin-danger"
            data-action="deploy-confirm"
            disabled={busy || running}
            onClick={() => void start("deploy")}
          >
            {t("admin.deploy.confirm")}
          </button>
        ) : null}
      </div>

      {dryRun ? <DryRunView job={dryRun} /> : null}
      {deploy ? <DeployView job={deploy} /> : null}
    </section>
  );
}

function DryRunView({ job }: { job: Job }) {
  const { t } = useConsole();
  if (job.status === "running")
    return (
      <p className="admin-result" role="status" data-dry-run="running">
        {t("admin.dryRun.running")}
      </p>
    );
  const r = job.report;
  if (!r)
    return (
      <p className="admin-error" role="alert" data-dry-run="failed">
        {t("admin.job.failed", { error: job.error ?? "" })}
      </p>
    );
  return (
    <section className="admin-bulk" data-dry-run="done">
      <h3>{t("admin.dryRun.title")}</h3>
      <dl className="admin-facts">
        <dt>{t("admin.dryRun.target")}</dt>
        <dd data-fact="target">
          {r.target.chainId}
          {r.target.url ? ` · ${new URL(r.target.url).host}` : ` · ${t("admin.dryRun.local")}`}
        </dd>
        <dt>{t("admin.dryRun.gas")}</dt>
        <dd data-fact="gas">{grouped(r.gas.total)}</dd>
        <dt>{t("admin.dryRun.fee")}</dt>
        <dd data-fact="fee">{gwei(r.fee.perGas)}</dd>
        <dt>{t("admin.dryRun.cost")}</dt>
        <dd data-fact="cost">
          {coin(r.cost.total)} {r.symbol}
        </dd>
        <dt>{t("admin.dryRun.usd")}</dt>
        <dd data-fact="usd">{r.usd ? `$${r.usd.total}` : t("admin.dryRun.noUsd")}</dd>
      </dl>
      <h3>{t("admin.dryRun.steps")}</h3>
      <div className="admin-table-wrap">
        <table className="admin-table">
          <tbody>
            {r.steps.map((s, i) => (
              <tr key={s.futureId} data-step={s.futureId}>
                <td>{i + 1}</td>
                <td className="admin-json">{s.futureId}</td>
                <td>{grouped(s.gasUsed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t("admin.dryRun.plan")}</h3>
      <ul className="admin-list" data-plan="">
        {r.plan.map((e) => (
          <li key={e.role}>
            <strong>{e.role}</strong>:{" "}
            <code className="admin-json">{e.address ?? t("admin.dryRun.unknown")}</code>{" "}
            <span className="admin-muted">({e.source})</span>
            {e.grants.length > 0 ? <div className="admin-muted">{e.grants.join(", ")}</div> : null}
          </li>
        ))}
      </ul>
      {r.problems.length === 0 ? (
        <p className="admin-result" data-problems="0">
          {t("admin.dryRun.noProblems")}
        </p>
      ) : (
        <div data-problems={r.problems.length}>
          <strong>{t("admin.dryRun.problems")}</strong>
          <ul className="admin-list">
            {r.problems.map((p) => (
              <li key={p} className="admin-error">
                {p}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="admin-muted">{t("admin.dryRun.nothing")}</p>
    </section>
  );
}

function DeployView({ job }: { job: Job }) {
  const { t } = useConsole();
  const done = job.steps.filter((s) => s.status === "done").length + job.resumed;
  return (
    <section className="admin-bulk" data-deploy={job.status}>
      <p role="status">
        {job.total === null
          ? t("admin.deploy.starting")
          : t("admin.deploy.progress", { done, total: job.total })}
      </p>
      {job.total !== null ? (
        <progress max={job.total} value={done} aria-label={t("admin.deploy.run")} />
      ) : null}
      {job.resumed > 0 ? (
        <p className="admin-muted" data-deploy-resumed={job.resumed}>
          {t("admin.deploy.resumed", { count: job.resumed })}
        </p>
      ) : null}
      <ol className="admin-list">
        {job.steps.map((s) => (
          <li key={s.futureId} data-deploy-step={s.futureId} data-step-status={s.status}>
            <span className="admin-json">{s.futureId}</span> {s.status === "done" ? "✓" : "…"}
            {s.address ? <code className="admin-json"> {s.address}</code> : null}
            {s.gasUsed ? <span className="admin-muted"> · {grouped(s.gasUsed)} gas</span> : null}
          </li>
        ))}
      </ol>
      {job.status === "succeeded" ? (
        <p className="admin-result" data-deploy-result="ok">
          {t("admin.deploy.done")}
        </p>
      ) : job.status === "failed" ? (
        <p className="admin-error" role="alert" data-deploy-result="failed">
          {t("admin.job.failed", { error: job.error ?? "" })}
        </p>
      ) : null}
      <JobLog log={job.log} />
    </section>
  );
}
