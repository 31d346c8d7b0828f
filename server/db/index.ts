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
import * as analyticsTables from "./schema/analytics.ts";
import * as botTables from "./schema/bot.ts";
import * as chainTables from "./schema/chain.ts";
import * as challengeTables from "./schema/challenges.ts";
import * as complianceTables from "./schema/compliance.ts";
import * as consoleTables from "./schema/console.ts";
import * as hostTables from "./schema/host.ts";
import * as leaderboardTables from "./schema/leaderboards.ts";
import * as lifecycleTables from "./schema/lifecycle.ts";
import * as loyaltyTables from "./schema/loyalty.ts";
import * as rewardFileTables from "./schema/rewardFiles.ts";
import * as versionTables from "./schema/versions.ts";
import * as webTables from "./schema/web.ts";
import * as webhookTables from "./schema/webhooks.ts";
import * as coreTables from "./schema.ts";

/** The one schema: the core tables and the files beside them under schema/. */
const schema = {
  ...coreTables,
  ...chainTables,
  ...botTables,
  ...webTables,
  ...leaderboardTables,
  ...lifecycleTables,
  ...loyaltyTables,
  ...versionTables,
  ...challengeTables,
  ...analyticsTables,
  ...rewardFileTables,
  ...complianceTables,
  ...webhookTables,
  ...hostTables,
  ...consoleTables,
};
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
   * PostgreSQL: how long a cached read may be served (milliseconds), the bound on how late
   * another process's write shows. PGlite has no other process: its entries live until the
   * domain invalidates them. `0` turns the cache off on both. See {@link ReadCache}.
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
    : openPglite(
        options.dataDir,
        options.pgliteSnapshot,
        options.create ?? true,
        options.readCacheMs ?? 0,
      );
}

async function openPglite(
  dataDir = ".data/pglite",
  snapshot: Blob | undefined,
  create: boolean,
  readCacheMs: number,
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
  const db = drizzlePglite({ client, schema });
  // This process is the only one with the directory (lock.ts): every write goes through the
  // domain functions that invalidate what they change, so nothing needs to expire. (Expiring
  // after DATABASE_READ_CACHE_MS re-ran each hot profile read every second: GET /api/me was
  // 16% slower than with the earlier never-expiring cache.)
  if (readCacheMs > 0)
    attachReadCache(db as unknown as Db, new ReadCache({ ttlMs: Number.POSITIVE_INFINITY }));
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
  if (readCacheMs > 0) attachReadCache(db as unknown as Db, new ReadCache({ ttlMs: readCacheMs }));
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
 * Hot reads kept per process under a key, each tagged with what it depends on (e.g.
 * `member:42`). The domain functions that change something drop its tag
 * ({@link invalidateReads}), so a write through this process shows at once; nothing reads
 * SQL text to guess what a statement writes.
 *
 * On PostgreSQL entries also expire after `ttlMs` (`DATABASE_READ_CACHE_MS`): the bound on
 * how late a write by another process (another API instance, a separately run chain worker,
 * scripts) shows, since those do not pass through this process's domain functions. On
 * PGlite this process is the only writer and entries never expire (`ttlMs` infinite). A load
 * that overlapped an invalidation is not kept (it may predate the write), and an absent row
 * (`undefined`) is never cached.
 *
 * Cached values are shared between callers and must not be mutated.
 */
export class ReadCache {
  #generation = 0;
  #entries = new Map<string, { value: unknown; expires: number; tags: readonly string[] }>();
  #byTag = new Map<string, Set<string>>();
  #pending = new Map<string, { generation: number; promise: Promise<unknown> }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs: number; now?: () => number }) {
    this.#maxEntries = options.maxEntries ?? 20_000;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Drops everything (tables rewritten wholesale: a test's reset, a restore). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#byTag.clear();
  }

  /** Drops every entry tagged with one of `tags` (call after the write is committed). */
  invalidate(tags: Iterable<string>): void {
    this.#generation++;
    for (const tag of tags) {
      const keys = this.#byTag.get(tag);
      if (keys === undefined) continue;
      this.#byTag.delete(tag);
      for (const key of keys) this.#drop(key);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(tag);
    }
  }

  async get<T>(
    key: string,
    load: () => Promise<T>,
    tagsOf: (value: T) => readonly string[],
  ): Promise<T> {
    // Without expiry the clock is not read on every hit.
    const now = this.#ttlMs === Number.POSITIVE_INFINITY ? 0 : this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.expires > now) return entry.value as T;
      this.#drop(key);
    }
    const generation = this.#generation;
    // Concurrent misses share one load, unless an invalidation came since it started (the
    // load might not see that write; a caller arriving after it must).
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.generation === generation)
      return pending.promise as Promise<T>;
    const promise = load();
    const flight = { generation, promise };
    this.#pending.set(key, flight);
    try {
      const value = await promise;
      if (value !== undefined && generation === this.#generation) {
        if (this.#entries.size >= this.#maxEntries) {
          this.#entries.clear();
          this.#byTag.clear();
        }
        const tags = tagsOf(value);
        // Aged from the start of the load: the value may be that old.
        this.#entries.set(key, { value, expires: now + this.#ttlMs, tags });
        for (const tag of tags) {
          const keys = this.#byTag.get(tag);
          if (keys === undefined) this.#byTag.set(tag, new Set([key]));
          else keys.add(key);
        }
      }
      return value;
    } finally {
      if (this.#pending.get(key) === flight) this.#pending.delete(key);
    }
  }
}

const readCaches = new WeakMap<Db, ReadCache>();
/** Open transactions of a cached handle: the tags their writes invalidate once they end. */
const transactionScopes = new WeakMap<Db, { cache: ReadCache; tags: Set<string> }>();

/**
 * Gives `db` its read cache, and makes every transaction on it collect the tags its domain
 * functions invalidate, dropping them only once the transaction has ended: a read between
 * the write and the commit would otherwise load and keep the state before it.
 */
function attachReadCache(db: Db, cache: ReadCache): void {
  readCaches.set(db, cache);
  type Transaction = Db["transaction"];
  const scoped =
    (run: Transaction, scope?: { cache: ReadCache; tags: Set<string> }): Transaction =>
    (fn, config) => {
      const own = scope ?? { cache, tags: new Set<string>() };
      const result = run((tx) => {
        transactionScopes.set(tx as unknown as Db, own);
        // Savepoints belong to the outer transaction's scope.
        Object.assign(tx, { transaction: scoped(tx.transaction.bind(tx) as Transaction, own) });
        return fn(tx);
      }, config);
      return scope ? result : result.finally(() => cache.invalidate(own.tags));
    };
  Object.assign(db, { transaction: scoped(db.transaction.bind(db) as Transaction) });
}

/**
 * `load()` through the database's read cache when it has one (`readCacheMs` > 0; top-level
 * handle only), else straight to the database. `key` must identify the query and its
 * parameters; `tagsOf` names what the value depends on, so the domain functions that change
 * that can drop it ({@link invalidateReads}).
 */
export function cachedRead<T>(
  db: Db,
  key: string,
  load: () => Promise<T>,
  tagsOf: (value: T) => readonly string[],
): Promise<T> {
  const cache = readCaches.get(db);
  return cache ? cache.get(key, load, tagsOf) : load();
}

/** Drops every cached read of `db` (after rewriting tables wholesale, e.g. a test's reset). */
export function clearReadCache(db: Db): void {
  readCaches.get(db)?.clear();
}

/**
 * Drops the cached reads tagged with `tags`. Called by the domain function that changed
 * them, right after its write: on a transaction handle the tags are dropped when the
 * transaction ends, on the top-level handle at once.
 */
export function invalidateReads(db: Db, tags: Iterable<string>): void {
  const scope = transactionScopes.get(db);
  if (scope !== undefined) for (const tag of tags) scope.tags.add(tag);
  else readCaches.get(db)?.invalidate(tags);
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
