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
import { HOUR } from "../../support/clock.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
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

test("the attribution window: from the first appearance anywhere by default, from joining the campaign with attribution.newMembersOnly false", async (t) => {
  await withDatabases(t, async (db) => {
    // `standing` keeps today's rule; `partner` (a partner promotion) takes known members.
    const d = await testDomain(db, {
      attributionWindowHours: 24,
      campaigns: [
        testCampaign({ slug: "standing", onchainId: 21, startsAt: "2020-01-01T00:00:00Z" }),
        testCampaign({
          slug: "partner",
          onchainId: 22,
          startsAt: "2021-01-01T00:00:00Z",
          attribution: { newMembersOnly: false },
        }),
      ],
    });
    const [partner, standing] = [
      d.ctx.campaigns.bySlug("partner")!,
      d.ctx.campaigns.bySlug("standing")!,
    ];
    assert.equal(partner.rules.newMembersOnly, false);
    assert.equal(standing.rules.newMembersOnly, true);
    const at = (referrer: { code: string }, slug: string) => `${referrer.code}__${slug}`;
    // Hour 0: Ann invites Old into the standing program; Early joins the partner promotion by
    // inviting Pal there; Veteran only opens the bot.
    const [ann, old, early, pal, veteran] = await d.members(1, 2, 3, 4, 5);
    await attribute(d.ctx, { refereeId: old!.id, code: at(ann!, "standing"), source: "start" });
    await attribute(d.ctx, { refereeId: pal!.id, code: at(early!, "partner"), source: "start" });
    // Hour 20: Late joins the partner promotion the same way.
    d.clock.advance(20 * HOUR);
    const [late, pal2] = await d.members(6, 7);
    await attribute(d.ctx, { refereeId: pal2!.id, code: at(late!, "partner"), source: "start" });
    // Hour 25: everyone but Cat (who arrives now) is past the 24 hours since first appearing.
    d.clock.advance(5 * HOUR);
    const cat = await d.member(8);

    // The standing program refuses members seen more than 24 hours ago, whatever campaign they
    // came from, and writes nothing but the start (analytics).
    for (const m of [veteran!, early!]) {
      const before = await rowCounts(db);
      await assert.rejects(
        attribute(d.ctx, { refereeId: m.id, code: at(cat!, "standing"), source: "start" }),
        refused("not_new_member"),
      );
      const after = await rowCounts(db);
      assert.equal(after.referrals, before.referrals);
      assert.equal(after.referral_counters, before.referral_counters);
    }
    // The partner promotion takes Old (known from the standing program, never in the partner
    // promotion: joining it now) and Veteran; Late joined it 5 hours ago: inside the window.
    for (const m of [old!, veteran!, late!])
      await attribute(d.ctx, { refereeId: m.id, code: at(cat!, "partner"), source: "start" });
    // Early joined the partner promotion 25 hours ago (inviting Pal): not new there.
    const before = await rowCounts(db);
    await assert.rejects(
      attribute(d.ctx, { refereeId: early!.id, code: at(cat!, "partner"), source: "start" }),
      (e: unknown) =>
        refused("not_new_member")(e) && /new to this campaign/.test((e as Error).message),
    );
    assert.equal((await rowCounts(db)).referrals, before.referrals);
    // The other checks still hold in the partner promotion: once per campaign, no loops.
    await assert.rejects(
      attribute(d.ctx, { refereeId: old!.id, code: at(ann!, "partner"), source: "start" }),
      refused("already_attributed"),
    );
    await assert.rejects(
      attribute(d.ctx, { refereeId: cat!.id, code: at(late!, "partner"), source: "start" }),
      refused("referral_loop"),
    );
    // Each tree holds what it should: Cat's three in partner, Old's referrer in standing.
    const catPartner = await memberStats(db.db, partner, cat!.id);
    assert.equal(catPartner.levels[0]!.pending, 3);
    const catStanding = await memberStats(db.db, standing, cat!.id);
    assert.equal(catStanding.levels[0]!.pending, 0);
    assert.deepEqual(
      (await referralsOf(db.db, old!.id)).map((r) => [r.campaignId, r.referrerId]),
      [
        [standing.id, ann!.id],
        [partner.id, cat!.id],
      ],
    );
    // A batch decides alike (one start each way).
    const [dan, eve] = await d.members(9, 10);
    d.clock.advance(25 * HOUR);
    const [newcomer] = await d.members(11);
    const decided = await attributeMany(d.ctx, [
      { refereeId: dan!.id, code: at(newcomer!, "standing"), source: "start" },
      { refereeId: eve!.id, code: at(newcomer!, "partner"), source: "start" },
    ]);
    assert.ok("error" in decided[0]! && refused("not_new_member")(decided[0].error));
    assert.ok("ok" in decided[1]!);
  });
});
