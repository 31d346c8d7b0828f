/**
 * `node server/chain/worker.ts`: the payout worker as its own process (the same as
 * `node server/chain/run.ts worker`; see standalone.ts).
 */
import { runStandalone } from "./standalone.ts";

await runStandalone("worker");
