/**
 * The daily digest of friends who joined ("12 friends joined today", issue 14): one message per
 * calendar day of the member's time zone, sent once that day is over; joins after local
 * midnight wait for the next day's message. Two members chose it with `/notifications`, one in
 * Moscow (UTC+3) and one in Bogotá (UTC−5); a third who kept "as they come" hears of a friend
 * at once even though the service's default (`BOT_DIGEST_MODE`) is daily. The sender runs on a
 * test clock across both midnights. Real bot, fake Bot API, real database.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import { loadBotSettings } from "../../bot/config.ts";
import { createNotificationSender } from "../../bot/notifications/sender.ts";
import { notifications } from "../../server/db/schema.ts";
import { ensureMember } from "../../server/domain/index.ts";
import { localDay, nextLocalMidnight } from "../../server/domain/notificationSettings.ts";
import { createLogger } from "../../server/logger.ts";
import { testConfig } from "../support/app.ts";
import { HOUR } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { type BotHarness, startBotHarness } from "./support/harness.ts";

const MINUTE = 60_000;

/** The sender as the component builds it with BOT_DIGEST_MODE=daily, on the test clock. */
function dailySender(h: BotHarness) {
  return createNotificationSender({
    db: h.db.db,
    campaigns: h.ctx.campaigns,
    translator: h.component.refmint!.translator,
    api: h.component.refmint!.services.bulkApi,
    logger: createLogger("silent"),
    pollMs: 20,
    now: h.clock.now,
    digestMode: "daily",
  });
}

const dateIn = (locale: "en" | "ru", day: string) =>
  new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", {
    dateStyle: "medium",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));

test("local days and midnights: fixed offsets, IANA names, and a daylight-saving night", () => {
  const at = new Date("2026-03-10T20:30:00Z");
  assert.equal(localDay(at, "Europe/Moscow"), "2026-03-10");
  assert.equal(localDay(new Date("2026-03-10T21:00:00Z"), "Europe/Moscow"), "2026-03-11");
  assert.equal(localDay(at, "-05:00"), "2026-03-10");
  assert.equal(localDay(new Date("2026-03-11T04:59:00Z"), "-05:00"), "2026-03-10");
  assert.equal(nextLocalMidnight(at, "Europe/Moscow").toISOString(), "2026-03-10T21:00:00.000Z");
  assert.equal(nextLocalMidnight(at, "America/Bogota").toISOString(), "2026-03-11T05:00:00.000Z");
  assert.equal(nextLocalMidnight(at, "+05:30").toISOString(), "2026-03-11T18:30:00.000Z");
  assert.equal(nextLocalMidnight(at, "UTC").toISOString(), "2026-03-11T00:00:00.000Z");
  // New York moves its clocks forward at 02:00 on 8 March 2026: that day has 23 hours.
  assert.equal(
    nextLocalMidnight(new Date("2026-03-08T04:59:00Z"), "America/New_York").toISOString(),
    "2026-03-08T05:00:00.000Z",
  );
  assert.equal(
    nextLocalMidnight(new Date("2026-03-08T05:00:00Z"), "America/New_York").toISOString(),
    "2026-03-09T04:00:00.000Z",
  );
});

test("BOT_DIGEST_MODE: window by default, daily on request, anything else refused", () => {
  const core = testConfig({});
  assert.equal(loadBotSettings({ BOT_MODE: "polling" }, core).digestMode, "window");
  assert.equal(
    loadBotSettings({ BOT_MODE: "polling", BOT_DIGEST_MODE: "daily" }, core).digestMode,
    "daily",
  );
  assert.throws(
    () => loadBotSettings({ BOT_MODE: "polling", BOT_DIGEST_MODE: "weekly" }, core),
    /BOT_DIGEST_MODE/,
  );
});

test("a daily digest per member's calendar day in their time zone, across midnight in Moscow and in Bogotá", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign()],
      loops: false,
    });
    // 20:30 UTC of the day after the real one (the queue's rows are due from the real time):
    // 23:30 in Moscow, 15:30 in Bogotá.
    const day0 = new Date(Date.now() + 24 * HOUR).toISOString().slice(0, 10);
    const t0 = new Date(`${day0}T20:30:00Z`);
    const day1 = new Date(t0.getTime() + 24 * HOUR).toISOString().slice(0, 10);
    h.clock.set(t0);
    h.ctx.now = h.clock.now;

    const vera = h.user(3601, "ru", "Вера");
    const bob = h.user(3602, "en", "Bob");
    const dan = h.user(3603, "en", "Dan");
    for (const [u, zone, digest] of [
      [vera, "Europe/Moscow", "daily"],
      [bob, "America/Bogota", "daily"],
      [dan, "UTC", "window"],
    ] as const) {
      await h.say(u, "/start");
      await h.say(u, `/notifications tz ${zone}`);
      const saved = await h.say(u, `/notifications digest ${digest}`);
      const text = String(saved.find((c) => c.method === "sendMessage")?.params.text);
      assert.ok(text.startsWith(u === vera ? "Сохранено." : "Saved."), text);
    }
    const bobSaid = (await h.say(bob, "/notifications")).find((c) => c.method === "sendMessage");
    assert.ok(
      String(bobSaid?.params.text).includes(
        "📬 Friends who joined: one message a day, after midnight in your time zone (America/Bogota).",
      ),
    );
    const buttons =
      (
        bobSaid?.params.reply_markup as
          | { inline_keyboard: Array<Array<{ text: string }>> }
          | undefined
      )?.inline_keyboard.flat() ?? [];
    assert.ok(buttons.some((b) => b.text === "📬 Friends who joined: as they come"));

    // As /start left them (h.member would rename them and forget their language).
    const [veraM, bobM, danM] = await Promise.all(
      [vera, bob, dan].map(
        async (u) =>
          (
            await ensureMember(h.ctx, {
              id: u.id,
              firstName: u.first_name,
              languageCode: u.language_code,
            })
          ).member,
      ),
    );
    const friend = async (referrer: typeof veraM, id: number, name: string) =>
      h.refer(referrer!, await h.member(id, name));
    await friend(veraM, 3611, "Друг1");
    await friend(veraM, 3612, "Друг2");
    await friend(bobM, 3621, "Ann");
    await friend(bobM, 3622, "Ben");
    await friend(danM, 3631, "Zoe");

    const sender = dailySender(h);
    h.clock.advance(MINUTE);
    await sender.drainOnce();
    // Dan chose "as they come": at once. Vera's and Bob's days are not over: nothing yet.
    assert.equal(h.fake.textsTo(dan.id).filter((x) => x.startsWith("🎉")).length, 1);
    assert.deepEqual(
      h.fake.textsTo(vera.id).filter((x) => x.startsWith("📅")),
      [],
    );
    assert.deepEqual(
      h.fake.textsTo(bob.id).filter((x) => x.startsWith("📅")),
      [],
    );
    const pendingOf = async (memberId: number) =>
      db.db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.memberId, memberId),
            eq(notifications.kind, "referee_joined"),
            eq(notifications.status, "pending"),
          ),
        )
        .orderBy(notifications.id);
    const veraHeld = await pendingOf(veraM!.id);
    assert.equal(veraHeld.length, 2);
    assert.equal(veraHeld[0]!.attempts, 0);
    assert.equal(veraHeld[0]!.nextAttemptAt.toISOString(), `${day0}T21:00:00.000Z`);
    const bobHeld = await pendingOf(bobM!.id);
    assert.equal(bobHeld[0]!.nextAttemptAt.toISOString(), `${day1}T05:00:00.000Z`);

    // 21:10 UTC: 00:10 of the next day in Moscow, still 16:10 in Bogotá. One more friend each.
    h.clock.set(new Date(`${day0}T21:10:00Z`));
    await friend(veraM, 3613, "Друг3");
    await friend(bobM, 3623, "Cat");
    await sender.drainOnce();
    // Vera's day 0 is over: its two friends in one message; the third waits for day 1.
    assert.deepEqual(
      h.fake.textsTo(vera.id).filter((x) => x.startsWith("📅")),
      [
        `📅 ${dateIn("ru", day0)}: по вашей ссылке пришли 2 друга: Друг1, Друг2. Каждый засчитается, когда выполнит задание «Вступить».`,
      ],
    );
    assert.deepEqual(
      h.fake.textsTo(bob.id).filter((x) => x.startsWith("📅")),
      [],
    );
    const veraLater = await pendingOf(veraM!.id);
    assert.equal(veraLater.length, 1);
    assert.equal(veraLater[0]!.nextAttemptAt.toISOString(), `${day1}T21:00:00.000Z`);

    // Bogotá's midnight (05:00 UTC): Bob's three friends of day 0 in one message.
    h.clock.set(new Date(`${day1}T04:59:00Z`));
    await sender.drainOnce();
    assert.deepEqual(
      h.fake.textsTo(bob.id).filter((x) => x.startsWith("📅")),
      [],
    );
    h.clock.set(new Date(`${day1}T05:00:00Z`));
    await sender.drainOnce();
    const bobDigest = h.fake.textsTo(bob.id).filter((x) => x.startsWith("📅"));
    assert.equal(bobDigest.length, 1);
    assert.match(
      bobDigest[0]!,
      new RegExp(
        `^📅 ${dateIn("en", day0)}: 3 friends joined through your link: Ann, Ben, Cat\\. Each one counts once that friend completes the task “Join”\\.$`,
      ),
    );
    const bobRows = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.memberId, bobM!.id), eq(notifications.kind, "referee_joined")))
      .orderBy(notifications.id);
    assert.deepEqual(
      bobRows.map((n) => [n.status, n.lastError]),
      [
        ["sent", null],
        ["sent", `digest:${bobRows[0]!.id}`],
        ["sent", `digest:${bobRows[0]!.id}`],
      ],
    );
    assert.equal(h.fake.textsTo(vera.id).filter((x) => x.startsWith("📅")).length, 1);

    // Moscow's next midnight: Vera's day-1 friend, alone, named with that day.
    h.clock.set(new Date(`${day1}T21:00:00Z`));
    await sender.drainOnce();
    assert.deepEqual(
      h.fake
        .textsTo(vera.id)
        .filter((x) => x.startsWith("📅"))
        .slice(1),
      [
        `📅 ${dateIn("ru", day1)}: по вашей ссылке пришёл 1 друг: Друг3. Каждый засчитается, когда выполнит задание «Вступить».`,
      ],
    );
    assert.equal(h.fake.textsTo(dan.id).filter((x) => x.startsWith("🎉")).length, 1);
  });
});
