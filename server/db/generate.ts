/**
 * `npm run db:generate`: writes drizzle-kit migrations for every database area whose schema
 * changed (or only `DB_AREA`). Areas without tables are skipped.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { DB_AREAS } from "./areas.ts";

const only = process.env.DB_AREA;
for (const area of DB_AREAS) {
  if (only !== undefined && area.name !== only) continue;
  if (!/pgTable\(/.test(readFileSync(area.schema, "utf8"))) continue;
  const run = spawnSync(
    "npx",
    ["drizzle-kit", "generate", "--config", "server/db/drizzle.config.ts"],
    {
      stdio: "inherit",
      env: { ...process.env, DB_AREA: area.name },
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
