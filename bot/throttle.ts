/**
 * Pacing and retrying of Bot API calls, on an injected clock.
 *
 * Telegram allows a bot about 30 messages a second overall, one a second to one private
 * chat and about 20 a minute to one group; beyond that it answers 429 with `retry_after`.
 * {@link Throttle} keeps bulk sends (notifications, broadcasts) within those limits:
 *
 * - Per chat, calls go one after another, each at least `perChatMs` after the previous one
 *   started (`perGroupMs` for groups). A call first waits for its own chat to be ready,
 *   and only then takes a place in the overall queue, so a chat with a long backlog holds
 *   one place in that queue at a time: it never delays other chats' messages.
 * - Overall, calls go in the order they become ready, evenly spaced (`1000 / perSecond` ms
 *   apart at full load, each from when the previous one really went, so a timer that fires
 *   late delays what follows rather than bunching it): any one-second window holds at most
 *   `perSecond` calls. (A reservoir refilled every second, as before, sent bursts: a full one
 *   at the end of one second met a full one at the start of the next, 49 calls in one second
 *   at 25 a second.)
 *
 * {@link retrying} repeats a call that Telegram refused with 429 after `retry_after` (when
 * that is short enough) and, optionally, one that failed with a 5xx answer or a network
 * error, after a growing pause.
 *
 * Both wait through a {@link Scheduler}: the real one in production, a virtual one in tests,
 * which then assert on the schedule itself instead of on how much real time passed.
 */
import { HttpError, type Transformer } from "grammy";

export interface Scheduler {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const aborted = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException("This operation was aborted", "AbortError");

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Resolves when `p` does; rejects with the signal's reason when it is aborted first. */
function until(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(aborted(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/** When one call was allowed to go (for tests and metrics). */
export interface Slot {
  method: string;
  /** The chat (`chat_id` as a string), when the call has one. */
  chat?: string;
  /** When the call asked for a place. */
  requestedAt: number;
  /** When it was allowed to go. */
  at: number;
}

export interface ThrottleOptions {
  /** Calls in any one-second window, overall. */
  perSecond: number;
  /** Shortest interval between two calls to one private chat. */
  perChatMs: number;
  /** Shortest interval between two calls to one group (negative chat id): 20 a minute. */
  perGroupMs?: number;
  scheduler?: Scheduler;
  onSlot?(slot: Slot): void;
}

interface Lane {
  /** Resolves when the latest call queued for this chat has its place. */
  tail: Promise<void>;
  /** The chat's next call may not go before this. */
  readyAt: number;
  queued: number;
}

export class Throttle {
  readonly #perSecond: number;
  readonly #perChatMs: number;
  readonly #perGroupMs: number;
  readonly #scheduler: Scheduler;
  readonly #onSlot: ((slot: Slot) => void) | undefined;
  /** When the latest `perSecond` calls went, oldest at `#next` once full. */
  readonly #recent: number[] = [];
  #next = 0;
  #last = Number.NEGATIVE_INFINITY;
  /** Calls ready to go, waiting for their place overall (first come, first served). */
  #queue: Array<(at: number) => void> = [];
  #pumping = false;
  readonly #lanes = new Map<string, Lane>();
  #waiting = 0;
  #sinceSweep = 0;

  constructor(o: ThrottleOptions) {
    if (!(o.perSecond >= 1)) throw new RangeError("perSecond must be at least 1");
    this.#perSecond = Math.floor(o.perSecond);
    this.#perChatMs = o.perChatMs;
    this.#perGroupMs = o.perGroupMs ?? 3000;
    this.#scheduler = o.scheduler ?? realScheduler;
    this.#onSlot = o.onSlot;
  }

  /** Calls waiting for their turn, in their chat or overall (tests). */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Waits until a call to `chat` may go. Rejects when `signal` is aborted first: a call
   * still waiting for its turn is cancelled (and its place is not taken from others).
   */
  async acquire(method: string, chat: string | undefined, signal?: AbortSignal): Promise<void> {
    const s = this.#scheduler;
    const requestedAt = s.now();
    this.#waiting++;
    try {
      if (chat === undefined) {
        const at = await this.#turn(signal);
        this.#onSlot?.({ method, requestedAt, at });
        return;
      }
      let lane = this.#lanes.get(chat);
      if (!lane) {
        lane = { tail: Promise.resolve(), readyAt: Number.NEGATIVE_INFINITY, queued: 0 };
        this.#lanes.set(chat, lane);
      }
      const before = lane.tail;
      let placed!: () => void;
      lane.tail = new Promise<void>((resolve) => {
        placed = resolve;
      });
      lane.queued++;
      try {
        // The chat's earlier calls first; then the chat's own interval; only then a place
        // in the overall queue (so a busy chat waits for itself, not in front of others).
        await until(before, signal);
        if (lane.readyAt > s.now()) await s.sleep(lane.readyAt - s.now(), signal);
        const at = await this.#turn(signal);
        lane.readyAt = at + (Number(chat) < 0 ? this.#perGroupMs : this.#perChatMs);
        this.#onSlot?.({ method, chat, requestedAt, at });
      } finally {
        placed();
        lane.queued--;
        this.#forget(chat, lane);
      }
    } finally {
      this.#waiting--;
    }
  }

  /** A place in the overall queue; resolves with the time the call went. */
  #turn(signal: AbortSignal | undefined): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const onAbort = () => {
        this.#queue = this.#queue.filter((g) => g !== grant);
        reject(aborted(signal!));
      };
      const grant = (at: number) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(at);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(grant);
      void this.#pump();
    });
  }

  /**
   * Lets the queued calls go one at a time, each spaced from when the previous one really
   * went (a timer that fires late delays what follows instead of bunching it up).
   */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const now = this.#scheduler.now();
        const full = this.#recent.length === this.#perSecond;
        // Evenly spaced; the window check only guards against rounding.
        const windowOpen = full ? this.#recent[this.#next]! + 1000 : Number.NEGATIVE_INFINITY;
        const next = Math.max(this.#last + 1000 / this.#perSecond, windowOpen);
        if (next > now) {
          await this.#scheduler.sleep(next - now);
          continue;
        }
        if (full) this.#recent[this.#next] = now;
        else this.#recent.push(now);
        this.#next = (this.#next + 1) % this.#perSecond;
        this.#last = now;
        this.#queue.shift()!(now);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Drops lanes nobody waits in whose interval has passed (a later call to such a chat
   * starts fresh). Swept now and then rather than on timers, which would keep the process
   * (or a virtual clock) busy.
   */
  #forget(chat: string, lane: Lane): void {
    if (lane.queued === 0 && lane.readyAt <= this.#scheduler.now()) {
      if (this.#lanes.get(chat) === lane) this.#lanes.delete(chat);
    }
    if (++this.#sinceSweep < 1024) return;
    this.#sinceSweep = 0;
    const now = this.#scheduler.now();
    for (const [key, l] of this.#lanes)
      if (l.queued === 0 && l.readyAt <= now) this.#lanes.delete(key);
  }
}

/** grammY types its own AbortSignal shim; Node's is what it gets at run time. */
const nodeSignal = (signal: unknown): AbortSignal | undefined => signal as AbortSignal | undefined;

/**
 * A transformer that paces every call through `throttle`. The caller's abort signal cancels
 * a call still waiting for its turn; a call already sent to Telegram is not cut off (the
 * message might be delivered while we count it as unsent, and be sent twice).
 */
export function throttled(throttle: Throttle): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    await throttle.acquire(
      method,
      typeof chatId === "number" || typeof chatId === "string" ? String(chatId) : undefined,
      nodeSignal(signal),
    );
    return prev(method, payload);
  };
}

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** A 429 asking for a longer wait is not retried: the caller gets the error at once. */
  maxDelaySeconds: number;
  /** Also retry 5xx answers and network errors (after 3 s, 6 s, 12 s, …). */
  serverErrors: boolean;
  scheduler?: Scheduler;
}

/** A transformer that repeats calls refused with 429 (and, optionally, failed ones). */
export function retrying(o: RetryOptions): Transformer {
  const s = o.scheduler ?? realScheduler;
  return async (prev, method, payload, grammySignal) => {
    const signal = nodeSignal(grammySignal);
    let backoffMs = 3000;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= o.retries;
      let result: Awaited<ReturnType<typeof prev>>;
      try {
        result = await prev(method, payload, grammySignal);
      } catch (error) {
        if (last || !o.serverErrors || !(error instanceof HttpError) || signal?.aborted)
          throw error;
        await s.sleep(backoffMs, signal);
        backoffMs *= 2;
        continue;
      }
      if (result.ok || last) return result;
      const retryAfter = result.parameters?.retry_after;
      if (result.error_code === 429 && typeof retryAfter === "number") {
        if (retryAfter > o.maxDelaySeconds) return result;
        await s.sleep(retryAfter * 1000, signal);
      } else if (result.error_code >= 500 && o.serverErrors) {
        await s.sleep(backoffMs, signal);
        backoffMs *= 2;
      } else return result;
    }
  };
}
