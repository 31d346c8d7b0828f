/**
 * The rules a promoted winner leaves (server/domain/analytics/promote.ts): the winner's level
 * amounts written into the levels (a percent level it overrode becomes the fixed amount it
 * paid, in its token), no variants left, everything else unchanged, and the result a valid
 * campaign whose rules pay every member what the winner's members were paid.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { promotedDefinition } from "../../../server/domain/analytics/promote.ts";
import { compileCampaign, parseCampaignDefinition } from "../../../server/domain/campaign.ts";
import { levelBases } from "../../../server/domain/rules.ts";
import { testCampaign } from "../../support/campaign.ts";

const definition = testCampaign({
  slug: "promo",
  variants: [
    { id: "control", weight: 1, levelAmounts: {} },
    { id: "generous", weight: 1, levelAmounts: { "1": "15", "2": "4" } },
  ],
});
const campaign = { rules: compileCampaign(definition) };

test("the winner's amounts become the levels and the variants go", () => {
  const next = promotedDefinition(definition, campaign, "generous");
  assert.deepEqual(next.variants, []);
  assert.deepEqual(next.levels, [
    { level: 1, token: "REF", amount: "15" },
    { level: 2, token: "REF", amount: "4" },
    { level: 3, amount: "1" },
  ]);
  const { levels: _a, variants: _b, ...rest } = next;
  const { levels: _c, variants: _d, ...before } = definition;
  assert.deepEqual(rest, before, "nothing else changes");
  // A valid campaign, paying everyone what the winner's members were paid.
  const compiled = compileCampaign(parseCampaignDefinition(next));
  assert.deepEqual(levelBases(compiled, null), levelBases(campaign.rules, "generous"));
});

test("promoting control leaves the levels as they were; an unknown variant is refused", () => {
  const next = promotedDefinition(definition, campaign, "control");
  assert.deepEqual(next.levels, definition.levels);
  assert.deepEqual(next.variants, []);
  assert.throws(() => promotedDefinition(definition, campaign, "nope"), { code: "not_found" });
});
