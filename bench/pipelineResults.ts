/**
 * bench/results/pipeline.json holds both pipeline benchmarks (`npm run bench:pipeline`,
 * `npm run bench:indexer`); each updates its own part and the machine.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
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
export async function createPostgresDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `refmint_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
