/**
 * Webhook mode: an Express router for the API (mounted by the bot component at the path of
 * `BOT_WEBHOOK_URL`).
 *
 * 1. `X-Telegram-Bot-Api-Secret-Token` must equal `BOT_WEBHOOK_SECRET` (compared in constant
 *    time): otherwise 401 and nothing is read or stored.
 * 2. The update is stored in the inbox; a redelivered `update_id` is acknowledged and dropped.
 * 3. Telegram gets its 200 at once; the update is handled afterwards, at most `concurrency`
 *    at a time. When too many wait, 503 makes Telegram deliver it again later.
 *
 * Throughput comes from batching, not from per-update work: the deliveries received in one
 * event-loop turn are stored by one insert (inbox.ts), and the updates handled at the same
 * time share their member reads and creations, attributions and login tokens (members.ts).
 * A crash after the 200 loses nothing: the update was stored first, in this process's name
 * (inbox.ts). While the webhook is open it renews its updates' lease and looks for updates
 * of gone processes every {@link INBOX_LEASE_SECONDS}/3 seconds; `recover()` also runs as soon
 * as the bot is connected, so after a crash and restart on the same host the updates the
 * crashed run acknowledged are handled right away.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../server/domain/index.ts";
import { ProblemError, sendProblem } from "../server/http/problem.ts";
import type { Logger } from "../server/logger.ts";
import type { BotContext } from "./context.ts";
import {
  INBOX_LEASE_SECONDS,
  InboxWriter,
  inboxOwner,
  ProcessedMarker,
  renewLeases,
  takeUnprocessed,
} from "./inbox.ts";
import type { BotMetrics } from "./metrics.ts";

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export interface WebhookOptions {
  bot: Bot<BotContext>;
  db: Db;
  secret: string;
  /** Updates handled at once. */
  concurrency: number;
  /** Updates waiting beyond this are refused with 503 (Telegram retries them). */
  maxBacklog?: number;
  logger: Logger;
  metrics?: BotMetrics;
  bodyLimitBytes?: number;
  /** This run's name in the inbox (default: a fresh {@link inboxOwner}). */
  owner?: string;
}

export interface Webhook {
  router: Router;
  /** This run's name in the inbox. */
  readonly owner: string;
  /** Starts accepting updates (after `bot.init()`; until then every delivery gets 503). */
  open(): void;
  /** Stops accepting, waits for accepted updates to be handled, flushes the inbox marks. */
  close(): Promise<void>;
  /** Resolves once every accepted update is handled (tests, benchmarks). */
  idle(): Promise<void>;
  /** Handles the updates gone processes left unhandled in the inbox; returns how many. */
  recover(): Promise<number>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of a presented secret with the expected one. */
export function secretMatches(given: unknown, expected: Buffer): boolean {
  if (typeof given !== "string" || given === "") return false;
  // Equal-length digests: the comparison time says nothing about the secret's length either.
  return timingSafeEqual(digest(given), expected);
}

export function isUpdate(body: unknown): body is Update {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id) &&
    (body as { update_id: number }).update_id >= 0
  );
}

export function createWebhook(o: WebhookOptions): Webhook {
  const expected = digest(o.secret);
  const maxBacklog = o.maxBacklog ?? 10_000;
  let accepting = false;
  let marker: ProcessedMarker | undefined;
  const owner = o.owner ?? inboxOwner();
  const inbox = new InboxWriter(o.db, () => o.bot.botInfo.id, owner);
  let heartbeat: NodeJS.Timeout | undefined;
  let beating: Promise<void> | undefined;
  const waiting: Update[] = [];
  let active = 0;
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (active > 0 || waiting.length > 0) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  const handle = async (update: Update) => {
    try {
      await o.bot.handleUpdate(update);
    } catch (error) {
      // The bot's error boundary answers the member; anything reaching here is logged only.
      o.logger.error({ update: update.update_id, err: String(error) }, "webhook update failed");
    } finally {
      marker?.mark(update.update_id);
    }
  };

  const pump = () => {
    while (active < o.concurrency && waiting.length > 0) {
      const update = waiting.shift()!;
      active++;
      void handle(update).finally(() => {
        active--;
        pump();
        settle();
      });
    }
  };

  const authenticate: RequestHandler = (req, res, next) => {
    if (!secretMatches(req.get(SECRET_HEADER), expected)) {
      o.logger.warn({ reqId: res.locals.requestId }, "webhook call without the right secret");
      sendProblem(
        res,
        new ProblemError("webhook_signature_invalid", "missing or wrong secret token"),
        res.locals.requestId as string | undefined,
      );
      return;
    }
    next();
  };

  const receive: RequestHandler = async (req, res, next) => {
    try {
      if (!accepting || waiting.length >= maxBacklog) {
        sendProblem(
          res,
          new ProblemError(
            "not_ready",
            "the bot is not accepting updates now",
            {},
            { "Retry-After": "5" },
          ),
          res.locals.requestId as string | undefined,
        );
        return;
      }
      if (!isUpdate(req.body)) {
        sendProblem(
          res,
          new ProblemError("validation_failed", "expected a Telegram Update object with update_id"),
          res.locals.requestId as string | undefined,
        );
        return;
      }
      const update = req.body;
      const fresh = await inbox.record(update);
      res.status(200).json({ ok: true });
      if (!fresh) {
        o.metrics?.updates.inc({ outcome: "duplicate" });
        o.logger.info({ update: update.update_id }, "duplicate update ignored");
        return;
      }
      waiting.push(update);
      pump();
    } catch (error) {
      // Not stored, so not acknowledged: Telegram delivers it again.
      next(error);
    }
  };

  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: unknown }).type;
    if (typeof type !== "string") return next(error);
    sendProblem(
      res,
      type === "entity.too.large"
        ? new ProblemError("payload_too_large", "the update exceeds the size limit")
        : new ProblemError("malformed_json", "the body is not valid JSON"),
      res.locals.requestId as string | undefined,
    );
  };

  const router = express.Router();
  router.post(
    "/",
    authenticate,
    express.json({ limit: o.bodyLimitBytes ?? 1_048_576, type: () => true }),
    receive,
  );
  router.use(bodyErrors);

  const recover = async () => {
    const updates = await takeUnprocessed(o.db, o.bot.botInfo.id, owner);
    for (const u of updates) waiting.push(u);
    if (updates.length > 0) {
      o.logger.warn({ count: updates.length }, "handling updates left unhandled by a crash");
      pump();
    }
    return updates.length;
  };

  const beat = async () => {
    await renewLeases(o.db, o.bot.botInfo.id, owner);
    await recover();
  };

  return {
    router,
    owner,
    open: () => {
      marker ??= new ProcessedMarker(o.db, o.bot.botInfo.id, (error) =>
        o.logger.error({ err: String(error) }, "could not mark updates handled"),
      );
      accepting = true;
      heartbeat ??= setInterval(
        () => {
          beating ??= beat()
            .catch((error: unknown) =>
              o.logger.warn({ err: String(error) }, "inbox lease not renewed"),
            )
            .finally(() => {
              beating = undefined;
            });
        },
        (INBOX_LEASE_SECONDS * 1000) / 3,
      );
      heartbeat.unref();
    },
    close: async () => {
      accepting = false;
      // No more recoveries (one in flight finishes first: what it took is handled below).
      clearInterval(heartbeat);
      heartbeat = undefined;
      await beating;
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
      await marker?.flush();
    },
    idle: async () => {
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
      await marker?.flush();
    },
    recover,
  };
}
