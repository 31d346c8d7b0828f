import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parseUnits } from "viem";
import {
  CampaignFileError,
  compileCampaign,
  parseCampaignDefinition,
  readCampaignFiles,
} from "../../../server/domain/campaign.ts";
import { loadDeployment } from "../../../server/domain/deployment.ts";
import { testCampaign } from "../../support/campaign.ts";

test("the shipped demo campaign is valid", async () => {
  const files = await readCampaignFiles(new URL("../../../campaigns", import.meta.url).pathname);
  const demo = files.find((f) => f.definition.slug === "demo");
  assert.ok(demo);
  const rules = compileCampaign(demo.definition);
  assert.equal(rules.onchainId, 1);
  assert.deepEqual(
    rules.levels.map((l) =>
      l.kind === "fixed" ? [l.level, l.token, l.amount] : [l.level, l.token, l.bps],
    ),
    [
      [1, "REF", parseUnits("10", 18)],
      [2, "REF", 2000],
      [3, "REF", parseUnits("0.5", 18)],
    ],
  );
  assert.equal(rules.tokens.get("REF")?.budget, parseUnits("1000000", 18));
});

test("invalid definitions are refused with the offending field named", () => {
  const base = testCampaign();
  const token = {
    symbol: "REF",
    name: "R",
    decimals: 18,
    cap: "100",
    budget: "10",
    maxBatch: 1,
    maxBatchAmount: "5",
    dailyLimit: "10",
  };
  const bad = (patch: Record<string, unknown>, field: RegExp) => {
    assert.throws(
      () => parseCampaignDefinition({ ...base, ...patch }, "x.json"),
      (e: unknown) => {
        assert.ok(e instanceof CampaignFileError);
        assert.match(e.message, field);
        return true;
      },
    );
  };
  bad({ slug: "Bad Slug" }, /slug/);
  bad({ levels: [{ level: 1, percent: 10 }] }, /levels\.0/);
  bad(
    {
      levels: [
        { level: 1, token: "REF", amount: "1" },
        { level: 3, amount: "1" },
      ],
    },
    /levels\.1\.level/,
  );
  bad({ levels: [{ level: 1, token: "XYZ", amount: "1" }] }, /unknown token XYZ/);
  bad({ levels: [{ level: 1, token: "REF", amount: "1.0000000000000000001" }] }, /levels/);
  bad(
    { tiers: [{ id: "a", name: { en: "a", ru: "a" }, minQualified: 1, multiplierBps: 10000 }] },
    /tiers\.0\.minQualified/,
  );
  bad({ tokens: [{ ...token, cap: "10", budget: "11" }] }, /budget exceeds/);
  bad({ tokens: [{ ...token, decimals: 6 }] }, /decimals/);
  bad(
    { tokens: [{ ...token, dailyLimit: "11" }] },
    /tokens\.0\.dailyLimit: daily limit exceeds the budget/,
  );
  bad(
    { tokens: [{ ...token, maxBatchAmount: "6", dailyLimit: "5" }] },
    /tokens\.0\.maxBatchAmount: per-batch limit exceeds the daily limit/,
  );
  bad(
    {
      tokens: [
        { ...token, cap: "1000000000000", budget: "100000000000", dailyLimit: "80000000000" },
      ],
    },
    /tokens\.0\.dailyLimit: must be below 2\*\*96 wei/,
  );
  bad({ tokens: [{ ...token, maxBatchAmount: undefined }] }, /tokens\.0\.maxBatchAmount/);
  bad({ escrow: undefined }, /escrow/);
  bad({ escrow: { publishDelayHours: -1 } }, /escrow\.publishDelayHours/);
  bad({ qualification: { type: "challenge", challengeId: "missing" } }, /unknown challenge/);
  bad({ caps: { perMemberDaily: { ABC: "1" }, perMemberTotal: {} } }, /caps\.perMemberDaily\.ABC/);
  bad({ endsAt: "2019-01-01T00:00:00Z" }, /endsAt/);
  bad({ variants: [{ id: "a", weight: 1, levelAmounts: { "9": "1" } }] }, /no such level/);
  // External (vault) tokens: no cap of ours, amounts within the token's decimals.
  const usdc = {
    ...token,
    cap: undefined,
    decimals: 6,
    external: { address: `0x${"1".repeat(40)}` },
  };
  bad({ tokens: [{ ...usdc, cap: "100" }] }, /tokens\.0\.cap: an external token's supply/);
  bad(
    { tokens: [{ ...usdc, maxBatchAmount: "0.0000001" }] },
    /tokens\.0\.maxBatchAmount: more decimals than the token's 6/,
  );
  bad({ tokens: [{ ...usdc, external: { address: "0x12" } }] }, /tokens\.0\.external\.address/);
  bad(
    { tokens: [{ ...token, cap: undefined }] },
    /tokens\.0\.cap: required for a token the campaign mints/,
  );
});

test("an external token's amounts compile in its own decimals (6 for a USDC-like token)", () => {
  const def = testCampaign({
    tokens: [
      {
        symbol: "USDC",
        name: "USD Coin",
        decimals: 6,
        external: { address: `0x${"2".repeat(40)}` },
        budget: "1000",
        maxBatch: 10,
        maxBatchAmount: "100",
        dailyLimit: "500",
      },
    ],
    levels: [
      { level: 1, token: "USDC", amount: "1.25" },
      { level: 2, percent: 20 },
    ],
    challenges: [
      {
        id: "join",
        title: { en: "Join", ru: "Вступить" },
        reward: { token: "USDC", amount: "0.5" },
      },
    ],
  });
  const rules = compileCampaign(def);
  assert.equal(rules.tokens.get("USDC")?.budget, 1_000_000_000n);
  assert.equal(rules.tokens.get("USDC")?.cap, 1_000_000_000n, "no cap: the budget bounds it");
  assert.deepEqual(rules.levels[0], { level: 1, token: "USDC", kind: "fixed", amount: 1_250_000n });
  assert.equal(rules.challenges.get("join")?.amount, 500_000n);
});

test("campaign files: invalid JSON, duplicate slugs and on-chain ids name the file", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-campaigns-"));
  try {
    await writeFile(
      path.join(dir, "a.json"),
      JSON.stringify(testCampaign({ slug: "aa", onchainId: 1 })),
    );
    await writeFile(
      path.join(dir, "b.json"),
      JSON.stringify(testCampaign({ slug: "bb", onchainId: 1 })),
    );
    await assert.rejects(readCampaignFiles(dir), /b\.json: onchainId 1 is also used by .*a\.json/);
    await writeFile(path.join(dir, "b.json"), "{");
    await assert.rejects(readCampaignFiles(dir), /b\.json: not valid JSON/);
    assert.deepEqual(await readCampaignFiles(path.join(dir, "missing")), []);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test("deployments are optional, and a bad file is reported instead of crashing", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-deployments-"));
  try {
    assert.deepEqual(await loadDeployment(dir, 31337, "demo"), { status: "missing" });
    await mkdir(path.join(dir, "31337"));
    await writeFile(
      path.join(dir, "31337", "demo.json"),
      JSON.stringify({
        chainId: 31337,
        referralPayouts: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        tokens: {
          REF: {
            token: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
            distributor: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
          },
        },
        deployedAt: "2025-01-01",
        startBlock: 12,
      }),
    );
    const ok = await loadDeployment(dir, 31337, "demo");
    assert.equal(ok.status, "ok");
    assert.equal(
      ok.status === "ok" && ok.deployment.referralPayouts,
      "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    );
    assert.equal(ok.status === "ok" && ok.deployment.raw.deployedAt, "2025-01-01");
    assert.equal(ok.status === "ok" && ok.deployment.startBlock, 12);
    await writeFile(
      path.join(dir, "31337", "demo.json"),
      JSON.stringify({ referralPayouts: "nope" }),
    );
    const bad = await loadDeployment(dir, 31337, "demo");
    assert.equal(bad.status, "invalid");
    await writeFile(path.join(dir, "31337", "demo.json"), JSON.stringify({ chainId: 1 }));
    assert.equal((await loadDeployment(dir, 31337, "demo")).status, "invalid");
    await writeFile(
      path.join(dir, "31337", "demo.json"),
      JSON.stringify({ chainId: 31337, campaignId: 2 }),
    );
    assert.equal((await loadDeployment(dir, 31337, "demo", 1)).status, "invalid");
    assert.equal((await loadDeployment(dir, 31337, "demo", 2)).status, "ok");
  } finally {
    await rm(dir, { recursive: true });
  }
});
