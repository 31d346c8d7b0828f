/**
 * The analytics API over real HTTP (responses checked against their schemas): who may read
 * (an analyst of alpha reads alpha and gets 403 on beta; a reviewer has no analytics; a member
 * without a role and a caller without auth are turned away), the Overview and the funnel per
 * code after real referrals, the experiments' statistics (checked against values computed here)
 * and their refusal to name a winner without significance, and the streamed CSV export (header,
 * quoting, paging past one page, role check, bad table and range refused).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { foldAll } from "../../../server/domain/analytics/rollups.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { recordClick } from "../../../server/domain/clicks.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;
const ANALYST = 104;
const REVIEWER = 103;
const OUTSIDER = 105;

const campaigns = () => [
  testCampaign({
    slug: "alpha",
    onchainId: 300,
    variants: [
      { id: "control", weight: 1, levelAmounts: {} },
      { id: "bigger", weight: 1, levelAmounts: {} },
    ],
  }),
  testCampaign({ slug: "beta", onchainId: 301 }),
];

test("analytics API: roles, Overview, funnel per code, experiments, CSV export", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const alpha = app.ctx.campaigns.bySlug("alpha")!;
    const [analyst, reviewer] = await app.members(ANALYST, REVIEWER, OUTSIDER);
    for (const [m, role] of [
      [analyst!, "analyst"],
      [reviewer!, "reviewer"],
    ] as const) {
      const res = await app.call("PUT", `/api/admin/campaigns/alpha/roles/${m.id}/${role}`, {
        auth: token,
      });
      assert.equal(res.status, 200, res.text);
    }
    const as = (telegramId: number) => tmaFor(telegramId);

    // Real referrals in alpha: A's link clicked once, three referees, two qualify.
    const [a, x, y, z] = await app.members(1, 2, 3, 4);
    await recordClick(app.ctx, { code: a!.code, clientHash: "c1", userAgent: "Mozilla/5.0" });
    for (const m of [x!, y!, z!])
      await attribute(app.ctx, {
        refereeId: m.id,
        code: a!.code,
        source: "start",
        campaign: "alpha",
      });
    for (const m of [x!, y!]) await qualify(app.ctx, m.id, { type: "wallet_linked" });

    // Who may read.
    const overview = (auth: string | undefined, slug = "alpha", q = "") =>
      app.call("GET", `/api/admin/campaigns/${slug}/analytics/overview${q}`, { auth });
    const mine = await overview(as(ANALYST));
    assert.equal(mine.status, 200, mine.text);
    const other = await overview(as(ANALYST), "beta");
    assert.equal(other.status, 403, other.text);
    assert.equal(other.body.code, "forbidden");
    assert.equal((await overview(as(REVIEWER))).status, 403);
    assert.equal((await overview(as(OUTSIDER))).status, 403);
    assert.equal((await overview(undefined)).status, 401);
    assert.equal((await overview(token, "beta")).status, 200, "the operator reads every campaign");
    assert.equal((await overview(token, "gamma")).status, 404);
    const badRange = await overview(as(ANALYST), "alpha", "?from=2026-02-01&to=2026-01-01");
    assert.equal(badRange.status, 400);
    assert.equal(badRange.body.code, "validation_failed");
    assert.equal((await overview(as(ANALYST), "alpha", "?from=2026-02-30")).status, 400);

    // The Overview of the referrals above (read right after the writes: the read folds).
    const o = mine.body;
    assert.deepEqual(
      [o.funnel.clicks, o.funnel.starts, o.funnel.attributed, o.funnel.qualified, o.funnel.reviews],
      [1, 3, 3, 2, 0],
    );
    assert.equal(o.members, 4);
    assert.equal(o.referrers, 1);
    assert.equal(o.conversion.attributedToQualified, 2 / 3);
    assert.equal(o.kFactor.value, (3 / 4) * (2 / 3));
    assert.deepEqual(o.topReferrers, [
      { memberId: a!.id, username: null, invited: 3, qualified: 2 },
    ]);
    const ref = o.tokens.find((tk: { token: string }) => tk.token === "REF");
    assert.equal(ref.earned.wei, ref.granted.wei, "everything granted was earned in the range");
    assert.ok(BigInt(ref.earned.wei) > 0n);
    assert.equal(o.series.at(-1).attributed, 3);
    assert.equal(o.timeToQualify.count, 2);
    assert.ok(o.engagementScore >= 0 && o.engagementScore <= 100);

    // Funnel per code.
    const funnel = await app.call("GET", "/api/admin/campaigns/alpha/analytics/funnel?by=code", {
      auth: as(ANALYST),
    });
    assert.equal(funnel.status, 200, funnel.text);
    assert.deepEqual(funnel.body.items, [
      {
        code: a!.code,
        memberId: a!.id,
        clicks: 1,
        starts: 3,
        attributed: 3,
        qualified: 2,
        paid: 0,
      },
    ]);

    // Experiments: the arms' counts set in the rollup (what the fold would keep) to known sizes.
    await foldAll(app.ctx.db);
    await app.ctx.db.execute(
      sql`delete from analytics_variant_daily where campaign_id = ${alpha.id}`,
    );
    const arms = async (control: [number, number], bigger: [number, number]) => {
      await app.ctx.db.execute(
        sql`delete from analytics_variant_daily where campaign_id = ${alpha.id}`,
      );
      await app.ctx.db.execute(sql`insert into analytics_variant_daily (campaign_id, variant, day, attributed, qualified)
        values (${alpha.id}, 'control', '2026-01-05', ${control[0]}, ${control[1]}),
               (${alpha.id}, 'bigger', '2026-01-05', ${bigger[0]}, ${bigger[1]})`);
    };
    const experiments = (q = "") =>
      app.call("GET", `/api/admin/campaigns/alpha/analytics/experiments${q}`, {
        auth: as(ANALYST),
      });

    await arms([2000, 200], [2000, 260]);
    const sig = await experiments("?mde=0.02");
    assert.equal(sig.status, 200, sig.text);
    assert.equal(sig.body.control, "control");
    const bigger = sig.body.arms.find((arm: { variant: string }) => arm.variant === "bigger");
    // By hand: pooled 0.115, SE √(0.115·0.885·0.001) = 0.0100884, z = 0.03 / SE = 2.97372.
    const se = Math.sqrt(0.115 * 0.885 * (2 / 2000));
    assert.ok(Math.abs(bigger.comparison.z - 0.03 / se) < 1e-9);
    assert.ok(
      Math.abs(bigger.comparison.pValue - 0.002943) < 2e-5,
      `p ${bigger.comparison.pValue}`,
    );
    assert.ok(bigger.comparison.probabilityToBeatControl > 0.99);
    assert.equal(bigger.verdict, "better");
    assert.equal(sig.body.winner, "bigger");
    assert.ok(bigger.comparison.sampleNeededPerArm > 2000);

    await arms([2000, 200], [2000, 215]);
    const flat = await experiments();
    assert.equal(flat.body.winner, null, "never a winner without significance");
    assert.equal(flat.body.arms[1].verdict, "not_significant");
    assert.ok(flat.body.arms[1].comparison.ciLow < 0 && flat.body.arms[1].comparison.ciHigh > 0);
    assert.ok(flat.body.arms[1].comparison.sampleRemaining > 0);

    await arms([10, 1], [10, 9]);
    const small = await experiments();
    assert.equal(small.body.arms[1].verdict, "insufficient_data");
    assert.equal(small.body.winner, null);
    assert.equal((await experiments("?mde=2")).status, 400);
    const beta = await app.call("GET", "/api/admin/campaigns/beta/analytics/experiments", {
      auth: as(ANALYST),
    });
    assert.equal(beta.status, 403);

    // CSV: a day table, and one longer than a page (keyset paging), streamed.
    const csv = (table: string, auth = as(ANALYST), slug = "alpha", q = "") =>
      app.call("GET", `/api/admin/campaigns/${slug}/analytics/${table}.csv${q}`, { auth });
    const daily = await csv("daily");
    assert.equal(daily.status, 200, daily.text);
    assert.match(daily.headers.get("content-type") ?? "", /^text\/csv/);
    const lines = daily.text.trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "day,clicks,starts,attributed,reviews,qualified,paid,qualify_seconds,gas_wei",
    );
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(
      lines.some((l) => l.startsWith(`${today},1,3,3,0,2,0,`)),
      daily.text,
    );

    await app.ctx.db.execute(sql`insert into analytics_members (campaign_id, member_id, invited, qualified)
      select ${alpha.id}, 1000000 + g, g % 7, g % 3 from generate_series(1, 12000) g`);
    const members = await csv("members");
    assert.equal(members.status, 200);
    const rows = members.text.trimEnd().split("\r\n");
    assert.equal(rows[0], "member_id,joined_on,invited,qualified,d1,d7,d30");
    assert.equal(rows.length, 1 + 4 + 12000);
    const ids = rows.slice(1).map((r) => Number(r.split(",")[0]));
    assert.deepEqual(
      ids,
      [...ids].sort((p, q) => p - q),
      "ordered by member",
    );
    assert.equal(new Set(ids).size, ids.length, "no row twice across pages");

    const codes = await csv("codes", token);
    assert.equal(codes.text.trimEnd().split("\r\n")[1]?.split(",")[0], a!.code);
    assert.equal((await csv("daily", as(ANALYST), "beta")).status, 403);
    assert.equal((await csv("daily", as(REVIEWER))).status, 403);
    assert.equal((await csv("secrets")).status, 400);
  });
});
