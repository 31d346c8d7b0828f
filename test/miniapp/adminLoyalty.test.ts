/**
 * The console's Loyalty screen (miniapp/src/admin/Loyalty.tsx) against one real stack for the
 * whole file: the HTTP service with the web and chain components (its indexer sees each perk
 * change's rules version take effect) over a test database, a Hardhat node with the demo
 * campaign deployed (its PerkShop, two perks), and one Chromium. Mona manages the campaign,
 * Anna is its analyst (the read-only role); Rolf invited Ivy; Pat and Quinn are members.
 *
 * - Perks (Mona, English, light): the list with price, units left, end of sale, requirement
 *   and state; a new perk checked first (the plan: its rules version, the calls with their gas,
 *   the cost; nothing written), then applied: it is on-chain and on sale once the indexer saw
 *   the version. Its stock and end of sale changed the same way; retired after a confirmation
 *   (cancelled once first): none left, on-chain too; each change audited in her name.
 * - Coupon codes: a file with bad lines is refused with the lines named (nothing added); a good
 *   one adds its codes, and a second one skips the codes already in the pool.
 * - Surveys: a vote (options with budgets, a reward) and a survey (a choice and a free-text
 *   question) created in the form; members answer (the domain function the bot's poll and
 *   button handlers call); the results per option and per segment, the free-text answers; only
 *   the latest results asked for are shown (an earlier answer held back and released late is
 *   dropped); the vote closed after a confirmation (cancelled once first), and no member can
 *   answer it any more.
 * - Challenges: each with its completions (the survey answers completed `answer-survey`, a
 *   check-in counts for the daily one).
 * - Anna sees every list and the results, and no control that writes; the API refuses each
 *   write anyway (403, one `access.denied` row each, nothing else written).
 * - Each tab in Russian and dark on a phone: nothing wider than the screen, no serious axe
 *   finding. Screenshots under test-artifacts/admin/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Locator, Page } from "playwright-core";
import { chainComponent } from "../../app/components.ts";
import { perkShopAbi } from "../../server/chain/abi.ts";
import { type DatabaseHandle, queryRows } from "../../server/db/index.ts";
import { campaignVersions } from "../../server/db/schema/versions.ts";
import { auditLog } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { checkIn } from "../../server/domain/checkins.ts";
import type { MemberView } from "../../server/domain/members.ts";
import { answerSurvey } from "../../server/domain/surveys.ts";
import { webComponent } from "../../server/web/component.ts";
import { ADMIN_KEY } from "../support/chain.ts";
import { seriousViolations } from "./support/browser.ts";
import type { TestChain } from "./support/chain.ts";
import {
  consoleFixture,
  holdFirstAnswer,
  noOverflow,
  openScreen,
  shot as save,
  seedPeople,
  shown,
} from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const fixture = consoleFixture();
const { call, signIn } = fixture;
let db: DatabaseHandle;
let chain: TestChain;
let stack: Stack;
let slug: string;
const people: Record<string, MemberView> = {};
/** What the steps learn and later ones use. */
const seen: { vote?: number; feedback?: number } = {};

before(async () => {
  await fixture.start({
    chain: true,
    stack: (c) => ({
      components: [webComponent, chainComponent],
      env: {
        RPC_URL: c!.rpcUrl,
        // The deployment names Hardhat's account #0 its admin: the service sends as it.
        CAMPAIGN_ADMIN_PRIVATE_KEY: ADMIN_KEY,
        // The indexer only: it sees each perk change's version take effect.
        CHAIN_JOBS: "indexer",
        CHAIN_CONFIRMATIONS: "1",
        CHAIN_POLL_MS: "100",
      },
    }),
  });
  ({ db, chain, stack } = fixture);
  slug = chain.campaign.slug;
  await seedPeople(
    stack.domain,
    people,
    [
      ["manager", 321, "Mona"],
      ["analyst", 322, "Anna"],
      ["rolf", 323, "Rolf"],
      ["ivy", 324, "Ivy"],
      ["pat", 325, "Pat"],
      ["quinn", 326, "Quinn"],
    ],
    slug,
    [
      ["manager", "manager"],
      ["analyst", "analyst"],
    ],
  );
  // Ivy came through Rolf's link: she is in the `referred` segment, the others are not.
  await attribute(stack.domain, {
    refereeId: people.ivy!.id,
    code: people.rolf!.code,
    source: "start",
    campaign: slug,
  });
});

after(() => fixture.stop());

/** A phone-sized console (dates in UTC) signed in through an admin link. */
const consoleFor = (m: MemberView, lang: "en" | "ru", theme: "light" | "dark") =>
  fixture.consoleFor(m, lang, theme, { timezoneId: "UTC" });

async function openLoyalty(page: Page, tab: "perks" | "surveys" | "challenges"): Promise<void> {
  if ((await page.locator('main[data-screen="loyalty"]').count()) === 0)
    await openScreen(page, "loyalty");
  await page.locator(`[data-tab="${tab}"]`).click();
  await shown(page, `[data-panel="${tab}"]`);
}

/** Nothing wider than the phone's screen, then a screenshot under test-artifacts/admin/. */
async function shot(page: Page, name: string): Promise<void> {
  await noOverflow(page, name);
  await save(page, name);
}

const versionsOf = async () =>
  db.db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, stack.domain.campaigns.bySlug(slug)!.id))
    .orderBy(asc(campaignVersions.version));
const lastAuditId = async () =>
  (await db.db.select({ id: auditLog.id }).from(auditLog)).reduce((m, r) => Math.max(m, r.id), 0);
const poolCodes = async () =>
  (
    await queryRows<{ code: string }>(
      db.db,
      sql`select code from coupon_pool where perk = 'sticker-pack' order by code`,
    )
  ).map((r) => r.code);
const perkOnchain = (perkId: number) =>
  chain.client.readContract({
    address: chain.deployment.perkShop!,
    abi: perkShopAbi,
    functionName: "perkOf",
    args: [BigInt(perkId)],
  });

/** Checks a change (the dry run), then applies it; resolves once its version is in effect. */
async function checkAndApply(page: Page, where: Locator, version: number): Promise<void> {
  const plan = where.locator(`[data-perk-plan][data-plan-version="${version}"]`);
  await plan.waitFor();
  const before = (await versionsOf()).length;
  await plan.locator('[data-action="perk-apply"], [data-action="confirm"]').click();
  await shown(page, `[data-pending-version="${version}"], [data-rules-version="${version}"]`);
  assert.equal((await versionsOf()).length, before + 1, "the version is recorded");
  await shown(page, `[data-rules-version="${version}"]`, 120_000);
  assert.equal(await page.locator("[data-pending-version]").count(), 0);
}

test("perks: a manager creates one (checked, then applied on-chain), changes its stock and end of sale, and retires it after a confirmation", async () => {
  const start = await lastAuditId();
  const { context, page, errors } = await consoleFor(people.manager!, "en", "light");
  try {
    await openLoyalty(page, "perks");
    assert.deepEqual(
      await page
        .locator("[data-tab]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-tab"))),
      ["perks", "surveys", "challenges"],
    );
    // The file's perks with their state on-chain.
    const sticker = page.locator('[data-perk="sticker-pack"]');
    await sticker.waitFor();
    assert.equal(await sticker.getAttribute("data-state"), "onSale");
    assert.equal(await sticker.locator('[data-field="price"]').textContent(), "50 REF");
    assert.equal(await sticker.locator('[data-field="left"]').textContent(), "unlimited");
    const merch = page.locator('[data-perk="merch-discount"]');
    assert.equal(await merch.locator('[data-field="left"]').textContent(), "500 of 500");
    assert.equal(await merch.locator('[data-field="expires"]').textContent(), "no end");
    assert.equal(await page.locator("[data-read-only]").count(), 0);

    // --- a new perk: the plan first, nothing written ---
    await page.locator('[data-action="perk-new"]').click();
    await page.locator('[data-input="perk-id"]').fill("mug");
    await page.locator('[data-input="perk-title-en"]').fill("Mug");
    await page.locator('[data-input="perk-title-ru"]').fill("Кружка");
    await page.selectOption('[data-input="perk-token"]', "REF");
    await page.locator('[data-input="perk-price"]').fill("1.5.0");
    assert.ok(await page.locator('[data-action="perk-check"]').isDisabled(), "not a price");
    await page.locator('[data-input="perk-price"]').fill("7");
    await page.locator('[data-input="perk-stock"]').fill("3");
    await page.locator('[data-action="perk-check"]').click();
    const form = page.locator('[data-panel="perks"]');
    const plan = form.locator('[data-perk-plan="create"][data-plan-version="2"]');
    await plan.waitFor();
    assert.deepEqual(
      await plan
        .locator("[data-plan-action]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-plan-action"))),
      ["perk:3:create", "rules"],
    );
    for (const gas of await plan
      .locator("[data-plan-action]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-gas"))))
      assert.ok(Number(gas) > 21_000, `${gas} gas`);
    assert.match((await plan.locator("[data-plan-cost]").textContent()) ?? "", /\d ETH$/);
    assert.ok((await plan.locator("[data-plan-change]").count()) > 0);
    assert.equal((await versionsOf()).length, 1, "the check wrote no version");
    await shot(page, "admin-loyalty-perk-plan-light-en");
    await checkAndApply(page, form, 2);
    const mug = page.locator('[data-perk="mug"]');
    await shown(page, '[data-perk="mug"][data-state="onSale"]', 120_000);
    // The form is new again: closed and empty.
    assert.equal(await page.locator('[data-form="perk-new"]').isVisible(), false);
    assert.equal(await page.locator('[data-input="perk-id"]').inputValue(), "");
    assert.equal(await mug.getAttribute("data-perk-id"), "3");
    assert.equal(await mug.locator('[data-field="price"]').textContent(), "7 REF");
    assert.equal(await mug.locator('[data-field="left"]').textContent(), "3 of 3");
    const created = await perkOnchain(3);
    assert.equal(Number(created.stock), 3);
    assert.equal(created.active, true);

    // --- its stock and end of sale ---
    await mug.locator('[data-action="perk-edit"]').click();
    await mug.locator('[data-input="edit-stock"]').fill("5");
    await mug.locator('[data-input="edit-expires"]').fill("2031-06-30T12:00");
    await mug.locator('[data-action="perk-edit-check"]').click();
    await mug.locator('[data-perk-plan="change"]').waitFor();
    await shot(page, "admin-loyalty-perk-change-light-en");
    await checkAndApply(page, mug, 3);
    await shown(page, '[data-perk="mug"] [data-field="left"][data-left="5"]', 120_000);
    assert.equal(await mug.locator('[data-field="left"]').textContent(), "5 of 5");
    assert.match((await mug.locator('[data-field="expires"]').textContent()) ?? "", /30\/06\/2031/);
    const changed = await perkOnchain(3);
    assert.equal(Number(changed.stock), 5);
    assert.equal(Number(changed.expiresAt), Date.parse("2031-06-30T12:00:00Z") / 1000);

    // --- retired, after a confirmation (cancelled once: nothing changes) ---
    await mug.locator('[data-action="perk-retire"]').click();
    const confirm = mug.locator('[data-perk-plan="retire"][data-confirm]');
    await confirm.waitFor();
    assert.match((await confirm.textContent()) ?? "", /Retire Mug\? Its sale stops for good/);
    await confirm.locator('[data-action="cancel"]').click();
    assert.equal(await mug.locator("[data-perk-plan]").count(), 0);
    assert.equal((await versionsOf()).length, 3, "cancelled: no version");
    await mug.locator('[data-action="perk-retire"]').click();
    await confirm.waitFor();
    await shot(page, "admin-loyalty-perk-retire-light-en");
    await checkAndApply(page, mug, 4);
    await shown(page, '[data-perk="mug"][data-state="soldOut"]', 120_000);
    // Its stock is what was sold: nothing.
    assert.equal(await mug.locator('[data-field="left"]').textContent(), "0 of 0");
    assert.equal(await mug.locator('[data-action="perk-retire"]').count(), 0);
    assert.equal(Number((await perkOnchain(3)).stock), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const rows = await db.db
    .select()
    .from(auditLog)
    .where(and(gt(auditLog.id, start), eq(auditLog.actor, `member:${people.manager!.id}`)))
    .orderBy(asc(auditLog.id));
  // Each change is a rules version (audited as one) with the perk before and after.
  assert.deepEqual(
    rows.map((r) => r.action),
    [
      "campaign.rules_version",
      "perk.created",
      "campaign.rules_version",
      "perk.changed",
      "campaign.rules_version",
      "perk.retired",
    ],
  );
  const perks = rows.filter((r) => r.action.startsWith("perk."));
  assert.deepEqual(
    perks.map((r) => (r.after as { stock: number }).stock),
    [3, 5, 0],
  );
  assert.deepEqual(
    perks.map((r) => (r.before as { stock: number } | null)?.stock ?? null),
    [null, 3, 5],
  );
});

test("coupon codes: a file with bad lines is refused with the lines named; a good one adds its codes, a second skips those already in the pool", async () => {
  const { context, page, errors } = await consoleFor(people.manager!, "en", "light");
  try {
    await openLoyalty(page, "perks");
    const box = page.locator('[data-coupons="sticker-pack"]');
    await box.locator("summary").click();
    const upload = async (name: string, text: string) => {
      await box
        .locator('[data-input="coupon-file"]')
        .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
      await box.locator('[data-action="coupon-upload"]').click();
    };
    const refused = page.waitForResponse((r) => r.url().endsWith("/api/admin/coupons/import"));
    await upload("bad.csv", "code,expiresAt\nGOOD-0001\nx!\nGOOD-0002,soon\n");
    assert.equal((await refused).status(), 400);
    await box.locator("[data-coupons-refused]").waitFor();
    assert.deepEqual(
      await box
        .locator("[data-coupons-refused] [data-line]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-line"))),
      ["3", "4"],
    );
    assert.match(
      (await box.locator("[data-coupons-refused]").textContent()) ?? "",
      /line 4: expiresAt "soon" is not a date/,
    );
    assert.deepEqual(await poolCodes(), [], "nothing added");

    await upload("codes.csv", "STICK-0001\nSTICK-0002,2031-01-01T00:00:00Z\nSTICK-0003\n");
    const result = box.locator("[data-coupons-result]");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-added"), "3");
    assert.equal(await result.textContent(), "3 codes added.");
    await upload("more.csv", "STICK-0003\nSTICK-0004\n");
    await box.locator('[data-coupons-result][data-added="1"]').waitFor();
    assert.equal(await result.getAttribute("data-skipped"), "1");
    assert.equal(await result.textContent(), "1 code added. 1 was in the pool already: skipped.");
    assert.deepEqual(await poolCodes(), ["STICK-0001", "STICK-0002", "STICK-0003", "STICK-0004"]);
    await shot(page, "admin-loyalty-coupons-light-en");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("surveys: a vote and a survey created in the form, results per option and per segment after members answer (only the latest asked for shown), the vote closed after a confirmation", async () => {
  const { context, page, errors } = await consoleFor(people.manager!, "en", "light");
  try {
    await openLoyalty(page, "surveys");
    const panel = page.locator('[data-panel="surveys"]');
    await panel.locator('[data-action="survey-new"]').click();
    // --- a vote: one question, options with budgets, a reward ---
    await page.selectOption('[data-input="survey-kind"]', "vote");
    assert.equal(await page.locator('[data-action="add-question"]').count(), 0, "a vote: one");
    await page.locator('[data-input="survey-title"]').fill("Next month's reward");
    await page.locator('[data-input="q-0-text"]').fill("Which pool grows?");
    await page.locator('[data-input="q-0-opt-0"]').fill("More REF");
    await page.locator('[data-input="q-0-budget-0"]').fill("500");
    await page.locator('[data-input="q-0-opt-1"]').fill("More ACT");
    await page.locator('[data-input="q-0-budget-1"]').fill("300");
    await page.selectOption('[data-input="reward-token"]', "ACT");
    await page.locator('[data-input="reward-amount"]').fill("1");
    await page.locator('[data-action="survey-create"]').click();
    await shown(page, '[data-survey][data-status="open"]');
    seen.vote = Number(await page.locator("[data-survey]").first().getAttribute("data-survey"));
    assert.match(
      (await panel.locator("[data-note]").textContent()) ?? "",
      new RegExp(`/survey send ${seen.vote}$`),
    );
    // --- a survey: a choice and a free-text question (the form stays open, emptied) ---
    assert.equal(await page.locator('[data-input="survey-title"]').inputValue(), "");
    await page.selectOption('[data-input="survey-kind"]', "survey");
    await page.locator('[data-input="survey-title"]').fill("Feedback");
    await page.locator('[data-input="q-0-text"]').fill("Do you like the shop?");
    await page.locator('[data-input="q-0-opt-0"]').fill("Yes");
    await page.locator('[data-input="q-0-opt-1"]').fill("No");
    await page.locator('[data-action="add-question"]').click();
    await page.locator('[data-input="q-1-text"]').fill("What should we add?");
    await page.selectOption('[data-input="q-1-kind"]', "text");
    await page.locator('[data-action="survey-create"]').click();
    await shown(page, "[data-survey]:nth-child(2)");
    seen.feedback = Number(await page.locator("[data-survey]").first().getAttribute("data-survey"));
    assert.notEqual(seen.feedback, seen.vote);
    const stored = await call(
      "GET",
      `/api/admin/surveys?campaign=${slug}`,
      await signIn(people.manager!),
    );
    const vote = stored.body.find((s: { id: number }) => s.id === seen.vote);
    assert.equal(vote.kind, "vote");
    assert.deepEqual(vote.questions[0].options, [
      { text: "More REF", budget: "500" },
      { text: "More ACT", budget: "300" },
    ]);
    assert.equal(vote.reward.token, "ACT");
    assert.equal(vote.reward.amount.tokens, "1");
    const feedback = stored.body.find((s: { id: number }) => s.id === seen.feedback);
    assert.deepEqual(
      feedback.questions.map((q: { kind: string }) => q.kind),
      ["choice", "text"],
    );

    // --- members answer (Ivy was invited: the `referred` segment) ---
    const answer = (
      key: string,
      surveyId: number,
      question: number,
      a: { choices?: number[]; text?: string },
    ) => answerSurvey(stack.domain, { memberId: people[key]!.id, surveyId, question, ...a });
    await answer("ivy", seen.vote, 0, { choices: [0] });
    await answer("pat", seen.vote, 0, { choices: [0] });
    await answer("pat", seen.vote, 0, { choices: [1] }); // changed her mind
    await answer("quinn", seen.vote, 0, { choices: [1] });
    await answer("ivy", seen.feedback, 0, { choices: [0] });
    await answer("ivy", seen.feedback, 1, { text: "Hoodies" });
    await answer("quinn", seen.feedback, 0, { choices: [1] });

    // --- results: only the latest asked for is shown ---
    const voteCard = page.locator(`[data-survey="${seen.vote}"]`);
    const feedbackCard = page.locator(`[data-survey="${seen.feedback}"]`);
    const late = await holdFirstAnswer(page, (u) =>
      u.pathname.endsWith(`/surveys/${seen.feedback}/results`),
    );
    await feedbackCard.locator('[data-action="survey-results"]').click();
    await late.asked;
    await voteCard.locator('[data-action="survey-results"]').click();
    const results = page.locator(`[data-results="${seen.vote}"]`);
    await results.waitFor();
    // The earlier answer comes last (or not at all: the page gave up on it): never shown.
    await late.release();
    assert.equal(await page.locator(`[data-results="${seen.feedback}"]`).count(), 0);
    assert.equal(await results.count(), 1);

    assert.equal(
      await results.locator("[data-results-summary]").textContent(),
      "Sent to 0 · answered by 3",
    );
    const cell = (option: string, seg: string) =>
      results.locator(`[data-option="${option}"] [data-seg="${seg}"]`).getAttribute("data-count");
    assert.deepEqual(
      await Promise.all(
        ["0-0", "0-1"].flatMap((o) =>
          ["all", "referred", "inviters", "wallet"].map((seg) => cell(o, seg)),
        ),
      ),
      // More REF: Ivy (invited); More ACT: Pat (who changed her mind) and Quinn.
      ["1", "1", "0", "0", "2", "0", "0", "0"],
    );
    assert.equal(
      await results.locator('[data-seg-head="referred"]').textContent(),
      "Invited members (1)",
    );
    assert.match((await results.locator('[data-option="0-0"]').textContent()) ?? "", /budget 500/);
    await shot(page, "admin-loyalty-results-light-en");

    await voteCard.locator('[data-action="survey-hide-results"]').click();
    await feedbackCard.locator('[data-action="survey-results"]').click();
    const fb = page.locator(`[data-results="${seen.feedback}"]`);
    await fb.waitFor();
    assert.deepEqual(await fb.locator('[data-texts="1"] li').allTextContents(), ["Hoodies"]);
    assert.equal(
      await fb.locator('[data-option="0-0"] [data-seg="referred"]').getAttribute("data-count"),
      "1",
    );

    // --- close the vote: confirmed (cancelled once first) ---
    await voteCard.locator('[data-action="survey-close"]').click();
    await voteCard.locator("[data-confirm]").waitFor();
    await voteCard.locator('[data-action="cancel"]').click();
    assert.equal(await voteCard.getAttribute("data-status"), "open");
    await voteCard.locator('[data-action="survey-close"]').click();
    assert.match(
      (await voteCard.locator("[data-confirm]").textContent()) ?? "",
      /Close “Next month's reward”\? Members can no longer answer/,
    );
    await voteCard.locator('[data-action="confirm"]').click();
    await shown(page, `[data-survey="${seen.vote}"][data-status="closed"]`);
    assert.equal(await voteCard.locator('[data-action="survey-close"]').count(), 0);
    await assert.rejects(answer("rolf", seen.vote, 0, { choices: [0] }), /survey .* is closed/);
    await shot(page, "admin-loyalty-surveys-light-en");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("challenges: each with its completions (the survey answers and a check-in counted)", async () => {
  await checkIn(stack.domain, { memberId: people.pat!.id, campaign: slug });
  const { context, page, errors } = await consoleFor(people.manager!, "en", "light");
  try {
    await openLoyalty(page, "challenges");
    const row = (id: string) => page.locator(`[data-challenge="${id}"]`);
    await row("answer-survey").waitFor();
    // Ivy, Pat and Quinn answered every question of the vote (Ivy the survey too: once).
    assert.equal(
      await row("answer-survey").locator('[data-field="completions"]').getAttribute("data-count"),
      "3",
    );
    assert.equal(
      await row("daily-checkin").locator('[data-field="completions"]').textContent(),
      "1 check-in",
    );
    assert.equal(
      await row("invite-3").locator('[data-field="completions"]').getAttribute("data-count"),
      "0",
    );
    assert.match((await row("invite-3").textContent()) ?? "", /3 friends qualify/);
    assert.equal(await page.locator("[data-challenge]").count(), 6);
    await shot(page, "admin-loyalty-challenges-light-en");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("an analyst sees the lists and results but no control that writes, and the API refuses each write (audited, nothing else written)", async () => {
  const { context, page, errors } = await consoleFor(people.analyst!, "en", "dark");
  try {
    await openLoyalty(page, "perks");
    await shown(page, '[data-perk="mug"]');
    await shown(page, "[data-read-only]");
    await openLoyalty(page, "surveys");
    await shown(page, `[data-survey="${seen.feedback}"]`);
    await page.locator(`[data-survey="${seen.feedback}"] [data-action="survey-results"]`).click();
    await shown(page, `[data-results="${seen.feedback}"]`);
    await openLoyalty(page, "challenges");
    await shown(page, '[data-challenge="answer-survey"]');
    for (const tab of ["perks", "surveys"] as const) {
      await openLoyalty(page, tab);
      await shown(page, "[data-read-only]");
      for (const action of [
        "perk-new",
        "perk-check",
        "perk-edit",
        "perk-retire",
        "perk-apply",
        "coupon-upload",
        "survey-new",
        "survey-create",
        "survey-close",
      ])
        assert.equal(await page.locator(`[data-action="${action}"]`).count(), 0, action);
      assert.equal(await page.locator('[data-input="coupon-file"]').count(), 0);
    }
    await shot(page, "admin-loyalty-analyst-dark-en");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const anna = await signIn(people.analyst!);
  const start = await lastAuditId();
  const versions = await versionsOf();
  const codes = await poolCodes();
  const surveys = (await call("GET", `/api/admin/surveys?campaign=${slug}`, anna)).body;
  const base = `/api/admin/campaigns/${slug}/perks`;
  const tries: Array<[string, string, unknown]> = [
    [
      "POST",
      base,
      {
        id: "cap",
        title: { en: "Cap", ru: "Кепка" },
        token: "REF",
        price: "3",
        stock: 1,
        dryRun: true,
      },
    ],
    [
      "POST",
      base,
      { id: "cap", title: { en: "Cap", ru: "Кепка" }, token: "REF", price: "3", stock: 1 },
    ],
    ["PATCH", `${base}/sticker-pack`, { price: "1" }],
    ["POST", `${base}/sticker-pack/retire`, {}],
    [
      "POST",
      "/api/admin/coupons/import",
      { campaign: slug, perk: "sticker-pack", csv: "MINE-0001\n" },
    ],
    [
      "POST",
      "/api/admin/surveys",
      { campaign: slug, kind: "survey", title: "Mine", questions: [{ text: "?", kind: "text" }] },
    ],
    ["POST", `/api/admin/surveys/${seen.feedback}/close`, undefined],
  ];
  for (const [method, p, body] of tries) {
    const r = await call(method, p, anna, body);
    assert.equal(r.status, 403, `${method} ${p}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, "forbidden");
  }
  const added = await db.db.select().from(auditLog).where(gt(auditLog.id, start));
  assert.equal(added.length, tries.length, JSON.stringify(added.map((r) => r.action)));
  assert.ok(
    added.every((r) => r.action === "access.denied" && r.actor === `member:${people.analyst!.id}`),
  );
  assert.deepEqual(await versionsOf(), versions);
  assert.deepEqual(await poolCodes(), codes);
  assert.deepEqual((await call("GET", `/api/admin/surveys?campaign=${slug}`, anna)).body, surveys);
});

test("each tab in Russian and dark on a phone: nothing wider than the screen, no serious axe finding", async () => {
  const { context, page, errors } = await consoleFor(people.manager!, "ru", "dark");
  try {
    await openLoyalty(page, "perks");
    await shown(page, '[data-perk="mug"]');
    assert.equal(await page.locator('[data-tab="perks"]').textContent(), "Бонусы");
    assert.equal(
      await page.locator('[data-perk="mug"] [data-field="left"]').textContent(),
      "0 из 0",
    );
    await page.locator('[data-action="perk-new"]').click();
    await shot(page, "admin-loyalty-perks-dark-ru");
    assert.deepEqual(await seriousViolations(page), [], "perks: axe");
    await openLoyalty(page, "surveys");
    await page.locator(`[data-survey="${seen.vote}"] [data-action="survey-results"]`).click();
    await shown(page, `[data-results="${seen.vote}"]`);
    await page.locator('[data-action="survey-new"]').click();
    await shot(page, "admin-loyalty-surveys-dark-ru");
    assert.deepEqual(await seriousViolations(page), [], "surveys: axe");
    await openLoyalty(page, "challenges");
    await shown(page, "[data-challenge]");
    await shot(page, "admin-loyalty-challenges-dark-ru");
    assert.deepEqual(await seriousViolations(page), [], "challenges: axe");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
