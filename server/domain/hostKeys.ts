/**
 * Per-campaign API keys of the host API: a bot that already exists (the grammY plugin in
 * plugin/) reaches one campaign with one key. Owners (and super-admins) create, list and
 * revoke them (`apikey.manage`); each of these is audited. A key is `rmk_` and 43 characters
 * of base64url (256 random bits); only its SHA-256 is stored (an unsalted hash is enough for
 * a secret with that much entropy, and it makes the look-up one index probe) and it is shown
 * once, when created. A revoked key stops working at once in this process and within
 * `DATABASE_READ_CACHE_MS` in others (the look-up goes through the read cache).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import { cachedRead, type Db, invalidateReads, transaction } from "../db/index.ts";
import { hostApiKeys } from "../db/schema/host.ts";
import { auditAdminRead, writeAudit } from "./audit.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

export const HOST_KEY_PREFIX = "rmk_";
/** What a key looks like; anything else is refused before the database is asked. */
export const HOST_KEY_RE = /^rmk_[A-Za-z0-9_-]{43}$/;
/** Partner names as campaign files write them (`qualification.partner`). */
export const PARTNER_RE = /^[a-z0-9_-]{1,64}$/;
/** The partner a key reports as when its campaign's rule names none. */
export const DEFAULT_HOST_PARTNER = "host";

const hostKeyTag = (id: number) => `hostkey:${id}`;

export const hashHostKey = (key: string): string => createHash("sha256").update(key).digest("hex");

export interface HostKeyView {
  id: number;
  campaignId: number;
  name: string;
  partner: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** What a valid key lets its bearer do: act for one campaign, reporting as one partner. */
export interface HostKeyGrant {
  keyId: number;
  campaignId: number;
  partner: string;
}

const viewColumns = {
  id: hostApiKeys.id,
  campaignId: hostApiKeys.campaignId,
  name: hostApiKeys.name,
  partner: hostApiKeys.partner,
  prefix: hostApiKeys.prefix,
  createdBy: hostApiKeys.createdBy,
  createdAt: hostApiKeys.createdAt,
  revokedAt: hostApiKeys.revokedAt,
  revokedBy: hostApiKeys.revokedBy,
};

/** The partner a new key of `campaign` reports as when none is given. */
export function defaultPartner(campaign: Campaign): string {
  const rule = campaign.rules.qualification;
  return rule.type === "partner_event" ? rule.partner : DEFAULT_HOST_PARTNER;
}

/**
 * Creates a key for the campaign: `apikey.manage`, audited (`api_key.created`, without the
 * key). Returns the key itself, which is never stored nor shown again.
 */
export async function createHostKey(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: { campaign: Campaign; name: string; partner?: string },
): Promise<{ key: string; view: HostKeyView }> {
  const { campaign } = input;
  await authorize(ctx, by, "apikey.manage", campaign.id);
  // The HTTP layer validates both (400); these only guard other callers.
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64) throw new RangeError("name: 1–64 characters");
  const partner = input.partner ?? defaultPartner(campaign);
  if (!PARTNER_RE.test(partner)) throw new RangeError("partner: 1–64 of a-z 0-9 _ -");
  const key = `${HOST_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = ctx.now();
  const view = await transaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(hostApiKeys)
      .values({
        campaignId: campaign.id,
        name,
        partner,
        prefix: key.slice(0, HOST_KEY_PREFIX.length + 6),
        secretHash: hashHostKey(key),
        createdBy: by.actor,
        createdAt: now,
      })
      .returning(viewColumns);
    if (!row) throw new Error("insert returned nothing");
    await writeAudit(tx, {
      actor: by.actor,
      action: "api_key.created",
      subjectType: "api_key",
      subjectId: row.id,
      campaignId: campaign.id,
      before: null,
      after: { name, partner, prefix: row.prefix },
      at: now,
    });
    return row;
  });
  return { key, view };
}

/** The campaign's keys (revoked ones too), oldest first: `apikey.manage`, audited. */
export async function listHostKeys(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<HostKeyView[]> {
  await authorize(ctx, by, "apikey.manage", campaign.id);
  const rows = await ctx.db
    .select(viewColumns)
    .from(hostApiKeys)
    .where(eq(hostApiKeys.campaignId, campaign.id))
    .orderBy(asc(hostApiKeys.id));
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "api_key.listed",
    subjectType: "campaign",
    subjectId: campaign.id,
    campaignId: campaign.id,
    details: { count: rows.length },
  });
  return rows;
}

/**
 * Revokes a key of the campaign: `apikey.manage`, audited (`api_key.revoked`). Revoking a
 * revoked key changes and writes nothing (`changed: false`). A key of another campaign is
 * `not_found`, as if it did not exist.
 */
export async function revokeHostKey(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: { campaign: Campaign; keyId: number },
): Promise<{ view: HostKeyView; changed: boolean }> {
  const { campaign, keyId } = input;
  await authorize(ctx, by, "apikey.manage", campaign.id, { type: "api_key", id: keyId });
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [current] = await tx
      .select(viewColumns)
      .from(hostApiKeys)
      .where(and(eq(hostApiKeys.id, keyId), eq(hostApiKeys.campaignId, campaign.id)))
      .for("update");
    if (!current)
      throw new DomainError("not_found", `no API key ${keyId} in campaign ${campaign.slug}`);
    if (current.revokedAt !== null) return { view: current, changed: false };
    const [row] = await tx
      .update(hostApiKeys)
      .set({ revokedAt: now, revokedBy: by.actor })
      .where(and(eq(hostApiKeys.id, keyId), isNull(hostApiKeys.revokedAt)))
      .returning(viewColumns);
    if (!row) throw new Error("update returned nothing");
    await writeAudit(tx, {
      actor: by.actor,
      action: "api_key.revoked",
      subjectType: "api_key",
      subjectId: keyId,
      campaignId: campaign.id,
      before: { revokedAt: null },
      after: { revokedAt: now.toISOString() },
      details: { name: row.name, prefix: row.prefix },
      at: now,
    });
    invalidateReads(tx, [hostKeyTag(keyId)]);
    return { view: row, changed: true };
  });
}

/**
 * The grant of a key, or `undefined` when it is malformed, unknown or revoked. One indexed
 * read through the read cache (revocation drops it).
 */
export async function resolveHostKey(db: Db, key: string): Promise<HostKeyGrant | undefined> {
  if (!HOST_KEY_RE.test(key)) return undefined;
  const hash = hashHostKey(key);
  const row = await cachedRead(
    db,
    `hostkey-hash:${hash}`,
    async () => {
      const [found] = await db
        .select({
          id: hostApiKeys.id,
          campaignId: hostApiKeys.campaignId,
          partner: hostApiKeys.partner,
          revokedAt: hostApiKeys.revokedAt,
        })
        .from(hostApiKeys)
        .where(eq(hostApiKeys.secretHash, hash));
      return found;
    },
    (found) => (found ? [hostKeyTag(found.id)] : []),
  );
  if (!row || row.revokedAt !== null) return undefined;
  return { keyId: row.id, campaignId: row.campaignId, partner: row.partner };
}
