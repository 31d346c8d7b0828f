/**
 * The service as a child process (`node app/main.ts`, or `npm start`), for tests of
 * start-up, shutdown and the data directory lock. Output lines are collected; JSON log lines
 * are parsed, anything else (npm's banner, plain messages) kept as text.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../../server/db/index.ts";
import { migratedPgliteSnapshot } from "./db.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `NODE_OPTIONS` when the test run sets it (`npm test` loads test/support/preload.ts into
 * every process with it): a child started with it loads its modules with less CPU and behaves
 * the same.
 */
export function fastStartEnv(): { NODE_OPTIONS?: string } {
  const options = process.env.NODE_OPTIONS;
  return options ? { NODE_OPTIONS: options } : {};
}

export interface Child {
  child: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
  /** Resolves with the API's URL once it listens (rejects if the process exits first). */
  listening: Promise<string>;
  /** Resolves with the first line matching `re` (rejects if the process exits first). */
  waitFor(re: RegExp): Promise<string>;
  /**
   * SIGKILL to the process and everything it started (its process group): `npm run x`
   * leaves the node it starts running when only npm is killed.
   */
  killAll(): void;
}

export function spawnService(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; bare?: boolean } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    // Its own process group, so killAll() reaches what it starts (npm → node → hardhat node).
    detached: true,
    // Only what the server reads: no inherited DATABASE_URL or tokens. `bare`: only `env`.
    env: options.bare
      ? env
      : {
          PATH: process.env.PATH ?? "",
          HOST: "127.0.0.1",
          PORT: "0",
          LOG_LEVEL: "info",
          ...fastStartEnv(),
          ...env,
        },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters])
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream?.on("data", (b: Buffer) => {
      buffer += b.toString();
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
  }
  const waitFor = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find((l) => re.test(l));
      if (found !== undefined) return resolve(found);
      waiters.push({ re, resolve });
      void exit.then((code) =>
        reject(new Error(`exited (${code}) before ${re}:\n${lines.join("\n")}`)),
      );
    });
  const listening = waitFor(/"msg":"refmint api listening"/).then((line) => {
    const entry = JSON.parse(line) as { address: { port: number } };
    return `http://127.0.0.1:${entry.address.port}`;
  });
  listening.catch(() => {});
  const killAll = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
  };
  return { child, lines, exit, listening, waitFor, killAll };
}

/** `node app/main.ts` with `env`. */
export const startMain = (env: Record<string, string>) =>
  spawnService(process.execPath, ["app/main.ts"], env);

/** A migrated PGlite directory at `dataDir` (start-up then skips the slow first initdb). */
export async function migratedDataDir(dataDir: string): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  await (await openDatabase({ dataDir, pgliteSnapshot: await migratedPgliteSnapshot() })).close();
}
