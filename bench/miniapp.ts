/**
 * `npm run bench:miniapp`: builds the dashboard (miniapp/dist) and measures what a member
 * waits for.
 *
 * - Size: the initial JS (the entry script and what index.html preloads) gzip-compressed,
 *   against the 250 KB budget; also all JS and the CSS.
 * - Time to first meaningful render: the real server (web component, production settings,
 *   PGlite) on loopback, headless Chromium opening the Mini App as Telegram does (signed init
 *   data in the URL fragment); the time from navigation start until Home shows the member's
 *   greeting and tier (the profile came back from the API). Cold runs get a fresh browser
 *   context each (empty cache), warm runs reuse one. First contentful paint alongside.
 *
 * The page's main-thread time until then (CDP Performance metrics: tasks, script, style,
 * layout) is recorded too: steadier than wall time on a shared machine.
 *
 * Writes bench/results/miniapp.json with the machine. Knobs: BENCH_RUNS (default 15),
 * BENCH_PROFILE (a directory: a CPU profile of the page for every load).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { assemble } from "../app/assemble.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/index.ts";
import type { CampaignDefinition } from "../server/domain/campaign.ts";
import { parseCampaignDefinition } from "../server/domain/campaign.ts";
import type { DomainContext } from "../server/domain/context.ts";
import { syncDefinitions } from "../server/domain/registry.ts";
import { createMetrics } from "../server/http/metrics.ts";
import { createLogger } from "../server/logger.ts";
import { webComponent } from "../server/web/component.ts";
import { launchBrowser, playTelegramClient, telegramUrl } from "../test/miniapp/support/browser.ts";
import { initialScripts } from "../test/miniapp/support/build.ts";
import { freePort } from "../test/support/chain.ts";
import { signInitData } from "../test/support/telegram.ts";
import { machine } from "./machine.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** BENCH_PROFILE: a directory for a CPU profile of the page per load (what its time went to). */
const PROFILE = process.env.BENCH_PROFILE;
const BOT_TOKEN = "7000000001:AAHbenchTOKENforREFMINTapiBENCHMARKonly_99";
const BUDGET_KB = 250;

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const ms = (v: number) => Math.round(v * 10) / 10;
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { median: ms(at(0.5)), p90: ms(at(0.9)), min: ms(s[0] ?? 0), max: ms(s.at(-1) ?? 0) };
}

function cpuStats(samples: Sample[]) {
  const median = (k: keyof Sample["cpu"]) => stats(samples.map((s) => s.cpu[k])).median;
  return {
    task: median("task"),
    script: median("script"),
    style: median("style"),
    layout: median("layout"),
  };
}

// 1. Build, and weigh what ships.
const dist = path.join(ROOT, "miniapp", "dist");
await build({ configFile: path.join(ROOT, "miniapp", "vite.config.ts"), logLevel: "warn" });
const html = await readFile(path.join(dist, "index.html"), "utf8");
const initial = initialScripts(html);
const assets = await readdir(path.join(dist, "assets"));
const gz = async (f: string) =>
  gzipSync(await readFile(path.join(dist, "assets", f)), { level: 9 }).length;
const sum = async (files: string[]) =>
  (await Promise.all(files.map(gz))).reduce((a, b) => a + b, 0);
const initialGzip = await sum(initial);
const allJsGzip = await sum(assets.filter((f) => f.endsWith(".js")));
const cssGzip = await sum(assets.filter((f) => f.endsWith(".css")));

// 2. The real server, production settings, on loopback.
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env = {
  NODE_ENV: "production",
  METRICS_TOKEN: "bench-metrics-token-0123456789", // production requires one
  HOST: "127.0.0.1",
  PORT: String(port),
  PUBLIC_URL: url,
  BOT_TOKEN,
  HASH_SECRET: "bench-hash-secret-0123456789abcdef",
  LOG_LEVEL: "warn",
  DASHBOARD_MODE: "miniapp",
  RATE_LIMIT_IP_PER_MINUTE: "1000000",
};
const config = loadConfig(env);
const logger = createLogger(config.log.level);
const database = await openDatabase({ dataDir: "memory://" });
await database.migrate();
const demo: CampaignDefinition = parseCampaignDefinition(
  JSON.parse(await readFile(path.join(ROOT, "campaigns", "demo.json"), "utf8")),
  "demo",
);
const campaigns = await syncDefinitions(database.db, [demo], { chainId: config.chain.chainId });
const metrics = createMetrics({ defaultMetrics: false });
const domain: DomainContext = {
  db: database.db,
  campaigns,
  now: () => new Date(),
  attributionWindowHours: config.attributionWindowHours,
};
const { app, components } = await assemble({
  config,
  logger,
  runtime: { database, domain, close: async () => {} },
  metrics,
  env: env as NodeJS.ProcessEnv,
  components: [webComponent],
});
if (components.length === 0) throw new Error("the web component is off");
const server: Server = await new Promise((resolve) => {
  const s = app.listen(port, "127.0.0.1", () => resolve(s));
});

// 3. Chromium opens the Mini App as Telegram does; Home with the member's data is "meaningful".
const browser = await launchBrowser();
interface Sample {
  meaningful: number;
  fcp: number;
  /** The renderer's main-thread time until then (CDP Performance metrics), ms. */
  cpu: { task: number; script: number; style: number; layout: number };
}
async function measure(context: Awaited<ReturnType<typeof browser.newContext>>, i: number) {
  const page = await context.newPage();
  const initData = signInitData({
    user: { id: 90_000 + i, first_name: "Bench", language_code: "en" },
    botToken: BOT_TOKEN,
  });
  // Main-thread time is steadier than wall time on a shared machine: it says what the page
  // costs, not how long it waited for a core.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  if (PROFILE) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
  }
  await page.goto(telegramUrl(url, { initData }));
  await page.waitForFunction(() => {
    const w = window as unknown as { __meaningful?: number };
    return w.__meaningful !== undefined;
  });
  const sample = await page.evaluate(() => {
    const w = window as unknown as { __meaningful: number };
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
    return { meaningful: w.__meaningful, fcp };
  });
  const { metrics } = await cdp.send("Performance.getMetrics");
  if (PROFILE) {
    const { profile } = await cdp.send("Profiler.stop");
    await mkdir(PROFILE, { recursive: true });
    await writeFile(path.join(PROFILE, `load-${i}.cpuprofile`), JSON.stringify(profile));
  }
  const metric = (name: string) =>
    Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 10_000) / 10;
  const cpu = {
    task: metric("TaskDuration"),
    script: metric("ScriptDuration"),
    style: metric("RecalcStyleDuration"),
    layout: metric("LayoutDuration"),
  };
  await page.close();
  return { ...sample, cpu } as Sample;
}
async function prepared() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  await context.addInitScript(() => {
    // The moment the greeting and the tier (both from GET /api/me) are in the document.
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-screen="home"] [data-testid="tier-name"]')) {
        (window as unknown as { __meaningful: number }).__meaningful = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  return context;
}

const cold: Sample[] = [];
const warm: Sample[] = [];
try {
  await measure(await prepared(), 0); // the server's first request warms its caches
  for (let i = 1; i <= RUNS; i++) {
    const context = await prepared();
    cold.push(await measure(context, i));
    await context.close();
  }
  const context = await prepared();
  await measure(context, 999);
  for (let i = 1; i <= RUNS; i++) warm.push(await measure(context, 1000 + i));
  await context.close();
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const c of components) await c.stop?.();
  await database.close();
}

const result = {
  benchmark: "miniapp",
  date: new Date().toISOString(),
  machine: machine(),
  chromium: "Debian Chromium, headless, loopback, no throttling",
  size: {
    initialJsGzipKB: kb(initialGzip),
    budgetKB: BUDGET_KB,
    withinBudget: initialGzip <= BUDGET_KB * 1024,
    initialFiles: initial,
    allJsGzipKB: kb(allJsGzip),
    cssGzipKB: kb(cssGzip),
  },
  firstMeaningfulRenderMs: {
    what: "navigation start → Home shows the member's greeting and tier (profile from the API)",
    runs: RUNS,
    cold: stats(cold.map((s) => s.meaningful)),
    warm: stats(warm.map((s) => s.meaningful)),
  },
  firstContentfulPaintMs: {
    cold: stats(cold.map((s) => s.fcp)),
    warm: stats(warm.map((s) => s.fcp)),
  },
  rendererMainThreadMs: {
    what: "the page's main-thread time until the meaningful render (tasks; of which script, style, layout)",
    cold: cpuStats(cold),
    warm: cpuStats(warm),
  },
};
await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
await writeFile(
  path.join(ROOT, "bench", "results", "miniapp.json"),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
