/**
 * `npm run build:verify`: the static verifier page as one self-contained HTML file (the page's
 * script, viem and the Merkle tree library inlined), which works opened from disk; and the
 * `refmint-verify` package's JavaScript (`verify/dist/`, what `npm pack` in verify/ ships: Node
 * does not strip types from files under node_modules, so the published bin must be .js).
 *
 *   npm run build:verify [-- --out <file>]   (default dist/refmint-verify.html)
 *   npm run build:verify -- --package        (verify/dist/ only; verify/'s prepack runs it)
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Builds the page and returns its HTML. */
export async function buildVerifyPage(): Promise<string> {
  const { build } = await import("vite");
  const result = await build({
    configFile: false,
    logLevel: "error",
    root: ROOT,
    build: {
      write: false,
      minify: true,
      target: "es2022",
      lib: {
        entry: path.join(ROOT, "verify/page/main.ts"),
        formats: ["iife"],
        name: "RefmintVerify",
        fileName: () => "verify.js",
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{
    output: Array<{ type: string; code?: string }>;
  }>;
  const chunk = outputs[0]!.output.find((o) => o.type === "chunk");
  if (!chunk?.code) throw new Error("the verifier page's bundle is empty");
  const template = await readFile(path.join(ROOT, "verify/page/index.html"), "utf8");
  // Inline: nothing in the script may close the element early.
  const code = chunk.code.replaceAll("</script", "<\\/script").replaceAll("<!--", "<\\!--");
  return template.replace("<script>/*VERIFY_SCRIPT*/</script>", () => `<script>${code}</script>`);
}

/** verify/*.ts as JavaScript in verify/dist/ (types stripped, `.ts` imports renamed `.js`). */
export async function buildVerifyPackage(
  outDir = path.join(ROOT, "verify/dist"),
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of await readdir(path.join(ROOT, "verify"))) {
    if (!name.endsWith(".ts")) continue;
    const source = await readFile(path.join(ROOT, "verify", name), "utf8");
    const js = stripTypeScriptTypes(source, { mode: "strip" }).replace(
      /(from\s*["']\.{1,2}\/[^"']+)\.ts(["'])/g,
      "$1.js$2",
    );
    const file = path.join(outDir, name.replace(/\.ts$/, ".js"));
    await writeFile(file, js, { mode: name === "cli.ts" ? 0o755 : 0o644 });
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { out: { type: "string" }, package: { type: "boolean" } },
  });
  await buildVerifyPackage();
  console.log(`${path.join(ROOT, "verify/dist")} (the refmint-verify package)`);
  if (values.package) process.exit(0);
  const out = path.resolve(values.out ?? path.join(ROOT, "dist/refmint-verify.html"));
  const html = await buildVerifyPage();
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  console.log(`${out} (${Math.round(html.length / 1024)} KB)`);
}
