/**
 * `/admin` through the fake Bot API: an admin (super-admin or a campaign role) gets a
 * single-use link into the admin console whose session is an admin session (12 hours); a
 * member without a role is refused and gets no link.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { grantRole, systemAdmin } from "../../server/domain/index.ts";
import { exchangeLoginToken } from "../../server/domain/webLogin.ts";
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
