/**
 * A local chain with a deployed campaign for dashboard tests: Hardhat's JSON-RPC server in
 * this process, the campaign deployed with the real Ignition module (a slug of its own, so
 * its journal never meets another test's or the dev stack's), and helpers that act as the
 * backend signer: pay a batch through ReferralPayouts, publish a Merkle epoch.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hash,
  http,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DeploymentFile, deployCampaign } from "../../../scripts/lib/deployCampaign.ts";
import { encodePayoutBatch, type PayoutInstruction } from "../../../server/chain/payoutBatch.ts";
import { type RewardAllocation, RewardTree } from "../../../server/chain/rewardTree.ts";
import {
  type CampaignDefinition,
  parseCampaignDefinition,
} from "../../../server/domain/campaign.ts";
import { ROOT } from "./build.ts";

/** Hardhat's test account #1: the campaign's backend signer here (a public key, tests only). */
export const BACKEND_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

export interface TestChain {
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
  balanceOf(symbol: string, holder: Address): Promise<bigint>;
  /** Gives `address` 10 ETH for gas (hardhat_setBalance). */
  fund(address: Address): Promise<void>;
  stop(): Promise<void>;
}

const ERC20 = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "a", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;
const PAY = [
  {
    type: "function",
    name: "pay",
    stateMutability: "nonpayable",
    inputs: [
      { name: "token", type: "address" },
      { name: "transfers", type: "uint256[]" },
      { name: "meta", type: "bytes" },
    ],
    outputs: [],
  },
] as const;
const PUBLISH = [
  {
    type: "function",
    name: "publishRoot",
    stateMutability: "nonpayable",
    inputs: [
      { name: "root", type: "bytes32" },
      { name: "total", type: "uint256" },
      { name: "deadline", type: "uint64" },
    ],
    outputs: [],
  },
] as const;

export async function startTestChain(): Promise<TestChain> {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const rpcUrl = `http://${address}:${port}`;
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "refmint-miniapp-deploy-"));
  const demo = parseCampaignDefinition(
    JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8")),
    "demo",
  );
  const campaign: CampaignDefinition = {
    ...demo,
    slug: `dash-test-${process.pid}`,
    // Lenient fraud checks: every test member shares one IP and device.
    fraud: { ...demo.fraud, maxRefereesPerIp: 1000, maxRefereesPerDevice: 1000 },
    variants: [],
  };
  let connection: NetworkConnection | undefined;
  try {
    connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
    const backend = privateKeyToAccount(BACKEND_KEY);
    const deployment = await deployCampaign(
      connection,
      campaign,
      { backend: backend.address },
      { deploymentsDir, metadataBaseUrl: "https://refmint.test" },
    );
    const chain = defineChain({
      id: 31337,
      name: "Hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    const client = createPublicClient({ chain, transport: http(rpcUrl) }) as PublicClient;
    const signer = createWalletClient({ account: backend, chain, transport: http(rpcUrl) });
    const mined = async (hash: Hash) => {
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return hash;
    };
    const conn = connection;
    return {
      rpcUrl,
      client,
      campaign,
      deployment,
      deploymentsDir,
      pay: async (symbol, payouts) => {
        const { transfers, meta } = encodePayoutBatch(payouts);
        const token = deployment.tokens[symbol]?.token;
        if (!token) throw new Error(`no token ${symbol}`);
        return mined(
          await signer.writeContract({
            address: deployment.referralPayouts,
            abi: PAY,
            functionName: "pay",
            args: [token, transfers, meta],
          }),
        );
      },
      publishEpoch: async (symbol, allocations) => {
        const tree = RewardTree.build(allocations);
        const distributor = deployment.tokens[symbol]?.distributor;
        if (!distributor) throw new Error(`no distributor for ${symbol}`);
        await mined(
          await signer.writeContract({
            address: distributor,
            abi: PUBLISH,
            functionName: "publishRoot",
            args: [tree.root, tree.cumulativeTotal, BigInt(tree.deadline)],
          }),
        );
        return tree;
      },
      balanceOf: (symbol, holder) =>
        client.readContract({
          address: getAddress(deployment.tokens[symbol]?.token ?? "0x"),
          abi: ERC20,
          functionName: "balanceOf",
          args: [holder],
        }),
      fund: (who) =>
        createTestClient({ chain, mode: "hardhat", transport: http(rpcUrl) }).setBalance({
          address: who,
          value: 10n ** 19n,
        }),
      stop: async () => {
        await conn.close();
        await server.close();
        await rm(deploymentsDir, { recursive: true, force: true });
        await rm(path.join(ROOT, "ignition/deployments", `${campaign.slug}-31337`), {
          recursive: true,
          force: true,
        });
      },
    };
  } catch (error) {
    await connection?.close();
    await server.close();
    throw error;
  }
}
