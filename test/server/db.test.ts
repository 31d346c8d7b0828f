import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import {
  cachedRead,
  openDatabase,
  pgErrorCode,
  queryRows,
  transaction,
} from "../../server/db/index.ts";
import { members } from "../../server/db/schema.ts";
import {
  createPostgresDatabase,
  openTestDatabase,
  postgresTest,
  withDatabases,
} from "../support/db.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function migrateCli(env: Record<string, string>) {
  return spawnSync(process.execPath, ["server/db/migrate.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

test("npm run db:migrate migrates a PGlite directory; migrating again is a no-op and data persists", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-db-"));
  try {
    const dataDir = path.join(dir, "pglite");
    const r = migrateCli({ DATA_DIR: dataDir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /migrations applied \(pglite\)/);
    const a = await openDatabase({ dataDir });
    await a.migrate(); // what every start-up does: nothing left to apply
    await a.db.insert(members).values({ telegramId: 1 });
    await a.close();
    const b = await openDatabase({ dataDir });
    try {
      assert.equal((await b.db.select().from(members)).length, 1);
    } finally {
      await b.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

postgresTest("npm run db:migrate migrates PostgreSQL", async () => {
  const pg = await createPostgresDatabase();
  try {
    const r = migrateCli({ DATABASE_URL: pg.url });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /migrations applied \(postgres\)/);
    const handle = await openDatabase({ url: pg.url, poolSize: 2 });
    try {
      await handle.migrate(); // idempotent, and safe under the advisory lock
      assert.equal((await handle.db.select().from(members)).length, 0);
    } finally {
      await handle.close();
    }
  } finally {
    await pg.drop();
  }
});

test("transactions, constraints and row locks behave the same on both databases", async (t) => {
  await withDatabases(t, async (db) => {
    await assert.rejects(
      transaction(db.db, async (tx) => {
        await tx.insert(members).values({ telegramId: 5 });
        throw new Error("rollback");
      }),
      /rollback/,
    );
    assert.equal((await db.db.select().from(members)).length, 0);
    await db.db.insert(members).values({ telegramId: 5 });
    await assert.rejects(
      db.db.insert(members).values({ telegramId: 5 }),
      (e) => pgErrorCode(e) === "23505",
    );
    const locked = await transaction(db.db, async (tx) =>
      tx
        .select()
        .from(members)
        .where(eq(members.telegramId, 5))
        .for("update", { skipLocked: true }),
    );
    assert.equal(locked.length, 1);
    const [row] = await queryRows<{ n: string }>(
      db.db,
      sql`select (2::numeric ^ 70)::numeric(78,0)::text as n`,
    );
    assert.equal(BigInt(row!.n), 2n ** 70n);
  });
});

test("the PGlite read cache is exact: any write, however it is issued, drops it", async () => {
  const db = await openTestDatabase("pglite");
  try {
    let loads = 0;
    const read = () =>
      cachedRead(db.db, "members", async () => {
        loads++;
        return (await db.db.select().from(members)).length;
      });
    assert.equal(await read(), 0);
    assert.equal(await read(), 0);
    assert.equal(loads, 1, "second read served from the cache");
    const writes: Array<() => Promise<unknown>> = [
      () => db.db.insert(members).values({ telegramId: 1 }),
      () => db.db.execute(sql`insert into members (telegram_id) values (2)`),
      () => db.db.transaction((tx) => tx.insert(members).values({ telegramId: 3 })),
      () =>
        db.db.execute(
          sql`with x as (insert into members (telegram_id) values (4) returning id) select * from x`,
        ),
    ];
    for (const [i, write] of writes.entries()) {
      await write();
      assert.equal(await read(), i + 1, `write ${i} is visible`);
    }
    // Reads running while a write is in flight are never kept.
    const [during] = await Promise.all([read(), db.db.insert(members).values({ telegramId: 5 })]);
    assert.ok(during === 4 || during === 5);
    assert.equal(await read(), 5);
  } finally {
    await db.close();
  }
});

test("PostgreSQL has no read cache (other processes may write)", async (t) => {
  await withDatabases(t, async (db, kind) => {
    let loads = 0;
    const read = () =>
      cachedRead(db.db, "k", async () => {
        loads++;
        return loads;
      });
    await read();
    await read();
    assert.equal(loads, kind === "pglite" ? 1 : 2);
  });
});
