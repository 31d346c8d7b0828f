/** Small figures every benchmark reports the same way. */
import os from "node:os";

/** The `p`th percentile of ascending `sorted` values (nearest rank), to 0.1. */
export const percentile = (sorted: readonly number[], p: number): number =>
  Math.round(
    (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10,
  ) / 10;

/** The 1, 5 and 15 minute load averages (the machine is shared: what else ran). */
export const loadAverage = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);
