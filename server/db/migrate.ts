/**
 * `npm run db:migrate`: applies pending migrations to the configured database
 * (`DATABASE_URL`, else the PGlite directory `DATA_DIR`) and exits.
 */
import { loadConfig } from "../config.ts";
import { fatalMessage } from "../fatal.ts";
import { openDatabase } from "./index.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await openDatabase({
    url: config.db.url,
    dataDir: config.db.dataDir,
    poolSize: 2,
  });
  try {
    await handle.migrate();
    console.log(`migrations applied (${handle.kind})`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(fatalMessage(error));
  process.exit(1);
});
