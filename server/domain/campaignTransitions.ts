/**
 * A campaign's lifecycle: `draft → validated → deploying → active ⇄ paused → ended → archived`.
 *
 * {@link CAMPAIGN_TRANSITIONS} is the whole table and this module the only writer of
 * `campaigns.state`: every move is one conditional update (`where state in <from>`) plus its
 * audit row (who, before, after) in the same transaction. A move the table does not allow from
 * the state the campaign is in is refused with `campaign_transition_refused` (its message names
 * the state and the target) and changes nothing.
 *
 * What the states mean elsewhere:
 * - only `active` attributes new referrals ({@link lifecycleRefusals}, called by attribution);
 * - `paused` holds qualifying referrals in review (`campaign_paused`), as the pause always did;
 * - `ended` stops attribution at once; referrals attributed before may still qualify and be
 *   paid for the file's `end.graceHours` ({@link grantsOpen}); then the final epoch is published
 *   with the clawback date as its deadline ({@link clawbackDate}, `end.claimDays` after the grace);
 * - `archived` is the end state: nothing changes any more.
 *
 * Who may move: pause and resume are `campaign.pause` (managers and owners); validate, end,
 * archive and promote are `campaign.lifecycle` (owners and super-admins); the deploy's own moves
 * (`deploying`, `active`) are made by the deploy command and the start-up sync as the system.
 */
import { and, eq, inArray } from "drizzle-orm";
import { type Db, transaction } from "../db/index.ts";
import { CAMPAIGN_STATES, type CampaignState, campaigns } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { CompiledCampaign } from "./campaign.ts";
import type { Actor, DomainContext } from "./context.ts";
import { DomainError, isDomainError } from "./errors.ts";
import { bumpRegistry } from "./registryVersion.ts";
import { type AdminAction, type AdminPrincipal, authorize, systemAdmin } from "./roles.ts";

export { CAMPAIGN_STATES, type CampaignState };

export interface CampaignTransition {
  from: readonly CampaignState[];
  to: CampaignState;
  /** The admin action it needs (roles.ts). */
  action: AdminAction;
  /** The audit row's action. */
  audit: string;
}

/** The lifecycle, every allowed move: anything else is refused. */
export const CAMPAIGN_TRANSITIONS = {
  validate: {
    from: ["draft"],
    to: "validated",
    action: "campaign.lifecycle",
    audit: "campaign.validated",
  },
  deploy: {
    from: ["validated"],
    to: "deploying",
    action: "campaign.lifecycle",
    audit: "campaign.deploying",
  },
  activate: {
    from: ["deploying"],
    to: "active",
    action: "campaign.lifecycle",
    audit: "campaign.activated",
  },
  pause: { from: ["active"], to: "paused", action: "campaign.pause", audit: "campaign.paused" },
  resume: { from: ["paused"], to: "active", action: "campaign.pause", audit: "campaign.resumed" },
  end: {
    from: ["active", "paused"],
    to: "ended",
    action: "campaign.lifecycle",
    audit: "campaign.ended",
  },
  archive: {
    from: ["ended"],
    to: "archived",
    action: "campaign.lifecycle",
    audit: "campaign.archived",
  },
} as const satisfies Record<string, CampaignTransition>;

export type CampaignTransitionName = keyof typeof CAMPAIGN_TRANSITIONS;
export const CAMPAIGN_TRANSITION_NAMES = Object.keys(
  CAMPAIGN_TRANSITIONS,
) as CampaignTransitionName[];

export function isCampaignTransitionName(value: string): value is CampaignTransitionName {
  return Object.hasOwn(CAMPAIGN_TRANSITIONS, value);
}

/** Where a campaign stands in its lifecycle. */
export interface CampaignLifecycle {
  campaignId: number;
  state: CampaignState;
  stateChangedAt: Date;
  stateChangedBy: string;
  endedAt: Date | null;
  pilotPromotedAt: Date | null;
}

const lifecycleColumns = {
  campaignId: campaigns.id,
  state: campaigns.state,
  stateChangedAt: campaigns.stateChangedAt,
  stateChangedBy: campaigns.stateChangedBy,
  endedAt: campaigns.endedAt,
  pilotPromotedAt: campaigns.pilotPromotedAt,
};

/** The campaign's lifecycle (read inside the caller's transaction when given one). */
export async function campaignLifecycle(db: Db, campaignId: number): Promise<CampaignLifecycle> {
  const [row] = await db
    .select(lifecycleColumns)
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!row) throw new DomainError("campaign_not_found", `no campaign with id ${campaignId}`);
  return row;
}

/** Thrown for a move the table does not allow from the campaign's state. */
function refused(
  campaign: { id: number; slug: string },
  name: string,
  from: CampaignState,
  to: CampaignState,
) {
  return new DomainError(
    "campaign_transition_refused",
    `campaign ${campaign.slug} cannot ${name}: it is ${from}, and ${to} is not reachable from ${from}`,
    { campaignId: campaign.id, transition: name, from, to },
  );
}

export interface TransitionResult {
  campaignId: number;
  transition: CampaignTransitionName;
  from: CampaignState;
  to: CampaignState;
  at: Date;
}

/**
 * Makes one lifecycle move as `by` (checked with the move's admin action before anything
 * is written). Throws `campaign_transition_refused` when the campaign's state does not allow
 * it; nothing is written then.
 */
export async function transitionCampaign(
  ctx: Pick<DomainContext, "db" | "now">,
  by: AdminPrincipal,
  campaignId: number,
  name: CampaignTransitionName,
  details: Record<string, unknown> = {},
): Promise<TransitionResult> {
  const t: CampaignTransition = CAMPAIGN_TRANSITIONS[name];
  await authorize(ctx, by, t.action, campaignId, { type: "campaign", id: campaignId });
  const now = ctx.now();
  return transaction(ctx.db, (tx) => moveInTx(tx, by.actor, campaignId, name, now, details));
}

async function moveInTx(
  tx: Db,
  actor: Actor | string,
  campaignId: number,
  name: CampaignTransitionName,
  now: Date,
  details: Record<string, unknown>,
): Promise<TransitionResult> {
  const t: CampaignTransition = CAMPAIGN_TRANSITIONS[name];
  // The state before the move, locked: the conditional update below decides, this read only
  // names the state in the audit row and in a refusal.
  const [before] = await tx
    .select({ state: campaigns.state, slug: campaigns.slug })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId))
    .for("update");
  if (!before) throw new DomainError("campaign_not_found", `no campaign with id ${campaignId}`);
  const [moved] = await tx
    .update(campaigns)
    .set({
      state: t.to,
      stateChangedAt: now,
      stateChangedBy: actor,
      ...(t.to === "ended" ? { endedAt: now } : {}),
    })
    .where(and(eq(campaigns.id, campaignId), inArray(campaigns.state, [...t.from])))
    .returning({ id: campaigns.id });
  if (!moved) throw refused({ id: campaignId, slug: before.slug }, name, before.state, t.to);
  // Other processes reload their registry: a campaign that went live joins theirs.
  await bumpRegistry(tx);
  await writeAudit(tx, {
    actor: actor as Actor,
    action: t.audit,
    subjectType: "campaign",
    subjectId: campaignId,
    campaignId,
    before: { state: before.state },
    after: { state: t.to },
    details,
    at: now,
  });
  return { campaignId, transition: name, from: before.state, to: t.to, at: now };
}

/** The moves from `draft` (or wherever it stands before) up to `active`, in order. */
const TO_ACTIVE: readonly CampaignTransitionName[] = ["validate", "deploy", "activate"];

/**
 * Walks the campaign up the deploy path to `target` (`deploying` or `active`) as the system:
 * each move its own audited transition. A campaign already there, or past it (paused, ended,
 * archived), is left as it is. Returns the moves made.
 */
async function walkTo(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
  target: "deploying" | "active",
  actor: Actor,
  details: Record<string, unknown>,
): Promise<TransitionResult[]> {
  const made: TransitionResult[] = [];
  const by = systemAdmin(actor);
  for (const name of TO_ACTIVE) {
    const { state } = await campaignLifecycle(ctx.db, campaignId);
    if (state === target) break;
    const t: CampaignTransition = CAMPAIGN_TRANSITIONS[name];
    if (!t.from.includes(state)) continue;
    try {
      made.push(await transitionCampaign(ctx, by, campaignId, name, details));
    } catch (error) {
      // Another process starting at the same time made this move first: go on from its state.
      if (!isDomainError(error, "campaign_transition_refused")) throw error;
    }
    if (t.to === target) break;
  }
  return made;
}

/** The deploy command begins (or resumes) deploying a valid file: `draft|validated → deploying`. */
export function markDeploying(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
): Promise<TransitionResult[]> {
  return walkTo(ctx, campaignId, "deploying", "system", { by: "deploy" });
}

/** Every contract is deployed and its deployment file loads: the campaign goes live. */
export function markDeployed(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
): Promise<TransitionResult[]> {
  return walkTo(ctx, campaignId, "active", "system", { by: "deploy" });
}

/**
 * Start-up: a campaign whose deployment file loads on the configured chain is live; one still
 * in `draft`, `validated` or `deploying` (deployed before lifecycle states, or by a deploy that
 * stopped after writing its file) is walked to `active`. Paused, ended and archived stay.
 */
export function activateDeployed(
  ctx: Pick<DomainContext, "db" | "now">,
  campaignId: number,
): Promise<TransitionResult[]> {
  return walkTo(ctx, campaignId, "active", "system", { by: "startup", reason: "deployed" });
}

/** Why a campaign takes no new referrals now, or nothing when it does (state `active`). */
export interface LifecycleRefusal {
  message: string;
  details: Record<string, unknown>;
}

/**
 * The attribution guard: for each campaign id that is not `active`, why it refuses new
 * referrals (`campaign_inactive`, details `{ state, paused? }`). Read in the caller's
 * transaction.
 */
export async function lifecycleRefusals(
  tx: Db,
  campaignIds: readonly number[],
): Promise<Map<number, LifecycleRefusal>> {
  const out = new Map<number, LifecycleRefusal>();
  if (campaignIds.length === 0) return out;
  const rows = await tx
    .select({ id: campaigns.id, state: campaigns.state })
    .from(campaigns)
    .where(inArray(campaigns.id, [...new Set(campaignIds)]));
  for (const r of rows) {
    if (r.state === "active") continue;
    out.set(r.id, {
      message:
        r.state === "paused"
          ? "the campaign is paused"
          : r.state === "ended" || r.state === "archived"
            ? "the campaign has ended"
            : "the campaign has not started yet",
      details: r.state === "paused" ? { state: r.state, paused: true } : { state: r.state },
    });
  }
  return out;
}

/** When the grace after `end` is over (referrals qualifying later are paid nothing). */
export function graceEndsAt(endedAt: Date, rules: Pick<CompiledCampaign, "end">): Date {
  return new Date(endedAt.getTime() + rules.end.graceHours * 3_600_000);
}

/** The clawback date: the final epoch's deadline, `end.claimDays` after the grace. */
export function clawbackDate(endedAt: Date, rules: Pick<CompiledCampaign, "end">): Date {
  return new Date(graceEndsAt(endedAt, rules).getTime() + rules.end.claimDays * 86_400_000);
}

/**
 * The qualification guard: whether a referral qualifying now may still be granted in the
 * campaign's state. `paused` holds it in review (the caller's `campaign_paused`); `ended`
 * grants within the grace only; `archived` never; the states before `active` grant nothing
 * (no referral can exist there).
 */
export async function grantsOpen(
  tx: Db,
  campaignId: number,
  rules: Pick<CompiledCampaign, "end">,
  now: Date,
): Promise<"open" | "paused" | "closed"> {
  const [row] = await tx
    .select({ state: campaigns.state, endedAt: campaigns.endedAt })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!row) return "closed";
  if (row.state === "active") return "open";
  if (row.state === "paused") return "paused";
  if (row.state === "ended" && row.endedAt && now < graceEndsAt(row.endedAt, rules)) return "open";
  return "closed";
}

/** Campaigns by state (start-up logs, the bot's `/campaign`, the admin list). */
export async function campaignStates(db: Db): Promise<Map<number, CampaignState>> {
  const rows = await db.select({ id: campaigns.id, state: campaigns.state }).from(campaigns);
  return new Map(rows.map((r) => [r.id, r.state]));
}

/**
 * The final epoch's deadline (seconds) once an ended campaign's grace is over: its clawback
 * date. Nothing is granted after the grace, so the epoch built then is the last that changes
 * anything; its leaves stay claimable until this date (never earlier than a leaf promised).
 */
export async function finalEpochDeadline(
  db: Db,
  campaignId: number,
  rules: Pick<CompiledCampaign, "end">,
  now: Date,
): Promise<number | undefined> {
  const [row] = await db
    .select({ state: campaigns.state, endedAt: campaigns.endedAt })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!row?.endedAt || (row.state !== "ended" && row.state !== "archived")) return undefined;
  if (now < graceEndsAt(row.endedAt, rules)) return undefined;
  return Math.floor(clawbackDate(row.endedAt, rules).getTime() / 1000);
}

/**
 * Tests and benchmarks only (registry.ts `syncDefinitions`' default): a campaign still in
 * `draft` is put straight in `active`, as if deployed, without audit rows, so fixtures start
 * from a running campaign and an empty audit log. The service never calls this.
 */
export async function seedActive(db: Db, campaignId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(campaigns)
      .set({ state: "active", stateChangedBy: "system" })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.state, "draft")))
      .returning({ id: campaigns.id });
    if (moved.length > 0) await bumpRegistry(tx);
  });
}
