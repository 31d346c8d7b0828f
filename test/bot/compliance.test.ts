/**
 * Compliance in the bot (issue 16), through the fake Bot API: the terms with an Accept button
 * after /start (nothing paid before, paid once accepted), /country (allowed and refused),
 * /export (a JSON document via sendDocument), /delete (confirmation, rows erased, never
 * messaged again), /exclude and /include for admins (role-checked, audited).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { memberExclusions, termsAcceptances } from "../../server/db/schema/compliance.ts";
import {
  auditLog,
  ledgerEntries,
  members,
  notifications,
  referrals,
} from "../../server/db/schema.ts";
import { getMemberByTelegramId } from "../../server/domain/index.ts";
import { enqueueNotification } from "../../server/domain/notifications.ts";
import { withDatabases } from "../support/db.ts";
import { linkTestWallet, testAccount } from "../support/siwe.ts";
import { botCampaign } from "./support/campaign.ts";
import { ADMIN_ID, startBotHarness } from "./support/harness.ts";

const TERMS = {
  version: "v3",
  text: { en: "Play fair, one account each.", ru: "Играйте честно, один аккаунт на человека." },
};
const text = (call: { params: Record<string, unknown> } | undefined) =>
  String(call?.params.text ?? "");
const buttons = (call: { params: Record<string, unknown> } | undefined) =>
  (
    (
      call?.params.reply_markup as {
        inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>>;
      }
    )?.inline_keyboard ?? []
  ).flat();

test("terms in the bot: asked after /start, nothing paid before acceptance, paid once accepted", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [botCampaign({ terms: TERMS, qualification: { type: "wallet_linked" } })],
      loops: false,
    });
    const alice = h.user(3001, "en");
    const bob = h.user(3002, "ru");
    await h.say(alice, "/start");
    const a = (await getMemberByTelegramId(h.ctx.db, alice.id))!;
    const calls = await h.say(bob, `/start ${a.code}`);
    const prompt = calls.filter((c) => c.method === "sendMessage").at(-1);
    assert.match(text(prompt), /Играйте честно, один аккаунт на человека\./);
    assert.match(text(prompt), /версия v3/);
    assert.deepEqual(
      buttons(prompt).map((b) => [b.text, b.callback_data]),
      [["✅ Принять", "cmp:t:v3"]],
    );
    // Alice accepts through /terms; Bob links a wallet before accepting: held.
    const aliceTerms = await h.say(alice, "/terms");
    await h.send(h.fake.callback(alice, "cmp:t:v3", h.lastMessageTo(alice.id)));
    assert.ok(buttons(aliceTerms.at(-1)).length === 1);
    const b = (await getMemberByTelegramId(h.ctx.db, bob.id))!;
    await linkTestWallet(h.ctx, b.id, testAccount("bot-terms-bob"));
    const [held] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b.id));
    assert.equal(held?.status, "pending");
    assert.equal((await db.db.select().from(ledgerEntries)).length, 0);
    // A stale button of another version is refused and the current terms shown again.
    const stale = await h.send(h.fake.callback(bob, "cmp:t:v2", prompt!.result as never));
    assert.ok(stale.some((c) => /Условия изменились/.test(text(c))));
    assert.equal(
      (await db.db.select().from(termsAcceptances).where(eq(termsAcceptances.memberId, b.id)))
        .length,
      0,
    );
    // Bob accepts: the referral qualifies and Alice's reward is written.
    const accepted = await h.send(h.fake.callback(bob, "cmp:t:v3", prompt!.result as never));
    assert.ok(
      accepted.some((c) => /Награда ждала только этого/.test(text(c))),
      JSON.stringify(accepted),
    );
    const [done] = await db.db.select().from(referrals).where(eq(referrals.refereeId, b.id));
    assert.equal(done?.status, "qualified");
    const paid = await db.db.select().from(ledgerEntries).orderBy(ledgerEntries.id);
    // Alice's level-1 reward and Bob's welcome bonus.
    assert.deepEqual(
      paid.map((e) => [e.memberId, e.kind]),
      [
        [a.id, "referral"],
        [b.id, "welcome"],
      ],
    );
    const again = await h.say(bob, "/terms");
    assert.match(text(again.at(-1)), /приняты/);
  });
});

test("/country: an allowed country is saved; a refused one is told and the referral is refused", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [botCampaign({ participation: { countries: ["DE", "AT"] } })],
      loops: false,
    });
    const alice = h.user(3101, "en");
    const bob = h.user(3102, "en");
    const carol = h.user(3103, "ru");
    await h.say(alice, "/start");
    const ask = await h.say(alice, "/country");
    assert.deepEqual(
      buttons(ask.at(-1)).map((b) => b.callback_data),
      ["cmp:c:DE", "cmp:c:AT"],
    );
    const saved = await h.send(h.fake.callback(alice, "cmp:c:DE", h.lastMessageTo(alice.id)));
    assert.ok(saved.some((c) => /Your country is saved: DE/.test(text(c))));
    const again = await h.say(alice, "/country AT");
    assert.match(text(again.at(-1)), /can be set only once/);
    const a = (await getMemberByTelegramId(h.ctx.db, alice.id))!;
    // Bob is asked for his country after /start; he declares an allowed one.
    const bobStart = await h.say(bob, `/start ${a.code}`);
    assert.ok(bobStart.some((c) => /needs your country/.test(text(c))));
    await h.say(bob, "/country at");
    // Carol declares a country outside the campaign before opening the link: refused, told.
    await h.say(carol, "/start");
    const refused = await h.say(carol, "/country US");
    assert.match(text(refused.at(-1)), /Кампания не работает в вашей стране/);
    const start = await h.say(carol, `/start ${a.code}`);
    assert.ok(start.some((c) => /Кампания не работает в вашей стране/.test(text(c))));
    const refs = await db.db.select().from(referrals);
    const bobId = (await getMemberByTelegramId(h.ctx.db, bob.id))!.id;
    assert.deepEqual(
      refs.map((r) => r.refereeId),
      [bobId],
    );
  });
});

test("/export sends a JSON document; /delete asks first, then erases and never messages again", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [botCampaign()],
      loops: false,
    });
    const dora = h.user(3201, "en", "Dora");
    await h.say(dora, "/start");
    const d = (await getMemberByTelegramId(h.ctx.db, dora.id))!;
    const exp = await h.say(dora, "/export");
    const doc = exp.find((c) => c.method === "sendDocument");
    assert.ok(doc, JSON.stringify(exp.map((c) => c.method)));
    // Uploaded as multipart: `document` names the attached part.
    const attached = String(doc.params.document).replace(/^attach:\/\//, "");
    const file = doc.params[attached] as { file: string; text: string };
    assert.equal(file.file, `refmint-data-${d.id}.json`);
    const json = JSON.parse(file.text);
    assert.equal(json.member.firstName, "Dora");
    assert.equal(json.member.telegramId, dora.id);

    const ask = await h.say(dora, "/delete");
    assert.match(text(ask.at(-1)), /cannot be erased: a public blockchain is permanent/);
    assert.deepEqual(
      buttons(ask.at(-1)).map((b) => b.callback_data),
      ["cmp:del:yes", "cmp:del:no"],
    );
    const cancel = await h.send(h.fake.callback(dora, "cmp:del:no", h.lastMessageTo(dora.id)));
    assert.ok(cancel.some((c) => /Nothing was deleted/.test(text(c))));
    const [still] = await db.db.select().from(members).where(eq(members.id, d.id));
    assert.equal(still?.firstName, "Dora");
    await h.say(dora, "/delete");
    const del = await h.send(h.fake.callback(dora, "cmp:del:yes", h.lastMessageTo(dora.id)));
    assert.ok(del.some((c) => /Your data is deleted/.test(text(c))));
    const [gone] = await db.db.select().from(members).where(eq(members.id, d.id));
    assert.deepEqual(
      [gone?.firstName, gone?.telegramId, gone?.deletedAt !== null],
      [null, -d.id, true],
    );
    // A notice queued for the deleted member afterwards is never sent: skipped by the sender.
    await enqueueNotification(db.db, {
      memberId: d.id,
      kind: "reward_paid",
      data: {
        entryId: 1,
        token: "REF",
        amount: "1",
        txHash: `0x${"ab".repeat(32)}`,
        escrow: false,
      },
      dedupeKey: "after-deletion",
    });
    const before = h.fake.calls.length;
    await h.component.sender!.drainOnce();
    assert.deepEqual(
      h.fake.calls.slice(before).filter((c) => c.method === "sendMessage"),
      [],
    );
    const [notice] = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.memberId, d.id));
    assert.equal(notice?.status, "skipped");
  });
});

test("/exclude and /include: admins only, audited; the excluded member's code stops attributing", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "polling",
      campaigns: [botCampaign()],
      loops: false,
    });
    const admin = h.user(ADMIN_ID, "en");
    const eve = h.user(3301, "en");
    const frank = h.user(3302, "en");
    const mallory = h.user(3303, "en");
    await h.say(eve, "/start");
    const e = (await getMemberByTelegramId(h.ctx.db, eve.id))!;
    const notAdmin = await h.say(mallory, `/exclude ${e.id} spam ring`);
    assert.match(text(notAdmin.at(-1)), /for campaign admins only/);
    assert.equal((await db.db.select().from(memberExclusions)).length, 0);
    const usage = await h.say(admin, "/exclude someone");
    assert.match(text(usage.at(-1)), /Usage/);
    const done = await h.say(admin, `/exclude ${e.id} spam ring`);
    assert.match(text(done.at(-1)), new RegExp(`Member #${e.id} is excluded`));
    const start = await h.say(frank, `/start ${e.code}`);
    assert.ok(
      start.some((c) => /invite link is no longer active/.test(text(c))),
      JSON.stringify(start),
    );
    assert.equal((await db.db.select().from(referrals)).length, 0);
    const lifted = await h.say(admin, `/include ${e.id} appeal upheld`);
    assert.match(text(lifted.at(-1)), /can take part/);
    const audit = await db.db.select().from(auditLog).orderBy(auditLog.id);
    assert.deepEqual(
      audit.filter((a) => a.action.startsWith("member.")).map((a) => [a.action, a.details]),
      [
        ["member.excluded", {}],
        ["member.included", { reason: "appeal upheld" }],
      ],
    );
  });
});
