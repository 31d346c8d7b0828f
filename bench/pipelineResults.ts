/**
 * bench/results/pipeline.json holds both pipeline benchmarks (`npm run bench:pipeline`,
 * `npm run bench:indexer`); each updates its own part and the machine.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createScratchDatabase, type ScratchDatabase } from "../test/support/scratchDatabase.ts";
import { machine } from "./machine.ts";

const FILE = fileURLToPath(new URL("./results/pipeline.json", import.meta.url));

export async function updateResults(
  part: "pipeline" | "indexer",
  result: Record<string, unknown>,
): Promise<void> {
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(await readFile(FILE, "utf8")) as Record<string, unknown>;
  } catch {}
  const next = {
    ...current,
    machine: machine(),
    [part]: { date: new Date().toISOString(), ...result },
  };
  await mkdir(path.dirname(FILE), { recursive: true });
  await writeFile(FILE, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), FILE)} (${part})`);
}

/** A temporary PostgreSQL database on the server of `baseUrl` (dropped by `drop`). */
export function createPostgresDatabase(baseUrl: string): Promise<ScratchDatabase> {
  return createScratchDatabase(baseUrl, "refmint_bench");
}

/**
 * A temporary database on `BENCH_DATABASE_URL` (else `TEST_DATABASE_URL`, else the local
 * server), or undefined with a warning when PostgreSQL is not there: the bench runs PGlite only.
 */
export async function createBenchDatabase(): Promise<ScratchDatabase | undefined> {
  const baseUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    return await createPostgresDatabase(baseUrl);
  } catch (error) {
    console.warn(`bench: PostgreSQL not available (${(error as Error).message}); PGlite only`);
    return undefined;
  }
}
