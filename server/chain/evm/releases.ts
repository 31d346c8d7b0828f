/**
 * Escrow released automatically (issue 12): when a member whose rewards went into escrow (a
 * RewardDistributor, because they had no wallet when they earned) links a wallet, the worker
 * releases that escrow to the wallet in batches through `RewardDistributor.release()`, sent by
 * the payout signer (RELEASER_ROLE). The member signs nothing and pays no gas.
 *
 * Each worker pass (under the worker's lease):
 * 1. **Plan**: members with a linked wallet, settled escrowed grants and no release yet are
 *    given one (`queueReleases`, server/domain/releases.ts) with the amount fixed: their
 *    escrowed grants less what they claimed (the larger of the indexed claims and
 *    `claimed(member)` on-chain). A member is left to the Merkle claim while an open or pending
 *    root names them (a claim racing a release could otherwise pay twice; the contract leaves
 *    that order to the releaser), while one of their payouts is still in flight (it may land in
 *    escrow after the release), and while a grant of theirs has lapsed and is not expired yet.
 *    The table lock taken first orders planning against the epoch builder, which takes it too:
 *    a root never names a member with a planned release, and a release is never planned for a
 *    member a root being built is about to name.
 * 2. **Batch**: queued releases form a `release` send per distributor, in member order (members
 *    sharing a bitmap word share one storage write), cut to what the on-chain limits allow: the
 *    per-batch amount, the rolling daily limit and what no open root promises (`unpromised()`);
 *    sends not mined yet count against all three.
 * 3. The {@link Sender} signs, broadcasts and follows the send like a payout batch; the hooks
 *    below move the releases with it, and the indexer confirms each from its `Released` log.
 *
 * Exactly once: a release send given up (simulation reverted, nonce taken) or a crash at any
 * point only ever resends the same members; the contract's bitmap skips a member released
 * before (`ReleaseSkipped`), so nobody is paid twice, and the unique (distributor, member) row
 * keeps a second release from being planned at all.
 */
import { sql } from "drizzle-orm";
import {
  type Address,
  encodeFunctionData,
  formatUnits,
  getAddress,
  keccak256,
  type PublicClient,
  toHex,
} from "viem";
import { pgArray } from "../../db/arrays.ts";
import { type Db, queryRows } from "../../db/index.ts";
import { chainReleases } from "../../db/schema/chain.ts";
import {
  batchReleases,
  holdReleases,
  type PlannedRelease,
  queueReleases,
  releasesRequeued,
  releasesSigned,
} from "../../domain/releases.ts";
import { describeHit, screenAddresses } from "../../domain/screening.ts";
import type { Logger } from "../../logger.ts";
import { rewardDistributorAbi } from "../abi.ts";
import type { ChainSettings } from "../config.ts";
import type { ContractIndex, TokenRef } from "../contracts.ts";
import { memberPositions } from "../epochs.ts";
import type { Failpoint } from "../failpoint.ts";
import { encodeReleaseBatch } from "./releaseBatch.ts";
import type { Sender, SendHooks } from "./sender.ts";

const RELEASER_ROLE = keccak256(toHex("RELEASER_ROLE"));
/** Members planned per distributor and pass (the rest wait for the next pass). */
const PLAN_LIMIT = 500;

export interface EscrowReleaserDeps {
  db: Db;
  client: PublicClient;
  contracts: ContractIndex;
  /** The payout signer's sender (RELEASER_ROLE). */
  sender: Sender;
  settings: ChainSettings;
  logger: Logger;
  failpoint: Failpoint;
  now: () => Date;
}

export interface ReleaseReport {
  planned: number;
  created: number;
  held: Array<{ campaign: string; token: string; message: string }>;
}

/**
 * Orders release planning against the epoch builder (both call it first in their transaction):
 * SHARE ROW EXCLUSIVE conflicts with itself and with the SHARE lock the builder takes before
 * its snapshot, so each sees the other's committed rows.
 */
export async function lockReleasesForPlanning(tx: Db, mode: "plan" | "epoch"): Promise<void> {
  await tx.execute(
    mode === "plan"
      ? sql`lock table chain_releases in share row exclusive mode`
      : sql`lock table chain_releases in share mode`,
  );
}

export class EscrowReleaser {
  readonly #d: EscrowReleaserDeps;
  /** Distributors whose releases wait for a limit or role (ms since epoch to re-check). */
  readonly #holds = new Map<string, { until: number; message: string; ref: TokenRef }>();

  constructor(deps: EscrowReleaserDeps) {
    this.#d = deps;
  }

  async run(): Promise<ReleaseReport> {
    const report: ReleaseReport = { planned: 0, created: 0, held: [] };
    for (const campaign of this.#d.contracts.campaigns)
      for (const token of campaign.tokens.values()) {
        if (!token.distributor) continue;
        const ref = { campaign, token };
        report.planned += await this.plan(ref);
        if (await this.#batch(ref)) report.created++;
      }
    for (const hold of this.#holds.values())
      report.held.push({
        campaign: hold.ref.campaign.slug,
        token: hold.ref.token.symbol,
        message: hold.message,
      });
    return report;
  }

  /** Plans releases for members of `ref`'s distributor who linked a wallet (step 1). */
  async plan(ref: TokenRef): Promise<number> {
    const { db, client } = this.#d;
    const distributor = ref.token.distributor!.toLowerCase();
    const now = this.#d.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const planned = await db.transaction(async (tx) => {
      await lockReleasesForPlanning(tx, "plan");
      const grants = await queryRows<{
        id: string;
        member_id: string;
        amount: string;
        expires_at: Date | string | null;
        wallet: string;
      }>(
        tx,
        sql`with candidates as (
              select distinct e.member_id from chain_payouts p
              join ledger_entries e on e.id = p.entry_id
              join member_wallets mw on mw.member_id = e.member_id
              join members m on m.id = e.member_id
              where p.escrow and p.campaign_id = ${ref.campaign.id} and p.token = ${ref.token.symbol}
                and e.state = 'settled' and m.banned_at is null
                and not exists (select 1 from chain_releases r
                                where r.distributor = ${distributor} and r.member_id = e.member_id)
                and not exists (select 1 from chain_epoch_leaves l join chain_epochs ep on ep.id = l.epoch_id
                                where ep.distributor = ${distributor} and ep.status in ('pending', 'published')
                                  and l.member_id = e.member_id and l.deadline >= ${nowSeconds})
                and not exists (select 1 from ledger_entries s
                                where s.member_id = e.member_id and s.campaign_id = ${ref.campaign.id}
                                  and s.token = ${ref.token.symbol} and s.state = 'sent')
              order by e.member_id limit ${PLAN_LIMIT})
            select e.id, e.member_id, e.amount::text as amount, e.expires_at, mw.address as wallet
            from chain_payouts p join ledger_entries e on e.id = p.entry_id
            join candidates c on c.member_id = e.member_id
            join member_wallets mw on mw.member_id = e.member_id
            where p.escrow and p.campaign_id = ${ref.campaign.id} and p.token = ${ref.token.symbol}
              and e.state = 'settled'`,
      );
      if (grants.length === 0) return 0;
      const members = [...new Set(grants.map((g) => Number(g.member_id)))];
      const indexed = await queryRows<{ member_id: string; total: string }>(
        tx,
        sql`select member_id, sum(amount)::text as total from chain_claims
            where distributor = ${distributor} and member_id = any(${pgArray(members)}::bigint[])
            group by member_id`,
      );
      const claimed = new Map(indexed.map((c) => [Number(c.member_id), BigInt(c.total)]));
      // The chain may know a claim the indexer has not read yet: the larger figure counts.
      for (const member of members) {
        const [onChain, released] = await Promise.all([
          client.readContract({
            address: ref.token.distributor!,
            abi: rewardDistributorAbi,
            functionName: "claimed",
            args: [BigInt(member)],
          }),
          client.readContract({
            address: ref.token.distributor!,
            abi: rewardDistributorAbi,
            functionName: "isReleased",
            args: [BigInt(member)],
          }),
        ]);
        if (released) {
          // Released on-chain without a row of ours (never by this pipeline): leave it alone.
          claimed.set(member, -1n);
          continue;
        }
        if (onChain > (claimed.get(member) ?? 0n)) claimed.set(member, onChain);
      }
      const positions = memberPositions(
        grants.map((g) => ({
          id: Number(g.id),
          memberId: Number(g.member_id),
          amount: BigInt(g.amount),
          expiresAt: g.expires_at === null ? null : new Date(g.expires_at),
        })),
        new Map([...claimed].map(([m, c]) => [m, c < 0n ? 0n : c])),
        now,
      );
      const wallets = new Map(grants.map((g) => [Number(g.member_id), g.wallet.toLowerCase()]));
      const releases: PlannedRelease[] = [];
      for (const p of positions.values()) {
        if (claimed.get(p.memberId) === -1n) continue;
        // A lapsed grant is the epoch job's to expire first; the member waits for that.
        if (p.lapsed.length > 0) continue;
        const amount = p.open.reduce((s, g) => s + g.amount, 0n);
        if (amount === 0n) continue;
        releases.push({
          campaignId: ref.campaign.id,
          token: ref.token.symbol,
          distributor,
          memberId: p.memberId,
          wallet: wallets.get(p.memberId)!,
          amount,
          throughEntryId: Math.max(
            ...grants.filter((g) => Number(g.member_id) === p.memberId).map((g) => Number(g.id)),
          ),
          claimedBefore: claimed.get(p.memberId) ?? 0n,
        });
      }
      return (await queueReleases(tx, releases, now)).length;
    });
    if (planned > 0)
      this.#d.logger.info(
        { campaign: ref.campaign.slug, symbol: ref.token.symbol, members: planned },
        "escrow releases planned",
      );
    return planned;
  }

  /** Forms one release send for `ref`'s distributor from its queued releases (step 2). */
  async #batch(ref: TokenRef): Promise<boolean> {
    const { db, client, sender, settings } = this.#d;
    const distributor = ref.token.distributor!;
    const key = distributor.toLowerCase();
    const now = this.#d.now();
    const hold = this.#holds.get(key);
    if (hold && hold.until > now.getTime()) return false;
    const [queued] = await queryRows<{ n: number; next: string | null }>(
      db,
      sql`select count(*)::int as n, min(amount)::text as next from chain_releases
          where distributor = ${key} and status = 'queued' and next_attempt_at <= ${now}`,
    );
    if (!queued || Number(queued.n) === 0) {
      this.#holds.delete(key);
      return false;
    }
    const [limits, unpromised, hasRole] = await Promise.all([
      client.readContract({
        address: distributor,
        abi: rewardDistributorAbi,
        functionName: "releaseLimits",
      }),
      client.readContract({
        address: distributor,
        abi: rewardDistributorAbi,
        functionName: "unpromised",
      }),
      client.readContract({
        address: distributor,
        abi: rewardDistributorAbi,
        functionName: "hasRole",
        args: [RELEASER_ROLE, sender.address],
      }),
    ]);
    const [maxBatchAmount, , availableNow] = limits;
    const [inFlightRow] = await queryRows<{ amount: string }>(
      db,
      sql`select coalesce(sum(amount), 0)::text as amount from chain_sends
          where kind = 'release' and target = ${distributor} and status in ('pending', 'signed', 'sent')`,
    );
    const inFlight = BigInt(inFlightRow?.amount ?? "0");
    const allowance = [maxBatchAmount, availableNow - inFlight, unpromised - inFlight].reduce(
      (a, b) => (a < b ? a : b),
    );
    const fmt = (v: bigint) =>
      `${formatUnits(v < 0n ? 0n : v, ref.token.decimals)} ${ref.token.symbol}`;
    const need = BigInt(queued.next ?? "0");
    const refuse = (message: string) => {
      this.#holds.set(key, {
        until: now.getTime() + settings.payout.holdRecheckSeconds * 1000,
        message: `campaign ${ref.campaign.slug} token ${ref.token.symbol} releases held: ${message}`,
        ref,
      });
      return false;
    };
    if (!hasRole) return refuse(`signer ${sender.address} lacks RELEASER_ROLE on ${distributor}`);
    if (need > allowance)
      return refuse(
        `release limits allow ${fmt(allowance)} now (per batch ${fmt(maxBatchAmount)}, rolling ${fmt(
          availableNow - inFlight,
        )}, unpromised ${fmt(unpromised - inFlight)}); the smallest release needs ${fmt(need)}`,
      );
    this.#holds.delete(key);

    const created = await db.transaction(async (tx) => {
      const rows = await queryRows<{
        id: string;
        member_id: string;
        wallet: string;
        amount: string;
      }>(
        tx,
        sql`select id, member_id, wallet, amount::text as amount from chain_releases
            where distributor = ${key} and status = 'queued' and next_attempt_at <= ${now}
            order by member_id limit ${settings.payout.batchSize}
            for update skip locked`,
      );
      // Screening: a release to a listed wallet is held with the reason, never sent.
      const hits = await screenAddresses(
        tx,
        rows.map((r) => r.wallet),
      );
      const held = rows.flatMap((r) => {
        const hit = hits.get(r.wallet.toLowerCase());
        return hit ? [{ id: Number(r.id), reason: describeHit(hit) }] : [];
      });
      if (held.length > 0) {
        await holdReleases(tx, held, now);
        this.#d.logger.warn(
          { campaign: ref.campaign.slug, symbol: ref.token.symbol, held: held.map((h) => h.id) },
          "escrow releases held: wallet on a screening list",
        );
      }
      const take: typeof rows = [];
      let total = 0n;
      for (const r of rows) {
        if (hits.has(r.wallet.toLowerCase())) continue;
        const amount = BigInt(r.amount);
        if (total + amount > allowance) continue;
        total += amount;
        take.push(r);
      }
      if (take.length === 0) return undefined;
      const { transfers, members } = encodeReleaseBatch(
        take.map((r) => ({
          member: BigInt(r.member_id),
          wallet: getAddress(r.wallet) as Address,
          amount: BigInt(r.amount),
        })),
      );
      const send = await sender.create(tx, {
        kind: "release",
        target: distributor,
        data: encodeFunctionData({
          abi: rewardDistributorAbi,
          functionName: "release",
          args: [transfers, members],
        }),
        campaignId: ref.campaign.id,
        token: ref.token.symbol,
        payoutCount: take.length,
        amount: total,
      });
      await batchReleases(
        tx,
        take.map((r) => Number(r.id)),
        send.id,
        now,
      );
      return { send, count: take.length, total };
    });
    if (!created) return false;
    this.#d.logger.info(
      {
        send: created.send.id,
        campaign: ref.campaign.slug,
        symbol: ref.token.symbol,
        members: created.count,
        amount: created.total.toString(),
      },
      "escrow release batch formed",
    );
    this.#d.failpoint("after-release-batch");
    return true;
  }

  /** What release sends do to their releases as they move. */
  hooks(): SendHooks {
    const now = () => this.#d.now();
    const recheck = () =>
      new Date(now().getTime() + this.#d.settings.payout.holdRecheckSeconds * 1000);
    return {
      signed: (tx, send, hash) => releasesSigned(tx, send.id, hash, now()),
      released: (tx, send, reason) => releasesRequeued(tx, send.id, reason, recheck(), now()),
      // A mined revert paid nothing: the same members go again (any released meanwhile are
      // skipped by the contract).
      reverted: (tx, send, error) => releasesRequeued(tx, send.id, error, recheck(), now()),
      replaced: (tx, send) =>
        releasesRequeued(tx, send.id, "nonce used by another transaction", now(), now()),
    };
  }
}

/** Releases of a member, newest first (for the API and tests). */
export function releasesOf(db: Db, memberId: number) {
  return db
    .select()
    .from(chainReleases)
    .where(sql`${chainReleases.memberId} = ${memberId}`)
    .orderBy(sql`${chainReleases.id} desc`);
}
