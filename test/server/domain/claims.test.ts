/**
 * The one definition of "claimable" (server/domain/claims.ts): only the open leaf of the
 * latest root that took effect counts, minus what was claimed; what is paid into escrow but in
 * no root in effect yet is reported apart, never as claimable.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  chainClaims,
  chainCursors,
  chainEpochLeaves,
  chainEpochs,
  chainPayouts,
} from "../../../server/db/schema/chain.ts";
import { ledgerEntries } from "../../../server/db/schema.ts";
import { claimableLeaves, rewardPosition } from "../../../server/domain/index.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const DISTRIBUTOR = "0x00000000000000000000000000000000000000d1";
const TOKEN = "0x00000000000000000000000000000000000000e1";
const WALLET = "0x00000000000000000000000000000000000000a1";

test("claimable: the root in effect minus claims; escrow outside a root in effect is apart", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [testCampaign()] });
    const campaign = d.ctx.campaigns.all()[0]!;
    const bob = await d.member(2001, "Bob");
    const now = d.clock.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const position = () => rewardPosition(db.db, campaign, bob.id, d.clock.now());
    const get = (m: Map<string, bigint>) => m.get("REF") ?? 0n;

    // Two grants of 3 and 4 paid into escrow; one of 2 still on its way.
    const entries = await db.db
      .insert(ledgerEntries)
      .values(
        (
          [
            [3n, "settled"],
            [4n, "settled"],
            [2n, "queued"],
          ] as const
        ).map(([amount, state], i) => ({
          campaignId: campaign.id,
          token: "REF",
          memberId: bob.id,
          amount,
          kind: "adjustment" as const,
          idempotencyKey: `test:${i}`,
          state,
        })),
      )
      .returning();
    await db.db.insert(chainPayouts).values(
      entries.slice(0, 2).map((e) => ({
        campaignId: campaign.id,
        payoutId: e.id,
        token: "REF",
        amount: e.amount,
        escrow: true,
        entryId: e.id,
        txHash: "0x01",
        blockNumber: 1,
      })),
    );
    await db.db.insert(chainCursors).values({
      name: "indexer:31337",
      blockNumber: 10,
      blockHash: "0x10",
      blockTimestamp: nowSeconds,
      indexedThrough: 10,
    });

    // In escrow, in no root yet: nothing claimable.
    let p = await position();
    assert.deepEqual([get(p.pending), get(p.claimable), get(p.inEscrow)], [2n, 0n, 7n]);

    // A root with the first grant takes effect; one with both is published but still waits.
    const epoch = async (n: number, cumulative: bigint, activatesAt: number, deadline: number) => {
      const [row] = await db.db
        .insert(chainEpochs)
        .values({
          campaignId: campaign.id,
          token: "REF",
          tokenAddress: TOKEN,
          distributor: DISTRIBUTOR,
          root: `0x${n}`,
          deadline,
          leafCount: 1,
          total: cumulative,
          activatesAt,
          status: "published",
          epoch: n,
          snapshotBlock: 1,
        })
        .returning();
      await db.db.insert(chainEpochLeaves).values({
        epochId: row!.id,
        memberId: bob.id,
        account: WALLET,
        cumulativeAmount: cumulative,
        deadline,
        throughEntryId: entries[0]!.id,
      });
    };
    const day = 86_400;
    await epoch(1, 3n, nowSeconds - 60, nowSeconds + day);
    await epoch(2, 7n, nowSeconds + 3600, nowSeconds + 2 * day);
    p = await position();
    assert.deepEqual([get(p.claimable), get(p.inEscrow)], [3n, 4n]);
    const [leaf] = await claimableLeaves(db.db, bob.id, d.clock.now());
    assert.equal(leaf?.epoch, 1, "the root in effect, not the newest published");

    // The chain moves past the second root's activation: all of it is claimable.
    await db.db.update(chainCursors).set({ blockTimestamp: nowSeconds + 3601 });
    p = await position();
    assert.deepEqual([get(p.claimable), get(p.inEscrow)], [7n, 0n]);

    // A claim of 7 (as indexed): nothing left; an on-chain reader ahead of the indexer wins.
    await db.db.insert(chainClaims).values({
      blockNumber: 11,
      logIndex: 0,
      distributor: DISTRIBUTOR,
      account: WALLET,
      amount: 3n,
      memberId: bob.id,
      txHash: "0x02",
    });
    p = await position();
    assert.deepEqual([get(p.claimable), get(p.inEscrow)], [4n, 0n]);
    const ahead = await rewardPosition(db.db, campaign, bob.id, d.clock.now(), async () => 7n);
    assert.deepEqual([get(ahead.claimable), get(ahead.inEscrow)], [0n, 0n]);

    // A leaf past its deadline is not claimable.
    d.clock.advance((2 * day + 1) * 1000);
    assert.deepEqual(await claimableLeaves(db.db, bob.id, d.clock.now()), []);
  });
});
