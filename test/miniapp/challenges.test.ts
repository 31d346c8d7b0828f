/**
 * The Challenges screen end to end in headless Chromium against the real server (production
 * build, strict CSP) and a real database, in both modes: from Home to the lazily loaded page,
 * each challenge's reward, state and progress (a friend qualified of two, a stay in the group
 * begun, a channel to join through the member's personal link), the daily check-in paying
 * once, in English on the light theme and Russian on the dark one; in website mode after a
 * login link, at /challenges, the check-in through the session cookie. Each view passes
 * axe-core; screenshots go to test-artifacts/miniapp/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { ledgerEntries } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { recordChatMember, saveInviteLink } from "../../server/domain/chatMembership.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { CHANNEL_ID, challengesCampaign, GROUP_ID } from "../support/challengesCampaign.ts";
import { DATABASE_KINDS, openTestDatabase } from "../support/db.ts";
import { signInitData } from "../support/telegram.ts";
import {
  launchBrowser,
  type PageWatch,
  playTelegramClient,
  screenshot,
  seriousViolations,
  type Theme,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

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
    campaigns: [challengesCampaign()],
    env: { DASHBOARD_DIST_DIR: dist, DASHBOARD_MODE: "miniapp" },
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.close();
});

const member = async (telegramId: number, firstName: string, languageCode = "en") =>
  (await ensureMember(stack.domain, { id: telegramId, firstName, languageCode })).member;

async function telegramPage(
  user: { id: number; first_name: string; language_code: string },
  theme: Theme,
): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, theme);
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(telegramUrl(stack.url, { initData: signInitData({ user }), theme }));
  await page.waitForSelector('[data-screen="home"]');
  return { page, watch, close: () => context.close() };
}

/** Each listed challenge: id, state, the cell's text. */
const challenges = (page: Page) =>
  page.$$eval("[data-challenge]", (rows) =>
    rows.map((r) => ({
      id: r.getAttribute("data-challenge"),
      state: r.getAttribute("data-state"),
      text: r.textContent ?? "",
    })),
  );
const byId = async (page: Page, id: string) => (await challenges(page)).find((c) => c.id === id)!;

async function assertAccessible(page: Page, lang: string): Promise<void> {
  await page.waitForTimeout(150);
  assert.deepEqual(await seriousViolations(page), [], "no serious or critical axe violations");
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  assert.equal(await page.locator('[data-screen="challenges"] h1.screen-title').count(), 1);
}

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], "no console errors or CSP violations");
  assert.deepEqual(
    w.failed.filter((f) => f !== "404 /api/rewards/proof"),
    [],
    "no failed requests",
  );
}

async function dailyGrants(memberId: number) {
  return db.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.memberId, memberId), eq(ledgerEntries.kind, "challenge")));
}

test("Telegram mode: challenges with reward, state and progress; the daily check-in pays once", async () => {
  const alice = await member(91_001, "Alice");
  const bob = await member(91_002, "Bob");
  await attribute(stack.domain, { refereeId: bob.id, code: alice.code, source: "start" });
  await qualify(stack.domain, bob.id, { type: "wallet_linked" });
  await saveInviteLink(stack.domain, {
    chatId: CHANNEL_ID,
    memberId: alice.id,
    link: "https://t.me/+aliceChannel",
  });
  await recordChatMember(stack.domain, {
    chatId: GROUP_ID,
    user: { id: 91_001, firstName: "Alice" },
    inChat: true,
  });

  const a = await telegramPage({ id: 91_001, first_name: "Alice", language_code: "en" }, "light");
  await a.page.click('[data-testid="open-challenges"]');
  await a.page.waitForSelector('[data-screen="challenges"] [data-challenge]');
  assert.equal(new URL(a.page.url()).pathname, "/challenges");
  assert.equal(
    await a.page.textContent('[data-screen="challenges"] h1.screen-title'),
    "Challenges",
  );
  const invite = await byId(a.page, "invite-2");
  assert.equal(invite.state, "in_progress");
  assert.match(invite.text, /Invite 2 friends.*In progress · 1 of 2.*20 REF/);
  assert.equal((await byId(a.page, "group-stay")).state, "in_progress");
  const channel = await byId(a.page, "channel");
  assert.equal(channel.state, "open");
  assert.match(channel.text, /Join the channel.*Open.*5 REF/);
  assert.equal(await a.page.locator('[data-testid="join-channel"]').count(), 1);
  assert.match((await byId(a.page, "daily")).text, /1 REF a day/);
  assert.equal(
    await a.page.textContent('[data-testid="checkin-status"]'),
    "Not checked in today yet",
  );
  await assertAccessible(a.page, "en");
  await screenshot(a.page, "challenges-light-en");

  await a.page.click('[data-testid="checkin"]');
  await a.page.waitForFunction(
    () =>
      document.querySelector('[data-testid="checkin-status"]')?.textContent ===
      "You've checked in today",
  );
  await a.page.waitForSelector('[data-challenge="daily"][data-state="done"]');
  assert.match((await a.page.textContent('[data-section="checkin"]')) ?? "", /Streak: 1 day/);
  assert.equal(await a.page.isDisabled('[data-testid="checkin"]'), true);
  const grants = await dailyGrants(alice.id);
  assert.equal(grants.filter((g) => g.idempotencyKey.includes(":daily:")).length, 1);
  assertClean(a.watch);
  await a.close();
});

test("Telegram mode, dark and Russian: states in Russian", async () => {
  await member(92_001, "Вера", "ru");
  const v = await telegramPage({ id: 92_001, first_name: "Вера", language_code: "ru" }, "dark");
  await v.page.click('[data-testid="open-challenges"]');
  await v.page.waitForSelector('[data-screen="challenges"] [data-challenge]');
  assert.equal(await v.page.textContent('[data-screen="challenges"] h1.screen-title'), "Задания");
  assert.match((await byId(v.page, "channel")).text, /Подпишитесь на канал.*Не начато.*5 REF/);
  assert.match((await byId(v.page, "survey")).text, /1,5 REF/);
  assert.match((await byId(v.page, "daily")).text, /1 REF в день/);
  await assertAccessible(v.page, "ru");
  await screenshot(v.page, "challenges-dark-ru");
  assertClean(v.watch);
  await v.close();
});

test("website mode: /challenges after a login link, the check-in through the session", async () => {
  const fay = await member(93_001, "Fay");
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  const { token } = await issueLoginToken(stack.domain, fay.id);
  await page.goto(loginLink(stack.config.dashboard.url, token));
  await page.waitForSelector('[data-screen="home"]');
  await page.goto(`${stack.url}/challenges`);
  await page.waitForSelector('[data-screen="challenges"] [data-challenge]');
  await page.click('[data-testid="checkin"]');
  await page.waitForSelector('[data-challenge="daily"][data-state="done"]');
  assert.equal((await dailyGrants(fay.id)).length, 1);
  await assertAccessible(page, "en");
  await screenshot(page, "challenges-web-light-en");
  assertClean(watch);
  await context.close();
});
