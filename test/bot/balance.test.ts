/**
 * /balance against a real chain: token balances read on-chain with viem (not from our
 * database), what is on its way, what is held in escrow until claimed, explorer links.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq, inArray, sql } from "drizzle-orm";
import { type Address, getAddress, parseUnits } from "viem";
import { balanceReport } from "../../bot/balances.ts";
import { ContractIndex } from "../../server/chain/contracts.ts";
import { memberProofs } from "../../server/chain/epochs.ts";
import { EvmDriver } from "../../server/chain/evm/driver.ts";
import { invalidateReads } from "../../server/db/index.ts";
import { chainEpochLeaves, chainEpochs, chainPayouts } from "../../server/db/schema/chain.ts";
import { ledgerEntries, memberWallets, payoutOutbox } from "../../server/db/schema.ts";
import { completeChallenge } from "../../server/domain/index.ts";
import { memberTag } from "../../server/domain/readTags.ts";
import { type CampaignChain, startCampaignChain } from "../support/chain.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { startBotHarness } from "./support/harness.ts";

const definition = botCampaign({ slug: `bot-balance-${process.pid}` });
let chain: CampaignChain;
/** The chain reads the bot and the API make (through the chain seam). */
let reads: EvmDriver;
before(async () => {
  chain = await startCampaignChain(definition);
  reads = new EvmDriver({ client: chain.client, chainId: 31337 });
});
after(() => chain.stop());

// One chain for both database kinds: each run pays under its own payout ids and wallets, and
// its members get numbers of their own (the distributor keeps claims per member number).
let idBase = 0n;
const wallet = (n: bigint) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

test("/balance reads balances on-chain and shows pending, escrowed and claimable amounts (the API's figure) with explorer links", async (t) => {
  await withDatabases(t, async (db) => {
    idBase += 1000n;
    const ALICE_WALLET = wallet(idBase + 1n);
    const BOB_WALLET = wallet(idBase + 2n);
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [definition],
      deploymentsDir: chain.deploymentsDir,
      publicClient: chain.client,
      env: { EXPLORER_URL: "https://explorer.test" },
      loops: false,
    });
    const ref = chain.deployment.tokens.REF!;
    await db.db.execute(sql`select setval('members_id_seq', ${Number(idBase)})`);
    const alice = await h.member(1401, "Alice");
    const bob = await h.member(1402, "Bob");
    await db.db
      .insert(memberWallets)
      .values({ memberId: alice.id, address: ALICE_WALLET, chainId: 31337 });
    await h.refer(alice, bob);
    await completeChallenge(h.ctx, { memberId: bob.id, challengeId: "join", source: "test" });
    const entries = await db.db.select().from(ledgerEntries).orderBy(ledgerEntries.id);
    const mine = entries.find((e) => e.memberId === alice.id)!;
    const welcome = entries.find((e) => e.kind === "welcome")!;

    // The pipeline pays Alice's reward to her wallet and Bob's welcome bonus into escrow.
    const settle = async (entryId: number, recipient: Address, amount: bigint, referee: number) => {
      const txHash = await chain.pay("REF", [
        {
          payoutId: idBase + BigInt(entryId),
          recipient,
          amount,
          referee: BigInt(referee),
          level: 1,
        },
      ]);
      await db.db
        .update(ledgerEntries)
        .set({ state: "settled", txHash })
        .where(eq(ledgerEntries.id, entryId));
      await db.db
        .update(payoutOutbox)
        .set({ status: "settled", recipient, txHash })
        .where(eq(payoutOutbox.entryId, entryId));
    };
    await settle(mine.id, ALICE_WALLET, mine.amount, bob.id);
    await settle(welcome.id, ref.distributor, welcome.amount, bob.id);
    // The indexer saw the welcome bonus paid into escrow.
    await db.db.insert(chainPayouts).values({
      campaignId: welcome.campaignId,
      payoutId: Number(idBase) + welcome.id,
      token: "REF",
      amount: welcome.amount,
      escrow: true,
      entryId: welcome.id,
      txHash: `0x${"ab".repeat(32)}`,
      blockNumber: 1,
    });
    // What our database says must not matter for the balance: the chain is read.
    await db.db
      .update(ledgerEntries)
      .set({ amount: parseUnits("999", 18) })
      .where(inArray(ledgerEntries.id, [mine.id]));

    const [a] = await h.say(h.user(1401, "en", "Alice"), "/balance");
    const balanceLink = `https://explorer.test/token/${ref.token}?a=${ALICE_WALLET}`;
    assert.equal(
      a?.params.text,
      [
        "💰 <b>Your balance</b>",
        `Wallet: <a href="https://explorer.test/address/${ALICE_WALLET}">0x0000…${ALICE_WALLET.slice(-4)}</a>`,
        `• <a href="${balanceLink}">15 REF</a>`,
        "Nothing pending.",
      ].join("\n"),
    );

    // Bob has no wallet: his welcome bonus waits in escrow (not claimable: no root includes it
    // yet), the task reward is on its way.
    const [b] = await h.say(h.user(1402, "ru", "Bob"), "/balance");
    assert.equal(
      b?.params.text,
      [
        "💰 <b>Ваш баланс</b>",
        "Кошелёк ещё не привязан. Заработанные награды зарезервированы для вас в блокчейне; привяжите кошелёк, и они поступят на него.",
        "⏳ В пути: 2 REF",
        "🔒 Зарезервировано для вас в блокчейне: 5 REF. Привяжите кошелёк, чтобы получить.",
      ].join("\n"),
    );
    assert.match(
      String(
        (b!.params.reply_markup as { inline_keyboard: Array<Array<{ url: string }>> })
          .inline_keyboard[0]![0]!.url,
      ),
      /^https:\/\/api\.refmint\.test\/login#token=/,
    );

    // The bot and the API (GET /api/rewards/proof, what the dashboard shows) give one figure.
    const campaign = h.ctx.campaigns.byId(welcome.campaignId)!;
    const contracts = ContractIndex.fromRegistry(h.ctx.campaigns);
    const claimable = async () => {
      const bot = await balanceReport(h.ctx, campaign, { id: bob.id, wallet: null }, reads);
      const api = await memberProofs(db.db, contracts, reads, bob.id, h.ctx.now());
      return {
        bot: bot.claimable.get("REF") ?? 0n,
        api: api.reduce((sum, p) => sum + BigInt(p.claimable), 0n),
        inEscrow: bot.inEscrow.get("REF") ?? 0n,
      };
    };
    assert.deepEqual(await claimable(), { bot: 0n, api: 0n, inEscrow: welcome.amount });

    // Bob links a wallet; the next epoch's root includes his leaf and takes effect.
    await db.db
      .insert(memberWallets)
      .values({ memberId: bob.id, address: BOB_WALLET, chainId: 31337 });
    invalidateReads(db.db, [memberTag(bob.id)]); // as the domain's wallet link does
    const tree = await chain.publishEpoch("REF", [
      {
        member: BigInt(bob.id),
        account: BOB_WALLET,
        cumulativeAmount: welcome.amount,
        deadline: Math.floor(Date.now() / 1000) + 86_400,
        released: false,
      },
    ]);
    const epoch = { root: tree.root, deadline: tree.deadline };
    const [row] = await db.db
      .insert(chainEpochs)
      .values({
        campaignId: welcome.campaignId,
        token: "REF",
        tokenAddress: ref.token.toLowerCase(),
        distributor: ref.distributor.toLowerCase(),
        root: epoch.root,
        deadline: epoch.deadline,
        leafCount: 1,
        total: welcome.amount,
        activatesAt: Math.floor(h.ctx.now().getTime() / 1000) - 1,
        status: "published",
        epoch: 1,
        snapshotBlock: 1,
      })
      .returning();
    await db.db.insert(chainEpochLeaves).values({
      epochId: row!.id,
      memberId: bob.id,
      account: BOB_WALLET.toLowerCase(),
      cumulativeAmount: welcome.amount,
      deadline: epoch.deadline,
      throughEntryId: welcome.id,
    });
    assert.deepEqual(await claimable(), { bot: welcome.amount, api: welcome.amount, inEscrow: 0n });
    const [ready] = await h.say(h.user(1402, "en", "Bob"), "/balance");
    assert.ok(String(ready?.params.text).includes("🔓 Ready to claim: 5 REF"));

    // He claims: the claim shows on-chain, nothing left to claim or in escrow.
    await chain.claim("REF", tree, bob.id);
    assert.deepEqual(await claimable(), { bot: 0n, api: 0n, inEscrow: 0n });
    const [claimed] = await h.say(h.user(1402, "en", "Bob"), "/balance");
    assert.deepEqual(String(claimed?.params.text).split("\n").slice(2), [
      `• <a href="https://explorer.test/token/${ref.token}?a=${BOB_WALLET}">5 REF</a>`,
      "⏳ On its way: 2 REF",
    ]);
  });
});
