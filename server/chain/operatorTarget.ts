/**
 * Where an operator command (`epoch:publish`, `reconcile`, `payouts:retry`) does its work.
 *
 * 1. `DATABASE_URL` set: on that PostgreSQL database, in this process (several processes may
 *    share it; the leases elect one worker).
 * 2. Nothing set (no `DATABASE_URL`, `DATA_DIR` or `RPC_URL`) and `npm run dev` runs: through
 *    the dev service, using what it wrote to `.data/dev/runtime.json` (its URL and operator
 *    token). Its PGlite database cannot be opened by a second process, and its chain, keys
 *    and worker are all there.
 * 3. Otherwise the PGlite directory `DATA_DIR` (default `.data/pglite`): through the service
 *    that holds it when that service advertises its URL in the lock and `ADMIN_API_TOKEN` is
 *    set; refused when a process holds it otherwise; opened here when it is free, and refused
 *    when it does not exist (only the service and `db:migrate` create databases).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DataDirLockedError, ownerAlive, readLockOwner } from "../db/lock.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run dev`'s data folder (fresh on every start) and the runtime file it writes there. */
export const DEV_DIR = path.join(ROOT, ".data", "dev");
export const DEV_RUNTIME_FILE = path.join(DEV_DIR, "runtime.json");

/** What `npm run dev` writes once it runs (mode 0600: it holds the operator token). */
export interface DevRuntime {
  pid: number;
  startTicks?: number;
  host: string;
  startedAt: string;
  apiUrl: string;
  rpcUrl: string;
  chainId: number;
  dataDir: string;
  deployments: string[];
  /** The dev service's ADMIN_API_TOKEN (random per start unless set). */
  operatorToken: string;
}

export function readDevRuntime(file = DEV_RUNTIME_FILE): DevRuntime | undefined {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as DevRuntime;
    return Number.isSafeInteger(r.pid) && typeof r.apiUrl === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

export type OperatorTarget =
  | { kind: "service"; apiUrl: string; token: string; via: string }
  | { kind: "local" };

export function operatorTarget(
  env: NodeJS.ProcessEnv = process.env,
  devRuntimeFile = DEV_RUNTIME_FILE,
): OperatorTarget {
  const set = (v: string | undefined) => v !== undefined && v.trim() !== "";
  if (set(env.DATABASE_URL)) return { kind: "local" };
  if (!set(env.DATA_DIR) && !set(env.RPC_URL)) {
    const dev = readDevRuntime(devRuntimeFile);
    if (dev && ownerAlive(dev))
      return {
        kind: "service",
        apiUrl: dev.apiUrl,
        token: dev.operatorToken,
        via: `npm run dev (pid ${dev.pid})`,
      };
  }
  const dataDir = set(env.DATA_DIR) ? env.DATA_DIR!.trim() : ".data/pglite";
  const holder = readLockOwner(dataDir);
  if (holder?.alive && holder.owner.pid !== process.pid) {
    if (holder.owner.apiUrl && set(env.ADMIN_API_TOKEN))
      return {
        kind: "service",
        apiUrl: holder.owner.apiUrl,
        token: env.ADMIN_API_TOKEN!.trim(),
        via: `${holder.owner.command} (pid ${holder.owner.pid})`,
      };
    throw new DataDirLockedError(
      dataDir,
      holder.owner,
      holder.owner.apiUrl
        ? `set ADMIN_API_TOKEN to that service's token and this command runs through it (${holder.owner.apiUrl})`
        : undefined,
    );
  }
  return { kind: "local" };
}

/** Calls an operator endpoint of the service; a problem response becomes an Error with its detail. */
export async function callService<T>(
  target: Extract<OperatorTarget, { kind: "service" }>,
  method: "GET" | "POST",
  route: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.apiUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`could not reach ${target.via} at ${target.apiUrl}: ${String(error)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      const p = JSON.parse(text) as { code?: string; detail?: string; title?: string };
      detail = `${p.code ?? res.status}: ${p.detail ?? p.title ?? text}`;
    } catch {}
    throw new Error(`${method} ${route} on ${target.via} failed (${res.status}) ${detail}`);
  }
  return JSON.parse(text) as T;
}
