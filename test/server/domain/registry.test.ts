/**
 * The start-up campaign sync against grants in flight on PostgreSQL (several processes share
 * one database: an instance restarting while others qualify referrals). The sync must wait
 * for the grants, never deadlock with them: found by `npm run bench:load`, where a payout
 * worker restarted under load died at start-up with "deadlock detected".
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import {
  type DatabaseHandle,
  openDatabase,
  queryRows,
  transaction,
} from "../../../server/db/index.ts";
import { members } from "../../../server/db/schema.ts";
import type { CampaignDefinition } from "../../../server/domain/campaign.ts";
import { lockBudgets, writeGrant } from "../../../server/domain/ledger.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { until } from "../../chain/support.ts";
import { testCampaign } from "../../support/campaign.ts";
import { createMigratedPostgresDatabase, postgresTest } from "../../support/db.ts";

const token = (symbol: string) => ({
  symbol,
  name: symbol,
  decimals: 18 as const,
  cap: "1000000",
  budget: "1000",
  maxBatch: 100,
  maxBatchAmount: "1000",
  dailyLimit: "1000",
});

/** Two processes on one fresh database: the running service and one starting up. */
async function twoProcesses(
  body: (live: DatabaseHandle, starting: DatabaseHandle, def: CampaignDefinition) => Promise<void>,
) {
  const { url, drop } = await createMigratedPostgresDatabase();
  const live = await openDatabase({ url, poolSize: 2 });
  const starting = await openDatabase({ url, poolSize: 1 });
  try {
    await live.migrate();
    const def = testCampaign({ tokens: [token("REF"), token("ACT")] });
    await syncDefinitions(live.db, [def]);
    await body(live, starting, def);
  } finally {
    await starting.close();
    await live.close();
    await drop();
  }
}

/** Both settled and fulfilled; otherwise the reason, with the database's own error. */
function assertBothCommitted(results: PromiseSettledResult<unknown>[]) {
  for (const [i, r] of results.entries()) {
    if (r.status === "fulfilled") continue;
    const reason = r.reason as { message?: string; cause?: { message?: string } };
    assert.fail(
      `${i === 0 ? "the grant" : "the sync"} failed: ${reason.cause?.message ?? reason.message}`,
    );
  }
}

/** Resolves once another session of this database waits for a row lock. */
async function someoneWaitsForALock(db: DatabaseHandle) {
  await until(
    "a session blocked on a lock",
    async () => {
      const [row] = await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
      );
      return Number(row?.n) > 0;
    },
    10_000,
  );
}

postgresTest(
  "a start-up sync waits for a grant holding its token's budget row, then both commit",
  async () => {
    await twoProcesses(async (live, starting, def) => {
      const [campaign] = await queryRows<{ id: number }>(
        live.db,
        sql`select id from campaigns where slug = ${def.slug}`,
      );
      const [member] = await live.db.insert(members).values({ telegramId: 1 }).returning();
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const budgetLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A grant in flight: its budget row locked first (as every grant does), its entry,
      // which references the campaign row, written after.
      const grant = transaction(live.db, async (tx) => {
        await lockBudgets(tx, campaign!.id, ["REF"]);
        locked();
        await released;
        await writeGrant(tx, {
          campaignId: campaign!.id,
          token: "REF",
          memberId: member!.id,
          amount: 10n ** 18n,
          kind: "adjustment",
          idempotencyKey: "registry-test",
          now: new Date(),
        });
      });
      await budgetLocked;
      const sync = syncDefinitions(starting.db, [def]);
      await someoneWaitsForALock(live);
      release();
      assertBothCommitted(await Promise.allSettled([grant, sync]));
    });
  },
);

postgresTest(
  "a start-up sync locks a campaign's budget rows in the order grants do (by symbol)",
  async () => {
    await twoProcesses(async (live, starting, def) => {
      const [campaign] = await queryRows<{ id: number }>(
        live.db,
        sql`select id from campaigns where slug = ${def.slug}`,
      );
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const actLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A transaction granting both tokens locks them as lockBudgets does: ACT, then REF.
      const grant = transaction(live.db, async (tx) => {
        await lockBudgets(tx, campaign!.id, ["ACT"]);
        locked();
        await released;
        await lockBudgets(tx, campaign!.id, ["ACT", "REF"]);
      });
      await actLocked;
      const sync = syncDefinitions(starting.db, [def]);
      await someoneWaitsForALock(live);
      release();
      assertBothCommitted(await Promise.allSettled([grant, sync]));
    });
  },
);
