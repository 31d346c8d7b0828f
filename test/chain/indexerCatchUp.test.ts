/**
 * A campaign deployed while the indexer runs (the console's deploy, found by the registry's
 * reload, server/domain/registrySync.ts) is indexed from its deployment block: a payout its
 * contract made before the indexer knew it — in blocks the cursor already passed — is recorded
 * and its token's balances moved, exactly once; later payouts are read as usual.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import type { Address } from "viem";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { evmWalletClient } from "../../server/chain/evm/client.ts";
import { encodePayoutBatch } from "../../server/chain/evm/payoutBatch.ts";
import { queryRows } from "../../server/db/index.ts";
import { syncDefinitions } from "../../server/domain/registry.ts";
import { registrySyncState, syncRegistry } from "../../server/domain/registrySync.ts";
import { testCampaign } from "../support/campaign.ts";
import { withDatabases } from "../support/db.ts";
import { CHAIN_ID, deployedChain, deployTestCampaign, SIGNER } from "./support.ts";

const { chain, fresh } = await deployedChain();
const RECIPIENT = "0x00000000000000000000000000000000000c0ffe" as Address;

test("a campaign that joins while the indexer runs is read from its deployment block, once", async (t) => {
  let n = 0;
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    await h.indexer.runOnce();
    // Deployed meanwhile; its contract pays before the indexer knows it.
    const b = await deployTestCampaign(
      chain,
      testCampaign({ slug: `catchup-${process.pid}-${++n}`, onchainId: 900 + n }),
    );
    t.after(() => b.cleanup());
    const signer = evmWalletClient(SIGNER, {
      rpcUrl: chain.url,
      chainId: CHAIN_ID,
      profile: "test",
    });
    const pay = async (payoutId: bigint) => {
      const { transfers, meta } = encodePayoutBatch([
        { payoutId, recipient: RECIPIENT, amount: 5n * 10n ** 18n, referee: 1n, level: 1 },
      ]);
      const hash = await signer.writeContract({
        address: b.deployment.referralPayouts,
        abi: referralPayoutsAbi,
        functionName: "pay",
        args: [b.deployment.tokens.REF!.token, transfers, meta],
      });
      const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      assert.equal(receipt.status, "success");
    };
    await pay(777n);
    await chain.mine(2);
    await h.indexer.runOnce();
    const payouts = () =>
      queryRows<{ payout_id: string }>(
        db.db,
        sql`select payout_id::text from chain_payouts where payout_id in (777, 778) order by payout_id`,
      );
    const balance = async () =>
      (
        await queryRows<{ balance: string }>(
          db.db,
          sql`select balance::text from chain_balances where account = ${RECIPIENT}`,
        )
      )[0]?.balance;
    assert.deepEqual(await payouts(), [], "the cursor passed it without knowing the contract");

    // Registered elsewhere; this process's registry reloads and the contract index follows.
    await syncDefinitions(db.db, [b.definition]);
    h.domain.campaigns.onChange(() => h.contracts.reload(h.domain.campaigns));
    const joined = await syncRegistry(h.domain, registrySyncState(), {
      deploymentsDir: b.deploymentsDir,
      chainId: CHAIN_ID,
    });
    assert.deepEqual(joined?.added, [b.definition.slug]);
    assert.equal(h.contracts.size, 2);

    await h.indexer.runOnce();
    assert.deepEqual(await payouts(), [{ payout_id: "777" }], "caught up");
    assert.equal(await balance(), String(5n * 10n ** 18n));
    const [row] = await queryRows<{ complete: boolean }>(
      db.db,
      sql`select complete from chain_indexed_campaigns
          where payouts = ${b.deployment.referralPayouts.toLowerCase()}`,
    );
    assert.equal(row?.complete, true);

    // From now on its logs are read as any other's, and nothing twice.
    await pay(778n);
    await chain.mine(2);
    await h.indexer.runOnce();
    await h.indexer.runOnce();
    assert.deepEqual(await payouts(), [{ payout_id: "777" }, { payout_id: "778" }]);
    assert.equal(await balance(), String(10n * 10n ** 18n));
  });
});
