/**
 * `GET /api/me/shop` (member, issue 14): a campaign's perks as the member sees them, read from
 * the chain now (price, stock, end of sale, whether on sale), with the member's balance beside
 * each, any requirement (tier or badge) and why the member cannot redeem it now, if so; plus
 * what the dashboard needs to sign a relayed order (the wallet's order nonce, the shop's
 * allowance and the token's ERC-2612 nonce and domain). Mounted by the chain routes.
 */
import type { Request, Router } from "express";
import { getAddress } from "viem";
import { z } from "zod";
import type { ContractIndex } from "../../chain/contracts.ts";
import type { ChainDriver } from "../../chain/driver.ts";
import type { DomainContext } from "../../domain/context.ts";
import { perkCatalogue, type ShopChainState } from "../../domain/perks.ts";
import { memberStats } from "../../domain/stats.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { amount, amountSchema, localizedSchema } from "../schemas.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const PERK_REFUSALS = [
  "wallet_required",
  "perk_unknown",
  "perk_expired",
  "out_of_stock",
  "insufficient_balance",
  "tier_too_low",
  "badge_required",
] as const;

const perkSchema = z.object({
  perkId: z.number().int().describe("On-chain perk id (the position in the campaign file)"),
  key: z.string(),
  title: localizedSchema,
  token: z.string(),
  tokenAddress: address.nullable(),
  decimals: z.number().int(),
  price: amountSchema,
  stock: z.number().int().nullable().describe("Units left; null: unlimited"),
  expiresAt: z.iso.datetime().nullable(),
  requires: z
    .object({
      tier: z.object({ id: z.string(), name: localizedSchema }).nullable(),
      badge: z.object({ id: z.number().int(), name: localizedSchema }).nullable(),
    })
    .nullable(),
  balance: amountSchema.nullable().describe("The member's wallet balance of the perk's token"),
  refusal: z
    .enum(PERK_REFUSALS)
    .nullable()
    .describe("Why the member cannot redeem it now (the redeem endpoint's problem code)"),
});

export const shopSchema = z.object({
  campaign: z.string(),
  chainId: z.number().int(),
  shop: address.nullable(),
  wallet: address.nullable(),
  orderNonce: z.string().nullable().describe("The wallet's current order nonce on the shop"),
  tokens: z.array(
    z.object({
      symbol: z.string(),
      address,
      allowance: z.string().describe("What the shop may take from the wallet now (wei)"),
      permitNonce: z.string(),
      name: z.string().describe("The token's EIP-712 domain name (for the permit)"),
      version: z.string(),
    }),
  ),
  items: z.array(perkSchema),
});

export interface ShopRouteDeps {
  domain: DomainContext;
  contracts: ContractIndex;
  chainId: number;
  driver?: ChainDriver;
  me: (req: Request) => { id: number; wallet?: string | null };
}

export function shopRoutes(table: RouteTable, router: Router, deps: ShopRouteDeps): void {
  table.add(router, {
    method: "get",
    path: "/api/me/shop",
    operationId: "getShop",
    summary: "The campaign's perks with the member's balance and what stops each one",
    tags: ["rewards"],
    auth: "member",
    query: z.object({
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
    }),
    problems: ["campaign_not_found", "not_ready"],
    response: { status: 200, description: "The shop", schema: shopSchema },
    handler: async ({ req, query }) => {
      const campaign = deps.domain.campaigns.resolve(query.campaign, deps.domain.now());
      const contracts = deps.contracts.byId(campaign.id);
      const member = deps.me(req);
      const wallet = member.wallet ?? null;
      const def = campaign.definition;
      const stats = await memberStats(deps.domain.db, campaign, member.id);
      let chain: ShopChainState | null = null;
      if (contracts?.perkShop && deps.driver) {
        const tokens = [...new Set(def.perks.map((p) => p.token))].flatMap((symbol) => {
          const t = contracts.tokens.get(symbol);
          return t ? [t.token] : [];
        });
        const badgeIds = def.perks.flatMap((p) =>
          p.requires?.badge === undefined ? [] : [p.requires.badge],
        );
        try {
          chain = await deps.driver.shopState({
            shop: contracts.perkShop,
            perkCount: def.perks.length,
            wallet,
            tokens,
            badges: contracts.badges ? { contract: contracts.badges, ids: badgeIds } : undefined,
          });
        } catch (error) {
          throw new ProblemError("not_ready", `the chain could not be read: ${String(error)}`);
        }
      }
      const items = perkCatalogue(
        campaign,
        chain,
        { wallet, qualified: stats.tier.qualified },
        deps.domain.now(),
      );
      return {
        campaign: campaign.slug,
        chainId: deps.chainId,
        shop: contracts?.perkShop ?? null,
        wallet: wallet ? getAddress(wallet) : null,
        orderNonce: chain?.orderNonce?.toString() ?? null,
        tokens: [...(contracts?.tokens.values() ?? [])].flatMap((t) => {
          const s = chain?.tokens.get(t.token.toLowerCase());
          return s
            ? [
                {
                  symbol: t.symbol,
                  address: t.token,
                  allowance: s.allowance.toString(),
                  permitNonce: s.permitNonce.toString(),
                  name: s.name,
                  version: s.version,
                },
              ]
            : [];
        }),
        items: items.map((i) => ({
          perkId: i.perkId,
          key: i.key,
          title: i.title,
          token: i.token,
          tokenAddress: i.tokenAddress,
          decimals: i.decimals,
          price: amount(i.price, i.decimals),
          stock: i.stock,
          expiresAt: i.expiresAt?.toISOString() ?? null,
          requires: i.requires,
          balance: i.balance === null ? null : amount(i.balance, i.decimals),
          refusal: i.refusal,
        })),
      };
    },
  });
}
