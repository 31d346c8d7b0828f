/**
 * Sliding-window rate limits kept in process memory (one API process per box; a shared
 * store can replace {@link WindowCounter} when that changes). Keys are an IP or a member
 * number.
 *
 * A fixed window (count per calendar minute) lets a client through twice the limit around
 * a boundary: the limit at 0:59 and again at 1:00. Here every key keeps its hits in
 * `SLOTS` sub-windows and a hit is allowed only when the hits of the last `SLOTS + 1`
 * slots (the current, partly elapsed one included) stay within the limit. So no span of
 * the window's length ever holds more than `limit` allowed hits; a hit stops counting
 * between one window and one window plus a slot (1 s for a minute) after it was made.
 * Refused hits are not counted. Memory is `SLOTS + 1` integers per client seen within the
 * last window; idle clients are swept out.
 */
import type { Request, RequestHandler } from "express";
import { ProblemError } from "./problem.ts";

/** Sub-windows per window: a minute's window moves in 1-second steps. */
const SLOTS = 60;

interface KeyState {
  /** Allowed hits per slot, a ring indexed by absolute slot number modulo its length. */
  counts: Uint32Array;
  /** Absolute slot number of the newest slot written. */
  head: number;
  /** Sum of `counts`. */
  total: number;
}

export class WindowCounter {
  readonly #limit: number;
  readonly #slotMs: number;
  readonly #now: () => number;
  #keys = new Map<string, KeyState>();
  #sweptAt = 0;

  constructor(limit: number, windowMs = 60_000, now: () => number = Date.now) {
    this.#limit = limit;
    this.#slotMs = Math.max(1, Math.ceil(windowMs / SLOTS));
    this.#now = now;
  }

  /** Counts one hit for `key`; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.#now();
    const slot = Math.floor(now / this.#slotMs);
    this.#sweep(slot);
    let s = this.#keys.get(key);
    if (!s) {
      s = { counts: new Uint32Array(SLOTS + 1), head: slot, total: 0 };
      this.#keys.set(key, s);
    }
    advance(s, slot);
    if (s.total < this.#limit) {
      s.counts[slot % s.counts.length]! += 1;
      s.total += 1;
      return 0;
    }
    // Over the limit: wait until enough of the oldest hits have left the window.
    let excess = s.total - this.#limit + 1;
    const ring = s.counts.length;
    for (let age = ring - 1; age >= 0; age--) {
      const oldest = slot - age;
      excess -= s.counts[((oldest % ring) + ring) % ring]!;
      if (excess <= 0) {
        const freeAt = (oldest + ring) * this.#slotMs;
        return Math.max(1, Math.ceil((freeAt - now) / 1000));
      }
    }
    return Math.max(1, Math.ceil((ring * this.#slotMs) / 1000));
  }

  /** Drops keys with no hit in the window (at most once per window, O(keys)). */
  #sweep(slot: number): void {
    const ring = SLOTS + 1;
    if (slot - this.#sweptAt < ring) return;
    this.#sweptAt = slot;
    for (const [key, s] of this.#keys) if (slot - s.head >= ring) this.#keys.delete(key);
  }
}

/** Moves `s` to `slot`, forgetting the slots that left the window. */
function advance(s: KeyState, slot: number): void {
  const ring = s.counts.length;
  if (slot <= s.head) return; // same slot (or a clock step back: keep what we have)
  if (slot - s.head >= ring) {
    s.counts.fill(0);
    s.total = 0;
  } else {
    for (let i = s.head + 1; i <= slot; i++) {
      const at = i % ring;
      s.total -= s.counts[at]!;
      s.counts[at] = 0;
    }
  }
  s.head = slot;
}

export function rateLimit(
  counter: WindowCounter,
  keyOf: (req: Request) => string | undefined,
  scope: string,
): RequestHandler {
  return (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    const wait = counter.hit(key);
    if (wait === 0) return next();
    res.setHeader("Retry-After", String(wait));
    next(
      new ProblemError("rate_limited", `too many requests per ${scope}; retry in ${wait}s`, {
        retryAfter: wait,
        scope,
      }),
    );
  };
}
