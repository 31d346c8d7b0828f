/**
 * `npm run bench:api`: autocannon against the real API, on PGlite and on PostgreSQL, for
 *   - the authenticated profile read (`GET /api/me`, HMAC-validated init data, 50 members),
 *   - the click redirect (`GET /r/<code>`),
 *   - reads under writes: those profile reads alternating with first clicks on the same
 *     members' codes (a new client each, through `X-Forwarded-For`), so every other request
 *     writes and invalidates the cached entries of a member being read,
 * and against a bare Express "hello" route in the same run, as the yardstick.
 * Writes bench/results/api.json (requests/s, latency, ratio to hello, machine).
 *
 * Each server runs in its own child process (one core), autocannon in this one.
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL or the local server; a temporary
 * database is created and dropped. Knobs: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (32),
 * BENCH_DATABASES (`pglite,postgres`), BENCH_POOL_SIZE (10), BENCH_LOG_LEVEL (info),
 * BENCH_READ_CACHE_MS (the server's DATABASE_READ_CACHE_MS; `0`: no read cache), BENCH_RESULTS
 * (the results file under bench/results/, default `api.json`).
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import express from "express";
import { createBenchDatabase } from "./pipelineResults.ts";

const BOT_TOKEN = "7000000001:AAHbenchTOKENforREFMINTapiBENCHMARKonly_99";
const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MEMBERS = 50;
const RESULTS = process.env.BENCH_RESULTS ?? "api.json";
const BROWSER_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

type Ready = { port: number; codes?: string[] };

// ---------------------------------------------------------------- child: servers

async function runHello(): Promise<void> {
  const app = express();
  app.get("/hello", (_req, res) => {
    res.json({ hello: "world" });
  });
  const server = app.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as { port: number }).port } satisfies Ready);
  });
}

async function runApi(): Promise<void> {
  const { loadConfig } = await import("../server/config.ts");
  const { bootstrap } = await import("../server/bootstrap.ts");
  const { createApp } = await import("../server/http/app.ts");
  const { createMetrics } = await import("../server/http/metrics.ts");
  const { createLogger } = await import("../server/logger.ts");
  const { ensureMember } = await import("../server/domain/members.ts");
  const { attribute } = await import("../server/domain/attribution.ts");
  const { qualify } = await import("../server/domain/qualification.ts");
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const metrics = createMetrics({ defaultMetrics: true });
  const runtime = await bootstrap(config, logger, metrics.events);
  // The benchmark's campaign has no deployment file, so the service leaves it in `draft`
  // (campaignTransitions.ts); start it as tests do, as if deployed.
  const { seedActive } = await import("../server/domain/campaignTransitions.ts");
  for (const c of runtime.domain.campaigns.all()) await seedActive(runtime.domain.db, c.id);
  // Seed: MEMBERS members in a tree, most of them qualified, so profiles have real stats.
  const ctx = runtime.domain;
  const members: Array<{ id: number; code: string }> = [];
  for (let i = 0; i < MEMBERS; i++) {
    const { member } = await ensureMember(ctx, {
      id: 1_000_000 + i,
      firstName: `Bench${i}`,
      languageCode: "en",
    });
    members.push(member);
    if (i > 0) {
      const referrer = members[Math.floor((i - 1) / 3)]!;
      await attribute(ctx, { refereeId: member.id, code: referrer.code, source: "start" });
      if (i % 4 !== 0) await qualify(ctx, member.id, { type: "wallet_linked" });
    }
  }
  const app = createApp({ config, logger, database: runtime.database, domain: ctx, metrics });
  // The driver asks for this process's CPU time around each measured run (CPU per request is
  // steadier than requests per second on a shared machine).
  process.on("message", (m) => {
    if (m === "cpu") process.send?.({ cpu: process.cpuUsage() });
  });
  const server = app.listen(0, "127.0.0.1", () => {
    process.send?.({
      port: (server.address() as { port: number }).port,
      codes: members.map((m) => m.code),
    } satisfies Ready);
  });
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void runtime.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- parent: driver

interface Target {
  name: string;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** The server's CPU time (user + system) per request, µs: steadier than req/s here. */
  cpuUsPerRequest?: number;
  errors: number;
  non2xx: number;
  ratioToHello?: number;
}

async function startChild(mode: string, env: Record<string, string>) {
  const child = fork(HERE, [mode], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const cpu = () =>
    new Promise<number>((resolve) => {
      const onMessage = (m: unknown) => {
        const usage = (m as { cpu?: NodeJS.CpuUsage }).cpu;
        if (!usage) return;
        child.off("message", onMessage);
        resolve(usage.user + usage.system);
      };
      child.on("message", onMessage);
      child.send("cpu");
    });
  return { ready, stop, cpu };
}

/** The CPU time of the service under test, while one runs (the hello server is not asked). */
let serverCpu: (() => Promise<number>) | undefined;

async function cannon(
  name: string,
  opts: autocannon.Options,
  ...expectStatus: number[]
): Promise<Target> {
  // Warm-up (JIT, connection pools), then the measured run.
  await autocannon({ ...opts, duration: 2 });
  const cpuBefore = await serverCpu?.();
  const r = await autocannon({ ...opts, duration: SECONDS });
  const cpuAfter = await serverCpu?.();
  const cpuUsPerRequest =
    cpuBefore === undefined || cpuAfter === undefined || r.requests.total === 0
      ? undefined
      : Math.round(((cpuAfter - cpuBefore) / r.requests.total) * 10) / 10;
  const stats = (r as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats;
  const expectedNon2xx = expectStatus
    .filter((s) => s >= 300)
    .reduce((n, s) => n + (stats?.[s]?.count ?? 0), 0);
  const bad = r.non2xx - expectedNon2xx;
  return {
    name,
    requestsPerSec: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    ...(cpuUsPerRequest === undefined ? {} : { cpuUsPerRequest }),
    errors: r.errors + r.timeouts,
    non2xx: Math.max(0, bad),
  };
}

async function benchApi(
  kind: "pglite" | "postgres",
  databaseUrl: string | undefined,
  helloRps: number,
): Promise<Target[]> {
  const { sign } = await import("@tma.js/init-data-node");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "refmint-bench-"));
  const env: Record<string, string> = {
    NODE_ENV: "production",
    METRICS_TOKEN: "bench-metrics-token-0123456789", // production requires one
    BOT_TOKEN,
    HASH_SECRET: randomBytes(16).toString("hex"),
    PUBLIC_URL: "https://api.refmint.bench",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    RATE_LIMIT_IP_PER_MINUTE: "10000000",
    RATE_LIMIT_MEMBER_PER_MINUTE: "10000000",
    TRUST_PROXY: "1", // the mixed scenario's clients come through X-Forwarded-For
    JOBS_INTERVAL_SECONDS: "0",
    DATA_DIR: path.join(dataDir, "pglite"),
    DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? "10",
    ...(process.env.BENCH_READ_CACHE_MS
      ? { DATABASE_READ_CACHE_MS: process.env.BENCH_READ_CACHE_MS }
      : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const api = await startChild("api", env);
  serverCpu = api.cpu;
  try {
    const base = `http://127.0.0.1:${api.ready.port}`;
    const requests = Array.from({ length: MEMBERS }, (_, i) => ({
      method: "GET" as const,
      path: "/api/me",
      headers: {
        authorization: `tma ${sign({ user: { id: 1_000_000 + i, first_name: `Bench${i}`, language_code: "en" }, query_id: "bench" }, BOT_TOKEN, new Date())}`,
      },
    }));
    const check = await fetch(`${base}/api/me`, { headers: requests[1]!.headers });
    if (check.status !== 200)
      throw new Error(`profile check failed: ${check.status} ${await check.text()}`);
    const profile = await cannon(
      `${kind}: GET /api/me (authenticated profile)`,
      { url: base, connections: CONNECTIONS, requests },
      200,
    );
    const code = api.ready.codes?.[1] ?? "";
    const redirect = await cannon(
      `${kind}: GET /r/<code> (click redirect)`,
      { url: `${base}/r/${code}`, connections: CONNECTIONS, headers: { "user-agent": BROWSER_UA } },
      302,
    );
    let client = 0;
    const firstClicks = (api.ready.codes ?? []).map((c) => ({
      method: "GET" as const,
      path: `/r/${c}`,
      headers: { "user-agent": BROWSER_UA },
      // A new client every time: a first click, counted (a write).
      setupRequest: (req: autocannon.Request) => {
        client++;
        return {
          ...req,
          headers: {
            ...req.headers,
            "x-forwarded-for": `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`,
          },
        };
      },
    }));
    const mixed = await cannon(
      `${kind}: GET /api/me alternating with first clicks (writes) on the same members`,
      {
        url: base,
        connections: CONNECTIONS,
        requests: requests.flatMap((r, i) => [r, firstClicks[i]!]),
      },
      200,
      302,
    );
    for (const t of [profile, redirect, mixed])
      t.ratioToHello = Math.round((t.requestsPerSec / helloRps) * 100) / 100;
    return [profile, redirect, mixed];
  } finally {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const hello = await startChild("hello", {});
  let helloTarget: Target;
  try {
    helloTarget = await cannon(
      "bare Express: GET /hello",
      { url: `http://127.0.0.1:${hello.ready.port}/hello`, connections: CONNECTIONS },
      200,
    );
  } finally {
    await hello.stop();
  }
  console.log(`hello: ${helloTarget.requestsPerSec} req/s`);
  const targets: Target[] = [];
  const kinds = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
  if (kinds.includes("pglite"))
    targets.push(...(await benchApi("pglite", undefined, helloTarget.requestsPerSec)));
  const pgdb = kinds.includes("postgres") ? await createBenchDatabase() : undefined;
  if (pgdb) {
    try {
      targets.push(...(await benchApi("postgres", pgdb.url, helloTarget.requestsPerSec)));
    } finally {
      await pgdb.drop();
    }
  }
  const cpus = os.cpus();
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    settings: {
      seconds: SECONDS,
      connections: CONNECTIONS,
      members: MEMBERS,
      logLevel: process.env.BENCH_LOG_LEVEL ?? "info",
    },
    target: "authenticated profile read >= 0.3x hello",
    readCacheMs: process.env.BENCH_READ_CACHE_MS ?? "default (1000)",
    hello: helloTarget,
    results: targets,
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(
    path.join(ROOT, "bench", "results", RESULTS),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  for (const t of targets)
    console.log(
      `${t.name}: ${t.requestsPerSec} req/s, p99 ${t.latencyP99Ms} ms, ${t.ratioToHello}x hello, server CPU ${t.cpuUsPerRequest} µs/request`,
    );
  console.log(`wrote bench/results/${RESULTS}`);
}

const mode = process.argv[2];
if (mode === "hello") await runHello();
else if (mode === "api") await runApi();
else await main();
