/**
 * `npm run deploy` (scripts/deploy-campaign.ts) as a child process, for the deploy command's
 * tests: its output, exit code, and a way to wait for a line while it runs.
 */
import { spawn } from "node:child_process";
import { fastStartEnv, ROOT } from "./process.ts";

export interface DeployRun {
  /** Every line printed so far (stdout and stderr). */
  lines: string[];
  /** The exit code, or the signal that ended it. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the deploy command with `args`, in the repository, with only `env` (plus PATH and the
 * test run's NODE_OPTIONS): no DATABASE_URL, key or RPC_URL leaks in from the test's own.
 */
export function runDeploy(args: string[], env: Record<string, string> = {}): DeployRun {
  const child = spawn(process.execPath, ["scripts/deploy-campaign.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...fastStartEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream.on("data", (b: Buffer) => {
      buffer += b.toString();
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        // DEPLOY_TEST_ECHO=1: the command's output as it runs, to see where a test waits.
        if (process.env.DEPLOY_TEST_ECHO)
          process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${buffer.slice(0, i)}\n`);
        lines.push(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
    stream.on("end", () => {
      if (buffer !== "") lines.push(buffer);
    });
  }
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { lines, exit };
}

/** Runs the command to its end; its output as one string for error messages. */
export async function deployOutput(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; text: string }> {
  const run = runDeploy(args, env);
  const { code, signal } = await run.exit;
  return { code, signal, lines: run.lines, text: run.lines.join("\n") };
}
