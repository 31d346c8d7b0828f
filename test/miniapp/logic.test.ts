/**
 * The dashboard's pure logic under node (no browser): amounts, statuses, translations and
 * their completeness, the runtime config the server writes into the page, the SIWE
 * message the wallet signs (checked by the server's own verifier), and the console's
 * latest-request-wins bookkeeping (useLatest without React; in Chromium: the admin tests).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseSiweMessage } from "viem/siwe";
import { latestRequests } from "../../miniapp/src/admin/react.ts";
import { ADMIN_TEXTS } from "../../miniapp/src/admin/texts.ts";
import { DICTIONARIES } from "../../miniapp/src/i18n/locales.ts";
import { LANGS, pickLanguage, translate } from "../../miniapp/src/i18n/translate.ts";
import {
  explorerToken,
  explorerTx,
  formatAmount,
  formatUnitsString,
  funnelSteps,
  percent,
  shortAddress,
} from "../../miniapp/src/shared/format.ts";
import {
  parseRuntimeConfig,
  type RuntimeConfig,
  runtimeConfigElement,
} from "../../miniapp/src/shared/runtimeConfig.ts";
import { pendingWei, referralDisplayStatus, stateTone } from "../../miniapp/src/shared/status.ts";
import { siweMessage } from "../../miniapp/src/wallet/actions.ts";
import { sessionAccounts } from "../../miniapp/src/wallet/walletconnect.ts";
import { ALL_PROBLEM_CODES } from "../../server/http/problem.ts";
import { testAccount } from "../support/siwe.ts";
import { MINIAPP } from "./support/build.ts";

test("amounts are exact decimal strings, grouped per language", () => {
  assert.equal(formatUnitsString("12500000000000000000", 18), "12.5");
  assert.equal(formatUnitsString(0n, 18), "0");
  assert.equal(formatUnitsString("1", 18), "0", "below the shown precision");
  assert.equal(formatUnitsString("123456789", 6, 2), "123.45", "truncated, never rounded up");
  assert.equal(formatUnitsString(-1500000n, 6), "-1.5");
  const big = 10n ** 30n + 5n * 10n ** 17n;
  assert.equal(formatUnitsString(big, 18), "1000000000000.5", "no floating point");
  assert.equal(formatAmount(big, 18, "en"), "1,000,000,000,000.5");
  assert.equal(formatAmount(big, 18, "ru").replace(/\s/g, " "), "1 000 000 000 000,5");
  assert.equal(percent(1, 3), 33);
  assert.equal(percent(5, 0), 0);
  assert.equal(percent(9, 4), 100);
  assert.equal(shortAddress("0x58F7DA14f10ea3b22415190a5b125Bb81d29C932"), "0x58F7…C932");
  assert.equal(explorerTx(null, "0xab"), null);
  assert.equal(explorerTx("https://x.test", "0xab"), "https://x.test/tx/0xab");
  assert.equal(explorerToken("https://x.test", "0xT", "0xH"), "https://x.test/token/0xT?a=0xH");
});

test("the funnel shows no rate where the server has no base for one", () => {
  const empty = funnelSteps({
    clicks: 0,
    starts: 0,
    qualified: 0,
    startRate: null,
    qualifyRate: null,
  });
  assert.deepEqual(
    empty.map((s) => [s.id, s.value, s.rate]),
    [
      ["clicks", 0, null],
      ["starts", 0, null],
      ["qualified", 0, null],
    ],
  );
  const some = funnelSteps({
    clicks: 0,
    starts: 2,
    qualified: 1,
    startRate: null,
    qualifyRate: 50,
  });
  assert.deepEqual(
    some.map((s) => s.rate),
    [null, null, 50],
  );
});

test("a referral shows as paid only once the member's reward for it is settled", () => {
  assert.equal(referralDisplayStatus({ status: "pending", reward: null }), "pending");
  assert.equal(referralDisplayStatus({ status: "review", reward: null }), "review");
  assert.equal(
    referralDisplayStatus({ status: "qualified", reward: { state: "sent" } }),
    "qualified",
  );
  assert.equal(
    referralDisplayStatus({ status: "qualified", reward: { state: "settled" } }),
    "paid",
  );
  // Settled into escrow is not paid: the member has nothing in the wallet yet.
  for (const where of ["reserved", "releasing", "claimable"] as const) {
    assert.equal(
      referralDisplayStatus({
        status: "qualified",
        reward: { state: "settled", delivery: { state: where } },
      }),
      where,
    );
    assert.equal(stateTone(where), "wait");
  }
  for (const where of ["wallet", "released", "claimed"] as const)
    assert.equal(
      referralDisplayStatus({
        status: "qualified",
        reward: { state: "settled", delivery: { state: where } },
      }),
      "paid",
    );
  assert.equal(stateTone("paid"), "good");
  assert.equal(stateTone("expired"), "bad");
  assert.equal(stateTone("queued"), "wait");
  assert.equal(
    pendingWei({
      pending: { wei: "1" },
      queued: { wei: "2" },
      sent: { wei: "4" },
      settled: { wei: "8" },
    }),
    7n,
  );
});

test("languages follow Telegram's code; messages interpolate and pluralize per language", () => {
  assert.equal(pickLanguage("ru"), "ru");
  assert.equal(pickLanguage("ru-RU"), "ru");
  assert.equal(pickLanguage("uk"), "ru", "closest language we have");
  assert.equal(pickLanguage("de", "en-US"), "en");
  assert.equal(pickLanguage(null, undefined), "en");
  const t = (lang: "en" | "ru", key: string, params?: Record<string, string | number>) =>
    translate(DICTIONARIES, lang, key, params);
  assert.equal(t("en", "home.greeting", { name: "Ann" }), "Hi, Ann!");
  assert.equal(
    t("ru", "home.toNext", { count: 1, tier: "Серебро" }),
    "Ещё 1 засчитанное приглашение до статуса «Серебро»",
  );
  assert.equal(
    t("ru", "home.toNext", { count: 3, tier: "Серебро" }),
    "Ещё 3 засчитанных приглашения до статуса «Серебро»",
  );
  assert.equal(
    t("ru", "home.toNext", { count: 5, tier: "Серебро" }),
    "Ещё 5 засчитанных приглашений до статуса «Серебро»",
  );
  assert.equal(
    t("en", "home.toNext", { count: 1, tier: "Silver" }),
    "1 more qualified referral to Silver",
  );
  assert.equal(t("en", "no.such.key"), "no.such.key");
});

test("both languages have every message, every API problem code and every key the screens use", () => {
  const keys = LANGS.map((l) => Object.keys(DICTIONARIES[l]).sort());
  assert.deepEqual(keys[0], keys[1], "en and ru have the same keys");
  for (const lang of LANGS) {
    for (const code of [...ALL_PROBLEM_CODES, "network", "unknown"])
      assert.ok(DICTIONARIES[lang][`problem.${code}`], `${lang}: problem.${code}`);
  }
  // Every literal key passed to t(…) in the app's source.
  const src = path.join(MINIAPP, "src");
  const files = readdirSync(src, { recursive: true })
    .map(String)
    .filter((f) => /\.tsx?$/.test(f));
  const used = new Set<string>();
  const usedByConsole = new Set<string>();
  for (const f of files) {
    // The admin console has its own texts (src/admin/texts.ts), in its own chunk.
    const into = f.startsWith(`admin${path.sep}`) ? usedByConsole : used;
    for (const m of readFileSync(path.join(src, f), "utf8").matchAll(/\bt\(\s*"([\w.]+)"/g))
      into.add(m[1] ?? "");
  }
  assert.ok(used.size > 50);
  for (const key of used) assert.ok(DICTIONARIES.en[key] !== undefined, `missing ${key}`);
  assert.ok(usedByConsole.size > 20);
  for (const key of usedByConsole)
    for (const lang of LANGS) assert.ok(ADMIN_TEXTS[lang][key] !== undefined, `${lang}: ${key}`);
  // Keys built at run time: every value they can take.
  const dynamic = [
    ...["home", "invite", "referrals", "rewards", "wallet"].map((x) => `tab.${x}`),
    ...["pending", "review", "qualified", "paid", "rejected"].map((x) => `status.${x}`),
    ...["pending", "queued", "sent", "settled", "failed", "expired", "rejected"].map(
      (x) => `state.${x}`,
    ),
    ...["rejected", "no_account", "wrong_chain", "failed"].map((x) => `wallet.error.${x}`),
    ...["signing", "pending", "confirmed", "failed"].map((x) => `rewards.phase.${x}`),
    ...["welcome", "challenge", "adjustment"].map((x) => `rewards.kind.${x}`),
    ...["clicks", "starts", "qualified"].map((x) => `referrals.${x}`),
    ...["waiting_wallet", "waiting", "review", "qualified", "paid"].map(
      (x) => `friends.state.${x}`,
    ),
    ...["sent", "already_today", "not_waiting"].map((x) => `friends.remind.${x}`),
  ];
  for (const key of dynamic)
    for (const lang of LANGS) assert.ok(DICTIONARIES[lang][key], `${lang}: ${key}`);
});

const CONFIG: RuntimeConfig = {
  mode: "web",
  botUsername: "refmint_bot",
  miniAppShortName: "app",
  chain: { id: 8453, name: "Base", rpcUrl: "https://rpc.example", explorerUrl: null },
  walletConnectProjectId: null,
};

test("the runtime config survives the page: escaped inside its script element, validated on read", () => {
  const hostile = {
    ...CONFIG,
    chain: { ...CONFIG.chain, name: "</script><script>alert(1)</script>" },
  };
  const element = runtimeConfigElement(hostile);
  assert.equal(element.match(/<\/script>/g)?.length, 1, "only the element's own closing tag");
  const json = element.replace(/^<script[^>]*>/, "").replace(/<\/script>$/, "");
  assert.deepEqual(parseRuntimeConfig(JSON.parse(json)), hostile);
  assert.throws(() => parseRuntimeConfig({ ...CONFIG, mode: "tv" }), /mode/);
  assert.throws(
    () => parseRuntimeConfig({ ...CONFIG, chain: { ...CONFIG.chain, id: "1" } }),
    /chain\.id/,
  );
  assert.throws(() => parseRuntimeConfig(null), /not an object/);
});

test("the SIWE message carries the server's domain (a host), URI, chain and nonce", async () => {
  const account = testAccount("siwe-logic");
  const nonce = {
    nonce: "0123456789abcdef0123456789abcdef",
    issuedAt: "2026-01-02T03:04:05.000Z",
    expiresAt: "2026-01-02T03:14:05.000Z",
    domain: "dash.refmint.test",
    uri: "https://dash.refmint.test",
    chainId: 8453,
    statement: "Link this wallet to my Refmint account to receive rewards.",
    version: "1" as const,
  };
  const message = siweMessage(account.address, nonce);
  assert.match(message, /^dash\.refmint\.test wants you to sign in with your Ethereum account:\n/);
  const parsed = parseSiweMessage(message);
  assert.equal(parsed.address, account.address);
  assert.equal(parsed.uri, nonce.uri);
  assert.equal(parsed.chainId, 8453);
  assert.equal(parsed.nonce, nonce.nonce);
  assert.equal(
    parsed.issuedAt?.toISOString(),
    nonce.issuedAt,
    "the server's clock, not the browser's",
  );
  assert.equal(parsed.expirationTime?.toISOString(), nonce.expiresAt);
});

test("a WalletConnect session's accounts are read for the campaign's chain only", () => {
  const accounts = [
    "eip155:1:0x00000000000000000000000000000000000000a1",
    "eip155:8453:0x00000000000000000000000000000000000000b2",
    "eip155:84532:0x00000000000000000000000000000000000000c3",
  ];
  assert.deepEqual(sessionAccounts(accounts, 8453), ["0x00000000000000000000000000000000000000b2"]);
  assert.deepEqual(sessionAccounts(accounts, 10), []);
  assert.throws(
    () => parseRuntimeConfig({ ...CONFIG, walletConnectProjectId: 7 }),
    /walletConnectProjectId/,
  );
});

/** A promise the test settles by hand (an answer held back), and the signal it was asked with. */
function held<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((y, n) => {
    resolve = y;
    reject = n;
  });
  const asked: { signal?: AbortSignal } = {};
  const request = (signal: AbortSignal) => {
    asked.signal = signal;
    return promise;
  };
  return { request, resolve, reject, asked };
}

test("a console screen shows only its latest request's answer; the one before is aborted, and none after it closed", async () => {
  const { run, close } = latestRequests();
  const shown: string[] = [];
  const failed: string[] = [];
  const go = (request: (signal: AbortSignal) => Promise<string>) =>
    run(
      request,
      (v) => shown.push(v),
      (e) => failed.push((e as Error).message),
    );

  // The first load is answered after a filter submitted meanwhile: its rows are dropped.
  const first = held<string>();
  const firstDone = go(first.request);
  const second = held<string>();
  const secondDone = go(second.request);
  assert.equal(first.asked.signal?.aborted, true, "the superseded request is aborted");
  assert.equal(second.asked.signal?.aborted, false);
  second.resolve("filtered rows");
  await secondDone;
  first.resolve("first rows");
  await firstDone; // settles all the same: a caller awaiting it is not left hanging
  assert.deepEqual(shown, ["filtered rows"]);

  // A superseded request's error is dropped too; the latest one's is shown.
  const late = held<string>();
  const lateDone = go(late.request);
  const refused = go(() => Promise.reject(new Error("refused")));
  late.reject(new Error("network"));
  await Promise.all([lateDone, refused]);
  assert.deepEqual(failed, ["refused"]);

  // A later request still wins after errors; the latest answer is shown even when it is slow.
  const slow = held<string>();
  const slowDone = go(slow.request);
  slow.resolve("slow but latest");
  await slowDone;
  assert.deepEqual(shown, ["filtered rows", "slow but latest"]);

  // Leaving the screen aborts what is pending and drops its answer.
  const pending = held<string>();
  const pendingDone = go(pending.request);
  close();
  assert.equal(pending.asked.signal?.aborted, true);
  pending.resolve("after the screen closed");
  await pendingDone;
  assert.deepEqual(shown, ["filtered rows", "slow but latest"]);
  assert.deepEqual(failed, ["refused"]);
});
