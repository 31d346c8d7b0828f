/**
 * Relayed perk redemption (issue 12): a member signs an EIP-712 order (perkOrder.ts) and, when
 * the shop has no allowance yet, an ERC-2612 permit; the relayer key sends
 * `PerkShop.redeemWithPermit(order, signature, permit)`, so the member pays no gas.
 *
 * An order is checked before anything is written, each refusal with its own problem code: the
 * member has a linked wallet (the order's `member`), the perk exists and is on sale, the order
 * has not expired, the perk's price times the quantity is within the order's `maxCost` (the
 * price may have changed since the member signed), the nonce is the member's current one, the
 * signature is the wallet's (contract wallets through ERC-1271), the reference is unused, and
 * the whole call succeeds in a simulation as the relayer (balance, allowance, stock). Then the
 * order row and its send are written in one transaction; the worker's relayer sender signs and
 * broadcasts it, and the indexer marks the order redeemed from `PerkRedeemed` (which also issues
 * the coupon).
 */
import { desc, eq } from "drizzle-orm";
import {
  type Address,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  hashTypedData,
  keccak256,
  type PublicClient,
  verifyTypedData,
} from "viem";
import type { Db } from "../db/index.ts";
import { chainPerkOrders } from "../db/schema/chain.ts";
import { acceptPerkOrder, perkOrderFailed, perkOrderSigned } from "../domain/perkOrders.ts";
import { assertNotScreened } from "../domain/screening.ts";
import { badgesAbi, perkShopAbi, rewardTokenAbi } from "./abi.ts";
import type { CampaignContracts } from "./contracts.ts";
import { createSend, type SendHooks } from "./evm/sender.ts";
import { NO_PERMIT, type PerkOrder, perkOrderTypedData } from "./perkOrder.ts";
import { decodeRevert, revertData } from "./rpc.ts";

export interface OrderInput {
  quantity: number;
  maxCost: bigint;
  orderRef: Hex;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
  permit?: { value: bigint; deadline: bigint; v: number; r: Hex; s: Hex };
  /** A token-gated perk: the wallet must hold this badge now (read from the chain). */
  requiredBadge?: { contract: Address; id: number };
}

/** Why an order is refused (the route maps each to a problem code); nothing was written. */
export class OrderRefused extends Error {
  readonly code:
    | "wallet_required"
    | "perk_unknown"
    | "order_expired"
    | "price_changed"
    | "order_ref_used"
    | "signature_invalid"
    | "order_refused"
    | "perk_expired"
    | "out_of_stock"
    | "insufficient_balance"
    | "badge_required";
  constructor(code: OrderRefused["code"], message: string) {
    super(message);
    this.name = "OrderRefused";
    this.code = code;
  }
}

export interface RelayDeps {
  db: Db;
  client: PublicClient;
  chainId: number;
  /** The relayer's address (RELAYER_ROLE on the shop). */
  relayer: Address;
  now: () => Date;
}

/** Checks a member's signed order and queues it for the relayer; returns the order row. */
export async function acceptOrder(
  deps: RelayDeps,
  campaign: CampaignContracts,
  member: { id: number; wallet: string | null },
  perkId: number,
  input: OrderInput,
) {
  const shop = campaign.perkShop;
  if (!shop) throw new OrderRefused("perk_unknown", `campaign ${campaign.slug} has no perk shop`);
  if (!member.wallet) throw new OrderRefused("wallet_required", "the order is paid from a wallet");
  const wallet = getAddress(member.wallet);
  // A listed wallet gets no relayed transaction (address_screened, nothing written).
  await assertNotScreened(deps.db, wallet);
  const now = deps.now();
  const nowSeconds = BigInt(Math.floor(now.getTime() / 1000));
  if (input.deadline <= nowSeconds)
    throw new OrderRefused("order_expired", `the order's deadline ${input.deadline} has passed`);
  const [perk, nonce, used] = await Promise.all([
    deps.client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "perkOf",
      args: [BigInt(perkId)],
    }),
    deps.client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "nonces",
      args: [wallet],
    }),
    deps.client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "isOrderRefUsed",
      args: [wallet, input.orderRef],
    }),
  ]);
  if (BigInt(perk.token) === 0n || !perk.active)
    throw new OrderRefused("perk_unknown", `perk ${perkId} is not on sale`);
  if (perk.expiresAt !== 0 && BigInt(perk.expiresAt) < nowSeconds)
    throw new OrderRefused("perk_expired", `perk ${perkId}'s sale ended at ${perk.expiresAt}`);
  if (perk.stock < input.quantity)
    throw new OrderRefused("out_of_stock", `perk ${perkId} has ${perk.stock} left`);
  const cost = perk.price * BigInt(input.quantity);
  if (cost > input.maxCost)
    throw new OrderRefused(
      "price_changed",
      `perk ${perkId} now costs ${cost} for ${input.quantity}, the order allows ${input.maxCost}`,
    );
  if (input.requiredBadge) {
    const held = await deps.client.readContract({
      address: input.requiredBadge.contract,
      abi: badgesAbi,
      functionName: "balanceOf",
      args: [wallet, BigInt(input.requiredBadge.id)],
    });
    if (held < 1n)
      throw new OrderRefused(
        "badge_required",
        `perk ${perkId} needs badge ${input.requiredBadge.id}, which ${wallet} does not hold`,
      );
  }
  const balance = await deps.client.readContract({
    address: perk.token,
    abi: rewardTokenAbi,
    functionName: "balanceOf",
    args: [wallet],
  });
  if (balance < cost)
    throw new OrderRefused(
      "insufficient_balance",
      `perk ${perkId} costs ${cost}, the wallet holds ${balance}`,
    );
  const order: PerkOrder = {
    member: wallet,
    perkId: BigInt(perkId),
    quantity: input.quantity,
    maxCost: input.maxCost,
    orderRef: input.orderRef,
    nonce: input.nonce,
    deadline: input.deadline,
  };
  const typed = perkOrderTypedData(deps.chainId, shop, order);
  // An EOA's signature is checked locally; anything else (a contract wallet) through the chain.
  const valid =
    (await verifyTypedData({ ...typed, address: wallet, signature: input.signature }).catch(
      () => false,
    )) ||
    (await deps.client
      .verifyHash({ address: wallet, hash: hashTypedData(typed), signature: input.signature })
      .catch(() => false));
  if (!valid) throw new OrderRefused("signature_invalid", "the order is not signed by the wallet");
  if (input.nonce !== nonce)
    throw new OrderRefused(
      "signature_invalid",
      `the order's nonce ${input.nonce} is not the wallet's current ${nonce} (orders cancelled)`,
    );
  if (used) throw new OrderRefused("order_ref_used", `order reference ${input.orderRef} was used`);
  const permit = input.permit ?? NO_PERMIT;
  const data = encodeFunctionData({
    abi: perkShopAbi,
    functionName: "redeemWithPermit",
    args: [order, input.signature, permit],
  });
  try {
    await deps.client.call({ account: deps.relayer, to: shop, data });
  } catch (error) {
    const raw = revertData(error);
    const reason = raw ? decodeRevert(raw).text : "the call reverted";
    throw new OrderRefused("order_refused", reason);
  }
  const row = await deps.db.transaction(async (tx) => {
    const send = await createSend(
      tx,
      {
        kind: "redeem",
        chainId: deps.chainId,
        signer: deps.relayer,
        target: shop,
        data,
        campaignId: campaign.id,
        payoutCount: 1,
        amount: cost,
      },
      now,
    );
    const accepted = await acceptPerkOrder(
      tx,
      {
        campaignId: campaign.id,
        memberId: member.id,
        shop,
        account: wallet,
        perkId,
        quantity: input.quantity,
        maxCost: input.maxCost,
        orderRef: input.orderRef,
        orderId: keccak256(
          encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [wallet, input.orderRef]),
        ),
        deadline: Number(input.deadline),
        permit: input.permit !== undefined,
        sendId: send.id,
      },
      now,
    );
    // Rolls the send back with it: the member sent this reference before.
    if (!accepted) throw new OrderRefused("order_ref_used", "order reference sent before");
    return accepted;
  });
  return row;
}

/** A member's orders, newest first. */
export function ordersOf(db: Db, memberId: number) {
  return db
    .select()
    .from(chainPerkOrders)
    .where(eq(chainPerkOrders.memberId, memberId))
    .orderBy(desc(chainPerkOrders.id))
    .limit(200);
}

/** What relayer sends do to their orders. */
export function redeemHooks(now: () => Date): SendHooks {
  return {
    signed: (tx, send, hash) => perkOrderSigned(tx, send.id, hash, now()),
    released: (tx, send, reason) => perkOrderFailed(tx, send.id, reason, now()),
    reverted: (tx, send, error) => perkOrderFailed(tx, send.id, error, now()),
    replaced: (tx, send) =>
      perkOrderFailed(tx, send.id, "the relayer's nonce was used by another transaction", now()),
  };
}
