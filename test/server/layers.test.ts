/**
 * The chain seam's boundaries, checked on the import statements: the chain layer imports no
 * HTTP layer, and only composition code (the components) and the EVM driver's own users pick
 * the EVM driver; the domain, the bot's features, the HTTP routes and the dashboard's
 * non-wallet code reach the chain through `server/chain/driver.ts`.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return files(rel);
    return /\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** Every module a file imports, resolved to a path from the repository root. */
function imports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)) {
    const spec = m[1]!;
    out.push(spec.startsWith(".") ? path.join(path.dirname(file), spec) : spec);
  }
  return out;
}

function offenders(dirs: string[], forbidden: RegExp, except: string[] = []): string[] {
  return dirs
    .flatMap(files)
    .filter((f) => !except.includes(f))
    .flatMap((f) =>
      imports(f)
        .filter((i) => forbidden.test(i))
        .map((i) => `${f} → ${i}`),
    );
}

test("the chain layer imports nothing from the HTTP layer", () => {
  assert.deepEqual(offenders(["server/chain"], /^server\/http\//), []);
});

test("only the composition picks the EVM driver; everything else uses the chain seam", () => {
  assert.deepEqual(
    offenders(["server/domain", "server/http", "bot", "miniapp/src"], /^server\/chain\/evm\//, [
      "bot/component.ts",
    ]),
    [],
  );
});

test("the check sees imports (a forbidden one in a sample would be reported)", () => {
  // server/chain/component.ts does import the EVM driver: the same check finds it.
  assert.ok(offenders(["server/chain"], /^server\/chain\/evm\/driver\.ts$/).length > 0);
});
