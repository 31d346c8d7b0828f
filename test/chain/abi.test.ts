/**
 * server/chain/abi.ts is generated from the compiled contracts (`npm run abi`); the server uses
 * it because artifacts/ is absent on a fresh clone. This fails as soon as a contract's ABI
 * changes without regenerating it. (`npm test` compiles the contracts before the app tests.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { ABI_CONTRACTS, artifactAbi, staleAbis } from "../../scripts/abi.ts";

test("the ABIs the server uses equal the compiled contracts' ABIs", async () => {
  if (!existsSync("artifacts/contracts/ReferralPayouts.sol/ReferralPayouts.json")) {
    const built = spawnSync(
      process.execPath,
      ["node_modules/hardhat/dist/src/cli.js", "build", "--quiet"],
      {
        stdio: "inherit",
      },
    );
    assert.equal(built.status, 0, "hardhat build");
  }
  for (const name of ABI_CONTRACTS) assert.ok(artifactAbi(name).length > 0, `${name} has an ABI`);
  assert.deepEqual(await staleAbis(), [], "run `npm run abi` after changing a contract");
});
