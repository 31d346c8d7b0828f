import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { parseUnits } from "viem";
import {
  CampaignFileError,
  compileCampaign,
  issuePath,
  parseCampaignDefinition,
  readCampaignFiles,
  rulesDocument,
  validateCampaignDefinition,
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
  bad({ levels: [{ level: 1, percent: 10 }] }, /levels\[0\]/);
  bad(
    {
      levels: [
        { level: 1, token: "REF", amount: "1" },
        { level: 3, amount: "1" },
      ],
    },
    /levels\[1\]\.level/,
  );
  bad({ levels: [{ level: 1, token: "XYZ", amount: "1" }] }, /unknown token XYZ/);
  bad({ levels: [{ level: 1, token: "REF", amount: "1.0000000000000000001" }] }, /levels/);
  bad(
    { tiers: [{ id: "a", name: { en: "a", ru: "a" }, minQualified: 1, multiplierBps: 10000 }] },
    /tiers\[0\]\.minQualified/,
  );
  bad({ tokens: [{ ...token, cap: "10", budget: "11" }] }, /budget exceeds/);
  bad({ tokens: [{ ...token, decimals: 6 }] }, /decimals/);
  bad(
    { tokens: [{ ...token, dailyLimit: "11" }] },
    /tokens\[0\]\.dailyLimit: daily limit exceeds the budget/,
  );
  bad(
    { tokens: [{ ...token, maxBatchAmount: "6", dailyLimit: "5" }] },
    /tokens\[0\]\.maxBatchAmount: per-batch limit exceeds the daily limit/,
  );
  bad(
    {
      tokens: [
        { ...token, cap: "1000000000000", budget: "100000000000", dailyLimit: "80000000000" },
      ],
    },
    /tokens\[0\]\.dailyLimit: must be below 2\*\*96 wei/,
  );
  bad({ tokens: [{ ...token, maxBatchAmount: undefined }] }, /tokens\[0\]\.maxBatchAmount/);
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
  bad({ tokens: [{ ...usdc, cap: "100" }] }, /tokens\[0\]\.cap: an external token's supply/);
  bad(
    { tokens: [{ ...usdc, maxBatchAmount: "0.0000001" }] },
    /tokens\[0\]\.maxBatchAmount: more decimals than the token's 6/,
  );
  bad({ tokens: [{ ...usdc, external: { address: "0x12" } }] }, /tokens\[0\]\.external\.address/);
  bad(
    { tokens: [{ ...token, cap: undefined }] },
    /tokens\[0\]\.cap: required for a token the campaign mints/,
  );
  // Who can be referred: a flag, and a misspelt key is an error rather than the default kept.
  bad(
    { attribution: { newMembersOnly: "no" } },
    /attribution\.newMembersOnly: Invalid input: expected boolean/,
  );
  bad({ attribution: { newMemberOnly: false } }, /attribution: Unrecognized key: "newMemberOnly"/);
  bad({ attribution: false }, /attribution: Invalid input: expected object/);
});

test("attribution.newMembersOnly: absent means true (and leaves the rules document as it was)", () => {
  const base = testCampaign();
  const plain = parseCampaignDefinition(base, "x.json");
  assert.equal(compileCampaign(plain).newMembersOnly, true);
  assert.ok(!rulesDocument(plain).includes("attribution"), "no new key in old documents");
  const empty = parseCampaignDefinition({ ...base, attribution: {} }, "x.json");
  assert.deepEqual(empty.attribution, { newMembersOnly: true });
  assert.equal(compileCampaign(empty).newMembersOnly, true);
  const partner = parseCampaignDefinition(
    { ...base, attribution: { newMembersOnly: false } },
    "x.json",
  );
  assert.equal(compileCampaign(partner).newMembersOnly, false);
});

test("every problem of a file is reported at once, each at its JSON path", async () => {
  const demo = JSON.parse(
    await readFile(new URL("../../../campaigns/demo.json", import.meta.url), "utf8"),
  );
  demo.slug = "Not A Slug"; // a format problem
  demo.tokens[1].dailyLimit = "600000"; // above ACT's budget: a check across fields
  demo.tokens[0].budget = 1000; // a number where a decimal string belongs: Zod stops there
  delete demo.fraud; // a missing section
  demo.perks[1].token = "XYZ"; // a reference to no token
  demo.variants[1].levelAmounts = { "7": "1" }; // a level the file does not have
  const result = validateCampaignDefinition(demo);
  assert.equal(result.ok, false);
  assert.deepEqual(result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`).sort(), [
    "fraud: Invalid input: expected object, received undefined",
    "perks[1].token: unknown token XYZ",
    "slug: expected lower-case letters, digits and dashes",
    "tokens[0].budget: Invalid input: expected string, received number",
    "tokens[1].dailyLimit: daily limit exceeds the budget",
    'variants[1].levelAmounts["7"]: no such level',
  ]);
  assert.equal(issuePath([]), "(root)");
  assert.equal(issuePath(["caps", "perMemberDaily", "REF"]), "caps.perMemberDaily.REF");
});

test("validation never throws, whatever a field holds, and accepts the file once it is put back", async () => {
  const demo = JSON.parse(
    await readFile(new URL("../../../campaigns/demo.json", import.meta.url), "utf8"),
  ) as Record<string, unknown>;
  // Every path of the demo file, leaves and sections alike.
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]) => {
    if (at.length > 0) paths.push(at);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...at, i]);
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(demo, []);
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.constant("1e400"),
    fc.constant("-1"),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), junk), { maxLength: 4 }), (edits) => {
      const copy = structuredClone(demo);
      for (const [at, value] of edits) {
        let node = copy as Record<string | number, unknown> | undefined;
        for (const key of at.slice(0, -1))
          node =
            typeof node?.[key] === "object" && node[key] !== null
              ? (node[key] as Record<string | number, unknown>)
              : undefined;
        if (node) node[at.at(-1)!] = value;
      }
      const result = validateCampaignDefinition(copy);
      if (!result.ok)
        for (const i of result.issues) {
          assert.ok(i.message.length > 0);
          assert.match(
            i.path,
            /^(\(root\)|[A-Za-z$_][\w$]*)(\.[A-Za-z$_][\w$]*|\[\d+\]|\["[^"]*"\])*$/,
          );
        }
    }),
    { numRuns: 150 },
  );
  assert.equal(validateCampaignDefinition(demo).ok, true);
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
