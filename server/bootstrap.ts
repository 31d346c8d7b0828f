/**
 * Wiring shared by `main.ts`, the bot and scripts: configuration → database (migrated) →
 * campaigns (synced) → domain context, plus the optional viem public client.
 */
import type { PublicClient } from "viem";
import { evmPublicClient } from "./chain/evm/client.ts";
import type { Config } from "./config.ts";
import { type DatabaseHandle, openDatabase } from "./db/index.ts";
import { readCampaignFiles } from "./domain/campaign.ts";
import type { DomainContext, DomainEvents } from "./domain/context.ts";
import { syncCampaigns } from "./domain/registry.ts";
import type { Logger } from "./logger.ts";

export interface Runtime {
  database: DatabaseHandle;
  domain: DomainContext;
  publicClient?: PublicClient;
  close(): Promise<void>;
}

export function createChainClient(config: Config): PublicClient | undefined {
  if (config.chain.rpcUrl === undefined) return undefined;
  return evmPublicClient(config.chain.rpcUrl, config.chain.chainId, "reads");
}

export interface BootstrapOptions {
  /**
   * `false`: refuse (DatabaseMissingError) rather than create a PGlite database that does not
   * exist yet. Operator commands pass it: only the service and `db:migrate` create databases,
   * so a command pointed at the wrong directory never silently works on a new, empty one.
   */
  createDatabase?: boolean;
}

/** Opens and migrates the database, syncs campaign files, and builds the domain context. */
export async function bootstrap(
  config: Config,
  logger: Logger,
  events?: DomainEvents,
  options: BootstrapOptions = {},
): Promise<Runtime> {
  const database = await openDatabase({
    url: config.db.url,
    dataDir: config.db.dataDir,
    poolSize: config.db.poolSize,
    readCacheMs: config.db.readCacheMs,
    create: options.createDatabase ?? true,
  });
  try {
    if (config.db.migrateOnStart) await database.migrate();
    const files = await readCampaignFiles(config.campaigns.dir);
    if (files.length === 0)
      logger.warn({ dir: config.campaigns.dir }, "no campaign files: attribution is disabled");
    const campaigns = await syncCampaigns(database.db, files, {
      deploymentsDir: config.campaigns.deploymentsDir,
      chainId: config.chain.chainId,
      defaultSlug: config.campaigns.defaultSlug,
      onWarning: (message) => logger.warn(message),
    });
    for (const c of campaigns.all()) {
      logger.info({ campaign: c.slug, deployed: c.deployment !== null }, "campaign loaded");
    }
    const domain: DomainContext = {
      db: database.db,
      campaigns,
      now: () => new Date(),
      attributionWindowHours: config.attributionWindowHours,
      events,
    };
    return {
      database,
      domain,
      publicClient: createChainClient(config),
      close: () => database.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
