/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Loyalty: what a campaign gives besides referral rewards, per campaign, in three tabs.
 *
 * - **Perks**: the perks of the rules in effect with their state on-chain (price, units left of
 *   the total, redeemed, end of sale, requirement, on sale or not). Create one, change its
 *   price, stock or end of sale, retire it: each is a new rules version, so the screen first
 *   asks the API for the dry run (the changes in words, the admin's calls with their gas and
 *   cost) and applies only on a second, explicit step; the version takes effect when the indexer
 *   sees its block, and the list refreshes itself meanwhile. A perk's coupon codes are uploaded
 *   as a CSV (added and skipped counts, or the refused lines).
 * - **Surveys and votes**: the campaign's surveys with their state; create one (questions with
 *   options or free text, a vote's options with budgets, segment, reward, closing time), close
 *   one (confirmed), and its results per option and per segment.
 * - **Challenges**: the campaign's challenges with their completion counts.
 *
 * Writes are offered where the caller's roles allow them, as the API enforces: perks and coupon
 * codes `campaign.edit` (owners, managers), surveys `survey.manage` (owners, managers); the
 * lists need `campaign.view`, surveys and results `survey.read`. Everyone else reads only, and
 * the API refuses them anyway.
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import { type AdminAction, type ApiBody, ApiError, type ApiInput } from "./api.ts";
import { count, moment, percent, tokens } from "./format.ts";
import { type Latest, R, useLatest, usePoll } from "./react.ts";
import "./integrations.css";
import "./loyalty.css";

type Tab = "perks" | "surveys" | "challenges";
const TAB_NEEDS: Record<Tab, AdminAction> = {
  perks: "campaign.view",
  surveys: "survey.read",
  challenges: "campaign.view",
};
const TABS = Object.keys(TAB_NEEDS) as Tab[];

type PerkList = ApiBody<"adminListPerks", 200>;
type Perk = PerkList["items"][number];
type PerkResult = ApiBody<"adminCreatePerk", 200>;
type NewPerk = ApiInput<"adminCreatePerk">;
type PerkChange = ApiInput<"adminChangePerk">;
type Imported = ApiBody<"importCoupons", 200>;
type Survey = ApiBody<"listSurveys", 200>[number];
type NewSurvey = ApiInput<"createSurvey">;
type Results = ApiBody<"getSurveyResults", 200>;
type Segment = Survey["segment"];
type Challenges = ApiBody<"adminListChallenges", 200>;
type Rules = ApiBody<"getCampaignRules", 200>;

/** Every segment, checked complete against the generated types at compile time. */
const SEGMENTS = Object.keys({ all: 1, referred: 1, inviters: 1, wallet: 1 } satisfies Record<
  Segment,
  1
>) as Segment[];
const PERK_ID = /^[a-z0-9][a-z0-9_-]{0,47}$/;
const AMOUNT = /^\d{1,30}(\.\d{1,18})?$/;
/** The coupon import's body limit (the API refuses more). */
const CSV_MAX = 1_000_000;
/** How often the perk list is read again while a version waits for the indexer. */
const PENDING_POLL_MS = 2000;

/** Problem codes whose server detail helps fix the input (it names the field or the rule). */
const DETAILED = new Set([
  "perk_invalid",
  "perk_expiry_past",
  "perk_requirement_unknown",
  "perk_stock_below_sold",
  "rules_invalid",
  "rules_version_pending",
  "not_ready",
  "answer_invalid",
  "validation_failed",
]);

function useFailure(): (e: unknown) => string {
  const { problem } = useConsole();
  return R.useCallback(
    (e: unknown) =>
      e instanceof ApiError && DETAILED.has(e.code) && e.message !== e.code
        ? `${problem(e)} (${e.message})`
        : problem(e),
    [problem],
  );
}

/** Supersedes whatever `latest` has pending: its answer, when it comes, is dropped. */
const drop = (latest: Latest) =>
  latest(
    async () => undefined,
    () => {},
    () => {},
  );

/** A date-time input's value (local time) for an ISO moment, and back. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const fromLocalInput = (value: string): string | null =>
  value === "" ? null : new Date(value).toISOString();

export function LoyaltyScreen() {
  const { campaigns, t, lang } = useConsole();
  const usable = campaigns.items.filter((c) => c.actions.includes("campaign.view"));
  const [slug, setSlug] = R.useState(usable[0]?.slug ?? "");
  const [tab, setTab] = R.useState<Tab>("perks");
  const campaign = usable.find((c) => c.slug === slug) ?? usable[0];
  if (!campaign) return <p>{t("admin.loy.none")}</p>;
  const tabs = TABS.filter((x) => campaign.actions.includes(TAB_NEEDS[x]));
  const current: Tab = tabs.includes(tab) ? tab : (tabs[0] ?? "perks");
  return (
    <>
      <div className="admin-filters">
        <select
          className="admin-input"
          aria-label={t("admin.loy.campaign")}
          value={campaign.slug}
          data-input="campaign"
          onChange={(e) => setSlug(e.target.value)}
        >
          {usable.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name[lang] ?? c.name.en ?? c.slug}
            </option>
          ))}
        </select>
      </div>
      <div className="admin-tabs admin-int-tabs" role="tablist" aria-label={t("admin.loy.tabs")}>
        {tabs.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={x === current}
            data-tab={x}
            onClick={() => setTab(x)}
          >
            {t(`admin.loy.tab.${x}`)}
          </button>
        ))}
      </div>
      <section data-panel={current} data-campaign={campaign.slug}>
        {current === "perks" ? (
          <PerksPanel
            key={`p-${campaign.slug}`}
            slug={campaign.slug}
            canEdit={campaign.actions.includes("campaign.edit")}
          />
        ) : current === "surveys" ? (
          <SurveysPanel
            key={`s-${campaign.slug}`}
            slug={campaign.slug}
            canManage={campaign.actions.includes("survey.manage")}
          />
        ) : (
          <ChallengesPanel key={`c-${campaign.slug}`} slug={campaign.slug} />
        )}
      </section>
    </>
  );
}

function Messages(p: { error: string | null; note: string | null }) {
  return (
    <>
      {p.error ? (
        <p className="admin-error" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.note ? (
        <p className="admin-result" role="status" data-note>
          {p.note}
        </p>
      ) : null}
    </>
  );
}

function ReadOnly() {
  const { t } = useConsole();
  return (
    <p className="admin-muted" data-read-only>
      {t("admin.loy.readOnly")}
    </p>
  );
}

/** The campaign's public rules: its tokens, tiers and badges for the forms' choices. */
function useRules(slug: string): Rules | null {
  const { api } = useConsole();
  const [rules, setRules] = R.useState<Rules | null>(null);
  const latest = useLatest();
  R.useEffect(() => {
    // Without them the forms offer fewer choices; the API still checks what is sent.
    void latest(
      (signal) => api.get<Rules>(`/api/campaigns/${encodeURIComponent(slug)}`, signal),
      setRules,
      () => {},
    );
  }, [latest, api, slug]);
  return rules;
}

// ---- perks ---------------------------------------------------------------------------------

type PerkStateName = "onSale" | "soldOut" | "ended" | "inactive" | "notOnchain";

function perkState(p: Perk, now: number): PerkStateName {
  if (!p.onchain) return "notOnchain";
  if (p.onSale) return "onSale";
  if (!p.onchain.active) return "inactive";
  if (p.onchain.expiresAt !== null && Date.parse(p.onchain.expiresAt) <= now) return "ended";
  return "soldOut";
}

/** A change waiting for its second step: the dry run's plan and the request that applies it. */
interface Proposal {
  kind: "create" | "change" | "retire";
  perk: string;
  title: string;
  sold: number;
  method: "POST" | "PATCH";
  path: string;
  body: Record<string, unknown>;
  plan: PerkResult;
}

function PerksPanel(p: { slug: string; canEdit: boolean }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const rules = useRules(p.slug);
  const [data, setData] = R.useState<PerkList | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [editing, setEditing] = R.useState<string | null>(null);
  const [proposal, setProposal] = R.useState<Proposal | null>(null);
  // A new form (closed, empty) once a perk was created from it.
  const [formKey, setFormKey] = R.useState(0);
  const latestList = useLatest();
  // The plans (dry runs) and the applies: only the latest asked for is shown.
  const latestPlan = useLatest();
  const base = `/api/admin/campaigns/${encodeURIComponent(p.slug)}/perks`;

  const load = R.useCallback(
    () =>
      latestList(
        (signal) => api.get<PerkList>(base, signal),
        setData,
        (e) => setError(failure(e)),
      ),
    [latestList, api, base, failure],
  );
  R.useEffect(() => {
    void load();
  }, [load]);
  // A version on its way: read again until the indexer has seen it.
  const pending = data?.pendingVersion ?? null;
  usePoll(load, PENDING_POLL_MS, pending !== null);

  /** The dry run of a change. */
  const propose = (x: Omit<Proposal, "plan">) => {
    setBusy(true);
    setError(null);
    setNote(null);
    return latestPlan(
      () => api.send<PerkResult>(x.method, x.path, { ...x.body, dryRun: true }),
      (plan) => {
        setProposal({ ...x, plan });
        setBusy(false);
      },
      (e) => {
        setProposal(null);
        setError(failure(e));
        setBusy(false);
      },
    );
  };
  const cancel = () => {
    void drop(latestPlan);
    setProposal(null);
    setBusy(false);
  };
  const apply = (x: Proposal) => {
    setBusy(true);
    setError(null);
    return latestPlan(
      () => api.send<PerkResult>(x.method, x.path, x.body),
      (r) => {
        setProposal(null);
        setEditing(null);
        if (x.kind === "create" && r.status === "published") setFormKey((k) => k + 1);
        setNote(
          r.status === "published"
            ? t("admin.loy.perks.published", { version: r.version })
            : r.status === "unchanged"
              ? t("admin.loy.perks.unchanged")
              : t("admin.loy.perks.stopped", { reason: r.failed?.reason ?? "?" }),
        );
        setBusy(false);
        void load();
      },
      (e) => {
        setError(failure(e));
        setBusy(false);
      },
    );
  };

  const now = Date.now();
  const title = (x: { en: string; ru: string }) => x[lang] || x.en;
  const planHere = (perk: string | null) =>
    proposal && (perk === null ? proposal.kind === "create" : proposal.perk === perk) ? (
      <PlanCard
        proposal={proposal}
        busy={busy}
        onApply={() => void apply(proposal)}
        onCancel={cancel}
      />
    ) : null;

  return (
    <>
      <p className="admin-muted">{t("admin.loy.perks.intro")}</p>
      {p.canEdit ? null : <ReadOnly />}
      {data ? (
        <p className="admin-muted" data-rules-version={data.version}>
          {t("admin.loy.perks.version", { version: data.version })}
        </p>
      ) : null}
      {pending !== null ? (
        <p className="admin-coming" role="status" data-pending-version={pending}>
          {t("admin.loy.perks.pending", { version: pending })}
        </p>
      ) : null}
      <Messages error={error} note={note} />
      {p.canEdit && data ? (
        <>
          <NewPerkForm
            key={formKey}
            slug={p.slug}
            rules={rules}
            taken={data.items.map((x) => x.definition.id)}
            busy={busy}
            onCheck={(body) =>
              void propose({
                kind: "create",
                perk: body.id,
                title: body.title[lang] || body.title.en,
                sold: 0,
                method: "POST",
                path: base,
                body,
              })
            }
          />
          {planHere(null)}
        </>
      ) : null}
      {data === null ? (
        error ? null : (
          <p className="admin-muted">{t("admin.loading")}</p>
        )
      ) : data.items.length === 0 ? (
        <p className="admin-muted">{t("admin.loy.perks.none")}</p>
      ) : (
        <ul className="admin-cards admin-loy-list" data-list="perks">
          {data.items.map((perk) => {
            const d = perk.definition;
            const state = perkState(perk, now);
            const left = perk.onchain?.stock ?? null;
            return (
              <li
                key={d.id}
                className="admin-card"
                data-perk={d.id}
                data-state={state}
                data-perk-id={perk.perkId}
              >
                <div className="admin-card-head">
                  <strong>{title(d.title)}</strong>
                  <span
                    className={`admin-state-tag ${state === "onSale" ? "admin-state-active" : "admin-state-ended"}`}
                  >
                    {t(`admin.loy.perks.state.${state}`)}
                  </span>
                </div>
                <div className="admin-muted">
                  <code>{d.id}</code> · #{perk.perkId}
                </div>
                <dl className="admin-facts">
                  <dt>{t("admin.loy.perks.price")}</dt>
                  <dd data-field="price">
                    {tokens(lang, d.price)} {d.token}
                  </dd>
                  <dt>{t("admin.loy.perks.left")}</dt>
                  <dd data-field="left" data-left={left ?? "unlimited"}>
                    {d.stock === null
                      ? t("admin.loy.unlimited")
                      : t("admin.loy.perks.leftOf", {
                          left: count(lang, left ?? d.stock),
                          total: count(lang, d.stock),
                        })}
                  </dd>
                  <dt>{t("admin.loy.perks.sold")}</dt>
                  <dd data-field="sold">{count(lang, perk.sold)}</dd>
                  <dt>{t("admin.loy.perks.expires")}</dt>
                  <dd data-field="expires">
                    {d.expiresAt ? moment(lang, d.expiresAt) : t("admin.loy.noEnd")}
                  </dd>
                  <dt>{t("admin.loy.perks.requires")}</dt>
                  <dd data-field="requires">
                    {d.requires?.tier
                      ? t("admin.loy.perks.requiresTier", { tier: d.requires.tier })
                      : d.requires?.badge !== undefined
                        ? t("admin.loy.perks.requiresBadge", { badge: d.requires.badge })
                        : t("admin.loy.perks.requiresNone")}
                  </dd>
                  {d.couponDays ? (
                    <>
                      <dt>{t("admin.loy.perks.couponDays")}</dt>
                      <dd>{t("admin.loy.perks.days", { count: d.couponDays })}</dd>
                    </>
                  ) : null}
                </dl>
                {p.canEdit && perk.onchain ? (
                  editing === d.id ? (
                    <EditPerkForm
                      perk={perk}
                      busy={busy}
                      onCheck={(body) =>
                        void propose({
                          kind: "change",
                          perk: d.id,
                          title: title(d.title),
                          sold: perk.sold,
                          method: "PATCH",
                          path: `${base}/${encodeURIComponent(d.id)}`,
                          body,
                        })
                      }
                      onCancel={() => {
                        setEditing(null);
                        if (proposal?.perk === d.id) cancel();
                      }}
                    />
                  ) : proposal?.perk === d.id ? null : (
                    <div className="admin-row">
                      <button
                        type="button"
                        className="admin-button"
                        data-action="perk-edit"
                        onClick={() => {
                          cancel();
                          setEditing(d.id);
                        }}
                      >
                        {t("admin.loy.perks.edit")}
                      </button>
                      {state === "soldOut" || state === "inactive" ? null : (
                        <button
                          type="button"
                          className="admin-button admin-danger"
                          data-action="perk-retire"
                          disabled={busy}
                          onClick={() => {
                            setEditing(null);
                            void propose({
                              kind: "retire",
                              perk: d.id,
                              title: title(d.title),
                              sold: perk.sold,
                              method: "POST",
                              path: `${base}/${encodeURIComponent(d.id)}/retire`,
                              body: {},
                            });
                          }}
                        >
                          {t("admin.loy.perks.retire")}
                        </button>
                      )}
                    </div>
                  )
                ) : null}
                {planHere(d.id)}
                {p.canEdit ? <CouponUpload slug={p.slug} perk={d.id} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** The dry run's plan, and the explicit second step that applies it. */
function PlanCard(p: {
  proposal: Proposal;
  busy: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useConsole();
  const { plan, kind } = p.proposal;
  const unchanged = plan.actions.length === 0;
  const retire = kind === "retire";
  return (
    <div
      className={retire ? "admin-confirm admin-plan" : "admin-plan"}
      data-perk-plan={kind}
      data-plan-version={plan.version}
      data-confirm={retire ? "" : undefined}
    >
      <strong>{t("admin.loy.perks.plan")}</strong>
      {retire ? (
        <p>{t("admin.loy.perks.planRetire", { title: p.proposal.title, sold: p.proposal.sold })}</p>
      ) : null}
      {unchanged ? (
        <p data-plan-unchanged>{t("admin.loy.perks.planUnchanged")}</p>
      ) : (
        <>
          <div className="admin-muted">
            {t("admin.loy.perks.planVersion", { version: plan.version })}
          </div>
          <ul className="admin-list">
            {plan.changes.map((c) => (
              <li key={c.text} data-plan-change>
                {c.text}
              </li>
            ))}
          </ul>
          <div className="admin-muted">
            {t("admin.loy.perks.calls", { from: plan.estimate.from || "—" })}
          </div>
          <ol className="admin-list">
            {plan.estimate.actions.map((a) => (
              <li key={a.key} data-plan-action={a.key} data-gas={a.gas ?? ""}>
                <code>{a.key}</code> ·{" "}
                {a.gas !== null
                  ? t("admin.loy.perks.gas", { gas: count(lang, Number(a.gas)) })
                  : t("admin.loy.perks.wouldFail", { error: a.error ?? "?" })}
              </li>
            ))}
          </ol>
          <div data-plan-cost>
            {t("admin.loy.perks.cost", { cost: `${plan.estimate.cost} ETH` })}
          </div>
          {plan.estimate.adminKeyHere ? null : (
            <p className="admin-error" data-plan-no-key>
              {t("admin.loy.perks.noKey")}
            </p>
          )}
        </>
      )}
      <div className="admin-row">
        {unchanged || !plan.estimate.adminKeyHere ? null : (
          <button
            type="button"
            className={retire ? "admin-button admin-danger" : "admin-button"}
            data-action={retire ? "confirm" : "perk-apply"}
            disabled={p.busy}
            onClick={p.onApply}
          >
            {retire ? t("admin.loy.perks.applyRetire") : t("admin.loy.perks.apply")}
          </button>
        )}
        <button type="button" className="admin-link" data-action="cancel" onClick={p.onCancel}>
          {t("admin.loy.cancel")}
        </button>
      </div>
    </div>
  );
}

function NewPerkForm(p: {
  slug: string;
  rules: Rules | null;
  taken: string[];
  busy: boolean;
  onCheck: (body: NewPerk) => void;
}) {
  const { t, lang } = useConsole();
  const symbols = (p.rules?.tokens ?? []).map((x) => x.symbol);
  const [id, setId] = R.useState("");
  const [titleEn, setTitleEn] = R.useState("");
  const [titleRu, setTitleRu] = R.useState("");
  const [token, setToken] = R.useState("");
  const [price, setPrice] = R.useState("");
  const [stock, setStock] = R.useState("");
  const [expires, setExpires] = R.useState("");
  const [couponDays, setCouponDays] = R.useState("");
  const [requirement, setRequirement] = R.useState("");
  const chosenToken = token || symbols[0] || "";
  const idOk = PERK_ID.test(id) && !p.taken.includes(id);
  const priceOk = AMOUNT.test(price.trim());
  const stockOk = stock.trim() === "" || /^\d{1,10}$/.test(stock.trim());
  const daysOk = couponDays.trim() === "" || /^\d{1,4}$/.test(couponDays.trim());
  const ok =
    idOk &&
    titleEn.trim() !== "" &&
    titleRu.trim() !== "" &&
    chosenToken !== "" &&
    priceOk &&
    stockOk &&
    daysOk;
  const tiers = (p.rules?.tiers ?? []).flatMap((x) =>
    typeof x.id === "string"
      ? [{ id: x.id, name: x.name as Record<string, string> | undefined }]
      : [],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const body: NewPerk = {
      id,
      title: { en: titleEn.trim(), ru: titleRu.trim() },
      token: chosenToken,
      price: price.trim(),
      stock: stock.trim() === "" ? null : Number(stock.trim()),
    };
    const end = fromLocalInput(expires);
    if (end) body.expiresAt = end;
    if (couponDays.trim() !== "") body.couponDays = Number(couponDays.trim());
    const [kind, value] = requirement.split(":");
    if (kind === "tier" && value) body.requires = { tier: value };
    if (kind === "badge" && value) body.requires = { badge: Number(value) };
    p.onCheck(body);
  };
  return (
    <details className="admin-form-box">
      <summary data-action="perk-new">{t("admin.loy.perks.new")}</summary>
      <form className="admin-form" onSubmit={submit} data-form="perk-new">
        <label>
          {t("admin.loy.perks.id")}
          <input
            className="admin-input"
            value={id}
            maxLength={48}
            required
            aria-invalid={id !== "" && !idOk}
            data-input="perk-id"
            onChange={(e) => setId(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.titleEn")}
          <input
            className="admin-input"
            value={titleEn}
            maxLength={100}
            required
            data-input="perk-title-en"
            onChange={(e) => setTitleEn(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.titleRu")}
          <input
            className="admin-input"
            value={titleRu}
            maxLength={100}
            required
            data-input="perk-title-ru"
            onChange={(e) => setTitleRu(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.token")}
          <select
            className="admin-input"
            value={chosenToken}
            data-input="perk-token"
            onChange={(e) => setToken(e.target.value)}
          >
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("admin.loy.perks.priceTokens")}
          <input
            className="admin-input"
            inputMode="decimal"
            value={price}
            maxLength={64}
            required
            aria-invalid={price !== "" && !priceOk}
            data-input="perk-price"
            onChange={(e) => setPrice(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.stock")}
          <input
            className="admin-input"
            inputMode="numeric"
            value={stock}
            aria-invalid={!stockOk}
            data-input="perk-stock"
            onChange={(e) => setStock(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.expiresAt")}
          <input
            className="admin-input"
            type="datetime-local"
            value={expires}
            data-input="perk-expires"
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.coupon")}
          <input
            className="admin-input"
            inputMode="numeric"
            value={couponDays}
            aria-invalid={!daysOk}
            data-input="perk-coupon-days"
            onChange={(e) => setCouponDays(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.perks.requirement")}
          <select
            className="admin-input"
            value={requirement}
            data-input="perk-requirement"
            onChange={(e) => setRequirement(e.target.value)}
          >
            <option value="">{t("admin.loy.perks.requiresNone")}</option>
            {tiers.map((x) => (
              <option key={`tier:${x.id}`} value={`tier:${x.id}`}>
                {t("admin.loy.perks.requiresTier", { tier: x.name?.[lang] ?? x.id })}
              </option>
            ))}
            {(p.rules?.badges ?? []).map((b) => (
              <option key={`badge:${b.id}`} value={`badge:${b.id}`}>
                {t("admin.loy.perks.requiresBadge", { badge: b.id })} {b.name[lang]}
              </option>
            ))}
          </select>
        </label>
        <div>
          <button
            type="submit"
            className="admin-button"
            data-action="perk-check"
            disabled={p.busy || !ok}
          >
            {t("admin.loy.perks.check")}
          </button>
        </div>
      </form>
    </details>
  );
}

/** Price, stock and end of sale of one perk; only what changed is sent. */
function EditPerkForm(p: {
  perk: Perk;
  busy: boolean;
  onCheck: (body: PerkChange) => void;
  onCancel: () => void;
}) {
  const { t } = useConsole();
  const d = p.perk.definition;
  const [price, setPrice] = R.useState(d.price);
  const [stock, setStock] = R.useState(d.stock === null ? "" : String(d.stock));
  const [expires, setExpires] = R.useState(toLocalInput(d.expiresAt));
  const priceOk = AMOUNT.test(price.trim());
  const stockOk = stock.trim() === "" || /^\d{1,10}$/.test(stock.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!priceOk || !stockOk) return;
    const body: PerkChange = {};
    if (price.trim() !== d.price) body.price = price.trim();
    const nextStock = stock.trim() === "" ? null : Number(stock.trim());
    if (nextStock !== d.stock) body.stock = nextStock;
    if (expires !== toLocalInput(d.expiresAt)) body.expiresAt = fromLocalInput(expires);
    p.onCheck(body);
  };
  return (
    <form className="admin-form" onSubmit={submit} data-form="perk-edit">
      <label>
        {t("admin.loy.perks.priceTokens")}
        <input
          className="admin-input"
          inputMode="decimal"
          value={price}
          maxLength={64}
          aria-invalid={!priceOk}
          data-input="edit-price"
          onChange={(e) => setPrice(e.target.value)}
        />
      </label>
      <label>
        {t("admin.loy.perks.stock")}
        <input
          className="admin-input"
          inputMode="numeric"
          value={stock}
          aria-invalid={!stockOk}
          data-input="edit-stock"
          onChange={(e) => setStock(e.target.value)}
        />
        <span className="admin-muted">{t("admin.loy.perks.stockHint")}</span>
      </label>
      <label>
        {t("admin.loy.perks.expiresAt")}
        <input
          className="admin-input"
          type="datetime-local"
          value={expires}
          data-input="edit-expires"
          onChange={(e) => setExpires(e.target.value)}
        />
      </label>
      <div className="admin-row">
        <button
          type="submit"
          className="admin-button"
          data-action="perk-edit-check"
          disabled={p.busy || !priceOk || !stockOk}
        >
          {t("admin.loy.perks.check")}
        </button>
        <button
          type="button"
          className="admin-link"
          data-action="perk-edit-cancel"
          onClick={p.onCancel}
        >
          {t("admin.loy.cancel")}
        </button>
      </div>
    </form>
  );
}

/** A CSV of coupon codes for one perk's pool: what was added and skipped, or the bad lines. */
function CouponUpload(p: { slug: string; perk: string }) {
  const { api, t } = useConsole();
  const failure = useFailure();
  const [file, setFile] = R.useState<File | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [result, setResult] = R.useState<Imported | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [lines, setLines] = R.useState<Array<{ line: number; message: string }>>([]);
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setResult(null);
    setError(null);
    setLines([]);
    if (file.size > CSV_MAX) {
      setError(t("admin.loy.coupons.tooBig"));
      return;
    }
    setBusy(true);
    try {
      const csv = await file.text();
      setResult(
        await api.send<Imported>("POST", "/api/admin/coupons/import", {
          campaign: p.slug,
          perk: p.perk,
          csv,
        }),
      );
    } catch (err) {
      setError(failure(err));
      if (err instanceof ApiError) setLines(err.lines ?? []);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="admin-coupons" data-coupons={p.perk}>
      <summary>{t("admin.loy.coupons.title")}</summary>
      <p className="admin-muted">{t("admin.loy.coupons.intro")}</p>
      <form className="admin-row" onSubmit={upload}>
        <input
          type="file"
          aria-label={t("admin.loy.coupons.file", { perk: p.perk })}
          accept=".csv,text/csv,text/plain"
          data-input="coupon-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setResult(null);
            setError(null);
            setLines([]);
          }}
        />
        <button
          type="submit"
          className="admin-button"
          data-action="coupon-upload"
          disabled={busy || file === null}
        >
          {t("admin.loy.coupons.upload")}
        </button>
      </form>
      {result ? (
        <p
          className="admin-result"
          role="status"
          data-coupons-result
          data-added={result.added}
          data-skipped={result.skipped}
        >
          {t("admin.loy.coupons.done", { count: result.added })}
          {result.skipped > 0
            ? ` ${t("admin.loy.coupons.skipped", { count: result.skipped })}`
            : ""}
        </p>
      ) : null}
      {error ? (
        <div className="admin-error" role="alert" data-coupons-refused>
          <p>{error}</p>
          {lines.length > 0 ? (
            <>
              <p>{t("admin.loy.coupons.refused")}</p>
              <ul className="admin-list">
                {lines.map((l) => (
                  <li key={`${l.line}-${l.message}`} data-line={l.line}>
                    {t("admin.loy.coupons.line", { line: l.line, message: l.message })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}

// ---- surveys and votes ---------------------------------------------------------------------

interface QuestionDraft {
  text: string;
  kind: "choice" | "text";
  options: Array<{ text: string; budget: string }>;
}
const blankOption = () => ({ text: "", budget: "" });
const blankQuestion = (): QuestionDraft => ({
  text: "",
  kind: "choice",
  options: [blankOption(), blankOption()],
});

function SurveysPanel(p: { slug: string; canManage: boolean }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const [items, setItems] = R.useState<Survey[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [confirming, setConfirming] = R.useState<number | null>(null);
  const [shown, setShown] = R.useState<{
    id: number;
    data: Results | null;
    error: string | null;
  } | null>(null);
  const latestList = useLatest();
  const latestResults = useLatest();

  const load = R.useCallback(
    () =>
      latestList(
        (signal) =>
          api.get<ApiBody<"listSurveys", 200>>(
            `/api/admin/surveys?campaign=${encodeURIComponent(p.slug)}`,
            signal,
          ),
        setItems,
        (e) => setError(failure(e)),
      ),
    [latestList, api, p.slug, failure],
  );
  R.useEffect(() => {
    void load();
  }, [load]);

  /** One survey's results; only the latest one asked for is shown. */
  const showResults = (id: number) => {
    setShown({ id, data: null, error: null });
    return latestResults(
      (signal) => api.get<Results>(`/api/admin/surveys/${id}/results`, signal),
      (data) => setShown({ id, data, error: null }),
      (e) => setShown({ id, data: null, error: failure(e) }),
    );
  };
  const hideResults = () => {
    void drop(latestResults);
    setShown(null);
  };
  const close = async (s: Survey) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await api.send<ApiBody<"closeSurvey", 200>>("POST", `/api/admin/surveys/${s.id}/close`);
      setConfirming(null);
      setNote(t("admin.loy.surveys.closedDone", { title: s.title }));
      await load();
      if (shown?.id === s.id) void showResults(s.id);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="admin-muted">{t("admin.loy.surveys.intro")}</p>
      {p.canManage ? (
        <NewSurveyForm
          slug={p.slug}
          onCreated={async (s) => {
            setError(null);
            setNote(t("admin.loy.surveys.created", { title: s.title, id: s.id }));
            await load();
          }}
        />
      ) : (
        <ReadOnly />
      )}
      <Messages error={error} note={note} />
      {items === null ? (
        error ? null : (
          <p className="admin-muted">{t("admin.loading")}</p>
        )
      ) : items.length === 0 ? (
        <p className="admin-muted">{t("admin.loy.surveys.none")}</p>
      ) : (
        <ul className="admin-cards admin-loy-list" data-list="surveys">
          {[...items].reverse().map((s) => (
            <li key={s.id} className="admin-card" data-survey={s.id} data-status={s.status}>
              <div className="admin-card-head">
                <strong>{s.title}</strong>
                <span
                  className={`admin-state-tag ${s.status === "open" ? "admin-state-active" : "admin-state-ended"}`}
                >
                  {t(`admin.loy.surveys.state.${s.status}`)}
                </span>
              </div>
              <div className="admin-muted">
                #{s.id} · {t(`admin.loy.surveys.kind.${s.kind}`)} ·{" "}
                {t(`admin.loy.segment.${s.segment}`)} ·{" "}
                {t("admin.loy.surveys.questions", { count: s.questions.length })}
                {s.reward
                  ? ` · ${t("admin.loy.surveys.rewardOf", { amount: tokens(lang, s.reward.amount.tokens), token: s.reward.token })}`
                  : ""}
              </div>
              <dl className="admin-facts">
                <dt>{t("admin.loy.surveys.createdAt")}</dt>
                <dd>{moment(lang, s.createdAt)}</dd>
                {s.closedAt ? (
                  <>
                    <dt>{t("admin.loy.surveys.closedAt")}</dt>
                    <dd>{moment(lang, s.closedAt)}</dd>
                  </>
                ) : s.closesAt ? (
                  <>
                    <dt>{t("admin.loy.surveys.closes")}</dt>
                    <dd>{moment(lang, s.closesAt)}</dd>
                  </>
                ) : null}
              </dl>
              {s.status === "open" && p.canManage ? (
                <p className="admin-muted" data-send-hint>
                  {t("admin.loy.surveys.send", { id: s.id })}
                </p>
              ) : null}
              {confirming === s.id ? (
                <div className="admin-confirm" data-confirm>
                  <p>{t("admin.loy.surveys.confirmClose", { title: s.title })}</p>
                  <div className="admin-row">
                    <button
                      type="button"
                      className="admin-button admin-danger"
                      data-action="confirm"
                      disabled={busy}
                      onClick={() => void close(s)}
                    >
                      {t("admin.loy.surveys.close")}
                    </button>
                    <button
                      type="button"
                      className="admin-link"
                      data-action="cancel"
                      onClick={() => setConfirming(null)}
                    >
                      {t("admin.loy.cancel")}
                    </button>
                  </div>
                </div>
              ) : (
                <div className="admin-row">
                  {shown?.id === s.id ? (
                    <button
                      type="button"
                      className="admin-link"
                      data-action="survey-hide-results"
                      onClick={hideResults}
                    >
                      {t("admin.loy.surveys.hideResults")}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="admin-button"
                      data-action="survey-results"
                      onClick={() => void showResults(s.id)}
                    >
                      {t("admin.loy.surveys.results")}
                    </button>
                  )}
                  {s.status === "open" && p.canManage ? (
                    <button
                      type="button"
                      className="admin-button admin-danger"
                      data-action="survey-close"
                      onClick={() => setConfirming(s.id)}
                    >
                      {t("admin.loy.surveys.close")}
                    </button>
                  ) : null}
                </div>
              )}
              {shown?.id === s.id ? (
                shown.data ? (
                  <SurveyResults results={shown.data} />
                ) : shown.error ? (
                  <p className="admin-error" role="alert">
                    {shown.error}
                  </p>
                ) : (
                  <p className="admin-muted">{t("admin.loading")}</p>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Per question: each option's count overall and per segment (with its respondents). */
function SurveyResults({ results }: { results: Results }) {
  const { t, lang } = useConsole();
  return (
    <div className="admin-results" data-results={results.survey.id}>
      <p data-results-summary>
        {t("admin.loy.results.summary", {
          delivered: count(lang, results.delivered),
          respondents: count(lang, results.respondents),
        })}
      </p>
      {results.questions.map((q, qi) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a survey's questions never change order
        <div key={qi} data-question={qi}>
          <h3>
            {q.text}{" "}
            <span className="admin-muted">
              {t("admin.loy.results.answers", { count: q.answers })}
            </span>
          </h3>
          {q.kind === "choice" ? (
            <section
              className="admin-table-wrap"
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls in its frame, which the keyboard must reach
              tabIndex={0}
              aria-label={q.text}
            >
              <table className="admin-table admin-results-table">
                <thead>
                  <tr>
                    <th scope="col">{t("admin.loy.results.option")}</th>
                    {SEGMENTS.map((seg) => (
                      <th key={seg} scope="col" data-seg-head={seg}>
                        {t("admin.loy.results.segmentHead", {
                          segment: t(`admin.loy.segment.${seg}`),
                          count: count(lang, results.segments[seg]?.respondents ?? 0),
                        })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {q.options.map((o, oi) => {
                    const share = q.answers > 0 ? o.count / q.answers : 0;
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: nor do their options
                      <tr key={oi} data-option={`${qi}-${oi}`}>
                        <th scope="row">
                          {o.text}
                          {o.budget ? (
                            <div className="admin-muted">
                              {t("admin.loy.results.budget", { budget: tokens(lang, o.budget) })}
                            </div>
                          ) : null}
                        </th>
                        {SEGMENTS.map((seg) => {
                          const n = results.segments[seg]?.counts[qi]?.[oi] ?? 0;
                          return (
                            <td key={seg} data-seg={seg} data-count={n}>
                              {count(lang, n)}
                              {seg === "all" ? (
                                <>
                                  {" "}
                                  <span className="admin-muted">{percent(lang, share, 0)}</span>
                                  <span className="admin-loy-meter" aria-hidden="true">
                                    <span style={{ width: `${Math.round(share * 100)}%` }} />
                                  </span>
                                </>
                              ) : null}
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          ) : q.texts.length === 0 ? (
            <p className="admin-muted">{t("admin.loy.results.noTexts")}</p>
          ) : (
            <>
              <div className="admin-muted">{t("admin.loy.results.texts")}</div>
              <ul className="admin-list" data-texts={qi}>
                {q.texts.map((text, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the same answer may come twice
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function NewSurveyForm(p: { slug: string; onCreated: (s: Survey) => Promise<void> }) {
  const { api, t } = useConsole();
  const failure = useFailure();
  const rules = useRules(p.slug);
  const [kind, setKind] = R.useState<NewSurvey["kind"]>("survey");
  const [title, setTitle] = R.useState("");
  const [segment, setSegment] = R.useState<Segment>("all");
  const [questions, setQuestions] = R.useState<QuestionDraft[]>([blankQuestion()]);
  const [rewardToken, setRewardToken] = R.useState("");
  const [rewardAmount, setRewardAmount] = R.useState("");
  const [closesAt, setClosesAt] = R.useState("");
  const [busy, setBusy] = R.useState(false);
  const [error, setError] = R.useState<string | null>(null);
  const vote = kind === "vote";

  const edit = (qi: number, change: (q: QuestionDraft) => QuestionDraft) =>
    setQuestions((qs) => qs.map((q, i) => (i === qi ? change(q) : q)));
  const chooseKind = (next: NewSurvey["kind"]) => {
    setKind(next);
    // A vote is one question with options.
    if (next === "vote")
      setQuestions((qs) => {
        const q = qs[0] ?? blankQuestion();
        const options = q.options.length >= 2 ? q.options : [blankOption(), blankOption()];
        return [{ ...q, kind: "choice", options }];
      });
  };
  const questionOk = (q: QuestionDraft) =>
    q.text.trim() !== "" &&
    (q.kind === "text" ||
      (q.options.length >= 2 &&
        q.options.every(
          (o) => o.text.trim() !== "" && (o.budget.trim() === "" || AMOUNT.test(o.budget.trim())),
        )));
  const rewardOk = rewardToken === "" || AMOUNT.test(rewardAmount.trim());
  const ok = title.trim() !== "" && questions.length > 0 && questions.every(questionOk) && rewardOk;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const body: NewSurvey = {
      campaign: p.slug,
      kind,
      title: title.trim(),
      segment,
      questions: questions.map((q) =>
        q.kind === "text"
          ? { text: q.text.trim(), kind: "text" }
          : {
              text: q.text.trim(),
              kind: "choice",
              options: q.options.map((o) =>
                vote && o.budget.trim() !== ""
                  ? { text: o.text.trim(), budget: o.budget.trim() }
                  : { text: o.text.trim() },
              ),
            },
      ),
    };
    if (rewardToken !== "") body.reward = { token: rewardToken, amount: rewardAmount.trim() };
    const closes = fromLocalInput(closesAt);
    if (closes) body.closesAt = closes;
    setBusy(true);
    setError(null);
    try {
      const created = await api.send<ApiBody<"createSurvey", 201>>(
        "POST",
        "/api/admin/surveys",
        body,
      );
      setTitle("");
      setQuestions([blankQuestion()]);
      setRewardToken("");
      setRewardAmount("");
      setClosesAt("");
      await p.onCreated(created);
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="admin-form-box">
      <summary data-action="survey-new">{t("admin.loy.surveys.new")}</summary>
      <form className="admin-form" onSubmit={submit} data-form="survey">
        <label>
          {t("admin.loy.surveys.kind")}
          <select
            className="admin-input"
            value={kind}
            data-input="survey-kind"
            onChange={(e) => chooseKind(e.target.value as NewSurvey["kind"])}
          >
            <option value="survey">{t("admin.loy.surveys.kind.survey")}</option>
            <option value="vote">{t("admin.loy.surveys.kind.vote")}</option>
          </select>
        </label>
        <label>
          {t("admin.loy.surveys.title")}
          <input
            className="admin-input"
            value={title}
            maxLength={300}
            required
            data-input="survey-title"
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <label>
          {t("admin.loy.surveys.segment")}
          <select
            className="admin-input"
            value={segment}
            data-input="survey-segment"
            onChange={(e) => setSegment(e.target.value as Segment)}
          >
            {SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {t(`admin.loy.segment.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {questions.map((q, qi) => (
          <fieldset
            // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place
            key={qi}
            className="admin-question"
            data-question-draft={qi}
          >
            <legend>{t("admin.loy.surveys.question", { n: qi + 1 })}</legend>
            <input
              className="admin-input"
              aria-label={t("admin.loy.surveys.question", { n: qi + 1 })}
              value={q.text}
              maxLength={300}
              data-input={`q-${qi}-text`}
              onChange={(e) => edit(qi, (x) => ({ ...x, text: e.target.value }))}
            />
            {vote ? null : (
              <label>
                {t("admin.loy.surveys.questionKind")}
                <select
                  className="admin-input"
                  value={q.kind}
                  data-input={`q-${qi}-kind`}
                  onChange={(e) =>
                    edit(qi, (x) => ({ ...x, kind: e.target.value as QuestionDraft["kind"] }))
                  }
                >
                  <option value="choice">{t("admin.loy.surveys.choice")}</option>
                  <option value="text">{t("admin.loy.surveys.text")}</option>
                </select>
              </label>
            )}
            {q.kind === "choice"
              ? q.options.map((o, oi) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place
                  <div key={oi} className="admin-row admin-option">
                    <input
                      className="admin-input"
                      aria-label={t("admin.loy.surveys.option", { n: oi + 1 })}
                      placeholder={t("admin.loy.surveys.option", { n: oi + 1 })}
                      value={o.text}
                      maxLength={100}
                      data-input={`q-${qi}-opt-${oi}`}
                      onChange={(e) =>
                        edit(qi, (x) => ({
                          ...x,
                          options: x.options.map((y, j) =>
                            j === oi ? { ...y, text: e.target.value } : y,
                          ),
                        }))
                      }
                    />
                    {vote ? (
                      <input
                        className="admin-input admin-loy-narrow"
                        inputMode="decimal"
                        aria-label={t("admin.loy.surveys.budget")}
                        placeholder={t("admin.loy.surveys.budget")}
                        value={o.budget}
                        aria-invalid={o.budget.trim() !== "" && !AMOUNT.test(o.budget.trim())}
                        data-input={`q-${qi}-budget-${oi}`}
                        onChange={(e) =>
                          edit(qi, (x) => ({
                            ...x,
                            options: x.options.map((y, j) =>
                              j === oi ? { ...y, budget: e.target.value } : y,
                            ),
                          }))
                        }
                      />
                    ) : null}
                    {q.options.length > 2 ? (
                      <button
                        type="button"
                        className="admin-link"
                        aria-label={t("admin.loy.surveys.removeOption", { n: oi + 1 })}
                        onClick={() =>
                          edit(qi, (x) => ({ ...x, options: x.options.filter((_, j) => j !== oi) }))
                        }
                      >
                        ×
                      </button>
                    ) : null}
                  </div>
                ))
              : null}
            <div className="admin-row">
              {q.kind === "choice" && q.options.length < 20 ? (
                <button
                  type="button"
                  className="admin-link"
                  data-action={`add-option-${qi}`}
                  onClick={() =>
                    edit(qi, (x) => ({ ...x, options: [...x.options, blankOption()] }))
                  }
                >
                  {t("admin.loy.surveys.addOption")}
                </button>
              ) : null}
              {questions.length > 1 ? (
                <button
                  type="button"
                  className="admin-link"
                  onClick={() => setQuestions((qs) => qs.filter((_, i) => i !== qi))}
                >
                  {t("admin.loy.surveys.removeQuestion", { n: qi + 1 })}
                </button>
              ) : null}
            </div>
          </fieldset>
        ))}
        {vote || questions.length >= 20 ? null : (
          <div>
            <button
              type="button"
              className="admin-link"
              data-action="add-question"
              onClick={() => setQuestions((qs) => [...qs, blankQuestion()])}
            >
              {t("admin.loy.surveys.addQuestion")}
            </button>
          </div>
        )}
        <fieldset className="admin-question">
          <legend>{t("admin.loy.surveys.reward")}</legend>
          <div className="admin-row">
            <select
              className="admin-input"
              aria-label={t("admin.loy.perks.token")}
              value={rewardToken}
              data-input="reward-token"
              onChange={(e) => setRewardToken(e.target.value)}
            >
              <option value="">{t("admin.loy.surveys.noReward")}</option>
              {(rules?.tokens ?? []).map((x) => (
                <option key={x.symbol} value={x.symbol}>
                  {x.symbol}
                </option>
              ))}
            </select>
            {rewardToken !== "" ? (
              <input
                className="admin-input admin-loy-narrow"
                inputMode="decimal"
                aria-label={t("admin.loy.surveys.rewardAmount")}
                placeholder={t("admin.loy.surveys.rewardAmount")}
                value={rewardAmount}
                aria-invalid={!rewardOk}
                data-input="reward-amount"
                onChange={(e) => setRewardAmount(e.target.value)}
              />
            ) : null}
          </div>
        </fieldset>
        <label>
          {t("admin.loy.surveys.closesAt")}
          <input
            className="admin-input"
            type="datetime-local"
            value={closesAt}
            data-input="survey-closes"
            onChange={(e) => setClosesAt(e.target.value)}
          />
        </label>
        <div>
          <button
            type="submit"
            className="admin-button"
            data-action="survey-create"
            disabled={busy || !ok}
          >
            {t("admin.loy.surveys.create")}
          </button>
        </div>
        {error ? (
          <p className="admin-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </details>
  );
}

// ---- challenges ----------------------------------------------------------------------------

function ChallengesPanel({ slug }: { slug: string }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const [data, setData] = R.useState<Challenges | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) =>
          api.get<Challenges>(
            `/api/admin/campaigns/${encodeURIComponent(slug)}/challenges`,
            signal,
          ),
        (d) => {
          setData(d);
          setError(null);
        },
        (e) => setError(failure(e)),
      ),
    [latest, api, slug, failure],
  );
  R.useEffect(() => {
    void load();
  }, [load]);
  const how = (c: Challenges["items"][number]) => {
    if (c.kind === "join_chat" && c.target)
      return t("admin.loy.ch.kind.join_chat_days", { count: c.target });
    if (c.kind === "invite") return t("admin.loy.ch.kind.invite", { count: c.target ?? 1 });
    if (c.kind === "checkin" && c.target)
      return t("admin.loy.ch.kind.checkin_streak", { count: c.target });
    if (c.kind === "partner_event")
      return t("admin.loy.ch.kind.partner_event", { event: c.partnerEvent ?? "" });
    return t(`admin.loy.ch.kind.${c.kind}`);
  };
  return (
    <>
      <p className="admin-muted">{t("admin.loy.ch.intro")}</p>
      <div className="admin-row">
        <button
          type="button"
          className="admin-link"
          data-action="challenges-refresh"
          onClick={() => void load()}
        >
          {t("admin.loy.refresh")}
        </button>
      </div>
      <Messages error={error} note={null} />
      {data === null ? (
        error ? null : (
          <p className="admin-muted">{t("admin.loading")}</p>
        )
      ) : data.items.length === 0 ? (
        <p className="admin-muted">{t("admin.loy.ch.none")}</p>
      ) : (
        <section
          className="admin-table-wrap"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls in its frame, which the keyboard must reach
          tabIndex={0}
          aria-label={t("admin.loy.tab.challenges")}
        >
          <table className="admin-table admin-results-table" data-list="challenges">
            <thead>
              <tr>
                <th scope="col">{t("admin.loy.ch.challenge")}</th>
                <th scope="col">{t("admin.loy.ch.reward")}</th>
                <th scope="col">{t("admin.loy.ch.completions")}</th>
                <th scope="col">{t("admin.loy.ch.revoked")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id} data-challenge={c.id}>
                  <th scope="row">
                    {c.title[lang] || c.title.en}
                    <div className="admin-muted">
                      <code>{c.id}</code> · {how(c)}
                      {c.repeat === "day" ? ` · ${t("admin.loy.ch.daily")}` : ""}
                    </div>
                  </th>
                  <td>
                    {tokens(lang, c.reward.tokens)} {c.token}
                  </td>
                  <td data-field="completions" data-count={c.completions}>
                    {c.repeat === "day"
                      ? t("admin.loy.ch.checkins", { count: c.completions })
                      : count(lang, c.completions)}
                  </td>
                  <td data-field="revoked" data-count={c.revoked}>
                    {count(lang, c.revoked)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
