/**
 * drizzle-kit configuration for one database area (see areas.ts): `DB_AREA` picks it
 * (default `core`). `npm run db:generate` runs this for every area in turn.
 */
import path from "node:path";
import { defineConfig } from "drizzle-kit";
import { DB_AREAS } from "./areas.ts";

const name = process.env.DB_AREA ?? "core";
const area = DB_AREAS.find((a) => a.name === name);
if (area === undefined)
  throw new Error(`DB_AREA=${name} is not one of ${DB_AREAS.map((a) => a.name).join(", ")}`);

export default defineConfig({
  dialect: "postgresql",
  schema: area.schema,
  // drizzle-kit wants a path relative to the working directory (the repository root).
  out: path.relative(process.cwd(), area.migrationsFolder),
  migrations: { table: area.migrationsTable },
  strict: true,
  verbose: true,
});
