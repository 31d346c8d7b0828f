/**
 * The campaign registry's change counter: the only code that writes `campaign_registry`
 * (schema/console.ts). Whatever changes which campaigns a process serves, or with which rules
 * or contracts, bumps it in the same transaction: a campaign created or moving through its
 * lifecycle (campaignTransitions.ts, registry.ts), a rules version taking effect or being
 * rewound (versions.ts). Every process reads the one row every few seconds and reloads its
 * registry when the number moved (registrySync.ts), so a campaign deployed from the console is
 * served, attributed, paid and indexed everywhere without a restart.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";

/** The PostgreSQL notification channel of a change (server/campaignRefresh.ts listens). */
export const REGISTRY_CHANNEL = "refmint_campaigns";

/**
 * Moves the counter and notifies listeners, inside the caller's transaction: both take effect
 * with the change, when it commits.
 */
export async function bumpRegistry(tx: Db): Promise<void> {
  await tx.execute(
    sql`insert into campaign_registry (id, version, changed_at) values (1, 1, now())
        on conflict (id) do update set version = campaign_registry.version + 1,
          changed_at = now()`,
  );
  await tx.execute(sql`select pg_notify(${REGISTRY_CHANNEL}, '')`);
}

/** The counter now (0 before the first change). One primary-key read. */
export async function registryVersion(db: Db): Promise<number> {
  const [row] = await queryRows<{ version: string | number }>(
    db,
    sql`select version from campaign_registry where id = 1`,
  );
  return Number(row?.version ?? 0);
}
