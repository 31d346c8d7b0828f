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
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { acquireDataDirLock, type DataDirLock } from "./lock.ts";
import { applyMigrations } from "./migrations.ts";
import * as botTables from "./schema/bot.ts";
import * as chainTables from "./schema/chain.ts";
import * as webTables from "./schema/web.ts";
import * as coreTables from "./schema.ts";

/** The one schema: the core tables and the files beside them under schema/. */
const schema = { ...coreTables, ...chainTables, ...botTables, ...webTables };
export type Schema = typeof schema;
/** A Drizzle database or transaction over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
export type DatabaseKind = "pglite" | "postgres";

export interface OpenDatabaseOptions {
  /** `postgres://…`: use PostgreSQL. Absent: use PGlite. */
  url?: string;
  /** PGlite data directory; `"memory://"` (or absent with `memory: true`) for in-memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /**
   * PostgreSQL only: how long a cached read may serve writes made by other processes
   * (milliseconds; 0 turns the cache off). Writes through this handle always drop it at
   * once. See {@link ReadCache}.
   */
  readCacheMs?: number;
  /** PGlite only: start from a data directory dump (see `DatabaseHandle.snapshot`). */
  pgliteSnapshot?: Blob;
  /**
   * PGlite only: `false` refuses to create a database that does not exist yet (operator
   * commands: only the service and `db:migrate` create one). Default `true`.
   */
  create?: boolean;
}

/**
 * Throws {@link DatabaseMissingError} when `options` name a PGlite directory that holds no
 * database (PostgreSQL and in-memory PGlite pass). Commands check this before anything else.
 */
export function assertDatabaseExists(options: { url?: string; dataDir?: string }): void {
  const dataDir = options.dataDir ?? ".data/pglite";
  if (options.url || dataDir === "memory://" || dataDir === "") return;
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) throw new DatabaseMissingError(dataDir);
}

/** `create: false` and there is no database at the data directory. */
export class DatabaseMissingError extends Error {
  constructor(dataDir: string) {
    super(
      `No database at ${dataDir} (DATA_DIR). Nothing was created: start the service once ` +
        "(npm start, or npm run dev) or run npm run db:migrate to create it, point DATA_DIR at " +
        "an existing PGlite directory, or set DATABASE_URL to use PostgreSQL.",
    );
    this.name = "DatabaseMissingError";
  }
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
  /** PGlite on a directory: this process's lock of it (see lock.ts). */
  lock?: DataDirLock;
  close(): Promise<void>;
}

// Arbitrary constant: the advisory lock key that serialises migrations across processes.
const MIGRATION_LOCK_KEY = 727_001;

/** Opens PGlite (default: `.data/pglite`) or PostgreSQL (when `url` is set). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10, options.readCacheMs ?? 0)
    : openPglite(options.dataDir, options.pgliteSnapshot, options.create ?? true);
}

async function openPglite(
  dataDir = ".data/pglite",
  snapshot: Blob | undefined,
  create: boolean,
): Promise<DatabaseHandle> {
  const inMemory = dataDir === "memory://" || dataDir === "";
  let lock: DataDirLock | undefined;
  let client: PGlite;
  if (!inMemory) {
    mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    // Before anything reads the directory: one process at a time (see lock.ts).
    lock = acquireDataDirLock(dataDir);
    if (!create && !existsSync(path.join(dataDir, "PG_VERSION"))) {
      lock.release();
      throw new DatabaseMissingError(dataDir);
    }
  }
  try {
    client = await PGlite.create({
      ...(inMemory ? {} : { dataDir }),
      ...(snapshot ? { loadDataDir: snapshot } : {}),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // New WAL segments are not zero-filled first: PGlite's file system grows a file by copying
  // it, so zero-filling 16 MB in 8 kB writes was half the cost of a bulk write (the indexer).
  await client.exec("set wal_init_zero = off");
  const cache = new ReadCache();
  watchWrites(client, cache);
  const db = drizzlePglite({ client, schema });
  readCaches.set(db as unknown as Db, cache);
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: "pglite",
    migrate: async () => {
      await applyMigrations(db as unknown as Db, (set) => migratePglite(db, set));
    },
    ping: async () => {
      await client.query("select 1");
    },
    snapshot: () => client.dumpDataDir("none"),
    lock,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(
  url: string,
  poolSize: number,
  readCacheMs: number,
): Promise<DatabaseHandle> {
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
  if (readCacheMs > 0) {
    const cache = new ReadCache({ ttlMs: readCacheMs });
    pool.on("connect", (client) => watchPgWrites(client, cache));
    readCaches.set(db as unknown as Db, cache);
  }
  let closed = false;
  return {
    db: db as unknown as Db,
    kind: "postgres",
    migrate: async () => {
      const lockClient = await pool.connect();
      try {
        await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        await applyMigrations(db as unknown as Db, (set) => migrateNodePg(db, set));
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
 * A read cache dropped the moment anything writes through this database handle: every
 * statement that is not a plain SELECT (and every transaction) clears it before it runs and
 * again when it ends, and a read that overlapped a write is never kept.
 *
 * - PGlite has a single writer — this process — so its cache is exact and entries never
 *   expire.
 * - PostgreSQL may also be written by other processes (another API instance, a separately
 *   run chain worker, scripts). Their writes do not pass through here, so entries expire
 *   after `ttlMs` (`DATABASE_READ_CACHE_MS`): a write by another process can take that long
 *   to show in this process's cached reads (profile, member look-up, click de-duplication,
 *   bot language). Writes by this process — the API, the bot and the chain components
 *   `npm start` runs together share one pool — are visible at once. `0` turns it off.
 *
 * Cached values are shared between callers and must not be mutated.
 */
export class ReadCache {
  #generation = 0;
  #entries = new Map<string, { value: unknown; expires: number }>();
  #pending = new Map<string, { generation: number; promise: Promise<unknown> }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 20_000;
    this.#ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.#now = options.now ?? Date.now;
  }

  /** Called before and after every write: anything read before is stale. */
  invalidate(): void {
    this.#generation++;
    if (this.#entries.size > 0) this.#entries.clear();
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    const expiring = this.#ttlMs !== Number.POSITIVE_INFINITY;
    const now = expiring ? this.#now() : 0;
    if (entry !== undefined && (!expiring || entry.expires > now)) return entry.value as T;
    const generation = this.#generation;
    // Concurrent misses share one load, unless a write began since it started (the load
    // might not see that write; a caller arriving after it must).
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.generation === generation)
      return pending.promise as Promise<T>;
    const promise = load();
    const flight = { generation, promise };
    this.#pending.set(key, flight);
    try {
      const value = await promise;
      // A write that started or finished while loading may not be in `value`: do not keep it.
      if (generation === this.#generation) {
        if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
        // Aged from the start of the load: the value may be that old.
        this.#entries.set(key, { value, expires: now + this.#ttlMs });
      }
      return value;
    } finally {
      if (this.#pending.get(key) === flight) this.#pending.delete(key);
    }
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
 * PostgreSQL: invalidates `cache` around every statement of `client` that may write
 * (including BEGIN/COMMIT, so a transaction's writes are dropped again once committed).
 * Covers `pool.query` (callback form), checked-out clients (promise form) and submittables.
 */
function watchPgWrites(client: pg.PoolClient, cache: ReadCache): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const invalidate = () => cache.invalidate();
  const wrapped = (...args: unknown[]): unknown => {
    const first = args[0] as string | { text?: unknown; submit?: unknown } | undefined;
    const text = typeof first === "string" ? first : first?.text;
    if (typeof text === "string" && isPlainRead(text)) return query(...args);
    invalidate();
    const last = args.length > 1 ? args[args.length - 1] : undefined;
    if (typeof last === "function") {
      args[args.length - 1] = (...result: unknown[]) => {
        invalidate();
        return (last as (...r: unknown[]) => unknown)(...result);
      };
      return query(...args);
    }
    const result = query(...args) as
      | { then?: unknown; finally?: (f: () => void) => unknown; once?: unknown }
      | undefined;
    if (result && typeof result.finally === "function") return result.finally(invalidate);
    if (result && typeof result.once === "function") {
      const emitter = result as unknown as NodeJS.EventEmitter;
      emitter.once("end", invalidate);
      emitter.once("error", invalidate);
    }
    return result;
  };
  Object.assign(client, { query: wrapped });
}

/**
 * `load()` through the database's read cache when it has one (PGlite; PostgreSQL unless
 * `readCacheMs` is 0; top-level handle only), else straight to the database. `key` must identify the query and its parameters.
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

/**
 * Many rows as one `jsonb` parameter, for hot multi-row writes:
 * `select … from jsonb_to_recordset(${jsonRows(rows)}) as x(col type, …)`. Drizzle's
 * multi-row `values()` binds every field separately and costs about 20 µs per row to build;
 * this costs one `JSON.stringify`, and the statement's text stays the same for any row count.
 * NUL characters, which PostgreSQL's text and jsonb cannot hold, become U+FFFD.
 */
export function jsonRows(rows: readonly unknown[]): SQL {
  return sql`${JSON.stringify(rows, withoutNul)}::jsonb`;
}
const withoutNul = (_key: string, value: unknown) =>
  typeof value === "string" && value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value;

export { bigintArray, pgArray } from "./arrays.ts";

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
