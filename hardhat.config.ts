import { createRequire } from "node:module";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatVerify from "@nomicfoundation/hardhat-verify";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import { configVariable, defineConfig } from "hardhat/config";
import strictSolc from "./scripts/hardhat/strict-solc.ts";

// solc comes from the npm `solc` package (wasm): nothing is downloaded, and the
// path must be absolute for Hardhat to accept it.
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");
const compiler = {
  version: "0.8.30",
  path: solcPath,
  settings: {
    evmVersion: "prague",
    optimizer: { enabled: true, runs: 10_000 },
    viaIR: false,
  },
};

export default defineConfig({
  plugins: [
    hardhatViem,
    hardhatMocha,
    hardhatViemAssertions,
    hardhatNetworkHelpers,
    hardhatIgnitionViem,
    hardhatKeystore,
    hardhatVerify,
    strictSolc,
  ],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    tests: {
      mocha: "test/contracts",
      solidity: "test/contracts",
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 32, failOnRevert: true },
    },
  },
  // Source verification (`npm run deploy -- --verify`): Etherscan's API v2, or any compatible
  // API at EXPLORER_API_URL (scripts/lib/verifyDeployment.ts); the key is read only when used.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    blockscout: { enabled: false },
    sourcify: { enabled: false },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // A real chain: RPC URL and deployer key come from the environment or the
    // Hardhat keystore (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`).
    target: {
      type: "http",
      chainType: "l1",
      url: configVariable("RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
