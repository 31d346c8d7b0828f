/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Campaigns: the ones the admin may see, with their lifecycle state and the moves their roles
 * allow (pause, resume, end, archive: the lifecycle API, which refuses a move the state does
 * not allow and says why), each campaign's versions with what changed, and the drafts (new
 * campaigns from a template; `campaigns/draft/<slug>` edits one, see CampaignDraft.tsx).
 */

import type { FormEvent } from "react";
import type { Dictionary, Lang } from "../i18n/translate.ts";
import { useConsole } from "./AdminApp.tsx";
import { type AdminAction, ApiError, type ConsoleCampaign, type ConsoleCampaigns } from "./api.ts";
import { DraftScreen } from "./CampaignDraft.tsx";
import type { ConsoleVersion } from "./models.ts";
import { RulesVersionEditor } from "./RulesVersion.tsx";
import { R, useLatest } from "./react.ts";
import { changeLine, rulesDictionaries } from "./rulesTexts.ts";
import "./campaigns.css";

type Move = "pause" | "resume" | "end" | "archive";

/** Which moves each state allows and what they need (server/domain/campaignTransitions.ts). */
const MOVES: Record<Move, { from: readonly ConsoleCampaign["lifecycle"][]; needs: AdminAction }> = {
  pause: { from: ["active"], needs: "campaign.pause" },
  resume: { from: ["paused"], needs: "campaign.pause" },
  end: { from: ["active", "paused"], needs: "campaign.lifecycle" },
  archive: { from: ["ended"], needs: "campaign.lifecycle" },
};
/** Moves that cannot be taken back ask once more. */
const CONFIRM: ReadonlySet<Move> = new Set(["end", "archive"]);

export interface DraftSummary {
  slug: string;
  document: unknown;
  template: string;
  updatedAt: string;
  updatedBy: string;
  campaignId: number | null;
  valid: boolean;
  issues: Array<{ path: string; message: string }>;
}

export function CampaignsScreen() {
  const { path } = useConsole();
  const parts = path.split("/");
  if (parts[1] === "draft" && parts[2]) return <DraftScreen slug={parts[2]} />;
  return <CampaignList />;
}

function CampaignList() {
  const env = useConsole();
  const { t, api, campaigns: initial, problem } = env;
  const [campaigns, setCampaigns] = R.useState<ConsoleCampaigns>(initial);
  const [drafts, setDrafts] = R.useState<DraftSummary[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const canEdit =
    campaigns.superAdmin || campaigns.items.some((c) => c.actions.includes("campaign.edit"));

  // Reloaded on mount and after each move: an older list answered late never replaces a newer.
  const latest = useLatest();
  const reload = R.useCallback(
    () =>
      latest(
        (signal) =>
          Promise.all([
            api.get<ConsoleCampaigns>("/api/admin/console/campaigns", signal),
            api.get<{ items: DraftSummary[] }>("/api/admin/console/drafts", signal),
          ]),
        ([c, d]) => {
          setCampaigns(c);
          setDrafts(d.items);
        },
        (e) => setError(problem(e)),
      ),
    [api, problem, latest],
  );
  R.useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {campaigns.items.length === 0 ? <p>{t("admin.none")}</p> : null}
      <ul className="admin-cards">
        {campaigns.items.map((c) => (
          <CampaignCard key={c.slug} c={c} superAdmin={campaigns.superAdmin} onChanged={reload} />
        ))}
      </ul>
      <h2>{t("admin.drafts.title")}</h2>
      {canEdit ? <NewDraft /> : null}
      {drafts === null ? (
        <p className="admin-muted">{t("admin.loading")}</p>
      ) : drafts.length === 0 ? (
        <p className="admin-muted">{t("admin.drafts.none")}</p>
      ) : (
        <ul className="admin-cards" data-list="drafts">
          {drafts.map((d) => (
            <li key={d.slug} className="admin-card" data-draft={d.slug}>
              <div className="admin-card-head">
                <strong>{draftName(d, env.lang)}</strong>
                <span className="admin-state-tag" data-valid={String(d.valid)}>
                  {d.campaignId !== null
                    ? t("admin.drafts.deployed")
                    : d.valid
                      ? t("admin.drafts.valid")
                      : t("admin.drafts.invalid", { count: d.issues.length })}
                </span>
              </div>
              <div className="admin-muted">
                <code>{d.slug}</code> · {d.updatedBy} · {formatDate(d.updatedAt, env.lang)}
              </div>
              <div className="admin-row">
                <button
                  type="button"
                  className="admin-link"
                  data-action="open-draft"
                  onClick={() => env.go(`campaigns/draft/${d.slug}`)}
                >
                  {t("admin.drafts.open")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function draftName(d: { slug: string; document: unknown }, lang: string): string {
  const name = (d.document as { name?: Record<string, unknown> } | null)?.name;
  const text = name?.[lang] ?? name?.en;
  return typeof text === "string" && text !== "" ? text : d.slug;
}

export function formatDate(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

function CampaignCard(p: { c: ConsoleCampaign; superAdmin: boolean; onChanged: () => void }) {
  const { c } = p;
  const { t, lang, go, api, problem } = useConsole();
  const [confirming, setConfirming] = R.useState<Move | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [result, setResult] = R.useState<{ ok: boolean; text: string } | null>(null);
  const [showVersions, setShowVersions] = R.useState(false);
  const [editing, setEditing] = R.useState(false);
  // Bumped when a new version was applied: the versions list reloads.
  const [applied, setApplied] = R.useState(0);
  const canVersion =
    c.deployed &&
    (c.lifecycle === "active" || c.lifecycle === "paused") &&
    c.actions.includes("campaign.edit");
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium" });
  const moves = (Object.keys(MOVES) as Move[]).filter(
    (m) => MOVES[m].from.includes(c.lifecycle) && c.actions.includes(MOVES[m].needs),
  );

  const move = async (m: Move) => {
    setBusy(true);
    setConfirming(null);
    try {
      const after = await api.send<{ state: ConsoleCampaign["lifecycle"] }>(
        "POST",
        `/api/admin/campaigns/${c.slug}/${m}`,
        {},
      );
      setResult({
        ok: true,
        text: t("admin.move.done", { state: t(`admin.lifecycle.${after.state}`) }),
      });
    } catch (e) {
      // A refusal says which state the campaign is in and which move it cannot make.
      const detail = e instanceof ApiError && e.message !== e.code ? e.message : problem(e);
      setResult({ ok: false, text: `${problem(e)} ${t("admin.move.refused", { detail })}` });
    } finally {
      setBusy(false);
      p.onChanged();
    }
  };

  return (
    <li className="admin-card" data-campaign={c.slug}>
      <div className="admin-card-head">
        <strong>{c.name[lang] ?? c.name.en ?? c.slug}</strong>
        {/* The dates' verdict only where it adds to the lifecycle state: not started, or over. */}
        {c.state === "scheduled" || c.state === "ended" ? (
          <span className={`admin-state-tag admin-state-${c.state}`} data-state={c.state}>
            {t(`admin.state.${c.state}`)}
          </span>
        ) : null}
        <span
          className={`admin-state-tag admin-lifecycle-${c.lifecycle}`}
          data-lifecycle={c.lifecycle}
        >
          {t(`admin.lifecycle.${c.lifecycle}`)}
        </span>
      </div>
      <div className="admin-muted">
        <code>{c.slug}</code> · {date(c.startsAt)}
        {c.endsAt ? ` – ${date(c.endsAt)}` : ""}
      </div>
      <div>
        {t("admin.campaigns.roles")}:{" "}
        {p.superAdmin ? t("admin.super") : c.roles.map((r) => t(`admin.role.${r}`)).join(", ")}
      </div>
      {moves.length > 0 ? (
        <div className="admin-row" data-moves={c.slug}>
          {confirming ? (
            <>
              <button
                type="button"
                className="admin-button admin-danger"
                data-move-confirm={confirming}
                disabled={busy}
                onClick={() => void move(confirming)}
              >
                {t("admin.move.confirm", { move: t(`admin.move.${confirming}`) })}
              </button>
              <button type="button" className="admin-link" onClick={() => setConfirming(null)}>
                {t("admin.move.cancel")}
              </button>
            </>
          ) : (
            moves.map((m) => (
              <button
                key={m}
                type="button"
                className={`admin-button${CONFIRM.has(m) ? " admin-danger" : ""}`}
                data-move={m}
                disabled={busy}
                onClick={() => (CONFIRM.has(m) ? setConfirming(m) : void move(m))}
              >
                {t(`admin.move.${m}`)}
              </button>
            ))
          )}
        </div>
      ) : null}
      {result ? (
        <p
          className={result.ok ? "admin-result" : "admin-error"}
          role={result.ok ? "status" : "alert"}
          data-move-result={result.ok ? "ok" : "refused"}
        >
          {result.text}
        </p>
      ) : null}
      <div className="admin-row">
        <button
          type="button"
          className="admin-link"
          data-action="versions"
          aria-expanded={showVersions}
          onClick={() => setShowVersions((v) => !v)}
        >
          {showVersions ? t("admin.versions.hide") : t("admin.versions.show")}
        </button>
        {canVersion && !editing ? (
          <button
            type="button"
            className="admin-link"
            data-action="new-version"
            onClick={() => setEditing(true)}
          >
            {t("admin.rulesVersion.open")}
          </button>
        ) : null}
        {c.actions.includes("review.read") ? (
          <button type="button" className="admin-link" onClick={() => go("review")}>
            {t("admin.campaigns.review")}
          </button>
        ) : null}
        {c.actions.includes("audit.read") ? (
          <button type="button" className="admin-link" onClick={() => go("audit")}>
            {t("admin.campaigns.audit")}
          </button>
        ) : null}
        <a className="admin-link" href={`/api/campaigns/${c.slug}`}>
          {t("admin.campaigns.link")}
        </a>
      </div>
      {editing ? (
        <RulesVersionEditor
          slug={c.slug}
          onClose={() => setEditing(false)}
          onDone={() => {
            setApplied((n) => n + 1);
            setShowVersions(true);
          }}
        />
      ) : null}
      {showVersions ? <Versions key={applied} slug={c.slug} /> : null}
    </li>
  );
}

function Versions({ slug }: { slug: string }) {
  const { api, t, lang, problem, explorer } = useConsole();
  const [items, setItems] = R.useState<ConsoleVersion[] | null>(null);
  const [dicts, setDicts] = R.useState<Record<Lang, Dictionary> | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const latest = useLatest();
  R.useEffect(() => {
    // The lines are data; the words are the members' dictionaries, in the admin's language.
    void latest(
      (signal) =>
        Promise.all([
          api.get<{ items: ConsoleVersion[] }>(
            `/api/admin/console/campaigns/${slug}/versions`,
            signal,
          ),
          rulesDictionaries(),
        ]),
      ([v, d]) => {
        setItems(v.items);
        setDicts(d);
      },
      (e) => setError(problem(e)),
    );
  }, [api, slug, problem, latest]);
  if (error)
    return (
      <p className="admin-error" role="alert">
        {error}
      </p>
    );
  if (!items || !dicts) return <p className="admin-muted">{t("admin.loading")}</p>;
  return (
    <ol className="admin-list" data-versions={slug} reversed>
      {items.map((v, i) => (
        <li key={v.version} data-version={v.version}>
          <strong>{t("admin.versions.title", { version: v.version })}</strong>{" "}
          <span className="admin-chip">{t(`admin.versionStatus.${v.status}`)}</span>{" "}
          <span className="admin-muted">
            {formatDate(v.effectiveAt ?? v.createdAt, lang)} · <code>{v.hash.slice(0, 12)}…</code>
            {v.txHash ? (
              <>
                {" · "}
                {explorer ? (
                  <a
                    href={`${explorer}/tx/${v.txHash}`}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-version-onchain={v.txHash}
                  >
                    {t("admin.rulesVersion.tx")}
                  </a>
                ) : (
                  <code data-version-onchain={v.txHash}>{v.txHash.slice(0, 12)}…</code>
                )}
              </>
            ) : null}
          </span>
          {i === items.length - 1 ? (
            <p className="admin-muted">{t("admin.versions.first")}</p>
          ) : v.changes.length === 0 ? (
            <p className="admin-muted">{t("admin.versions.none")}</p>
          ) : (
            <ul className="admin-list">
              {v.changes.map((c) => (
                <li key={`${c.subject}:${c.text}`} data-change={c.subject}>
                  {changeLine(dicts, lang, c)}
                  {c.audience === "operator" ? (
                    <span className="admin-chip">{t("admin.versions.operator")}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

interface Template {
  id: string;
  kind: "builtin" | "campaign";
  name: { en: string; ru: string };
}

function NewDraft() {
  const { api, t, lang, go, problem } = useConsole();
  const [templates, setTemplates] = R.useState<Template[]>([]);
  const [template, setTemplate] = R.useState("standing");
  const [slug, setSlug] = R.useState("");
  const [error, setError] = R.useState<string | null>(null);
  const latest = useLatest();
  R.useEffect(() => {
    void latest(
      (signal) => api.get<{ items: Template[] }>("/api/admin/console/templates", signal),
      (r) => setTemplates(r.items),
      (e) => setError(problem(e)),
    );
  }, [api, problem, latest]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.send("PUT", `/api/admin/console/drafts/${encodeURIComponent(slug.trim())}`, {
        template,
      });
      go(`campaigns/draft/${slug.trim()}`);
    } catch (err) {
      setError(problem(err));
    }
  };
  return (
    <form className="admin-bulk" data-form="new-draft" onSubmit={(e) => void submit(e)}>
      <strong>{t("admin.drafts.new")}</strong>
      <label className="admin-field">
        <span>{t("admin.drafts.slug")}</span>
        <input
          className="admin-input"
          name="slug"
          value={slug}
          required
          pattern="[a-z0-9\-]{2,48}"
          placeholder="spring-launch"
          aria-describedby="new-draft-slug-hint"
          onChange={(e) => setSlug(e.currentTarget.value)}
        />
        <small id="new-draft-slug-hint" className="admin-muted">
          {t("admin.drafts.slugHint")}
        </small>
      </label>
      <label className="admin-field">
        <span>{t("admin.drafts.template")}</span>
        <select
          className="admin-input"
          name="template"
          value={template}
          onChange={(e) => setTemplate(e.currentTarget.value)}
        >
          {templates.map((tpl) => (
            <option key={tpl.id} value={tpl.id}>
              {tpl.name[lang] ?? tpl.name.en}
              {tpl.kind === "campaign" ? ` (${tpl.id})` : ""}
            </option>
          ))}
        </select>
      </label>
      <div className="admin-row">
        <button type="submit" className="admin-button" data-action="create-draft">
          {t("admin.drafts.create")}
        </button>
      </div>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
