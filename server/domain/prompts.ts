/**
 * Questions the bot asked with a forced reply (`bot_prompts`): the answer is matched to its
 * question through the replied-to message, even after a restart.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { botPrompts } from "../db/schema/bot.ts";

export type PromptKind = "reject_review";
const PROMPT_TTL_MS = 24 * 3_600_000;

export async function savePrompt(
  db: Db,
  p: {
    chatId: number;
    messageId: number;
    kind: PromptKind;
    payload: Record<string, number | string>;
  },
): Promise<void> {
  await db
    .insert(botPrompts)
    .values({ ...p, expiresAt: new Date(Date.now() + PROMPT_TTL_MS) })
    .onConflictDoNothing();
}

/** Takes (deletes and returns) the prompt a reply answers; `undefined` for any other reply. */
export async function takePrompt(
  db: Db,
  chatId: number,
  messageId: number,
): Promise<{ kind: PromptKind; payload: Record<string, string | number | null> } | undefined> {
  const [row] = await db
    .delete(botPrompts)
    .where(
      and(
        eq(botPrompts.chatId, chatId),
        eq(botPrompts.messageId, messageId),
        sql`${botPrompts.expiresAt} > now()`,
      ),
    )
    .returning({ kind: botPrompts.kind, payload: botPrompts.payload });
  return row;
}

/** Drops prompts nobody answered. */
export async function purgePrompts(db: Db): Promise<void> {
  await db.delete(botPrompts).where(sql`${botPrompts.expiresAt} <= now()`);
}
