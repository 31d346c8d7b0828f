/**
 * Drains the notification queue (table `notifications`, written by the referral engine and
 * the payout pipeline inside their own transactions).
 *
 * A batch of due rows is claimed with `FOR UPDATE SKIP LOCKED` and leased (its next attempt
 * moved a few minutes ahead) in one short statement, so several processes never send the
 * same row and a process that dies mid-send leaves its rows to be retried when the lease
 * runs out; no transaction is held open while Telegram is called. Each row then ends as
 * `sent`; `skipped` when it cannot be delivered and never will be (the member blocked the
 * bot or is banned); back to `pending` with exponential backoff on transient errors; `failed`
 * after too many attempts or when its data cannot be rendered. Sends go through the throttled
 * bulk API (Telegram's ~30 messages/s overall, 1/s per chat); a 429 is retried by auto-retry.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { type Api, GrammyError, HttpError } from "grammy";
import {
  botMemberSettings,
  type NotificationKind,
  notifications,
} from "../../server/db/areas/bot.ts";
import { queryRows } from "../../server/db/index.ts";
import { members } from "../../server/db/schema.ts";
import type { NotificationData } from "../../server/domain/notifications.ts";
import type { Logger } from "../../server/logger.ts";
import { memberLocale } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import { NotificationDataError, type RenderDeps, renderNotification } from "./render.ts";

// grammY types its own AbortSignal shim; Node's is what it gets at runtime.
type GrammySignal = Parameters<Api["sendMessage"]>[3];

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 300;

/** Seconds before attempt `n + 1` after `n` failed ones: 10 s, 20 s, 40 s … capped at 1 h. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

export type Outcome = "sent" | "skipped" | "retry" | "failed";

/** Telegram answers that mean this member can never receive a message from us. */
export function undeliverable(error: GrammyError): boolean {
  if (error.error_code === 403) return true; // blocked, deactivated, never started the bot
  return (
    error.error_code === 400 &&
    /chat not found|user not found|PEER_ID_INVALID/i.test(error.description)
  );
}

export interface SenderOptions extends RenderDeps {
  /** The throttled bulk API. */
  api: Api;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  onOutcome?(kind: NotificationKind, outcome: Outcome): void;
}

export interface NotificationSender {
  start(): void;
  /** Lets the batch in flight finish (its unsent rows are released), then returns. */
  stop(): Promise<void>;
  /** Claims and handles one batch; returns how many rows it claimed (tests, scripts). */
  drainOnce(): Promise<number>;
  /** Looks at the queue now instead of at the next poll. */
  nudge(): void;
}

interface Claimed {
  id: number;
  memberId: number;
  kind: NotificationKind;
  data: NotificationData;
  attempts: number;
}

export function createNotificationSender(o: SenderOptions): NotificationSender {
  const batchSize = o.batchSize ?? 50;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const abort = new AbortController();

  const claim = async (): Promise<Claimed[]> => {
    const rows = await queryRows<{
      id: string | number;
      member_id: string | number;
      kind: NotificationKind;
      data: NotificationData;
      attempts: number;
    }>(
      o.db,
      sql`update notifications set attempts = attempts + 1,
            next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
          where id in (
            select id from notifications
            where status = 'pending' and next_attempt_at <= now()
            order by next_attempt_at, id
            limit ${batchSize}
            for update skip locked)
          returning id, member_id, kind, data, attempts`,
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        memberId: Number(r.member_id),
        kind: r.kind,
        data: r.data,
        attempts: Number(r.attempts),
      }))
      .sort((a, b) => a.id - b.id);
  };

  const finish = async (n: Claimed, outcome: Outcome, error?: string, retryAfter?: number) => {
    const lastError = error?.slice(0, 500) ?? null;
    if (outcome === "sent")
      await o.db
        .update(notifications)
        .set({ status: "sent", sentAt: sql`now()`, lastError: null })
        .where(eq(notifications.id, n.id));
    else if (outcome === "retry")
      await o.db
        .update(notifications)
        .set({
          lastError,
          nextAttemptAt: sql`now() + make_interval(secs => ${retryAfter ?? backoffSeconds(n.attempts)})`,
        })
        .where(eq(notifications.id, n.id));
    else
      await o.db
        .update(notifications)
        .set({ status: outcome, lastError })
        .where(eq(notifications.id, n.id));
    o.onOutcome?.(n.kind, outcome);
  };

  const deliver = async (
    n: Claimed,
    to: { telegramId: number; locale: "en" | "ru"; banned: boolean } | undefined,
  ): Promise<void> => {
    if (!to || to.banned) return finish(n, "skipped", to ? "member banned" : "member missing");
    let text: string;
    try {
      text = await renderNotification(o, n, to.locale);
    } catch (error) {
      if (!(error instanceof NotificationDataError)) throw error;
      o.logger.error(
        { notification: n.id, kind: n.kind, err: error.message },
        "notification data invalid",
      );
      return finish(n, "failed", error.message);
    }
    try {
      await o.api.sendMessage(to.telegramId, text, HTML, abort.signal as unknown as GrammySignal);
      return finish(n, "sent");
    } catch (error) {
      if (stopping && abort.signal.aborted) {
        // Not sent: hand the row back at once rather than after the lease.
        await o.db
          .update(notifications)
          .set({ attempts: sql`${notifications.attempts} - 1`, nextAttemptAt: sql`now()` })
          .where(eq(notifications.id, n.id));
        return;
      }
      if (error instanceof GrammyError) {
        if (undeliverable(error)) return finish(n, "skipped", error.description);
        const retryAfter = error.parameters.retry_after;
        if (error.error_code === 429 || error.error_code >= 500)
          return n.attempts >= MAX_ATTEMPTS
            ? finish(n, "failed", error.description)
            : finish(n, "retry", error.description, retryAfter);
        // Any other 4xx is our message's fault; sending it again would fail again.
        o.logger.error(
          { notification: n.id, kind: n.kind, err: error.description },
          "notification refused",
        );
        return finish(n, "failed", error.description);
      }
      // Network trouble (HttpError) and the like: try again later.
      if (error instanceof HttpError || error instanceof Error) {
        return n.attempts >= MAX_ATTEMPTS
          ? finish(n, "failed", error.message)
          : finish(n, "retry", error.message);
      }
      throw error;
    }
  };

  const drainOnce = async (): Promise<number> => {
    const batch = await claim();
    if (batch.length === 0) return 0;
    const ids = [...new Set(batch.map((n) => n.memberId))];
    const people = await o.db
      .select({
        id: members.id,
        telegramId: members.telegramId,
        languageCode: members.languageCode,
        bannedAt: members.bannedAt,
        language: botMemberSettings.language,
      })
      .from(members)
      .leftJoin(botMemberSettings, eq(botMemberSettings.memberId, members.id))
      .where(inArray(members.id, ids));
    const byId = new Map(
      people.map((p) => [
        p.id,
        {
          telegramId: p.telegramId,
          locale: memberLocale(p.language, p.languageCode),
          banned: p.bannedAt !== null,
        },
      ]),
    );
    // One member's notifications in order; different members at once (the throttler paces).
    const perMember = new Map<number, Claimed[]>();
    for (const n of batch) perMember.set(n.memberId, [...(perMember.get(n.memberId) ?? []), n]);
    await Promise.all(
      [...perMember.entries()].map(async ([memberId, list]) => {
        for (const n of list) {
          try {
            await deliver(n, byId.get(memberId));
          } catch (error) {
            o.logger.error({ notification: n.id, err: String(error) }, "notification not handled");
            await finish(n, "retry", String(error)).catch(() => {});
          }
        }
      }),
    );
    return batch.length;
  };

  return {
    drainOnce,
    start: () => {
      stopping = false;
      loop ??= (async () => {
        while (!stopping) {
          let claimed = 0;
          try {
            claimed = await drainOnce();
          } catch (error) {
            o.logger.error({ err: String(error) }, "notification queue failed; retrying");
          }
          if (claimed < batchSize && !stopping)
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
      // Sends still waiting in the throttler are cancelled and their rows released.
      const grace = setTimeout(() => abort.abort(), 2000);
      await loop;
      clearTimeout(grace);
      loop = undefined;
    },
    nudge: () => wake?.(),
  };
}
