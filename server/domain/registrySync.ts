/**
 * Keeps a running process's campaign registry in step with the database, so a campaign
 * deployed from the console (or registered by the deploy command, or given a new rules version
 * by the indexer of another process) is served, attributed, paid and indexed by every process
 * within seconds, without a restart.
 *
 * Hot paths never query for it: a background pass (server/campaignRefresh.ts, every
 * `CAMPAIGN_REFRESH_SECONDS`) reads the one-row change counter (registryVersion.ts) and only
 * when it moved reloads: campaigns new to this process that are live (past `deploying`: a
 * draft is nobody's yet) join with their newest rules version in effect and their deployment
 * file, campaigns whose newest version in effect changed switch to it, and a campaign without
 * a deployment picks its deployment file up once it is there.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import { campaignVersions } from "../db/schema/versions.ts";
import { campaigns } from "../db/schema.ts";
import { compileCampaign, parseCampaignDefinition } from "./campaign.ts";
import type { DomainContext } from "./context.ts";
import { type CampaignDeployment, loadDeployment } from "./deployment.ts";
import type { Campaign } from "./registry.ts";
import { registryVersion } from "./registryVersion.ts";
import { definitionOf } from "./versions.ts";

/** States in which a campaign is nobody's yet: it joins registries once deployed. */
const NOT_YET = new Set(["draft", "validated", "deploying"]);

export interface RegistrySyncOptions {
  deploymentsDir?: string;
  chainId?: number;
  onWarning?: (message: string) => void;
}

export interface RegistrySyncReport {
  /** The counter this process is now in step with. */
  version: number;
  added: string[];
  /** Switched to a newer rules version. */
  switched: string[];
  /** Got their deployment (contract addresses). */
  deployed: string[];
}

/** What a process last saw of the counter (`-1`: never looked). */
export interface RegistrySyncState {
  seen: number;
}

export function registrySyncState(): RegistrySyncState {
  return { seen: -1 };
}

async function deploymentOf(
  o: RegistrySyncOptions,
  slug: string,
  onchainId: number,
): Promise<CampaignDeployment | null> {
  if (o.deploymentsDir === undefined || o.chainId === undefined) return null;
  const loaded = await loadDeployment(o.deploymentsDir, o.chainId, slug, onchainId);
  if (loaded.status === "ok") return loaded.deployment;
  if (loaded.status === "invalid") o.onWarning?.(`deployment ignored: ${loaded.error}`);
  return null;
}

async function newestEffective(
  db: Db,
  campaignId: number,
): Promise<{ version: number; document: string } | undefined> {
  const [row] = await db
    .select({ version: campaignVersions.version, document: campaignVersions.document })
    .from(campaignVersions)
    .where(
      and(eq(campaignVersions.campaignId, campaignId), eq(campaignVersions.status, "effective")),
    )
    .orderBy(desc(campaignVersions.version))
    .limit(1);
  return row;
}

/**
 * One check: when the counter moved since `state.seen`, brings `ctx.campaigns` up to date
 * (see the module's comment) and returns what changed; otherwise `undefined` (one tiny read).
 */
export async function syncRegistry(
  ctx: Pick<DomainContext, "db" | "campaigns">,
  state: RegistrySyncState,
  options: RegistrySyncOptions = {},
): Promise<RegistrySyncReport | undefined> {
  // Read first: a change committed while this pass reloads moves it again for the next pass.
  const version = await registryVersion(ctx.db);
  if (version === state.seen) return undefined;
  const report: RegistrySyncReport = { version, added: [], switched: [], deployed: [] };
  const rows = await ctx.db
    .select({
      id: campaigns.id,
      slug: campaigns.slug,
      onchainId: campaigns.onchainId,
      state: campaigns.state,
      definition: campaigns.definition,
    })
    .from(campaigns);
  const versions = new Map(
    (
      await queryRows<{ campaign_id: number; version: number }>(
        ctx.db,
        sql`select campaign_id, max(version)::int as version from campaign_versions
            where status = 'effective' group by campaign_id`,
      )
    ).map((r) => [Number(r.campaign_id), Number(r.version)]),
  );
  for (const row of rows) {
    const existing = ctx.campaigns.byId(row.id);
    if (!existing) {
      if (NOT_YET.has(row.state) || ctx.campaigns.bySlug(row.slug)) continue;
      const newest = await newestEffective(ctx.db, row.id);
      const definition = newest
        ? definitionOf(newest.document, `${row.slug} version ${newest.version}`)
        : parseCampaignDefinition(row.definition, `${row.slug} (database)`);
      const campaign: Campaign = {
        id: row.id,
        slug: row.slug,
        definition,
        rules: compileCampaign(definition),
        version: newest?.version ?? 1,
        deployment: await deploymentOf(options, row.slug, row.onchainId),
      };
      ctx.campaigns.add(campaign);
      report.added.push(row.slug);
      continue;
    }
    let next = existing;
    const newestVersion = versions.get(row.id);
    if (newestVersion !== undefined && newestVersion !== existing.version) {
      const newest = await newestEffective(ctx.db, row.id);
      if (newest) {
        const definition = definitionOf(newest.document, `${row.slug} version ${newest.version}`);
        next = {
          ...next,
          definition,
          rules: compileCampaign(definition),
          version: newest.version,
        };
        report.switched.push(row.slug);
      }
    }
    if (next.deployment === null) {
      const deployment = await deploymentOf(options, row.slug, row.onchainId);
      if (deployment) {
        next = { ...next, deployment };
        report.deployed.push(row.slug);
      }
    }
    if (next !== existing) ctx.campaigns.replace(next);
  }
  state.seen = version;
  if (report.added.length + report.switched.length + report.deployed.length > 0)
    ctx.campaigns.changed(report);
  return report;
}
