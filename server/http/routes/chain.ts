/**
 * The pipeline's HTTP routes, declared on their own {@link RouteTable} (validated by zod, listed
 * in /openapi.json through the component's `routeDocs`):
 *
 * - `GET /api/rewards/proof` (member): what the member can claim now from each distributor,
 *   with the Merkle proof the dashboard passes to `RewardDistributor.claim`.
 * - `GET /api/rewards/coupons` (member): coupons from the member's perk redemptions.
 * - `GET /api/rewards/balances` (member): the member's wallet balances per token, as indexed.
 * - `GET /rewards/files/index.json` and `GET /rewards/files/<sha256>.json` (public): the
 *   content-addressed reward files and their signed index (verify/rewardFiles.ts).
 * - `GET /rewards/epochs/index.json` and `GET /rewards/epochs/<campaign>/<token>/<n>.json`
 *   (public): every published epoch and its reward file, from which anyone can rebuild the
 *   root and check every amount against the chain.
 * - `GET /api/chain/health` (public): the state of every running worker, indexer and publisher.
 *
 * The chain component (server/chain/component.ts) mounts them through {@link chainHttpRoutes};
 * the chain is reached through its driver only (server/chain/driver.ts).
 */

import { eq, sql } from "drizzle-orm";
import type { Request, RequestHandler, Router } from "express";
import { formatUnits, getAddress, type Hex } from "viem";
import { z } from "zod";
import type { ChainRoutesFactory, ChainRoutesInput } from "../../chain/component.ts";
import type { ContractIndex } from "../../chain/contracts.ts";
import { memberProofs, publishedEpochs, rewardFile } from "../../chain/epochs.ts";
import type { JobHealth } from "../../chain/health.ts";
import { OrderRefused, ordersOf } from "../../chain/perkRelay.ts";
import { pgArray } from "../../db/arrays.ts";
import { type Db, queryRows } from "../../db/index.ts";
import { chainCoupons } from "../../db/schema/chain.ts";
import { memberCoupons } from "../../domain/coupons.ts";
import type { MemberView } from "../../domain/members.ts";
import { meetsTier, tierIndex } from "../../domain/perks.ts";
import { latestRewardIndex, rewardFileText } from "../../domain/rewardFiles.ts";
import { memberStats } from "../../domain/stats.ts";
import type { AuthResolver } from "../auth.ts";
import { ProblemError } from "../problem.ts";
import { componentRoutes, type RouteTable } from "../route.ts";
import { amountSchema, iso } from "../schemas.ts";
import { operatorRoutes } from "./operator.ts";
import { shopRoutes } from "./shop.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const wei = z.string().regex(/^\d+$/).describe("Amount in wei (the token's smallest unit)");

const proofItemSchema = z.object({
  token: z.string().describe("Token symbol"),
  tokenAddress: address,
  distributor: address.describe(
    "The RewardDistributor to call `claim(account, cumulativeAmount, terms, proof)` on",
  ),
  epoch: z.number().int(),
  root: bytes32,
  member: z.number().int().describe("The member's number, as the leaf names it"),
  deadline: z.number().int().describe("Unix seconds: this leaf can be claimed until then"),
  released: z
    .boolean()
    .describe("Whether the leaf was written after the member's escrow was released"),
  account: address.describe("The wallet in the leaf (tokens always go there)"),
  cumulativeAmount: wei,
  terms: z
    .string()
    .regex(/^\d+$/)
    .describe("The `terms` argument of `claim`: `member << 41 | deadline << 1 | released`"),
  claimed: wei.describe("Already claimed by this member, read on-chain"),
  claimable: wei,
  proof: z.array(bytes32),
});

const couponSchema = z.object({
  code: z.string(),
  campaign: z.string(),
  perk: z.string().nullable().describe("The perk's id in the campaign file"),
  perkId: z.number().int().describe("On-chain perk id"),
  quantity: z.number().int(),
  status: z
    .enum(["issued", "revoked", "used", "expired"])
    .describe(
      "`issued`: valid; `used`: a partner marked it used; `revoked`: its redemption was undone",
    ),
  expiresAt: iso.nullable(),
  usedAt: iso.nullable(),
  txHash: z.string(),
  createdAt: iso,
});

const orderSchema = z.object({
  id: z.number().int(),
  campaign: z.string(),
  perkId: z.number().int(),
  quantity: z.number().int(),
  maxCost: wei,
  orderRef: bytes32,
  account: address,
  deadline: z.number().int(),
  status: z.enum(["sent", "redeemed", "failed"]),
  txHash: z.string().nullable(),
  error: z.string().nullable(),
  coupon: z.string().nullable().describe("The coupon code, once the redemption is indexed"),
  createdAt: iso,
});

const epochSummarySchema = z.object({
  campaign: z.string(),
  token: z.string(),
  tokenAddress: address,
  distributor: address,
  epoch: z.number().int(),
  root: bytes32,
  deadline: z.number().int(),
  activatesAt: z.number().int().describe("Unix seconds: the root takes effect then"),
  leaves: z.number().int(),
  total: wei,
  txHash: z.string().nullable(),
  url: z.string().describe("Path of the epoch's public reward file"),
});

const rewardFileSchema = z.object({
  format: z.literal("refmint-rewards/2"),
  chainId: z.number().int(),
  distributor: address,
  token: address,
  epoch: z.number().int(),
  root: bytes32,
  deadline: z.number().int(),
  total: wei.describe("What the root promises on-chain"),
  tree: z
    .object({
      format: z.string(),
      leafEncoding: z.array(z.string()),
      tree: z.array(z.string()),
      values: z.array(
        z.object({
          value: z.array(z.union([z.string(), z.boolean()])),
          treeIndex: z.number().int(),
        }),
      ),
    })
    .describe(
      "OpenZeppelin StandardMerkleTree dump (`StandardMerkleTree.load` reads it); leaves are `[member, account, cumulativeAmount, deadline, released]`",
    ),
});

const jobHealthSchema = z.object({
  job: z.enum(["worker", "indexer", "epochs"]),
  instance: z.string(),
  status: z.enum(["starting", "ok", "degraded", "standby", "stopped"]),
  leader: z.boolean(),
  lastPassAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  alerts: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  updatedAt: z.string().nullable(),
});

/**
 * What the chain component hands its routes (server/chain/component.ts: the chain, when
 * `RPC_URL` is set, is where claimed amounts are read), and member auth.
 */
export interface ChainRouteDeps
  extends Pick<
    ChainRoutesInput,
    "domain" | "db" | "contracts" | "chainId" | "driver" | "localHealth"
  > {
  /** Member resolvers in order (Telegram init data, then e.g. the website session). */
  resolvers: AuthResolver[];
  /** The per-member limit shared with every other route (see server/http/access.ts). */
  perMember: RequestHandler;
  bodyLimitBytes: number;
  validateResponses?: boolean;
}

function me(req: Request): MemberView {
  const m = req.member;
  if (!m) throw new ProblemError("auth_required");
  return m;
}

/** Health rows older than this belong to instances that are gone. */
const STALE_SECONDS = 120;
/** An epoch still unpublished after this long needs an operator. */
const EPOCH_STUCK_SECONDS = 600;

/**
 * What members cannot claim, per distributor: its latest epoch failed to publish, or is stuck
 * pending, or the chain's latest root is none this database built and published (another
 * database's command published it: no reward file or proof for it here, so claims fail).
 */
export async function epochAlerts(db: Db, contracts: ContractIndex, now: Date): Promise<string[]> {
  const ours = await queryRows<{
    distributor: string;
    campaign_id: number;
    token: string;
    status: string;
    created_at: Date | string;
  }>(
    db,
    sql`select distinct on (distributor) distributor, campaign_id, token, status, created_at
        from chain_epochs order by distributor, id desc`,
  );
  const onChain = await queryRows<{
    distributor: string;
    epoch: number;
    root: string;
    served: boolean;
  }>(
    db,
    sql`select distinct on (e.distributor) e.distributor, e.epoch, e.root,
          exists (select 1 from chain_epochs ep where ep.distributor = e.distributor
                    and ep.status = 'published' and ep.epoch = e.epoch and ep.root = e.root) as served
        from chain_distributor_events e where e.kind = 'epoch'
        order by e.distributor, e.block_number desc, e.log_index desc`,
  );
  const name = (distributor: string) => {
    const ref = contracts.byDistributor(distributor);
    return ref ? `${ref.campaign.slug} ${ref.token.symbol}` : distributor;
  };
  const alerts: string[] = [];
  for (const r of ours) {
    if (!contracts.byDistributor(r.distributor)) continue;
    if (r.status === "failed")
      alerts.push(
        `${name(r.distributor)}: the latest epoch failed to publish (see the worker's log; the next run or npm run epoch:publish builds a new one)`,
      );
    const age = (now.getTime() - new Date(r.created_at).getTime()) / 1000;
    if (r.status === "pending" && age > EPOCH_STUCK_SECONDS)
      alerts.push(
        `${name(r.distributor)}: an epoch has waited ${Math.round(age / 60)} minutes to be published`,
      );
  }
  for (const r of onChain) {
    if (!contracts.byDistributor(r.distributor) || r.served) continue;
    alerts.push(
      `${name(r.distributor)}: on-chain epoch ${r.epoch} (root ${r.root.slice(0, 10)}…) was not built by this service's database: its reward file and proofs are not served, so members cannot claim`,
    );
  }
  return alerts;
}

export function chainRoutes(deps: ChainRouteDeps): { router: Router; table: RouteTable } {
  const { table, router } = componentRoutes({ ...deps, member: deps });
  const decimals = (campaignId: number, symbol: string) =>
    deps.contracts.token(campaignId, symbol)?.token.decimals ?? 18;

  table.add(router, {
    method: "get",
    path: "/api/rewards/proof",
    operationId: "getRewardProofs",
    summary: "Merkle proofs for the member's claimable escrowed rewards",
    description:
      "Per token: the member's leaf in the latest epoch of its RewardDistributor that took effect, while the leaf is open and something is left to claim. Send `claim(account, cumulativeAmount, terms, proof)` to `distributor`; anyone may send it, the tokens go to `account`.",
    tags: ["rewards"],
    auth: "member",
    response: {
      status: 200,
      description: "Claimable rewards (empty when there is nothing to claim)",
      schema: z.object({ items: z.array(proofItemSchema) }),
    },
    handler: async ({ req }) => ({
      items: await memberProofs(
        deps.db,
        deps.contracts,
        deps.driver,
        me(req).id,
        deps.domain.now(),
      ),
    }),
  });

  table.add(router, {
    method: "get",
    path: "/api/rewards/coupons",
    operationId: "getCoupons",
    summary: "Coupons from the member's perk redemptions",
    tags: ["rewards"],
    auth: "member",
    response: {
      status: 200,
      description: "The member's coupons, newest first",
      schema: z.object({ items: z.array(couponSchema) }),
    },
    handler: async ({ req }) => {
      const rows = await memberCoupons(deps.db, me(req).id, deps.domain.now());
      return {
        items: rows.map((r) => ({
          code: r.code,
          campaign: deps.contracts.byId(r.campaignId)?.slug ?? String(r.campaignId),
          perk: r.perk,
          perkId: r.perkId,
          quantity: r.quantity,
          status: r.status,
          expiresAt: r.expiresAt?.toISOString() ?? null,
          usedAt: r.usedAt?.toISOString() ?? null,
          txHash: r.txHash,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  });

  shopRoutes(table, router, {
    domain: deps.domain,
    contracts: deps.contracts,
    chainId: deps.chainId,
    driver: deps.driver,
    me,
  });

  const orderView = (
    r: Awaited<ReturnType<typeof ordersOf>>[number],
    coupons: ReadonlyMap<string, string>,
  ) => ({
    id: r.id,
    campaign: deps.contracts.byId(r.campaignId)?.slug ?? String(r.campaignId),
    perkId: r.perkId,
    quantity: r.quantity,
    maxCost: r.maxCost.toString(),
    orderRef: r.orderRef,
    account: getAddress(r.account),
    deadline: r.deadline,
    status: r.status,
    txHash: r.txHash,
    error: r.error,
    coupon: coupons.get(`${r.shop}:${r.orderId}`) ?? null,
    createdAt: r.createdAt.toISOString(),
  });

  table.add(router, {
    method: "post",
    path: "/api/me/perks/:perkId/redeem",
    operationId: "redeemPerk",
    summary: "Redeem a perk through the relayer with an order the member signed (no gas)",
    description:
      "The body is the member's EIP-712 `Order` for the campaign's PerkShop (`member` is the linked wallet) with its signature, and optionally an ERC-2612 permit that funds it. The order is checked (expiry, price within `maxCost`, nonce, signature, unused reference, a simulation of the call) before anything is written; the relayer then sends `redeemWithPermit`. 202: accepted; see `GET /api/me/redemptions`.",
    tags: ["rewards"],
    auth: "member",
    params: z.object({
      perkId: z.coerce
        .number()
        .int()
        .min(1)
        .max(2 ** 32),
    }),
    body: z.object({
      campaign: z.string().regex(/^[a-z0-9-]{2,48}$/),
      quantity: z
        .number()
        .int()
        .min(1)
        .max(2 ** 32 - 1),
      maxCost: wei,
      orderRef: bytes32,
      nonce: z.string().regex(/^\d{1,78}$/),
      deadline: z.number().int().min(1),
      signature: z.string().regex(/^0x([0-9a-fA-F]{2})+$/),
      permit: z
        .object({
          value: wei,
          deadline: z.number().int().min(1),
          v: z.number().int().min(0).max(255),
          r: bytes32,
          s: bytes32,
        })
        .optional(),
    }),
    problems: [
      "auth_required",
      "not_ready",
      "campaign_not_found",
      "wallet_required",
      "perk_unknown",
      "order_expired",
      "price_changed",
      "order_ref_used",
      "signature_invalid",
      "order_refused",
      "perk_expired",
      "out_of_stock",
      "insufficient_balance",
      "tier_too_low",
      "badge_required",
    ],
    response: { status: 202, description: "The order, accepted", schema: orderSchema },
    handler: async ({ req, params, body }) => {
      const driver = deps.driver;
      if (!driver?.addressFor("relayer"))
        throw new ProblemError("not_ready", "this service has no relayer key or RPC_URL");
      const campaign = deps.contracts.bySlug(body.campaign);
      if (!campaign) throw new ProblemError("campaign_not_found");
      const member = me(req);
      // Token-gated perks: the tier from the member's qualified friends, the badge from the
      // chain (inside acceptPerkOrder), both before anything is written.
      // The rules in effect now (the registry follows new versions; the contract index keeps
      // the campaign as it was loaded).
      const rules = deps.domain.campaigns.byId(campaign.id) ?? campaign.campaign;
      const perkDef = rules.definition.perks[params.perkId - 1];
      const needsTier = perkDef?.requires?.tier;
      if (needsTier) {
        const stats = await memberStats(deps.db, rules, member.id);
        if (!meetsTier(rules, needsTier, tierIndex(rules, stats.tier.qualified)))
          throw new ProblemError(
            "tier_too_low",
            `perk ${params.perkId} needs the ${needsTier} tier or higher`,
          );
      }
      const needsBadge = perkDef?.requires?.badge;
      if (needsBadge !== undefined && !campaign.badges)
        throw new ProblemError("badge_required", "the campaign has no Badges contract");
      try {
        const row = await driver.acceptPerkOrder(
          { db: deps.db, now: deps.domain.now },
          campaign,
          { id: member.id, wallet: member.wallet ?? null },
          params.perkId,
          {
            quantity: body.quantity,
            maxCost: BigInt(body.maxCost),
            orderRef: body.orderRef as Hex,
            nonce: BigInt(body.nonce),
            deadline: BigInt(body.deadline),
            signature: body.signature as Hex,
            permit: body.permit && {
              value: BigInt(body.permit.value),
              deadline: BigInt(body.permit.deadline),
              v: body.permit.v,
              r: body.permit.r as Hex,
              s: body.permit.s as Hex,
            },
            requiredBadge:
              needsBadge !== undefined && campaign.badges
                ? { contract: campaign.badges, id: needsBadge }
                : undefined,
          },
        );
        return orderView(row, new Map());
      } catch (error) {
        if (error instanceof OrderRefused) throw new ProblemError(error.code, error.message);
        throw error;
      }
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/redemptions",
    operationId: "getRedemptions",
    summary: "The member's relayed perk orders and what became of them",
    tags: ["rewards"],
    auth: "member",
    response: {
      status: 200,
      description: "Orders, newest first",
      schema: z.object({ items: z.array(orderSchema) }),
    },
    handler: async ({ req }) => {
      const member = me(req);
      const rows = await ordersOf(deps.db, member.id);
      const coupons = new Map(
        (
          await deps.db
            .select({
              shop: chainCoupons.shop,
              orderRef: chainCoupons.orderRef,
              code: chainCoupons.code,
            })
            .from(chainCoupons)
            .where(eq(chainCoupons.memberId, member.id))
        ).map((c) => [`${c.shop}:${c.orderRef.toLowerCase()}`, c.code]),
      );
      return { items: rows.map((r) => orderView(r, coupons)) };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/rewards/balances",
    operationId: "getChainBalances",
    summary: "The member's wallet balances of the campaigns' tokens, as indexed",
    tags: ["rewards"],
    auth: "member",
    response: {
      status: 200,
      description: "Balances per campaign token (empty without a linked wallet)",
      schema: z.object({
        wallet: address.nullable(),
        block: z.number().int().nullable().describe("Indexed up to this block"),
        items: z.array(
          z.object({
            campaign: z.string(),
            token: z.string(),
            tokenAddress: address,
            balance: amountSchema,
          }),
        ),
      }),
    },
    handler: async ({ req }) => {
      const wallet = me(req).wallet;
      const [cursor] = await queryRows<{ block_number: string }>(
        deps.db,
        sql`select block_number from chain_cursors where name = ${`indexer:${deps.chainId}`}`,
      );
      if (!wallet)
        return { wallet: null, block: cursor ? Number(cursor.block_number) : null, items: [] };
      const rows = await queryRows<{ token: string; balance: string }>(
        deps.db,
        sql`select token, balance::text as balance from chain_balances
            where token = any(${pgArray(deps.contracts.campaigns.flatMap((c) => [...c.tokens.values()].map((t) => t.token.toLowerCase())))}::text[])
              and account = ${wallet.toLowerCase()}`,
      );
      const byToken = new Map(rows.map((r) => [r.token, BigInt(r.balance)]));
      const items = deps.contracts.campaigns.flatMap((c) =>
        [...c.tokens.values()].map((t) => {
          const wei = byToken.get(t.token.toLowerCase()) ?? 0n;
          return {
            campaign: c.slug,
            token: t.symbol,
            tokenAddress: t.token,
            balance: { wei: wei.toString(), tokens: formatUnits(wei, decimals(c.id, t.symbol)) },
          };
        }),
      );
      return {
        wallet: getAddress(wallet),
        block: cursor ? Number(cursor.block_number) : null,
        items,
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/rewards/epochs/index.json",
    operationId: "listRewardEpochs",
    summary: "Every published Merkle epoch, with the URL of its public reward file",
    tags: ["rewards"],
    auth: "none",
    response: {
      status: 200,
      description: "Published epochs, newest first",
      schema: z.object({ chainId: z.number().int(), epochs: z.array(epochSummarySchema) }),
    },
    handler: async ({ res }) => {
      res.setHeader("Cache-Control", "public, max-age=30");
      return { chainId: deps.chainId, epochs: await publishedEpochs(deps.db, deps.contracts) };
    },
  });

  table.add(router, {
    method: "get",
    path: "/rewards/epochs/:campaign/:token/:file",
    operationId: "getRewardFile",
    summary: "The public reward file of one epoch (`<epoch>.json`)",
    description:
      "Every leaf (wallet, cumulative amount) of the epoch's tree. `StandardMerkleTree.load(file.tree)` rebuilds it; its root must equal `RewardDistributor.rootOf(epoch)`.",
    tags: ["rewards"],
    auth: "none",
    params: z.object({
      campaign: z.string().regex(/^[a-z0-9-]{2,48}$/),
      token: z.string().regex(/^[A-Z][A-Z0-9]{1,10}$/),
      file: z
        .string()
        .regex(/^\d{1,9}\.json$/, "expected <epoch>.json")
        .describe("`<epoch>.json`"),
    }),
    problems: ["not_found"],
    response: { status: 200, description: "The reward file", schema: rewardFileSchema },
    handler: async ({ params, res }) => {
      const epoch = Number(params.file.slice(0, -5));
      const file = await rewardFile(
        deps.db,
        deps.contracts,
        deps.chainId,
        params.campaign,
        params.token,
        epoch,
      );
      if (!file)
        throw new ProblemError(
          "not_found",
          `no published epoch ${epoch} for ${params.campaign} ${params.token}`,
        );
      // A published epoch never changes.
      res.setHeader("Cache-Control", "public, max-age=86400, immutable");
      return file;
    },
  });

  // Content-addressed reward files (verify/rewardFiles.ts), served byte for byte. Public and
  // readable from any origin: the static verifier page runs from a saved copy (file://).
  table.add(router, {
    method: "get",
    path: "/rewards/files/index.json",
    operationId: "getRewardFileIndex",
    summary: "The latest signed index of the content-addressed reward files",
    description:
      "Lists every current reward file (campaign, payouts, epoch) by kind, campaign and SHA-256, with its sequence number and the hash of the index before it, signed (EIP-712) by the root publisher key. Check it with `npx refmint-verify`.",
    tags: ["rewards"],
    auth: "none",
    problems: ["not_found"],
    response: { status: 200, description: "The signed index", contentType: "application/json" },
    raw: async ({ res }) => {
      const latest = await latestRewardIndex(deps.db);
      if (!latest) throw new ProblemError("not_found", "no reward files published yet");
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Cache-Control", "public, max-age=30");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.status(200).send(Buffer.from(latest.body, "utf8"));
    },
  });

  table.add(router, {
    method: "get",
    path: "/rewards/files/:file",
    operationId: "getContentAddressedRewardFile",
    summary: "One reward file or index (`<sha256>.json`), exactly as hashed",
    description:
      "Canonical JSON (keys sorted, no whitespace): `sha256sum` of the body equals the file name. Never rewritten.",
    tags: ["rewards"],
    auth: "none",
    params: z.object({
      file: z.string().regex(/^[0-9a-f]{64}\.json$/, "expected <sha256>.json"),
    }),
    problems: ["not_found"],
    response: { status: 200, description: "The file", contentType: "application/json" },
    raw: async ({ params, res }) => {
      const body = await rewardFileText(deps.db, params.file.slice(0, 64));
      if (body === undefined) throw new ProblemError("not_found", `no reward file ${params.file}`);
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Cache-Control", "public, max-age=86400, immutable");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.status(200).send(Buffer.from(body, "utf8"));
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/chain/health",
    operationId: "getChainHealth",
    summary: "State of the payout worker, indexer and epoch publisher instances",
    tags: ["health"],
    auth: "none",
    response: {
      status: 200,
      description:
        "`ok` when every job has a healthy leader and every distributor's latest epoch is served",
      schema: z.object({
        status: z.enum(["ok", "degraded", "down"]),
        jobs: z.array(jobHealthSchema),
        alerts: z
          .array(z.string())
          .describe(
            "Epochs members cannot claim: a failed or stuck publication, or a root on-chain that this service cannot serve",
          ),
      }),
    },
    handler: async ({ res }) => {
      const rows = await queryRows<{ health: JobHealth | string; updated_at: Date | string }>(
        deps.db,
        sql`select health, updated_at from chain_status
            where updated_at > now() - make_interval(secs => ${STALE_SECONDS})
            order by job, leader desc, instance`,
      );
      const local = new Map(deps.localHealth().map((h) => [`${h.job}:${h.instance}`, h]));
      const jobs: Array<JobHealth & { updatedAt: string | null }> = rows.map((r) => {
        const stored = (
          typeof r.health === "string" ? JSON.parse(r.health) : r.health
        ) as JobHealth;
        const h = local.get(`${stored.job}:${stored.instance}`) ?? stored;
        local.delete(`${stored.job}:${stored.instance}`);
        return { ...h, updatedAt: new Date(r.updated_at).toISOString() };
      });
      for (const h of local.values()) jobs.push({ ...h, updatedAt: null });
      const leaders = new Map<string, JobHealth>();
      for (const j of jobs) if (j.leader) leaders.set(j.job, j);
      const kinds = new Set(jobs.map((j) => j.job));
      const alerts = await epochAlerts(deps.db, deps.contracts, deps.domain.now());
      const status: "ok" | "degraded" | "down" =
        jobs.length === 0 || [...kinds].some((k) => !leaders.has(k))
          ? "down"
          : [...leaders.values()].some((l) => l.status !== "ok") || alerts.length > 0
            ? "degraded"
            : "ok";
      res.setHeader("Cache-Control", "no-store");
      return { status, jobs, alerts };
    },
  });

  return { router, table };
}

/**
 * The pipeline's routes as the chain component mounts them (app/components.ts passes this
 * to `createChainComponent`): member and public routes, and the operator endpoints.
 */
export const chainHttpRoutes: ChainRoutesFactory = (input, { config, access, authResolvers }) => {
  const http = {
    bodyLimitBytes: config.http.bodyLimitBytes,
    validateResponses: config.env === "test",
  };
  const api = chainRoutes({
    ...input,
    ...http,
    resolvers: [access.tma, ...(authResolvers ?? [])],
    perMember: access.perMember,
  });
  const operator = operatorRoutes({
    ...input,
    ...http,
    // The website's admin session too: the admin console (/admin) manages perks through these
    // routes. Every route still asks the domain whether this admin may act in that campaign.
    resolvers: [access.adminToken, access.tma, ...(authResolvers ?? [])],
    publicUrl: config.http.publicUrl,
  });
  return {
    routers: [
      { path: "/", router: api.router },
      { path: "/", router: operator.router },
    ],
    routeDocs: [...api.table.docs, ...operator.table.docs],
  };
};
