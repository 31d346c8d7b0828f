/**
 * The campaign registry's reload (server/domain/registrySync.ts) on PGlite and PostgreSQL: a
 * process's registry, built at its start, picks up what another process did to the shared
 * database — a campaign registered and live, a rules version taking effect, a deployment file
 * that appeared — only when the change counter moved; a draft is nobody's yet; a pass with
 * nothing new reads the counter and nothing else; the chain layer's contract index follows.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ContractIndex } from "../../../server/chain/contracts.ts";
import { rulesDocument } from "../../../server/domain/campaign.ts";
import { transitionCampaign } from "../../../server/domain/campaignTransitions.ts";
import { syncDefinitions } from "../../../server/domain/registry.ts";
import { registrySyncState, syncRegistry } from "../../../server/domain/registrySync.ts";
import { registryVersion } from "../../../server/domain/registryVersion.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import {
  documentHash,
  prepareVersion,
  rulesPublished,
  versionFor,
  versionState,
} from "../../../server/domain/versions.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

test("a registry reloads what another process registered, switched or deployed, and only then", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-registry-sync-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await withDatabases(t, async (db) => {
    const alpha = testCampaign({ slug: "alpha", onchainId: 11 });
    // This process: started with alpha only.
    const mine = await syncDefinitions(db.db, [alpha]);
    const ctx = { db: db.db, campaigns: mine };
    const state = registrySyncState();
    const options = { deploymentsDir: dir, chainId: 31337 };
    const index = ContractIndex.fromRegistry(mine);
    mine.onChange(() => index.reload(mine));
    const first = await syncRegistry(ctx, state, options);
    assert.deepEqual(first && [first.added, first.switched, first.deployed], [[], [], []]);
    assert.equal(await syncRegistry(ctx, state, options), undefined, "nothing moved: no reload");

    // Another process registers beta as a draft: nobody's yet, and the counter moved.
    const beta = testCampaign({ slug: "beta", onchainId: 12, name: { en: "Beta", ru: "Бета" } });
    const before = await registryVersion(db.db);
    const theirs = await syncDefinitions(db.db, [beta], { activate: false });
    assert.ok((await registryVersion(db.db)) > before);
    assert.deepEqual((await syncRegistry(ctx, state, options))?.added, []);
    assert.equal(mine.bySlug("beta"), undefined, "a draft joins no registry");

    // Deployed and active there: here it joins, with its deployment file, at the next pass.
    const betaId = theirs.bySlug("beta")!.id;
    await mkdir(path.join(dir, "31337"), { recursive: true });
    await writeFile(
      path.join(dir, "31337", "beta.json"),
      JSON.stringify({
        chainId: 31337,
        campaignId: 12,
        referralPayouts: address(1),
        startBlock: 5,
        tokens: { REF: { token: address(2), distributor: address(3) } },
      }),
    );
    for (const move of ["validate", "deploy", "activate"] as const)
      await transitionCampaign({ db: db.db, now: () => new Date() }, systemAdmin(), betaId, move);
    const joined = await syncRegistry(ctx, state, options);
    assert.deepEqual(joined?.added, ["beta"]);
    assert.equal(mine.bySlug("beta")?.definition.name.ru, "Бета");
    assert.equal(mine.bySlug("beta")?.deployment?.referralPayouts?.toLowerCase(), address(1));
    assert.deepEqual(
      index.campaigns.map((c) => c.slug),
      ["beta"],
      "the contract index follows (alpha has no deployment)",
    );
    assert.equal(index.byPayouts(address(1))?.slug, "beta");

    // A rules version of alpha takes effect (another process's indexer): alpha switches.
    const alphaId = mine.bySlug("alpha")!.id;
    const v2 = { ...alpha, levels: [{ level: 1, token: "REF", amount: "15" }] };
    const document = rulesDocument(v2);
    const hash = documentHash(document);
    const version = versionFor(await versionState(db.db, alphaId), hash)!;
    await prepareVersion(db.db, {
      campaignId: alphaId,
      version,
      document,
      rulesUrl: "https://refmint.test/rules",
      actions: [],
      createdBy: "system",
    });
    assert.equal(await syncRegistry(ctx, state, options), undefined, "pending: nothing moved");
    await db.db.transaction((tx) =>
      rulesPublished(tx, {
        campaignId: alphaId,
        version,
        hash,
        uri: "https://refmint.test/rules",
        blockNumber: 9,
        blockTime: new Date("2030-01-01T00:00:00Z"),
        txHash: `0x${"ab".repeat(32)}`,
      }),
    );
    const switched = await syncRegistry(ctx, state, options);
    assert.deepEqual(switched?.switched, ["alpha"]);
    assert.equal(mine.bySlug("alpha")?.version, 2);
    assert.deepEqual(mine.bySlug("alpha")?.definition.levels, v2.levels);
    assert.equal(await syncRegistry(ctx, state, options), undefined);
  });
});
