/**
 * The admin console's jobs (dry runs, deploys, rules versions): the only code that writes
 * `console_jobs` and `console_job_lines` (schema/console.ts). The chain layer runs the
 * commands (server/chain/consoleJobs.ts) and records here what they do, so that:
 *
 * - a restart, or another API instance on the same database, shows the same job with its
 *   progress and every line its command printed;
 * - at most one job per slug runs at a time, across processes (a partial unique index: the
 *   second start is `job_running`);
 * - a job whose process died (killed, crashed, the machine gone) is seen as interrupted: on
 *   this host by its process id being gone, elsewhere by a heartbeat older than
 *   {@link STALE_MS}. It is marked failed with that reason, and a deploy started again goes
 *   on in the same record ({@link resumeJob}): its log keeps what the first run printed.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type Db, pgErrorCode } from "../db/index.ts";
import {
  type ConsoleJobKind,
  type ConsoleJobRow,
  type ConsoleJobStatus,
  type ConsoleJobStep,
  consoleJobLines,
  consoleJobs,
} from "../db/schema/console.ts";
import type { Actor } from "./context.ts";
import { DomainError } from "./errors.ts";

export type { ConsoleJobKind, ConsoleJobStatus, ConsoleJobStep };

/** A running job's heartbeat older than this, on another host, means its process is gone. */
export const STALE_MS = 60_000;
/** Lines a job keeps (a deploy prints a few hundred; the oldest beyond this are dropped). */
export const MAX_LINES = 5_000;

export interface ConsoleJob {
  id: string;
  kind: ConsoleJobKind;
  slug: string;
  actor: Actor;
  status: ConsoleJobStatus;
  startedAt: Date;
  finishedAt: Date | null;
  /** The deploy's step count (from Ignition), once known. */
  total: number | null;
  /** Steps an earlier, interrupted run finished (not sent again). */
  resumed: number;
  /** Times it was started: more than 1 when resumed after an interruption. */
  runs: number;
  steps: ConsoleJobStep[];
  /** The dry run's report, or a rules version's outcome (bigints as strings). */
  report: Record<string, unknown> | null;
  campaignId: number | null;
  error: string | null;
  /** Every line its command printed, in order, across runs. */
  log: string[];
}

let self: string | undefined;

/** This process as a job owner: `host:pid:random` (a pid reused later is another owner). */
export function processOwner(): string {
  self ??= `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  return self;
}

/**
 * Whether the process that owns a running job may still be running it: this process, or one
 * whose heartbeat is fresh — on this host only while its pid exists (a killed service is seen
 * at once by the next process that looks).
 */
function ownerAlive(owner: string, heartbeatAt: Date, now: Date): boolean {
  if (owner === processOwner()) return true;
  const [host, pid] = owner.split(":");
  if (host === hostname()) {
    // The same pid is this process in an earlier life (a restarted container).
    if (Number(pid) === process.pid) return false;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
    }
  }
  return now.getTime() - heartbeatAt.getTime() < STALE_MS;
}

/**
 * Marks running jobs whose process is gone as failed (interrupted), with a line in their log.
 * Cheap: the running jobs are a handful, found through the partial unique index.
 */
export async function interruptDeadJobs(db: Db, now: Date): Promise<number> {
  const running = await db
    .select({ id: consoleJobs.id, owner: consoleJobs.owner, heartbeatAt: consoleJobs.heartbeatAt })
    .from(consoleJobs)
    .where(eq(consoleJobs.status, "running"));
  let n = 0;
  for (const r of running) {
    if (ownerAlive(r.owner, r.heartbeatAt, now)) continue;
    const message = `interrupted: the process running it (${r.owner.split(":").slice(0, 2).join(" pid ")}) stopped; start it again to resume`;
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(consoleJobs)
        .set({ status: "failed", finishedAt: now, error: message })
        .where(
          and(
            eq(consoleJobs.id, r.id),
            eq(consoleJobs.status, "running"),
            eq(consoleJobs.owner, r.owner),
          ),
        )
        .returning({ id: consoleJobs.id });
      if (!row) return false;
      await appendLinesIn(tx, r.id, [`— ${message}`]);
      return true;
    });
    if (done) n++;
  }
  return n;
}

const runningRefusal = (slug: string) =>
  new DomainError("job_running", `a job of ${slug} is running`, { slug });

/**
 * A new running job owned by this process; `job_running` while another job of the slug runs
 * (in any process that is still alive).
 */
export async function createJob(
  db: Db,
  input: {
    id: string;
    kind: ConsoleJobKind;
    slug: string;
    actor: Actor;
    campaignId: number | null;
    now: Date;
  },
): Promise<ConsoleJob> {
  await interruptDeadJobs(db, input.now);
  try {
    await db.insert(consoleJobs).values({
      id: input.id,
      kind: input.kind,
      slug: input.slug,
      actor: input.actor,
      status: "running",
      owner: processOwner(),
      heartbeatAt: input.now,
      startedAt: input.now,
      campaignId: input.campaignId,
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw runningRefusal(input.slug);
    throw error;
  }
  return (await getJob(db, input.id, input.now))!;
}

/** The slug's running job, if one runs (after interrupting dead ones). */
export async function runningJob(db: Db, slug: string, now: Date): Promise<ConsoleJob | undefined> {
  await interruptDeadJobs(db, now);
  const [row] = await db
    .select({ id: consoleJobs.id })
    .from(consoleJobs)
    .where(and(eq(consoleJobs.slug, slug), eq(consoleJobs.status, "running")));
  return row ? getJob(db, row.id, now) : undefined;
}

/**
 * Starts an interrupted (failed) job again in the same record: running, owned by this
 * process, one more run; its steps, log and first start stay. `job_running` as
 * {@link createJob}.
 */
export async function resumeJob(
  db: Db,
  input: { id: string; actor: Actor; now: Date; line: string },
): Promise<ConsoleJob> {
  await interruptDeadJobs(db, input.now);
  try {
    await db.transaction(async (tx) => {
      const [row] = await tx
        .update(consoleJobs)
        .set({
          status: "running",
          owner: processOwner(),
          heartbeatAt: input.now,
          finishedAt: null,
          error: null,
          runs: sql`${consoleJobs.runs} + 1`,
        })
        .where(and(eq(consoleJobs.id, input.id), eq(consoleJobs.status, "failed")))
        .returning({ id: consoleJobs.id, slug: consoleJobs.slug });
      if (!row) throw new DomainError("not_found", `no interrupted job ${input.id}`, {});
      await appendLinesIn(tx, input.id, [input.line]);
    });
  } catch (error) {
    if (pgErrorCode(error) === "23505") {
      const [job] = await db
        .select({ slug: consoleJobs.slug })
        .from(consoleJobs)
        .where(eq(consoleJobs.id, input.id));
      throw runningRefusal(job?.slug ?? input.id);
    }
    throw error;
  }
  return (await getJob(db, input.id, input.now))!;
}

async function appendLinesIn(db: Db, jobId: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const [top] = await db
    .select({ seq: sql<number>`coalesce(max(${consoleJobLines.seq}), 0)::int` })
    .from(consoleJobLines)
    .where(eq(consoleJobLines.jobId, jobId));
  const first = Number(top?.seq ?? 0) + 1;
  await db
    .insert(consoleJobLines)
    .values(lines.map((line, i) => ({ jobId, seq: first + i, line: line.slice(0, 4_000) })));
  if (first + lines.length - 1 > MAX_LINES)
    await db
      .delete(consoleJobLines)
      .where(
        and(
          eq(consoleJobLines.jobId, jobId),
          sql`${consoleJobLines.seq} <= ${first + lines.length - 1 - MAX_LINES}`,
        ),
      );
}

/** Removes a job refused before it ran (nothing of it happened). */
export async function discardJob(db: Db, jobId: string): Promise<void> {
  await db.delete(consoleJobs).where(eq(consoleJobs.id, jobId));
}

/** Appends lines to a job's log (one writer per job: the process running it). */
export async function appendJobLines(
  db: Db,
  jobId: string,
  lines: readonly string[],
): Promise<void> {
  await db.transaction((tx) => appendLinesIn(tx, jobId, lines));
}

/** Records a running job's progress; also its heartbeat. */
export async function updateJob(
  db: Db,
  jobId: string,
  patch: Partial<
    Pick<ConsoleJob, "total" | "resumed" | "steps" | "report" | "campaignId" | "error">
  >,
  now: Date,
): Promise<void> {
  await db
    .update(consoleJobs)
    .set({ ...patch, heartbeatAt: now })
    .where(eq(consoleJobs.id, jobId));
}

/** The heartbeat of every job this process runs. */
export async function heartbeat(db: Db, now: Date): Promise<void> {
  await db
    .update(consoleJobs)
    .set({ heartbeatAt: now })
    .where(and(eq(consoleJobs.owner, processOwner()), eq(consoleJobs.status, "running")));
}

/** A job's end: succeeded, or failed with why. */
export async function finishJob(
  db: Db,
  jobId: string,
  outcome: { ok: boolean; error?: string | null },
  now: Date,
): Promise<void> {
  await db
    .update(consoleJobs)
    .set({
      status: outcome.ok ? "succeeded" : "failed",
      finishedAt: now,
      heartbeatAt: now,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    })
    .where(and(eq(consoleJobs.id, jobId), eq(consoleJobs.owner, processOwner())));
}

function view(row: ConsoleJobRow, log: string[]): ConsoleJob {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    actor: row.actor as Actor,
    status: row.status,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    total: row.total,
    resumed: row.resumed,
    runs: row.runs,
    steps: row.steps,
    report: row.report ?? null,
    campaignId: row.campaignId,
    error: row.error,
    log,
  };
}

/** One job with its whole log (a dead owner's job shows as interrupted). */
export async function getJob(db: Db, id: string, now: Date): Promise<ConsoleJob | undefined> {
  await interruptDeadJobs(db, now);
  const [row] = await db.select().from(consoleJobs).where(eq(consoleJobs.id, id));
  if (!row) return undefined;
  const lines = await db
    .select({ line: consoleJobLines.line })
    .from(consoleJobLines)
    .where(eq(consoleJobLines.jobId, id))
    .orderBy(asc(consoleJobLines.seq));
  return view(
    row,
    lines.map((l) => l.line),
  );
}

/** The newest job of a slug per kind, each with its log. */
export async function latestJobs(
  db: Db,
  slug: string,
  now: Date,
): Promise<Partial<Record<ConsoleJobKind, ConsoleJob>>> {
  await interruptDeadJobs(db, now);
  const rows = await db
    .select({ id: consoleJobs.id, kind: consoleJobs.kind })
    .from(consoleJobs)
    .where(eq(consoleJobs.slug, slug))
    .orderBy(desc(consoleJobs.startedAt));
  const out: Partial<Record<ConsoleJobKind, ConsoleJob>> = {};
  for (const r of rows) {
    if (out[r.kind]) continue;
    const job = await getJob(db, r.id, now);
    if (job) out[r.kind] = job;
  }
  return out;
}
