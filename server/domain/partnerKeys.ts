/**
 * Partner campaigns (issue 16): a campaign whose file names a `partner` (name, logo) is
 * co-branded, and its partner gets API keys of its own, issued by the campaign's owners
 * (`partner.manage`, audited; the key is shown once and stored as its SHA-256). A key opens
 * exactly one campaign: its analytics overview (as an analyst of that campaign would read it)
 * and its own webhook subscriptions (signed with their own secrets). The only writer of
 * `partner_keys`.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, queryRows, transaction } from "../db/index.ts";
import { auditAdminRead, writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize, type CampaignRole } from "./roles.ts";

/** What a valid key stands for. */
export interface PartnerAccess {
  keyId: number;
  campaignId: number;
  partner: string;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** The campaign's partner, or a clear refusal when its file names none. */
export function campaignPartner(campaign: Campaign): { name: string; logoUrl: string | null } {
  const p = campaign.definition.partner;
  if (!p)
    throw new DomainError(
      "not_found",
      "this campaign has no partner (name one under `partner` in its file)",
      { campaign: campaign.slug },
    );
  return { name: p.name, logoUrl: p.logoUrl ?? null };
}

/** Issues a key for the campaign's partner; the key is in the answer only. */
export async function issuePartnerKey(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<{ id: number; partner: string; key: string; prefix: string }> {
  await authorize(ctx, by, "partner.manage", campaign.id);
  const { name } = campaignPartner(campaign);
  const key = `rmk_${randomBytes(24).toString("base64url")}`;
  const prefix = key.slice(0, 10);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx,
      sql`insert into partner_keys (campaign_id, partner, key_hash, prefix, created_by, created_at)
          values (${campaign.id}, ${name}, ${hashKey(key)}, ${prefix}, ${by.actor}, ${now.toISOString()}::timestamptz)
          returning id`,
    );
    if (!row) throw new Error("partner key not inserted");
    await writeAudit(tx, {
      actor: by.actor,
      action: "partner.key_issued",
      subjectType: "partner_key",
      subjectId: row.id,
      campaignId: campaign.id,
      after: { partner: name, prefix },
      at: now,
    });
    return { id: Number(row.id), partner: name, key, prefix };
  });
}

/** Revokes a key (idempotent: revoking it again changes and audits nothing). */
export async function revokePartnerKey(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
  keyId: number,
): Promise<{ revoked: boolean }> {
  await authorize(ctx, by, "partner.manage", campaignId);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await queryRows<{ revoked: boolean }>(
      tx,
      sql`select (revoked_at is not null) as revoked from partner_keys
          where id = ${keyId} and campaign_id = ${campaignId} for update`,
    );
    if (!row) throw new DomainError("not_found", "no such partner key in this campaign");
    if (row.revoked) return { revoked: false };
    await tx.execute(
      sql`update partner_keys set revoked_at = ${now.toISOString()}::timestamptz where id = ${keyId}`,
    );
    await writeAudit(tx, {
      actor: by.actor,
      action: "partner.key_revoked",
      subjectType: "partner_key",
      subjectId: keyId,
      campaignId,
      before: { revoked: false },
      after: { revoked: true },
      at: now,
    });
    return { revoked: true };
  });
}

export interface PartnerKeyView {
  id: number;
  partner: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * The campaign's partner (null when its file names none) and the keys issued to it, revoked
 * ones too, newest first (never the keys): `partner.manage`. The read is audited like the
 * host API keys' list (`partner.key_listed`), since it names who issued what.
 */
export async function listPartnerKeys(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<{ partner: { name: string; logoUrl: string | null } | null; keys: PartnerKeyView[] }> {
  await authorize(ctx, by, "partner.manage", campaign.id);
  const p = campaign.definition.partner;
  const rows = await queryRows<{
    id: number;
    partner: string;
    prefix: string;
    created_by: string;
    created_at: string | Date;
    revoked_at: string | Date | null;
  }>(
    ctx.db,
    sql`select id, partner, prefix, created_by, created_at, revoked_at from partner_keys
        where campaign_id = ${campaign.id} order by id desc`,
  );
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "partner.key_listed",
    subjectType: "campaign",
    subjectId: campaign.id,
    campaignId: campaign.id,
    details: { count: rows.length },
  });
  return {
    partner: p ? { name: p.name, logoUrl: p.logoUrl ?? null } : null,
    keys: rows.map((r) => ({
      id: Number(r.id),
      partner: r.partner,
      prefix: r.prefix,
      createdBy: r.created_by,
      createdAt: new Date(r.created_at),
      revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
    })),
  };
}

/** The partner a key belongs to (unknown or revoked: undefined). One indexed read. */
export async function partnerByKey(db: Db, key: string): Promise<PartnerAccess | undefined> {
  if (!/^rmk_[A-Za-z0-9_-]{32}$/.test(key)) return undefined;
  const [row] = await queryRows<{ id: number; campaign_id: number; partner: string }>(
    db,
    sql`select id, campaign_id, partner from partner_keys
        where key_hash = ${hashKey(key)} and revoked_at is null`,
  );
  return row
    ? { keyId: Number(row.id), campaignId: Number(row.campaign_id), partner: row.partner }
    : undefined;
}

/**
 * A partner as the permission check sees it: an analyst of its one campaign (analytics and
 * nothing else of the admin API is routed to it), named `partner:<name>` in the audit log.
 */
export function partnerPrincipal(p: PartnerAccess): AdminPrincipal {
  return {
    actor: `partner:${p.partner}`,
    memberId: null,
    superAdmin: false,
    roles: new Map([[p.campaignId, new Set<CampaignRole>(["analyst"])]]),
  };
}
