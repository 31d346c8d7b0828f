/**
 * The analytics rollups' upkeep (docs/ANALYTICS.md). Triggers (migration 0013) append what each
 * write changes to `analytics_deltas`; {@link foldDeltas} moves a batch of them into the rollup
 * tables and deletes them, in one transaction, so every delta counts exactly once whatever
 * crashes. One folder at a time (a transaction-level advisory lock); concurrent writers only
 * append. {@link recomputeRollups} computes the same tables from the source rows from scratch
 * (tests compare the two; {@link rebuildRollups} replaces the rollups with it after a bulk load).
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, transaction } from "../../db/index.ts";

/** Advisory lock key of the fold ("analytics" as a number). */
const FOLD_LOCK = 0x616e616c;
export const DEFAULT_FOLD_BATCH = 20_000;

/** Measures of each rollup table, after its key columns (see schema/analytics.ts). */
export const ROLLUP_TABLES = {
  analytics_daily: {
    keys: ["campaign_id", "day"],
    measures: [
      "clicks",
      "starts",
      "attributed",
      "reviews",
      "qualified",
      "paid",
      "qualify_seconds",
      "gas_wei",
    ],
  },
  analytics_qualify_histogram: { keys: ["campaign_id", "day", "bucket"], measures: ["count"] },
  analytics_token_daily: {
    keys: ["campaign_id", "token", "day"],
    measures: ["earned", "paid", "escrowed", "expired"],
  },
  analytics_token_totals: { keys: ["campaign_id", "token"], measures: ["claimed", "redeemed"] },
  analytics_code_daily: {
    keys: ["campaign_id", "code", "day"],
    measures: ["clicks", "starts", "attributed", "qualified", "paid"],
  },
  analytics_variant_daily: {
    keys: ["campaign_id", "variant", "day"],
    measures: ["attributed", "reviews", "qualified", "paid"],
  },
  analytics_members: {
    keys: ["campaign_id", "member_id"],
    measures: ["joined_on", "invited", "qualified", "d1", "d7", "d30"],
  },
  analytics_campaign_totals: { keys: ["campaign_id"], measures: ["members", "referrers"] },
  analytics_cohorts: { keys: ["campaign_id", "week"], measures: ["members", "d1", "d7", "d30"] },
} as const;
export type RollupTable = keyof typeof ROLLUP_TABLES;

/** Upsert `source` (keys then measures, in the table's order) adding measures to existing rows. */
function addInto(table: RollupTable, source: SQL): SQL {
  const { keys, measures } = ROLLUP_TABLES[table];
  const cols = [...keys, ...measures].join(", ");
  const sets = measures.map((m) => `${m} = t.${m} + excluded.${m}`).join(", ");
  return sql`insert into ${sql.raw(table)} as t (${sql.raw(cols)}) ${source}
    on conflict (${sql.raw(keys.join(", "))}) do update set ${sql.raw(sets)}`;
}

/**
 * Folds up to `limit` pending deltas into the rollups; returns how many it folded (0 when
 * nothing was pending or another fold holds the lock).
 */
export async function foldDeltas(db: Db, limit = DEFAULT_FOLD_BATCH): Promise<number> {
  return transaction(db, async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`,
    );
    if (!lock?.ok) return 0;
    await tx.execute(sql`create temp table if not exists analytics_batch
      (like analytics_deltas) on commit delete rows`);
    const [moved] = await queryRows<{ n: number }>(
      tx,
      sql`with gone as (
            delete from analytics_deltas where id in
              (select id from analytics_deltas order by id limit ${limit})
            returning *)
          , kept as (insert into analytics_batch select * from gone returning 1)
          select count(*)::int as n from kept`,
    );
    const n = moved?.n ?? 0;
    if (n === 0) return 0;
    await applyBatch(tx);
    await tx.execute(sql`insert into analytics_fold_state as s (id, folded, folded_at)
      values (1, ${n}, now()) on conflict (id) do update set folded = s.folded + ${n}, folded_at = now()`);
    await tx.execute(sql`delete from analytics_batch`);
    return n;
  });
}

/** Folds until nothing is pending; returns the number of deltas folded. */
export async function foldAll(db: Db, batch = DEFAULT_FOLD_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await foldDeltas(db, batch);
    total += n;
    if (n === 0) {
      const [left] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from (select 1 from analytics_deltas limit 1) x`,
      );
      // Another folder held the lock: wait for it rather than report a partial catch-up.
      if ((left?.n ?? 0) === 0) return total;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Deltas not folded yet (the lag the Overview reports). */
export async function pendingDeltas(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from analytics_deltas`,
  );
  return row?.n ?? 0;
}

/** The batch in `analytics_batch` into every rollup table (statement order matters: members first). */
async function applyBatch(tx: Db): Promise<void> {
  const b = sql`analytics_batch`;
  await tx.execute(
    addInto(
      "analytics_daily",
      sql`select campaign_id, day,
        coalesce(sum(n) filter (where kind = 'click'), 0),
        coalesce(sum(n) filter (where kind = 'start'), 0),
        coalesce(sum(n) filter (where kind = 'attributed'), 0),
        coalesce(sum(n) filter (where kind = 'review'), 0),
        coalesce(sum(n) filter (where kind = 'qualified'), 0),
        coalesce(sum(n) filter (where kind = 'paid' and other_id is not null), 0),
        coalesce(sum(n * seconds) filter (where kind = 'qualified'), 0),
        coalesce(sum(n * amount) filter (where kind = 'gas'), 0)
      from ${b} where campaign_id is not null
        and kind in ('click', 'start', 'attributed', 'review', 'qualified', 'paid', 'gas')
      group by campaign_id, day order by campaign_id, day`,
    ),
  );
  await tx.execute(
    addInto(
      "analytics_qualify_histogram",
      sql`select campaign_id, day, analytics_bucket(seconds), sum(n)
      from ${b} where kind = 'qualified' and campaign_id is not null
      group by 1, 2, 3 order by 1, 2, 3`,
    ),
  );
  await tx.execute(
    addInto(
      "analytics_token_daily",
      sql`select campaign_id, token, day,
        coalesce(sum(n * amount) filter (where kind = 'earned'), 0),
        coalesce(sum(n * amount) filter (where kind = 'paid'), 0),
        0,
        coalesce(sum(n * amount) filter (where kind = 'expired'), 0)
      from ${b} where kind in ('earned', 'paid', 'expired') and campaign_id is not null
      group by 1, 2, 3 order by 1, 2, 3`,
    ),
  );
  await tx.execute(
    addInto(
      "analytics_token_totals",
      sql`select campaign_id, token,
        coalesce(sum(n * amount) filter (where kind = 'claimed'), 0),
        coalesce(sum(n * amount) filter (where kind = 'redeemed'), 0)
      from ${b} where kind in ('claimed', 'redeemed') and campaign_id is not null
      group by 1, 2 order by 1, 2`,
    ),
  );
  // Escrow is a per-day column of the token rollup but has no day (chain_payouts has none):
  // kept as an all-time figure on the row of day 1970-01-01 (see docs/ANALYTICS.md).
  await tx.execute(
    addInto(
      "analytics_token_daily",
      sql`select campaign_id, token, date '1970-01-01', 0, 0, sum(n * amount), 0
      from ${b} where kind = 'escrowed' and campaign_id is not null
      group by 1, 2 order by 1, 2`,
    ),
  );
  await tx.execute(
    addInto(
      "analytics_code_daily",
      sql`select campaign_id, code, day,
        coalesce(sum(n) filter (where kind = 'click'), 0),
        coalesce(sum(n) filter (where kind = 'start'), 0),
        coalesce(sum(n) filter (where kind = 'attributed'), 0),
        coalesce(sum(n) filter (where kind = 'qualified'), 0),
        coalesce(sum(n) filter (where kind = 'paid' and other_id is not null), 0)
      from ${b} where code is not null and campaign_id is not null
        and kind in ('click', 'start', 'attributed', 'qualified', 'paid')
      group by 1, 2, 3 order by 1, 2, 3`,
    ),
  );
  await tx.execute(
    addInto(
      "analytics_variant_daily",
      sql`select campaign_id, coalesce(variant, ''), day,
        coalesce(sum(n) filter (where kind = 'attributed'), 0),
        coalesce(sum(n) filter (where kind = 'review'), 0),
        coalesce(sum(n) filter (where kind = 'qualified'), 0),
        coalesce(sum(n) filter (where kind = 'paid' and other_id is not null), 0)
      from ${b} where campaign_id is not null and kind in ('attributed', 'review', 'qualified', 'paid')
      group by 1, 2, 3 order by 1, 2, 3`,
    ),
  );
  // Members: referrers (invited, qualified) and referees (joined), then the campaign totals
  // from what crossed: a new row is a new member, invited crossing zero a new referrer.
  await tx.execute(sql`
    with src as (
      select campaign_id, member_id,
        sum(invited)::int as invited, sum(qualified)::int as qualified,
        min(joined) as joined, sum(joins)::int as joins
      from (
        select campaign_id, member_id,
          case when kind = 'attributed' then n else 0 end as invited,
          case when kind = 'qualified' then n else 0 end as qualified,
          null::date as joined, 0 as joins
        from ${b} where kind in ('attributed', 'qualified') and campaign_id is not null
        union all
        select campaign_id, other_id, 0, 0, case when n > 0 then day end, n
        from ${b} where kind = 'attributed' and campaign_id is not null
      ) x group by campaign_id, member_id
    ), up as (
      -- joined_on: a day sets it, the sentinel 0001-01-01 clears it (the attribution was removed;
      -- its member row exists from an earlier fold), null keeps it.
      insert into analytics_members as m (campaign_id, member_id, joined_on, invited, qualified)
      select campaign_id, member_id,
        case when joins > 0 then joined when joins < 0 then date '0001-01-01' end, invited, qualified
      from src order by campaign_id, member_id
      on conflict (campaign_id, member_id) do update set
        invited = m.invited + excluded.invited,
        qualified = m.qualified + excluded.qualified,
        joined_on = case
          when excluded.joined_on = date '0001-01-01' then null
          when excluded.joined_on is not null then excluded.joined_on
          else m.joined_on end
      returning m.campaign_id, m.member_id, m.invited, (m.xmax = 0) as inserted
    )
    insert into analytics_campaign_totals as t (campaign_id, members, referrers)
    select up.campaign_id,
      count(*) filter (where up.inserted),
      count(*) filter (where up.invited > 0 and up.invited - src.invited <= 0)
        - count(*) filter (where up.invited <= 0 and up.invited - src.invited > 0)
    from up join src using (campaign_id, member_id)
    group by up.campaign_id order by up.campaign_id
    on conflict (campaign_id) do update set
      members = t.members + excluded.members, referrers = t.referrers + excluded.referrers`);
  // Cohorts: members joining (or leaving, when an attribution is removed) their join week.
  await tx.execute(
    addInto(
      "analytics_cohorts",
      sql`select campaign_id, date_trunc('week', day)::date, sum(n), 0, 0, 0
      from ${b} where kind = 'attributed' and campaign_id is not null
      group by 1, 2 order by 1, 2`,
    ),
  );
  // Retention: members active on a new day, and members who just joined (their activity may
  // have been folded before their attribution), checked against their recorded active days.
  await tx.execute(sql`
    with who as (
      select distinct member_id from ${b} where kind = 'active'
      union
      select distinct other_id from ${b} where kind = 'attributed' and n > 0
    ), flags as (
      select m.campaign_id, m.member_id, m.joined_on,
        (not m.d1 and exists (select 1 from member_activity_days a
          where a.member_id = m.member_id and a.day = m.joined_on + 1)) as s1,
        (not m.d7 and exists (select 1 from member_activity_days a
          where a.member_id = m.member_id and a.day = m.joined_on + 7)) as s7,
        (not m.d30 and exists (select 1 from member_activity_days a
          where a.member_id = m.member_id and a.day = m.joined_on + 30)) as s30
      from analytics_members m join who on who.member_id = m.member_id
      where m.joined_on is not null
    ), changed as (
      select * from flags where s1 or s7 or s30
    ), marked as (
      update analytics_members m set d1 = m.d1 or c.s1, d7 = m.d7 or c.s7, d30 = m.d30 or c.s30
      from changed c where m.campaign_id = c.campaign_id and m.member_id = c.member_id
      returning 1
    )
    insert into analytics_cohorts as t (campaign_id, week, members, d1, d7, d30)
    select campaign_id, date_trunc('week', joined_on)::date, 0,
      count(*) filter (where s1), count(*) filter (where s7), count(*) filter (where s30)
    from changed group by 1, 2 order by 1, 2
    on conflict (campaign_id, week) do update set
      d1 = t.d1 + excluded.d1, d7 = t.d7 + excluded.d7, d30 = t.d30 + excluded.d30`);
}

/**
 * Every rollup table computed from the source rows, from scratch (keys then measures, in the
 * order of {@link ROLLUP_TABLES}). The same definitions as the triggers and the fold.
 */
export function recomputeQueries(): Record<RollupTable, SQL> {
  const qualified = sql`(select campaign_id, referrer_id, code, variant,
      analytics_day(coalesce(qualified_at, attributed_at)) as day,
      greatest(0, floor(extract(epoch from coalesce(qualified_at, attributed_at) - attributed_at)))::bigint as seconds
    from referrals where status = 'qualified')`;
  const paid = sql`(select e.campaign_id, e.token, e.amount, analytics_day(e.settled_at) as day,
      r.id as referral_id, r.code, r.variant
    from ledger_entries e
    left join referrals r on e.kind = 'referral' and e.level = 1 and r.id = e.referral_id
    where e.settled_at is not null)`;
  const funnel = sql`(
      select campaign_id, day::date as day, code, 'click' as kind, 0::bigint as seconds, null::text as variant
        from (select campaign_id, analytics_day(created_at) as day, code from clicks) c
      union all select campaign_id, analytics_day(created_at), code, 'start', 0, null from starts
      union all select campaign_id, analytics_day(attributed_at), code, 'attributed', 0, variant from referrals
      union all select campaign_id, analytics_day(review_at), code, 'review', 0, variant from referrals where review_at is not null
      union all select campaign_id, day, code, 'qualified', seconds, variant from ${qualified} q
      union all select campaign_id, day, code, 'paid', 0, variant from ${paid} p where referral_id is not null
    )`;
  const activeOn = (offset: number) =>
    sql`exists (select 1 from member_activity_days a where a.member_id = m.member_id and a.day = m.joined_on + ${sql.raw(String(offset))})`;
  const membersQuery = sql`(
      select campaign_id, member_id, max(joined_on) as joined_on,
        sum(invited)::int as invited, sum(qualified)::int as qualified
      from (
        select campaign_id, referrer_id as member_id, null::date as joined_on, 1 as invited, 0 as qualified from referrals
        union all select campaign_id, referrer_id, null, 0, 1 from referrals where status = 'qualified'
        union all select campaign_id, referee_id, analytics_day(attributed_at), 0, 0 from referrals
      ) x group by campaign_id, member_id
    )`;
  const membersFull = sql`(select m.campaign_id, m.member_id, m.joined_on, m.invited, m.qualified,
      (m.joined_on is not null and ${activeOn(1)}) as d1,
      (m.joined_on is not null and ${activeOn(7)}) as d7,
      (m.joined_on is not null and ${activeOn(30)}) as d30
    from ${membersQuery} m)`;
  return {
    analytics_daily: sql`select campaign_id, day,
        count(*) filter (where kind = 'click'), count(*) filter (where kind = 'start'),
        count(*) filter (where kind = 'attributed'), count(*) filter (where kind = 'review'),
        count(*) filter (where kind = 'qualified'), count(*) filter (where kind = 'paid'),
        coalesce(sum(seconds) filter (where kind = 'qualified'), 0), 0::numeric as gas_wei
      from ${funnel} f where campaign_id is not null group by 1, 2`,
    analytics_qualify_histogram: sql`select campaign_id, day, analytics_bucket(seconds), count(*)
      from ${qualified} q group by 1, 2, 3`,
    analytics_token_daily: sql`select campaign_id, token, day, sum(earned), sum(paid), sum(escrowed), sum(expired)
      from (
        select campaign_id, token, analytics_day(created_at) as day, amount as earned, 0 as paid, 0 as escrowed, 0 as expired from ledger_entries
        union all select campaign_id, token, day, 0, amount, 0, 0 from ${paid} p
        union all select campaign_id, token, analytics_day(coalesce(expired_at, created_at)), 0, 0, 0, amount from ledger_entries where state = 'expired'
        union all select campaign_id, token, date '1970-01-01', 0, 0, amount, 0 from chain_payouts where escrow
      ) x group by 1, 2, 3`,
    analytics_token_totals: sql`select campaign_id, token, sum(claimed), sum(redeemed) from (
        select e.campaign_id, e.token, c.amount as claimed, 0 as redeemed from chain_claims c
          join lateral (select campaign_id, token from chain_epochs e where e.distributor = c.distributor order by e.id limit 1) e on true
        union all select campaign_id, token, 0, cost from chain_redemptions
      ) x group by 1, 2`,
    analytics_code_daily: sql`select campaign_id, code, day,
        count(*) filter (where kind = 'click'), count(*) filter (where kind = 'start'),
        count(*) filter (where kind = 'attributed'), count(*) filter (where kind = 'qualified'),
        count(*) filter (where kind = 'paid')
      from ${funnel} f where campaign_id is not null and code is not null and kind <> 'review' group by 1, 2, 3`,
    analytics_variant_daily: sql`select campaign_id, coalesce(variant, ''), day,
        count(*) filter (where kind = 'attributed'), count(*) filter (where kind = 'review'),
        count(*) filter (where kind = 'qualified'), count(*) filter (where kind = 'paid')
      from ${funnel} f where campaign_id is not null and kind in ('attributed', 'review', 'qualified', 'paid') group by 1, 2, 3`,
    analytics_members: sql`select campaign_id, member_id, joined_on, invited, qualified, d1, d7, d30 from ${membersFull} m`,
    analytics_campaign_totals: sql`select campaign_id, count(*), count(*) filter (where invited > 0)
      from ${membersQuery} m group by 1`,
    analytics_cohorts: sql`select campaign_id, date_trunc('week', joined_on)::date,
        count(*), count(*) filter (where d1), count(*) filter (where d7), count(*) filter (where d30)
      from ${membersFull} m where joined_on is not null group by 1, 2`,
  };
}

/** Gas is kept out of {@link recomputeQueries}' funnel union; added here per day. */
function gasQuery(): SQL {
  return sql`select campaign_id, analytics_day(mined_at) as day, sum(gas_used::numeric * effective_gas_price) as gas_wei
    from chain_sends where campaign_id is not null and gas_used is not null
      and effective_gas_price is not null and mined_at is not null group by 1, 2`;
}

/** Rows of one rollup table as comparable strings (all-zero rows left out), sorted. */
function rowText(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)))
    .join("|");
}

function isZeroRow(table: RollupTable, row: Record<string, unknown>): boolean {
  return ROLLUP_TABLES[table].measures.every((m) => {
    const v = row[m];
    return v === null || v === "0" || v === "false";
  });
}

async function tableRows(db: Db, table: RollupTable, source: SQL): Promise<string[]> {
  const { keys, measures } = ROLLUP_TABLES[table];
  const names = [...keys, ...measures];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${sql.raw(names.map((n, i) => `x${i}::text as ${n}`).join(", "))}
        from (${source}) as s(${sql.raw(names.map((_, i) => `x${i}`).join(", "))})`,
  );
  return rows
    .filter((r) => !isZeroRow(table, r))
    .map(rowText)
    .sort();
}

/** The maintained rollups and the from-scratch recomputation, table by table (text rows). */
export async function compareRollups(
  db: Db,
): Promise<Record<RollupTable, { maintained: string[]; recomputed: string[] }>> {
  const queries = recomputeQueries();
  const out = {} as Record<RollupTable, { maintained: string[]; recomputed: string[] }>;
  for (const table of Object.keys(ROLLUP_TABLES) as RollupTable[]) {
    const { keys, measures } = ROLLUP_TABLES[table];
    const maintained = await tableRows(
      db,
      table,
      sql`select ${sql.raw([...keys, ...measures].join(", "))} from ${sql.raw(table)}`,
    );
    const recomputed = await tableRows(
      db,
      table,
      table === "analytics_daily" ? withGas(queries.analytics_daily) : queries[table],
    );
    out[table] = { maintained, recomputed };
  }
  return out;
}

/** The daily funnel with its gas column filled in from the sends. */
function withGas(daily: SQL): SQL {
  return sql`select coalesce(f.campaign_id, g.campaign_id), coalesce(f.day, g.day),
      coalesce(f.c1, 0), coalesce(f.c2, 0), coalesce(f.c3, 0), coalesce(f.c4, 0), coalesce(f.c5, 0),
      coalesce(f.c6, 0), coalesce(f.c7, 0), coalesce(g.gas_wei, 0)
    from (${daily}) as f(campaign_id, day, c1, c2, c3, c4, c5, c6, c7, c8)
    full join (${gasQuery()}) g on g.campaign_id = f.campaign_id and g.day = f.day`;
}

/**
 * Replaces every rollup with the from-scratch recomputation and drops pending deltas (they are
 * in the source rows already). For after a bulk load with the triggers off; not for a live
 * service (a write committing meanwhile could be counted twice or not at all).
 */
export async function rebuildRollups(db: Db): Promise<void> {
  const queries = recomputeQueries();
  await transaction(db, async (tx) => {
    await tx.execute(
      sql.raw(`truncate ${[...Object.keys(ROLLUP_TABLES), "analytics_deltas"].join(", ")}`),
    );
    for (const table of Object.keys(ROLLUP_TABLES) as RollupTable[]) {
      const { keys, measures } = ROLLUP_TABLES[table];
      const source = table === "analytics_daily" ? withGas(queries[table]) : queries[table];
      await tx.execute(
        sql`insert into ${sql.raw(table)} (${sql.raw([...keys, ...measures].join(", "))}) ${source}`,
      );
    }
  });
}
