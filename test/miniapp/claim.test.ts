/**
 * Claiming an escrowed reward from the dashboard, end to end with the real payout pipeline
 * (server/chain: worker, indexer, epoch publisher) on a local Hardhat chain:
 *
 * Alice has no wallet when Bob qualifies, so her reward is paid on-chain into the token's
 * RewardDistributor. She links a wallet in the Mini App (SIWE); the pipeline builds and
 * publishes a Merkle epoch with her leaf; the Rewards screen shows the claim (proof from
 * GET /api/rewards/proof), the claim transaction is sent from her injected wallet and shown
 * pending, then confirmed, and Home shows the new on-chain balance.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, eq } from "drizzle-orm";
import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainComponent } from "../../app/components.ts";
import { loadChainSettings } from "../../server/chain/config.ts";
import { ContractIndex } from "../../server/chain/contracts.ts";
import { buildEpochs } from "../../server/chain/epochs.ts";
import { chainMetrics } from "../../server/chain/health.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { ledgerEntries } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { createLogger } from "../../server/logger.ts";
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

const CHAIN_ENV = {
  PAYOUT_SIGNER_PRIVATE_KEY: BACKEND_KEY,
  CHAIN_CONFIRMATIONS: "1",
  CHAIN_POLL_MS: "100",
  PAYOUT_BATCH_WINDOW_MS: "0",
  // Epochs are built by the test (below) when Alice has a wallet, not on a timer.
  EPOCH_INTERVAL_MINUTES: "0",
  // This is the Merkle claim's journey (the way out when the backend does not release): the
  // worker must not release Alice's escrow to the wallet she links first.
  ESCROW_RELEASE: "false",
};

before(async () => {
  ({ db, chain, stack, browser } = await startDashboardStack((chain, dist) => ({
    components: [webComponent, chainComponent],
    env: { DASHBOARD_DIST_DIR: dist, RPC_URL: chain.rpcUrl, ...CHAIN_ENV },
  })));
});

after(() => stopDashboardStack({ browser, stack, chain, db }));

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

test("claim an escrowed Merkle reward from the Rewards screen and see the new on-chain balance", async () => {
  const aliceWallet = testAccount("claim-alice");
  const { member: alice } = await ensureMember(stack.domain, { id: 82_001, firstName: "Alice" });
  const { member: bob } = await ensureMember(stack.domain, { id: 82_002, firstName: "Bob" });
  await attribute(stack.domain, { refereeId: bob.id, code: alice.code, source: "start" });
  const siwe = {
    domain: stack.config.siwe.domain,
    uri: stack.config.siwe.uri,
    chainId: 31337,
    nonceTtlSeconds: 600,
  };
  await linkTestWallet(stack.domain, bob.id, testAccount("claim-bob"), siwe);

  // Alice had no wallet: her level-1 reward is paid into the distributor and settled.
  const grant = await until("Alice's escrowed reward to settle", async () => {
    const [row] = await db.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.memberId, alice.id), eq(ledgerEntries.kind, "referral")));
    return row?.state === "settled" ? row : undefined;
  });
  const distributor = getAddress(chain.deployment.tokens.REF?.distributor ?? "");
  assert.ok((await chain.balanceOf("REF", distributor)) >= grant.amount, "held in escrow");

  // Alice opens the Mini App and links her wallet (no ETH yet for the claim's gas).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await playTelegramClient(context, "light");
  const wallet = await injectWallet(context, aliceWallet, chain.rpcUrl);
  const page = await context.newPage();
  const watch = await watchPage(page);
  const initData = signInitData({ user: { id: 82_001, first_name: "Alice", language_code: "en" } });
  await page.goto(telegramUrl(stack.url, { initData }));
  await page.click("#tab-wallet");
  await page.click('[data-testid="connect-dev.refmint.test-wallet"]');
  await page.waitForSelector('[data-testid="linked-address"]');

  // The pipeline builds the epoch with her leaf; its worker publishes the root on-chain.
  const settings = loadChainSettings({ ...CHAIN_ENV });
  const outcomes = await buildEpochs({
    db: db.db,
    contracts: ContractIndex.fromRegistry(stack.domain.campaigns),
    settings,
    chainId: 31337,
    logger: createLogger("silent"),
    metrics: chainMetrics(stack.metrics.registry),
    now: () => new Date(),
    signer: privateKeyToAccount(BACKEND_KEY).address,
  });
  assert.ok(
    outcomes.some((o) => o.token === "REF" && o.outcome === "built"),
    JSON.stringify(outcomes, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
  );
  const auth = `tma ${initData}`;
  const proof = await until("the published epoch's proof", async () => {
    const res = await fetch(`${stack.url}/api/rewards/proof`, { headers: { authorization: auth } });
    const body = (await res.json()) as { items: Array<{ token: string; claimable: string }> };
    return body.items.find((i) => i.token === "REF" && BigInt(i.claimable) > 0n);
  });
  assert.equal(BigInt(proof.claimable), grant.amount);

  // Claim from the Rewards screen: the history says where the reward is (claimable since).
  await page.click("#tab-rewards");
  await page.waitForSelector('[data-testid="claim-REF"]');
  await page.waitForSelector(`[data-reward="${grant.id}"][data-delivery="claimable"]`);
  assert.match(
    (await page.textContent(`[data-reward="${grant.id}"] [data-testid="reward-delivery"]`)) ?? "",
    /^Claimable since .+, until .+/,
  );
  await screenshot(page, "rewards-claim-light-en");
  // Without ETH for gas the claim is not sent, and the member is told why.
  await page.click('[data-testid="claim-REF"]');
  await page.waitForSelector('[data-testid="claim-status"][data-phase="failed"]');
  assert.match(
    (await page.textContent('[data-testid="claim-status"]')) ?? "",
    /none of this network's coin to pay the transaction fee/,
  );
  assert.ok(!wallet.calls.includes("eth_sendTransaction"), "nothing sent without gas");
  await chain.fund(aliceWallet.address);
  // A second tab, opened before the claim, still offers it.
  const second = await context.newPage();
  await second.goto(telegramUrl(stack.url, { initData }));
  await second.click("#tab-rewards");
  await second.waitForSelector('[data-testid="claim-REF"]');
  const before = await chain.balanceOf("REF", aliceWallet.address);
  // Record every phase the claim shows from now on (the refused attempt's "failed" is still on
  // screen: any re-render before the click must not record it as a new phase).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __phases: string[] }).__phases = seen;
    const current = () =>
      document.querySelector('[data-testid="claim-status"]')?.getAttribute("data-phase");
    let last = current();
    new MutationObserver(() => {
      const phase = current();
      if (!phase || phase === last) return;
      seen.push(phase);
      last = phase;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('[data-testid="claim-REF"]');
  await page.waitForSelector('[data-testid="claim-status"][data-phase="confirmed"]');
  const phases = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
  // From the click on: a re-render of the earlier refusal may precede it, nothing else may.
  assert.deepEqual(phases.slice(phases.indexOf("signing")), ["signing", "pending", "confirmed"]);
  assert.ok(
    phases.slice(0, phases.indexOf("signing")).every((p) => p === "failed"),
    phases.join(","),
  );
  assert.ok(wallet.calls.includes("eth_sendTransaction"), "sent from the member's wallet");
  const after = await chain.balanceOf("REF", aliceWallet.address);
  assert.equal(after - before, grant.amount, "the claimed amount arrived on-chain");
  await screenshot(page, "rewards-claimed-light-en");

  // The second tab's claim: already claimed, said so, nothing sent twice.
  const sent = wallet.calls.filter((c) => c === "eth_sendTransaction").length;
  await second.click('[data-testid="claim-REF"]');
  await second.waitForSelector('[data-testid="claim-status"][data-phase="failed"]');
  assert.match((await second.textContent('[data-testid="claim-status"]')) ?? "", /Already claimed/);
  assert.equal(wallet.calls.filter((c) => c === "eth_sendTransaction").length, sent);
  await screenshot(second, "rewards-already-claimed-light-en");
  await second.close();
  // Once the indexer saw the claim, the history says so.
  for (let i = 0; i < 100; i++) {
    if (await page.locator(`[data-reward="${grant.id}"][data-delivery="claimed"]`).count()) break;
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await page.waitForTimeout(150);
  }
  await page.waitForSelector(`[data-reward="${grant.id}"][data-delivery="claimed"]`);

  // Home reads the new balance from the chain.
  await page.click("#tab-home");
  const shown = `${Number(after / 10n ** 14n) / 10_000} REF`;
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="balance-REF"]')?.textContent === text,
    shown,
  );
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.failed, []);
  await context.close();
});
