/**
 * Ending a campaign on a real chain, on PGlite and PostgreSQL: during the grace the epochs go
 * on as usual; once it is over, the final epoch is published with the clawback date
 * (`end.claimDays` after the grace) as its deadline, on-chain; after that nothing changes
 * (the same root, nothing republished) and nothing new is granted. Members read the clawback
 * date from the public lifecycle endpoint.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { asc, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { rewardDistributorAbi } from "../../server/chain/abi.ts";
import { queryRows } from "../../server/db/index.ts";
import { chainEpochs } from "../../server/db/schema/chain.ts";
import { transitionCampaign } from "../../server/domain/campaignTransitions.ts";
import { campaignLifecycleView } from "../../server/domain/lifecycleCommands.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { HOUR, testClock } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { chainApp, deployedChain, type Harness, harness } from "./support.ts";

const { chain, campaign, reset } = await deployedChain({ wallClock: true });

async function publish(h: Harness): Promise<void> {
  await h.buildEpochs();
  await h.settle(async () => {
    const [pending] = await queryRows<{ n: number }>(
      h.db.db,
      sql`select count(*)::int as n from chain_epochs where status = 'pending'`,
    );
    return Number(pending?.n) === 0;
  });
}

test("end: the grace, then the final epoch with the clawback date as its on-chain deadline", async (t) => {
  await withDatabases(t, async (db) => {
    await reset();
    const block = await chain.client.getBlock();
    const clock = testClock(new Date(Number(block.timestamp) * 1000));
    const h = await harness(db, campaign, { rpcUrl: chain.url, now: clock.now });
    const app = await chainApp(t, h, campaign);
    const distributor = getAddress(campaign.deployment.tokens.REF!.distributor);
    const registered = h.domain.campaigns.requireById(h.campaignId);
    const { graceHours, claimDays } = registered.rules.end;

    // A earns into escrow and links a wallet: epoch 1, the usual claim window.
    const a = await h.member(21);
    await h.grant(a, "10");
    await h.settle();
    await h.link(a, getAddress(`0x${"c1a1e0".padEnd(40, "1")}`));
    await publish(h);
    const [e1] = await db.db.select().from(chainEpochs);
    assert.equal(e1?.status, "published");

    const ended = await transitionCampaign(h.domain, systemAdmin(), h.campaignId, "end");
    const clawbackSeconds = Math.floor(
      (ended.at.getTime() + graceHours * HOUR + claimDays * 24 * HOUR) / 1000,
    );
    // Within the grace: epochs as usual (nothing changed, nothing republished).
    clock.advance((graceHours - 1) * HOUR);
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => o.outcome),
      ["unchanged"],
    );

    // The grace is over: the final epoch, its deadline the clawback date.
    clock.advance(2 * HOUR);
    await publish(h);
    const epochs = await db.db.select().from(chainEpochs).orderBy(asc(chainEpochs.id));
    assert.equal(epochs.length, 2);
    const final = epochs[1]!;
    assert.equal(final.status, "published");
    assert.equal(final.deadline, clawbackSeconds);
    assert.ok(final.deadline > e1!.deadline, "claims stay open longer than the usual window");
    const onChain = await chain.client.readContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "rootOf",
      args: [BigInt(final.epoch!)],
    });
    assert.equal(onChain, final.root);

    // Nothing changes after it.
    clock.advance(HOUR);
    assert.deepEqual(
      (await h.buildEpochs()).map((o) => o.outcome),
      ["unchanged"],
    );

    // What members see: the same clawback date, publicly.
    const view = await campaignLifecycleView(h.domain, registered);
    assert.equal(Math.floor(view.clawbackAt!.getTime() / 1000), clawbackSeconds);
    const pub = await app.call("GET", `/api/campaigns/${registered.slug}/lifecycle`);
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.body.state, "ended");
    assert.equal(Date.parse(pub.body.clawbackAt) / 1000, clawbackSeconds);
  });
});
