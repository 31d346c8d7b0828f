/**
 * Reading the audit log (the admin API's `GET /api/admin/audit`, later the console): filtered,
 * newest first, paged by id, limited to what the reader may see.
 */
import { and, desc, eq, gte, inArray, isNotNull, lt, type SQL } from "drizzle-orm";
import { auditLog } from "../db/schema.ts";
import { auditAdminRead } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { type AdminPrincipal, authorize, campaignsWhere } from "./roles.ts";

export interface AuditFilter {
  /** One campaign; omitted: every campaign the reader may read (everything for super-admins). */
  campaignId?: number;
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** Rows written at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  /** Rows with a smaller id (the previous page's last id). */
  before?: number;
  limit: number;
}

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Audit rows, newest first, filtered and paged by id. Needs `audit.read` in the campaign
 * asked for; without one, a reader sees the rows of the campaigns where they hold it, and
 * only super-admins see rows that belong to no campaign (bans, global broadcasts, refused
 * cross-campaign attempts). The read itself is audited (`audit.read`).
 */
export async function listAudit(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  f: AuditFilter,
): Promise<AuditRow[]> {
  const where: Array<SQL | undefined> = [];
  if (f.campaignId !== undefined) {
    await authorize(ctx, by, "audit.read", f.campaignId, { type: "audit_log", id: "query" });
    where.push(eq(auditLog.campaignId, f.campaignId));
  } else {
    const readable = campaignsWhere(by, "audit.read");
    if (readable !== "all") {
      if (readable.length === 0)
        await authorize(ctx, by, "audit.read", null, { type: "audit_log", id: "query" });
      where.push(isNotNull(auditLog.campaignId), inArray(auditLog.campaignId, readable));
    }
  }
  if (f.actor !== undefined) where.push(eq(auditLog.actor, f.actor));
  if (f.action !== undefined) where.push(eq(auditLog.action, f.action));
  if (f.subjectType !== undefined) where.push(eq(auditLog.subjectType, f.subjectType));
  if (f.subjectId !== undefined) where.push(eq(auditLog.subjectId, f.subjectId));
  if (f.from !== undefined) where.push(gte(auditLog.createdAt, f.from));
  // `to` is exclusive: consecutive windows (`from=a&to=b`, then `from=b&to=c`) never repeat a row.
  if (f.to !== undefined) where.push(lt(auditLog.createdAt, f.to));
  if (f.before !== undefined) where.push(lt(auditLog.id, f.before));
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "audit.read",
    subjectType: "audit_log",
    subjectId: "query",
    campaignId: f.campaignId ?? null,
    details: {
      filter: {
        actor: f.actor ?? null,
        action: f.action ?? null,
        subjectType: f.subjectType ?? null,
        subjectId: f.subjectId ?? null,
        from: f.from?.toISOString() ?? null,
        to: f.to?.toISOString() ?? null,
        before: f.before ?? null,
        limit: f.limit,
      },
      count: rows.length,
    },
  });
  return rows;
}
