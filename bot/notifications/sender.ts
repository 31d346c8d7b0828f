/**
 * Drains the notification queue (table `notifications`, written by the referral engine and
 * the payout pipeline inside their own transactions).
 *
 * Fair across members, in order for each. A claim takes, for each member, only the oldest
 * notification still pending (the member's *head*), and only if it is due: a member whose
 * head is being sent (here or by another process) or waits for a retry is skipped, so a
 * member's notifications go out one at a time and in the order they were queued. Heads are
 * taken oldest first, and when a member's notification is done, their next one counts as
 * queued from that moment: members take turns, and one member's long backlog never delays
 * anybody else's notification (before, a batch of 50 of one member's notices, paced one a
 * second, held up every other member for the whole batch).
 *
 * Pipelined, not batched: up to `concurrency` notifications are in hand at once, one per
 * member; as soon as one is done the queue is looked at again. A claim leases its rows (their
 * next attempt moved a few minutes ahead) with `FOR UPDATE SKIP LOCKED` in one short
 * statement, so several processes never send the same row, and a process that dies mid-send
 * leaves its rows to be retried when the lease runs out; no transaction is held open while
 * Telegram is called. Each row then ends as `sent`; `skipped` when it cannot be delivered
 * and never will be (the member blocked the bot or is banned); back to `pending` with
 * exponential backoff on transient errors; `failed` after too many attempts or when its data
 * cannot be rendered. Sends go through the throttled bulk API (bot/throttle.ts: Telegram's
 * ~30 messages/s overall, 1/s per chat).
 *
 * `stop()` cancels the sends still waiting for their turn in the throttler and hands their
 * rows back at once, in one statement (due now, their attempt not counted); a send already
 * on its way to Telegram is finished and recorded.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import {
  type ClaimedNotification,
  claimDueNotifications,
  type DigestMode,
  deferNotification,
  finishFolded,
  finishNotification,
  MUTABLE_KINDS,
  type NotificationKind,
  type NotificationSettings,
  notificationRecipients,
  planDailyDigest,
  planJoinDigest,
  quietUntil,
  retryNotification,
  returnNotifications,
} from "../../server/domain/index.ts";
import type { Logger } from "../../server/logger.ts";
import { nextTurn } from "../batch.ts";
import { memberLocale } from "../i18n.ts";
import { HTML } from "../middleware.ts";
import {
  NotificationDataError,
  type RenderDeps,
  renderJoinDigest,
  renderNotification,
} from "./render.ts";

// grammY types its own AbortSignal shim; Node's is what it gets at runtime.
type GrammySignal = Parameters<Api["sendMessage"]>[3];

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 300;

/** Seconds before attempt `n + 1` after `n` failed ones: 10 s, 20 s, 40 s … capped at 1 h. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** `deferred`: held back by the member's quiet hours or a digest window (not an attempt). */
export type Outcome = "sent" | "skipped" | "retry" | "failed" | "deferred";

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
  /** Rows one claim takes at most (default 50). */
  batchSize?: number;
  /** Notifications in hand at once, at most (default 50; one per member). */
  concurrency?: number;
  /** The queue's clock (tests); by default the database's `now()`, shared by all processes. */
  now?: () => Date;
  /**
   * While sends are under way, claims at most this often (default: 500 ms, or the poll
   * interval if shorter; longer when claims get slow, so they never take more than about a
   * tenth of the time), and the sends that finished meanwhile share one claim. A chat's
   * pace is not lost: its next message may go only a second after its previous one anyway.
   */
  claimGapMs?: number;
  /**
   * "A friend joined" notifications within this many minutes of the last one sent wait and go
   * out as one digest (default 60; 0: each at once, bursts still folded). BOT_DIGEST_MINUTES.
   */
  digestMinutes?: number;
  /**
   * The digest of members who did not choose one (`/notifications digest`): `window` (above,
   * the default) or `daily` (one message per calendar day of the member's time zone, after
   * it ends). BOT_DIGEST_MODE.
   */
  digestMode?: DigestMode;
  onOutcome?(kind: NotificationKind, outcome: Outcome): void;
}

export interface NotificationSender {
  start(): void;
  /**
   * Stops claiming, cancels the sends still waiting for their turn and hands their rows
   * back (due at once), lets the sends already under way finish, then returns.
   */
  stop(): Promise<void>;
  /**
   * Claims and handles notifications until none is due (tests, scripts); returns how many
   * it handled. Without a loop running, nothing else claims meanwhile.
   */
  drainOnce(): Promise<number>;
  /** Looks at the queue now instead of at the next poll. */
  nudge(): void;
}

type Claimed = ClaimedNotification;

interface Recipient {
  telegramId: number;
  locale: "en" | "ru";
  banned: boolean;
  settings: NotificationSettings;
}

const mutable = (kind: NotificationKind) => (MUTABLE_KINDS as readonly string[]).includes(kind);

/** Why a send waiting in the throttler was cancelled. */
const STOPPING = new Error("notification sender stopping");

export function createNotificationSender(o: SenderOptions): NotificationSender {
  const batchSize = o.batchSize ?? 50;
  const concurrency = o.concurrency ?? 50;
  const claimGapMs = o.claimGapMs ?? Math.min(500, o.pollMs);
  let stopping = false;
  let loop: Promise<void> | undefined;
  // Cancels the sends waiting in the throttler (aborted by stop, renewed by start).
  let cancel = new AbortController();
  /** The notification in hand for each member (one at a time, so in order). */
  const inHand = new Map<number, Claimed>();
  const running = new Set<Promise<void>>();
  /** Claimed rows that were never sent because the sender stopped (handed back together). */
  let unsent: Claimed[] = [];
  let releasing: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // Something changed since the loop last looked (a send done, a nudge): look again at once.
  let dirty = false;
  const signal = () => {
    dirty = true;
    const w = wake;
    wake = undefined;
    w?.();
  };

  /** The due heads of members not in hand here, oldest first; leased for this process. */
  const claim = (limit: number): Promise<Claimed[]> =>
    claimDueNotifications(o.db, {
      exceptMembers: [...inHand.keys()],
      limit,
      leaseSeconds: LEASE_SECONDS,
      now: o.now?.(),
    });

  const recipients = async (ids: number[]): Promise<Map<number, Recipient>> => {
    const people = await notificationRecipients(o.db, ids);
    return new Map(
      [...people].map(([id, p]) => [
        id,
        {
          telegramId: p.telegramId,
          locale: memberLocale(p.language, p.languageCode),
          banned: p.banned,
          settings: p.settings,
        },
      ]),
    );
  };

  const finish = async (
    n: Claimed,
    outcome: Exclude<Outcome, "deferred">,
    error?: string,
    retryAfter?: number,
  ) => {
    const lastError = error?.slice(0, 500) ?? null;
    if (outcome === "retry")
      await retryNotification(o.db, n.id, {
        lastError,
        afterSeconds: retryAfter ?? backoffSeconds(n.attempts),
        now: o.now?.(),
      });
    else await finishNotification(o.db, n.id, { outcome, lastError, now: o.now?.() });
    o.onOutcome?.(n.kind, outcome);
  };

  /** Held back until `until` (quiet hours, a digest window): not an attempt, never dropped. */
  const defer = async (n: Claimed, until: Date, digest = false) => {
    await deferNotification(o.db, n.id, until, { digest });
    o.onOutcome?.(n.kind, "deferred");
  };

  const deliver = async (n: Claimed, to: Recipient | undefined): Promise<void> => {
    if (!to || to.banned) return finish(n, "skipped", to ? "member banned" : "member missing");
    // The member turned this kind off (/notifications): not sent, not kept for later.
    if (mutable(n.kind) && to.settings.muted.includes(n.kind as (typeof MUTABLE_KINDS)[number]))
      return finish(n, "skipped", "muted by the member");
    const quiet = quietUntil(to.settings, o.now?.() ?? new Date());
    if (quiet) return defer(n, quiet);
    // A burst of "a friend joined" becomes one digest (notificationDigest.ts).
    let folded: Array<{ id: number; refereeId: number }> = [];
    let day: string | undefined;
    const campaignId = Number(n.data.campaignId);
    const daily = (to.settings.digest ?? o.digestMode ?? "window") === "daily";
    if (n.kind === "referee_joined" && Number.isSafeInteger(campaignId) && daily) {
      const plan = await planDailyDigest(o.db, {
        memberId: n.memberId,
        headId: n.id,
        campaignId,
        timeZone: to.settings.timeZone,
        now: o.now?.() ?? new Date(),
      });
      if ("defer" in plan) return defer(n, plan.defer, true);
      folded = plan.fold;
      day = plan.day;
    } else if (n.kind === "referee_joined" && Number.isSafeInteger(campaignId)) {
      const plan = await planJoinDigest(o.db, {
        memberId: n.memberId,
        headId: n.id,
        campaignId,
        windowMinutes: o.digestMinutes ?? 60,
        now: o.now?.(),
      });
      if ("defer" in plan) return defer(n, plan.defer, true);
      folded = plan.fold;
    }
    let text: string;
    try {
      text =
        folded.length > 0 || day !== undefined
          ? await renderJoinDigest(o, n, folded, to.locale, day)
          : await renderNotification(o, n, to.locale);
    } catch (error) {
      if (!(error instanceof NotificationDataError)) throw error;
      o.logger.error(
        { notification: n.id, kind: n.kind, err: error.message },
        "notification data invalid",
      );
      return finish(n, "failed", error.message);
    }
    if (cancel.signal.aborted) return handBack(n);
    try {
      // The signal cancels the send only while it waits for its turn in the throttler.
      await o.api.sendMessage(to.telegramId, text, HTML, cancel.signal as unknown as GrammySignal);
    } catch (error) {
      if (error === STOPPING) return handBack(n);
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
    // The folded rows first: the member's next head (finishNotification) is then a real one.
    await finishFolded(
      o.db,
      folded.map((f) => f.id),
      n.id,
      o.now?.(),
    );
    return finish(n, "sent");
  };

  /** Starts handling `n` (its member is in hand until it is done). */
  const handle = (n: Claimed, to: Recipient | undefined) => {
    inHand.set(n.memberId, n);
    const work = (async () => {
      try {
        await deliver(n, to);
      } catch (error) {
        o.logger.error({ notification: n.id, err: String(error) }, "notification not handled");
        await finish(n, "retry", String(error)).catch(() => {});
      }
    })().finally(() => {
      inHand.delete(n.memberId);
      running.delete(work);
      signal();
    });
    running.add(work);
  };

  /**
   * One claim for the free places; returns how many rows it took, and whether more may be
   * due (it took as many as it asked for).
   */
  const claimMore = async (): Promise<{ claimed: number; more: boolean }> => {
    const room = Math.min(batchSize, concurrency - inHand.size);
    if (room <= 0 || cancel.signal.aborted) return { claimed: 0, more: false };
    const batch = await claim(room);
    if (batch.length > 0) {
      const to = await recipients([...new Set(batch.map((n) => n.memberId))]);
      for (const n of batch) handle(n, to.get(n.memberId));
    }
    return { claimed: batch.length, more: batch.length === room };
  };

  /**
   * Hands rows that were claimed but never sent back to the queue, due at once and their
   * attempt not counted; the member's order holds, since only a member's oldest row is ever
   * claimed. The rows cancelled together go back in one statement, without waiting for the
   * sends still under way.
   */
  const release = async () => {
    const rows = unsent;
    unsent = [];
    await returnNotifications(
      o.db,
      rows.map((n) => n.id),
      o.now?.(),
    );
  };
  function handBack(n: Claimed): Promise<void> {
    unsent.push(n);
    releasing ??= (async () => {
      try {
        while (unsent.length > 0) {
          await nextTurn();
          await release();
        }
      } finally {
        releasing = undefined;
      }
    })();
    return releasing;
  }

  /** Resolves after `ms`, or at once when the sender stops. */
  let stopWaiting: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopWaiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Resolves on the next change (a send done, a nudge, a stop), or after `ms`. */
  const changed = (ms: number) =>
    dirty
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(signal, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });

  const drainOnce = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const { claimed, more } = await claimMore();
      handled += claimed;
      if (more && inHand.size < concurrency) continue;
      if (running.size === 0) break;
      await Promise.race(running);
    }
    await releasing;
    await release();
    return handled;
  };

  return {
    drainOnce,
    start: () => {
      stopping = false;
      if (cancel.signal.aborted) cancel = new AbortController();
      loop ??= (async () => {
        let lastClaim = Number.NEGATIVE_INFINITY;
        let claimMs = 0;
        while (!stopping) {
          // Sends finishing one after another are gathered into one claim.
          const gap =
            lastClaim + Math.min(o.pollMs, Math.max(claimGapMs, 10 * claimMs)) - performance.now();
          if (running.size > 0 && gap > 0) await pause(gap);
          if (stopping) break;
          lastClaim = performance.now();
          dirty = false;
          let more = false;
          try {
            more = (await claimMore()).more;
          } catch (error) {
            o.logger.error({ err: String(error) }, "notification queue failed; retrying");
          }
          claimMs = performance.now() - lastClaim;
          // Claim again as soon as a place frees up, something is queued, or at the next poll.
          if (!stopping && !(more && inHand.size < concurrency)) await changed(o.pollMs);
        }
      })();
    },
    stop: async () => {
      stopping = true;
      cancel.abort(STOPPING);
      signal();
      stopWaiting?.();
      await loop;
      loop = undefined;
      await Promise.allSettled([...running]);
      await releasing;
      await release();
    },
    nudge: signal,
  };
}
