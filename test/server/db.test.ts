import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import {
  cachedRead,
  invalidateReads,
  openDatabase,
  pgErrorCode,
  queryRows,
  ReadCache,
  transaction,
} from "../../server/db/index.ts";
import { members } from "../../server/db/schema.ts";
import {
  createPostgresDatabase,
  DATABASE_KINDS,
  openTestDatabase,
  postgresTest,
  withDatabases,
} from "../support/db.ts";
import { fastStartEnv } from "../support/process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function migrateCli(env: Record<string, string>) {
  return spawnSync(process.execPath, ["server/db/migrate.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...fastStartEnv(), ...env },
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

for (const kind of DATABASE_KINDS) {
  test(`${kind}: cached reads are dropped by tag: at once on the handle, when a transaction ends`, async () => {
    const db = await openTestDatabase(kind);
    try {
      let loads = 0;
      const read = (tag: string) =>
        cachedRead(
          db.db,
          `members:${tag}`,
          async () => {
            loads++;
            return (await db.db.select().from(members)).length;
          },
          () => [tag],
        );
      assert.equal(await read("a"), 0);
      assert.equal(await read("b"), 0);
      assert.equal(await read("a"), 0);
      assert.equal(loads, 2, "second read served from the cache");
      // A write nobody invalidated is not seen (until the entry's ttl)...
      await db.db.insert(members).values({ telegramId: 1 });
      assert.equal(await read("a"), 0);
      // ...one whose tag is dropped is, and only entries with that tag reload.
      invalidateReads(db.db, ["a"]);
      assert.equal(await read("a"), 1);
      assert.equal(await read("b"), 0);
      assert.equal(loads, 3);

      // In a transaction the tags are dropped once it has ended: a read between the write
      // and the commit would load the state before it and keep it.
      await db.db.transaction(async (tx) => {
        await tx.insert(members).values({ telegramId: 2 });
        invalidateReads(tx, ["b"]);
        await tx.transaction(async (savepoint) => invalidateReads(savepoint, ["a"]));
        assert.equal(await read("b"), 0, "still the committed state's entry");
      });
      assert.deepEqual([await read("a"), await read("b")], [2, 2]);
      // A rolled-back transaction's tags are dropped too (a reload is harmless).
      const before = loads;
      await assert.rejects(
        db.db.transaction(async (tx) => {
          invalidateReads(tx, ["a"]);
          throw new Error("roll back");
        }),
      );
      assert.equal(await read("a"), 2);
      assert.equal(loads, before + 1);

      // Concurrent misses share one load; a miss after an invalidation never joins a load
      // begun before it.
      invalidateReads(db.db, ["a"]);
      const shared = loads;
      assert.deepEqual(await Promise.all([read("a"), read("a"), read("a")]), [2, 2, 2]);
      assert.equal(loads, shared + 1, "one load for three concurrent misses");
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let counted: () => void = () => {};
      const readDone = new Promise<void>((r) => {
        counted = r;
      });
      invalidateReads(db.db, ["a"]);
      const slow = cachedRead(
        db.db,
        "members:a",
        async () => {
          const n = (await db.db.select().from(members)).length;
          counted();
          await gate;
          return n;
        },
        () => ["a"],
      );
      await readDone; // the slow load read the state before the write below
      await db.db.insert(members).values({ telegramId: 3 });
      invalidateReads(db.db, ["a"]);
      const fresh = read("a");
      release();
      assert.equal(await slow, 2);
      assert.equal(await fresh, 3);
      assert.equal(await read("a"), 3, "the load that overlapped the write was not kept");

      // Absent rows are not cached: the next read looks again.
      const absent = () =>
        cachedRead(
          db.db,
          "member:99",
          async () => (await db.db.select().from(members).where(eq(members.telegramId, 99)))[0],
          (m) => [`member:${m.id}`],
        );
      assert.equal(await absent(), undefined);
      await db.db.insert(members).values({ telegramId: 99 });
      assert.equal((await absent())?.telegramId, 99);
    } finally {
      await db.close();
    }
  });
}

test("PGlite: cached reads do not expire (this process is the only writer); only invalidation drops them", async () => {
  const db = await openDatabase({ dataDir: "memory://", readCacheMs: 1 });
  try {
    let loads = 0;
    const read = () =>
      cachedRead(
        db.db,
        "k",
        async () => ++loads,
        () => ["t"],
      );
    assert.equal(await read(), 1);
    await new Promise((r) => setTimeout(r, 20)); // well past readCacheMs
    assert.equal(await read(), 1, "served from the cache");
    invalidateReads(db.db, ["t"]);
    assert.equal(await read(), 2);
  } finally {
    await db.close();
  }
});

test("ReadCache: entries expire after ttlMs; tags drop only their entries; clear drops all", async () => {
  let now = 1_000;
  const cache = new ReadCache({ ttlMs: 500, now: () => now });
  let loads = 0;
  const read = (key: string, tags: string[]) =>
    cache.get(
      key,
      async () => ++loads,
      () => tags,
    );
  assert.equal(await read("k", ["x"]), 1);
  now += 499;
  assert.equal(await read("k", ["x"]), 1, "fresh for ttlMs");
  now += 1;
  assert.equal(await read("k", ["x"]), 2, "reloaded once expired");
  assert.equal(await read("j", ["y", "x"]), 3);
  assert.equal(await read("i", ["y"]), 4);
  cache.invalidate(["x"]);
  assert.equal(await read("k", ["x"]), 5);
  assert.equal(await read("j", ["y", "x"]), 6);
  assert.equal(await read("i", ["y"]), 4, "another tag's entry is kept");
  cache.clear();
  assert.equal(await read("i", ["y"]), 7);
});

postgresTest(
  "PostgreSQL: DATABASE_READ_CACHE_MS=0 reads through; another process's write waits for the ttl",
  async () => {
    const { url, drop } = await createPostgresDatabase();
    const uncached = await openDatabase({ url, readCacheMs: 0 });
    const cached = await openDatabase({ url, readCacheMs: 60_000 });
    try {
      await uncached.migrate();
      let loads = 0;
      const count = (db: typeof cached.db) => () =>
        cachedRead(
          db,
          "members",
          async () => {
            loads++;
            return (await db.select().from(members)).length;
          },
          () => ["members"],
        );
      await count(uncached.db)();
      await count(uncached.db)();
      assert.equal(loads, 2, "no cache when turned off");
      assert.equal(await count(cached.db)(), 0);
      // Another process (here: another pool) writes: this handle cannot see it happen, so it
      // keeps serving its entry until the ttl ends — the documented bound on staleness.
      await uncached.db.insert(members).values({ telegramId: 1 });
      invalidateReads(uncached.db, ["members"]);
      assert.equal(await count(cached.db)(), 0);
      invalidateReads(cached.db, ["members"]);
      assert.equal(await count(cached.db)(), 1, "the tag dropped through this handle");
    } finally {
      await cached.close();
      await uncached.close();
      await drop();
    }
  },
);

/** Applies one migration file of server/db by hand, statement by statement. */
async function applyFile(client: PGlite, file: string): Promise<void> {
  const text = await readFile(path.join(ROOT, "server/db", file), "utf8");
  for (const statement of text.split("--> statement-breakpoint"))
    if (statement.trim() !== "") await client.exec(statement);
}

test("chain migration 0001 turns the kept token transfers into each block's net balance changes", async () => {
  // Applied by hand up to chain 0000, populated as the old indexer left it, then 0001.
  const client = new PGlite();
  try {
    await applyFile(client, "legacy/core/0000_init.sql");
    await applyFile(client, "legacy/chain/0000_gifted_moon_knight.sql");
    const zero = "0x0000000000000000000000000000000000000000";
    const [tokenA, tokenB, alice, bob] = ["0xa", "0xb", "0x1", "0x2"];
    await client.exec(
      `insert into chain_blocks (number, hash) values (10, '0x10'), (11, '0x11'), (12, '0x12')`,
    );
    let logIndex = 0;
    for (const [block, token, from, to, value] of [
      [10, tokenA, zero, alice, "500"], // payout (mint)
      [10, tokenA, zero, bob, "200"],
      [10, tokenB, zero, alice, "7"],
      [11, tokenA, alice, bob, "120"], // transfer
      [11, tokenA, bob, alice, "20"],
      [11, tokenA, alice, zero, "30"], // burn (perk redeemed)
    ] as const) {
      await client.query(
        `insert into chain_transfers (block_number, log_index, token, "from", "to", value, tx_hash)
         values ($1, $2, $3, $4, $5, $6, '0xt')`,
        [block, logIndex++, token, from, to, value],
      );
    }
    await applyFile(client, "legacy/chain/0001_neat_may_parker.sql");
    const { rows } = await client.query<{
      number: number;
      balance_tokens: string[] | null;
      balance_accounts: string[] | null;
      balance_deltas: string[] | null;
    }>(
      `select number::int as number, balance_tokens, balance_accounts, balance_deltas::text[] as balance_deltas
       from chain_blocks order by number`,
    );
    assert.deepEqual(
      rows.map((r) => [r.number, r.balance_tokens, r.balance_accounts, r.balance_deltas]),
      [
        [10, [tokenA, tokenA, tokenB], [alice, bob, alice], ["500", "200", "7"]],
        [11, [tokenA, tokenA], [alice, bob], ["-130", "100"]],
        [12, null, null, null],
      ],
    );
    const { rows: left } = await client.query(`select to_regclass('chain_transfers') as t`);
    assert.deepEqual(left, [{ t: null }], "chain_transfers is dropped");
  } finally {
    await client.close();
  }
});

test("chain migration 0002 gives existing leaves their epoch's deadline and published roots an activation time", async () => {
  const client = new PGlite();
  try {
    await applyFile(client, "legacy/core/0000_init.sql");
    await applyFile(client, "legacy/chain/0000_gifted_moon_knight.sql");
    await applyFile(client, "legacy/chain/0001_neat_may_parker.sql");
    await client.exec(
      `insert into campaigns (slug, onchain_id, definition, definition_hash)
         values ('c', 1, '{}', 'h');
       insert into members (telegram_id) values (1);`,
    );
    const [{ id: campaignId }] = (await client.query<{ id: number }>(`select id from campaigns`))
      .rows;
    const [{ id: memberId }] = (
      await client.query<{ id: number }>(`select id::int as id from members`)
    ).rows;
    for (const [status, deadline] of [
      ["published", 1_900_000_000],
      ["pending", 1_900_000_500],
    ] as const) {
      const { rows } = await client.query<{ id: number }>(
        `insert into chain_epochs (campaign_id, token, token_address, distributor, root, deadline,
           leaf_count, total, status, snapshot_block)
         values ($1, 'REF', '0xt', '0xd', '0xr', $2, 1, 5, $3, 1) returning id::int as id`,
        [campaignId, deadline, status],
      );
      await client.query(
        `insert into chain_epoch_leaves (epoch_id, member_id, account, cumulative_amount, through_entry_id)
         values ($1, $2, '0xa', 5, 1)`,
        [rows[0]!.id, memberId],
      );
    }
    await client.query(
      `insert into chain_claims (block_number, log_index, distributor, account, amount, cumulative_amount,
         member_id, tx_hash) values (1, 0, '0xd', '0xa', 5, 5, $1, '0xt')`,
      [memberId],
    );
    await applyFile(client, "legacy/chain/0002_tricky_clea.sql");
    const { rows: epochs } = await client.query(
      `select status, activates_at::int as activates_at from chain_epochs order by id`,
    );
    assert.deepEqual(epochs, [
      { status: "published", activates_at: 0 },
      { status: "pending", activates_at: null },
    ]);
    const { rows: leaves } = await client.query(
      `select deadline::int as deadline, released from chain_epoch_leaves order by epoch_id`,
    );
    assert.deepEqual(leaves, [
      { deadline: 1_900_000_000, released: false },
      { deadline: 1_900_000_500, released: false },
    ]);
    const { rows: claims } = await client.query(`select amount::text as amount from chain_claims`);
    assert.deepEqual(claims, [{ amount: "5" }]);
  } finally {
    await client.close();
  }
});
