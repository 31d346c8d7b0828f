/**
 * `npm run epoch:publish`: builds a Merkle epoch for every distributor with something new to
 * claim (what the scheduled epoch job does every EPOCH_INTERVAL_MINUTES), then waits until
 * each root is on-chain and indexed, and prints where its public reward file is served.
 *
 *   npm run epoch:publish [-- --campaign <slug>] [--token <SYM>] [--no-wait] [--timeout <s>]
 *
 * The root is sent by the leading payout worker (one sender owns the signer's nonces). When no
 * worker or indexer runs, this command does their work itself until the epoch is published.
 *
 * Next to `npm run dev` it needs no setup: it asks the dev service to build the epoch (the
 * service's worker publishes it), waits for it, and checks that the service serves its reward
 * file. Otherwise the server's environment (DATABASE_URL, RPC_URL, CHAIN_ID, PAYOUT_SIGNER_…);
 * see server/chain/operatorTarget.ts for how the command chooses.
 */
import { inArray } from "drizzle-orm";
import { type Args, parseArgs, runCommand } from "../server/chain/cli.ts";
import { buildEpochs, type EpochOutcome, rewardFilePath } from "../server/chain/epochs.ts";
import { indexerJob, workerJob } from "../server/chain/jobs.ts";
import {
  callService,
  type OperatorTarget,
  operatorTarget,
} from "../server/chain/operatorTarget.ts";
import { openChain } from "../server/chain/standalone.ts";
import { chainEpochs } from "../server/db/schema/chain.ts";

type Outcome = Pick<EpochOutcome, "campaign" | "token" | "outcome" | "expired"> & {
  epochId?: number | null;
  leaves?: number | null;
};

function printOutcomes(outcomes: Outcome[]): number[] {
  for (const o of outcomes)
    console.log(
      `${o.campaign} ${o.token}: ${o.outcome}${o.leaves != null ? ` (${o.leaves} members)` : ""}${
        o.expired > 0 ? `, ${o.expired} grant(s) expired` : ""
      }`,
    );
  return outcomes.flatMap((o) =>
    (o.outcome === "built" || o.outcome === "pending") && o.epochId != null ? [o.epochId] : [],
  );
}

interface EpochStatus {
  id: number;
  campaign: string;
  token: string;
  status: "pending" | "published" | "failed";
  epoch: number | null;
  root: string;
  txHash: string | null;
  url: string | null;
}

/** Through the running service: it builds, its worker publishes, and it must serve the file. */
async function throughService(
  target: Extract<OperatorTarget, { kind: "service" }>,
  args: Args,
): Promise<number> {
  console.log(`through ${target.via} at ${target.apiUrl}`);
  const { items } = await callService<{ items: Outcome[] }>(
    target,
    "POST",
    "/api/operator/epochs",
    {
      campaign: args.get("campaign"),
      token: args.get("token"),
    },
  );
  if (items.length === 0) {
    console.error("no distributor matches (check --campaign / --token and the deployments)");
    return 1;
  }
  const ids = printOutcomes(items);
  if (ids.length === 0 || args.has("no-wait")) return 0;
  const deadline = Date.now() + Number(args.get("timeout") ?? 600) * 1000;
  let ok = true;
  for (const id of ids) {
    let s = await callService<EpochStatus>(target, "GET", `/api/operator/epochs/${id}`);
    while (s.status === "pending") {
      if (Date.now() > deadline) {
        console.error(
          `timed out waiting for epoch ${id} to be published (see ${target.apiUrl}/api/chain/health)`,
        );
        return 1;
      }
      await new Promise((r) => setTimeout(r, 500));
      s = await callService<EpochStatus>(target, "GET", `/api/operator/epochs/${id}`);
    }
    if (s.status === "failed" || s.url === null) {
      console.log(`${s.campaign} ${s.token}: publication failed (see the service's log)`);
      ok = false;
      continue;
    }
    // What a member or auditor will fetch: it must be there, with the root now on-chain.
    const url = `${target.apiUrl}${s.url}`;
    const res = await fetch(url);
    const file = res.ok ? ((await res.json()) as { root?: string }) : undefined;
    if (file?.root !== s.root) {
      console.log(
        `${s.campaign} ${s.token}: epoch ${s.epoch} is on-chain (${s.txHash}) but ${url} is not served (HTTP ${res.status})`,
      );
      ok = false;
      continue;
    }
    console.log(
      `${s.campaign} ${s.token}: epoch ${s.epoch} published in ${s.txHash}, root ${s.root}, ${url}`,
    );
  }
  return ok ? 0 : 1;
}

runCommand(async () => {
  const args = parseArgs();
  const target = operatorTarget();
  if (target.kind === "service") return throughService(target, args);
  const { ctx, close } = await openChain(process.env, {
    needSigner: true,
    logName: "refmint-epochs",
  });
  const publisher = ctx.driver.accountFor("rootPublisher");
  if (!publisher) {
    await close();
    console.error(
      "no root publisher key: set ROOT_PUBLISHER_PRIVATE_KEY or ROOT_PUBLISHER_KEYSTORE",
    );
    return 1;
  }
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
        signer: publisher.address,
      },
      { campaign: args.get("campaign"), token: args.get("token") },
    );
    if (outcomes.length === 0) {
      console.error("no distributor matches (check --campaign / --token and the deployments)");
      return 1;
    }
    const ids = printOutcomes(outcomes);
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
