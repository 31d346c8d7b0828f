/**
 * rulesDiff.ts on the parts of a campaign file added with the lifecycle (issue 13): `end`
 * (grace and claim period), `terms`, `participation` (members' lines) and `pilot` (operator
 * only). Before, a version changing only these reported no difference at all.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  describeChange,
  diffRules,
  memberChanges,
  type RulesChange,
} from "../../../server/domain/rulesDiff.ts";
import { testCampaign } from "../../support/campaign.ts";

const lines = (changes: RulesChange[]) => changes.map(describeChange);

test("end: grace hours and claim days are told to members; an absent `end` is its defaults", () => {
  const none = testCampaign();
  // The defaults written out are the same rules as no `end` at all.
  assert.deepEqual(diffRules(none, testCampaign({ end: { graceHours: 72, claimDays: 30 } })), []);
  const changes = diffRules(none, testCampaign({ end: { graceHours: 24, claimDays: 60 } }));
  assert.deepEqual(lines(changes), [
    "Hours after the end in which invitations may still count: 72 → 24",
    "Days to claim rewards after the end: 30 days → 60 days",
  ]);
  assert.deepEqual(
    changes.map((c) => [c.subject, c.audience]),
    [
      ["end.graceHours", "members"],
      ["end.claimDays", "members"],
    ],
  );
  assert.deepEqual(changes[1]!.to, { type: "days", days: 60 });
});

test("terms: added, a new version, a new link and a new text are each one members' line", () => {
  const text = { en: "Be nice.", ru: "Будьте вежливы." };
  const v1 = testCampaign({ terms: { version: "2026-01", text } });
  assert.deepEqual(lines(diffRules(testCampaign(), v1)), [
    "Terms version added: 2026-01",
    "Terms text added: Be nice.",
  ]);
  const v2 = testCampaign({
    terms: {
      version: "2026-02",
      url: "https://example.org/terms",
      text: { en: "Be kind.", ru: "Будьте добры." },
    },
  });
  const changes = diffRules(v1, v2);
  assert.deepEqual(lines(changes), [
    "Terms version: 2026-01 → 2026-02",
    "Terms link added: https://example.org/terms",
    "Terms text: Be nice. → Be kind.",
  ]);
  assert.ok(changes.every((c) => c.audience === "members"));
  assert.deepEqual(changes[2]!.to, {
    type: "localized",
    text: { en: "Be kind.", ru: "Будьте добры." },
  });
  assert.deepEqual(lines(diffRules(v2, testCampaign())), [
    "Terms version removed (was 2026-02)",
    "Terms link removed (was https://example.org/terms)",
    "Terms text removed (was Be kind.)",
  ]);
});

test("participation: countries and languages as sorted lists, minimum age as a number", () => {
  const before = testCampaign({ participation: { countries: ["DE", "AT"] } });
  const after = testCampaign({
    participation: { countries: ["AT", "DE", "CH"], languages: ["ru"], minAge: 18 },
  });
  assert.deepEqual(lines(diffRules(before, after)), [
    "Open in countries: AT, DE → AT, CH, DE",
    "Open in languages added: ru",
    "Minimum age added: 18",
  ]);
  // The same countries in another order are no change.
  assert.deepEqual(
    diffRules(before, testCampaign({ participation: { countries: ["AT", "DE"] } })),
    [],
  );
});

test("pilot: operator-only lines, never shown to members", () => {
  const pilot = { allowlist: [101, "@alice"], percent: 10, budgetCap: { REF: "500" } };
  const started = diffRules(testCampaign(), testCampaign({ pilot }));
  assert.equal(started.length, 1);
  assert.equal(started[0]!.subject, "pilot");
  assert.equal(started[0]!.audience, "operator");
  assert.match(describeChange(started[0]!), /^Pilot added: \{.*"percent":10/);
  const widened = diffRules(
    testCampaign({ pilot }),
    testCampaign({ pilot: { ...pilot, percent: 25, budgetCap: { REF: "800" } } }),
  );
  assert.deepEqual(lines(widened), ["Pilot percent: 10 → 25", "Pilot budgetCap.REF: 500 → 800"]);
  assert.deepEqual(memberChanges(widened), []);
});

test("members' lines come before operator lines when several parts change at once", () => {
  const changes = diffRules(
    testCampaign(),
    testCampaign({
      pilot: { allowlist: [1], percent: 0, budgetCap: {} },
      end: { graceHours: 1, claimDays: 30 },
      participation: { minAge: 21 },
    }),
  );
  assert.deepEqual(
    changes.map((c) => c.subject),
    ["end.graceHours", "participation.minAge", "pilot"],
  );
});
