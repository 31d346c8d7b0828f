/**
 * The campaigns this process serves: definitions from files, their database rows (synced
 * at start-up) and, when deployed, their contract addresses.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { campaigns, campaignTokens } from "../db/schema.ts";
import {
  type CampaignDefinition,
  type CampaignFile,
  type CompiledCampaign,
  compileCampaign,
  hashDefinition,
  isCampaignActive,
} from "./campaign.ts";
import { activateDeployed, seedActive } from "./campaignTransitions.ts";
import { type CampaignDeployment, loadDeployment } from "./deployment.ts";
import { DomainError } from "./errors.ts";
import { bumpRegistry } from "./registryVersion.ts";
import { fileDiffersMessage, recordFirstVersion, startupRules } from "./versions.ts";

export interface Campaign {
  /** Database id (foreign keys); not the on-chain id. */
  id: number;
  slug: string;
  /** The rules in effect: its newest version in effect (versions.ts), not always the file. */
  definition: CampaignDefinition;
  rules: CompiledCampaign;
  /** The rules version `definition` is; grants record it (`ledger_entries.rules_version`). */
  version: number;
  /** `null` until the campaign is deployed on the configured chain. */
  deployment: CampaignDeployment | null;
}

/** What a registry reload changed (registrySync.ts). */
export interface RegistryChange {
  added: string[];
  switched: string[];
  deployed: string[];
}

export class CampaignRegistry {
  readonly #bySlug = new Map<string, Campaign>();
  readonly #byId = new Map<number, Campaign>();
  readonly #defaultSlug: string | undefined;
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  constructor(list: Campaign[], defaultSlug?: string) {
    for (const c of list) {
      this.#bySlug.set(c.slug, c);
      this.#byId.set(c.id, c);
    }
    if (defaultSlug !== undefined && !this.#bySlug.has(defaultSlug)) {
      throw new Error(`DEFAULT_CAMPAIGN "${defaultSlug}" is not one of the campaign files`);
    }
    this.#defaultSlug = defaultSlug;
  }

  all(): Campaign[] {
    return [...this.#bySlug.values()];
  }

  bySlug(slug: string): Campaign | undefined {
    return this.#bySlug.get(slug);
  }

  byId(id: number): Campaign | undefined {
    return this.#byId.get(id);
  }

  /**
   * The campaign new attributions go to: `DEFAULT_CAMPAIGN`, else the active campaign that
   * started most recently, else the first one.
   */
  current(now: Date): Campaign | undefined {
    if (this.#defaultSlug !== undefined) return this.#bySlug.get(this.#defaultSlug);
    const list = this.all();
    const active = list
      .filter((c) => isCampaignActive(c.rules, now))
      .sort((a, b) => b.rules.startsAt.getTime() - a.rules.startsAt.getTime());
    return active[0] ?? list[0];
  }

  /** By slug when given, else {@link current}; throws `campaign_not_found`. */
  resolve(slug: string | undefined, now: Date): Campaign {
    const c = slug === undefined ? this.current(now) : this.bySlug(slug);
    if (!c)
      throw new DomainError("campaign_not_found", `no campaign ${slug ?? "(default)"}`, { slug });
    return c;
  }

  /**
   * Swaps in a campaign's newer rules version (versions.ts `refreshCampaignVersions`); callers
   * holding the old object finish with the rules they started with.
   */
  replace(c: Campaign): void {
    if (!this.#byId.has(c.id)) throw new Error(`campaign ${c.id} is not in this registry`);
    this.#bySlug.set(c.slug, c);
    this.#byId.set(c.id, c);
  }

  /**
   * A campaign deployed while the process runs (the console's deploy, campaignDrafts.ts) or
   * found by a reload (registrySync.ts, which is how other processes get it).
   */
  add(c: Campaign): void {
    if (this.#byId.has(c.id) || this.#bySlug.has(c.slug))
      throw new Error(`campaign ${c.slug} is already in this registry`);
    this.#bySlug.set(c.slug, c);
    this.#byId.set(c.id, c);
  }

  /**
   * Calls `listener` after each reload that changed campaigns (registrySync.ts), e.g. the chain
   * layer's contract index; returns the unsubscribe.
   */
  onChange(listener: (change: RegistryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the listeners what a reload changed. */
  changed(change: RegistryChange): void {
    for (const l of this.#listeners) l(change);
  }

  requireById(id: number): Campaign {
    const c = this.byId(id);
    if (!c) throw new DomainError("campaign_not_found", `no campaign with id ${id}`);
    return c;
  }
}

export interface SyncOptions {
  deploymentsDir?: string;
  chainId?: number;
  defaultSlug?: string;
  /** Told about deployment files that exist but cannot be used. */
  onWarning?: (message: string) => void;
  /**
   * Put every synced draft campaign in `active` as if deployed, unaudited (syncDefinitions'
   * default, for tests and benchmarks); otherwise only a campaign whose deployment file loads
   * is activated, through its audited transitions.
   */
  activate?: boolean;
}

/**
 * Upserts campaign rows and their token budgets, loads deployments, and returns the
 * registry. Granted totals are kept; a lowered budget simply leaves less (or nothing) to
 * grant.
 *
 * Each campaign runs its newest rules version in effect (versions.ts): a new campaign's file
 * becomes its version 1; a file that differs from the version in effect is reported through
 * `onWarning` and not applied (`npm run campaign:version` makes it a new version).
 */
export async function syncCampaigns(
  db: Db,
  files: CampaignFile[],
  options: SyncOptions = {},
): Promise<CampaignRegistry> {
  const list: Campaign[] = [];
  for (const f of files) {
    let version = 1;
    let def = f.definition;
    const id = await db.transaction(async (tx) => {
      const inEffect = await startupRules(tx, f.definition.slug, f.definition);
      const differs = fileDiffersMessage(f.file, inEffect);
      if (differs) options.onWarning?.(differs);
      def = inEffect.definition;
      version = inEffect.version;
      const hash = hashDefinition(def);
      const rules = compileCampaign(def);
      const [row] = await tx
        .insert(campaigns)
        .values({
          slug: def.slug,
          onchainId: def.onchainId,
          definition: def,
          definitionHash: hash,
        })
        // Not `onchain_id` here: setting a unique column makes the upsert lock the row against
        // foreign-key checks, so a grant in flight (budget row locked, its entry's reference
        // to this row to come) and this sync (waiting for that budget row) would deadlock.
        .onConflictDoUpdate({
          target: campaigns.slug,
          set: {
            definition: def,
            definitionHash: hash,
            updatedAt: sql`case when ${campaigns.definitionHash} = ${hash} then ${campaigns.updatedAt} else now() end`,
          },
        })
        // `xmax = 0`: the row was inserted, not updated (a campaign new to the database).
        .returning({ id: campaigns.id, inserted: sql<boolean>`(xmax = 0)` });
      if (!row) throw new Error(`could not upsert campaign ${def.slug}`);
      if (row.inserted) await bumpRegistry(tx);
      // Only a changed id takes that lock (the row is locked only when it matches).
      await tx
        .update(campaigns)
        .set({ onchainId: def.onchainId })
        .where(and(eq(campaigns.id, row.id), ne(campaigns.onchainId, def.onchainId)));
      // Budget rows in symbol order, the order every grant locks them in (lockBudgets).
      const tokens = [...rules.tokens.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
      for (const t of tokens) {
        await tx
          .insert(campaignTokens)
          .values({ campaignId: row.id, symbol: t.symbol, decimals: t.decimals, budget: t.budget })
          .onConflictDoUpdate({
            target: [campaignTokens.campaignId, campaignTokens.symbol],
            set: { budget: t.budget, decimals: t.decimals },
          });
      }
      await recordFirstVersion(tx, row.id, def);
      return row.id;
    });
    let deployment: CampaignDeployment | null = null;
    if (options.deploymentsDir !== undefined && options.chainId !== undefined) {
      const loaded = await loadDeployment(
        options.deploymentsDir,
        options.chainId,
        def.slug,
        def.onchainId,
      );
      if (loaded.status === "ok") deployment = loaded.deployment;
      else if (loaded.status === "invalid")
        options.onWarning?.(`deployment ignored: ${loaded.error}`);
    }
    // A new campaign file enters as `draft`; a deployed one is live (campaignTransitions.ts).
    if (options.activate === true) await seedActive(db, id);
    else if (deployment !== null) await activateDeployed({ db, now: () => new Date() }, id);
    list.push({
      id,
      slug: def.slug,
      definition: def,
      rules: compileCampaign(def),
      version,
      deployment,
    });
  }
  return new CampaignRegistry(list, options.defaultSlug);
}

/**
 * Convenience for tests and benchmarks: sync definitions given as objects; they are made
 * `active` unless `activate: false` (a test of the lifecycle itself).
 */
export async function syncDefinitions(
  db: Db,
  defs: CampaignDefinition[],
  options: SyncOptions = {},
): Promise<CampaignRegistry> {
  options = { activate: true, ...options };
  return syncCampaigns(
    db,
    defs.map((definition) => ({
      file: `${definition.slug}.json`,
      definition,
      hash: hashDefinition(definition),
    })),
    options,
  );
}
