import type { Address, Hex } from "viem";

/**
 * A member's EIP-712 order for PerkShop.redeemWithPermit: what the member signs so the relayer
 * may redeem one perk for them, and nothing else. Shared by the relay endpoint, the dashboard's
 * wallet code and the tests.
 */
export interface PerkOrder {
  member: Address;
  perkId: bigint;
  quantity: number;
  /** Most the member pays, in the perk token's smallest unit. */
  maxCost: bigint;
  /** The member's order reference (unique among the member's orders). */
  orderRef: Hex;
  /** The member's current order nonce (`PerkShop.nonces(member)`). */
  nonce: bigint;
  /** Unix seconds after which the order is void. */
  deadline: bigint;
}

export const PERK_ORDER_TYPES = {
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

/** The EIP-712 domain of a PerkShop deployment. */
export function perkShopDomain(chainId: number, shop: Address) {
  return { name: "Refmint PerkShop", version: "1", chainId, verifyingContract: shop } as const;
}

/** The typed data a member's wallet signs for `order`. */
export function perkOrderTypedData(chainId: number, shop: Address, order: PerkOrder) {
  return {
    domain: perkShopDomain(chainId, shop),
    types: PERK_ORDER_TYPES,
    primaryType: "Order" as const,
    message: order,
  };
}

/** No permit: the order is funded by an allowance the member set before. */
export const NO_PERMIT = {
  value: 0n,
  deadline: 0n,
  v: 0,
  r: `0x${"00".repeat(32)}` as Hex,
  s: `0x${"00".repeat(32)}` as Hex,
} as const;
