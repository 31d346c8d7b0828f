/**
 * `npm run epoch:clawback`: returns unclaimed expired escrow to the campaign's treasury.
 *
 *   npm run epoch:clawback -- --campaign <slug> --token <SYM> [--dry-run]
 *
 * Marks lapsed escrowed grants expired (as the epoch job does), computes what the ledger has
 * expired from that distributor and earlier clawbacks have not yet returned, and calls
 * `RewardDistributor.clawback(amount)` with the campaign admin's key
 * (CAMPAIGN_ADMIN_PRIVATE_KEY, or CAMPAIGN_ADMIN_KEYSTORE + CAMPAIGN_ADMIN_KEYSTORE_PASSWORD);
 * the backend signer cannot. The contract takes only what no open root promises; when the open
 * roots promise everything the distributor holds, the command says so and exits with code 2.
 */
import { formatUnits } from "viem";
import { executeClawback, planClawback } from "../server/chain/clawback.ts";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { expireEpochGrants } from "../server/chain/epochs.ts";
import { indexerJob } from "../server/chain/jobs.ts";
import { operatorTarget } from "../server/chain/operatorTarget.ts";
import { loadAccount } from "../server/chain/signer.ts";
import { openChain } from "../server/chain/standalone.ts";
import { ConfigError } from "../server/config.ts";

runCommand(async () => {
  const args = parseArgs();
  const slug = args.get("campaign");
  const symbol = args.get("token");
  if (!slug || !symbol) {
    console.error("usage: npm run epoch:clawback -- --campaign <slug> --token <SYM> [--dry-run]");
    return 2;
  }
  const target = operatorTarget();
  if (target.kind === "service") {
    console.error(
      `epoch:clawback opens the database itself and cannot run next to ${target.via}, which holds it: stop it first (or use PostgreSQL, DATABASE_URL)`,
    );
    return 1;
  }
  const { ctx, close } = await openChain(process.env, { logName: "refmint-clawback" });
  try {
    const campaign = ctx.contracts.bySlug(slug);
    const token = campaign?.tokens.get(symbol);
    if (!campaign || !token?.distributor) {
      console.error(`no deployed distributor for ${slug} ${symbol}`);
      return 1;
    }
    const ref = { campaign, token };
    const admin = args.has("dry-run") ? undefined : await loadAccount(ctx.settings.admin);
    if (!args.has("dry-run") && !admin)
      throw new ConfigError([
        {
          variable: "CAMPAIGN_ADMIN_PRIVATE_KEY",
          message: "or CAMPAIGN_ADMIN_KEYSTORE (+ _PASSWORD) is required (or pass --dry-run)",
        },
      ]);
    // Bring the indexer up to date (it yields to a running indexer), then expire what lapsed.
    const indexer = indexerJob(ctx);
    await indexer.runOnce();
    await indexer.stop();
    const expired = await expireEpochGrants(ctx, ref);
    if (expired > 0) console.log(`${expired} lapsed grant(s) marked expired`);
    const plan = await planClawback(ctx.db, ctx.driver.client, ref);
    const fmt = (v: bigint) => `${formatUnits(v, token.decimals)} ${symbol}`;
    console.log(
      [
        `distributor ${plan.distributor}`,
        `  expired in the ledger   ${fmt(plan.expired)}`,
        `  already clawed back     ${fmt(plan.clawedBack)}`,
        `  distributor balance     ${fmt(plan.balance)}`,
        `  not promised by a root  ${fmt(plan.unpromised)}`,
        `  to claw back now        ${fmt(plan.amount)}`,
      ].join("\n"),
    );
    if (plan.blocked) {
      console.log(`nothing sent: ${plan.blocked}`);
      return plan.amount === 0n ? 0 : 2;
    }
    if (!admin) return 0;
    const result = await executeClawback(ctx.driver.client, admin, plan);
    console.log(`clawback ${result.status}: ${result.hash}`);
    return result.status === "success" ? 0 : 1;
  } finally {
    await close();
  }
});
