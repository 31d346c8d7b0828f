/**
 * A throw-away PostgreSQL database on a given server: the tests' and the benchmarks' one way
 * to get an empty database of their own (no test hooks here, so benchmarks can import it).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>` on the server of `baseUrl` (a copy of `template` when given);
 * returns its URL and a dropper. `settings` become the database's defaults for every session
 * (`alter database … set`). The connect timeout makes an absent server fail in seconds rather
 * than hang.
 */
export async function createScratchDatabase(
  baseUrl: string,
  prefix: string,
  template?: string,
  settings: Record<string, string> = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
    for (const [key, value] of Object.entries(settings)) {
      if (!/^[a-z_]+$/.test(key)) throw new Error(`not a setting name: ${key}`);
      await admin.query(`alter database ${name} set ${key} = ${admin.escapeLiteral(value)}`);
    }
  } finally {
    await admin.end().catch(() => {});
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
