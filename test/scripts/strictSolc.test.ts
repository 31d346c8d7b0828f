/**
 * README: "Compiler warnings fail the build". The strict-solc plugin on a throw-away Hardhat
 * project with the real compiler: OpenZeppelin's ReentrancyGuardTransient (what our contracts
 * use) builds with no warning printed (its TransientSlot.sol warning is the one documented
 * exception), while an unused variable or a `tstore` of our own fails the build.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "refmint-solc-"));
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  await writeFile(path.join(dir, "package.json"), '{ "name": "solc-policy", "type": "module" }\n');
  const plugin = pathToFileURL(path.join(ROOT, "scripts/hardhat/strict-solc.ts")).href;
  await writeFile(
    path.join(dir, "hardhat.config.ts"),
    `import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import strictSolc from ${JSON.stringify(plugin)};
const compiler = {
  version: "0.8.30",
  path: createRequire(import.meta.url).resolve("solc/soljson.js"),
  settings: { evmVersion: "prague" },
};
export default defineConfig({
  plugins: [strictSolc],
  solidity: { profiles: { default: compiler, production: compiler } },
});
`,
  );
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function build(sources: Record<string, string>) {
  await rm(path.join(dir, "contracts"), { recursive: true, force: true });
  await rm(path.join(dir, "artifacts"), { recursive: true, force: true });
  await rm(path.join(dir, "cache"), { recursive: true, force: true });
  await mkdir(path.join(dir, "contracts"));
  for (const [name, source] of Object.entries(sources))
    await writeFile(path.join(dir, "contracts", name), source);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "build"],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir },
      encoding: "utf8",
    },
  );
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

test("OpenZeppelin's transient reentrancy guard builds without a warning", async () => {
  const r = await build({
    "Guarded.sol": `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
/// @notice A guarded counter.
contract Guarded is ReentrancyGuardTransient {
    uint256 public count;
    /// @notice Adds one.
    function bump() external nonReentrant { count += 1; }
}
`,
  });
  assert.equal(r.status, 0, r.output);
  assert.doesNotMatch(r.output, /Warning/i);
  assert.match(r.output, /Compiled 1 Solidity file/);
});

test("any other warning fails the build: an unused variable, a tstore of our own", async () => {
  const r = await build({
    "Unused.sol": `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract Unused {
    function f() external pure returns (uint256) { uint256 unused = 1; return 2; }
}
`,
    "OwnTransient.sol": `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract OwnTransient {
    function f() external { assembly { tstore(0, 1) } }
}
`,
  });
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /solc warnings are errors in this project/);
  assert.match(r.output, /Unused local variable/);
  assert.match(r.output, /Transient storage as defined by EIP-1153/);
  assert.match(r.output, /contracts\/OwnTransient\.sol/);
});
