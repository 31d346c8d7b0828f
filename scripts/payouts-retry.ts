/**
 * `npm run payouts:retry`: puts failed payouts (their batch reverted on-chain; the decoded
 * error is in the entry's note) back in the queue once the cause is fixed. Same payout ids,
 * so nothing can be paid twice. Next to `npm run dev` it needs no setup (it runs through the
 * dev service); otherwise the server's environment (see operatorTarget.ts).
 *
 *   npm run payouts:retry [-- --entry <id> …] [--campaign <slug>]
 */
import { bootstrap } from "../server/bootstrap.ts";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { callService, operatorTarget } from "../server/chain/operatorTarget.ts";
import { requeueFailed } from "../server/chain/retry.ts";
import { loadConfig } from "../server/config.ts";
import { createLogger } from "../server/logger.ts";

async function local(entryIds: number[] | undefined, slug: string | undefined) {
  const config = loadConfig();
  const runtime = await bootstrap(config, createLogger(config.log.level), undefined, {
    createDatabase: false,
  });
  try {
    const campaign = slug === undefined ? undefined : runtime.domain.campaigns.bySlug(slug);
    if (slug !== undefined && !campaign) return undefined;
    return await requeueFailed(
      runtime.database.db,
      { entryIds, campaignId: campaign?.id },
      new Date(),
    );
  } finally {
    await runtime.close();
  }
}

runCommand(async () => {
  const args = parseArgs();
  const entries = args.all("entry").map(Number);
  if (entries.some((e) => !Number.isSafeInteger(e) || e <= 0)) {
    console.error("--entry takes a ledger entry id");
    return 2;
  }
  const slug = args.get("campaign");
  const entryIds = entries.length > 0 ? entries : undefined;
  const target = operatorTarget();
  if (target.kind === "service") console.log(`through ${target.via} at ${target.apiUrl}`);
  const ids =
    target.kind === "service"
      ? (
          await callService<{ requeued: number[] }>(target, "POST", "/api/operator/payouts/retry", {
            entryIds,
            campaign: slug,
          })
        ).requeued
      : await local(entryIds, slug);
  if (ids === undefined) {
    console.error(`no campaign ${slug}`);
    return 2;
  }
  console.log(
    ids.length === 0 ? "no failed payouts to requeue" : `requeued ${ids.length}: ${ids.join(", ")}`,
  );
  return 0;
});
