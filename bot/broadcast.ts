/**
 * Admin broadcasts: a localized message to every member who is not banned (or to one
 * campaign's: server/domain/broadcasts.ts), sent through the throttled bulk API, in
 * member-number order. After every batch the cursor, counts and lease
 * are saved, so a broadcast resumes where it stopped after a restart (a crash mid-batch can
 * repeat at most that batch). Progress is shown by editing one message in the admin's chat.
 *
 * A send that fails because of Telegram (a 5xx answer, a network error) is tried again a few
 * times before it counts as failed; every failure is counted by its reason (blocked the bot,
 * never opened it, account deleted, Telegram errors, refused), and the summary says which.
 */
import { type Api, GrammyError, HttpError, InlineKeyboard } from "grammy";
import {
  type Broadcast,
  type BroadcastRecipient,
  type BroadcastTexts,
  claimRunningBroadcast,
  type Db,
  finishBroadcast,
  loadBroadcast,
  nextRecipients,
  recordBroadcastBatch,
  releaseBroadcast,
} from "../server/domain/index.ts";
import type { Logger } from "../server/logger.ts";
import { loopJob } from "../server/loop.ts";
import { isLocale, type Locale, memberLocale, type Translator } from "./i18n.ts";
import { HTML } from "./middleware.ts";
import { realScheduler, type Scheduler } from "./throttle.ts";

export type { BroadcastTexts };
export const BROADCAST_MAX_LENGTH = 4000;

export type ParsedBroadcast =
  | { ok: true; texts: BroadcastTexts }
  /** `empty`: nothing to send; `two_defaults`: a text before the first `xx:` and an `en:` one. */
  | { ok: false; reason: "empty" | "two_defaults" };

/**
 * The texts of `/broadcast`: paragraphs starting `en:` / `ru:` per language, or one text for
 * everyone. A text before the first `xx:` line is the default (English, which every language
 * without its own text gets); with an `en:` paragraph as well it is ambiguous, and refused.
 */
export function parseBroadcast(input: string): ParsedBroadcast {
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
  for (const k of Object.keys(texts) as Locale[]) {
    const text = texts[k]?.trim();
    if (text) texts[k] = text;
    else delete texts[k];
  }
  if (plain !== "") {
    if (texts.en !== undefined) return { ok: false, reason: "two_defaults" };
    texts.en = plain;
  }
  // English is the fallback for every other language: the first text given stands in.
  texts.en ??= Object.values(texts).find((t) => t !== undefined);
  return texts.en === undefined ? { ok: false, reason: "empty" } : { ok: true, texts };
}

export function textFor(texts: BroadcastTexts, locale: Locale): string {
  return texts[locale] || texts.en || "";
}

type BroadcastRow = Broadcast;

/** Why a member did not get a broadcast. */
export const FAILURE_REASONS = [
  "blocked",
  "deactivated",
  "not_started",
  "telegram_error",
  "rejected",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The reason a send failed, or `transient` when trying again may help. */
export function failureReason(error: unknown): FailureReason | "transient" {
  if (error instanceof HttpError) return "transient";
  if (!(error instanceof GrammyError)) throw error;
  const d = error.description;
  if (error.error_code === 429 || error.error_code >= 500) return "transient";
  if (/deactivated/i.test(d)) return "deactivated";
  if (/initiate conversation|chat not found|user not found|PEER_ID_INVALID/i.test(d))
    return "not_started";
  if (error.error_code === 403) return "blocked";
  return "rejected";
}

/** A broadcast that ended (done, or stopped by an admin), in the admin's language. */
export function broadcastSummary(t: Translator["t"], b: BroadcastRow): string {
  const lines = [
    t(
      b.adminLanguage,
      b.status === "cancelled" ? "admin-broadcast-cancelled" : "admin-broadcast-done",
      {
        id: String(b.id),
        sent: b.sent,
        failed: b.failed,
      },
    ),
  ];
  const reasons = FAILURE_REASONS.filter((r) => (b.failures[r] ?? 0) > 0).map((r) =>
    t(b.adminLanguage, `admin-broadcast-reason-${r.replaceAll("_", "-")}`, {
      count: b.failures[r] ?? 0,
    }),
  );
  if (reasons.length > 0)
    lines.push(t(b.adminLanguage, "admin-broadcast-failures", { reasons: reasons.join("; ") }));
  return lines.join("\n");
}

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
  /** Sends failing because of Telegram are tried again this often (default 3), after 2 s, 4 s, … */
  retries?: number;
  /** The clock of retries and progress edits (tests pass a virtual one). */
  scheduler?: Scheduler;
  /** The domain's clock: a scheduled broadcast is due once it passes its time (default: the database's). */
  now?: () => Date;
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
  const retries = o.retries ?? 3;
  const scheduler = o.scheduler ?? realScheduler;
  let stopping = false;

  const claim = (): Promise<BroadcastRow | undefined> =>
    claimRunningBroadcast(o.db, leaseSeconds, o.now?.());

  const progress = async (b: BroadcastRow, final: boolean) => {
    if (b.progressMessageId === null) return;
    const text = final
      ? broadcastSummary(o.translator.t, b)
      : o.translator.t(b.adminLanguage, "admin-broadcast-progress", {
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

  /** Sends to one member: true when sent, else why not. */
  const sendTo = async (
    texts: BroadcastTexts,
    r: BroadcastRecipient,
  ): Promise<true | FailureReason> => {
    const text = textFor(texts, memberLocale(r.language, r.languageCode));
    for (let attempt = 0; ; attempt++) {
      try {
        await o.api.sendMessage(r.telegramId, text, HTML);
        return true;
      } catch (error) {
        const reason = failureReason(error);
        if (reason !== "transient") return reason;
        // Telegram's trouble, not the member's: try again, then say so in the summary.
        if (attempt >= retries) return "telegram_error";
        await scheduler.sleep(2000 * 2 ** attempt);
      }
    }
  };

  const work = async (b: BroadcastRow): Promise<void> => {
    let lastEdit = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (stopping) {
        await releaseBroadcast(o.db, b.id);
        return;
      }
      const recipients = await nextRecipients(o.db, b.campaignId, b.cursor, batchSize, b.segment);
      if (recipients.length === 0) {
        const done = await finishBroadcast(o.db, b.id);
        const final = done ?? (await loadBroadcast(o.db, b.id));
        if (final) await progress(final, true);
        o.logger.info({ broadcast: b.id, sent: b.sent, failed: b.failed }, "broadcast finished");
        return;
      }
      const results = await Promise.all(recipients.map((r) => sendTo(b.texts, r)));
      const sent = results.filter((r) => r === true).length;
      // Only this process writes the counts while it holds the lease.
      const failures = { ...b.failures };
      for (const r of results) if (r !== true) failures[r] = (failures[r] ?? 0) + 1;
      const next = await recordBroadcastBatch(o.db, b.id, {
        cursor: recipients[recipients.length - 1]!.id,
        sent,
        failed: results.length - sent,
        failures,
        leaseSeconds,
      });
      if (!next) return;
      b = next;
      if (b.status !== "running") {
        // Stopped by an admin while this batch went out.
        await releaseBroadcast(o.db, b.id);
        await progress(b, true);
        return;
      }
      if (scheduler.now() - lastEdit >= progressEveryMs) {
        lastEdit = scheduler.now();
        await progress(b, false);
      }
    }
  };

  const runOnce = async (): Promise<boolean> => {
    const b = await claim();
    if (!b) return false;
    await work(b);
    return true;
  };

  // After a broadcast, the next is claimed at once; when none waits, at the next poll or nudge.
  let worked = false;
  const loop = loopJob({
    pass: async () => {
      worked = false;
      worked = await runOnce();
    },
    intervalMs: o.pollMs,
    nextDelayMs: () => (worked ? 0 : o.pollMs),
    onError: (error) => o.logger.error({ err: String(error) }, "broadcast failed; retrying"),
  });

  return {
    start: () => {
      stopping = false;
      loop.start();
    },
    stop: async () => {
      stopping = true;
      await loop.stop();
    },
    runOnce,
    nudge: () => loop.wake(),
  };
}
