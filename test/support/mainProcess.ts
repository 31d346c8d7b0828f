/**
 * `npm start`'s entry point (app/main.ts) as a child process, resolved once it logs the port it
 * listens on: for the tests that run the real process end to end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fastStartEnv } from "./process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface StartedMain {
  child: ChildProcess;
  url: string;
  /** Its output so far, a line an entry (stderr chunks as they come). */
  logs: string[];
  exit: Promise<number | null>;
}

/**
 * Starts app/main.ts on loopback on a free port with only `env` besides PATH and fastStartEnv
 * (no inherited DATABASE_URL or tokens), logging at info (the listening line is how the URL is found).
 * Rejects with its output when it exits before listening.
 */
export async function startMain(env: Record<string, string>): Promise<StartedMain> {
  const child = spawn(process.execPath, ["app/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      ...fastStartEnv(),
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (b: Buffer) => {
      buffer += b.toString();
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        logs.push(line);
        const entry = JSON.parse(line) as { msg: string; address?: { port: number } };
        if (entry.msg === "refmint api listening" && entry.address)
          resolve(`http://127.0.0.1:${entry.address.port}`);
      }
    });
    child.stderr?.on("data", (b: Buffer) => logs.push(b.toString()));
    void exit.then((code) =>
      reject(new Error(`server exited (${code}) before listening:\n${logs.join("\n")}`)),
    );
  });
  return { child, url, logs, exit };
}
