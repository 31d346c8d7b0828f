/**
 * Terms and your data, end to end in headless Chromium against the real server (production
 * build, strict CSP) and a real database, in both modes:
 *
 * - Telegram mode: from Home to the page, the campaign's terms accepted (the row recorded with
 *   its version), the minimum age confirmed, the export downloaded as JSON, the deletion
 *   confirmed (the member's row erased);
 * - website mode, in Russian: after a login link, a refused country is explained, and the
 *   cancelled deletion deletes nothing.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { memberDeclarations, termsAcceptances } from "../../server/db/schema/compliance.ts";
import { members } from "../../server/db/schema.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { testCampaign } from "../support/campaign.ts";
import { DATABASE_KINDS, openTestDatabase } from "../support/db.ts";
import { signInitData } from "../support/telegram.ts";
import {
  launchBrowser,
  playTelegramClient,
  screenshot,
  seriousViolations,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

const campaign = testCampaign({
  terms: {
    version: "2026-12",
    text: {
      en: "Play fair: one account per person.",
      ru: "Играйте честно: один аккаунт на человека.",
    },
  },
  participation: { countries: ["DE", "AT"], minAge: 18 },
});

let db: DatabaseHandle;
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

before(async () => {
  const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1] ?? "pglite";
  let dist: string;
  [dist, db, browser] = await Promise.all([
    dashboardBuild(),
    openTestDatabase(kind),
    launchBrowser(),
  ]);
  stack = await startStack(undefined, db, {
    campaigns: [campaign],
    env: { DASHBOARD_DIST_DIR: dist, DASHBOARD_MODE: "miniapp" },
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.close();
});

const loaded = (page: import("playwright-core").Page) =>
  page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));

test("Telegram mode: accept the terms, confirm the age, export the data, delete it", async () => {
  const user = { id: 86_001, first_name: "Hana", language_code: "en" };
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    acceptDownloads: true,
  });
  await playTelegramClient(context, "light");
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(telegramUrl(stack.url, { initData: signInitData({ user }), theme: "light" }));
  await page.waitForSelector('[data-screen="home"]');
  // The way in: the wallet tab's link.
  await page.click("#tab-wallet");
  await page.waitForSelector('[data-screen="wallet"]');
  await page.click('[data-testid="open-privacy"]');
  await page.waitForSelector('[data-screen="privacy"]');
  await loaded(page);
  await page.waitForSelector('[data-testid="terms-text"]');
  assert.equal(
    await page.textContent('[data-testid="terms-text"]'),
    "Play fair: one account per person.",
  );
  const hana = (await ensureMember(stack.domain, { id: user.id, firstName: "Hana" })).member;

  await page.click('[data-testid="accept-terms"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="terms-state"]')?.textContent?.startsWith("Accepted on"),
  );
  const accepted = await db.db
    .select()
    .from(termsAcceptances)
    .where(eq(termsAcceptances.memberId, hana.id));
  assert.deepEqual(
    accepted.map((r) => r.version),
    ["2026-12"],
  );
  await page.click('[data-testid="confirm-age"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="confirm-age"]'));
  const [declared] = await db.db
    .select()
    .from(memberDeclarations)
    .where(eq(memberDeclarations.memberId, hana.id));
  assert.equal(declared?.ageConfirmed, 18);
  await page.selectOption('[data-testid="country"]', "AT");
  await page.click('[data-testid="save-country"]');
  await page.waitForFunction(() => !document.querySelector('[data-section="participation"]'));
  assert.deepEqual(await seriousViolations(page), [], "no serious or critical axe violations");
  await screenshot(page, "privacy-light-en");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('[data-testid="export"]'),
  ]);
  assert.equal(download.suggestedFilename(), `refmint-data-${hana.id}.json`);
  const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
  assert.equal(exported.member.firstName, "Hana");
  assert.deepEqual(exported.declarations, { country: "AT", ageConfirmed: 18 });
  assert.equal(exported.terms[0].version, "2026-12");

  await page.click('[data-testid="delete"]');
  await page.click('[data-testid="delete-yes"]');
  await page.waitForSelector('[data-section="deleted"]');
  const [row] = await db.db.select().from(members).where(eq(members.id, hana.id));
  assert.deepEqual(
    [row?.firstName, row?.telegramId, row?.deletedAt !== null],
    [null, -hana.id, true],
  );
  assert.deepEqual(watch.errors, [], "no console errors or CSP violations");
  await context.close();
});

test("website mode, Russian: a refused country is explained; a cancelled deletion deletes nothing", async () => {
  const ivan = (
    await ensureMember(stack.domain, { id: 86_002, firstName: "Иван", languageCode: "ru" })
  ).member;
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  const { token } = await issueLoginToken(stack.domain, ivan.id);
  await page.goto(loginLink(stack.config.dashboard.url, token));
  await page.waitForSelector('[data-screen="home"]');
  // A country outside the campaign, declared in the bot earlier.
  await db.db.insert(memberDeclarations).values({ memberId: ivan.id, country: "US" });
  await page.goto(`${stack.url}/privacy`);
  await page.waitForSelector('[data-screen="privacy"]');
  await loaded(page);
  await page.waitForSelector('[data-testid="refused"]');
  assert.match(
    (await page.textContent('[data-testid="refused"]')) ?? "",
    /не работает в вашей стране/,
  );
  assert.equal(
    await page.textContent('[data-testid="terms-text"]'),
    "Играйте честно: один аккаунт на человека.",
  );
  await page.click('[data-testid="delete"]');
  await page.waitForSelector('[data-testid="delete-confirm"]');
  await page.click('[data-testid="delete-confirm"] button:has-text("Отмена")');
  await page.waitForSelector('[data-testid="delete"]');
  const [row] = await db.db.select().from(members).where(eq(members.id, ivan.id));
  assert.equal(row?.firstName, "Иван");
  assert.equal(row?.deletedAt, null);
  assert.deepEqual(await seriousViolations(page), [], "no serious or critical axe violations");
  await screenshot(page, "privacy-web-ru");
  assert.deepEqual(watch.errors, [], "no console errors or CSP violations");
  await context.close();
});
