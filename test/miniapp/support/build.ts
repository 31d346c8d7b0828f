/**
 * The dashboard's production build for tests, made once per source state and shared by every
 * test file and process: it lands in the OS temp directory under a hash of miniapp/ (and the
 * lock file), written to a temporary name and renamed, so concurrent test processes either
 * reuse a complete build or make their own without ever reading half of one.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const MINIAPP = path.join(ROOT, "miniapp");

function sourceHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "dist" || name === "node_modules") continue;
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else h.update(path.relative(MINIAPP, file)).update(readFileSync(file));
    }
  };
  walk(MINIAPP);
  h.update(readFileSync(path.join(ROOT, "package-lock.json")));
  return h.digest("hex").slice(0, 16);
}

let built: Promise<string> | undefined;

/** The directory of a production build of the current sources (index.html + assets/). */
export function dashboardBuild(): Promise<string> {
  built ??= (async () => {
    // One directory per checkout: the clean-up below removes older builds of this checkout
    // only, never the build another checkout's tests (another worktree) are serving.
    const checkout = createHash("sha256").update(ROOT).digest("hex").slice(0, 8);
    const base = path.join(tmpdir(), `refmint-miniapp-build-${checkout}`);
    const dir = path.join(base, sourceHash());
    if (existsSync(path.join(dir, "index.html"))) return dir;
    const tmp = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}`;
    const { build } = await import("vite");
    await build({
      configFile: path.join(MINIAPP, "vite.config.ts"),
      logLevel: "error",
      build: { outDir: tmp, emptyOutDir: true },
    });
    await mkdir(base, { recursive: true });
    try {
      await rename(tmp, dir);
    } catch {
      // Another process finished first with the same sources: use theirs.
      await rm(tmp, { recursive: true, force: true });
    }
    // Builds of older sources are dead weight.
    for (const old of await readdir(base)) {
      if (!old.startsWith(path.basename(dir)) && /^[0-9a-f]{16}$/.test(old))
        await rm(path.join(base, old), { recursive: true, force: true });
    }
    return dir;
  })();
  return built;
}

/** Scripts index.html loads before anything else: its entry and what it preloads. */
export function initialScripts(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1] ?? "");
}
