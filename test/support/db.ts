/**
 * Database harness for tests.
 *
 * `withDatabases(t, body)` runs `body` as a subtest on an in-memory PGlite and, when
 * `TEST_DATABASE_URL` is set, again on PostgreSQL. Each call starts from empty, migrated
 * tables. To keep the suite fast, each test process creates one PGlite instance and one
 * PostgreSQL database (`refmint_test_<random>`, created from `TEST_DATABASE_URL`'s
 * server) on first use, migrates them once, and empties every table (restarting
 * sequences) before each body; bodies using the same kind run one at a time. The
 * PostgreSQL database is dropped and PGlite closed when the test file ends.
 *
 * Handles given to bodies must not be closed by them (`close()` is a no-op here).
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, type TestContext, test } from "node:test";
import { getTableName, isTable, sql } from "drizzle-orm";
import pg from "pg";
import {
  clearReadCache,
  type DatabaseHandle,
  type DatabaseKind,
  openDatabase,
  queryRows,
  schema,
} from "../../server/db/index.ts";
import { createScratchDatabase, type ScratchDatabase } from "./scratchDatabase.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/**
 * `test` when `TEST_DATABASE_URL` is set (always in CI), otherwise not registered at all:
 * for the few tests that need PostgreSQL itself (two connections, `DATABASE_URL` start-up).
 */
export const postgresTest: typeof test = TEST_DATABASE_URL
  ? test
  : ((() => {}) as unknown as typeof test);

/** The kinds every database test runs on in this environment. */
export const DATABASE_KINDS: DatabaseKind[] = TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

const TABLES = Object.values(schema)
  .filter((v) => isTable(v))
  .map((t) => `"${getTableName(t)}"`);

interface Shared {
  handle: DatabaseHandle;
  queue: Promise<unknown>;
}

const shared = new Map<DatabaseKind, Promise<Shared>>();

/**
 * Session defaults of every test database: a commit returns without waiting for its WAL to
 * reach the disk (`synchronous_commit = off`). Nothing a test can observe changes (the server
 * does not crash under a test; readers see a commit at once either way), but a test no longer
 * waits for an fsync per transaction, which a machine busy with other writes makes slow.
 */
const TEST_DATABASE_SETTINGS = { synchronous_commit: "off" };

/** Creates `refmint_test_<random>` on the server of `TEST_DATABASE_URL`; returns its URL and a dropper. */
export async function createPostgresDatabase(
  baseUrl = TEST_DATABASE_URL,
  template?: string,
): Promise<ScratchDatabase> {
  if (!baseUrl) throw new Error("TEST_DATABASE_URL is not set");
  return createScratchDatabase(baseUrl, "refmint_test", template, TEST_DATABASE_SETTINGS);
}

const ROOT = path.resolve(import.meta.dirname, "../..");
const DB_DIR = path.join(ROOT, "server", "db");

/**
 * A key for the migrations every test database starts from: the PGlite version and every
 * migration file (`server/db/migrations*`, and the legacy per-area histories the upgrade
 * test replays), by path relative to the checkout, so work trees
 * with the same migrations share one PGlite snapshot and one PostgreSQL template.
 */
const migrationsKey = (() => {
  let key: string | undefined;
  return () => {
    if (key) return key;
    const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
    const h = createHash("sha256").update(
      readFileSync(path.join(path.dirname(entry), "..", "package.json")),
    );
    const folders = readdirSync(DB_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && (d.name.startsWith("migrations") || d.name === "legacy"))
      .map((d) => d.name)
      .sort();
    for (const folder of folders) {
      const dir = path.join(DB_DIR, folder);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
        if (f.endsWith(".sql") || f.endsWith(".json"))
          h.update(folder)
            .update(f)
            .update(readFileSync(path.join(dir, f)));
      }
    }
    key = h.digest("hex").slice(0, 16);
    return key;
  };
})();

/** Snapshots unused for this long are removed (a day: other work trees may still use theirs). */
const STALE_SNAPSHOT_MS = 24 * 60 * 60 * 1000;

/**
 * A migrated PGlite data directory, cached in the OS temp directory per migration set:
 * loading it (~0.5 s) is several times faster than initdb plus migrations, and every
 * test process after the first reuses it.
 */
async function pgliteSnapshot(): Promise<Blob> {
  const dir = path.join(tmpdir(), "refmint-test-pglite");
  const file = path.join(dir, `${migrationsKey()}.tar`);
  try {
    const blob = new Blob([await readFile(file)]);
    // Marks it as in use, so other work trees' clean-ups keep it.
    const now = new Date();
    await utimes(file, now, now).catch(() => {});
    return blob;
  } catch {
    const handle = await openDatabase({ dataDir: "memory://" });
    try {
      await handle.migrate();
      const blob = await handle.snapshot!();
      await mkdir(dir, { recursive: true });
      // Write then rename, so a concurrent test process never reads half a file.
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
      await rename(tmp, file);
      // Snapshots of older migration sets are dead weight (~40 MB each) once nobody uses them.
      for (const old of await readdir(dir)) {
        const oldPath = path.join(dir, old);
        if (!old.endsWith(".tar") || oldPath === file) continue;
        const since = await stat(oldPath).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (since > STALE_SNAPSHOT_MS) await rm(oldPath, { force: true });
      }
      return blob;
    } finally {
      await handle.close();
    }
  }
}

let snapshot: Promise<Blob> | undefined;

/** A dump of a migrated PGlite data directory (load it with `pgliteSnapshot`). */
export function migratedPgliteSnapshot(): Promise<Blob> {
  snapshot ??= pgliteSnapshot().catch((error: unknown) => {
    snapshot = undefined;
    throw error;
  });
  return snapshot;
}

// Arbitrary constant: serialises building the PostgreSQL template across test processes.
const TEMPLATE_LOCK_KEY = 727_002;
/** Templates kept on the server (the newest; older migration sets are dropped). */
const KEPT_TEMPLATES = 4;

/**
 * `refmint_template_<migrations key>` on `TEST_DATABASE_URL`'s server, migrated: each test
 * database is created as a copy of it (`create database … template`), which is several times
 * cheaper than running every migration for every test process. It is built once (under an
 * advisory lock, under a temporary name renamed when complete, so no one copies half of it)
 * and kept for later runs.
 */
async function postgresTemplate(): Promise<string> {
  const name = `refmint_template_${migrationsKey()}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount) return name;
    const building = `${name}_building`;
    await admin.query(`drop database if exists ${building} with (force)`);
    await admin.query(`create database ${building}`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${building}`;
    const handle = await openDatabase({ url: url.toString(), poolSize: 2 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    // A closed pool's server processes may linger for a moment; renaming needs them gone.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`alter database ${building} rename to ${name}`);
        break;
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const old = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'refmint\\_template\\_%' order by oid desc",
    );
    for (const { datname } of old.rows.slice(KEPT_TEMPLATES))
      await admin.query(`drop database if exists ${datname}`).catch(() => {});
    return name;
  } finally {
    await admin.query("select pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => {});
    await admin.end();
  }
}

let postgresTemplateName: Promise<string> | undefined;

function migratedPostgresTemplate(): Promise<string> {
  postgresTemplateName ??= postgresTemplate().catch((error: unknown) => {
    postgresTemplateName = undefined;
    throw error;
  });
  return postgresTemplateName;
}

/**
 * A scratch PostgreSQL database with every migration applied (a copy of the migrated
 * template): what `createPostgresDatabase` and a `migrate()` leave, without running the
 * migrations again. For tests whose subject is not migrating an empty database.
 */
export async function createMigratedPostgresDatabase(): Promise<ScratchDatabase> {
  try {
    return await createPostgresDatabase(TEST_DATABASE_URL, await migratedPostgresTemplate());
  } catch (error) {
    // Work trees with other migrations share the server and drop the oldest templates
    // (KEPT_TEMPLATES): the one this process found may be gone by now. Build it again.
    if ((error as { code?: string }).code !== "3D000") throw error;
    postgresTemplateName = undefined;
    return createPostgresDatabase(TEST_DATABASE_URL, await migratedPostgresTemplate());
  }
}

/**
 * The read cache's lifetime in tests: long, so a test that expected a write the domain did
 * not invalidate (which production serves after `DATABASE_READ_CACHE_MS`) to show at once
 * fails every time instead of now and then.
 */
export const TEST_READ_CACHE_MS = 60_000;

/** A fresh, migrated, dedicated database (close it yourself; for PostgreSQL `close` also drops it). */
export async function openTestDatabase(
  kind: DatabaseKind,
  poolSize = 10,
  readCacheMs = TEST_READ_CACHE_MS,
): Promise<DatabaseHandle> {
  if (kind === "pglite") {
    const handle = await openDatabase({
      dataDir: "memory://",
      pgliteSnapshot: await migratedPgliteSnapshot(),
      readCacheMs,
    });
    // Snapshots are taken after migrating; this is a no-op unless they are stale.
    await handle.migrate();
    return handle;
  }
  const { url, drop } = await createMigratedPostgresDatabase();
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ url, poolSize, readCacheMs });
    // The template is migrated; this is a no-op unless it is stale.
    await handle.migrate();
  } catch (error) {
    // A database that never became usable is not left behind on the server.
    await handle?.close().catch(() => {});
    await drop().catch(() => {});
    throw error;
  }
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

function sharedDatabase(kind: DatabaseKind): Promise<Shared> {
  let s = shared.get(kind);
  if (!s) {
    s = (async () => {
      const handle = await openTestDatabase(kind);
      return { handle, queue: Promise.resolve() };
    })();
    // A failed open is retried by the next caller instead of failing every later test.
    s.catch(() => shared.delete(kind));
    shared.set(kind, s);
  }
  return s;
}

after(async () => {
  // Close (and for PostgreSQL drop) every shared database, even if one failed to open.
  const all = [...shared.values()];
  shared.clear();
  await Promise.allSettled(all.map(async (s) => (await s).handle.close()));
});

/**
 * What a reset needs to know about one database, read from its catalog once: each table's
 * oid, and each sequence a table owns (serial and identity columns) with its start value.
 */
interface ResetCatalog {
  tables: number[];
  sequences: number[];
}

const resetCatalogs = new WeakMap<DatabaseHandle["db"], Promise<ResetCatalog>>();

function resetCatalog(handle: DatabaseHandle): Promise<ResetCatalog> {
  let catalog = resetCatalogs.get(handle.db);
  if (!catalog) {
    catalog = (async () => {
      const names = TABLES.map((t) => `'${t.replaceAll('"', "")}'`).join(", ");
      const tables = await queryRows<{ oid: number }>(
        handle.db,
        sql.raw(`select c.oid::int as oid from pg_class c
          where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
            and c.relname = any(array[${names}]::text[])`),
      );
      if (tables.length !== TABLES.length) throw new Error("tables missing or partitioned");
      const oids = tables.map((t) => t.oid).join(", ");
      const sequences = await queryRows<{ oid: number }>(
        handle.db,
        sql.raw(`select d.objid::int as oid from pg_depend d
          join pg_class s on s.oid = d.objid and s.relkind = 'S'
          where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
            and d.deptype in ('a', 'i') and d.refobjid = any(array[${oids}]::oid[])`),
      );
      return { tables: tables.map((t) => t.oid), sequences: sequences.map((s) => s.oid) };
    })();
    catalog.catch(() => resetCatalogs.delete(handle.db));
    resetCatalogs.set(handle.db, catalog);
  }
  return catalog;
}

/**
 * Empties every table and restarts sequences (what each `withDatabases` body starts from):
 * what `truncate … restart identity` of every table leaves, at a fraction of its cost.
 *
 * A truncate gives each table and index new files, which PostgreSQL syncs at commit: ~1–3 s
 * per reset on a busy machine and ~0.2 s of CPU on PGlite, even for the few tables a test
 * wrote. Instead the tables with pages (`pg_relation_size`) lose their rows (triggers and
 * foreign-key checks off for the statement: the append-only tables refuse deletes), the
 * sequences that handed out a value are set back to their start, and `vacuum` then returns
 * the emptied tables to zero pages: the next rows are stored, and read back, in the order
 * they are written, as after a truncate (and a table without pages is known clean next time).
 */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  try {
    const { tables, sequences } = await resetCatalog(handle);
    const dirty = await queryRows<{ kind: "table" | "sequence"; name: string; start: string }>(
      handle.db,
      sql.raw(`select 'table' as kind, t::regclass::text as name, '' as start
          from unnest(array[${tables.join(", ")}]::oid[]) t where pg_relation_size(t) > 0
        union all
        select 'sequence', s.seqrelid::regclass::text, s.seqstart::text from pg_sequence s
          where s.seqrelid = any(array[${sequences.join(", ") || "0"}]::oid[])
            and pg_sequence_last_value(s.seqrelid) is not null`),
    );
    if (dirty.length > 0) {
      const emptied = dirty.filter((d) => d.kind === "table").map((d) => d.name);
      const statements = [
        "perform set_config('session_replication_role', 'replica', true);",
        ...emptied.map((name) => `delete from ${name};`),
        ...dirty
          .filter((d) => d.kind === "sequence")
          .map((d) => `perform setval('${d.name.replaceAll("'", "''")}', ${d.start}, false);`),
      ];
      await handle.db.execute(sql.raw(`do $reset$ begin ${statements.join(" ")} end $reset$`));
      if (emptied.length > 0) await handle.db.execute(sql.raw(`vacuum ${emptied.join(", ")}`));
    }
  } catch (error) {
    // Whatever the shortcut could not handle (a table a test dropped or changed, a lock),
    // the plain truncate handles.
    resetCatalogs.delete(handle.db);
    await handle.db.execute(
      sql.raw(`truncate table ${TABLES.join(", ")} restart identity cascade`),
    );
    if (process.env.TEST_RESET_DEBUG) console.error("reset fell back to truncate:", error);
  }
  clearReadCache(handle.db);
}

/** Runs `body` on an emptied shared database of `kind`, one body at a time. */
export async function useDatabase<T>(
  kind: DatabaseKind,
  body: (db: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const s = await sharedDatabase(kind);
  const run = s.queue.then(async () => {
    await resetDatabase(s.handle);
    // Bodies share the process-wide handle; closing it is the harness's job.
    return body({ ...s.handle, close: async () => {} });
  });
  s.queue = run.catch(() => {});
  return run;
}

/**
 * Runs `body` once per database kind as subtests named `pglite` / `postgres`.
 */
export async function withDatabases(
  t: TestContext,
  body: (db: DatabaseHandle, kind: DatabaseKind) => Promise<void>,
): Promise<void> {
  for (const kind of DATABASE_KINDS) {
    await t.test(kind, () => useDatabase(kind, (db) => body(db, kind)));
  }
}

/** Rows in each table (for "bad input writes nothing" assertions). */
export async function rowCounts(db: DatabaseHandle): Promise<Record<string, number>> {
  const parts = TABLES.map(
    (t) => `select ${`'${t.replaceAll('"', "")}'`} as name, count(*)::int as n from ${t}`,
  );
  const result = (await db.db.execute(sql.raw(parts.join(" union all ")))) as unknown as {
    rows: Array<{ name: string; n: number }>;
  };
  return Object.fromEntries(result.rows.map((r) => [r.name, Number(r.n)]));
}
