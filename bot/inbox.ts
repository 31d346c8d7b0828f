/**
 * The webhook inbox (table `bot_updates`): an update is stored before Telegram gets its 200,
 * so a redelivery of the same `update_id` is recognised, and an update acknowledged just
 * before a crash is handled after the restart. Handled updates drop their payload (it holds
 * members' messages) in batched writes; rows go after two days.
 *
 * Ownership. Each stored update names the process that received it (`owner`:
 * `host:pid:random`, new on every start) and a lease the owner renews while it runs. A
 * process takes over the unhandled updates of an owner that is surely gone at once: one on
 * this host whose process id no longer runs, or an earlier run under this very process id (a
 * container restarted as pid 1). So after a crash and a restart, the updates acknowledged
 * just before the crash are handled as soon as the bot is back. Owners on other hosts (or
 * whose process id was reused) are taken over once their lease has run out
 * ({@link INBOX_LEASE_SECONDS}); a live owner's updates are never touched: an owner whose
 * lease may have lapsed (it could not renew it in time) asks the inbox which of the updates it
 * holds are still its own before handling them ({@link reclaimUpdates}).
 *
 * Exactly once. Telegram does not deduplicate sends, so no design answers exactly once across
 * `kill -9`; this one narrows the window to one Bot API call. Every call made while handling
 * an update that Telegram accepted is recorded (`answered_at`) right after it returns, before
 * the handler goes on, and the handled mark follows the handler at once (both without a
 * timer, see {@link InboxMarks}). A takeover handles again only updates with no recorded
 * answer; their effects are idempotent (member upsert, one referral per referee, notification
 * dedupe keys). What remains: a process dying while a call is in flight, or after Telegram
 * took it but before the statement recording it commits, leaves an update whose answer may
 * have been delivered; it is handled again and the member may see that answer twice.
 *
 * That is the acknowledge-first way (`BOT_WEBHOOK_ANSWER=api`). Answered in the webhook's
 * response (`response`, the default; bot/webhook.ts) an update is stored with
 * `answer_in_response`, never acknowledged before its answer, and never taken over here:
 * Telegram delivers it again until a response arrives, and the redelivery takes it over
 * ({@link claimRedelivered}) or, once handled, gets the stored reply. No window remains there.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Update } from "grammy/types";
import {
  claimRedelivered,
  type Db,
  INBOX_LEASE_SECONDS,
  type InboxMark,
  inboxEntry,
  ownersWithUnhandledUpdates,
  pruneUpdates,
  reclaimUpdates,
  recordUpdates,
  renewLeases,
  takeOverUpdates,
  writeInboxMarks,
} from "../server/domain/index.ts";
import { Coalescer, gather } from "./batch.ts";

export type { InboxMark };
export {
  claimRedelivered,
  INBOX_LEASE_SECONDS,
  inboxEntry,
  pruneUpdates,
  reclaimUpdates,
  recordUpdates,
  renewLeases,
};

/** A name for this run of the bot in the inbox: host, process id, and a random part. */
export function inboxOwner(host = hostname(), pid = process.pid): string {
  return `${host}:${pid}:${randomBytes(4).toString("hex")}`;
}

function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
}

/** Whether a process id runs on this host (a process we may not signal still runs). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Whether `owner` is surely gone, as seen by `self`: an owner on this host whose process
 * no longer runs, or an earlier run under `self`'s own process id. Anything else (another
 * host, a process that runs) may be alive: its lease decides.
 */
export function ownerGone(owner: string, self: string, isRunning = running): boolean {
  if (owner === self) return false;
  const them = parseOwner(owner);
  const me = parseOwner(self);
  if (!them || !me || them.host !== me.host) return false;
  if (them.pid === me.pid) return true;
  return !isRunning(them.pid);
}

/**
 * Stores updates as they arrive, many in one statement: deliveries that come in while a
 * write is in flight are written together by the next one. Each caller learns whether its
 * update is new; of two deliveries of one `update_id`, only the first is.
 */
export class InboxWriter {
  readonly #db: Db;
  readonly #botId: () => number;
  readonly #owner: string;
  readonly #maxBatch: number;
  readonly #answerInResponse: boolean;
  #queue: Array<{ update: Update; done: (fresh: boolean) => void; fail: (e: unknown) => void }> =
    [];
  #writing = false;

  /** `answerInResponse`: the updates are answered in the webhook's response (not acknowledged first). */
  constructor(
    db: Db,
    botId: () => number,
    owner: string,
    maxBatch = 500,
    answerInResponse = false,
  ) {
    this.#db = db;
    this.#botId = botId;
    this.#owner = owner;
    this.#maxBatch = maxBatch;
    this.#answerInResponse = answerInResponse;
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
        // The deliveries received in this turn of the event loop (and the next, while more
        // come) go into the same insert.
        await gather(() => this.#queue.length, this.#maxBatch);
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const fresh = await recordUpdates(
            this.#db,
            this.#botId(),
            batch.map((b) => b.update),
            this.#owner,
            undefined,
            this.#answerInResponse,
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
 * Takes the updates stored but never marked handled whose owner is gone (a crash between
 * acknowledging and handling): owners {@link ownerGone} says are dead, and any whose lease
 * ran out. They are marked handled now: each is retried at most once (an update that crashes
 * the bot does not crash it on every start). `self`'s own updates are never taken.
 *
 * Those whose answer had gone out (`answered_at`: the owner died after answering, before its
 * handled mark) are not handled again: `handle` lists only the others, `answered` counts them.
 */
export async function takeUnprocessed(
  db: Db,
  botId: number,
  self: string,
  limit = 500,
): Promise<{ handle: Update[]; answered: number }> {
  const owners = await ownersWithUnhandledUpdates(db, botId, self);
  const gone = owners.filter((owner) => ownerGone(owner, self));
  const rows = await takeOverUpdates(db, botId, self, gone, limit);
  return {
    handle: rows
      .filter((r) => !r.answered)
      .map((r) => r.payload)
      .filter((u): u is Update => u !== null)
      .sort((a, b) => a.update_id - b.update_id),
    answered: rows.filter((r) => r.answered).length,
  };
}

/**
 * Writes {@link InboxMark}s at once: no timer, one statement for the marks of the updates
 * that reach this point in the same event-loop turn (or while the previous statement runs).
 * The promise resolves once the mark is committed. `answered_at` is set by the first answer
 * only; a handled update also drops its payload.
 */
export class InboxMarks {
  readonly #writer: Coalescer<InboxMark, true>;

  constructor(db: Db, botId: () => number, maxBatch = 500) {
    this.#writer = new Coalescer<InboxMark, true>(async (marks) => {
      await writeInboxMarks(db, botId(), marks);
      return marks.map(() => true as const);
    }, maxBatch);
  }

  async mark(m: InboxMark): Promise<void> {
    await this.#writer.call(m);
  }
}
