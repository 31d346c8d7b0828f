/**
 * The admin console (miniapp/src/admin/) against the real stack: two campaigns (alpha,
 * beta) with flagged invitations in both, a super-admin (ADMIN_TELEGRAM_IDS), a reviewer and
 * an analyst of alpha, each signed in the way the bot's `/admin` link signs them in.
 *
 * - Over HTTP: an admin session carries the member's rights (a member session none); the
 *   console's reads (campaigns, search, record, evidence, badge) see only what the roles
 *   allow and refuse the rest; a revoked role stops working at once.
 * - In Chromium: every screen in English and Russian, light and dark, on a phone-sized
 *   viewport (screenshots under test-artifacts/admin/); the super-admin approves and rejects
 *   reviews and bans a member from the console, each ending in the audit log; the reviewer
 *   and the analyst see only their sections; Mini App mode tells the admin to use the bot.
 * - The latest request wins: a member search, or the audit log's first load, answered only
 *   after a later search or filter was shown, leaves the later rows.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { asc, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { auditLog, members, reviewItems } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { createDraft } from "../../server/domain/broadcasts.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { grantRole, revokeRole, systemAdmin } from "../../server/domain/roles.ts";
import { issueAdminLoginToken } from "../../server/domain/webLogin.ts";
import { testCampaign } from "../support/campaign.ts";
import { signInitData } from "../support/telegram.ts";
import { telegramUrl } from "./support/browser.ts";
import { ROOT } from "./support/build.ts";
import { consoleFixture, holdFirstAnswer, openScreen, shot, shown } from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const SUPER = 900_000_101;
const REVIEWER = 103;
const ANALYST = 104;

const campaigns = () =>
  ["alpha", "beta"].map((slug, i) =>
    testCampaign({
      slug,
      onchainId: 400 + i,
      name: { en: slug === "alpha" ? "Alpha" : "Beta", ru: slug === "alpha" ? "Альфа" : "Бета" },
      fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
    }),
  );

const fixture = consoleFixture();
const { call, signIn, consoleFor } = fixture;
let db: DatabaseHandle;
let s: Stack;
let browser: Browser;
const people: Record<string, MemberView> = {};

before(async () => {
  await fixture.start({
    superAdmins: [SUPER],
    stack: () => ({
      campaigns: campaigns(),
      env: { EXPLORER_URL: "https://explorer.example.org" },
    }),
  });
  ({ db, stack: s, browser } = fixture);
  const add = async (key: string, telegramId: number, firstName: string, username?: string) => {
    people[key] = (
      await ensureMember(s.domain, { id: telegramId, firstName, username, languageCode: "en" })
    ).member;
  };
  await add("root", SUPER, "Root", "rootadmin");
  await add("reviewer", REVIEWER, "Rita", "rita");
  await add("analyst", ANALYST, "Anna", "anna");
  await add("ref", 1, "Ralph", "ralph");
  for (const [key, id] of [
    ["x1", 11],
    ["x2", 12],
    ["x3", 13],
    ["x4", 14],
    ["y1", 21],
    ["y2", 22],
  ] as const)
    await add(key, id, key.toUpperCase(), `user_${key}`);
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const admin = systemAdmin();
  await grantRole(s.domain, admin, {
    campaignId: alpha.id,
    memberId: people.reviewer!.id,
    role: "reviewer",
  });
  await grantRole(s.domain, admin, {
    campaignId: alpha.id,
    memberId: people.analyst!.id,
    role: "analyst",
  });
  // Ralph invites three into alpha and two into beta, all in one hour: the burst check flags
  // them for review.
  for (const [slug, keys] of [
    ["alpha", ["x1", "x2", "x3", "x4"]],
    ["beta", ["y1", "y2"]],
  ] as const) {
    for (const k of keys)
      await attribute(s.domain, {
        refereeId: people[k]!.id,
        code: people.ref!.code,
        source: "start",
        campaign: slug,
      });
    for (const k of keys) await qualify(s.domain, people[k]!.id, { type: "wallet_linked" });
  }
});

after(() => fixture.stop());

const reviews = () => db.db.select().from(reviewItems).orderBy(asc(reviewItems.id));
const auditRows = () => db.db.select().from(auditLog).orderBy(asc(auditLog.id));

test("admin sessions carry the member's rights; the console's reads show what the roles allow and refuse the rest", async () => {
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const beta = s.domain.campaigns.bySlug("beta")!;
  const items = await reviews();
  const alphaItem = items.find((i) => i.campaignId === alpha.id && i.status === "open")!;
  const betaItem = items.find((i) => i.campaignId === beta.id && i.status === "open")!;
  assert.ok(alphaItem && betaItem, "flagged invitations in both campaigns");

  // A member session of the super-admin carries no admin rights; an admin session does.
  const memberCookie = await signIn(people.root!, "member");
  const refusedMember = await call("GET", "/api/admin/console/campaigns", memberCookie);
  assert.equal(refusedMember.status, 403);
  assert.equal(refusedMember.body.code, "forbidden");
  const root = await signIn(people.root!, "admin");
  const all = await call("GET", "/api/admin/console/campaigns", root);
  assert.equal(all.status, 200);
  assert.equal(all.body.superAdmin, true);
  assert.deepEqual(
    all.body.items.map((c: { slug: string; state: string }) => [c.slug, c.state]),
    [
      ["alpha", "active"],
      ["beta", "active"],
    ],
  );

  // The reviewer of alpha: alpha only, with exactly the reviewer's actions.
  const rita = await signIn(people.reviewer!, "admin");
  const hers = await call("GET", "/api/admin/console/campaigns", rita);
  assert.deepEqual(hers.body, {
    superAdmin: false,
    items: [
      {
        slug: "alpha",
        name: { en: "Alpha", ru: "Альфа" },
        state: "active",
        startsAt: hers.body.items[0].startsAt,
        endsAt: hers.body.items[0].endsAt,
        deployed: false,
        lifecycle: "active",
        roles: ["reviewer"],
        actions: ["campaign.view", "review.read", "review.decide", "member.read"],
      },
    ],
  });
  const openAlpha = items.filter((i) => i.campaignId === alpha.id && i.status === "open").length;
  assert.deepEqual((await call("GET", "/api/admin/console/badges", rita)).body, {
    openReviews: openAlpha,
  });
  assert.deepEqual((await call("GET", "/api/admin/console/badges", root)).body, {
    openReviews: items.filter((i) => i.status === "open").length,
  });

  // Evidence: alpha's yes (with the burst signal, the two members and the timing), beta's no.
  const evidence = await call("GET", `/api/admin/reviews/${alphaItem.id}/evidence`, rita);
  assert.equal(evidence.status, 200, JSON.stringify(evidence.body));
  assert.equal(evidence.body.campaign, "alpha");
  assert.deepEqual(evidence.body.reasons, alphaItem.reasons);
  assert.equal(evidence.body.referrer.id, people.ref!.id);
  assert.equal(evidence.body.referrer.username, "ralph");
  assert.ok(evidence.body.referrerBurst24h >= 3);
  assert.ok(evidence.body.secondsToAttribution >= 0);
  const denied = await call("GET", `/api/admin/reviews/${betaItem.id}/evidence`, rita);
  assert.equal(denied.status, 403);

  // Search: a beta-only member is invisible to alpha's reviewer, found by the super-admin
  // by Telegram id, @username or referral code.
  const y1 = people.y1!;
  const x1 = people.x1!;
  const search = (cookie: string, q: string) =>
    call("GET", `/api/admin/members/search?q=${encodeURIComponent(q)}`, cookie);
  assert.deepEqual((await search(rita, String(y1.telegramId))).body.items, []);
  const byTelegram = (await search(root, String(y1.telegramId))).body.items;
  assert.deepEqual(
    byTelegram.map((h: { id: number; matched: string[] }) => h.id),
    [y1.id],
  );
  assert.deepEqual(byTelegram[0].matched, ["telegram_id"]);
  assert.deepEqual(
    (await search(rita, "@user_x1")).body.items.map((h: { id: number }) => h.id),
    [x1.id],
  );
  const byCode = (await search(root, people.ref!.code)).body.items;
  assert.deepEqual(
    byCode.map((h: { id: number; matched: string[] }) => [h.id, h.matched]),
    [[people.ref!.id, ["code"]]],
  );
  assert.equal((await search(root, "")).status, 400);

  // The record: the reviewer sees x1's alpha attribution with its review; y1's is refused.
  const record = await call("GET", `/api/admin/members/${x1.id}/record`, rita);
  assert.equal(record.status, 200, JSON.stringify(record.body));
  assert.deepEqual(
    record.body.attributions.map((a: { campaign: string; role: string; status: string }) => [
      a.campaign,
      a.role,
      a.status,
    ]),
    [["alpha", "referee", "review"]],
  );
  assert.ok(record.body.attributions[0].review.reasons.length > 0);
  assert.equal((await call("GET", `/api/admin/members/${y1.id}/record`, rita)).status, 403);
  // The referrer takes part in both; alpha's reviewer sees only alpha's side of him.
  const ralph = await call("GET", `/api/admin/members/${people.ref!.id}/record`, rita);
  assert.ok(
    ralph.body.attributions.every((a: { campaign: string }) => a.campaign === "alpha"),
    JSON.stringify(ralph.body.attributions),
  );
  const ralphAll = await call("GET", `/api/admin/members/${people.ref!.id}/record`, root);
  assert.deepEqual(
    [...new Set(ralphAll.body.attributions.map((a: { campaign: string }) => a.campaign))].sort(),
    ["alpha", "beta"],
  );

  // The analyst: no member data, no ban, no broadcast (the bot's broadcast domain refuses).
  const anna = await signIn(people.analyst!, "admin");
  assert.equal((await search(anna, "@user_x1")).status, 403);
  assert.equal((await call("GET", `/api/admin/members/${x1.id}/record`, anna)).status, 403);
  const ban = await call("POST", `/api/admin/members/${x1.id}/ban`, anna, { reason: "spam ring" });
  assert.equal(ban.status, 403);
  const [annaRow] = await db.db.select().from(members).where(eq(members.id, x1.id));
  assert.equal(annaRow!.bannedAt, null);
  await assert.rejects(
    createDraft(
      s.domain,
      {
        actor: `member:${people.analyst!.id}`,
        memberId: people.analyst!.id,
        superAdmin: false,
        roles: new Map([[alpha.id, new Set(["analyst" as const])]]),
      },
      {
        texts: { en: "hi", ru: "привет" },
        campaignId: alpha.id,
        createdBy: people.analyst!.id,
        adminChatId: ANALYST,
        adminLanguage: "en",
      },
    ),
    { code: "forbidden" },
  );

  // The reads are audited, named by who read what.
  const actions = (await auditRows()).map((r) => `${r.actor} ${r.action}`);
  for (const expected of [
    `member:${people.reviewer!.id} review.evidence_read`,
    `member:${people.reviewer!.id} member.searched`,
    `member:${people.reviewer!.id} member.record_read`,
    `member:${people.root!.id} member.searched`,
    `member:${people.analyst!.id} access.denied`,
  ])
    assert.ok(actions.includes(expected), `audit has ${expected}`);

  // A revoked role stops the admin session at once.
  const temp = await signIn(people.x3!, "admin");
  assert.equal((await call("GET", "/api/admin/console/campaigns", temp)).status, 403);
  await grantRole(s.domain, systemAdmin(), {
    campaignId: beta.id,
    memberId: people.x3!.id,
    role: "analyst",
  });
  assert.equal((await call("GET", "/api/admin/console/campaigns", temp)).status, 200);
  await revokeRole(s.domain, systemAdmin(), {
    campaignId: beta.id,
    memberId: people.x3!.id,
    role: "analyst",
  });
  assert.equal((await call("GET", "/api/admin/console/campaigns", temp)).status, 403);
});

const HEADINGS = {
  en: {
    overview: "Overview",
    campaigns: "Campaigns",
    review: "Review",
    members: "Members",
    broadcast: "Broadcast",
    experiments: "Experiments",
    audit: "Audit log",
  },
  ru: {
    overview: "Обзор",
    campaigns: "Кампании",
    review: "Проверка",
    members: "Участники",
    broadcast: "Рассылка",
    experiments: "Эксперименты",
    audit: "Журнал",
  },
} as const;

test("every screen in English and Russian, light and dark, on a phone; screenshots saved", async () => {
  const x1 = people.x1!;
  for (const lang of ["en", "ru"] as const)
    for (const theme of ["light", "dark"] as const) {
      const { context, page, errors } = await consoleFor(people.root!, lang, theme);
      try {
        assert.equal(await page.getAttribute("html", "lang"), lang);
        for (const [section, heading] of Object.entries(HEADINGS[lang])) {
          await openScreen(page, section);
          assert.equal(await page.locator("main h1").textContent(), heading);
          if (section === "review") await page.locator("[data-evidence]").first().waitFor();
          if (section === "audit") await page.locator("[data-audit]").first().waitFor();
          if (section === "members") {
            await page.locator('[data-input="search"]').fill(String(x1.telegramId));
            await page.locator('[data-action="search"]').click();
            await page.locator(`[data-member="${x1.id}"] a`).click();
            await page.locator(`[data-record="${x1.id}"]`).waitFor();
            await page.locator("[data-attribution]").first().waitFor();
          }
          // Nothing wider than the phone's screen.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          assert.ok(overflow <= 0, `${section} overflows by ${overflow}px (${lang}, ${theme})`);
          await shot(page, `admin-${section}-${theme}-${lang}`);
        }
        const bg = await page.evaluate(
          () => getComputedStyle(document.querySelector(".admin")!).backgroundColor,
        );
        const dark =
          bg
            .match(/\d+/g)!
            .slice(0, 3)
            .map(Number)
            .reduce((a, b) => a + b) < 384;
        assert.equal(dark, theme === "dark", `background ${bg} in ${theme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  // The README's picture of a member's record (the Overview's: adminAnalytics.test.ts).
  const { context, page } = await consoleFor(people.root!, "en", "light");
  try {
    await page.setViewportSize({ width: 1100, height: 800 });
    const docs = path.join(ROOT, "docs", "screenshots");
    await page.goto(`${s.url}/admin/members/${people.ref!.id}`);
    await page.locator("[data-attribution]").first().waitFor();
    await page.screenshot({ path: path.join(docs, "admin-member-record.png") });
  } finally {
    await context.close();
  }
});

test("the super-admin decides reviews in bulk and bans from the console; each action is in the audit log and the badge follows", async () => {
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const { context, page, errors } = await consoleFor(people.root!, "en", "light");
  try {
    const open0 = (await reviews()).filter((i) => i.status === "open");
    assert.equal(await page.locator('[data-badge="review"]').textContent(), String(open0.length));
    await openScreen(page, "review");
    const alphaOpen = open0.filter((i) => i.campaignId === alpha.id);
    const [first, second] = alphaOpen;
    assert.ok(first && second, `open in alpha: ${JSON.stringify(open0)}`);
    // Approve one.
    await page.locator(`[data-select="${first.id}"]`).check();
    await page.locator('[data-action="approve"]').click();
    await page.locator('[data-result="review"]').waitFor();
    assert.match(
      (await page.locator('[data-result="review"]').textContent()) ?? "",
      /1 decided, 0 failed/,
    );
    // Reject the rest of the open ones in one go, with a reason.
    await page.locator(`[data-select="${second.id}"]`).waitFor();
    await page.locator('[data-select="all"]').check();
    await page.locator('[data-input="reason"]').fill("same device as the referrer");
    await page.locator('[data-action="reject"]').click();
    const rest = open0.length - 1;
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-result="review"]')?.textContent?.startsWith(`${n} decided`),
      rest,
      { timeout: 60_000 },
    );
    const decided = await reviews();
    assert.equal(decided.find((i) => i.id === first.id)!.status, "approved");
    assert.ok(
      decided
        .filter((i) => i.id !== first.id)
        .every(
          (i) => i.status === "rejected" && i.decisionReason === "same device as the referrer",
        ),
    );
    await page.waitForFunction(() => document.querySelector('[data-badge="review"]') === null);

    // Ban and unban from a member's record.
    const x2 = people.x2!;
    await page.goto(`${s.url}/admin/members/${x2.id}`);
    await page.locator('[data-input="ban-reason"]').fill("multi-account ring");
    await page.locator('[data-action="ban"]').click();
    await page.locator('[data-banned="yes"]').waitFor();
    const [banned] = await db.db.select().from(members).where(eq(members.id, x2.id));
    assert.equal(banned!.banReason, "multi-account ring");
    await page.locator('[data-input="ban-reason"]').fill("appeal accepted");
    await page.locator('[data-action="unban"]').click();
    await page.locator('[data-banned="yes"]').waitFor({ state: "detached" });

    // Every action is in the audit log, by the super-admin, and the console shows them.
    const actor = `member:${people.root!.id}`;
    const rows = (await auditRows()).filter((r) => r.actor === actor);
    const seen = rows.map((r) => r.action);
    for (const action of [
      "review.approved",
      "review.rejected",
      "member.banned",
      "member.unbanned",
      "member.record_read",
      "review.evidence_read",
    ])
      assert.ok(seen.includes(action), `audit has ${action}: ${seen.join(", ")}`);
    const banRow = rows.find((r) => r.action === "member.banned")!;
    assert.equal(banRow.subjectId, String(x2.id));
    await openScreen(page, "audit");
    await page.locator('[data-input="action"]').fill("member.banned");
    await page.locator('[data-action="filter"]').click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll("[data-audit]").length > 0 &&
        [...document.querySelectorAll("[data-audit]")].every(
          (r) => r.getAttribute("data-audit") === "member.banned",
        ),
    );
    assert.match(
      (await page.locator('[data-audit="member.banned"]').first().textContent()) ?? "",
      /multi-account ring|banned/,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("roles in the console: alpha's reviewer sees only alpha and no audit or broadcast; the analyst cannot read members, ban or broadcast", async () => {
  const rita = await consoleFor(people.reviewer!, "ru", "light");
  try {
    const nav = await rita.page
      .locator("nav [data-nav]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-nav")));
    assert.deepEqual(nav, ["overview", "campaigns", "review", "members"]);
    await openScreen(rita.page, "campaigns");
    assert.deepEqual(
      await rita.page
        .locator("[data-campaign]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-campaign"))),
      ["alpha"],
    );
    await openScreen(rita.page, "review");
    // Whatever the earlier tests decided: the tab of some alpha item.
    const alphaId = s.domain.campaigns.bySlug("alpha")!.id;
    const anyAlpha = (await reviews()).find((i) => i.campaignId === alphaId)!;
    await rita.page.locator(`[data-status="${anyAlpha.status}"]`).click();
    await rita.page.locator("[data-review]").first().waitFor();
    const shown = await rita.page.locator("[data-review] code").allTextContents();
    assert.ok(shown.length > 0 && shown.every((c) => c === "alpha"), shown.join(","));
    // No ban control for a reviewer; typing beta's member address shows a refusal.
    await rita.page.goto(`${s.url}/admin/members/${people.y1!.id}`);
    await rita.page.locator(".admin-error").waitFor();
    assert.equal(await rita.page.locator('[data-moderation="yes"]').count(), 0);
    await shot(rita.page, "admin-reviewer-refused-ru");
  } finally {
    await rita.context.close();
  }
  const anna = await consoleFor(people.analyst!, "en", "dark");
  try {
    const nav = await anna.page
      .locator("nav [data-nav]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-nav")));
    assert.deepEqual(nav, ["overview", "campaigns", "experiments"]);
    await anna.page.goto(`${s.url}/admin/members/${people.x1!.id}`);
    // Not a section of hers: the console falls back to the Overview.
    await anna.page.locator('main[data-screen="overview"]').waitFor();
  } finally {
    await anna.context.close();
  }
});

test("in Mini App mode /admin says the bot sends the link; without a session it explains /admin", async () => {
  const telegram = await browser.newContext({ locale: "en-GB" });
  try {
    const page = await telegram.newPage();
    const initData = signInitData({ user: { id: SUPER, first_name: "Root" } });
    await page.goto(telegramUrl(`${s.url}/admin`, { initData }));
    await shown(page, '[data-screen="miniapp"]');
    assert.match((await page.textContent("main")) ?? "", /Send \/admin to the bot/);
  } finally {
    await telegram.close();
  }
  // The website (a fresh browser: Telegram's launch data stays in its session storage).
  const context = await browser.newContext({ locale: "en-GB" });
  try {
    const page = await context.newPage();
    await page.goto(`${s.url}/admin`);
    await shown(page, '[data-screen="login"]');
    assert.match((await page.textContent("main")) ?? "", /@refmint_test_bot/);
    // A used link says so.
    const { token } = await issueAdminLoginToken(s.domain, people.root!.id);
    await call("POST", "/api/web/login", undefined, { token });
    // (A new page: a change of the fragment alone does not load the page again.)
    const again = await context.newPage();
    await again.goto(`${s.url}/admin#token=${token}`);
    await shown(again, ".admin-error");
    assert.match((await again.textContent(".admin-error")) ?? "", /already used/);
  } finally {
    await context.close();
  }
});

test("the latest request wins: a search or audit filter answered late never replaces the rows asked for after it", async () => {
  const x1 = people.x1!;
  const y1 = people.y1!;
  const { context, page, errors } = await consoleFor(people.root!, "en", "light");
  const listed = (selector: string, attribute: string) =>
    page.locator(selector).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attribute);
  try {
    // Members: the first search is answered only after a second one was.
    await openScreen(page, "members");
    const search = await holdFirstAnswer(page, (u) => u.pathname === "/api/admin/members/search");
    await page.locator('[data-input="search"]').fill(String(x1.telegramId));
    await page.locator('[data-action="search"]').click();
    await search.asked;
    await page.locator('[data-input="search"]').fill(String(y1.telegramId));
    await page.locator('[data-action="search"]').click();
    await page.locator(`[data-member="${y1.id}"]`).waitFor();
    await search.release();
    assert.deepEqual(await listed("[data-member]", "data-member"), [String(y1.id)]);

    // Audit log: the screen's first load is answered only after a filter submitted meanwhile.
    const firstLoad = await holdFirstAnswer(page, (u) => u.pathname === "/api/admin/audit");
    await openScreen(page, "audit");
    await firstLoad.asked;
    await page.locator('[data-input="action"]').fill("member.searched");
    await page.locator('[data-action="filter"]').click();
    await page.locator('[data-audit="member.searched"]').first().waitFor();
    await firstLoad.release();
    const actions = await listed("[data-audit]", "data-audit");
    assert.ok(
      actions.length > 0 && actions.every((a) => a === "member.searched"),
      actions.join(", "),
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
