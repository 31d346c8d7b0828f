/**
 * One process at a time per PGlite data directory.
 *
 * PGlite is PostgreSQL compiled to WebAssembly and run inside one process: nothing stops a
 * second process from opening the same directory, and two writers (or one writer and one that
 * is killed half-way) leave a directory that no longer opens. Every opener of a PGlite
 * directory (the service, `npm run dev`, `db:migrate`, the operator commands, tests) therefore
 * takes this lock first: the file `<dataDir>.lock` beside the directory, created exclusively
 * (`O_EXCL`), holding the owner's pid. A second process is refused with a message naming the
 * owner; a lock left by a process that died (SIGKILL, crash, power loss) is taken over, since
 * its pid no longer runs (on Linux the process start time is compared too, so a reused pid is
 * not mistaken for the owner).
 *
 * The lock sits beside the data directory rather than inside it so that initdb sees an empty
 * directory, and so that it exists before the directory does.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

export interface LockOwner {
  pid: number;
  /** Linux: the process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22). */
  startTicks?: number;
  host: string;
  /** What runs there (`npm start`, `db:migrate`, …), for the refusal message. */
  command: string;
  since: string;
  /** Set by a running service: where its API (and operator endpoints) answer. */
  apiUrl?: string;
}

/** Another live process holds the directory. */
export class DataDirLockedError extends Error {
  readonly owner: LockOwner;
  readonly dataDir: string;
  constructor(dataDir: string, owner: LockOwner, hint?: string) {
    super(
      `The PGlite database ${dataDir} (DATA_DIR) is in use by process ${owner.pid} (${owner.command}, since ${owner.since}). ` +
        "PGlite allows one process at a time: stop that process first" +
        (hint ? `, or ${hint}` : "") +
        ", or use PostgreSQL (DATABASE_URL) to run several processes on one database.",
    );
    this.name = "DataDirLockedError";
    this.owner = owner;
    this.dataDir = dataDir;
  }
}

export interface DataDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Records where this process's API answers (operator commands read it). */
  update(fields: Partial<Pick<LockOwner, "apiUrl">>): void;
  release(): void;
}

export const lockPathOf = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** This process as a lock (or runtime file) records it. */
export function processIdentity(): Pick<LockOwner, "pid" | "startTicks" | "host"> {
  return { pid: process.pid, startTicks: startTicks(process.pid), host: hostname() };
}

/** Whether the process that wrote `owner` still runs (on this host). */
export function ownerAlive(owner: Pick<LockOwner, "pid" | "startTicks" | "host">): boolean {
  if (owner.pid <= 0) return false; // an unreadable lock file
  if (owner.host !== hostname()) return true; // another machine's process: cannot tell, assume so
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.startTicks === undefined) return true;
  const now = startTicks(owner.pid);
  return now === undefined || now === owner.startTicks;
}

/** The current owner of `dataDir`'s lock, or undefined when it is free (or stale). */
export function readLockOwner(dataDir: string): { owner: LockOwner; alive: boolean } | undefined {
  const owner = readOwner(lockPathOf(dataDir));
  if (!owner) return undefined;
  return { owner, alive: ownerAlive(owner) };
}

function readOwner(file: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    if (Number.isSafeInteger(o.pid) && o.pid > 0) return o;
  } catch {
    // A lock file cut short (its writer died while writing it): no live owner to protect.
  }
  return { pid: 0, host: hostname(), command: "unknown (unreadable lock file)", since: "?" };
}

function writeExclusive(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

const held = new Map<string, DataDirLock>();

/** Releases every lock this process holds; runs on exit, so a clean exit never leaves one. */
function releaseAll(): void {
  for (const lock of [...held.values()]) lock.release();
}
let exitHook = false;

/**
 * Takes the lock of `dataDir` for this process, or throws {@link DataDirLockedError} when a
 * live process holds it. A stale lock (its process is gone) is taken over.
 */
export function acquireDataDirLock(dataDir: string, command = describeCommand()): DataDirLock {
  const file = lockPathOf(dataDir);
  if (held.has(file)) {
    // A second handle in this same process: each PGlite instance keeps its own in-memory
    // copy of the files, so two handles corrupt the directory as two processes would.
    throw new DataDirLockedError(dataDir, held.get(file)!.owner);
  }
  const owner: LockOwner = {
    pid: process.pid,
    startTicks: startTicks(process.pid),
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    if (writeExclusive(file, owner)) break;
    const current = readOwner(file);
    if (current && ownerAlive(current)) throw new DataDirLockedError(dataDir, current);
    if (attempt >= 20) throw new Error(`could not take over the stale lock ${file}`);
    if (current?.pid === 0 && attempt < 10) {
      // Empty or cut short: maybe another process created it an instant ago and is writing it.
      sleepSync(20);
      continue;
    }
    // Stale. Move it aside under a unique name: of several processes taking over at once,
    // exactly one rename succeeds, and only a lock whose owner is still the dead one is moved.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // someone else moved it
      throw error;
    }
    const moved = readOwner(aside);
    if (moved && moved.pid !== current?.pid && ownerAlive(moved)) {
      // We moved a fresh lock another process had just written: put it back and give way.
      try {
        renameSync(aside, file);
      } catch {}
      throw new DataDirLockedError(dataDir, moved);
    }
    try {
      unlinkSync(aside);
    } catch {}
  }
  let released = false;
  const lock: DataDirLock = {
    path: file,
    owner,
    update(fields) {
      if (released) return;
      Object.assign(owner, fields);
      // Written beside and renamed over: readers never see half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, "w", 0o644);
      try {
        writeSync(fd, `${JSON.stringify(owner)}\n`);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      // Only remove it if it is still ours.
      if (readOwner(file)?.pid === process.pid) {
        try {
          unlinkSync(file);
        } catch {}
      }
    },
  };
  held.set(file, lock);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", releaseAll);
  }
  return lock;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function describeCommand(): string {
  const script = process.env.npm_lifecycle_event;
  if (script) return `npm run ${script}`;
  const main = process.argv[1];
  return main ? `node ${path.relative(process.cwd(), main) || main}` : "node";
}
