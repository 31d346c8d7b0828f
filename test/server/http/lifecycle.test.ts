/**
 * The campaign lifecycle through the API (`POST /api/admin/campaigns/:slug/<command>`) and the
 * CLI (`npm run campaign -- <slug> <command>`): each move, each refusal (409
 * campaign_transition_refused naming the state and the target, nothing changed), the role
 * policy (a manager pauses, only owners end), and what members see once a campaign ended.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../../server/db/index.ts";
import { campaigns } from "../../../server/db/schema.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { grantRole, systemAdmin } from "../../../server/domain/roles.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { fastStartEnv, migratedDataDir, ROOT } from "../../support/process.ts";
import { tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;

test("lifecycle API: each move and each refusal (409, nothing changed); end shows the grace and clawback dates", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [testCampaign({ slug: "spring", end: { graceHours: 48, claimDays: 10 } })],
    });
    const post = (command: string, slug = "spring") =>
      app.call("POST", `/api/admin/campaigns/${slug}/${command}`, { auth: token, body: {} });
    const refused = async (command: string, from: string, to: string) => {
      const before = await rowCounts(db);
      const r = await post(command);
      assert.equal(r.status, 409, `${command} from ${from}: ${r.text}`);
      assert.equal(r.body.code, "campaign_transition_refused");
      assert.match(r.body.detail, new RegExp(`it is ${from}, and ${to} is not reachable`));
      assert.deepEqual(await rowCounts(db), before, `${command} from ${from} wrote nothing`);
      const state = await app.call("GET", "/api/admin/campaigns/spring/lifecycle", { auth: token });
      assert.equal(state.body.state, from);
    };

    const paused = await post("pause");
    assert.equal(paused.status, 200, paused.text);
    assert.equal(paused.body.state, "paused");
    await refused("pause", "paused", "paused");
    await refused("archive", "paused", "archived");
    await refused("validate", "paused", "validated");
    assert.equal((await post("resume")).body.state, "active");
    await refused("resume", "active", "active");

    const ended = await post("end");
    assert.equal(ended.status, 200, ended.text);
    const endedAt = Date.parse(ended.body.endedAt);
    assert.equal(ended.body.state, "ended");
    assert.equal(Date.parse(ended.body.graceEndsAt), endedAt + 48 * 3_600_000);
    assert.equal(Date.parse(ended.body.clawbackAt), endedAt + 48 * 3_600_000 + 10 * 86_400_000);
    // Members see the clawback date without signing in.
    const pub = await app.call("GET", "/api/campaigns/spring/lifecycle");
    assert.equal(pub.status, 200);
    assert.equal(pub.body.clawbackAt, ended.body.clawbackAt);
    await refused("resume", "ended", "active");
    await refused("pause", "ended", "paused");
    const promote = await post("promote");
    assert.equal(promote.status, 409);
    assert.equal(promote.body.code, "campaign_transition_refused");
    assert.match(promote.body.detail, /cannot promote: it is not a pilot/);
    assert.equal((await post("archive")).body.state, "archived");
    for (const [command, to] of [
      ["end", "ended"],
      ["resume", "active"],
      ["validate", "validated"],
    ] as const)
      await refused(command, "archived", to);

    // A draft (a new file not yet deployed) is validated; nothing else moves it.
    await db.db.update(campaigns).set({ state: "draft" }).where(eq(campaigns.slug, "spring"));
    await refused("pause", "draft", "paused");
    await refused("end", "draft", "ended");
    assert.equal((await post("validate")).body.state, "validated");

    const missing = await post("pause", "no-such");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "campaign_not_found");
  });
});

test("lifecycle API roles: a manager pauses and resumes but may not end; the owner ends and archives", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [testCampaign({ slug: "spring" })] });
    const campaign = app.ctx.campaigns.bySlug("spring")!;
    const [owner, manager] = await app.members(301, 302);
    await grantRole(app.ctx, systemAdmin(), {
      campaignId: campaign.id,
      memberId: owner!.id,
      role: "owner",
    });
    await grantRole(app.ctx, systemAdmin(), {
      campaignId: campaign.id,
      memberId: manager!.id,
      role: "manager",
    });
    const post = (telegramId: number, command: string) =>
      app.call("POST", `/api/admin/campaigns/spring/${command}`, {
        auth: tmaFor(telegramId),
        body: {},
      });
    assert.equal((await post(302, "pause")).body.state, "paused");
    assert.equal((await post(302, "resume")).body.state, "active");
    const denied = await post(302, "end");
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "forbidden");
    assert.equal((await post(301, "end")).body.state, "ended");
    assert.equal((await post(301, "archive")).body.state, "archived");
  });
});

function runCli(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/campaign.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...fastStartEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.once("exit", (code) => resolve({ code, out, err }));
  });
}

test("npm run campaign: moves a campaign on the server's database; a refused move says why and changes nothing", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-campaign-cli-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, "pglite");
  await migratedDataDir(dataDir);
  {
    const handle = await openDatabase({ dataDir });
    await syncDefinitions(handle.db, [testCampaign({ slug: "cli" })], { activate: false });
    await handle.close();
  }
  const env = { DATA_DIR: dataDir };

  const status = await runCli(env, ["cli", "status"]);
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /^cli: draft/);

  const pause = await runCli(env, ["cli", "pause"]);
  assert.equal(pause.code, 1);
  assert.match(
    pause.err,
    /refused \(campaign_transition_refused\): campaign cli cannot pause: it is draft, and paused is not reachable from draft/,
  );

  const validate = await runCli(env, ["cli", "validate"]);
  assert.equal(validate.code, 0, validate.err);
  assert.match(validate.out, /validate: draft → validated/);

  const usage = await runCli(env, ["cli", "explode"]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /usage: npm run campaign/);

  const handle = await openDatabase({ dataDir });
  try {
    const [row] = await handle.db
      .select({ state: campaigns.state, by: campaigns.stateChangedBy })
      .from(campaigns)
      .where(eq(campaigns.slug, "cli"));
    assert.deepEqual(row, { state: "validated", by: "system" });
  } finally {
    await handle.close();
  }
});

test("pilot through the API: an outsider's attribution is 403 not_in_pilot and writes nothing; promote (owners) opens it", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [
        testCampaign({
          slug: "pilot",
          pilot: { allowlist: [401], percent: 0, budgetCap: {} },
        }),
      ],
    });
    const outsider = await app.member(402);
    const before = await rowCounts(db);
    const refused = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(403),
      body: { code: outsider.code },
    });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, "not_in_pilot");
    assert.match(refused.body.detail, /pilot/);
    const after = await rowCounts(db);
    assert.equal(after.referrals, before.referrals);
    assert.equal(after.campaign_pilot_members, 0);

    const invited = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(404),
      body: { code: (await app.member(401)).code },
    });
    assert.equal(invited.status, 201, invited.text);

    const promoted = await app.call("POST", "/api/admin/campaigns/pilot/promote", {
      auth: token,
      body: {},
    });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.body.pilot.members, 2);
    const now = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(405),
      body: { code: outsider.code },
    });
    assert.equal(now.status, 201, now.text);
  });
});
