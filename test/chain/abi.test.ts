/**
 * The ABIs in server/chain/abi/ (one file per contract, the shared items in shared.ts) and the
 * dashboard's fragments in miniapp/src/chain/abi.ts are generated from the compiled contracts
 * (`npm run abi`); the server uses them because artifacts/ is absent on a fresh clone. This
 * fails as soon as a contract's ABI changes without regenerating them, or a generated file is
 * edited by hand. (`npm test` compiles the contracts before the app tests.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import * as dashboard from "../../miniapp/src/chain/abi.ts";
import {
  ABI_CONTRACTS,
  artifactAbi,
  DASHBOARD_FRAGMENTS,
  renderAbiFiles,
  staleAbis,
} from "../../scripts/abi.ts";
import * as abis from "../../server/chain/abi.ts";

function ensureArtifacts() {
  if (existsSync("artifacts/contracts/ReferralPayouts.sol/ReferralPayouts.json")) return;
  const built = spawnSync(
    process.execPath,
    ["node_modules/hardhat/dist/src/cli.js", "build", "--quiet"],
    { stdio: "inherit" },
  );
  assert.equal(built.status, 0, "hardhat build");
}

test("every contract's generated ABI equals its compiled ABI", async () => {
  ensureArtifacts();
  for (const name of ABI_CONTRACTS) assert.ok(artifactAbi(name).length > 0, `${name} has an ABI`);
  assert.deepEqual(await staleAbis(), [], "run `npm run abi` after changing a contract");
  // The barrel the chain code imports serves the same ABIs.
  assert.deepEqual(abis.referralPayoutsAbi, artifactAbi("ReferralPayouts"));
  assert.deepEqual(abis.badgesAbi, artifactAbi("Badges"));
});

test("the dashboard's fragments are the compiled functions they name", () => {
  ensureArtifacts();
  assert.deepEqual(
    dashboard.rewardDistributorAbi.map((i) => i.name),
    DASHBOARD_FRAGMENTS.RewardDistributor,
  );
  const claim = artifactAbi("RewardDistributor").find((i) => i.name === "claim");
  assert.deepEqual(dashboard.rewardDistributorAbi[0], claim);
  assert.deepEqual(
    dashboard.badgesAbi.map((i) => i.name),
    DASHBOARD_FRAGMENTS.Badges,
  );
});

test("the generated files hold each shared item once, and nothing else differs from a fresh render", () => {
  ensureArtifacts();
  const files = renderAbiFiles();
  const shared = [...files].find(([f]) => f.endsWith("shared.ts"))![1];
  // An item several contracts declare is written once, not once per contract.
  assert.equal(shared.match(/"name": "AccessControlUnauthorizedAccount"/g)?.length, 1);
  for (const [file] of files) assert.ok(existsSync(file), `${file} is generated`);
  const perContract = [...files].filter(([f]) => /abi\/(?!shared|index)/.test(f));
  for (const [file] of perContract)
    assert.doesNotMatch(
      readFileSync(file, "utf8"),
      /"name": "AccessControlUnauthorizedAccount"/,
      `${file} references the shared item instead of repeating it`,
    );
});
