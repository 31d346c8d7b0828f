/**
 * `npm run campaign -- <slug> <command> [--reason <text>]`: a campaign's lifecycle from the
 * command line, the same moves as the API (`POST /api/admin/campaigns/<slug>/<command>`) and
 * the bot (server/domain/lifecycleCommands.ts):
 *
 *   status    the state, end dates and pilot (changes nothing)
 *   validate  draft → validated
 *   pause     active → paused        resume   paused → active
 *   end       active|paused → ended  archive  ended → archived
 *   promote   open a pilot to everyone
 *
 * It works on the server's database (DATABASE_URL, else the PGlite directory DATA_DIR, default
 * `.data/pglite`, which a running service holds: stop it first) as the operator (a
 * super-admin, audited as `system`). A refused move prints why (the state and the target) and
 * exits with 1, having changed nothing.
 */
import { isDomainError } from "../server/domain/errors.ts";
import {
  CAMPAIGN_COMMANDS,
  type CampaignLifecycleView,
  campaignLifecycleView,
  isCampaignCommand,
  runCampaignCommand,
  storedCampaign,
} from "../server/domain/lifecycleCommands.ts";
import { systemAdmin } from "../server/domain/roles.ts";
import { openRegistryDatabase } from "./lib/registerCampaign.ts";

const USAGE = `usage: npm run campaign -- <slug> <status|${CAMPAIGN_COMMANDS.join("|")}> [--reason <text>]`;

function describe(v: CampaignLifecycleView): string {
  const lines = [`${v.slug}: ${v.state} (since ${v.stateChangedAt.toISOString()})`];
  if (v.endedAt) lines.push(`ended: ${v.endedAt.toISOString()}`);
  if (v.graceEndsAt)
    lines.push(`pending referrals may qualify until: ${v.graceEndsAt.toISOString()}`);
  if (v.clawbackAt) lines.push(`claims close (clawback): ${v.clawbackAt.toISOString()}`);
  if (v.pilot)
    lines.push(
      v.pilot.promotedAt
        ? `pilot: promoted ${v.pilot.promotedAt.toISOString()} (${v.pilot.members} pilot members)`
        : `pilot: open to pilot members only (${v.pilot.members} so far)`,
    );
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let reason: string | undefined;
  const at = args.indexOf("--reason");
  if (at >= 0) {
    reason = args[at + 1];
    args.splice(at, 2);
  }
  const [slug, command, ...rest] = args;
  if (
    !slug ||
    !command ||
    rest.length > 0 ||
    (command !== "status" && !isCampaignCommand(command))
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { handle } = await openRegistryDatabase(process.env);
  try {
    const ctx = { db: handle.db, now: () => new Date() };
    const campaign = await storedCampaign(handle.db, slug);
    if (command === "status") {
      process.stdout.write(`${describe(await campaignLifecycleView(ctx, campaign))}\n`);
      return 0;
    }
    const before = await campaignLifecycleView(ctx, campaign);
    const after = await runCampaignCommand(ctx, systemAdmin(), campaign, command, reason);
    process.stdout.write(`${command}: ${before.state} → ${after.state}\n${describe(after)}\n`);
    return 0;
  } catch (error) {
    if (isDomainError(error)) {
      process.stderr.write(`refused (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
