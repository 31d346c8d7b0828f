/**
 * Click counting for the public redirect `GET /r/<code>`. A click counts once per
 * (code owner, client, UTC day); link-preview bots and crawlers never count. The client
 * is a keyed hash of the IP address computed by the caller (not of the User-Agent, which
 * a client can vary at will): no raw IPs are stored.
 */
import { eq, sql } from "drizzle-orm";
import { cachedRead, invalidateReads, prepared, queryRows } from "../db/index.ts";
import { clicks, members, referralCodes } from "../db/schema.ts";
import { normalizeCode } from "./codes.ts";
import { type DomainContext, utcDay } from "./context.ts";
import { memberTag } from "./readTags.ts";

// Link unfurlers (Telegram, WhatsApp, Slack, social networks), search engines, and
// HTTP libraries: none of them is a person clicking.
//
// Telegram's own link-preview fetcher says `TelegramBot (like TwitterBot)` (alone or after
// a Chrome User-Agent): caught by `bot\b`. Telegram's in-app browsers are people and must
// count, so "telegram" alone is not a bot marker: Android's WebView appends
// `Telegram-Android/<version> (<device>; Android <n>; SDK <n>; <class>)` to Chrome's
// User-Agent (https://core.telegram.org/bots/webapps#additional-data-in-user-agent); iOS
// and macOS open links in Safari / WKWebView with Apple's User-Agent (no Telegram marker);
// Telegram Desktop opens them in the system browser or the system WebView (WebView2,
// WebKit) with their User-Agents.
const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|discord|slack|skype|vkshare|headless|curl\/|wget\/|python-requests|go-http-client|okhttp|java\/|libwww|httpclient|axios\/|node-fetch|undici/i;

export function isBotUserAgent(userAgent: string | undefined): boolean {
  return userAgent === undefined || userAgent.trim() === "" || BOT_UA.test(userAgent);
}

export type ClickOutcome =
  | { status: "counted" | "repeat" | "bot"; code: string; memberId: number }
  | { status: "banned"; code: string; memberId: number }
  | { status: "unknown" };

/**
 * Resolves the code and counts the click. A repeat (same client, same day) or a bot is
 * answered from one read — cached on PGlite — and writes nothing; a first click is one
 * statement that inserts and bumps the owner's counter together (concurrent first clicks
 * are settled by the unique index: only one of them counts).
 */
export async function recordClick(
  ctx: Pick<DomainContext, "db" | "now">,
  input: { code: string; clientHash: string; userAgent: string | undefined },
): Promise<ClickOutcome> {
  const code = normalizeCode(input.code);
  if (code === null) return { status: "unknown" };
  const day = utcDay(ctx.now());
  const bot = isBotUserAgent(input.userAgent);
  const seen = await cachedRead(
    ctx.db,
    `click:${code}:${input.clientHash}:${day}`,
    async () => {
      const query = prepared(ctx.db, "click_lookup", (d) =>
        d
          .select({
            code: referralCodes.code,
            memberId: referralCodes.memberId,
            banned: sql<boolean>`${members.bannedAt} is not null`,
            repeat: sql<boolean>`exists(select 1 from ${clicks} k where k.member_id = "referral_codes"."member_id"
            and k.client_hash = ${sql.placeholder("clientHash")} and k.day = ${sql.placeholder("day")})`,
          })
          .from(referralCodes)
          .innerJoin(members, eq(members.id, referralCodes.memberId))
          .where(eq(referralCodes.code, sql.placeholder("code")))
          .prepare("click_lookup"),
      );
      const [row] = await query.execute({ code, clientHash: input.clientHash, day });
      return row;
    },
    (row) => (row ? [memberTag(row.memberId)] : []),
  );
  if (!seen) return { status: "unknown" };
  if (seen.banned) return { status: "banned", code: seen.code, memberId: seen.memberId };
  if (bot) return { status: "bot", code: seen.code, memberId: seen.memberId };
  if (seen.repeat) return { status: "repeat", code: seen.code, memberId: seen.memberId };
  const now = ctx.now();
  const rows = await queryRows<{ counted: number }>(
    ctx.db,
    sql`with ins as (
          insert into clicks (member_id, code, client_hash, day, created_at)
          values (${seen.memberId}, ${seen.code}, ${input.clientHash}, ${day}, ${now})
          on conflict do nothing
          returning member_id
        ), upd as (
          update members set clicks = clicks + 1 where id in (select member_id from ins) returning id
        )
        select (select count(*) from upd)::int as counted`,
  );
  // The owner's click counter, and this client's look-up (now a repeat), changed.
  invalidateReads(ctx.db, [memberTag(seen.memberId)]);
  return {
    status: Number(rows[0]?.counted ?? 0) > 0 ? "counted" : "repeat",
    code: seen.code,
    memberId: seen.memberId,
  };
}
