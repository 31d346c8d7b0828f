/**
 * `/admin` through the fake Bot API: an admin (super-admin or a campaign role) gets a
 * single-use link into the admin console whose session is an admin session (12 hours); a
 * member without a role is refused and gets no link. The bot's jobs send admins alerts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { campaignTokens, members, reviewItems } from "../../server/db/schema.ts";
import { attribute, grantRole, systemAdmin } from "../../server/domain/index.ts";
import { qualify } from "../../server/domain/qualification.ts";
import { exchangeLoginToken } from "../../server/domain/webLogin.ts";
import { testCampaign } from "../support/campaign.ts";
import { rowCounts } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { ADMIN_ID, onPglite, startBotHarness } from "./support/harness.ts";

const REVIEWER = 7102;
const NOBODY = 7105;

/** The console link in a reply: in its button, or in its text when Telegram refuses the URL. */
function consoleToken(call: { params: Record<string, unknown> }): string | undefined {
  const everything = JSON.stringify(call.params);
  return /\/admin#token=([A-Za-z0-9_-]{43})/.exec(everything)?.[1];
}

test("/admin sends admins a single-use console link that opens an admin session; others get none", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [
        botCampaign({ slug: "alpha", onchainId: 311, name: { en: "Alpha", ru: "Альфа" } }),
      ],
    });
    const alpha = h.ctx.campaigns.bySlug("alpha")!;
    const root = h.user(ADMIN_ID, "en", "Root");
    const reviewer = h.user(REVIEWER, "ru", "Rita");
    const nobody = h.user(NOBODY, "en", "Ned");
    await h.member(root.id, "Root");
    const rita = await h.member(reviewer.id, "Rita");
    await h.member(nobody.id, "Ned");
    await grantRole(h.ctx, systemAdmin(), {
      campaignId: alpha.id,
      memberId: rita.id,
      role: "reviewer",
    });

    // Nobody: refused, no token written.
    const before = { ...(await rowCounts(db)), bot_updates: 0 };
    const refused = await h.say(nobody, "/admin");
    assert.deepEqual(
      refused.map((c) => String(c.params.text)),
      ["This command is for campaign admins only."],
    );
    assert.equal(consoleToken(refused[0]!), undefined);
    assert.deepEqual({ ...(await rowCounts(db)), bot_updates: 0 }, before);

    // The super-admin and the reviewer (in Russian) each get a link; each works once and
    // opens an admin session of its member.
    for (const [user, member, words] of [
      [root, await h.member(root.id, "Root"), /admin console/],
      [reviewer, rita, /консол/],
    ] as const) {
      const replies = await h.say(user, "/admin");
      assert.equal(replies.length, 1);
      assert.match(String(replies[0]!.params.text), words);
      const token = consoleToken(replies[0]!);
      assert.ok(token, JSON.stringify(replies[0]!.params));
      const session = await exchangeLoginToken(h.ctx, token);
      assert.equal(session.memberId, member.id);
      assert.equal(session.admin, true);
      // Twelve hours, not the member session's thirty days.
      const hours = (session.expiresAt.getTime() - h.ctx.now().getTime()) / 3_600_000;
      assert.ok(hours > 11.9 && hours <= 12, `admin session lasts ${hours} h`);
      await assert.rejects(exchangeLoginToken(h.ctx, token), { code: "login_link_used" });
    }
  });
});

test("admin alerts: invitations entering review and a budget 80 % spent reach the campaign's reviewers and the super-admins once", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [
        testCampaign({
          slug: "alpha",
          onchainId: 312,
          name: { en: "Alpha", ru: "Альфа" },
          fraud: { burst: { maxReferrals: 1, windowMinutes: 60 } },
        }),
      ],
    });
    const alpha = h.ctx.campaigns.bySlug("alpha")!;
    const reviewer = h.user(REVIEWER, "ru", "Rita");
    const nobody = h.user(NOBODY, "en", "Ned");
    const rita = await h.member(reviewer.id, "Rita");
    const ned = await h.member(nobody.id, "Ned");
    // Alerts speak the member's language (Telegram's language code).
    await db.db.update(members).set({ languageCode: "ru" }).where(eq(members.id, rita.id));
    await grantRole(h.ctx, systemAdmin(), {
      campaignId: alpha.id,
      memberId: rita.id,
      role: "reviewer",
    });
    // Ned invites three at once: the burst check sends the later ones to review.
    const invited = [];
    for (const id of [7201, 7202, 7203]) invited.push(await h.member(id, `I${id}`));
    for (const m of invited)
      await attribute(h.ctx, {
        refereeId: m.id,
        code: ned.code,
        source: "start",
        campaign: "alpha",
      });
    for (const m of invited) await qualify(h.ctx, m.id, { type: "wallet_linked" });
    const open = (await db.db.select().from(reviewItems)).filter((i) => i.status === "open");
    assert.ok(open.length >= 1);

    // The jobs send only once the bot has connected to Telegram.
    await h.component.ready!();
    await h.component.runJobs!();
    // The headline, each item with its evidence, and the bulk buttons when there are several.
    const alertLength = 1 + open.length + (open.length > 1 ? 1 : 0);
    const ritaTexts = h.fake.textsTo(reviewer.id);
    assert.equal(ritaTexts.length, alertLength, ritaTexts.join("\n"));
    assert.match(ritaTexts[0]!, /провер.* <b>Альфа<\/b>/);
    assert.match(ritaTexts[0]!, new RegExp(`${open.length} нов`));
    assert.match(ritaTexts[1]!, new RegExp(`Проверка №${open[0]!.id}`));
    const rootTexts = h.fake.textsTo(ADMIN_ID);
    assert.equal(rootTexts.length, alertLength);
    assert.match(rootTexts[0]!, /for review in <b>Alpha<\/b>/);
    // Ned (no role) gets his member notices, no admin alert.
    assert.ok(!h.fake.textsTo(nobody.id).some((text) => /review|budget/.test(text)));

    // Nothing new: nothing sent again.
    await h.component.runJobs!();
    assert.equal(h.fake.textsTo(reviewer.id).length, alertLength);
    assert.equal(h.fake.textsTo(ADMIN_ID).length, alertLength);

    // 80 % of the budget granted: the super-admin hears of it (a reviewer's role does not
    // cover budgets), once.
    await db.db
      .update(campaignTokens)
      .set({ granted: sql`${campaignTokens.budget} * 8 / 10` })
      .where(eq(campaignTokens.campaignId, alpha.id));
    await h.component.runJobs!();
    await h.component.runJobs!();
    const budget = h.fake.textsTo(ADMIN_ID).slice(alertLength);
    assert.equal(budget.length, 1, budget.join("\n"));
    assert.match(budget[0]!, /<b>Alpha<\/b> has granted 80 % of its REF budget/);
    assert.equal(h.fake.textsTo(reviewer.id).length, alertLength);
  });
});
