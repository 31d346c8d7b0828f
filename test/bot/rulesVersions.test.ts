/**
 * Rules versions in the bot (bot/rulesChanges.ts): `/rules` ends with the version in effect,
 * its public document (the fingerprint recorded on-chain) and what that version changed; the
 * campaign's members get a `rules_changed` notice listing the changes, in their language.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DatabaseHandle } from "../../server/db/index.ts";
import { type CampaignDefinition, rulesDocument } from "../../server/domain/campaign.ts";
import { getMemberByTelegramId } from "../../server/domain/index.ts";
import {
  documentHash,
  prepareVersion,
  refreshCampaignVersions,
  rulesPublished,
  versionFor,
  versionState,
} from "../../server/domain/versions.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { onPglite, startBotHarness } from "./support/harness.ts";

const v1 = () => botCampaign();
/** Level 1 pays 12 (was 10), a perk added, the campaign ends in June 2099 (was January). */
const v2 = (): CampaignDefinition =>
  botCampaign({
    endsAt: "2099-06-01T00:00:00Z",
    levels: [
      { level: 1, token: "REF", amount: "12" },
      { level: 2, percent: 20 },
      { level: 3, amount: "1" },
    ],
    perks: [
      { id: "mug", title: { en: "Mug", ru: "Кружка" }, token: "REF", price: "30", stock: 100 },
    ],
  });

/** Version 2 prepared by the command and seen on-chain by the indexer, at 1 Mar 2030. */
async function takeEffect(db: DatabaseHandle, campaignId: number, def: CampaignDefinition) {
  const document = rulesDocument(def);
  const hash = documentHash(document);
  const version = versionFor(await versionState(db.db, campaignId), hash)!;
  await prepareVersion(db.db, {
    campaignId,
    version,
    document,
    rulesUrl: "https://rules.test/v2.json",
    actions: [],
    createdBy: "system",
  });
  await db.db.transaction((tx) =>
    rulesPublished(tx, {
      campaignId,
      version,
      hash,
      uri: "https://rules.test/v2.json",
      blockNumber: 10,
      blockTime: new Date("2030-03-01T12:00:00Z"),
      txHash: `0x${"ef".repeat(32)}`,
    }),
  );
  return hash;
}

test("/rules ends with the version in effect, its document on-chain, and what the version changed", async (t) => {
  await onPglite(async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [v1()], loops: false });
    const campaign = h.ctx.campaigns.bySlug("test")!;
    const hash1 = documentHash(rulesDocument(v1()));
    const footer = async (language: "en" | "ru", id: number) => {
      const [reply] = await h.say(h.user(id, language), "/rules");
      return String(reply?.params.text).split("\n\n")[1]!.split("\n");
    };
    const [first] = await footer("en", 2001);
    assert.match(
      first!,
      new RegExp(
        `^🔖 Rules version 1, in effect since \\d{1,2} \\w{3} \\d{4}\\. The rules document, with its fingerprint \\(SHA-256\\) recorded on-chain: <a href="https://api\\.refmint\\.test/rules/test/${hash1.slice(2)}\\.json">${hash1.slice(0, 6)}…${hash1.slice(-4)}</a>$`,
      ),
    );

    const hash2 = await takeEffect(db, campaign.id, v2());
    // The footer reads the version from the database: it shows before this process switches.
    assert.deepEqual(await footer("en", 2002), [
      `🔖 Rules version 2, in effect since 1 Mar 2030. The rules document, with its fingerprint (SHA-256) recorded on-chain: <a href="https://rules.test/v2.json">${hash2.slice(0, 6)}…${hash2.slice(-4)}</a>`,
      "<b>What changed in version 2:</b>",
      "• End: 1 Jan 2099 → 1 Jun 2099",
      "• Level 1 reward: 10 REF → 12 REF",
      "• Perk “Mug”: new, 30 REF",
    ]);
    assert.deepEqual((await footer("ru", 2003)).slice(1), [
      "<b>Что изменилось в версии 2:</b>",
      "• Окончание: 1 янв. 2099 г. → 1 июн. 2099 г.",
      "• Награда за уровень 1: 10 REF → 12 REF",
      "• Бонус «Кружка»: новое, 30 REF",
    ]);
    // And the rules above it follow the version once this process has switched.
    await refreshCampaignVersions(h.ctx);
    const [reply] = await h.say(h.user(2004, "en"), "/rules");
    assert.ok(String(reply?.params.text).includes("• Level 1: 12 REF"));
  });
});

test("the campaign's members are told the rules changed, with the changes in their language", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await startBotHarness(t, db, { mode: "webhook", campaigns: [v1()] });
    const campaign = h.ctx.campaigns.bySlug("test")!;
    const alice = h.user(3001, "en", "Alice");
    const boris = h.user(3002, "ru", "Boris");
    const outsider = h.user(3003, "en", "Olga");
    await h.say(alice, "/start");
    const aliceMember = (await getMemberByTelegramId(db.db, alice.id))!;
    await h.say(boris, `/start ${aliceMember.code}`);
    await h.say(outsider, "/start");
    await h.queueSettled();
    const before = {
      alice: h.fake.textsTo(alice.id).length,
      boris: h.fake.textsTo(boris.id).length,
      outsider: h.fake.textsTo(outsider.id).length,
    };

    await takeEffect(db, campaign.id, v2());
    await h.queueSettled();
    assert.deepEqual(h.fake.textsTo(alice.id).slice(before.alice), [
      [
        "📜 The rules of <b>Test</b> changed (version 2):",
        "• End: 1 Jan 2099 → 1 Jun 2099",
        "• Level 1 reward: 10 REF → 12 REF",
        "• Perk “Mug”: new, 30 REF",
        "/rules shows the rules in full.",
      ].join("\n"),
    ]);
    assert.deepEqual(h.fake.textsTo(boris.id).slice(before.boris), [
      [
        "📜 Правила кампании <b>Тест</b> изменились (версия 2):",
        "• Окончание: 1 янв. 2099 г. → 1 июн. 2099 г.",
        "• Награда за уровень 1: 10 REF → 12 REF",
        "• Бонус «Кружка»: новое, 30 REF",
        "Правила полностью — в /rules.",
      ].join("\n"),
    ]);
    // Not in the campaign (no referral, no reward): not told.
    assert.equal(h.fake.textsTo(outsider.id).length, before.outsider);
  });
});
