/**
 * The outbound webhook worker: the transport beside server/domain/webhooks.ts, which owns the
 * tables. Each pass takes the due deliveries (leased, so two workers never send one at the
 * same time), POSTs each event to its endpoint signed with the endpoint's secret, and records
 * the attempt: a 2xx delivers it; anything else (status, timeout, refused connection) is
 * tried again after `base · 2^(n−1)` seconds (capped), until `maxAttempts` in the round fail
 * and the delivery is `failed` (an admin may replay it: a new round).
 *
 * The body is the same bytes on every attempt and replay (`id` is the event's idempotency
 * key); the timestamp and signature are fresh per attempt. No jitter: deliveries of one pass
 * are already spread by when their facts happened, and tests follow the schedule exactly.
 * Every attempt goes through the SSRF guard (send.ts): a receiver that resolves to a refused
 * address gets nothing, and the attempt is logged as `refused: …` and retried like a failure.
 */

import type { WebhookSettings } from "../config.ts";
import type { Db } from "../db/index.ts";
import {
  backoffSeconds,
  claimDueDeliveries,
  type DueDelivery,
  recordDeliveryAttempt,
} from "../domain/webhooks.ts";
import type { Logger } from "../logger.ts";
import { type LoopJob, loopJob } from "../loop.ts";
import { postWebhook, ReceiverRefusedError } from "./send.ts";
import { signWebhook } from "./signature.ts";

export interface WebhookWorkerDeps {
  db: Db;
  settings: WebhookSettings;
  now: () => Date;
  logger?: Pick<Logger, "warn" | "error" | "debug">;
}

export interface PassReport {
  delivered: number;
  retrying: number;
  failed: number;
}

/** The body every attempt of a delivery sends. */
export function webhookBody(
  d: Pick<DueDelivery, "eventId" | "type" | "campaign" | "occurredAt" | "data">,
) {
  return JSON.stringify({
    id: d.eventId,
    type: d.type,
    campaign: d.campaign,
    occurredAt: d.occurredAt.toISOString(),
    data: d.data,
  });
}

/** One pass: claims due deliveries and sends them. */
export async function deliverWebhooks(deps: WebhookWorkerDeps): Promise<PassReport> {
  const { settings } = deps;
  const now = deps.now();
  const due = await claimDueDeliveries(deps.db, {
    now,
    limit: settings.batchSize,
    // Long enough for every send of the pass to end (each is bounded by the timeout).
    leaseSeconds: Math.ceil(
      ((settings.timeoutMs / 1000) * settings.batchSize) / settings.concurrency + 30,
    ),
  });
  const report: PassReport = { delivered: 0, retrying: 0, failed: 0 };
  const one = async (d: DueDelivery) => {
    const body = webhookBody(d);
    const timestamp = Math.floor(deps.now().getTime() / 1000);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await postWebhook(d.url, {
        headers: {
          "content-type": "application/json",
          "user-agent": "Refmint-Webhooks/1",
          "x-refmint-event-id": d.eventId,
          "x-refmint-event-type": d.type,
          "x-refmint-delivery": String(d.deliveryId),
          "x-refmint-attempt": String(d.attempt),
          "x-refmint-timestamp": String(timestamp),
          "x-refmint-signature": signWebhook(d.secret, timestamp, body),
        },
        body,
        timeoutMs: settings.timeoutMs,
        policy: settings,
      });
      if (statusCode < 200 || statusCode >= 300) error = `http_${statusCode}`;
    } catch (e) {
      error =
        e instanceof ReceiverRefusedError
          ? `refused: ${e.message}`.slice(0, 300)
          : e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")
            ? "timeout"
            : `network: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`.slice(
                0,
                300,
              );
    }
    const latencyMs = performance.now() - started;
    const ok = error === null;
    const at = deps.now();
    const retryAt =
      ok || d.attemptInRound >= settings.maxAttempts
        ? null
        : new Date(
            at.getTime() +
              backoffSeconds(
                d.attemptInRound,
                settings.backoffBaseSeconds,
                settings.backoffMaxSeconds,
              ) *
                1000,
          );
    await recordDeliveryAttempt(deps.db, {
      deliveryId: d.deliveryId,
      attempt: d.attempt,
      replay: d.replay,
      at,
      statusCode,
      latencyMs,
      ok,
      error,
      retryAt,
    });
    if (ok) report.delivered++;
    else if (retryAt) report.retrying++;
    else {
      report.failed++;
      deps.logger?.warn(
        { delivery: d.deliveryId, event: d.eventId, attempts: d.attempt, error },
        "webhook delivery failed for good",
      );
    }
  };
  for (let i = 0; i < due.length; i += settings.concurrency)
    await Promise.all(due.slice(i, i + settings.concurrency).map(one));
  return report;
}

/** The worker on a `loopJob`: a full batch means more is due, so the next pass follows at once. */
export function webhookJob(deps: WebhookWorkerDeps): LoopJob<PassReport> {
  let backlog = false;
  return loopJob({
    intervalMs: deps.settings.intervalSeconds * 1000,
    nextDelayMs: () => (backlog ? 0 : deps.settings.intervalSeconds * 1000),
    keepAlive: false,
    pass: async () => {
      const r = await deliverWebhooks(deps);
      backlog = r.delivered + r.retrying + r.failed >= deps.settings.batchSize;
      return r;
    },
    onError: (error) =>
      deps.logger?.error(
        { err: error instanceof Error ? error.message : String(error) },
        "webhook delivery pass failed",
      ),
  });
}
