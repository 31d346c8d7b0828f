/**
 * WalletConnect in the dashboard (offered when WALLETCONNECT_PROJECT_ID is set), in Chromium
 * against the real server. There is no internet here, so the WalletConnect relay is a
 * stand-in inside the browser (Playwright's WebSocket routing) that acknowledges every JSON-RPC call the
 * client makes; what is checked is ours: the option is offered, its code is loaded before the
 * tap (wallet deep links only open from a synchronous tap), the pairing URI the client
 * creates is shown as a QR code and a link, the client talks to the relay with the project id,
 * and the page's CSP lets it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { DATABASE_KINDS, openTestDatabase } from "../support/db.ts";
import { signInitData } from "../support/telegram.ts";
import { launchBrowser, playTelegramClient, telegramUrl, watchPage } from "./support/browser.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1] ?? "pglite";
let db: DatabaseHandle;
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

before(async () => {
  const [dist, d, b] = await Promise.all([
    dashboardBuild(),
    openTestDatabase(kind),
    launchBrowser(),
  ]);
  db = d;
  browser = b;
  stack = await startStack(undefined, db, {
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      WALLETCONNECT_PROJECT_ID: PROJECT_ID,
    },
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.close();
});

test("WalletConnect: offered inside Telegram, loaded before the tap, pairing shown as QR code and link", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const relayCalls: string[] = [];
  const relayUrls: string[] = [];
  await context.routeWebSocket(/relay\.walletconnect\.(org|com)/, (ws) => {
    relayUrls.push(ws.url());
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; method?: string };
      if (call.id === undefined || call.method === undefined) return;
      relayCalls.push(call.method);
      const result = call.method.endsWith("ubscribe") ? `sub-${call.id}` : true;
      ws.send(JSON.stringify({ id: call.id, jsonrpc: "2.0", result }));
    });
  });
  // The verify and event endpoints: answered empty, as an offline stand-in.
  await context.route(/walletconnect\.(org|com)/, (route) =>
    route.fulfill({ status: 204, body: "" }),
  );
  const page = await context.newPage();
  const watch = await watchPage(page);
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
  });
  const initData = signInitData({
    user: { id: 82_001, first_name: "Wendy", language_code: "en" },
  });
  await page.goto(telegramUrl(stack.url, { initData }));
  await page.waitForSelector('[data-screen="home"]');
  await page.click("#tab-wallet");
  await page.waitForSelector('[data-testid="connect-walletconnect"]');
  // The client starts when the screen opens; the tap must not need to download anything.
  await page.waitForLoadState("networkidle");
  const loadedBeforeTap = new Set(scripts);

  await page.click('[data-testid="connect-walletconnect"]');
  await page.waitForSelector('[data-testid="walletconnect-pairing"] img');
  const href = await page.getAttribute('a[href^="wc:"]', "href");
  assert.ok(href, "a link the wallet app opens");
  assert.match(href, /^wc:[0-9a-f]{64}@2\?.*symKey=[0-9a-f]{64}/, "a WalletConnect v2 pairing URI");
  assert.match(href, /relay-protocol=irn/);
  assert.deepEqual(
    scripts.filter((s) => !loadedBeforeTap.has(s)),
    [],
    "no code was downloaded in the tap",
  );
  assert.ok(
    relayUrls.some((u) => u.includes(`projectId=${PROJECT_ID}`)),
    "the relay is asked with the project id",
  );
  // The client announces the pairing to the relay (a session proposal, or a subscription to
  // the pairing topic in older protocol versions).
  assert.ok(
    relayCalls.some((m) => m === "wc_proposeSession" || m.endsWith("ubscribe")),
    `the relay heard of the pairing: ${relayCalls.join(", ")}`,
  );
  // The relay and its endpoints are allowed by the page's CSP (violations are recorded).
  assert.deepEqual(
    watch.errors.filter((e) => e.startsWith("CSP")),
    [],
  );
  await context.close();
});

test("without a project id the page's CSP allows no WalletConnect origin", async () => {
  const { contentSecurityPolicy } = await import("../../server/web/csp.ts");
  const without = contentSecurityPolicy({ mode: "miniapp", dev: false });
  const withWc = contentSecurityPolicy({ mode: "miniapp", dev: false, walletConnect: true });
  assert.doesNotMatch(without, /walletconnect/);
  assert.match(withWc, /connect-src [^;]*wss:\/\/relay\.walletconnect\.org/);
  assert.match(withWc, /frame-src [^;]*https:\/\/verify\.walletconnect\.org/);
  const served = (await fetch(`${stack.url}/`)).headers.get("content-security-policy");
  assert.match(served ?? "", /wss:\/\/relay\.walletconnect\.org/, "served with the project id set");
});
