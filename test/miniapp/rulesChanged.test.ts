/**
 * "The rules changed" on the dashboard's Home, in headless Chromium against the real server
 * (production build, strict CSP), database and chain: once a new rules version took effect the
 * member sees what changed, in their language, with the rules document and the transaction
 * that recorded it on-chain; dismissed, it stays away. Screenshots in test-artifacts/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { type CampaignDefinition, rulesDocument } from "../../server/domain/campaign.ts";
import {
  documentHash,
  prepareVersion,
  rulesPublished,
  versionFor,
  versionState,
} from "../../server/domain/versions.ts";
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
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      EXPLORER_URL: "https://explorer.refmint.test",
    },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

/** Version 2 taking effect: level 1 pays 15, unpaid rewards expire after 30 days. */
async function version2(): Promise<string> {
  const v1 = chain.campaign;
  const v2: CampaignDefinition = {
    ...v1,
    levels: [{ level: 1, token: v1.tokens[0]!.symbol, amount: "15" }, ...v1.levels.slice(1)],
    expiry: { days: 30 },
  };
  const campaignId = stack.domain.campaigns.bySlug(v1.slug)!.id;
  const document = rulesDocument(v2);
  const hash = documentHash(document);
  const version = versionFor(await versionState(db.db, campaignId), hash)!;
  await prepareVersion(db.db, {
    campaignId,
    version,
    document,
    rulesUrl: `${stack.url}/rules/${v1.slug}/${hash.slice(2)}.json`,
    actions: [],
    createdBy: "system",
  });
  const txHash = `0x${"5a".repeat(32)}`;
  await db.db.transaction((tx) =>
    rulesPublished(tx, {
      campaignId,
      version,
      hash,
      uri: `${stack.url}/rules/${v1.slug}/${hash.slice(2)}.json`,
      blockNumber: 99,
      blockTime: new Date("2031-05-04T10:00:00Z"),
      txHash,
    }),
  );
  return txHash;
}

async function home(user: { id: number; first_name: string; language_code: string }) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(telegramUrl(stack.url, { initData: signInitData({ user }) }));
  await page.waitForSelector('[data-testid="tier-name"]');
  return { context, page, watch };
}

const changes = (page: Page) =>
  page.$$eval('[data-testid="rules-change"]', (els) => els.map((e) => e.textContent));

test("members see what a new rules version changed, with its document and transaction, until they dismiss it", async () => {
  // Before any change (version 1 only): nothing to say.
  const first = await home({ id: 61_001, first_name: "Ann", language_code: "en" });
  assert.equal(await first.page.$('[data-section="rules-changed"]'), null);
  await first.context.close();

  const txHash = await version2();
  const en = await home({ id: 61_002, first_name: "Ann", language_code: "en" });
  const section = await en.page.waitForSelector('[data-section="rules-changed"]');
  assert.match(
    String(await section.textContent()),
    /The rules changed: version 2, since 4 May 2031/,
  );
  assert.deepEqual(await changes(en.page), [
    "Level 1 reward: 10 REF → 15 REF",
    "Unpaid rewards expire after: 90 days → 30 days",
  ]);
  const document = await en.page.$eval('[data-section="rules-changed"] a', (a) =>
    a.getAttribute("href"),
  );
  assert.match(String(document), new RegExp(`/rules/${chain.campaign.slug}/[0-9a-f]{64}\\.json$`));
  const tx = await en.page.$eval('[data-section="rules-changed"] a[href*="/tx/"]', (a) =>
    a.getAttribute("href"),
  );
  assert.equal(tx, `https://explorer.refmint.test/tx/${txHash}`);
  await screenshot(en.page, "dashboard-rules-changed-light-en");
  assert.deepEqual(en.watch.errors, []);

  await en.page.click('[data-testid="rules-dismiss"]');
  await en.page.waitForSelector('[data-section="rules-changed"]', { state: "detached" });
  await en.page.reload();
  await en.page.waitForSelector('[data-testid="tier-name"]');
  assert.equal(await en.page.$('[data-section="rules-changed"]'), null);
  await en.context.close();

  const ru = await home({ id: 61_003, first_name: "Аня", language_code: "ru" });
  await ru.page.waitForSelector('[data-section="rules-changed"]');
  assert.deepEqual(await changes(ru.page), [
    "Награда за уровень 1: 10 REF → 15 REF",
    "Невыплаченные награды сгорают через: 90 дней → 30 дней",
  ]);
  await screenshot(ru.page, "dashboard-rules-changed-light-ru");
  await ru.context.close();
});
