/**
 * The dashboard end to end in headless Chromium, against the real server (production build,
 * strict CSP), a real database and a local Hardhat chain with the campaign deployed:
 *
 * - Telegram mode: opened the way Telegram opens a Mini App (init data signed with the bot
 *   token), a `startapp` code attributes the member, a wallet is linked with a real SIWE
 *   signature from an injected wallet, a payout lands on-chain and the balance shows as
 *   verified on-chain, the invite link is copied and shared, referrals show their status;
 * - tampered init data: the error page, and the server wrote nothing;
 * - website mode: a login link from the bot opens a session, the same link is refused the
 *   second time, an expired one too, and logout ends the session.
 *
 * Screens are saved as screenshots (light and dark, English and Russian) in test-artifacts/.
 * The browser suite runs on one database (PostgreSQL when TEST_DATABASE_URL is set, else
 * PGlite); the HTTP tests in web.test.ts cover both.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { getAddress, parseUnits } from "viem";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { memberWallets, referrals } from "../../server/db/schema.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import {
  issueLoginToken,
  LOGIN_TOKEN_TTL_SECONDS,
  loginLink,
} from "../../server/domain/webLogin.ts";
import { rowCounts } from "../support/db.ts";
import { testAccount } from "../support/siwe.ts";
import { signInitData, tamper } from "../support/telegram.ts";
import {
  injectWallet,
  type PageWatch,
  playTelegramClient,
  pressMainButton,
  screenshot,
  type TelegramEvent,
  type Theme,
  telegramEvents,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import type { TestChain } from "./support/chain.ts";
import {
  type DashboardBrowser,
  startDashboardStack,
  stopDashboardStack,
} from "./support/dashboardStack.ts";
import type { Stack } from "./support/stack.ts";

let db: DatabaseHandle;
let chain: TestChain;
let stack: Stack;
let browser: DashboardBrowser;
/** Added to the server's clock (to let a login link expire without waiting). */
let skewMs = 0;

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((chain, dist) => ({
    now: () => new Date(Date.now() + skewMs),
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      RPC_URL: chain.rpcUrl,
      EXPLORER_URL: "https://explorer.refmint.test",
    },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

async function telegramPage(
  user: { id: number; first_name: string; language_code?: string },
  o: { theme?: Theme; startParam?: string; wallet?: Parameters<typeof injectWallet>[1] } = {},
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    permissions: ["clipboard-read", "clipboard-write"],
  });
  await playTelegramClient(context, o.theme ?? "light");
  if (o.wallet) await injectWallet(context, o.wallet, chain.rpcUrl);
  const page = await context.newPage();
  const watch = await watchPage(page);
  const initData = signInitData({
    user: { ...user, language_code: user.language_code ?? "en" },
    startParam: o.startParam,
  });
  await page.goto(telegramUrl(stack.url, { initData, theme: o.theme, startParam: o.startParam }));
  return { context, page, watch };
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`[data-screen="${tab}"]`);
  await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
}

/**
 * No console errors or CSP violations, and no failed responses except the payout pipeline's
 * proof endpoint where this deployment runs without it (the app shows nothing to claim then).
 */
function assertClean(w: PageWatch, allowed: string[] = ["404 /api/rewards/proof"]): void {
  assert.deepEqual(w.errors, [], "no console errors or CSP violations");
  assert.deepEqual(
    w.failed.filter((f) => !allowed.includes(f)),
    [],
    "no failed requests",
  );
}

const events = async (page: Page, type: string): Promise<TelegramEvent[]> =>
  (await telegramEvents(page)).filter((e) => e.type === type);

async function memberByTelegram(id: number): Promise<MemberView> {
  return (await ensureMember(stack.domain, { id })).member;
}

test("Telegram mode: startapp attribution, SIWE wallet link, on-chain balance after a payout, invite link, referrals", async () => {
  const alice = testAccount("dash-alice");
  const bob = testAccount("dash-bob");

  // Alice opens the Mini App from Telegram.
  const a = await telegramPage({ id: 81_001, first_name: "Alice" }, { wallet: alice });
  await a.page.waitForSelector('[data-screen="home"]');
  assert.equal(await a.page.textContent('[data-testid="tier-name"]'), "Bronze");
  assert.match((await a.page.textContent(".hero")) ?? "", /Hi, Alice!/);
  const started = (await telegramEvents(a.page)).map((e) => e.type);
  assert.ok(started.includes("web_app_ready"), "told Telegram it is ready");
  assert.ok(
    started.includes("web_app_request_theme") || started.includes("web_app_request_viewport"),
  );
  assert.ok(
    (await events(a.page, "web_app_setup_swipe_behavior")).length > 0,
    "vertical swipes do not close the app",
  );
  // Bound theme variables come from Telegram's palette.
  assert.equal(
    await a.page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--tg-theme-button-color").trim(),
    ),
    "#2481cc",
  );

  // Link a wallet with Sign-In with Ethereum from the injected wallet.
  await openTab(a.page, "wallet");
  const back = await events(a.page, "web_app_setup_back_button");
  assert.equal(back.at(-1)?.params?.is_visible, true, "the back button shows off the home tab");
  await a.page.click('[data-testid="connect-dev.refmint.test-wallet"]');
  await a.page.waitForSelector('[data-testid="linked-address"]');
  assert.equal(await a.page.textContent('[data-testid="linked-address"]'), alice.address);
  const [link] = await db.db
    .select()
    .from(memberWallets)
    .where(eq(memberWallets.address, getAddress(alice.address)));
  assert.ok(link, "the server linked the wallet");
  const aliceMember = await memberByTelegram(81_001);
  assert.equal(link.memberId, aliceMember.id);
  await screenshot(a.page, "wallet-light-en");

  // A payout lands on-chain; Home reads the balance from the chain itself.
  await openTab(a.page, "home");
  assert.equal(
    (await events(a.page, "web_app_setup_back_button")).at(-1)?.params?.is_visible,
    false,
  );
  await a.page.waitForSelector('[data-testid="verified-REF"]');
  assert.equal(await a.page.textContent('[data-testid="balance-REF"]'), "0 REF");
  await chain.pay("REF", [
    {
      payoutId: 1n,
      recipient: alice.address,
      amount: parseUnits("12.5", 18),
      referee: 2n,
      level: 1,
    },
  ]);
  assert.equal(await chain.balanceOf("REF", alice.address), parseUnits("12.5", 18));
  // The page picks up changes when it regains focus (as after switching back from a wallet).
  await a.page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await a.page.waitForFunction(
    () => document.querySelector('[data-testid="balance-REF"]')?.textContent === "12.5 REF",
  );
  assert.match(
    (await a.page.textContent('[data-testid="verified-REF"]')) ?? "",
    /verified on-chain/,
  );
  const contract = await a.page.getAttribute('[data-token="REF"] .contract a', "href");
  assert.equal(
    contract,
    `https://explorer.refmint.test/token/${chain.deployment.tokens.REF?.token}?a=${alice.address}`,
  );
  await screenshot(a.page, "home-light-en");

  // Invite: copy the tracked link, share through Telegram with the main button.
  await openTab(a.page, "invite");
  const code = await a.page.textContent('[data-testid="invite-code"]');
  assert.equal(code, aliceMember.code);
  await a.page.click('[data-testid="copy-redirect"]');
  await a.page.waitForSelector('[data-testid="toast"]');
  assert.equal(
    await a.page.evaluate(() => navigator.clipboard.readText()),
    `${stack.url}/r/${aliceMember.code}`,
  );
  assert.ok(
    (await events(a.page, "web_app_trigger_haptic_feedback")).some(
      (e) => e.params?.notification_type === "success",
    ),
    "haptic feedback on copy",
  );
  const main = (await events(a.page, "web_app_setup_main_button")).at(-1);
  assert.equal(main?.params?.is_visible, true);
  assert.equal(main?.params?.text, "Share invite link");
  await pressMainButton(a.page);
  const shared = (await events(a.page, "web_app_open_tg_link")).at(-1);
  assert.match(String(shared?.params?.path_full), /^\/share\/url\?url=/);
  assert.ok(
    decodeURIComponent(String(shared?.params?.path_full)).includes(`/r/${aliceMember.code}`),
  );
  await a.page.waitForSelector('[data-testid="qr"]');
  await screenshot(a.page, "invite-light-en");

  // Bob opens Alice's Mini App link: start_param attributes him, once.
  const b = await telegramPage(
    { id: 81_002, first_name: "Bob", language_code: "ru" },
    { startParam: aliceMember.code, wallet: bob, theme: "dark" },
  );
  await b.page.waitForSelector('[data-screen="home"]');
  assert.match((await b.page.textContent(".hero")) ?? "", /Привет, Bob!/);
  const bobMember = await memberByTelegram(81_002);
  await b.page.waitForFunction(async () => true);
  let attributed: (typeof referrals.$inferSelect)[] = [];
  for (let i = 0; i < 50 && attributed.length === 0; i++) {
    attributed = await db.db.select().from(referrals).where(eq(referrals.refereeId, bobMember.id));
    if (attributed.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(attributed[0]?.referrerId, aliceMember.id);
  assert.equal(attributed[0]?.source, "startapp");
  assert.equal(attributed[0]?.status, "pending");

  // Bob links his wallet: the campaign's qualifying action.
  await openTab(b.page, "wallet");
  await b.page.click('[data-testid="connect-dev.refmint.test-wallet"]');
  await b.page.waitForSelector('[data-testid="linked-address"]');
  await screenshot(b.page, "wallet-dark-ru");

  // Alice sees Bob among her referrals, qualified, and her funnel.
  await openTab(a.page, "referrals");
  await a.page.waitForSelector(`[data-referral="${attributed[0]?.id}"]`);
  assert.equal(
    await a.page.getAttribute(`[data-referral="${attributed[0]?.id}"]`, "data-status"),
    "qualified",
  );
  assert.match((await a.page.textContent('[data-step="qualified"]')) ?? "", /^1/);
  await screenshot(a.page, "referrals-light-en");
  await openTab(a.page, "rewards");
  await a.page.waitForSelector("[data-reward]");
  // Alice's level-1 reward for Bob, granted when he qualified, on its way to her wallet.
  assert.match(
    (await a.page.getAttribute("[data-reward]", "data-state")) ?? "",
    /^(pending|queued)$/,
  );
  await screenshot(a.page, "rewards-light-en");

  // The remaining screens in dark Russian, as Bob sees them.
  for (const tab of ["home", "invite", "referrals", "rewards"]) {
    await openTab(b.page, tab);
    await screenshot(b.page, `${tab}-dark-ru`);
  }
  assertClean(a.watch);
  assertClean(b.watch);
  await a.context.close();
  await b.context.close();
});

test("screens in the other theme and language combinations", async () => {
  for (const [theme, lang] of [
    ["dark", "en"],
    ["light", "ru"],
  ] as const) {
    const p = await telegramPage(
      { id: 81_001, first_name: "Alice", language_code: lang },
      { theme },
    );
    await p.page.waitForSelector('[data-screen="home"]');
    for (const tab of ["home", "invite", "referrals", "rewards", "wallet"]) {
      await openTab(p.page, tab);
      await screenshot(p.page, `${tab}-${theme}-${lang}`);
    }
    assert.equal(
      await p.page.getAttribute(".app", "data-lang"),
      lang,
      "the app follows Telegram's language",
    );
    assertClean(p.watch);
    await p.context.close();
  }
});

test("the first screen's profile is asked for before the app renders, for the campaign the start parameter names", async () => {
  const slug = stack.domain.campaigns.all()[0]!.slug;
  const zed = await memberByTelegram(81_700);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  // Each profile request with what React had rendered into #root when it was made.
  await context.addInitScript(() => {
    const asks: Array<{ url: string; rendered: number }> = [];
    (window as unknown as { __profileAsks: typeof asks }).__profileAsks = asks;
    const original = window.fetch;
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const url = String(input instanceof Request ? input.url : input);
      if (/\/api\/me(\?|$)/.test(url))
        asks.push({ url, rendered: document.getElementById("root")?.childElementCount ?? -1 });
      return original.call(this, input, init);
    } as typeof fetch;
  });
  const page = await context.newPage();
  const watch = await watchPage(page);
  const startParam = `${zed.code}__${slug}`;
  const initData = signInitData({
    user: { id: 81_701, first_name: "Yara", language_code: "en" },
    startParam,
  });
  await page.goto(telegramUrl(stack.url, { initData, startParam }));
  await page.waitForSelector('[data-screen="home"] [data-testid="tier-name"]');
  const asks = await page.evaluate(
    () =>
      (window as unknown as { __profileAsks: Array<{ url: string; rendered: number }> })
        .__profileAsks,
  );
  assert.ok(asks.length >= 1, "the profile was requested");
  assert.ok(
    asks[0]!.url.endsWith(`/api/me?campaign=${slug}`),
    `the first request names the start parameter's campaign: ${asks[0]!.url}`,
  );
  assert.equal(asks[0]!.rendered, 0, "asked before React rendered anything");
  assert.match((await page.textContent(".hero")) ?? "", /Hi, Yara!/);
  assertClean(watch);
  await context.close();
});

test("tampered init data: the error page, and the server wrote nothing", async () => {
  const before = await rowCounts(db);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const page = await context.newPage();
  const genuine = signInitData({
    user: { id: 81_099, first_name: "Mallory", language_code: "en" },
  });
  // Claims to be someone else without re-signing.
  const forged = tamper(genuine, "user", JSON.stringify({ id: 81_001, first_name: "Alice" }));
  await page.goto(telegramUrl(stack.url, { initData: forged }));
  await page.waitForSelector('[data-state="fatal"]');
  assert.equal(
    await page.getAttribute('[data-state="fatal"]', "data-problem"),
    "init_data_invalid",
  );
  assert.match((await page.textContent('[data-state="fatal"]')) ?? "", /did not pass the check/);
  await screenshot(page, "error-light-en");
  assert.deepEqual(await rowCounts(db), before, "nothing was written");
  await context.close();
});

test("website mode: a login link from the bot opens a session once; expired links refused; logout ends it", async () => {
  const dana = (
    await ensureMember(stack.domain, { id: 81_010, firstName: "Dana", languageCode: "ru" })
  ).member;
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const watch = await watchPage(page);

  // Without a session: the login page explains how to get a link.
  await page.goto(`${stack.url}/`);
  await page.waitForSelector('[data-screen="login"]');
  assert.match((await page.textContent('[data-screen="login"]')) ?? "", /@refmint_test_bot/);
  await screenshot(page, "login-light-en");

  // The bot's /login link (server/domain/webLogin.ts, as the bot sends it).
  const { token } = await issueLoginToken(stack.domain, dana.id);
  const link = loginLink(stack.config.dashboard.url, token);
  await page.goto(link);
  await page.waitForSelector('[data-screen="home"]');
  assert.equal(new URL(page.url()).hash, "", "the token left the address bar");
  assert.equal(new URL(page.url()).pathname, "/");
  assert.match((await page.textContent(".hero")) ?? "", /Привет, Dana!/, "the member's language");
  const [cookie] = await context.cookies();
  assert.equal(cookie?.name, "refmint_session");
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, "Strict");
  assert.equal(await page.evaluate(() => document.cookie), "", "scripts cannot read it");
  await page.reload();
  await page.waitForSelector('[data-screen="home"]');
  await screenshot(page, "home-web-light-ru");

  // The same link again, in another browser: refused.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await second.waitForSelector('[data-problem="login_link_used"]');
  assert.match((await second.textContent('[data-screen="login"]')) ?? "", /already used/);
  await other.close();

  // An expired link: refused.
  const { token: stale } = await issueLoginToken(stack.domain, dana.id);
  skewMs = (LOGIN_TOKEN_TTL_SECONDS + 1) * 1000; // the server's clock moves past its expiry
  const third = await (await browser.newContext()).newPage();
  await third.goto(loginLink(stack.config.dashboard.url, stale));
  await third.waitForSelector('[data-problem="login_link_expired"]');
  await third.context().close();
  skewMs = 0;

  // Logout ends the session on the server, not only in this tab.
  const secret = cookie?.value ?? "";
  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-screen="login"]');
  const res = await fetch(`${stack.url}/api/me`, {
    headers: { cookie: `refmint_session=${secret}` },
  });
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { code: string }).code, "session_invalid");
  await page.reload();
  await page.waitForSelector('[data-screen="login"]');
  // Logged out, the profile request is a 401: that is how the page knows to show the login.
  assertClean(watch, ["401 /api/me", "404 /api/rewards/proof"]);
  await context.close();
});
