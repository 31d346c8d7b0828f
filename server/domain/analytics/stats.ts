/**
 * The statistics behind the Experiments screen and the Overview's percentiles: pure functions,
 * no database (docs/ANALYTICS.md states the methods).
 *
 * - {@link twoProportionZTest}: difference of two conversion rates, pooled z-test, two-sided
 *   p-value, and a Wald confidence interval of the difference (unpooled standard error).
 * - {@link probabilityToBeat}: P(p_B > p_A) for Beta(1 + successes, 1 + failures) posteriors
 *   (uniform priors), exact (Evan Miller's sum, over the arm with fewer successes) up to
 *   {@link EXACT_LIMIT} successes, else the normal approximation of the two posteriors.
 * - {@link sampleSizePerArm}: members needed per arm to detect an absolute lift `mde` over a
 *   baseline rate at significance α (two-sided) and the given power.
 */

/** Standard normal CDF: W. J. Cody's rational approximations of erfc (|error| < 1e-14). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = z / Math.SQRT2;
  return x >= 0 ? 1 - erfc(x) / 2 : erfc(-x) / 2;
}

/** Complementary error function for x ≥ 0 (Numerical Recipes' erfc via Chebyshev, ~1.2e-16). */
function erfc(x: number): number {
  // Chebyshev coefficients of erfc(x) = t exp(-x² + P(t)), t = 2 / (2 + x) (Numerical Recipes 3rd ed. §6.2.2).
  const cof = [
    -1.3026537197817094, 6.419697923564902e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
    -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
    -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9,
    5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12,
    8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16,
    -2.8e-17,
  ];
  const t = 2 / (2 + x);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = cof.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + cof[j]!;
    dd = tmp;
  }
  return t * Math.exp(-x * x + 0.5 * (cof[0]! + ty * d) - dd);
}

/** Inverse of {@link normalCdf} (Acklam's algorithm refined by one Halley step). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Halley step against the precise CDF.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

export interface ZTest {
  /** Conversion of control (A) and treatment (B). */
  rateA: number;
  rateB: number;
  /** rateB - rateA. */
  difference: number;
  /** Relative lift (difference / rateA), null when control converts nothing. */
  lift: number | null;
  z: number;
  /** Two-sided. */
  pValue: number;
  /** Confidence interval of the difference at `confidence`. */
  ciLow: number;
  ciHigh: number;
  confidence: number;
}

/**
 * Pooled two-proportion z-test of B against A (two-sided) with a Wald interval of the
 * difference. With no conversions or no members on a side, z is 0 and p is 1 (nothing shown).
 */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  confidence = 0.95,
): ZTest {
  const rateA = a.trials > 0 ? a.successes / a.trials : 0;
  const rateB = b.trials > 0 ? b.successes / b.trials : 0;
  const difference = rateB - rateA;
  const pooled = a.trials + b.trials > 0 ? (a.successes + b.successes) / (a.trials + b.trials) : 0;
  const se =
    a.trials > 0 && b.trials > 0
      ? Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials))
      : 0;
  const z = se > 0 ? difference / se : 0;
  const pValue = se > 0 ? Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) : 1;
  const seDiff =
    a.trials > 0 && b.trials > 0
      ? Math.sqrt((rateA * (1 - rateA)) / a.trials + (rateB * (1 - rateB)) / b.trials)
      : 0;
  const zc = normalQuantile(1 - (1 - confidence) / 2);
  return {
    rateA,
    rateB,
    difference,
    lift: rateA > 0 ? difference / rateA : null,
    z,
    pValue,
    ciLow: difference - zc * seDiff,
    ciHigh: difference + zc * seDiff,
    confidence,
  };
}

/** Successes above which {@link probabilityToBeat} uses the normal approximation. */
export const EXACT_LIMIT = 3_000;

/**
 * P(p_B > p_A) with p_X ~ Beta(1 + successes, 1 + failures): Evan Miller's closed form
 * Σ_{i=0}^{α_B-1} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B) B(α_A, β_A)), in logs.
 */
export function probabilityToBeat(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): number {
  const alphaA = 1 + a.successes;
  const betaA = 1 + a.trials - a.successes;
  const alphaB = 1 + b.successes;
  const betaB = 1 + b.trials - b.successes;
  // The sum runs over B's successes; P(B > A) = 1 - P(A > B) (continuous), so sum the smaller.
  if (alphaA < alphaB && alphaA - 1 <= EXACT_LIMIT) return 1 - probabilityToBeat(b, a);
  if (alphaB - 1 > EXACT_LIMIT) {
    const mean = (x: number, y: number) => x / (x + y);
    const variance = (x: number, y: number) => (x * y) / ((x + y) ** 2 * (x + y + 1));
    const sd = Math.sqrt(variance(alphaA, betaA) + variance(alphaB, betaB));
    return normalCdf((mean(alphaB, betaB) - mean(alphaA, betaA)) / sd);
  }
  let total = 0;
  const fixed = logBeta(alphaA, betaA);
  for (let i = 0; i < alphaB; i++) {
    total += Math.exp(
      logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - logBeta(1 + i, betaB) - fixed,
    );
  }
  return Math.min(1, Math.max(0, total));
}

/**
 * Members needed per arm to detect an absolute difference `mde` from `baseline` (two-sided α,
 * power): n = (z_{1-α/2} √(2 p̄ q̄) + z_{power} √(p₁q₁ + p₂q₂))² / mde², p̄ the mean of the two
 * rates (Fleiss, without continuity correction). Null when the target rate leaves (0, 1).
 */
export function sampleSizePerArm(
  baseline: number,
  mde: number,
  alpha = 0.05,
  power = 0.8,
): number | null {
  const p1 = baseline;
  const p2 = baseline + mde;
  if (!(mde !== 0 && p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1)) return null;
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const n =
    (za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 /
    mde ** 2;
  return Math.ceil(n);
}

/**
 * A quantile from the time-to-qualify histogram (bucket b holds seconds in
 * [2^(b/2) - 1, 2^((b+1)/2) - 1), the SQL function `analytics_bucket`): the geometric middle of
 * the bucket holding it. Null for an empty histogram.
 */
export function histogramQuantile(
  buckets: ReadonlyArray<{ bucket: number; count: number }>,
  q: number,
): number | null {
  const sorted = [...buckets].filter((b) => b.count > 0).sort((x, y) => x.bucket - y.bucket);
  const total = sorted.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const b of sorted) {
    seen += b.count;
    if (seen >= rank) return Math.max(0, 2 ** ((b.bucket + 0.5) / 2) - 1);
  }
  const last = sorted[sorted.length - 1]!;
  return 2 ** ((last.bucket + 0.5) / 2) - 1;
}

/** The bucket of `seconds` (the same as SQL `analytics_bucket`). */
export function histogramBucket(seconds: number): number {
  return Math.floor(2 * Math.log2(Math.max(0, seconds) + 1));
}

/** The p-th percentile (0..100) of samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((x, y) => x - y);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
