/**
 * The `@refmint/grammy` package as published: its package.json names grammy as its only (peer)
 * dependency and points at files the build writes, the built JavaScript loads in plain Node
 * (no type stripping: Node does not strip types under node_modules) and gives a working
 * Composer, and the sources import nothing from the rest of the project.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Composer } from "grammy";
import { buildPluginPackage } from "../../scripts/build-plugin.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

test("@refmint/grammy: grammy its only dependency, built JavaScript that loads and composes", async (t) => {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "plugin/package.json"), "utf8"));
  assert.equal(pkg.name, "@refmint/grammy");
  assert.equal(pkg.private, undefined, "publishable");
  assert.equal(pkg.dependencies, undefined);
  assert.deepEqual(Object.keys(pkg.peerDependencies), ["grammy"]);
  assert.equal(pkg.exports["."].default, "./dist/index.js");

  // Inside the checkout, so the built files resolve grammy from its node_modules.
  const out = await mkdtemp(path.join(ROOT, "node_modules/.cache/refmint-grammy-"));
  t.after(() => rm(out, { recursive: true, force: true }));
  const files = await buildPluginPackage(out);
  assert.deepEqual(files.map((f) => path.basename(f)).sort(), [
    "client.js",
    "composer.js",
    "index.js",
    "texts.js",
  ]);
  for (const f of files) {
    const js = await readFile(f, "utf8");
    assert.doesNotMatch(js, /from\s+["']\.{1,2}\/[^"']+\.ts["']/, `${f} imports .ts`);
    for (const m of js.matchAll(/from\s+["']([^"']+)["']/g))
      assert.ok(m[1] === "grammy" || m[1]!.startsWith("./"), `${f} imports ${m[1]}`);
  }
  const mod = await import(pathToFileURL(path.join(out, "index.js")).href);
  const composer = mod.refmint({
    apiUrl: "http://127.0.0.1:9",
    apiKey: `rmk_${"a".repeat(43)}`,
    campaign: "demo",
  });
  assert.ok(composer instanceof Composer);
  assert.equal(mod.isRefmintPayload("abc2345678__demo", "demo"), true);
  assert.equal(mod.isRefmintPayload("abc2345678__other", "demo"), false);
  assert.equal(mod.isRefmintPayload("promo", "demo"), false);
  assert.equal(mod.isRefmintPayload("promo", "demo", true), true);
  assert.throws(() => new mod.RefmintClient({ apiUrl: "ftp://x", apiKey: "k", campaign: "demo" }));
  assert.equal(mod.textsFor("de", { de: { statsNone: "Noch keine." } }).statsNone, "Noch keine.");
  assert.equal(mod.textsFor("de").invite, mod.DEFAULT_TEXTS.en.invite);
  assert.equal(mod.fill("{a} and {b}", { a: 1 }), "1 and {b}");
});
