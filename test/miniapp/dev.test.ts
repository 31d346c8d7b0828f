/**
 * `npm run dev`'s dashboard: the web component in development serves the app through Vite's
 * dev middleware on the API's origin (hot reload over the same server), and its banner gives
 * the two ways in. Both are opened in Chromium: the Mini App inside the mocked Telegram
 * environment (init data signed by the dev server, checked by the API's real validation) and
 * the website through the banner's single-use login link.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { openTestDatabase } from "../support/db.ts";
import { launchBrowser, watchPage } from "./support/browser.ts";
import { type Stack, startStack } from "./support/stack.ts";

let db: DatabaseHandle;
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

before(async () => {
  [db, browser] = await Promise.all([openTestDatabase("pglite"), launchBrowser()]);
  stack = await startStack(undefined, db, {
    // As `npm run dev` without a bot: the random token, so the development helpers are on.
    env: { NODE_ENV: "development", DASHBOARD_MODE: "miniapp", BOT_TOKEN: "" },
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
