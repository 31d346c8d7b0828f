/**
 * Two `npm start` processes on one PostgreSQL database (two API instances, each with its bot
 * in webhook mode on the fake Bot API), started with the same campaign files (alpha). A third
 * process — this test, as the deploy command does when it registers — registers and activates
 * campaign beta. Without a restart both serve beta's API and the second attributes
 * `/start <code>__beta` in beta: the registry's change counter moved and its notification woke
 * them (server/campaignRefresh.ts). Their poll is set to ten minutes here, so only the
 * notification can have done it (the poll's own logic: test/server/domain/registrySync.test.ts).
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { openDatabase } from "../../server/db/index.ts";
import { referrals } from "../../server/db/schema.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { syncDefinitions } from "../../server/domain/registry.ts";
import { FakeTelegram } from "../bot/support/fakeTelegram.ts";
import { WEBHOOK_SECRET } from "../bot/support/harness.ts";
import { until } from "../chain/support.ts";
import { testCampaign } from "../support/campaign.ts";
import { createPostgresDatabase, postgresTest } from "../support/db.ts";
import { startMain } from "../support/process.ts";
import { TEST_BOT_TOKEN } from "../support/telegram.ts";

postgresTest(
  "a campaign registered by another process is served and attributed by running instances without a restart",
  async (t) => {
    const fake = await FakeTelegram.start({ token: TEST_BOT_TOKEN });
    const { url: databaseUrl, drop } = await createPostgresDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "refmint-refresh-"));
    t.after(async () => {
      await fake.close();
      await drop();
      await rm(dir, { recursive: true, force: true });
    });
    await mkdir(path.join(dir, "campaigns"), { recursive: true });
    const alpha = testCampaign({ slug: "alpha", onchainId: 31 });
    await writeFile(path.join(dir, "campaigns", "alpha.json"), JSON.stringify(alpha));
    const env = {
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: databaseUrl,
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_USERNAME: "refmint_test_bot",
      PUBLIC_URL: "https://api.refmint.test",
      BOT_MODE: "webhook",
      BOT_WEBHOOK_URL: "http://bot.refmint.test/telegram/webhook",
      BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CAMPAIGNS_DIR: path.join(dir, "campaigns"),
      DEPLOYMENTS_DIR: path.join(dir, "deployments"),
      CAMPAIGN_REFRESH_SECONDS: "600",
      JOBS_INTERVAL_SECONDS: "0",
    };
    const first = startMain(env);
    t.after(() => first.killAll());
    const firstUrl = await first.listening;
    const second = startMain(env);
    t.after(() => second.killAll());
    const secondUrl = await second.listening;
    for (const p of [first, second]) await p.waitFor(/listening for campaign changes/);
    const status = async (base: string, slug: string) =>
      (await fetch(`${base}/api/campaigns/${slug}`)).status;
    assert.equal(await status(secondUrl, "alpha"), 200);
    assert.equal(await status(secondUrl, "beta"), 404, "beta is nobody's yet");

    // The third process: beta registered and made live, Rita a member with her code.
    const db = await openDatabase({ url: databaseUrl, poolSize: 1 });
    let code: string;
    let betaId: number;
    let ritaId: number;
    try {
      const beta = testCampaign({ slug: "beta", onchainId: 32, name: { en: "Beta", ru: "Бета" } });
      betaId = (await syncDefinitions(db.db, [beta])).bySlug("beta")!.id;
      const rita = await ensureMember(
        { db: db.db, now: () => new Date() },
        { id: 7101, firstName: "Rita", username: "rita", languageCode: "en" },
      );
      code = rita.member.code;
      ritaId = rita.member.id;
    } finally {
      await db.close();
    }

    // Both instances serve it once their next refresh ran; no restart.
    for (const base of [firstUrl, secondUrl])
      await until(`beta served at ${base}`, async () => (await status(base, "beta")) === 200);
    const served = (await (await fetch(`${secondUrl}/api/campaigns/beta`)).json()) as {
      name: { ru: string };
    };
    assert.equal(served.name.ru, "Бета");

    // Quinn starts the second instance's bot with Rita's link to beta: attributed in beta.
    const quinn = { id: 7102, is_bot: false, first_name: "Quinn", language_code: "en" };
    await fake.waitFor((c) => c.method === "setWebhook", 60_000, "the webhook set");
    const res = await fake.deliver(
      `${secondUrl}/telegram/webhook`,
      fake.message(quinn, `/start ${code}__beta`),
      WEBHOOK_SECRET,
    );
    assert.equal(res.status, 200);
    await fake.waitFor(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === quinn.id,
      60_000,
      "the welcome",
    );
    const check = await openDatabase({ url: databaseUrl, poolSize: 1 });
    try {
      const rows = await until("Quinn's referral in beta", async () => {
        const r = await check.db
          .select()
          .from(referrals)
          .where(and(eq(referrals.campaignId, betaId), eq(referrals.referrerId, ritaId)));
        return r.length > 0 ? r : undefined;
      });
      assert.equal(rows.length, 1);
      assert.equal(
        (
          await check.db
            .select()
            .from(referrals)
            .where(and(eq(referrals.referrerId, ritaId)))
        ).length,
        1,
        "attributed in beta only",
      );
    } finally {
      await check.close();
    }
    assert.ok(
      second.lines.some((l) => l.includes('"msg":"campaigns reloaded"') && l.includes("beta")),
      "the second instance reloaded beta",
    );
  },
);
