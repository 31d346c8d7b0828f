/**
 * Fixed-window rate limits kept in process memory (one API process per box; a shared
 * store can replace {@link WindowCounter} when that changes). Keys are an IP or a member
 * number; counters for a window are dropped when the next window starts, so memory stays
 * bounded by the number of clients seen in one minute.
 */
import type { Request, RequestHandler } from "express";
import { ProblemError } from "./problem.ts";

export class WindowCounter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = 0;
  #counts = new Map<string, number>();

  constructor(limit: number, windowMs = 60_000, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one hit for `key`; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now - (now % this.#windowMs);
      this.#counts = new Map();
    }
    const n = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, n);
    if (n <= this.#limit) return 0;
    return Math.max(1, Math.ceil((this.#windowStart + this.#windowMs - now) / 1000));
  }
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
