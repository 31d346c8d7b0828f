/**
 * Who may do what: per-campaign admin roles and the one permission check every admin action
 * goes through, whichever way it arrives (API, bot, console, scripts).
 *
 * - Roles are stored per campaign (`campaign_roles`): `owner`, `manager`, `reviewer`,
 *   `analyst`. A member may hold several; their rights add up.
 * - {@link ROLE_ACTIONS} is the whole policy: the actions each role allows *in its campaign*.
 * - Super-admins (the bootstrap `ADMIN_TELEGRAM_IDS`, the operator's `ADMIN_API_TOKEN`, and
 *   the system itself in scripts and jobs) may do everything, everywhere.
 * - An action on something that spans campaigns (a member's ban, their global referral
 *   code, a broadcast to every member, a reconciliation of all campaigns, address screening) has no campaign
 *   (`null`): only super-admins may do it, whatever roles one holds.
 *
 * The admin functions of the domain take an {@link AdminPrincipal} and call
 * {@link authorize} before they change anything: a refusal writes nothing but one
 * `access.denied` audit row (for principals that hold some role; a member without any is
 * turned away by the transport before reaching here, and leaves no row, so nobody can fill
 * the append-only log by knocking).
 */
import { and, asc, eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { cachedRead, type Db, invalidateReads } from "../db/index.ts";
import { CAMPAIGN_ROLES, type CampaignRole, campaignRoles, members } from "../db/schema.ts";
import { type AuditSubject, auditAdminRead, writeAudit } from "./audit.ts";
import type { Actor, DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { rolesTag } from "./readTags.ts";

export { CAMPAIGN_ROLES, type CampaignRole };

/** Everything an admin can do; each admin function of the domain checks one of these. */
export const ADMIN_ACTIONS = [
  /** See the campaign among one's campaigns, with its state. */
  "campaign.view",
  /** Change its rules or settings (drafts, versions). */
  "campaign.edit",
  /** Pause and resume it (campaignTransitions.ts). */
  "campaign.pause",
  /** Validate, deploy, end or archive it, promote its pilot: owners only (campaignTransitions.ts). */
  "campaign.lifecycle",
  /** Message its members. */
  "broadcast.send",
  /** The review queue: see flagged referrals and their evidence. */
  "review.read",
  /** Approve or reject flagged referrals (approving pays). */
  "review.decide",
  /** Look a member of the campaign up (personal data). */
  "member.read",
  /** Grant a member a reward by hand (mark a challenge completed). */
  "member.reward",
  /** Ban or unban a member, give them a vanity code: members and codes span campaigns. */
  "member.moderate",
  /** Read-only figures: funnel, KPIs, budgets. */
  "analytics.read",
  /** The payout pipeline by hand: epochs, retries, reconciliation. */
  "payouts.operate",
  /** Grant and revoke roles in the campaign. */
  "role.manage",
  /** Read the campaign's audit log. */
  "audit.read",
  /** Create, deliver and close surveys and votes. */
  "survey.manage",
  /** Read survey and vote results. */
  "survey.read",
  /** Address screening: deny lists and held payments (it applies to every campaign). */
  "screening.manage",
  /** Exclude a member from the campaign (participation rules) or lift the exclusion. */
  "member.exclude",
  /** Create, list and revoke the campaign's host API keys (the grammY plugin's): owners only. */
  "apikey.manage",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** The policy: what each role allows within its campaign. */
export const ROLE_ACTIONS: Readonly<Record<CampaignRole, readonly AdminAction[]>> = {
  owner: ADMIN_ACTIONS,
  manager: [
    "campaign.view",
    "campaign.edit",
    "campaign.pause",
    "broadcast.send",
    "member.read",
    "member.reward",
    "analytics.read",
    "survey.manage",
    "survey.read",
  ],
  reviewer: ["campaign.view", "review.read", "review.decide", "member.read"],
  analyst: ["campaign.view", "analytics.read", "survey.read"],
};

const ALLOWED: ReadonlyMap<CampaignRole, ReadonlySet<AdminAction>> = new Map(
  CAMPAIGN_ROLES.map((r) => [r, new Set(ROLE_ACTIONS[r])]),
);

export function isCampaignRole(value: string): value is CampaignRole {
  return (CAMPAIGN_ROLES as readonly string[]).includes(value);
}

/** Whoever performs an admin action, with what they may do. */
export interface AdminPrincipal {
  /** Written to the audit log (no Telegram ids). */
  actor: Actor;
  /** The member behind it; `null` for the operator token and the system. */
  memberId: number | null;
  /** `ADMIN_TELEGRAM_IDS`, the operator token, the system: every action in every campaign. */
  superAdmin: boolean;
  /** Roles per campaign id. */
  roles: ReadonlyMap<number, ReadonlySet<CampaignRole>>;
}

/** A super-admin principal: the operator token, scripts, jobs and tests acting as the system. */
export function systemAdmin(actor: Actor = "system"): AdminPrincipal {
  return { actor, memberId: null, superAdmin: true, roles: new Map() };
}

/** Whether the principal is an admin at all (a super-admin, or holds some role somewhere). */
export function isAnyAdmin(p: AdminPrincipal): boolean {
  return p.superAdmin || p.roles.size > 0;
}

/**
 * THE permission check: may `p` do `action` in campaign `campaignId` (`null`: something that
 * spans campaigns, for super-admins only)?
 */
export function can(p: AdminPrincipal, action: AdminAction, campaignId: number | null): boolean {
  if (p.superAdmin) return true;
  if (campaignId === null) return false;
  const roles = p.roles.get(campaignId);
  if (roles === undefined) return false;
  for (const role of roles) if (ALLOWED.get(role)?.has(action)) return true;
  return false;
}

/** The campaigns in which `p` may do `action`: `"all"` for super-admins. */
export function campaignsWhere(p: AdminPrincipal, action: AdminAction): "all" | number[] {
  if (p.superAdmin) return "all";
  return [...p.roles.keys()].filter((id) => can(p, action, id)).sort((a, b) => a - b);
}

/**
 * {@link can}, or a `forbidden` error. A refused principal holding some role leaves one
 * `access.denied` audit row (who tried what where); nothing else is written. Call it before
 * the action's transaction: the row must stay although the action does not happen.
 */
export async function authorize(
  ctx: Pick<DomainContext, "db" | "now">,
  p: AdminPrincipal,
  action: AdminAction,
  campaignId: number | null,
  subject?: { type: AuditSubject; id: string | number },
): Promise<void> {
  if (can(p, action, campaignId)) return;
  if (isAnyAdmin(p))
    await writeAudit(ctx.db, {
      actor: p.actor,
      action: "access.denied",
      subjectType: subject?.type ?? "campaign",
      subjectId: subject?.id ?? campaignId ?? "all",
      campaignId,
      details: {
        attempted: action,
        roles: campaignId === null ? [] : [...(p.roles.get(campaignId) ?? [])].sort(),
      },
      at: ctx.now(),
    });
  throw new DomainError(
    "forbidden",
    campaignId === null
      ? `${action} across campaigns is for super-admins only`
      : `${action} in campaign ${campaignId} needs a role that allows it`,
    { action, campaignId },
  );
}

/** Roles per campaign id of one member, read from the database (never cached: decisions). */
export async function loadRoles(db: Db, memberId: number): Promise<Map<number, Set<CampaignRole>>> {
  const rows = await db
    .select({ campaignId: campaignRoles.campaignId, role: campaignRoles.role })
    .from(campaignRoles)
    .where(eq(campaignRoles.memberId, memberId));
  return groupRoles(rows);
}

function groupRoles(
  rows: ReadonlyArray<{ campaignId: number; role: CampaignRole }>,
): Map<number, Set<CampaignRole>> {
  const byCampaign = new Map<number, Set<CampaignRole>>();
  for (const r of rows) {
    const set = byCampaign.get(r.campaignId) ?? new Set<CampaignRole>();
    set.add(r.role);
    byCampaign.set(r.campaignId, set);
  }
  return byCampaign;
}

/**
 * The principal for a member (`superAdmin` when their Telegram id is a bootstrap admin), with
 * their roles as stored now.
 */
export async function memberAdmin(
  db: Db,
  memberId: number,
  superAdmin: boolean,
): Promise<AdminPrincipal> {
  return {
    actor: `member:${memberId}`,
    memberId,
    superAdmin,
    roles: superAdmin ? new Map() : await loadRoles(db, memberId),
  };
}

/**
 * A member's roles for display (`/api/me`, `/help`): through the read cache, dropped in this
 * process when they change (other processes see a change within `DATABASE_READ_CACHE_MS`).
 * Permission checks use {@link memberAdmin}, which reads the table itself.
 */
export function memberRoles(
  db: Db,
  memberId: number,
): Promise<ReadonlyArray<{ campaignId: number; roles: CampaignRole[] }>> {
  return cachedRead(
    db,
    `roles:${memberId}`,
    async () =>
      [...(await loadRoles(db, memberId))]
        .map(([campaignId, roles]) => ({
          campaignId,
          roles: CAMPAIGN_ROLES.filter((r) => roles.has(r)),
        }))
        .sort((a, b) => a.campaignId - b.campaignId),
    () => [rolesTag(memberId)],
  );
}

export interface RoleHolder {
  memberId: number;
  username: string | null;
  firstName: string | null;
  roles: CampaignRole[];
}

/**
 * Who holds which roles in a campaign (member number order). Needs `role.manage`; the read is
 * audited (`role.listed`: it names members).
 */
export async function listRoleHolders(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
): Promise<RoleHolder[]> {
  await authorize(ctx, by, "role.manage", campaignId);
  const holders = await roleHoldersOf(ctx.db, campaignId);
  await auditAdminRead(ctx, {
    actor: by.actor,
    action: "role.listed",
    subjectType: "campaign",
    subjectId: campaignId,
    campaignId,
    details: { count: holders.length },
  });
  return holders;
}

async function roleHoldersOf(db: Db, campaignId: number): Promise<RoleHolder[]> {
  const rows = await db
    .select({
      memberId: campaignRoles.memberId,
      role: campaignRoles.role,
      username: members.username,
      firstName: members.firstName,
    })
    .from(campaignRoles)
    .innerJoin(members, eq(members.id, campaignRoles.memberId))
    .where(eq(campaignRoles.campaignId, campaignId))
    .orderBy(asc(campaignRoles.memberId));
  const holders = new Map<number, RoleHolder>();
  for (const r of rows) {
    const h = holders.get(r.memberId) ?? {
      memberId: r.memberId,
      username: r.username,
      firstName: r.firstName,
      roles: [],
    };
    h.roles.push(r.role);
    holders.set(r.memberId, h);
  }
  for (const h of holders.values())
    h.roles = CAMPAIGN_ROLES.filter((role) => h.roles.includes(role));
  return [...holders.values()];
}

/** Telegram ids of everyone holding a role anywhere (their chats get the admin command menu). */
export async function roleHolderTelegramIds(db: Db): Promise<number[]> {
  const rows = await db
    .selectDistinct({ telegramId: members.telegramId })
    .from(campaignRoles)
    .innerJoin(members, eq(members.id, campaignRoles.memberId));
  return rows.map((r) => r.telegramId);
}

export interface RoleChange {
  /** False when the member already had (grant) or did not have (revoke) the role. */
  changed: boolean;
  /** The member's roles in the campaign afterwards. */
  roles: CampaignRole[];
}

/**
 * Gives `memberId` the role `role` in the campaign. Owners (and super-admins) only; the
 * member must exist (have opened the bot or the dashboard once). Audited with the member's
 * roles in the campaign before and after; a grant that changes nothing writes nothing.
 */
export function grantRole(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: { campaignId: number; memberId: number; role: CampaignRole },
): Promise<RoleChange> {
  return changeRole(ctx, by, input, "grant");
}

/** Takes the role back; the counterpart of {@link grantRole}, audited the same way. */
export function revokeRole(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: { campaignId: number; memberId: number; role: CampaignRole },
): Promise<RoleChange> {
  return changeRole(ctx, by, input, "revoke");
}

async function changeRole(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  input: { campaignId: number; memberId: number; role: CampaignRole },
  kind: "grant" | "revoke",
): Promise<RoleChange> {
  if (!isCampaignRole(input.role))
    throw new DomainError("role_unknown", `no role ${String(input.role)}`, { role: input.role });
  await authorize(ctx, by, "role.manage", input.campaignId, {
    type: "member",
    id: input.memberId,
  });
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // Locks the member's row: two changes of one member's roles run one after the other, so
    // each audit row's `before` is what the previous one left.
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(eq(members.id, input.memberId))
      .for("update");
    if (!member)
      throw new DomainError("member_not_found", `no member ${input.memberId}`, {
        memberId: input.memberId,
      });
    const current = new Set(
      (
        await tx
          .select({ role: campaignRoles.role })
          .from(campaignRoles)
          .where(
            and(
              eq(campaignRoles.campaignId, input.campaignId),
              eq(campaignRoles.memberId, input.memberId),
            ),
          )
      ).map((r) => r.role),
    );
    const held = () => CAMPAIGN_ROLES.filter((r) => current.has(r));
    const before = held();
    if ((kind === "grant") === current.has(input.role)) return { changed: false, roles: before };
    if (kind === "grant") {
      await tx.insert(campaignRoles).values({
        campaignId: input.campaignId,
        memberId: input.memberId,
        role: input.role,
        grantedBy: by.actor,
        grantedAt: now,
      });
      current.add(input.role);
    } else {
      await tx
        .delete(campaignRoles)
        .where(
          and(
            eq(campaignRoles.campaignId, input.campaignId),
            eq(campaignRoles.memberId, input.memberId),
            eq(campaignRoles.role, input.role),
          ),
        );
      current.delete(input.role);
    }
    const after = held();
    invalidateReads(tx, [rolesTag(input.memberId)]);
    await writeAudit(tx, {
      actor: by.actor,
      action: kind === "grant" ? "role.granted" : "role.revoked",
      subjectType: "member",
      subjectId: input.memberId,
      campaignId: input.campaignId,
      details: { role: input.role },
      before: { roles: before },
      after: { roles: after },
      at: now,
    });
    return { changed: true, roles: after };
  });
}

/**
 * Whether a member takes part in a campaign: referred or referring in it, or rewarded in it.
 * What a campaign's admins may see of members, and whom its broadcasts reach.
 */
export const takesPartIn = (memberColumn: SQLWrapper, campaignId: number): SQL =>
  sql`(exists (select 1 from referrals r where r.campaign_id = ${campaignId}
                 and (r.referee_id = ${memberColumn} or r.referrer_id = ${memberColumn}))
       or exists (select 1 from ledger_entries e where e.campaign_id = ${campaignId}
                    and e.member_id = ${memberColumn}))`;

/** {@link takesPartIn} for one member. */
export async function memberTakesPart(
  db: Db,
  memberId: number,
  campaignId: number,
): Promise<boolean> {
  const [row] = await db
    .select({ yes: sql<boolean>`${takesPartIn(sql`${memberId}::bigint`, campaignId)}` })
    .from(sql`(select 1) as one`);
  return row?.yes === true;
}
