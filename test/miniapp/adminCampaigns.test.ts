/**
 * The console's Campaigns screen (issue 15) against the real stack: the HTTP service over a
 * test database, a Hardhat node as the chain (RPC_URL), the deploy command run by the service
 * as a job, Chromium on a phone-sized viewport.
 *
 * - Over HTTP: drafts, dry runs, deploys and lifecycle moves are refused to the roles that may
 *   not make them (an analyst edits nothing, a manager does not deploy), each refusal changes
 *   nothing and leaves its `access.denied` row; a refused lifecycle move names the state; every
 *   change is audited with before and after.
 * - In Chromium: an admin creates a campaign from a template, sees a field's problem at the
 *   field, fixes it, dry-runs it (gas, fee, cost in ETH and dollars), deploys it with progress
 *   per step, the deploy killed half-way and resumed from its journal (the contracts are on the
 *   node, the campaign registered and active), pauses and
 *   resumes it, sees a refused move explained, and its versions. Screenshots in
 *   test-artifacts/admin/ (English light, Russian dark).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { and, asc, eq, gt, like } from "drizzle-orm";
import type { Address } from "viem";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { campaignDrafts } from "../../server/db/schema/drafts.ts";
import { auditLog, campaigns } from "../../server/db/schema.ts";
import { transitionCampaign } from "../../server/domain/campaignTransitions.ts";
import type { MemberView } from "../../server/domain/members.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import { testCampaign } from "../support/campaign.ts";
import { type LocalChain, startHardhatNode } from "../support/chain.ts";
import { ROOT } from "./support/build.ts";
import { consoleFixture, noOverflow, seedPeople, shot, shown } from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const SUPER = 900_000_201;
const MANAGER = 301;
const ANALYST = 302;
// A slug of its own per run, so this test's Ignition journal never meets another's.
const SLUG = `launch-${process.pid}`;

const fixture = consoleFixture();
const { call, signIn, consoleFor } = fixture;
let db: DatabaseHandle;
let s: Stack;
let chain: LocalChain;
let dir: string;
const people: Record<string, MemberView> = {};

before(async () => {
  // The dry run prices in dollars with the service's NATIVE_USD_PRICE (the deploy command
  // inherits the service's environment).
  process.env.NATIVE_USD_PRICE = "3000";
  // A bare Hardhat node (the console deploys onto it) and the folders it writes, started
  // beside the console's own parts.
  const beside = Promise.all([
    startHardhatNode().then((node) => {
      chain = node;
    }),
    mkdtemp(path.join(tmpdir(), "refmint-console-")).then((tmp) => {
      dir = tmp;
    }),
  ]);
  await fixture.start({
    superAdmins: [SUPER],
    stack: async () => {
      await beside;
      return {
        campaigns: [
          testCampaign({ slug: "alpha", onchainId: 500, name: { en: "Alpha", ru: "Альфа" } }),
        ],
        env: {
          RPC_URL: chain.rpcUrl,
          CAMPAIGNS_DIR: path.join(dir, "campaigns"),
          DEPLOYMENTS_DIR: path.join(dir, "deployments"),
        },
      };
    },
  });
  ({ db, stack: s } = fixture);
  await seedPeople(
    s.domain,
    people,
    [
      ["root", SUPER, "Root"],
      ["manager", MANAGER, "Mona"],
      ["analyst", ANALYST, "Anna"],
    ],
    "alpha",
    [
      ["manager", "manager"],
      ["analyst", "analyst"],
    ],
  );
});

after(async () => {
  delete process.env.NATIVE_USD_PRICE;
  await fixture.stop();
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  await rm(path.join(ROOT, "ignition", "deployments", `${SLUG}-31337`), {
    recursive: true,
    force: true,
  });
});

const auditAfter = (id: number) =>
  db.db.select().from(auditLog).where(gt(auditLog.id, id)).orderBy(asc(auditLog.id));
const lastAuditId = async () => {
  const rows = await db.db.select({ id: auditLog.id }).from(auditLog);
  return rows.reduce((m, r) => Math.max(m, r.id), 0);
};

test("API: drafts, dry runs, deploys and lifecycle moves are refused to the roles that may not, and audited", async () => {
  const mona = await signIn(people.manager!);
  const anna = await signIn(people.analyst!);
  const monaActor = `member:${people.manager!.id}`;
  const annaActor = `member:${people.analyst!.id}`;
  const start = await lastAuditId();

  // The manager creates a draft from the built-in template: valid, with a free on-chain id.
  const created = await call("PUT", "/api/admin/console/drafts/api-draft", mona, {
    template: "standing",
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.valid, true, JSON.stringify(created.body.issues));
  assert.equal(created.body.document.slug, "api-draft");
  assert.notEqual(created.body.document.onchainId, 500);

  // A bad budget and a taken on-chain id: saved as a draft, each problem at its field.
  const broken = structuredClone(created.body.document);
  broken.tokens[0].budget = "lots";
  broken.onchainId = 500;
  const saved = await call("PUT", "/api/admin/console/drafts/api-draft", mona, {
    document: broken,
  });
  assert.equal(saved.status, 200);
  assert.equal(saved.body.valid, false);
  const paths = saved.body.issues.map((i: { path: string }) => i.path);
  assert.ok(paths.includes("tokens[0].budget"), JSON.stringify(saved.body.issues));
  assert.ok(paths.includes("onchainId"), JSON.stringify(saved.body.issues));
  assert.match(
    saved.body.issues.find((i: { path: string }) => i.path === "onchainId").message,
    /alpha/,
  );
  // Neither dry run nor deploy for an invalid draft: 422 with the problems at their fields.
  const invalidRun = await call("POST", "/api/admin/console/drafts/api-draft/dry-run", mona);
  assert.equal(invalidRun.status, 422);
  assert.equal(invalidRun.body.code, "rules_invalid");
  assert.ok(
    invalidRun.body.errors.some((e: { path: string }) => e.path === "tokens[0].budget"),
    JSON.stringify(invalidRun.body),
  );

  // The analyst reads but changes nothing; the manager does not deploy.
  const before = await db.db
    .select()
    .from(campaignDrafts)
    .where(eq(campaignDrafts.slug, "api-draft"));
  assert.equal((await call("GET", "/api/admin/console/drafts/api-draft", anna)).status, 200);
  for (const [method, p, body] of [
    ["PUT", "/api/admin/console/drafts/api-draft", { document: created.body.document }],
    ["PUT", "/api/admin/console/drafts/anna-draft", { template: "standing" }],
    ["POST", "/api/admin/console/drafts/api-draft/dry-run", undefined],
    ["POST", "/api/admin/console/drafts/api-draft/deploy", undefined],
    ["POST", "/api/admin/campaigns/alpha/pause", {}],
  ] as const) {
    const refused = await call(method, p, anna, body);
    assert.equal(refused.status, 403, `${method} ${p}: ${JSON.stringify(refused.body)}`);
    assert.equal(refused.body.code, "forbidden");
  }
  const deployByManager = await call("POST", "/api/admin/console/drafts/api-draft/deploy", mona);
  assert.equal(deployByManager.status, 403);
  assert.deepEqual(
    await db.db.select().from(campaignDrafts).where(eq(campaignDrafts.slug, "api-draft")),
    before,
  );
  assert.equal(
    (await db.db.select().from(campaignDrafts).where(eq(campaignDrafts.slug, "anna-draft"))).length,
    0,
  );
  assert.equal(
    (await db.db.select().from(campaigns).where(eq(campaigns.slug, "api-draft"))).length,
    0,
  );

  // Lifecycle: the manager pauses; pausing again is refused naming the state, changing nothing.
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const paused = await call("POST", "/api/admin/campaigns/alpha/pause", mona, {});
  assert.equal(paused.status, 200, JSON.stringify(paused.body));
  assert.equal(paused.body.state, "paused");
  const beforeRefusal = await lastAuditId();
  const again = await call("POST", "/api/admin/campaigns/alpha/pause", mona, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "campaign_transition_refused");
  assert.match(again.body.detail, /cannot pause: it is paused/);
  assert.deepEqual(await auditAfter(beforeRefusal), []);
  const listed = await call("GET", "/api/admin/console/campaigns", mona);
  assert.equal(listed.body.items[0].lifecycle, "paused");
  assert.equal((await call("POST", "/api/admin/campaigns/alpha/resume", mona, {})).status, 200);
  // Ending is the owner's: the manager is refused.
  assert.equal((await call("POST", "/api/admin/campaigns/alpha/end", mona, {})).status, 403);

  const rows = await auditAfter(start);
  const summary = rows.map((r) => [r.actor, r.action, r.subjectId]);
  assert.deepEqual(
    summary.filter(([, action]) => action !== "access.denied"),
    [
      [monaActor, "campaign_draft.created", "api-draft"],
      [monaActor, "campaign_draft.updated", "api-draft"],
      [monaActor, "campaign.paused", String(alpha.id)],
      [monaActor, "campaign.resumed", String(alpha.id)],
    ],
  );
  const updated = rows.find((r) => r.action === "campaign_draft.updated")!;
  assert.deepEqual(updated.before, { valid: true, issues: 0 });
  assert.deepEqual(updated.after, { valid: false, issues: saved.body.issues.length });
  assert.deepEqual(updated.details, { changed: ["onchainId", "tokens"] });
  const pausedRow = rows.find((r) => r.action === "campaign.paused")!;
  assert.deepEqual([pausedRow.before, pausedRow.after], [{ state: "active" }, { state: "paused" }]);
  // Every refusal of a role holder left its row: five for the analyst, two for the manager.
  const denied = rows.filter((r) => r.action === "access.denied");
  assert.deepEqual(
    denied.map((r) => [r.actor, (r.details as { attempted: string }).attempted]),
    [
      [annaActor, "campaign.edit"],
      [annaActor, "campaign.edit"],
      [annaActor, "campaign.edit"],
      [annaActor, "campaign.lifecycle"],
      [annaActor, "campaign.pause"],
      [monaActor, "campaign.lifecycle"],
      [monaActor, "campaign.lifecycle"],
    ],
  );
});

test("Chromium: create from a template, a field's problem, dry run, deploy with progress, pause, resume, a refused move, versions", async () => {
  const rootActor = `member:${people.root!.id}`;
  const start = await lastAuditId();
  const { context, page, errors } = await consoleFor(people.root!, "en", "light");
  try {
    await page.locator('nav [data-nav="campaigns"]').click();
    await shown(page, '[data-form="new-draft"]');
    await page.locator('[data-form="new-draft"] input[name="slug"]').fill(SLUG);
    await page.locator('[data-form="new-draft"] select[name="template"]').selectOption("launch");
    await page.locator('[data-action="create-draft"]').click();
    await shown(page, `[data-draft-editor="${SLUG}"]`);
    assert.equal(
      await page.locator('[data-field="name.en"] input').inputValue(),
      "Two-week launch push",
    );

    // A budget that is no amount: saved, and the problem is shown at the field.
    const budget = page.locator('[data-field="tokens[0].budget"] input');
    await budget.fill("a lot");
    await page.locator('[data-action="save"]').click();
    await shown(page, '[data-issue="tokens[0].budget"]');
    assert.equal(await budget.getAttribute("aria-invalid"), "true");
    assert.equal(
      await page.locator("[data-draft-valid]").getAttribute("data-draft-valid"),
      "false",
    );
    assert.ok(await page.locator('[data-action="dry-run"]').isDisabled());
    await noOverflow(page, "the draft with a problem");
    await shot(page, "campaigns-draft-invalid-light-en");

    // Fixed through the raw JSON (the form follows it), saved valid.
    await page.locator("details summary").click();
    const json = JSON.parse(await page.locator('[data-field="json"]').inputValue());
    json.tokens[0].budget = "50000";
    await page.locator('[data-field="json"]').fill(JSON.stringify(json, null, 2));
    await page.locator('[data-action="apply-json"]').click();
    assert.equal(await budget.inputValue(), "50000");
    await page.locator('[data-action="save"]').click();
    await shown(page, '[data-draft-valid="true"]');

    // The dry run: steps with gas, the fee, the cost in ETH and in dollars; nothing deployed.
    await page.locator('[data-action="dry-run"]').click();
    await shown(page, '[data-dry-run="done"]', 240_000);
    const cost = await page.locator('[data-fact="cost"]').textContent();
    assert.match(cost ?? "", /^\d+(\.\d+)? ETH$/);
    assert.match((await page.locator('[data-fact="usd"]').textContent()) ?? "", /^\$\d+\.\d\d$/);
    const simulated = await page.locator("[data-step]").count();
    assert.ok(simulated > 5, `${simulated} simulated steps`);
    assert.equal(await page.locator("[data-problems]").getAttribute("data-problems"), "0");
    assert.equal(
      (await db.db.select().from(campaigns).where(eq(campaigns.slug, SLUG))).length,
      0,
      "a dry run registers nothing",
    );
    await shot(page, "campaigns-dry-run-light-en");

    // The deploy, interrupted: the command is killed after its third step (its failpoint, in
    // the environment the service hands it). The campaign stays `deploying`, the page says so.
    process.env.REFMINT_FAILPOINT = "deploy-after-step-3";
    try {
      await page.locator('[data-action="deploy"]').click();
      await page.locator('[data-action="deploy-confirm"]').click();
      await shown(page, "[data-deploy-step]", 240_000);
      await shown(page, '[data-deploy-result="failed"]', 240_000);
    } finally {
      delete process.env.REFMINT_FAILPOINT;
    }
    await shown(page, '[data-draft-campaign-state="deploying"]');
    await shot(page, "campaigns-deploy-interrupted-light-en");
    assert.equal(s.domain.campaigns.bySlug(SLUG), undefined, "not live while deploying");

    // Resumed: the finished steps are not sent again; it ends active and registered.
    assert.match((await page.locator('[data-action="deploy"]').textContent()) ?? "", /Resume/);
    await page.locator('[data-action="deploy"]').click();
    await page.locator('[data-action="deploy-confirm"]').click();
    await shown(page, '[data-deploy-result="ok"]', 240_000);
    await shown(page, '[data-draft-campaign-state="active"]');
    const resumed = Number(
      await page.locator("[data-deploy-resumed]").getAttribute("data-deploy-resumed"),
    );
    assert.ok(resumed >= 3, `${resumed} steps resumed`);
    const done = await page.locator('[data-deploy-step][data-step-status="done"]').count();
    assert.equal(done + resumed, simulated, "every simulated step ran, once");
    await noOverflow(page, "the deployed draft");
    await shot(page, "campaigns-deployed-light-en");

    const live = s.domain.campaigns.bySlug(SLUG);
    assert.ok(live?.deployment, "in the service's registry with its deployment");
    const file = JSON.parse(
      await readFile(path.join(dir, "deployments", "31337", `${SLUG}.json`), "utf8"),
    ) as { referralPayouts: Address };
    assert.equal(file.referralPayouts, live.deployment.referralPayouts);
    const code = await chain.client.getCode({ address: file.referralPayouts });
    assert.ok(code && code.length > 2, "the payouts contract is on the chain");
    const campaignFile = JSON.parse(
      await readFile(path.join(dir, "campaigns", `${SLUG}.json`), "utf8"),
    ) as { slug: string; tokens: Array<{ budget: string }> };
    assert.equal(campaignFile.slug, SLUG);
    assert.equal(campaignFile.tokens[0]!.budget, "50000");

    // Pause and resume from the list.
    await page.locator('[data-action="back"]').click();
    const card = page.locator(`[data-campaign="${SLUG}"]`);
    await shown(page, `[data-campaign="${SLUG}"] [data-lifecycle="active"]`);
    await card.locator('[data-move="pause"]').click();
    await shown(page, `[data-campaign="${SLUG}"] [data-lifecycle="paused"]`);
    assert.equal(await card.locator("[data-move-result]").getAttribute("data-move-result"), "ok");
    await shot(page, "campaigns-paused-light-en");
    await card.locator('[data-move="resume"]').click();
    await shown(page, `[data-campaign="${SLUG}"] [data-lifecycle="active"]`);

    // Someone else pauses it meanwhile: the page still offers "Pause", the server refuses,
    // and the page says why.
    await transitionCampaign(s.domain, systemAdmin(), live.id, "pause");
    await card.locator('[data-move="pause"]').click();
    await shown(page, `[data-campaign="${SLUG}"] [data-move-result="refused"]`);
    const refusal = await card.locator("[data-move-result]").textContent();
    assert.match(refusal ?? "", /cannot pause: it is paused/);
    await shown(page, `[data-campaign="${SLUG}"] [data-lifecycle="paused"]`);
    await shot(page, "campaigns-refused-light-en");

    // Versions: version 1, the rules it started with.
    await card.locator('[data-action="versions"]').click();
    await shown(page, `[data-versions="${SLUG}"] [data-version="1"]`);
    await noOverflow(page, "the campaign list");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // Everything the admin did is in the audit log in the admin's name.
  const rows = await auditAfter(start);
  const campaignId = s.domain.campaigns.bySlug(SLUG)!.id;
  // Validity before and after each save (the issue counts depend on the schema's wording).
  const valid = (v: unknown) =>
    v && typeof v === "object" && "valid" in v ? { valid: (v as { valid: boolean }).valid } : v;
  assert.deepEqual(
    rows
      .filter((r) => r.actor === rootActor && r.action !== "access.denied")
      .map((r) => [r.action, valid(r.before), valid(r.after)]),
    [
      ["campaign_draft.created", null, { valid: true }],
      ["campaign_draft.updated", { valid: true }, { valid: false }],
      ["campaign_draft.updated", { valid: false }, { valid: true }],
      ["campaign_draft.dry_run", null, null],
      ["campaign.validated", { state: "draft" }, { state: "validated" }],
      ["campaign.deploying", { state: "validated" }, { state: "deploying" }],
      ["campaign_draft.deploying", { campaignId: null }, { campaignId, state: "deploying" }],
      ["campaign_draft.deploy_resumed", { state: "deploying" }, { state: "deploying" }],
      ["campaign.activated", { state: "deploying" }, { state: "active" }],
      ["campaign.paused", { state: "active" }, { state: "paused" }],
      ["campaign.resumed", { state: "paused" }, { state: "active" }],
    ],
  );
  const [row] = await db.db
    .select()
    .from(campaignDrafts)
    .where(and(eq(campaignDrafts.slug, SLUG), like(campaignDrafts.updatedBy, "member:%")));
  assert.equal(row?.campaignId, campaignId);
});

test("Russian, dark: the campaign list and the deployed draft read on a phone", async () => {
  const { context, page, errors } = await consoleFor(people.root!, "ru", "dark");
  try {
    await page.locator('nav [data-nav="campaigns"]').click();
    await shown(page, `[data-campaign="${SLUG}"]`);
    assert.equal(await page.locator("main h1").textContent(), "Кампании");
    await shown(page, '[data-form="new-draft"]');
    assert.match(
      (await page.locator('[data-action="create-draft"]').textContent()) ?? "",
      /Создать/,
    );
    await noOverflow(page, "the list in Russian");
    await shot(page, "campaigns-list-dark-ru");
    await page.locator(`[data-draft="${SLUG}"] [data-action="open-draft"]`).click();
    await shown(page, `[data-draft-editor="${SLUG}"]`);
    assert.match(
      (await page.locator('[data-field="name.en"] span').first().textContent()) ?? "",
      /Название/,
    );
    await noOverflow(page, "the draft in Russian");
    await shot(page, "campaigns-draft-dark-ru");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
