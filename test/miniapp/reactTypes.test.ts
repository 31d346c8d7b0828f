/**
 * The dashboard type-checks against the React it runs: @types/react and @types/react-dom
 * follow the major.minor of react and react-dom (React 19 types on React 18 accept APIs the
 * runtime does not have, e.g. `use` or ref as a prop).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const ROOT = new URL("../../", import.meta.url);
const versionOf = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, ROOT), "utf8")) as {
      version: string;
    }
  ).version;
const majorMinor = (v: string) => v.split(".").slice(0, 2).join(".");

test("React's types match the React runtime", () => {
  for (const runtime of ["react", "react-dom"]) {
    assert.equal(
      majorMinor(versionOf(`@types/${runtime}`)),
      majorMinor(versionOf(runtime)),
      `@types/${runtime} ${versionOf(`@types/${runtime}`)} vs ${runtime} ${versionOf(runtime)}`,
    );
  }
});
