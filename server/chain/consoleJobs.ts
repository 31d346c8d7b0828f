/**
 * The admin console's dry runs and deploys, run server-side as jobs: each is the deploy
 * command itself (`scripts/deploy-campaign.ts --json`, a child process in the repository, so
 * Hardhat, Ignition and their journals work exactly as from a terminal), its progress read
 * from the command's `REFMINT_EVENT` lines and kept here for the console to poll.
 *
 * - Dry run: the draft in a temporary file, `--dry-run`: the role plan, every Ignition step's
 *   simulated gas, the cost at the target's fee (RPC_URL) and in dollars (NATIVE_USD_PRICE in
 *   the service's environment); nothing is written.
 * - Deploy: the draft becomes `CAMPAIGNS_DIR/<slug>.json` (what the service loads when it
 *   starts), its row moves to `deploying` (campaignDrafts.ts `beginDraftDeploy`), the command
 *   deploys with `--no-register` to `RPC_URL` (`--network localhost` on a development chain,
 *   whose node holds the deployer's key; else `--network target`: DEPLOYER_PRIVATE_KEY and the
 *   role key variables of the service's environment), and on success the deployment file is
 *   loaded and the campaign goes `active` in this process (`finishDraftDeploy`).
 * - Resumable: a deploy that stopped (the service restarted, the node went away) leaves the
 *   campaign `deploying`; deploying again re-runs the command, which resumes from its Ignition
 *   journal and sends no finished step twice.
 *
 * Jobs live in this process's memory (the newest per draft and kind is what the console
 * shows); what must survive a restart — the campaign's state, the journal, the file — is on
 * disk or in the database.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeAudit } from "../domain/audit.ts";
import { beginDraftDeploy, finishDraftDeploy, validDraft } from "../domain/campaignDrafts.ts";
import type { Actor, DomainContext } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import type { AdminPrincipal } from "../domain/roles.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "deploy-campaign.ts");
const EVENT = "REFMINT_EVENT ";
/** Chains whose node holds the deployer's key (scripts/lib/deployCampaign.ts). */
const DEVELOPMENT_CHAINS = new Set([31337, 1337]);

export type JobKind = "dry-run" | "deploy";
export type JobStatus = "running" | "succeeded" | "failed";

export interface JobStep {
  futureId: string;
  status: "sent" | "done";
  address: string | null;
  gasUsed: string | null;
  hashes: string[];
}

export interface ConsoleJob {
  id: string;
  kind: JobKind;
  slug: string;
  actor: Actor;
  status: JobStatus;
  startedAt: Date;
  finishedAt: Date | null;
  /** The deploy's step count (from Ignition), once known. */
  total: number | null;
  /** Steps an earlier, interrupted run finished (not sent again). */
  resumed: number;
  steps: JobStep[];
  /** The dry run's report as the command printed it (bigints as strings). */
  report: Record<string, unknown> | null;
  campaignId: number | null;
  error: string | null;
  /** The command's last lines, for a failure's context. */
  log: string[];
}

export interface ConsoleJobsOptions {
  campaignsDir: string;
  deploymentsDir: string;
  chainId: number;
  rpcUrl?: string;
  metadataUrl: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConsoleJobs {
  start(p: AdminPrincipal, kind: JobKind, slug: string): Promise<ConsoleJob>;
  get(id: string): ConsoleJob | undefined;
  /** The newest job of a draft, per kind. */
  latest(slug: string): Partial<Record<JobKind, ConsoleJob>>;
  /** Stops running commands (service shutdown; a deploy resumes when started again). */
  stop(): Promise<void>;
}

const MAX_JOBS = 200;
const LOG_LINES = 40;

export function createConsoleJobs(
  domain: Pick<DomainContext, "db" | "now" | "campaigns">,
  options: ConsoleJobsOptions,
): ConsoleJobs {
  const jobs = new Map<string, ConsoleJob>();
  const children = new Set<ChildProcess>();
  const starting = new Set<string>();

  const remember = (job: ConsoleJob) => {
    jobs.set(job.id, job);
    // Oldest finished jobs go first; running ones stay.
    for (const [id, j] of jobs) {
      if (jobs.size <= MAX_JOBS) break;
      if (j.status !== "running") jobs.delete(id);
    }
  };

  function run(job: ConsoleJob, args: string[]): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [SCRIPT, ...args], {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.add(child);
      for (const stream of [child.stdout, child.stderr]) {
        let buffer = "";
        stream?.on("data", (b: Buffer) => {
          buffer += b.toString();
          for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
            onLine(job, buffer.slice(0, i));
            buffer = buffer.slice(i + 1);
          }
        });
        stream?.on("end", () => {
          if (buffer !== "") onLine(job, buffer);
        });
      }
      child.once("error", (error) => {
        job.log.push(String(error));
        children.delete(child);
        resolve(null);
      });
      child.once("close", (code, signal) => {
        children.delete(child);
        // Killed (a crash, the service stopping): the journal keeps what it finished.
        if (signal !== null)
          job.error = `the deploy command was stopped (${signal}); start it again to resume`;
        resolve(code);
      });
    });
  }

  return {
    async start(p, kind, slug) {
      for (const j of jobs.values())
        if (j.slug === slug && j.status === "running")
          throw new DomainError("job_running", `a ${j.kind} of ${slug} is running (job ${j.id})`, {
            slug,
            job: j.id,
          });
      // Two requests at once: the second is refused before either awaits anything.
      if (starting.has(slug))
        throw new DomainError("job_running", `a job of ${slug} is starting`, { slug });
      starting.add(slug);
      try {
        return await begin(p, kind, slug);
      } finally {
        starting.delete(slug);
      }
    },
    get: (id) => jobs.get(id),
    latest(slug) {
      const out: Partial<Record<JobKind, ConsoleJob>> = {};
      for (const j of jobs.values())
        if (j.slug === slug && (!out[j.kind] || out[j.kind]!.startedAt <= j.startedAt))
          out[j.kind] = j;
      return out;
    },
    async stop() {
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(
        [...children].map((c) => new Promise<void>((resolve) => c.once("close", () => resolve()))),
      );
    },
  };

  async function begin(p: AdminPrincipal, kind: JobKind, slug: string): Promise<ConsoleJob> {
    const { definition } = await validDraft(
      domain,
      p,
      slug,
      kind === "deploy" ? "campaign.lifecycle" : "campaign.edit",
    );
    const job: ConsoleJob = {
      id: randomUUID(),
      kind,
      slug,
      actor: p.actor,
      status: "running",
      startedAt: domain.now(),
      finishedAt: null,
      total: null,
      resumed: 0,
      steps: [],
      report: null,
      campaignId: null,
      error: null,
      log: [],
    };
    const common = ["--json", "--metadata-url", options.metadataUrl];
    const rpc = options.rpcUrl ? ["--rpc-url", options.rpcUrl] : [];
    if (kind === "dry-run") {
      await writeAudit(domain.db, {
        actor: p.actor,
        action: "campaign_draft.dry_run",
        subjectType: "campaign_draft",
        subjectId: slug,
        campaignId: null,
        details: { job: job.id },
        at: job.startedAt,
      });
      remember(job);
      const dir = path.join(tmpdir(), `refmint-dry-run-${job.id}`);
      const file = path.join(dir, `${slug}.json`);
      void (async () => {
        try {
          await mkdir(dir, { recursive: true });
          await writeFile(file, `${JSON.stringify(definition, null, 2)}\n`);
          const code = await run(job, ["--dry-run", file, ...common, ...rpc]);
          finish(job, job.report !== null, code);
        } catch (error) {
          fail(job, error);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      })();
      return job;
    }

    if (!options.rpcUrl)
      throw new DomainError(
        "not_found",
        "RPC_URL is not set: the service has no chain to deploy to",
        {
          slug,
        },
      );
    const file = path.resolve(options.campaignsDir, `${slug}.json`);
    const begun = await beginDraftDeploy(domain, p, { slug, definition, file, jobId: job.id });
    job.campaignId = begun.campaignId;
    remember(job);
    void (async () => {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(definition, null, 2)}\n`);
        const network = DEVELOPMENT_CHAINS.has(options.chainId) ? "localhost" : "target";
        const code = await run(job, [
          file,
          "--network",
          network,
          "--no-register",
          "--deployments-dir",
          path.resolve(options.deploymentsDir),
          ...common,
          ...rpc,
        ]);
        if (code !== 0) return finish(job, false, code);
        await finishDraftDeploy(domain, p, {
          slug,
          definition,
          campaignId: begun.campaignId,
          deploymentsDir: path.resolve(options.deploymentsDir),
          chainId: options.chainId,
          jobId: job.id,
        });
        finish(job, true, code);
      } catch (error) {
        fail(job, error);
      }
    })();
    return job;
  }

  function finish(job: ConsoleJob, ok: boolean, code: number | null) {
    job.status = ok ? "succeeded" : "failed";
    job.finishedAt = domain.now();
    if (!ok && job.error === null)
      job.error =
        job.log
          .filter((l) => l.trim() !== "")
          .slice(-6)
          .join("\n") || `the deploy command exited with ${code}`;
  }

  function fail(job: ConsoleJob, error: unknown) {
    job.status = "failed";
    job.finishedAt = domain.now();
    job.error = error instanceof Error ? error.message : String(error);
  }
}

function onLine(job: ConsoleJob, line: string): void {
  if (!line.startsWith(EVENT)) {
    job.log.push(line);
    if (job.log.length > LOG_LINES) job.log.splice(0, job.log.length - LOG_LINES);
    return;
  }
  let parsed: { event: string; data: Record<string, unknown> };
  try {
    parsed = JSON.parse(line.slice(EVENT.length));
  } catch {
    return;
  }
  const d = parsed.data;
  if (parsed.event === "dryRun") job.report = d;
  else if (parsed.event === "invalid")
    job.error = `the campaign file is invalid: ${JSON.stringify(d.issues)}`;
  else if (parsed.event === "progress") {
    if (d.kind === "start") {
      job.total = Number(d.total);
      job.resumed = Array.isArray(d.done) ? d.done.length : 0;
    } else if (d.kind === "sent") {
      const step = stepOf(job, String(d.futureId));
      step.hashes.push(String(d.hash));
    } else if (d.kind === "step") {
      const s = d.step as { futureId: string; address?: string; gasUsed: string; hashes: string[] };
      const step = stepOf(job, s.futureId);
      step.status = "done";
      step.address = s.address ?? null;
      step.gasUsed = s.hashes.length > 0 ? s.gasUsed : null;
    }
  }
}

function stepOf(job: ConsoleJob, futureId: string): JobStep {
  let step = job.steps.find((s) => s.futureId === futureId);
  if (!step) {
    step = { futureId, status: "sent", address: null, gasUsed: null, hashes: [] };
    job.steps.push(step);
  }
  return step;
}
