/**
 * The webhook inbox (table `bot_updates`): an update is stored before Telegram gets its 200,
 * so a redelivery of the same `update_id` is recognised, and an update acknowledged just
 * before a crash is handled after the restart. Handled updates drop their payload (it holds
 * members' messages) in batched writes; rows go after two days.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Update } from "grammy/types";
import { botUpdates } from "../server/db/areas/bot.ts";
import { bigintArray, type Db, jsonRows, queryRows } from "../server/db/index.ts";
import { nextTurn } from "./batch.ts";

/** Stores updates; returns the `update_id`s that were new (the others were received before). */
export async function recordUpdates(
  db: Db,
  botId: number,
  updates: Update[],
): Promise<Set<number>> {
  // One jsonb parameter for the whole batch (see jsonRows); ids come back as text, the same
  // on both drivers.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into bot_updates (bot_id, update_id, payload)
        select ${botId}::bigint, (u->>'update_id')::bigint, u
        from jsonb_array_elements(${jsonRows(updates)}) as u
        on conflict do nothing
        returning update_id::text as id`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * Stores updates as they arrive, many in one statement: deliveries that come in while a
 * write is in flight are written together by the next one. Each caller learns whether its
 * update is new; of two deliveries of one `update_id`, only the first is.
 */
export class InboxWriter {
  readonly #db: Db;
  readonly #botId: () => number;
  readonly #maxBatch: number;
  #queue: Array<{ update: Update; done: (fresh: boolean) => void; fail: (e: unknown) => void }> =
    [];
  #writing = false;

  constructor(db: Db, botId: () => number, maxBatch = 500) {
    this.#db = db;
    this.#botId = botId;
    this.#maxBatch = maxBatch;
  }

  /** Resolves once the update is stored: true when it is new. */
  record(update: Update): Promise<boolean> {
    return new Promise((done, fail) => {
      this.#queue.push({ update, done, fail });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        // The deliveries received in this turn of the event loop go into the same insert.
        await nextTurn();
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const fresh = await recordUpdates(
            this.#db,
            this.#botId(),
            batch.map((b) => b.update),
          );
          const claimed = new Set<number>();
          for (const b of batch) {
            const id = b.update.update_id;
            b.done(fresh.has(id) && !claimed.has(id));
            claimed.add(id);
          }
        } catch (error) {
          for (const b of batch) b.fail(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}

/**
 * Takes updates stored but never marked handled (a crash between acknowledging and
 * handling), marking them handled now: each is retried at most once. Only updates older
 * than `minAgeSeconds`, so another live process's updates in flight are left alone.
 */
export async function takeUnprocessed(
  db: Db,
  botId: number,
  minAgeSeconds = 120,
  limit = 500,
): Promise<Update[]> {
  const rows = await queryRows<{ payload: Update | null }>(
    db,
    sql`with due as (
          select bot_id, update_id, payload from bot_updates
          where bot_id = ${botId} and processed_at is null
            and received_at < now() - make_interval(secs => ${minAgeSeconds})
          order by update_id limit ${limit}
          for update skip locked)
        update bot_updates u set processed_at = now(), payload = null
        from due where u.bot_id = due.bot_id and u.update_id = due.update_id
        returning due.payload`,
  );
  return rows
    .map((r) => r.payload)
    .filter((u): u is Update => u !== null)
    .sort((a, b) => a.update_id - b.update_id);
}

export async function pruneUpdates(db: Db, olderThanHours = 48): Promise<void> {
  await db
    .delete(botUpdates)
    .where(lt(botUpdates.receivedAt, sql`now() - make_interval(hours => ${olderThanHours})`));
}

/** Marks handled updates in batches (one statement per flush, not one per update). */
export class ProcessedMarker {
  readonly #db: Db;
  readonly #botId: number;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  #pending: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #onError: (error: unknown) => void;

  constructor(
    db: Db,
    botId: number,
    onError: (error: unknown) => void,
    maxBatch = 500,
    delayMs = 50,
  ) {
    this.#db = db;
    this.#botId = botId;
    this.#onError = onError;
    this.#maxBatch = maxBatch;
    this.#delayMs = delayMs;
  }

  mark(updateId: number): void {
    this.#pending.push(updateId);
    if (this.#pending.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#delayMs);
  }

  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const ids = this.#pending;
    this.#pending = [];
    if (ids.length > 0) {
      this.#flushing = this.#flushing.then(() =>
        this.#db
          .update(botUpdates)
          .set({ processedAt: sql`now()`, payload: null })
          .where(
            and(
              eq(botUpdates.botId, this.#botId),
              sql`${botUpdates.updateId} = any(${bigintArray(ids)})`,
            ),
          )
          .then(
            () => {},
            (error: unknown) => this.#onError(error),
          ),
      );
    }
    return this.#flushing;
  }
}
