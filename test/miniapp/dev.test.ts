/**
 * `npm run dev`'s dashboard: the web component in development serves the app through Vite's
 * dev middleware on the API's origin (hot reload over the same server), and its banner gives
 * the two ways in. Both are opened in Chromium: the Mini App inside the mocked Telegram
 * environment (init data signed by the dev server, checked by the API's real validation) and
 * the website through the banner's single-use login link. The stack runs the shipped demo
 * campaign (campaigns/demo.json, as `npm run dev` does): its Challenges screen is populated.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { parseCampaignDefinition } from "../../server/domain/campaign.ts";
import { openTestDatabase } from "../support/db.ts";
import { launchBrowser, watchPage } from "./support/browser.ts";
import { type Stack, startStack } from "./support/stack.ts";

let db: DatabaseHandle;
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

before(async () => {
  [db, browser] = await Promise.all([openTestDatabase("pglite"), launchBrowser()]);
  const demo = parseCampaignDefinition(
    JSON.parse(await readFile(new URL("../../campaigns/demo.json", import.meta.url), "utf8")),
    "campaigns/demo.json",
  );
  stack = await startStack(undefined, db, {
    // As `npm run dev` without a bot: the random token, so the development helpers are on.
    env: { NODE_ENV: "development", DASHBOARD_MODE: "miniapp", BOT_TOKEN: "" },
    campaigns: [demo],
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.close();
});

test("development serves the app through Vite with hot reload, the runtime config written in", async () => {
  const res = await fetch(`${stack.url}/`, { headers: { accept: "text/html" } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /\/@vite\/client/, "Vite's HMR client is injected");
  assert.match(html, /src="\/src\/main\.tsx"/);
  assert.match(html, /<script id="refmint-config" type="application\/json">/);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /connect-src 'self' ws: wss:/, "the HMR websocket is allowed in development");
  const client = await fetch(`${stack.url}/@vite/client`);
  assert.equal(client.status, 200);
  assert.match(await client.text(), /hot|hmr/i);
});

test("Vite's file server serves the app, never the rest of the repository", async (t) => {
  const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
  // Stand-ins for what a checkout holds there: the embedded database's files, a key file.
  const dataFile = path.join(root, ".data", `vite-fs-test-${process.pid}`, "PG_VERSION");
  const keyFile = path.join(root, "secrets", `vite-fs-test-${process.pid}.json`);
  for (const f of [dataFile, keyFile]) {
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, "SECRET-CONTENT");
  }
  t.after(async () => {
    await rm(path.dirname(dataFile), { recursive: true, force: true });
    await rm(keyFile, { force: true });
  });
  const get = (p: string) => fetch(`${stack.url}${p}`);
  for (const p of [
    `/@fs${root}/server/config.ts`,
    `/@fs${root}/package.json`,
    `/@fs${dataFile}`,
    `/@fs${keyFile}`,
    `/@fs${root}/deployments/31337/demo.json`,
    "/@fs/etc/passwd",
    "/../server/config.ts",
    "/%2e%2e/server/config.ts",
    `/@fs${root}/miniapp/../server/config.ts`,
  ]) {
    const res = await get(p);
    const body = await res.text();
    assert.ok(res.status === 403 || res.status === 404, `${p}: ${res.status}`);
    assert.doesNotMatch(body, /SECRET-CONTENT|Every server setting|root:x:0|"name": "refmint"/, p);
  }
  // What the dashboard needs still loads: its sources, Vite's client, packages.
  assert.equal((await get("/src/main.tsx")).status, 200);
  assert.equal((await get(`/@fs${root}/miniapp/src/main.tsx`)).status, 200);
  assert.equal((await get("/@vite/client")).status, 200);
});

test("the banner's two ways in: the mocked Mini App and the website's login link", async () => {
  const web = stack.components.find((c) => c.name === "web");
  const lines = web?.banner?.() ?? [];
  const miniApp = lines.join("\n").match(/Mini App\s+(\S+)/)?.[1];
  const website = lines.join("\n").match(/website\s+(\S+)/)?.[1];
  assert.ok(miniApp?.includes("tgWebAppMock=1"), lines.join("\n"));
  assert.match(website ?? "", /\/login#token=[\w-]{43}$/);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(`${miniApp}&lang=ru&theme=dark`);
  await page.waitForSelector('[data-screen="home"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute(".app", "data-mode"), "telegram");
  assert.match((await page.textContent(".hero")) ?? "", /Привет, Demo!/);
  // Reloading keeps the mocked environment (and fetches fresh signed init data).
  await page.reload();
  await page.waitForSelector('[data-screen="home"]', { timeout: 60_000 });
  assert.deepEqual(watch.errors, []);

  const site = await (await browser.newContext()).newPage();
  await site.goto(website ?? "");
  await site.waitForSelector('[data-screen="home"]', { timeout: 60_000 });
  assert.equal(await site.getAttribute(".app", "data-mode"), "web");
  // The demo member last came from the (mocked) Telegram in Russian: the website follows.
  assert.match((await site.textContent(".hero")) ?? "", /Привет, Demo!/);
  await site.context().close();
  await context.close();
});

test("the demo campaign's challenges on the Challenges screen of the mocked Mini App", async () => {
  const web = stack.components.find((c) => c.name === "web");
  const miniApp = (web?.banner?.() ?? []).join("\n").match(/Mini App\s+(\S+)/)?.[1];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(`${miniApp}&lang=en&theme=light`);
  await page.waitForSelector('[data-screen="home"]', { timeout: 60_000 });
  await page.click('[data-testid="open-challenges"]');
  await page.waitForSelector('[data-screen="challenges"] [data-challenge]', { timeout: 60_000 });
  const listed = await page.$$eval("[data-challenge]", (rows) =>
    rows.map((r) => [r.getAttribute("data-challenge"), r.getAttribute("data-state")]),
  );
  assert.deepEqual(listed, [
    ["join-community", "open"],
    ["invite-3", "open"],
    ["link-wallet", "open"],
    ["daily-checkin", "open"],
    ["streak-7", "open"],
    ["answer-survey", "open"],
  ]);
  assert.match(
    (await page.textContent('[data-challenge="invite-3"]')) ?? "",
    /Invite 3 friends who qualify.*10 ACT/,
  );
  assert.equal(await page.locator('[data-testid="checkin"]').count(), 1);
  assert.deepEqual(watch.errors, []);
  await context.close();
});
