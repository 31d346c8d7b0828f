/**
 * `npm run build:verify`: the static verifier page as one self-contained HTML file (the page's
 * script, viem and the Merkle tree library inlined), which works opened from disk.
 *
 *   npm run build:verify [-- --out <file>]   (default dist/refmint-verify.html)
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
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

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = path.resolve(values.out ?? path.join(ROOT, "dist/refmint-verify.html"));
  const html = await buildVerifyPage();
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  console.log(`${out} (${Math.round(html.length / 1024)} KB)`);
}
