/**
 * Per-campaign roles in the bot, with two campaigns (alpha, the current one, and beta): a
 * super-admin makes an owner, the owner staffs alpha with `/role` (and cannot touch beta),
 * each role is allowed and refused by command and by button (a reviewer of alpha cannot
 * decide beta's reviews, an analyst cannot pause, a manager broadcasts to alpha's members
 * only), `/unrole` takes a role back at once, and every step is in the audit log.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { asc, eq } from "drizzle-orm";
import type { Message } from "grammy/types";
import { botBroadcasts } from "../../server/db/schema/bot.ts";
import { auditLog, campaigns as campaignsTable, reviewItems } from "../../server/db/schema.ts";
import {
  attribute,
  completeChallenge,
  ensureMember,
  grantRole,
  systemAdmin,
} from "../../server/domain/index.ts";
import { rowCounts, withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { ADMIN_ID, onPglite, startBotHarness } from "./support/harness.ts";

const campaigns = () => [
  botCampaign({
    slug: "alpha",
    onchainId: 301,
    name: { en: "Alpha", ru: "Альфа" },
    // The most recent start: the current campaign.
    startsAt: "2021-01-01T00:00:00Z",
    fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
  }),
  botCampaign({
    slug: "beta",
    onchainId: 302,
    name: { en: "Beta", ru: "Бета" },
    fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
  }),
];

const OWNER = 7001;
const REVIEWER = 7002;
const ANALYST = 7003;
const MANAGER = 7004;
const NOBODY = 7005;

test("bot roles: the owner staffs a campaign; each role is allowed there and refused elsewhere, by command and by button", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: campaigns() });
    const [alpha, beta] = ["alpha", "beta"].map((s) => h.ctx.campaigns.bySlug(s)!);
    const root = h.user(ADMIN_ID, "en", "Root");
    const owner = h.user(OWNER, "en", "Olga");
    const reviewer = h.user(REVIEWER, "en", "Rita");
    const analyst = h.user(ANALYST, "ru", "Anna");
    const manager = h.user(MANAGER, "en", "Max");
    const nobody = h.user(NOBODY, "en", "Ned");
    const staff = [owner, reviewer, analyst, manager, nobody];
    /** Member numbers by Telegram id. */
    const ids = new Map<number, number>();
    for (const u of staff) ids.set(u.id, (await h.member(u.id, u.first_name)).id);
    const num = async (telegramId: number) => `#${ids.get(telegramId)}`;
    const actor = (telegramId: number) => `member:${ids.get(telegramId)}`;
    const text = async (u: typeof root, command: string) =>
      (await h.say(u, command)).map((c) => String(c.params.text));

    // A member without a role: refused, and nothing written (but the webhook inbox's record
    // of the update itself).
    const counts = async () => ({ ...(await rowCounts(db)), bot_updates: 0 });
    const quiet = await counts();
    assert.deepEqual(await text(nobody, `/role ${NOBODY} owner`), [
      "This command is for campaign admins only.",
    ]);
    assert.deepEqual(await counts(), quiet);

    // The super-admin makes Olga owner of alpha (by Telegram id); she staffs it.
    assert.deepEqual(await text(root, `/role ${OWNER} owner`), [
      `✅ Olga (${await num(OWNER)}) is now owner of <b>Alpha</b>.`,
    ]);
    ids.set(ADMIN_ID, (await h.member(ADMIN_ID, "Root")).id);
    assert.deepEqual(await text(owner, `/role ${await num(REVIEWER)} reviewer`), [
      `✅ Rita (${await num(REVIEWER)}) is now reviewer of <b>Alpha</b>.`,
    ]);
    assert.deepEqual(await text(owner, `/role ${ANALYST} Analyst alpha`), [
      `✅ Anna (${await num(ANALYST)}) is now analyst of <b>Alpha</b>.`,
    ]);
    assert.deepEqual(await text(owner, `/role ${MANAGER} manager`), [
      `✅ Max (${await num(MANAGER)}) is now manager of <b>Alpha</b>.`,
    ]);
    assert.deepEqual(await text(owner, `/role ${MANAGER} manager`), [
      `Max (${await num(MANAGER)}) already is manager of <b>Alpha</b>.`,
    ]);
    // Not in beta, not a role that does not exist, not a member nobody knows.
    assert.deepEqual(await text(owner, `/role ${MANAGER} manager beta`), [
      "⛔ Your roles in Beta don't allow this.",
    ]);
    assert.match((await text(owner, `/role ${MANAGER} boss`))[0]!, /^Give a role: /);
    assert.deepEqual(await text(owner, "/role @ghost analyst"), [
      "I don't know @ghost: they need to open the bot once first.",
    ]);
    assert.deepEqual(await text(owner, "/role"), [
      [
        "👥 Roles in <b>Alpha</b>:",
        `• Olga (${await num(OWNER)}): owner`,
        `• Rita (${await num(REVIEWER)}): reviewer`,
        `• Anna (${await num(ANALYST)}): analyst`,
        `• Max (${await num(MANAGER)}): manager`,
      ].join("\n"),
    ]);
    // Only owners see or change roles.
    assert.deepEqual(await text(reviewer, "/role"), ["⛔ Your roles in Alpha don't allow this."]);
    // Role holders see the admin commands in /help.
    assert.match((await text(analyst, "/help"))[0]!, /Администрирование/);
    assert.doesNotMatch((await text(nobody, "/help"))[0]!, /Admin/);

    // Flagged referrals in both campaigns.
    const ref = await h.member(7100, "Ref");
    const referees = [];
    for (const [i, slug] of ["alpha", "alpha", "beta", "beta"].entries()) {
      const m = await h.member(7101 + i, `R${i}`);
      referees.push(m);
      await attribute(h.ctx, { refereeId: m.id, code: ref.code, source: "start", campaign: slug });
    }
    for (const [i, m] of referees.entries())
      await completeChallenge(h.ctx, {
        memberId: m.id,
        challengeId: "join",
        campaign: i < 2 ? "alpha" : "beta",
        source: "test",
      });
    const items = await db.db.select().from(reviewItems).orderBy(asc(reviewItems.id));
    const alphaItems = items.filter((i) => i.campaignId === alpha!.id);
    const betaItem = items.find((i) => i.campaignId === beta!.id)!;
    assert.ok(alphaItems.length > 0 && betaItem);

    // Reviewer: alpha's queue only, each item naming its campaign.
    const queue = await h.say(reviewer, "/review");
    const shown = queue
      .filter((c) => String(c.params.text).startsWith("🔎"))
      .map((c) => String(c.params.text));
    assert.deepEqual(
      shown.map((s) => /#(\d+)/.exec(s)![1]),
      alphaItems.map((i) => String(i.id)),
    );
    assert.ok(shown.every((s) => s.includes("</b> · Alpha\n")));
    // A forged button for beta's review: refused, nothing decided, no reason asked.
    const msg = queue[0]!.result as Message;
    for (const data of [`rv:a:${betaItem.id}`, `rv:r:${betaItem.id}`]) {
      const calls = await h.send(h.fake.callback(reviewer, data, msg));
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.text, c.params.show_alert]),
        [["answerCallbackQuery", "⛔ Your roles in Beta don't allow this.", true]],
        data,
      );
    }
    const [stillOpen] = await db.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.id, betaItem.id));
    assert.equal(stillOpen?.status, "open");
    const approve = await h.send(h.fake.callback(reviewer, `rv:a:${alphaItems[0]!.id}`, msg));
    assert.equal(
      approve.at(-1)?.params.text,
      `✅ Review #${alphaItems[0]!.id} approved: the invitation is paid.`,
    );
    // A reviewer does not pause or broadcast.
    assert.deepEqual(await text(reviewer, "/pause"), ["⛔ Your roles in Alpha don't allow this."]);

    // Analyst (Russian): no pause, no queue.
    assert.deepEqual(await text(analyst, "/pause alpha"), [
      "⛔ Ваши роли в кампании «Альфа» этого не позволяют.",
    ]);
    assert.deepEqual(await text(analyst, "/review"), [
      "⛔ Ни одна из ваших ролей этого не позволяет (действовать сразу во всех кампаниях могут только главные администраторы).",
    ]);
    assert.deepEqual(
      await db.db
        .select({ id: campaignsTable.id })
        .from(campaignsTable)
        .where(eq(campaignsTable.state, "paused")),
      [],
    );

    // Manager: pauses alpha (not beta), broadcasts to alpha's members only.
    assert.deepEqual(await text(manager, "/pause beta"), [
      "⛔ Your roles in Beta don't allow this.",
    ]);
    assert.match((await text(manager, "/pause"))[0]!, /^⏸ <b>Alpha<\/b> is paused/);
    assert.deepEqual(await text(manager, "/resume alpha"), ["▶️ <b>Alpha</b> is running again."]);
    assert.deepEqual(await text(manager, "/broadcast beta\nHello beta"), [
      "⛔ Your roles in Beta don't allow this.",
    ]);
    assert.deepEqual(await db.db.select().from(botBroadcasts), []);
    const calls = await h.say(manager, "/broadcast\nHello alpha");
    const confirm = calls.at(-1)!;
    const [draft] = await db.db.select().from(botBroadcasts);
    assert.equal(draft?.campaignId, alpha!.id);
    // Alpha's members: the inviter and the two invited there (not beta's, not the staff).
    assert.equal(confirm.params.text, "Send this to 3 members of <b>Alpha</b>?");
    // Another campaign's admin cannot start it with a forged button; its manager can.
    const forged = await h.send(
      h.fake.callback(analyst, `bc:go:${draft!.id}`, confirm.result as Message),
    );
    assert.deepEqual(
      forged.map((c) => [c.method, c.params.text]),
      [["answerCallbackQuery", "⛔ Ваши роли в кампании «Альфа» этого не позволяют."]],
    );
    await h.send(h.fake.callback(manager, `bc:go:${draft!.id}`, confirm.result as Message));
    await h.fake.waitFor(
      (c) => c.method === "editMessageText" && String(c.params.text).startsWith("✅"),
      30_000,
      "the broadcast's final edit",
    );
    for (const id of [7100, 7101, 7102]) assert.ok(h.fake.textsTo(id).includes("Hello alpha"));
    for (const id of [7103, 7104, OWNER, REVIEWER])
      assert.ok(!h.fake.textsTo(id).includes("Hello alpha"), String(id));

    // /unrole: the reviewer is out at once.
    assert.deepEqual(await text(owner, `/unrole ${REVIEWER} reviewer`), [
      `✅ Rita (${await num(REVIEWER)}) is no longer reviewer of <b>Alpha</b>.`,
    ]);
    assert.deepEqual(await text(reviewer, "/review"), [
      "This command is for campaign admins only.",
    ]);

    // The audit log: who did what where, refusals included.
    const rows = await db.db.select().from(auditLog).orderBy(asc(auditLog.id));
    const of = (action: string) => rows.filter((r) => r.action === action);
    assert.deepEqual(
      of("role.granted").map((r) => [r.actor, r.campaignId, r.details.role]),
      [
        [actor(ADMIN_ID), alpha!.id, "owner"],
        [actor(OWNER), alpha!.id, "reviewer"],
        [actor(OWNER), alpha!.id, "analyst"],
        [actor(OWNER), alpha!.id, "manager"],
      ],
    );
    assert.deepEqual(
      of("access.denied").map((r) => [r.actor, r.campaignId, r.details.attempted]),
      [
        [actor(OWNER), beta!.id, "role.manage"],
        [actor(REVIEWER), alpha!.id, "role.manage"],
        [actor(REVIEWER), beta!.id, "review.decide"],
        [actor(REVIEWER), beta!.id, "review.decide"],
        [actor(REVIEWER), alpha!.id, "campaign.pause"],
        [actor(ANALYST), alpha!.id, "campaign.pause"],
        [actor(ANALYST), null, "review.read"],
        [actor(MANAGER), beta!.id, "campaign.pause"],
        [actor(MANAGER), beta!.id, "broadcast.send"],
        [actor(ANALYST), alpha!.id, "broadcast.send"],
      ],
    );
    assert.deepEqual(
      rows
        .filter((r) => r.action.startsWith("broadcast.") || r.action.startsWith("campaign."))
        .map((r) => [r.action, r.campaignId, r.before, r.after?.status ?? r.after]),
      [
        ["campaign.paused", alpha!.id, { state: "active" }, { state: "paused" }],
        ["campaign.resumed", alpha!.id, { state: "paused" }, { state: "active" }],
        ["broadcast.drafted", alpha!.id, null, "draft"],
        ["broadcast.started", alpha!.id, { status: "draft" }, "running"],
      ],
    );
  });
});

test("a super-admin's /broadcast without a campaign still goes to every member; with one, to its members", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: campaigns() });
    const root = h.user(ADMIN_ID, "en", "Root");
    await h.say(root, "/start");
    const ref = await h.member(7200, "Ref");
    const invited = await h.member(7201, "Inv");
    await h.member(7202, "Loner");
    await attribute(h.ctx, {
      refereeId: invited.id,
      code: ref.code,
      source: "start",
      campaign: "beta",
    });
    const everyone = await h.say(root, "/broadcast\nHi all");
    assert.equal(everyone.at(-1)?.params.text, "Send this to 4 members?");
    const betaOnly = await h.say(root, "/broadcast beta\nHi beta");
    assert.deepEqual(
      betaOnly.map((c) => c.params.text),
      ["Hi beta", "👀 Preview in 🇬🇧 English ↑", "Send this to 2 members of <b>Beta</b>?"],
    );
    const drafts = await db.db.select().from(botBroadcasts).orderBy(asc(botBroadcasts.id));
    assert.deepEqual(
      drafts.map((d) => [d.campaignId, d.texts]),
      [
        [null, { en: "Hi all" }],
        [h.ctx.campaigns.bySlug("beta")!.id, { en: "Hi beta" }],
      ],
    );
  });
});

test("role holders get the admin command menu in their chat when the bot starts", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: campaigns(),
      beforeStart: async ({ db }) => {
        const ctx = { db: db.db, now: () => new Date() };
        const { member } = await ensureMember(ctx, { id: REVIEWER, firstName: "Rita" });
        const [alpha] = await db.db
          .select()
          .from(campaignsTable)
          .where(eq(campaignsTable.slug, "alpha"));
        await grantRole(ctx, systemAdmin(), {
          campaignId: alpha!.id,
          memberId: member.id,
          role: "reviewer",
        });
      },
    });
    // The last menu set: Russian, in the role holder's chat.
    await h.fake.waitFor(
      (c) =>
        c.method === "setMyCommands" &&
        c.params.language_code === "ru" &&
        (c.params.scope as { chat_id?: number } | undefined)?.chat_id === REVIEWER,
      30_000,
      "the role holder's menu",
    );
    const chats = (chatId: number) =>
      h.fake
        .callsTo("setMyCommands")
        .filter((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === chatId)
        .map((c) => (c.params.commands as Array<{ command: string }>).map((x) => x.command));
    for (const id of [ADMIN_ID, REVIEWER]) {
      assert.ok(chats(id).length > 0, String(id));
      assert.ok(
        chats(id).every((menu) => menu.includes("review") && menu.includes("role")),
        String(id),
      );
    }
    assert.deepEqual(chats(NOBODY), []);
  });
});
