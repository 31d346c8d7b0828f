/**
 * Whatever way a caller logs a database error, no bound parameter and no value quoted by
 * the database reaches the log line (a real error from PGlite / PostgreSQL).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { createLogger } from "../../server/logger.ts";
import { withDatabases } from "../support/db.ts";

test("database errors are logged without bound parameters or quoted values, however passed", async (t) => {
  await withDatabases(t, async (db) => {
    let error: unknown;
    try {
      await db.db.execute(sql`select ${"private-value-4711"}::int as n`);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Error, "the query failed");
    // The raw error does carry the value (so the test can fail).
    assert.match(`${(error as Error).stack} ${String(error)}`, /private-value-4711/);

    const lines: string[] = [];
    const logger = createLogger("info", { write: (l: string) => void lines.push(l) });
    logger.error(error);
    logger.error({ err: error }, "as err");
    logger.warn({ err: String(error), job: "x" }, "as a string");
    logger.error({ nested: { list: [error] } }, "nested");
    logger.error({ reason: (error as Error).message }, (error as Error).stack);
    logger.child({ component: "c" }).error({ err: error }, "from a child");

    assert.equal(lines.length, 6);
    const text = lines.join("");
    assert.ok(!text.includes("private-value-4711"), text);
    assert.ok(!text.includes("params:"), text);
    // What helps debugging stays: the statement, the SQLSTATE, where it was thrown.
    assert.match(text, /select \$1::int/);
    assert.match(text, /22P02/);
    assert.match(text, /logger\.test\.ts/);
    for (const l of lines) assert.doesNotThrow(() => JSON.parse(l));
  });
});
