/**
 * Source verification of a deployed campaign on an Etherscan-compatible block explorer, with
 * `@nomicfoundation/hardhat-verify`: every contract of the Ignition deployment (address,
 * constructor arguments, fully qualified name from its journal) is submitted with the standard
 * JSON input it was compiled from, and the explorer's verdict is awaited.
 *
 * The explorer: Hardhat's own list of chains (Etherscan's API v2), or `EXPLORER_API_URL` (and
 * `EXPLORER_URL` for links) for any Etherscan-compatible API; the key is `ETHERSCAN_API_KEY`
 * (environment or Hardhat keystore).
 */
import { fileURLToPath } from "node:url";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { getVerificationInformation } from "@nomicfoundation/ignition-core";
import type { HardhatUserConfig } from "hardhat/config";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ExplorerSettings {
  /** An Etherscan-compatible API (`…/api`); absent: the one Hardhat knows for the chain. */
  apiUrl?: string;
  /** The explorer's web address, for links (default: the API's origin). */
  url?: string;
  /** Default: `ETHERSCAN_API_KEY` from the environment or the Hardhat keystore. */
  apiKey?: string;
}

export interface VerificationOutcome {
  /** `contracts/ReferralPayouts.sol:ReferralPayouts`. */
  contract: string;
  address: string;
  verified: boolean;
  /** Why not, when not. */
  error?: string;
}

/**
 * Verifies every contract of the Ignition deployment in `deploymentDir` on the chain at
 * `rpcUrl`. A contract already verified counts as verified (nothing is submitted again).
 */
export async function verifyDeployment(options: {
  deploymentDir: string;
  rpcUrl: string;
  chainId: number;
  explorer: ExplorerSettings;
}): Promise<VerificationOutcome[]> {
  const userConfig = (await import("../../hardhat.config.ts")).default as HardhatUserConfig;
  const { apiUrl, url, apiKey } = options.explorer;
  const config: HardhatUserConfig = {
    ...userConfig,
    networks: {
      ...userConfig.networks,
      // The chain the contracts are on, by the URL the deploy used (read-only: no accounts).
      verificationTarget: { type: "http", chainType: "l1", url: options.rpcUrl },
    },
    chainDescriptors:
      apiUrl === undefined
        ? userConfig.chainDescriptors
        : {
            ...userConfig.chainDescriptors,
            [options.chainId]: {
              name: `chain ${options.chainId}`,
              blockExplorers: {
                etherscan: { name: "the explorer", url: url ?? new URL(apiUrl).origin, apiUrl },
              },
            },
          },
    verify: {
      ...userConfig.verify,
      ...(apiKey === undefined ? {} : { etherscan: { apiKey } }),
    },
  };
  const hre = await createHardhatRuntimeEnvironment(
    config,
    { network: "verificationTarget" },
    ROOT,
  );
  const outcomes: VerificationOutcome[] = [];
  for await (const info of getVerificationInformation(options.deploymentDir)) {
    if (typeof info === "string") {
      outcomes.push({
        contract: info,
        address: "",
        verified: false,
        error: "its artifact could not be resolved",
      });
      continue;
    }
    try {
      const verified = await verifyContract(
        {
          address: info.address,
          constructorArgs: info.constructorArgs,
          libraries: info.libraries,
          contract: info.contract,
          provider: "etherscan",
        },
        hre,
      );
      outcomes.push({ contract: info.contract, address: info.address, verified });
    } catch (error) {
      outcomes.push({
        contract: info.contract,
        address: info.address,
        verified: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return outcomes;
}
