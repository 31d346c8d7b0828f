/**
 * The in-process rate limiter on a controllable clock: never more than the limit in any
 * span of one window (a fixed window let twice the limit through around its boundary).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { WindowCounter } from "../../../server/http/rate-limit.ts";

const MINUTE = 60_000;

test("no second burst right after a window boundary", () => {
  let now = 10 * MINUTE + 59_000; // one second before a calendar minute ends
  const limiter = new WindowCounter(10, MINUTE, () => now);
  for (let i = 0; i < 10; i++) assert.equal(limiter.hit("203.0.113.1"), 0, `hit ${i}`);
  assert.ok(limiter.hit("203.0.113.1") > 0, "the 11th within the minute is refused");
  now += 1_500; // the next calendar minute: a fixed window would start counting from 0
  for (let i = 0; i < 10; i++)
    assert.ok(limiter.hit("203.0.113.1") > 0, `still refused ${i} just after the boundary`);
  // Other clients are not affected.
  assert.equal(limiter.hit("198.51.100.2"), 0);
  // The burst made at :59 frees up one window (plus at most one 1-second step) later.
  now = 10 * MINUTE + 59_000 + MINUTE - 1;
  const wait = limiter.hit("203.0.113.1");
  assert.ok(wait >= 1 && wait <= 2, `Retry-After ${wait}`);
  now = 10 * MINUTE + 59_000 + MINUTE + 1_000;
  for (let i = 0; i < 10; i++) assert.equal(limiter.hit("203.0.113.1"), 0, `again ${i}`);
  assert.ok(limiter.hit("203.0.113.1") > 0);
});

test("Retry-After says when the oldest counted hit leaves the window", () => {
  let now = 5 * MINUTE;
  const limiter = new WindowCounter(3, MINUTE, () => now);
  limiter.hit("k"); // at 5:00
  now += 20_000;
  limiter.hit("k"); // at 5:20
  limiter.hit("k");
  now += 10_000; // 5:30: full; the 5:00 hit frees up at 6:00 (+ up to one step)
  const wait = limiter.hit("k");
  assert.ok(wait >= 30 && wait <= 31, `Retry-After ${wait}`);
  now += wait * 1000;
  assert.equal(limiter.hit("k"), 0, "allowed once Retry-After has passed");
});

test("property: any span of one window holds at most the limit of allowed hits", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 10 * MINUTE }),
      (limit, gaps, start) => {
        let now = start;
        const windowMs = 10_000;
        const limiter = new WindowCounter(limit, windowMs, () => now);
        const allowed: number[] = [];
        // A refusal is justified: the limit was reached within one window plus one step.
        const slack = windowMs + 2 * Math.ceil(windowMs / 60);
        for (const gap of gaps) {
          now += gap;
          if (limiter.hit("client") === 0) allowed.push(now);
          else {
            const recent = allowed.filter((at) => at > now - slack).length;
            assert.ok(recent >= limit, `refused at ${now} with only ${recent} recent hits`);
          }
        }
        // Allowed times are sorted: check every span starting at an allowed hit.
        for (let i = 0; i < allowed.length; i++) {
          let j = i;
          while (j < allowed.length && allowed[j]! < allowed[i]! + windowMs) j++;
          assert.ok(j - i <= limit, `${j - i} allowed within ${windowMs} ms from ${allowed[i]}`);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("a client idle for a whole window starts afresh", () => {
  let now = 1_000_000;
  const limiter = new WindowCounter(2, MINUTE, () => now);
  assert.equal(limiter.hit("a"), 0);
  assert.equal(limiter.hit("a"), 0);
  assert.ok(limiter.hit("a") > 0);
  now += MINUTE + 1_000;
  assert.equal(limiter.hit("a"), 0);
  assert.equal(limiter.hit("a"), 0);
  assert.ok(limiter.hit("a") > 0);
});
