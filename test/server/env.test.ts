/**
 * parseEnv and the shared primitives every component's configuration is built from: values
 * parse into typed settings, empty means unset, and every bad variable is named in one error.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { z } from "zod";
import {
  bool,
  ConfigError,
  commaList,
  httpUrl,
  int,
  oneOf,
  optional,
  optionalString,
  parseEnv,
  port,
  privateKey,
  secret,
  variablesOf,
} from "../../server/env.ts";

const schema = z.object({
  PORT: port.default(3000),
  RETRIES: int(1, 5).default(3),
  VERBOSE: optional(bool),
  API_URL: optional(httpUrl),
  TOKEN: optional(secret(16)),
  KEY: optional(privateKey),
  COLOURS: commaList(oneOf(["red", "green", "blue"] as const)),
  NAME: optionalString,
});

const issuesOf = (env: Record<string, string | undefined>) => {
  try {
    parseEnv(schema, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^Invalid configuration:\n/);
    for (const issue of error.issues)
      assert.ok(error.message.includes(`  ${issue.variable}: ${issue.message}`));
    return error.issues.map((i) => i.variable);
  }
  assert.fail("expected a ConfigError");
};

test("defaults apply when variables are unset; empty optional values count as unset", () => {
  assert.deepEqual(parseEnv(schema, {}), { PORT: 3000, RETRIES: 3, COLOURS: [] });
  const empty = parseEnv(schema, { VERBOSE: "", API_URL: " ", TOKEN: "", NAME: "  ", COLOURS: "" });
  assert.deepEqual(
    [empty.VERBOSE, empty.API_URL, empty.TOKEN, empty.NAME, empty.COLOURS],
    [undefined, undefined, undefined, undefined, []],
  );
});

test("values parse into typed settings", () => {
  const key = "ab".repeat(32);
  const e = parseEnv(schema, {
    PORT: " 0 ",
    RETRIES: "5",
    VERBOSE: "Yes",
    API_URL: "https://rpc.example/v1",
    TOKEN: "t".repeat(16),
    KEY: key,
    COLOURS: "red, blue,,green",
    NAME: " refmint ",
  });
  assert.deepEqual(e, {
    PORT: 0,
    RETRIES: 5,
    VERBOSE: true,
    API_URL: "https://rpc.example/v1",
    TOKEN: "t".repeat(16),
    KEY: `0x${key}`,
    COLOURS: ["red", "blue", "green"],
    NAME: "refmint",
  });
  assert.equal(parseEnv(schema, { VERBOSE: "0" }).VERBOSE, false);
  assert.equal(parseEnv(schema, { KEY: `0x${key}` }).KEY, `0x${key}`);
});

test("every bad variable is named, in the schema's order, and nothing else is read", () => {
  assert.deepEqual(
    issuesOf({
      PORT: "65536",
      RETRIES: "2.5",
      VERBOSE: "maybe",
      API_URL: "localhost:8545",
      TOKEN: "short",
      KEY: "0x1234",
      COLOURS: "red,purple",
      UNRELATED: "whatever",
    }),
    ["PORT", "RETRIES", "VERBOSE", "API_URL", "TOKEN", "KEY", "COLOURS"],
  );
  assert.deepEqual(issuesOf({ PORT: "-1" }), ["PORT"]);
  assert.deepEqual(issuesOf({ RETRIES: "1e3" }), ["RETRIES"]);
  assert.throws(
    () => parseEnv(schema, { COLOURS: "purple" }),
    /COLOURS: "purple" is not one of red, green, blue/,
  );
  assert.throws(
    () => parseEnv(schema, { TOKEN: "short" }),
    /TOKEN: must be at least 16 characters/,
  );
});

test("variablesOf lists the variables a schema reads", () => {
  assert.deepEqual(variablesOf(schema), [
    "PORT",
    "RETRIES",
    "VERBOSE",
    "API_URL",
    "TOKEN",
    "KEY",
    "COLOURS",
    "NAME",
  ]);
});
