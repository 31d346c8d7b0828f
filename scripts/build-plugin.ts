/**
 * `npm run build:plugin`: the `@refmint/grammy` package's JavaScript (`plugin/dist/`, what
 * `npm pack` in plugin/ ships; its prepack runs this). Node does not strip types from files
 * under node_modules, so the published entry must be .js: types stripped, `.ts` imports
 * renamed `.js`. The package's types are its .ts files themselves.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** plugin/*.ts as JavaScript in `outDir` (default plugin/dist/); returns the files written. */
export async function buildPluginPackage(
  outDir = path.join(ROOT, "plugin/dist"),
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of await readdir(path.join(ROOT, "plugin"))) {
    if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
    const source = await readFile(path.join(ROOT, "plugin", name), "utf8");
    const js = stripTypeScriptTypes(source, { mode: "strip" }).replace(
      /(from\s*["']\.{1,2}\/[^"']+)\.ts(["'])/g,
      "$1.js$2",
    );
    const file = path.join(outDir, name.replace(/\.ts$/, ".js"));
    await writeFile(file, js);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const files = await buildPluginPackage();
  console.log(`${path.join(ROOT, "plugin/dist")}: ${files.length} files (@refmint/grammy)`);
}
