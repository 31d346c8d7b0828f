/**
 * The notification queue's write side. Call {@link enqueueNotification} inside the same
 * transaction as the change it announces (a referral qualified, a reward settled, …): if the
 * transaction rolls back there is nothing to announce, and once it commits the bot's sender
 * will deliver it even across restarts. The dedupe key makes retries harmless.
 */

import type { Db, Tx } from "../db/index.ts";
import { type NotificationKind, notifications } from "../db/schema.ts";

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

const row = (input: NotificationInput) => ({
  memberId: input.memberId,
  kind: input.kind,
  data: input.data,
  dedupeKey: input.dedupeKey,
  ...(input.notBefore ? { nextAttemptAt: input.notBefore } : {}),
});

/**
 * Queues a notification ({@link enqueueNotifications} of one); returns false when one with
 * the same dedupe key already exists.
 */
export async function enqueueNotification(db: Db | Tx, input: NotificationInput): Promise<boolean> {
  return (await enqueueNotifications(db, [input])) > 0;
}

/** Queues notifications in one statement; returns how many were new (not deduplicated). */
export async function enqueueNotifications(
  db: Db | Tx,
  inputs: readonly NotificationInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = await db
    .insert(notifications)
    .values(inputs.map(row))
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.length;
}
