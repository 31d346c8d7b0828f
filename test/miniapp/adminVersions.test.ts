/**
 * A deployed campaign's new rules version from the admin console (issue 13 "versions", issue
 * 15 "Campaigns"), against one real stack for the whole file: the HTTP service with the web and
 * chain components (its indexer records versions taking effect) over a test database, a Hardhat
 * node with the campaign deployed, and one Chromium.
 *
 * - Over HTTP: an analyst may neither dry-run nor apply (403, `access.denied` rows, nothing
 *   written); bad rules are refused at their fields, a change only a redeploy could make is
 *   shown as such in the dry run and refused by the apply, each writing no version.
 * - In Chromium (English, light): a manager edits the rules in effect (level 1 pays 15, a bigger
 *   REF budget), dry-runs them (the changes in words, `setBudget` and `updateRules` with their
 *   gas, the cost in ETH and dollars), applies them: the job sends both transactions from the
 *   campaign admin's key, the version takes effect on-chain (`currentRules()` has its hash), is
 *   audited in the manager's name, and the versions list shows it with its transaction.
 * - In Chromium (Russian, dark): the versions list words the changes in Russian.
 * Screenshots in test-artifacts/admin/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { and, asc, eq, gt } from "drizzle-orm";
import { chainComponent } from "../../app/components.ts";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { campaignVersions } from "../../server/db/schema/versions.ts";
import { auditLog } from "../../server/db/schema.ts";
import { parseCampaignDefinition, rulesDocument } from "../../server/domain/campaign.ts";
import type { MemberView } from "../../server/domain/members.ts";
import { documentHash } from "../../server/domain/versions.ts";
import { webComponent } from "../../server/web/component.ts";
import { ADMIN_KEY } from "../support/chain.ts";
import type { TestChain } from "./support/chain.ts";
import { consoleFixture, noOverflow, seedPeople, shot, shown } from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const SUPER = 900_000_301;
const MANAGER = 311;
const ANALYST = 312;
const EXPLORER = "https://explorer.refmint.test";

const fixture = consoleFixture();
const { call, signIn, consoleFor } = fixture;
let db: DatabaseHandle;
let chain: TestChain;
let stack: Stack;
let slug: string;
const people: Record<string, MemberView> = {};

before(async () => {
  await fixture.start({
    superAdmins: [SUPER],
    chain: true,
    stack: (c) => ({
      components: [webComponent, chainComponent],
      env: {
        RPC_URL: c!.rpcUrl,
        EXPLORER_URL: EXPLORER,
        NATIVE_USD_PRICE: "3000",
        // The deployment names Hardhat's account #0 its admin: the service sends as it.
        CAMPAIGN_ADMIN_PRIVATE_KEY: ADMIN_KEY,
        // The indexer only: it records the version taking effect.
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
      ["root", SUPER, "Root"],
      ["manager", MANAGER, "Mona"],
      ["analyst", ANALYST, "Anna"],
    ],
    slug,
    [
      ["manager", "manager"],
      ["analyst", "analyst"],
    ],
  );
});

after(() => fixture.stop());

const versionsOf = async () => {
  const id = stack.domain.campaigns.bySlug(slug)!.id;
  return db.db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, id))
    .orderBy(asc(campaignVersions.version));
};
const lastAuditId = async () =>
  (await db.db.select({ id: auditLog.id }).from(auditLog)).reduce((m, r) => Math.max(m, r.id), 0);

/** The rules in effect with level 1 paying 15 and REF's budget at 1,200,000. */
const edited = () => {
  const d = structuredClone(chain.campaign) as unknown as Record<string, unknown> & {
    levels: Array<Record<string, unknown>>;
    tokens: Array<Record<string, unknown>>;
  };
  d.levels[0] = { ...d.levels[0], amount: "15" };
  d.tokens = d.tokens.map((t) => (t.symbol === "REF" ? { ...t, budget: "1200000" } : t));
  return d;
};

test("API: an analyst may not dry-run or apply; bad rules and redeploy-only changes are refused, writing no version", async () => {
  const anna = await signIn(people.analyst!);
  const mona = await signIn(people.manager!);
  const before = await versionsOf();
  const start = await lastAuditId();
  for (const p of [`/versions/dry-run`, `/versions`]) {
    const refused = await call("POST", `/api/admin/console/campaigns/${slug}${p}`, anna, {
      document: edited(),
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.code, "forbidden");
  }
  // Bad rules: each problem at its field; the slug names the deployed campaign.
  const bad = { ...edited(), slug: "another" } as Record<string, unknown>;
  (bad.tokens as Array<Record<string, unknown>>)[0]!.budget = "lots";
  const invalid = await call("POST", `/api/admin/console/campaigns/${slug}/versions`, mona, {
    document: bad,
  });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.body.code, "rules_invalid");
  const paths = invalid.body.errors.map((e: { path: string }) => e.path);
  assert.ok(paths.includes("tokens[0].budget"), JSON.stringify(invalid.body));
  assert.ok(paths.includes("slug"), JSON.stringify(invalid.body));
  // A new token only a redeploy could add: the dry run says so, the apply refuses it.
  const token = { ...edited() };
  token.tokens = [...token.tokens, { ...token.tokens[0]!, symbol: "NEW", name: "New" }];
  const dry = await call("POST", `/api/admin/console/campaigns/${slug}/versions/dry-run`, mona, {
    document: token,
  });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.ok(
    dry.body.refusals.some((r: string) => /NEW was added; tokens need a redeploy/.test(r)),
    JSON.stringify(dry.body.refusals),
  );
  assert.equal(dry.body.cost, null, "nothing to price");
  const applied = await call("POST", `/api/admin/console/campaigns/${slug}/versions`, mona, {
    document: token,
  });
  assert.equal(applied.status, 422);
  assert.equal(applied.body.code, "rules_invalid");
  assert.deepEqual(await versionsOf(), before, "no version written");
  const rows = await db.db.select().from(auditLog).where(gt(auditLog.id, start));
  assert.deepEqual(
    rows.map((r) => [r.actor, r.action]),
    [
      [`member:${people.analyst!.id}`, "access.denied"],
      [`member:${people.analyst!.id}`, "access.denied"],
      [`member:${people.manager!.id}`, "campaign.rules_version_dry_run"],
    ],
  );
});

test("Chromium: a manager edits the rules, dry-runs them with gas and cost, applies them, and the version takes effect on-chain", async () => {
  const start = await lastAuditId();
  const { context, page, errors } = await consoleFor(people.manager!, "en", "light");
  try {
    await page.locator('nav [data-nav="campaigns"]').click();
    const card = page.locator(`[data-campaign="${slug}"]`);
    await shown(page, `[data-campaign="${slug}"] [data-action="new-version"]`);
    await card.locator('[data-action="new-version"]').click();
    await shown(page, `[data-rules-editor="${slug}"]`);
    const editor = page.locator('[data-field="rules-json"]');
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-field="rules-json"]') as HTMLTextAreaElement | null)?.value
          .length,
    );
    const inEffect = JSON.parse(await editor.inputValue()) as {
      levels: Array<{ amount?: string }>;
    };
    assert.equal(inEffect.levels[0]?.amount, "10");
    await editor.fill(JSON.stringify(edited(), null, 2));
    assert.ok(await page.locator('[data-action="version-apply"]').isDisabled(), "dry run first");

    // The dry run: the changes in words, the two transactions with gas, the cost.
    await page.locator('[data-action="version-dry-run"]').click();
    await shown(page, '[data-version-plan="2"]');
    assert.deepEqual(await page.locator("[data-version-change]").allTextContents(), [
      "Level 1 reward: 10 REF → 15 REF",
      "Campaign budget in REF: 1,000,000 REF → 1,200,000 REF",
    ]);
    const actions = await page
      .locator("[data-version-action]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-version-action")));
    assert.deepEqual(actions, ["budget:REF", "rules"]);
    for (const key of actions) {
      const gas = await page
        .locator(`[data-version-action="${key}"] [data-gas]`)
        .getAttribute("data-gas");
      assert.ok(Number(gas) > 21_000, `${key}: ${gas} gas`);
    }
    assert.match(
      (await page.locator('[data-fact="version-cost"]').textContent()) ?? "",
      /^\d+(\.\d+)? ETH$/,
    );
    assert.match(
      (await page.locator('[data-fact="version-usd"]').textContent()) ?? "",
      /^\$\d+\.\d\d$/,
    );
    assert.equal(
      await page.locator("[data-version-admin]").getAttribute("data-version-admin"),
      "key",
    );
    assert.equal((await versionsOf()).length, 1, "the dry run wrote no version");
    await noOverflow(page, "the dry run");
    await shot(page, "campaigns-version-dry-run-light-en");

    // Applied: both transactions, the version published and in effect.
    await page.locator('[data-action="version-apply"]').click();
    await page.locator('[data-action="version-apply-confirm"]').click();
    await shown(page, '[data-version-result="ok"]', 120_000);
    const tx = await page.locator("[data-version-tx]").getAttribute("data-version-tx");
    assert.match(tx ?? "", /^0x[0-9a-f]{64}$/);
    assert.equal(
      await page.locator("a[data-version-tx]").getAttribute("href"),
      `${EXPLORER}/tx/${tx}`,
    );
    assert.equal(await page.locator('[data-version-step][data-step-status="done"]').count(), 2);
    await page.locator("[data-job-log] summary").click();
    assert.match(
      (await page.locator("[data-job-log] pre").textContent()) ?? "",
      /rules version 2 took effect at block \d+/,
    );
    await noOverflow(page, "the applied version");
    await shot(page, "campaigns-version-applied-light-en");

    // The versions list: version 2 with its lines and its transaction.
    await shown(page, `[data-versions="${slug}"] [data-version="2"]`);
    assert.deepEqual(
      await page
        .locator(`[data-versions="${slug}"] [data-version="2"] [data-change]`)
        .allTextContents(),
      ["Level 1 reward: 10 REF → 15 REF", "Campaign budget in REF: 1,000,000 REF → 1,200,000 REF"],
    );
    assert.equal(
      await page
        .locator(`[data-versions="${slug}"] [data-version="2"] [data-version-onchain]`)
        .getAttribute("data-version-onchain"),
      tx,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // On-chain: the contract has version 2 with the document's hash; in the database it is in
  // effect with that transaction; the service runs it.
  const expected = documentHash(rulesDocument(parseCampaignDefinition(edited(), "version 2")));
  const [onchainVersion, onchainHash] = await chain.client.readContract({
    address: chain.deployment.referralPayouts,
    abi: referralPayoutsAbi,
    functionName: "currentRules",
  });
  assert.equal(Number(onchainVersion), 2);
  assert.equal(onchainHash, expected);
  const v2 = (await versionsOf()).find((v) => v.version === 2)!;
  assert.equal(v2.status, "effective");
  assert.equal(v2.hash, expected);
  assert.ok(v2.txHash);
  assert.deepEqual(
    v2.actions.map((a) => [a.key, a.status]),
    [
      ["budget:REF", "done"],
      ["rules", "done"],
    ],
  );
  assert.equal(stack.domain.campaigns.bySlug(slug)?.version, 2);
  // Audited in the manager's name: the dry run, then the version.
  const rows = await db.db
    .select()
    .from(auditLog)
    .where(and(gt(auditLog.id, start), eq(auditLog.actor, `member:${people.manager!.id}`)))
    .orderBy(asc(auditLog.id));
  assert.deepEqual(
    rows.map((r) => r.action),
    ["campaign.rules_version_dry_run", "campaign.rules_version"],
  );
  assert.equal((rows[1]!.details as { version: number }).version, 2);
});

test("Chromium, Russian and dark: the versions list words each change in Russian", async () => {
  const { context, page, errors } = await consoleFor(people.root!, "ru", "dark");
  try {
    await page.locator('nav [data-nav="campaigns"]').click();
    const card = page.locator(`[data-campaign="${slug}"]`);
    await shown(page, `[data-campaign="${slug}"] [data-action="versions"]`);
    await card.locator('[data-action="versions"]').click();
    await shown(page, `[data-versions="${slug}"] [data-version="2"] [data-change]`);
    assert.deepEqual(
      await page
        .locator(`[data-versions="${slug}"] [data-version="2"] [data-change]`)
        .allTextContents(),
      [
        "Награда за уровень 1: 10 REF → 15 REF",
        "Бюджет кампании в REF: 1\u00a0000\u00a0000 REF → 1\u00a0200\u00a0000 REF",
      ],
    );
    await card.locator('[data-action="new-version"]').click();
    await shown(page, `[data-rules-editor="${slug}"]`);
    assert.match(
      (await page.locator('[data-action="version-dry-run"]').textContent()) ?? "",
      /Пробный запуск/,
    );
    await noOverflow(page, "the versions in Russian");
    await shot(page, "campaigns-versions-dark-ru");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
