/**
 * drizzle-kit configuration: the one schema (`schema.ts` and the tables under `schema/`) and
 * its one migration history in `migrations/`. `npm run db:generate` writes the next migration
 * after the schema changed (see migrations.ts for the databases migrated before the history
 * was one).
 */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./server/db/schema.ts", "./server/db/schema/*.ts"],
  out: "./server/db/migrations",
  migrations: { table: "__drizzle_migrations" },
  strict: true,
  verbose: true,
});
