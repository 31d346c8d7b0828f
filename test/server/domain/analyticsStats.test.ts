/**
 * The experiment statistics against values computed independently here: textbook z-test
 * examples worked by hand with printed normal-table values, Beta posteriors with closed forms
 * and a seeded Monte Carlo, Fleiss' sample size with the textbook z constants, and the
 * histogram quantile.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  histogramBucket,
  histogramQuantile,
  normalCdf,
  normalQuantile,
  percentile,
  probabilityToBeat,
  sampleSizePerArm,
  twoProportionZTest,
} from "../../../server/domain/analytics/stats.ts";

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

test("normal distribution: table values and the quantile as its inverse", () => {
  // Printed standard normal table values.
  close(normalCdf(0), 0.5, 1e-15, "Φ(0)");
  close(normalCdf(1), 0.841344746, 1e-9, "Φ(1)");
  close(normalCdf(1.96), 0.975002105, 1e-9, "Φ(1.96)");
  close(normalCdf(-2.5758293), 0.005, 1e-9, "Φ(-2.576)");
  close(normalCdf(-6), 9.86587645e-10, 1e-15, "Φ(-6)");
  close(normalQuantile(0.975), 1.959963985, 1e-9, "z 0.975");
  close(normalQuantile(0.8), 0.841621234, 1e-9, "z 0.8");
  close(normalQuantile(0.005), -2.575829304, 1e-9, "z 0.005");
  for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999])
    close(normalCdf(normalQuantile(p)), p, 1e-12, `Φ(Φ⁻¹(${p}))`);
});

test("two-proportion z-test: worked examples", () => {
  // 45/100 vs 60/100. Pooled p = 105/200 = 0.525, SE = √(0.525·0.475·(2/100)) = 0.0706222,
  // z = 0.15 / 0.0706222 = 2.12398; two-sided p = 2·(1 − Φ(2.12398)) = 0.03367.
  // Wald CI: SE = √(0.45·0.55/100 + 0.6·0.4/100) = 0.0697137; 0.15 ± 1.959964·SE.
  const r = twoProportionZTest({ successes: 45, trials: 100 }, { successes: 60, trials: 100 });
  close(r.z, 0.15 / Math.sqrt(0.525 * 0.475 * 0.02), 1e-12, "z");
  close(r.z, 2.12398, 1e-5, "z (hand)");
  close(r.pValue, 0.03367, 1e-5, "p");
  const se = Math.sqrt((0.45 * 0.55) / 100 + (0.6 * 0.4) / 100);
  close(r.ciLow, 0.15 - 1.959964 * se, 1e-6, "CI low");
  close(r.ciHigh, 0.15 + 1.959964 * se, 1e-6, "CI high");
  close(r.lift ?? Number.NaN, 1 / 3, 1e-12, "lift");

  // A larger, not significant one: 200/2000 vs 220/2000. Pooled 0.105, SE = √(0.105·0.895·0.001)
  // = 0.0096941, z = 0.01 / 0.0096941 = 1.03156, p = 2·(1 − 0.84886) ≈ 0.3023 (normal table).
  const n = twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 220, trials: 2000 });
  close(n.z, 1.03156, 1e-5, "z 2");
  close(n.pValue, 0.3023, 1e-4, "p 2");
  assert.ok(n.ciLow < 0 && n.ciHigh > 0, "the interval holds 0 when not significant");

  // Symmetry, and nothing to test without members.
  const swapped = twoProportionZTest(
    { successes: 60, trials: 100 },
    { successes: 45, trials: 100 },
  );
  close(swapped.z, -r.z, 1e-12, "swapped z");
  close(swapped.pValue, r.pValue, 1e-12, "swapped p");
  const empty = twoProportionZTest({ successes: 0, trials: 0 }, { successes: 5, trials: 10 });
  assert.equal(empty.pValue, 1);
});

/** Mulberry32: a small seeded generator, independent of the module under test. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Beta(a, b) draw for whole a, b: the a-th smallest of a + b − 1 uniforms. */
function betaDraw(random: () => number, a: number, b: number): number {
  const u = Array.from({ length: a + b - 1 }, random).sort((x, y) => x - y);
  return u[a - 1]!;
}

test("probability to beat control: closed forms and a seeded Monte Carlo", () => {
  // Nothing observed: two uniforms, P = 1/2. One success in one trial for B: Beta(2,1) against a
  // uniform, P = ∫ 2x · x dx = 2/3. One failure for B: Beta(1,2), P = ∫ 2(1−x) x dx = 1/3.
  close(
    probabilityToBeat({ successes: 0, trials: 0 }, { successes: 0, trials: 0 }),
    0.5,
    1e-12,
    "1/2",
  );
  close(
    probabilityToBeat({ successes: 0, trials: 0 }, { successes: 1, trials: 1 }),
    2 / 3,
    1e-12,
    "2/3",
  );
  close(
    probabilityToBeat({ successes: 0, trials: 0 }, { successes: 0, trials: 1 }),
    1 / 3,
    1e-12,
    "1/3",
  );

  // Small counts against 100,000 seeded draws of each posterior (order statistics of uniforms).
  const random = rng(42);
  const a = { successes: 3, trials: 10 };
  const b = { successes: 7, trials: 12 };
  let wins = 0;
  const draws = 100_000;
  for (let i = 0; i < draws; i++) {
    const pa = betaDraw(random, 1 + a.successes, 1 + a.trials - a.successes);
    const pb = betaDraw(random, 1 + b.successes, 1 + b.trials - b.successes);
    if (pb > pa) wins++;
  }
  close(probabilityToBeat(a, b), wins / draws, 0.005, "Monte Carlo");
  // Complements, and large counts (the normal approximation) agree with the z-test's direction.
  close(probabilityToBeat(a, b) + probabilityToBeat(b, a), 1, 1e-9, "complement");
  const big = probabilityToBeat(
    { successes: 10_000, trials: 100_000 },
    { successes: 10_300, trials: 100_000 },
  );
  // Normal approximation by hand: means 0.100008/0.103008, sd √(v₁+v₂) with v = ab/((a+b)²(a+b+1)).
  const v = (x: number, y: number) => (x * y) / ((x + y) ** 2 * (x + y + 1));
  const sd = Math.sqrt(v(10_001, 90_001) + v(10_301, 89_701));
  close(big, normalCdf((10_301 / 100_002 - 10_001 / 100_002) / sd), 1e-9, "large counts");
  assert.ok(big > 0.98 && big < 0.99);
});

test("sample size per arm: Fleiss' formula with textbook constants", () => {
  // 10% → 15%: (1.959964·√(2·0.125·0.875) + 0.841621·√(0.1·0.9 + 0.15·0.85))² / 0.05² = 685.2 → 686.
  const byHand =
    (1.959964 * Math.sqrt(2 * 0.125 * 0.875) + 0.841621 * Math.sqrt(0.1 * 0.9 + 0.15 * 0.85)) ** 2 /
    0.05 ** 2;
  assert.equal(sampleSizePerArm(0.1, 0.05), Math.ceil(byHand));
  assert.equal(sampleSizePerArm(0.1, 0.05), 686);
  // 50% → 60% needs 388 per arm (the same formula: a common table entry).
  assert.equal(sampleSizePerArm(0.5, 0.1), 388);
  // Smaller effects need more; impossible targets give none.
  assert.ok(sampleSizePerArm(0.1, 0.01)! > sampleSizePerArm(0.1, 0.02)!);
  assert.equal(sampleSizePerArm(0, 0.05), null);
  assert.equal(sampleSizePerArm(0.98, 0.05), null);
});

test("time-to-qualify histogram: buckets and quantiles; nearest-rank percentiles", () => {
  assert.deepEqual([0, 1, 2, 3, 59, 3600].map(histogramBucket), [0, 2, 3, 4, 11, 23]);
  // 1 at 10 s (bucket 6), 2 at 100 s (13), 1 at 1000 s (19): the median is in bucket 13.
  const buckets = [
    { bucket: histogramBucket(10), count: 1 },
    { bucket: histogramBucket(100), count: 2 },
    { bucket: histogramBucket(1000), count: 1 },
  ];
  const p50 = histogramQuantile(buckets, 0.5)!;
  assert.ok(p50 >= 2 ** (13 / 2) - 1 && p50 < 2 ** (14 / 2) - 1, `p50 ${p50} in bucket 13`);
  assert.equal(histogramQuantile([], 0.5), null);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([5, 1, 4, 2, 3], 95), 5);
  assert.equal(
    percentile(
      Array.from({ length: 100 }, (_, i) => i + 1),
      95,
    ),
    95,
  );
});
