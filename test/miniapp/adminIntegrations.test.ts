/**
 * The console's Integrations screen (miniapp/src/admin/Integrations.tsx) against the real
 * stack: the API and the website over PGlite or PostgreSQL with the domain on a test clock, a
 * real local HTTP receiver for webhooks, and the webhook worker's passes run by the test (on
 * the same clock, so retries follow the schedule, not the machine). One stack and one browser
 * for the whole file. Olga owns alpha (a partner campaign) and manages beta; Mona manages
 * alpha; Ralph is a member whose code the host bot's start uses.
 *
 * - In Chromium (English, light): Olga subscribes the receiver (the signing secret shown once),
 *   creates a host API key (shown once, copied, then gone from the page), and the key works on
 *   the host API over HTTP: a start through Ralph's code is attributed, which queues a
 *   `member.joined` event. The receiver refuses the first attempt (500): the log shows it
 *   pending with the response code and the next attempt; after the backoff it is delivered,
 *   signed with the secret shown once (a filter answered after the next filter leaves the
 *   later rows). Replay from the log: the receiver gets the same event
 *   id again, and the log shows the replayed attempt. Revoking the key (confirmed) makes the
 *   host API refuse it; disabling the endpoint (confirmed) takes replay away.
 * - The partner tab issues a partner key (shown once) that opens the partner API, and revokes
 *   it; a campaign without a partner says so and offers nothing.
 * - Roles: Mona (manager) sees no Integrations section and every integration route refuses
 *   her (403, one `access.denied` row each, nothing else written); Olga's picker lists alpha
 *   only (she only manages beta).
 * - Every action is in the audit log, and the console's Audit log screen shows it; each tab in
 *   Russian and dark too, on a phone (nothing wider than the screen, no serious axe finding),
 *   screenshots under test-artifacts/admin/.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { asc } from "drizzle-orm";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { auditLog } from "../../server/db/schema.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { grantRole, systemAdmin } from "../../server/domain/roles.ts";
import { verifyWebhook } from "../../server/webhooks/signature.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { testCampaign } from "../support/campaign.ts";
import { testClock } from "../support/clock.ts";
import { seriousViolations } from "./support/browser.ts";
import {
  consoleFixture,
  holdFirstAnswer,
  noOverflow,
  type OpenOptions,
  openScreen,
  shot as save,
} from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const OWNER = 301;
const MANAGER = 302;
const BACKOFF_SECONDS = 30;

const campaigns = () => [
  testCampaign({
    slug: "alpha",
    onchainId: 600,
    name: { en: "Alpha", ru: "Альфа" },
    partner: { name: "Acme Shop" },
  }),
  testCampaign({ slug: "beta", onchainId: 601, name: { en: "Beta", ru: "Бета" } }),
];

const fixture = consoleFixture();
const { call, signIn } = fixture;
let db: DatabaseHandle;
let s: Stack;
const clock = testClock(new Date());
const people: Record<string, MemberView> = {};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
/** The webhook receiver: records each request, answers the next of `statuses` (then 200). */
const received: Received[] = [];
const statuses: number[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.statusCode = statuses.shift() ?? 200;
    res.end("ok");
  });
});
let receiverUrl: string;

/** What the test learns along the way and later steps use. */
const seen: { hostKey?: string; webhookSecret?: string; endpointId?: number } = {};

before(async () => {
  const listening = new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  await fixture.start({
    stack: async () => {
      await listening;
      return {
        campaigns: campaigns(),
        now: clock.now,
        env: {
          WEBHOOK_BACKOFF_BASE_SECONDS: String(BACKOFF_SECONDS),
          WEBHOOK_ALLOW_HTTP: "true",
          WEBHOOK_ALLOW_LOOPBACK: "true",
        },
      };
    },
  });
  ({ db, stack: s } = fixture);
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/refmint`;
  const add = async (key: string, id: number, name: string) => {
    people[key] = (
      await ensureMember(s.domain, {
        id,
        firstName: name,
        username: `u_${key}`,
        languageCode: "en",
      })
    ).member;
  };
  await add("olga", OWNER, "Olga");
  await add("mona", MANAGER, "Mona");
  await add("ralph", 1, "Ralph");
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const beta = s.domain.campaigns.bySlug("beta")!;
  for (const [campaignId, key, role] of [
    [alpha.id, "olga", "owner"],
    [beta.id, "olga", "manager"],
    [alpha.id, "mona", "manager"],
  ] as const)
    await grantRole(s.domain, systemAdmin(), { campaignId, memberId: people[key]!.id, role });
});

after(async () => {
  await fixture.stop();
  await new Promise<void>((r) => {
    receiver.close(() => r());
    receiver.closeAllConnections();
  });
});

/** One pass of the webhook worker, on the test clock. */
const pass = () =>
  deliverWebhooks({ db: s.domain.db, settings: s.config.webhooks, now: clock.now });

const auditRows = () => db.db.select().from(auditLog).orderBy(asc(auditLog.id));

/** A phone-sized console (UTC, with the clipboard for the copy buttons). */
const CONSOLE: OpenOptions = { timezoneId: "UTC", clipboard: true };
const consoleFor = (m: MemberView, lang: "en" | "ru", theme: "light" | "dark") =>
  fixture.consoleFor(m, lang, theme, CONSOLE);

async function openIntegrations(page: Page, tab: string): Promise<void> {
  if ((await page.locator('main[data-screen="integrations"]').count()) === 0)
    await openScreen(page, "integrations");
  await page.locator(`[data-tab="${tab}"]`).click();
  await page.locator(`[data-panel="${tab}"]`).waitFor();
}

/** A screenshot of a screen that fits the phone. */
async function shot(page: Page, name: string): Promise<void> {
  await noOverflow(page, name);
  await save(page, name);
}

test("an owner subscribes a receiver and creates a host API key (each secret shown once); the key works on the host API, deliveries are logged, retried and replayed; revoking and disabling take effect", async () => {
  const { context, page, errors } = await consoleFor(people.olga!, "en", "light");
  try {
    // Only the campaign she owns: managing beta gives no integration rights there.
    await openIntegrations(page, "keys");
    assert.deepEqual(
      await page
        .locator('[data-input="campaign"] option')
        .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value)),
      ["alpha"],
    );
    assert.deepEqual(
      await page
        .locator("[data-tab]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-tab"))),
      ["keys", "webhooks", "deliveries", "partner"],
    );

    // --- a webhook endpoint: the secret once ---
    await openIntegrations(page, "webhooks");
    await page.locator('[data-input="hook-url"]').fill(receiverUrl);
    assert.equal(
      await page.locator('[data-action="subscribe"]').isDisabled(),
      true,
      "no event yet",
    );
    await page.locator('[data-event="member.joined"]').check();
    await page.locator('[data-event="referral.qualified"]').check();
    await page.locator('[data-input="hook-description"]').fill("CRM sync");
    await page.locator('[data-action="subscribe"]').click();
    const hookSecret = page.locator('[data-secret="webhook"] [data-secret-value]');
    await hookSecret.waitFor();
    const secret = await hookSecret.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    seen.webhookSecret = secret;
    const card = page.locator("[data-endpoint]").first();
    await card.waitFor();
    seen.endpointId = Number(await card.getAttribute("data-endpoint"));
    assert.equal(await card.getAttribute("data-active"), "true");
    assert.match((await card.textContent()) ?? "", /member joined.*referral qualified/);
    await shot(page, "admin-integrations-webhook-secret-light-en");
    await page.locator('[data-secret="webhook"] [data-action="secret-done"]').click();
    assert.equal(await page.locator("[data-secret]").count(), 0);
    assert.ok(!(await page.content()).includes(secret), "the secret is gone from the page");

    // --- a host API key: shown once, copyable ---
    await openIntegrations(page, "keys");
    assert.equal(await page.locator('[data-action="create-key"]').isDisabled(), true);
    await page.locator('[data-input="key-partner"]').fill("Not Valid!");
    await page.locator('[data-input="key-name"]').fill("Shop bot");
    assert.equal(await page.locator('[data-action="create-key"]').isDisabled(), true);
    await page.locator('[data-input="key-partner"]').fill("");
    await page.locator('[data-action="create-key"]').click();
    const keyValue = page.locator('[data-secret="api-key"] [data-secret-value]');
    await keyValue.waitFor();
    const key = await keyValue.inputValue();
    assert.match(key, /^rmk_[A-Za-z0-9_-]{43}$/);
    seen.hostKey = key;
    await page.locator('[data-secret="api-key"] [data-action="copy"]').click();
    await page.locator('[data-secret="api-key"] [role="status"]').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
    const keyCard = page.locator("[data-key]").first();
    assert.equal(await keyCard.locator("[data-prefix]").textContent(), `${key.slice(0, 10)}…`);
    assert.match((await keyCard.textContent()) ?? "", /Shop bot.*Active.*partner: host/);
    await shot(page, "admin-integrations-key-secret-light-en");
    await page.locator('[data-secret="api-key"] [data-action="secret-done"]').click();
    assert.ok(!(await page.content()).includes(key), "the key is gone from the page");
    // Nor does any list carry it.
    const olga = await signIn(people.olga!);
    const listed = await call("GET", "/api/admin/campaigns/alpha/api-keys", { cookie: olga });
    assert.equal(listed.status, 200);
    assert.ok(!JSON.stringify(listed.body).includes(key));

    // --- the key on the host API (real HTTP): the member's status, then a start ---
    const status = await call(
      "POST",
      "/api/host/campaigns/alpha/members",
      { bearer: key },
      {
        user: { id: 7001, firstName: "Hosted" },
      },
    );
    assert.equal(status.status, 200, JSON.stringify(status.body));
    assert.equal(status.body.campaign.slug, "alpha");
    assert.equal(
      (
        await call(
          "POST",
          "/api/host/campaigns/beta/members",
          { bearer: key },
          {
            user: { id: 7001 },
          },
        )
      ).status,
      403,
      "a key opens its campaign only",
    );
    const start = await call(
      "POST",
      "/api/host/campaigns/alpha/starts",
      { bearer: key },
      {
        user: { id: 7002, firstName: "Newbie" },
        payload: people.ralph!.code,
      },
    );
    assert.equal(start.status, 200, JSON.stringify(start.body));
    assert.equal(start.body.outcome, "attributed");
    const eventId = `member.joined:${start.body.referralId}`;

    // --- the delivery: refused once, retried after the backoff, signed ---
    statuses.push(500);
    assert.deepEqual(await pass(), { delivered: 0, retrying: 1, failed: 0 });
    await openIntegrations(page, "deliveries");
    const delivery = page.locator(`[data-delivery]`).first();
    await delivery.waitFor();
    assert.equal(await delivery.getAttribute("data-status"), "pending");
    assert.equal(await delivery.locator('[data-field="response"]').textContent(), "500");
    assert.equal(await delivery.locator("[data-event-id]").textContent(), eventId);
    await delivery.locator('[data-field="next"]').waitFor();
    await shot(page, "admin-integrations-retrying-light-en");

    clock.advance(BACKOFF_SECONDS * 1000);
    assert.deepEqual(await pass(), { delivered: 1, retrying: 0, failed: 0 });
    assert.equal(received.length, 2);
    const first = received[1]!;
    assert.equal(first.headers["x-refmint-event-id"], eventId);
    const check = (r: Received) =>
      verifyWebhook(
        secret,
        {
          timestamp: r.headers["x-refmint-timestamp"] as string,
          signature: r.headers["x-refmint-signature"] as string,
        },
        r.body,
        Math.floor(clock.now().getTime() / 1000),
      );
    assert.ok(check(first), "signed with the secret shown once");
    assert.equal(JSON.parse(first.body).data.referrerId, people.ralph!.id);

    // Filters: delivered shows it, failed shows nothing.
    await page.selectOption('[data-input="log-status"]', "failed");
    await page.locator('[data-action="filter-log"]').click();
    await page.locator('[data-panel="deliveries"]').getByText("No deliveries match.").waitFor();
    // The latest filter wins: "failed" asked again, answered only after the "delivered" filter
    // submitted next, leaves the delivered row.
    const failedAgain = await holdFirstAnswer(
      page,
      (u) =>
        u.pathname.endsWith("/webhooks/deliveries") && u.searchParams.get("status") === "failed",
    );
    await page.locator('[data-action="filter-log"]').click();
    await failedAgain.asked;
    await page.selectOption('[data-input="log-status"]', "delivered");
    await page.locator('[data-input="log-event"]').fill(eventId);
    await page.locator('[data-action="filter-log"]').click();
    await page.locator('[data-delivery][data-status="delivered"][data-attempts="2"]').waitFor();
    await failedAgain.release();
    assert.equal(await page.locator('[data-delivery][data-status="delivered"]').count(), 1);
    assert.equal(
      await page.locator('[data-panel="deliveries"]').getByText("No deliveries match.").count(),
      0,
    );
    assert.equal(
      await page.locator('[data-delivery] [data-field="response"]').textContent(),
      "200",
    );

    // --- replay: the same event again, a new round ---
    await page.selectOption('[data-input="log-status"]', "");
    await page.locator('[data-delivery] [data-action="replay"]').click();
    await page.locator("[data-replayed]").waitFor();
    await page.locator('[data-delivery][data-status="pending"]').waitFor();
    assert.deepEqual(await pass(), { delivered: 1, retrying: 0, failed: 0 });
    assert.equal(received.length, 3);
    const again = received[2]!;
    assert.equal(again.headers["x-refmint-event-id"], eventId);
    assert.equal(again.body, first.body, "the same bytes");
    assert.ok(check(again));
    await page.locator('[data-action="refresh-log"]').click();
    await page.locator('[data-delivery][data-status="delivered"][data-attempts="3"]').waitFor();
    await page.locator("[data-delivery] summary").click();
    assert.deepEqual(
      await page
        .locator("[data-delivery] [data-attempt]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-replay"))),
      ["false", "false", "true"],
    );
    await shot(page, "admin-integrations-deliveries-light-en");

    // --- revoke the key (confirmed): the host API refuses it at once ---
    await openIntegrations(page, "keys");
    await page.locator('[data-key] [data-action="revoke-key"]').click();
    await page.locator("[data-key] [data-confirm]").waitFor();
    await page.locator('[data-key] [data-action="cancel"]').click();
    assert.equal(await page.locator("[data-key]").first().getAttribute("data-revoked"), "false");
    assert.equal(
      (await call("GET", "/api/host/campaigns/alpha/members/7001", { bearer: key })).status,
      200,
      "cancelling revoked nothing",
    );
    await page.locator('[data-key] [data-action="revoke-key"]').click();
    await page.locator('[data-key] [data-action="confirm"]').click();
    await page.locator('[data-key][data-revoked="true"]').waitFor();
    assert.equal(await page.locator('[data-key] [data-action="revoke-key"]').count(), 0);
    const refused = await call("GET", "/api/host/campaigns/alpha/members/7001", { bearer: key });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, "api_key_invalid");
    await shot(page, "admin-integrations-keys-light-en");

    // --- disable the endpoint (confirmed): no more replays of its deliveries ---
    await openIntegrations(page, "webhooks");
    await page.locator('[data-endpoint] [data-action="disable-hook"]').click();
    await page.locator('[data-endpoint] [data-action="confirm"]').click();
    await page.locator('[data-endpoint][data-active="false"]').waitFor();
    await page.locator('[data-endpoint] [data-action="deliveries"]').click();
    await page.locator('[data-panel="deliveries"] [data-delivery] [data-inactive]').waitFor();
    assert.equal(
      await page.locator('[data-input="log-endpoint"]').inputValue(),
      String(seen.endpointId),
    );
    assert.equal(await page.locator('[data-action="replay"]').count(), 0);
    const replayDisabled = await call(
      "POST",
      `/api/admin/campaigns/alpha/webhooks/deliveries/${await page
        .locator("[data-delivery]")
        .getAttribute("data-delivery")}/replay`,
      { cookie: olga },
    );
    assert.equal(replayDisabled.status, 404);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the partner tab issues a partner key once (it opens the partner API) and revokes it; a campaign without a partner offers nothing", async () => {
  const { context, page, errors } = await consoleFor(people.olga!, "en", "light");
  try {
    await openIntegrations(page, "partner");
    assert.equal(await page.locator("[data-partner-name]").textContent(), "Acme Shop");
    await page.locator('[data-action="issue-partner-key"]').click();
    const value = page.locator('[data-secret="partner-key"] [data-secret-value]');
    await value.waitFor();
    const key = await value.inputValue();
    const opened = await call("GET", "/api/partner/campaign", { bearer: key });
    assert.equal(opened.status, 200);
    assert.equal(opened.body.campaign, "alpha");
    assert.equal(opened.body.partner.name, "Acme Shop");
    await shot(page, "admin-integrations-partner-light-en");
    await page.locator('[data-secret="partner-key"] [data-action="secret-done"]').click();
    await page.locator('[data-partner-key] [data-action="revoke-partner-key"]').click();
    await page.locator('[data-partner-key] [data-action="confirm"]').click();
    await page.locator('[data-partner-key][data-revoked="true"]').waitFor();
    const refused = await call("GET", "/api/partner/campaign", { bearer: key });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, "partner_key_invalid");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  // Beta names no partner: the API says so, and nothing can be issued.
  const olga = await signIn(people.olga!);
  await grantRole(s.domain, systemAdmin(), {
    campaignId: s.domain.campaigns.bySlug("beta")!.id,
    memberId: people.olga!.id,
    role: "owner",
  });
  const none = await call("GET", "/api/admin/campaigns/beta/partner/keys", { cookie: olga });
  assert.equal(none.status, 200);
  assert.deepEqual(none.body, { partner: null, items: [] });
  const ru = await consoleFor(people.olga!, "ru", "dark");
  try {
    await openIntegrations(ru.page, "keys");
    await ru.page.selectOption('[data-input="campaign"]', "beta");
    await openIntegrations(ru.page, "partner");
    await ru.page.locator('[data-partner="none"]').waitFor();
    assert.equal(await ru.page.locator('[data-action="issue-partner-key"]').count(), 0);
    await shot(ru.page, "admin-integrations-no-partner-dark-ru");
    assert.deepEqual(ru.errors, []);
  } finally {
    await ru.context.close();
  }
});

test("a manager sees no integrations and the API refuses every integration call (audited, nothing else written)", async () => {
  const { context, page, errors } = await consoleFor(people.mona!, "en", "dark");
  try {
    const nav = await page
      .locator("nav [data-nav]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-nav")));
    assert.ok(!nav.includes("integrations"), nav.join(","));
    await page.goto(`${s.url}/admin/integrations`);
    await page.locator('main[data-screen="overview"]').waitFor();
    for (const action of [
      "create-key",
      "revoke-key",
      "subscribe",
      "disable-hook",
      "replay",
      "issue-partner-key",
    ])
      assert.equal(await page.locator(`[data-action="${action}"]`).count(), 0, action);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const mona = await signIn(people.mona!);
  const before = await auditRows();
  const base = "/api/admin/campaigns/alpha";
  const tries: Array<[string, string, unknown?]> = [
    ["GET", `${base}/api-keys`],
    ["POST", `${base}/api-keys`, { name: "mine" }],
    ["DELETE", `${base}/api-keys/1`],
    ["GET", `${base}/webhooks`],
    ["POST", `${base}/webhooks`, { url: receiverUrl, events: ["member.joined"] }],
    ["DELETE", `${base}/webhooks/${seen.endpointId}`],
    ["GET", `${base}/webhooks/deliveries`],
    ["POST", `${base}/webhooks/deliveries/1/replay`],
    ["GET", `${base}/partner/keys`],
    ["POST", `${base}/partner/keys`],
    ["DELETE", `${base}/partner/keys/1`],
  ];
  for (const [method, p, body] of tries) {
    const r = await call(method, p, { cookie: mona }, body);
    assert.equal(r.status, 403, `${method} ${p}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, "forbidden");
  }
  const added = (await auditRows()).slice(before.length);
  assert.equal(added.length, tries.length);
  assert.ok(
    added.every((r) => r.action === "access.denied" && r.actor === `member:${people.mona!.id}`),
    JSON.stringify(added),
  );
  assert.deepEqual(
    [...new Set(added.map((r) => (r.details as { attempted: string }).attempted))].sort(),
    ["apikey.manage", "partner.manage", "webhook.manage"],
  );
});

test("every integration action is in the audit log and on the console's Audit log screen; each tab in Russian and dark", async () => {
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const olgaActor = `member:${people.olga!.id}`;
  const mine = (await auditRows()).filter(
    (r) => r.actor === olgaActor && r.campaignId === alpha.id,
  );
  const actions = mine.map((r) => r.action);
  for (const a of [
    "webhook.subscribed",
    "api_key.created",
    "webhook.replayed",
    "api_key.revoked",
    "webhook.disabled",
    "partner.key_issued",
    "partner.key_revoked",
  ])
    assert.ok(actions.includes(a), `${a} in ${actions.join(",")}`);
  // No secret in any audit row.
  const text = JSON.stringify(mine);
  for (const secret of [seen.hostKey, seen.webhookSecret])
    assert.ok(secret && !text.includes(secret));
  const subscribed = mine.find((r) => r.action === "webhook.subscribed")!;
  assert.deepEqual(subscribed.after, {
    url: receiverUrl,
    events: ["member.joined", "referral.qualified"],
    partner: null,
  });

  // A live key and endpoint, so the tabs show their Revoke and Disable buttons too.
  const olga = await signIn(people.olga!);
  const base = "/api/admin/campaigns/alpha";
  assert.equal(
    (await call("POST", `${base}/api-keys`, { cookie: olga }, { name: "Бот магазина" })).status,
    201,
  );
  const hook = { url: `${receiverUrl}/v2`, events: ["reward.paid"], description: "CRM" };
  assert.equal((await call("POST", `${base}/webhooks`, { cookie: olga }, hook)).status, 201);
  const { context, page, errors } = await consoleFor(people.olga!, "ru", "dark");
  try {
    for (const tab of ["keys", "webhooks", "deliveries", "partner"]) {
      await openIntegrations(page, tab);
      await page.locator(`[data-panel="${tab}"] li.admin-card`).first().waitFor();
      await shot(page, `admin-integrations-${tab}-dark-ru`);
      assert.deepEqual(await seriousViolations(page), [], `${tab}: axe`);
    }
    assert.equal(await page.locator('[data-tab="keys"]').textContent(), "API-ключи");
    await page.locator('nav [data-nav="audit"]').click();
    await page.locator('main[data-screen="audit"]').waitFor();
    await page.selectOption('[data-input="campaign"]', "alpha");
    await page.locator('[data-input="actor"]').fill(olgaActor);
    await page.locator('[data-action="filter"]').click();
    for (const a of [
      "api_key.created",
      "api_key.revoked",
      "webhook.replayed",
      "partner.key_issued",
    ])
      await page.locator(`[data-audit="${a}"]`).first().waitFor();
    await shot(page, "admin-integrations-audit-dark-ru");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
