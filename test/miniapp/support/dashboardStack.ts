/**
 * What every browser test of the dashboard starts once per file: the built dashboard, a local
 * chain with the campaign deployed, a test database, a browser, and the HTTP stack serving
 * the build over them.
 */
import type { DatabaseHandle } from "../../../server/db/index.ts";
import { DATABASE_KINDS, openTestDatabase } from "../../support/db.ts";
import { launchBrowser } from "./browser.ts";
import { dashboardBuild } from "./build.ts";
import { startTestChain, type TestChain } from "./chain.ts";
import { type Stack, type StackOptions, startStack } from "./stack.ts";

export type DashboardBrowser = Awaited<ReturnType<typeof launchBrowser>>;

export interface DashboardStack {
  db: DatabaseHandle;
  chain: TestChain;
  stack: Stack;
  browser: DashboardBrowser;
}

/** PostgreSQL when the environment has it (the production kind), else PGlite. */
const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1] ?? "pglite";

/**
 * Starts the build, chain, database (see `kind`) and browser together, then the stack with the options
 * `options` gives for that chain and build (its campaign and deployments are set here).
 * What started is stopped again when a later part fails.
 */
export async function startDashboardStack(
  options: (chain: TestChain, dist: string) => StackOptions,
): Promise<DashboardStack> {
  const [dist, chain, db, browser] = await Promise.all([
    dashboardBuild(),
    startTestChain(),
    openTestDatabase(kind),
    launchBrowser(),
  ]);
  try {
    const stack = await startStack(undefined, db, {
      campaigns: [chain.campaign],
      deploymentsDir: chain.deploymentsDir,
      ...options(chain, dist),
    });
    return { db, chain, stack, browser };
  } catch (error) {
    await stopDashboardStack({ db, chain, browser });
    throw error;
  }
}

/** Stops what `startDashboardStack` started (whatever part of it is there). */
export async function stopDashboardStack(s: Partial<DashboardStack>): Promise<void> {
  await s.browser?.close();
  await s.stack?.stop();
  await s.chain?.stop();
  await s.db?.close();
}
