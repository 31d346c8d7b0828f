import assert from "node:assert/strict";
import { test } from "node:test";
import { CONFIG_VARIABLES, ConfigError, loadConfig } from "../../server/config.ts";
import { testConfig } from "../support/app.ts";

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^Invalid configuration:/);
    return e.issues.map((i) => i.variable);
  }
  assert.fail("expected a ConfigError");
}

test("defaults start a development server with no setup, failing closed on secrets", () => {
  const c = loadConfig({});
  assert.equal(c.http.port, 3000);
  assert.equal(c.db.url, undefined);
  assert.equal(c.db.dataDir, ".data/pglite");
  assert.equal(c.chain.chainId, 31337);
  assert.deepEqual(
    c.warnings.map((w) => w.variable),
    ["BOT_TOKEN", "HASH_SECRET"],
  );
  // The stand-in token is random: nothing signed with a guessable token can pass.
  assert.notEqual(loadConfig({}).telegram.botToken, c.telegram.botToken);
});

test("development listens on loopback unless HOST says otherwise; production on every interface", () => {
  // Development serves dev helpers and Vite's file server: never to the network by default.
  assert.equal(loadConfig({}).http.host, "127.0.0.1");
  assert.equal(loadConfig({ NODE_ENV: "development" }).http.host, "127.0.0.1");
  assert.equal(loadConfig({ NODE_ENV: "test" }).http.host, "127.0.0.1");
  assert.equal(loadConfig({ HOST: "0.0.0.0" }).http.host, "0.0.0.0");
  assert.equal(loadConfig({ HOST: "" }).http.host, "127.0.0.1");
  const production = {
    NODE_ENV: "production",
    BOT_TOKEN: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    HASH_SECRET: "0123456789abcdef0123",
    PUBLIC_URL: "https://refmint.example",
    METRICS_TOKEN: "m".repeat(32),
  };
  assert.equal(loadConfig(production).http.host, "0.0.0.0");
  assert.equal(loadConfig({ ...production, HOST: "10.0.0.5" }).http.host, "10.0.0.5");
});

test("malformed values stop start-up naming each variable", () => {
  assert.deepEqual(
    issues({
      PORT: "http",
      DATABASE_URL: "mysql://localhost/x",
      BOT_TOKEN: "not-a-token",
      CHAIN_ID: "-1",
      ADMIN_TELEGRAM_IDS: "12,abc",
      MINIAPP_ORIGINS: "https://app.example/path",
      RPC_URL: "localhost:8545",
      PARTNER_SECRETS: "shop=short",
      ADMIN_API_TOKEN: "short",
      TELEGRAM_API_ROOT: "not a url",
      INIT_DATA_MAX_AGE_SECONDS: "0",
      LOG_LEVEL: "loud",
    }).sort(),
    [
      "ADMIN_API_TOKEN",
      "ADMIN_TELEGRAM_IDS",
      "BOT_TOKEN",
      "CHAIN_ID",
      "DATABASE_URL",
      "INIT_DATA_MAX_AGE_SECONDS",
      "LOG_LEVEL",
      "MINIAPP_ORIGINS",
      "PARTNER_SECRETS",
      "PORT",
      "RPC_URL",
      "TELEGRAM_API_ROOT",
    ],
  );
});

test("production requires its secrets", () => {
  assert.deepEqual(issues({ NODE_ENV: "production" }).sort(), [
    "BOT_TOKEN",
    "HASH_SECRET",
    "METRICS_TOKEN",
    "PUBLIC_URL",
  ]);
});

test("production refuses to serve /metrics without a token", () => {
  const production = {
    NODE_ENV: "production",
    BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123",
    HASH_SECRET: "0123456789abcdef0123",
    PUBLIC_URL: "https://api.example.com",
  };
  assert.deepEqual(issues(production), ["METRICS_TOKEN"]);
  assert.throws(() => loadConfig(production), /METRICS_TOKEN: is required in production/);
  assert.deepEqual(issues({ ...production, METRICS_TOKEN: "short" }), ["METRICS_TOKEN"]);
  const c = loadConfig({ ...production, METRICS_TOKEN: "a-long-metrics-token-0123" });
  assert.equal(c.metricsToken, "a-long-metrics-token-0123");
  // Outside production metrics may stay open (local development).
  assert.equal(loadConfig({ NODE_ENV: "development" }).metricsToken, undefined);
});

test("values are parsed into typed settings", () => {
  const c = testConfig({
    DATABASE_URL: "postgres://postgres@127.0.0.1:5432/refmint",
    ADMIN_TELEGRAM_IDS: "1, 2,3",
    PARTNER_SECRETS: "shop=0123456789abcdef,cafe=fedcba9876543210",
    TRUST_PROXY: "1",
    MINIAPP_ORIGINS: "https://a.example,https://b.example:8443",
    SIWE_DOMAIN: "",
    SIWE_URI: "",
  });
  assert.equal(c.db.url, "postgres://postgres@127.0.0.1:5432/refmint");
  assert.deepEqual([...c.admin.telegramIds], [1, 2, 3]);
  assert.equal(c.partners.secrets.get("cafe"), "fedcba9876543210");
  assert.equal(c.http.trustProxy, 1);
  assert.deepEqual(c.http.corsOrigins, ["https://a.example", "https://b.example:8443"]);
  // SIWE defaults to the Mini App origin.
  assert.equal(c.siwe.uri, "https://a.example");
  assert.equal(c.siwe.domain, "a.example");
  assert.deepEqual(c.warnings, []);
});

test("every variable is documented in server/README.md", async () => {
  const { readFile } = await import("node:fs/promises");
  const readme = await readFile(new URL("../../server/README.md", import.meta.url), "utf8");
  for (const v of CONFIG_VARIABLES) assert.match(readme, new RegExp(`\\|\\s*\`${v}\`\\s*\\|`), v);
});
