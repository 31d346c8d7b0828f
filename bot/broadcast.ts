/**
 * Admin broadcasts: a localized message to every member who is not banned, sent through the
 * throttled bulk API, in member-number order. After every batch the cursor, counts and lease
 * are saved, so a broadcast resumes where it stopped after a restart (a crash mid-batch can
 * repeat at most that batch). Progress is shown by editing one message in the admin's chat.
 */
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { type Api, GrammyError, InlineKeyboard } from "grammy";
import { type BotLanguage, botBroadcasts, botMemberSettings } from "../server/db/areas/bot.ts";
import type { Db } from "../server/db/index.ts";
import { members } from "../server/db/schema.ts";
import type { Logger } from "../server/logger.ts";
import { isLocale, type Locale, memberLocale, type Translator } from "./i18n.ts";
import { HTML } from "./middleware.ts";

export type BroadcastTexts = Partial<Record<Locale, string>>;
export const BROADCAST_MAX_LENGTH = 4000;

/**
 * The texts of `/broadcast`: paragraphs starting `en:` / `ru:` per language, or one text for
 * everyone. `undefined` when there is nothing to send.
 */
export function parseBroadcast(input: string): BroadcastTexts | undefined {
  const texts: BroadcastTexts = {};
  let current: Locale | undefined;
  const loose: string[] = [];
  for (const line of input.split("\n")) {
    const m = /^\s*([a-z]{2})\s*:\s?(.*)$/.exec(line);
    if (m && isLocale(m[1])) {
      current = m[1];
      texts[current] = m[2] ?? "";
    } else if (current) texts[current] = `${texts[current]}\n${line}`;
    else loose.push(line);
  }
  const plain = loose.join("\n").trim();
  if (Object.keys(texts).length === 0) return plain === "" ? undefined : { en: plain };
  for (const k of Object.keys(texts) as Locale[]) texts[k] = texts[k]?.trim();
  if (texts.en === undefined || texts.en === "") {
    // English is the fallback for every other language: the first text given stands in.
    const first = Object.values(texts).find((t) => t !== undefined && t !== "");
    if (first === undefined) return undefined;
    texts.en = first;
  }
  return texts;
}

export function textFor(texts: BroadcastTexts, locale: Locale): string {
  return texts[locale] || texts.en || "";
}

/** Members a broadcast goes to: everyone not banned. */
export async function countRecipients(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(members).where(isNull(members.bannedAt));
  return Number(row?.n ?? 0);
}

export async function createDraft(
  db: Db,
  d: { texts: BroadcastTexts; createdBy: number; adminChatId: number; adminLanguage: Locale },
): Promise<number> {
  const [row] = await db
    .insert(botBroadcasts)
    .values({ ...d, status: "draft" })
    .returning({ id: botBroadcasts.id });
  return row!.id;
}

/** draft → running, counting its recipients now. False when it is not a draft any more. */
export async function startBroadcast(
  db: Db,
  id: number,
  progressMessageId: number,
): Promise<{ total: number } | undefined> {
  const total = await countRecipients(db);
  const rows = await db
    .update(botBroadcasts)
    .set({
      status: "running",
      progressMessageId,
      total,
      startedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, "draft")))
    .returning({ id: botBroadcasts.id });
  return rows.length > 0 ? { total } : undefined;
}

/** draft or running → cancelled; returns the status it had, or undefined when already over. */
export async function cancelBroadcast(
  db: Db,
  id: number,
): Promise<"draft" | "running" | undefined> {
  const [before] = await db
    .select({ status: botBroadcasts.status })
    .from(botBroadcasts)
    .where(eq(botBroadcasts.id, id));
  if (before?.status !== "draft" && before?.status !== "running") return undefined;
  const rows = await db
    .update(botBroadcasts)
    .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(botBroadcasts.id, id), eq(botBroadcasts.status, before.status)))
    .returning({ id: botBroadcasts.id });
  return rows.length > 0 ? before.status : undefined;
}

type BroadcastRow = typeof botBroadcasts.$inferSelect;

export interface BroadcasterOptions {
  db: Db;
  /** The throttled bulk API. */
  api: Api;
  translator: Translator;
  logger: Logger;
  /** How often to look for a running broadcast when idle. */
  pollMs: number;
  batchSize?: number;
  /** How long a claimed broadcast stays with this process without a heartbeat. */
  leaseSeconds?: number;
  /** Shortest interval between two edits of the progress message. */
  progressEveryMs?: number;
}

export interface Broadcaster {
  start(): void;
  /** Finishes the batch in flight, releases the broadcast for the next start, and returns. */
  stop(): Promise<void>;
  /** Works on one running broadcast until it ends or the broadcaster stops (tests). */
  runOnce(): Promise<boolean>;
  /** Looks for work now instead of at the next poll (a broadcast was just confirmed). */
  nudge(): void;
}

export function createBroadcaster(o: BroadcasterOptions): Broadcaster {
  const batchSize = o.batchSize ?? 25;
  const leaseSeconds = o.leaseSeconds ?? 60;
  const progressEveryMs = o.progressEveryMs ?? 3000;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const claim = async (): Promise<BroadcastRow | undefined> => {
    const rows = await o.db.execute(sql`
      update bot_broadcasts set lease_until = now() + make_interval(secs => ${leaseSeconds})
      where id = (
        select id from bot_broadcasts
        where status = 'running' and (lease_until is null or lease_until < now())
        order by id limit 1 for update skip locked)
      returning id`);
    const id = (rows as unknown as { rows: Array<{ id: string | number }> }).rows[0]?.id;
    if (id === undefined) return undefined;
    const [row] = await o.db
      .select()
      .from(botBroadcasts)
      .where(eq(botBroadcasts.id, Number(id)));
    return row;
  };

  const progress = async (b: BroadcastRow, final: boolean) => {
    if (b.progressMessageId === null) return;
    const key =
      b.status === "cancelled"
        ? "admin-broadcast-cancelled"
        : final
          ? "admin-broadcast-done"
          : "admin-broadcast-progress";
    const text = o.translator.t(b.adminLanguage, key, {
      id: String(b.id),
      sent: b.sent,
      failed: b.failed,
      done: b.sent + b.failed,
      total: b.total,
    });
    const reply_markup = final
      ? undefined
      : new InlineKeyboard().text(
          o.translator.t(b.adminLanguage, "admin-broadcast-stop-button"),
          `bc:stop:${b.id}`,
        );
    try {
      await o.api.editMessageText(b.adminChatId, b.progressMessageId, text, {
        ...HTML,
        reply_markup,
      });
    } catch (error) {
      // "message is not modified" and a deleted progress message must not stop the broadcast.
      o.logger.debug({ broadcast: b.id, err: String(error) }, "broadcast progress not edited");
    }
  };

  const sendTo = async (
    texts: BroadcastTexts,
    r: { telegramId: number; languageCode: string | null; language: BotLanguage | null },
  ): Promise<boolean> => {
    try {
      await o.api.sendMessage(
        r.telegramId,
        textFor(texts, memberLocale(r.language, r.languageCode)),
        HTML,
      );
      return true;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      // Blocked the bot, never started it, deactivated: counted as failed, not retried.
      return false;
    }
  };

  const work = async (b: BroadcastRow): Promise<void> => {
    let lastEdit = 0;
    for (;;) {
      if (stopping) {
        await o.db
          .update(botBroadcasts)
          .set({ leaseUntil: null })
          .where(eq(botBroadcasts.id, b.id));
        return;
      }
      const recipients = await o.db
        .select({
          id: members.id,
          telegramId: members.telegramId,
          languageCode: members.languageCode,
          language: botMemberSettings.language,
        })
        .from(members)
        .leftJoin(botMemberSettings, eq(botMemberSettings.memberId, members.id))
        .where(and(gt(members.id, b.cursor), isNull(members.bannedAt)))
        .orderBy(asc(members.id))
        .limit(batchSize);
      if (recipients.length === 0) {
        const [done] = await o.db
          .update(botBroadcasts)
          .set({ status: "done", finishedAt: sql`now()`, updatedAt: sql`now()`, leaseUntil: null })
          .where(and(eq(botBroadcasts.id, b.id), eq(botBroadcasts.status, "running")))
          .returning();
        const final = done ?? (await reload(b.id));
        if (final) await progress(final, true);
        o.logger.info({ broadcast: b.id, sent: b.sent, failed: b.failed }, "broadcast finished");
        return;
      }
      const results = await Promise.all(recipients.map((r) => sendTo(b.texts, r)));
      const sent = results.filter(Boolean).length;
      const [next] = await o.db
        .update(botBroadcasts)
        .set({
          cursor: recipients[recipients.length - 1]!.id,
          sent: sql`${botBroadcasts.sent} + ${sent}`,
          failed: sql`${botBroadcasts.failed} + ${results.length - sent}`,
          leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
          updatedAt: sql`now()`,
        })
        .where(eq(botBroadcasts.id, b.id))
        .returning();
      if (!next) return;
      b = next;
      if (b.status !== "running") {
        // Stopped by an admin while this batch went out.
        await o.db
          .update(botBroadcasts)
          .set({ leaseUntil: null })
          .where(eq(botBroadcasts.id, b.id));
        await progress(b, true);
        return;
      }
      if (Date.now() - lastEdit >= progressEveryMs) {
        lastEdit = Date.now();
        await progress(b, false);
      }
    }
  };

  const reload = async (id: number) => {
    const [row] = await o.db.select().from(botBroadcasts).where(eq(botBroadcasts.id, id));
    return row;
  };

  const runOnce = async (): Promise<boolean> => {
    const b = await claim();
    if (!b) return false;
    await work(b);
    return true;
  };

  return {
    start: () => {
      stopping = false;
      loop ??= (async () => {
        while (!stopping) {
          let worked = false;
          try {
            worked = await runOnce();
          } catch (error) {
            o.logger.error({ err: String(error) }, "broadcast failed; retrying");
          }
          if (!worked && !stopping)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, o.pollMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
        }
      })();
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
      loop = undefined;
    },
    runOnce,
    nudge: () => wake?.(),
  };
}
