/**
 * An ended campaign on the dashboard's Home, in headless Chromium against the real server
 * (production build, strict CSP), database and chain: until when invitations made before the
 * end count, and the clawback date by which rewards must be claimed, in the member's language.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { transitionCampaign } from "../../server/domain/campaignTransitions.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { signInitData } from "../support/telegram.ts";
import { playTelegramClient, screenshot, telegramUrl, watchPage } from "./support/browser.ts";
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

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((_chain, dist) => ({
    env: { DASHBOARD_DIST_DIR: dist, DASHBOARD_MODE: "miniapp" },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

async function home(user: { id: number; first_name: string; language_code: string }) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(telegramUrl(stack.url, { initData: signInitData({ user }) }));
  try {
    await page.waitForSelector('[data-testid="tier-name"]');
  } catch (error) {
    await screenshot(page, `dashboard-campaign-ended-failed-${user.language_code}`);
    throw new Error(`Home did not render: ${JSON.stringify(watch.errors)}`, { cause: error });
  }
  return { context, page, watch };
}

test("members see an ended campaign's grace and clawback date on Home, in their language", async () => {
  const running = await home({ id: 62_001, first_name: "Ann", language_code: "en" });
  assert.equal(await running.page.$('[data-section="campaign-ended"]'), null);
  await running.context.close();

  const campaign = stack.domain.campaigns.bySlug(chain.campaign.slug)!;
  await transitionCampaign(
    { db: db.db, now: () => new Date("2031-05-04T10:00:00Z") },
    systemAdmin(),
    campaign.id,
    "end",
  );
  const { graceHours, claimDays } = campaign.rules.end;
  assert.deepEqual([graceHours, claimDays], [72, 30], "the file's defaults");

  const en = await home({ id: 62_002, first_name: "Ann", language_code: "en" });
  const section = await en.page.waitForSelector('[data-section="campaign-ended"]');
  const text = String(await section.textContent());
  assert.match(text, /The campaign has ended/);
  assert.match(text, /still count until 7 May 2031, 10:00 \(UTC\)/);
  assert.equal(
    await en.page.$eval('[data-testid="clawback-date"]', (e) => e.textContent),
    "Claim your rewards by 6 Jun 2031, 10:00 (UTC): unclaimed rewards return to the campaign after that.",
  );
  await screenshot(en.page, "dashboard-campaign-ended-light-en");
  assert.deepEqual(en.watch.errors, []);
  await en.context.close();

  const ru = await home({ id: 62_003, first_name: "Оля", language_code: "ru" });
  await ru.page.waitForSelector('[data-section="campaign-ended"]');
  assert.match(
    String(await ru.page.$eval('[data-testid="clawback-date"]', (e) => e.textContent)),
    /^Заберите награды до 6 июн\. 2031 г\., 10:00 \(UTC\)/,
  );
  assert.deepEqual(ru.watch.errors, []);
  await ru.context.close();
});
