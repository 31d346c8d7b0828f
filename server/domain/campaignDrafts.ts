/**
 * Campaign drafts written in the admin console, and their way into the registry: the only code
 * that writes `campaign_drafts` (schema/drafts.ts).
 *
 * - A draft is a campaign file being written: saved as the admin left it, valid or not, and
 *   checked with the campaign file's own schema ({@link validateCampaignDefinition}: every
 *   problem at its field path) plus what only the database knows (a slug or on-chain id another
 *   campaign already uses).
 * - Templates: two built-in shapes (a standing referral program, a two-week launch push) and a
 *   copy of any campaign the admin may see, with a new slug and on-chain id.
 * - Deploying (server/chain/consoleJobs.ts runs the deploy command) goes through
 *   {@link beginDraftDeploy} (the campaign's row, `draft → validated → deploying`, the
 *   deploying admin made its owner) and {@link finishDraftDeploy} (its deployment loaded,
 *   `deploying → active`, added to this process's registry). A draft stays the record of what
 *   was deployed; a deployed draft is read-only (later changes are rules versions).
 *
 * Who: a draft spans no campaign yet, so its rights are "somewhere": reading needs
 * `campaign.view` in some campaign, writing and the dry run `campaign.edit` (managers, owners),
 * deploying `campaign.lifecycle` (owners); super-admins everywhere. Every write is audited with
 * before and after; a refusal leaves the usual `access.denied` row.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { type CampaignDraftRow, campaignDrafts } from "../db/schema/drafts.ts";
import { campaigns } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import {
  type CampaignDefinition,
  type CampaignIssue,
  compileCampaign,
  hashDefinition,
  validateCampaignDefinition,
} from "./campaign.ts";
import {
  type CampaignState,
  campaignLifecycle,
  transitionCampaign,
} from "./campaignTransitions.ts";
import type { DomainContext } from "./context.ts";
import { loadDeployment } from "./deployment.ts";
import { DomainError } from "./errors.ts";
import { type Campaign, syncCampaigns } from "./registry.ts";
import {
  type AdminAction,
  type AdminPrincipal,
  can,
  grantRole,
  isAnyAdmin,
  systemAdmin,
} from "./roles.ts";

export const DRAFT_SLUG = /^[a-z0-9-]{2,48}$/;

type Ctx = Pick<DomainContext, "db" | "now" | "campaigns">;

/** May `p` do `action` in some campaign (super-admins: always)? */
export function canSomewhere(p: AdminPrincipal, action: AdminAction): boolean {
  return p.superAdmin || [...p.roles.keys()].some((id) => can(p, action, id));
}

/**
 * {@link canSomewhere}, or `forbidden` with one `access.denied` audit row (for a principal that
 * holds some role), as roles.ts `authorize` does for one campaign.
 */
export async function authorizeSomewhere(
  ctx: Pick<DomainContext, "db" | "now">,
  p: AdminPrincipal,
  action: AdminAction,
  slug: string,
): Promise<void> {
  if (canSomewhere(p, action)) return;
  if (isAnyAdmin(p))
    await writeAudit(ctx.db, {
      actor: p.actor,
      action: "access.denied",
      subjectType: "campaign_draft",
      subjectId: slug,
      campaignId: null,
      details: { attempted: action },
      at: ctx.now(),
    });
  throw new DomainError("forbidden", `${action} on a campaign draft needs that right somewhere`, {
    action,
    slug,
  });
}

export interface DraftTemplate {
  id: string;
  /** `builtin`: a shape of our own; `campaign`: a copy of that campaign's rules. */
  kind: "builtin" | "campaign";
  name: { en: string; ru: string };
}

const BUILTIN: Record<string, { en: string; ru: string }> = {
  standing: { en: "Standing referral program", ru: "Постоянная реферальная программа" },
  launch: { en: "Two-week launch push", ru: "Двухнедельный запуск" },
};

/** The templates `p` may start from. */
export function draftTemplates(ctx: Ctx, p: AdminPrincipal): DraftTemplate[] {
  const out: DraftTemplate[] = Object.entries(BUILTIN).map(([id, name]) => ({
    id,
    kind: "builtin",
    name,
  }));
  for (const c of ctx.campaigns.all())
    if (can(p, "campaign.view", c.id))
      out.push({ id: c.slug, kind: "campaign", name: c.definition.name });
  return out;
}

/** The lowest on-chain id no campaign or other draft uses (a suggestion the admin may change). */
async function freeOnchainId(db: Db): Promise<number> {
  const used = new Set<number>(
    (await db.select({ id: campaigns.onchainId }).from(campaigns)).map((r) => r.id),
  );
  for (const r of await db.select({ document: campaignDrafts.document }).from(campaignDrafts)) {
    const id = (r.document as { onchainId?: unknown }).onchainId;
    if (typeof id === "number") used.add(id);
  }
  let id = 1;
  while (used.has(id)) id++;
  return id;
}

/** A new draft's document from a template, with the draft's slug and a free on-chain id. */
export async function templateDocument(
  ctx: Ctx,
  p: AdminPrincipal,
  template: string,
  slug: string,
): Promise<Record<string, unknown>> {
  const onchainId = await freeOnchainId(ctx.db);
  const now = ctx.now();
  if (Object.hasOwn(BUILTIN, template)) {
    const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
    const days = template === "launch" ? 14 : 365;
    return builtinDocument({
      slug,
      onchainId,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + days * 86_400_000).toISOString(),
      name: BUILTIN[template]!,
    });
  }
  const source = ctx.campaigns.bySlug(template);
  if (!source || !can(p, "campaign.view", source.id))
    throw new DomainError("not_found", `no template ${template}`, { template });
  const { $schema: _hint, ...rules } = structuredClone(source.definition);
  return { ...rules, slug, onchainId };
}

/** A small valid campaign: one token, two levels, two tiers, lenient fraud checks. */
function builtinDocument(o: {
  slug: string;
  onchainId: number;
  startsAt: string;
  endsAt: string;
  name: { en: string; ru: string };
}): Record<string, unknown> {
  return {
    slug: o.slug,
    onchainId: o.onchainId,
    name: o.name,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    tokens: [
      {
        symbol: "REF",
        name: "Referral Point",
        decimals: 18,
        cap: "100000000",
        budget: "1000000",
        maxBatch: 200,
        maxBatchAmount: "4000",
        dailyLimit: "20000",
      },
    ],
    escrow: { publishDelayHours: 24 },
    qualification: { type: "wallet_linked" },
    levels: [
      { level: 1, token: "REF", amount: "10" },
      { level: 2, percent: 20 },
    ],
    tiers: [
      { id: "base", name: { en: "Base", ru: "База" }, minQualified: 0, multiplierBps: 10000 },
      { id: "gold", name: { en: "Gold", ru: "Золото" }, minQualified: 10, multiplierBps: 15000 },
    ],
    caps: { perMemberDaily: { REF: "200" }, perMemberTotal: {} },
    fraud: {
      burst: { maxReferrals: 20, windowMinutes: 60 },
      maxRefereesPerIp: 5,
      maxRefereesPerDevice: 3,
      reviewSharedWallets: true,
    },
    end: { graceHours: 72, claimDays: 30 },
  };
}

export interface DraftCheck {
  valid: boolean;
  /** Every problem, each at its field path (`tokens[0].budget`); empty when valid. */
  issues: CampaignIssue[];
  definition?: CampaignDefinition;
}

/**
 * The campaign file's schema, then what the database knows: the slug is the draft's, and no
 * other campaign has the slug or the on-chain id.
 */
export async function checkDraft(db: Db, slug: string, document: unknown): Promise<DraftCheck> {
  const result = validateCampaignDefinition(document);
  const issues: CampaignIssue[] = result.ok ? [] : [...result.issues];
  const doc = (typeof document === "object" && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  if (typeof doc.slug === "string" && doc.slug !== slug)
    issues.push({
      path: "slug",
      message: `the draft is "${slug}": a new slug is a new draft (keep "${slug}" here)`,
    });
  const rows = await db
    .select({ slug: campaigns.slug, onchainId: campaigns.onchainId })
    .from(campaigns)
    .where(
      typeof doc.onchainId === "number"
        ? sql`${campaigns.slug} = ${slug} or ${campaigns.onchainId} = ${doc.onchainId}`
        : eq(campaigns.slug, slug),
    );
  const [draft] = await db
    .select({ campaignId: campaignDrafts.campaignId })
    .from(campaignDrafts)
    .where(eq(campaignDrafts.slug, slug));
  for (const r of rows) {
    // The campaign this draft itself became is no clash.
    if (draft?.campaignId !== null && draft?.campaignId !== undefined && r.slug === slug) continue;
    if (r.slug === slug)
      issues.push({ path: "slug", message: `a campaign "${slug}" exists already` });
    else
      issues.push({
        path: "onchainId",
        message: `on-chain id ${String(doc.onchainId)} is campaign "${r.slug}"'s`,
      });
  }
  return issues.length === 0 && result.ok
    ? { valid: true, issues, definition: result.definition }
    : { valid: false, issues };
}

export interface DraftView {
  slug: string;
  document: unknown;
  template: string;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  /** The campaign deployed from it (null: still a draft). */
  campaignId: number | null;
  /** That campaign's lifecycle state (`deploying`: a deploy to finish or resume). */
  campaignState: CampaignState | null;
  valid: boolean;
  issues: CampaignIssue[];
}

async function view(db: Db, row: CampaignDraftRow): Promise<DraftView> {
  const check = await checkDraft(db, row.slug, row.document);
  const campaignState =
    row.campaignId === null ? null : (await campaignLifecycle(db, row.campaignId)).state;
  return { ...row, campaignState, valid: check.valid, issues: check.issues };
}

/** Every draft, newest first (`campaign.view` somewhere). */
export async function listDrafts(ctx: Ctx, p: AdminPrincipal): Promise<DraftView[]> {
  await authorizeSomewhere(ctx, p, "campaign.view", "*");
  const rows = await ctx.db
    .select()
    .from(campaignDrafts)
    .orderBy(sql`${campaignDrafts.updatedAt} desc`);
  return Promise.all(rows.map((r) => view(ctx.db, r)));
}

async function draftRow(db: Db, slug: string): Promise<CampaignDraftRow> {
  const [row] = await db.select().from(campaignDrafts).where(eq(campaignDrafts.slug, slug));
  if (!row) throw new DomainError("not_found", `no campaign draft ${slug}`, { slug });
  return row;
}

export async function getDraft(ctx: Ctx, p: AdminPrincipal, slug: string): Promise<DraftView> {
  await authorizeSomewhere(ctx, p, "campaign.view", slug);
  return view(ctx.db, await draftRow(ctx.db, slug));
}

/** Top-level keys whose content differs (the audit row says what changed, not all of it). */
function changedKeys(before: unknown, after: unknown): string[] {
  const obj = (v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const a = obj(before);
  const b = obj(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .sort();
}

/**
 * Creates a draft from a template (`document` absent) or saves its document as given, valid or
 * not; audited (`campaign_draft.created` / `.updated`) with its validity before and after and
 * the keys that changed. A save that changes nothing writes nothing. A deployed draft, or a
 * slug a campaign already has, is refused (`campaign_exists`).
 */
export async function saveDraft(
  ctx: Ctx,
  p: AdminPrincipal,
  input: { slug: string; template?: string; document?: unknown },
): Promise<DraftView> {
  const { slug } = input;
  await authorizeSomewhere(ctx, p, "campaign.edit", slug);
  if (!DRAFT_SLUG.test(slug))
    throw new DomainError("rules_invalid", "expected lower-case letters, digits and dashes", {
      errors: [{ path: "slug", message: "expected lower-case letters, digits and dashes" }],
    });
  const [existing] = await ctx.db
    .select()
    .from(campaignDrafts)
    .where(eq(campaignDrafts.slug, slug));
  if (existing?.campaignId != null)
    throw new DomainError(
      "campaign_exists",
      `draft ${slug} was deployed: change the campaign with a new rules version`,
      { slug },
    );
  if (!existing) {
    const [taken] = await ctx.db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(eq(campaigns.slug, slug));
    if (taken) throw new DomainError("campaign_exists", `a campaign ${slug} exists`, { slug });
  }
  const template = existing?.template ?? input.template ?? "standing";
  const document =
    input.document !== undefined
      ? input.document
      : (existing?.document ?? (await templateDocument(ctx, p, template, slug)));
  if (existing && JSON.stringify(existing.document) === JSON.stringify(document))
    return view(ctx.db, existing);
  const now = ctx.now();
  const before = existing ? await checkDraft(ctx.db, slug, existing.document) : undefined;
  const after = await checkDraft(ctx.db, slug, document);
  const row = await ctx.db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(campaignDrafts)
      .values({
        slug,
        document,
        template,
        createdBy: p.actor,
        createdAt: now,
        updatedBy: p.actor,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: campaignDrafts.slug,
        set: { document, updatedBy: p.actor, updatedAt: now },
      })
      .returning();
    await writeAudit(tx, {
      actor: p.actor,
      action: existing ? "campaign_draft.updated" : "campaign_draft.created",
      subjectType: "campaign_draft",
      subjectId: slug,
      campaignId: null,
      before: before ? { valid: before.valid, issues: before.issues.length } : null,
      after: { valid: after.valid, issues: after.issues.length },
      details: existing ? { changed: changedKeys(existing.document, document) } : { template },
      at: now,
    });
    return saved!;
  });
  return view(ctx.db, row);
}

/** A draft ready for the dry run or the deploy: valid, as a definition. */
export async function validDraft(
  ctx: Ctx,
  p: AdminPrincipal,
  slug: string,
  action: "campaign.edit" | "campaign.lifecycle",
): Promise<{ row: CampaignDraftRow; definition: CampaignDefinition }> {
  await authorizeSomewhere(ctx, p, action, slug);
  const row = await draftRow(ctx.db, slug);
  const check = await checkDraft(ctx.db, slug, row.document);
  if (!check.valid || !check.definition)
    throw new DomainError(
      "rules_invalid",
      `draft ${slug} has ${check.issues.length} problem(s): ${check.issues
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}`,
      { errors: check.issues },
    );
  return { row, definition: check.definition };
}

/**
 * Before the deploy command runs: the campaign's row from the draft (its version 1), moved
 * `draft → validated → deploying` in the deploying admin's name, the admin made its owner, the
 * draft linked to it. A draft already linked (a deploy that stopped, resumed now) keeps its
 * campaign and state.
 */
export async function beginDraftDeploy(
  ctx: Ctx,
  p: AdminPrincipal,
  input: { slug: string; definition: CampaignDefinition; file: string; jobId: string },
): Promise<{ campaignId: number; resumed: boolean }> {
  const { slug, definition } = input;
  const row = await draftRow(ctx.db, slug);
  if (row.campaignId !== null) {
    const { state } = await campaignLifecycle(ctx.db, row.campaignId);
    if (state !== "deploying")
      throw new DomainError("campaign_exists", `draft ${slug} is campaign in state ${state}`, {
        slug,
        state,
      });
    await writeAudit(ctx.db, {
      actor: p.actor,
      action: "campaign_draft.deploy_resumed",
      subjectType: "campaign_draft",
      subjectId: slug,
      campaignId: row.campaignId,
      before: { state },
      after: { state },
      details: { by: "console", job: input.jobId },
      at: ctx.now(),
    });
    return { campaignId: row.campaignId, resumed: true };
  }
  await syncCampaigns(ctx.db, [{ file: input.file, definition, hash: hashDefinition(definition) }]);
  const [created] = await ctx.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(eq(campaigns.slug, slug));
  const campaignId = created!.id;
  // The deploying admin may deploy somewhere (checked by the caller); the new campaign has no
  // roles yet, so its moves are made with the system's rights in the admin's name.
  const as = systemAdmin(p.actor);
  const details = { by: "console", job: input.jobId };
  await transitionCampaign(ctx, as, campaignId, "validate", details);
  await transitionCampaign(ctx, as, campaignId, "deploy", details);
  if (p.memberId !== null && !p.superAdmin)
    await grantRole(ctx, as, { campaignId, memberId: p.memberId, role: "owner" });
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(campaignDrafts).set({ campaignId }).where(eq(campaignDrafts.slug, slug));
    await writeAudit(tx, {
      actor: p.actor,
      action: "campaign_draft.deploying",
      subjectType: "campaign_draft",
      subjectId: slug,
      campaignId,
      before: { campaignId: null },
      after: { campaignId, state: "deploying" },
      details,
      at: now,
    });
  });
  return { campaignId, resumed: false };
}

/**
 * After the deploy command wrote the deployment file: it must load; the campaign goes
 * `deploying → active` in the admin's name and joins this process's registry (other processes
 * reload theirs when the registry's change counter moves, registrySync.ts).
 */
export async function finishDraftDeploy(
  ctx: Ctx,
  p: AdminPrincipal,
  input: {
    slug: string;
    definition: CampaignDefinition;
    campaignId: number;
    deploymentsDir: string;
    chainId: number;
    jobId: string;
  },
): Promise<Campaign> {
  const { definition } = input;
  const loaded = await loadDeployment(
    input.deploymentsDir,
    input.chainId,
    definition.slug,
    definition.onchainId,
  );
  if (loaded.status !== "ok")
    throw new DomainError(
      "not_found",
      `the deployment of ${definition.slug} on chain ${input.chainId} did not load${
        loaded.status === "invalid" ? `: ${loaded.error}` : ""
      }`,
      { slug: definition.slug },
    );
  const { state } = await campaignLifecycle(ctx.db, input.campaignId);
  if (state === "deploying")
    await transitionCampaign(ctx, systemAdmin(p.actor), input.campaignId, "activate", {
      by: "console",
      job: input.jobId,
    });
  const campaign: Campaign = {
    id: input.campaignId,
    slug: definition.slug,
    definition,
    rules: compileCampaign(definition),
    version: 1,
    deployment: loaded.deployment,
  };
  // A reload (registrySync.ts) may have added it already, from the same rows.
  if (ctx.campaigns.byId(campaign.id)) ctx.campaigns.replace(campaign);
  else ctx.campaigns.add(campaign);
  ctx.campaigns.changed({ added: [campaign.slug], switched: [], deployed: [campaign.slug] });
  return campaign;
}
