/**
 * The dashboard's API types (`miniapp/src/api/types.ts`) come from the service's own OpenAPI
 * document: the app is assembled as `npm start` assembles it (every component, on an
 * in-memory database, with a placeholder deployment so the payout pipeline's routes are
 * mounted), its `/openapi.json` is read over HTTP, and openapi-typescript turns it into
 * TypeScript. `npm run api:types` writes the file; a test fails when it is stale.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { type OpenAPI3 } from "openapi-typescript";
import { assemble } from "../../app/assemble.ts";
import { loadConfig } from "../../server/config.ts";
import { type DatabaseHandle, openDatabase } from "../../server/db/index.ts";
import { parseCampaignDefinition } from "../../server/domain/campaign.ts";
import { syncDefinitions } from "../../server/domain/registry.ts";
import { createMetrics } from "../../server/http/metrics.ts";
import { createLogger } from "../../server/logger.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const API_TYPES_FILE = path.join(ROOT, "miniapp/src/api/types.ts");

const HEADER = `/**
 * Generated from the service's /openapi.json by openapi-typescript: do not edit.
 * Regenerate with \`npm run api:types\` (test/miniapp/apiTypes.test.ts fails when it is stale).
 * Named shapes for the dashboard's code are in ./models.ts.
 */

`;

/** A placeholder address (the document does not depend on where contracts are). */
const placeholder = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

/**
 * The OpenAPI document the assembled service serves at `/openapi.json`, on `given` (a migrated
 * database whose campaigns may be replaced; tests pass theirs) or a fresh in-memory one.
 */
export async function serviceOpenApi(given?: DatabaseHandle): Promise<OpenAPI3> {
  const scratch = await mkdtemp(path.join(tmpdir(), "refmint-openapi-"));
  const database = given ?? (await openDatabase({ dataDir: "memory://" }));
  let server: Server | undefined;
  try {
    if (!given) await database.migrate();
    const demo = parseCampaignDefinition(
      JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8")),
      "demo.json",
    );
    const chainId = 31337;
    await mkdir(path.join(scratch, String(chainId)));
    await writeFile(
      path.join(scratch, String(chainId), `${demo.slug}.json`),
      JSON.stringify({
        chainId,
        referralPayouts: placeholder(1),
        tokens: Object.fromEntries(
          demo.tokens.map((t, i) => [t.symbol, { token: placeholder(16 + i) }]),
        ),
      }),
    );
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      PUBLIC_URL: "http://localhost:3000",
      CHAIN_ID: String(chainId),
      BOT_MODE: "off",
      DASHBOARD_DIST_DIR: path.join(scratch, "no-build"),
    };
    const config = loadConfig(env);
    const metrics = createMetrics({ defaultMetrics: false });
    const campaigns = await syncDefinitions(database.db, [demo], {
      deploymentsDir: scratch,
      chainId,
    });
    const { app, components } = await assemble({
      config,
      logger: createLogger("silent"),
      runtime: {
        database,
        domain: {
          db: database.db,
          campaigns,
          now: () => new Date(),
          attributionWindowHours: config.attributionWindowHours,
        },
        close: async () => {},
      },
      metrics,
      env,
    });
    if (!components.some((c) => c.name === "chain"))
      throw new Error("the chain component is off: its routes would be missing from the types");
    const listening: Server = await new Promise((resolve, reject) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
    server = listening;
    const { port } = listening.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!res.ok) throw new Error(`/openapi.json answered ${res.status}`);
    return (await res.json()) as OpenAPI3;
  } finally {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    if (!given) await database.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The contents of `miniapp/src/api/types.ts` for `doc`. */
export async function apiTypesSource(doc: OpenAPI3): Promise<string> {
  return `${HEADER}${await openapiTS(doc, { commentHeader: "", alphabetize: true })}`;
}
