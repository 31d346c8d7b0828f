/**
 * Coupons (issue 14): every perk redemption the indexer reads gives the member a coupon, with
 * an expiry and a "used" mark.
 *
 * - {@link issueCoupon} (called by the indexer, in its transaction): the code is the oldest
 *   free one an admin uploaded for that perk ({@link importCouponPool}, a CSV), else a
 *   generated one; the member is told by the bot (`coupon_issued`, once per redemption). A
 *   redemption re-indexed after a reorg gets its coupon back, never a second one.
 * - {@link importCouponPool}: an admin with `campaign.edit` uploads codes (CSV: `code` and an
 *   optional `expiresAt` per line); a bad line refuses the whole file (nothing written); the
 *   upload is audited.
 * - {@link useCoupon}: a partner marks a coupon used. Idempotent per (partner, request id): a
 *   retry answers what the first request got; any other request for a used coupon is refused.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { getAddress } from "viem";
import { type Db, queryRows } from "../db/index.ts";
import { writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { enqueueNotifications } from "./notifications.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

/** A redemption as the indexer read it from `PerkRedeemed`. */
export interface Redemption {
  shop: string;
  /** The on-chain order id (per member and reference). */
  orderRef: string;
  campaignId: number;
  account: string;
  perkId: number;
  quantity: number;
  txHash: string;
  block: number;
}

/** A generated coupon code: random, unguessable, easy to read out (no 0/O, 1/I). */
export function generateCouponCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(12);
  let code = "";
  for (let i = 0; i < 12; i++) code += alphabet[bytes[i]! % alphabet.length];
  return `RM-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

const DAY_MS = 86_400_000;

/**
 * Issues (or, after a reorg, restores) the coupon of a redemption. Returns its code.
 */
export async function issueCoupon(tx: Db, r: Redemption, now: Date): Promise<string> {
  const [existing] = await queryRows<{ code: string }>(
    tx,
    sql`update chain_coupons set status = 'issued', tx_hash = ${r.txHash}, block_number = ${r.block}
        where shop = ${r.shop} and order_ref = ${r.orderRef} returning code`,
  );
  if (existing) return existing.code;
  // The rules version in effect names the perk (perk ids are positions in `perks`).
  const [perk] = await queryRows<{ perk: string | null; coupon_days: number | null }>(
    tx,
    sql`select definition->'perks'->${r.perkId - 1}::int->>'id' as perk,
          (definition->'perks'->${r.perkId - 1}::int->>'couponDays')::int as coupon_days
        from campaigns where id = ${r.campaignId}`,
  );
  const perkKey = perk?.perk ?? null;
  const [pooled] = perkKey
    ? await queryRows<{ id: number; code: string; expires_at: Date | string | null }>(
        tx,
        sql`select id, code, expires_at from coupon_pool
            where campaign_id = ${r.campaignId} and perk = ${perkKey} and coupon_id is null
              and (expires_at is null or expires_at > ${now})
            order by id limit 1 for update skip locked`,
      )
    : [];
  const code = pooled?.code ?? generateCouponCode();
  const expiresAt = pooled
    ? pooled.expires_at === null
      ? null
      : new Date(pooled.expires_at)
    : new Date(now.getTime() + (perk?.coupon_days ?? 90) * DAY_MS);
  const [coupon] = await queryRows<{ id: number; member_id: number | null }>(
    tx,
    sql`insert into chain_coupons (shop, order_ref, campaign_id, member_id, account, perk_id, perk,
          quantity, code, status, tx_hash, block_number, expires_at, created_at)
        values (${r.shop}, ${r.orderRef}, ${r.campaignId},
          (select member_id from member_wallets where address = ${getAddress(r.account)}),
          ${r.account}, ${r.perkId}, ${perkKey}, ${r.quantity}, ${code}, 'issued', ${r.txHash},
          ${r.block}, ${expiresAt}, ${now})
        returning id, member_id`,
  );
  if (!coupon) throw new Error("coupon not inserted");
  if (pooled)
    await tx.execute(sql`update coupon_pool set coupon_id = ${coupon.id} where id = ${pooled.id}`);
  if (coupon.member_id !== null)
    await enqueueNotifications(tx, [
      {
        memberId: Number(coupon.member_id),
        kind: "coupon_issued",
        data: {
          campaignId: r.campaignId,
          perkId: r.perkId,
          code,
          expiresAt: expiresAt?.toISOString() ?? null,
          txHash: r.txHash,
        },
        dedupeKey: `coupon:${r.shop}:${r.orderRef}`,
      },
    ]);
  return code;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;

export interface PoolImport {
  campaignId: number;
  /** The perk's id in the campaign file. */
  perk: string;
  csv: string;
}

/**
 * Adds an uploaded CSV's codes to a perk's pool. Each line: `code` or `code,expiresAt` (ISO
 * date-time); a first line `code,...` is a header. Codes already in the pool are skipped.
 * Any malformed line refuses the whole file with `coupon_pool_invalid` (nothing written).
 */
export async function importCouponPool(
  ctx: Pick<DomainContext, "db" | "now" | "campaigns">,
  by: AdminPrincipal,
  input: PoolImport,
): Promise<{ added: number; skipped: number }> {
  await authorize(ctx, by, "campaign.edit", input.campaignId, {
    type: "campaign",
    id: input.campaignId,
  });
  const campaign = ctx.campaigns.byId(input.campaignId);
  if (!campaign) throw new DomainError("campaign_not_found", `no campaign ${input.campaignId}`);
  if (!campaign.definition.perks.some((p) => p.id === input.perk))
    throw new DomainError("coupon_pool_invalid", `no perk ${input.perk}`, {
      errors: [{ line: 0, message: `no perk ${input.perk}` }],
    });
  const now = ctx.now();
  const rows: Array<{ code: string; expiresAt: Date | null }> = [];
  const errors: Array<{ line: number; message: string }> = [];
  const lines = input.csv.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || (i === 0 && /^code\b/i.test(line))) return;
    const [code = "", expires, ...rest] = line.split(",").map((c) => c.trim());
    if (rest.length > 0) errors.push({ line: i + 1, message: "expected code[,expiresAt]" });
    else if (!CODE.test(code))
      errors.push({ line: i + 1, message: "a code is 4-64 letters, digits, - or _" });
    else if (expires && Number.isNaN(Date.parse(expires)))
      errors.push({ line: i + 1, message: `expiresAt "${expires}" is not a date` });
    else if (expires && Date.parse(expires) <= now.getTime())
      errors.push({ line: i + 1, message: `expiresAt ${expires} has passed` });
    else rows.push({ code, expiresAt: expires ? new Date(expires) : null });
  });
  if (rows.length === 0 && errors.length === 0)
    errors.push({ line: 1, message: "the file has no codes" });
  if (rows.length > 10_000) errors.push({ line: 10_001, message: "at most 10,000 codes a file" });
  if (errors.length > 0)
    throw new DomainError("coupon_pool_invalid", `${errors.length} bad line(s)`, {
      errors: errors.slice(0, 20),
    });
  return ctx.db.transaction(async (tx) => {
    const added = await queryRows<{ id: number }>(
      tx,
      sql`insert into coupon_pool (campaign_id, perk, code, expires_at, uploaded_by, created_at)
          select ${input.campaignId}, ${input.perk}, x.code, x.expires_at, ${by.actor}, ${now}
          from jsonb_to_recordset(${JSON.stringify(
            rows.map((r) => ({ code: r.code, expires_at: r.expiresAt?.toISOString() ?? null })),
          )}::jsonb) as x(code text, expires_at timestamptz)
          on conflict (campaign_id, code) do nothing
          returning id`,
    );
    const [free] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from coupon_pool
          where campaign_id = ${input.campaignId} and perk = ${input.perk} and coupon_id is null`,
    );
    await writeAudit(tx, {
      actor: by.actor,
      action: "coupons.import",
      subjectType: "campaign",
      subjectId: campaign.slug,
      campaignId: input.campaignId,
      after: { perk: input.perk, added: added.length, free: Number(free?.n ?? 0) },
      details: { lines: rows.length, skipped: rows.length - added.length },
      at: now,
    });
    return { added: added.length, skipped: rows.length - added.length };
  });
}

export interface CouponUse {
  code: string;
  campaignId: number;
  perk: string | null;
  usedAt: Date;
  replayed: boolean;
}

/**
 * Marks coupon `code` used for `partner`. The same (partner, request id) again answers the
 * same; another request for a used, revoked, expired or unknown coupon is refused
 * (`coupon_used`, `coupon_revoked`, `coupon_expired`, `coupon_unknown`) and writes nothing.
 */
export async function useCoupon(
  ctx: Pick<DomainContext, "db" | "now">,
  input: { partner: string; requestId: string; code: string },
): Promise<CouponUse> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [earlier] = await queryRows<{ code: string }>(
      tx,
      sql`select code from coupon_uses where partner = ${input.partner} and request_id = ${input.requestId}`,
    );
    if (earlier && earlier.code !== input.code)
      throw new DomainError(
        "partner_event_conflict",
        `request ${input.requestId} was used for another coupon`,
      );
    const [c] = await queryRows<{
      campaign_id: number;
      perk: string | null;
      status: string;
      expires_at: Date | string | null;
      used_at: Date | string | null;
      used_by: string | null;
    }>(
      tx,
      sql`select campaign_id, perk, status, expires_at, used_at, used_by from chain_coupons
          where code = ${input.code} for update`,
    );
    if (!c) throw new DomainError("coupon_unknown", "no such coupon");
    if (earlier && c.used_at !== null)
      return {
        code: input.code,
        campaignId: Number(c.campaign_id),
        perk: c.perk,
        usedAt: new Date(c.used_at),
        replayed: true,
      };
    if (c.used_at !== null)
      throw new DomainError("coupon_used", `used ${new Date(c.used_at).toISOString()}`, {
        usedAt: new Date(c.used_at).toISOString(),
      });
    if (c.status !== "issued") throw new DomainError("coupon_revoked", "the redemption was undone");
    if (c.expires_at !== null && new Date(c.expires_at).getTime() <= now.getTime())
      throw new DomainError("coupon_expired", `expired ${new Date(c.expires_at).toISOString()}`);
    await tx.execute(
      sql`update chain_coupons set used_at = ${now}, used_by = ${input.partner} where code = ${input.code}`,
    );
    await tx.execute(
      sql`insert into coupon_uses (partner, request_id, code, outcome, created_at)
          values (${input.partner}, ${input.requestId}, ${input.code}, 'used', ${now})`,
    );
    return {
      code: input.code,
      campaignId: Number(c.campaign_id),
      perk: c.perk,
      usedAt: now,
      replayed: false,
    };
  });
}

export interface MemberCoupon {
  code: string;
  campaignId: number;
  perk: string | null;
  perkId: number;
  quantity: number;
  status: "issued" | "revoked" | "used" | "expired";
  expiresAt: Date | null;
  usedAt: Date | null;
  txHash: string;
  createdAt: Date;
}

/** A member's coupons, newest first, with their state now. */
export async function memberCoupons(db: Db, memberId: number, now: Date): Promise<MemberCoupon[]> {
  const rows = await queryRows<{
    code: string;
    campaign_id: number;
    perk: string | null;
    perk_id: number;
    quantity: number;
    status: "issued" | "revoked";
    expires_at: Date | string | null;
    used_at: Date | string | null;
    tx_hash: string;
    created_at: Date | string;
  }>(
    db,
    sql`select code, campaign_id, perk, perk_id, quantity, status, expires_at, used_at, tx_hash,
          created_at
        from chain_coupons where member_id = ${memberId} order by id desc limit 200`,
  );
  return rows.map((r) => {
    const expiresAt = r.expires_at === null ? null : new Date(r.expires_at);
    const usedAt = r.used_at === null ? null : new Date(r.used_at);
    const status =
      r.status === "revoked"
        ? "revoked"
        : usedAt
          ? "used"
          : expiresAt && expiresAt <= now
            ? "expired"
            : "issued";
    return {
      code: r.code,
      campaignId: Number(r.campaign_id),
      perk: r.perk,
      perkId: Number(r.perk_id),
      quantity: Number(r.quantity),
      status,
      expiresAt,
      usedAt,
      txHash: r.tx_hash,
      createdAt: new Date(r.created_at),
    };
  });
}
