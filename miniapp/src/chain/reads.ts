/**
 * On-chain reads from the browser, straight from the configured public RPC endpoint (not
 * through our API): balances of the campaign's tokens and badges, and claim receipts. This
 * module is loaded lazily, so viem is not part of the first bundle.
 */
import {
  type Address,
  createPublicClient,
  defineChain,
  erc20Abi,
  getAddress,
  type Hash,
  http,
  type PublicClient,
} from "viem";
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import { badgesAbi } from "./abi.ts";

const clients = new Map<string, PublicClient>();

export function chainOf(cfg: RuntimeConfig["chain"]) {
  return defineChain({
    id: cfg.id,
    name: cfg.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: cfg.rpcUrl ? [cfg.rpcUrl] : [] } },
    ...(cfg.explorerUrl
      ? { blockExplorers: { default: { name: "Explorer", url: cfg.explorerUrl } } }
      : {}),
  });
}

export function publicClient(cfg: RuntimeConfig["chain"]): PublicClient {
  if (!cfg.rpcUrl) throw new Error("no RPC endpoint configured");
  let client = clients.get(cfg.rpcUrl);
  if (!client) {
    // One JSON-RPC batch per render instead of a request per token.
    client = createPublicClient({
      chain: chainOf(cfg),
      transport: http(cfg.rpcUrl, { batch: true, retryCount: 1, timeout: 15_000 }),
    }) as PublicClient;
    clients.set(cfg.rpcUrl, client);
  }
  return client;
}

export interface TokenBalance {
  symbol: string;
  token: Address;
  wei: bigint;
  /** Block the balance was read at. */
  blockNumber: bigint;
}

export async function readTokenBalances(
  cfg: RuntimeConfig["chain"],
  holder: string,
  tokens: ReadonlyArray<{ symbol: string; address: string }>,
): Promise<TokenBalance[]> {
  const client = publicClient(cfg);
  const account = getAddress(holder);
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  return Promise.all(
    tokens.map(async (t) => ({
      symbol: t.symbol,
      token: getAddress(t.address),
      wei: await client.readContract({
        address: getAddress(t.address),
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account],
        blockNumber,
      }),
      blockNumber,
    })),
  );
}

/** Which of `ids` the holder owns on the campaign's ERC-1155 badge contract. */
export async function readBadges(
  cfg: RuntimeConfig["chain"],
  badges: string,
  holder: string,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const account = getAddress(holder);
  const amounts = await publicClient(cfg).readContract({
    address: getAddress(badges),
    abi: badgesAbi,
    functionName: "balanceOfBatch",
    args: [ids.map(() => account), ids.map((id) => BigInt(id))],
  });
  return ids.filter((_, i) => (amounts[i] ?? 0n) > 0n);
}

export async function waitForReceipt(cfg: RuntimeConfig["chain"], hash: Hash) {
  return publicClient(cfg).waitForTransactionReceipt({ hash, pollingInterval: 1_000 });
}
