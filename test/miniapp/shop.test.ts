/**
 * The shop journey in the dashboard (Mini App mode), end to end on a local Hardhat chain with
 * the real pipeline (relayer sender, indexer) and Chromium: the member opens the Shop from
 * Home, sees each perk with price, stock and their balance (a perk priced in a token they do
 * not hold is refused with a clear reason and cannot be redeemed), redeems one: the wallet
 * signs an ERC-2612 permit and the EIP-712 order (no transaction, no gas), the backend relays
 * it, the screen goes from pending to confirmed with the transaction link, the coupon appears,
 * and the tokens are spent on-chain.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseUnits } from "viem";
import { chainComponent } from "../../app/components.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { issueLoginToken, loginLink } from "../../server/domain/webLogin.ts";
import { webComponent } from "../../server/web/component.ts";
import { linkTestWallet, testAccount } from "../support/siwe.ts";
import { signInitData } from "../support/telegram.ts";
import {
  injectWallet,
  playTelegramClient,
  screenshot,
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

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((chain, dist) => ({
    components: [webComponent, chainComponent],
    env: {
      DASHBOARD_DIST_DIR: dist,
      RPC_URL: chain.rpcUrl,
      PAYOUT_SIGNER_PRIVATE_KEY: BACKEND_KEY,
      CHAIN_CONFIRMATIONS: "1",
      CHAIN_POLL_MS: "100",
      PAYOUT_BATCH_WINDOW_MS: "0",
      EPOCH_INTERVAL_MINUTES: "0",
      EXPLORER_URL: "https://explorer.test",
    },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

test("redeem a perk from the Shop: permit and order signed in the wallet, relayed gas-free, confirmed with the transaction and a coupon", async () => {
  const wallet = testAccount("shop-alice");
  const { member: alice } = await ensureMember(stack.domain, { id: 83_001, firstName: "Alice" });
  await linkTestWallet(stack.domain, alice.id, wallet, {
    domain: stack.config.siwe.domain,
    uri: stack.config.siwe.uri,
    chainId: 31337,
    nonceTtlSeconds: 600,
  });
  // 60 REF in her wallet (paid on-chain by the campaign's payout contract); no ETH at all.
  await chain.pay("REF", [
    {
      payoutId: 9_000_001n,
      recipient: wallet.address,
      amount: parseUnits("60", 18),
      referee: 1n,
      level: 1,
    },
  ]);
  assert.equal(await chain.balanceOf("REF", wallet.address), parseUnits("60", 18));

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const injected = await injectWallet(context, wallet, chain.rpcUrl);
  const page = await context.newPage();
  const watch = await watchPage(page);
  const initData = signInitData({ user: { id: 83_001, first_name: "Alice", language_code: "en" } });
  await page.goto(telegramUrl(stack.url, { initData }));
  await page.click('[data-testid="open-shop"]');
  await page.waitForSelector('[data-testid="perk-balance-sticker-pack"]');
  assert.match(
    (await page.textContent('[data-testid="perk-sticker-pack"]')) ?? "",
    /Sticker pack[\s\S]*unlimited[\s\S]*you have 60 REF/,
  );
  // Priced in ACT, which she does not hold: refused with a reason, no button to press.
  assert.equal(
    await page.getAttribute('[data-testid="perk-refusal-merch-discount"]', "data-refusal"),
    "insufficient_balance",
  );
  assert.equal(await page.isDisabled('[data-testid="redeem-merch-discount"]'), true);
  await screenshot(page, "shop-light-en");

  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __phases: string[] }).__phases = seen;
    new MutationObserver(() => {
      const phase = document
        .querySelector('[data-testid="redeem-status"]')
        ?.getAttribute("data-phase");
      if (phase && seen.at(-1) !== phase) seen.push(phase);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('[data-testid="redeem-sticker-pack"]');
  await page.waitForSelector('[data-testid="redeem-status"][data-phase="confirmed"]', {
    timeout: 120_000,
  });
  assert.deepEqual(
    await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases),
    ["signing", "pending", "confirmed"],
  );
  const href = await page.getAttribute('[data-testid="redeem-tx"]', "href");
  assert.match(href ?? "", /^https:\/\/explorer\.test\/tx\/0x[0-9a-f]{64}$/);
  const status = (await page.textContent('[data-testid="redeem-status"]')) ?? "";
  const coupon = /RM-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(status)?.[0];
  assert.ok(coupon, `the coupon is shown: ${status}`);
  await page.waitForSelector(`[data-testid="coupon-${coupon}"]`);
  await screenshot(page, "shop-redeemed-light-en");

  // Signed twice (permit, order), sent nothing: the relayer paid the gas.
  assert.equal(injected.calls.filter((c) => c === "eth_signTypedData_v4").length, 2);
  assert.ok(!injected.calls.includes("eth_sendTransaction"));
  assert.equal(await chain.balanceOf("REF", wallet.address), parseUnits("10", 18));
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.failed, []);
  await context.close();
});

test("website mode, in Russian: log in with the bot's link, redeem from the Shop, then the same perk is refused for want of tokens", async () => {
  const wallet = testAccount("shop-bob");
  const { member: bob } = await ensureMember(stack.domain, {
    id: 83_002,
    firstName: "Bob",
    languageCode: "ru",
  });
  await linkTestWallet(stack.domain, bob.id, wallet, {
    domain: stack.config.siwe.domain,
    uri: stack.config.siwe.uri,
    chainId: 31337,
    nonceTtlSeconds: 600,
  });
  await chain.pay("REF", [
    {
      payoutId: 9_000_002n,
      recipient: wallet.address,
      amount: parseUnits("60", 18),
      referee: 2n,
      level: 1,
    },
  ]);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const injected = await injectWallet(context, wallet, chain.rpcUrl);
  const page = await context.newPage();
  const watch = await watchPage(page);
  const { token } = await issueLoginToken(stack.domain, bob.id);
  await page.goto(loginLink(stack.config.dashboard.url, token));
  await page.waitForSelector('[data-screen="home"]');
  await page.click('[data-testid="open-shop"]');
  await page.waitForSelector('[data-testid="perk-balance-sticker-pack"]');
  assert.match(
    (await page.textContent('[data-testid="perk-sticker-pack"]')) ?? "",
    /Набор стикеров[\s\S]*без ограничений[\s\S]*у вас 60 REF/,
  );
  await page.click('[data-testid="redeem-sticker-pack"]');
  await page.waitForSelector('[data-testid="redeem-status"][data-phase="confirmed"]', {
    timeout: 120_000,
  });
  assert.match(
    (await page.textContent('[data-testid="redeem-status"]')) ?? "",
    /Готово! Ваш купон: RM-/,
  );
  assert.ok(!injected.calls.includes("eth_sendTransaction"), "gasless in website mode too");
  assert.equal(await chain.balanceOf("REF", wallet.address), parseUnits("10", 18));
  // 10 REF left: the perk is refused with a reason and cannot be pressed; nothing spent.
  await page.waitForSelector(
    '[data-testid="perk-refusal-sticker-pack"][data-refusal="insufficient_balance"]',
  );
  assert.match(
    (await page.textContent('[data-testid="perk-refusal-sticker-pack"]')) ?? "",
    /Пока не хватает токенов/,
  );
  assert.equal(await page.isDisabled('[data-testid="redeem-sticker-pack"]'), true);
  await screenshot(page, "shop-web-light-ru");
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.failed, []);
  await context.close();
});
