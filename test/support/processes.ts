/**
 * Real child processes for tests and benchmarks: `node <args>` with an exact environment
 * (nothing inherited but what is passed), its output kept for failure messages, and a
 * promise of how it ended (exit code, or the signal that killed it).
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface Child {
  process: ChildProcess;
  /** What it wrote to stdout and stderr (the last `keepOutput` characters). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  cwd?: string;
  /** Characters of output to keep (default: all). Long-running benchmark processes bound it. */
  keepOutput?: number;
}

/**
 * Starts `node <args>` (this Node binary) with exactly `env`, plus `NODE_OPTIONS` when this
 * process has it (the test run's preload, which only makes start-up cheaper).
 */
export function spawnNode(
  args: readonly string[],
  env: Record<string, string | undefined>,
  o: SpawnOptions = {},
): Child {
  const options = process.env.NODE_OPTIONS;
  const child = spawn(process.execPath, args, {
    cwd: o.cwd,
    env: options ? { NODE_OPTIONS: options, ...env } : env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = o.keepOutput ?? Number.POSITIVE_INFINITY;
  let output = "";
  const append = (b: Buffer) => {
    output += b.toString();
    if (output.length > keep) output = output.slice(-keep);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { process: child, output: () => output, exited };
}

/** Whether the process has ended (exited or was killed). */
export function hasEnded(c: Child): boolean {
  return c.process.exitCode !== null || c.process.signalCode !== null;
}
