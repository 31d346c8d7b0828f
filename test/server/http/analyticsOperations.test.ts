/**
 * The Overview's operational status over real HTTP (`GET …/analytics/operations`, response
 * checked against its schema): who may read it (an analyst of alpha, not of beta; not a
 * reviewer), the open reviews and the payout pipeline of the campaign as the database holds
 * them, the chain jobs as their monitors published them (a stale one is down; errors only for
 * super-admins), and the campaign's own reconciliation results: the last one and the last that
 * found a difference, never another campaign's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { chainMetrics, JobMonitor } from "../../../server/chain/health.ts";
import { queryRows } from "../../../server/db/index.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { recordReconciliation } from "../../../server/domain/reconciliations.ts";
import { createLogger } from "../../../server/logger.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;
const ANALYST = 204;
const REVIEWER = 203;

test("operations: reviews, payout pipeline, chain jobs and reconciliation of one campaign", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [
        testCampaign({
          slug: "alpha",
          onchainId: 310,
          fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
        }),
        testCampaign({ slug: "beta", onchainId: 311 }),
      ],
    });
    const alpha = app.ctx.campaigns.bySlug("alpha")!;
    const beta = app.ctx.campaigns.bySlug("beta")!;
    const [analyst, reviewer] = await app.members(ANALYST, REVIEWER);
    for (const [m, role] of [
      [analyst!, "analyst"],
      [reviewer!, "reviewer"],
    ] as const) {
      const res = await app.call("PUT", `/api/admin/campaigns/alpha/roles/${m.id}/${role}`, {
        auth: token,
      });
      assert.equal(res.status, 200, res.text);
    }
    const ops = (auth: string, slug = "alpha") =>
      app.call("GET", `/api/admin/campaigns/${slug}/analytics/operations`, { auth });

    // Nothing yet: no reviews, an empty pipeline, no job running, never reconciled.
    const empty = await ops(tmaFor(ANALYST));
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.body, {
      campaign: "alpha",
      openReviews: 0,
      payouts: { queued: 0, sending: 0, sent: 0, held: 0, failed: 0, oldestWaitingAt: null },
      jobs: ["worker", "indexer", "epochs"].map((job) => ({
        job,
        status: "down",
        lastSuccessAt: null,
        consecutiveFailures: 0,
        alerts: 0,
        lagBlocks: null,
        cursor: null,
        lastError: null,
      })),
      reconciliation: { last: null, lastDifference: null },
    });
    assert.equal((await ops(tmaFor(ANALYST), "beta")).status, 403);
    assert.equal((await ops(tmaFor(REVIEWER))).status, 403);

    // A referrer in alpha: the first referee qualifies alone (a grant queued); the second,
    // within the hour, makes a burst and waits in review; one in beta qualifies too.
    const [a, x, y, z] = await app.members(1, 2, 3, 4);
    for (const [m, campaign] of [
      [x!, "alpha"],
      [y!, "alpha"],
      [z!, "beta"],
    ] as const) {
      await attribute(app.ctx, { refereeId: m.id, code: a!.code, source: "start", campaign });
      await qualify(app.ctx, m.id, { type: "wallet_linked" });
    }

    // The jobs, as their monitors publish them: a failing worker, a healthy indexer 3 blocks
    // behind, and an epoch publisher that stopped reporting long ago.
    const metrics = chainMetrics(new Registry());
    const monitor = (job: "worker" | "indexer" | "epochs") =>
      new JobMonitor(app.ctx.db, job, `${job}-1`, createLogger("silent"), metrics);
    const worker = monitor("worker");
    worker.setLeader(true);
    worker.failed("RPC timed out for campaign beta");
    await worker.publish();
    const indexer = monitor("indexer");
    indexer.setLeader(true);
    indexer.succeeded({ head: 503, cursor: 500, lag: 3, events: 2 });
    await indexer.publish();
    const epochs = monitor("epochs");
    epochs.setLeader(true);
    epochs.succeeded({});
    await epochs.publish();
    await app.ctx.db.execute(
      sql`update chain_status set updated_at = now() - interval '1 hour' where job = 'epochs'`,
    );

    // Reconciliations: alpha differs, then agrees; beta differs in the last run.
    await recordReconciliation(app.ctx.db, {
      blockNumber: 400,
      at: new Date(Date.now() - 60_000),
      campaigns: [
        { campaignId: alpha.id, lines: [], differences: ["alpha REF: off by 10 wei"] },
        { campaignId: beta.id, lines: [], differences: [] },
      ],
    });
    const line = {
      token: "REF",
      ledgerPaid: "0",
      chainSpent: "0",
      indexedPayouts: "0",
      supply: "0",
      indexedBalances: "0",
    };
    await recordReconciliation(app.ctx.db, {
      blockNumber: 500,
      at: new Date(),
      campaigns: [
        { campaignId: alpha.id, lines: [line], differences: [] },
        { campaignId: beta.id, lines: [line], differences: ["beta REF: secret difference"] },
      ],
    });

    const outbox = await queryRows<{ status: string; n: string; oldest: Date | string }>(
      app.ctx.db,
      sql`select status, count(*)::text as n, min(created_at) as oldest from payout_outbox
        where campaign_id = ${alpha.id} group by status`,
    );
    const reviews = await queryRows<{ n: string }>(
      app.ctx.db,
      sql`select count(*)::text as n from review_items where campaign_id = ${alpha.id} and status = 'open'`,
    );
    const res = await ops(tmaFor(ANALYST));
    assert.equal(res.status, 200, res.text);
    const body = res.body;
    assert.equal(body.openReviews, Number(reviews[0]!.n));
    assert.equal(body.openReviews, 1, "the burst waits in review");
    const queued = outbox.find((r) => r.status === "queued");
    assert.ok(queued, JSON.stringify(outbox));
    assert.equal(body.payouts.queued, Number(queued.n));
    assert.equal(body.payouts.oldestWaitingAt, new Date(queued.oldest).toISOString());

    const job = (name: string) => body.jobs.find((j: { job: string }) => j.job === name);
    assert.equal(job("worker").status, "degraded");
    assert.equal(job("worker").consecutiveFailures, 1);
    assert.equal(job("worker").lastError, null, "an analyst does not see errors");
    assert.equal(job("indexer").status, "ok");
    assert.equal(job("indexer").lagBlocks, 3);
    assert.equal(job("indexer").cursor, 500);
    assert.ok(job("indexer").lastSuccessAt);
    assert.equal(job("epochs").status, "down", "a stale row is a stopped process");

    assert.equal(body.reconciliation.last.blockNumber, 500);
    assert.deepEqual(body.reconciliation.last.differences, []);
    assert.deepEqual(body.reconciliation.last.lines, [line]);
    assert.equal(body.reconciliation.lastDifference.blockNumber, 400);
    assert.deepEqual(body.reconciliation.lastDifference.differences, ["alpha REF: off by 10 wei"]);
    assert.ok(!res.text.includes("secret difference"), "nothing of beta");

    // The operator sees the worker's error, and beta's difference in beta.
    const op = await ops(token);
    assert.match(
      op.body.jobs.find((j: { job: string }) => j.job === "worker").lastError,
      /RPC timed out/,
    );
    const b = await ops(token, "beta");
    assert.deepEqual(b.body.reconciliation.last.differences, ["beta REF: secret difference"]);
    assert.equal(b.body.reconciliation.lastDifference.blockNumber, 500);
  });
});
