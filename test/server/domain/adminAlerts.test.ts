import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../../../server/db/index.ts";
import { type AdminAlert, takeAdminAlerts } from "../../../server/domain/adminAlerts.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

/** A ledger entry of `memberId` whose outbox row has `status`; returns its id. */
async function payout(db: Db, campaignId: number, memberId: number, key: string, status: string) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`with e as (
          insert into ledger_entries (campaign_id, token, member_id, amount, kind, idempotency_key,
            state)
          values (${campaignId}, 'REF', ${memberId}, 1, 'adjustment', ${key}, ${status})
          returning id)
        insert into payout_outbox (entry_id, campaign_id, token, status)
        select id, ${campaignId}, 'REF', ${status} from e
        returning entry_id::text as id`,
  );
  return Number(row!.id);
}

const reviewsAndHeld = (alerts: AdminAlert[]) =>
  alerts.filter((a) => a.kind === "review" || a.kind === "held");

test("admin alerts name each new review and held payout once, by its id", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [a, b, c, e] = await d.members(1, 2, 3, 4);
    const campaignId = d.ctx.campaigns.resolve(undefined, d.clock.now()).id;
    const [open, decided] = [await d.refer(a!, b!), await d.refer(a!, c!)];
    const reviews = await queryRows<{ id: string }>(
      db.db,
      sql`insert into review_items (referral_id, campaign_id, reasons, status)
          values (${open}, ${campaignId}, '[]', 'open'), (${decided}, ${campaignId}, '[]', 'approved')
          returning id::text`,
    );
    const held = await payout(db.db, campaignId, a!.id, "alerts:held", "held");
    await payout(db.db, campaignId, a!.id, "alerts:queued", "queued");

    assert.deepEqual(reviewsAndHeld(await takeAdminAlerts(db.db, d.clock.now())), [
      { kind: "review", campaignId, reviewIds: [Number(reviews[0]!.id)] },
      { kind: "held", campaignId, entryIds: [held] },
    ]);
    // Alerted once: nothing new, nothing again.
    assert.deepEqual(reviewsAndHeld(await takeAdminAlerts(db.db, d.clock.now())), []);

    const later = await payout(db.db, campaignId, e!.id, "alerts:held-later", "held");
    assert.deepEqual(reviewsAndHeld(await takeAdminAlerts(db.db, d.clock.now())), [
      { kind: "held", campaignId, entryIds: [later] },
    ]);
  });
});
