/** Members' `/language` choices in the bot (`bot_member_settings`). */
import { eq, sql } from "drizzle-orm";
import { bigintArray, cachedRead, type Db, invalidateReads } from "../db/index.ts";
import { type BotLanguage, botMemberSettings } from "../db/schema/bot.ts";
import { memberTag } from "./readTags.ts";

export { BOT_LANGUAGES, type BotLanguage } from "../db/schema/bot.ts";

/** The member's chosen language, if any (cached with the member's row). */
export function languageOverride(db: Db, memberId: number): Promise<BotLanguage | undefined> {
  return cachedRead(
    db,
    `bot-language:${memberId}`,
    async () => {
      const [row] = await db
        .select({ language: botMemberSettings.language })
        .from(botMemberSettings)
        .where(eq(botMemberSettings.memberId, memberId));
      return row?.language;
    },
    () => [memberTag(memberId)],
  );
}

export async function setLanguage(db: Db, memberId: number, language: BotLanguage): Promise<void> {
  await db
    .insert(botMemberSettings)
    .values({ memberId, language })
    .onConflictDoUpdate({
      target: botMemberSettings.memberId,
      set: { language, updatedAt: sql`now()` },
    });
  invalidateReads(db, [memberTag(memberId)]);
}

/**
 * {@link languageOverride} for many members in one read (the bot's batched member loads); one
 * member goes through the cached read.
 */
export async function languageOverrides(
  db: Db,
  memberIds: readonly number[],
): Promise<Map<number, BotLanguage>> {
  if (memberIds.length === 0) return new Map();
  if (memberIds.length === 1) {
    const language = await languageOverride(db, memberIds[0]!);
    return new Map(language === undefined ? [] : [[memberIds[0]!, language]]);
  }
  const rows = await db
    .select({ memberId: botMemberSettings.memberId, language: botMemberSettings.language })
    .from(botMemberSettings)
    .where(sql`${botMemberSettings.memberId} = any(${bigintArray([...new Set(memberIds)])})`);
  return new Map(rows.map((r) => [r.memberId, r.language]));
}
