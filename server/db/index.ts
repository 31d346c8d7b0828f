/**
 * The one way to open the database: embedded PGlite (a directory under `.data/`, or in
 * memory) when no URL is given, PostgreSQL through a `pg` Pool otherwise. Both come back
 * as the same Drizzle type, so every query, transaction and row lock is written once.
 *
 * PGlite runs every statement and transaction one at a time in this process; inside a
 * transaction always use the `tx` handle, never the outer `db` (that would wait for the
 * transaction to end, forever).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as botTables from "./areas/bot.ts";
import * as chainTables from "./areas/chain.ts";
import * as webTables from "./areas/web.ts";
import { DB_AREAS } from "./areas.ts";
import * as coreTables from "./schema.ts";

/** Every area's tables (see areas.ts), as one Drizzle schema. */
const schema = { ...coreTables, ...chainTables, ...botTables, ...webTables };
export type Schema = typeof schema;
/** A Drizzle database or transaction over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
export type DatabaseKind = "pglite" | "postgres";

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));

export interface OpenDatabaseOptions {
  /** `postgres://…`: use PostgreSQL. Absent: use PGlite. */
  url?: string;
  /** PGlite data directory; `"memory://"` (or absent with `memory: true`) for in-memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** PGlite only: start from a data directory dump (see `DatabaseHandle.snapshot`). */
  pgliteSnapshot?: Blob;
}

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** Applies pending drizzle-kit migrations (safe to call from several processes). */
  migrate(): Promise<void>;
  /** Runs `select 1`; throws when the database is unreachable. */
  ping(): Promise<void>;
  /** PGlite only: a dump of the data directory, loadable with `pgliteSnapshot`. */
  snapshot?(): Promise<Blob>;
  close(): Promise<void>;
}

/** The areas that have migrations, in order, as the Drizzle migrators take them. */
function migratedAreas() {
  return DB_AREAS.filter((a) => existsSync(`${a.migrationsFolder}/meta/_journal.json`)).map(
    (a) => ({
      migrationsFolder: a.migrationsFolder,
      migrationsTable: a.migrationsTable,
    }),
  );
}

// Arbitrary constant: the advisory lock key that serialises migrations across processes.
const MIGRATION_LOCK_KEY = 727_001;

/** Opens PGlite (default: `.data/pglite`) or PostgreSQL (when `url` is set). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10)
    : openPglite(options.dataDir, options.pgliteSnapshot);
}

async function openPglite(dataDir = ".data/pglite", snapshot?: Blob): Promise<DatabaseHandle> {
  const inMemory = dataDir === "memory://" || dataDir === "";
  if (!inMemory) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const client = await PGlite.create({
    ...(inMemory ? {} : { dataDir }),
    ...(snapshot ? { loadDataDir: snapshot } : {}),
  });
  const cache = new ReadCache();
  watchWrites(client, cache);
  const db = drizzlePglite({ client, schema });
  readCaches.set(db as unknown as Db, cache);
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: "pglite",
    migrate: async () => {
      for (const area of migratedAreas()) await migratePglite(db, area);
    },
    ping: async () => {
      await client.query("select 1");
    },
    snapshot: () => client.dumpDataDir("none"),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Surface a dead database quickly instead of hanging requests.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: "refmint",
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzleNodePg({ client: pool, schema });
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: "postgres",
    migrate: async () => {
      const lockClient = await pool.connect();
      try {
        await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        for (const area of migratedAreas()) await migrateNodePg(db, area);
      } finally {
        await lockClient
          .query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY])
          .catch(() => {});
        lockClient.release();
      }
    },
    ping: async () => {
      await pool.query("select 1");
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * A read cache that is exact, not merely fresh: every entry is dropped the moment anything
 * writes to the database. Only PGlite gets one, because an embedded database has a single
 * writer — this process — so every write passes through {@link watchWrites}. PostgreSQL
 * may be written by other processes (bot, workers), so nothing is cached there.
 * Cached values are shared between callers and must not be mutated.
 */
export class ReadCache {
  #generation = 0;
  #entries = new Map<string, unknown>();
  readonly #maxEntries: number;

  constructor(maxEntries = 20_000) {
    this.#maxEntries = maxEntries;
  }

  /** Called before and after every write: anything read before is stale. */
  invalidate(): void {
    this.#generation++;
    if (this.#entries.size > 0) this.#entries.clear();
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const generation = this.#generation;
    const value = await load();
    // A write that started or finished while loading may not be in `value`: do not keep it.
    if (generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      this.#entries.set(key, value);
    }
    return value;
  }
}

const readCaches = new WeakMap<Db, ReadCache>();

// A statement that cannot change data: a plain SELECT without locks or sequence calls.
const PLAIN_SELECT = /^\s*select\b/i;
const SIDE_EFFECT =
  /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b|\b(nextval|setval|pg_advisory\w*)\s*\(/i;
const isPlainRead = (query: string) => PLAIN_SELECT.test(query) && !SIDE_EFFECT.test(query);

/** Invalidates `cache` around every statement and transaction that may write. */
function watchWrites(client: PGlite, cache: ReadCache): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  const around = async <T>(write: boolean, run: () => Promise<T>): Promise<T> => {
    if (write) cache.invalidate();
    try {
      return await run();
    } finally {
      if (write) cache.invalidate();
    }
  };
  Object.assign(client, {
    query: ((sqlText: string, params?: unknown[], options?: Parameters<PGlite["query"]>[2]) =>
      around(!isPlainRead(sqlText), () => query(sqlText, params, options))) as PGlite["query"],
    exec: ((sqlText: string, options?: Parameters<PGlite["exec"]>[1]) =>
      around(true, () => exec(sqlText, options))) as PGlite["exec"],
    transaction: ((fn: Parameters<PGlite["transaction"]>[0]) =>
      around(true, () => transaction(fn))) as PGlite["transaction"],
  });
}

/**
 * `load()` through the database's read cache when it has one (PGlite, top-level handle),
 * else straight to the database. `key` must identify the query and its parameters.
 */
export function cachedRead<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const cache = readCaches.get(db);
  return cache ? cache.get(key, load) : load();
}

/** Rows of a raw SQL query, whichever driver ran it (both return `{ rows }`). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Takes a transaction-scoped lock named by `key` (released at commit/rollback). */
export async function lockKey(tx: Db, key: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
}

export { schema };

/** The SQLSTATE of a database error, looking through Drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock detected

/**
 * Runs `fn` in a transaction, retrying a few times when PostgreSQL aborts it for a
 * serialization failure or deadlock (PGlite never does: it runs one transaction at a time).
 */
export async function transaction<T>(db: Db, fn: (tx: Db) => Promise<T>, retries = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => fn(tx));
    } catch (error) {
      const code = pgErrorCode(error);
      if (attempt >= retries || code === undefined || !RETRYABLE.has(code)) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}

const preparedCache = new WeakMap<Db, Map<string, unknown>>();

/**
 * A prepared statement built once per database handle. Hot read paths use these: Drizzle
 * skips rebuilding the SQL, and PostgreSQL skips parsing and planning (named statements).
 * Only for the top-level handle, never inside a transaction.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let forDb = preparedCache.get(db);
  if (!forDb) {
    forDb = new Map();
    preparedCache.set(db, forDb);
  }
  let p = forDb.get(name) as T | undefined;
  if (p === undefined) {
    p = build(db);
    forDb.set(name, p);
  }
  return p;
}
