/**
 * The admin console's dry runs, deploys and rules versions, run server-side as jobs:
 *
 * - Dry run and deploy: the deploy command itself (`scripts/deploy-campaign.ts --json`, a child
 *   process in the repository, so Hardhat, Ignition and their journals work exactly as from a
 *   terminal), its progress read from the command's `REFMINT_EVENT` lines.
 *   - Dry run: the draft in a temporary file, `--dry-run`: the role plan, every Ignition step's
 *     simulated gas, the cost at the target's fee (RPC_URL) and in dollars (NATIVE_USD_PRICE in
 *     the service's environment); nothing is written.
 *   - Deploy: the draft becomes `CAMPAIGNS_DIR/<slug>.json` (what the service loads when it
 *     starts), its row moves to `deploying` (campaignDrafts.ts `beginDraftDeploy`), the command
 *     deploys with `--no-register` to `RPC_URL` (`--network localhost` on a development chain,
 *     whose node holds the deployer's key; else `--network target`: DEPLOYER_PRIVATE_KEY and the
 *     role key variables of the service's environment), and on success the deployment file is
 *     loaded and the campaign goes `active` (`finishDraftDeploy`; other processes pick it up
 *     through the registry's change counter, registrySync.ts).
 *   - Resumable: a deploy that stopped (the command killed, the service killed or restarted)
 *     leaves the campaign `deploying`; deploying again goes on in the same job record and re-runs
 *     the command, which resumes from its Ignition journal and sends no finished step twice.
 * - Rules version: in this process, the code path of `npm run campaign:version`
 *   (versionCommand.ts): the version recorded in the admin's name, its transactions sent from
 *   the campaign admin's key, then awaited until the indexer saw it take effect.
 *
 * Every job, its progress and every line it printed are in the database (the domain's
 * consoleJobs.ts), so a restart or another API instance shows the same job with its whole log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeAudit } from "../domain/audit.ts";
import { beginDraftDeploy, finishDraftDeploy, validDraft } from "../domain/campaignDrafts.ts";
import { campaignLifecycle } from "../domain/campaignTransitions.ts";
import {
  appendJobLines,
  type ConsoleJob,
  type ConsoleJobKind,
  type ConsoleJobStep,
  createJob,
  discardJob,
  finishJob,
  getJob,
  heartbeat,
  latestJobs,
  resumeJob,
  updateJob,
} from "../domain/consoleJobs.ts";
import type { DomainContext } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import type { AdminPrincipal } from "../domain/roles.ts";

export type { ConsoleJob };
export type JobKind = ConsoleJobKind;
export type JobStep = ConsoleJobStep;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "deploy-campaign.ts");
const EVENT = "REFMINT_EVENT ";
/** Chains whose node holds the deployer's key (scripts/lib/deployCampaign.ts). */
const DEVELOPMENT_CHAINS = new Set([31337, 1337]);
/** How often a running job's heartbeat is written (see the domain's STALE_MS). */
const HEARTBEAT_MS = 10_000;

/**
 * A rules version run by this process (consoleVersions.ts): told how to log, what to record,
 * it resolves with what the job's report says, or throws why it failed.
 */
export type VersionRun = (io: {
  log: (line: string) => void;
  steps: (steps: ConsoleJobStep[], total: number) => void;
}) => Promise<Record<string, unknown>>;

export interface ConsoleJobsOptions {
  campaignsDir: string;
  deploymentsDir: string;
  chainId: number;
  rpcUrl?: string;
  metadataUrl: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConsoleJobs {
  start(p: AdminPrincipal, kind: "dry-run" | "deploy", slug: string): Promise<ConsoleJob>;
  /** A rules version of campaign `slug` (authorized and planned by the caller). */
  startVersion(
    p: AdminPrincipal,
    slug: string,
    campaignId: number,
    run: VersionRun,
  ): Promise<ConsoleJob>;
  get(id: string): Promise<ConsoleJob | undefined>;
  /** The newest job of a draft (or campaign), per kind. */
  latest(slug: string): Promise<Partial<Record<JobKind, ConsoleJob>>>;
  /** Stops running commands (service shutdown; a deploy resumes when started again). */
  stop(): Promise<void>;
}

/** A job this process runs: its state in memory, written through to the database in order. */
class Running {
  readonly job: ConsoleJob;
  #queue: Promise<void> = Promise.resolve();
  #lines: string[] = [];
  #progress = false;
  readonly #domain: Pick<DomainContext, "db" | "now">;

  constructor(domain: Pick<DomainContext, "db" | "now">, job: ConsoleJob) {
    this.#domain = domain;
    this.job = job;
  }

  line(line: string): void {
    this.job.log.push(line);
    this.#lines.push(line);
    this.#flush();
  }

  progress(): void {
    this.#progress = true;
    this.#flush();
  }

  #flush(): void {
    this.#queue = this.#queue.then(async () => {
      const lines = this.#lines.splice(0);
      const progress = this.#progress;
      this.#progress = false;
      if (lines.length > 0) await appendJobLines(this.#domain.db, this.job.id, lines);
      if (progress) {
        const j = this.job;
        await updateJob(
          this.#domain.db,
          j.id,
          {
            total: j.total,
            resumed: j.resumed,
            steps: j.steps,
            report: j.report,
            campaignId: j.campaignId,
            error: j.error,
          },
          this.#domain.now(),
        );
      }
    });
    // A failed write is retried with the next line; the job's end reports it.
    this.#queue = this.#queue.catch(() => {});
  }

  /** Writes everything pending, then the job's end. */
  async finish(ok: boolean): Promise<void> {
    this.progress();
    await this.#queue;
    const j = this.job;
    j.status = ok ? "succeeded" : "failed";
    j.finishedAt = this.#domain.now();
    await finishJob(this.#domain.db, j.id, { ok, error: j.error }, j.finishedAt);
  }
}

export function createConsoleJobs(
  domain: Pick<DomainContext, "db" | "now" | "campaigns">,
  options: ConsoleJobsOptions,
): ConsoleJobs {
  const children = new Set<ChildProcess>();
  const running = new Map<string, Running>();
  let beat: NodeJS.Timeout | undefined;

  const track = (r: Running) => {
    running.set(r.job.id, r);
    beat ??= setInterval(() => {
      heartbeat(domain.db, domain.now()).catch(() => {});
    }, HEARTBEAT_MS);
    beat.unref();
  };
  const untrack = (r: Running) => {
    running.delete(r.job.id);
    if (running.size === 0 && beat) {
      clearInterval(beat);
      beat = undefined;
    }
  };

  function run(r: Running, args: string[]): Promise<number | null> {
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
            onLine(r, buffer.slice(0, i));
            buffer = buffer.slice(i + 1);
          }
        });
        stream?.on("end", () => {
          if (buffer !== "") onLine(r, buffer);
        });
      }
      child.once("error", (error) => {
        r.line(String(error));
        children.delete(child);
        resolve(null);
      });
      child.once("close", (code, signal) => {
        children.delete(child);
        // Killed (a crash, the service stopping): the journal keeps what it finished.
        if (signal !== null)
          r.job.error = `the deploy command was stopped (${signal}); start it again to resume`;
        resolve(code);
      });
    });
  }

  async function end(r: Running, ok: boolean, code: number | null): Promise<void> {
    if (!ok && r.job.error === null)
      r.job.error =
        r.job.log
          .filter((l) => l.trim() !== "")
          .slice(-6)
          .join("\n") || `the deploy command exited with ${code}`;
    try {
      await r.finish(ok);
    } finally {
      untrack(r);
    }
  }

  async function fail(r: Running, error: unknown): Promise<void> {
    r.job.error = error instanceof Error ? error.message : String(error);
    r.line(`failed: ${r.job.error}`);
    try {
      await r.finish(false);
    } finally {
      untrack(r);
    }
  }

  async function startDryRun(p: AdminPrincipal, slug: string): Promise<ConsoleJob> {
    const { definition } = await validDraft(domain, p, slug, "campaign.edit");
    const now = domain.now();
    const job = await createJob(domain.db, {
      id: randomUUID(),
      kind: "dry-run",
      slug,
      actor: p.actor,
      campaignId: null,
      now,
    });
    await writeAudit(domain.db, {
      actor: p.actor,
      action: "campaign_draft.dry_run",
      subjectType: "campaign_draft",
      subjectId: slug,
      campaignId: null,
      details: { job: job.id },
      at: now,
    });
    const r = new Running(domain, job);
    track(r);
    const dir = path.join(tmpdir(), `refmint-dry-run-${job.id}`);
    const file = path.join(dir, `${slug}.json`);
    void (async () => {
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(file, `${JSON.stringify(definition, null, 2)}\n`);
        const code = await run(r, ["--dry-run", file, ...common(), ...rpc()]);
        await end(r, r.job.report !== null, code);
      } catch (error) {
        await fail(r, error);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return job;
  }

  const common = () => ["--json", "--metadata-url", options.metadataUrl];
  const rpc = () => (options.rpcUrl ? ["--rpc-url", options.rpcUrl] : []);

  async function startDeploy(p: AdminPrincipal, slug: string): Promise<ConsoleJob> {
    const { row, definition } = await validDraft(domain, p, slug, "campaign.lifecycle");
    if (!options.rpcUrl)
      throw new DomainError(
        "not_found",
        "RPC_URL is not set: the service has no chain to deploy to",
        { slug },
      );
    const now = domain.now();
    // A deploy that stopped half-way (its campaign still `deploying`) goes on in its own record.
    const previous = (await latestJobs(domain.db, slug, now)).deploy;
    const deploying =
      row.campaignId !== null &&
      (await campaignLifecycle(domain.db, row.campaignId)).state === "deploying";
    const resumable = deploying && previous?.status === "failed" ? previous : undefined;
    const job = resumable
      ? await resumeJob(domain.db, {
          id: resumable.id,
          actor: p.actor,
          now,
          line: `— resumed by ${p.actor} at ${now.toISOString()} (run ${resumable.runs + 1})`,
        })
      : await createJob(domain.db, {
          id: randomUUID(),
          kind: "deploy",
          slug,
          actor: p.actor,
          campaignId: row.campaignId,
          now,
        });
    const file = path.resolve(options.campaignsDir, `${slug}.json`);
    let begun: Awaited<ReturnType<typeof beginDraftDeploy>>;
    try {
      begun = await beginDraftDeploy(domain, p, { slug, definition, file, jobId: job.id });
    } catch (error) {
      // Refused before anything ran: a new record goes, a resumed one is failed again.
      if (resumable) {
        await finishJob(domain.db, job.id, { ok: false, error: String(error) }, domain.now());
      } else await discardJob(domain.db, job.id);
      throw error;
    }
    job.campaignId = begun.campaignId;
    const r = new Running(domain, job);
    track(r);
    r.progress();
    void (async () => {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(definition, null, 2)}\n`);
        const network = DEVELOPMENT_CHAINS.has(options.chainId) ? "localhost" : "target";
        const code = await run(r, [
          file,
          "--network",
          network,
          "--no-register",
          "--deployments-dir",
          path.resolve(options.deploymentsDir),
          ...common(),
          ...rpc(),
        ]);
        if (code !== 0) return await end(r, false, code);
        await finishDraftDeploy(domain, p, {
          slug,
          definition,
          campaignId: begun.campaignId,
          deploymentsDir: path.resolve(options.deploymentsDir),
          chainId: options.chainId,
          jobId: job.id,
        });
        r.line(`${slug} is registered and active`);
        await end(r, true, code);
      } catch (error) {
        await fail(r, error);
      }
    })();
    return job;
  }

  return {
    start: (p, kind, slug) => (kind === "deploy" ? startDeploy(p, slug) : startDryRun(p, slug)),
    async startVersion(p, slug, campaignId, versionRun) {
      const job = await createJob(domain.db, {
        id: randomUUID(),
        kind: "version",
        slug,
        actor: p.actor,
        campaignId,
        now: domain.now(),
      });
      const r = new Running(domain, job);
      track(r);
      void (async () => {
        try {
          r.job.report = await versionRun({
            log: (line) => r.line(line),
            steps: (steps, total) => {
              r.job.steps = steps;
              r.job.total = total;
              r.progress();
            },
          });
          await end(r, true, 0);
        } catch (error) {
          await fail(r, error);
        }
      })();
      return job;
    },
    get: (id) => getJob(domain.db, id, domain.now()),
    latest: (slug) => latestJobs(domain.db, slug, domain.now()),
    async stop() {
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(
        [...children].map((c) => new Promise<void>((resolve) => c.once("close", () => resolve()))),
      );
      await Promise.all([...running.values()].map((r) => r.finish(false).catch(() => {})));
    },
  };
}

function onLine(r: Running, line: string): void {
  const job = r.job;
  if (!line.startsWith(EVENT)) {
    r.line(line);
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
      const done = Array.isArray(d.done) ? d.done.map(String) : [];
      job.resumed = done.length;
      // Steps an earlier run finished are counted in `resumed`, not listed again.
      job.steps = job.steps.filter((s) => !done.includes(s.futureId));
      r.line(
        done.length > 0
          ? `deploying ${job.total} steps, ${done.length} finished before`
          : `deploying ${job.total} steps`,
      );
    } else if (d.kind === "sent") {
      const step = stepOf(job, String(d.futureId));
      step.hashes.push(String(d.hash));
      r.line(`sent ${String(d.futureId)}: ${String(d.hash)}`);
    } else if (d.kind === "step") {
      const s = d.step as { futureId: string; address?: string; gasUsed: string; hashes: string[] };
      const step = stepOf(job, s.futureId);
      step.status = "done";
      step.address = s.address ?? null;
      step.gasUsed = s.hashes.length > 0 ? s.gasUsed : null;
      r.line(`done ${s.futureId}${s.address ? ` at ${s.address}` : ""}`);
    }
  }
  r.progress();
}

function stepOf(job: ConsoleJob, futureId: string): JobStep {
  let step = job.steps.find((s) => s.futureId === futureId);
  if (!step) {
    step = { futureId, status: "sent", address: null, gasUsed: null, hashes: [] };
    job.steps.push(step);
  }
  return step;
}
