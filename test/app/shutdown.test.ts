/**
 * Graceful shutdown of `npm start`: SIGTERM stops the service within its deadline even with a
 * browser's hot-reload websocket open (it used to hang until "shutdown timed out" and exit
 * without closing the database), and `npm start` passes the signal on and waits for the
 * service to finish (npm used to exit at once, leaving node running, or killed half-way).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { lockPathOf } from "../../server/db/lock.ts";
import { migratedDataDir, spawnService, startMain } from "../support/process.ts";

async function dataDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-shutdown-"));
  const dataDir = path.join(dir, "pglite");
  t.after(async () => {
    // Whatever happened, leave no service running on it.
    try {
      const owner = JSON.parse(readFileSync(lockPathOf(dataDir), "utf8")) as { pid: number };
      process.kill(owner.pid, "SIGKILL");
    } catch {}
    await rm(dir, { recursive: true, force: true });
  });
  await migratedDataDir(dataDir);
  return dataDir;
}

test("SIGTERM with the dashboard's hot-reload websocket open stops cleanly and closes the database", async (t) => {
  const dir = await dataDir(t);
  // Development, as `npm start` without NODE_ENV: the dashboard through Vite with hot reload.
  const s = startMain({ DATA_DIR: dir, NODE_ENV: "development", JOBS_INTERVAL_SECONDS: "1" });
  t.after(() => {
    s.child.kill("SIGKILL");
  });
  const url = await s.listening;
  await s.waitFor(/"component":"web","msg":"component started"/);
  // What an open dashboard tab holds: Vite's HMR websocket.
  const ws = new WebSocket(url.replace("http", "ws"), "vite-hmr");
  await new Promise<void>((resolve, reject) => {
    ws.onmessage = (m) => {
      if (String(m.data).includes('"connected"')) resolve();
    };
    ws.onerror = () => reject(new Error("the HMR websocket did not open"));
  });
  const closed = new Promise<void>((resolve) => {
    ws.onclose = () => resolve();
  });

  s.child.kill("SIGTERM");
  assert.equal(await s.exit, 0, s.lines.join("\n"));
  await closed;
  const output = s.lines.join("\n");
  assert.doesNotMatch(output, /shutdown timed out|did not stop in time/);
  assert.match(output, /"clean":true,"msg":"stopped"/);
  assert.equal(existsSync(lockPathOf(dir)), false, "the database was closed and its lock released");
});

test("npm start passes SIGTERM on to the service and exits only once the service has stopped", async (t) => {
  const dir = await dataDir(t);
  const npm = spawnService("npm", ["start", "--silent"], {
    DATA_DIR: dir,
    NODE_ENV: "test",
    JOBS_INTERVAL_SECONDS: "1",
  });
  t.after(() => {
    npm.child.kill("SIGKILL");
  });
  const url = await npm.listening;
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  // A supervisor (systemd, Docker, CI) signals the process it started: npm.
  npm.child.kill("SIGTERM");
  const code = await npm.exit;
  // By the time npm exits, the service has finished: it logged its end and closed the
  // database (an orphaned node would still hold the lock).
  assert.equal(existsSync(lockPathOf(dir)), false, npm.lines.join("\n"));
  assert.match(npm.lines.join("\n"), /"clean":true,"msg":"stopped"/);
  assert.equal(code, 0);
});
