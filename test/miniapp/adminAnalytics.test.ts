/**
 * The admin console's Overview and Experiments (miniapp/src/admin/Overview.tsx,
 * Experiments.tsx) against the real stack: campaign gamma runs an A/B test in three arms
 * (control, generous, lean) with referrals attributed and qualified through the domain (so
 * the rollups fill through their triggers), a payout pipeline from those grants, an indexer
 * that reports through the chain jobs' monitor, and two recorded reconciliations (one with a
 * difference). A super-admin, a manager and an analyst of gamma sign in as the bot's `/admin`
 * link signs them in.
 *
 * - Over HTTP: the analyst may read the figures but not promote (403, nothing written, the
 *   refusal audited); a variant that is not the winner is refused (409); promoting the winner
 *   creates one pending rules version with its amounts for everyone, audited once however
 *   often it is asked.
 * - In Chromium: both screens in English and Russian, light and dark, on a phone (screenshots
 *   under test-artifacts/admin/); the experiment's figures on screen equal the statistics
 *   computed here independently (series expansion of erf, bisection for quantiles, numerical
 *   integration of the Beta posteriors, Fleiss' formula); the Overview's funnel, pipeline, jobs
 *   and reconciliation match the database; the CSV links download the tables; the manager
 *   promotes the winner from the page, which ends in the audit log; the analyst sees the
 *   winner with its numbers and no promote button. The latest request wins: the Overview's
 *   30-day load answered after a switch to 7 days, or a recompute answered after the next
 *   one, leaves the later figures.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import path from "node:path";
import { after, before, test } from "node:test";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { Registry } from "prom-client";
import { count as fmtCount, percent, points, pValue } from "../../miniapp/src/admin/format.ts";
import { chainMetrics, JobMonitor } from "../../server/chain/health.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { queryRows } from "../../server/db/index.ts";
import { campaignVersions } from "../../server/db/schema/versions.ts";
import { auditLog } from "../../server/db/schema.ts";
import { attributeMany } from "../../server/domain/attribution.ts";
import { ensureMembers, type MemberView } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { recordReconciliation } from "../../server/domain/reconciliations.ts";
import { grantRole, systemAdmin } from "../../server/domain/roles.ts";
import { assignVariant } from "../../server/domain/rules.ts";
import { createLogger } from "../../server/logger.ts";
import { testCampaign } from "../support/campaign.ts";
import { ROOT } from "./support/build.ts";
import {
  consoleFixture,
  holdFirstAnswer,
  noOverflow,
  openScreen,
  shot,
} from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const SUPER = 900_000_301;
const MANAGER = 301;
const ANALYST = 302;

/** Per arm: referred members and how many of them qualify. */
const ARMS = {
  control: { members: 60, qualified: 15 },
  generous: { members: 60, qualified: 30 },
  lean: { members: 40, qualified: 8 },
} as const;
type Arm = keyof typeof ARMS;

const gamma = () =>
  testCampaign({
    slug: "gamma",
    onchainId: 501,
    name: { en: "Gamma", ru: "Гамма" },
    variants: [
      { id: "control", weight: 1, levelAmounts: {} },
      { id: "generous", weight: 1, levelAmounts: { "1": "15" } },
      { id: "lean", weight: 1, levelAmounts: { "1": "8" } },
    ],
  });

const fixture = consoleFixture();
const { call, signIn, consoleFor } = fixture;
let db: DatabaseHandle;
let s: Stack;
const people: Record<string, MemberView> = {};

before(async () => {
  await fixture.start({ superAdmins: [SUPER], stack: () => ({ campaigns: [gamma()] }) });
  ({ db, stack: s } = fixture);
  const campaign = s.domain.campaigns.bySlug("gamma")!;
  const admins = await ensureMembers(s.domain, [
    { id: SUPER, firstName: "Root", username: "rootadmin", languageCode: "en" },
    { id: MANAGER, firstName: "Max", username: "max_manager", languageCode: "en" },
    { id: ANALYST, firstName: "Anna", username: "anna_analyst", languageCode: "en" },
  ]);
  [people.root, people.manager, people.analyst] = admins.map((a) => a.member);
  for (const [key, role] of [
    ["manager", "manager"],
    ["analyst", "analyst"],
  ] as const)
    await grantRole(s.domain, systemAdmin(), {
      campaignId: campaign.id,
      memberId: people[key]!.id,
      role,
    });

  // One referrer per arm: members are assigned by a hash of their number, so take the first
  // of a batch that lands in each.
  const candidates = await ensureMembers(
    s.domain,
    Array.from({ length: 30 }, (_, i) => ({
      id: 5_000 + i,
      firstName: `R${i}`,
      languageCode: "en",
    })),
  );
  const referrer = {} as Record<Arm, MemberView>;
  for (const { member } of candidates) {
    const arm = assignVariant(campaign.rules, member.id) as Arm;
    referrer[arm] ??= member;
  }
  for (const arm of Object.keys(ARMS) as Arm[]) assert.ok(referrer[arm], `a referrer in ${arm}`);

  let next = 10_000;
  for (const arm of Object.keys(ARMS) as Arm[]) {
    const { members: n, qualified } = ARMS[arm];
    const referees = (
      await ensureMembers(
        s.domain,
        Array.from({ length: n }, () => ({ id: next++, firstName: "Ref", languageCode: "ru" })),
      )
    ).map((r) => r.member);
    const results = await attributeMany(
      s.domain,
      referees.map((r) => ({
        refereeId: r.id,
        code: referrer[arm].code,
        source: "start" as const,
        campaign: "gamma",
      })),
    );
    for (const r of results) assert.ok(!("error" in r), JSON.stringify(r));
    for (const r of referees.slice(0, qualified))
      await qualify(s.domain, r.id, { type: "wallet_linked" });
  }

  // The indexer reports through its monitor, as the chain process does.
  const monitor = new JobMonitor(
    s.domain.db,
    "indexer",
    "test-indexer",
    createLogger("silent"),
    chainMetrics(new Registry()),
  );
  monitor.setLeader(true);
  monitor.succeeded({ head: 1_203, cursor: 1_200, lag: 3, events: 0 });
  await monitor.publish();

  // Two reconciliations: an older one with a difference, the last one agreeing.
  await recordReconciliation(s.domain.db, {
    blockNumber: 1_100,
    at: new Date(Date.now() - 3_600_000),
    campaigns: [
      {
        campaignId: campaign.id,
        lines: [],
        differences: ["gamma REF: ledger paid 10 wei, contract spent 0 wei (difference -10)"],
      },
    ],
  });
  await recordReconciliation(s.domain.db, {
    blockNumber: 1_200,
    at: new Date(),
    campaigns: [{ campaignId: campaign.id, lines: [], differences: [] }],
  });
});

after(() => fixture.stop());

// ---- the statistics, computed independently ----------------------------------------------

/** erf by its Maclaurin series (|x| < 4 here; double precision to ~1e-13). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
/** The normal quantile by bisection on `phi`. */
function quantile(p: number): number {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
/** ln Γ by Stirling's series after shifting the argument above 10. */
function lnGamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= Math.log(x);
    x += 1;
  }
  return (
    shift +
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    1 / (12 * x) -
    1 / (360 * x ** 3) +
    1 / (1260 * x ** 5)
  );
}
/** P(p_B > p_A), Beta(1 + s, 1 + f) posteriors, by integrating on a fine grid. */
function beatProbability(a: { s: number; n: number }, b: { s: number; n: number }): number {
  const density = (x: number, s: number, n: number) =>
    Math.exp(
      s * Math.log(x) +
        (n - s) * Math.log(1 - x) -
        (lnGamma(s + 1) + lnGamma(n - s + 1) - lnGamma(n + 2)),
    );
  const steps = 40_000;
  const h = 1 / steps;
  let cdfA = 0;
  let total = 0;
  for (let i = 0; i < steps; i++) {
    const x = (i + 0.5) * h;
    const fa = density(x, a.s, a.n) * h;
    // P(A < x) at the middle of the step: all before plus half of this one.
    total += density(x, b.s, b.n) * h * (cdfA + fa / 2);
    cdfA += fa;
  }
  return total;
}

interface Expected {
  conversion: number;
  difference: number;
  ciLow: number;
  ciHigh: number;
  p: number;
  beat: number;
  sample: number;
  verdict: string;
}

function expected(arm: Arm, mde: number): Expected {
  const c = ARMS.control;
  const t = ARMS[arm];
  const p1 = c.qualified / c.members;
  const p2 = t.qualified / t.members;
  const k = Object.keys(ARMS).length - 1;
  const alpha = 0.05 / k;
  const pooled = (c.qualified + t.qualified) / (c.members + t.members);
  const z = (p2 - p1) / Math.sqrt(pooled * (1 - pooled) * (1 / c.members + 1 / t.members));
  const p = 2 * (1 - phi(Math.abs(z)));
  const se = Math.sqrt((p1 * (1 - p1)) / c.members + (p2 * (1 - p2)) / t.members);
  const zc = quantile(1 - alpha / 2);
  const q1 = p1;
  const q2 = p1 + mde;
  const bar = (q1 + q2) / 2;
  const n =
    (quantile(1 - alpha / 2) * Math.sqrt(2 * bar * (1 - bar)) +
      quantile(0.8) * Math.sqrt(q1 * (1 - q1) + q2 * (1 - q2))) **
      2 /
    mde ** 2;
  return {
    conversion: p2,
    difference: p2 - p1,
    ciLow: p2 - p1 - zc * se,
    ciHigh: p2 - p1 + zc * se,
    p,
    beat: beatProbability({ s: c.qualified, n: c.members }, { s: t.qualified, n: t.members }),
    sample: Math.ceil(n),
    verdict: p < alpha ? (p2 > p1 ? "better" : "worse") : "not_significant",
  };
}

/** A number as shown in `lang`'s notation (grouping, decimal sign) back to a number. */
function shown(lang: "en" | "ru", text: string): number {
  const ungrouped = lang === "en" ? text.replaceAll(",", "") : text.replace(",", ".");
  const clean = ungrouped
    .replace(/[\s\u00a0\u202f%]/g, "")
    .replace("−", "-")
    .replace(/^\+/, "");
  const value = Number(clean);
  assert.ok(Number.isFinite(value), `a number: ${text}`);
  return value;
}
/** The shown number is `value` rounded to `unit` (half a unit either way, and a hair). */
function near(lang: "en" | "ru", text: string, value: number, unit: number, what: string) {
  const got = shown(lang, text);
  assert.ok(Math.abs(got - value) <= unit / 2 + 1e-9, `${what}: shown ${text}, computed ${value}`);
}

// ---- HTTP ----------------------------------------------------------------------------------

const versions = async () => {
  const id = s.domain.campaigns.bySlug("gamma")!.id;
  return db.db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, id))
    .orderBy(asc(campaignVersions.version));
};
const audits = (action: string) =>
  db.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));

const PROMOTE = "/api/admin/campaigns/gamma/analytics/experiments/promote";

test("the API: the analyst reads but may not promote; only the winner is promotable", async () => {
  const anna = await signIn(people.analyst!);
  const experiments = await call("GET", "/api/admin/campaigns/gamma/analytics/experiments", anna);
  assert.equal(experiments.status, 200, JSON.stringify(experiments.body));
  assert.equal(experiments.body.winner, "generous");
  assert.deepEqual(
    experiments.body.arms.map((a: { variant: string; members: number; qualified: number }) => [
      a.variant,
      a.members,
      a.qualified,
    ]),
    (Object.keys(ARMS) as Arm[]).map((arm) => [arm, ARMS[arm].members, ARMS[arm].qualified]),
  );
  const ops = await call("GET", "/api/admin/campaigns/gamma/analytics/operations", anna);
  assert.equal(ops.status, 200, JSON.stringify(ops.body));
  assert.equal(ops.body.jobs.find((j: { job: string }) => j.job === "indexer").lagBlocks, 3);

  const before = await versions();
  const deniedBefore = (await audits("access.denied")).length;
  const refused = await call("POST", PROMOTE, anna, { variant: "generous" });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, "forbidden");
  assert.deepEqual(await versions(), before, "nothing written");
  const denied = await audits("access.denied");
  assert.equal(denied.length, deniedBefore + 1);
  assert.equal(denied.at(-1)!.actor, `member:${people.analyst!.id}`);
  assert.equal((denied.at(-1)!.details as { attempted: string }).attempted, "campaign.edit");

  // The manager may promote, but only the winner.
  const max = await signIn(people.manager!);
  const lean = await call("POST", PROMOTE, max, { variant: "lean" });
  assert.equal(lean.status, 409);
  assert.equal(lean.body.code, "experiment_no_winner");
  assert.equal((await call("POST", PROMOTE, max, { variant: "" })).status, 400);
  assert.deepEqual(await versions(), before, "nothing written");
  assert.equal((await audits("experiment.promoted")).length, 0);
});

// ---- the browser -----------------------------------------------------------------------------

const cell = (page: Page, arm: string, name: string) =>
  page.locator(`tr:has([data-arm="${arm}"]) [data-cell="${name}"]`).textContent();

/** The experiment's figures on screen against the independent computation. */
async function checkExperiment(page: Page, lang: "en" | "ru", mde: number): Promise<void> {
  await page.locator('[data-table="arms"]').waitFor();
  for (const arm of Object.keys(ARMS) as Arm[]) {
    const a = ARMS[arm];
    assert.equal(shown(lang, (await cell(page, arm, "members")) ?? ""), a.members);
    assert.equal(shown(lang, (await cell(page, arm, "qualified")) ?? ""), a.qualified);
    near(
      lang,
      (await cell(page, arm, "conversion")) ?? "",
      (100 * a.qualified) / a.members,
      0.1,
      arm,
    );
    const verdict = await page
      .locator(`tr:has([data-arm="${arm}"]) [data-verdict]`)
      .getAttribute("data-verdict");
    if (arm === "control") {
      assert.equal(verdict, "control");
      continue;
    }
    const e = expected(arm, mde);
    near(
      lang,
      (await cell(page, arm, "difference")) ?? "",
      100 * e.difference,
      0.1,
      `${arm} difference`,
    );
    const [low, high] = ((await cell(page, arm, "ci")) ?? "").split("…");
    near(lang, low ?? "", 100 * e.ciLow, 0.1, `${arm} CI low`);
    near(lang, high ?? "", 100 * e.ciHigh, 0.1, `${arm} CI high`);
    near(lang, (await cell(page, arm, "p")) ?? "", e.p, 0.0001, `${arm} p-value`);
    near(lang, (await cell(page, arm, "beat")) ?? "", 100 * e.beat, 0.1, `${arm} P(beat)`);
    const sample = (await cell(page, arm, "sample")) ?? "";
    const needed = shown(lang, sample.split("(")[0] ?? "");
    assert.ok(
      Math.abs(needed - e.sample) <= 1,
      `${arm} sample: shown ${sample}, computed ${e.sample}`,
    );
    assert.equal(verdict, e.verdict, `${arm} verdict`);
    // The sentence names the method's figures in the page's language.
    const statement = (await page.locator(`[data-statement="${arm}"]`).textContent()) ?? "";
    assert.ok(statement.includes(pValue(lang, e.p)) || e.p < 0.0001, statement);
    assert.ok(statement.includes(percent(lang, e.conversion)), statement);
  }
  // The winner is the arm that is significantly better, shown with its numbers.
  const winner = page.locator('[data-winner="generous"]');
  await winner.waitFor();
  const text = (await winner.textContent()) ?? "";
  const g = expected("generous", mde);
  assert.ok(text.includes(points(lang, g.difference)), text);
  assert.ok(text.includes(pValue(lang, g.p)), text);
  assert.match((await page.locator("[data-method]").textContent()) ?? "", /z-test/);
  assert.match(
    (await page.locator("[data-alpha]").textContent()) ?? "",
    new RegExp(fmtCount(lang, 0.025, 4).replace(".", "\\.")),
  );
}

test("Overview and Experiments in English and Russian, light and dark; the figures are the database's and the statistics' own", async () => {
  const campaign = s.domain.campaigns.bySlug("gamma")!;
  const outbox = await queryRows<{ status: string; n: string }>(
    db.db,
    sql`select status, count(*)::text as n from payout_outbox where campaign_id = ${campaign.id} group by status`,
  );
  const queued = Number(outbox.find((r) => r.status === "queued")?.n ?? 0);
  const attributed = Object.values(ARMS).reduce((sum, a) => sum + a.members, 0);
  const qualified = Object.values(ARMS).reduce((sum, a) => sum + a.qualified, 0);
  for (const lang of ["en", "ru"] as const)
    for (const theme of ["light", "dark"] as const) {
      const { context, page, errors } = await consoleFor(people.root!, lang, theme);
      try {
        // The Overview is the first screen.
        await page.locator('main[data-screen="overview"] [data-section="funnel"]').waitFor();
        assert.equal(
          await page.locator('[data-funnel="attributed"] strong').getAttribute("data-value"),
          String(attributed),
        );
        assert.equal(
          await page.locator('[data-funnel="qualified"] strong').getAttribute("data-value"),
          String(qualified),
        );
        const pipeline = page.locator('[data-status="pipeline"]');
        assert.ok(queued > 0, "the grants wait in the outbox");
        assert.equal(await pipeline.getAttribute("data-queued"), String(queued));
        assert.ok(
          ((await pipeline.textContent()) ?? "").includes(fmtCount(lang, queued)),
          `pipeline shows ${queued} queued`,
        );
        assert.equal(
          await page.locator('[data-job="indexer"]').getAttribute("data-job-status"),
          "ok",
        );
        assert.equal(
          await page.locator('[data-job="worker"]').getAttribute("data-job-status"),
          "down",
        );
        await page.locator('[data-recon="ok"]').waitFor();
        assert.match(
          (await page.locator('[data-recon="last-difference"]').textContent()) ?? "",
          /ledger paid 10 wei/,
        );
        await page.locator('[data-chart="funnel"][data-ready="yes"] canvas').first().waitFor();
        await page.locator('[data-chart="earned"][data-ready="yes"] canvas').first().waitFor();
        await page.locator('[data-token="REF"]').waitFor();
        await noOverflow(page, `overview (${lang}, ${theme})`);
        await shot(page, `admin-analytics-overview-${theme}-${lang}`);

        await openScreen(page, "experiments");
        await checkExperiment(page, lang, 0.02);
        // Another minimum effect: the sample needed follows.
        const sampleAt2 = await cell(page, "generous", "sample");
        await page.locator('[data-input="mde"]').fill("5");
        await page.locator('[data-action="recompute"]').click();
        await page.waitForFunction(
          (previous) =>
            document.querySelector('tr:has([data-arm="generous"]) [data-cell="sample"]')
              ?.textContent !== previous,
          sampleAt2,
        );
        await checkExperiment(page, lang, 0.05);
        await noOverflow(page, `experiments (${lang}, ${theme})`);
        await shot(page, `admin-analytics-experiments-${theme}-${lang}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
});

test("the README's pictures: the Overview and the Experiments of a campaign with an A/B test", async () => {
  const { context, page } = await consoleFor(people.root!, "en", "light");
  try {
    await page.setViewportSize({ width: 1100, height: 900 });
    const docs = path.join(ROOT, "docs", "screenshots");
    await page.locator('[data-chart="funnel"][data-ready="yes"] canvas').first().waitFor();
    await page.locator('[data-recon="ok"]').waitFor();
    await page.screenshot({ path: path.join(docs, "admin-overview.png") });
    await openScreen(page, "experiments");
    await page.locator('[data-winner="generous"]').waitFor();
    await page.screenshot({ path: path.join(docs, "admin-experiments.png") });
  } finally {
    await context.close();
  }
});

test("the latest request wins: a period switch or a recompute keeps its figures when the request it replaced is answered later", async () => {
  const { context, page, errors } = await consoleFor(people.root!, "en", "light");
  try {
    await page.locator('main[data-screen="overview"] [data-section="funnel"]').waitFor();
    // The Overview opened again: its 30-day load is answered only after a switch to 7 days.
    await openScreen(page, "experiments");
    const thirty = await holdFirstAnswer(page, (u) => u.pathname.endsWith("/analytics/overview"));
    await openScreen(page, "overview");
    const from30 = new URL((await thirty.asked).url()).searchParams.get("from");
    assert.ok(from30);
    await page.locator('[data-input="analytics-range"]').selectOption("7");
    const daily = page.locator('[data-csv="daily"]');
    await daily.waitFor();
    const seven = await daily.getAttribute("href");
    assert.ok(seven && !seven.includes(`from=${from30}&`), `${seven} is the 7-day table`);
    await thirty.release();
    assert.equal(await daily.getAttribute("href"), seven);
    assert.equal(await page.locator('[data-input="analytics-range"]').inputValue(), "7");

    // Experiments: a recompute for 5 points answered after the one for 3 points that followed it.
    await openScreen(page, "experiments");
    await page.locator('[data-table="arms"]').waitFor();
    const sampleAt2 = await cell(page, "generous", "sample");
    const five = await holdFirstAnswer(page, (u) => u.searchParams.get("mde") === "0.05");
    await page.locator('[data-input="mde"]').fill("5");
    await page.locator('[data-action="recompute"]').click();
    await five.asked;
    await page.locator('[data-input="mde"]').fill("3");
    await page.locator('[data-action="recompute"]').click();
    await page.waitForFunction(
      (previous) =>
        document.querySelector('tr:has([data-arm="generous"]) [data-cell="sample"]')
          ?.textContent !== previous,
      sampleAt2,
    );
    await five.release();
    await checkExperiment(page, "en", 0.03);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the CSV links download the tables the screens show", async () => {
  const { context, page } = await consoleFor(people.analyst!, "en", "light");
  try {
    await openScreen(page, "experiments");
    const href = await page.locator('[data-csv="variants"]').getAttribute("href");
    assert.ok(href);
    const res = await page.request.get(`${s.url}${href}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()["content-type"] ?? "", /text\/csv/);
    const lines = (await res.text()).trim().split(/\r\n/);
    assert.equal(lines[0], "variant,day,attributed,reviews,qualified,paid");
    const sums = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [variant, , a] = line.split(",");
      sums.set(variant!, (sums.get(variant!) ?? 0) + Number(a));
    }
    for (const arm of Object.keys(ARMS) as Arm[]) assert.equal(sums.get(arm), ARMS[arm].members);
    await openScreen(page, "overview");
    await page.locator('[data-csv="daily"]').waitFor();
    for (const table of ["daily", "tokens", "cohorts", "members", "codes", "time_to_qualify"]) {
      const link = await page.locator(`[data-csv="${table}"]`).getAttribute("href");
      const r = await page.request.get(`${s.url}${link}`);
      assert.equal(r.status(), 200, `${table}.csv`);
    }
  } finally {
    await context.close();
  }
});

test("the analyst sees the winner with its numbers but no promote button; the manager promotes it, audited once", async () => {
  const anna = await consoleFor(people.analyst!, "en", "dark");
  try {
    await openScreen(anna.page, "experiments");
    await anna.page.locator('[data-winner="generous"]').waitFor();
    await anna.page.locator('[data-promote="not-allowed"]').waitFor();
    assert.equal(await anna.page.locator('[data-action="promote"]').count(), 0);
    await shot(anna.page, "admin-analytics-experiments-analyst-en");
  } finally {
    await anna.context.close();
  }

  const before = await versions();
  let documentUrl: string | null = null;
  const max = await consoleFor(people.manager!, "ru", "light");
  try {
    await openScreen(max.page, "experiments");
    await max.page.locator('[data-action="promote"]').click();
    await max.page.locator('[data-confirm="promote"]').waitFor();
    await max.page.locator('[data-action="promote-confirm"]').click();
    await max.page.locator('[data-result="promoted"]').waitFor();
    assert.match(
      (await max.page.locator('[data-result="promoted"]').textContent()) ?? "",
      /Версия 2/,
    );
    documentUrl = await max.page.locator("[data-document]").getAttribute("href");
    await shot(max.page, "admin-analytics-promoted-ru");
    assert.deepEqual(max.errors, []);
  } finally {
    await max.context.close();
  }

  const after = await versions();
  assert.equal(after.length, before.length + 1);
  const created = after.at(-1)!;
  assert.equal(created.version, 2);
  assert.equal(created.status, "pending");
  assert.equal(created.createdBy, `member:${people.manager!.id}`);
  const doc = JSON.parse(created.document) as {
    variants: unknown[];
    levels: Array<{ level: number; amount?: string; percent?: number }>;
  };
  assert.deepEqual(doc.variants, []);
  assert.deepEqual(
    doc.levels.map((l) => [l.level, l.amount ?? `${l.percent}%`]),
    [
      [1, "15"],
      [2, "20%"],
      [3, "1"],
    ],
  );
  // The page links the new version's rules document, the file the operator publishes.
  assert.ok(documentUrl);
  const served = await fetch(documentUrl);
  assert.equal(served.status, 200);
  const text = await served.text();
  assert.equal(text, created.document);
  assert.equal(`0x${createHash("sha256").update(text).digest("hex")}`, created.hash);
  const [promoted] = await audits("experiment.promoted");
  assert.ok(promoted);
  assert.equal(promoted.actor, `member:${people.manager!.id}`);
  assert.equal(promoted.campaignId, s.domain.campaigns.bySlug("gamma")!.id);
  const details = promoted.details as { variant: string; pValue: number; difference: number };
  assert.equal(details.variant, "generous");
  const g = expected("generous", 0.02);
  assert.ok(
    Math.abs(details.pValue - g.p) < 1e-6 && Math.abs(details.difference - g.difference) < 1e-12,
  );
  assert.deepEqual((promoted.after as { version: number }).version, 2);
  const versionRows = await db.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "campaign.rules_version"),
        eq(auditLog.actor, `member:${people.manager!.id}`),
      ),
    );
  assert.equal(versionRows.length, 1);

  // Asked again: the same version, nothing more written.
  const again = await call("POST", PROMOTE, await signIn(people.manager!), { variant: "generous" });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.version, 2);
  assert.equal(again.body.outcome, "resumed");
  assert.equal((await versions()).length, after.length);
  assert.equal((await audits("experiment.promoted")).length, 1);

  // The super-admin finds it in the console's audit log.
  const root = await consoleFor(people.root!, "en", "light");
  try {
    await openScreen(root.page, "audit");
    await root.page.locator('[data-input="action"]').fill("experiment.promoted");
    await root.page.locator('[data-action="filter"]').click();
    await root.page.waitForFunction(
      () =>
        document.querySelectorAll("[data-audit]").length > 0 &&
        [...document.querySelectorAll("[data-audit]")].every(
          (r) => r.getAttribute("data-audit") === "experiment.promoted",
        ),
    );
    assert.match(
      (await root.page.locator('[data-audit="experiment.promoted"]').first().textContent()) ?? "",
      /generous/,
    );
  } finally {
    await root.context.close();
  }
});
