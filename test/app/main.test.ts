/**
 * `npm start` end to end: the real entry point as a child process, on the embedded
 * database with no other setup (and on PostgreSQL when available).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createPostgresDatabase, postgresTest } from "../support/db.ts";
import { startMain } from "../support/mainProcess.ts";
import { fastStartEnv } from "../support/process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The server with the jobs loop ticking every second. */
const start = (env: Record<string, string>) => startMain({ JOBS_INTERVAL_SECONDS: "1", ...env });

test("npm start serves the API on the embedded database with no setup, and stops on SIGTERM", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-start-"));
  try {
    const s = await start({ DATA_DIR: path.join(dir, "pglite") });
    try {
      assert.deepEqual(await (await fetch(`${s.url}/readyz`)).json(), {
        status: "ready",
        database: "pglite",
      });
      const campaigns = (await (await fetch(`${s.url}/api/campaigns`)).json()) as {
        items: Array<{ slug: string }>;
      };
      assert.deepEqual(
        campaigns.items.map((c) => c.slug),
        ["demo"],
      );
      // Without BOT_TOKEN every Mini App request fails closed.
      assert.equal(
        (await fetch(`${s.url}/api/me`, { headers: { authorization: "tma user=1&hash=00" } }))
          .status,
        401,
      );
      assert.ok(
        s.logs.some((l) => l.includes('"variable":"BOT_TOKEN"')),
        "the missing token is warned about",
      );
    } finally {
      s.child.kill("SIGTERM");
    }
    assert.equal(await s.exit, 0);
    assert.ok(s.logs.some((l) => l.includes('"msg":"stopped"')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

postgresTest("npm start on PostgreSQL when DATABASE_URL is set", async () => {
  const pg = await createPostgresDatabase();
  try {
    const s = await start({ DATABASE_URL: pg.url });
    try {
      assert.deepEqual(await (await fetch(`${s.url}/readyz`)).json(), {
        status: "ready",
        database: "postgres",
      });
    } finally {
      s.child.kill("SIGTERM");
    }
    assert.equal(await s.exit, 0);
  } finally {
    await pg.drop();
  }
});

test("a bad setting stops start-up with a message naming it", async () => {
  const child = spawn(process.execPath, ["app/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...fastStartEnv(), PORT: "not-a-port", CHAIN_ID: "x" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(code, 1);
  assert.match(stderr, /PORT: expected a whole number/);
  assert.match(stderr, /CHAIN_ID/);
});
