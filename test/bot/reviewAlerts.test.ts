/**
 * Review alerts with evidence, through the fake Bot API (the real bot component, webhook
 * mode), on PGlite and, with TEST_DATABASE_URL, PostgreSQL: when invitations enter review the
 * campaign's reviewers (and super-admins; not its manager, whose role does not read the
 * queue) get each item with the members' names and usernames, the signals that fired and
 * what the invited member shares with others, with approve/reject buttons per item and for
 * all of them. Decisions are role-checked (a manager's tap is refused item by item, audited
 * as `access.denied`, nothing decided), audited by the reviewer, and reach the invited member
 * and the referrer in their language.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { asc, eq } from "drizzle-orm";
import type { Message } from "grammy/types";
import { auditLog, notifications, referrals, reviewItems } from "../../server/db/schema.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { grantRole, systemAdmin } from "../../server/domain/roles.ts";
import { testCampaign } from "../support/campaign.ts";
import { withDatabases } from "../support/db.ts";
import type { RecordedCall } from "./support/fakeTelegram.ts";
import { ADMIN_ID, startBotHarness } from "./support/harness.ts";

const REVIEWER = 8102;
const MANAGER = 8103;
const NED = 8100;

test("review alerts show each item's evidence with its buttons; bulk approve and reject are role-checked, audited and reach the members", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [
        testCampaign({
          slug: "alpha",
          onchainId: 611,
          name: { en: "Alpha", ru: "Альфа" },
          fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
        }),
      ],
    });
    const alpha = h.ctx.campaigns.bySlug("alpha")!;
    const person = async (id: number, firstName: string, username: string, lang = "en") =>
      (await ensureMember(h.ctx, { id, firstName, username, languageCode: lang })).member;
    const rita = await person(REVIEWER, "Rita", "rita");
    const max = await person(MANAGER, "Max", "max");
    const ned = await person(NED, "Ned", "ned_ref");
    for (const [m, role] of [
      [rita, "reviewer"],
      [max, "manager"],
    ] as const)
      await grantRole(h.ctx, systemAdmin(), { campaignId: alpha.id, memberId: m.id, role });
    const reviewer = h.user(REVIEWER, "en", "Rita");
    const manager = h.user(MANAGER, "en", "Max");

    /** Ned invites these at once (two from one network); the burst check flags all but the first. */
    const invite = async (ids: number[]): Promise<MemberView[]> => {
      const out = [];
      for (const id of ids) {
        const m = await person(id, `Guest${id}`, `guest_${id}`, id % 2 === 0 ? "ru" : "en");
        await h.refer(ned, m, { campaign: "alpha", ipHash: id <= 8203 ? "net-1" : undefined });
        out.push(m);
      }
      for (const m of out) await qualify(h.ctx, m.id, { type: "wallet_linked" });
      return out;
    };
    const first = await invite([8201, 8202, 8203, 8204]);
    const open = async () =>
      (await db.db.select().from(reviewItems).orderBy(asc(reviewItems.id))).filter(
        (i) => i.status === "open",
      );
    const flagged = await open();
    // Four invitations within the hour: the burst check flags every one of them.
    assert.equal(flagged.length, 4);

    // The jobs send only once the bot has connected to Telegram.
    await h.component.ready!();
    await h.component.runJobs!();
    const ritaCalls = () => h.fake.sentTo(REVIEWER);
    const alert = ritaCalls();
    const texts = alert.map((c) => String(c.params.text));
    // The headline, the four items with their evidence, the bulk buttons.
    assert.equal(alert.length, 6, texts.join("\n---\n"));
    assert.match(texts[0]!, /4 new invitations wait for review in <b>Alpha<\/b>/);
    const signal: Record<string, string> = {
      burst: "many invitations in a short time",
      shared_ip: "same network as other invitees",
    };
    const byReferee = new Map(first.map((m) => [m.id, m]));
    for (const [i, item] of flagged.entries()) {
      const text = texts[i + 1]!;
      const [referral] = await db.db
        .select()
        .from(referrals)
        .where(eq(referrals.id, item.referralId));
      const referee = byReferee.get(referral!.refereeId)!;
      assert.match(text, new RegExp(`Review #${item.id}</b> · Alpha`));
      assert.match(
        text,
        new RegExp(
          `New member: Guest${referee.telegramId} \\(@guest_${referee.telegramId}, #${referee.id}\\)`,
        ),
      );
      assert.match(text, new RegExp(`Invited by: Ned \\(@ned_ref, #${ned.id}\\)`));
      assert.ok(
        text.includes(`Why flagged: ${item.reasons.map((r) => signal[r] ?? r).join(", ")}`),
        text,
      );
      // 8202 and 8203 came from one network (and 8201 too): each shares it with the others.
      assert.match(
        text,
        referee.telegramId <= 8203 ? /IP 2 · device 0 · wallet 0/ : /IP 0 · device 0/,
      );
      assert.match(text, /Inviter's invitations within 24 h: 4/);
      assert.deepEqual(alert[i + 1]!.params.reply_markup, {
        inline_keyboard: [
          [
            { text: "✅ Approve", callback_data: `rv:a:${item.id}` },
            { text: "❌ Reject", callback_data: `rv:r:${item.id}` },
          ],
        ],
      });
    }
    const packed = flagged.map((i) => i.id.toString(36)).join(".");
    assert.deepEqual(alert[5]!.params.reply_markup, {
      inline_keyboard: [
        [
          { text: "✅ Approve all 4", callback_data: `rv:ba:${packed}` },
          { text: "❌ Reject all 4", callback_data: `rv:br:${packed}` },
        ],
      ],
    });
    // The manager's role does not read the queue: no alert for him; the super-admin has one.
    assert.deepEqual(h.fake.sentTo(MANAGER), []);
    assert.equal(h.fake.sentTo(ADMIN_ID).length, 6);
    const alerted = (await db.db.select().from(auditLog)).filter(
      (r) => r.action === "review.alerted",
    );
    assert.equal(alerted.length, 1);
    assert.deepEqual(alerted[0]!.details, { reviewIds: flagged.map((i) => i.id), admins: 2 });

    const message = (c: RecordedCall) => c.result as Message;
    // One approved by its own button first.
    const one = await h.send(
      h.fake.callback(reviewer, `rv:a:${flagged[0]!.id}`, message(alert[1]!)),
    );
    assert.equal(
      one.at(-1)?.params.text,
      `✅ Review #${flagged[0]!.id} approved: the invitation is paid.`,
    );

    // The manager taps "Approve all" (a forged tap under Rita's message): refused item by item.
    const auditBefore = (await db.db.select().from(auditLog)).length;
    const callsBefore = h.fake.calls.length;
    await h.send(h.fake.callback(manager, `rv:ba:${packed}`, message(alert[5]!)));
    // (The tap came under Rita's message, so the answer goes to that chat.)
    const forged = h.fake.calls.slice(callsBefore);
    // Only that chat's: a member's notice (the approval above) may go out meanwhile.
    const forgedChat = message(alert[5]!).chat.id;
    const forgedReply = forged
      .filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === forgedChat)
      .at(-1);
    assert.equal(
      forgedReply?.params.text,
      [
        "✅ Approved 0 of 4: the invitations are paid.",
        ...flagged.map((i) => `#${i.id}: ⛔ Your roles in Alpha don't allow this.`),
      ].join("\n"),
    );
    const denied = (await db.db.select().from(auditLog)).slice(auditBefore);
    assert.deepEqual(
      denied.map((r) => [r.actor, r.action, r.subjectId]),
      flagged.map((i) => [`member:${max.id}`, "access.denied", String(i.id)]),
    );
    assert.equal((await open()).length, 3, "nothing decided by the manager");
    assert.ok(
      !forged.some((c) => c.method === "editMessageReplyMarkup"),
      "a refused tap leaves the buttons to those who may",
    );
    // A forged id list that is not ours: the same answer as a missing review.
    const junk = await h.send(h.fake.callback(reviewer, "rv:ba:zzzzzzzzzzzz", message(alert[5]!)));
    assert.equal(junk[0]?.method, "answerCallbackQuery");
    assert.equal((await open()).length, 3);

    // Rita approves all four: the one already decided is named, the other two are paid.
    const bulk = await h.send(h.fake.callback(reviewer, `rv:ba:${packed}`, message(alert[5]!)));
    assert.equal(
      bulk
        .filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === forgedChat)
        .at(-1)?.params.text,
      [
        "✅ Approved 3 of 4: the invitations are paid.",
        `Review #${flagged[0]!.id} was already decided.`,
      ].join("\n"),
    );
    assert.ok(
      bulk.some((c) => c.method === "editMessageReplyMarkup"),
      "the bulk buttons go",
    );
    assert.deepEqual(await open(), []);

    // Two more invitations enter review: a new alert; Rita rejects both with one reason.
    await invite([8205, 8206]);
    const second = await open();
    assert.equal(second.length, 2);
    const seen = ritaCalls().length;
    await h.component.runJobs!();
    const alert2 = ritaCalls().slice(seen);
    assert.equal(alert2.length, 4, alert2.map((c) => c.params.text).join("\n---\n"));
    const packed2 = second.map((i) => i.id.toString(36)).join(".");
    const ask = await h.send(h.fake.callback(reviewer, `rv:br:${packed2}`, message(alert2[3]!)));
    const prompt = ask.find((c) => c.method === "sendMessage")!;
    assert.match(String(prompt.params.text), /Why are these 2 invitations rejected\?/);
    assert.deepEqual(prompt.params.reply_markup, { force_reply: true, selective: true });
    const answer = await h.send(
      h.fake.reply(reviewer, "one household, many accounts", message(prompt)),
    );
    assert.equal(
      answer.find((c) => c.method === "sendMessage")?.params.text,
      "❌ Rejected 2 of 2: one household, many accounts",
    );
    const decided = await db.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.status, "rejected"));
    assert.deepEqual(
      decided.map((i) => [i.id, i.decidedBy, i.decisionReason]),
      second.map((i) => [i.id, `member:${rita.id}`, "one household, many accounts"]),
    );
    const rows = (await db.db.select().from(auditLog)).filter(
      (r) => r.actor === `member:${rita.id}` && r.action.startsWith("review."),
    );
    assert.deepEqual(
      rows.map((r) => [r.action, r.subjectId]).sort(),
      [
        ...flagged.map((i) => ["review.approved", String(i.id)]),
        ...second.map((i) => ["review.rejected", String(i.id)]),
      ].sort(),
    );

    // The members hear the outcome, in their language, with the reviewer's reason (issue 14:
    // "rejected (with the reason)"): the friend and the referrer alike.
    await h.queueSettled();
    const [g5, g6] = [8205, 8206];
    // Guest8202 (Russian) was approved.
    const approvedGuest = first[1]!;
    assert.ok(
      h.fake
        .textsTo(approvedGuest.telegramId)
        .some((x) => /checked and counts|проверено и засчитано/.test(x)),
      h.fake.textsTo(approvedGuest.telegramId).join(" | "),
    );
    assert.ok(
      h.fake
        .textsTo(g5)
        .some((x) =>
          x.includes(
            "The invitation you joined through was checked and not accepted: one household, many accounts",
          ),
        ),
      h.fake.textsTo(g5).join(" | "),
    );
    assert.ok(
      h.fake
        .textsTo(g6)
        .some((x) => x.includes("Приглашение, по которому вы пришли, проверено и не засчитано")),
      h.fake.textsTo(g6).join(" | "),
    );
    const nedTexts = h.fake.textsTo(NED);
    for (const id of [g5, g6])
      assert.ok(
        nedTexts.some(
          (x) =>
            x.includes(`Guest${id}`) &&
            x.includes("was checked and not accepted: one household, many accounts"),
        ),
        nedTexts.join(" | "),
      );
    const notices = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "review_decided"));
    assert.ok(
      notices.every((n) => n.status === "sent"),
      JSON.stringify(notices),
    );
  });
});
