/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Experiments: a campaign's A/B variants with their KPIs, each against control with the
 * statistics the API computed (server/domain/analytics/queries.ts, stats.ts): the difference in
 * conversion with its confidence interval and p-value (two-proportion z-test, Bonferroni over
 * the treatment arms), the Beta-Binomial probability to beat control, and the sample still
 * needed for the minimum effect chosen here. A winner is shown only with those numbers, and
 * "promote" (a new rules version, `campaign.edit`) is offered only for it.
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import { count, percent, points, pValue } from "./format.ts";
import type { ExperimentsData, Promoted } from "./models.ts";
import { CampaignPicker, CsvLink, Table } from "./Overview.tsx";
import { R, useLatest } from "./react.ts";
import "./analytics.css";

export function ExperimentsScreen() {
  const { campaigns, t } = useConsole();
  const readable = campaigns.items.filter((c) => c.actions.includes("analytics.read"));
  const [slug, setSlug] = R.useState(readable[0]?.slug ?? "");
  if (readable.length === 0) return <p>{t("admin.analytics.none")}</p>;
  return (
    <div className="admin-analytics">
      <div className="admin-filters">
        <CampaignPicker slugs={readable.map((c) => c.slug)} slug={slug} onChange={setSlug} />
      </div>
      <CampaignExperiments key={slug} slug={slug} />
    </div>
  );
}

function CampaignExperiments({ slug }: { slug: string }) {
  const { api, t, problem, lang, campaigns } = useConsole();
  const [mdePoints, setMdePoints] = R.useState("2");
  const [data, setData] = R.useState<ExperimentsData | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [confirming, setConfirming] = R.useState(false);
  const [busy, setBusy] = R.useState(false);
  const [promoted, setPromoted] = R.useState<Promoted | null>(null);
  const canPromote = campaigns.items
    .find((c) => c.slug === slug)
    ?.actions.includes("campaign.edit");

  // The first load answered after a recompute (or one recompute after the next) is dropped.
  const latest = useLatest();
  const load = R.useCallback(
    (mde: string) => {
      const share = Number(mde) / 100;
      const q = Number.isFinite(share) && share > 0 && share < 1 ? `?mde=${share}` : "";
      return latest(
        (signal) =>
          api.get<ExperimentsData>(
            `/api/admin/campaigns/${encodeURIComponent(slug)}/analytics/experiments${q}`,
            signal,
          ),
        (d) => {
          setData(d);
          setError(null);
        },
        (e) => setError(problem(e)),
      );
    },
    [api, slug, problem, latest],
  );
  // Loads once per campaign; the form recomputes.
  R.useEffect(() => {
    void load(mdePoints);
  }, [load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load(mdePoints);
  };

  const promote = async () => {
    if (!data?.winner) return;
    setBusy(true);
    try {
      const r = await api.send<Promoted>(
        "POST",
        `/api/admin/campaigns/${encodeURIComponent(slug)}/analytics/experiments/promote`,
        { variant: data.winner, mde: data.mde },
      );
      setPromoted(r);
      setConfirming(false);
      setError(null);
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  if (data === null)
    return error ? (
      <p className="admin-error" role="alert">
        {error}
      </p>
    ) : (
      <p className="admin-state">{t("admin.loading")}</p>
    );

  const control = data.arms.find((a) => a.verdict === "control");
  const treatments = data.arms.length - 1;
  const confidence = percent(lang, data.confidence);
  const mde = count(lang, data.mde * 100, 1);
  const winner = data.arms.find((a) => a.variant === data.winner);
  return (
    <>
      <p className="admin-muted">{t("admin.experiments.intro")}</p>
      <form className="admin-filters" onSubmit={submit}>
        <label className="admin-field">
          <span>{t("admin.experiments.mde")}</span>
          <input
            className="admin-input admin-narrow"
            type="number"
            min="0.1"
            max="50"
            step="0.1"
            value={mdePoints}
            data-input="mde"
            onChange={(e) => setMdePoints(e.target.value)}
          />
        </label>
        <button type="submit" className="admin-button" data-action="recompute">
          {t("admin.experiments.apply")}
        </button>
      </form>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {data.arms.length === 0 ? (
        <p data-experiments="none">{t("admin.experiments.noVariants")}</p>
      ) : (
        <>
          <section className="admin-card" data-section="method">
            <strong>{t("admin.experiments.method")}</strong>
            <p data-method="">{data.method}</p>
            <p className="admin-muted" data-alpha="">
              {t("admin.experiments.alpha", {
                alpha: count(lang, data.alpha, 2),
                perComparison: count(lang, data.alphaPerComparison, 4),
                k: Math.max(1, treatments),
                power: count(lang, data.power, 2),
              })}
            </p>
          </section>
          <section data-section="arms">
            <div className="admin-section-head">
              <h2>{t("admin.experiments.arms")}</h2>
              <CsvLink slug={slug} table="variants" label={t("admin.experiments.arms")} />
            </div>
            <Table
              name="arms"
              head={[
                t("admin.experiments.variant"),
                t("admin.experiments.members"),
                t("admin.experiments.qualified"),
                t("admin.experiments.conversion"),
                t("admin.experiments.difference"),
                t("admin.experiments.ci", { confidence }),
                t("admin.experiments.pValue"),
                t("admin.experiments.beat"),
                t("admin.experiments.sample", { mde }),
                t("admin.experiments.verdict"),
              ]}
              rows={data.arms.map((a) => {
                const c = a.comparison;
                return [
                  <span key="v" data-arm={a.variant}>
                    <strong>{a.variant}</strong>
                  </span>,
                  <span key="m" data-cell="members">
                    {count(lang, a.members)}
                  </span>,
                  <span key="q" data-cell="qualified">
                    {count(lang, a.qualified)}
                  </span>,
                  <span key="c" data-cell="conversion">
                    {percent(lang, a.conversion)}
                  </span>,
                  <span key="d" data-cell="difference">
                    {c ? points(lang, c.difference) : "—"}
                  </span>,
                  <span key="ci" data-cell="ci">
                    {c ? `${points(lang, c.ciLow)} … ${points(lang, c.ciHigh)}` : "—"}
                  </span>,
                  <span key="p" data-cell="p">
                    {c ? pValue(lang, c.pValue) : "—"}
                  </span>,
                  <span key="b" data-cell="beat">
                    {c ? percent(lang, c.probabilityToBeatControl) : "—"}
                  </span>,
                  <span key="s" data-cell="sample">
                    {c?.sampleNeededPerArm != null
                      ? `${count(lang, c.sampleNeededPerArm)} (${t("admin.experiments.remaining")} ${count(lang, c.sampleRemaining ?? 0)})`
                      : "—"}
                  </span>,
                  <span key="verdict" data-verdict={a.verdict}>
                    {t(`admin.experiments.verdict.${a.verdict}`)}
                  </span>,
                ];
              })}
              empty={t("admin.analytics.noData")}
            />
          </section>
          <section data-section="statements">
            <ul className="admin-list">
              {data.arms
                .filter((a) => a.comparison !== null)
                .map((a) => {
                  const c = a.comparison!;
                  return (
                    <li key={a.variant} data-statement={a.variant}>
                      {t("admin.experiments.statement", {
                        variant: a.variant,
                        rate: percent(lang, a.conversion),
                        control: control?.variant ?? "—",
                        controlRate: percent(lang, control?.conversion ?? null),
                        difference: points(lang, c.difference),
                        confidence,
                        low: points(lang, c.ciLow),
                        high: points(lang, c.ciHigh),
                        p: pValue(lang, c.pValue),
                        beat: percent(lang, c.probabilityToBeatControl),
                      })}{" "}
                      {c.sampleNeededPerArm === null
                        ? t("admin.experiments.noSample")
                        : (c.sampleRemaining ?? 0) > 0
                          ? t("admin.experiments.needMore", {
                              mde,
                              needed: count(lang, c.sampleNeededPerArm),
                              count: c.sampleRemaining ?? 0,
                              remaining: count(lang, c.sampleRemaining ?? 0),
                            })
                          : t("admin.experiments.enough", {
                              mde,
                              needed: count(lang, c.sampleNeededPerArm),
                            })}
                    </li>
                  );
                })}
            </ul>
          </section>
          {winner?.comparison ? (
            <section className="admin-card admin-winner" data-winner={winner.variant}>
              <strong>{t("admin.experiments.winner", { variant: winner.variant })}</strong>
              <p>
                {points(lang, winner.comparison.difference)} ·{" "}
                {t("admin.experiments.ci", { confidence })} {points(lang, winner.comparison.ciLow)}{" "}
                … {points(lang, winner.comparison.ciHigh)} · p ={" "}
                {pValue(lang, winner.comparison.pValue)} · {t("admin.experiments.beat")}{" "}
                {percent(lang, winner.comparison.probabilityToBeatControl)}
              </p>
              {promoted ? (
                <div className="admin-result" data-result="promoted" role="status">
                  <p>
                    {t("admin.experiments.promoted", {
                      version: promoted.version,
                      outcome: promoted.outcome,
                    })}
                  </p>
                  <a href={promoted.rulesUrl} data-document={promoted.hash}>
                    {t("admin.experiments.document", { version: promoted.version })}
                  </a>
                </div>
              ) : canPromote ? (
                confirming ? (
                  <div className="admin-bulk" data-confirm="promote">
                    <p>{t("admin.experiments.promoteExplain", { variant: winner.variant })}</p>
                    <div className="admin-row">
                      <button
                        type="button"
                        className="admin-button"
                        data-action="promote-confirm"
                        disabled={busy}
                        onClick={() => void promote()}
                      >
                        {t("admin.experiments.promoteConfirm")}
                      </button>
                      <button
                        type="button"
                        className="admin-link"
                        onClick={() => setConfirming(false)}
                      >
                        {t("admin.experiments.cancel")}
                      </button>
                    </div>
                  </div>
                ) : (
                  <button
                    type="button"
                    className="admin-button"
                    data-action="promote"
                    onClick={() => setConfirming(true)}
                  >
                    {t("admin.experiments.promote", { variant: winner.variant })}
                  </button>
                )
              ) : (
                <p className="admin-muted" data-promote="not-allowed">
                  {t("admin.experiments.cannotPromote")}
                </p>
              )}
            </section>
          ) : (
            <p className="admin-card" data-winner="none">
              {t("admin.experiments.noWinner")}
            </p>
          )}
        </>
      )}
    </>
  );
}
