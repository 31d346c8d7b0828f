/**
 * The database is split into areas, each owning its tables, its drizzle-kit migrations and its
 * migration-tracking table, so that the referral core, the chain workers, the bot and the
 * website can change their own tables independently. Areas are migrated in this order (later
 * areas may reference earlier ones).
 *
 *   npm run db:generate                 # every area
 *   DB_AREA=chain npm run db:generate   # one area
 */
import { fileURLToPath } from "node:url";

export interface DbArea {
  name: string;
  /** The area's Drizzle schema module, relative to the repository root. */
  schema: string;
  /** Its migrations folder. */
  migrationsFolder: string;
  /** The table that records which of its migrations ran. */
  migrationsTable: string;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const DB_AREAS: readonly DbArea[] = [
  {
    name: "core",
    schema: "./server/db/schema.ts",
    migrationsFolder: here("./migrations"),
    migrationsTable: "__drizzle_migrations",
  },
  {
    name: "chain",
    schema: "./server/db/areas/chain.ts",
    migrationsFolder: here("./migrations-chain"),
    migrationsTable: "__drizzle_migrations_chain",
  },
  {
    name: "bot",
    schema: "./server/db/areas/bot.ts",
    migrationsFolder: here("./migrations-bot"),
    migrationsTable: "__drizzle_migrations_bot",
  },
  {
    name: "web",
    schema: "./server/db/areas/web.ts",
    migrationsFolder: here("./migrations-web"),
    migrationsTable: "__drizzle_migrations_web",
  },
];
