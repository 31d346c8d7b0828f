/**
 * Pilots: a campaign file's `pilot: { allowlist, percent, budgetCap }` opens the campaign to
 * some members first, and `promote` opens it to everyone without a redeploy.
 *
 * Until the promotion a referral is admitted when its referee is on the allowlist (Telegram id
 * or @username), falls in the pilot's percentage (sticky: a hash of the campaign slug and the
 * member number, so a member is in or out for good), or was invited by a pilot member (who is
 * one by the same rules, or by an earlier admission). Anyone else is refused `not_in_pilot`.
 * Every admitted member gets a `campaign_pilot_members` row (analytics tell pilot members
 * apart). Grants that would take the campaign past the pilot's `budgetCap` wait in review
 * (`pilot_budget_cap`) instead of being paid: an admin approves them after the promotion.
 */
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { campaignPilotMembers, type PilotReason } from "../db/schema/lifecycle.ts";
import { campaigns, campaignTokens, members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { CompiledCampaign, CompiledPilot } from "./campaign.ts";
import { type LifecycleRefusal, lifecycleRefusals } from "./campaignTransitions.ts";
import type { DomainContext } from "./context.ts";
import { DomainError, type DomainErrorCode } from "./errors.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

/** Whether member number `memberId` falls in the pilot's sticky percentage of `slug`. */
export function inPilotPercent(slug: string, memberId: number, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const digest = createHash("sha256").update(`${slug}:${memberId}`).digest();
  // 0..9999 from the first 4 bytes: percent with two decimals.
  return digest.readUInt32BE(0) % 10_000 < Math.round(percent * 100);
}

interface Who {
  id: number;
  telegramId: number;
  username: string | null;
}

/** Why `who` is in the pilot by its own rules (allowlist, percent), or nothing. */
function ownReason(pilot: CompiledPilot, slug: string, who: Who): PilotReason | undefined {
  if (pilot.telegramIds.has(who.telegramId)) return "allowlist";
  if (who.username !== null && pilot.usernames.has(who.username.toLowerCase())) return "allowlist";
  if (inPilotPercent(slug, who.id, pilot.percent)) return "percent";
  return undefined;
}

/** An attribution as the guard sees it. */
export interface AdmissionItem {
  campaign: { id: number; slug: string; rules: Pick<CompiledCampaign, "pilot"> };
  input: { refereeId: number };
  owner: { memberId: number };
}

export interface AdmissionRefusal {
  refused: DomainErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export interface AdmissionGuard<T> {
  /** Items that may not attribute, with why: the lifecycle's state, then the pilot. */
  refusals: Map<T, AdmissionRefusal>;
  /** Records the pilot members the accepted items brought in (call after their insert). */
  admitted(tx: Db, accepted: readonly T[]): Promise<void>;
}

/**
 * The attribution guard (attribution.ts calls it once per batch, in its transaction): the
 * campaign must be `active` (campaignTransitions.ts), and a pilot not yet promoted must admit
 * the referee.
 */
export async function admissionGuard<T extends AdmissionItem>(
  tx: Db,
  items: readonly T[],
): Promise<AdmissionGuard<T>> {
  const lifecycle: Map<number, LifecycleRefusal> = await lifecycleRefusals(
    tx,
    items.map((i) => i.campaign.id),
  );
  const refusals = new Map<T, AdmissionRefusal>();
  for (const i of items) {
    const l = lifecycle.get(i.campaign.id);
    if (l) refusals.set(i, { refused: "campaign_inactive", ...l });
  }
  const pilotItems = items.filter((i) => !refusals.has(i) && i.campaign.rules.pilot);
  const admissions = new Map<
    T,
    Array<{ campaignId: number; memberId: number; reason: PilotReason }>
  >();
  if (pilotItems.length > 0) {
    const campaignIds = [...new Set(pilotItems.map((i) => i.campaign.id))];
    const promoted = new Set(
      (
        await tx
          .select({ id: campaigns.id })
          .from(campaigns)
          .where(
            and(inArray(campaigns.id, campaignIds), sql`${campaigns.pilotPromotedAt} is not null`),
          )
      ).map((r) => r.id),
    );
    const open = pilotItems.filter((i) => !promoted.has(i.campaign.id));
    const memberIds = [...new Set(open.flatMap((i) => [i.input.refereeId, i.owner.memberId]))];
    const who = new Map<number, Who>();
    const inPilot = new Set<string>();
    if (memberIds.length > 0) {
      for (const m of await tx
        .select({ id: members.id, telegramId: members.telegramId, username: members.username })
        .from(members)
        .where(inArray(members.id, memberIds)))
        who.set(m.id, m);
      for (const r of await tx
        .select({ c: campaignPilotMembers.campaignId, m: campaignPilotMembers.memberId })
        .from(campaignPilotMembers)
        .where(
          and(
            inArray(campaignPilotMembers.campaignId, campaignIds),
            inArray(campaignPilotMembers.memberId, memberIds),
          ),
        ))
        inPilot.add(`${r.c}:${r.m}`);
    }
    for (const i of open) {
      const pilot = i.campaign.rules.pilot!;
      const cid = i.campaign.id;
      const referee = who.get(i.input.refereeId);
      const referrer = who.get(i.owner.memberId);
      const rows: Array<{ campaignId: number; memberId: number; reason: PilotReason }> = [];
      const referrerReason =
        referrer && !inPilot.has(`${cid}:${referrer.id}`)
          ? ownReason(pilot, i.campaign.slug, referrer)
          : undefined;
      const referrerIn = inPilot.has(`${cid}:${i.owner.memberId}`) || referrerReason !== undefined;
      if (referrerReason)
        rows.push({ campaignId: cid, memberId: i.owner.memberId, reason: referrerReason });
      const refereeOwn = referee ? ownReason(pilot, i.campaign.slug, referee) : undefined;
      if (refereeOwn || referrerIn) {
        rows.push({
          campaignId: cid,
          memberId: i.input.refereeId,
          reason: refereeOwn ?? "invitee",
        });
        admissions.set(i, rows);
      } else {
        refusals.set(i, {
          refused: "not_in_pilot",
          message:
            "the campaign is a pilot for now: only its invited members and the people they invite can join",
          details: { campaign: i.campaign.slug },
        });
      }
    }
  }
  return {
    refusals,
    admitted: async (db, accepted) => {
      const rows = accepted.flatMap((i) => admissions.get(i) ?? []);
      if (rows.length > 0) await db.insert(campaignPilotMembers).values(rows).onConflictDoNothing();
    },
  };
}

/**
 * Whether paying `grants` would take a pilot (not yet promoted) past its budget cap in some
 * token: the qualification then holds the referral in review (`pilot_budget_cap`).
 */
export async function pilotCapHolds(
  tx: Db,
  campaign: { id: number; rules: Pick<CompiledCampaign, "pilot"> },
  grants: ReadonlyArray<{ token: string; amount: bigint }>,
): Promise<boolean> {
  const pilot = campaign.rules.pilot;
  if (!pilot || pilot.budgetCap.size === 0) return false;
  const [row] = await tx
    .select({ promoted: campaigns.pilotPromotedAt })
    .from(campaigns)
    .where(eq(campaigns.id, campaign.id));
  if (row?.promoted) return false;
  const planned = new Map<string, bigint>();
  for (const g of grants) planned.set(g.token, (planned.get(g.token) ?? 0n) + g.amount);
  const tokens = [...planned.keys()].filter((t) => pilot.budgetCap.has(t));
  if (tokens.length === 0) return false;
  const granted = new Map(
    (
      await tx
        .select({ symbol: campaignTokens.symbol, granted: campaignTokens.granted })
        .from(campaignTokens)
        .where(
          and(eq(campaignTokens.campaignId, campaign.id), inArray(campaignTokens.symbol, tokens)),
        )
    ).map((r) => [r.symbol, r.granted]),
  );
  return tokens.some(
    (t) => (granted.get(t) ?? 0n) + (planned.get(t) ?? 0n) > (pilot.budgetCap.get(t) ?? 0n),
  );
}

export interface PilotStatus {
  pilot: boolean;
  promotedAt: Date | null;
  members: number;
}

export async function pilotStatus(
  db: Db,
  campaign: { id: number; rules: Pick<CompiledCampaign, "pilot"> },
): Promise<PilotStatus> {
  const [row] = await db
    .select({
      promotedAt: campaigns.pilotPromotedAt,
      members: sql<number>`(select count(*)::int from ${campaignPilotMembers} where ${campaignPilotMembers.campaignId} = ${campaigns.id})`,
    })
    .from(campaigns)
    .where(eq(campaigns.id, campaign.id));
  return {
    pilot: campaign.rules.pilot !== undefined,
    promotedAt: row?.promotedAt ?? null,
    members: Number(row?.members ?? 0),
  };
}

/**
 * Opens a pilot to everyone (`campaign.lifecycle`: owners and super-admins), without a redeploy:
 * from now on attribution admits anyone and the pilot's budget cap no longer holds grants.
 * Refused (`campaign_transition_refused`) for a campaign without a pilot or one promoted already.
 */
export async function promotePilot(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaign: { id: number; slug: string; rules: Pick<CompiledCampaign, "pilot"> },
): Promise<{ promotedAt: Date }> {
  await authorize(ctx, by, "campaign.lifecycle", campaign.id, {
    type: "campaign",
    id: campaign.id,
  });
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const refuse = (why: string, from: string) =>
      new DomainError(
        "campaign_transition_refused",
        `campaign ${campaign.slug} cannot promote: ${why}`,
        {
          campaignId: campaign.id,
          transition: "promote",
          from,
          to: "promoted",
        },
      );
    if (!campaign.rules.pilot) throw refuse("it is not a pilot", "not_pilot");
    const rows = await tx
      .update(campaigns)
      .set({ pilotPromotedAt: now })
      .where(and(eq(campaigns.id, campaign.id), sql`${campaigns.pilotPromotedAt} is null`))
      .returning({ id: campaigns.id });
    if (rows.length === 0) throw refuse("its pilot was promoted already", "promoted");
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignPilotMembers)
      .where(eq(campaignPilotMembers.campaignId, campaign.id));
    await writeAudit(tx, {
      actor: by.actor,
      action: "campaign.promoted",
      subjectType: "campaign",
      subjectId: campaign.id,
      campaignId: campaign.id,
      before: { pilot: true },
      after: { pilot: false },
      details: { pilotMembers: Number(count?.n ?? 0) },
      at: now,
    });
    return { promotedAt: now };
  });
}
