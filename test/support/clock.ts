/** A controllable clock for domain contexts. */
export interface TestClock {
  now: () => Date;
  set(d: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date | string = "2025-06-01T12:00:00Z"): TestClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A virtual clock for code that waits through a `Scheduler` (bot/throttle.ts): time moves
 * only when a timer is due, so tests assert on the schedule (when each wait would end), never
 * on how much real time passed.
 *
 * - `auto` (default): whenever timers are pending, the earliest fires on the next turn of the
 *   event loop, with the clock set to its time. Waits take no real time and fire in order.
 * - `manual`: timers fire only through `advance(ms)` or `runAll()`; until then the clock
 *   stands still (what never happens in a test cannot depend on the machine's speed).
 */
export interface VirtualScheduler {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every wait asked for, in order (ms). */
  readonly sleeps: number[];
  /** Timers not fired yet. */
  pending(): number;
  /** Fires the timers due within `ms` from now, in order, and moves the clock there. */
  advance(ms: number): Promise<void>;
  /** From now on, fire timers by themselves (`auto` mode). */
  auto(): void;
}

export function virtualScheduler(mode: "auto" | "manual" = "auto"): VirtualScheduler {
  let now = 0;
  let seq = 0;
  const timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  const sleeps: number[] = [];
  let pumping = false;
  const next = () => timers.sort((a, b) => a.at - b.at || a.seq - b.seq).shift();
  const pump = () => {
    if (pumping || mode !== "auto") return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      const t = next();
      if (!t) return;
      now = Math.max(now, t.at);
      t.fire();
      if (timers.length > 0) pump();
    });
  };
  return {
    now: () => now,
    sleeps,
    pending: () => timers.length,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        sleeps.push(ms);
        if (signal?.aborted) return reject(signal.reason);
        const timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        timers.push(timer);
        pump();
      }),
    auto: () => {
      mode = "auto";
      pump();
    },
    advance: async (ms) => {
      const until = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const t = timers[0];
        if (!t || t.at > until) break;
        timers.shift();
        now = Math.max(now, t.at);
        t.fire();
        // Let what the timer resumed run (and maybe set new timers) before the next one.
        await new Promise<void>((r) => setImmediate(r));
      }
      now = until;
    },
  };
}
