/**
 * The notification queue's write side. Call {@link enqueueNotification} inside the same
 * transaction as the change it announces (a referral qualified, a reward settled, …): if the
 * transaction rolls back there is nothing to announce, and once it commits the bot's sender
 * will deliver it even across restarts. The dedupe key makes retries harmless.
 */
import { type NotificationKind, notifications } from "../db/areas/bot.ts";
import type { Db, Tx } from "../db/index.ts";

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
  const rows = await db
    .insert(notifications)
    .values({
      memberId: input.memberId,
      kind: input.kind,
      data: input.data,
      dedupeKey: input.dedupeKey,
      ...(input.notBefore ? { nextAttemptAt: input.notBefore } : {}),
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.length > 0;
}
