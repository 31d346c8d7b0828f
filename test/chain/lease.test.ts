/**
 * The leader lease on its own (server/chain/lease.ts), without processes or time passing:
 * the lease's expiry is moved on the database's clock instead of waited for. A standby never
 * takes a lease that still runs, takes it with the next generation once it has lapsed, and
 * the old holder can then neither renew it nor act under it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { Lease, LeaseLostError } from "../../server/chain/lease.ts";
import { queryRows, transaction } from "../../server/db/index.ts";
import { withDatabases } from "../support/db.ts";

test("a standby takes the lease only once it lapsed, with the next generation; the old holder loses it", async (t) => {
  await withDatabases(t, async (db) => {
    const leader = new Lease(db.db, "worker:1", "host:1:aa", 5);
    const standby = new Lease(db.db, "worker:1", "host:2:bb", 5);
    assert.equal(await leader.acquire(), true);
    assert.equal(leader.generation, 1);
    assert.equal(await standby.acquire(), false, "the leader's lease still runs");
    const [row] = await queryRows<{ renewed: Date | string; expires: Date | string }>(
      db.db,
      sql`select renewed_at as renewed, expires_at as expires from chain_leases`,
    );
    assert.equal(new Date(row!.expires).getTime() - new Date(row!.renewed).getTime(), 5000);

    // The leader dies: nobody renews; the lease lapses (moved there rather than waited for).
    await db.db.execute(sql`update chain_leases set expires_at = now() - interval '1 millisecond'`);
    assert.equal(await standby.acquire(), true, "first look after the lapse");
    assert.equal(standby.generation, 2);
    assert.equal(await leader.acquire(), false, "the old holder cannot take it back");
    await assert.rejects(
      transaction(db.db, (tx) => leader.assertHeld(tx)),
      LeaseLostError,
    );
    await transaction(db.db, (tx) => standby.assertHeld(tx));

    // A graceful stop gives it up at once.
    await standby.release();
    assert.equal(await leader.acquire(), true);
    assert.equal(leader.generation, 3);
  });
});
