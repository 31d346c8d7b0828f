/**
 * A "stay 3 days in the group" challenge taken back in the bot, on the real stack through the
 * fake Bot API: the member joins (a `chat_member` update), the stay completes it, they leave
 * (another `chat_member` update) within 3 days of the completion, and the bot tells them in
 * their language that the challenge no longer counts and that its unsent reward is cancelled.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import { ledgerEntries } from "../../server/db/schema.ts";
import { completeChatStays } from "../../server/domain/chatMembership.ts";
import { challengesCampaign, GROUP_ID } from "../support/challengesCampaign.ts";
import { DAY } from "../support/clock.ts";
import { withDatabases } from "../support/db.ts";
import { startBotHarness } from "./support/harness.ts";

const GROUP = { id: GROUP_ID, title: "Refmint Chat" };

test("leaving the group too soon: the completion is taken back and the member is told (ru, en)", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [challengesCampaign()] });
    // The domain's clock runs ahead of the wall clock by `ahead` (the stay's days).
    let ahead = 0;
    h.ctx.now = () => new Date(Date.now() + ahead);
    for (const [id, language, expected] of [
      [
        3101,
        "ru",
        "↩️ Задание «Побудьте в группе 3 дня» больше не считается выполненным: вы вышли из чата раньше, чем прошёл нужный срок. Награда 4 REF ещё не была отправлена и отменена. Выполните задание снова, чтобы её получить.",
      ],
      [
        3102,
        "en",
        "↩️ The challenge “Stay in the group for 3 days” no longer counts as completed: you left the chat before the required time was over. Its reward of 4 REF had not been sent yet and is cancelled. Complete it again to earn it.",
      ],
    ] as const) {
      const user = h.user(id, language);
      await h.say(user, "/start");
      await h.send(h.fake.chatMember(GROUP, user, "member"));
      ahead += 3 * DAY + 60_000;
      assert.equal(await completeChatStays(h.ctx), 1);
      ahead += DAY;
      await h.send(h.fake.chatMember(GROUP, user, "left"));
      await h.queueSettled();
      assert.equal(h.lastMessageTo(id).text, expected);
      const member = await h.member(id);
      const [grant] = await db.db
        .select({ state: ledgerEntries.state })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.memberId, member.id), eq(ledgerEntries.kind, "challenge")));
      assert.equal(grant?.state, "rejected");
    }
  });
});
