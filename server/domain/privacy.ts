/**
 * A member's personal data: export (everything the service keeps about them, as JSON) and
 * deletion. Deletion erases or pseudonymises what identifies the person — names, username,
 * language, the Telegram id (replaced by a negative placeholder no Telegram user can have),
 * their links' clicks, the IP and device hashes of their referral, their wallet link history,
 * their declarations, bot settings and web sessions — and keeps what the books need under the
 * member number: referrals, ledger entries and payouts. What went on-chain (payouts to their
 * wallet, releases, claims) is on a public chain that nobody can change; their current wallet
 * link stays so owed payouts still reach the address that is already public there. A deleted
 * member is never messaged again (the notification queue and broadcasts skip them).
 */
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { invalidateReads, transaction } from "../db/index.ts";
import { botMemberSettings, botNotificationSettings } from "../db/schema/bot.ts";
import { memberDeclarations, memberExclusions, termsAcceptances } from "../db/schema/compliance.ts";
import { webLoginTokens, webSessions } from "../db/schema/web.ts";
import {
  challengeCompletions,
  clicks,
  ledgerEntries,
  members,
  memberWallets,
  notifications,
  referralCodes,
  referrals,
  siweNonces,
  walletEvents,
} from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { memberTag, statsTag } from "./readTags.ts";

/** The format of the export, so readers can tell later versions apart. */
export const EXPORT_FORMAT = "refmint.member-export.v1";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Everything kept about the member (amounts as decimal strings of the token's smallest unit). */
export async function exportMemberData(ctx: Pick<DomainContext, "db" | "now">, memberId: number) {
  const db = ctx.db;
  const [m] = await db.select().from(members).where(eq(members.id, memberId));
  if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
  if (m.deletedAt) throw new DomainError("member_deleted", "the member's data was deleted");
  const [settings] = await db
    .select({ language: botMemberSettings.language })
    .from(botMemberSettings)
    .where(eq(botMemberSettings.memberId, memberId));
  const [declared] = await db
    .select()
    .from(memberDeclarations)
    .where(eq(memberDeclarations.memberId, memberId));
  const [wallet] = await db
    .select()
    .from(memberWallets)
    .where(eq(memberWallets.memberId, memberId));
  const referralRows = await db
    .select()
    .from(referrals)
    .where(or(eq(referrals.refereeId, memberId), eq(referrals.referrerId, memberId)))
    .orderBy(asc(referrals.id));
  return {
    format: EXPORT_FORMAT,
    exportedAt: ctx.now().toISOString(),
    member: {
      memberNumber: m.id,
      telegramId: m.telegramId,
      username: m.username,
      firstName: m.firstName,
      lastName: m.lastName,
      languageCode: m.languageCode,
      botLanguage: settings?.language ?? null,
      isPremium: m.isPremium,
      firstSeenAt: iso(m.firstSeenAt),
      lastSeenAt: iso(m.lastSeenAt),
      bannedAt: iso(m.bannedAt),
      banReason: m.banReason,
    },
    declarations: {
      country: declared?.country ?? null,
      ageConfirmed: declared?.ageConfirmed ?? null,
    },
    codes: (
      await db
        .select({ code: referralCodes.code, kind: referralCodes.kind, at: referralCodes.createdAt })
        .from(referralCodes)
        .where(eq(referralCodes.memberId, memberId))
        .orderBy(asc(referralCodes.createdAt))
    ).map((c) => ({ code: c.code, kind: c.kind, createdAt: iso(c.at) })),
    clicks: (
      await db
        .select({ code: clicks.code, day: clicks.day })
        .from(clicks)
        .where(eq(clicks.memberId, memberId))
        .orderBy(asc(clicks.id))
    ).map((c) => ({ code: c.code, day: c.day })),
    referredBy:
      referralRows
        .filter((r) => r.refereeId === memberId)
        .map((r) => ({
          campaignId: r.campaignId,
          referrerMemberNumber: r.referrerId,
          code: r.code,
          source: r.source,
          status: r.status,
          attributedAt: iso(r.attributedAt),
          qualifiedAt: iso(r.qualifiedAt),
          ipHash: r.ipHash,
          deviceHash: r.deviceHash,
        }))[0] ?? null,
    referred: referralRows
      .filter((r) => r.referrerId === memberId)
      .map((r) => ({
        campaignId: r.campaignId,
        refereeMemberNumber: r.refereeId,
        status: r.status,
        attributedAt: iso(r.attributedAt),
      })),
    wallet: wallet
      ? { address: wallet.address, chainId: wallet.chainId, linkedAt: iso(wallet.linkedAt) }
      : null,
    walletHistory: (
      await db
        .select()
        .from(walletEvents)
        .where(eq(walletEvents.memberId, memberId))
        .orderBy(asc(walletEvents.id))
    ).map((w) => ({
      action: w.action,
      address: w.address,
      previousAddress: w.previousAddress,
      at: iso(w.createdAt),
    })),
    rewards: (
      await db
        .select()
        .from(ledgerEntries)
        .where(eq(ledgerEntries.memberId, memberId))
        .orderBy(asc(ledgerEntries.id))
    ).map((e) => ({
      id: e.id,
      campaignId: e.campaignId,
      token: e.token,
      amount: e.amount.toString(),
      kind: e.kind,
      level: e.level,
      state: e.state,
      createdAt: iso(e.createdAt),
      txHash: e.txHash,
    })),
    challenges: (
      await db
        .select()
        .from(challengeCompletions)
        .where(eq(challengeCompletions.memberId, memberId))
    ).map((c) => ({
      campaignId: c.campaignId,
      challengeId: c.challengeId,
      completedAt: iso(c.completedAt),
    })),
    terms: (
      await db
        .select()
        .from(termsAcceptances)
        .where(eq(termsAcceptances.memberId, memberId))
        .orderBy(asc(termsAcceptances.acceptedAt))
    ).map((t) => ({ campaignId: t.campaignId, version: t.version, acceptedAt: iso(t.acceptedAt) })),
    exclusions: (
      await db.select().from(memberExclusions).where(eq(memberExclusions.memberId, memberId))
    ).map((x) => ({ campaignId: x.campaignId, reason: x.reason, at: iso(x.createdAt) })),
    notifications: (
      await db
        .select({
          kind: notifications.kind,
          status: notifications.status,
          at: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.memberId, memberId))
        .orderBy(desc(notifications.id))
        .limit(1000)
    ).map((n) => ({ kind: n.kind, status: n.status, createdAt: iso(n.at) })),
  };
}

export type MemberExport = Awaited<ReturnType<typeof exportMemberData>>;

export interface DeletionReport {
  memberNumber: number;
  /** What was erased, by table, for the reply and the audit row. */
  erased: Record<string, number>;
  /** Ledger entries kept under the member number (amounts owed or paid). */
  ledgerEntriesKept: number;
  /** Entries whose payout is on-chain: public facts that cannot be erased. */
  onChainEntries: number;
  walletKept: boolean;
}

/**
 * Deletes the member's personal data (see the file comment). `confirm` must be true: the
 * transports ask first. Deleting twice is refused with `member_deleted`.
 */
export async function deleteMemberData(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  confirm: boolean,
): Promise<DeletionReport> {
  if (!confirm) throw new DomainError("deletion_not_confirmed", "deletion must be confirmed");
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [m] = await tx
      .select({ id: members.id, deletedAt: members.deletedAt })
      .from(members)
      .where(eq(members.id, memberId))
      .for("update");
    if (!m) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
    if (m.deletedAt) throw new DomainError("member_deleted", "the member's data was deleted");
    const count = async (p: Promise<unknown[]>) => (await p).length;
    const erased: Record<string, number> = {
      clicks: await count(
        tx.delete(clicks).where(eq(clicks.memberId, memberId)).returning({ id: clicks.id }),
      ),
      walletHistory: await count(
        tx
          .delete(walletEvents)
          .where(eq(walletEvents.memberId, memberId))
          .returning({ id: walletEvents.id }),
      ),
      referralHashes: await count(
        tx
          .update(referrals)
          .set({ ipHash: null, deviceHash: null })
          .where(
            and(
              eq(referrals.refereeId, memberId),
              sql`(${referrals.ipHash} is not null or ${referrals.deviceHash} is not null)`,
            ),
          )
          .returning({ id: referrals.id }),
      ),
      declarations: await count(
        tx
          .delete(memberDeclarations)
          .where(eq(memberDeclarations.memberId, memberId))
          .returning({ id: memberDeclarations.memberId }),
      ),
      // The language choice and the notification preferences (/notifications).
      botSettings:
        (await count(
          tx
            .delete(botMemberSettings)
            .where(eq(botMemberSettings.memberId, memberId))
            .returning({ id: botMemberSettings.memberId }),
        )) +
        (await count(
          tx
            .delete(botNotificationSettings)
            .where(eq(botNotificationSettings.memberId, memberId))
            .returning({ id: botNotificationSettings.memberId }),
        )),
      webSessions:
        (await count(
          tx
            .delete(webSessions)
            .where(eq(webSessions.memberId, memberId))
            .returning({ id: webSessions.id }),
        )) +
        (await count(
          tx
            .delete(webLoginTokens)
            .where(eq(webLoginTokens.memberId, memberId))
            .returning({ id: webLoginTokens.id }),
        )),
      signInNonces: await count(
        tx
          .delete(siweNonces)
          .where(eq(siweNonces.memberId, memberId))
          .returning({ id: siweNonces.nonce }),
      ),
      pendingNotifications: await count(
        tx
          .update(notifications)
          .set({ status: "skipped", lastError: "member deleted" })
          .where(and(eq(notifications.memberId, memberId), eq(notifications.status, "pending")))
          .returning({ id: notifications.id }),
      ),
    };
    await tx
      .update(members)
      .set({
        // Telegram ids are positive: a negative one names nobody and keeps the column unique.
        telegramId: -memberId,
        username: null,
        firstName: null,
        lastName: null,
        languageCode: null,
        isPremium: false,
        deletedAt: now,
      })
      .where(eq(members.id, memberId));
    const entries = await tx
      .select({ state: ledgerEntries.state, txHash: ledgerEntries.txHash })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.memberId, memberId));
    const [wallet] = await tx
      .select({ id: memberWallets.memberId })
      .from(memberWallets)
      .where(eq(memberWallets.memberId, memberId));
    const report: DeletionReport = {
      memberNumber: memberId,
      erased,
      ledgerEntriesKept: entries.length,
      onChainEntries: entries.filter((e) => e.txHash !== null).length,
      walletKept: wallet !== undefined,
    };
    await writeAudit(tx, {
      actor: `member:${memberId}`,
      action: "member.deleted",
      subjectType: "member",
      subjectId: memberId,
      before: { deleted: false },
      after: { deleted: true },
      details: { ...report },
      at: now,
    });
    invalidateReads(tx, [memberTag(memberId), statsTag(memberId)]);
    return report;
  });
}

/** Whether these members asked for deletion (senders skip them). */
export async function deletedAmong(
  ctx: Pick<DomainContext, "db">,
  memberIds: readonly number[],
): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: members.id })
    .from(members)
    .where(and(inArray(members.id, [...memberIds]), sql`${members.deletedAt} is not null`));
  return new Set(rows.map((r) => r.id));
}
