/**
 * The leaderboard screen end to end in headless Chromium against the real server (production
 * build, strict CSP) and a real database, in both modes:
 *
 * - Telegram mode: from Home to the board (a lazily loaded page with Telegram's back button),
 *   the member's own line and place, pseudonyms until the member turns on their name (saved on
 *   the server, shown to everyone), switching board and period; a member far below the listed
 *   top still sees their place, in Russian on the dark theme;
 * - website mode: after a login link from the bot, the board at its own address and the name
 *   switch, saved through the session cookie.
 *
 * Each view also passes axe-core (no serious or critical violations), with the page's title as
 * a first-level heading. Screenshots go to test-artifacts/miniapp/ like the other screens'.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { leaderboardSettings } from "../../server/db/schema/leaderboards.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { completeChallenge } from "../../server/domain/challenges.ts";
import { ensureMember, ensureMembers, type MemberView } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { testCampaign } from "../support/campaign.ts";
import { DATABASE_KINDS, openTestDatabase } from "../support/db.ts";
import { signInitData } from "../support/telegram.ts";
import {
  launchBrowser,
  type PageWatch,
  playTelegramClient,
  screenshot,
  seriousViolations,
  type TelegramEvent,
  type Theme,
  telegramEvents,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

const token = (symbol: string) => ({
  symbol,
  name: symbol,
  decimals: 18,
  cap: "100000000",
  budget: "1000000",
  maxBatch: 100,
  maxBatchAmount: "10000",
  dailyLimit: "100000",
});

const campaign = testCampaign({
  tokens: [token("REF"), token("ACT")],
  challenges: [
    { id: "join", title: { en: "Join", ru: "Вступить" }, reward: { token: "ACT", amount: "2.5" } },
    { id: "hello", title: { en: "Hello", ru: "Привет" }, reward: { token: "ACT", amount: "0.5" } },
  ],
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

const member = async (telegramId: number, firstName: string, languageCode = "en") =>
  (await ensureMember(stack.domain, { id: telegramId, firstName, languageCode })).member;

/** `referee` joins through `referrer`'s code and qualifies (links a wallet). */
async function referAndQualify(referrer: MemberView, referee: MemberView): Promise<void> {
  await attribute(stack.domain, { refereeId: referee.id, code: referrer.code, source: "start" });
  await qualify(stack.domain, referee.id, { type: "wallet_linked" });
}

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

const loaded = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));

/** The listed entries: rank, name, whether it is the viewer's own line. */
const entries = (page: Page) =>
  page.$$eval("[data-rank]", (rows) =>
    rows.map((r) => ({
      rank: Number(r.getAttribute("data-rank")),
      name: r.querySelector(".pseudonym")?.textContent ?? r.textContent ?? "",
      pseudonym: r.querySelector(".pseudonym") !== null,
      me: r.getAttribute("data-me") === "true",
    })),
  );

/** What every screen must have (as test/miniapp/a11y.test.ts checks for the tabs' screens). */
async function assertAccessible(page: Page, lang: string): Promise<void> {
  // Let transitions settle before the contrast check.
  await page.waitForTimeout(150);
  assert.deepEqual(await seriousViolations(page), [], "no serious or critical axe violations");
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  assert.equal(
    await page.locator('[data-screen="top"] h1.screen-title').count(),
    1,
    "the page's title is a first-level heading",
  );
  assert.equal(await page.locator('.tabbar [role="tab"][aria-selected="true"]').count(), 0);
}

function assertClean(w: PageWatch, allowed: string[] = ["404 /api/rewards/proof"]): void {
  assert.deepEqual(w.errors, [], "no console errors or CSP violations");
  assert.deepEqual(
    w.failed.filter((f) => !allowed.includes(f)),
    [],
    "no failed requests",
  );
}

test("Telegram mode: the board, own place, the name switch, boards and periods", async () => {
  const alice = await member(82_001, "Alice");
  const dan = await member(82_004, "Dan");
  for (const [referrer, id, name] of [
    [alice, 82_002, "Bob"],
    [alice, 82_003, "Carol"],
    [dan, 82_005, "Erin"],
  ] as const)
    await referAndQualify(referrer, await member(id, name));
  await completeChallenge(stack.domain, { memberId: dan.id, challengeId: "join", source: "test" });

  const a = await telegramPage({ id: 82_001, first_name: "Alice", language_code: "en" }, "light");
  await a.page.click('[data-testid="open-leaderboard"]');
  await a.page.waitForSelector('[data-screen="top"]');
  await loaded(a.page);
  const back = (await telegramEvents(a.page)).filter(
    (e: TelegramEvent) => e.type === "web_app_setup_back_button",
  );
  assert.equal(back.at(-1)?.params?.is_visible, true, "Telegram's back button leads home");
  assert.equal(new URL(a.page.url()).pathname, "/top");
  assert.equal(await a.page.textContent('[data-testid="my-place"]'), "#1 of 2");
  assert.equal(await a.page.textContent('[data-testid="my-score"]'), "2 friends");
  let list = await entries(a.page);
  assert.deepEqual(
    list.map((e) => [e.rank, e.me, e.pseudonym]),
    [
      [1, true, true],
      [2, false, true],
    ],
  );
  assert.match(list[0]!.name, /^#[0-9A-Z]{6}$/);
  assert.ok(!(await a.page.textContent('[data-section="board"]'))?.includes("Dan"));
  assert.match(
    (await a.page.textContent('[data-section="privacy"]')) ?? "",
    new RegExp(`others see you as ${list[0]!.name}`),
  );
  assert.equal(await a.page.textContent('[data-screen="top"] h1.screen-title'), "Leaderboards");
  await assertAccessible(a.page, "en");
  await screenshot(a.page, "leaderboard-light-en");

  // Alice turns her name on: saved on the server, and the board shows it.
  await a.page.click('[data-testid="show-name-row"]');
  await a.page.waitForFunction(() =>
    document.querySelector('[data-section="privacy"]')?.textContent?.includes("Alice"),
  );
  const [setting] = await db.db
    .select()
    .from(leaderboardSettings)
    .where(eq(leaderboardSettings.memberId, alice.id));
  assert.equal(setting?.showName, true);
  list = await entries(a.page);
  assert.equal(list[0]?.pseudonym, false);
  assert.match(list[0]!.name, /Alice/);

  // The activity board of all time: Dan's 2.5 points; Alice is not on it.
  await a.page.click('[data-board="activity"]');
  await a.page.click('[data-period="all"]');
  await loaded(a.page);
  await a.page.waitForFunction(() =>
    document.querySelector('[data-section="board"]')?.textContent?.includes("Since the campaign"),
  );
  assert.deepEqual(
    (await entries(a.page)).map((e) => [e.rank, e.me]),
    [[1, false]],
  );
  assert.match((await a.page.textContent('[data-section="board"]')) ?? "", /2\.5/);
  assert.equal(
    await a.page.textContent('[data-testid="my-place"]'),
    "Not on this board yet: complete tasks to earn points.",
  );
  assertClean(a.watch);
  await a.close();
});

test("Telegram mode, dark and Russian: a member far below the listed top sees their place", async () => {
  // 51 more members with 2.5 points (52 with Dan), then Eve with 0.5: 53rd, below the 50 listed.
  const others = await ensureMembers(
    stack.domain,
    Array.from({ length: 51 }, (_, i) => ({ id: 83_000 + i, firstName: `M${i}` })),
  );
  for (const { member: m } of others)
    await completeChallenge(stack.domain, { memberId: m.id, challengeId: "join", source: "test" });
  const eve = await member(83_100, "Eve", "ru");
  await completeChallenge(stack.domain, { memberId: eve.id, challengeId: "hello", source: "test" });

  const e = await telegramPage({ id: 83_100, first_name: "Eve", language_code: "ru" }, "dark");
  await e.page.click('[data-testid="open-leaderboard"]');
  await e.page.waitForSelector('[data-screen="top"]');
  await e.page.click('[data-board="activity"]');
  await loaded(e.page);
  await e.page.waitForSelector('[data-section="me"][data-status="ranked"]');
  const list = await entries(e.page);
  assert.equal(list.length, 50);
  assert.ok(!list.some((x) => x.me), "Eve is not among the listed");
  assert.equal(await e.page.textContent('[data-testid="my-place"]'), "Место 53 из 53");
  assert.equal(await e.page.textContent('[data-testid="my-score"]'), "0,5 балла");
  assert.ok(
    list.every((x) => x.rank === 1),
    "equal scores share the first place",
  );
  await assertAccessible(e.page, "ru");
  await screenshot(e.page, "leaderboard-dark-ru");
  assertClean(e.watch);
  await e.close();
});

test("website mode: the board at /top after a login link, the name switch through the session", async () => {
  const fay = await member(84_001, "Fay");
  await referAndQualify(fay, await member(84_002, "Gil"));
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const watch = await watchPage(page);
  const { token } = await issueLoginToken(stack.domain, fay.id);
  await page.goto(loginLink(stack.config.dashboard.url, token));
  await page.waitForSelector('[data-screen="home"]');
  await page.goto(`${stack.url}/top`);
  await page.waitForSelector('[data-screen="top"]');
  await loaded(page);
  await page.waitForSelector('[data-section="me"][data-status="ranked"]');
  assert.match((await page.textContent('[data-testid="my-place"]')) ?? "", /^#\d+ of \d+$/);
  await page.click('[data-testid="show-name-row"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-section="privacy"]')?.textContent?.includes("Fay"),
  );
  const [setting] = await db.db
    .select()
    .from(leaderboardSettings)
    .where(eq(leaderboardSettings.memberId, fay.id));
  assert.equal(setting?.showName, true);
  assert.ok((await entries(page)).some((x) => x.me && x.name.includes("Fay")));
  await assertAccessible(page, "en");
  await screenshot(page, "leaderboard-web-light-en");
  assertClean(watch);
  await context.close();
});
