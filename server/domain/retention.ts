/**
 * Retention: personal data the fraud checks and analytics need only for a while is removed
 * when its period is over. Clicks (one row per link owner, visitor hash and day) are deleted;
 * the IP and device hashes kept on referrals (fraud signals) are cleared. The referral itself,
 * its status and the ledger stay. Periods are settings (`RETENTION_*_DAYS`, server/config.ts);
 * the service runs {@link enforceRetention} on a `loopJob` (app/service.ts). Idempotent.
 */
import { and, isNotNull, lt, sql } from "drizzle-orm";
import { transaction } from "../db/index.ts";
import { clicks, referrals } from "../db/schema.ts";
import type { DomainContext } from "./context.ts";

export interface RetentionSettings {
  clicksDays: number;
  ipHashDays: number;
  deviceHashDays: number;
}

/** The defaults (also the config's): long enough for fraud review, short enough to matter. */
export const DEFAULT_RETENTION: RetentionSettings = {
  clicksDays: 90,
  ipHashDays: 30,
  deviceHashDays: 90,
};

export interface RetentionReport {
  clicksDeleted: number;
  ipHashesCleared: number;
  deviceHashesCleared: number;
}

const DAY_MS = 86_400_000;

export async function enforceRetention(
  ctx: Pick<DomainContext, "db" | "now">,
  settings: RetentionSettings,
): Promise<RetentionReport> {
  const now = ctx.now().getTime();
  const before = (days: number) => new Date(now - days * DAY_MS);
  // Clicks past retention leave the table, not the history: the analytics triggers are off
  // for this transaction, so the campaign's rolled-up click counts keep them (docs/ANALYTICS.md).
  const clicksDeleted = await transaction(ctx.db, async (tx) => {
    await tx.execute(sql`select set_config('refmint.analytics_off', 'on', true)`);
    return tx
      .delete(clicks)
      .where(lt(clicks.createdAt, before(settings.clicksDays)))
      .returning({ id: clicks.id });
  });
  const ipCut = before(settings.ipHashDays);
  const deviceCut = before(settings.deviceHashDays);
  const ipHashesCleared = await ctx.db
    .update(referrals)
    .set({ ipHash: null })
    .where(and(isNotNull(referrals.ipHash), lt(referrals.attributedAt, ipCut)))
    .returning({ id: referrals.id });
  const deviceHashesCleared = await ctx.db
    .update(referrals)
    .set({ deviceHash: null })
    .where(and(isNotNull(referrals.deviceHash), lt(referrals.attributedAt, deviceCut)))
    .returning({ id: referrals.id });
  return {
    clicksDeleted: clicksDeleted.length,
    ipHashesCleared: ipHashesCleared.length,
    deviceHashesCleared: deviceHashesCleared.length,
  };
}
