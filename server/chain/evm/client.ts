/**
 * The one place viem clients are made (the service, its chain jobs, scripts, benchmarks and
 * test harnesses): the chain is defined from its id and endpoint only (no per-network preset),
 * and the transport's timeouts, retries and batching are chosen by what the client is for.
 * (The dashboard makes its own in the browser, from its runtime configuration.)
 */
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";

export function evmChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * - `pipeline`: the chain jobs. One quick transport retry for a dropped connection (longer
 *   outages are the callers' backoff: they keep running and report the failure in their
 *   health); backfills read big log pages (the indexer halves its range when a node refuses
 *   one); calls made together (receipts of every open send, a range's logs and headers) go out
 *   as one JSON-RPC batch; nothing cached, every read sees the node's latest.
 * - `reads`: occasional reads on a request's path (ERC-1271 signature checks, balances).
 * - `test`: harnesses against a local node: nothing cached; quick retries cover a keep-alive
 *   socket the node closes just as a request goes out.
 */
export type ClientProfile = "pipeline" | "reads" | "test";

function transport(rpcUrl: string, profile: ClientProfile): Transport {
  switch (profile) {
    case "pipeline":
      return http(rpcUrl, {
        timeout: 20_000,
        retryCount: 1,
        retryDelay: 100,
        maxResponseBodySize: 128 * 1024 * 1024,
        batch: { batchSize: 100, wait: 0 },
      });
    case "reads":
      return http(rpcUrl, { timeout: 10_000, retryCount: 1 });
    case "test":
      return http(rpcUrl, { retryCount: 3, retryDelay: 50 });
  }
}

/** A public client for `chainId` at `rpcUrl`. */
export function evmPublicClient(
  rpcUrl: string,
  chainId: number,
  profile: ClientProfile = "pipeline",
): PublicClient {
  return createPublicClient({
    chain: evmChain(chainId, rpcUrl),
    transport: transport(rpcUrl, profile),
    ...(profile === "reads" ? {} : { cacheTime: 0 }),
  }) as PublicClient;
}

/**
 * A wallet client for `account`: on an endpoint (`rpcUrl` and `chainId`), or over an existing
 * public client's transport (`client`), so it shares that client's settings.
 */
export function evmWalletClient(
  account: Account,
  on: { client: PublicClient } | { rpcUrl: string; chainId: number; profile?: ClientProfile },
): WalletClient<Transport, Chain, Account> {
  if ("client" in on) {
    if (!on.client.chain) throw new Error("the public client has no chain");
    return createWalletClient({ account, chain: on.client.chain, transport: custom(on.client) });
  }
  return createWalletClient({
    account,
    chain: evmChain(on.chainId, on.rpcUrl),
    transport: transport(on.rpcUrl, on.profile ?? "pipeline"),
  });
}
