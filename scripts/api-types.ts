/**
 * `npm run api:types`: regenerates `miniapp/src/api/types.ts` from the service's
 * `/openapi.json` (see scripts/lib/apiTypes.ts). Run it after changing a route's schema.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { runCommand } from "../server/chain/cli.ts";
import { API_TYPES_FILE, apiTypesSource, serviceOpenApi } from "./lib/apiTypes.ts";

runCommand(async () => {
  await writeFile(API_TYPES_FILE, await apiTypesSource(await serviceOpenApi()));
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}`);
  return 0;
});
