/**
 * No import cycles between top-level folders: the composition root (`app/`) wires `server/`,
 * `bot/` and the dashboard, and nothing it wires imports it back (server/ used to import bot/
 * for the component list while bot/ imports server/). Reads the import specifiers of every
 * TypeScript file and checks the folder graph is acyclic.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FOLDERS = [
  "app",
  "server",
  "bot",
  "miniapp",
  "scripts",
  "bench",
  "test",
  "ignition",
  "verify",
];
const SKIP = new Set(["node_modules", "dist", "results", "migrations", "fixtures"]);
// `import … from "x"`, `export … from "x"`, `import("x")`, `import "x"`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield full;
  }
}

/** Folder → folders it imports, each with one file that does (for the failure message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const folder of FOLDERS) {
    const edges = new Map<string, string>();
    graph.set(folder, edges);
    for (const file of sources(path.join(ROOT, folder))) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
        if (!spec!.startsWith(".")) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec!));
        const top = target.split(path.sep)[0]!;
        if (top !== folder && FOLDERS.includes(top) && !edges.has(top))
          edges.set(top, path.relative(ROOT, file));
      }
    }
  }
  return graph;
}

/** A cycle as `a → b → a` (with the importing files), or undefined. */
function findCycle(graph: Map<string, Map<string, string>>): string | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string | undefined => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === "open") {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        return cycle
          .slice(0, -1)
          .map((from, i) => `${from} → ${cycle[i + 1]} (${graph.get(from)?.get(cycle[i + 1]!)})`)
          .join(", ");
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

test("top-level folders import each other without cycles", () => {
  const graph = folderGraph();
  assert.equal(findCycle(graph), undefined);
  // The composition root sits above what it wires.
  for (const folder of ["server", "bot", "miniapp"])
    assert.equal(graph.get(folder)?.get("app"), undefined, `${folder} imports app/`);
  assert.equal(graph.get("server")?.get("bot"), undefined, "server imports bot/");
});

test("verify/ stands alone: no other folder, only viem, the Merkle tree library and node: builtins", () => {
  assert.deepEqual([...(folderGraph().get("verify")?.entries() ?? [])], []);
  const allowed = /^(viem(\/.*)?|@openzeppelin\/merkle-tree|node:.+)$/;
  for (const file of sources(path.join(ROOT, "verify"))) {
    for (const [, spec] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      if (spec!.startsWith(".")) continue;
      assert.match(spec!, allowed, `${path.relative(ROOT, file)} imports ${spec}`);
    }
  }
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "verify/package.json"), "utf8"));
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["@openzeppelin/merkle-tree", "viem"]);
});

test("the cycle check finds a cycle", () => {
  const graph = new Map([
    ["a", new Map([["b", "a/x.ts"]])],
    ["b", new Map([["c", "b/y.ts"]])],
    ["c", new Map([["a", "c/z.ts"]])],
  ]);
  assert.equal(findCycle(graph), "a → b (a/x.ts), b → c (b/y.ts), c → a (c/z.ts)");
  graph.get("c")?.delete("a");
  assert.equal(findCycle(graph), undefined);
});

/**
 * The layer rules live in biome.json (`overrides`, `noRestrictedImports`) and run in
 * `npm run lint`. Each probe is a file placed in a layer with one forbidden import: the linter
 * must refuse every one, naming the rule's reason, and accept the same files with an allowed
 * import (so the rule is about the layer, not about the probe).
 */
test("the linter refuses an import across a layer boundary, in every layer", () => {
  const tag = randomBytes(4).toString("hex");
  const probes = [
    {
      file: `server/domain/layerProbe_${tag}.ts`,
      bad: "../http/problem.ts",
      ok: "./errors.ts",
      says: "server/domain is the core",
    },
    {
      file: `bot/layerProbe_${tag}.ts`,
      bad: "drizzle-orm",
      ok: "../server/domain/index.ts",
      says: "The bot goes through server/domain",
    },
    {
      file: `server/chain/layerProbe_${tag}.ts`,
      bad: "../http/app.ts",
      ok: "./driver.ts",
      says: "server/chain imports no HTTP",
    },
    {
      file: `miniapp/src/layerProbe_${tag}.ts`,
      bad: "../../server/config.ts",
      ok: "./api/types.ts",
      says: "The dashboard imports nothing from the server",
    },
  ];
  const biome = path.join(ROOT, "node_modules", ".bin", "biome");
  // The probes go into a scratch folder holding the project's biome.json (its `overrides`
  // paths are relative to it), never into the work tree, where other tests read the sources.
  const lint = (which: "bad" | "ok") => {
    const dir = mkdtempSync(path.join(tmpdir(), "refmint-layers-"));
    try {
      copyFileSync(path.join(ROOT, "biome.json"), path.join(dir, "biome.json"));
      for (const p of probes) {
        mkdirSync(path.dirname(path.join(dir, p.file)), { recursive: true });
        writeFileSync(
          path.join(dir, p.file),
          `import * as m from "${p[which]}";\nexport const probe = m;\n`,
        );
      }
      return spawnSync(
        biome,
        ["lint", "--vcs-enabled=false", "--max-diagnostics=50", ...probes.map((p) => p.file)],
        { cwd: dir, encoding: "utf8" },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const refused = lint("bad");
  const out = refused.stdout + refused.stderr;
  assert.notEqual(refused.status, 0, out);
  for (const p of probes) {
    assert.match(
      out,
      new RegExp(`${p.file.replaceAll(".", "\\.")}:1:\\d+ lint/style/noRestrictedImports`),
    );
    assert.ok(out.includes(p.says), `${p.file}: ${p.says}`);
  }
  const allowed = lint("ok");
  assert.equal(allowed.status, 0, allowed.stdout + allowed.stderr);
});
