/**
 * Query plans of the statements that join a batch (a jsonb set, an array, a CTE) to a table
 * growing with members, updates or payouts: on tables filled enough that an index probe is the
 * cheaper way, none of them may read the whole of such a table, by a sequential scan or by
 * walking an index without a condition (a partial index, which holds only what is wanted, may
 * be walked). Each case found one (EXPLAIN ANALYZE on 100k+ rows): PostgreSQL guesses a jsonb
 * set at 100 rows and hashed the whole table against it, a join compared an expression no
 * index has, or a backlog of queued payouts made the primary key look like the way to them.
 *
 * The statements are explained as the domain builds them: the function runs on a handle whose
 * `execute` runs `EXPLAIN (FORMAT JSON)` of each raw statement instead (nothing is written) and
 * answers no rows. PostgreSQL only: the plans are PostgreSQL's (CI always has it).
 *
 * Every filled table holds fewer rows than ANALYZE samples (30 000), so its statistics, and
 * with them the plans, are the same on every run.
 */
import assert from "node:assert/strict";
import { type SQL, sql } from "drizzle-orm";
import { insertClaims } from "../../server/chain/evm/indexer.ts";
import { queuedPayoutsQuery } from "../../server/chain/evm/payouts.ts";
import { type Db, queryRows } from "../../server/db/index.ts";
import { takeAdminAlerts } from "../../server/domain/adminAlerts.ts";
import { campaignJoinsQuery, recordStarts } from "../../server/domain/attribution.ts";
import { badgeEventsIndexed, badgeEventsRewound } from "../../server/domain/badges.ts";
import { writeInboxMarks } from "../../server/domain/inbox.ts";
import {
  claimForBatch,
  holdPayouts,
  markBatchSent,
  unholdPayouts,
  unsettleEntries,
} from "../../server/domain/ledgerTransitions.ts";
import { openTestDatabase, postgresTest } from "../support/db.ts";

/** Rows of each filled table: big enough for index probes to win, below ANALYZE's sample. */
const N = 20_000;
const BOT = 7;
const CAMPAIGN = 901;
/**
 * Ledger entries by state (the rest are settled): the newest are queued (a backlog, a fifth of
 * the table), then held ones.
 */
const QUEUED_FROM = N - 4000;
const HELD_FROM = N - 4050;
/** A batch of the payout worker's size is not needed: 20 ids show the plan's choice. */
const BATCH = 20;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

/**
 * `db` whose raw statements (`execute`, also inside its transactions) are explained instead of
 * run: each plan goes into `plans`, and the caller gets no rows.
 */
function explaining(db: Db, plans: PlanNode[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "execute")
        return async (query: SQL) => {
          const [row] = await queryRows<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
            target,
            sql`explain (format json) ${query}`,
          );
          plans.push(row!["QUERY PLAN"][0]!.Plan);
          return { rows: [], rowCount: 0 };
        };
      if (prop === "transaction")
        return (fn: (tx: Db) => Promise<unknown>) =>
          target.transaction((tx) => fn(explaining(tx, plans)));
      return Reflect.get(target, prop, receiver);
    },
  });
}

interface Read {
  table: string;
  /** `Seq Scan`, `Index Scan using payout_outbox_pkey`, … */
  how: string;
  /** It goes through the whole table (or the whole of a full index). */
  whole: boolean;
}

/** Every table a plan reads, and whether it reads all of it. */
function reads(node: PlanNode, partialIndexes: ReadonlySet<string>, out: Read[] = []): Read[] {
  const table = node["Relation Name"];
  if (table && node["Node Type"] !== "ModifyTable") {
    const index = node["Index Name"];
    out.push({
      table,
      how: index ? `${node["Node Type"]} using ${index}` : node["Node Type"],
      whole:
        node["Node Type"] === "Seq Scan" ||
        (index !== undefined && !node["Index Cond"] && !partialIndexes.has(index)),
    });
  }
  for (const child of node.Plans ?? []) reads(child, partialIndexes, out);
  return out;
}

/**
 * Fills the tables the cases read. Triggers and foreign-key checks are off while it does (as in
 * the harness's reset): the rows reference each other correctly by construction, the analytics
 * triggers are not what is explained, and the checks would double the fill's time.
 */
async function fill(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`insert into campaigns (id, slug, onchain_id, definition, definition_hash)
      values (${CAMPAIGN}, 'plans', ${CAMPAIGN}, '{}', 'plans')`);
    await tx.execute(sql`insert into members (id, telegram_id, first_name)
      select g, 1000000 + g, 'M' from generate_series(1, ${N}) g`);
    await tx.execute(sql`insert into bot_updates (bot_id, update_id, received_at, processed_at)
      select ${BOT}, g, now(), now() from generate_series(1, ${N}) g`);
    // Member g + 1 was referred by the member half the table away (never themselves).
    await tx.execute(sql`insert into referrals (id, campaign_id, referrer_id, referee_id, code, source,
        status)
      select g, ${CAMPAIGN}, (g + ${N / 2}) % ${N} + 1, g + 1, 'c', 'link', 'qualified'
      from generate_series(1, ${N - 1}) g`);
    await tx.execute(sql`insert into review_items (referral_id, campaign_id, reasons, status)
      select id, ${CAMPAIGN}, '[]', case when id % 1000 = 0 then 'open' else 'approved' end
      from referrals`);
    const state = sql`case when g > ${QUEUED_FROM} then 'queued' when g > ${HELD_FROM} then 'held'
      else 'settled' end`;
    await tx.execute(sql`insert into ledger_entries (id, campaign_id, token, member_id, amount, kind,
        idempotency_key, state)
      select g, ${CAMPAIGN}, 'RMT', g, 1000, 'referral', 'plans:' || g, ${state}
      from generate_series(1, ${N}) g`);
    await tx.execute(sql`insert into payout_outbox (entry_id, campaign_id, token, status, batch_id)
      select g, ${CAMPAIGN}, 'RMT', ${state}, case when g <= ${HELD_FROM} then 1 + g / 100 end
      from generate_series(1, ${N}) g`);
    await tx.execute(sql`insert into badge_awards (campaign_id, member_id, badge_id, reason, status,
        account, tx_hash)
      select ${CAMPAIGN}, g, 1, 'first_invite', 'minted', '0x' || lpad(to_hex(g), 40, '0'),
        '0x' || md5(g::text)
      from generate_series(1, ${N}) g`);
    await tx.execute(sql`insert into challenge_completions (campaign_id, challenge_id, member_id,
        source)
      select ${CAMPAIGN}, 'task-' || (g % 4), 1 + g / 4, 'bot' from generate_series(0, ${N - 1}) g`);
  });
  await db.execute(sql`analyze members, bot_updates, referrals, review_items, ledger_entries,
    payout_outbox, badge_awards, challenge_completions`);
}

const ids = (from: number, n = BATCH) => Array.from({ length: n }, (_, i) => from + i);
const account = (member: number) => `0x${member.toString(16).padStart(40, "0")}`;

/**
 * What each case runs, the statements it must explain, and the big tables they must probe by
 * an index (each read somewhere in its plans, never by a sequential scan).
 */
const CASES: Array<{
  name: string;
  tables: string[];
  statements: number;
  run: (db: Db) => Promise<unknown>;
}> = [
  {
    name: "the bot inbox's marks (writeInboxMarks)",
    tables: ["bot_updates"],
    statements: 1,
    run: (db) =>
      writeInboxMarks(
        db,
        BOT,
        ids(5000).map((updateId) => ({ updateId, answered: true, handled: true })),
      ),
  },
  {
    name: "the start counters of attribution (recordStarts)",
    tables: ["members"],
    statements: 1,
    run: (db) =>
      recordStarts(
        db,
        ids(3000).map((referrerId) => ({
          referrerId,
          starterId: referrerId + 1,
          code: "c",
          source: "link",
          outcome: "attributed",
          campaignId: CAMPAIGN,
        })),
        new Date(),
      ),
  },
  {
    name: "when referees joined a campaign (attribution's campaignJoins)",
    tables: ["referrals", "ledger_entries", "challenge_completions"],
    statements: 1,
    run: (db) =>
      db.execute(
        campaignJoinsQuery(ids(700).map((memberId) => ({ memberId, campaignId: CAMPAIGN }))),
      ),
  },
  {
    name: "the payout worker's next queued payouts (queuedPayoutsQuery)",
    tables: ["payout_outbox", "ledger_entries"],
    statements: 1,
    run: (db) => db.execute(queuedPayoutsQuery(CAMPAIGN, "RMT", new Date(), BATCH)),
  },
  {
    name: "the payout worker's claim and hold (claimForBatch, holdPayouts)",
    tables: ["payout_outbox", "ledger_entries"],
    statements: 2,
    run: async (db) => {
      const now = new Date();
      await claimForBatch(
        db,
        77,
        ids(QUEUED_FROM + 1).map((entryId) => ({ entryId, recipient: account(entryId) })),
        now,
      );
      await holdPayouts(
        db,
        ids(QUEUED_FROM + 1).map((entryId) => ({ entryId, reason: "listed" })),
        now,
      );
    },
  },
  {
    name: "the batch and indexer transitions (markBatchSent, unholdPayouts, unsettleEntries)",
    tables: ["payout_outbox", "ledger_entries"],
    statements: 3,
    run: async (db) => {
      const now = new Date();
      await markBatchSent(db, 40, { nonce: 1, txHash: "0xabc", first: true }, now);
      await unholdPayouts(db, ids(HELD_FROM + 1), now);
      await unsettleEntries(db, ids(4000), now);
    },
  },
  {
    name: "the indexer's claims, member by number (insertClaims)",
    tables: ["members"],
    statements: 1,
    run: (db) =>
      db.execute(
        insertClaims({
          block: ids(1),
          logIndex: ids(0),
          distributor: ids(0).map(() => "0xd"),
          account: ids(9000).map(account),
          member: [...ids(9000, BATCH - 1).map(String), (2n ** 200n).toString()],
          amount: ids(0).map(() => "5"),
          txHash: ids(0).map(() => "0xh"),
        }),
      ),
  },
  {
    name: "the indexer's badge logs (badgeEventsIndexed, badgeEventsRewound)",
    tables: ["badge_awards"],
    statements: 4,
    run: async (db) => {
      const events = [11, 12].map((m) => ({
        campaignId: CAMPAIGN,
        account: account(m),
        badgeId: 1,
        delta: 1,
        txHash: "0xfeed",
      }));
      await badgeEventsIndexed(db, events, new Date());
      await badgeEventsRewound(db, events, new Date());
    },
  },
  {
    name: "the admin alerts' new reviews and held payouts (takeAdminAlerts)",
    tables: ["review_items", "payout_outbox"],
    statements: 3,
    run: (db) => takeAdminAlerts(db, new Date()),
  },
];

postgresTest(
  "statements joining a batch to a big table probe its index, never read all of it",
  async (t) => {
    const handle = await openTestDatabase("postgres", 2);
    try {
      await fill(handle.db);
      const partialIndexes = new Set(
        (
          await queryRows<{ name: string }>(
            handle.db,
            sql`select indexrelid::regclass::text as name from pg_index where indpred is not null`,
          )
        ).map((r) => r.name),
      );
      for (const c of CASES) {
        await t.test(c.name, async () => {
          const plans: PlanNode[] = [];
          await c.run(explaining(handle.db, plans));
          assert.equal(plans.length, c.statements, "statements explained");
          const read = plans.flatMap((p) => reads(p, partialIndexes));
          for (const table of c.tables) {
            const of = read.filter((r) => r.table === table);
            assert.ok(of.length > 0, `${table} is read`);
            assert.ok(
              of.every((r) => !r.whole),
              `${table} read by ${of.map((r) => r.how).join(", ")}; plans: ${JSON.stringify(plans)}`,
            );
          }
        });
      }
    } finally {
      await handle.close();
    }
  },
);
