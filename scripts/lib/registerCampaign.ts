/**
 * The deploy's database side: the campaign's row (the registry sync the service runs at start,
 * server/domain/registry.ts) before the first transaction, its deployment loaded after the last,
 * and the lifecycle hooks between.
 */
import { type DatabaseHandle, type Db, openDatabase } from "../../server/db/index.ts";
import { type CampaignDefinition, hashDefinition } from "../../server/domain/campaign.ts";
import { markDeployed, markDeploying } from "../../server/domain/campaignTransitions.ts";
import { type Campaign, syncCampaigns } from "../../server/domain/registry.ts";

/**
 * Where a deploy moves the campaign's lifecycle state (server/domain/campaignTransitions.ts:
 * draft → validated → deploying → active), each move an audited transition by the system.
 */
export interface DeployLifecycle {
  /** The file is valid and its row synced; the contracts are about to be deployed (or resumed). */
  deploying(db: Db, campaign: Campaign): Promise<void>;
  /** Every contract is deployed, the deployment file written and loaded: it can go live. */
  deployed(db: Db, campaign: Campaign): Promise<void>;
}

export const deployLifecycle: DeployLifecycle = {
  async deploying(db, campaign) {
    await markDeploying({ db, now: () => new Date() }, campaign.id);
  },
  async deployed(db, campaign) {
    await markDeployed({ db, now: () => new Date() }, campaign.id);
  },
};

/**
 * The service's database: `DATABASE_URL` (PostgreSQL), else the PGlite directory `DATA_DIR`
 * (default `.data/pglite`), which must exist (the service or `npm run db:migrate` creates it)
 * and be free (a running service holds its directory). Migrated like `db:migrate` does.
 */
export async function openRegistryDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ handle: DatabaseHandle; where: string }> {
  const url = env.DATABASE_URL?.trim() || undefined;
  const dataDir = env.DATA_DIR?.trim() || ".data/pglite";
  const handle = await openDatabase(url ? { url } : { dataDir, create: false });
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { handle, where: url ? `PostgreSQL (DATABASE_URL)` : `PGlite at ${dataDir} (DATA_DIR)` };
}

/**
 * Registers the campaign as the service does at start-up: its row and token budgets from the
 * file and, with `deployment`, its deployment file on that chain, which must load.
 */
export async function registerCampaign(
  db: Db,
  campaign: CampaignDefinition,
  file: string,
  deployment?: { deploymentsDir: string; chainId: number },
): Promise<Campaign> {
  const warnings: string[] = [];
  const registry = await syncCampaigns(
    db,
    [{ file, definition: campaign, hash: hashDefinition(campaign) }],
    { ...deployment, onWarning: (m) => warnings.push(m) },
  );
  const registered = registry.bySlug(campaign.slug);
  if (!registered) throw new Error(`campaign ${campaign.slug} was not registered`);
  if (deployment && !registered.deployment)
    throw new Error(
      `campaign ${campaign.slug} is registered, but its deployment on chain ${deployment.chainId} did not load${
        warnings.length > 0 ? `: ${warnings.join("; ")}` : ` from ${deployment.deploymentsDir}`
      }`,
    );
  return registered;
}
