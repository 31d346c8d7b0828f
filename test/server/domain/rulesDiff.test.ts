import assert from "node:assert/strict";
import { test } from "node:test";
import { hashDefinition, rulesDocument } from "../../../server/domain/campaign.ts";
import {
  describeChange,
  diffRules,
  memberChanges,
  type RulesChange,
} from "../../../server/domain/rulesDiff.ts";
import { testCampaign } from "../../support/campaign.ts";

const lines = (changes: RulesChange[]) => changes.map(describeChange);

test("the same rules in another key order or with another $schema are the same document and hash", () => {
  const a = testCampaign();
  // Reversed keys at every level, as another editor might write the file.
  const reversed = JSON.parse(JSON.stringify(a), (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).reverse())
      : v,
  );
  const b = { ...reversed, $schema: "./campaign.schema.json" };
  assert.equal(rulesDocument(b), rulesDocument(a));
  assert.equal(hashDefinition(b), hashDefinition(a));
  assert.match(hashDefinition(a), /^[0-9a-f]{64}$/);
  assert.deepEqual(diffRules(a, b), []);
  // The document is canonical JSON: keys sorted, no whitespace, `$schema` left out.
  const doc = rulesDocument(b);
  assert.ok(!doc.includes("$schema") && !doc.includes(" \n"));
  assert.ok(doc.startsWith('{"badges":[],"caps":{'), doc.slice(0, 30));
});

test("amounts per level, the welcome bonus, caps and expiry are told to members as from → to", () => {
  const before = testCampaign({ expiry: { days: 90 } });
  const after = testCampaign({
    levels: [
      { level: 1, token: "REF", amount: "12" },
      { level: 2, percent: 25 },
    ],
    welcomeBonus: { token: "REF", amount: "5" },
    caps: { perMemberDaily: { REF: "200" }, perMemberTotal: {} },
    expiry: { days: 30 },
  });
  assert.deepEqual(lines(diffRules(before, after)), [
    "Level 1: 10 REF → 12 REF",
    "Level 2: 20% of level 1 → 25% of level 1",
    "Level 3 removed (was 1 REF)",
    "Welcome bonus added: 5 REF",
    "Daily limit per member REF added: 200 REF",
    "Unpaid rewards expire after: 90 days → 30 days",
  ]);
  const [level1] = diffRules(before, after);
  assert.deepEqual(level1, {
    subject: "level",
    audience: "members",
    level: 1,
    from: { type: "amount", amount: "10", token: "REF" },
    to: { type: "amount", amount: "12", token: "REF" },
  });
});

test("tiers, challenges, perks, badges and dates are compared by id, each changed field a line", () => {
  const base = testCampaign({
    badges: [{ id: 1, name: { en: "Gold", ru: "Золото" }, transferable: false }],
    perks: [
      { id: "mug", title: { en: "Mug", ru: "Кружка" }, token: "REF", price: "30", stock: 100 },
    ],
  });
  const after = testCampaign({
    endsAt: "2099-06-01T00:00:00Z",
    tiers: [
      { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10000 },
      { id: "pro", name: { en: "Pro", ru: "Про" }, minQualified: 2, multiplierBps: 17500 },
      {
        id: "star",
        name: { en: "Star", ru: "Звезда" },
        minQualified: 10,
        multiplierBps: 20000,
        badgeId: 1,
      },
    ],
    challenges: [
      { id: "join", title: { en: "Join", ru: "Вступить" }, reward: { token: "REF", amount: "3" } },
      { id: "post", title: { en: "Post", ru: "Пост" }, reward: { token: "REF", amount: "1" } },
    ],
    badges: [{ id: 1, name: { en: "Gold", ru: "Золото" }, transferable: true }],
    perks: [
      { id: "mug", title: { en: "Mug", ru: "Кружка" }, token: "REF", price: "25", stock: 150 },
      {
        id: "tee",
        title: { en: "T-shirt", ru: "Футболка" },
        token: "REF",
        price: "80",
        stock: null,
      },
    ],
  });
  assert.deepEqual(lines(diffRules(base, after)), [
    "Ends: 2099-01-01T00:00:00.000Z → 2099-06-01T00:00:00.000Z",
    'Tier from (friends who counted) "Pro": 3 → 2',
    'Tier multiplier "Pro": ×1.5 → ×1.75',
    'Tier "Star" added: 10',
    'Task reward "Join": 2 REF → 3 REF',
    'Task "Post" added: 1 REF',
    'Perk price "Mug": 30 REF → 25 REF',
    'Perk stock "Mug": 100 → 150',
    'Perk "T-shirt" added: 80 REF',
    'Badge transferable "Gold": no → yes',
  ]);
  assert.ok(diffRules(base, after).every((c) => c.audience === "members"));
});

test("fraud thresholds, A/B variants, limits and escrow are the operator's lines, never members'", () => {
  const before = testCampaign();
  const after = testCampaign({
    fraud: { maxRefereesPerIp: 5 },
    variants: [{ id: "generous", weight: 1, levelAmounts: { "1": "15" } }],
    tokens: [{ ...before.tokens[0]!, budget: "2000000", dailyLimit: "50000" }],
    escrow: { publishDelayHours: 24 },
  });
  const changes = diffRules(before, after);
  assert.deepEqual(lines(memberChanges(changes)), ["Budget REF: 1000000 REF → 2000000 REF"]);
  assert.deepEqual(lines(changes.filter((c) => c.audience === "operator")), [
    "Token setting REF dailyLimit: 100000 → 50000",
    "Escrow publishDelayHours: 0 → 24",
    "Fraud check maxRefereesPerIp: 1000 → 5",
    'A/B variant generous added: {"id":"generous","weight":1,"levelAmounts":{"1":"15"}}',
  ]);
});

test("who can be invited (attribution.newMembersOnly) is a members' line; absent is the default, new members only", () => {
  const base = testCampaign();
  const partner = testCampaign({ attribution: { newMembersOnly: false } });
  assert.deepEqual(lines(diffRules(base, partner)), [
    "Only members new to the community can be invited: yes → no",
  ]);
  const [line] = diffRules(base, partner);
  assert.equal(line?.audience, "members");
  assert.deepEqual(line?.to, { type: "flag", value: false });
  assert.deepEqual(lines(diffRules(partner, base)), [
    "Only members new to the community can be invited: no → yes",
  ]);
  // Spelling out the default is no change.
  assert.deepEqual(diffRules(base, testCampaign({ attribution: { newMembersOnly: true } })), []);
});
