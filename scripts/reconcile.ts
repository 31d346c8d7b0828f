/**
 * `npm run reconcile`: compares, per campaign and token, what the ledger says was paid with
 * what the chain says (at the block the indexer has reached) and prints every difference.
 * Exit code 0 when they agree, 1 otherwise. Same environment as the server.
 */
import { formatUnits } from "viem";
import { runCommand } from "../server/chain/cli.ts";
import { reconcile } from "../server/chain/reconcile.ts";
import { openChain } from "../server/chain/standalone.ts";

runCommand(async () => {
  const { ctx, close } = await openChain(process.env, { logName: "refmint-reconcile" });
  try {
    const report = await reconcile(ctx.db, ctx.client, ctx.contracts, ctx.chainId);
    console.log(`reconciled at block ${report.block ?? "(not indexed yet)"}`);
    const fmt = (v: bigint) => formatUnits(v, 18);
    for (const l of report.lines)
      console.log(
        `${l.campaign} ${l.token}: ledger paid ${fmt(l.ledgerPaid)}, contract spent ${fmt(l.chainSpent)}, indexed payouts ${fmt(
          l.indexedPayouts,
        )}, supply ${fmt(l.supply)}, indexed balances ${fmt(l.indexedBalances)}`,
      );
    if (report.differences.length === 0) {
      console.log("no differences");
      return 0;
    }
    console.log(`${report.differences.length} difference(s):`);
    for (const d of report.differences) console.log(`  ${d}`);
    return 1;
  } finally {
    await close();
  }
});
