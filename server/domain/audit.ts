/**
 * Append-only audit log of decisions, sensitive changes and admins' reads of personal
 * data. Every admin endpoint writes a row: who (`actor`), what (`action`, subject), and for
 * changes the state `before` and `after` in `details`. Changes are audited in the same
 * transaction as the change; a repeated request that changes nothing writes nothing.
 */
import type { Db } from "../db/index.ts";
import { auditLog } from "../db/schema.ts";
import type { Actor, DomainContext } from "./context.ts";

export interface AuditRecord {
  actor: Actor;
  action: string;
  subjectType:
    | "member"
    | "referral"
    | "review"
    | "wallet"
    | "ledger_entry"
    | "partner_event"
    | "campaign"
    | "screening_list";
  subjectId: string | number;
  details?: Record<string, unknown>;
  at?: Date;
}

export async function writeAudit(tx: Db, r: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({
    actor: r.actor,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: String(r.subjectId),
    details: r.details ?? {},
    createdAt: r.at ?? new Date(),
  });
}

/**
 * Records an admin's read (member look-up, review queue): who looked at what. Reads change
 * nothing, so there is no before/after; `details` says what was asked and found.
 */
export async function auditAdminRead(
  ctx: Pick<DomainContext, "db" | "now">,
  r: Omit<AuditRecord, "at">,
): Promise<void> {
  await writeAudit(ctx.db, { ...r, at: ctx.now() });
}
