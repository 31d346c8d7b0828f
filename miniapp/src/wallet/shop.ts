/**
 * Gasless perk redemption from the dashboard (loaded with the Shop screen): the member's wallet
 * signs an EIP-712 order for `PerkShop.redeemWithPermit` and, when the shop's allowance is
 * short, an ERC-2612 permit; the backend's relayer sends it, so the member needs no native
 * gas. The typed data is the contracts' (the same shapes as server/chain/perkOrder.ts).
 */
import {
  type Address,
  createWalletClient,
  custom,
  getAddress,
  type Hex,
  parseSignature,
} from "viem";
import { type ApiClient, ApiError } from "../api/client.ts";
import type { Redemption, Shop, ShopItem } from "../api/models.ts";
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import { ensureChain, WalletError } from "./actions.ts";
import type { Eip1193Provider } from "./providers.ts";

const ORDER_TYPES = {
  Order: [
    { name: "member", type: "address" },
    { name: "perkId", type: "uint256" },
    { name: "quantity", type: "uint32" },
    { name: "maxCost", type: "uint256" },
    { name: "orderRef", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

function randomRef(): Hex {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `0x${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function walletError(error: unknown): WalletError {
  if (error instanceof WalletError) return error;
  const e = error as { code?: number; cause?: { code?: number }; shortMessage?: string };
  if (e?.code === 4001 || e?.cause?.code === 4001) return new WalletError("rejected", "rejected");
  return new WalletError("failed", e?.shortMessage ?? String(error));
}

/** Signs an order for one unit of `item` (and a permit when needed) and posts it to the relayer. */
export async function redeemPerk(
  api: ApiClient,
  provider: Eip1193Provider,
  chain: RuntimeConfig["chain"],
  from: Address,
  shop: Shop,
  item: ShopItem,
): Promise<Redemption> {
  if (!shop.shop || shop.orderNonce === null) throw new WalletError("failed", "no shop");
  if (!shop.wallet || getAddress(shop.wallet) !== getAddress(from))
    throw new WalletError("no_account", "the connected wallet is not the linked one");
  await ensureChain(provider, chain);
  const wallet = createWalletClient({ transport: custom(provider) });
  const cost = BigInt(item.price.wei);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const token = shop.tokens.find((t) => t.symbol === item.token);
  let permit: { value: string; deadline: number; v: number; r: Hex; s: Hex } | undefined;
  try {
    if (token && BigInt(token.allowance) < cost) {
      const signature = await wallet.signTypedData({
        account: from,
        domain: {
          name: token.name,
          version: token.version,
          chainId: shop.chainId,
          verifyingContract: getAddress(token.address),
        },
        types: PERMIT_TYPES,
        primaryType: "Permit",
        message: {
          owner: from,
          spender: getAddress(shop.shop),
          value: cost,
          nonce: BigInt(token.permitNonce),
          deadline,
        },
      });
      const { r, s, v, yParity } = parseSignature(signature);
      permit = {
        value: cost.toString(),
        deadline: Number(deadline),
        v: Number(v ?? BigInt(27 + yParity)),
        r,
        s,
      };
    }
    const order = {
      member: from,
      perkId: BigInt(item.perkId),
      quantity: 1,
      maxCost: cost,
      orderRef: randomRef(),
      nonce: BigInt(shop.orderNonce),
      deadline,
    };
    const signature = await wallet.signTypedData({
      account: from,
      domain: {
        name: "Refmint PerkShop",
        version: "1",
        chainId: shop.chainId,
        verifyingContract: getAddress(shop.shop),
      },
      types: ORDER_TYPES,
      primaryType: "Order",
      message: order,
    });
    return await api.post<Redemption>(`/api/me/perks/${item.perkId}/redeem`, {
      campaign: shop.campaign,
      quantity: 1,
      maxCost: cost.toString(),
      orderRef: order.orderRef,
      nonce: order.nonce.toString(),
      deadline: Number(deadline),
      signature,
      ...(permit ? { permit } : {}),
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw walletError(error);
  }
}
