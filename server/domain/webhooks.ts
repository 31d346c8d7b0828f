/**
 * Outbound webhooks: the only code that writes `webhook_endpoints`, `webhook_events`,
 * `webhook_deliveries` and `webhook_attempts` (server/db/schema/webhooks.ts).
 *
 * - {@link enqueueWebhookEvents} is called inside the transaction of the fact it reports (a
 *   referral attributed or qualified, a payout or badge or redemption indexed): one statement
 *   for any number of events, which writes an event only when an active endpoint of its
 *   campaign wants its type and fans it out to those endpoints at once. Nothing subscribed:
 *   nothing written. The event id (`<type>:<subject>`) is unique, so a retried or re-read
 *   fact (an indexer range read again after a reorg) never makes a second event.
 * - The delivery worker (server/webhooks/worker.ts, the transport) takes due deliveries with
 *   {@link claimDueDeliveries} (leased, `SKIP LOCKED`) and records every attempt with
 *   {@link recordDeliveryAttempt}: delivered, retried after a backoff, or failed for good.
 * - Admins (`webhook.manage`, owners) subscribe endpoints (the secret is returned once),
 *   disable them, read the delivery log and replay a delivery; each change is audited.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, jsonRows, pgArray, queryRows, transaction } from "../db/index.ts";
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from "../db/schema/webhooks.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";
import { checkWebhookReceiver, type ReceiverPolicy } from "./webhookReceivers.ts";

export { checkWebhookUrl, type ReceiverPolicy } from "./webhookReceivers.ts";
export {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
};

/** What a fact reports; `data` is the event's `data` as receivers get it (JSON). */
export interface WebhookEventInput {
  campaignId: number;
  type: WebhookEventType;
  /** What the event is about, unique per type (`reward.paid` → the payout id). */
  subject: string;
  data: Record<string, unknown>;
}

/** The idempotency key receivers dedupe on. */
export const webhookEventId = (type: WebhookEventType, subject: string) => `${type}:${subject}`;

/**
 * Queues events in the caller's transaction; returns how many deliveries were created. One
 * statement whatever the count (the indexer hands a whole range's payouts at once).
 */
export async function enqueueWebhookEvents(
  tx: Db,
  events: readonly WebhookEventInput[],
  now: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    event_id: webhookEventId(e.type, e.subject),
    campaign_id: e.campaignId,
    type: e.type,
    payload: e.data,
  }));
  const at = now.toISOString();
  const [added] = await queryRows<{ n: number }>(
    tx,
    sql`with x as (
          select * from jsonb_to_recordset(${jsonRows(rows)})
            as x(event_id text, campaign_id integer, type text, payload jsonb)),
        ev as (
          insert into webhook_events (event_id, campaign_id, type, payload, occurred_at)
          select x.event_id, x.campaign_id, x.type, x.payload, ${at}::timestamptz from x
          where exists (select 1 from webhook_endpoints p where p.campaign_id = x.campaign_id
                          and p.active and x.type = any(p.event_types))
          on conflict (event_id) do nothing
          returning id, campaign_id, type),
        d as (
          insert into webhook_deliveries (event_id, endpoint_id, next_attempt_at, created_at)
          select ev.id, p.id, ${at}::timestamptz, ${at}::timestamptz
          from ev join webhook_endpoints p on p.campaign_id = ev.campaign_id and p.active
            and ev.type = any(p.event_types)
          returning 1)
        select count(*)::int as n from d`,
  );
  return Number(added?.n ?? 0);
}

// ---- the worker's side ----

/** A delivery the worker took, with everything needed to send it. */
export interface DueDelivery {
  deliveryId: number;
  /** This attempt's number (1, 2, …). */
  attempt: number;
  /** Attempts of this round before this one (a replay starts a new round). */
  attemptInRound: number;
  replay: boolean;
  url: string;
  secret: string;
  eventId: string;
  type: WebhookEventType;
  campaign: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Takes up to `limit` due deliveries of active endpoints and leases them for `leaseSeconds`
 * (their next attempt moved ahead, the attempt counted): a worker that dies mid-send leaves
 * them to be taken again after the lease. Rows another worker holds are skipped.
 */
export async function claimDueDeliveries(
  db: Db,
  o: { now: Date; limit: number; leaseSeconds: number },
): Promise<DueDelivery[]> {
  const at = o.now.toISOString();
  const rows = await queryRows<{
    id: string | number;
    attempts: number;
    round_start: number;
    replay: boolean;
    url: string;
    secret: string;
    event_id: string;
    type: WebhookEventType;
    slug: string;
    occurred_at: string | Date;
    payload: Record<string, unknown>;
  }>(
    db,
    sql`with due as (
          select d.id, d.replay_pending from webhook_deliveries d
          join webhook_endpoints p on p.id = d.endpoint_id and p.active
          where d.status = 'pending' and d.next_attempt_at <= ${at}::timestamptz
          order by d.next_attempt_at, d.id
          limit ${o.limit}
          for update of d skip locked)
        update webhook_deliveries d set attempts = d.attempts + 1, replay_pending = false,
          next_attempt_at = ${at}::timestamptz + make_interval(secs => ${o.leaseSeconds})
        from due, webhook_events e, webhook_endpoints p, campaigns c
        where d.id = due.id and e.id = d.event_id and p.id = d.endpoint_id and c.id = e.campaign_id
        returning d.id, d.attempts, d.round_start, due.replay_pending as replay, p.url, p.secret,
          e.event_id, e.type, c.slug, e.occurred_at, e.payload`,
  );
  return rows
    .map((r) => ({
      deliveryId: Number(r.id),
      attempt: Number(r.attempts),
      attemptInRound: Number(r.attempts) - Number(r.round_start),
      replay: r.replay === true,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      type: r.type,
      campaign: r.slug,
      occurredAt: new Date(r.occurred_at),
      data: r.payload,
    }))
    .sort((a, b) => a.deliveryId - b.deliveryId);
}

/** The wait before retry `n` (1-based) of a round: `base · 2^(n−1)` seconds, at most `max`. */
export function backoffSeconds(n: number, baseSeconds: number, maxSeconds: number): number {
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, n - 1));
}

export interface AttemptRecord {
  deliveryId: number;
  attempt: number;
  replay: boolean;
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  ok: boolean;
  error: string | null;
  /** When a failed attempt is tried again; null: the delivery failed for good. */
  retryAt: Date | null;
}

/**
 * Writes an attempt to the log and moves its delivery on (delivered, retry at `retryAt`, or
 * failed). A worker whose lease ran out (another took the delivery since) only logs.
 */
export async function recordDeliveryAttempt(db: Db, r: AttemptRecord): Promise<void> {
  const at = r.at.toISOString();
  const status: WebhookDeliveryStatus = r.ok ? "delivered" : r.retryAt ? "pending" : "failed";
  await db.execute(
    sql`with a as (
          insert into webhook_attempts (delivery_id, attempt, replay, at, status_code, latency_ms, ok, error)
          values (${r.deliveryId}, ${r.attempt}, ${r.replay}, ${at}::timestamptz, ${r.statusCode},
            ${Math.max(0, Math.round(r.latencyMs))}, ${r.ok}, ${r.error})
          returning 1)
        update webhook_deliveries set status = ${status}, last_status_code = ${r.statusCode},
          last_error = ${r.error},
          next_attempt_at = ${(r.retryAt ?? r.at).toISOString()}::timestamptz,
          delivered_at = ${r.ok ? sql`${at}::timestamptz` : sql`delivered_at`}
        where id = ${r.deliveryId} and attempts = ${r.attempt} and status = 'pending'`,
  );
}

// ---- admins ----

export interface WebhookEndpointView {
  id: number;
  campaignId: number;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  partner: string | null;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface NewEndpoint {
  campaignId: number;
  url: string;
  events: readonly WebhookEventType[];
  description?: string | null;
}

/** A fresh signing secret: 32 random bytes, `whsec_` + base64url. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

function validEvents(events: readonly string[]): WebhookEventType[] {
  const unique = [...new Set(events)];
  if (
    unique.length === 0 ||
    unique.some((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e))
  )
    throw new DomainError("webhook_invalid", "name at least one known event type", {
      known: WEBHOOK_EVENT_TYPES,
    });
  return unique.sort() as WebhookEventType[];
}

const endpointView = (r: {
  id: number;
  campaign_id: number;
  url: string;
  event_types: string[];
  description: string | null;
  partner: string | null;
  active: boolean;
  created_by: string;
  created_at: string | Date;
}): WebhookEndpointView => ({
  id: Number(r.id),
  campaignId: Number(r.campaign_id),
  url: r.url,
  events: r.event_types as WebhookEventType[],
  description: r.description,
  partner: r.partner,
  active: r.active,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
});

/**
 * Inserts an endpoint and its audit row (the secret is never audited); the caller has checked
 * who may. Shared by the admin API and the partner's own subscription (partnerKeys.ts). The
 * receiver must pass the SSRF guard (webhookReceivers.ts) before anything is written.
 */
export async function insertWebhookEndpoint(
  ctx: Pick<DomainContext, "db" | "now">,
  actor: AdminPrincipal["actor"],
  input: NewEndpoint & ReceiverPolicy & { partner?: string | null },
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const events = validEvents(input.events);
  const url = await checkWebhookReceiver(input.url, input);
  const secret = newWebhookSecret();
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await queryRows<Parameters<typeof endpointView>[0]>(
      tx,
      sql`insert into webhook_endpoints (campaign_id, url, secret, event_types, description, partner,
            created_by, created_at)
          values (${input.campaignId}, ${url}, ${secret}, ${pgArray(events)}::text[],
            ${input.description ?? null}, ${input.partner ?? null}, ${actor}, ${now.toISOString()}::timestamptz)
          returning id, campaign_id, url, event_types, description, partner, active, created_by,
            created_at`,
    );
    if (!row) throw new Error("webhook endpoint not inserted");
    const endpoint = endpointView(row);
    await writeAudit(tx, {
      actor,
      action: "webhook.subscribed",
      subjectType: "webhook_endpoint",
      subjectId: endpoint.id,
      campaignId: input.campaignId,
      after: { url, events, partner: input.partner ?? null },
      at: now,
    });
    return { endpoint, secret };
  });
}

/** Subscribes an endpoint to events of one campaign; returns it with its secret (shown once). */
export async function createWebhookEndpoint(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: NewEndpoint & ReceiverPolicy,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  await authorize(ctx, by, "webhook.manage", input.campaignId);
  return insertWebhookEndpoint(ctx, by.actor, input);
}

/** A campaign's endpoints (secrets never), newest first; `partner` narrows to one partner's. */
export async function listWebhookEndpoints(
  db: Db,
  campaignId: number,
  partner?: string,
): Promise<WebhookEndpointView[]> {
  const rows = await queryRows<Parameters<typeof endpointView>[0]>(
    db,
    sql`select id, campaign_id, url, event_types, description, partner, active, created_by, created_at
        from webhook_endpoints where campaign_id = ${campaignId}
          ${partner === undefined ? sql`` : sql`and partner = ${partner}`}
        order by id desc`,
  );
  return rows.map(endpointView);
}

/** {@link listWebhookEndpoints} for an admin with `webhook.manage`. */
export async function adminWebhookEndpoints(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
): Promise<WebhookEndpointView[]> {
  await authorize(ctx, by, "webhook.manage", campaignId);
  return listWebhookEndpoints(ctx.db, campaignId);
}

/**
 * Disables an endpoint: nothing new is queued for it and its pending deliveries fail
 * (`endpoint_disabled`). Idempotent: disabling it again changes and audits nothing.
 */
export async function disableWebhookEndpoint(
  ctx: Pick<DomainContext, "db" | "now">,
  actor: AdminPrincipal["actor"],
  campaignId: number,
  endpointId: number,
  partner?: string,
): Promise<{ disabled: boolean }> {
  const now = ctx.now().toISOString();
  return transaction(ctx.db, async (tx) => {
    const [found] = await queryRows<{ active: boolean }>(
      tx,
      sql`select active from webhook_endpoints where id = ${endpointId} and campaign_id = ${campaignId}
            ${partner === undefined ? sql`` : sql`and partner = ${partner}`}
          for update`,
    );
    if (!found) throw new DomainError("not_found", "no such webhook endpoint in this campaign");
    if (!found.active) return { disabled: false };
    await tx.execute(
      sql`update webhook_endpoints set active = false, disabled_at = ${now}::timestamptz
          where id = ${endpointId}`,
    );
    await tx.execute(
      sql`update webhook_deliveries set status = 'failed', last_error = 'endpoint_disabled'
          where endpoint_id = ${endpointId} and status = 'pending'`,
    );
    await writeAudit(tx, {
      actor,
      action: "webhook.disabled",
      subjectType: "webhook_endpoint",
      subjectId: endpointId,
      campaignId,
      before: { active: true },
      after: { active: false },
      at: new Date(now),
    });
    return { disabled: true };
  });
}

/** {@link disableWebhookEndpoint} for an admin with `webhook.manage`. */
export async function adminDisableWebhookEndpoint(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
  endpointId: number,
): Promise<{ disabled: boolean }> {
  await authorize(ctx, by, "webhook.manage", campaignId);
  return disableWebhookEndpoint(ctx, by.actor, campaignId, endpointId);
}

export interface DeliveryLogEntry {
  deliveryId: number;
  endpointId: number;
  eventId: string;
  type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  log: Array<{
    attempt: number;
    replay: boolean;
    at: Date;
    statusCode: number | null;
    latencyMs: number;
    ok: boolean;
    error: string | null;
  }>;
}

/** The delivery log of a campaign (newest first), each delivery with its attempts. */
export async function webhookDeliveryLog(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
  filter: {
    endpointId?: number;
    status?: WebhookDeliveryStatus;
    eventId?: string;
    before?: number;
    limit: number;
  },
): Promise<DeliveryLogEntry[]> {
  await authorize(ctx, by, "webhook.manage", campaignId);
  const rows = await queryRows<{
    id: string | number;
    endpoint_id: number;
    event_id: string;
    type: WebhookEventType;
    status: WebhookDeliveryStatus;
    attempts: number;
    next_attempt_at: string | Date;
    last_status_code: number | null;
    last_error: string | null;
    delivered_at: string | Date | null;
    created_at: string | Date;
    log: Array<{
      attempt: number;
      replay: boolean;
      at: string;
      status_code: number | null;
      latency_ms: number;
      ok: boolean;
      error: string | null;
    }> | null;
  }>(
    ctx.db,
    sql`select d.id, d.endpoint_id, e.event_id, e.type, d.status, d.attempts, d.next_attempt_at,
          d.last_status_code, d.last_error, d.delivered_at, d.created_at,
          (select jsonb_agg(jsonb_build_object('attempt', a.attempt, 'replay', a.replay, 'at', a.at,
              'status_code', a.status_code, 'latency_ms', a.latency_ms, 'ok', a.ok, 'error', a.error)
              order by a.attempt)
            from webhook_attempts a where a.delivery_id = d.id) as log
        from webhook_deliveries d join webhook_events e on e.id = d.event_id
        where e.campaign_id = ${campaignId}
          ${filter.endpointId === undefined ? sql`` : sql`and d.endpoint_id = ${filter.endpointId}`}
          ${filter.status === undefined ? sql`` : sql`and d.status = ${filter.status}`}
          ${filter.eventId === undefined ? sql`` : sql`and e.event_id = ${filter.eventId}`}
          ${filter.before === undefined ? sql`` : sql`and d.id < ${filter.before}`}
        order by d.id desc
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({
    deliveryId: Number(r.id),
    endpointId: Number(r.endpoint_id),
    eventId: r.event_id,
    type: r.type,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === "pending" ? new Date(r.next_attempt_at) : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at),
    createdAt: new Date(r.created_at),
    log: (r.log ?? []).map((a) => ({
      attempt: Number(a.attempt),
      replay: a.replay,
      at: new Date(a.at),
      statusCode: a.status_code,
      latencyMs: Number(a.latency_ms),
      ok: a.ok,
      error: a.error,
    })),
  }));
}

/**
 * Sends a delivery again (its same event id and body, a fresh timestamp and signature): due
 * now, with a new round of retries. Audited.
 */
export async function replayWebhookDelivery(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
  deliveryId: number,
): Promise<{ deliveryId: number; eventId: string }> {
  await authorize(ctx, by, "webhook.manage", campaignId);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await queryRows<{ status: WebhookDeliveryStatus; event_id: string }>(
      tx,
      sql`select d.status, e.event_id from webhook_deliveries d
          join webhook_events e on e.id = d.event_id
          join webhook_endpoints p on p.id = d.endpoint_id
          where d.id = ${deliveryId} and e.campaign_id = ${campaignId} and p.active
          for update of d`,
    );
    if (!row)
      throw new DomainError("not_found", "no such delivery to an active endpoint in this campaign");
    await tx.execute(
      sql`update webhook_deliveries set status = 'pending', replay_pending = true,
            round_start = attempts, next_attempt_at = ${now.toISOString()}::timestamptz
          where id = ${deliveryId}`,
    );
    await writeAudit(tx, {
      actor: by.actor,
      action: "webhook.replayed",
      subjectType: "webhook_delivery",
      subjectId: deliveryId,
      campaignId,
      before: { status: row.status },
      after: { status: "pending" },
      details: { eventId: row.event_id },
      at: now,
    });
    return { deliveryId, eventId: row.event_id };
  });
}

// ---- what each fact reports (the `data` of its event) ----

/** `member.joined`: a member was attributed to a campaign through someone's link. */
export function memberJoinedEvent(r: {
  id: number;
  campaignId: number;
  referrerId: number;
  refereeId: number;
  source: string;
  attributedAt: Date;
}): WebhookEventInput {
  return {
    campaignId: r.campaignId,
    type: "member.joined",
    subject: String(r.id),
    data: {
      memberId: r.refereeId,
      referrerId: r.referrerId,
      referralId: r.id,
      source: r.source,
      joinedAt: r.attributedAt.toISOString(),
    },
  };
}

/** `referral.qualified`: with what each level earned (amounts in wei, decimal strings). */
export function referralQualifiedEvent(
  r: { id: number; campaignId: number; referrerId: number; refereeId: number },
  grants: ReadonlyArray<{
    memberId: number;
    kind: string;
    level: number;
    token: string;
    amount: bigint;
  }>,
  now: Date,
): WebhookEventInput {
  return {
    campaignId: r.campaignId,
    type: "referral.qualified",
    subject: String(r.id),
    data: {
      referralId: r.id,
      memberId: r.refereeId,
      referrerId: r.referrerId,
      qualifiedAt: now.toISOString(),
      rewards: grants
        .filter((g) => g.amount > 0n)
        .map((g) => ({
          memberId: g.memberId,
          kind: g.kind,
          level: g.level,
          token: g.token,
          amount: g.amount.toString(),
        })),
    },
  };
}

/** `reward.paid`: a payout read on-chain (once per payout id, whatever reorgs happen). */
export function rewardPaidEvent(s: {
  id: number;
  campaignId: number;
  memberId: number;
  token: string;
  amount: bigint;
  txHash: string | null;
  escrow: boolean;
}): WebhookEventInput {
  return {
    campaignId: s.campaignId,
    type: "reward.paid",
    subject: String(s.id),
    data: {
      payoutId: s.id,
      memberId: s.memberId,
      token: s.token,
      amount: s.amount.toString(),
      escrow: s.escrow,
      txHash: s.txHash,
    },
  };
}

/** `perk.redeemed`: a `PerkRedeemed` read on-chain (once per shop and order). */
export function perkRedeemedEvent(r: {
  shop: string;
  orderRef: string;
  campaignId: number;
  account: string;
  perkId: number;
  quantity: number;
  token: string;
  cost: string;
  txHash: string;
}): WebhookEventInput {
  return {
    campaignId: r.campaignId,
    type: "perk.redeemed",
    subject: `${r.shop.toLowerCase()}:${r.orderRef}`,
    data: {
      shop: r.shop,
      orderRef: r.orderRef,
      account: r.account,
      perkId: r.perkId,
      quantity: r.quantity,
      token: r.token,
      cost: r.cost,
      txHash: r.txHash,
    },
  };
}

/** `badge.minted`: keyed by transaction (a reorg re-including the same mint is the same event). */
export function badgeMintedEvent(b: {
  campaignId: number;
  account: string;
  badgeId: number;
  amount: number;
  txHash: string;
}): WebhookEventInput {
  return {
    campaignId: b.campaignId,
    type: "badge.minted",
    subject: `${b.txHash}:${b.account.toLowerCase()}:${b.badgeId}`,
    data: { badgeId: b.badgeId, account: b.account, amount: b.amount, txHash: b.txHash },
  };
}
