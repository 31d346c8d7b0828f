/**
 * Accessibility of the dashboard, checked by axe-core in headless Chromium on every screen,
 * in both modes (Telegram and website), both themes and both languages, on a phone and on a
 * desktop-sized window:
 *
 * - no serious or critical axe violations (WCAG 2 A/AA rules, contrast included);
 * - the document's `lang` follows the member's language;
 * - the tab bar is a tablist whose tabs carry `aria-selected`;
 * - every screen has a first-level heading, and no tab label is cut off;
 * - the website allows zooming (a Mini App inside Telegram does not need to);
 * - on a desktop-sized website window the navigation sits at the side, not at the bottom;
 * - the page has a favicon and an app icon that are served.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { signInitData } from "../support/telegram.ts";
import {
  playTelegramClient,
  screenshot,
  seriousViolations,
  type Theme,
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

const TABS = ["home", "invite", "referrals", "rewards", "wallet"] as const;

let db: DatabaseHandle;
let chain: TestChain;
let stack: Stack;
let browser: DashboardBrowser;

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((chain, dist) => ({
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      RPC_URL: chain.rpcUrl,
      EXPLORER_URL: "https://explorer.refmint.test",
    },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`[data-screen="${tab}"]`);
  await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
}

/** Walks every tab and checks what every screen must have; returns the violations found. */
async function auditScreens(page: Page, label: string, lang: string): Promise<string[]> {
  const found: string[] = [];
  for (const tab of TABS) {
    await openTab(page, tab);
    // Let lazy images, QR codes and transitions settle before the contrast check.
    await page.waitForTimeout(150);
    for (const v of await seriousViolations(page)) found.push(`${label} ${tab}: ${v}`);
    assert.equal(
      await page.evaluate(() => document.documentElement.lang),
      lang,
      `${label} ${tab}: <html lang> follows the language`,
    );
    assert.ok(
      (await page.locator(`[data-screen="${tab}"] h1`).count()) >= 1,
      `${label} ${tab}: the screen has a first-level heading`,
    );
    assert.equal(
      await page.locator('nav[role="tablist"], .tabbar[role="tablist"]').count(),
      1,
      `${label} ${tab}: the navigation is one tablist`,
    );
    assert.equal(
      await page.getAttribute(`#tab-${tab}`, "aria-selected"),
      "true",
      `${label} ${tab}: the current tab is selected`,
    );
    assert.equal(
      await page.locator('.tabbar [role="tab"][aria-selected="false"]').count(),
      TABS.length - 1,
      `${label} ${tab}: the other tabs are not`,
    );
    assert.deepEqual(
      await page
        .locator(".tabbar [role='tab'] span")
        .evaluateAll((els) =>
          els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
        ),
      [],
      `${label} ${tab}: no tab label is cut off`,
    );
    await screenshot(page, `a11y-${label}-${tab}`);
  }
  return found;
}

test("Telegram mode: every screen in both themes and languages has no serious axe violation", async () => {
  const found: string[] = [];
  for (const [theme, lang] of [
    ["light", "en"],
    ["dark", "ru"],
  ] as [Theme, string][]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await playTelegramClient(context, theme);
    const page = await context.newPage();
    const watch = await watchPage(page);
    const initData = signInitData({
      user: { id: 82_001, first_name: "Ada", language_code: lang },
    });
    await page.goto(telegramUrl(stack.url, { initData, theme }));
    await page.waitForSelector('[data-screen="home"]');
    found.push(...(await auditScreens(page, `tma-${theme}-${lang}`, lang)));
    assert.deepEqual(watch.errors, [], "no console errors or CSP violations");
    await context.close();
  }
  assert.deepEqual(found, [], "no serious or critical accessibility violations");
});

test("website mode: zoom allowed, navigation at the side on a desktop, icons served, no serious axe violation", async () => {
  const member = (
    await ensureMember(stack.domain, { id: 82_010, firstName: "Lin", languageCode: "en" })
  ).member;
  const found: string[] = [];
  for (const [theme, lang, width] of [
    ["light", "en", 1280],
    ["dark", "ru", 1280],
    ["light", "ru", 390],
  ] as [Theme, string, number][]) {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      colorScheme: theme,
      locale: lang,
    });
    const page = await context.newPage();
    const watch = await watchPage(page);
    // The website follows the member's own language once signed in: set it for this pass.
    await ensureMember(stack.domain, { id: 82_010, firstName: "Lin", languageCode: lang });
    const { token } = await issueLoginToken(stack.domain, member.id);
    await page.goto(loginLink(stack.config.dashboard.url, token));
    await page.waitForSelector('[data-screen="home"]');

    const viewport = (await page.getAttribute('meta[name="viewport"]', "content")) ?? "";
    assert.doesNotMatch(viewport, /user-scalable=no|maximum-scale=1/, "the website can zoom");
    const nav = await page.locator('.tabbar[role="tablist"]').boundingBox();
    assert.ok(nav, "the navigation is visible");
    if (width >= 1024) {
      assert.ok(nav.x < 20 && nav.height > nav.width, "desktop: navigation runs down the side");
      const main = await page.locator("main.screen").boundingBox();
      assert.ok(main && main.x >= nav.x + nav.width, "desktop: the screen sits beside it");
    } else {
      assert.ok(nav.y > 700 && nav.width > nav.height, "phone: navigation at the bottom");
    }
    found.push(...(await auditScreens(page, `web-${theme}-${lang}-${width}`, lang)));
    assert.deepEqual(watch.errors, [], "no console errors or CSP violations");
    await context.close();
  }
  assert.deepEqual(found, [], "no serious or critical accessibility violations");

  // The favicon and the app icon the page declares are served with image types.
  const html = await (await fetch(`${stack.url}/`)).text();
  for (const rel of ["icon", "apple-touch-icon"]) {
    const href = new RegExp(`<link[^>]*rel="${rel}"[^>]*href="([^"]+)"`).exec(html)?.[1];
    assert.ok(href, `the page declares a ${rel}`);
    const res = await fetch(new URL(href, stack.url));
    assert.equal(res.status, 200, `${rel} is served`);
    assert.match(res.headers.get("content-type") ?? "", /^image\//);
  }
});
