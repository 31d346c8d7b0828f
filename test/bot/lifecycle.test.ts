/**
 * The lifecycle in the bot: `/campaign` shows the state, `/end` ends it (with the grace and
 * clawback dates), a refused move names the state and the target and changes nothing, `/archive`,
 * a manager may not end, members see the clawback date in `/rules`, and a pilot refuses an
 * outsider's `/start` with a clear message until `/promote`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { auditLog, campaigns, referrals } from "../../server/db/schema.ts";
import { grantRole, systemAdmin } from "../../server/domain/index.ts";
import { botCampaign } from "./support/campaign.ts";
import { ADMIN_ID, onPglite, startBotHarness } from "./support/harness.ts";

test("bot lifecycle: /campaign, /end, a refused /resume, /archive; a manager may not end; /rules shows the clawback date", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [botCampaign()] });
    const admin = h.user(ADMIN_ID, "en", "Admin");
    const text = async (user: ReturnType<typeof h.user>, command: string) =>
      (await h.say(user, command)).map((c) => String(c.params.text));
    const campaign = h.ctx.campaigns.all()[0]!;

    assert.match((await text(admin, "/campaign"))[0]!, /^<b>Test<\/b>: running \(since /);

    // A manager pauses but may not end.
    const mike = (await h.member(701, "Mike")).id;
    await grantRole(h.ctx, systemAdmin(), {
      campaignId: campaign.id,
      memberId: mike,
      role: "manager",
    });
    const manager = h.user(701, "en", "Mike");
    assert.deepEqual(await text(manager, "/end"), ["⛔ Your roles in Test don't allow this."]);

    const ended = (await text(admin, "/end"))[0]!;
    assert.match(ended, /^🏁 <b>Test<\/b> has ended: new invitations are refused from now on\./);
    assert.match(ended, /Members can claim their rewards until /);

    const auditRows = (await db.db.select().from(auditLog)).length;
    assert.deepEqual(await text(admin, "/resume"), [
      "⛔ <b>Test</b> is ended: it can't become running from there. Nothing changed.",
    ]);
    assert.deepEqual(await text(admin, "/pause"), [
      "⛔ <b>Test</b> is ended: it can't become paused from there. Nothing changed.",
    ]);
    assert.equal((await db.db.select().from(auditLog)).length, auditRows, "nothing written");

    const ru = (await text(h.user(702, "ru", "Олег"), "/rules"))[0]!;
    assert.match(ru, /^🏁 Кампания завершена\. .* Заберите награды до <b>/);

    assert.match((await text(admin, "/archive"))[0]!, /^🗄 <b>Test<\/b> is archived\./);
    const [row] = await db.db
      .select({ state: campaigns.state })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id));
    assert.equal(row?.state, "archived");
  });
});

test("bot pilot: an outsider's /start is refused with a clear message; after /promote it counts", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [botCampaign({ pilot: { allowlist: [801], percent: 0, budgetCap: {} } })],
    });
    const admin = h.user(ADMIN_ID, "en", "Admin");
    const { code } = await h.member(802, "Otto");
    const newcomer = h.user(803, "en", "Nina");
    const refused = await h.say(newcomer, `/start ${code}`);
    assert.ok(
      refused.some((c) => /pilot/i.test(String(c.params.text))),
      JSON.stringify(refused.map((c) => c.params.text)),
    );
    assert.equal((await db.db.select().from(referrals)).length, 0);

    assert.match(
      String((await h.say(admin, "/promote"))[0]?.params.text),
      /^🚀 <b>Test<\/b> is open to everyone now\./,
    );
    const late = h.user(804, "en", "Lena");
    await h.say(late, `/start ${code}`);
    assert.equal((await db.db.select().from(referrals)).length, 1);
  });
});
