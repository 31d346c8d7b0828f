/**
 * What every domain operation receives: the database, the campaigns, a clock and a few
 * settings. Nothing here knows about HTTP, Telegram transport or the chain.
 */
import type { Db } from "../db/index.ts";
import type { CampaignRegistry } from "./registry.ts";

/** Optional observers (metrics, notifications); called after the transaction commits. */
export interface DomainEvents {
  attributed?(e: {
    campaignId: number;
    referralId: number;
    referrerId: number;
    refereeId: number;
  }): void;
  qualified?(e: { campaignId: number; referralId: number; entryIds: number[] }): void;
  flagged?(e: { campaignId: number; referralId: number; reasons: string[] }): void;
  rejected?(e: { campaignId: number; referralId: number; reason: string }): void;
  entriesWritten?(e: { campaignId: number; count: number }): void;
}

export interface DomainContext {
  db: Db;
  campaigns: CampaignRegistry;
  /** Injectable clock so tests can move time (hold periods, expiry, caps per day). */
  now(): Date;
  /** A member counts as new (attributable) for this long after first being seen. */
  attributionWindowHours: number;
  events?: DomainEvents;
}

/** Who performed an admin action, as written to the audit log (no Telegram ids). */
export type Actor = `member:${number}` | "api-token" | "system" | `partner:${string}`;

export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
