/**
 * The notification queue: the only code that writes `notifications`. Call
 * {@link enqueueNotification} inside the same transaction as the change it announces (a referral qualified, a reward settled, …): if the
 * transaction rolls back there is nothing to announce, and once it commits the bot's sender
 * will deliver it even across restarts. The dedupe key makes retries harmless.
 */
import { sql } from "drizzle-orm";
import { type Db, jsonRows, queryRows, type Tx } from "../db/index.ts";
import type { NotificationKind } from "../db/schema.ts";

export type { NotificationKind };

export type NotificationData = Record<string, string | number | boolean | null>;

export interface NotificationInput {
  memberId: number;
  kind: NotificationKind;
  data: NotificationData;
  /** One notification per key, e.g. `reward_paid:<entryId>`. */
  dedupeKey: string;
  /** Deliver no earlier than this (default: now). */
  notBefore?: Date;
}

/** Queues a notification; returns false when one with the same dedupe key already exists. */
export async function enqueueNotification(db: Db | Tx, input: NotificationInput): Promise<boolean> {
  return (await enqueueNotifications(db, [input])) > 0;
}

/**
 * {@link enqueueNotification} for many in one statement (the indexer queues a `reward_paid`
 * for each of the thousands of payouts a backfill settles); returns how many were new. The
 * rows travel as one jsonb parameter, so any number fits in one statement.
 */
export async function enqueueNotifications(
  db: Db | Tx,
  inputs: readonly NotificationInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = inputs.map((i) => ({
    member_id: i.memberId,
    kind: i.kind,
    data: i.data,
    dedupe_key: i.dedupeKey,
    not_before: i.notBefore?.toISOString() ?? null,
  }));
  // A transaction is a database here (`queryRows` is typed for the latter).
  const [added] = await queryRows<{ n: number }>(
    db as Db,
    sql`with added as (
          insert into notifications (member_id, kind, data, dedupe_key, next_attempt_at)
          select x.member_id, x.kind, x.data, x.dedupe_key, coalesce(x.not_before, now())
          from jsonb_to_recordset(${jsonRows(rows)})
            as x(member_id bigint, kind text, data jsonb, dedupe_key text, not_before timestamptz)
          on conflict (dedupe_key) do nothing
          returning 1)
        select count(*)::int as n from added`,
  );
  return Number(added?.n ?? 0);
}
