/**
 * Relayed perk orders: what a member signed (an EIP-712 order for `PerkShop.redeemWithPermit`)
 * and what became of it. One `chain_perk_orders` row per member wallet and order reference, like
 * the shop's own record of used references. Every write is one transition of
 * {@link PERK_ORDER_TRANSITIONS}, guarded by the states it leaves, so a repeated hook or a
 * re-indexed log changes nothing the second time.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { chainPerkOrders, type PerkOrderStatus } from "../db/schema/chain.ts";

export const PERK_ORDER_TRANSITIONS = {
  /** Accepted and its relayer send created, in the same transaction (insert). */
  accept: { from: [], to: "sent" },
  /** The indexer saw the order's `PerkRedeemed` (also after a failure: the chain is the truth). */
  redeem: { from: ["sent", "failed"], to: "redeemed" },
  /** The send was given up before broadcast, reverted, or lost its nonce. */
  fail: { from: ["sent"], to: "failed" },
  /** A reorg removed the `PerkRedeemed` log: followed again. */
  rewind: { from: ["redeemed"], to: "sent" },
} as const satisfies Record<string, { from: readonly PerkOrderStatus[]; to: PerkOrderStatus }>;

const from = (t: keyof typeof PERK_ORDER_TRANSITIONS) =>
  [...PERK_ORDER_TRANSITIONS[t].from] as PerkOrderStatus[];

export interface AcceptedOrder {
  campaignId: number;
  memberId: number;
  shop: string;
  account: string;
  perkId: number;
  quantity: number;
  maxCost: bigint;
  orderRef: string;
  orderId: string;
  deadline: number;
  permit: boolean;
  sendId: number;
}

/** `accept`: returns the new row, or undefined when the member used this reference before. */
export async function acceptPerkOrder(tx: Db, order: AcceptedOrder, now: Date) {
  const [row] = await tx
    .insert(chainPerkOrders)
    .values({
      ...order,
      shop: order.shop.toLowerCase(),
      account: order.account.toLowerCase(),
      orderRef: order.orderRef.toLowerCase(),
      orderId: order.orderId.toLowerCase(),
      status: PERK_ORDER_TRANSITIONS.accept.to,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({
      target: [chainPerkOrders.shop, chainPerkOrders.orderId],
    })
    .returning();
  return row;
}

/** `fail`: the relayer's send `sendId` was given up or reverted. */
export async function perkOrderFailed(tx: Db, sendId: number, error: string, now: Date) {
  await tx
    .update(chainPerkOrders)
    .set({ status: PERK_ORDER_TRANSITIONS.fail.to, error, updatedAt: now })
    .where(and(eq(chainPerkOrders.sendId, sendId), inArray(chainPerkOrders.status, from("fail"))));
}

/** The relayer's send was signed: the order's transaction hash (the latest attempt's). */
export async function perkOrderSigned(tx: Db, sendId: number, hash: string, now: Date) {
  await tx
    .update(chainPerkOrders)
    .set({ txHash: hash, updatedAt: now })
    .where(and(eq(chainPerkOrders.sendId, sendId), eq(chainPerkOrders.status, "sent")));
}

/** `redeem`: the shop logged `PerkRedeemed` for this order (its `orderId`). */
export async function perkOrderRedeemed(
  tx: Db,
  log: { shop: string; orderId: string; txHash: string },
  now: Date,
) {
  await tx
    .update(chainPerkOrders)
    .set({
      status: PERK_ORDER_TRANSITIONS.redeem.to,
      txHash: log.txHash,
      error: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(chainPerkOrders.shop, log.shop.toLowerCase()),
        eq(chainPerkOrders.orderId, log.orderId.toLowerCase()),
        inArray(chainPerkOrders.status, from("redeem")),
      ),
    );
}
