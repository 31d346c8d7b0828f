/**
 * `npm run bench:leaderboard`: reading a leaderboard at 1,000,000 members, on PostgreSQL and
 * PGlite. Target: p95 <= 50 ms on PostgreSQL for both the top 100 and a member's own rank.
 *
 * One campaign's boards are seeded with set-based SQL (generate_series, no per-row round trips):
 * BENCH_MEMBERS members, each with an all-time score on both boards (referrals: a long tail,
 * most members 1-3, a few in the thousands; activity: multiples of 2.5 points, a longer tail),
 * 40 % of them with a score this week, 1 % hidden (banned or in review), 10 % showing their
 * name; the buckets are counted from the rows, as the domain keeps them. Then, through the same
 * domain functions the API and the bot call (server/domain/leaderboards.ts):
 *
 * - `top100`: the top 100 of a board (random board and period each time) with the members'
 *   names or pseudonyms;
 * - `own_rank`: a random member's own standing (rank, score, ties, total) on a random board;
 * - `add_score`: what a qualification adds to its transaction (the score rows and buckets of
 *   one member, committed), for scale.
 *
 * Each is timed `BENCH_SAMPLES` times after a warm-up; the plans of both reads (EXPLAIN ANALYZE,
 * BUFFERS) are recorded: the pages a read touches do not grow with the members.
 * Writes bench/results/leaderboard.json with the machine and the load average (the machine may
 * be shared: what else ran).
 *
 * Knobs: BENCH_MEMBERS (1000000), BENCH_PGLITE_MEMBERS (BENCH_MEMBERS), BENCH_SAMPLES (500),
 * BENCH_DATABASES (`postgres,pglite`), BENCH_DATABASE_URL / TEST_DATABASE_URL.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type SQL, sql } from "drizzle-orm";
import { type DatabaseHandle, openDatabase, queryRows } from "../server/db/index.ts";
import {
  addScore,
  type BoardQuery,
  boardStanding,
  boardTop,
  isoWeek,
  LEADERBOARD_BOARDS,
  LEADERBOARD_PERIODS,
  pseudonymKey,
  standingQuery,
  topQuery,
} from "../server/domain/leaderboards.ts";
import { syncDefinitions } from "../server/domain/registry.ts";
import { testCampaign } from "../test/support/campaign.ts";
import { machine } from "./machine.ts";
import { createBenchDatabase } from "./pipelineResults.ts";
import { loadAverage, percentile } from "./stats.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const PGLITE_MEMBERS = Number(process.env.BENCH_PGLITE_MEMBERS ?? MEMBERS);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const DATABASES = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",");
const KEY = pseudonymKey("bench-leaderboard-secret-0123456789");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Seeds `members` members with scores on every board of `campaignId`; returns what it took. */
async function seed(db: DatabaseHandle, campaignId: number, members: number, now: Date) {
  const week = isoWeek(now).key;
  const started = performance.now();
  const step = async (name: string, query: SQL) => {
    const t = performance.now();
    await db.db.execute(query);
    console.log(`  ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await step(
    "members",
    sql`insert into members (telegram_id, first_name, first_seen_at, last_seen_at)
        select 5000000000 + g, 'Member ' || g, ${now}, ${now} from generate_series(1, ${members}) g`,
  );
  // Every member on both all-time boards; 40 % on this week's; 1 % hidden.
  const scores = (board: string, period: string, score: SQL, share: number) =>
    step(
      `scores ${board}/${period}`,
      sql`insert into leaderboard_scores (campaign_id, board, period, member_id, score, reached_at, hidden)
          select ${campaignId}, ${board}, ${period}, m.id, ${score},
            ${now}::timestamptz - random() * interval '90 days', m.id % 100 = 7
          from members m where m.id % 100 < ${share}`,
    );
  await scores("referrals", "all", sql`least(5000, floor(power(1 - random(), -0.7)))::bigint`, 100);
  await scores(
    "activity",
    "all",
    sql`(least(4000, floor(power(1 - random(), -0.8))) * 250)::bigint`,
    100,
  );
  await scores("referrals", week, sql`least(200, floor(power(1 - random(), -0.5)))::bigint`, 40);
  await scores(
    "activity",
    week,
    sql`(least(400, floor(power(1 - random(), -0.6))) * 250)::bigint`,
    40,
  );
  await step(
    "buckets",
    sql`insert into leaderboard_buckets (campaign_id, board, period, score, members)
        select campaign_id, board, period, score, count(*)::int from leaderboard_scores
        where not hidden and score > 0 group by 1, 2, 3, 4`,
  );
  await step(
    "holds and names",
    sql`with holds as (
          insert into leaderboard_holds (campaign_id, member_id, reviews)
          select ${campaignId}, id, 1 from members where id % 100 = 7)
        insert into leaderboard_settings (member_id, show_name)
        select id, true from members where id % 10 = 3`,
  );
  await step("vacuum analyze", sql`vacuum analyze`);
  const [counts] = await queryRows<{ rows: number; distinct: number }>(
    db.db,
    sql`select (select count(*)::int from leaderboard_scores) as rows,
          (select count(*)::int from leaderboard_buckets) as distinct`,
  );
  return {
    seedSeconds: round((performance.now() - started) / 1000),
    scoreRows: counts?.rows ?? 0,
    distinctScores: counts?.distinct ?? 0,
  };
}

/** p50/p95/p99 of `samples` runs of `run` (after `warmup` untimed ones), in ms. */
async function timed(samples: number, run: (i: number) => Promise<unknown>, warmup = 50) {
  for (let i = 0; i < warmup; i++) await run(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

/** Pages (8 kB buffers) a statement touched, and its time, from EXPLAIN ANALYZE. */
async function plan(db: DatabaseHandle, query: SQL) {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    db.db,
    sql`explain (analyze, buffers, format json) ${query}`,
  );
  const raw = row?.["QUERY PLAN"];
  const [top] = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
    Plan: { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number };
    "Execution Time": number;
  }>;
  const nodes: string[] = [];
  const walk = (p: Record<string, unknown>) => {
    const index = p["Index Name"] ? ` on ${p["Index Name"]}` : "";
    nodes.push(`${p["Node Type"]}${index}`);
    for (const child of (p.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(top!.Plan as unknown as Record<string, unknown>);
  return {
    buffers: (top!.Plan["Shared Hit Blocks"] ?? 0) + (top!.Plan["Shared Read Blocks"] ?? 0),
    executionMs: round(top!["Execution Time"]),
    nodes,
  };
}

async function runOn(kind: "postgres" | "pglite", members: number) {
  const scratch = kind === "postgres" ? await createBenchDatabase() : undefined;
  if (kind === "postgres" && !scratch) return undefined;
  const db = await openDatabase(
    scratch ? { url: scratch.url, poolSize: 4 } : { dataDir: "memory://" },
  );
  try {
    console.log(`${kind}: ${members.toLocaleString("en")} members`);
    await db.migrate();
    const registry = await syncDefinitions(db.db, [testCampaign({ slug: "bench" })]);
    const campaignId = registry.all()[0]!.id;
    const now = new Date();
    const seeded = await seed(db, campaignId, members, now);
    const [range] = await queryRows<{ lo: string; hi: string }>(
      db.db,
      sql`select min(id)::text as lo, max(id)::text as hi from members`,
    );
    const lo = Number(range?.lo ?? 1);
    const span = Number(range?.hi ?? 1) - lo + 1;
    const boards = LEADERBOARD_BOARDS.flatMap((board) =>
      LEADERBOARD_PERIODS.map((period): BoardQuery => ({ campaignId, board, period, now })),
    );
    const pick = (i: number) => boards[Math.abs(i) % boards.length]!;
    const randomMember = () => lo + Math.floor(Math.random() * span);

    const top = await timed(SAMPLES, (i) => boardTop(db.db, { ...pick(i), limit: 100, key: KEY }));
    console.log(`  top 100: p50 ${top.p50} ms, p95 ${top.p95} ms`);
    const own = await timed(SAMPLES, (i) =>
      boardStanding(db.db, { ...pick(i), memberId: randomMember(), key: KEY }),
    );
    console.log(`  own rank: p50 ${own.p50} ms, p95 ${own.p95} ms`);
    const plans = {
      top100: await plan(db, topQuery({ ...boards[0]!, limit: 100 })),
      ownRank: await plan(db, standingQuery({ ...boards[1]!, memberId: lo + span - 1 })),
    };
    const add = await timed(
      Math.min(SAMPLES, 300),
      (i) =>
        db.db.transaction((tx) =>
          addScore(tx, {
            campaignId,
            board: i % 2 === 0 ? "referrals" : "activity",
            memberId: randomMember(),
            delta: i % 2 === 0 ? 1 : 250,
            at: now,
          }),
        ),
      20,
    );
    console.log(`  add score (committed): p50 ${add.p50} ms, p95 ${add.p95} ms`);
    return {
      members,
      ...seeded,
      top100_p50_ms: top.p50,
      top100_p95_ms: top.p95,
      top100_p99_ms: top.p99,
      own_rank_p50_ms: own.p50,
      own_rank_p95_ms: own.p95,
      own_rank_p99_ms: own.p99,
      add_score_p50_ms: add.p50,
      add_score_p95_ms: add.p95,
      plans,
    };
  } finally {
    await db.close();
    await scratch?.drop();
  }
}

const loadAverageAtStart = loadAverage();
const databases: Record<string, unknown> = {};
for (const kind of DATABASES) {
  if (kind !== "postgres" && kind !== "pglite") throw new Error(`unknown database ${kind}`);
  try {
    const result = await runOn(kind, kind === "pglite" ? PGLITE_MEMBERS : MEMBERS);
    if (result) databases[kind] = result;
  } catch (error) {
    console.error(`${kind}: ${(error as Error).message}`);
    databases[kind] = { error: (error as Error).message };
  }
}
const out = {
  date: new Date().toISOString(),
  machine: machine(),
  loadAverageAtStart,
  loadAverageAtEnd: loadAverage(),
  target: "PostgreSQL, 1,000,000 members: top100_p95_ms <= 50 and own_rank_p95_ms <= 50",
  settings: { members: MEMBERS, pgliteMembers: PGLITE_MEMBERS, samples: SAMPLES },
  databases,
};
const file = path.join(ROOT, "bench/results/leaderboard.json");
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
process.exit(0);
