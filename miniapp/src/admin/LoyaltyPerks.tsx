/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The Loyalty screen's Perks tab: the perks of the rules in effect with their state on-chain;
 * create, change and retire one through a dry run and an explicit second step (each is a new
 * rules version, in effect when the indexer sees its block); a perk's coupon codes as a CSV.
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import { ApiError } from "./api.ts";
import { Field, Messages } from "./CampaignTabs.tsx";
import { count, moment, tokens } from "./format.ts";
import {
  AMOUNT,
  CSV_MAX,
  drop,
  fromLocalInput,
  type Imported,
  type NewPerk,
  PENDING_POLL_MS,
  PERK_ID,
  type Perk,
  type PerkChange,
  type PerkList,
  type PerkResult,
  ReadOnly,
  type Rules,
  toLocalInput,
  useFailure,
  useRules,
} from "./loyaltyKit.tsx";
import { R, useLatest, usePoll } from "./react.ts";

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

export function PerksPanel(p: { slug: string; canEdit: boolean }) {
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
        <Field
          label={t("admin.loy.perks.id")}
          value={id}
          onValue={setId}
          input="perk-id"
          invalid={id !== "" && !idOk}
          required
          maxLength={48}
        />
        <Field
          label={t("admin.loy.perks.titleEn")}
          value={titleEn}
          onValue={setTitleEn}
          input="perk-title-en"
          required
          maxLength={100}
        />
        <Field
          label={t("admin.loy.perks.titleRu")}
          value={titleRu}
          onValue={setTitleRu}
          input="perk-title-ru"
          required
          maxLength={100}
        />
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
        <Field
          label={t("admin.loy.perks.priceTokens")}
          value={price}
          onValue={setPrice}
          input="perk-price"
          invalid={price !== "" && !priceOk}
          required
          maxLength={64}
          inputMode="decimal"
        />
        <Field
          label={t("admin.loy.perks.stock")}
          value={stock}
          onValue={setStock}
          input="perk-stock"
          invalid={!stockOk}
          inputMode="numeric"
        />
        <Field
          label={t("admin.loy.perks.expiresAt")}
          value={expires}
          onValue={setExpires}
          input="perk-expires"
          type="datetime-local"
        />
        <Field
          label={t("admin.loy.perks.coupon")}
          value={couponDays}
          onValue={setCouponDays}
          input="perk-coupon-days"
          invalid={!daysOk}
          inputMode="numeric"
        />
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
      <Field
        label={t("admin.loy.perks.priceTokens")}
        value={price}
        onValue={setPrice}
        input="edit-price"
        invalid={!priceOk}
        maxLength={64}
        inputMode="decimal"
      />
      <Field
        label={t("admin.loy.perks.stock")}
        value={stock}
        onValue={setStock}
        input="edit-stock"
        invalid={!stockOk}
        inputMode="numeric"
        hint={t("admin.loy.perks.stockHint")}
      />
      <Field
        label={t("admin.loy.perks.expiresAt")}
        value={expires}
        onValue={setExpires}
        input="edit-expires"
        type="datetime-local"
      />
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
