/**
 * The console's broadcast composer (miniapp/src/admin/Broadcast.tsx) against the real stack:
 * the API, the website and the bot component (polling, its broadcaster and throttled bulk
 * sender) talking to the fake Bot API, over PGlite or PostgreSQL, with the domain on a test
 * clock. Alpha has a referrer (Ralph, three qualified invitations: tier "pro") and four invited
 * members (English and Russian, three with a wallet, one who blocked the bot, one not seen for
 * a month); beta has one more. A manager and an analyst of alpha, and a super-admin.
 *
 * - Over HTTP: the live count of each segment equals the members it should reach; the
 *   analyst and the reviewer-less roles are refused (403, an `access.denied` row, nothing
 *   stored); bad HTML, a past time or no text are 422 and store nothing.
 * - In Chromium: the manager narrows the audience and watches the count follow (a count
 *   answered after the next one leaves the later count), writes both
 *   languages and sees each preview, sends, and reads the results (sent, and the blocked
 *   member under its reason); every member got their language's text; audited with the
 *   audience and the texts.
 * - A scheduled broadcast (the super-admin, in Russian, dark): stored, not due before its
 *   time; the service restarts; once the test clock passes the time the new bot sends it to
 *   exactly its segment.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { asc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import type { BotComponent } from "../../bot/component.ts";
import { botComponent } from "../../bot/component.ts";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { botBroadcasts } from "../../server/db/schema/bot.ts";
import { auditLog, members } from "../../server/db/schema.ts";
import { attribute } from "../../server/domain/attribution.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { grantRole, systemAdmin } from "../../server/domain/roles.ts";
import { webComponent } from "../../server/web/component.ts";
import { FakeTelegram } from "../bot/support/fakeTelegram.ts";
import { testCampaign } from "../support/campaign.ts";
import { HOUR, testClock } from "../support/clock.ts";
import { linkTestWallet, testAccount } from "../support/siwe.ts";
import { TEST_BOT_TOKEN } from "../support/telegram.ts";
import { consoleFixture, holdFirstAnswer, type OpenOptions, shot } from "./support/console.ts";
import type { Stack } from "./support/stack.ts";

const SUPER = 900_000_201;
const MANAGER = 202;
const ANALYST = 204;

const campaigns = () =>
  ["alpha", "beta"].map((slug, i) =>
    testCampaign({
      slug,
      onchainId: 500 + i,
      name: { en: slug === "alpha" ? "Alpha" : "Beta", ru: slug === "alpha" ? "Альфа" : "Бета" },
    }),
  );

const fixture = consoleFixture();
const { call, signIn } = fixture;
let db: DatabaseHandle;
let fake: FakeTelegram;
let s: Stack;
const clock = testClock(new Date());
const people: Record<string, MemberView> = {};

before(async () => {
  // Telegram's side, started beside the console's parts.
  const telegram = FakeTelegram.start({ token: TEST_BOT_TOKEN }).then((f) => {
    fake = f;
  });
  await fixture.start({
    superAdmins: [SUPER],
    stack: async () => {
      await telegram;
      return {
        campaigns: campaigns(),
        now: clock.now,
        components: [webComponent, botComponent],
        env: { TELEGRAM_API_ROOT: fake.apiRoot, BOT_MODE: "polling", BOT_QUEUE_POLL_MS: "50" },
      };
    },
  });
  ({ db, stack: s } = fixture);
  const add = async (key: string, id: number, name: string, lang: "en" | "ru") => {
    people[key] = (
      await ensureMember(s.domain, {
        id,
        firstName: name,
        username: `u_${key}`,
        languageCode: lang,
      })
    ).member;
  };
  await add("root", SUPER, "Root", "en");
  await add("mona", MANAGER, "Mona", "en");
  await add("anna", ANALYST, "Anna", "en");
  await add("ralph", 1, "Ralph", "en");
  await add("a1", 11, "Alice", "en");
  await add("a2", 12, "Борис", "ru");
  await add("a3", 13, "Вера", "ru");
  await add("a4", 14, "Dan", "en");
  await add("b1", 21, "Bea", "en");
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  await grantRole(s.domain, systemAdmin(), {
    campaignId: alpha.id,
    memberId: people.mona!.id,
    role: "manager",
  });
  await grantRole(s.domain, systemAdmin(), {
    campaignId: alpha.id,
    memberId: people.anna!.id,
    role: "analyst",
  });
  for (const k of ["a1", "a2", "a3", "a4"])
    await attribute(s.domain, {
      refereeId: people[k]!.id,
      code: people.ralph!.code,
      source: "start",
      campaign: "alpha",
    });
  await attribute(s.domain, {
    refereeId: people.b1!.id,
    code: people.a1!.code,
    source: "start",
    campaign: "beta",
  });
  // Three link a wallet (which qualifies them): Ralph reaches tier "pro" in alpha.
  for (const k of ["a1", "a2", "a3"])
    await linkTestWallet(s.domain, people[k]!.id, testAccount(`broadcast-${k}`));
  // Vera was last seen a month ago; Dan blocked the bot.
  await db.db
    .update(members)
    .set({ lastSeenAt: new Date(clock.now().getTime() - 30 * 24 * HOUR) })
    .where(eq(members.id, people.a3!.id));
  fake.block(people.a4!.telegramId);
});

after(async () => {
  await fixture.stop();
  await fake?.close();
});

const broadcasts = () => db.db.select().from(botBroadcasts).orderBy(asc(botBroadcasts.id));
const auditRows = () => db.db.select().from(auditLog).orderBy(asc(auditLog.id));

test("the audience count follows the segment; roles are refused and bad input is 422, each storing nothing", async () => {
  const mona = await signIn(people.mona!);
  const count = async (q: string, cookie = mona) => {
    const r = await call("GET", `/api/admin/broadcasts/audience?${q}`, cookie);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    return r.body.count as number;
  };
  // Alpha: Ralph, Alice, Boris, Vera, Dan.
  const all = await call("GET", "/api/admin/broadcasts/audience?campaign=alpha", mona);
  assert.equal(all.body.count, 5);
  assert.deepEqual(
    all.body.tiers.map((t: { id: string }) => t.id),
    ["base", "pro"],
  );
  assert.equal(await count("campaign=alpha&language=en"), 3);
  assert.equal(await count("campaign=alpha&language=ru"), 2);
  assert.equal(await count("campaign=alpha&wallet=yes"), 3);
  assert.equal(await count("campaign=alpha&wallet=no"), 2);
  assert.equal(await count("campaign=alpha&tier=pro"), 1);
  assert.equal(await count("campaign=alpha&tier=base"), 4);
  assert.equal(await count("campaign=alpha&activeDays=7"), 4);
  assert.equal(await count("campaign=alpha&language=ru&activeDays=7&wallet=yes"), 1);
  // Every member is the super-admin's to reach, not the manager's.
  const root = await signIn(people.root!);
  const everyone = (await db.db.select().from(members)).length;
  assert.equal(await count("", root), everyone);

  const before = await auditRows();
  const refused = [
    [mona, "GET", "/api/admin/broadcasts/audience"],
    [mona, "GET", "/api/admin/broadcasts/audience?campaign=beta"],
  ] as const;
  for (const [cookie, method, p] of refused) {
    const r = await call(method, p, cookie);
    assert.equal(r.status, 403, p);
    assert.equal(r.body.code, "forbidden");
  }
  assert.equal(
    (await call("GET", "/api/admin/broadcasts/audience?campaign=alpha&tier=gold", mona)).status,
    422,
  );
  assert.equal(
    (await call("GET", "/api/admin/broadcasts/audience?campaign=nope", mona)).status,
    404,
  );
  assert.equal(
    (await call("GET", "/api/admin/broadcasts/audience?campaign=alpha&activeDays=x", mona)).status,
    400,
  );

  const anna = await signIn(people.anna!);
  const compose = (cookie: string, body: Record<string, unknown>) =>
    call("POST", "/api/admin/broadcasts", cookie, {
      audience: { campaign: "alpha" },
      texts: { en: "Hello", ru: "Привет" },
      ...body,
    });
  const annaPost = await compose(anna, {});
  assert.equal(annaPost.status, 403);
  assert.equal(
    (await call("GET", "/api/admin/broadcasts/audience?campaign=alpha", anna)).status,
    403,
  );
  assert.equal((await call("GET", "/api/admin/broadcasts", anna)).status, 403);
  assert.equal((await compose(mona, { audience: { campaign: null } })).status, 403);
  assert.equal((await compose(mona, { audience: { campaign: "beta" } })).status, 403);
  for (const [body, problem] of [
    [{ texts: { en: "<b>unclosed" } }, "<b> is not closed"],
    [{ texts: { en: "a < b" } }, "a < that starts no tag"],
    [{ texts: { en: " ", ru: "" } }, "no text"],
    [{ scheduledAt: new Date(clock.now().getTime() - 60_000).toISOString() }, "passed"],
    [{ scheduledAt: new Date(clock.now().getTime() + 40 * 24 * HOUR).toISOString() }, "30 days"],
  ] as const) {
    const r = await compose(mona, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.code, "broadcast_invalid");
    assert.ok(String(r.body.detail).includes(problem), r.body.detail);
  }
  assert.equal((await compose(mona, { texts: { en: 5 } })).status, 400);
  assert.deepEqual(await broadcasts(), [], "nothing stored");
  const added = (await auditRows()).slice(before.length);
  assert.ok(
    added.every((r) => r.action === "access.denied"),
    JSON.stringify(added),
  );
  const denied = added.map((r) => `${r.actor} ${(r.details as { attempted: string }).attempted}`);
  assert.ok(denied.includes(`member:${people.anna!.id} broadcast.send`));
  assert.ok(denied.includes(`member:${people.mona!.id} broadcast.send`));
});

/** The composer: a phone-sized console on the Broadcast screen, in UTC. */
const COMPOSER: OpenOptions = { timezoneId: "UTC", screen: "broadcast" };
const consoleFor = (m: MemberView, lang: "en" | "ru", theme: "light" | "dark") =>
  fixture.consoleFor(m, lang, theme, COMPOSER);

const countShown = (page: Page, n: number) =>
  page.locator(`[data-count="${n}"]`).waitFor({ timeout: 30_000 });

test("composer: segment → live count → preview in English and Russian → send → delivery results; audited", async () => {
  const alpha = s.domain.campaigns.bySlug("alpha")!;
  const { context, page, errors } = await consoleFor(people.mona!, "en", "light");
  try {
    // The manager's campaign is picked; the count follows every change of the segment.
    await countShown(page, 5);
    await page.selectOption('[data-input="language"]', "ru");
    await countShown(page, 2);
    await page.selectOption('[data-input="wallet"]', "yes");
    await countShown(page, 2);
    await page.selectOption('[data-input="language"]', "");
    await countShown(page, 3);
    await page.selectOption('[data-input="tier"]', "pro");
    await countShown(page, 0);
    assert.equal(await page.locator('[data-action="send"]').isDisabled(), true);
    await page.selectOption('[data-input="tier"]', "");
    await page.selectOption('[data-input="wallet"]', "");
    await countShown(page, 5);
    // The latest count wins: the count of Russian speakers, answered only after the count of
    // everyone asked next, leaves everyone's.
    const audience = (u: URL) => u.pathname === "/api/admin/broadcasts/audience";
    const russian = await holdFirstAnswer(
      page,
      (u) => audience(u) && u.searchParams.get("language") === "ru",
    );
    await page.selectOption('[data-input="language"]', "ru");
    await russian.asked;
    const everyone = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return audience(u) && !u.searchParams.has("language");
    });
    await page.selectOption('[data-input="language"]', "");
    await everyone;
    await countShown(page, 5);
    await russian.release();
    assert.equal(await page.locator("[data-count]").getAttribute("data-count"), "5");

    const en = "<b>Big news</b> for &lt;everyone&gt; in Alpha";
    const ru = "<b>Новости</b> для всех в Альфе";
    await page.locator('[data-text="en"]').fill(en);
    // Without a Russian text the Russian preview says English stands in.
    await page.locator('[data-fallback="ru"]').waitFor();
    await page.locator('[data-text="ru"]').fill(ru);
    assert.equal(await page.locator('[data-preview="en"] b').textContent(), "Big news");
    assert.match(
      (await page.locator('[data-preview="en"] .admin-bubble').textContent()) ?? "",
      /for <everyone> in Alpha/,
    );
    assert.equal(await page.locator('[data-preview="ru"] b').textContent(), "Новости");
    assert.equal(await page.locator('[data-fallback="ru"]').count(), 0);
    await shot(page, "admin-broadcast-compose-light-en");

    await page.locator('[data-action="send"]').click();
    const card = page.locator('[data-broadcast][data-status="done"]').first();
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.locator("[data-results]").textContent(), "Sent 4, failed 1 of 5");
    assert.match((await card.locator('[data-failure="blocked"]').textContent()) ?? "", /: 1$/);
    await shot(page, "admin-broadcast-results-light-en");

    // Each member got their language's text; Dan (blocked) and beta's Bea nothing.
    const got = (k: string) => fake.textsTo(people[k]!.telegramId);
    for (const k of ["ralph", "a1"]) assert.ok(got(k).includes(en), `${k}: ${got(k).join(" | ")}`);
    for (const k of ["a2", "a3"]) assert.ok(got(k).includes(ru), `${k}: ${got(k).join(" | ")}`);
    assert.ok(!got("a4").includes(en));
    assert.ok(!got("b1").includes(en));

    const [row] = await broadcasts();
    assert.equal(row!.status, "done");
    assert.deepEqual([row!.sent, row!.failed, row!.failures], [4, 1, { blocked: 1 }]);
    const audit = (await auditRows()).find(
      (r) => r.action === "broadcast.started" && r.subjectId === String(row!.id),
    );
    assert.ok(audit, "audited");
    assert.equal(audit.actor, `member:${people.mona!.id}`);
    assert.equal(audit.campaignId, alpha.id);
    assert.deepEqual((audit.details as { audience: unknown }).audience, {
      campaignId: alpha.id,
    });
    assert.deepEqual((audit.after as { texts: unknown }).texts, { en, ru });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a scheduled broadcast waits for its time on the test clock, survives a restart, and reaches exactly its segment", async () => {
  const ru = "Напоминание: <i>завтра</i> розыгрыш";
  const at = new Date(clock.now().getTime() + HOUR);
  let id: number;
  {
    const { context, page, errors } = await consoleFor(people.root!, "ru", "dark");
    try {
      await page.selectOption('[data-input="campaign"]', "alpha");
      await page.selectOption('[data-input="language"]', "ru");
      await countShown(page, 2);
      await page.locator('[data-text="ru"]').fill(ru);
      // English falls back to the Russian text when it is the only one.
      assert.equal(await page.locator('[data-preview="en"] i').textContent(), "завтра");
      await page.locator('[data-schedule="later"]').check();
      await page.locator('[data-input="at"]').fill(at.toISOString().slice(0, 16));
      await page.locator('[data-action="send"]').click();
      const card = page.locator('[data-broadcast][data-status="scheduled"]');
      await card.waitFor();
      id = Number(await card.getAttribute("data-broadcast"));
      await shot(page, "admin-broadcast-scheduled-dark-ru");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const [stored] = (await broadcasts()).filter((b) => b.id === id);
  assert.equal(stored!.status, "running");
  assert.equal(
    stored!.scheduledAt?.toISOString(),
    at.toISOString().replace(/\d\d\.\d{3}Z$/, "00.000Z"),
  );
  assert.deepEqual(stored!.segment, { language: "ru" });
  // Not due yet: the broadcaster finds nothing to send.
  const bot = s.components.find((c) => c.name === "bot") as BotComponent;
  assert.equal(await bot.broadcaster!.runOnce(), false);
  assert.ok(!fake.textsTo(people.a2!.telegramId).includes(ru));

  // The service restarts; meanwhile the time passes.
  await s.stop();
  clock.advance(2 * HOUR);
  await fixture.restart();
  s = fixture.stack;
  for (const k of ["a2", "a3"])
    await fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        Number(c.params.chat_id) === people[k]!.telegramId &&
        c.params.text === ru,
      60_000,
      `the scheduled broadcast to ${k}`,
    );
  const { context, page, errors } = await consoleFor(people.root!, "ru", "dark");
  try {
    const card = page.locator(`[data-broadcast="${id}"][data-status="done"]`);
    await card.waitFor({ timeout: 60_000 });
    assert.equal(
      await card.locator("[data-results]").textContent(),
      "Отправлено 2, не доставлено 0 из 2",
    );
    await shot(page, "admin-broadcast-delivered-dark-ru");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  // The English speakers of the campaign got nothing of it.
  for (const k of ["ralph", "a1", "a4"])
    assert.ok(!fake.textsTo(people[k]!.telegramId).includes(ru));
  const audit = (await auditRows()).find(
    (r) => r.action === "broadcast.scheduled" && r.subjectId === String(id),
  );
  assert.ok(audit);
  assert.equal(audit.actor, `member:${people.root!.id}`);
  assert.equal(
    (audit.after as { scheduledAt: string }).scheduledAt,
    stored!.scheduledAt?.toISOString(),
  );
});

test("stopping: a scheduled broadcast is stopped from the console (audited); the analyst's stop is refused", async () => {
  const mona = await signIn(people.mona!);
  const created = await call("POST", "/api/admin/broadcasts", mona, {
    audience: { campaign: "alpha", hasWallet: true },
    texts: { en: "Tomorrow at noon" },
    scheduledAt: new Date(clock.now().getTime() + 24 * HOUR).toISOString(),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, "scheduled");
  assert.deepEqual(created.body.audience, {
    tier: null,
    language: null,
    hasWallet: true,
    activeDays: null,
  });
  assert.equal(created.body.total, 3);
  const id = created.body.id as number;
  const anna = await signIn(people.anna!);
  assert.equal((await call("POST", `/api/admin/broadcasts/${id}/stop`, anna)).status, 403);
  assert.equal((await call("GET", `/api/admin/broadcasts/${id}`, anna)).status, 403);
  assert.equal((await call("POST", "/api/admin/broadcasts/999999/stop", mona)).status, 404);

  const { context, page, errors } = await consoleFor(people.mona!, "en", "dark");
  try {
    const card = page.locator(`[data-broadcast="${id}"][data-status="scheduled"]`);
    await card.locator('[data-action="stop"]').click();
    await page.locator(`[data-broadcast="${id}"][data-status="cancelled"]`).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const [row] = (await broadcasts()).filter((b) => b.id === id);
  assert.equal(row!.status, "cancelled");
  const ofIt = async () =>
    (await auditRows()).filter((r) => r.subjectType === "broadcast" && r.subjectId === String(id));
  const audit = await ofIt();
  assert.deepEqual(
    audit.map((r) => [r.actor, r.action]),
    [
      [`member:${people.mona!.id}`, "broadcast.scheduled"],
      [`member:${people.anna!.id}`, "access.denied"],
      [`member:${people.anna!.id}`, "access.denied"],
      [`member:${people.mona!.id}`, "broadcast.cancelled"],
    ],
  );
  // Stopping again changes nothing and writes nothing.
  const again = await call("POST", `/api/admin/broadcasts/${id}/stop`, mona);
  assert.equal(again.body.status, "cancelled");
  assert.equal((await ofIt()).length, 4);
});
