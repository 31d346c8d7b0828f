/**
 * A real chain for the bot's balance tests: Hardhat's JSON-RPC server in this process, the
 * campaign deployed with the real Ignition module (a slug of its own), and the backend
 * signer's moves: pay a batch through ReferralPayouts, publish an epoch, claim from escrow.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hash,
  http,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DeploymentFile, deployCampaign } from "../../../scripts/lib/deployCampaign.ts";
import { encodePayoutBatch, type PayoutInstruction } from "../../../server/chain/payoutBatch.ts";
import { claimArgs, RewardTree } from "../../../server/chain/rewardTree.ts";
import type { CampaignDefinition } from "../../../server/domain/campaign.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** Hardhat's test account #1 (a public key; tests only): the campaign's backend signer. */
const BACKEND_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

const ABI = [
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
  {
    type: "function",
    name: "claim",
    stateMutability: "nonpayable",
    inputs: [
      { name: "account", type: "address" },
      { name: "cumulativeAmount", type: "uint256" },
      { name: "terms", type: "uint256" },
      { name: "proof", type: "bytes32[]" },
    ],
    outputs: [],
  },
] as const;

export interface BotChain {
  rpcUrl: string;
  client: PublicClient;
  deployment: DeploymentFile;
  deploymentsDir: string;
  pay(symbol: string, payouts: PayoutInstruction[]): Promise<Hash>;
  /**
   * Publishes an epoch with member `member`'s leaf (wallet `account`); `claim()` claims it for
   * them. Returns the root and the leaf deadline (what our epoch rows record).
   */
  publish(
    symbol: string,
    member: number,
    account: Address,
    cumulativeAmount: bigint,
  ): Promise<{ root: Hash; deadline: number; claim(): Promise<void> }>;
  /** Publishes an epoch with member `member`'s leaf (wallet `account`) and claims it for them. */
  publishAndClaim(
    symbol: string,
    member: number,
    account: Address,
    cumulativeAmount: bigint,
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startBotChain(definition: CampaignDefinition): Promise<BotChain> {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const rpcUrl = `http://${address}:${port}`;
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "refmint-bot-deploy-"));
  let connection: NetworkConnection | undefined;
  const cleanup = async () => {
    await connection?.close();
    await server.close();
    await rm(deploymentsDir, { recursive: true, force: true });
    await rm(path.join(ROOT, "ignition/deployments", `${definition.slug}-31337`), {
      recursive: true,
      force: true,
    });
  };
  try {
    connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
    const backend = privateKeyToAccount(BACKEND_KEY);
    const deployment = await deployCampaign(
      connection,
      definition,
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
    const tokens = (symbol: string) => {
      const t = deployment.tokens[symbol];
      if (!t) throw new Error(`no token ${symbol}`);
      return t;
    };
    const botChain: BotChain = {
      rpcUrl,
      client,
      deployment,
      deploymentsDir,
      pay: async (symbol, payouts) => {
        const { transfers, meta } = encodePayoutBatch(payouts);
        return mined(
          await signer.writeContract({
            address: deployment.referralPayouts,
            abi: ABI,
            functionName: "pay",
            args: [tokens(symbol).token, transfers, meta],
          }),
        );
      },
      publish: async (symbol, member, account, cumulativeAmount) => {
        const deadline = Math.floor(Date.now() / 1000) + 86_400;
        const tree = RewardTree.build([
          { member: BigInt(member), account, cumulativeAmount, deadline, released: false },
        ]);
        const distributor = tokens(symbol).distributor;
        await mined(
          await signer.writeContract({
            address: distributor,
            abi: ABI,
            functionName: "publishRoot",
            args: [tree.root, cumulativeAmount, BigInt(deadline)],
          }),
        );
        return {
          root: tree.root,
          deadline,
          claim: async () => {
            await mined(
              await signer.writeContract({
                address: distributor,
                abi: ABI,
                functionName: "claim",
                args: claimArgs(tree.claimFor(member)!),
              }),
            );
          },
        };
      },
      publishAndClaim: async (symbol, member, account, cumulativeAmount) => {
        const { claim } = await botChain.publish(symbol, member, account, cumulativeAmount);
        await claim();
      },
      stop: cleanup,
    };
    return botChain;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
