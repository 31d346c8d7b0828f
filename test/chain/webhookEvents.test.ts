/**
 * One referral through the whole real stack (attribution, qualification, payout worker,
 * badge minter, indexer on a Hardhat chain) queues exactly the events it should, once each:
 * `member.joined`, `referral.qualified`, `reward.paid` per payout and `badge.minted` per
 * badge minted on-chain; the worker delivers each once.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { webhookEvents } from "../../server/db/schema/webhooks.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { createWebhookEndpoint, WEBHOOK_EVENT_TYPES } from "../../server/domain/webhooks.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { withDatabases } from "../support/db.ts";
import { chainApp, deployedChain, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

/** Hardhat's test key #5: a badge minter of its own. */
const MINTER = privateKeyToAccount(
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
);
const title = (en: string) => ({ en, ru: en });
const { campaign, fresh } = await deployedChain({
  accounts: {
    payoutSigner: SIGNER,
    rootPublisher: PUBLISHER,
    relayer: RELAYER,
    badgeMinter: MINTER,
  },
  campaign: {
    tiers: [{ id: "base", name: title("Base"), minQualified: 0, multiplierBps: 10000, badgeId: 1 }],
    badges: [
      { id: 1, name: title("Base member"), transferable: false },
      { id: 3, name: title("First invite"), transferable: false, achievement: "first_invite" },
    ],
  },
});

test("a referral through the real pipeline: joined, qualified, paid and badge events, once each", async (t) => {
  await withDatabases(t, async (db, kind) => {
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const sent: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        sent.push(Buffer.concat(chunks).toString("utf8"));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const { endpoint } = await createWebhookEndpoint(h.domain, systemAdmin(), {
      campaignId: h.campaignId,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/refmint`,
      events: [...WEBHOOK_EVENT_TYPES],
      allowHttp: true,
    });
    assert.equal(endpoint.events.length, WEBHOOK_EVENT_TYPES.length);

    const base = kind === "pglite" ? 8100 : 8200;
    const wa = privateKeyToAccount(generatePrivateKey());
    const wb = privateKeyToAccount(generatePrivateKey());
    const [a, b] = await app.members(base, base + 1);
    await h.link(a!.id, wa.address);
    const referral = await app.refer(a!, b!);
    await h.link(b!.id, wb.address);
    assert.equal((await qualify(h.domain, b!.id, { type: "wallet_linked" })).status, "qualified");
    await h.settle();
    await h.settle(async () => {
      const minted = await db.db.select().from(webhookEvents);
      return minted.filter((e) => e.type === "badge.minted").length >= 2;
    });
    // Once more: nothing new comes of passes over what is already indexed.
    await h.indexer.runOnce();

    const events = await db.db.select().from(webhookEvents).orderBy(webhookEvents.id);
    const ids = events.map((e) => e.eventId);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    const byType = (type: string) => events.filter((e) => e.type === type);
    assert.deepEqual(
      byType("member.joined").map((e) => e.eventId),
      [`member.joined:${referral}`],
    );
    assert.deepEqual(
      byType("referral.qualified").map((e) => e.eventId),
      [`referral.qualified:${referral}`],
    );
    const paid = byType("reward.paid");
    assert.equal(paid.length, 1, "A's level-1 reward, paid once");
    assert.equal(paid[0]!.payload.memberId, a!.id);
    assert.deepEqual(
      byType("badge.minted")
        .map((e) => [e.payload.badgeId, String(e.payload.account).toLowerCase()])
        .sort(),
      [
        [1, wa.address.toLowerCase()],
        [3, wa.address.toLowerCase()],
      ],
    );

    // Delivered once each, in passes of two.
    const settings = {
      intervalSeconds: 1,
      timeoutMs: 5000,
      maxAttempts: 3,
      backoffBaseSeconds: 10,
      backoffMaxSeconds: 60,
      batchSize: 2,
      concurrency: 2,
      allowHttp: true,
    };
    for (let i = 0; i < 5; i++)
      await deliverWebhooks({ db: db.db, settings, now: () => new Date() });
    assert.deepEqual(sent.map((s) => JSON.parse(s).id).sort(), [...ids].sort());
  });
});
