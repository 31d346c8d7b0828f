/**
 * `npm run bench:analytics`: the admin console's analytics at scale, on PostgreSQL and PGlite.
 * Targets: Overview and Experiments p95 <= 300 ms on PostgreSQL, <= 1.5 s on PGlite.
 *
 * 1. Seed, set-based (generate_series, no per-row round trips), two campaigns over 90 days:
 *    BENCH_MEMBERS members (1,000,000) and BENCH_EVENTS events (5,000,000): link clicks,
 *    starts, attributions (60 % of members are referred; campaign 1 in two A/B variants),
 *    qualifications and reviews, first-level grants (70 % settled), gas of payout sends, and
 *    member activity days (the rest of the events). The analytics triggers are off for the
 *    load (`alter table … disable trigger user`), then the rollups are built from scratch
 *    (`rebuildRollups`, timed).
 * 2. Serve the real HTTP app and time BENCH_SAMPLES requests each of
 *    `GET /api/admin/campaigns/:slug/analytics/overview` (last 30 days, either campaign) and
 *    `…/analytics/experiments` (campaign 1), sequentially, after a warm-up.
 * 3. A burst of BENCH_BURST events (100,000) with the triggers on: new members (activity),
 *    their attributions with starts, clicks, qualifications and grants, written in a few
 *    statements; then the fold catches up (`foldAll`), timed: `rollup_catchup_seconds`. Small
 *    runs (or BENCH_VERIFY=1) also check the rollups against a recomputation afterwards.
 *
 * Writes bench/results/analytics.json with the machine and the load average (the 2 cores are
 * shared). Knobs: BENCH_MEMBERS, BENCH_EVENTS, BENCH_PGLITE_MEMBERS, BENCH_PGLITE_EVENTS,
 * BENCH_BURST, BENCH_SAMPLES (200), BENCH_DATABASES (`postgres,pglite`), BENCH_VERIFY,
 * BENCH_DATABASE_URL / TEST_DATABASE_URL.
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, openDatabase, queryRows } from "../server/db/index.ts";
import {
  compareRollups,
  foldAll,
  pendingDeltas,
  rebuildRollups,
} from "../server/domain/analytics/rollups.ts";
import { syncDefinitions } from "../server/domain/registry.ts";
import { createApp } from "../server/http/app.ts";
import { createLogger } from "../server/logger.ts";
import { TEST_ADMIN_TOKEN, testConfig } from "../test/support/app.ts";
import { testCampaign } from "../test/support/campaign.ts";
import { machine } from "./machine.ts";
import { createBenchDatabase } from "./pipelineResults.ts";
import { loadAverage, percentile } from "./stats.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const PGLITE_MEMBERS = Number(process.env.BENCH_PGLITE_MEMBERS ?? MEMBERS);
const PGLITE_EVENTS = Number(process.env.BENCH_PGLITE_EVENTS ?? EVENTS);
const BURST = Number(process.env.BENCH_BURST ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const DATABASES = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DAYS = 90;
const SOURCE_TABLES = [
  "members",
  "clicks",
  "starts",
  "referrals",
  "ledger_entries",
  "chain_sends",
] as const;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** How the events split (the rest are activity days), for `members` members and `events` events. */
function plan(members: number, events: number) {
  const referred = Math.floor(members * 0.6);
  const qualified = Math.floor(referred * 0.4);
  const clicks = Math.floor(events * 0.3);
  const sends = Math.max(1, Math.floor(qualified / 200));
  // attributions + starts + qualifications + grants + clicks + sends, then activity days.
  const fixed = referred * 2 + qualified * 2 + clicks + sends;
  return { referred, qualified, clicks, sends, activity: Math.max(0, events - fixed) };
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  console.log(`  ${label}: ${seconds(ms)} s`);
  return { value, ms };
}

/** Seeds the two campaigns' data with set-based statements; the analytics triggers are off. */
export async function seed(
  db: DatabaseHandle,
  ids: [number, number],
  members: number,
  events: number,
) {
  const p = plan(members, events);
  const [c1, c2] = ids;
  const x = (q: ReturnType<typeof sql>) => db.db.execute(q);
  for (const t of SOURCE_TABLES) await x(sql.raw(`alter table ${t} disable trigger user`));
  // Members joined over 90 days; one code each.
  await x(sql`insert into members (telegram_id, first_name, first_seen_at, last_seen_at)
    select 5000000000 + g, 'M' || g, now() - (((g * 7919) % ${DAYS * 1440}) || ' minutes')::interval, now()
    from generate_series(1::bigint, ${members}) g`);
  await x(sql`insert into referral_codes (code, member_id, kind)
    select 'b' || id, id, 'random' from members`);
  // Referrals: member g > 1 of the first 60 % is referred by g / 3 (a tree), alternating
  // campaigns; campaign 1's referrers fall in variant control or bigger. Conversion: 40 %
  // (g % 5 < 2) everywhere except in variant bigger, 48 % (g % 50 < 24 over its g, which are
  // 4 mod 6), so the experiment's arms differ by 8 points (before the 3 % sent to review).
  await x(sql`insert into referrals (campaign_id, referrer_id, referee_id, code, source, variant, status,
      attributed_at, review_at, qualified_at)
    select case when g % 2 = 0 then ${c1}::int else ${c2}::int end, g / 3, g, 'b' || (g / 3), 'start',
      case when g % 2 = 0 then case when (g / 3) % 2 = 0 then 'control' else 'bigger' end end,
      case when g % 100 < 3 then 'review' when q then 'qualified' else 'pending' end,
      a, case when g % 100 < 3 then a + interval '1 hour' end,
      case when g % 100 >= 3 and q then a + (((g * 31) % 4320) || ' minutes')::interval end
    from (select g, now() - (((g * 104729) % ${DAYS * 1440}) || ' minutes')::interval as a,
            case when g % 2 = 0 and (g / 3) % 2 = 1 then g % 50 < 24 else g % 5 < 2 end as q
          from generate_series(3::bigint, ${p.referred + 2}) g) s`);
  await x(sql`insert into starts (referrer_id, starter_id, code, source, outcome, created_at, campaign_id)
    select referrer_id, referee_id, code, 'start', 'attributed', attributed_at, campaign_id from referrals`);
  await x(sql`insert into clicks (member_id, code, client_hash, day, created_at, campaign_id)
    select m, 'b' || m, 'h' || g, to_char(at, 'YYYY-MM-DD'), at, case when m % 2 = 0 then ${c1}::int else ${c2}::int end
    from (select g, 1 + (g * 48271) % ${Math.max(1, Math.floor(members / 3))} as m,
            now() - (((g * 7) % ${DAYS * 1440}) || ' minutes')::interval as at
          from generate_series(1::bigint, ${p.clicks}) g) s`);
  await x(sql`insert into ledger_entries (campaign_id, token, member_id, amount, kind, level, referral_id,
      referee_id, idempotency_key, state, created_at, settled_at)
    select campaign_id, 'REF', referrer_id, 10000000000000000000, 'referral', 1, id, referee_id,
      'bench:' || id, case when id % 10 < 7 then 'settled' else 'queued' end, qualified_at,
      case when id % 10 < 7 then qualified_at + interval '20 minutes' end
    from referrals where status = 'qualified'`);
  await x(sql`update campaign_tokens t set granted = least(t.budget, coalesce((select sum(amount) from ledger_entries e
      where e.campaign_id = t.campaign_id and e.token = t.symbol), 0))`);
  await x(sql`insert into chain_sends (kind, chain_id, signer, campaign_id, token, target, data, status,
      gas_used, effective_gas_price, mined_at)
    select 'payout', 31337, '0xbench', case when g % 2 = 0 then ${c1}::int else ${c2}::int end, 'REF', '0xtarget', '0x',
      'final', 180000 + g % 50000, 1000000000 + g % 7, now() - ((g % ${DAYS}) || ' days')::interval
    from generate_series(1::bigint, ${p.sends}) g`);
  // Activity days: member m on join day + offset, offsets in disjoint blocks of ten per round.
  await x(sql`insert into member_activity_days (member_id, day)
    select m.id, analytics_day(m.first_seen_at) + (1 + r.k * 10 + (m.id * 7919 + r.k) % 10)::int
    from (select g / ${members} as k, 1 + g % ${members} as id from generate_series(0::bigint, ${p.activity - 1}) g) r
    join members m on m.id = r.id
    on conflict do nothing`);
  for (const t of SOURCE_TABLES) await x(sql.raw(`alter table ${t} enable trigger user`));
  await x(sql`analyze`);
  const [counts] = await queryRows<Record<string, string>>(
    db.db,
    sql`select (select count(*) from members)::text as members, (select count(*) from clicks)::text as clicks,
      (select count(*) from starts)::text as starts, (select count(*) from referrals)::text as referrals,
      (select count(*) from referrals where status = 'qualified')::text as qualified,
      (select count(*) from ledger_entries)::text as grants, (select count(*) from chain_sends)::text as sends,
      (select count(*) from member_activity_days)::text as activity_days`,
  );
  const c = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));
  // Events: every row that is a domain event the rollups count (a qualification is one more).
  const total =
    c.clicks! + c.starts! + c.referrals! + c.qualified! + c.grants! + c.sends! + c.activity_days!;
  return { ...c, events: total };
}

/** A burst of about `size` events through the triggers (the writes the service would make). */
async function burst(db: DatabaseHandle, ids: [number, number], size: number): Promise<number> {
  const n = Math.floor(size / 5);
  const [c1] = ids;
  const x = (q: ReturnType<typeof sql>) => db.db.execute(q);
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`insert into members (telegram_id, first_name)
      select 9000000000 + g, 'B' || g from generate_series(1::bigint, ${n}) g`);
  });
  await x(sql`insert into referrals (campaign_id, referrer_id, referee_id, code, source, variant)
    select ${c1}, 1 + (m.id % 1000), m.id, 'b' || (1 + m.id % 1000), 'start',
      case when (1 + m.id % 1000) % 2 = 0 then 'control' else 'bigger' end
    from members m where m.telegram_id > 9000000000`);
  await x(sql`insert into starts (referrer_id, starter_id, code, source, outcome)
    select referrer_id, referee_id, code, 'start', 'attributed' from referrals r
    join members m on m.id = r.referee_id where m.telegram_id > 9000000000`);
  await x(sql`insert into clicks (member_id, code, client_hash, day)
    select 1 + g % 1000, 'b' || (1 + g % 1000), 'burst' || g, to_char(now(), 'YYYY-MM-DD')
    from generate_series(1::bigint, ${n}) g`);
  await x(sql`update referrals r set status = 'qualified', qualified_at = now()
    from members m where m.id = r.referee_id and m.telegram_id > 9000000000 and m.telegram_id % 2 = 0`);
  await x(sql`insert into ledger_entries (campaign_id, token, member_id, amount, kind, level, referral_id,
      referee_id, idempotency_key, state)
    select campaign_id, 'REF', referrer_id, 10000000000000000000, 'referral', 1, r.id, referee_id,
      'burst:' || r.id, 'queued'
    from referrals r join members m on m.id = r.referee_id
    where m.telegram_id > 9000000000 and m.telegram_id % 2 = 0`);
  return pendingDeltas(db.db);
}

async function timeRequests(url: string, paths: () => string, samples: number) {
  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  for (let i = 0; i < Math.min(10, samples); i++) {
    const res = await fetch(`${url}${paths()}`, { headers: auth });
    if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    const res = await fetch(`${url}${paths()}`, { headers: auth });
    await res.arrayBuffer();
    ms.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
}

async function runOn(kind: "postgres" | "pglite", members: number, events: number) {
  const scratch = kind === "postgres" ? await createBenchDatabase() : undefined;
  if (kind === "postgres" && !scratch) return undefined;
  const db = await openDatabase(
    scratch ? { url: scratch.url, poolSize: 4 } : { dataDir: "memory://" },
  );
  let server: Server | undefined;
  try {
    console.log(
      `${kind}: ${members.toLocaleString("en")} members, ${events.toLocaleString("en")} events`,
    );
    await db.migrate();
    const campaigns = await syncDefinitions(db.db, [
      testCampaign({
        slug: "bench-a",
        onchainId: 901,
        variants: [
          { id: "control", weight: 1, levelAmounts: {} },
          { id: "bigger", weight: 1, levelAmounts: {} },
        ],
      }),
      testCampaign({ slug: "bench-b", onchainId: 902 }),
    ]);
    const ids = campaigns.all().map((c) => c.id) as [number, number];
    const seeded = await timed("seed", () => seed(db, ids, members, events));
    console.log(`  ${JSON.stringify(seeded.value)}`);
    const built = await timed("rollups from scratch", () => rebuildRollups(db.db));

    const config = testConfig();
    const app = createApp({
      config,
      logger: createLogger("silent"),
      database: db,
      domain: { db: db.db, campaigns, now: () => new Date(), attributionWindowHours: 24 },
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server!.once("listening", () => resolve()));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const slugs = ["bench-a", "bench-b"];
    let i = 0;
    const overview = await timeRequests(
      url,
      () => `/api/admin/campaigns/${slugs[i++ % 2]}/analytics/overview`,
      SAMPLES,
    );
    console.log(`  overview: p50 ${overview.p50} ms, p95 ${overview.p95} ms`);
    const experiments = await timeRequests(
      url,
      () => `/api/admin/campaigns/bench-a/analytics/experiments?mde=0.01`,
      SAMPLES,
    );
    console.log(`  experiments: p50 ${experiments.p50} ms, p95 ${experiments.p95} ms`);
    const sample = await (
      await fetch(`${url}/api/admin/campaigns/bench-a/analytics/experiments?mde=0.01`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      })
    ).json();

    const written = await timed(`burst of ${BURST.toLocaleString("en")} events`, () =>
      burst(db, ids, BURST),
    );
    const caught = await timed("rollups catch up", () => foldAll(db.db));
    let verified: boolean | undefined;
    if (process.env.BENCH_VERIFY === "1" || members <= 50_000) {
      const compared = await compareRollups(db.db);
      verified = Object.values(compared).every(
        (t) => JSON.stringify(t.maintained) === JSON.stringify(t.recomputed),
      );
      console.log(`  rollups equal a recomputation: ${verified}`);
    }
    return {
      members,
      loadAverageAtEnd: loadAverage(),
      seeded: seeded.value,
      seedSeconds: seconds(seeded.ms),
      rollupBuildSeconds: seconds(built.ms),
      overview_p50_ms: overview.p50,
      overview_p95_ms: overview.p95,
      overview_p99_ms: overview.p99,
      experiments_p50_ms: experiments.p50,
      experiments_p95_ms: experiments.p95,
      experiments_p99_ms: experiments.p99,
      experimentsSample: {
        control: sample.control,
        winner: sample.winner,
        arms: sample.arms.map((a: Record<string, unknown>) => ({
          variant: a.variant,
          members: a.members,
          qualified: a.qualified,
          verdict: a.verdict,
          pValue: (a.comparison as { pValue?: number } | null)?.pValue ?? null,
        })),
      },
      burstEvents: written.value,
      burstWriteSeconds: seconds(written.ms),
      rollup_catchup_seconds: seconds(caught.ms),
      foldedDeltas: caught.value,
      ...(verified === undefined ? {} : { verifiedAgainstRecomputation: verified }),
    };
  } finally {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server?.closeAllConnections();
    await db.close();
    await scratch?.drop();
  }
}

async function main() {
  const loadAtStart = loadAverage();
  const databases: Record<string, unknown> = {};
  const file = path.join(ROOT, "bench", "results", "analytics.json");
  // Written after each database, so a later failure (PGlite out of memory) keeps the earlier.
  const write = async () => {
    // Another run (BENCH_DATABASES=pglite beside BENCH_DATABASES=postgres) keeps its entries.
    const earlier = await readFile(file, "utf8")
      .then((text) => JSON.parse(text) as { databases?: Record<string, unknown> })
      .catch(() => ({ databases: {} }));
    for (const [kind, value] of Object.entries(earlier.databases ?? {}))
      if (!DATABASES.includes(kind)) databases[kind] = value;
    const pg = databases.postgres as { rollup_catchup_seconds?: number } | undefined;
    const lite = databases.pglite as { rollup_catchup_seconds?: number } | undefined;
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAverage(),
      target: "overview_p95_ms and experiments_p95_ms <= 300 (PostgreSQL), <= 1500 (PGlite)",
      settings: {
        members: MEMBERS,
        events: EVENTS,
        pgliteMembers: PGLITE_MEMBERS,
        pgliteEvents: PGLITE_EVENTS,
        burst: BURST,
        samples: SAMPLES,
        days: DAYS,
      },
      rollup_catchup_seconds: pg?.rollup_catchup_seconds ?? lite?.rollup_catchup_seconds ?? null,
      databases,
    };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  };
  for (const kind of DATABASES as Array<"postgres" | "pglite">) {
    try {
      const result =
        kind === "pglite"
          ? await runOn(kind, PGLITE_MEMBERS, PGLITE_EVENTS)
          : await runOn(kind, MEMBERS, EVENTS);
      if (result) databases[kind] = result;
    } catch (error) {
      console.error(`${kind} failed:`, error);
      databases[kind] = { error: error instanceof Error ? error.message : String(error) };
    }
    await write();
  }
}

if (import.meta.main) await main();
