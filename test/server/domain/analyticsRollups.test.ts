/**
 * The analytics rollups: after a mixed workload (clicks, starts, attributions in two variants,
 * qualifications, reviews, grants settled, unsettled by a reorg, expired, gas, escrow, claims,
 * redemptions, activity over 30 days, a deleted click), folded in small batches along the way,
 * the maintained rollups equal a from-scratch recomputation from the source rows, table by
 * table, and hold the figures the workload implies; the Overview reads them. PGlite and
 * PostgreSQL.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../server/db/index.ts";
import {
  analyticsExperiments,
  analyticsOverview,
} from "../../../server/domain/analytics/queries.ts";
import {
  compareRollups,
  foldAll,
  foldDeltas,
  pendingDeltas,
  rebuildRollups,
} from "../../../server/domain/analytics/rollups.ts";
import { recordClick } from "../../../server/domain/clicks.ts";
import { ensureMember, ensureMembers } from "../../../server/domain/members.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY, HOUR } from "../../support/clock.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const campaign = () =>
  testCampaign({
    slug: "alpha",
    variants: [
      { id: "control", weight: 1, levelAmounts: {} },
      { id: "bigger", weight: 1, levelAmounts: {} },
    ],
    fraud: { burst: { maxReferrals: 2, windowMinutes: 60 } },
  });

test("rollups maintained by triggers and folds equal a from-scratch recomputation after a mixed workload", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [campaign()] });
    const alpha = d.ctx.campaigns.bySlug("alpha")!;
    const start = d.clock.now(); // 2025-06-01T12:00Z, a Sunday
    const [a, b, c, e, f, g, h] = await d.members(1, 2, 3, 4, 5, 6, 7);

    // Day 0: clicks on A's link (two clients; a repeat and a bot do not count), six referrals
    // (A's last three within the hour: a burst that sends H to review).
    for (const client of ["x", "y", "x"])
      await recordClick(d.ctx, { code: a!.code, clientHash: client, userAgent: "Mozilla/5.0" });
    await recordClick(d.ctx, {
      code: a!.code,
      clientHash: "z",
      userAgent: "TelegramBot (like TwitterBot)",
    });
    await foldDeltas(db.db, 3); // a partial fold: the rest stays pending
    assert.ok((await pendingDeltas(db.db)) > 0);
    for (const m of [b!, c!]) await d.refer(a!, m);
    d.clock.advance(2 * HOUR);
    for (const m of [e!, f!, h!]) await d.refer(a!, m);
    await d.refer(b!, g!);

    // Day 1: B, C and G qualify, H's qualification goes to review (burst).
    d.clock.advance(DAY);
    await ensureMember(d.ctx, { id: 2, firstName: "U2" }); // B active on day 1
    assert.equal((await qualify(d.ctx, b!.id, { type: "wallet_linked" })).status, "qualified");
    assert.equal((await qualify(d.ctx, c!.id, { type: "wallet_linked" })).status, "qualified");
    await foldDeltas(db.db, 7);
    d.clock.advance(3 * HOUR);
    assert.equal((await qualify(d.ctx, g!.id, { type: "wallet_linked" })).status, "qualified");
    assert.equal((await qualify(d.ctx, h!.id, { type: "wallet_linked" })).status, "review");
    await recordClick(d.ctx, { code: b!.code, clientHash: "w", userAgent: "Mozilla/5.0" });

    // Chain side, by hand (the pipeline's own tests cover how these rows are written): settle
    // every grant, then a reorg unsettles one and one expires; gas of a mined send; a payout
    // into escrow and one a rewind removed; a claim; a perk redemption.
    const settledAt = new Date(start.getTime() + 2 * DAY);
    await db.db.execute(
      sql`update ledger_entries set state = 'settled', settled_at = ${settledAt}`,
    );
    const [first] = await queryRows<{ id: string }>(
      db.db,
      sql`select id::text from ledger_entries order by id limit 1`,
    );
    await db.db.execute(
      sql`update ledger_entries set state = 'sent', settled_at = null where id = ${first!.id}`,
    );
    await db.db.execute(sql`update ledger_entries set state = 'expired', expired_at = ${settledAt}
      where id = (select max(id) from ledger_entries)`);
    await db.db.execute(sql`insert into chain_sends (kind, chain_id, signer, campaign_id, token, target, data,
        status, gas_used, effective_gas_price, mined_at)
      values ('payout', 31337, '0x01', ${alpha.id}, 'REF', '0x02', '0x', 'mined', 21000, 1000000000, ${settledAt})`);
    await db.db.execute(sql`insert into chain_payouts (campaign_id, payout_id, token, amount, escrow, tx_hash, block_number)
      values (${alpha.id}, 1, 'REF', 5000, true, '0xaa', 10), (${alpha.id}, 2, 'REF', 7000, true, '0xaa', 10),
             (${alpha.id}, 3, 'REF', 9000, false, '0xaa', 10)`);
    await db.db.execute(sql`delete from chain_payouts where payout_id = 2`);
    await db.db.execute(sql`insert into chain_epochs (campaign_id, token, token_address, distributor, root, deadline,
        leaf_count, total, snapshot_block)
      values (${alpha.id}, 'REF', '0x03', '0xd1', '0xroot', 0, 1, 100, 1)`);
    await db.db.execute(sql`insert into chain_claims (block_number, log_index, distributor, account, amount, member_id, tx_hash)
      values (11, 0, '0xd1', '0x04', 1234, ${b!.id}, '0xbb')`);
    await db.db.execute(sql`insert into chain_redemptions (block_number, log_index, shop, campaign_id, account, perk_id,
        order_ref, quantity, token, cost, tx_hash)
      values (12, 0, '0xshop', ${alpha.id}, '0x04', 1, '0xref', 1, 'REF', 4000000000000000000, '0xcc')`);

    // A click removed (e.g. a data deletion) takes its count back.
    await db.db.execute(sql`delete from clicks where client_hash = 'y'`);

    // Day 7 and day 30 after day 0: C and E come back.
    d.clock.set(new Date(start.getTime() + 7 * DAY));
    await ensureMember(d.ctx, { id: 3, firstName: "U3" });
    await foldDeltas(db.db, 5);
    d.clock.set(new Date(start.getTime() + 30 * DAY));
    await ensureMember(d.ctx, { id: 4, firstName: "U4" });
    await ensureMember(d.ctx, { id: 3, firstName: "U3" });

    await foldAll(db.db, 4);
    assert.equal(await pendingDeltas(db.db), 0);

    const compared = await compareRollups(db.db);
    for (const [table, { maintained, recomputed }] of Object.entries(compared))
      assert.deepEqual(
        maintained,
        recomputed,
        `${table}: maintained rollup differs from recomputation`,
      );

    // The figures the workload implies, read back through the Overview.
    const overview = await analyticsOverview(d.ctx, systemAdmin(), alpha, {
      from: "2025-05-25",
      to: "2025-07-05",
    });
    assert.deepEqual(overview.funnel, {
      clicks: 2, // x and w (y deleted, repeat and bot never counted)
      starts: 6, // one start per attribution
      attributed: 6,
      reviews: 1,
      qualified: 3,
      paid: 2, // three level-1 rewards settled, one unsettled again
    });
    assert.equal(overview.members, 7);
    assert.equal(overview.referrers, 2); // A and B
    assert.deepEqual(
      overview.topReferrers.map((r) => [r.memberId, r.invited, r.qualified]),
      [
        [a!.id, 5, 2],
        [b!.id, 1, 1],
      ],
    );
    // Joined on day 0 (ISO week of 2025-05-26): B back on day 1, C on day 7, C and E on day 30.
    assert.deepEqual(overview.retention.cohorts, [
      { week: "2025-05-26", members: 6, d1: 1, d7: 1, d30: 2 },
    ]);
    const ref = overview.tokens.find((x) => x.token === "REF")!;
    assert.equal(ref.escrowed, 5000n);
    assert.equal(ref.claimed, 1234n);
    assert.equal(ref.redeemed, 4n * 10n ** 18n);
    assert.equal(overview.gasWei, 21000n * 1_000_000_000n);
    assert.equal(overview.timeToQualify.count, 3);

    // Variants: every referral of A is in A's arm, B's in B's; the arms add up to 6.
    const experiments = await analyticsExperiments(d.ctx, systemAdmin(), alpha, { mde: 0.05 });
    assert.equal(
      experiments.arms.reduce((s, arm) => s + arm.members, 0),
      6,
    );
    assert.equal(experiments.winner, null);

    // A rebuild from scratch gives the same rows.
    const before = await compareRollups(db.db);
    await rebuildRollups(db.db);
    const after = await compareRollups(db.db);
    for (const table of Object.keys(before))
      assert.deepEqual(
        after[table as keyof typeof after].maintained,
        before[table as keyof typeof before].maintained,
        table,
      );
  });
});

test("members created in one batch get their first active day once each, as members created one by one", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [campaign()] });
    const activity = () =>
      queryRows<{ member_id: string; day: string; deltas: number }>(
        db.db,
        sql`select a.member_id::text, a.day::text,
              (select count(*)::int from analytics_deltas x
                where x.kind = 'active' and x.member_id = a.member_id and x.day = a.day) as deltas
            from member_activity_days a order by a.member_id`,
      );
    // One statement creates three members (the bot's batch); one exists already.
    const [single] = await d.members(100);
    const batch = await ensureMembers(d.ctx, [
      { id: 101, firstName: "A" },
      { id: 100, firstName: "U100" },
      { id: 102, firstName: "B" },
      { id: 103, firstName: "C" },
    ]);
    assert.deepEqual(
      batch.map((m) => m.created),
      [true, false, true, true],
    );
    const day = d.clock.now().toISOString().slice(0, 10);
    const ids = [single!.id, ...batch.filter((m) => m.created).map((m) => m.member.id)].sort(
      (x, y) => x - y,
    );
    assert.deepEqual(
      await activity(),
      ids.map((id) => ({ member_id: String(id), day, deltas: 1 })),
    );
    // The next day: the new member's first day (insert) and the returning one's second day
    // (the per-row update trigger), once each; the rollups still equal a recomputation.
    d.clock.advance(DAY);
    const next = await ensureMembers(d.ctx, [
      { id: 101, firstName: "A" },
      { id: 104, firstName: "D" },
    ]);
    const today = d.clock.now().toISOString().slice(0, 10);
    assert.deepEqual(
      (await activity()).filter((r) => r.day === today),
      next.map((m) => ({ member_id: String(m.member.id), day: today, deltas: 1 })),
    );
    await foldAll(db.db);
    for (const [table, { maintained, recomputed }] of Object.entries(await compareRollups(db.db)))
      assert.deepEqual(maintained, recomputed, table);
  });
});
