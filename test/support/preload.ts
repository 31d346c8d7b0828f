/**
 * Loaded into every process of the test run (`npm test` sets
 * `NODE_OPTIONS=--import=<this file>`, and the harness passes it on to the services it
 * spawns): it makes starting a process cheaper and changes nothing the process does.
 *
 * - A compile cache (`node_modules/.cache/node-compile`): modules compiled once are not
 *   compiled again by the next process.
 * - Relative imports inside an ES-module package are resolved here. Node's own resolver
 *   deserialises the package's whole package.json for every file it loads to learn that the
 *   file is an ES module; drizzle-orm's is 179 kB and it loads hundreds of files, which cost
 *   every process ~1–2 s of CPU. The answer is the same: the resolved URL, format `module`.
 *   Anything else (bare specifiers, CommonJS or untyped packages, our own files) goes to
 *   Node's resolver untouched.
 * - Bare specifiers (`viem`, `drizzle-orm/pg-core`) that resolve into node_modules are
 *   remembered across processes (`node_modules/.cache/refmint-resolve/`, one file per
 *   installed dependency set, keyed by npm's `node_modules/.package-lock.json`): each costs
 *   Node's resolver a walk up the directories and a read of the package's exports map, ~200
 *   of them for a process that loads the service. A remembered answer is used only while its
 *   file exists; anything else goes to the resolver, whose answer is then remembered.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import module from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "../..");

module.enableCompileCache?.(path.join(ROOT, "node_modules", ".cache", "node-compile"));

/** Whether the nearest package.json above `dir` says `"type": "module"` (per directory, cached). */
const esmScope = new Map<string, boolean>();
function inModulePackage(dir: string): boolean {
  const cached = esmScope.get(dir);
  if (cached !== undefined) return cached;
  let result: boolean;
  let text: string | undefined;
  try {
    text = readFileSync(path.join(dir, "package.json"), "utf8");
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    try {
      result = (JSON.parse(text) as { type?: unknown }).type === "module";
    } catch {
      result = false; // Node's resolver reports the broken file
    }
  } else {
    const parent = path.dirname(dir);
    // Node's search stops at a node_modules folder and at the root.
    result =
      parent !== dir && path.basename(dir) !== "node_modules" ? inModulePackage(parent) : false;
  }
  esmScope.set(dir, result);
  return result;
}

/** Remembered resolutions: `<parent dir> <specifier> <conditions> <type>` → url and format. */
type Resolved = { url: string; format?: string | null };
const resolveCache = (() => {
  let lock: Buffer;
  try {
    lock = readFileSync(path.join(ROOT, "node_modules", ".package-lock.json"));
  } catch {
    return undefined; // not installed by npm: nothing to key the answers by
  }
  const key = createHash("sha256")
    .update(process.version)
    .update(ROOT)
    .update(lock)
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(ROOT, "node_modules", ".cache", "refmint-resolve");
  const file = path.join(dir, `${key}.json`);
  let known: Record<string, Resolved> = {};
  try {
    known = JSON.parse(readFileSync(file, "utf8")) as Record<string, Resolved>;
  } catch {
    known = {};
  }
  const added: Record<string, Resolved> = {};
  process.once("exit", () => {
    if (Object.keys(added).length === 0) return;
    try {
      // Merged with what other processes wrote meanwhile; written whole, then renamed.
      let current: Record<string, Resolved> = {};
      try {
        current = JSON.parse(readFileSync(file, "utf8")) as Record<string, Resolved>;
      } catch {
        current = {};
      }
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ ...current, ...added }));
      renameSync(tmp, file);
    } catch {
      // A cache that cannot be written only means the next process resolves again.
    }
  });
  return { known, added };
})();

const isBare = (specifier: string) =>
  !/^(\.\.?\/|\/|#|[a-z][a-z0-9+.-]*:)/i.test(specifier) && specifier !== "." && specifier !== "..";

module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (resolveCache && parent?.startsWith("file:") && isBare(specifier)) {
      const key = [
        path.dirname(fileURLToPath(parent)),
        specifier,
        (context.conditions ?? []).join(","),
        context.importAttributes?.type ?? "",
      ].join(" ");
      const hit = resolveCache.known[key] ?? resolveCache.added[key];
      if (hit && existsSync(fileURLToPath(hit.url)))
        return { url: hit.url, format: hit.format, shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (resolved.url.startsWith("file:") && resolved.url.includes("/node_modules/"))
        resolveCache.added[key] = { url: resolved.url, format: resolved.format };
      return resolved;
    }
    if (
      parent?.startsWith("file:") &&
      parent.includes("/node_modules/") &&
      (specifier.startsWith("./") || specifier.startsWith("../")) &&
      /\.m?js$/.test(specifier)
    ) {
      const url = new URL(specifier, parent);
      const file = fileURLToPath(url);
      if (file.endsWith(".mjs") || inModulePackage(path.dirname(file)))
        return { url: pathToFileURL(file).href, format: "module", shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
