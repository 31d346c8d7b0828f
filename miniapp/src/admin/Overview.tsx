/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The Overview of one campaign: what waits now (review queue, payout pipeline, chain jobs,
 * reconciliation of the ledger against the chain), the KPIs of a period (funnel, K-factor,
 * time to qualify, retention, engagement, review share, gas), tokens and budget with the
 * runway at the current pace, charts over time, and the tables behind them with CSV export.
 * Every figure comes from the analytics API (server/http/routes/analytics.ts; definitions in
 * docs/ANALYTICS.md). Admins without `analytics.read` anywhere see their campaigns' states and
 * the review count only.
 */

import { useConsole } from "./AdminApp.tsx";
import { canSomewhere } from "./api.ts";
import { LineChart } from "./Chart.tsx";
import { count, day, duration, gwei, moment, percent, tokens } from "./format.ts";
import type { CodeRow, Operations, OverviewData } from "./models.ts";
import { R, useLatest } from "./react.ts";
import "./analytics.css";

type Amount = OverviewData["gas"];

const RANGES = [7, 30, 90] as const;

/** A token's decimals from one of its amounts (wei and whole tokens); 18 without one. */
function decimalsOf(a: Amount): number {
  const whole = Number(a.tokens);
  return whole > 0 ? Math.round(Math.log10(Number(a.wei) / whole)) : 18;
}
const DAY_MS = 86_400_000;

/** The UTC days of a range, every one (the API leaves out days without figures). */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A link that downloads one analytics table as CSV (the session cookie goes with it). */
export function CsvLink(p: { slug: string; table: string; label: string; query?: string }) {
  const { t } = useConsole();
  const href = `/api/admin/campaigns/${encodeURIComponent(p.slug)}/analytics/${p.table}.csv${
    p.query ? `?${p.query}` : ""
  }`;
  return (
    <a
      className="admin-csv"
      href={href}
      download={`${p.slug}-${p.table}.csv`}
      data-csv={p.table}
      aria-label={t("admin.analytics.csvOf", { table: p.label })}
    >
      {t("admin.analytics.csv")}
    </a>
  );
}

/** A section heading with its CSV link. */
function Head(p: { title: string; slug: string; table?: string; query?: string }) {
  return (
    <div className="admin-section-head">
      <h2>{p.title}</h2>
      {p.table ? <CsvLink slug={p.slug} table={p.table} label={p.title} query={p.query} /> : null}
    </div>
  );
}

export function OverviewScreen() {
  const { campaigns } = useConsole();
  const readable = campaigns.items.filter((c) => c.actions.includes("analytics.read"));
  if (readable.length === 0) return <StatesOnly />;
  return <CampaignOverview slugs={readable.map((c) => c.slug)} />;
}

/** For admins without figures: their campaigns' states and the review count. */
function StatesOnly() {
  const { t, campaigns, openReviews, go, lang } = useConsole();
  return (
    <>
      {canSomewhere(campaigns, "review.read") ? (
        <p>
          <a
            href="/admin/review"
            data-overview="review"
            onClick={(e) => {
              e.preventDefault();
              go("review");
            }}
          >
            {t("admin.overview.pending", { count: openReviews })}
          </a>
        </p>
      ) : null}
      <p className="admin-muted">{t("admin.overview.noAnalytics")}</p>
      <ul className="admin-cards">
        {campaigns.items.map((c) => (
          <li key={c.slug} className="admin-card" data-campaign={c.slug}>
            <strong>{c.name[lang] ?? c.name.en ?? c.slug}</strong>
            <span className={`admin-state-tag admin-state-${c.state}`}>
              {t(`admin.state.${c.state}`)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The campaign and range pickers shared by the analytics screens. */
export function CampaignPicker(p: {
  slugs: string[];
  slug: string;
  onChange: (slug: string) => void;
}) {
  const { t, campaigns, lang } = useConsole();
  return (
    <label className="admin-field">
      <span>{t("admin.analytics.campaign")}</span>
      <select
        className="admin-input"
        value={p.slug}
        data-input="analytics-campaign"
        onChange={(e) => p.onChange(e.target.value)}
      >
        {p.slugs.map((s) => {
          const c = campaigns.items.find((i) => i.slug === s);
          return (
            <option key={s} value={s}>
              {c ? (c.name[lang] ?? c.name.en ?? s) : s}
            </option>
          );
        })}
      </select>
    </label>
  );
}

function CampaignOverview(p: { slugs: string[] }) {
  const { api, t, problem, lang, go, campaigns } = useConsole();
  const [slug, setSlug] = R.useState(p.slugs[0] ?? "");
  const [days, setDays] = R.useState<(typeof RANGES)[number]>(30);
  const [data, setData] = R.useState<OverviewData | null>(null);
  const [ops, setOps] = R.useState<Operations | null>(null);
  const [codes, setCodes] = R.useState<CodeRow[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);

  // A switch of campaign or period asks again; the answers of the one before are dropped.
  const latest = useLatest();
  R.useEffect(() => {
    setData(null);
    setCodes(null);
    setError(null);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const base = `/api/admin/campaigns/${encodeURIComponent(slug)}/analytics`;
    void latest(
      (signal) =>
        Promise.all([
          api.get<OverviewData>(`${base}/overview?from=${from}&to=${to}`, signal),
          api.get<Operations>(`${base}/operations`, signal),
          api.get<{ items: CodeRow[] }>(
            `${base}/funnel?by=code&from=${from}&to=${to}&limit=10`,
            signal,
          ),
        ]),
      ([o, s, c]) => {
        setData(o);
        setOps(s);
        setCodes(c.items);
      },
      (e) => setError(problem(e)),
    );
  }, [api, slug, days, problem, latest]);

  const canReview = campaigns.items.find((c) => c.slug === slug)?.actions.includes("review.read");
  const range = data ? `from=${data.from}&to=${data.to}` : undefined;
  return (
    <div className="admin-analytics" data-overview-campaign={slug}>
      <div className="admin-filters">
        <CampaignPicker slugs={p.slugs} slug={slug} onChange={setSlug} />
        <label className="admin-field">
          <span>{t("admin.analytics.range")}</span>
          <select
            className="admin-input"
            value={days}
            data-input="analytics-range"
            onChange={(e) => setDays(Number(e.target.value) as (typeof RANGES)[number])}
          >
            {RANGES.map((d) => (
              <option key={d} value={d}>
                {t("admin.analytics.days", { count: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="admin-error" role="alert">
          {error}
        </p>
      ) : null}
      {ops ? (
        <StatusPanel
          ops={ops}
          onReview={canReview ? () => go("review") : undefined}
          lang={lang}
          t={t}
        />
      ) : null}
      {data === null ? (
        error ? null : (
          <p className="admin-state">{t("admin.loading")}</p>
        )
      ) : (
        <>
          {data.lag > 0 ? (
            <p className="admin-muted">{t("admin.analytics.lag", { count: data.lag })}</p>
          ) : null}
          <FunnelPanel data={data} />
          <Kpis data={data} slug={slug} />
          <Charts data={data} />
          <Tokens data={data} slug={slug} />
          <Cohorts data={data} slug={slug} />
          <TopReferrers data={data} slug={slug} />
          <section data-section="codes">
            <Head title={t("admin.overview.codes")} slug={slug} table="codes" query={range} />
            <Table
              head={[
                t("admin.overview.code"),
                t("admin.overview.clicks"),
                t("admin.overview.starts"),
                t("admin.overview.attributed"),
                t("admin.overview.qualified"),
                t("admin.overview.paid"),
              ]}
              rows={(codes ?? []).map((c) => [
                <code key="c">{c.code}</code>,
                count(lang, c.clicks),
                count(lang, c.starts),
                count(lang, c.attributed),
                count(lang, c.qualified),
                count(lang, c.paid),
              ])}
              empty={t("admin.analytics.noData")}
              name="codes"
            />
          </section>
          <section data-section="daily">
            <Head title={t("admin.overview.daily")} slug={slug} table="daily" query={range} />
            <Table
              head={[
                t("admin.overview.day"),
                t("admin.overview.clicks"),
                t("admin.overview.starts"),
                t("admin.overview.attributed"),
                t("admin.overview.reviews"),
                t("admin.overview.qualified"),
                t("admin.overview.paid"),
              ]}
              rows={[...data.series]
                .reverse()
                .map((s) => [
                  day(lang, s.day),
                  count(lang, s.clicks),
                  count(lang, s.starts),
                  count(lang, s.attributed),
                  count(lang, s.reviews),
                  count(lang, s.qualified),
                  count(lang, s.paid),
                ])}
              empty={t("admin.analytics.noData")}
              name="daily"
            />
          </section>
        </>
      )}
    </div>
  );
}

type T = (key: string, params?: Record<string, string | number>) => string;

function StatusPanel(p: { ops: Operations; onReview?: () => void; lang: "en" | "ru"; t: T }) {
  const { ops, t, lang } = p;
  const r = ops.reconciliation;
  const block = (b: number | null) => (b === null ? "—" : count(lang, b));
  return (
    <section className="admin-status" data-section="status">
      <h2>{t("admin.overview.status")}</h2>
      <div className="admin-status-grid">
        <div className="admin-card" data-status="reviews">
          <strong>{t("admin.overview.pending", { count: ops.openReviews })}</strong>
          {p.onReview ? (
            <button
              type="button"
              className="admin-link"
              data-overview="review"
              onClick={p.onReview}
            >
              {t("admin.overview.reviewOpen")}
            </button>
          ) : null}
        </div>
        <div
          className="admin-card"
          data-status="pipeline"
          data-queued={ops.payouts.queued}
          data-held={ops.payouts.held}
        >
          <strong>{t("admin.overview.pipeline")}</strong>
          <div>
            {t("admin.overview.pipelineLine", {
              queued: count(lang, ops.payouts.queued),
              sending: count(lang, ops.payouts.sending),
              sent: count(lang, ops.payouts.sent),
              held: count(lang, ops.payouts.held),
              failed: count(lang, ops.payouts.failed),
            })}
          </div>
          {ops.payouts.oldestWaitingAt ? (
            <div className="admin-muted">
              {t("admin.overview.oldest", { at: moment(lang, ops.payouts.oldestWaitingAt) })}
            </div>
          ) : null}
        </div>
        <div className="admin-card" data-status="jobs">
          <strong>{t("admin.overview.jobs")}</strong>
          <ul className="admin-list">
            {ops.jobs.map((j) => (
              <li key={j.job} data-job={j.job} data-job-status={j.status}>
                <span className={`admin-dot admin-dot-${j.status}`} aria-hidden="true" />
                {t(`admin.overview.job.${j.job}`)}: {t(`admin.overview.jobStatus.${j.status}`)}
                {j.lagBlocks !== null
                  ? ` · ${t("admin.overview.lagBlocks", { count: j.lagBlocks })}`
                  : ""}
                {j.lastSuccessAt
                  ? ` · ${t("admin.overview.lastSuccess", { at: moment(lang, j.lastSuccessAt) })}`
                  : ""}
                {j.lastError ? <div className="admin-muted">{j.lastError}</div> : null}
              </li>
            ))}
          </ul>
        </div>
        <div className="admin-card" data-status="reconciliation">
          <strong>{t("admin.overview.reconciliation")}</strong>
          {r.last === null ? (
            <div data-recon="never">{t("admin.overview.reconNever")}</div>
          ) : r.last.differences.length === 0 ? (
            <div data-recon="ok">
              {t("admin.overview.reconOk", {
                block: block(r.last.blockNumber),
                at: moment(lang, r.last.at),
              })}
            </div>
          ) : (
            <div data-recon="differences">
              {t("admin.overview.reconDiff", {
                count: r.last.differences.length,
                block: block(r.last.blockNumber),
                at: moment(lang, r.last.at),
              })}
              <ul className="admin-list admin-json">
                {r.last.differences.slice(0, 5).map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </div>
          )}
          {r.lastDifference && r.last && r.lastDifference.at !== r.last.at ? (
            <div className="admin-muted" data-recon="last-difference">
              {t("admin.overview.reconLastDiff", {
                at: moment(lang, r.lastDifference.at),
                block: block(r.lastDifference.blockNumber),
              })}{" "}
              <span className="admin-json">{r.lastDifference.differences[0]}</span>
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}

function FunnelPanel({ data }: { data: OverviewData }) {
  const { t, lang } = useConsole();
  const steps: Array<[string, number, number | null]> = [
    ["clicks", data.funnel.clicks, null],
    ["starts", data.funnel.starts, data.conversion.clickToStart],
    ["attributed", data.funnel.attributed, data.conversion.startToAttributed],
    ["qualified", data.funnel.qualified, data.conversion.attributedToQualified],
    ["paid", data.funnel.paid, data.conversion.qualifiedToPaid],
  ];
  return (
    <section data-section="funnel">
      <h2>{t("admin.overview.funnel")}</h2>
      <ol className="admin-funnel">
        {steps.map(([key, n, rate]) => (
          <li key={key} data-funnel={key}>
            <span className="admin-muted">{t(`admin.overview.${key}`)}</span>
            <strong data-value={n}>{count(lang, n)}</strong>
            {rate !== null ? (
              <span className="admin-muted">
                {t("admin.overview.conversionOf", { rate: percent(lang, rate) })}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Kpi(p: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  csv?: import("react").ReactNode;
}) {
  return (
    <div className="admin-kpi" data-kpi={p.name}>
      <span className="admin-muted">{p.label}</span>
      <strong>{p.value}</strong>
      {p.hint ? <span className="admin-muted">{p.hint}</span> : null}
      {p.csv ?? null}
    </div>
  );
}

function Kpis({ data, slug }: { data: OverviewData; slug: string }) {
  const { t, lang } = useConsole();
  const k = data.kFactor;
  return (
    <section data-section="kpis">
      <h2>{t("admin.overview.kpis")}</h2>
      <div className="admin-kpis">
        <Kpi
          name="k-factor"
          label={t("admin.overview.kFactor")}
          value={count(lang, k.value, 2)}
          hint={t("admin.overview.kFactorHint", {
            invites: count(lang, k.invitesPerMember, 2),
            conversion: percent(lang, k.conversion),
          })}
        />
        <Kpi
          name="members"
          label={t("admin.overview.members")}
          value={count(lang, data.members)}
          hint={t("admin.overview.referrers", { count: count(lang, data.referrers) })}
        />
        <Kpi
          name="time-to-qualify"
          label={t("admin.overview.timeToQualify")}
          value={duration(lang, data.timeToQualify.meanSeconds)}
          hint={t("admin.overview.ttqLine", {
            p50: duration(lang, data.timeToQualify.p50Seconds),
            p90: duration(lang, data.timeToQualify.p90Seconds),
          })}
          csv={
            <CsvLink
              slug={slug}
              table="time_to_qualify"
              label={t("admin.overview.timeToQualify")}
              query={`from=${data.from}&to=${data.to}`}
            />
          }
        />
        <Kpi
          name="retention"
          label={t("admin.overview.retention")}
          value={percent(lang, data.retention.d7)}
          hint={t("admin.overview.retentionLine", {
            d1: percent(lang, data.retention.d1),
            d7: percent(lang, data.retention.d7),
            d30: percent(lang, data.retention.d30),
          })}
        />
        <Kpi
          name="engagement"
          label={t("admin.overview.engagement")}
          value={String(data.engagementScore)}
          hint={t("admin.overview.engagementHint")}
        />
        <Kpi
          name="review-share"
          label={t("admin.overview.reviewShare")}
          value={percent(lang, data.reviewShare)}
          hint={`${t("admin.overview.reviews")}: ${count(lang, data.funnel.reviews)}`}
        />
        <Kpi
          name="gas"
          label={t("admin.overview.costGas")}
          value={data.gasPerQualified ? gwei(lang, data.gasPerQualified.wei) : "—"}
        />
      </div>
    </section>
  );
}

function Charts({ data }: { data: OverviewData }) {
  const { t } = useConsole();
  const days = daysOf(data.from, data.to);
  const byDay = new Map(data.series.map((s) => [s.day, s]));
  const keys = ["clicks", "starts", "attributed", "qualified", "paid"] as const;
  const funnel = keys.map((k) => ({
    label: t(`admin.overview.${k}`),
    values: days.map((d) => byDay.get(d)?.[k] ?? 0),
  }));
  const earned = data.tokens.map((x) => {
    const unit = 10 ** decimalsOf(x.budget);
    return {
      label: x.token,
      // Whole tokens for the axis (precision beyond a float's is not what a chart shows).
      values: days.map((d) => Number(BigInt(byDay.get(d)?.earned[x.token] ?? "0")) / unit),
    };
  });
  return (
    <section data-section="charts">
      <h2>{t("admin.overview.chart")}</h2>
      <LineChart
        name="funnel"
        title={t("admin.overview.chartFunnel")}
        loadingText={t("admin.overview.chartLoading")}
        days={days}
        series={funnel}
      />
      {earned.length > 0 ? (
        <LineChart
          name="earned"
          title={t("admin.overview.chartEarned")}
          loadingText={t("admin.overview.chartLoading")}
          days={days}
          series={earned}
        />
      ) : null}
    </section>
  );
}

function Tokens({ data, slug }: { data: OverviewData; slug: string }) {
  const { t, lang } = useConsole();
  return (
    <section data-section="tokens">
      <Head title={t("admin.overview.tokens")} slug={slug} table="tokens" />
      <div className="admin-cards">
        {data.tokens.map((x) => (
          <div key={x.token} className="admin-card" data-token={x.token}>
            <div className="admin-card-head">
              <strong>{x.token}</strong>
              <span className="admin-muted" data-budget={x.token}>
                {t("admin.overview.burned", {
                  share: percent(lang, x.burned),
                  budget: tokens(lang, x.budget.tokens),
                })}
              </span>
            </div>
            <div className="admin-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, (x.burned ?? 0) * 100)}%` }} />
            </div>
            <dl className="admin-facts">
              <dt>{t("admin.overview.runway")}</dt>
              <dd data-runway={x.token}>
                {x.runwayDays === null
                  ? t("admin.overview.runwayNone")
                  : t("admin.overview.runwayDays", {
                      // The plural form follows the number; the text shows it grouped.
                      count: x.runwayDays,
                      days: count(lang, x.runwayDays, x.runwayDays < 10 ? 1 : 0),
                      pace: tokens(lang, x.pacePerDay.tokens),
                    })}
              </dd>
              <dt>{t("admin.overview.earned")}</dt>
              <dd>{tokens(lang, x.earned.tokens)}</dd>
              <dt>{t("admin.overview.paidTokens")}</dt>
              <dd>{tokens(lang, x.paid.tokens)}</dd>
              <dt>{t("admin.overview.claimed")}</dt>
              <dd>{tokens(lang, x.claimed.tokens)}</dd>
              <dt>{t("admin.overview.escrowed")}</dt>
              <dd>{tokens(lang, x.escrowed.tokens)}</dd>
              <dt>{t("admin.overview.expired")}</dt>
              <dd>{tokens(lang, x.expired.tokens)}</dd>
              <dt>{t("admin.overview.redeemed")}</dt>
              <dd>{tokens(lang, x.redeemed.tokens)}</dd>
              <dt>{t("admin.overview.redemptionRate")}</dt>
              <dd>{percent(lang, x.redemptionRate)}</dd>
              <dt>{t("admin.overview.costPerQualified")}</dt>
              <dd>{x.costPerQualified ? tokens(lang, x.costPerQualified.tokens) : "—"}</dd>
            </dl>
          </div>
        ))}
      </div>
    </section>
  );
}

function Cohorts({ data, slug }: { data: OverviewData; slug: string }) {
  const { t, lang } = useConsole();
  const share = (n: number, of: number) => percent(lang, of > 0 ? n / of : null);
  return (
    <section data-section="cohorts">
      <Head title={t("admin.overview.cohorts")} slug={slug} table="cohorts" />
      <Table
        head={[t("admin.overview.week"), t("admin.overview.cohortMembers"), "D1", "D7", "D30"]}
        rows={data.retention.cohorts.map((c) => [
          day(lang, c.week),
          count(lang, c.members),
          share(c.d1, c.members),
          share(c.d7, c.members),
          share(c.d30, c.members),
        ])}
        empty={t("admin.analytics.noData")}
        name="cohorts"
      />
    </section>
  );
}

function TopReferrers({ data, slug }: { data: OverviewData; slug: string }) {
  const { t, lang } = useConsole();
  return (
    <section data-section="top">
      <Head title={t("admin.overview.top")} slug={slug} table="members" />
      <Table
        head={[
          t("admin.overview.member"),
          t("admin.overview.invited"),
          t("admin.overview.qualified"),
        ]}
        rows={data.topReferrers.map((r) => [
          r.username ? `@${r.username} (#${r.memberId})` : `#${r.memberId}`,
          count(lang, r.invited),
          count(lang, r.qualified),
        ])}
        empty={t("admin.analytics.noData")}
        name="top"
      />
    </section>
  );
}

export function Table(p: {
  head: string[];
  rows: Array<Array<import("react").ReactNode>>;
  empty: string;
  name: string;
}) {
  if (p.rows.length === 0) return <p className="admin-muted">{p.empty}</p>;
  return (
    <div className="admin-table-wrap">
      <table className="admin-table admin-grid" data-table={p.name}>
        <thead>
          <tr>
            {p.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a read-only table, in order
            <tr key={i}>
              {row.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns in a fixed order
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
