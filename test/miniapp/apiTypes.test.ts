/**
 * `miniapp/src/api/types.ts` is what openapi-typescript makes of the service's /openapi.json
 * today: a route schema changed without `npm run api:types` fails here (and the dashboard's
 * code is then type-checked against the new shapes by `npx tsc -p miniapp`).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { API_TYPES_FILE, apiTypesSource, serviceOpenApi } from "../../scripts/lib/apiTypes.ts";
import { useDatabase } from "../support/db.ts";

test("the committed API types match the service's OpenAPI document", async () => {
  // On the suite's migrated PGlite snapshot: the same document, without migrating afresh.
  const doc = await useDatabase("pglite", (db) => serviceOpenApi(db));
  // The document covers every component's routes, so the types do too.
  const paths = Object.keys(doc.paths ?? {});
  for (const route of ["/api/me", "/api/me/network", "/api/rewards/proof", "/api/operator/epochs"])
    assert.ok(paths.includes(route), `${route} missing from /openapi.json`);
  const expected = await apiTypesSource(doc);
  const committed = await readFile(API_TYPES_FILE, "utf8");
  assert.ok(
    committed === expected,
    "miniapp/src/api/types.ts is stale: run `npm run api:types` and commit the result",
  );
});
