/**
 * `npm run reconcile`: compares, per campaign and token, what the ledger says was paid with
 * what the chain says (at the block the indexer has reached) and prints every difference.
 * Exit code 0 when they agree, 1 otherwise. Next to `npm run dev` it needs no setup (it runs
 * through the dev service); otherwise the server's environment (see operatorTarget.ts).
 */
import { formatUnits } from "viem";
import { runCommand } from "../server/chain/cli.ts";
import { callService, operatorTarget } from "../server/chain/operatorTarget.ts";
import { openChain } from "../server/chain/standalone.ts";

interface Report {
  block: number | null;
  lines: Array<{
    campaign: string;
    token: string;
    ledgerPaid: bigint | string;
    chainSpent: bigint | string;
    indexedPayouts: bigint | string;
    supply: bigint | string;
    indexedBalances: bigint | string;
  }>;
  differences: string[];
}

async function localReport(): Promise<Report> {
  const { ctx, close } = await openChain(process.env, { logName: "refmint-reconcile" });
  try {
    return await ctx.driver.reconcile(ctx.db, ctx.contracts);
  } finally {
    await close();
  }
}

runCommand(async () => {
  const target = operatorTarget();
  if (target.kind === "service") console.log(`through ${target.via} at ${target.apiUrl}`);
  const report =
    target.kind === "service"
      ? await callService<Report>(target, "POST", "/api/operator/reconcile")
      : await localReport();
  console.log(`reconciled at block ${report.block ?? "(not indexed yet)"}`);
  const fmt = (v: bigint | string) => formatUnits(BigInt(v), 18);
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
});
