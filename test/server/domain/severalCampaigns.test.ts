/**
 * Several campaigns at once in the domain: start payloads that name a campaign, a member
 * referred once per campaign by different people, one tree (loops, counters, tiers, fraud
 * counts) per campaign, one wallet link qualifying every campaign, and the migration that
 * rebuilds the counters per campaign.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../server/db/index.ts";
import { attribute, attributeMany, referralsOf } from "../../../server/domain/attribution.ts";
import {
  deepLinks,
  parseStartPayload,
  startPayload,
  vanityCodeProblem,
} from "../../../server/domain/codes.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { setVanityCode } from "../../../server/domain/members.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { memberCampaigns, memberStats } from "../../../server/domain/stats.ts";
import { ancestorsOf } from "../../../server/domain/tree.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { linkTestWallet, testAccount } from "../../support/siwe.ts";

const refused = (code: string) => (e: unknown) => isDomainError(e) && e.code === code;

/** Two running campaigns: `alpha` (the current one: started later) and `beta`. */
const campaigns = () => [
  testCampaign({ slug: "beta", onchainId: 12, startsAt: "2020-01-01T00:00:00Z" }),
  testCampaign({
    slug: "alpha",
    onchainId: 11,
    startsAt: "2021-01-01T00:00:00Z",
    tiers: [
      { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10000 },
      { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 1, multiplierBps: 15000 },
    ],
  }),
];

test("a start payload names its campaign after the last __; unknown slugs keep the whole code", () => {
  const known = (slug: string) => slug === "alpha" || slug === "beta";
  assert.deepEqual(parseStartPayload("k3x9p2m7qa__beta", known), {
    code: "k3x9p2m7qa",
    campaign: "beta",
  });
  assert.deepEqual(parseStartPayload("k3x9p2m7qa", known), { code: "k3x9p2m7qa" });
  assert.deepEqual(parseStartPayload("k3x9p2m7qa__gamma", known), { code: "k3x9p2m7qa__gamma" });
  // A vanity code may contain single underscores, even at its end.
  assert.deepEqual(parseStartPayload("my_code___alpha", known), {
    code: "my_code_",
    campaign: "alpha",
  });
  assert.deepEqual(parseStartPayload("__alpha", known), { code: "__alpha" });
  assert.equal(startPayload("abc", "beta"), "abc__beta");
  assert.equal(startPayload("abc"), "abc");
  const links = deepLinks(
    { botUsername: "refbot", miniAppShortName: "app", publicUrl: "https://x.test" },
    "abc",
    "beta",
  );
  assert.equal(links.bot, "https://t.me/refbot?start=abc__beta");
  assert.equal(links.miniApp, "https://t.me/refbot/app?startapp=abc__beta");
  assert.equal(links.redirect, "https://x.test/r/abc?c=beta");
  assert.match(vanityCodeProblem("my__code") ?? "", /__/);
  assert.equal(vanityCodeProblem("my_code"), null);
});

test("vanity codes with __ are refused and change nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: campaigns() });
    const m = await d.member(1);
    await assert.rejects(setVanityCode(d.ctx, m.id, "bad__one", systemAdmin()), (e: unknown) =>
      isDomainError(e),
    );
    const [row] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from referral_codes where member_id = ${m.id}`,
    );
    assert.equal(row?.n, 1);
  });
});

test("a member is referred once per campaign, by different people; each campaign has its own tree", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: campaigns() });
    const [alpha, beta] = [d.ctx.campaigns.bySlug("alpha")!, d.ctx.campaigns.bySlug("beta")!];
    const [ann, ben, cat, dan] = await d.members(1, 2, 3, 4);
    // A bare code goes to the current campaign (alpha); a named one to its campaign.
    await d.refer(ann!, ben!);
    await attribute(d.ctx, { refereeId: ben!.id, code: `${cat!.code}__beta`, source: "start" });
    const mine = await referralsOf(db.db, ben!.id);
    assert.deepEqual(
      mine.map((r) => [r.campaignId, r.referrerId]),
      [
        [alpha.id, ann!.id],
        [beta.id, cat!.id],
      ],
    );
    // Once per campaign.
    await assert.rejects(
      attribute(d.ctx, { refereeId: ben!.id, code: `${dan!.code}__beta`, source: "start" }),
      refused("already_attributed"),
    );
    // Ben refers Dan in beta (cat → ben → dan there); Cat opening Dan's beta link is a loop…
    await attribute(d.ctx, {
      refereeId: dan!.id,
      code: ben!.code,
      source: "start",
      campaign: "beta",
    });
    await assert.rejects(
      attribute(d.ctx, { refereeId: cat!.id, code: `${dan!.code}__beta`, source: "start" }),
      refused("referral_loop"),
    );
    // …in alpha it is not (Dan is no descendant of Cat there); a batch decides alike.
    const [loop, ok] = await attributeMany(d.ctx, [
      { refereeId: cat!.id, code: `${ben!.code}__beta`, source: "start" },
      { refereeId: cat!.id, code: `${dan!.code}__alpha`, source: "start" },
    ]);
    assert.ok("error" in loop! && refused("referral_loop")(loop.error));
    assert.ok("ok" in ok!);
    assert.deepEqual(
      (await ancestorsOf(db.db, beta.id, dan!.id)).map((a) => a.memberId),
      [ben!.id, cat!.id],
    );
    assert.deepEqual(
      (await ancestorsOf(db.db, alpha.id, cat!.id)).map((a) => a.memberId),
      [dan!.id],
    );
    assert.deepEqual(await ancestorsOf(db.db, alpha.id, dan!.id), []);
    // Counters per campaign: Cat has beta's levels 1 and 2, nothing in alpha.
    const catBeta = await memberStats(db.db, beta, cat!.id);
    const catAlpha = await memberStats(db.db, alpha, cat!.id);
    assert.deepEqual(
      catBeta.levels.slice(0, 2).map((l) => l.pending),
      [1, 1],
    );
    assert.ok(catAlpha.levels.every((l) => l.pending + l.qualified === 0));
    assert.deepEqual(
      (await memberCampaigns(d.ctx, cat!.id)).map((c) => c.slug),
      ["alpha", "beta"],
    );
  });
});

test("one wallet link qualifies the member's pending referral in every campaign; tiers never mix", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: campaigns() });
    const [alpha, beta] = [d.ctx.campaigns.bySlug("alpha")!, d.ctx.campaigns.bySlug("beta")!];
    const [ann, ben, cat] = await d.members(1, 2, 3);
    await d.refer(ann!, ben!, { campaign: "alpha" });
    await d.refer(cat!, ben!, { campaign: "beta" });
    const linked = await linkTestWallet(d.ctx, ben!.id, testAccount("several:ben"));
    assert.deepEqual(
      linked.qualifications.map((q) => q.status),
      ["qualified", "qualified"],
    );
    assert.equal(linked.qualification.status, "qualified");
    const grants = await queryRows<{ member: string; campaign: number; amount: string }>(
      db.db,
      sql`select member_id::text as member, campaign_id as campaign, amount::text as amount
          from ledger_entries where kind = 'referral' order by campaign_id`,
    );
    // Alpha's Pro (×1.5) from the first referral; beta's tiers do not see alpha's referral.
    assert.deepEqual(
      grants.map((g) => [Number(g.member), g.campaign, g.amount]),
      [
        [ann!.id, alpha.id, (15n * 10n ** 18n).toString()],
        [cat!.id, beta.id, (10n * 10n ** 18n).toString()],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    assert.equal((await memberStats(db.db, alpha, ann!.id)).tier.current.id, "pro");
    assert.equal((await memberStats(db.db, beta, ann!.id)).tier.current.id, "base");
    // Qualifying again changes nothing (money paths are idempotent).
    const again = await qualify(d.ctx, ben!.id, { type: "wallet_linked" });
    assert.equal(again.status, "not_pending");
    const [count] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from ledger_entries`,
    );
    assert.equal(count?.n, grants.length);
  });
});

test("migration 0012's rebuild of the counters from the referrals matches the counters kept on write", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: campaigns() });
    const ms = await d.members(1, 2, 3, 4, 5, 6);
    const [a, b, c, e, f, g] = ms.map((m) => m!);
    // alpha: a → b → c → e; beta: c → b → f, e → g; some qualify, one is rejected.
    await d.refer(a, b, { campaign: "alpha" });
    await d.refer(b, c, { campaign: "alpha" });
    await d.refer(c, e, { campaign: "alpha" });
    await d.refer(c, b, { campaign: "beta" });
    await d.refer(b, f, { campaign: "beta" });
    await d.refer(e, g, { campaign: "beta" });
    await linkTestWallet(d.ctx, c.id, testAccount("rebuild:c"));
    await linkTestWallet(d.ctx, f.id, testAccount("rebuild:f"));
    const read = () =>
      queryRows<{ k: string }>(
        db.db,
        sql`select campaign_id || ':' || member_id || ':' || level || ':' || status || '=' || count as k
            from referral_counters where count > 0 order by 1`,
      ).then((rows) => rows.map((r) => r.k));
    const kept = await read();
    assert.ok(kept.length >= 8, JSON.stringify(kept));
    const { readFile } = await import("node:fs/promises");
    const file = await readFile(
      new URL("../../../server/db/migrations/0012_referrals_per_campaign.sql", import.meta.url),
      "utf8",
    );
    const rebuild = file.split("--> statement-breakpoint").at(-1)!;
    await db.db.execute(sql`delete from referral_counters`);
    await db.db.execute(sql.raw(rebuild));
    assert.deepEqual(await read(), kept);
  });
});
