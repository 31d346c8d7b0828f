/**
 * `npm run bench:bot`: Telegram updates pushed through the bot's webhook endpoint on the
 * real API (the bot component's router, the inbox, the whole middleware stack and the
 * domain), with a minimal fake Bot API answering the bot's replies. Writes
 * bench/results/bot.json: updates/s and percentiles of
 *   - ack: the webhook POST until Telegram would get its 200,
 *   - handling: the POST until the bot's reply reaches the (fake) Bot API,
 * for `/start` from new members (the target: >= 1,000 updates/s) and for `/start <code>`
 * from new members invited by existing ones (attribution, notifications queued).
 *
 * The server runs in a child process (one core); the driver and the fake Bot API in this one.
 * Knobs: BENCH_UPDATES (default 3000 per scenario), BENCH_CONCURRENCY (in-flight webhook
 * calls, 100), BENCH_DATABASES (`pglite,postgres`), BENCH_POOL_SIZE (10), BENCH_LOG_LEVEL (warn),
 * BENCH_SCENARIOS (`start,code`: which of the two to run), BENCH_PROFILE (a directory: CPU
 * profiles of the server), BENCH_BOT_ANSWER (the server's BOT_WEBHOOK_ANSWER: `response`, the
 * default, answers in the webhook's HTTP response; `api` acknowledges first and answers through
 * the Bot API).
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL or the local server (temporary database).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { machine } from "./machine.ts";
import { createBenchDatabase } from "./pipelineResults.ts";
import { loadAverage, percentile } from "./stats.ts";

const BOT_TOKEN = "7000000003:AAHbenchTOKENforREFMINTbotBENCHMARKonly_9";
const BOT_ID = 7000000003;
const SECRET = "bench-webhook-secret-0123456789abcdef";
const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), "..");
const UPDATES = Number(process.env.BENCH_UPDATES ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const REFERRERS = 20;
/** BENCH_SCENARIOS=start,code (default both): `/start` and `/start <code>`. */
const SCENARIOS = process.env.BENCH_SCENARIOS?.split(",");
const TARGET_PER_SEC = 1000;
const FIRST_USER_ID = 10_000_000;

type Ready = { port: number; codes: string[] };

// ---------------------------------------------------------------- child: the service

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function runServer(): Promise<void> {
  const { loadConfig } = await import("../server/config.ts");
  const { bootstrap } = await import("../server/bootstrap.ts");
  const { createAccess } = await import("../server/http/access.ts");
  const { createApp } = await import("../server/http/app.ts");
  const { createMetrics } = await import("../server/http/metrics.ts");
  const { createLogger } = await import("../server/logger.ts");
  const { ensureMember } = await import("../server/domain/members.ts");
  const { createBotComponent } = await import("../bot/component.ts");
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const metrics = createMetrics({ defaultMetrics: true });
  const runtime = await bootstrap(config, logger, metrics.events);
  // The benchmark's campaign has no deployment file, so the service leaves it in `draft`
  // (campaignTransitions.ts); start it as tests do, as if deployed.
  const { seedActive } = await import("../server/domain/campaignTransitions.ts");
  for (const c of runtime.domain.campaigns.all()) await seedActive(runtime.domain.db, c.id);
  const codes: string[] = [];
  for (let i = 0; i < REFERRERS; i++) {
    const { member } = await ensureMember(runtime.domain, { id: 500_000 + i, firstName: `R${i}` });
    codes.push(member.code);
  }
  const access = createAccess(config, runtime.domain);
  const component = await createBotComponent({
    config,
    logger,
    runtime,
    metrics,
    env: process.env,
    access,
  });
  const app = createApp({
    config,
    logger,
    database: runtime.database,
    domain: runtime.domain,
    metrics,
    access,
    routers: component.routers,
  });
  const server = app.listen(0, "127.0.0.1");
  // As in service.ts: idle keep-alive sockets outlive the client's, so none is reset under it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.once("listening", resolve));
  await component.start?.({ server, baseUrl: "" });
  await component.ready?.();
  process.send?.({ port: (server.address() as { port: number }).port, codes } satisfies Ready);
  // The parent asks for this process's CPU time around each scenario (steadier than rates
  // on a shared machine; with PGlite it includes the database's work).
  process.on("message", (m) => {
    if (m === "cpu") process.send?.({ cpuUs: cpuUs() });
  });
  process.on("SIGTERM", async () => {
    server.close();
    server.closeAllConnections();
    await component.stop?.();
    await runtime.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------- parent: fake Bot API

/** Answers the Bot API methods the bot uses; notes when a reply reaches each chat. */
async function startFakeTelegram() {
  const replies = new Map<number, number>();
  let waiting: { count: number; resolve: () => void } | undefined;
  let messageId = 1;
  // Only the newcomers' replies count (referrers also get notifications).
  const noteReply = (chat: number) => {
    if (chat >= FIRST_USER_ID && !replies.has(chat)) {
      replies.set(chat, performance.now());
      if (waiting && replies.size >= waiting.count) waiting.resolve();
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
        : {};
      let result: unknown = true;
      if (method === "getMe")
        result = { id: BOT_ID, is_bot: true, first_name: "Bench", username: "refmint_bench_bot" };
      else if (method === "sendMessage") {
        const chat = Number(body.chat_id);
        noteReply(chat);
        result = {
          message_id: messageId++,
          date: 0,
          chat: { id: chat, type: "private" },
          text: "",
        };
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    replies,
    /**
     * A reply carried in the webhook's HTTP response (`BOT_WEBHOOK_ANSWER=response`): Telegram
     * carries it out once the response has arrived whole, as this one has.
     */
    webhookReply: (body: unknown) => {
      const call = body as { method?: string; chat_id?: number | string } | null;
      if (call?.method === "sendMessage") noteReply(Number(call.chat_id));
    },
    /** Resolves once `count` chats got their first reply. */
    until: (count: number) =>
      new Promise<void>((resolve) => {
        if (replies.size >= count) return resolve();
        waiting = { count, resolve };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------- parent: driver

interface Result {
  database: string;
  scenario: string;
  updates: number;
  /** Handled end to end (the reply reached the Bot API) per second: the headline figure. */
  updatesPerSec: number;
  /** Accepted (stored and acknowledged) per second; handling may lag behind. */
  acceptedPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  handlingP50Ms: number;
  handlingP99Ms: number;
  /** The service process's CPU time per update (µs): PGlite's work included, PostgreSQL's not. */
  cpuUsPerUpdate: number;
  errors: number;
}

let nextUpdateId = 1;
let nextUserId = FIRST_USER_ID;

function startUpdate(text: string, userId: number) {
  const entities = [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }];
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: "New" },
      from: {
        id: userId,
        is_bot: false,
        first_name: "New",
        language_code: userId % 2 ? "en" : "ru",
      },
      text,
      entities,
    },
  };
}

async function push(
  webhook: string,
  fake: Awaited<ReturnType<typeof startFakeTelegram>>,
  count: number,
  text: (i: number) => string,
): Promise<{
  elapsedMs: number;
  ackedMs: number;
  acks: number[];
  handling: number[];
  errors: number;
}> {
  const users = Array.from({ length: count }, () => nextUserId++);
  const sentAt = new Map<number, number>();
  const acks: number[] = [];
  let errors = 0;
  let i = 0;
  const already = fake.replies.size;
  const done = fake.until(already + count);
  const started = performance.now();
  const worker = async () => {
    while (i < count) {
      const n = i++;
      const user = users[n]!;
      const t0 = performance.now();
      sentAt.set(user, t0);
      try {
        const res = await fetch(webhook, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": SECRET,
          },
          body: JSON.stringify(startUpdate(text(n), user)),
        });
        const answer = await res.text();
        acks.push(performance.now() - t0);
        if (res.status === 200 && answer.startsWith("{")) fake.webhookReply(JSON.parse(answer));
        if (res.status !== 200) errors++;
      } catch {
        errors++;
        sentAt.delete(user);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ackedMs = performance.now() - started;
  // Failed deliveries never get a reply: wait for the others.
  if (errors > 0) await fake.until(already + count - errors);
  else await done;
  const elapsedMs = performance.now() - started;
  const handling = users
    .filter((u) => sentAt.has(u))
    .map((u) => (fake.replies.get(u) ?? Number.NaN) - sentAt.get(u)!);
  return { elapsedMs, ackedMs, acks, handling, errors };
}

async function benchDatabase(kind: "pglite" | "postgres", databaseUrl?: string): Promise<Result[]> {
  const fake = await startFakeTelegram();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "refmint-bench-bot-"));
  const child = fork(HERE, ["server"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      METRICS_TOKEN: "bench-metrics-token-0123456789", // production requires one
      BOT_TOKEN,
      BOT_USERNAME: "refmint_bench_bot",
      TELEGRAM_API_ROOT: fake.url,
      BOT_WEBHOOK_URL: "http://bench.local/telegram/webhook",
      BOT_WEBHOOK_SECRET: SECRET,
      HASH_SECRET: randomBytes(16).toString("hex"),
      PUBLIC_URL: "https://api.refmint.bench",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      // BENCH_BOT_ANSWER=api: the acknowledge-first mode (answers through the Bot API).
      ...(process.env.BENCH_BOT_ANSWER ? { BOT_WEBHOOK_ANSWER: process.env.BENCH_BOT_ANSWER } : {}),
      JOBS_INTERVAL_SECONDS: "0",
      DATA_DIR: path.join(dataDir, "pglite"),
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? "10",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // BENCH_PROFILE=<dir>: a CPU profile of the server for each database.
    execArgv: process.env.BENCH_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [],
  });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once("message", (m) => resolve(m as Ready));
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    const webhook = `http://127.0.0.1:${ready.port}/telegram/webhook`;
    // Warm-up: JIT, prepared statements, connection pools.
    await push(webhook, fake, Math.min(500, UPDATES), () => "/start");
    const results: Result[] = [];
    const scenarios = [
      ["/start, new member", () => "/start"],
      [
        "/start <code>, new member invited (attribution)",
        (n: number) => `/start ${ready.codes[n % REFERRERS]}`,
      ],
    ] as const;
    for (const [scenario, text] of scenarios.filter(
      ([name]) =>
        SCENARIOS === undefined || SCENARIOS.includes(name.includes("<code>") ? "code" : "start"),
    )) {
      const cpuBefore = await childCpu(child);
      const r = await push(webhook, fake, UPDATES, text);
      const cpuUsed = (await childCpu(child)) - cpuBefore;
      const acks = r.acks.sort((a, b) => a - b);
      const handling = r.handling.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
      const result: Result = {
        database: kind,
        scenario,
        updates: UPDATES,
        updatesPerSec: Math.round((UPDATES / r.elapsedMs) * 1000),
        acceptedPerSec: Math.round((UPDATES / r.ackedMs) * 1000),
        ackP50Ms: percentile(acks, 50),
        ackP99Ms: percentile(acks, 99),
        handlingP50Ms: percentile(handling, 50),
        handlingP99Ms: percentile(handling, 99),
        cpuUsPerUpdate: Math.round(cpuUsed / UPDATES),
        errors: r.errors + (UPDATES - handling.length),
      };
      console.log(
        `${kind} ${scenario}: ${result.updatesPerSec} updates/s handled (${result.acceptedPerSec}/s accepted), ack p99 ${result.ackP99Ms} ms, handling p50 ${result.handlingP50Ms} ms / p99 ${result.handlingP99Ms} ms, ${result.cpuUsPerUpdate} µs CPU per update, errors ${result.errors}`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The service child's CPU time so far (µs), asked over IPC. */
function childCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (typeof m === "object" && m !== null && "cpuUs" in m) {
        child.off("message", on);
        resolve((m as { cpuUs: number }).cpuUs);
      }
    };
    child.on("message", on);
    child.send("cpu");
  });
}

/** What one durable commit costs on this machine's PostgreSQL (WAL flush): the floor per write. */
async function commitLatencyMs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("create table bench_commit (id serial primary key)");
    for (let i = 0; i < 20; i++) await c.query("insert into bench_commit default values");
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) await c.query("insert into bench_commit default values");
    return Math.round(((performance.now() - t0) / 200) * 100) / 100;
  } finally {
    await c.query("drop table if exists bench_commit");
    await c.end();
  }
}

async function main(): Promise<void> {
  const loadAverageAtStart = loadAverage();
  let postgresCommitMs: number | undefined;
  const kinds = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
  const results: Result[] = [];
  if (kinds.includes("pglite")) results.push(...(await benchDatabase("pglite")));
  const db = kinds.includes("postgres") ? await createBenchDatabase() : undefined;
  if (db) {
    try {
      postgresCommitMs = await commitLatencyMs(db.url);
      results.push(...(await benchDatabase("postgres", db.url)));
    } finally {
      await db.drop();
    }
  }
  const best = Math.max(
    ...results.filter((r) => r.scenario.startsWith("/start, new")).map((r) => r.updatesPerSec),
  );
  const out = {
    date: new Date().toISOString(),
    machine: machine(),
    settings: {
      updates: UPDATES,
      concurrency: CONCURRENCY,
      referrers: REFERRERS,
      dashboardMode: "web",
    },
    // The machine is shared: what else ran, and what a durable commit costs on its disk.
    environment: {
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
      postgresCommitMs,
    },
    target: `>= ${TARGET_PER_SEC} updates/s for /start with a new member`,
    targetMet: best >= TARGET_PER_SEC,
    results,
  };
  await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench/results/bot.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`bench/results/bot.json written (best /start: ${best} updates/s)`);
}

if (process.argv[2] === "server") await runServer();
else await main();
