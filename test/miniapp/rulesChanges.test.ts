/**
 * The dashboard's wording of a rules version's changes (miniapp/src/shared/rulesChanges.ts),
 * from the very lines the server computes (server/domain/rulesDiff.ts), in both languages:
 * every subject the server can send has its words in each.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DICTIONARIES } from "../../miniapp/src/i18n/locales.ts";
import { LANGS, type Lang, type Params, translate } from "../../miniapp/src/i18n/translate.ts";
import { changeText } from "../../miniapp/src/shared/rulesChanges.ts";
import { CHANGE_SUBJECTS, diffRules } from "../../server/domain/rulesDiff.ts";
import { testCampaign } from "../support/campaign.ts";

const tr = (lang: Lang) => (key: string, params?: Params) =>
  translate(DICTIONARIES, lang, key, params);

test("a version's changes read the same in the dashboard as in the bot, in English and Russian", () => {
  const before = testCampaign({ expiry: { days: 90 } });
  const after = testCampaign({
    levels: [
      { level: 1, token: "REF", amount: "1250.5" },
      { level: 2, percent: 12.5 },
    ],
    expiry: { days: 21 },
    qualification: { type: "hold", hours: 48 },
    perks: [
      { id: "mug", title: { en: "Mug", ru: "Кружка" }, token: "REF", price: "30", stock: null },
    ],
  });
  const changes = diffRules(before, after).filter((c) => c.audience === "members");
  assert.deepEqual(
    changes.map((c) => changeText(c, "en", tr("en"))),
    [
      "An invitation counts when your friend: links a wallet → stays with us for 48 hours",
      "Level 1 reward: 10 REF → 1,250.5 REF",
      "Level 2 reward: 20% of level 1 → 12.5% of level 1",
      "Level 3 reward: removed (was 1 REF)",
      "Unpaid rewards expire after: 90 days → 21 days",
      "Perk “Mug”: new, 30 REF",
    ],
  );
  assert.deepEqual(
    changes.map((c) => changeText(c, "ru", tr("ru"))),
    [
      "Приглашение засчитывается, когда друг: привяжет кошелёк → пробудет с нами 48 ч",
      "Награда за уровень 1: 10 REF → 1\u00a0250,5 REF",
      "Награда за уровень 2: 20\u00a0% от уровня 1 → 12,5\u00a0% от уровня 1",
      "Награда за уровень 3: убрано (было 1 REF)",
      "Невыплаченные награды сгорают через: 90 дней → 21 день",
      "Бонус «Кружка»: новое, 30 REF",
    ],
  );
});

test("every change subject has its words in both languages", () => {
  for (const lang of LANGS)
    for (const subject of CHANGE_SUBJECTS)
      assert.ok(
        DICTIONARIES[lang][`rules.subject.${subject}`],
        `${lang}: rules.subject.${subject}`,
      );
});
