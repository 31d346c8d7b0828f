/**
 * Badges on-chain (issue 14), on a real Hardhat chain with PGlite and PostgreSQL: tier and
 * achievement badges are awarded in the domain exactly once, minted in batches by the badge
 * minter's own key through the payout worker (the indexer confirms them), minted when a member
 * without a wallet links one, the tier badge moves with the tier (the old one revoked
 * on-chain), and each badge's metadata and image are served at the URI the contract returns.
 * A reorg that takes a mint away puts its award back on its send (or in the queue when no send
 * follows it any more), and the pipeline mints it exactly once on the new chain.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { badgesAbi } from "../../server/chain/abi.ts";
import { queryRows } from "../../server/db/index.ts";
import { awardAchievement, sweepBadgeAwards } from "../../server/domain/badges.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { withDatabases } from "../support/db.ts";
import { tmaFor } from "../support/telegram.ts";
import { chainApp, deployedChain, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

/** Hardhat's test key #5: a badge minter of its own. */
const MINTER = privateKeyToAccount(
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
);
const title = (en: string) => ({ en, ru: en });
const accounts = {
  payoutSigner: SIGNER,
  rootPublisher: PUBLISHER,
  relayer: RELAYER,
  badgeMinter: MINTER,
};
const { chain, campaign, fresh } = await deployedChain({
  accounts,
  campaign: {
    tiers: [
      { id: "base", name: title("Base"), minQualified: 0, multiplierBps: 10000, badgeId: 1 },
      { id: "pro", name: title("Pro"), minQualified: 2, multiplierBps: 15000, badgeId: 2 },
    ],
    badges: [
      { id: 1, name: title("Base member"), transferable: false },
      { id: 2, name: title("Pro member"), transferable: false },
      { id: 3, name: title("First invite"), transferable: false, achievement: "first_invite" },
      { id: 4, name: title("Week streak"), transferable: false, achievement: "streak_7" },
    ],
  },
});
let run = 0;

test("badges are awarded once, minted in batches by the minter key, follow the tier, and are served at their URI", async (t) => {
  await withDatabases(t, async (db) => {
    run++;
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const client = h.ctx.driver.client;
    const badges = campaign.deployment.badges;
    const held = (account: Address, id: number) =>
      client.readContract({
        address: badges,
        abi: badgesAbi,
        functionName: "balanceOf",
        args: [account, BigInt(id)],
      });
    const awards = async () =>
      queryRows<{ member_id: number; badge_id: number; status: string; tx_hash: string | null }>(
        db.db,
        sql`select member_id::int, badge_id, status, tx_hash from badge_awards order by member_id, badge_id`,
      );
    const statusOf = async (memberId: number, badgeId: number) =>
      (await awards()).find((a) => Number(a.member_id) === memberId && a.badge_id === badgeId)
        ?.status;

    const base = 7300 + run * 20;
    const wa = privateKeyToAccount(generatePrivateKey());
    const wb = privateKeyToAccount(generatePrivateKey());
    const wd = privateKeyToAccount(generatePrivateKey());
    const [a, b, c, d, e] = await app.members(base, base + 1, base + 2, base + 3, base + 4);
    await h.link(a!.id, wa.address);
    // A invites B (qualified: A reaches the base tier) and C; D, without a wallet, invites E.
    await app.refer(a!, b!);
    await app.refer(a!, c!);
    await app.refer(d!, e!);
    await h.link(b!.id, wb.address);
    assert.equal((await qualify(h.domain, b!.id, { type: "wallet_linked" })).status, "qualified");

    await h.settle(
      async () =>
        (await statusOf(a!.id, 1)) === "minted" && (await statusOf(a!.id, 3)) === "minted",
    );
    assert.equal(await held(wa.address, 1), 1n, "base tier badge on-chain");
    assert.equal(await held(wa.address, 3), 1n, "first invite badge on-chain");
    assert.equal(await statusOf(d!.id, 3), "awaiting_wallet", "D earned it, no wallet yet");
    // Minted by the badge minter's key, in one mintBatch per badge.
    const sends = await queryRows<{ signer: string; n: number }>(
      db.db,
      sql`select signer, count(*)::int as n from chain_sends where kind = 'badge' group by signer`,
    );
    assert.deepEqual(
      sends.map((s) => s.signer),
      [MINTER.address],
    );
    const minted = (await awards()).find((x) => Number(x.member_id) === a!.id && x.badge_id === 1)!;
    const receipt = await client.getTransactionReceipt({ hash: minted.tx_hash as `0x${string}` });
    assert.equal(receipt.from.toLowerCase(), MINTER.address.toLowerCase());

    // Exactly once: sweeping again and awarding again add nothing.
    const count = (await awards()).length;
    const again = await sweepBadgeAwards(
      db.db,
      h.domain.campaigns.requireById(h.campaignId),
      new Date(),
    );
    assert.equal(again.awarded, 0);
    assert.equal((await awards()).length, count);
    const camp = h.domain.campaigns.requireById(h.campaignId);
    assert.equal(await awardAchievement(db.db, camp, a!.id, "streak_7", new Date()), true);
    assert.equal(await awardAchievement(db.db, camp, a!.id, "streak_7", new Date()), false);

    // D links a wallet: the badge D earned is minted then.
    await h.link(d!.id, wd.address);
    await h.settle(
      async () =>
        (await statusOf(d!.id, 3)) === "minted" && (await statusOf(a!.id, 4)) === "minted",
    );
    assert.equal(await held(wd.address, 3), 1n);
    assert.equal(await held(wa.address, 4), 1n, "the streak badge the check-in awarded");

    // A's second qualified friend: the pro tier. Its badge is minted, the base one revoked.
    await h.link(c!.id, privateKeyToAccount(generatePrivateKey()).address);
    assert.equal((await qualify(h.domain, c!.id, { type: "wallet_linked" })).status, "qualified");
    await h.settle(
      async () =>
        (await statusOf(a!.id, 2)) === "minted" && (await statusOf(a!.id, 1)) === "revoked",
    );
    assert.equal(await held(wa.address, 2), 1n, "pro tier badge on-chain");
    assert.equal(await held(wa.address, 1), 0n, "base tier badge revoked on-chain");
    // Each badge was minted once to each wallet (the revoked one too, once).
    const mints = await queryRows<{ account: string; badge_id: number; n: number }>(
      db.db,
      sql`select account, badge_id, sum(delta)::int as n from chain_badge_events where delta > 0
          group by account, badge_id`,
    );
    assert.ok(
      mints.every((m) => m.n === 1),
      JSON.stringify(mints),
    );

    // The dashboard's list: current badges with their transactions.
    const mine = await app.call("GET", `/api/me/badges?campaign=${campaign.definition.slug}`, {
      auth: tmaFor(base),
    });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(
      mine.body.items.map((i: { id: number; status: string }) => [i.id, i.status]),
      [
        [3, "minted"],
        [4, "minted"],
        [2, "minted"],
      ],
    );
    assert.match(mine.body.items[0].txHash, /^0x[0-9a-f]{64}$/);

    // The metadata at the URI the contract returns, and its image.
    const uri = await client.readContract({
      address: badges,
      abi: badgesAbi,
      functionName: "uri",
      args: [2n],
    });
    const path = new URL(uri).pathname;
    assert.equal(path, `/badges/${campaign.definition.slug}/2.json`);
    const meta = await app.call("GET", path);
    assert.equal(meta.status, 200, meta.text);
    assert.equal(meta.body.name, "Pro member");
    assert.match(meta.body.description, /Pro tier/);
    const image = await app.call("GET", new URL(meta.body.image).pathname);
    assert.equal(image.status, 200);
    assert.match(image.headers.get("content-type") ?? "", /^image\/svg\+xml/);
    assert.match(image.text, /^<svg[^>]+>[\s\S]*Pro member[\s\S]*<\/svg>$/);
    assert.equal(
      (await app.call("GET", `/badges/${campaign.definition.slug}/99.json`)).status,
      404,
    );
  });
});

test("a reorg that removes a badge mint puts the award back: minted exactly once on the new chain", async (t) => {
  await withDatabases(t, async (db) => {
    run++;
    const h = await fresh(db);
    const client = h.ctx.driver.client;
    const badges = campaign.deployment.badges;
    const held = (account: Address, id: number) =>
      client.readContract({
        address: badges,
        abi: badgesAbi,
        functionName: "balanceOf",
        args: [account, BigInt(id)],
      });
    const award = async (memberId: number) => {
      const [row] = await queryRows<{ status: string; send_id: number | null }>(
        db.db,
        sql`select status, send_id::int from badge_awards where member_id = ${memberId} and badge_id = 4`,
      );
      return row;
    };
    const mintsTo = async (account: Address) => {
      const [row] = await queryRows<{ n: number }>(
        db.db,
        sql`select coalesce(sum(delta), 0)::int as n from chain_badge_events
            where lower(account) = ${account.toLowerCase()} and badge_id = 4`,
      );
      return row?.n;
    };
    const camp = h.domain.campaigns.requireById(h.campaignId);
    const base = 7600 + run * 20;
    const wa = privateKeyToAccount(generatePrivateKey());
    const wb = privateKeyToAccount(generatePrivateKey());
    const a = await h.member(base);
    const b = await h.member(base + 1);
    await h.link(a, wa.address);
    await h.link(b, wb.address);
    await h.indexer.runOnce();
    const beforeMints = await chain.snapshot();

    // A's streak badge: minted and indexed.
    assert.equal(await awardAchievement(db.db, camp, a, "streak_7", new Date()), true);
    await h.settle(async () => (await award(a))?.status === "minted");
    assert.equal(await held(wa.address, 4), 1n);
    const sendA = await queryRows<{ id: number }>(
      db.db,
      sql`select id::int from chain_sends where kind = 'badge' order by id`,
    );
    assert.equal(sendA.length, 1);

    // B's award is minted outside the pipeline (the minter key by hand): no send follows it.
    assert.equal(await awardAchievement(db.db, camp, b, "streak_7", new Date()), true);
    assert.equal((await award(b))?.status, "queued");
    const byHand = await chain.admin.writeContract({
      address: badges,
      abi: badgesAbi,
      functionName: "mintBatch",
      args: [4n, [wb.address]],
      chain: null,
      account: MINTER,
    });
    await client.waitForTransactionReceipt({ hash: byHand, pollingInterval: 20 });
    await h.indexer.runOnce();
    assert.equal((await award(b))?.status, "minted");

    // The chain forgets both mints: the indexer rewinds, the awards go back.
    await chain.revert(beforeMints);
    await chain.mine(3);
    await h.indexer.runOnce();
    assert.equal(await held(wa.address, 4), 0n, "the mint is gone from the chain");
    assert.deepEqual(
      await award(a),
      { status: "minting", send_id: sendA[0]!.id },
      "A: on its send",
    );
    assert.deepEqual(await award(b), { status: "queued", send_id: null }, "B: queued again");
    assert.equal(await mintsTo(wa.address), 0);

    // The pipeline mints each exactly once on the new chain.
    await h.settle(
      async () => (await award(a))?.status === "minted" && (await award(b))?.status === "minted",
    );
    assert.equal(await held(wa.address, 4), 1n);
    assert.equal(await held(wb.address, 4), 1n);
    assert.equal(await mintsTo(wa.address), 1);
    assert.equal(await mintsTo(wb.address), 1);
    // Re-reading changes nothing.
    await h.indexer.runOnce();
    assert.equal((await award(a))?.status, "minted");
  });
});
