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
 */
import { readFileSync } from "node:fs";
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

module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
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
