/**
 * Webhook mode: an Express router for the API (mounted by the bot component at the path of
 * `BOT_WEBHOOK_URL`).
 *
 * 1. `X-Telegram-Bot-Api-Secret-Token` must equal `BOT_WEBHOOK_SECRET` (compared in constant
 *    time): otherwise 401 and nothing is read or stored.
 * 2. The update is stored in the inbox.
 * 3. How it is acknowledged depends on `answer` (`BOT_WEBHOOK_ANSWER`):
 *    - `response` (the default): the update is handled while Telegram waits, at most
 *      `concurrency` at a time, and the call its handler marked as its answer (bot/answer.ts)
 *      goes back in the HTTP response, after the effects and the handled mark (with that
 *      reply) are committed. Acknowledgement and answer are one step: a process killed
 *      before the response completes has acknowledged nothing, Telegram delivers the update
 *      again, and the redelivery is handled where it lands (its effects are idempotent) or,
 *      when it was handled already, gets the stored reply. No background takeover, no
 *      window: each update is answered once, as far as Telegram carries out each webhook
 *      response it receives once.
 *    - `api`: Telegram gets its 200 at once and the update is handled afterwards; answers are
 *      ordinary Bot API calls (the window described in inbox.ts remains).
 *    A redelivered `update_id` already handled is not handled again. When too many wait, 503
 *    makes Telegram deliver it again later.
 *
 * Throughput comes from batching, not from per-update work: the deliveries received in one
 * event-loop turn are stored by one insert (inbox.ts), and the updates handled at the same
 * time share their member reads and creations, attributions and login tokens (members.ts).
 * A crash after the 200 loses nothing: the update was stored first, in this process's name
 * (inbox.ts). While the webhook is open it renews its updates' lease and looks for updates
 * of gone processes every {@link INBOX_LEASE_SECONDS}/3 seconds; `recover()` also runs as soon
 * as the bot is connected, so after a crash and restart on the same host the updates the
 * crashed run acknowledged are handled right away. Each answer sent while handling an update
 * is recorded against it before the handler goes on, and the handled mark is written as soon
 * as the handler returns: an update whose answer went out is not handled again (inbox.ts
 * says exactly what window remains).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, timingSafeEqual } from "node:crypto";
import express, {
  type ErrorRequestHandler,
  type RequestHandler,
  type Response,
  type Router,
} from "express";
import { type Bot, InputFile, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../server/domain/index.ts";
import { ProblemError, sendProblem } from "../server/http/problem.ts";
import type { Logger } from "../server/logger.ts";
import { isAnswer } from "./answer.ts";
import type { BotContext } from "./context.ts";
import {
  claimRedelivered,
  INBOX_LEASE_SECONDS,
  InboxMarks,
  InboxWriter,
  inboxEntry,
  inboxOwner,
  ownerGone,
  reclaimUpdates,
  renewLeases,
  takeUnprocessed,
} from "./inbox.ts";
import type { BotMetrics } from "./metrics.ts";

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Where an update's answer goes: in the webhook's HTTP response, or as a Bot API call. */
export type WebhookAnswer = "response" | "api";

/** Calls that put a message into a chat: an answer held for the response goes out before them. */
const VISIBLE = /^(send|forward|copy)/;

/** A method call Telegram accepts in a webhook response (JSON only, no file uploads). */
type Reply = Record<string, unknown> & { method: string };

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
  /** Milliseconds on a monotonic clock, for the lease's local deadline (tests pass a virtual one). */
  clock?: () => number;
  /** The inbox lease (default {@link INBOX_LEASE_SECONDS}). */
  leaseSeconds?: number;
  /** The heartbeat: renew the lease, take over gone processes' updates (default: a third of the lease). */
  heartbeatMs?: number;
  /** Where answers go (default `api`; the bot's settings default to `response`). */
  answer?: WebhookAnswer;
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
  /** One heartbeat now: renews this run's lease, then {@link Webhook.recover} (tests). */
  beat(): Promise<void>;
}

/** The update a piece of code runs for (set around each handler; see the answer journal). */
interface Handling {
  updateId: number;
  /** The record of this update's last accepted call, while it is being written. */
  recording?: Promise<void>;
  /** Answered in the webhook's response (a live request waits for it). */
  inResponse: boolean;
  /** The call marked as its answer, held for the response. */
  answer?: { method: string; payload: Record<string, unknown> };
}

/** An update waiting for a handler; `since`: when its lease was last set (local clock). */
interface Waiting {
  update: Update;
  /** Taken over from a gone process: already marked handled, no lease of ours to keep. */
  recovered: boolean;
  since: number;
  /**
   * Answered in the webhook's response: called once its handled mark (with the reply) is
   * committed, or with the error that kept it from being handled or marked.
   */
  respond?: (reply: Reply | undefined, error?: unknown) => void;
}

/** Whether a payload can travel as JSON (a file upload cannot go into a webhook response). */
function jsonOnly(value: unknown, depth = 0): boolean {
  if (value instanceof InputFile) return false;
  if (typeof value !== "object" || value === null || depth > 3) return true;
  return Object.values(value).every((v) => jsonOnly(v, depth + 1));
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
  const inResponse = (o.answer ?? "api") === "response";
  const maxBacklog = o.maxBacklog ?? 10_000;
  const clock = o.clock ?? (() => performance.now());
  const leaseSeconds = o.leaseSeconds ?? INBOX_LEASE_SECONDS;
  // A lease set at local time t is surely valid until t + lease (the database's clock set it
  // after t); a second's margin for the statement that set it.
  const leaseMs = Math.max(0, leaseSeconds * 1000 - 1000);
  let accepting = false;
  const owner = o.owner ?? inboxOwner();
  const botId = () => o.bot.botInfo.id;
  const inbox = new InboxWriter(o.db, botId, owner, undefined, inResponse);
  const marks = new InboxMarks(o.db, botId);
  const handling = new AsyncLocalStorage<Handling>();
  let heartbeat: NodeJS.Timeout | undefined;
  let beating: Promise<void> | undefined;
  let reclaiming: Promise<void> | undefined;
  /** When the last renewal of all our unhandled updates' lease went out (local clock). */
  let renewedAt = Number.NEGATIVE_INFINITY;
  let waiting: Waiting[] = [];
  let active = 0;
  let idleWaiters: Array<() => void> = [];
  /** Inbox marks (answers recorded, updates handled) queued and not yet committed. */
  const marking = new Set<Promise<void>>();
  /** Updates answered in a response that are waiting or being handled here. */
  const inFlight = new Set<number>();

  // The answer journal: a Bot API call made while handling an update that Telegram accepted
  // is recorded as that update's answer (one statement shared by the marks of every update
  // that gets there in the same event-loop turn). The handler's next Bot API call waits for
  // that record, so a process dying during a later call always leaves the earlier answer
  // recorded; a handler that makes one call does not wait at all (its record and its handled
  // mark usually share a statement). A process that dies before its handled mark leaves an
  // update whose answer went out; the recovery does not answer it again.
  type Prev = Parameters<Transformer>[0];
  const send = async (
    prev: Prev,
    method: string,
    payload: Record<string, unknown>,
    signal: Parameters<Prev>[2],
    scope: Handling | undefined,
  ) => {
    if (scope?.recording) await scope.recording;
    const result = await prev(method as never, payload as never, signal as never);
    if (scope && result.ok && !method.startsWith("get")) {
      const recording = marks
        .mark({ updateId: scope.updateId, answered: true })
        .catch((error: unknown) =>
          o.logger.error(
            { update: scope.updateId, err: String(error) },
            "could not record an update's answer",
          ),
        )
        .finally(() => {
          marking.delete(recording);
          settle();
        });
      marking.add(recording);
      scope.recording = recording;
    }
    return result;
  };

  /** Sends the answer held for the response now, as an ordinary call (a message follows it). */
  const flush = async (prev: Prev, scope: Handling) => {
    const held = scope.answer;
    if (!held) return;
    scope.answer = undefined;
    const result = await send(prev, held.method, held.payload, undefined, scope);
    if (!result.ok)
      o.logger.warn(
        { update: scope.updateId, method: held.method, err: result.description },
        "an answer sent ahead of a later message failed",
      );
  };

  o.bot.api.config.use(async (prev, method, payload, signal) => {
    const scope = handling.getStore();
    if (scope?.inResponse) {
      if (isAnswer() && jsonOnly(payload)) {
        // One call fits in the response; an earlier answer goes out first, in order.
        await flush(prev, scope);
        scope.answer = { method, payload: { ...(payload as Record<string, unknown>) } };
        // What grammY's own webhook replies resolve with: the result is not known.
        return { ok: true, result: true } as never;
      }
      // A message sent after the held answer must not overtake it.
      if (scope.answer && VISIBLE.test(method)) await flush(prev, scope);
    }
    return (await send(prev, method, payload as Record<string, unknown>, signal, scope)) as never;
  });

  const settle = () => {
    if (active > 0 || waiting.length > 0 || reclaiming || marking.size > 0) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  const handle = async (w: Waiting) => {
    const { update } = w;
    const scope: Handling = { updateId: update.update_id, inResponse: w.respond !== undefined };
    try {
      await handling.run(scope, () => o.bot.handleUpdate(update));
    } catch (error) {
      // The bot's error boundary answers the member; anything reaching here is logged only.
      o.logger.error({ update: update.update_id, err: String(error) }, "webhook update failed");
    } finally {
      const held = scope.answer;
      const reply: Reply | undefined = held ? { method: held.method, ...held.payload } : undefined;
      // Queued at once (not on a timer): until it commits, a crash leaves the update to the
      // recovery, which handles it again only when no answer of it was recorded. The handler's
      // place goes to the next update meanwhile; idle() and close() wait for the marks too.
      // In response mode the request waits for this commit: the reply is stored before
      // Telegram can receive it, so a redelivery gets the same one.
      const committed = marks.mark({
        updateId: update.update_id,
        handled: true,
        ...(reply ? { reply } : {}),
      });
      if (w.respond)
        committed.then(
          () => w.respond!(reply),
          (error: unknown) => w.respond!(undefined, error),
        );
      const marked = committed
        .catch((error: unknown) =>
          o.logger.error(
            { update: update.update_id, err: String(error) },
            "could not mark an update handled",
          ),
        )
        .finally(() => {
          marking.delete(marked);
          settle();
        });
      marking.add(marked);
    }
  };

  /** Whether our lease on a waiting update may have run out (someone may have taken it). */
  const lapsed = (w: Waiting) => !w.recovered && clock() >= Math.max(w.since, renewedAt) + leaseMs;

  /**
   * Asks the inbox which of the lapsed waiting updates are still ours (renewing their lease)
   * and drops the others: another process took them over and handles them.
   */
  const reclaim = () => {
    reclaiming ??= (async () => {
      const at = clock();
      const doubtful = waiting.filter(lapsed);
      try {
        const ours = await reclaimUpdates(
          o.db,
          botId(),
          owner,
          doubtful.map((w) => w.update.update_id),
          leaseSeconds,
        );
        const lost = new Set(doubtful.filter((w) => !ours.has(w.update.update_id)));
        if (lost.size > 0) {
          o.logger.warn(
            { count: lost.size },
            "updates taken over by another process while our lease lapsed",
          );
          waiting = waiting.filter((w) => !lost.has(w));
          // Their requests are refused: Telegram asks again and finds them handled.
          for (const w of lost) w.respond?.(undefined, new Error("taken over"));
        }
        for (const w of doubtful) w.since = at;
      } catch (error) {
        o.logger.warn({ err: String(error) }, "inbox lease not reclaimed");
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    })().finally(() => {
      reclaiming = undefined;
      pump();
      settle();
    });
  };

  const pump = () => {
    while (active < o.concurrency && waiting.length > 0 && !reclaiming) {
      if (lapsed(waiting[0]!)) {
        reclaim();
        return;
      }
      const w = waiting.shift()!;
      active++;
      void handle(w).finally(() => {
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
      const since = clock();
      const fresh = await inbox.record(update);
      if (inResponse) {
        if (!fresh && !(await claimAgain(update, res))) return;
        await handleInResponse(update, since, res);
        return;
      }
      res.status(200).json({ ok: true });
      if (!fresh) {
        o.metrics?.updates.inc({ outcome: "duplicate" });
        o.logger.info({ update: update.update_id }, "duplicate update ignored");
        return;
      }
      waiting.push({ update, recovered: false, since });
      pump();
    } catch (error) {
      // Not stored, so not acknowledged: Telegram delivers it again.
      next(error);
    }
  };

  /** Answers the request with the update's reply, or refuses it (Telegram delivers it again). */
  const respondWith = (res: Response, reply: Reply | undefined, error?: unknown) => {
    if (error !== undefined) {
      o.logger.warn({ err: String(error) }, "update not answered: Telegram will deliver it again");
      sendProblem(
        res,
        new ProblemError(
          "not_ready",
          "the update could not be handled now",
          {},
          { "Retry-After": "1" },
        ),
        res.locals.requestId as string | undefined,
      );
      return;
    }
    res.status(200).json(reply ?? { ok: true });
  };

  /** Handles `update` while Telegram waits and answers it in the response. */
  const handleInResponse = (update: Update, since: number, res: Response) =>
    new Promise<void>((resolve) => {
      inFlight.add(update.update_id);
      waiting.push({
        update,
        recovered: false,
        since,
        respond: (reply, error) => {
          inFlight.delete(update.update_id);
          respondWith(res, reply, error);
          resolve();
        },
      });
      pump();
    });

  /**
   * A delivery of an update already stored: Telegram did not get the response it was waiting
   * for. Handled already: the same reply again (Telegram carried out none). Being handled here
   * or by a live process: refused, Telegram asks again later. Left by a gone process (or a
   * lease that ran out): taken over, and true (handle it in this request).
   */
  const claimAgain = async (update: Update, res: Response): Promise<boolean> => {
    const entry = await inboxEntry(o.db, botId(), update.update_id);
    if (entry?.handled) {
      o.metrics?.updates.inc({ outcome: "duplicate" });
      o.logger.info({ update: update.update_id }, "redelivered update answered again");
      respondWith(res, (entry.reply as Reply | null) ?? undefined);
      return false;
    }
    const gone =
      entry?.owner && entry.owner !== owner && ownerGone(entry.owner, owner) ? [entry.owner] : [];
    if (
      !entry ||
      inFlight.has(update.update_id) ||
      !(await claimRedelivered(o.db, botId(), update.update_id, owner, gone, leaseSeconds))
    ) {
      respondWith(res, undefined, new Error("the update is being handled"));
      return false;
    }
    if (entry.answered) {
      // Its handler had sent a message with a Bot API call (one not marked as the answer)
      // before its owner died: as the recovery does, it is closed, not handled again.
      await marks.mark({ updateId: update.update_id, handled: true });
      o.logger.warn({ update: update.update_id }, "redelivered update had answered, closed");
      respondWith(res, undefined);
      return false;
    }
    if (entry.owner !== owner)
      o.logger.warn({ update: update.update_id }, "redelivered update taken over");
    return true;
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
    const taken = await takeUnprocessed(o.db, botId(), owner);
    for (const update of taken.handle) waiting.push({ update, recovered: true, since: clock() });
    if (taken.answered > 0) {
      o.logger.warn(
        { count: taken.answered },
        "updates a crashed process had answered, not handled again",
      );
    }
    if (taken.handle.length > 0) {
      o.logger.warn({ count: taken.handle.length }, "handling updates left unhandled by a crash");
      pump();
    }
    return taken.handle.length;
  };

  const beat = async () => {
    const at = clock();
    await renewLeases(o.db, botId(), owner, leaseSeconds);
    renewedAt = at;
    await recover();
  };

  return {
    router,
    owner,
    open: () => {
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
        o.heartbeatMs ?? (leaseSeconds * 1000) / 3,
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
    },
    idle: async () => {
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
    },
    recover,
    beat,
  };
}
