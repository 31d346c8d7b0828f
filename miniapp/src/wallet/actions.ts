/**
 * What the dashboard does with a wallet: connect, switch to the campaign's chain, sign in
 * with Ethereum (EIP-4361) against the server's single-use nonce, and claim a Merkle reward
 * from the distributor. Loaded lazily with the Wallet and Rewards screens.
 */
import {
  type Address,
  createWalletClient,
  custom,
  getAddress,
  type Hash,
  type Hex,
  numberToHex,
} from "viem";
import { createSiweMessage } from "viem/siwe";
import type { ApiClient } from "../api/client.ts";
import type { LinkedWallet, ProofItem, SiweNonce } from "../api/models.ts";
import { rewardDistributorAbi } from "../chain/abi.ts";
import { chainOf, publicClient } from "../chain/reads.ts";
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import type { Eip1193Provider } from "./providers.ts";

/** A wallet failure with a code the screens localize. */
export class WalletError extends Error {
  readonly code:
    | "rejected"
    | "no_account"
    | "wrong_chain"
    | "failed"
    | "no_gas"
    | "already_claimed";
  constructor(code: WalletError["code"], message: string) {
    super(message);
    this.name = "WalletError";
    this.code = code;
  }
}

function walletError(error: unknown): WalletError {
  if (error instanceof WalletError) return error;
  const e = error as {
    code?: number;
    cause?: { code?: number };
    shortMessage?: string;
    message?: string;
  };
  // EIP-1193 4001: the member said no in the wallet.
  if (e?.code === 4001 || e?.cause?.code === 4001) return new WalletError("rejected", "rejected");
  const text = `${e?.shortMessage ?? ""} ${e?.message ?? ""}`;
  // The wallet (or node) refused for want of the chain's native coin to pay gas.
  if (/insufficient funds/i.test(text)) return new WalletError("no_gas", text.trim());
  // The distributor's answer when the member's leaf was claimed already (another tab).
  if (/NothingToClaim/.test(text)) return new WalletError("already_claimed", text.trim());
  return new WalletError("failed", e?.shortMessage ?? e?.message ?? String(error));
}

export async function connectAccount(provider: Eip1193Provider): Promise<Address> {
  try {
    const accounts = (await provider.request({ method: "eth_requestAccounts" })) as string[];
    const first = accounts?.[0];
    if (!first) throw new WalletError("no_account", "the wallet shared no account");
    return getAddress(first);
  } catch (error) {
    throw walletError(error);
  }
}

/** Asks the wallet to use the campaign's chain (adding it when the wallet does not know it). */
export async function ensureChain(
  provider: Eip1193Provider,
  chain: RuntimeConfig["chain"],
): Promise<void> {
  try {
    const current = Number(await provider.request({ method: "eth_chainId" }));
    if (current === chain.id) return;
    const chainId = numberToHex(chain.id);
    try {
      await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (error) {
      // 4902: unknown chain. Adding needs a public RPC URL for the wallet to use.
      if ((error as { code?: number }).code !== 4902 || !chain.rpcUrl) throw error;
      await provider.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId,
            chainName: chain.name,
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: [chain.rpcUrl],
            ...(chain.explorerUrl ? { blockExplorerUrls: [chain.explorerUrl] } : {}),
          },
        ],
      });
    }
    const after = Number(await provider.request({ method: "eth_chainId" }));
    if (after !== chain.id)
      throw new WalletError("wrong_chain", `the wallet stayed on chain ${after}`);
  } catch (error) {
    throw walletError(error);
  }
}

/** The EIP-4361 message for the server's nonce: its domain (a host, no scheme), URI and chain. */
export function siweMessage(address: Address, n: SiweNonce): string {
  return createSiweMessage({
    address,
    domain: n.domain,
    uri: n.uri,
    chainId: n.chainId,
    nonce: n.nonce,
    version: "1",
    statement: n.statement,
    // The server's clock, so a wallet with a skewed clock still produces an acceptable message.
    issuedAt: new Date(n.issuedAt),
    expirationTime: new Date(n.expiresAt),
  });
}

/** Signs in with Ethereum and links (or re-links) `address` to the member. */
export async function linkWallet(
  api: ApiClient,
  provider: Eip1193Provider,
  address: Address,
): Promise<LinkedWallet> {
  const nonce = await api.get<SiweNonce>("/api/me/wallet/nonce");
  const message = siweMessage(address, nonce);
  let signature: Hex;
  try {
    const wallet = createWalletClient({ transport: custom(provider) });
    signature = await wallet.signMessage({ account: address, message });
  } catch (error) {
    throw walletError(error);
  }
  return api.post<LinkedWallet>("/api/me/wallet", { message, signature });
}

/**
 * Sends `RewardDistributor.claim(account, cumulativeAmount, terms, proof)` from the connected
 * wallet.
 * Anyone may submit a claim; the tokens always go to `item.account` (the member's wallet).
 */
export async function sendClaim(
  provider: Eip1193Provider,
  chain: RuntimeConfig["chain"],
  from: Address,
  item: ProofItem,
): Promise<Hash> {
  await ensureChain(provider, chain);
  const call = {
    account: from,
    address: getAddress(item.distributor),
    abi: rewardDistributorAbi,
    functionName: "claim",
    args: [
      getAddress(item.account),
      BigInt(item.cumulativeAmount),
      BigInt(item.terms),
      item.proof as Hex[],
    ],
  } as const;
  // Before the wallet asks the member anything: would the claim go through, and can they pay
  // its gas? Said in plain words instead of a wallet's error after the fact.
  if (chain.rpcUrl) {
    const client = publicClient(chain);
    let gas: bigint;
    try {
      gas = await client.estimateContractGas(call);
    } catch (error) {
      throw walletError(error);
    }
    const [balance, price] = await Promise.all([
      client.getBalance({ address: from }),
      client.getGasPrice(),
    ]);
    if (balance < gas * price)
      throw new WalletError(
        "no_gas",
        `${from} holds ${balance} wei, the claim needs about ${gas * price}`,
      );
  }
  try {
    const wallet = createWalletClient({ chain: chainOf(chain), transport: custom(provider) });
    return await wallet.writeContract(call);
  } catch (error) {
    throw walletError(error);
  }
}
