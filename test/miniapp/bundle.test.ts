/**
 * The production build: what ships to members. The dev-only mocked Telegram environment
 * (and the endpoint it calls) must be absent; the first load must stay within the JS budget
 * with the other pages split into lazy chunks.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { DICTIONARIES } from "../../miniapp/src/i18n/locales.ts";
import { isShellKey } from "../../miniapp/src/i18n/shell.ts";
import { dashboardBuild, initialScripts } from "./support/build.ts";

const dist = await dashboardBuild();
const assets = readdirSync(path.join(dist, "assets"));
const js = assets.filter((f) => f.endsWith(".js"));
const read = (f: string) => readFileSync(path.join(dist, "assets", f), "utf8");

test("the mocked Telegram environment never ships", () => {
  const everything = js.map(read).join("\n") + readFileSync(path.join(dist, "index.html"), "utf8");
  for (const needle of [
    "__dev/telegram-init-data",
    "tgWebAppMock",
    "mockTelegramIfAsked",
    "refmint:dev-telegram-mock",
  ])
    assert.ok(!everything.includes(needle), `the build contains ${needle}`);
  assert.ok(!assets.some((f) => /mock/i.test(f)), "no mock chunk");
  // The SDK's own mocking helper is tree-shaken away with it.
  assert.ok(!everything.includes("Environment was mocked"), "mockTelegramEnv is in the build");
});

// The member's first load (issue 15 holds it at today's figure while the console and the
// loyalty screens land): the entry script and what index.html preloads, gzip level 9.
const INITIAL_BUDGET_KB = 84;

test(`initial JS within ${INITIAL_BUDGET_KB} KB gzip; the other pages and viem are lazy chunks`, () => {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const initial = initialScripts(html);
  assert.ok(initial.length >= 1);
  const gzip = initial.reduce((sum, f) => sum + gzipSync(read(f), { level: 9 }).length, 0);
  assert.ok(gzip <= INITIAL_BUDGET_KB * 1024, `initial JS is ${gzip} bytes gzip`);
  for (const page of [
    "Invite",
    "Referrals",
    "Rewards",
    "Wallet",
    "Login",
    "Leaderboard",
    "Challenges",
  ])
    assert.ok(
      js.some((f) => f.startsWith(`${page}-`) && !initial.includes(f)),
      `${page} is a lazy chunk`,
    );
  // Reading the chain pulls viem: that must not be in the first load.
  const entry = initial.map(read).join("\n");
  assert.ok(!entry.includes("eth_getBalance") && !entry.includes("waitForTransactionReceipt"));
  // The admin console is a chunk of its own: none of its code or texts in the first load.
  assert.ok(
    js.some((f) => f.startsWith("AdminApp-") && !initial.includes(f)),
    "the admin console is a lazy chunk",
  );
  assert.ok(!entry.includes("admin.nav.overview") && !entry.includes("/api/admin/"));
  // The console's chart library (uPlot) is a chunk of its own that its charts import on first
  // draw: neither in the member's first load nor in the console's own chunk.
  const withChart = js.filter((f) => read(f).includes("u-over"));
  assert.equal(withChart.length, 1, `uPlot in one chunk: ${withChart.join(", ")}`);
  assert.ok(
    !initial.includes(withChart[0]!) && !withChart[0]!.startsWith("AdminApp-"),
    `uPlot is lazy: ${withChart[0]}`,
  );
});

test("the first bundle carries only the shell's messages, and names no other key", () => {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const entry = initialScripts(html).map(read).join("\n");
  for (const [lang, dictionary] of Object.entries(DICTIONARIES)) {
    for (const [key, message] of Object.entries(dictionary)) {
      const text = typeof message === "string" ? message : Object.values(message)[0];
      // A key the first screen renders must come with it: otherwise Home shows the raw key.
      // (the minifier quotes strings with any of the three quotes)
      if (['"', "'", "`"].some((q) => entry.includes(`${q}${key}${q}`)))
        assert.ok(isShellKey(key), `the first bundle uses ${key}: add its prefix to the shell`);
      // And the rest stays out (both languages' long texts are what made it grow).
      if (!isShellKey(key) && text && text.length > 24)
        assert.ok(
          !entry.includes(JSON.stringify(text).slice(1, -1)),
          `${lang} ${key} ships at once`,
        );
    }
  }
  assert.ok(js.some((f) => f.startsWith("locales-") && !initialScripts(html).includes(f)));
});
