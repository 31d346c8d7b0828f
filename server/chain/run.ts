/**
 * `node server/chain/run.ts worker|indexer|epochs`: one chain job as its own process (see
 * standalone.ts). `npm run chain:worker`, `chain:indexer` and `chain:epochs` call it.
 */
import type { JobName } from "./health.ts";
import { runStandalone } from "./standalone.ts";

const JOBS: readonly JobName[] = ["worker", "indexer", "epochs"];
const name = process.argv[2] as JobName | undefined;
if (name === undefined || !JOBS.includes(name)) {
  console.error(`usage: node server/chain/run.ts ${JOBS.join("|")}`);
  process.exit(2);
}
await runStandalone(name);
