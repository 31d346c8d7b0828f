/**
 * `npm run payouts:retry`: puts failed payouts (their batch reverted on-chain; the decoded
 * error is in the entry's note) back in the queue once the cause is fixed. Same payout ids,
 * so nothing can be paid twice.
 *
 *   npm run payouts:retry [-- --entry <id> …] [--campaign <slug>]
 */
import { bootstrap } from "../server/bootstrap.ts";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { requeueFailed } from "../server/chain/retry.ts";
import { loadConfig } from "../server/config.ts";
import { createLogger } from "../server/logger.ts";

runCommand(async () => {
  const args = parseArgs();
  const config = loadConfig();
  const runtime = await bootstrap(config, createLogger(config.log.level));
  try {
    const entries = args.all("entry").map(Number);
    if (entries.some((e) => !Number.isSafeInteger(e) || e <= 0)) {
      console.error("--entry takes a ledger entry id");
      return 2;
    }
    const slug = args.get("campaign");
    const campaign = slug === undefined ? undefined : runtime.domain.campaigns.bySlug(slug);
    if (slug !== undefined && !campaign) {
      console.error(`no campaign ${slug}`);
      return 2;
    }
    const ids = await requeueFailed(
      runtime.database.db,
      { entryIds: entries.length > 0 ? entries : undefined, campaignId: campaign?.id },
      new Date(),
    );
    console.log(
      ids.length === 0
        ? "no failed payouts to requeue"
        : `requeued ${ids.length}: ${ids.join(", ")}`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
});
