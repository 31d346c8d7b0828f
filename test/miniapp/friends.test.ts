/**
 * The Referrals screen's friends (issue 14) end to end: the production build in headless
 * Chromium against the real service with the web and bot components (the bot on long polling
 * against the fake Bot API, its notification sender sending), a real database, the domain on a
 * test clock. Each friend at level 1 says in plain words what happens next (waiting for a
 * wallet, being checked, not accepted and why, counted), and a friend who has not finished has
 * a Remind button: the member's tap reaches the friend as a bot message in the fake Bot API;
 * the screen then says when the last reminder went and from when the next may go, and a
 * refused tap (a second tab the same day, a friend who finished meanwhile) says why nothing
 * was sent.
 *
 * - Mini App mode (signed init data), English, light, phone.
 * - Website mode (login link), Russian, dark, desktop.
 * Each view passes axe-core (no serious or critical violation).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { botComponent } from "../../bot/component.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { notifications, referrals } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { webComponent } from "../../server/web/component.ts";
import { FakeTelegram } from "../bot/support/fakeTelegram.ts";
import { testCampaign } from "../support/campaign.ts";
import { testClock } from "../support/clock.ts";
import { DATABASE_KINDS, openTestDatabase } from "../support/db.ts";
import { signInitData, TEST_BOT_TOKEN } from "../support/telegram.ts";
import {
  launchBrowser,
  type PageWatch,
  playTelegramClient,
  screenshot,
  seriousViolations,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import { dashboardBuild } from "./support/build.ts";
import { type Stack, startStack } from "./support/stack.ts";

let db: DatabaseHandle;
let fake: FakeTelegram;
let stack: Stack;
let browser: Browser;
// The domain's clock stands still: "today" and the next UTC midnight do not move under the test.
const clock = testClock(new Date());

before(async () => {
  let dist: string;
  [dist, db, browser, fake] = await Promise.all([
    dashboardBuild(),
    openTestDatabase(DATABASE_KINDS[DATABASE_KINDS.length - 1] ?? "pglite"),
    launchBrowser(),
    FakeTelegram.start({ token: TEST_BOT_TOKEN }),
  ]);
  stack = await startStack(undefined, db, {
    campaigns: [testCampaign()],
    now: clock.now,
    components: [webComponent, botComponent],
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      TELEGRAM_API_ROOT: fake.apiRoot,
      BOT_MODE: "polling",
      BOT_QUEUE_POLL_MS: "50",
    },
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await fake?.close();
  await db?.close();
});

const person = async (id: number, firstName: string, languageCode: "en" | "ru") =>
  (await ensureMember(stack.domain, { id, firstName, languageCode })).member;

const invite = async (referrer: MemberView, referee: MemberView) => {
  const { referral } = await attribute(stack.domain, {
    refereeId: referee.id,
    code: referrer.code,
    source: "start",
  });
  return referral.id;
};

/** A referral's state as a reviewer left it (the review flow itself is tested elsewhere). */
const setStatus = (id: number, status: "review" | "rejected", reason?: string) =>
  db.db
    .update(referrals)
    .set({ status, statusReason: reason ? `rejected: ${reason}` : null })
    .where(eq(referrals.id, id));

async function openReferrals(page: Page): Promise<void> {
  await page.click("#tab-referrals");
  await page.waitForSelector('[data-screen="referrals"] [data-friend]');
  await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
}

const friendText = (page: Page, referralId: number) =>
  page.textContent(`[data-friend="${referralId}"] [data-testid="friend-state"]`);
const remindStatus = (page: Page, referralId: number) =>
  page.textContent(`[data-friend="${referralId}"] [data-testid="remind-status"]`);

async function assertAccessible(page: Page, lang: string): Promise<void> {
  await page.waitForTimeout(150);
  assert.deepEqual(await seriousViolations(page), [], "no serious or critical axe violations");
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
}

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], "no console errors or CSP violations");
  assert.deepEqual(
    w.failed.filter((f) => f !== "404 /api/rewards/proof"),
    [],
    "no failed requests",
  );
}

/** The next UTC midnight as the screen writes it (the browser's time zone is the machine's). */
const nextMidnight = () => {
  const now = clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
};

test("Mini App mode: each friend's next step in plain words; Remind reaches the friend through the bot; a friend who finished meanwhile is not reminded", async () => {
  const alice = await person(95_001, "Alice", "en");
  const bob = await person(95_002, "Bob", "en");
  const carol = await person(95_003, "Carol", "en");
  const dan = await person(95_004, "Dan", "en");
  const eve = await person(95_005, "Eve", "en");
  const frank = await person(95_006, "Frank", "en");
  const bobRef = await invite(alice, bob);
  const carolRef = await invite(alice, carol);
  const danRef = await invite(alice, dan);
  const eveRef = await invite(alice, eve);
  const frankRef = await invite(alice, frank);
  await qualify(stack.domain, carol.id, { type: "wallet_linked" });
  await setStatus(danRef, "rejected", "Same household as another friend");
  await setStatus(eveRef, "review");

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const page = await context.newPage();
  const watch = await watchPage(page);
  const user = { id: 95_001, first_name: "Alice", language_code: "en" };
  await page.goto(
    telegramUrl(stack.url, {
      initData: signInitData({ user, authDate: clock.now() }),
      theme: "light",
    }),
  );
  await page.waitForSelector('[data-screen="home"]');
  await openReferrals(page);

  assert.equal(await friendText(page, bobRef), "Waiting for Bob to link a wallet");
  assert.equal(await friendText(page, carolRef), "Counted: your reward is on its way");
  assert.equal(await friendText(page, danRef), "Not accepted: Same household as another friend");
  assert.equal(await friendText(page, eveRef), "Being checked by an admin");
  // Remind only for those who have not finished.
  const remindable = await page.$$eval('[data-friend] [data-testid="remind"]', (buttons) =>
    buttons.map((b) => b.closest("[data-friend]")?.getAttribute("data-friend")),
  );
  assert.deepEqual(remindable.sort(), [String(bobRef), String(frankRef)].sort());
  assert.equal(
    await remindStatus(page, bobRef),
    "The bot sends your friend a reminder, at most once a day.",
  );
  assert.equal(
    await page.getAttribute(`[data-friend="${bobRef}"] [data-testid="remind"]`, "aria-label"),
    "Remind Bob",
  );
  await assertAccessible(page, "en");
  await screenshot(page, "friends-light-en");

  // The tap: the friend gets the bot's message.
  await page.click(`[data-friend="${bobRef}"] [data-testid="remind"]`);
  await page.waitForFunction(
    (id) =>
      document
        .querySelector(`[data-friend="${id}"] [data-testid="remind-status"]`)
        ?.textContent?.startsWith("Reminder sent to Bob."),
    bobRef,
  );
  const next = await page.evaluate(
    (iso) =>
      new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(
        new Date(iso),
      ),
    nextMidnight().toISOString(),
  );
  assert.equal(
    await remindStatus(page, bobRef),
    `Reminder sent to Bob. The next one can go from ${next}.`,
  );
  assert.equal(
    await page.isDisabled(`[data-friend="${bobRef}"] [data-testid="remind"]`),
    true,
    "no second reminder today",
  );
  const delivered = await fake.waitFor(
    (c) => c.method === "sendMessage" && Number(c.params.chat_id) === 95_002 && c.status === 200,
    30_000,
    "the reminder to Bob",
  );
  assert.match(String(delivered.params.text), /^👋 Alice invited you and is waiting for you/);

  // Frank links a wallet while the page is open: his Remind sends nothing, and says why.
  await qualify(stack.domain, frank.id, { type: "wallet_linked" });
  await page.click(`[data-friend="${frankRef}"] [data-testid="remind"]`);
  await page.waitForFunction(
    (id) =>
      document
        .querySelector(`[data-friend="${id}"] [data-testid="friend-state"]`)
        ?.textContent?.startsWith("Counted"),
    frankRef,
  );
  assert.equal(await page.locator(`[data-friend="${frankRef}"] [data-testid="remind"]`).count(), 0);
  assert.equal(await remindStatus(page, frankRef), "Nothing sent: Frank has already finished.");
  await assertAccessible(page, "en");

  // Later, the screen says when the last reminder went and when the next may go.
  await page.reload();
  // The Mini App comes back where it was (the Referrals screen), with fresh data.
  await page.waitForSelector('[data-screen="referrals"] [data-friend]');
  await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
  const last = await page.evaluate(
    (iso) => new Intl.DateTimeFormat("en", { timeStyle: "short" }).format(new Date(iso)),
    clock.now().toISOString(),
  );
  const lastOrDate = await page.evaluate(
    ([iso, short]) =>
      new Date(iso!).toDateString() === new Date().toDateString()
        ? short!
        : new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(
            new Date(iso!),
          ),
    [clock.now().toISOString(), last] as const,
  );
  assert.equal(
    await remindStatus(page, bobRef),
    `Last reminder: ${lastOrDate}. The next one can go from ${next}.`,
  );
  const toBob = fake.sentTo(95_002).filter((c) => c.status === 200);
  assert.equal(toBob.length, 1, "one reminder, one message");
  assertClean(watch);
  await context.close();
});

test("website mode, Russian, dark, desktop: the reminder in Russian; a second tab the same day is refused and says until when", async () => {
  const vera = await person(96_001, "Вера", "ru");
  const gleb = await person(96_002, "Глеб", "ru");
  const glebRef = await invite(vera, gleb);

  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: "dark",
    locale: "ru",
  });
  const open = async () => {
    const page = await context.newPage();
    const watch = await watchPage(page);
    const { token } = await issueLoginToken(stack.domain, vera.id);
    await page.goto(loginLink(stack.config.dashboard.url, token));
    await page.waitForSelector('[data-screen="home"]');
    await page.goto(`${stack.url}/referrals`);
    await page.waitForSelector('[data-screen="referrals"] [data-friend]');
    return { page, watch };
  };
  const first = await open();
  const second = await open();
  const { page } = first;
  assert.equal(await friendText(page, glebRef), "Ждём, когда Глеб подключит кошелёк");
  assert.equal(
    await remindStatus(page, glebRef),
    "Бот напомнит другу о приглашении, не чаще раза в день.",
  );
  await assertAccessible(page, "ru");
  await screenshot(page, "friends-web-dark-ru");

  const next = await page.evaluate(
    (iso) =>
      new Intl.DateTimeFormat("ru", { dateStyle: "medium", timeStyle: "short" }).format(
        new Date(iso),
      ),
    nextMidnight().toISOString(),
  );
  await page.click(`[data-friend="${glebRef}"] [data-testid="remind"]`);
  await page.waitForFunction(
    (id) =>
      document
        .querySelector(`[data-friend="${id}"] [data-testid="remind-status"]`)
        ?.textContent?.startsWith("Напоминание отправлено"),
    glebRef,
  );
  assert.equal(
    await remindStatus(page, glebRef),
    `Напоминание отправлено (Глеб). Следующее можно отправить с ${next}.`,
  );
  const delivered = await fake.waitFor(
    (c) => c.method === "sendMessage" && Number(c.params.chat_id) === 96_002 && c.status === 200,
    30_000,
    "the reminder to Gleb",
  );
  assert.match(String(delivered.params.text), /^👋 /);
  assert.ok(String(delivered.params.text).includes("Вера"), String(delivered.params.text));

  // The other tab was opened before: its tap is refused by the server, and says so.
  await second.page.click(`[data-friend="${glebRef}"] [data-testid="remind"]`);
  await second.page.waitForFunction(
    (id) =>
      document
        .querySelector(`[data-friend="${id}"] [data-testid="remind-status"]`)
        ?.textContent?.startsWith("Ничего не отправлено"),
    glebRef,
  );
  assert.equal(
    await remindStatus(second.page, glebRef),
    `Ничего не отправлено: сегодня напоминание уже было (Глеб). Следующее можно отправить с ${next}.`,
  );
  await assertAccessible(second.page, "ru");
  // One reminder queued for Gleb today, whatever the tabs did.
  const queued = await db.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.memberId, gleb.id), eq(notifications.kind, "friend_reminder")));
  assert.equal(queued.length, 1);
  assertClean(first.watch);
  assertClean(second.watch);
  await context.close();
});
