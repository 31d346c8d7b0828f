/**
 * Per-campaign roles through the real API, with two campaigns: each role allowed and refused
 * on the admin endpoints (a reviewer of alpha cannot act on beta, an analyst decides nothing,
 * only super-admins ban), role management (owners only), `/api/me` reporting roles, refusals
 * writing nothing but one `access.denied` audit row, the audit read API, and the operator
 * endpoints' `payouts.operate`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { asc, eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { loadChainSettings } from "../../../server/chain/config.ts";
import { ContractIndex } from "../../../server/chain/contracts.ts";
import { chainMetrics } from "../../../server/chain/health.ts";
import { auditLog, ledgerEntries, payoutOutbox, reviewItems } from "../../../server/db/schema.ts";
import { attribute } from "../../../server/domain/attribution.ts";
import { lockBudgets, writeGrant } from "../../../server/domain/ledger.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { adminTokenResolver, tmaResolver } from "../../../server/http/auth.ts";
import { operatorRoutes } from "../../../server/http/routes/operator.ts";
import { createLogger } from "../../../server/logger.ts";
import { startTestApp, TEST_ADMIN_TELEGRAM_ID, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { testClock } from "../../support/clock.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { TEST_BOT_TOKEN, tmaFor } from "../../support/telegram.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;

const campaigns = () =>
  ["alpha", "beta"].map((slug, i) =>
    testCampaign({
      slug,
      onchainId: 200 + i,
      name: { en: slug, ru: slug },
      fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
    }),
  );

const OWNER = 101;
const MANAGER = 102;
const REVIEWER = 103;
const ANALYST = 104;
const OUTSIDER = 105;

test("roles through the API: each role allowed in its campaign, refused elsewhere; refusals write one access.denied row", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const [alpha, beta] = ["alpha", "beta"].map((s) => app.ctx.campaigns.bySlug(s)!);
    const [owner, manager, reviewer, analyst, outsider] = await app.members(
      OWNER,
      MANAGER,
      REVIEWER,
      ANALYST,
      OUTSIDER,
    );
    const as = (telegramId: number) => tmaFor(telegramId);
    const put = (auth: string, campaign: string, memberId: number, role: string) =>
      app.call("PUT", `/api/admin/campaigns/${campaign}/roles/${memberId}/${role}`, { auth });

    // The operator makes the owner; the owner staffs the campaign.
    const made = await put(token, "alpha", owner!.id, "owner");
    assert.equal(made.status, 200, made.text);
    assert.deepEqual(made.body, {
      campaign: "alpha",
      memberId: owner!.id,
      roles: ["owner"],
      changed: true,
    });
    for (const [m, role] of [
      [manager!, "manager"],
      [reviewer!, "reviewer"],
      [analyst!, "analyst"],
    ] as const) {
      const res = await put(as(OWNER), "alpha", m.id, role);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.roles, [role]);
    }

    // /api/me tells each member their roles (isAdmin kept for older clients).
    const me = async (id: number) => (await app.call("GET", "/api/me", { auth: as(id) })).body;
    assert.deepEqual(
      [(await me(REVIEWER)).isAdmin, (await me(REVIEWER)).roles],
      [true, [{ campaign: "alpha", roles: ["reviewer"] }]],
    );
    const plain = await me(OUTSIDER);
    assert.deepEqual([plain.isAdmin, plain.superAdmin, plain.roles], [false, false, []]);
    const root = await me(TEST_ADMIN_TELEGRAM_ID);
    assert.deepEqual([root.isAdmin, root.superAdmin, root.roles], [true, true, []]);

    const campaignsOf = await app.call("GET", "/api/admin/campaigns", { auth: as(REVIEWER) });
    assert.deepEqual(campaignsOf.body, {
      superAdmin: false,
      items: [
        {
          slug: "alpha",
          roles: ["reviewer"],
          actions: ["campaign.view", "review.read", "review.decide", "member.read"],
        },
      ],
    });
    assert.deepEqual(
      (await app.call("GET", "/api/admin/campaigns", { auth: token })).body.items.map(
        (c: { slug: string }) => c.slug,
      ),
      ["alpha", "beta"],
    );

    // Flagged referrals in both campaigns; Alice (alpha) and Bob (beta) are members of one each.
    const [ref, x1, x2, y1, y2] = await app.members(1, 2, 3, 4, 5);
    for (const [slug, referees] of [
      ["alpha", [x1!, x2!]],
      ["beta", [y1!, y2!]],
    ] as const) {
      for (const m of referees)
        await attribute(app.ctx, {
          refereeId: m.id,
          code: ref!.code,
          source: "start",
          campaign: slug,
        });
      for (const m of referees)
        assert.equal((await qualify(app.ctx, m.id, { type: "wallet_linked" })).status, "review");
    }
    const items = await db.db.select().from(reviewItems).orderBy(asc(reviewItems.id));
    const alphaItem = items.find((i) => i.campaignId === alpha!.id)!;
    const betaItem = items.find((i) => i.campaignId === beta!.id)!;

    /** Calls and returns the status; the rows it added must be at most one access.denied. */
    const audit = () => db.db.select().from(auditLog).orderBy(asc(auditLog.id));
    const refused = async (
      who: number | string,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<Array<typeof auditLog.$inferSelect>> => {
      const before = await rowCounts(db);
      const seen = (await audit()).length;
      const res = await app.call(method, path, {
        auth: typeof who === "string" ? who : as(who),
        body,
      });
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
      assert.equal(res.body.code, "forbidden");
      const after = await rowCounts(db);
      assert.deepEqual({ ...after, audit_log: 0 }, { ...before, audit_log: 0 }, path);
      return (await audit()).slice(seen);
    };

    // Reviewer: alpha's queue and decisions, nothing of beta.
    const queue = await app.call("GET", "/api/admin/reviews", { auth: as(REVIEWER) });
    assert.equal(queue.status, 200, queue.text);
    assert.ok(queue.body.items.length > 0);
    assert.ok(
      queue.body.items.every(
        (i: { referral: { campaign: string } }) => i.referral.campaign === "alpha",
      ),
    );
    const denied = await refused(REVIEWER, "GET", "/api/admin/reviews?campaign=beta");
    assert.deepEqual(
      denied.map((r) => [r.action, r.actor, r.campaignId, r.details]),
      [
        [
          "access.denied",
          `member:${reviewer!.id}`,
          beta!.id,
          { attempted: "review.read", roles: [] },
        ],
      ],
    );
    await refused(REVIEWER, "POST", `/api/admin/reviews/${betaItem.id}/approve`, {});
    await refused(REVIEWER, "POST", `/api/admin/reviews/${betaItem.id}/reject`, {
      reason: "not mine to decide",
    });
    const approved = await app.call("POST", `/api/admin/reviews/${alphaItem.id}/approve`, {
      auth: as(REVIEWER),
      body: { reason: "known" },
    });
    assert.equal(approved.status, 200, approved.text);
    // Looking members up: alpha's members, not beta's (as if they did not exist).
    assert.equal(
      (await app.call("GET", `/api/admin/members?id=${x1!.id}`, { auth: as(REVIEWER) })).status,
      200,
    );
    const hidden = await app.call("GET", `/api/admin/members?id=${y1!.id}`, { auth: as(REVIEWER) });
    assert.equal(hidden.status, 404);
    const [lookup] = (await audit()).slice(-1);
    assert.deepEqual(
      [lookup?.action, lookup?.campaignId, lookup?.details],
      ["member.looked_up", alpha!.id, { by: ["id"], found: false, outsideCampaign: true }],
    );
    await refused(REVIEWER, "GET", `/api/admin/members?id=${y1!.id}&campaign=beta`);
    // Super-admins find anyone; a ban is theirs alone.
    assert.equal(
      (await app.call("GET", `/api/admin/members?id=${y1!.id}`, { auth: token })).status,
      200,
    );
    await refused(REVIEWER, "POST", `/api/admin/members/${x2!.id}/ban`, { reason: "fraud ring" });
    await refused(OWNER, "POST", `/api/admin/members/${x2!.id}/ban`, { reason: "fraud ring" });
    await refused(OWNER, "PUT", `/api/admin/members/${x2!.id}/code`, { code: "vip-x2" });
    // Address screening applies to every campaign: super-admins only.
    await refused(OWNER, "GET", "/api/admin/screening/held");
    await refused(OWNER, "POST", "/api/admin/screening/lists", {
      source: "My list",
      listedOn: "2026-01-01",
      text: "0x00000000000000000000000000000000000000aa",
    });
    assert.equal((await app.call("GET", "/api/admin/screening/held", { auth: token })).status, 200);

    // Analyst: sees the campaign, decides nothing, looks nobody up.
    await refused(ANALYST, "GET", "/api/admin/reviews");
    await refused(ANALYST, "POST", `/api/admin/reviews/${alphaItem.id}/reject`, {
      reason: "nope",
    });
    await refused(ANALYST, "GET", `/api/admin/members?id=${x1!.id}`);
    await refused(ANALYST, "GET", "/api/admin/audit");

    // Manager: rewards in alpha, not in beta; no review decisions, no roles.
    const granted = await app.call("POST", `/api/admin/members/${x1!.id}/challenges/join`, {
      auth: as(MANAGER),
      body: { campaign: "alpha" },
    });
    assert.equal(granted.status, 200, granted.text);
    await refused(MANAGER, "POST", `/api/admin/members/${y1!.id}/challenges/join`, {
      campaign: "beta",
    });
    await refused(MANAGER, "POST", `/api/admin/reviews/${alphaItem.id}/reject`, {
      reason: "nope",
    });
    await refused(MANAGER, "PUT", `/api/admin/campaigns/alpha/roles/${outsider!.id}/analyst`);

    // Owner: roles in alpha only.
    await refused(OWNER, "PUT", `/api/admin/campaigns/beta/roles/${outsider!.id}/analyst`);
    const holders = await app.call("GET", "/api/admin/campaigns/alpha/roles", { auth: as(OWNER) });
    assert.deepEqual(
      holders.body.items.map((h: { memberId: number; roles: string[] }) => [h.memberId, h.roles]),
      [
        [owner!.id, ["owner"]],
        [manager!.id, ["manager"]],
        [reviewer!.id, ["reviewer"]],
        [analyst!.id, ["analyst"]],
      ],
    );
    await refused(REVIEWER, "GET", "/api/admin/campaigns/alpha/roles");

    // A member without any role is turned away at the door, and leaves no audit row.
    const before = (await audit()).length;
    for (const path of ["/api/admin/reviews", "/api/admin/audit", "/api/admin/campaigns"]) {
      const res = await app.call("GET", path, { auth: as(OUTSIDER) });
      assert.equal(res.status, 403, path);
    }
    assert.equal((await audit()).length, before);

    // A revoked role stops working at once.
    const revoked = await app.call(
      "DELETE",
      `/api/admin/campaigns/alpha/roles/${reviewer!.id}/reviewer`,
      { auth: as(OWNER) },
    );
    assert.deepEqual([revoked.status, revoked.body.roles, revoked.body.changed], [200, [], true]);
    assert.equal((await app.call("GET", "/api/admin/reviews", { auth: as(REVIEWER) })).status, 403);
    assert.deepEqual((await me(REVIEWER)).roles, []);

    // Bad input: a clear 4xx, nothing written.
    const counts = await rowCounts(db);
    for (const [path, status] of [
      [`/api/admin/campaigns/alpha/roles/${outsider!.id}/admin`, 400],
      [`/api/admin/campaigns/gamma/roles/${outsider!.id}/analyst`, 404],
      ["/api/admin/campaigns/alpha/roles/999999/analyst", 404],
    ] as const) {
      const res = await app.call("PUT", path, { auth: as(OWNER) });
      assert.equal(res.status, status, `${path}: ${res.text}`);
    }
    assert.deepEqual(await rowCounts(db), counts);
  });
});

test("the audit API: owners read their campaign's rows with before/after, filtered and paged; super-admins read all", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: campaigns() });
    const [owner, target] = await app.members(OWNER, 6);
    await app.call("PUT", `/api/admin/campaigns/alpha/roles/${owner!.id}/owner`, { auth: token });
    for (const role of ["analyst", "manager", "reviewer"])
      await app.call("PUT", `/api/admin/campaigns/alpha/roles/${target!.id}/${role}`, {
        auth: tmaFor(OWNER),
      });
    await app.call("POST", `/api/admin/members/${target!.id}/ban`, {
      auth: token,
      body: { reason: "spam" },
    });

    const mine = await app.call("GET", "/api/admin/audit?campaign=alpha&action=role.granted", {
      auth: tmaFor(OWNER),
    });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(
      mine.body.items.map((r: Record<string, unknown>) => [
        r.actor,
        r.campaign,
        r.subjectId,
        r.before,
        r.after,
      ]),
      [
        [
          `member:${owner!.id}`,
          "alpha",
          String(target!.id),
          { roles: ["manager", "analyst"] },
          { roles: ["manager", "reviewer", "analyst"] },
        ],
        [
          `member:${owner!.id}`,
          "alpha",
          String(target!.id),
          { roles: ["analyst"] },
          { roles: ["manager", "analyst"] },
        ],
        [`member:${owner!.id}`, "alpha", String(target!.id), { roles: [] }, { roles: ["analyst"] }],
        ["api-token", "alpha", String(owner!.id), { roles: [] }, { roles: ["owner"] }],
      ],
    );
    // Pages of two, newest first.
    const first = await app.call("GET", "/api/admin/audit?action=role.granted&limit=2", {
      auth: tmaFor(OWNER),
    });
    assert.equal(first.body.items.length, 2);
    const second = await app.call(
      "GET",
      `/api/admin/audit?action=role.granted&limit=2&before=${first.body.nextBefore}`,
      { auth: tmaFor(OWNER) },
    );
    assert.deepEqual(
      [...first.body.items, ...second.body.items].map((r: { id: number }) => r.id),
      mine.body.items.map((r: { id: number }) => r.id),
    );
    // The ban belongs to no campaign: only super-admins see it.
    const owners = await app.call("GET", "/api/admin/audit?action=member.banned", {
      auth: tmaFor(OWNER),
    });
    assert.deepEqual(owners.body.items, []);
    const ops = await app.call("GET", "/api/admin/audit?action=member.banned", { auth: token });
    assert.deepEqual(
      ops.body.items.map((r: Record<string, unknown>) => [r.actor, r.campaign, r.before]),
      [["api-token", null, { bannedAt: null, banReason: null }]],
    );
    assert.equal(
      (await app.call("GET", "/api/admin/audit?campaign=beta", { auth: tmaFor(OWNER) })).status,
      403,
    );
    // Filters by actor and time; bad filters are a 400.
    const byActor = await app.call("GET", "/api/admin/audit?actor=api-token", { auth: token });
    assert.ok(byActor.body.items.length >= 2);
    assert.ok(byActor.body.items.every((r: { actor: string }) => r.actor === "api-token"));
    // An hour past the app's clock, which dated every row.
    const future = new Date(app.clock.now().getTime() + 3_600_000).toISOString();
    assert.deepEqual(
      (await app.call("GET", `/api/admin/audit?from=${future}`, { auth: token })).body.items,
      [],
    );
    for (const q of ["from=yesterday", "actor=DROP%20TABLE", "limit=0", "campaign=Alpha"])
      assert.equal(
        (await app.call("GET", `/api/admin/audit?${q}`, { auth: token })).status,
        400,
        q,
      );
    // Reading is audited; nothing in the API changes or deletes a row.
    const reads = await db.db.select().from(auditLog).where(eq(auditLog.action, "audit.read"));
    assert.ok(reads.length >= 5);
    const before = await rowCounts(db);
    for (const method of ["PUT", "POST", "DELETE", "PATCH"]) {
      const res = await app.call(method, "/api/admin/audit", { auth: token, body: {} });
      assert.equal(res.status, 404, `${method}: ${res.text}`);
    }
    assert.deepEqual(await rowCounts(db), before);
  });
});

test("the operator endpoints are `payouts.operate`: a campaign's owner for it, super-admins for all", async (t) => {
  await withDatabases(t, async (db) => {
    const clock = testClock(new Date());
    const domain = await testDomain(db, { campaigns: campaigns(), clock });
    const operator = operatorRoutes({
      domain: domain.ctx,
      db: db.db,
      contracts: new ContractIndex([]),
      chainId: 31337,
      settings: loadChainSettings({}),
      metrics: chainMetrics(new Registry()),
      logger: createLogger("silent"),
      resolvers: [
        adminTokenResolver(TEST_ADMIN_TOKEN),
        tmaResolver(domain.ctx, {
          botToken: TEST_BOT_TOKEN,
          maxAgeSeconds: 3600,
          adminTelegramIds: new Set([TEST_ADMIN_TELEGRAM_ID]),
        }),
      ],
      bodyLimitBytes: 16_384,
      validateResponses: true,
    });
    const app = await startTestApp(t, db, {
      campaigns: campaigns(),
      clock,
      routers: [{ path: "/", router: operator.router }],
    });
    const [owner, reviewer, member] = await app.members(OWNER, REVIEWER, 9);
    await app.call("PUT", `/api/admin/campaigns/alpha/roles/${owner!.id}/owner`, { auth: token });
    await app.call("PUT", `/api/admin/campaigns/alpha/roles/${reviewer!.id}/reviewer`, {
      auth: token,
    });
    const alpha = app.ctx.campaigns.bySlug("alpha")!;
    // A payout in alpha whose batch failed on-chain.
    const { entryId } = await db.db.transaction(async (tx) => {
      await lockBudgets(tx, alpha.id, ["REF"]);
      return writeGrant(tx, {
        campaignId: alpha.id,
        token: "REF",
        memberId: member!.id,
        amount: 1n,
        kind: "adjustment",
        idempotencyKey: "adjustment:operator-test",
        now: clock.now(),
      });
    });
    await db.db.update(ledgerEntries).set({ state: "failed" }).where(eq(ledgerEntries.id, entryId));
    await db.db
      .update(payoutOutbox)
      .set({ status: "failed" })
      .where(eq(payoutOutbox.entryId, entryId));

    const post = (auth: string, path: string, body: unknown = {}) =>
      app.call("POST", path, { auth, body });
    const status = async (auth: string, path: string, body?: unknown) =>
      (await post(auth, path, body)).status;
    // Refused: another campaign, all campaigns, a reviewer.
    assert.equal(
      await status(tmaFor(OWNER), "/api/operator/payouts/retry", { campaign: "beta" }),
      403,
    );
    assert.equal(await status(tmaFor(OWNER), "/api/operator/payouts/retry"), 403);
    assert.equal(await status(tmaFor(OWNER), "/api/operator/reconcile"), 403);
    assert.equal(
      await status(tmaFor(REVIEWER), "/api/operator/payouts/retry", { campaign: "alpha" }),
      403,
    );
    assert.equal(await status(tmaFor(OWNER), "/api/operator/epochs", { campaign: "beta" }), 403);
    assert.equal(
      await status(tmaFor(9), "/api/operator/payouts/retry", { campaign: "alpha" }),
      403,
    );
    const [still] = await db.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, entryId));
    assert.equal(still?.state, "failed");
    // Allowed: past the check, this service has no chain (503), or the retry is done.
    assert.equal(await status(tmaFor(OWNER), "/api/operator/epochs", { campaign: "alpha" }), 503);
    assert.equal(await status(token, "/api/operator/reconcile"), 503);
    const retried = await post(tmaFor(OWNER), "/api/operator/payouts/retry", { campaign: "alpha" });
    assert.equal(retried.status, 200, retried.text);
    assert.deepEqual(retried.body, { requeued: [entryId] });
    const [requeued] = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "payout.requeued"));
    assert.deepEqual(
      [
        requeued?.actor,
        requeued?.campaignId,
        requeued?.subjectId,
        requeued?.before,
        requeued?.after,
      ],
      [`member:${owner!.id}`, alpha.id, String(entryId), { state: "failed" }, { state: "queued" }],
    );
    const denied = await db.db.select().from(auditLog).where(eq(auditLog.action, "access.denied"));
    // One row per refusal of a role holder; the member without a role left none.
    assert.equal(denied.length, 5);
  });
});
