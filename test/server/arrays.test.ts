/**
 * The one array encoder (server/db/arrays.ts): whatever the values, PostgreSQL reads back
 * exactly what was encoded, on PGlite and on PostgreSQL.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { bigintArray, pgArray, queryRows } from "../../server/db/index.ts";
import { withDatabases } from "../support/db.ts";

const TRICKY = [
  "",
  "NULL",
  "null",
  "Null",
  "a,b",
  "{x}",
  'say "hi"',
  "back\\slash",
  " spaced ",
  "ünïcødé ✓",
  "0xAbC",
  "-12.5e3",
  "tab\tand\nnewline",
];

test("text, numbers, booleans and NULLs read back as encoded", async (t) => {
  await withDatabases(t, async (db) => {
    const text = [...TRICKY, null];
    const rows = await queryRows<{ v: string | null }>(
      db.db,
      sql`select v from unnest(${pgArray(text)}::text[]) with ordinality as u(v, n) order by n`,
    );
    assert.deepEqual(
      rows.map((r) => r.v),
      text,
    );
    const numbers = await queryRows<{ b: string; n: string; f: boolean | null }>(
      db.db,
      sql`select b::text as b, n::text as n, f
          from unnest(${pgArray([1, 2n ** 63n - 1n, null])}::bigint[],
                      ${pgArray(["12.5", "-3", "0"])}::numeric[],
                      ${pgArray([true, false, undefined])}::boolean[]) with ordinality as u(b, n, f, i)
          order by i`,
    );
    assert.deepEqual(numbers, [
      { b: "1", n: "12.5", f: true },
      { b: String(2n ** 63n - 1n), n: "-3", f: false },
      { b: null, n: "0", f: null },
    ]);
    const ids = await queryRows<{ id: string }>(
      db.db,
      sql`select id::text as id from unnest(${bigintArray([3, 1, 2])}) as id order by id`,
    );
    assert.deepEqual(
      ids.map((r) => r.id),
      ["1", "2", "3"],
    );
    // Any string survives the trip (a property over arbitrary text, NUL excepted: PostgreSQL
    // text cannot hold it).
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\0")),
          {
            maxLength: 8,
          },
        ),
        async (values) => {
          const back = await queryRows<{ v: string }>(
            db.db,
            sql`select v from unnest(${pgArray(values)}::text[]) with ordinality as u(v, n) order by n`,
          );
          assert.deepEqual(
            back.map((r) => r.v),
            values,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

test("bigintArray refuses what is not an id", () => {
  assert.throws(() => bigintArray([1, 1.5]), /not an id: 1.5/);
  assert.throws(() => bigintArray([Number.MAX_SAFE_INTEGER + 1]), /not an id/);
});
