/**
 * Campaign rule versions: the only code that writes `campaign_versions` (schema/versions.ts).
 *
 * A campaign's rules change while it runs. Each content of its campaign file is a version,
 * numbered per campaign, identified by the SHA-256 of its rules document (the definition as
 * canonical JSON, campaign.ts `rulesDocument`), which anyone can fetch at
 * `/rules/<slug>/<hash>.json` and compare with the hash the campaign's contract logged.
 *
 * - **Version 1** is recorded by the start-up sync ({@link startupRules}): the campaign file of
 *   a new campaign, or, for a campaign registered before versions existed, the definition its
 *   database row held (what its ledger entries were earned under). It is in effect from the
 *   start; the command may publish it on-chain later.
 * - **Later versions are never made at start-up.** A changed file is reported (`onWarning`)
 *   and the service keeps running the version in effect: `npm run campaign:version -- <file>`
 *   creates the version ({@link prepareVersion}), applies its on-chain changes and publishes it
 *   with `ReferralPayouts.updateRules` (server/chain/versions.ts, recording each send with
 *   {@link recordVersionAction}); it **takes effect at the block of its `RulesPublished` log**,
 *   which the indexer hands to {@link rulesPublished}. That also updates the campaign's row
 *   and token budgets and tells the campaign's members (`rules_changed`); a reorg takes it
 *   back ({@link rulesRewound}).
 * - Running processes pick the version in effect up with {@link refreshCampaignVersions}
 *   (the maintenance pass); grants record the version whose rules computed them
 *   (`ledger_entries.rules_version`).
 */
import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import {
  type CampaignVersionRow,
  campaignVersions,
  type VersionAction,
} from "../db/schema/versions.ts";
import { campaigns, campaignTokens } from "../db/schema.ts";
import { type AuditRecord, writeAudit } from "./audit.ts";
import {
  type CampaignDefinition,
  CampaignFileError,
  compileCampaign,
  parseCampaignDefinition,
  rulesDocument,
} from "./campaign.ts";
import type { Actor, DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { enqueueNotifications } from "./notifications.ts";
import { bumpRegistry } from "./registryVersion.ts";
import { diffRules, memberChanges, type RulesChange } from "./rulesDiff.ts";

export type { VersionAction };

/** `0x` + the SHA-256 of a rules document: the on-chain `bytes32`. */
export function documentHash(document: string): `0x${string}` {
  return `0x${createHash("sha256").update(document).digest("hex")}`;
}

/** The public path of a rules document (its URL is the service's public URL + this). */
export function rulesDocumentPath(slug: string, hash: string): string {
  return `/rules/${slug}/${hash.replace(/^0x/, "")}.json`;
}

/** A stored document back to its definition (checked again: the schema may have moved on). */
export function definitionOf(document: string, source: string): CampaignDefinition {
  try {
    return parseCampaignDefinition(JSON.parse(document), source);
  } catch (error) {
    const detail = error instanceof CampaignFileError ? error.message : String(error);
    throw new DomainError("rules_invalid", detail, { source });
  }
}

/** What the start-up sync runs a campaign with. */
export interface StartupRules {
  definition: CampaignDefinition;
  /** Its version (1 for a campaign new to this database). */
  version: number;
  /** Set when the file is not the version in effect: what to tell the operator. */
  fileDiffers?: { fileHash: string; pendingVersion?: number };
}

/**
 * The rules a campaign runs with at start-up: the newest version in effect, never the file
 * when it differs (a new version is made by `npm run campaign:version`, not by a restart).
 * Version 1 is recorded by {@link recordFirstVersion} once the campaign row exists.
 */
export async function startupRules(
  tx: Db,
  slug: string,
  file: CampaignDefinition,
): Promise<StartupRules> {
  const [row] = await tx
    .select({ id: campaigns.id, definition: campaigns.definition })
    .from(campaigns)
    .where(eq(campaigns.slug, slug));
  if (!row) return { definition: file, version: 1 };
  const [current] = await tx
    .select({ version: campaignVersions.version, document: campaignVersions.document })
    .from(campaignVersions)
    .where(and(eq(campaignVersions.campaignId, row.id), eq(campaignVersions.status, "effective")))
    .orderBy(desc(campaignVersions.version))
    .limit(1);
  // Registered before versions: its rows were earned under what the database held.
  const definition = current
    ? definitionOf(current.document, `${slug} version ${current.version}`)
    : parseCampaignDefinition(row.definition, `${slug} (database)`);
  const result: StartupRules = { definition, version: current?.version ?? 1 };
  const fileHash = documentHash(rulesDocument(file));
  if (fileHash !== documentHash(rulesDocument(definition))) {
    const [pending] = await tx
      .select({ version: campaignVersions.version })
      .from(campaignVersions)
      .where(
        and(
          eq(campaignVersions.campaignId, row.id),
          eq(campaignVersions.status, "pending"),
          eq(campaignVersions.hash, fileHash),
        ),
      );
    result.fileDiffers = { fileHash, pendingVersion: pending?.version };
  }
  return result;
}

/** The start-up warning for a file that is not the version in effect. */
export function fileDiffersMessage(file: string, rules: StartupRules): string | undefined {
  const d = rules.fileDiffers;
  if (!d) return undefined;
  return d.pendingVersion !== undefined
    ? `${file} is version ${d.pendingVersion}, which has not taken effect yet: running version ${rules.version}; \`npm run campaign:version -- ${file}\` finishes publishing it`
    : `${file} differs from rules version ${rules.version} in effect: running version ${rules.version}; \`npm run campaign:version -- ${file} --dry-run\` shows the difference, without --dry-run it makes the file version ${rules.version + 1}`;
}

/**
 * Records version 1 of a campaign (in effect since the campaign was registered) when it has
 * no version yet; two processes starting together write it once.
 */
export async function recordFirstVersion(
  tx: Db,
  campaignId: number,
  definition: CampaignDefinition,
): Promise<void> {
  const document = rulesDocument(definition);
  await tx
    .insert(campaignVersions)
    .values({
      campaignId,
      version: 1,
      hash: documentHash(document),
      document,
      status: "effective",
      createdBy: "startup",
      effectiveAt: sql`(select created_at from campaigns where id = ${campaignId})`,
    })
    .onConflictDoNothing();
}

// ---- the command (scripts/campaign-version.ts, through server/chain/versions.ts) -------------

export interface VersionInfo {
  version: number;
  hash: string;
  document: string;
  rulesUrl: string | null;
  status: CampaignVersionRow["status"];
  actions: VersionAction[];
  createdAt: Date;
  effectiveAt: Date | null;
  blockNumber: number | null;
  txHash: string | null;
}

export interface VersionState {
  campaignId: number;
  /** The newest version in effect. */
  effective: VersionInfo;
  /** A version created but not in effect yet (being applied), if any. */
  pending: VersionInfo | null;
  /** The number a new version gets. */
  nextVersion: number;
}

/**
 * The number {@link prepareVersion} gives `hash` (the command plans the version's
 * `updateRules` call with it), or `undefined` when those rules are in effect and on-chain.
 */
export function versionFor(state: VersionState, hash: string): number | undefined {
  if (state.pending) return state.pending.version;
  if (state.effective.hash === hash)
    return state.effective.blockNumber === null ? state.effective.version : undefined;
  return state.nextVersion;
}

const info = (r: CampaignVersionRow): VersionInfo => ({
  version: r.version,
  hash: r.hash,
  document: r.document,
  rulesUrl: r.rulesUrl,
  status: r.status,
  actions: r.actions,
  createdAt: r.createdAt,
  effectiveAt: r.effectiveAt,
  blockNumber: r.blockNumber,
  txHash: r.txHash,
});

export async function versionState(db: Db, campaignId: number): Promise<VersionState> {
  const rows = await db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, campaignId))
    .orderBy(desc(campaignVersions.version));
  const effective = rows.find((r) => r.status === "effective");
  if (!effective)
    throw new DomainError("not_found", `campaign ${campaignId} has no rules version yet`, {
      campaignId,
    });
  const pending = rows.find((r) => r.status === "pending" && r.version > effective.version);
  return {
    campaignId,
    effective: info(effective),
    pending: pending ? info(pending) : null,
    nextVersion: (rows[0]?.version ?? 0) + 1,
  };
}

export interface PrepareVersionInput {
  campaignId: number;
  /** The number the command planned with ({@link versionFor}); refused when it moved on. */
  version: number;
  document: string;
  rulesUrl: string;
  /** The on-chain changes, in order, the last one publishing the version. */
  actions: VersionAction[];
  /** Who runs the command: `system` from the command line, the operator token through the API. */
  createdBy: Actor;
  /**
   * The admin action this version makes (the admin API's perk changes), audited with its
   * before and after in the version's transaction: written with the version, never without.
   */
  audit?: Omit<AuditRecord, "actor" | "campaignId" | "at">;
}

export interface PreparedVersion {
  version: number;
  /** `resumed`: the same document was being applied; its recorded actions go on. */
  outcome: "created" | "replaced" | "resumed" | "publishing-effective";
  rulesUrl: string;
  actions: VersionAction[];
}

/**
 * Makes `document` the version the command applies, idempotently:
 * - the version in effect itself, not yet on-chain: it is published as it is (the actions
 *   given are kept on it);
 * - a pending version with the same document: resumed with its recorded actions (a command
 *   interrupted half-way goes on where it stopped);
 * - a pending version with another document and nothing sent yet: replaced (same number);
 *   with something sent: refused (`rules_version_pending`), finish that one first;
 * - otherwise a new pending version, numbered after the newest.
 */
export async function prepareVersion(db: Db, input: PrepareVersionInput): Promise<PreparedVersion> {
  const definition = definitionOf(input.document, "the new rules");
  const document = rulesDocument(definition);
  if (document !== input.document)
    throw new DomainError("rules_invalid", "the rules document is not in canonical form", {});
  const hash = documentHash(document);
  return db.transaction(async (tx) => {
    const prepared = await prepareInTx(tx, input, document, hash);
    // A new or replaced version is an admin's change of the campaign: audited with it.
    if (prepared.outcome !== "resumed")
      await writeAudit(tx, {
        actor: input.createdBy,
        action: "campaign.rules_version",
        subjectType: "campaign",
        subjectId: input.campaignId,
        details: {
          version: prepared.version,
          outcome: prepared.outcome,
          after: { hash, rulesUrl: prepared.rulesUrl, actions: prepared.actions.map((a) => a.key) },
        },
      });
    if (input.audit && prepared.outcome !== "resumed")
      await writeAudit(tx, {
        ...input.audit,
        actor: input.createdBy,
        campaignId: input.campaignId,
        details: { ...input.audit.details, version: prepared.version, outcome: prepared.outcome },
      });
    return prepared;
  });
}

async function prepareInTx(
  tx: Db,
  input: PrepareVersionInput,
  document: string,
  hash: string,
): Promise<PreparedVersion> {
  // One command at a time per campaign. NO KEY UPDATE leaves grants (which only reference
  // the row) alone.
  const [campaign] = await tx
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(eq(campaigns.id, input.campaignId))
    .for("no key update");
  if (!campaign) throw new DomainError("campaign_not_found", `no campaign ${input.campaignId}`);
  const state = await versionState(tx, input.campaignId);
  const expected = versionFor(state, hash);
  if (expected !== input.version)
    throw new DomainError(
      "rules_version_pending",
      expected === undefined
        ? "these rules are the version in effect, already published"
        : `the rules were planned as version ${input.version} but would be version ${expected} now (another run?): plan again`,
      { version: expected ?? null },
    );
  if (state.pending) {
    const p = state.pending;
    if (p.hash === hash) {
      // Resumed: what was sent stays as recorded; the rest is as planned now from the chain.
      const actions = mergeActions(p.actions, input.actions);
      const published = actions.some((a) => a.key === "rules" && a.status !== "planned");
      const rulesUrl = published ? (p.rulesUrl ?? input.rulesUrl) : input.rulesUrl;
      await tx
        .update(campaignVersions)
        .set({ actions, rulesUrl })
        .where(
          and(
            eq(campaignVersions.campaignId, input.campaignId),
            eq(campaignVersions.version, p.version),
          ),
        );
      return {
        version: p.version,
        outcome: "resumed",
        rulesUrl,
        actions,
      };
    }
    const started = p.actions.filter((a) => a.status !== "planned");
    if (started.length > 0)
      throw new DomainError(
        "rules_version_pending",
        `version ${p.version} (${p.hash}) is half applied (${started.map((a) => a.key).join(", ")} sent): run the command with its file to finish it first`,
        { version: p.version, hash: p.hash },
      );
    await tx
      .update(campaignVersions)
      .set({
        hash,
        document,
        rulesUrl: input.rulesUrl,
        actions: input.actions,
        createdBy: input.createdBy,
        createdAt: sql`now()`,
      })
      .where(
        and(
          eq(campaignVersions.campaignId, input.campaignId),
          eq(campaignVersions.version, p.version),
        ),
      );
    return {
      version: p.version,
      outcome: "replaced",
      rulesUrl: input.rulesUrl,
      actions: input.actions,
    };
  }
  const e = state.effective;
  if (e.hash === hash) {
    const sent = e.actions.some((a) => a.status !== "planned");
    const rulesUrl = (sent ? e.rulesUrl : null) ?? input.rulesUrl;
    const actions = mergeActions(e.actions, input.actions);
    await tx
      .update(campaignVersions)
      .set({ rulesUrl, actions })
      .where(
        and(
          eq(campaignVersions.campaignId, input.campaignId),
          eq(campaignVersions.version, e.version),
        ),
      );
    return { version: e.version, outcome: "publishing-effective", rulesUrl, actions };
  }
  const [top] = await queryRows<{ n: number }>(
    tx,
    sql`select coalesce(max(version), 0)::int as n from campaign_versions where campaign_id = ${input.campaignId}`,
  );
  const version = Number(top?.n ?? 0) + 1;
  await tx.insert(campaignVersions).values({
    campaignId: input.campaignId,
    version,
    hash,
    document,
    rulesUrl: input.rulesUrl,
    status: "pending",
    createdBy: input.createdBy,
    actions: input.actions,
  });
  return { version, outcome: "created", rulesUrl: input.rulesUrl, actions: input.actions };
}

/**
 * A resumed version's actions: those sent or done as recorded (an interrupted run's), then the
 * fresh plan's others (a plan made now from the chain lists only what is left).
 */
function mergeActions(recorded: VersionAction[], fresh: VersionAction[]): VersionAction[] {
  const started = new Map(
    recorded.filter((a) => a.status !== "planned").map((a) => [a.key, a] as const),
  );
  const freshKeys = new Set(fresh.map((a) => a.key));
  return [
    ...[...started.values()].filter((a) => !freshKeys.has(a.key)),
    ...fresh.map((a) => started.get(a.key) ?? a),
  ];
}

/**
 * Records the progress of one of a version's on-chain actions: `sent` with its transaction
 * hash before the transaction is broadcast (so an interrupted command knows what may be in
 * flight), `done` once it is mined.
 */
export async function recordVersionAction(
  db: Db,
  input: {
    campaignId: number;
    version: number;
    key: string;
    status: VersionAction["status"];
    txHash: string | null;
  },
): Promise<VersionAction[]> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ actions: campaignVersions.actions })
      .from(campaignVersions)
      .where(
        and(
          eq(campaignVersions.campaignId, input.campaignId),
          eq(campaignVersions.version, input.version),
        ),
      )
      .for("update");
    if (!row)
      throw new DomainError("not_found", `no version ${input.version} of ${input.campaignId}`);
    if (!row.actions.some((a) => a.key === input.key))
      throw new DomainError("not_found", `version ${input.version} has no action ${input.key}`);
    const actions = row.actions.map((a) =>
      a.key === input.key ? { ...a, status: input.status, txHash: input.txHash } : a,
    );
    await tx
      .update(campaignVersions)
      .set({ actions })
      .where(
        and(
          eq(campaignVersions.campaignId, input.campaignId),
          eq(campaignVersions.version, input.version),
        ),
      );
    return actions;
  });
}

// ---- the indexer ------------------------------------------------------------------------------

export interface RulesPublishedLog {
  campaignId: number;
  version: number;
  /** `0x` + 64 lower-case hex digits. */
  hash: string;
  uri: string;
  blockNumber: number;
  blockTime: Date;
  txHash: string;
}

export type RulesPublishedOutcome =
  /** The version took effect at this block. */
  | "effective"
  /** Recorded on a version already in effect (version 1, or a re-read). */
  | "recorded"
  /** No such version here (published by someone else): nothing changes. */
  | "unknown"
  /** The hash on-chain is not our version's: nothing changes (the indexer alerts). */
  | "mismatch";

/**
 * A `RulesPublished` log, in the indexer's range transaction: the version takes effect at the
 * block's time, the campaign row and its token budgets follow the newest version in effect,
 * and the campaign's members are told what changed for them.
 */
export async function rulesPublished(
  tx: Db,
  log: RulesPublishedLog,
): Promise<RulesPublishedOutcome> {
  const [row] = await tx
    .select()
    .from(campaignVersions)
    .where(
      and(
        eq(campaignVersions.campaignId, log.campaignId),
        eq(campaignVersions.version, log.version),
      ),
    )
    .for("update");
  if (!row) return "unknown";
  if (row.hash.toLowerCase() !== log.hash.toLowerCase()) return "mismatch";
  const becomesEffective = row.status === "pending";
  await tx
    .update(campaignVersions)
    .set({
      blockNumber: log.blockNumber,
      txHash: log.txHash,
      rulesUrl: log.uri,
      ...(becomesEffective ? { status: "effective" as const, effectiveAt: log.blockTime } : {}),
    })
    .where(
      and(
        eq(campaignVersions.campaignId, log.campaignId),
        eq(campaignVersions.version, log.version),
      ),
    );
  if (!becomesEffective) return "recorded";
  // Every process switches to it at its next registry check (registrySync.ts).
  await bumpRegistry(tx);
  const newest = await applyNewestVersion(tx, log.campaignId);
  if (newest?.version === log.version) await announceVersion(tx, log.campaignId, log.version);
  return "effective";
}

/**
 * A reorg took the blocks above `forkBlock` away: versions that took effect there are
 * pending again (version 1 stays in effect: it was from the start), and the campaigns
 * follow their newest version still in effect. Notifications already sent stay sent.
 */
export async function rulesRewound(tx: Db, forkBlock: number): Promise<number> {
  const gone = await queryRows<{ campaign_id: number }>(
    tx,
    sql`update campaign_versions set
          status = case when version = 1 then status else 'pending' end,
          effective_at = case when version = 1 then effective_at else null end,
          block_number = null, tx_hash = null
        where block_number > ${forkBlock}
        returning campaign_id`,
  );
  for (const id of new Set(gone.map((g) => Number(g.campaign_id))))
    await applyNewestVersion(tx, id);
  if (gone.length > 0) await bumpRegistry(tx);
  return gone.length;
}

/** Makes the campaign row and its budgets those of its newest version in effect. */
async function applyNewestVersion(
  tx: Db,
  campaignId: number,
): Promise<{ version: number } | undefined> {
  const [newest] = await tx
    .select({ version: campaignVersions.version, document: campaignVersions.document })
    .from(campaignVersions)
    .where(
      and(eq(campaignVersions.campaignId, campaignId), eq(campaignVersions.status, "effective")),
    )
    .orderBy(desc(campaignVersions.version))
    .limit(1);
  if (!newest) return undefined;
  const definition = definitionOf(newest.document, `campaign ${campaignId} v${newest.version}`);
  const hash = documentHash(newest.document).slice(2);
  await tx
    .update(campaigns)
    .set({
      definition,
      definitionHash: hash,
      updatedAt: sql`case when ${campaigns.definitionHash} = ${hash} then ${campaigns.updatedAt} else now() end`,
    })
    .where(eq(campaigns.id, campaignId));
  // Budget rows in symbol order, the order grants lock them in (ledger.ts lockBudgets).
  const rules = compileCampaign(definition);
  for (const t of [...rules.tokens.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1)))
    await tx
      .insert(campaignTokens)
      .values({ campaignId, symbol: t.symbol, decimals: t.decimals, budget: t.budget })
      .onConflictDoUpdate({
        target: [campaignTokens.campaignId, campaignTokens.symbol],
        set: { budget: t.budget, decimals: t.decimals },
      });
  return { version: newest.version };
}

/**
 * `rules_changed` to every member of the campaign (someone with a referral, either side, or a
 * reward in it; not banned), when the version changes something members see.
 */
async function announceVersion(tx: Db, campaignId: number, version: number): Promise<number> {
  const changes = await versionChanges(tx, campaignId, version);
  if (!changes || memberChanges(changes.changes).length === 0) return 0;
  const audience = await queryRows<{ id: string | number }>(
    tx,
    sql`select m.id from members m
        where m.banned_at is null and (
          exists (select 1 from referrals r where r.campaign_id = ${campaignId}
                  and (r.referrer_id = m.id or r.referee_id = m.id))
          or exists (select 1 from ledger_entries e where e.campaign_id = ${campaignId}
                     and e.member_id = m.id))
        order by m.id`,
  );
  return enqueueNotifications(
    tx,
    audience.map((m) => ({
      memberId: Number(m.id),
      kind: "rules_changed" as const,
      data: { campaignId, version },
      dedupeKey: `rules_changed:${campaignId}:${version}:${m.id}`,
    })),
  );
}

// ---- running processes ------------------------------------------------------------------------

/**
 * Switches this process's campaigns to their newest version in effect (another process's
 * indexer may have recorded it). Returns the campaigns that changed. Cheap when nothing did:
 * one query of version numbers.
 */
export async function refreshCampaignVersions(
  ctx: Pick<DomainContext, "db" | "campaigns">,
): Promise<string[]> {
  const rows = await queryRows<{ campaign_id: number; version: number }>(
    ctx.db,
    sql`select campaign_id, max(version)::int as version from campaign_versions
        where status = 'effective' group by campaign_id`,
  );
  const switched: string[] = [];
  for (const r of rows) {
    const campaign = ctx.campaigns.byId(Number(r.campaign_id));
    if (!campaign || campaign.version === Number(r.version)) continue;
    const [row] = await ctx.db
      .select({ document: campaignVersions.document })
      .from(campaignVersions)
      .where(
        and(
          eq(campaignVersions.campaignId, campaign.id),
          eq(campaignVersions.version, Number(r.version)),
        ),
      );
    if (!row) continue;
    const definition = definitionOf(row.document, `${campaign.slug} version ${r.version}`);
    ctx.campaigns.replace({
      ...campaign,
      definition,
      rules: compileCampaign(definition),
      version: Number(r.version),
    });
    switched.push(campaign.slug);
  }
  return switched;
}

// ---- what members and auditors read -----------------------------------------------------------

export interface VersionView {
  version: number;
  hash: string;
  /** The URL published on-chain (null: not published). */
  rulesUrl: string | null;
  status: CampaignVersionRow["status"];
  createdAt: Date;
  effectiveAt: Date | null;
  blockNumber: number | null;
  txHash: string | null;
  /** What changed from the version before (members' lines only unless `operator`). */
  changes: RulesChange[];
}

/**
 * A campaign's versions, newest first, each with its changes from the one in effect before
 * it. Members (`operator` false) see the versions that took effect and their lines.
 */
export async function listVersions(
  db: Db,
  campaignId: number,
  { operator = false }: { operator?: boolean } = {},
): Promise<VersionView[]> {
  const rows = await db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, campaignId))
    .orderBy(campaignVersions.version);
  const out: VersionView[] = [];
  let previous: CampaignDefinition | undefined;
  for (const r of rows) {
    if (!operator && r.status !== "effective") continue;
    const definition = definitionOf(r.document, `campaign ${campaignId} v${r.version}`);
    const changes = previous ? diffRules(previous, definition) : [];
    out.push({
      version: r.version,
      hash: r.hash,
      rulesUrl: r.rulesUrl,
      status: r.status,
      createdAt: r.createdAt,
      effectiveAt: r.effectiveAt,
      blockNumber: r.blockNumber,
      txHash: r.txHash,
      changes: operator ? changes : memberChanges(changes),
    });
    if (r.status === "effective") previous = definition;
  }
  return out.reverse();
}

/**
 * One version and what changed from the newest version in effect before it (all lines; pick
 * the members' with `memberChanges`). Undefined when there is no such version.
 */
export async function versionChanges(
  db: Db,
  campaignId: number,
  version: number,
): Promise<
  | {
      version: number;
      effectiveAt: Date | null;
      hash: string;
      rulesUrl: string | null;
      changes: RulesChange[];
    }
  | undefined
> {
  const rows = await db
    .select()
    .from(campaignVersions)
    .where(
      and(
        eq(campaignVersions.campaignId, campaignId),
        sql`(${campaignVersions.version} = ${version} or (${campaignVersions.version} < ${version} and ${campaignVersions.status} = 'effective'))`,
      ),
    )
    .orderBy(desc(campaignVersions.version))
    .limit(2);
  const [row, before] = rows;
  if (!row || row.version !== version) return undefined;
  const changes = before
    ? diffRules(
        definitionOf(before.document, `v${before.version}`),
        definitionOf(row.document, `v${row.version}`),
      )
    : [];
  return {
    version: row.version,
    effectiveAt: row.effectiveAt,
    hash: row.hash,
    rulesUrl: row.rulesUrl,
    changes,
  };
}

/** The rules document with this hash (any version of the campaign), exactly as hashed. */
export async function rulesDocumentByHash(
  db: Db,
  campaignId: number,
  hash: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ document: campaignVersions.document })
    .from(campaignVersions)
    .where(
      and(
        eq(campaignVersions.campaignId, campaignId),
        eq(campaignVersions.hash, hash.toLowerCase()),
      ),
    )
    .limit(1);
  return row?.document;
}
