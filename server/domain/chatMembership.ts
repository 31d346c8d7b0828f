/**
 * Membership of the chats (channels, groups) that `join_chat` challenges name. The bot reports
 * what Telegram tells it: `chat_member` updates in chats where it is an admin, and the answer
 * of `getChatMember` when a member taps "Check". A stay starts when the member joins; leaving
 * ends it, and a rejoin starts a new one, so "joined and stayed N days" counts from the last
 * join. A "join and stay N days" challenge (`stayDays` N > 0) is completed once the stay lasted N
 * days, and must then be kept for N more: leaving within N days of the completion being
 * recorded takes it back (challengeRevocation.ts: a reward not sent yet is cancelled, one
 * already sent becomes a clawback debt, the member is told). Leaving later, or a challenge
 * without `stayDays`, takes nothing back.
 *
 * Each member can have a personal invite link per chat (`createChatInviteLink`, made by the
 * bot and stored here): someone who joins through it is attributed to the link's owner, like
 * a `/start <code>`, so a campaign qualifying referrals by a `join_chat` challenge with
 * `stayDays` pays the owner once the friend stayed that long.
 */
import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { queryRows } from "../db/index.ts";
import { chatInviteLinks, chatMemberships } from "../db/schema/challenges.ts";
import { challengeCompletions, members } from "../db/schema.ts";
import { attribute } from "./attribution.ts";
import { isCampaignActive } from "./campaign.ts";
import { type RevocationResult, revokeChallenge } from "./challengeRevocation.ts";
import { type ChallengeResult, completeChallenge } from "./challenges.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { ensureMember, type TelegramUserInput } from "./members.ts";

const DAY_MS = 86_400_000;

/** Telegram's member statuses that mean "in the chat". */
export function isInChat(status: string, isMember?: boolean): boolean {
  if (status === "creator" || status === "administrator" || status === "member") return true;
  return status === "restricted" && isMember === true;
}

/** The chats named by `join_chat` challenges of running campaigns. */
export function watchedChats(ctx: DomainContext): Set<number> {
  const now = ctx.now();
  const chats = new Set<number>();
  for (const c of ctx.campaigns.all()) {
    if (!isCampaignActive(c.rules, now)) continue;
    for (const ch of c.rules.challenges.values())
      if (ch.detect?.type === "join_chat") chats.add(ch.detect.chatId);
  }
  return chats;
}

export interface ChatMemberReport {
  chatId: number;
  user: TelegramUserInput;
  inChat: boolean;
  /** The invite link the user joined through (`chat_member.invite_link.invite_link`). */
  inviteLink?: string;
}

export interface ChatMemberOutcome {
  memberId: number;
  /** The member this join was attributed to through their personal link, if any. */
  attributedTo: number | null;
  completed: ChallengeResult[];
  /** Challenges taken back because the member left too soon (`challengeId` per campaign). */
  revoked: Array<{ campaign: string; challengeId: string; result: RevocationResult }>;
}

/**
 * Records what Telegram said about a user in a watched chat (others are ignored: undefined),
 * attributes a join through a personal link, and completes the challenges it meets.
 */
export async function recordChatMember(
  ctx: DomainContext,
  report: ChatMemberReport,
): Promise<ChatMemberOutcome | undefined> {
  if (!watchedChats(ctx).has(report.chatId)) return undefined;
  const now = ctx.now();
  const { member } = await ensureMember(ctx, report.user);
  const [current] = await ctx.db
    .select()
    .from(chatMemberships)
    .where(and(eq(chatMemberships.chatId, report.chatId), eq(chatMemberships.memberId, member.id)));
  if (report.inChat) {
    // Already in: the stay goes on (a repeated update or a second check changes nothing).
    if (current?.status !== "member")
      await ctx.db
        .insert(chatMemberships)
        .values({
          chatId: report.chatId,
          memberId: member.id,
          status: "member",
          joinedAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: [chatMemberships.chatId, chatMemberships.memberId],
          set: { status: "member", joinedAt: now, leftAt: null, updatedAt: now },
        });
  } else if (current?.status === "member" || !current) {
    await ctx.db
      .insert(chatMemberships)
      .values({
        chatId: report.chatId,
        memberId: member.id,
        status: "left",
        leftAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [chatMemberships.chatId, chatMemberships.memberId],
        set: { status: "left", joinedAt: null, leftAt: now, updatedAt: now },
      });
  }
  let attributedTo: number | null = null;
  if (report.inChat && report.inviteLink) {
    const [owner] = await ctx.db
      .select({ memberId: chatInviteLinks.memberId })
      .from(chatInviteLinks)
      .where(eq(chatInviteLinks.link, report.inviteLink));
    if (owner && owner.memberId !== member.id) {
      const code = await ownerCode(ctx, owner.memberId);
      try {
        await attribute(ctx, { refereeId: member.id, code, source: "chat_invite" });
        attributedTo = owner.memberId;
      } catch (error) {
        // Already referred, not new, a loop, a banned owner: the join counts, the link does not.
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }
  const completed = report.inChat ? await completeChatChallenges(ctx, member.id) : [];
  const revoked =
    !report.inChat && current?.status === "member"
      ? await revokeChatChallenges(ctx, member.id, report.chatId)
      : [];
  return { memberId: member.id, attributedTo, completed, revoked };
}

async function ownerCode(ctx: DomainContext, memberId: number): Promise<string> {
  const [row] = await queryRows<{ code: string }>(
    ctx.db,
    sql`select code from referral_codes where member_id = ${memberId}
        order by (kind = 'vanity') desc, created_at desc, code limit 1`,
  );
  if (!row) throw new Error(`member ${memberId} has no code`);
  return row.code;
}

/**
 * The member left `chatId`: their `join_chat` challenges of that chat with `stayDays` N whose
 * completion was recorded less than N days ago are taken back.
 */
export async function revokeChatChallenges(
  ctx: DomainContext,
  memberId: number,
  chatId: number,
): Promise<ChatMemberOutcome["revoked"]> {
  const now = ctx.now();
  const out: ChatMemberOutcome["revoked"] = [];
  for (const campaign of ctx.campaigns.all()) {
    for (const ch of campaign.rules.challenges.values()) {
      const d = ch.detect;
      if (d?.type !== "join_chat" || d.chatId !== chatId || !d.stayDays) continue;
      const [done] = await ctx.db
        .select({ at: challengeCompletions.completedAt })
        .from(challengeCompletions)
        .where(
          and(
            eq(challengeCompletions.campaignId, campaign.id),
            eq(challengeCompletions.challengeId, ch.id),
            eq(challengeCompletions.memberId, memberId),
          ),
        );
      if (!done || done.at.getTime() + d.stayDays * DAY_MS <= now.getTime()) continue;
      const result = await revokeChallenge(ctx, {
        memberId,
        challengeId: ch.id,
        campaign: campaign.slug,
        reason: "left_chat",
        note: `left chat ${chatId} within ${d.stayDays} days of completing it`,
      });
      if (result.revoked) out.push({ campaign: campaign.slug, challengeId: ch.id, result });
    }
  }
  return out;
}

/** The member's current stays in watched chats: chat id → since when. */
export async function staysOf(
  ctx: Pick<DomainContext, "db">,
  memberId: number,
): Promise<Map<number, Date>> {
  const rows = await ctx.db
    .select({ chatId: chatMemberships.chatId, joinedAt: chatMemberships.joinedAt })
    .from(chatMemberships)
    .where(and(eq(chatMemberships.memberId, memberId), eq(chatMemberships.status, "member")));
  return new Map(rows.flatMap((r) => (r.joinedAt ? [[r.chatId, r.joinedAt] as const] : [])));
}

/** Completes the member's `join_chat` challenges whose stay is long enough by now. */
export async function completeChatChallenges(
  ctx: DomainContext,
  memberId: number,
): Promise<ChallengeResult[]> {
  const now = ctx.now();
  const stays = await staysOf(ctx, memberId);
  const out: ChallengeResult[] = [];
  for (const campaign of ctx.campaigns.all()) {
    if (!isCampaignActive(campaign.rules, now)) continue;
    for (const ch of campaign.rules.challenges.values()) {
      if (ch.detect?.type !== "join_chat") continue;
      const since = stays.get(ch.detect.chatId);
      if (!since || since.getTime() + (ch.detect.stayDays ?? 0) * DAY_MS > now.getTime()) continue;
      const r = await completeChallenge(ctx, {
        memberId,
        challengeId: ch.id,
        campaign: campaign.slug,
        source: "chat_member",
      });
      if (r.newlyCompleted) out.push(r);
    }
  }
  return out;
}

/**
 * The periodic sweep (maintenance): members whose stay in a watched chat has now lasted long
 * enough for a `join_chat` challenge they have not completed.
 */
export async function completeChatStays(ctx: DomainContext, limit = 500): Promise<number> {
  const now = ctx.now();
  let done = 0;
  for (const campaign of ctx.campaigns.all()) {
    if (!isCampaignActive(campaign.rules, now)) continue;
    for (const ch of campaign.rules.challenges.values()) {
      if (ch.detect?.type !== "join_chat") continue;
      const due = new Date(now.getTime() - (ch.detect.stayDays ?? 0) * DAY_MS);
      const rows = await ctx.db
        .select({ memberId: chatMemberships.memberId })
        .from(chatMemberships)
        .innerJoin(members, eq(members.id, chatMemberships.memberId))
        .leftJoin(
          challengeCompletions,
          and(
            eq(challengeCompletions.memberId, chatMemberships.memberId),
            eq(challengeCompletions.campaignId, campaign.id),
            eq(challengeCompletions.challengeId, ch.id),
          ),
        )
        .where(
          and(
            eq(chatMemberships.chatId, ch.detect.chatId),
            eq(chatMemberships.status, "member"),
            lte(chatMemberships.joinedAt, due),
            isNull(challengeCompletions.memberId),
            isNull(members.bannedAt),
          ),
        )
        .limit(limit);
      for (const r of rows) {
        const c = await completeChallenge(ctx, {
          memberId: r.memberId,
          challengeId: ch.id,
          campaign: campaign.slug,
          source: "chat_member",
        });
        if (c.newlyCompleted) done++;
      }
    }
  }
  return done;
}

/** The member's stored personal invite link to a chat, if the bot made one. */
export async function inviteLinkOf(
  ctx: Pick<DomainContext, "db">,
  chatId: number,
  memberId: number,
): Promise<string | undefined> {
  const [row] = await ctx.db
    .select({ link: chatInviteLinks.link })
    .from(chatInviteLinks)
    .where(and(eq(chatInviteLinks.chatId, chatId), eq(chatInviteLinks.memberId, memberId)));
  return row?.link;
}

/** The member's personal links, chat id → link. */
export async function inviteLinksOf(
  ctx: Pick<DomainContext, "db">,
  memberId: number,
  chatIds: number[],
): Promise<Map<number, string>> {
  if (chatIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ chatId: chatInviteLinks.chatId, link: chatInviteLinks.link })
    .from(chatInviteLinks)
    .where(and(eq(chatInviteLinks.memberId, memberId), inArray(chatInviteLinks.chatId, chatIds)));
  return new Map(rows.map((r) => [r.chatId, r.link]));
}

/** Stores a personal link the bot created; the first one stored wins (returned). */
export async function saveInviteLink(
  ctx: Pick<DomainContext, "db" | "now">,
  p: { chatId: number; memberId: number; link: string },
): Promise<string> {
  await ctx.db
    .insert(chatInviteLinks)
    .values({ ...p, createdAt: ctx.now() })
    .onConflictDoNothing();
  return (await inviteLinkOf(ctx, p.chatId, p.memberId)) ?? p.link;
}
