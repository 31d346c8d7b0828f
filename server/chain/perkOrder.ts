import { type Address, type Hex, parseSignature } from "viem";

/**
 * A member's EIP-712 order for PerkShop.redeemWithPermit: what the member signs so the relayer
 * may redeem one perk for them, and nothing else. Shared by the relay endpoint, the dashboard's
 * wallet code, the tests and the gas benchmark, with the ERC-2612 permit that may fund it.
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

/** An ERC-2612 permit as `redeemWithPermit` takes it (the signature split into v, r, s). */
export interface Permit {
  value: bigint;
  deadline: bigint;
  v: number;
  r: Hex;
  s: Hex;
}

/** What a member permits: `spender` (the shop) may take `value` of their tokens until `deadline`. */
export interface PermitTerms {
  owner: Address;
  spender: Address;
  value: bigint;
  /** The owner's current permit nonce (`token.nonces(owner)`). */
  nonce: bigint;
  /** Unix seconds. */
  deadline: bigint;
}

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/**
 * The typed data a member's wallet signs for an ERC-2612 permit of `token` (its EIP-712 domain:
 * name and version as `eip712Domain()` reports them).
 */
export function permitTypedData(
  token: { name: string; version: string; chainId: number; address: Address },
  terms: PermitTerms,
) {
  return {
    domain: {
      name: token.name,
      version: token.version,
      chainId: token.chainId,
      verifyingContract: token.address,
    },
    types: PERMIT_TYPES,
    primaryType: "Permit" as const,
    message: terms,
  };
}

/** A signed permit of `terms`, as `redeemWithPermit` takes it. */
export function permitOf(terms: Pick<PermitTerms, "value" | "deadline">, signature: Hex): Permit {
  const { r, s, v, yParity } = parseSignature(signature);
  return {
    value: terms.value,
    deadline: terms.deadline,
    v: Number(v ?? BigInt(27 + yParity)),
    r,
    s,
  };
}
