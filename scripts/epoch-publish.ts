/**
 * `npm run epoch:publish`: builds a Merkle epoch for every distributor with something new to
 * claim (what the scheduled epoch job does every EPOCH_INTERVAL_MINUTES), then waits until
 * each root is on-chain and indexed, and prints where its public reward file is served.
 *
 *   npm run epoch:publish [-- --campaign <slug>] [--token <SYM>] [--no-wait] [--timeout <s>]
 *
 * The root is sent by the leading payout worker (one sender owns the signer's nonces). When no
 * worker or indexer runs, this command does their work itself until the epoch is published.
 * Same environment as the server (DATABASE_URL, RPC_URL, CHAIN_ID, PAYOUT_SIGNER_…).
 */
import { inArray } from "drizzle-orm";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { buildEpochs, rewardFilePath } from "../server/chain/epochs.ts";
import { indexerJob, workerJob } from "../server/chain/jobs.ts";
import { openChain } from "../server/chain/standalone.ts";
import { chainEpochs } from "../server/db/areas/chain.ts";

runCommand(async () => {
  const args = parseArgs();
  const { ctx, close } = await openChain(process.env, {
    needSigner: true,
    logName: "refmint-epochs",
  });
  try {
    const outcomes = await buildEpochs(
      {
        db: ctx.db,
        contracts: ctx.contracts,
        settings: ctx.settings,
        chainId: ctx.chainId,
        logger: ctx.logger,
        metrics: ctx.metrics,
        now: ctx.now,
        signer: ctx.account!.address,
      },
      { campaign: args.get("campaign"), token: args.get("token") },
    );
    if (outcomes.length === 0) {
      console.error("no distributor matches (check --campaign / --token and the deployments)");
      return 1;
    }
    for (const o of outcomes)
      console.log(
        `${o.campaign} ${o.token}: ${o.outcome}${o.leaves !== undefined ? ` (${o.leaves} members)` : ""}${
          o.expired > 0 ? `, ${o.expired} grant(s) expired` : ""
        }`,
      );
    const ids = outcomes.flatMap((o) =>
      (o.outcome === "built" || o.outcome === "pending") && o.epochId !== undefined
        ? [o.epochId]
        : [],
    );
    if (ids.length === 0 || args.has("no-wait")) return 0;

    const worker = workerJob(ctx);
    const indexer = indexerJob(ctx);
    const deadline = Date.now() + Number(args.get("timeout") ?? 600) * 1000;
    try {
      for (;;) {
        const rows = await ctx.db.select().from(chainEpochs).where(inArray(chainEpochs.id, ids));
        if (rows.every((r) => r.status !== "pending")) {
          for (const r of rows) {
            const slug = ctx.contracts.byId(r.campaignId)?.slug ?? String(r.campaignId);
            console.log(
              r.status === "published"
                ? `${slug} ${r.token}: epoch ${r.epoch} published in ${r.txHash}, root ${r.root}, ${rewardFilePath(slug, r.token, r.epoch!)}`
                : `${slug} ${r.token}: publication failed (see the worker's log)`,
            );
          }
          return rows.every((r) => r.status === "published") ? 0 : 1;
        }
        if (Date.now() > deadline) {
          console.error("timed out waiting for the epoch to be published");
          return 1;
        }
        // Does the work when no worker or indexer is running (otherwise they lead).
        await worker.runOnce();
        await indexer.runOnce();
        await new Promise((r) => setTimeout(r, ctx.settings.pollMs));
      }
    } finally {
      await worker.stop();
      await indexer.stop();
    }
  } finally {
    await close();
  }
});
