/**
 * The shipped demo campaign (campaigns/demo.json, what `npm run dev` runs) in the bot: a new
 * member's `/challenges` lists its self-detected challenges with their ACT rewards (English and
 * Russian), with the community chat's join and Check buttons and the daily check-in; `/checkin`
 * pays the daily one. Real bot, fake Bot API, real database.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { parseCampaignDefinition } from "../../server/domain/campaign.ts";
import { onPglite, startBotHarness } from "./support/harness.ts";

const demo = async () =>
  parseCampaignDefinition(
    JSON.parse(await readFile(new URL("../../campaigns/demo.json", import.meta.url), "utf8")),
    "demo.json",
  );

test("the demo campaign's challenges in /challenges, both languages, and /checkin", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [await demo()],
      loops: false,
    });
    const alice = h.user(3701, "en", "Alice");
    await h.say(alice, "/start");
    const [list] = await h.say(alice, "/challenges");
    const lines = String(list?.params.text).split("\n");
    assert.equal(lines[0], "🎯 <b>Challenges</b> · Refmint demo campaign");
    assert.deepEqual(
      lines.filter((l) => l.startsWith("⚪️ <b>")),
      [
        "⚪️ <b>Join the community chat</b> — 5 ACT · open",
        "⚪️ <b>Invite 3 friends who qualify</b> — 10 ACT · open",
        "⚪️ <b>Link a wallet</b> — 3 ACT · open",
        "⚪️ <b>Daily check-in</b> — 1 ACT a day · open",
        "⚪️ <b>Check in 7 days in a row</b> — 7 ACT · open",
        "⚪️ <b>Answer a survey</b> — 2 ACT · open",
      ],
    );
    const buttons =
      (
        list?.params.reply_markup as
          | {
              inline_keyboard: Array<Array<{ text: string; url?: string; callback_data?: string }>>;
            }
          | undefined
      )?.inline_keyboard.flat() ?? [];
    assert.ok(
      buttons.some((b) => b.text.includes("Join the community chat") && b.url),
      JSON.stringify(buttons),
    );
    assert.ok(buttons.some((b) => b.callback_data?.startsWith("cin:")));

    const checkin = await h.say(alice, "/checkin");
    assert.match(String(checkin.find((c) => c.method === "sendMessage")?.params.text), /1 ACT/);

    const vera = h.user(3702, "ru", "Вера");
    await h.say(vera, "/start");
    const [ru] = await h.say(vera, "/challenges");
    const ruText = String(ru?.params.text);
    for (const title of [
      "Вступите в чат сообщества",
      "Пригласите трёх друзей, которые выполнят условие",
      "Подключите кошелёк",
      "Ежедневная отметка",
      "Отмечайтесь 7 дней подряд",
      "Ответьте на опрос",
    ])
      assert.ok(ruText.includes(`<b>${title}</b>`), ruText);
  });
});
