/**
 * The rules a promoted winner leaves (server/domain/analytics/promote.ts): the winner's level
 * amounts written into the levels (a percent level it overrode becomes the fixed amount it
 * paid, in its token), no variants left, everything else unchanged, and the result a valid
 * campaign whose rules pay every member what the winner's members were paid. Promoting never
 * replaces someone else's pending version.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../server/db/index.ts";
import { promotedDefinition, promoteWinner } from "../../../server/domain/analytics/promote.ts";
import { attributeMany } from "../../../server/domain/attribution.ts";
import {
  compileCampaign,
  parseCampaignDefinition,
  rulesDocument,
} from "../../../server/domain/campaign.ts";
import { ensureMembers } from "../../../server/domain/members.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { assignVariant, levelBases } from "../../../server/domain/rules.ts";
import { prepareVersion, versionState } from "../../../server/domain/versions.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

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

test("promoteWinner: a pending version with other rules is not replaced; nothing is written", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [definition] });
    const campaign = d.ctx.campaigns.bySlug("promo")!;
    // Referrers of each arm (assigned by a hash of the member number), 40 referees each:
    // control qualifies 8, generous 30 (p < 0.001).
    const candidates = (
      await ensureMembers(
        d.ctx,
        Array.from({ length: 20 }, (_, i) => ({ id: 9_000 + i, firstName: `R${i}` })),
      )
    ).map((r) => r.member);
    let next = 20_000;
    for (const [arm, qualified] of [
      ["control", 8],
      ["generous", 30],
    ] as const) {
      const referrer = candidates.find((m) => assignVariant(campaign.rules, m.id) === arm)!;
      const referees = (
        await ensureMembers(
          d.ctx,
          Array.from({ length: 40 }, () => ({ id: next++, firstName: "Ref" })),
        )
      ).map((r) => r.member);
      await attributeMany(
        d.ctx,
        referees.map((r) => ({ refereeId: r.id, code: referrer.code, source: "start" as const })),
      );
      for (const r of referees.slice(0, qualified))
        await qualify(d.ctx, r.id, { type: "wallet_linked" });
    }
    const input = { variant: "generous", mde: 0.02, publicUrl: "https://refmint.example" };

    // Someone's pending version with other rules (a new name).
    const state = await versionState(d.ctx.db, campaign.id);
    const other = rulesDocument({ ...definition, name: { en: "Renamed", ru: "Переименована" } });
    await prepareVersion(d.ctx.db, {
      campaignId: campaign.id,
      version: state.nextVersion,
      document: other,
      rulesUrl: "https://refmint.example/rules/promo/other.json",
      actions: [],
      createdBy: "system",
    });
    const count = async () => {
      const [row] = await queryRows<{ versions: number; audits: number }>(
        d.ctx.db,
        sql`select (select count(*) from campaign_versions)::int as versions,
          (select count(*) from audit_log where action = 'experiment.promoted')::int as audits`,
      );
      return row;
    };
    const before = await count();
    await assert.rejects(promoteWinner(d.ctx, systemAdmin(), campaign, input), {
      code: "rules_version_pending",
    });
    assert.deepEqual(await count(), before);
    const pending = (await versionState(d.ctx.db, campaign.id)).pending!;
    assert.equal(pending.document, other, "the pending version is untouched");

    // Not the winner: refused whatever the pending state.
    await assert.rejects(
      promoteWinner(d.ctx, systemAdmin(), campaign, { ...input, variant: "control" }),
      { code: "experiment_no_winner" },
    );
  });
});
