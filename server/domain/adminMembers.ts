/**
 * The admin console's member reads: search by whatever an admin has in hand (Telegram id,
 * member number, @username, wallet address, referral code, payout id, transaction hash) and
 * one member's whole record, from attribution to on-chain payout.
 *
 * Both need `member.read`. A super-admin sees everyone and everything; a campaign's admins
 * (owners, managers, reviewers) find only members taking part in one of their campaigns and
 * see only those campaigns' referrals and ledger entries. Both reads are audited (they show
 * personal data): the search without the query text, the record with the member's number.
 */
import { and, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { chainClaims, chainPayouts } from "../db/schema/chain.ts";
import {
  ledgerEntries,
  members,
  memberWallets,
  notifications,
  payoutOutbox,
  referralCodes,
  referrals,
  reviewItems,
} from "../db/schema.ts";
import { auditAdminRead } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { type AdminPrincipal, authorize, campaignsWhere, takesPartIn } from "./roles.ts";

/** What a search term looks like, so it is matched only where it can match. */
export type SearchKind = "number" | "tx_hash" | "wallet" | "username" | "text";

export function searchKind(q: string): SearchKind {
  if (/^\d{1,16}$/.test(q)) return "number";
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return "tx_hash";
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) return "wallet";
  if (q.startsWith("@")) return "username";
  return "text";
}

export interface MemberHit {
  id: number;
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  wallet: string | null;
  banned: boolean;
  /** Why it matched: `telegram_id`, `member_id`, `username`, `code`, `wallet`, `payout_id`, `tx_hash`. */
  matched: string[];
}

const SEARCH_LIMIT = 20;

/** The campaigns whose members `by` may read: `all`, or ids (never empty: refused before). */
async function readableCampaigns(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
): Promise<"all" | number[]> {
  const where = campaignsWhere(by, "member.read");
  if (where !== "all" && where.length === 0) await authorize(ctx, by, "member.read", null);
  return where;
}

/** Only members taking part in one of `campaigns` (no condition for `all`). */
function visible(campaigns: "all" | number[]): SQL | undefined {
  if (campaigns === "all") return undefined;
  return or(...campaigns.map((id) => takesPartIn(members.id, id)));
}

/** Member ids matching the term, with what matched. */
async function matchingIds(db: Db, q: string): Promise<Map<number, Set<string>>> {
  const found = new Map<number, Set<string>>();
  const add = (rows: Array<{ id: number | null }>, why: string) => {
    for (const r of rows) {
      if (r.id === null) continue;
      const set = found.get(r.id) ?? new Set<string>();
      set.add(why);
      found.set(r.id, set);
    }
  };
  const kind = searchKind(q);
  if (kind === "number") {
    const n = Number(q);
    add(
      await db.select({ id: members.id }).from(members).where(eq(members.telegramId, n)),
      "telegram_id",
    );
    add(await db.select({ id: members.id }).from(members).where(eq(members.id, n)), "member_id");
    add(
      await db
        .select({ id: ledgerEntries.memberId })
        .from(chainPayouts)
        .innerJoin(ledgerEntries, eq(ledgerEntries.id, chainPayouts.entryId))
        .where(eq(chainPayouts.payoutId, n)),
      "payout_id",
    );
  } else if (kind === "tx_hash") {
    const hash = q.toLowerCase();
    add(
      await db
        .select({ id: ledgerEntries.memberId })
        .from(ledgerEntries)
        .where(sql`lower(${ledgerEntries.txHash}) = ${hash}`),
      "tx_hash",
    );
    add(
      await db
        .select({ id: ledgerEntries.memberId })
        .from(payoutOutbox)
        .innerJoin(ledgerEntries, eq(ledgerEntries.id, payoutOutbox.entryId))
        .where(sql`lower(${payoutOutbox.txHash}) = ${hash}`),
      "tx_hash",
    );
    add(
      await db
        .select({ id: chainClaims.memberId })
        .from(chainClaims)
        .where(sql`lower(${chainClaims.txHash}) = ${hash}`),
      "tx_hash",
    );
  } else if (kind === "wallet") {
    add(
      await db
        .select({ id: memberWallets.memberId })
        .from(memberWallets)
        .where(sql`lower(${memberWallets.address}) = ${q.toLowerCase()}`),
      "wallet",
    );
  } else {
    const name = q.replace(/^@/, "").toLowerCase();
    add(
      await db
        .select({ id: members.id })
        .from(members)
        .where(sql`lower(${members.username}) = ${name}`),
      "username",
    );
    if (kind === "text")
      add(
        await db
          .select({ id: referralCodes.memberId })
          .from(referralCodes)
          .where(eq(referralCodes.code, name)),
        "code",
      );
  }
  return found;
}

/**
 * Members matching `q` (see {@link searchKind}), at most 20, newest first; only those `by`
 * may read. Audited as `member.searched` with the kind of term and the number found.
 */
export async function searchMembers(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  query: string,
): Promise<MemberHit[]> {
  // The HTTP layer checks the length (1–80); an empty term matches nobody.
  const q = query.trim();
  const campaigns = await readableCampaigns(ctx, by);
  const ids = q === "" ? new Map<number, Set<string>>() : await matchingIds(ctx.db, q);
  let hits: MemberHit[] = [];
  if (ids.size > 0) {
    const rows = await ctx.db
      .select({
        id: members.id,
        telegramId: members.telegramId,
        username: members.username,
        firstName: members.firstName,
        lastName: members.lastName,
        bannedAt: members.bannedAt,
        wallet: memberWallets.address,
      })
      .from(members)
      .leftJoin(memberWallets, eq(memberWallets.memberId, members.id))
      .where(and(inArray(members.id, [...ids.keys()]), visible(campaigns)))
      .orderBy(desc(members.id))
      .limit(SEARCH_LIMIT);
    hits = rows.map((r) => ({
      id: r.id,
      telegramId: r.telegramId,
      username: r.username,
      firstName: r.firstName,
      lastName: r.lastName,
      wallet: r.wallet,
      banned: r.bannedAt !== null,
      matched: [...(ids.get(r.id) ?? [])].sort(),
    }));
  }
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "member.searched",
    subjectType: "member",
    subjectId: hits.length === 1 ? (hits[0]?.id ?? "none") : "many",
    campaignId: campaigns === "all" || campaigns.length !== 1 ? null : campaigns[0],
    details: { kind: searchKind(q), found: hits.length },
  });
  return hits;
}

export interface MemberRecord {
  member: MemberHit & {
    languageCode: string | null;
    firstSeenAt: Date;
    lastSeenAt: Date;
    bannedAt: Date | null;
    banReason: string | null;
    clicks: number;
    starts: number;
    codes: Array<{ code: string; kind: string; createdAt: Date }>;
  };
  /** The campaigns of this record `by` may see (`all` for super-admins). */
  scope: "all" | number[];
  /** Referrals naming the member as referee or referrer, newest first (at most 100). */
  attributions: Array<{
    id: number;
    campaignId: number;
    role: "referee" | "referrer";
    referrerId: number;
    refereeId: number;
    code: string;
    source: string;
    status: string;
    statusReason: string | null;
    attributedAt: Date;
    qualifiedAt: Date | null;
    rejectedAt: Date | null;
    review: { id: number; status: string; reasons: string[]; decisionReason: string | null } | null;
  }>;
  /** The member's ledger entries with the date of each state and the payout's status. */
  ledger: Array<{
    id: number;
    campaignId: number;
    token: string;
    amountWei: string;
    kind: string;
    level: number | null;
    state: string;
    createdAt: Date;
    pendingAt: Date | null;
    queuedAt: Date | null;
    sentAt: Date | null;
    settledAt: Date | null;
    failedAt: Date | null;
    expiredAt: Date | null;
    rejectedAt: Date | null;
    txHash: string | null;
    payout: { status: string; holdReason: string | null; txHash: string | null } | null;
  }>;
  claims: Array<{ account: string; amountWei: string; txHash: string; blockNumber: number }>;
  notifications: Array<{
    id: number;
    kind: string;
    status: string;
    createdAt: Date;
    sentAt: Date | null;
  }>;
}

const RECORD_ROWS = 100;

/**
 * One member's whole record for the console, limited to the campaigns `by` may read there
 * (`forbidden` when the member takes part in none of them: a campaign's admins learn nothing
 * of others' members). Audited as `member.record_read`.
 */
export async function memberRecord(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  memberId: number,
): Promise<MemberRecord> {
  const campaigns = await readableCampaigns(ctx, by);
  const [m] = await ctx.db
    .select({
      member: members,
      wallet: memberWallets.address,
    })
    .from(members)
    .leftJoin(memberWallets, eq(memberWallets.memberId, members.id))
    .where(and(eq(members.id, memberId), visible(campaigns)));
  if (!m) {
    const [exists] = await ctx.db
      .select({ id: members.id })
      .from(members)
      .where(eq(members.id, memberId));
    if (!exists) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
    // Exists but outside every campaign `by` reads: refused (and audited as a refusal).
    await authorize(ctx, by, "member.read", null, { type: "member", id: memberId });
    throw new DomainError("forbidden", "member.read of this member needs a role", { memberId });
  }
  const member = m;
  const inScope = (column: typeof referrals.campaignId | typeof ledgerEntries.campaignId) =>
    campaigns === "all" ? undefined : sql`${column} in ${campaigns}`;
  const [codes, attributions, ledger, claims, sent] = await Promise.all([
    ctx.db
      .select({
        code: referralCodes.code,
        kind: referralCodes.kind,
        createdAt: referralCodes.createdAt,
      })
      .from(referralCodes)
      .where(eq(referralCodes.memberId, memberId))
      .orderBy(desc(referralCodes.createdAt)),
    ctx.db
      .select({ r: referrals, review: reviewItems })
      .from(referrals)
      .leftJoin(reviewItems, eq(reviewItems.referralId, referrals.id))
      .where(
        and(
          or(eq(referrals.refereeId, memberId), eq(referrals.referrerId, memberId)),
          inScope(referrals.campaignId),
        ),
      )
      .orderBy(desc(referrals.id))
      .limit(RECORD_ROWS),
    ctx.db
      .select({ e: ledgerEntries, payout: payoutOutbox })
      .from(ledgerEntries)
      .leftJoin(payoutOutbox, eq(payoutOutbox.entryId, ledgerEntries.id))
      .where(and(eq(ledgerEntries.memberId, memberId), inScope(ledgerEntries.campaignId)))
      .orderBy(desc(ledgerEntries.id))
      .limit(RECORD_ROWS),
    ctx.db
      .select({
        account: chainClaims.account,
        amount: chainClaims.amount,
        txHash: chainClaims.txHash,
        blockNumber: chainClaims.blockNumber,
      })
      .from(chainClaims)
      .where(eq(chainClaims.memberId, memberId))
      .orderBy(desc(chainClaims.blockNumber))
      .limit(RECORD_ROWS),
    ctx.db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        status: notifications.status,
        createdAt: notifications.createdAt,
        sentAt: notifications.sentAt,
      })
      .from(notifications)
      .where(eq(notifications.memberId, memberId))
      .orderBy(desc(notifications.id))
      .limit(RECORD_ROWS),
  ]);
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "member.record_read",
    subjectType: "member",
    subjectId: memberId,
    campaignId: campaigns === "all" || campaigns.length !== 1 ? null : campaigns[0],
    details: {},
  });
  const row = member.member;
  return {
    member: {
      id: row.id,
      telegramId: row.telegramId,
      username: row.username,
      firstName: row.firstName,
      lastName: row.lastName,
      wallet: member.wallet,
      banned: row.bannedAt !== null,
      matched: [],
      languageCode: row.languageCode,
      firstSeenAt: row.firstSeenAt,
      lastSeenAt: row.lastSeenAt,
      bannedAt: row.bannedAt,
      banReason: row.banReason,
      clicks: row.clicks,
      starts: row.starts,
      codes,
    },
    scope: campaigns,
    attributions: attributions.map(({ r, review }) => ({
      id: r.id,
      campaignId: r.campaignId,
      role: r.refereeId === memberId ? "referee" : "referrer",
      referrerId: r.referrerId,
      refereeId: r.refereeId,
      code: r.code,
      source: r.source,
      status: r.status,
      statusReason: r.statusReason,
      attributedAt: r.attributedAt,
      qualifiedAt: r.qualifiedAt,
      rejectedAt: r.rejectedAt,
      review: review
        ? {
            id: review.id,
            status: review.status,
            reasons: review.reasons,
            decisionReason: review.decisionReason,
          }
        : null,
    })),
    ledger: ledger.map(({ e, payout }) => ({
      id: e.id,
      campaignId: e.campaignId,
      token: e.token,
      amountWei: e.amount.toString(),
      kind: e.kind,
      level: e.level,
      state: e.state,
      createdAt: e.createdAt,
      pendingAt: e.pendingAt,
      queuedAt: e.queuedAt,
      sentAt: e.sentAt,
      settledAt: e.settledAt,
      failedAt: e.failedAt,
      expiredAt: e.expiredAt,
      rejectedAt: e.rejectedAt,
      txHash: e.txHash,
      payout: payout
        ? { status: payout.status, holdReason: payout.holdReason, txHash: payout.txHash }
        : null,
    })),
    claims: claims.map((c) => ({
      account: c.account,
      amountWei: c.amount.toString(),
      txHash: c.txHash,
      blockNumber: c.blockNumber,
    })),
    notifications: sent,
  };
}
