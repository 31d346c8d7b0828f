/**
 * The dashboard's production build for tests, made once per source state and shared by every
 * test file and process: it lands in the OS temp directory under a hash of miniapp/ (and the
 * lock file), written to a temporary name and renamed, so no process ever reads half of one.
 * One process builds while the others wait for it (a lock directory beside the build): two
 * browser test files starting together on a clean checkout used to build twice at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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
    await mkdir(base, { recursive: true });
    const release = await buildLock(`${dir}.lock`);
    try {
      // Another process may have built it while this one waited.
      if (existsSync(path.join(dir, "index.html"))) return dir;
      await buildInto(base, dir);
    } finally {
      await release();
    }
    return dir;
  })();
  return built;
}

/**
 * Takes the lock directory `lock` (mkdir is atomic), waiting while another live process holds
 * it; a holder that died (its pid is gone) or left no pid for a minute does not hold it.
 */
async function buildLock(lock: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 10 * 60_000;
  for (let since = Date.now(); ; ) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, "pid"), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number(await readFile(path.join(lock, "pid"), "utf8").catch(() => ""));
    const alive = (() => {
      if (!pid) return Date.now() - since < 60_000;
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
      }
    })();
    if (!alive) {
      await rm(lock, { recursive: true, force: true });
      since = Date.now();
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock}: still held by process ${pid}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function buildInto(base: string, dir: string): Promise<void> {
  const tmp = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}`;
  const { build } = await import("vite");
  await build({
    configFile: path.join(MINIAPP, "vite.config.ts"),
    logLevel: "error",
    build: { outDir: tmp, emptyOutDir: true },
  });
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
}

/** Scripts index.html loads before anything else: its entry and what it preloads. */
export function initialScripts(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1] ?? "");
}
