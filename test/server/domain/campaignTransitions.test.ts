/**
 * The campaign lifecycle table (server/domain/campaignTransitions.ts): every allowed move from
 * every state is made (state, audit row with who, before and after), every other is refused
 * with `campaign_transition_refused` naming the state and the target, and changes nothing. On
 * PGlite and PostgreSQL. Then what the states do: a new file enters as `draft`, a deployed one
 * is activated at start-up, only `active` attributes, and who may make which move.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { asc, eq, sql } from "drizzle-orm";
import { queryRows } from "../../../server/db/index.ts";
import { auditLog, campaigns } from "../../../server/db/schema.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import {
  CAMPAIGN_STATES,
  CAMPAIGN_TRANSITION_NAMES,
  CAMPAIGN_TRANSITIONS,
  type CampaignState,
  campaignLifecycle,
  markDeployed,
  markDeploying,
  transitionCampaign,
} from "../../../server/domain/campaignTransitions.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { grantRole, memberAdmin, systemAdmin } from "../../../server/domain/roles.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";

test("lifecycle: every allowed move is made and audited; every other is refused and changes nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.all()[0]!;
    const root = systemAdmin("api-token");
    const campaignRow = async () =>
      (await db.db.select().from(campaigns).where(eq(campaigns.id, campaign.id)))[0];
    let allowed = 0;
    let refusedCount = 0;
    for (const from of CAMPAIGN_STATES) {
      for (const name of CAMPAIGN_TRANSITION_NAMES) {
        // The test puts the campaign in `from` itself (the module only moves along the table).
        await db.db.execute(sql`update campaigns set state = ${from} where id = ${campaign.id}`);
        const auditBefore = await db.db.select().from(auditLog);
        const rowBefore = await campaignRow();
        const move = CAMPAIGN_TRANSITIONS[name];
        if ((move.from as readonly CampaignState[]).includes(from)) {
          const r = await transitionCampaign(d.ctx, root, campaign.id, name);
          assert.deepEqual([r.from, r.to], [from, move.to], `${name} from ${from}`);
          const l = await campaignLifecycle(db.db, campaign.id);
          assert.equal(l.state, move.to);
          assert.equal(l.stateChangedBy, "api-token");
          if (move.to === "ended") assert.ok(l.endedAt, "end records when");
          const rows = await db.db.select().from(auditLog).orderBy(asc(auditLog.id));
          assert.equal(rows.length, auditBefore.length + 1);
          const row = rows.at(-1)!;
          assert.equal(row.action, move.audit);
          assert.equal(row.actor, "api-token");
          assert.equal(row.campaignId, campaign.id);
          assert.deepEqual(row.before, { state: from });
          assert.deepEqual(row.after, { state: move.to });
          allowed++;
        } else {
          await assert.rejects(transitionCampaign(d.ctx, root, campaign.id, name), (e) => {
            assert.ok(isDomainError(e, "campaign_transition_refused"), String(e));
            assert.match(e.message, new RegExp(`it is ${from}, and ${move.to} is not reachable`));
            assert.deepEqual(e.details, {
              campaignId: campaign.id,
              transition: name,
              from,
              to: move.to,
            });
            return true;
          });
          assert.equal((await campaignLifecycle(db.db, campaign.id)).state, from);
          assert.deepEqual(await campaignRow(), rowBefore, `${name} from ${from} changed nothing`);
          assert.equal((await db.db.select().from(auditLog)).length, auditBefore.length);
          refusedCount++;
        }
      }
    }
    // draft→validated, validated→deploying, deploying→active, active→paused, paused→active,
    // active→ended, paused→ended, ended→archived.
    assert.equal(allowed, 8);
    assert.equal(refusedCount, CAMPAIGN_STATES.length * CAMPAIGN_TRANSITION_NAMES.length - 8);
  });
});

test("lifecycle: a new campaign file enters as draft; the deploy walks it to active; a deployed file is activated at start-up", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-lifecycle-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await withDatabases(t, async (db) => {
    const ctx = { db: db.db, now: () => new Date() };
    const fresh = testCampaign({ slug: "fresh", onchainId: 41 });
    const registry = await syncDefinitions(db.db, [fresh], { activate: false });
    const id = registry.bySlug("fresh")!.id;
    assert.equal((await campaignLifecycle(db.db, id)).state, "draft");

    assert.deepEqual(
      (await markDeploying(ctx, id)).map((m) => m.to),
      ["validated", "deploying"],
    );
    assert.deepEqual((await markDeploying(ctx, id)).length, 0, "a resumed deploy moves nothing");
    assert.deepEqual(
      (await markDeployed(ctx, id)).map((m) => m.to),
      ["active"],
    );
    const actions = await db.db
      .select({ action: auditLog.action, actor: auditLog.actor, details: auditLog.details })
      .from(auditLog)
      .orderBy(asc(auditLog.id));
    assert.deepEqual(
      actions.map((a) => a.action),
      ["campaign.validated", "campaign.deploying", "campaign.activated"],
    );
    assert.ok(actions.every((a) => a.actor === "system"));

    // A file with a deployment on the configured chain: activated by the start-up sync; a
    // paused campaign stays paused across restarts.
    const deployed = testCampaign({ slug: "shipped", onchainId: 42 });
    await mkdir(path.join(dir, "31337"), { recursive: true });
    await writeFile(
      path.join(dir, "31337", "shipped.json"),
      JSON.stringify({ slug: "shipped", campaignId: 42, chainId: 31337, tokens: {} }),
    );
    const opts = { activate: false, deploymentsDir: dir, chainId: 31337 };
    const synced = await syncDefinitions(db.db, [deployed, fresh], opts);
    const shipped = synced.bySlug("shipped")!.id;
    assert.equal((await campaignLifecycle(db.db, shipped)).state, "active");
    await transitionCampaign(ctx, systemAdmin(), shipped, "pause");
    await syncDefinitions(db.db, [deployed], opts);
    assert.equal((await campaignLifecycle(db.db, shipped)).state, "paused");
  });
});

test("lifecycle: only an active campaign attributes; paused and ended refuse with their state", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.all()[0]!;
    const [alice, bob, carol, dan] = await d.members(1, 2, 3, 4);
    const root = systemAdmin();
    await transitionCampaign(d.ctx, root, campaign.id, "pause");
    await assert.rejects(d.refer(alice!, bob!), (e) => {
      assert.ok(isDomainError(e, "campaign_inactive"));
      assert.equal(e.details.state, "paused");
      assert.equal(e.details.paused, true);
      return true;
    });
    await transitionCampaign(d.ctx, root, campaign.id, "resume");
    await d.refer(alice!, bob!);
    await transitionCampaign(d.ctx, root, campaign.id, "end");
    await assert.rejects(
      attribute(d.ctx, { refereeId: carol!.id, code: alice!.code, source: "start" }),
      (e) => {
        assert.ok(isDomainError(e, "campaign_inactive"));
        assert.equal(e.message, "the campaign has ended");
        assert.equal(e.details.state, "ended");
        return true;
      },
    );
    await db.db.execute(sql`update campaigns set state = 'draft' where id = ${campaign.id}`);
    await assert.rejects(d.refer(alice!, dan!), (e) => isDomainError(e, "campaign_inactive"));
  });
});

test("lifecycle roles: a manager pauses and resumes; ending, archiving and validating are the owner's", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.all()[0]!;
    const [olga, mike] = await d.members(1, 2);
    const root = systemAdmin();
    await grantRole(d.ctx, root, { campaignId: campaign.id, memberId: olga!.id, role: "owner" });
    await grantRole(d.ctx, root, { campaignId: campaign.id, memberId: mike!.id, role: "manager" });
    const owner = await memberAdmin(db.db, olga!.id, false);
    const manager = await memberAdmin(db.db, mike!.id, false);

    await transitionCampaign(d.ctx, manager, campaign.id, "pause");
    await transitionCampaign(d.ctx, manager, campaign.id, "resume");
    for (const name of ["end", "archive", "validate"] as const) {
      await assert.rejects(transitionCampaign(d.ctx, manager, campaign.id, name), (e) =>
        isDomainError(e, "forbidden"),
      );
    }
    assert.equal((await campaignLifecycle(db.db, campaign.id)).state, "active");
    await transitionCampaign(d.ctx, owner, campaign.id, "end");
    await transitionCampaign(d.ctx, owner, campaign.id, "archive");
    const [row] = await db.db
      .select({ state: campaigns.state, by: campaigns.stateChangedBy })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id));
    assert.deepEqual(row, { state: "archived", by: `member:${olga!.id}` });
  });
});

test("lifecycle with several campaigns: a pause holds only its campaign's attributions and the wallet link's qualification there", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({ slug: "beta", onchainId: 12, startsAt: "2020-01-01T00:00:00Z" }),
        testCampaign({ slug: "alpha", onchainId: 11, startsAt: "2021-01-01T00:00:00Z" }),
      ],
    });
    const [alpha, beta] = [d.ctx.campaigns.bySlug("alpha")!, d.ctx.campaigns.bySlug("beta")!];
    const [ann, ben, cat, dot] = await d.members(1, 2, 3, 4);
    await d.refer(ann!, ben!, { campaign: "alpha" });
    await d.refer(cat!, ben!, { campaign: "beta" });
    await transitionCampaign(d.ctx, systemAdmin(), beta.id, "pause");
    // Attribution: beta refuses with its state, alpha still attributes.
    await assert.rejects(d.refer(ann!, dot!, { campaign: "beta" }), (e) => {
      assert.ok(isDomainError(e, "campaign_inactive"));
      assert.equal(e.details.state, "paused");
      return true;
    });
    await d.refer(ann!, dot!, { campaign: "alpha" });
    // One wallet link qualifies both referrals (qualifyAllInTx): alpha pays, beta waits in review.
    const linked = await linkTestWallet(d.ctx, ben!.id, testAccount("lifecycle:ben"));
    const byCampaign = new Map(
      linked.qualifications.map((q) => ["campaignId" in q ? q.campaignId : 0, q]),
    );
    assert.equal(byCampaign.get(alpha.id)?.status, "qualified");
    const held = byCampaign.get(beta.id);
    assert.equal(held?.status, "review");
    assert.ok(held?.status === "review" && held.reasons.includes("campaign_paused"));
    const grants = await queryRows<{ campaign: number }>(
      db.db,
      sql`select campaign_id as campaign from ledger_entries where kind = 'referral'`,
    );
    assert.deepEqual(
      grants.map((g) => Number(g.campaign)),
      [alpha.id],
    );
  });
});
