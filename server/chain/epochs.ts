/**
 * Merkle epochs: claims for members whose rewards went into escrow (a RewardDistributor)
 * because they had no wallet when they earned.
 *
 * What a member may claim. Per distributor, a member's escrowed grants are the ledger entries
 * paid on-chain to the distributor. The distributor keeps what each member claimed by member
 * number, and every `Claimed` log names the member. Claims use up the member's grants oldest
 * first; what is left, minus grants past their expiry, is the member's unclaimed amount U. The
 * member's leaf is (member, current wallet W, claimed[member] + U, deadline, released): the
 * contract pays `leaf − claimed[member]` = U to W, whichever wallets the member used before.
 * claimed[member] comes from the indexer at the same snapshot as the grants, and on-chain it can
 * only be higher (a claim the indexer has not seen yet), which lowers what the leaf pays: a
 * member is never paid twice, even across re-linked wallets.
 *
 * Totals. A root declares the total it promises (the sum of the leaves' U); the contract refuses
 * one above its balance and reserves it against releases and clawbacks.
 *
 * Deadlines and expiry. Each leaf has its own deadline: the earlier of now + the claim window
 * and the earliest expiry among the member's own grants in it, so no grant is claimable past its
 * expiry and no member's window is cut by someone else's grant. Once a leaf is published its
 * promise stands: while it is open, the member's next leaf includes the grants it promised and
 * closes no earlier, and the root's deadline is never before the open root's (the contract
 * refuses that too). An unclaimed grant past its expiry is marked `expired` (its postings
 * reversed, like any expired grant) once no open leaf includes it; the unclaimed expired amount
 * can then be returned to the treasury with `npm run epoch:clawback` (the admin's key), as far as
 * the open roots leave it unpromised.
 *
 * Publish delay. A root takes effect `publishDelaySeconds` after publication (the guardian may
 * veto it meanwhile); the contract takes no new root until then, so neither does the builder, and
 * proofs are served from the latest root that took effect.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { type Address, encodeFunctionData, getAddress, type Hex } from "viem";
import { leafTerms, type RewardFile, RewardTree } from "../../verify/rewardFiles.ts";
import { pgArray } from "../db/arrays.ts";
import { type Db, pgErrorCode, queryRows } from "../db/index.ts";
import { chainEpochLeaves, chainEpochs } from "../db/schema/chain.ts";
import { finalEpochDeadline } from "../domain/campaignTransitions.ts";
import { type ClaimedReader, claimableLeaves } from "../domain/claims.ts";
import { expireEscrowedGrants, lockBudgets } from "../domain/ledger.ts";
import type { Logger } from "../logger.ts";
import { rewardDistributorAbi } from "./abi.ts";
import type { ChainSettings } from "./config.ts";
import type { ContractIndex, TokenRef } from "./contracts.ts";
import type { ChainDriver } from "./driver.ts";
import { createSend, type SendHooks } from "./evm/sender.ts";
import type { ChainMetrics } from "./health.ts";

/** What a distributor recorded as claimed by a member number, read from the chain. */
export function distributorClaims(chain: Pick<ChainDriver, "claimedFromEscrow">): ClaimedReader {
  return (distributor, memberId) => chain.claimedFromEscrow(distributor, memberId);
}

/**
 * Orders the builder against release planning (server/chain/releases.ts): taken before the
 * snapshot (a LOCK statement does not start it), so the builder sees every release planned
 * before it, and no release is planned while it runs.
 */
async function lockReleases(tx: Db): Promise<void> {
  await tx.execute(sql`lock table chain_releases in share mode`);
}

/** Grants expiring sooner than this are left out of a new epoch (too little time to claim). */
const MIN_CLAIM_SECONDS = 3600;

export type EpochRow = typeof chainEpochs.$inferSelect;

interface Grant {
  id: number;
  memberId: number;
  amount: bigint;
  expiresAt: Date | null;
}

export interface MemberPosition {
  memberId: number;
  /** Grants neither claimed nor expired, oldest first. */
  open: Grant[];
  /** Unclaimed grants past their expiry (not yet marked expired). */
  lapsed: Grant[];
}

/**
 * Splits each member's escrowed grants into claimed, open and lapsed, using up the member's
 * claims oldest grant first (expired-marked grants are never claimable, so they are skipped).
 */
export function memberPositions(
  grants: readonly Grant[],
  claimedByMember: ReadonlyMap<number, bigint>,
  now: Date,
): Map<number, MemberPosition> {
  const out = new Map<number, MemberPosition>();
  const left = new Map(claimedByMember);
  for (const g of [...grants].sort((a, b) => a.id - b.id)) {
    let p = out.get(g.memberId);
    if (!p) {
      p = { memberId: g.memberId, open: [], lapsed: [] };
      out.set(g.memberId, p);
    }
    const credit = left.get(g.memberId) ?? 0n;
    if (credit > 0n) {
      // Claimed (a partial cover cannot arise from whole-leaf claims; if it did, the grant
      // counts as claimed, never as expired).
      left.set(g.memberId, credit >= g.amount ? credit - g.amount : 0n);
      if (credit >= g.amount) continue;
      p.open.push({ ...g, amount: g.amount - credit });
      continue;
    }
    if (g.expiresAt !== null && g.expiresAt.getTime() <= now.getTime()) p.lapsed.push(g);
    else p.open.push(g);
  }
  return out;
}

export interface EpochDeps {
  db: Db;
  contracts: ContractIndex;
  settings: ChainSettings;
  chainId: number;
  logger: Logger;
  metrics: ChainMetrics;
  now: () => Date;
  /** The backend signer: the worker leading for it publishes the root. */
  signer: string;
}

export interface EpochOutcome {
  campaign: string;
  token: string;
  /**
   * `built`: a new epoch awaits publication; otherwise why not (`pending`: our last one is not
   * on-chain yet; `waiting`: a published root has not taken effect yet).
   */
  outcome: "built" | "unchanged" | "empty" | "pending" | "waiting" | "not-indexed";
  epochId?: number;
  root?: Hex;
  leaves?: number;
  total?: bigint;
  expired: number;
}

/** An outcome as JSON: the epoch job's health details and `POST /api/operator/epochs`. */
export function epochOutcomeJson(o: EpochOutcome) {
  return {
    campaign: o.campaign,
    token: o.token,
    outcome: o.outcome,
    epochId: o.epochId ?? null,
    leaves: o.leaves ?? null,
    expired: o.expired,
  };
}

/** Builds (and queues for publication) a new epoch for every distributor that needs one. */
export async function buildEpochs(
  deps: EpochDeps,
  filter: { campaign?: string; token?: string } = {},
): Promise<EpochOutcome[]> {
  const out: EpochOutcome[] = [];
  for (const c of deps.contracts.campaigns) {
    if (filter.campaign !== undefined && c.slug !== filter.campaign) continue;
    for (const t of c.tokens.values()) {
      if (filter.token !== undefined && t.symbol !== filter.token) continue;
      if (!t.distributor) continue;
      try {
        out.push(await buildEpoch(deps, { campaign: c, token: t }));
      } catch (error) {
        // Another writer changed what this snapshot read: the next run starts over.
        if (pgErrorCode(error) !== "40001") throw error;
      }
    }
  }
  return out;
}

async function buildEpoch(deps: EpochDeps, ref: TokenRef): Promise<EpochOutcome> {
  const { db, settings } = deps;
  const distributor = ref.token.distributor!.toLowerCase();
  const base = { campaign: ref.campaign.slug, token: ref.token.symbol, expired: 0 };
  const now = deps.now();
  return db.transaction(
    async (tx) => {
      await lockReleases(tx);
      const [pending] = await tx
        .select({ id: chainEpochs.id })
        .from(chainEpochs)
        .where(and(eq(chainEpochs.distributor, distributor), eq(chainEpochs.status, "pending")))
        .limit(1);
      if (pending) return { ...base, outcome: "pending" as const, epochId: pending.id };
      const snapshot = await expireLapsed(tx, deps, ref, now);
      if (!snapshot) return { ...base, outcome: "not-indexed" as const };
      const { positions, chainTime, cursorBlock, expired, open, waiting } = snapshot;
      if (waiting) return { ...base, expired, outcome: "waiting" as const, epochId: waiting };

      // Leaves: members with a wallet, not banned, with something open to claim. A member whose
      // release is under way is left out (the release pays them); one released already gets a
      // leaf marked released, for escrow that reached the distributor after the release.
      const wallets = await queryRows<{
        member_id: string;
        address: string;
        banned: boolean;
        release: string | null;
      }>(
        tx,
        sql`select mw.member_id, mw.address, m.banned_at is not null as banned, r.status as release
            from member_wallets mw join members m on m.id = mw.member_id
            left join chain_releases r on r.member_id = mw.member_id and r.distributor = ${distributor}
            where mw.member_id = any(${pgArray([...positions.keys()])}::bigint[])`,
      );
      const claimedOnChain = new Map(
        (
          await queryRows<{ member_id: string; claimed: string }>(
            tx,
            sql`select member_id, sum(amount)::text as claimed from chain_claims
                where distributor = ${distributor} and member_id is not null group by member_id`,
          )
        ).map((r) => [Number(r.member_id), BigInt(r.claimed)]),
      );
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const horizon = now.getTime() + MIN_CLAIM_SECONDS * 1000;
      // An ended campaign past its grace publishes its final epoch: claimable until the
      // clawback date (campaignTransitions.ts), whatever the usual claim window.
      const finalDeadline = await finalEpochDeadline(
        tx,
        ref.campaign.id,
        ref.campaign.campaign.rules,
        now,
      );
      const windowEnd = finalDeadline ?? nowSeconds + settings.epochs.claimWindowHours * 3600;
      const leaves: Array<{
        memberId: number;
        account: string;
        cumulative: bigint;
        amount: bigint;
        deadline: number;
        through: number;
        released: boolean;
      }> = [];
      for (const w of wallets) {
        if (w.banned) continue;
        if (w.release !== null && w.release !== "released") continue;
        const p = positions.get(Number(w.member_id));
        if (!p) continue;
        // What the member's open leaf promised stays in, expiring soon or not.
        const promised = open.get(p.memberId);
        const keep = (g: Grant) =>
          (promised !== undefined && g.id <= promised.through) ||
          g.expiresAt === null ||
          g.expiresAt.getTime() > horizon;
        const included = [...p.open, ...p.lapsed].filter(keep);
        const amount = included.reduce((s, g) => s + g.amount, 0n);
        if (amount <= 0n) continue;
        const account = w.address.toLowerCase();
        const cumulative = (claimedOnChain.get(p.memberId) ?? 0n) + amount;
        let deadline = windowEnd;
        for (const g of included)
          if (g.expiresAt !== null)
            deadline = Math.min(deadline, Math.floor(g.expiresAt.getTime() / 1000));
        if (finalDeadline !== undefined) {
          deadline = Math.max(deadline, promised?.deadline ?? 0);
        } else if (promised !== undefined) {
          // An unchanged leaf keeps its deadline (so an unchanged tree is the same root, not
          // republished every run); a changed one never closes earlier than the open one.
          deadline =
            promised.account === account && promised.cumulative === cumulative
              ? promised.deadline
              : Math.max(deadline, promised.deadline);
        }
        leaves.push({
          memberId: p.memberId,
          account,
          cumulative,
          amount,
          deadline,
          through: Math.max(...included.map((g) => g.id)),
          released: w.release === "released",
        });
      }
      if (leaves.length === 0) return { ...base, expired, outcome: "empty" as const };

      const tree = RewardTree.build(
        leaves.map((l) => ({
          member: BigInt(l.memberId),
          account: getAddress(l.account),
          cumulativeAmount: l.cumulative,
          deadline: l.deadline,
          released: l.released,
        })),
      );
      const total = leaves.reduce((s, l) => s + l.amount, 0n);
      const [last] = await tx
        .select()
        .from(chainEpochs)
        .where(and(eq(chainEpochs.distributor, distributor), eq(chainEpochs.status, "published")))
        .orderBy(desc(chainEpochs.epoch))
        .limit(1);
      // The same root with an open window: nothing new to claim.
      if (last && last.root === tree.root && last.deadline > chainTime)
        return { ...base, expired, outcome: "unchanged" as const, epochId: last.id };
      // The root's deadline: its latest leaf's, and never before the open root's.
      const deadline = Math.max(
        tree.deadline,
        last && last.deadline >= chainTime ? last.deadline : 0,
      );

      const send = await createSend(
        tx,
        {
          kind: "publish_root",
          chainId: deps.chainId,
          signer: getAddress(deps.signer),
          target: ref.token.distributor!,
          data: encodeFunctionData({
            abi: rewardDistributorAbi,
            functionName: "publishRoot",
            args: [tree.root, total, BigInt(deadline)],
          }),
          campaignId: ref.campaign.id,
          token: ref.token.symbol,
        },
        now,
      );
      const [epoch] = await tx
        .insert(chainEpochs)
        .values({
          campaignId: ref.campaign.id,
          token: ref.token.symbol,
          tokenAddress: ref.token.token.toLowerCase(),
          distributor,
          root: tree.root,
          deadline,
          leafCount: leaves.length,
          total,
          status: "pending",
          sendId: send.id,
          snapshotBlock: cursorBlock,
          createdAt: now,
        })
        .returning();
      if (!epoch) throw new Error("could not store the epoch");
      for (let i = 0; i < leaves.length; i += 5_000) {
        await tx.insert(chainEpochLeaves).values(
          leaves.slice(i, i + 5_000).map((l) => ({
            epochId: epoch.id,
            memberId: l.memberId,
            account: l.account,
            cumulativeAmount: l.cumulative,
            deadline: l.deadline,
            released: l.released,
            throughEntryId: l.through,
          })),
        );
      }
      deps.metrics.epochs.inc({ outcome: "built" });
      deps.logger.info(
        {
          campaign: ref.campaign.slug,
          symbol: ref.token.symbol,
          epoch: epoch.id,
          root: tree.root,
          leaves: leaves.length,
          deadline,
        },
        "epoch built; publishing its root",
      );
      return {
        ...base,
        expired,
        outcome: "built" as const,
        epochId: epoch.id,
        root: tree.root,
        leaves: leaves.length,
        total,
      };
    },
    { isolationLevel: "repeatable read" },
  );
}

/**
 * Reads the distributor's grants and claims at the indexer's snapshot, and marks expired the
 * lapsed grants no open root can still pay (undefined until the indexer has run).
 */
async function expireLapsed(
  tx: Db,
  deps: Pick<EpochDeps, "chainId">,
  ref: TokenRef,
  now: Date,
): Promise<
  | {
      positions: Map<number, MemberPosition>;
      chainTime: number;
      cursorBlock: number;
      expired: number;
      /** Per member, the open leaf of the root in effect or waiting to take effect. */
      open: Map<number, OpenLeaf>;
      /** Our epoch id of a published root that has not taken effect yet. */
      waiting?: number;
    }
  | undefined
> {
  const distributor = ref.token.distributor!.toLowerCase();
  const [cursor] = await queryRows<{ block_number: string; block_timestamp: string }>(
    tx,
    sql`select block_number, block_timestamp from chain_cursors where name = ${`indexer:${deps.chainId}`}`,
  );
  if (!cursor) return undefined;
  const chainTime = Number(cursor.block_timestamp);

  const grants = (
    await queryRows<{
      id: string;
      member_id: string;
      amount: string;
      expires_at: Date | string | null;
    }>(
      tx,
      sql`select e.id, e.member_id, e.amount::text as amount, e.expires_at
          from chain_payouts p join ledger_entries e on e.id = p.entry_id
          where p.escrow and p.campaign_id = ${ref.campaign.id} and p.token = ${ref.token.symbol}
            and e.state = 'settled'
            and not exists (select 1 from chain_releases r
                            where r.distributor = ${distributor} and r.member_id = e.member_id
                              and e.id <= r.through_entry_id)`,
    )
  ).map((r) => ({
    id: Number(r.id),
    memberId: Number(r.member_id),
    amount: BigInt(r.amount),
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
  }));
  // Claims made before a member's release paid grants the release covers (left out above).
  const claims = await queryRows<{ member_id: string; total: string }>(
    tx,
    sql`select c.member_id, (sum(c.amount) - coalesce(min(r.claimed_before), 0))::text as total
        from chain_claims c
        left join chain_releases r on r.distributor = c.distributor and r.member_id = c.member_id
        where c.distributor = ${distributor} and c.member_id is not null group by c.member_id`,
  );
  const positions = memberPositions(
    grants,
    new Map(claims.map((c) => [Number(c.member_id), BigInt(c.total)])),
    now,
  );

  // The roots that can pay: the one in effect and, above it, one waiting out its delay. A
  // member's leaf in them is open until its own deadline.
  const recent = await tx
    .select()
    .from(chainEpochs)
    .where(and(eq(chainEpochs.distributor, distributor), eq(chainEpochs.status, "published")))
    .orderBy(desc(chainEpochs.epoch))
    .limit(2);
  const paying: typeof recent = [];
  let waiting: number | undefined;
  for (const e of recent) {
    paying.push(e);
    if ((e.activatesAt ?? 0) <= chainTime) break;
    waiting ??= e.id;
  }
  const open = new Map<number, OpenLeaf>();
  for (const e of paying) {
    if (e.deadline < chainTime) continue;
    const leaves = await tx
      .select({
        memberId: chainEpochLeaves.memberId,
        account: chainEpochLeaves.account,
        cumulative: chainEpochLeaves.cumulativeAmount,
        through: chainEpochLeaves.throughEntryId,
        deadline: chainEpochLeaves.deadline,
      })
      .from(chainEpochLeaves)
      .where(eq(chainEpochLeaves.epochId, e.id));
    for (const l of leaves) {
      if (l.deadline < chainTime) continue;
      // The newest root's leaf comes first; an older open one only widens what is promised.
      const seen = open.get(l.memberId);
      open.set(l.memberId, {
        account: seen?.account ?? l.account,
        cumulative: seen?.cumulative ?? l.cumulative,
        through: Math.max(seen?.through ?? 0, l.through),
        deadline: Math.max(seen?.deadline ?? 0, l.deadline),
      });
    }
  }
  // Expire lapsed grants that no open leaf can still pay.
  const toExpire: Grant[] = [];
  for (const p of positions.values())
    for (const g of p.lapsed) {
      const through = open.get(g.memberId)?.through;
      if (through === undefined || g.id > through) toExpire.push(g);
    }
  const expired = await expireEscrowed(tx, ref, toExpire, now);
  return { positions, chainTime, cursorBlock: Number(cursor.block_number), expired, open, waiting };
}

interface OpenLeaf {
  /** The wallet and cumulative amount of the member's newest open leaf. */
  account: string;
  cumulative: bigint;
  /** The newest grant the leaf includes. */
  through: number;
  /** Unix seconds the leaf closes. */
  deadline: number;
}

/** Marks lapsed escrowed grants expired without building an epoch (the clawback command). */
export async function expireEpochGrants(
  deps: Pick<EpochDeps, "db" | "chainId" | "now">,
  ref: TokenRef,
): Promise<number> {
  const snapshot = await deps.db.transaction(
    async (tx) => {
      await lockReleases(tx);
      return expireLapsed(tx, deps, ref, deps.now());
    },
    { isolationLevel: "repeatable read" },
  );
  return snapshot?.expired ?? 0;
}

/**
 * Marks escrowed grants expired (the ledger's `expireEscrow` transition): state `expired`,
 * reversing postings, the amount back to the campaign's budget (as the core does for any
 * expired grant). Budget rows are locked first, in the order grants lock them.
 */
async function expireEscrowed(tx: Db, ref: TokenRef, grants: Grant[], now: Date): Promise<number> {
  if (grants.length === 0) return 0;
  await lockBudgets(tx, ref.campaign.id, [ref.token.symbol]);
  return expireEscrowedGrants(
    tx,
    grants.map((g) => g.id),
    now,
  );
}

/** Publication sends that fail leave their epoch `failed` (the next run builds a new one). */
export function epochHooks(logger: Logger): SendHooks {
  const fail = async (tx: Db, sendId: number, reason: string) => {
    await tx
      .update(chainEpochs)
      .set({ status: "failed" })
      .where(and(eq(chainEpochs.sendId, sendId), eq(chainEpochs.status, "pending")));
    logger.error({ send: sendId, reason }, "epoch publication failed");
  };
  return {
    signed: async () => {},
    released: (tx, send, reason) => fail(tx, send.id, reason),
    reverted: (tx, send, error) => fail(tx, send.id, error),
    replaced: (tx, send) => fail(tx, send.id, "nonce used by another transaction"),
  };
}

// ---- reading epochs: reward files and proofs -------------------------------------------------

/** Trees of stored epochs per database, by epoch id and root (a published epoch never changes). */
const trees = new WeakMap<Db, Map<string, RewardTree>>();

/** The tree of a stored epoch (rebuilt from its leaves once, then cached). */
export async function epochTree(db: Db, epochId: number, root: string): Promise<RewardTree> {
  let cache = trees.get(db);
  if (!cache) {
    cache = new Map();
    trees.set(db, cache);
  }
  const key = `${epochId}:${root}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const leaves = await db
    .select()
    .from(chainEpochLeaves)
    .where(eq(chainEpochLeaves.epochId, epochId));
  const tree = RewardTree.build(
    leaves.map((l) => ({
      member: BigInt(l.memberId),
      account: getAddress(l.account),
      cumulativeAmount: l.cumulativeAmount,
      deadline: l.deadline,
      released: l.released,
    })),
  );
  if (tree.root !== root)
    throw new Error(`epoch ${epochId}: its leaves give root ${tree.root}, not ${root}`);
  if (cache.size >= 64) cache.delete(cache.keys().next().value!);
  cache.set(key, tree);
  return tree;
}

export interface EpochSummary {
  campaign: string;
  token: string;
  tokenAddress: Address;
  distributor: Address;
  epoch: number;
  root: Hex;
  deadline: number;
  /** Unix seconds the root takes effect (claims against it work from then on). */
  activatesAt: number;
  leaves: number;
  total: string;
  txHash: string | null;
  url: string;
}

export const rewardFilePath = (campaign: string, token: string, epoch: number) =>
  `/rewards/epochs/${campaign}/${token}/${epoch}.json`;

/** Every published epoch, newest first. */
export async function publishedEpochs(db: Db, contracts: ContractIndex): Promise<EpochSummary[]> {
  const rows = await db
    .select()
    .from(chainEpochs)
    .where(eq(chainEpochs.status, "published"))
    .orderBy(desc(chainEpochs.publishedAt), desc(chainEpochs.id));
  const out: EpochSummary[] = [];
  for (const r of rows) {
    const c = contracts.byId(r.campaignId);
    if (!c || r.epoch === null) continue;
    out.push({
      campaign: c.slug,
      token: r.token,
      tokenAddress: getAddress(r.tokenAddress),
      distributor: getAddress(r.distributor),
      epoch: r.epoch,
      root: r.root as Hex,
      deadline: r.deadline,
      activatesAt: r.activatesAt ?? 0,
      leaves: r.leafCount,
      total: r.total.toString(),
      txHash: r.txHash,
      url: rewardFilePath(c.slug, r.token, r.epoch),
    });
  }
  return out;
}

/** The public reward file of a published epoch, or undefined. */
export async function rewardFile(
  db: Db,
  contracts: ContractIndex,
  chainId: number,
  campaign: string,
  token: string,
  epoch: number,
): Promise<RewardFile | undefined> {
  const ref = contracts.bySlug(campaign)?.tokens.get(token);
  if (!ref?.distributor) return undefined;
  const [row] = await db
    .select()
    .from(chainEpochs)
    .where(
      and(
        eq(chainEpochs.distributor, ref.distributor.toLowerCase()),
        eq(chainEpochs.status, "published"),
        eq(chainEpochs.epoch, epoch),
      ),
    );
  if (!row) return undefined;
  const tree = await epochTree(db, row.id, row.root);
  return tree.toFile({
    chainId,
    distributor: getAddress(row.distributor),
    token: getAddress(row.tokenAddress),
    epoch,
    deadline: row.deadline,
    total: row.total.toString(),
  });
}

export interface ProofItem {
  token: string;
  tokenAddress: Address;
  distributor: Address;
  epoch: number;
  root: Hex;
  /** The member's number, as the leaf names it. */
  member: number;
  /** Unix seconds the leaf closes. */
  deadline: number;
  /** Whether the leaf was written after the member's escrow was released. */
  released: boolean;
  account: Address;
  cumulativeAmount: string;
  /** The `terms` argument of `claim`: member, deadline and released packed into one word. */
  terms: string;
  claimed: string;
  claimable: string;
  proof: Hex[];
}

/**
 * What a member can claim now, with the proofs to claim it: the domain's one definition
 * (`claimableLeaves`: the member's open leaf in the latest root that took effect, minus what
 * the distributor recorded as claimed, read on-chain when the RPC answers, else indexed).
 */
export async function memberProofs(
  db: Db,
  contracts: ContractIndex,
  chain: Pick<ChainDriver, "claimedFromEscrow"> | undefined,
  memberId: number,
  now: Date,
): Promise<ProofItem[]> {
  const leaves = await claimableLeaves(db, memberId, now, chain && distributorClaims(chain));
  const items: ProofItem[] = [];
  for (const l of leaves) {
    if (!contracts.byDistributor(l.distributor)) continue;
    const tree = await epochTree(db, l.epochId, l.root);
    const leaf = tree.claimFor(memberId);
    if (!leaf) continue;
    items.push({
      token: l.token,
      tokenAddress: getAddress(l.tokenAddress),
      distributor: getAddress(l.distributor),
      epoch: l.epoch,
      root: l.root as Hex,
      member: memberId,
      deadline: l.deadline,
      released: l.released,
      account: getAddress(l.account),
      cumulativeAmount: l.cumulative.toString(),
      terms: leafTerms(leaf).toString(),
      claimed: l.claimed.toString(),
      claimable: l.claimable.toString(),
      proof: leaf.proof,
    });
  }
  return items;
}
