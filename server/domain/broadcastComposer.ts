/**
 * The admin console's broadcast composer over the bot's broadcasts (broadcasts.ts): an
 * audience by segment (campaign, tier, language, wallet, recent activity) with its live count,
 * the texts per language, and a time (now or later). A composed broadcast is stored as
 * `running` with its segment and time; the bot's broadcaster (bot/broadcast.ts) sends it
 * through the throttled bulk API once it is due, so a scheduled one survives restarts.
 *
 * Everything needs `broadcast.send` in the campaign (owners and managers), or super-admin for
 * every member (no campaign). Composing is audited with the audience and the texts; the count
 * is a number, not personal data, and is not.
 */
import { desc, eq, inArray } from "drizzle-orm";
import { type BotLanguage, type BroadcastSegmentData, botBroadcasts } from "../db/schema/bot.ts";
import { members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import {
  type Broadcast,
  type BroadcastTexts,
  countRecipients,
  loadBroadcast,
} from "./broadcasts.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { type AdminPrincipal, authorize, campaignsWhere } from "./roles.ts";

/** Longest text per language (Telegram's limit is 4096 characters after entities). */
export const BROADCAST_TEXT_MAX = 4000;
/** How far ahead a broadcast may be scheduled. */
export const BROADCAST_SCHEDULE_MAX_DAYS = 30;

/** The audience as the console asks for it. */
export interface SegmentInput {
  /** null: every member (super-admins only). */
  campaignId: number | null;
  /** A tier id of the campaign. */
  tier?: string;
  language?: BotLanguage;
  hasWallet?: boolean;
  /** Seen by the bot or the dashboard within this many days of the send. */
  activeDays?: number;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError("broadcast_invalid", message, details);

/** The segment as stored, resolved against the campaign's tiers and the send time `at`. */
export function resolveSegment(
  ctx: Pick<DomainContext, "campaigns">,
  input: SegmentInput,
  at: Date,
): BroadcastSegmentData {
  const segment: BroadcastSegmentData = {};
  if (input.tier !== undefined) {
    const campaign = input.campaignId === null ? undefined : ctx.campaigns.byId(input.campaignId);
    if (!campaign) throw invalid("a tier needs a campaign", { tier: input.tier });
    const tiers = [...campaign.definition.tiers].sort((a, b) => a.minQualified - b.minQualified);
    const i = tiers.findIndex((t) => t.id === input.tier);
    if (i < 0) throw invalid(`no tier ${input.tier} in ${campaign.slug}`, { tier: input.tier });
    const next = tiers[i + 1];
    segment.tier = {
      id: input.tier,
      minQualified: tiers[i]!.minQualified,
      maxQualified: next ? next.minQualified - 1 : null,
    };
  }
  if (input.language !== undefined) segment.language = input.language;
  if (input.hasWallet !== undefined) segment.hasWallet = input.hasWallet;
  if (input.activeDays !== undefined) {
    segment.activeDays = input.activeDays;
    segment.activeSince = new Date(at.getTime() - input.activeDays * 86_400_000).toISOString();
  }
  return segment;
}

/** The campaign exists (a null campaign: every member). */
function checkCampaign(ctx: Pick<DomainContext, "campaigns">, campaignId: number | null): void {
  if (campaignId !== null && !ctx.campaigns.byId(campaignId))
    throw new DomainError("campaign_not_found", `no campaign ${campaignId}`, { campaignId });
}

/** How many members the segment reaches now (`broadcast.send` in its campaign). */
export async function broadcastAudience(
  ctx: Pick<DomainContext, "db" | "now" | "campaigns">,
  by: AdminPrincipal,
  input: SegmentInput,
): Promise<number> {
  checkCampaign(ctx, input.campaignId);
  await authorize(ctx, by, "broadcast.send", input.campaignId, { type: "broadcast", id: "new" });
  return countRecipients(ctx.db, input.campaignId, resolveSegment(ctx, input, ctx.now()));
}

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

/**
 * Why Telegram would refuse `text` as HTML (parse mode HTML: its few tags, balanced, `<`, `>`
 * and `&` escaped), or undefined. Checked before anything is stored: a text Telegram refuses
 * would fail for every member.
 */
export function telegramHtmlProblem(text: string): string | undefined {
  const open: string[] = [];
  const re = /<(\/?)([a-z-]+)([^>]*)>|<|&(#\d+|#x[0-9a-f]+|[a-z]+);|&/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [all, closing, tag, attrs] = m;
    if (all === "<") return "a < that starts no tag (write &lt;)";
    if (all === "&") return "an & that starts no entity (write &amp;)";
    if (all.startsWith("&")) {
      if (!/^&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot);$/i.test(all)) return `unknown entity ${all}`;
      continue;
    }
    const name = tag!.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) return `unsupported tag <${name}>`;
    if (closing) {
      if (open.pop() !== name) return `unexpected </${name}>`;
    } else {
      if (name === "a" && !/^\s+href="[^"]*"\s*$/.test(attrs ?? "")) return "<a> needs href only";
      open.push(name);
    }
  }
  const unclosed = open.pop();
  return unclosed === undefined ? undefined : `<${unclosed}> is not closed`;
}

/** The texts to store: trimmed, English present (the fallback), each valid. */
function checkTexts(texts: BroadcastTexts): BroadcastTexts {
  const out: BroadcastTexts = {};
  for (const [lang, raw] of Object.entries(texts) as Array<[BotLanguage, string | undefined]>) {
    const text = raw?.trim() ?? "";
    if (text === "") continue;
    if (text.length > BROADCAST_TEXT_MAX)
      throw invalid(`the ${lang} text is longer than ${BROADCAST_TEXT_MAX} characters`, {
        language: lang,
        problem: "too_long",
      });
    const problem = telegramHtmlProblem(text);
    if (problem)
      throw invalid(`the ${lang} text is not valid Telegram HTML: ${problem}`, {
        language: lang,
        problem,
      });
    out[lang] = text;
  }
  // English is every other language's fallback (as in the bot's /broadcast).
  out.en ??= out.ru;
  if (out.en === undefined) throw invalid("the broadcast has no text", { problem: "empty" });
  return out;
}

/**
 * Stores a broadcast to the segment, due at `scheduledAt` (null: now). Needs
 * `broadcast.send` in its campaign and a member behind the session (the broadcast's author,
 * whose chat gets nothing but is recorded). Audited (`broadcast.started` or
 * `broadcast.scheduled`) with the audience, its count at this moment and the texts.
 */
export async function composeBroadcast(
  ctx: Pick<DomainContext, "db" | "now" | "campaigns">,
  by: AdminPrincipal,
  c: {
    segment: SegmentInput;
    texts: BroadcastTexts;
    scheduledAt: Date | null;
    adminLanguage: BotLanguage;
  },
): Promise<Broadcast> {
  checkCampaign(ctx, c.segment.campaignId);
  await authorize(ctx, by, "broadcast.send", c.segment.campaignId, {
    type: "broadcast",
    id: "new",
  });
  if (by.memberId === null)
    throw invalid("a console broadcast is sent by a member's admin session", {
      problem: "no_member",
    });
  const texts = checkTexts(c.texts);
  const now = ctx.now();
  if (c.scheduledAt !== null) {
    if (c.scheduledAt.getTime() <= now.getTime())
      throw invalid("the scheduled time has passed", { problem: "schedule_past" });
    if (c.scheduledAt.getTime() > now.getTime() + BROADCAST_SCHEDULE_MAX_DAYS * 86_400_000)
      throw invalid(`schedule at most ${BROADCAST_SCHEDULE_MAX_DAYS} days ahead`, {
        problem: "schedule_far",
      });
  }
  const segment = resolveSegment(ctx, c.segment, c.scheduledAt ?? now);
  const [author] = await ctx.db
    .select({ telegramId: members.telegramId })
    .from(members)
    .where(eq(members.id, by.memberId));
  if (!author)
    throw new DomainError("member_not_found", `no member ${by.memberId}`, {
      memberId: by.memberId,
    });
  const id = await ctx.db.transaction(async (tx) => {
    const total = await countRecipients(tx, c.segment.campaignId, segment);
    const [row] = await tx
      .insert(botBroadcasts)
      .values({
        status: "running",
        texts,
        createdBy: by.memberId!,
        campaignId: c.segment.campaignId,
        adminChatId: author.telegramId,
        adminLanguage: c.adminLanguage,
        segment,
        scheduledAt: c.scheduledAt,
        total,
      })
      .returning({ id: botBroadcasts.id });
    await writeAudit(tx, {
      actor: by.actor,
      action: c.scheduledAt ? "broadcast.scheduled" : "broadcast.started",
      subjectType: "broadcast",
      subjectId: row!.id,
      campaignId: c.segment.campaignId,
      details: { audience: { ...segment, campaignId: c.segment.campaignId }, count: total },
      after: {
        status: "running",
        scheduledAt: c.scheduledAt?.toISOString() ?? null,
        total,
        texts,
      },
      at: now,
    });
    return row!.id;
  });
  return (await loadBroadcast(ctx.db, id))!;
}

/** The broadcasts `by` may send (and so see), newest first. */
export async function listBroadcasts(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  limit: number,
): Promise<Broadcast[]> {
  const where = campaignsWhere(by, "broadcast.send");
  if (where !== "all" && where.length === 0)
    await authorize(ctx, by, "broadcast.send", null, { type: "broadcast", id: "list" });
  return ctx.db
    .select()
    .from(botBroadcasts)
    .where(where === "all" ? undefined : inArray(botBroadcasts.campaignId, where))
    .orderBy(desc(botBroadcasts.id))
    .limit(limit);
}

/** One broadcast (`broadcast.send` in its campaign); `broadcast_not_found` when there is none. */
export async function viewBroadcast(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  id: number,
): Promise<Broadcast> {
  const b = await loadBroadcast(ctx.db, id);
  if (!b) throw new DomainError("broadcast_not_found", `no broadcast ${id}`, { id });
  await authorize(ctx, by, "broadcast.send", b.campaignId, { type: "broadcast", id });
  return b;
}
