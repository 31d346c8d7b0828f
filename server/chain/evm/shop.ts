/**
 * The chain's side of the shop for one member (issue 14): every perk's on-chain settings
 * (`PerkShop.perkOf`), the wallet's order nonce, and per perk token the wallet's balance, the
 * shop's allowance and the ERC-2612 permit nonce and domain (what the dashboard needs to sign
 * an order and, when the allowance is short, a permit), and the wallet's badge balances for
 * token-gated perks.
 */
import { type Address, getAddress, type PublicClient } from "viem";
import type { ShopChainState } from "../../domain/perks.ts";
import { badgesAbi, perkShopAbi, rewardTokenAbi } from "../abi.ts";
import type { ShopQuery } from "../driver.ts";

export async function readShopState(client: PublicClient, q: ShopQuery): Promise<ShopChainState> {
  const shop = getAddress(q.shop);
  const wallet = q.wallet ? getAddress(q.wallet) : null;
  const onchainCount = Number(
    await client.readContract({ address: shop, abi: perkShopAbi, functionName: "perkCount" }),
  );
  const ids = Array.from({ length: Math.min(q.perkCount, onchainCount) }, (_, i) => i + 1);
  const perks = await Promise.all(
    ids.map(async (perkId) => {
      const p = await client.readContract({
        address: shop,
        abi: perkShopAbi,
        functionName: "perkOf",
        args: [BigInt(perkId)],
      });
      return {
        perkId,
        token: p.token.toLowerCase(),
        price: p.price,
        stock: Number(p.stock),
        expiresAt: Number(p.expiresAt),
        active: p.active,
      };
    }),
  );
  const tokens: ShopChainState["tokens"] = new Map();
  const badges: ShopChainState["badges"] = new Map();
  if (!wallet) return { perks, orderNonce: null, tokens, badges };
  const [orderNonce] = await Promise.all([
    client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "nonces",
      args: [wallet],
    }),
    ...[...new Set(q.tokens.map((t) => t.toLowerCase()))].map(async (t) => {
      const address = getAddress(t) as Address;
      const [balance, allowance, permitNonce, domain] = await Promise.all([
        client.readContract({
          address,
          abi: rewardTokenAbi,
          functionName: "balanceOf",
          args: [wallet],
        }),
        client.readContract({
          address,
          abi: rewardTokenAbi,
          functionName: "allowance",
          args: [wallet, shop],
        }),
        client.readContract({
          address,
          abi: rewardTokenAbi,
          functionName: "nonces",
          args: [wallet],
        }),
        client.getEip712Domain({ address }),
      ]);
      tokens.set(t, {
        balance,
        allowance,
        permitNonce,
        name: domain.domain.name,
        version: domain.domain.version,
      });
    }),
    ...(q.badges?.ids ?? []).map(async (id) => {
      const contract = getAddress(q.badges!.contract);
      badges.set(
        id,
        await client.readContract({
          address: contract,
          abi: badgesAbi,
          functionName: "balanceOf",
          args: [wallet, BigInt(id)],
        }),
      );
    }),
  ]);
  return { perks, orderNonce: orderNonce as bigint, tokens, badges };
}
