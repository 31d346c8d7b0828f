/** Append-only audit log of decisions and sensitive changes. */
import type { Db } from "../db/index.ts";
import { auditLog } from "../db/schema.ts";
import type { Actor } from "./context.ts";

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
    | "campaign";
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
