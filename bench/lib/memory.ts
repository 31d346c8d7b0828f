/**
 * Memory and CPU of a benchmark's processes (Linux `/proc`): resident set size (RSS) of each
 * process sampled on an interval, at start and at end, its CPU time, the machine's busy time,
 * and the rule that decides whether a process's memory grows without bound over a soak.
 */
import { readFile } from "node:fs/promises";

const MiB = 2 ** 20;

/** CPU time (user + system) `pid` used so far, in seconds, or undefined when it is gone. */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine spent busy (all cores), and in all, so far (`/proc/stat`). */
export async function machineCpuSeconds(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** RSS of `pid` in MiB (one decimal), or undefined when the process is gone. */
export async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) * 1024 * 10) / MiB) / 10;
  } catch {
    return undefined;
  }
}

export interface TrackedProcess {
  role: string;
  pid: number;
  /** Seconds since the run started. */
  startedAt: number;
  endedAt?: number;
  /** How it ended: killed by the benchmark (a fault), or stopped at the end. */
  ended?: "killed" | "stopped";
  /** RSS once it was ready, before it carried load. */
  rssAtStartMiB?: number;
  /** Last RSS seen while it ran (at the end of the run, or just before it was killed). */
  rssAtEndMiB?: number;
  peakMiB?: number;
  /** CPU seconds (user + system) it used, as of its last sample. */
  cpuSeconds?: number;
}

export interface MemorySample {
  /** Seconds since the run started. */
  at: number;
  /** RSS in MiB by role (the process that holds the role at that time). */
  mib: Record<string, number>;
}

/** Samples the RSS of every tracked process every `intervalMs`. */
export class MemoryMonitor {
  readonly processes: TrackedProcess[] = [];
  readonly samples: MemorySample[] = [];
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;

  /** `now`: seconds since the run started. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /** Starts following `pid` under `role` (a restarted process takes over its role). */
  track(role: string, pid: number): TrackedProcess {
    const p: TrackedProcess = { role, pid, startedAt: this.#now() };
    this.processes.push(p);
    return p;
  }

  current(role: string): TrackedProcess | undefined {
    return this.processes.findLast((p) => p.role === role && p.ended === undefined);
  }

  /** Records the RSS of `role` now as its start figure (call once it is ready). */
  async markStart(role: string): Promise<void> {
    const p = this.current(role);
    if (p) p.rssAtStartMiB = await rssMiB(p.pid);
  }

  /** `role`'s process ended (`killed`: its last sample stands as its end figure). */
  async ended(role: string, how: "killed" | "stopped"): Promise<void> {
    const p = this.current(role);
    if (!p) return;
    if (how === "stopped") {
      const rss = await rssMiB(p.pid);
      if (rss !== undefined) this.#note(p, rss);
      p.cpuSeconds = (await cpuSeconds(p.pid)) ?? p.cpuSeconds;
    }
    p.ended = how;
    p.endedAt = this.#now();
  }

  async sample(): Promise<MemorySample> {
    const s: MemorySample = { at: Math.round(this.#now() * 10) / 10, mib: {} };
    for (const p of this.processes) {
      if (p.ended !== undefined) continue;
      const rss = await rssMiB(p.pid);
      if (rss === undefined) continue;
      s.mib[p.role] = rss;
      this.#note(p, rss);
      p.cpuSeconds = (await cpuSeconds(p.pid)) ?? p.cpuSeconds;
    }
    this.samples.push(s);
    return s;
  }

  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #note(p: TrackedProcess, rss: number): void {
    p.rssAtEndMiB = rss;
    p.peakMiB = Math.max(p.peakMiB ?? 0, rss);
  }
}

/** The growth limit of {@link soakVerdict}, from the middle third of the soak to the last. */
export const SOAK_GROWTH_LIMIT = 0.1;

export const SOAK_RULE =
  "Each process that ran through the whole soak: its RSS samples during the soak are split " +
  "into thirds by time; the first third is warm-up (JIT, caches, pools). Its memory counts as " +
  "growing without bound when both its floor and its peak rise: the last third's lowest and " +
  `highest RSS exceed the middle third's lowest and highest by more than ${SOAK_GROWTH_LIMIT * 100}%. ` +
  "(V8 lets the heap grow between major collections, so RSS is a sawtooth whose peaks depend on " +
  "where a third cuts a cycle; a leak lifts the whole saw, floor and peaks.) The least-squares " +
  "slope over the last two thirds is reported beside it.";

export interface SoakVerdict {
  role: string;
  samples: number;
  middleThird: { lowMiB: number; highMiB: number };
  lastThird: { lowMiB: number; highMiB: number };
  floorGrowthPercent: number;
  peakGrowthPercent: number;
  /** Least-squares slope of RSS over the last two thirds. */
  slopeMiBPerMinute: number;
  bounded: boolean;
}

/** Applies {@link SOAK_RULE} to `role`'s samples in [from, to] (seconds). */
export function soakVerdict(
  samples: readonly MemorySample[],
  role: string,
  from: number,
  to: number,
): SoakVerdict {
  const points = samples
    .filter((s) => s.at >= from && s.at <= to && s.mib[role] !== undefined)
    .map((s) => ({ at: s.at, mib: s.mib[role]! }));
  const third = (to - from) / 3;
  const range = (a: number, b: number) => {
    const v = points.filter((p) => p.at >= a && p.at <= b).map((p) => p.mib);
    return { lowMiB: v.length ? Math.min(...v) : 0, highMiB: v.length ? Math.max(...v) : 0 };
  };
  const middle = range(from + third, from + 2 * third);
  const last = range(from + 2 * third, to);
  const tail = points.filter((p) => p.at >= from + third);
  const n = tail.length;
  const mx = tail.reduce((a, p) => a + p.at, 0) / Math.max(1, n);
  const my = tail.reduce((a, p) => a + p.mib, 0) / Math.max(1, n);
  const sxx = tail.reduce((a, p) => a + (p.at - mx) ** 2, 0);
  const sxy = tail.reduce((a, p) => a + (p.at - mx) * (p.mib - my), 0);
  const growth = (a: number, b: number) => (a > 0 ? Math.round(((b - a) / a) * 1000) / 10 : 0);
  const limit = 1 + SOAK_GROWTH_LIMIT;
  return {
    role,
    samples: points.length,
    middleThird: middle,
    lastThird: last,
    floorGrowthPercent: growth(middle.lowMiB, last.lowMiB),
    peakGrowthPercent: growth(middle.highMiB, last.highMiB),
    slopeMiBPerMinute: Math.round((sxx > 0 ? sxy / sxx : 0) * 60 * 100) / 100,
    bounded:
      middle.highMiB > 0 &&
      !(last.lowMiB > middle.lowMiB * limit && last.highMiB > middle.highMiB * limit),
  };
}
