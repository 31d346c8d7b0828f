/**
 * How an operator command chooses where to work (server/chain/operatorTarget.ts), and that
 * README lists every knob `npm run dev` reads.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { operatorTarget } from "../../server/chain/operatorTarget.ts";
import { DataDirLockedError, lockPathOf, processIdentity } from "../../server/db/lock.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

test("operator commands: PostgreSQL here; a live dev stack through its service; a held PGlite directory through its service with the token, else refused", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-target-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const runtimeFile = path.join(dir, "runtime.json");
  const dataDir = path.join(dir, "pglite");

  // Nothing runs: the command opens the database itself.
  assert.deepEqual(operatorTarget({ DATA_DIR: dataDir }, runtimeFile), { kind: "local" });

  // `npm run dev` runs (its runtime file names a live process): through it, with its token.
  const dev = {
    ...processIdentity(),
    startedAt: "now",
    apiUrl: "http://127.0.0.1:39001",
    rpcUrl: "http://127.0.0.1:8545",
    chainId: 31337,
    dataDir: ".data/dev/pglite",
    deployments: [],
    operatorToken: "dev-token",
  };
  await writeFile(runtimeFile, JSON.stringify(dev));
  assert.deepEqual(operatorTarget({}, runtimeFile), {
    kind: "service",
    apiUrl: "http://127.0.0.1:39001",
    token: "dev-token",
    via: `npm run dev (pid ${process.pid})`,
  });
  // An explicit database or chain means another one than the dev stack's.
  assert.deepEqual(operatorTarget({ DATABASE_URL: "postgres://x@y/z" }, runtimeFile), {
    kind: "local",
  });
  assert.equal(operatorTarget({ DATA_DIR: dataDir }, runtimeFile).kind, "local");
  // A runtime file left by a dev stack that died is ignored.
  await writeFile(runtimeFile, JSON.stringify({ ...dev, pid: await deadPid() }));
  assert.equal(operatorTarget({ DATA_DIR: dataDir }, runtimeFile).kind, "local");

  // A service (npm start) holds the PGlite directory and says where its API is.
  const owner = {
    pid: process.ppid, // alive, and not this process
    host: hostname(),
    command: "npm start",
    since: "2026-01-01",
    apiUrl: "http://127.0.0.1:39002",
  };
  await writeFile(lockPathOf(dataDir), JSON.stringify(owner));
  assert.deepEqual(operatorTarget({ DATA_DIR: dataDir, ADMIN_API_TOKEN: "t".repeat(32) }), {
    kind: "service",
    apiUrl: "http://127.0.0.1:39002",
    token: "t".repeat(32),
    via: `npm start (pid ${process.ppid})`,
  });
  assert.throws(
    () => operatorTarget({ DATA_DIR: dataDir }),
    (error: unknown) =>
      error instanceof DataDirLockedError &&
      /in use by process \d+ \(npm start/.test(error.message) &&
      /set ADMIN_API_TOKEN to that service's token/.test(error.message),
  );
});

test("README lists every variable npm run dev reads", () => {
  const dev = readFileSync(path.join(ROOT, "scripts/dev.ts"), "utf8");
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Knobs of `npm run dev`"));
  const table = section.slice(0, section.indexOf("\n### ", 5));
  // Read directly (process.env.X) or through its parseEnv schema (`devEnv = z.object({ X: … })`).
  const schema = dev.slice(
    dev.indexOf("const devEnv = z.object({"),
    dev.indexOf("\n});", dev.indexOf("const devEnv")),
  );
  const read = new Set([
    ...[...dev.matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]!),
    ...[...schema.matchAll(/^\s+([A-Z_]+):/gm)].map((m) => m[1]!),
  ]);
  assert.ok(read.has("DEV_RPC_PORT") && read.has("DEV_CAMPAIGN"));
  for (const v of read) assert.match(table, new RegExp(`\`${v}\``), v);
});
