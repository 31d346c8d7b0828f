/**
 * Append-only audit log of admin actions, sensitive changes, admins' reads of personal data
 * and refused admin attempts. Every row says who (`actor`), what (`action`, subject), in
 * which campaign (`campaignId`; null for what spans campaigns) and, for changes, the state
 * `before` and `after`. Changes are audited in the same transaction as the change; a
 * repeated request that changes nothing writes nothing.
 *
 * Nothing here (or anywhere) updates or deletes a row: the database refuses it too (a
 * trigger on `audit_log`, migration 0006). `listAudit` (auditQuery.ts) is the one way to read it.
 */
import type { Db } from "../db/index.ts";
import { auditLog } from "../db/schema.ts";
import type { Actor, DomainContext } from "./context.ts";

export type AuditSubject =
  | "member"
  | "referral"
  | "review"
  | "wallet"
  | "ledger_entry"
  | "partner_event"
  | "campaign"
  | "broadcast"
  | "epoch"
  | "audit_log"
  | "screening_list"
  | "survey"
  | "webhook_endpoint"
  | "webhook_delivery"
  | "partner_key"
  | "api_key"
  | "campaign_draft"
  | "perk"
  | "challenge";

type State = Record<string, unknown>;

export interface AuditRecord {
  actor: Actor;
  action: string;
  subjectType: AuditSubject;
  subjectId: string | number;
  /** The campaign the action is about; omitted or null when it spans campaigns. */
  campaignId?: number | null;
  /** The subject's state before a change and after it (omitted for reads and refusals). */
  before?: State | null;
  after?: State | null;
  details?: State;
  at?: Date;
}

export async function writeAudit(tx: Db, r: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({
    actor: r.actor,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: String(r.subjectId),
    campaignId: r.campaignId ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
    details: r.details ?? {},
    createdAt: r.at ?? new Date(),
  });
}

/**
 * Records an admin's read (member look-up, review queue, the audit log itself): who looked
 * at what. Reads change nothing, so there is no before/after; `details` says what was asked
 * and found.
 */
export async function auditAdminRead(
  ctx: Pick<DomainContext, "db" | "now">,
  r: Omit<AuditRecord, "at" | "before" | "after">,
): Promise<void> {
  await writeAudit(ctx.db, { ...r, at: ctx.now() });
}
