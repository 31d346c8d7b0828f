/**
 * `reward.paid` webhooks from the real pipeline on a Hardhat chain: a grant paid by the worker
 * and read back by the indexer is queued in the indexer's range transaction and delivered,
 * signed, exactly once, also when the range is read again.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { getAddress } from "viem";
import { webhookDeliveries, webhookEvents } from "../../server/db/schema/webhooks.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { createWebhookEndpoint } from "../../server/domain/webhooks.ts";
import { verifyWebhook } from "../../server/webhooks/signature.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { withDatabases } from "../support/db.ts";
import { deployedChain } from "./support.ts";

const { chain, campaign, fresh } = await deployedChain();

test("a reward paid through the pipeline and the indexer is one signed reward.paid event", async (t) => {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  await withDatabases(t, async (db) => {
    received.length = 0;
    const h = await fresh(db);
    const { secret } = await createWebhookEndpoint(h.domain, systemAdmin(), {
      campaignId: h.campaignId,
      url,
      events: ["reward.paid"],
      allowHttp: true,
      allowLoopback: true,
    });
    const member = await h.member(4001);
    await h.link(member, getAddress("0x00000000000000000000000000000000000a11ce"));
    const entry = await h.grant(member, "12.5");
    // Nothing is paid yet, so nothing is queued.
    assert.equal((await db.db.select().from(webhookEvents)).length, 0);
    await h.settle();

    const events = await db.db.select().from(webhookEvents);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.eventId, `reward.paid:${entry}`);

    // The indexer reads the whole range again: no second event.
    const start = campaign.deployment.startBlock;
    const startHash = (await chain.client.getBlock({ blockNumber: BigInt(start) })).hash;
    await db.db.execute(
      sql`update chain_cursors set block_number = ${start}, block_hash = ${startHash}`,
    );
    await h.indexer.runOnce();
    await h.indexer.runOnce();
    assert.equal((await db.db.select().from(webhookEvents)).length, 1);

    const settings = {
      intervalSeconds: 1,
      timeoutMs: 5000,
      maxAttempts: 3,
      backoffBaseSeconds: 10,
      backoffMaxSeconds: 60,
      batchSize: 10,
      concurrency: 2,
      allowHttp: true,
      allowLoopback: true,
    };
    const now = () => new Date();
    assert.deepEqual(await deliverWebhooks({ db: db.db, settings, now }), {
      delivered: 1,
      retrying: 0,
      failed: 0,
    });
    assert.deepEqual(await deliverWebhooks({ db: db.db, settings, now }), {
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    assert.equal(received.length, 1);
    const [r] = received;
    assert.ok(
      verifyWebhook(
        secret,
        {
          timestamp: String(r!.headers["x-refmint-timestamp"]),
          signature: String(r!.headers["x-refmint-signature"]),
        },
        r!.body,
        Math.floor(Date.now() / 1000),
      ),
    );
    const body = JSON.parse(r!.body);
    assert.equal(body.type, "reward.paid");
    assert.equal(body.id, `reward.paid:${entry}`);
    assert.equal(body.data.payoutId, entry);
    assert.equal(body.data.memberId, member);
    assert.equal(body.data.amount, "12500000000000000000");
    assert.equal(body.data.escrow, false);
    assert.match(body.data.txHash, /^0x[0-9a-f]{64}$/);
    const [d] = await db.db.select().from(webhookDeliveries);
    assert.equal(d!.status, "delivered");
  });
});
