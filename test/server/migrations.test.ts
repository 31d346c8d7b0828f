/**
 * The one migration history and the upgrade of databases migrated by the legacy per-area
 * histories (server/db/migrations.ts): rows survive, the schema ends up exactly as a new
 * database's, the legacy tracking tables go, and migrating again changes nothing.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import {
  type DatabaseHandle,
  type DatabaseKind,
  type Db,
  openDatabase,
  queryRows,
} from "../../server/db/index.ts";
import { LEGACY_MIGRATIONS } from "../../server/db/migrations.ts";
import { createPostgresDatabase, DATABASE_KINDS } from "../support/db.ts";

/** An empty database of `kind`, not migrated (closing drops a PostgreSQL one). */
async function emptyDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === "pglite") return openDatabase({ dataDir: "memory://" });
  const { url, drop } = await createPostgresDatabase();
  const handle = await openDatabase({ url, poolSize: 2 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

/** What the code before the fold did on start-up: each area's history with its own table. */
async function migrateLegacy(handle: DatabaseHandle, sets = LEGACY_MIGRATIONS): Promise<void> {
  for (const set of sets) {
    if (handle.kind === "pglite")
      await migratePglite(handle.db as unknown as Parameters<typeof migratePglite>[0], set);
    else await migrateNodePg(handle.db as unknown as Parameters<typeof migrateNodePg>[0], set);
  }
}

/** Tables, columns, constraints, indexes and sequences of `public`, as comparable text. */
async function schemaOf(db: Db): Promise<string[]> {
  const rows = await queryRows<{ line: string }>(
    db,
    sql`select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' ||
               is_nullable || ' ' || coalesce(column_default, '-') as line
          from information_schema.columns where table_schema = 'public'
        union all
        select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' ||
               pg_get_constraintdef(oid)
          from pg_constraint where connamespace = 'public'::regnamespace
        union all
        select 'index ' || indexdef from pg_indexes where schemaname = 'public'
        union all
        select 'sequence ' || sequence_name from information_schema.sequences
          where sequence_schema = 'public'
        order by 1`,
  );
  return rows.map((r) => r.line);
}

async function trackingTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'drizzle' order by 1`,
  );
  return rows.map((r) => r.name);
}

/** Rows in a table of every former area, including the ones that moved to the core schema. */
async function fillLegacyRows(db: Db): Promise<void> {
  const statements = [
    sql`insert into campaigns (id, slug, onchain_id, definition, definition_hash)
          values (1, 'spring', 7, '{"slug":"spring"}', 'h1')`,
    sql`insert into members (id, telegram_id, username) values (1, 1001, 'alice'), (2, 1002, 'bob')`,
    sql`insert into campaign_pauses (campaign_id, paused_by, reason) values (1, 'admin:1', 'audit')`,
    sql`insert into notifications (member_id, kind, data, dedupe_key)
          values (1, 'referee_joined', '{"referee":2}', 'joined:2')`,
    sql`insert into bot_member_settings (member_id, language) values (2, 'ru')`,
    sql`insert into chain_leases (name, holder, generation, acquired_at, renewed_at, expires_at)
          values ('worker', 'host:1', 3, now(), now(), now())`,
    sql`insert into web_login_tokens (token_hash, member_id, expires_at) values ('th', 1, now())`,
  ];
  for (const statement of statements) await db.execute(statement);
}

async function legacyRows(db: Db): Promise<unknown[]> {
  return queryRows(
    db,
    sql`select
          (select string_agg(slug, ',') from campaigns) as campaigns,
          (select string_agg(username, ',' order by id) from members) as members,
          (select dedupe_key || ':' || status from notifications) as notification,
          (select language from bot_member_settings where member_id = 2) as language,
          (select holder || ':' || generation from chain_leases) as lease,
          (select token_hash from web_login_tokens) as login`,
  );
}

interface FreshDatabase {
  schema: string[];
  tracking: string[];
  applied: number;
}

/** What a new database migrated by the one history looks like (once per kind). */
const freshDatabases = new Map<DatabaseKind, Promise<FreshDatabase>>();
function freshDatabase(kind: DatabaseKind): Promise<FreshDatabase> {
  let fresh = freshDatabases.get(kind);
  if (fresh === undefined) {
    fresh = (async () => {
      const handle = await emptyDatabase(kind);
      try {
        await handle.migrate();
        return {
          schema: await schemaOf(handle.db),
          tracking: await trackingTables(handle.db),
          applied: await appliedCount(handle.db),
        };
      } finally {
        await handle.close();
      }
    })();
    freshDatabases.set(kind, fresh);
  }
  return fresh;
}

async function appliedCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return row!.n;
}

for (const kind of DATABASE_KINDS) {
  test(`${kind}: a database of the legacy per-area histories upgrades to the one history, rows kept`, async () => {
    const fresh = await freshDatabase(kind);
    const expected = fresh.schema;
    assert.ok(expected.some((l) => l.startsWith("column campaigns.state")));
    assert.ok(!expected.some((l) => l.includes("campaign_pauses")), "pauses folded into states");
    assert.deepEqual(fresh.tracking, ["__drizzle_migrations"]);
    const old = await emptyDatabase(kind);
    try {
      await migrateLegacy(old);
      assert.deepEqual(await trackingTables(old.db), [
        "__drizzle_migrations",
        "__drizzle_migrations_bot",
        "__drizzle_migrations_chain",
        "__drizzle_migrations_web",
      ]);
      await fillLegacyRows(old.db);
      const before = await legacyRows(old.db);

      await old.migrate();
      assert.deepEqual(await legacyRows(old.db), before, "every row is still there");
      // The legacy pause became the campaign's state (migration 0012), its who and when kept.
      assert.deepEqual(
        await queryRows(
          old.db,
          sql`select state, state_changed_by as "by" from campaigns where id = 1`,
        ),
        [{ state: "paused", by: "admin:1" }],
      );
      assert.deepEqual(
        await schemaOf(old.db),
        expected,
        "the upgraded schema is exactly a new database's",
      );
      assert.deepEqual(await trackingTables(old.db), ["__drizzle_migrations"]);

      // From here on it is an ordinary database of the one history: nothing left to apply.
      await old.migrate();
      assert.deepEqual(await legacyRows(old.db), before);
      // The legacy core row plus everything the new database recorded.
      assert.equal(await appliedCount(old.db), fresh.applied + 1);
    } finally {
      await old.close();
    }
  });

  test(`${kind}: a legacy database behind on an area's history gets that area's remaining migrations first`, async () => {
    const old = await emptyDatabase(kind);
    try {
      // Migrated by a release before the bot area's last migration (its journal without it).
      const dir = await mkdtemp(path.join(tmpdir(), "refmint-legacy-bot-"));
      try {
        const bot = LEGACY_MIGRATIONS.find((m) => m.migrationsTable.endsWith("_bot"))!;
        await cp(bot.migrationsFolder, dir, { recursive: true });
        const journalFile = path.join(dir, "meta", "_journal.json");
        const journal = JSON.parse(await readFile(journalFile, "utf8"));
        journal.entries.pop();
        await writeFile(journalFile, JSON.stringify(journal));
        await migrateLegacy(
          old,
          LEGACY_MIGRATIONS.map((m) => (m === bot ? { ...m, migrationsFolder: dir } : m)),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const [owner] = await queryRows<{ n: number }>(
        old.db,
        sql`select count(*)::int as n from information_schema.columns
            where table_name = 'bot_updates' and column_name = 'owner'`,
      );
      assert.equal(owner!.n, 0, "the legacy database lacks the bot area's last migration");
      await fillLegacyRows(old.db);
      const before = await legacyRows(old.db);

      await old.migrate();
      assert.deepEqual(await legacyRows(old.db), before);
      assert.deepEqual(await schemaOf(old.db), (await freshDatabase(kind)).schema);
    } finally {
      await old.close();
    }
  });
}
