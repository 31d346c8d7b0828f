/**
 * Periodic work: qualify referrals whose hold passed, expire unclaimed grants (their
 * amounts return to the budget), purge stale SIWE nonces. Idempotent; safe to run from
 * several processes (row locks with SKIP LOCKED and status checks keep them apart).
 */
import type { DomainContext } from "./context.ts";
import { expireGrants } from "./ledger.ts";
import { processHolds } from "./qualification.ts";
import { purgeNonces } from "./wallets.ts";

export interface MaintenanceReport {
  holdsProcessed: number;
  grantsExpired: number;
}

export async function runMaintenance(ctx: DomainContext): Promise<MaintenanceReport> {
  const holds = await processHolds(ctx);
  const grantsExpired = await expireGrants(ctx.db, ctx.now());
  await purgeNonces(ctx);
  return { holdsProcessed: holds.length, grantsExpired };
}
