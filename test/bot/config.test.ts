/**
 * The bot's settings and the pure helpers its messages rely on: mode selection, refusals
 * naming the variable, the component doing nothing (and saying how to fix it) without a
 * token, locale files that match each other and the code, amounts, links and broadcasts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parseBroadcast } from "../../bot/broadcast.ts";
import { createBotComponent } from "../../bot/component.ts";
import { loadBotSettings } from "../../bot/config.ts";
import { buttonUrlAllowed } from "../../bot/dashboard.ts";
import { formatDecimal, formatMultiplier, formatPercent } from "../../bot/format.ts";
import { createTranslator, escapeHtml, LOCALES, localeKeys, memberLocale } from "../../bot/i18n.ts";
import { qualificationText } from "../../bot/rulesText.ts";
import { secretMatches } from "../../bot/webhook.ts";
import { ConfigError, loadConfig } from "../../server/config.ts";
import { type CampaignDefinition, compileCampaign } from "../../server/domain/campaign.ts";
import { FRIEND_STATES, MUTABLE_KINDS } from "../../server/domain/index.ts";
import { createAccess } from "../../server/http/access.ts";
import { createMetrics } from "../../server/http/metrics.ts";
import { createLogger } from "../../server/logger.ts";
import { testConfig } from "../support/app.ts";
import { testCampaign } from "../support/campaign.ts";
import { htmlProblem } from "./support/fakeTelegram.ts";

const core = testConfig();
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  assert.fail("expected a ConfigError");
};

test("mode: webhook with BOT_WEBHOOK_URL, polling without, off without a token or with BOT_MODE=off", () => {
  assert.equal(loadBotSettings({}, core).mode, "polling");
  const webhook = loadBotSettings(
    { BOT_WEBHOOK_URL: "https://bot.example.com/tg/hook/", BOT_WEBHOOK_SECRET: "s".repeat(32) },
    core,
  );
  assert.equal(webhook.mode, "webhook");
  assert.deepEqual(webhook.webhook, {
    url: "https://bot.example.com/tg/hook/",
    path: "/tg/hook",
    secret: "s".repeat(32),
    concurrency: 100,
    maxConnections: 40,
    answer: "response",
  });
  assert.equal(
    loadBotSettings(
      {
        BOT_WEBHOOK_URL: "https://bot.example.com/tg/hook/",
        BOT_WEBHOOK_SECRET: "s".repeat(32),
        BOT_WEBHOOK_ANSWER: "api",
      },
      core,
    ).webhook?.answer,
    "api",
  );
  assert.throws(
    () =>
      loadBotSettings(
        {
          BOT_WEBHOOK_URL: "https://bot.example.com/tg/hook/",
          BOT_WEBHOOK_SECRET: "s".repeat(32),
          BOT_WEBHOOK_ANSWER: "later",
        },
        core,
      ),
    /BOT_WEBHOOK_ANSWER/,
  );
  assert.equal(loadBotSettings({ BOT_MODE: "off" }, core).mode, "off");
  const noToken = loadBotSettings({}, loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }));
  assert.deepEqual([noToken.mode, noToken.offReason], ["off", "no_token"]);
  // Outside production a missing secret is random per process (with a warning).
  const random = loadBotSettings({ BOT_WEBHOOK_URL: "https://bot.example.com/hook" }, core);
  assert.match(random.webhook?.secret ?? "", /^[\w-]{40,}$/);
  assert.deepEqual(
    random.warnings.map((w) => w.variable),
    ["BOT_WEBHOOK_SECRET"],
  );
});

test("bad bot settings stop start-up with a message naming the variable", () => {
  assert.deepEqual(
    errorOf(() => loadBotSettings({ BOT_MODE: "webhook" }, core)),
    ["BOT_WEBHOOK_URL: is required when BOT_MODE=webhook"],
  );
  assert.deepEqual(
    errorOf(() => loadBotSettings({ BOT_WEBHOOK_URL: "http://bot.example.com/hook" }, core)),
    ["BOT_WEBHOOK_URL: Telegram delivers webhooks only to https:// URLs"],
  );
  // A local Bot API server may deliver over plain HTTP.
  const local = testConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:8081" });
  assert.equal(loadBotSettings({ BOT_WEBHOOK_URL: "http://bot:3000/hook" }, local).mode, "webhook");
  assert.deepEqual(
    errorOf(() => loadBotSettings({ BOT_WEBHOOK_URL: "https://bot.example.com/" }, core)),
    ["BOT_WEBHOOK_URL: needs a path of its own, e.g. https://bot.example.com/telegram/webhook"],
  );
  assert.deepEqual(
    errorOf(() => loadBotSettings({ BOT_WEBHOOK_SECRET: "short" }, core)),
    ["BOT_WEBHOOK_SECRET: expected 16–256 characters of A-Z, a-z, 0-9, _ and -"],
  );
  const production = testConfig({ NODE_ENV: "production" });
  assert.deepEqual(
    errorOf(() => loadBotSettings({ BOT_WEBHOOK_URL: "https://bot.example.com/hook" }, production)),
    ["BOT_WEBHOOK_SECRET: is required in production with a webhook (every instance must share it)"],
  );
  assert.deepEqual(
    errorOf(() =>
      loadBotSettings(
        { BOT_MODE: "sometimes", BOT_BULK_PER_SECOND: "31", EXPLORER_URL: "x" },
        core,
      ),
    ).map((m) => m.split(":")[0]),
    ["BOT_MODE", "EXPLORER_URL", "BOT_BULK_PER_SECOND"],
  );
});

test("without BOT_TOKEN the component runs nothing and says how to set it", async () => {
  const config = loadConfig({ NODE_ENV: "development", LOG_LEVEL: "silent" });
  const component = await createBotComponent({
    config,
    logger: createLogger("silent"),
    metrics: createMetrics({ defaultMetrics: false }),
    env: {},
    access: createAccess(config, { db: {} as never, now: () => new Date() }),
    runtime: {} as never,
  });
  assert.equal(component.start, undefined);
  assert.equal(component.routers, undefined);
  assert.match(
    component.banner?.()[0] ?? "",
    /BOT_TOKEN is not set\. Create a bot with @BotFather/,
  );
});

test("both locales define the same messages, and every message the code names exists", () => {
  const [en, ru] = LOCALES.map((l) => new Set(localeKeys(l)));
  assert.deepEqual(
    [...en!].filter((k) => !ru!.has(k)),
    [],
    "missing in ru.ftl",
  );
  assert.deepEqual(
    [...ru!].filter((k) => !en!.has(k)),
    [],
    "missing in en.ftl",
  );
  const root = new URL("../../bot/", import.meta.url).pathname;
  const used = new Set<string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, f.name);
      if (f.isDirectory()) walk(file);
      else if (f.name.endsWith(".ts"))
        for (const m of readFileSync(file, "utf8").matchAll(
          /\b(?:t|tr|translate)\((?:[\w.]+, |"[a-z]{2}", )?"([a-z][a-z0-9-]*)"/g,
        ))
          used.add(m[1]!);
    }
  };
  walk(root);
  // Keys built at run time from data.
  for (const s of ["pending", "queued", "sent", "settled", "failed", "expired", "rejected"])
    used.add(`reward-state-${s}`);
  for (const k of ["referral", "welcome", "challenge", "adjustment"]) used.add(`reward-kind-${k}`);
  for (const r of [
    "burst",
    "shared-ip",
    "shared-device",
    "shared-wallet",
    "daily-cap",
    "total-cap",
    "campaign-paused",
  ])
    used.add(`reason-${r}`);
  for (const who of ["friend", "self"])
    for (const q of ["wallet-linked", "challenge", "partner-event", "hold"])
      used.add(`qual-${who}-${q}`);
  for (const l of LOCALES) used.add(`language-name-${l}`);
  for (const board of ["referrals", "activity"])
    for (const k of ["top-title", "top-me-ranked", "top-me-unranked", "top-board"])
      used.add(`${k}-${board}`);
  for (const period of ["week", "all"]) used.add(`top-period-${period}-button`);
  for (const state of FRIEND_STATES) used.add(`referrals-state-${state.replaceAll("_", "-")}`);
  for (const r of ["sent", "already-today", "not-waiting", "gone"])
    used.add(`referrals-remind-${r}`);
  for (const kind of MUTABLE_KINDS) used.add(`notifications-kind-${kind.replaceAll("_", "-")}`);
  for (const mode of ["window", "daily"])
    for (const suffix of ["", "-button"]) used.add(`notifications-digest-${mode}${suffix}`);
  for (const k of ["rejected", "rejected-referee"])
    for (const suffix of ["", "-no-reason"]) used.add(`notify-review-${k}${suffix}`);
  assert.ok(used.size > 100, `found ${used.size} keys`);
  assert.deepEqual(
    [...used].filter((k) => !en!.has(k)),
    [],
    "used in code, missing in the locales",
  );
});

test("amounts, percentages and links are formatted for each locale and for Telegram", () => {
  assert.equal(formatDecimal("1234567.500", "en"), "1,234,567.5");
  assert.equal(formatDecimal("1234567.500", "ru"), "1\u00a0234\u00a0567,5");
  assert.equal(formatDecimal("0.000000000000000001", "en"), "0.000000000000000001");
  assert.equal(formatPercent(1250, "ru"), "12,5\u00a0%");
  assert.equal(formatPercent(1250, "en"), "12.5%");
  assert.equal(formatMultiplier(15000, "en"), "×1.5");
  assert.equal(escapeHtml(`<a href="x">&</a>`), `&lt;a href="x"&gt;&amp;&lt;/a&gt;`);
  assert.equal(memberLocale("ru", "en"), "ru");
  assert.equal(memberLocale(null, "ru-RU"), "ru");
  assert.equal(memberLocale(undefined, "uk"), "en");
  for (const [url, ok] of [
    ["https://app.example.com/x", true],
    ["http://app.example.com/x", true],
    ["http://localhost:3000/login", false],
    ["https://127.0.0.1/login", false],
    ["https://[::1]/login", false],
    ["javascript:alert(1)", false],
  ] as const)
    assert.equal(buttonUrlAllowed(url), ok, url);
  assert.equal(buttonUrlAllowed("http://app.example.com/x", true), false, "Web Apps need HTTPS");
});

test("broadcast texts per language; secrets compared whole", () => {
  const texts = (input: string) => {
    const parsed = parseBroadcast(input);
    return parsed.ok ? parsed.texts : parsed.reason;
  };
  assert.deepEqual(texts("en: Hi\nthere\nru: Привет"), { en: "Hi\nthere", ru: "Привет" });
  assert.deepEqual(texts("Just one text"), { en: "Just one text" });
  assert.deepEqual(texts("ru: Только русский"), { ru: "Только русский", en: "Только русский" });
  // A text before the first language line is the default (English) one, never dropped…
  assert.deepEqual(texts("Hello all\nsee you\nru: Привет всем"), {
    en: "Hello all\nsee you",
    ru: "Привет всем",
  });
  // …unless there is an en: paragraph as well: then it is ambiguous.
  assert.equal(texts("Hello all\nen: Hi\nru: Привет"), "two_defaults");
  assert.equal(texts("   "), "empty");
  assert.equal(texts("en:"), "empty");
  const good = createHash("sha256").update("the-secret-value-123").digest();
  assert.equal(secretMatches(undefined, good), false);
  assert.equal(secretMatches("", good), false);
  assert.equal(secretMatches("the-secret-value-123", good), true);
  assert.equal(secretMatches("the-secret-value-12", good), false);
  assert.equal(secretMatches("the-secret-value-1234", good), false);
  // The fake Bot API parses HTML like Telegram (so every test checks our escaping).
  assert.equal(htmlProblem('<b>ok</b> &amp; <a href="https://x">y</a>'), undefined);
  assert.match(htmlProblem("<b>unclosed") ?? "", /can't find end tag/);
  assert.match(htmlProblem("1 < 2") ?? "", /unsupported start tag/);
  assert.match(htmlProblem("Tom & Jerry") ?? "", /unescaped &/);
});

test("what a friend must do, for every kind of qualification, in both languages", () => {
  const translator = createTranslator();
  const phrase = (qualification: CampaignDefinition["qualification"], locale: "en" | "ru") => {
    const definition = testCampaign({ qualification });
    const campaign = {
      id: 1,
      slug: definition.slug,
      definition,
      rules: compileCampaign(definition),
      version: 1,
      deployment: null,
    };
    return qualificationText(translator.t, campaign, locale, "friend");
  };
  assert.equal(phrase({ type: "wallet_linked" }, "en"), "links a wallet");
  assert.equal(
    phrase({ type: "challenge", challengeId: "join" }, "ru"),
    "выполнит задание «Вступить»",
  );
  assert.equal(
    phrase({ type: "partner_event", partner: "shop", eventType: "purchase" }, "en"),
    "completes a qualifying action with our partner",
  );
  assert.equal(phrase({ type: "hold", hours: 1 }, "en"), "stays with us for at least 1 hour");
  assert.equal(phrase({ type: "hold", hours: 48 }, "ru"), "пробудет с нами не меньше 48 часов");
  assert.equal(phrase({ type: "hold", hours: 21 }, "ru"), "пробудет с нами не меньше 21 часа");
});
