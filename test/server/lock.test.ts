/**
 * One process per PGlite data directory (server/db/lock.ts): a second `npm start` on the same
 * directory is refused with a message naming the owner, the operator commands and
 * `db:migrate` take the same lock, a lock left by a killed process is taken over, and a
 * directory whose owner is killed in the middle of its writes always opens again.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { DatabaseMissingError, openDatabase, queryRows } from "../../server/db/index.ts";
import { acquireDataDirLock, DataDirLockedError, lockPathOf } from "../../server/db/lock.ts";
import { fastStartEnv, migratedDataDir, ROOT, startMain } from "../support/process.ts";

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-lock-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of a process that has exited (so a lock naming it is stale). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

test("a second opener is refused while the first holds the directory; a stale lock is taken over", async (t) => {
  const dir = await tempDir(t);
  const dataDir = path.join(dir, "pglite");
  const first = await openDatabase({ dataDir });
  try {
    assert.ok(existsSync(lockPathOf(dataDir)));
    // In this process…
    await assert.rejects(openDatabase({ dataDir }), DataDirLockedError);
    // …and in another: db:migrate refuses, naming the directory and this process.
    const migrate = spawnSync(process.execPath, ["server/db/migrate.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...fastStartEnv(), DATA_DIR: dataDir },
      encoding: "utf8",
    });
    assert.equal(migrate.status, 1);
    assert.match(
      migrate.stderr,
      new RegExp(`${dataDir} \\(DATA_DIR\\) is in use by process ${process.pid}`),
    );
    assert.doesNotMatch(migrate.stderr, /\n\s+at /, "a message, not a stack trace");
  } finally {
    await first.close();
  }
  assert.equal(existsSync(lockPathOf(dataDir)), false, "closing releases the lock");

  // A lock whose process died (kill -9, power loss) does not keep the directory shut.
  const pid = await deadPid();
  await writeFile(
    lockPathOf(dataDir),
    JSON.stringify({ pid, host: hostname(), command: "npm start", since: "2020-01-01" }),
  );
  const second = await openDatabase({ dataDir });
  try {
    const owner = JSON.parse(await readFile(lockPathOf(dataDir), "utf8")) as { pid: number };
    assert.equal(owner.pid, process.pid);
  } finally {
    await second.close();
  }
  // A lock file cut short by a crash while it was written is stale too.
  await writeFile(lockPathOf(dataDir), '{"pid":');
  await (await openDatabase({ dataDir })).close();
});

test("a live process with a reused pid is not mistaken for a dead owner, and vice versa", async (t) => {
  const dir = await tempDir(t);
  const dataDir = path.join(dir, "pglite");
  // Our own pid, but a start time that is not ours: the owner that wrote it is gone.
  await writeFile(
    lockPathOf(dataDir),
    JSON.stringify({
      pid: process.pid,
      startTicks: 1,
      host: hostname(),
      command: "x",
      since: "2020-01-01",
    }),
  );
  if (existsSync(`/proc/${process.pid}/stat`)) {
    const lock = acquireDataDirLock(dataDir);
    lock.release();
  }
  assert.equal(existsSync(lockPathOf(dataDir)), false);
});

test("commands never create a database: a missing directory is refused, naming DATA_DIR", async (t) => {
  const dir = await tempDir(t);
  const dataDir = path.join(dir, "nothing-here");
  await assert.rejects(openDatabase({ dataDir, create: false }), (error: unknown) => {
    assert.ok(error instanceof DatabaseMissingError);
    assert.match(error.message, /DATA_DIR/);
    assert.match(error.message, /DATABASE_URL/);
    return true;
  });
  assert.equal(existsSync(dataDir), false, "nothing was created");
  assert.equal(existsSync(lockPathOf(dataDir)), false, "and the lock was released");
});

test("two services on one directory: the second is refused; killing the first in the middle of writes never breaks the database", async (t) => {
  const dir = await tempDir(t);
  const dataDir = path.join(dir, "pglite");
  await migratedDataDir(dataDir);
  const env = {
    DATA_DIR: dataDir,
    NODE_ENV: "development",
    DASHBOARD_VITE: "false",
    DASHBOARD_DEV_TOOLS: "true",
    RATE_LIMIT_IP_PER_MINUTE: "1000000",
    JOBS_INTERVAL_SECONDS: "0",
  };
  let nextUser = 1_000;
  for (let round = 0; round < 2; round++) {
    const a = startMain(env);
    t.after(() => {
      a.child.kill("SIGKILL");
    });
    const url = await a.listening;
    // The second process refuses at once with a clear message, and the first keeps serving.
    const b = startMain(env);
    t.after(() => {
      b.child.kill("SIGKILL");
    });
    const outcome = await Promise.race([
      b.exit.then((code) => `exited with ${code}`),
      b.listening.then(() => "listening"),
    ]);
    assert.equal(outcome, "exited with 1");
    const refusal = b.lines.join("\n");
    assert.match(refusal, new RegExp(`is in use by process ${a.child.pid}`));
    assert.match(refusal, /PGlite allows one process at a time/);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);

    // Writes in flight (each /__dev/login creates a member, its code and a login token)
    // when the owner is killed without warning.
    let writes = 0;
    let stop = false;
    const writers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const res = await fetch(`${url}/__dev/login?id=${nextUser++}`, {
          redirect: "manual",
        }).catch(() => undefined);
        if (res?.status === 302) writes++;
        else if (res === undefined) return;
      }
    });
    while (writes < 20) await new Promise((r) => setTimeout(r, 20));
    a.child.kill("SIGKILL");
    await a.exit;
    stop = true;
    await Promise.all(writers);

    // The directory opens (the dead owner's lock is taken over) and holds every write the
    // server acknowledged.
    const db = await openDatabase({ dataDir });
    try {
      const [row] = await queryRows<{ n: string }>(
        db.db,
        sql`select count(*)::text as n from members where telegram_id >= 1000`,
      );
      assert.ok(Number(row!.n) >= writes, `${row!.n} members, ${writes} acknowledged`);
      await db.db.execute(sql`insert into members (telegram_id) values (${900 + round})`);
    } finally {
      await db.close();
    }
  }
});
