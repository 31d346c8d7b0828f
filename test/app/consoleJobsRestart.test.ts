/**
 * The console's deploy jobs survive the service dying mid-deploy (server/domain/consoleJobs.ts):
 * `npm start` on PGlite with a Hardhat node, a draft deployed through the API, and the service
 * killed together with its deploy command (kill -9 of its process group, at the command's third
 * finished step). Started again on the same data directory, the job is there with the lines it
 * printed and says it was interrupted; deploying again goes on in the same job record, resumes
 * the Ignition journal (finished steps are not sent again) and ends registered and active, with
 * the whole log of both runs.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { until } from "../chain/support.ts";
import { startHardhatNode } from "../support/chain.ts";
import { migratedDataDir, ROOT, startMain } from "../support/process.ts";

const TOKEN = "console-restart-admin-token-0123456789abcdef";
const SLUG = `restart-${process.pid}`;

interface Job {
  id: string;
  status: "running" | "succeeded" | "failed";
  runs: number;
  total: number | null;
  resumed: number;
  steps: Array<{ futureId: string; status: string }>;
  error: string | null;
  log: string[];
  campaignId: number | null;
}

test("a deploy interrupted by the service's death is the same job after a restart, with its log, and finishes", async (t) => {
  const chain = await startHardhatNode();
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-console-restart-"));
  t.after(async () => {
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(path.join(ROOT, "ignition", "deployments", `${SLUG}-31337`), {
      recursive: true,
      force: true,
    });
  });
  const dataDir = path.join(dir, "pglite");
  await migratedDataDir(dataDir);
  const env = {
    DATA_DIR: dataDir,
    RPC_URL: chain.rpcUrl,
    ADMIN_API_TOKEN: TOKEN,
    CAMPAIGNS_DIR: path.join(dir, "campaigns"),
    DEPLOYMENTS_DIR: path.join(dir, "deployments"),
    JOBS_INTERVAL_SECONDS: "0",
  };
  const call = async (base: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  // The first life: the deploy command kills itself and the service at its third step.
  const first = startMain({ ...env, REFMINT_FAILPOINT: "deploy-after-step-3@group" });
  t.after(() => first.killAll());
  const firstUrl = await first.listening;
  const draft = await call(firstUrl, "PUT", `/api/admin/console/drafts/${SLUG}`, {
    template: "standing",
  });
  assert.equal(draft.status, 200, JSON.stringify(draft.body));
  assert.equal(draft.body.valid, true, JSON.stringify(draft.body.issues));
  const started = await call(firstUrl, "POST", `/api/admin/console/drafts/${SLUG}/deploy`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const jobId = (started.body as Job).id;
  await first.exit;

  // The second life: the job is there, interrupted, with what the first run printed.
  const second = startMain(env);
  t.after(() => second.killAll());
  const secondUrl = await second.listening;
  const seen = await call(secondUrl, "GET", `/api/admin/console/jobs/${jobId}`);
  assert.equal(seen.status, 200, JSON.stringify(seen.body));
  const interrupted = seen.body as Job;
  assert.equal(interrupted.status, "failed");
  assert.match(interrupted.error ?? "", /interrupted: the process running it .* stopped/);
  assert.ok(
    interrupted.log.some((l) => /^deploying \d+ steps$/.test(l)),
    interrupted.log.join("\n"),
  );
  assert.ok(
    interrupted.log.some((l) => l.startsWith("done ")),
    "the first run's finished steps are in the log",
  );
  const viaDraft = await call(secondUrl, "GET", `/api/admin/console/drafts/${SLUG}`);
  assert.equal(viaDraft.body.campaignState, "deploying");
  assert.equal(viaDraft.body.jobs.deploy.id, jobId);

  // Deployed again: the same record, run 2, resumed from the journal, to the end.
  const resumed = await call(secondUrl, "POST", `/api/admin/console/drafts/${SLUG}/deploy`);
  assert.equal(resumed.status, 202, JSON.stringify(resumed.body));
  assert.equal((resumed.body as Job).id, jobId);
  assert.equal((resumed.body as Job).runs, 2);
  const done = await until(
    "the resumed deploy to end",
    async () => {
      const j = (await call(secondUrl, "GET", `/api/admin/console/jobs/${jobId}`)).body as Job;
      return j.status !== "running" ? j : undefined;
    },
    300_000,
    500,
  );
  assert.equal(done.status, "succeeded", `${done.error}\n${done.log.join("\n")}`);
  assert.ok(done.resumed >= 3, `${done.resumed} steps resumed`);
  assert.equal(
    done.steps.filter((s) => s.status === "done").length + done.resumed,
    done.total,
    "every step ran once",
  );
  // The whole log: the first run's lines first, as they were, then the second run's.
  assert.deepEqual(done.log.slice(0, interrupted.log.length), interrupted.log);
  const rest = done.log.slice(interrupted.log.length);
  assert.match(rest[0] ?? "", /^— resumed by api-token at .* \(run 2\)$/);
  assert.ok(
    rest.some((l) => / finished before$/.test(l)),
    rest.join("\n"),
  );
  assert.equal(done.log.at(-1), `${SLUG} is registered and active`);

  // Served by the restarted service, active.
  const campaign = await fetch(`${secondUrl}/api/campaigns/${SLUG}`);
  assert.equal(campaign.status, 200);
  const after = await call(secondUrl, "GET", `/api/admin/console/drafts/${SLUG}`);
  assert.equal(after.body.campaignState, "active");
});
