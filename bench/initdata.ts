/**
 * `npm run bench:initdata`: what Telegram init data validation costs per request, with
 * @tma.js/init-data-node's `validate` (what the server uses) against a hand-written copy of
 * the same HMAC check (prepared key object, one pass over the fields; the server used it
 * before), each followed by the same date checks and user parsing, and against a hit of the
 * per-string cache that `tmaResolver` keeps (a Mini App sends the same init data with every
 * request of a session, so only a session's first request validates).
 *
 * The answer is put in terms of the API's target: `GET /api/me` throughput from
 * bench/results/api.json, and what share of it the slower check would cost if every request
 * validated (no cache) and with one validation per session of `BENCH_SESSION_REQUESTS`
 * requests. Writes bench/results/initdata.json. Knobs: BENCH_ROUNDS (7), BENCH_CALLS (20000).
 */
import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashToken, sign } from "@tma.js/init-data-node";
import { createInitDataVerifier } from "../server/http/auth.ts";
import { machine } from "./machine.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const SESSION_REQUESTS = Number(process.env.BENCH_SESSION_REQUESTS ?? 5);
const BOT_TOKEN = "7000000001:AAHbenchTOKENforREFMINTapiBENCHMARKonly_99";
const MAX_AGE = 86_400;

/** The hand-written check the server had: the baseline. */
function handVerifier(botToken: string) {
  const key = createSecretKey(hashToken(botToken));
  return (raw: string, now: Date) => {
    const params = new URLSearchParams(raw);
    let hash: string | undefined;
    const lines: string[] = [];
    for (const [k, v] of params) {
      if (k === "hash") hash = v;
      else lines.push(`${k}=${v}`);
    }
    if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) return "invalid";
    lines.sort();
    const expected = createHmac("sha256", key).update(lines.join("\n")).digest();
    if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) return "invalid";
    const authDate = new Date(Number(params.get("auth_date")) * 1000);
    if (now.getTime() - authDate.getTime() > MAX_AGE * 1000) return "expired";
    return { params, authDate };
  };
}

// Distinct init data strings, as distinct sessions would send (signed beforehand).
const now = new Date();
const samples = Array.from({ length: 2_000 }, (_, i) =>
  sign(
    {
      user: {
        id: 1_000_000 + i,
        first_name: `Bench${i}`,
        username: `bench_${i}`,
        language_code: "en",
      },
      query_id: `AAH-${i}`,
      chat_instance: "-100",
      chat_type: "sender",
      start_param: "abcdefghij",
    },
    BOT_TOKEN,
    new Date(now.getTime() - 60_000),
  ),
);

const library = createInitDataVerifier(BOT_TOKEN);
const hand = handVerifier(BOT_TOKEN);
const cache = new Map(samples.map((s) => [s, { authDate: now }]));
const contenders: Record<string, (raw: string) => unknown> = {
  library: (raw) => library(raw, MAX_AGE, now),
  hand: (raw) => hand(raw, now),
  // What a repeat request of a session costs instead: a map look-up and the age check.
  cacheHit: (raw) => {
    const known = cache.get(raw)!;
    return now.getTime() - known.authDate.getTime() > MAX_AGE * 1000;
  },
};
for (const [name, f] of Object.entries(contenders)) {
  const r = f(samples[0]!);
  if (r === "invalid" || r === "expired" || r === true)
    throw new Error(`${name} refused good data`);
}

/** CPU microseconds per call: the median of ROUNDS rounds, contenders interleaved round by round. */
const timings: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, f] of Object.entries(contenders)) {
    // CPU time, not wall time: the machine is shared, and a request costs CPU.
    const start = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) f(samples[i % samples.length]!);
    const used = process.cpuUsage(start);
    const us = (used.user + used.system) / CALLS;
    if (round === 0) continue; // round 0 warms the JIT up
    const list = timings[name] ?? [];
    list.push(us);
    timings[name] = list;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perCallUs = Object.fromEntries(
  Object.entries(timings).map(([k, v]) => [k, Math.round(median(v) * 100) / 100]),
);

// The API's figure: GET /api/me requests per second (one core serves them), PGlite run.
const api = JSON.parse(await readFile(path.join(ROOT, "bench/results/api.json"), "utf8")) as {
  date: string;
  results: Array<{ name: string; requestsPerSec: number; ratioToHello?: number }>;
};
const me = api.results.find((r) => r.name.includes("GET /api/me"))!;
const budgetUs = 1e6 / me.requestsPerSec;
const extraUs = perCallUs.library! - perCallUs.hand!;
const share = (validationsPerRequest: number) =>
  Math.round(((extraUs * validationsPerRequest) / budgetUs) * 1000) / 10;
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  settings: {
    rounds: ROUNDS,
    calls: CALLS,
    sessionRequests: SESSION_REQUESTS,
    distinctInitData: samples.length,
  },
  perCallUs,
  api: {
    from: `bench/results/api.json (${api.date})`,
    name: me.name,
    requestsPerSec: me.requestsPerSec,
    budgetUsPerRequest: Math.round(budgetUs),
  },
  libraryExtraUsPerValidation: Math.round(extraUs * 100) / 100,
  /** % of /api/me's per-request time the library's extra cost would take. */
  libraryCostShareOfApiPercent: {
    everyRequestValidates: share(1),
    oneValidationPerSession: share(1 / SESSION_REQUESTS),
  },
};
await writeFile(
  path.join(ROOT, "bench/results/initdata.json"),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
console.log("wrote bench/results/initdata.json");
