/**
 * The chain test harness every test uses (chain, bot, dashboard, server):
 *
 * - {@link startTestChain}: a fresh Hardhat chain served over HTTP from this process, with
 *   snapshots, mining control and an admin wallet;
 * - {@link deployTestCampaign}: a campaign deployed on it with the real Ignition module;
 * - {@link startCampaignChain}: both, plus the backend signer's moves (pay a batch, publish an
 *   epoch, claim from escrow) for tests that need chain state without the payout pipeline;
 * - {@link startHardhatNode}: `hardhat node` as a child process (for processes of their own),
 *   and {@link deployErc1271Wallet}, the lead's ERC-1271 test wallet.
 *
 * Clients come from the service's own factory (server/chain/evm/client.ts).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  getAddress,
  type Hash,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type DeploymentFile,
  type DeployRoles,
  deployCampaign,
} from "../../scripts/lib/deployCampaign.ts";
import {
  referralPayoutsAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "../../server/chain/abi.ts";
import { evmPublicClient, evmWalletClient } from "../../server/chain/evm/client.ts";
import { encodePayoutBatch, type PayoutInstruction } from "../../server/chain/evm/payoutBatch.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import { claimArgs, type RewardAllocation, RewardTree } from "../../verify/rewardFiles.ts";
import { testCampaign } from "./campaign.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Hardhat's publicly known test keys: #0 deploys and administers, #1 is the backend signer. */
export const ADMIN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const SIGNER_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
export const TREASURY_KEY: Hex =
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
/** Hardhat's test keys #3 and #4: a root publisher and a relayer of their own (role tests). */
export const PUBLISHER_KEY: Hex =
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
export const RELAYER_KEY: Hex =
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
/** Hardhat's first default account (the admin's key). */
export const HARDHAT_KEY: Hex = ADMIN_KEY;
export const ADMIN = privateKeyToAccount(ADMIN_KEY);
export const SIGNER = privateKeyToAccount(SIGNER_KEY);
export const TREASURY = privateKeyToAccount(TREASURY_KEY);
export const PUBLISHER = privateKeyToAccount(PUBLISHER_KEY);
export const RELAYER = privateKeyToAccount(RELAYER_KEY);
export const CHAIN_ID = 31337;

export interface TestChain {
  url: string;
  client: PublicClient;
  admin: WalletClient;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  snapshot(): Promise<string>;
  revert(id: string): Promise<void>;
  /**
   * Back to snapshot `id` with automining on, for the next test; returns the snapshot to use
   * next time (a reverted snapshot is spent).
   */
  reset(id: string): Promise<string>;
  mine(blocks?: number): Promise<void>;
  automine(on: boolean): Promise<void>;
  setBalance(address: Address, wei: bigint): Promise<void>;
  close(): Promise<void>;
}

/** A fresh Hardhat chain served over HTTP from this process. */
export async function startTestChain(): Promise<TestChain> {
  const { network } = await import("hardhat");
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  const client = evmPublicClient(url, CHAIN_ID, "test");
  const admin = evmWalletClient(ADMIN, { rpcUrl: url, chainId: CHAIN_ID, profile: "test" });
  const rpc = <T>(method: string, params: unknown[] = []) =>
    client.request({ method: method as "eth_chainId", params: params as never }) as Promise<T>;
  return {
    url,
    client,
    admin,
    rpc,
    snapshot: () => rpc<string>("evm_snapshot"),
    revert: async (id) => {
      assert.equal(await rpc<boolean>("evm_revert", [id]), true, `evm_revert ${id}`);
    },
    reset: async (id) => {
      assert.equal(await rpc<boolean>("evm_revert", [id]), true, `evm_revert ${id}`);
      const next = await rpc<string>("evm_snapshot");
      await rpc("evm_setAutomine", [true]);
      return next;
    },
    mine: async (blocks = 1) => {
      await rpc("hardhat_mine", [`0x${blocks.toString(16)}`]);
    },
    automine: async (on) => {
      await rpc("evm_setAutomine", [on]);
    },
    setBalance: async (address, wei) => {
      await rpc("hardhat_setBalance", [address, `0x${wei.toString(16)}`]);
    },
    close: () => server.close(),
  };
}

export interface TestCampaignDeployment {
  definition: CampaignDefinition;
  deployment: DeploymentFile;
  deploymentsDir: string;
  /** Removes the deployment file directory and the Ignition journal. */
  cleanup(): Promise<void>;
}

let deployments = 0;

/**
 * Deploys a campaign with the real Ignition module: `campaign` is a full definition (its slug
 * must be unique to the test file), or overrides of the test campaign (REF, and ACT when asked)
 * under a fresh slug. `roles` override the defaults: {@link SIGNER} for every backend role,
 * {@link ADMIN} the admin, {@link TREASURY} the treasury.
 */
export async function deployTestCampaign(
  chain: Pick<TestChain, "url">,
  campaign: CampaignDefinition | Partial<CampaignDefinition> = {},
  roles: DeployRoles = {},
): Promise<TestCampaignDeployment> {
  const { network } = await import("hardhat");
  const definition =
    "slug" in campaign && "levels" in campaign && campaign.slug !== undefined
      ? (campaign as CampaignDefinition)
      : testCampaign({ slug: `chain-${process.pid}-${++deployments}`, ...campaign });
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "refmint-chain-"));
  const connection = await network.create({ network: "localhost", override: { url: chain.url } });
  try {
    const deployment = await deployCampaign(
      connection,
      definition,
      { backend: SIGNER.address, admin: ADMIN.address, treasury: TREASURY.address, ...roles },
      {
        deploymentsDir,
        metadataBaseUrl: "https://refmint.test",
      },
    );
    return {
      definition,
      deployment,
      deploymentsDir,
      cleanup: async () => {
        await rm(deploymentsDir, { recursive: true, force: true });
        await rm(path.join(ROOT, "ignition/deployments", `${definition.slug}-${CHAIN_ID}`), {
          recursive: true,
          force: true,
        });
      },
    };
  } catch (error) {
    await rm(deploymentsDir, { recursive: true, force: true });
    throw error;
  } finally {
    await connection.close();
  }
}

/** A chain with one campaign deployed, and the backend signer's moves on it. */
export interface CampaignChain {
  chain: TestChain;
  rpcUrl: string;
  client: PublicClient;
  campaign: CampaignDefinition;
  deployment: DeploymentFile;
  deploymentsDir: string;
  /** Pays `payouts` in `symbol` from the backend signer; resolves once mined. */
  pay(symbol: string, payouts: PayoutInstruction[]): Promise<Hash>;
  /**
   * Publishes a cumulative Merkle root on `symbol`'s distributor (promising every leaf in full,
   * as for members who claimed nothing yet); returns the tree.
   */
  publishEpoch(symbol: string, allocations: RewardAllocation[]): Promise<RewardTree>;
  /** Claims member `member`'s leaf of `tree` from `symbol`'s distributor (anyone may send it). */
  claim(symbol: string, tree: RewardTree, member: number): Promise<Hash>;
  balanceOf(symbol: string, holder: Address): Promise<bigint>;
  /** Gives `address` 10 ETH for gas. */
  fund(address: Address): Promise<void>;
  stop(): Promise<void>;
}

/** {@link startTestChain} with `campaign` deployed (SIGNER as its backend signer). */
export async function startCampaignChain(campaign: CampaignDefinition): Promise<CampaignChain> {
  const chain = await startTestChain();
  let deployed: TestCampaignDeployment;
  try {
    deployed = await deployTestCampaign(chain, campaign, { treasury: ADMIN.address });
  } catch (error) {
    await chain.close();
    throw error;
  }
  const { deployment } = deployed;
  const signer = evmWalletClient(SIGNER, { rpcUrl: chain.url, chainId: CHAIN_ID, profile: "test" });
  const mined = async (hash: Hash) => {
    const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return hash;
  };
  const token = (symbol: string) => {
    const t = deployment.tokens[symbol];
    if (!t) throw new Error(`no token ${symbol}`);
    return t;
  };
  const distributor = (symbol: string) => {
    const d = token(symbol).distributor;
    if (!d) throw new Error(`no distributor for ${symbol}`);
    return d;
  };
  return {
    chain,
    rpcUrl: chain.url,
    client: chain.client,
    campaign: deployed.definition,
    deployment,
    deploymentsDir: deployed.deploymentsDir,
    pay: async (symbol, payouts) => {
      const { transfers, meta } = encodePayoutBatch(payouts);
      return mined(
        await signer.writeContract({
          address: deployment.referralPayouts,
          abi: referralPayoutsAbi,
          functionName: "pay",
          args: [token(symbol).token, transfers, meta],
        }),
      );
    },
    publishEpoch: async (symbol, allocations) => {
      const tree = RewardTree.build(allocations);
      await mined(
        await signer.writeContract({
          address: distributor(symbol),
          abi: rewardDistributorAbi,
          functionName: "publishRoot",
          args: [tree.root, tree.cumulativeTotal, BigInt(tree.deadline)],
        }),
      );
      return tree;
    },
    claim: async (symbol, tree, member) => {
      const leaf = tree.claimFor(member);
      if (!leaf) throw new Error(`member ${member} has no leaf`);
      return mined(
        await signer.writeContract({
          address: distributor(symbol),
          abi: rewardDistributorAbi,
          functionName: "claim",
          args: claimArgs(leaf),
        }),
      );
    },
    balanceOf: (symbol, holder) =>
      chain.client.readContract({
        address: getAddress(token(symbol).token),
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [holder],
      }),
    fund: (who) => chain.setBalance(who, 10n ** 19n),
    stop: async () => {
      await chain.close();
      await deployed.cleanup();
    },
  };
}

/** A TCP port free on loopback right now (for servers that cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalChain {
  rpcUrl: string;
  /** The node's process id (benchmarks sample its memory). */
  pid: number;
  chainId: number;
  client: PublicClient;
  stop(): Promise<void>;
}

export async function startHardhatNode(): Promise<LocalChain> {
  const port = await freePort();
  const cli = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const client = evmPublicClient(rpcUrl, CHAIN_ID, "test");
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  // Only bounds the wait: a machine busy with other work took over a minute to start it.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited: ${output}`);
    try {
      await client.getChainId();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`hardhat node did not start: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return { rpcUrl, pid: child.pid!, chainId: 31337, client, stop };
}

function artifact(name: string): { bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "contracts", "mocks", `${name}.sol`, `${name}.json`);
  if (!existsSync(file)) {
    // CI builds before testing; a fresh checkout may not have.
    const built = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--quiet"],
      {
        cwd: ROOT,
        stdio: "inherit",
      },
    );
    if (built.status !== 0) throw new Error("hardhat build failed");
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

// The constructor is all deployment needs; the bytecode comes from the compiled artifact.
const ERC1271_WALLET_ABI = [
  {
    type: "constructor",
    inputs: [{ name: "owner_", type: "address" }],
    stateMutability: "nonpayable",
  },
] as const;

/** Deploys an ERC1271Wallet owned by `owner`; returns its address. */
export async function deployErc1271Wallet(chain: LocalChain, owner: Address): Promise<Address> {
  const { bytecode } = artifact("ERC1271Wallet");
  const abi = ERC1271_WALLET_ABI;
  const wallet = evmWalletClient(ADMIN, {
    rpcUrl: chain.rpcUrl,
    chainId: CHAIN_ID,
    profile: "test",
  });
  const hash = await wallet.deployContract({ abi, bytecode, args: [owner] });
  const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (!receipt.contractAddress) throw new Error("deployment failed");
  return getAddress(receipt.contractAddress);
}
