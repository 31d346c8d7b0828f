/**
 * What members already see, made right (issue 14), walked in headless Chromium on the real
 * stack (HTTP service, payout worker and indexer, a local Hardhat chain), in both modes:
 *
 * - the invited member's first screen: who invited them, what both get, the next step with a
 *   checklist; "Were you invited?" gone once attributed (and its field labelled for a friend's
 *   code where it is shown);
 * - a member without a wallet earns: Home shows the amount reserved for them on-chain (never
 *   "— REF"), the history and the referral say "reserved", not "paid"; they link a wallet and
 *   see it being released, then released, with the release's transaction on the explorer;
 * - the rules page: amounts per level, statuses with thresholds and multipliers, limits,
 *   expiry, tasks, perks, the rules' version and SHA-256;
 * - no serious or critical axe violations on these screens; at 1280 px the website puts the
 *   navigation at the side and the sections in two columns.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { chainComponent } from "../../app/components.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { chainReleases } from "../../server/db/schema/chain.ts";
import { ledgerEntries, referrals } from "../../server/db/schema.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { webComponent } from "../../server/web/component.ts";
import { testAccount } from "../support/siwe.ts";
import { signInitData } from "../support/telegram.ts";
import {
  injectWallet,
  type PageWatch,
  playTelegramClient,
  screenshot,
  seriousViolations,
  type Theme,
  telegramUrl,
  watchPage,
} from "./support/browser.ts";
import { BACKEND_KEY, type TestChain } from "./support/chain.ts";
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

const EXPLORER = "https://explorer.refmint.test";

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((chain, dist) => ({
    components: [webComponent, chainComponent],
    env: {
      DASHBOARD_DIST_DIR: dist,
      DASHBOARD_MODE: "miniapp",
      RPC_URL: chain.rpcUrl,
      EXPLORER_URL: EXPLORER,
      PAYOUT_SIGNER_PRIVATE_KEY: BACKEND_KEY,
      CHAIN_CONFIRMATIONS: "1",
      CHAIN_POLL_MS: "100",
      PAYOUT_BATCH_WINDOW_MS: "0",
      EPOCH_INTERVAL_MINUTES: "0",
      // The release path (the default): linking a wallet is all a member does.
      ESCROW_RELEASE: "true",
    },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface Opened {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
  /** The injected wallet's calls (method names). */
  calls: string[];
}

type Wallet = ReturnType<typeof testAccount>;

/** A member's dashboard: the Mini App (phone) or the website (a login link; any width). */
async function open(
  mode: "telegram" | "web",
  user: { id: number; first_name: string; language_code: "en" | "ru" },
  o: { theme: Theme; wallet?: Wallet; startParam?: string; width?: number },
): Promise<Opened> {
  const width = o.width ?? 390;
  const context = await browser.newContext({
    viewport: { width, height: width > 1000 ? 900 : 844 },
    deviceScaleFactor: 1,
    colorScheme: o.theme,
    locale: user.language_code,
    permissions: ["clipboard-read", "clipboard-write"],
  });
  if (mode === "telegram") await playTelegramClient(context, o.theme);
  const calls = o.wallet ? (await injectWallet(context, o.wallet, chain.rpcUrl)).calls : [];
  const page = await context.newPage();
  const watch = await watchPage(page);
  if (mode === "telegram") {
    const initData = signInitData({ user, startParam: o.startParam });
    await page.goto(telegramUrl(stack.url, { initData, theme: o.theme, startParam: o.startParam }));
  } else {
    const { member } = await ensureMember(stack.domain, {
      id: user.id,
      firstName: user.first_name,
      languageCode: user.language_code,
    });
    const { token } = await issueLoginToken(stack.domain, member.id);
    await page.goto(loginLink(stack.config.dashboard.url, token));
  }
  await page.waitForSelector('[data-screen="home"]');
  return { context, page, watch, calls };
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`[data-screen="${tab}"]`);
  await page.waitForFunction(() => !document.querySelector('[data-state="loading"]'));
}

/**
 * Waits for `selector` (with `text`, when given), telling the page it regained focus (it
 * reloads what it shows then) meanwhile.
 */
async function waitRefreshing(page: Page, selector: string, text?: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const found = page.locator(selector);
    if (
      (await found.count()) > 0 &&
      (text === undefined || (await found.first().textContent()) === text)
    )
      return;
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await page.waitForTimeout(150);
  }
  throw new Error(`gave up waiting for ${selector}${text === undefined ? "" : ` = ${text}`}`);
}

async function linkWallet(page: Page): Promise<void> {
  await openTab(page, "wallet");
  await page.click('[data-testid="connect-dev.refmint.test-wallet"]');
  await page.waitForSelector('[data-testid="linked-address"]');
}

async function noSeriousViolations(page: Page, where: string): Promise<void> {
  await page.waitForTimeout(150);
  assert.deepEqual(await seriousViolations(page), [], `${where}: no serious axe violations`);
}

function assertClean(w: PageWatch): void {
  assert.deepEqual(w.errors, [], "no console errors or CSP violations");
  assert.deepEqual(w.failed, [], "no failed requests");
}

/** The journey of one referrer and one invited member, in `mode`; `ids` keeps members apart. */
async function journey(
  mode: "telegram" | "web",
  o: { lang: "en" | "ru"; theme: Theme; ids: [number, number]; width?: number },
) {
  const tag = `${mode}-${o.theme}-${o.lang}${o.width ? `-${o.width}` : ""}`;
  const en = o.lang === "en";
  const referrerWallet = testAccount(`journey-${tag}-referrer`);
  const inviteeWallet = testAccount(`journey-${tag}-invitee`);
  const { member: referrer } = await ensureMember(stack.domain, {
    id: o.ids[0],
    firstName: "Ada",
    languageCode: o.lang,
  });

  // --- The invited member's first screen.
  const invitee = await open(
    mode,
    { id: o.ids[1], first_name: "Lin", language_code: o.lang },
    {
      theme: o.theme,
      wallet: inviteeWallet,
      width: o.width,
      startParam: mode === "telegram" ? referrer.code : undefined,
    },
  );
  const inviteeId = (
    await ensureMember(stack.domain, { id: o.ids[1], firstName: "Lin", languageCode: o.lang })
  ).member.id;
  if (mode === "web") {
    // No link on the website: the member enters the friend's code, in a field labelled so.
    await openTab(invitee.page, "invite");
    await invitee.page.waitForSelector('[data-section="enter-code"]');
    const input = invitee.page.getByLabel(
      en ? "Your friend's code" : "Код друга, который вас пригласил",
    );
    assert.equal(await input.count(), 1, "the code field is labelled for a friend's code");
    await input.fill(referrer.code);
    await invitee.page.click('[data-section="enter-code"] button[type="submit"]');
    // Attributed: "Were you invited?" is answered and goes away.
    await invitee.page.waitForSelector('[data-section="enter-code"]', { state: "detached" });
  }
  await until("the attribution", async () => {
    const [r] = await db.db.select().from(referrals).where(eq(referrals.refereeId, inviteeId));
    return r?.referrerId === referrer.id ? r : undefined;
  });
  await openTab(invitee.page, "home");
  await waitRefreshing(invitee.page, '[data-section="invitation"]');
  assert.equal(
    await invitee.page.textContent('[data-testid="invited-by"]'),
    en ? "Invited by Ada" : "Приглашение от Ada",
  );
  assert.equal(
    await invitee.page.textContent('[data-testid="invitation-offer"]'),
    en
      ? "You get 5 REF when your invitation counts. Ada gets 10 REF."
      : "Вы получите 5 REF, когда приглашение будет засчитано. Ada получит 10 REF.",
  );
  assert.deepEqual(
    await invitee.page
      .locator(".checklist li")
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute("data-step"), e.getAttribute("data-done")]),
      ),
    [
      ["joined", "true"],
      ["wallet", "false"],
      ["counted", "false"],
    ],
  );
  // Nobody qualified yet: the tier bar is empty.
  assert.equal(await invitee.page.getAttribute('[data-testid="tier-bar"]', "aria-valuenow"), "0");
  assert.equal(
    await invitee.page.locator(".tier-bar-fill").evaluate((e) => (e as HTMLElement).style.width),
    "0%",
  );
  await noSeriousViolations(invitee.page, `${tag} invited home`);
  await screenshot(invitee.page, `journey-invited-${tag}`);
  // The Invite screen no longer asks whether they were invited.
  await openTab(invitee.page, "invite");
  await invitee.page.waitForSelector('[data-testid="invite-code"]');
  await invitee.page.waitForTimeout(300);
  assert.equal(await invitee.page.locator('[data-section="enter-code"]').count(), 0);

  // The next step: the checklist's button leads to the wallet; linking qualifies the invitation.
  await openTab(invitee.page, "home");
  await invitee.page.click('[data-testid="invitation-next"]');
  await invitee.page.waitForSelector('[data-screen="wallet"]');
  await invitee.page.click('[data-testid="connect-dev.refmint.test-wallet"]');
  await invitee.page.waitForSelector('[data-testid="linked-address"]');
  assert.equal(
    await invitee.page.textContent('[data-testid="linked-address"]'),
    inviteeWallet.address,
    "the address is shown whole (one deliberate break point)",
  );

  // --- The referrer had no wallet: the reward is paid on-chain into escrow.
  const grant = await until("the referrer's reward settled (into escrow)", async () => {
    const [row] = await db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.memberId, referrer.id), eq(ledgerEntries.kind, "referral")));
    return row?.state === "settled" ? row : undefined;
  });
  // The first-steps card is gone once the invitation counts.
  await openTab(invitee.page, "home");
  await waitRefreshing(invitee.page, '[data-testid="verified-REF"]');
  await waitRefreshing(invitee.page, '[data-screen="home"]:not(:has([data-section="invitation"]))');
  assertClean(invitee.watch);
  await invitee.context.close();

  const ref = await open(
    mode,
    { id: o.ids[0], first_name: "Ada", language_code: o.lang },
    { theme: o.theme, wallet: referrerWallet, width: o.width },
  );
  // Home: what is reserved for Ada, with the step to take; never "— REF".
  await ref.page.waitForSelector('[data-testid="balance-REF"][data-kind="reserved"]');
  await ref.page.waitForFunction(
    () => document.querySelector('[data-testid="balance-REF"]')?.textContent === "10 REF",
  );
  assert.equal(
    await ref.page.textContent('[data-testid="reserved-REF"]'),
    en
      ? "Reserved for you on-chain: link a wallet to receive it"
      : "Зарезервировано для вас в блокчейне: привяжите кошелёк, чтобы получить",
  );
  assert.doesNotMatch((await ref.page.textContent('[data-section="balances"]')) ?? "", /—/);
  // Ada has one qualified friend: a fifth of the way to Silver (5).
  assert.equal(await ref.page.getAttribute('[data-testid="tier-bar"]', "aria-valuenow"), "20");
  await noSeriousViolations(ref.page, `${tag} home reserved`);
  await screenshot(ref.page, `journey-home-reserved-${tag}`);

  // History: which friend, which level, and "reserved", not "paid".
  await openTab(ref.page, "rewards");
  const row = `[data-reward="${grant.id}"]`;
  await ref.page.waitForSelector(`${row}[data-delivery="reserved"]`);
  assert.equal(
    await ref.page.textContent(`${row} [data-testid="reward-source"]`),
    en ? "For inviting Lin · Level 1" : "За приглашение: Lin · Уровень 1",
  );
  assert.match(
    (await ref.page.textContent(`${row} [data-testid="reward-delivery"]`)) ?? "",
    en ? /^Reserved for you on-chain: link a wallet to receive it/ : /^Зарезервировано для вас/,
  );
  assert.doesNotMatch((await ref.page.textContent(row)) ?? "", en ? /paid/i : /выплачено/i);
  await noSeriousViolations(ref.page, `${tag} rewards reserved`);
  await screenshot(ref.page, `journey-rewards-reserved-${tag}`);
  await openTab(ref.page, "referrals");
  await ref.page.waitForSelector('[data-referral][data-status="reserved"]');

  // She links a wallet; the release waits in the mempool (mining paused) so the page can show
  // it on its way.
  await chain.chain.automine(false);
  try {
    await linkWallet(ref.page);
    await until("the release sent", async () => {
      const [r] = await db.db
        .select()
        .from(chainReleases)
        .where(eq(chainReleases.memberId, referrer.id));
      return r && r.status !== "queued" ? r : undefined;
    });
    await openTab(ref.page, "home");
    await waitRefreshing(ref.page, '[data-testid="releasing-REF"]');
    assert.equal(
      await ref.page.textContent('[data-testid="releasing-REF"]'),
      en ? "10 REF being released to your wallet" : "10 REF переводится на ваш кошелёк",
    );
    await screenshot(ref.page, `journey-home-releasing-${tag}`);
  } finally {
    await chain.chain.automine(true);
    await chain.chain.mine(1);
  }
  // Mined and indexed: in her wallet, read from the chain, the release's transaction linked.
  await waitRefreshing(ref.page, '[data-testid="balance-REF"][data-kind="onchain"]', "10 REF");
  await waitRefreshing(ref.page, '[data-token="REF"]:not(:has([data-testid="releasing-REF"]))');
  assert.match((await ref.page.textContent('[data-testid="verified-REF"]')) ?? "", /✓/);
  // "Add REF to wallet" asks the wallet to track the token (EIP-747).
  await ref.page.click('[data-testid="watch-REF"]');
  await ref.page.waitForSelector('[data-testid="watch-REF-state"][data-state="added"]');
  assert.ok(ref.calls.includes("wallet_watchAsset"));
  await screenshot(ref.page, `journey-home-released-${tag}`);
  await openTab(ref.page, "rewards");
  await waitRefreshing(ref.page, `${row}[data-delivery="released"]`);
  const [release] = await db.db
    .select()
    .from(chainReleases)
    .where(eq(chainReleases.memberId, referrer.id));
  assert.equal(release?.status, "released");
  assert.equal(
    await ref.page.getAttribute(`${row} [data-testid="reward-delivery"] a`, "href"),
    `${EXPLORER}/tx/${release?.txHash}`,
    "the release's transaction on the explorer",
  );
  assert.equal(
    await ref.page.getAttribute(`${row} [data-testid="reward-delivery"] button`, "data-copy"),
    release?.txHash,
    "and copyable",
  );
  await ref.page.click(`${row} [data-testid="reward-delivery"] button`);
  await ref.page.waitForFunction(
    async (hash) => (await navigator.clipboard.readText()) === hash,
    release?.txHash,
  );
  await screenshot(ref.page, `journey-rewards-released-${tag}`);

  // --- The rules page.
  await openTab(ref.page, "home");
  await ref.page.click('[data-testid="open-rules"]');
  await ref.page.waitForSelector('[data-screen="rules"] [data-testid="rules-hash"]');
  assert.equal(await ref.page.textContent('[data-testid="level-1-amount"]'), "10 REF");
  assert.equal(await ref.page.textContent('[data-testid="level-2-amount"]'), "2 REF");
  assert.equal(
    await ref.page.textContent('[data-testid="level-3-amount"]'),
    en ? "0.5 REF" : "0,5 REF",
    "one number format per language",
  );
  assert.deepEqual(
    await ref.page
      .locator('[data-testid="tiers-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent))),
    en
      ? [
          ["Bronze · yours", "0 qualified friends", "×1"],
          ["Silver", "5 qualified friends", "×1.2"],
          ["Gold", "20 qualified friends", "×1.5"],
        ]
      : [
          ["Бронза · ваш", "0 засчитанных друзей", "×1"],
          ["Серебро", "5 засчитанных друзей", "×1,2"],
          ["Золото", "20 засчитанных друзей", "×1,5"],
        ],
  );
  assert.match(
    (await ref.page.getAttribute('[data-testid="rules-hash"]', "data-hash")) ?? "",
    /^0x[0-9a-f]{64}$/,
  );
  assert.match((await ref.page.textContent('[data-testid="rules-version"]')) ?? "", /1/);
  assert.match(
    (await ref.page.textContent('[data-testid="expiry"]')) ?? "",
    en ? /90 days/ : /90 дней/,
  );
  // Who can be invited (the demo campaign: new members only, the default).
  assert.match(
    (await ref.page.textContent('[data-testid="who-can-be-invited"]')) ?? "",
    en ? /^Only members new to the community can be invited/ : /^Пригласить можно только новых/,
  );
  await noSeriousViolations(ref.page, `${tag} rules`);
  await screenshot(ref.page, `journey-rules-${tag}`);

  if ((o.width ?? 0) >= 1024) {
    // Desktop: navigation down the side, the rules' sections in two columns.
    const nav = await ref.page.locator('.tabbar[role="tablist"]').boundingBox();
    assert.ok(nav && nav.x < 20 && nav.height > nav.width, "navigation at the side");
    const columns = await ref.page
      .locator('[data-screen="rules"] :has(> [data-section])')
      .first()
      .evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
    assert.equal(columns, 2, "two columns on a wide screen");
    await openTab(ref.page, "home");
    await screenshot(ref.page, `journey-home-desktop-${tag}`);
  }
  assertClean(ref.watch);
  await ref.context.close();
}

test("Mini App: invited member's first screen, reserved → release after linking a wallet, rules", async () => {
  await journey("telegram", { lang: "en", theme: "light", ids: [83_001, 83_002] });
});

test("website at 1280 px, dark, Russian: the same journey, desktop layout", async () => {
  await journey("web", { lang: "ru", theme: "dark", ids: [83_011, 83_012], width: 1280 });
});

test("the web manifest's icons (SVG and PNG, 192 and 512 px) are served as images", async () => {
  const manifest = (await (await fetch(`${stack.url}/manifest.webmanifest`)).json()) as {
    icons: Array<{ src: string; sizes: string; type: string }>;
  };
  const sizes = manifest.icons.map((i) => `${i.type} ${i.sizes}`);
  for (const wanted of ["image/svg+xml any", "image/png 192x192", "image/png 512x512"])
    assert.ok(sizes.includes(wanted), `${wanted} in ${sizes.join(", ")}`);
  for (const icon of manifest.icons) {
    const res = await fetch(new URL(icon.src, stack.url));
    assert.equal(res.status, 200, `${icon.src} is served`);
    assert.equal(res.headers.get("content-type")?.split(";")[0], icon.type, icon.src);
    const body = Buffer.from(await res.arrayBuffer());
    if (icon.type === "image/png") {
      // The PNG's own header says its size (width and height at bytes 16 and 20).
      const [w, h] = icon.sizes.split("x").map(Number);
      assert.deepEqual([body.readUInt32BE(16), body.readUInt32BE(20)], [w, h], icon.src);
    }
  }
});
