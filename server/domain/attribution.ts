/**
 * Attribution: who referred a new member, per campaign. The first valid `/start <code>` (bot)
 * or `start_param` (Mini App) of a new member in a campaign wins there and is never changed;
 * the payload names the campaign (`<code>__<slug>`, codes.ts) or means the default one. Each
 * campaign has its own tree: a member can be referred once in each, by different people.
 * Refused: malformed
 * or unknown codes, codes of banned members, self-referral, loops at any depth, members
 * already attributed, members seen too long ago to count as new (anywhere, or in the campaign
 * when its file says `attribution.newMembersOnly: false`).
 *
 * Attributions are serialised by one transaction-scoped advisory lock: a loop can be
 * closed by two attributions that touch disjoint members (A→B→C→D, then D→A and B→C at
 * once), so per-row locks are not enough. Attribution is a few small statements, so one
 * lock is not a bottleneck at community scale. Under load the bot decides the attributions
 * it handles together in one transaction ({@link attributeMany}): one take of the lock and
 * one commit per batch, each attribution still decided alone and in order.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import {
  bigintArray,
  type Db,
  invalidateReads,
  jsonRows,
  lockKey,
  queryRows,
  transaction,
} from "../db/index.ts";
import { type ReferralRow, referrals } from "../db/schema.ts";
import { announceAttributedMany } from "./announcements.ts";
import { isCampaignActive } from "./campaign.ts";
import { normalizeCode, parseStartPayload } from "./codes.ts";
import type { DomainContext } from "./context.ts";
import { refusalsAmong } from "./eligibility.ts";
import { DomainError, type DomainErrorCode } from "./errors.ts";
import { type ResolvedCode, resolveCodes } from "./members.ts";
import { admissionGuard } from "./pilots.ts";
import { mayAlreadyBeDone, type QualifyOutcome, qualifyIfAlreadyDone } from "./qualification.ts";
import { memberTag, statsTag } from "./readTags.ts";
import { assignVariant } from "./rules.ts";
import { MAX_LEVELS } from "./tree.ts";
import { enqueueWebhookEvents, memberJoinedEvent } from "./webhooks.ts";

const ATTRIBUTION_LOCK = 727_002;

/** `host`: a `/start` in a bot that mounts the grammY plugin (hostApi.ts). */
export type AttributionSource = "start" | "startapp" | "admin" | "chat_invite" | "host";

export interface AttributeInput {
  refereeId: number;
  /** The code, or a start payload `<code>__<slug>` naming the campaign (codes.ts). */
  code: string;
  source: AttributionSource;
  /** Campaign slug; else the one the payload names; else the registry's current campaign. */
  campaign?: string;
  /** Keyed hashes of the referee's IP and device (fraud signals); never raw values. */
  ipHash?: string | null;
  deviceHash?: string | null;
}

export interface AttributeResult {
  referral: ReferralRow;
  /**
   * The code's owner as the batch read them: the bot's welcome names them without reading
   * the member again (one statement per new member, half of bench:bot's on attribution).
   */
  referrer: Pick<ResolvedCode, "firstName" | "username">;
  /** Set when the referee had already done the qualifying action (e.g. linked a wallet). */
  qualification?: QualifyOutcome;
}

type Refusal = {
  refused: DomainErrorCode;
  message: string;
  details?: Record<string, unknown>;
};

/**
 * Records the attribution or throws a {@link DomainError} saying why not: {@link attributeMany}
 * of one. A refusal writes nothing, except that an existing member opening someone's link is
 * counted as a start of that link (analytics only).
 */
export async function attribute(
  ctx: DomainContext,
  input: AttributeInput,
): Promise<AttributeResult> {
  const [result] = await attributeMany(ctx, [input]);
  if ("error" in result!) throw result.error;
  return result!.ok;
}

/**
 * The one attribution path (the bot batches the `/start <code>` updates it handles together;
 * `attribute` is a batch of one): each input is decided as if alone and in the order given,
 * but all of them in one transaction under one take of the attribution lock, so the lock
 * changes hands and the database commits once per batch, not once per attribution. Results
 * are in the order of `inputs`: the result, or the error that `attribute` would have thrown.
 * An unexpected failure (not a refusal) rolls the whole batch back and is thrown.
 *
 * One difference from calling `attribute` in a loop: a referee who had already done the
 * qualifying action (a wallet linked before the referral) is qualified after the whole
 * batch is attributed, so the grants above them include uplines attributed in the same
 * batch, as if those updates had arrived first. Updates handled together arrived together;
 * neither order is more true.
 */
export async function attributeMany(
  ctx: DomainContext,
  inputs: readonly AttributeInput[],
): Promise<Array<{ ok: AttributeResult } | { error: unknown }>> {
  const now = ctx.now();
  const isCampaign = (slug: string) => ctx.campaigns.bySlug(slug) !== undefined;
  const parsed = inputs.map((input): AttributeInput => {
    if (input.campaign !== undefined) return input;
    const payload = parseStartPayload(input.code, isCampaign);
    return { ...input, code: payload.code, campaign: payload.campaign };
  });
  // Every code resolved in one read.
  const owners = await resolveCodes(
    ctx.db,
    parsed.map((i) => i.code),
  );
  const prepared = await Promise.all(
    parsed.map((input) =>
      prepareAttribution(ctx, input, now, owners).then(
        (p) => ({ p }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
  const pending = prepared.flatMap((x) => ("p" in x ? [x.p] : []));
  const outcomes = new Map<Prepared, ReferralRow | Refusal>();
  if (pending.length > 0) {
    await transaction(ctx.db, async (tx) => {
      outcomes.clear(); // a retried transaction starts over
      await lockKey(tx, ATTRIBUTION_LOCK);
      const decided = await attributeBatchInTx(ctx, tx, pending, now);
      for (const [i, p] of pending.entries()) outcomes.set(p, decided[i]!);
    });
  }
  // Whether any new referee already qualified is read once for all of them.
  const made = [...outcomes.values()].filter((o): o is ReferralRow => !("refused" in o));
  const maybeDone = made.length > 0 ? await mayAlreadyBeDone(ctx, made) : new Set<number>();
  return Promise.all(
    prepared.map(async (x) => {
      if ("error" in x) return { error: x.error };
      const outcome = outcomes.get(x.p)!;
      try {
        return { ok: await finishAttribution(ctx, x.p, outcome, maybeDone) };
      } catch (error) {
        return { error };
      }
    }),
  );
}

interface Prepared {
  input: AttributeInput;
  code: string;
  owner: ResolvedCode;
  campaign: ReturnType<DomainContext["campaigns"]["resolve"]>;
}

/** The checks that need no lock: the code, its owner, the campaign. Throws the refusals. */
async function prepareAttribution(
  ctx: DomainContext,
  input: AttributeInput,
  now: Date,
  resolved: ReadonlyMap<string, ResolvedCode>,
): Promise<Prepared> {
  const code = normalizeCode(input.code);
  if (code === null) throw new DomainError("invalid_code", "not a referral code");
  const owner = resolved.get(code);
  if (!owner) throw new DomainError("unknown_code", "no member has this code");
  if (owner.banned) throw new DomainError("referrer_banned", "the code's owner is banned");
  if (owner.memberId === input.refereeId)
    throw new DomainError("self_referral", "members cannot refer themselves");
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  return { input, code, owner, campaign };
}

/**
 * Decides and writes a batch of attributions (one `/start` is a batch of one): the database
 * is read once for all of them, each is decided in order against that state plus the
 * attributions accepted before it in the batch, and the writes go out as one statement per
 * table. test/server/domain/attribution.test.ts checks it against a sequential model of the
 * rules on random inputs. The caller holds the attribution lock.
 */
async function attributeBatchInTx(
  ctx: DomainContext,
  tx: Db,
  items: readonly Prepared[],
  now: Date,
): Promise<Array<ReferralRow | Refusal>> {
  const windowStart = new Date(now.getTime() - ctx.attributionWindowHours * 3_600_000);
  const ids = (xs: Iterable<number>) => bigintArray([...new Set(xs)]);
  const referees = new Map(
    (
      await queryRows<{ id: string; banned: boolean; campaigns: string; isNew: boolean }>(
        tx,
        sql`select m.id::text as id, (m.banned_at is not null) as banned,
              coalesce((select json_agg(campaign_id) from referrals where referee_id = m.id), '[]'::json)::text as campaigns,
              (m.first_seen_at >= ${windowStart.toISOString()}::timestamptz) as "isNew"
            from members m where m.id = any(${ids(items.map((p) => p.input.refereeId))})`,
      )
    ).map((r) => [
      Number(r.id),
      { ...r, attributedIn: new Set((JSON.parse(r.campaigns) as unknown[]).map(Number)) },
    ]),
  );
  // Every referral above the codes' owners in the campaign of their code's use, to any depth
  // (a loop at any depth must be found). Keyed `campaign:member`: each campaign has its tree.
  const at = (campaignId: number, memberId: number) => `${campaignId}:${memberId}`;
  const upline = new Map<string, number>();
  for (const e of await queryRows<{ referee: string; referrer: string; campaign: number }>(
    tx,
    sql`with recursive up(referee_id, referrer_id, campaign_id) as (
          select r.referee_id, r.referrer_id, r.campaign_id from referrals r
          join jsonb_to_recordset(${jsonRows(
            items.map((p) => ({ member_id: p.owner.memberId, campaign_id: p.campaign.id })),
          )}) as o(member_id bigint, campaign_id integer)
            on r.referee_id = o.member_id and r.campaign_id = o.campaign_id
          union
          select r.referee_id, r.referrer_id, r.campaign_id from referrals r
          join up on r.referee_id = up.referrer_id and r.campaign_id = up.campaign_id
        )
        select referee_id::text as referee, referrer_id::text as referrer, campaign_id as campaign from up`,
  ))
    upline.set(at(Number(e.campaign), Number(e.referee)), Number(e.referrer));
  // Campaigns that take members known from elsewhere (`attribution.newMembersOnly: false`)
  // count the window from the member's joining that campaign: when they first took part in it.
  const joinedIn = await campaignJoins(
    tx,
    items.filter((p) => !p.campaign.rules.newMembersOnly),
  );
  // The campaign's lifecycle state and its pilot (campaignTransitions.ts, pilots.ts).
  const guard = await admissionGuard(tx, items);

  // The campaigns' participation rules and exclusions, for referees and the codes' owners.
  const barred = await refusalsAmong(
    tx,
    items.flatMap((p) => [
      { campaign: p.campaign, memberId: p.input.refereeId },
      { campaign: p.campaign, memberId: p.owner.memberId },
    ]),
  );

  // Decisions in order. A member attributed earlier in the batch has its referrer in
  // `upline` from then on, so later loop checks and counters see it, as they would in SQL.
  // Every member reached going up from an owner is covered: one referred in the database
  // had its upline read, one referred in this batch has an owner above it, read as well.
  const outcomes: Array<ReferralRow | Refusal | Prepared> = [];
  const startRows: Array<{ p: Prepared; outcome: string }> = [];
  const counters = new Map<string, number>();
  const attributedHere = new Set<string>();
  const aboveOwner = function* (campaignId: number, owner: number) {
    // The tree has no cycles (every attribution that would close one is refused); the visited
    // set only keeps a corrupted table from hanging the process, as UNION does in SQL.
    const seen = new Set<number>();
    for (
      let m: number | undefined = owner, level = 1;
      m !== undefined;
      m = upline.get(at(campaignId, m)), level++
    ) {
      if (seen.has(m)) return;
      seen.add(m);
      yield { member: m, level };
    }
  };
  for (const p of items) {
    const { refereeId } = p.input;
    const owner = p.owner.memberId;
    const campaignId = p.campaign.id;
    const referee = referees.get(refereeId);
    const refuse = (refused: DomainErrorCode, message: string): Refusal => {
      startRows.push({ p, outcome: refused });
      return { refused, message };
    };
    let outcome: Refusal | undefined;
    if (!referee) outcome = { refused: "member_not_found", message: "no such member" };
    else if (referee.banned) outcome = { refused: "member_banned", message: "member is banned" };
    else if (referee.attributedIn.has(campaignId) || attributedHere.has(at(campaignId, refereeId)))
      outcome = refuse("already_attributed", "this member was already referred in this campaign");
    else if (
      p.campaign.rules.newMembersOnly
        ? !referee.isNew
        : (joinedIn.get(at(campaignId, refereeId)) ?? now) < windowStart
    )
      outcome = refuse(
        "not_new_member",
        p.campaign.rules.newMembersOnly
          ? "only new members can be referred"
          : "only members new to this campaign can be referred",
      );
    else if (
      refereeId === owner ||
      [...aboveOwner(campaignId, owner)].some((a) => a.member === refereeId)
    )
      outcome = refuse("referral_loop", "this would make a referral loop");
    else if (!isCampaignActive(p.campaign.rules, now))
      outcome = {
        refused: "campaign_inactive",
        message: "the campaign is not running",
      };
    else if (guard.refusals.has(p)) outcome = guard.refusals.get(p);
    else if (barred.has(`${p.campaign.id}:${refereeId}`))
      outcome = refuse(barred.get(`${p.campaign.id}:${refereeId}`)!, "refused by the campaign");
    else if (barred.get(`${p.campaign.id}:${owner}`) === "member_excluded")
      outcome = refuse("referrer_excluded", "the code's owner is excluded from the campaign");
    if (outcome) {
      outcomes.push(outcome);
      continue;
    }
    // Accepted: the new referral counts as pending for its owner and MAX_LEVELS - 1 above.
    for (const { member, level } of aboveOwner(campaignId, owner)) {
      if (level > MAX_LEVELS) break;
      const key = `${campaignId}:${member}:${level}`;
      counters.set(key, (counters.get(key) ?? 0) + 1);
    }
    upline.set(at(campaignId, refereeId), owner);
    attributedHere.add(at(campaignId, refereeId));
    startRows.push({ p, outcome: "attributed" });
    outcomes.push(p);
  }

  const accepted = outcomes.filter((o): o is Prepared => "input" in o);
  const inserted = new Map<string, ReferralRow>();
  if (accepted.length > 0) {
    const rows = await tx
      .insert(referrals)
      .values(
        accepted.map((p) => ({
          campaignId: p.campaign.id,
          referrerId: p.owner.memberId,
          refereeId: p.input.refereeId,
          code: p.code,
          source: p.input.source,
          variant: assignVariant(p.campaign.rules, p.owner.memberId),
          status: "pending" as const,
          ipHash: p.input.ipHash ?? null,
          deviceHash: p.input.deviceHash ?? null,
          attributedAt: now,
        })),
      )
      .onConflictDoNothing({ target: [referrals.refereeId, referrals.campaignId] })
      .returning();
    for (const row of rows) inserted.set(at(row.campaignId, row.refereeId), row);
  }
  if (inserted.size !== accepted.length) {
    // The lock makes this unreachable; the unique constraint is the last word. Without it
    // the decisions above rest on a state that was not the database's: start over one by one.
    throw new Error("attribution batch raced another writer");
  }

  if (counters.size > 0)
    await tx.execute(sql`insert into referral_counters (campaign_id, member_id, level, status, count)
    select x.campaign_id, x.member_id, x.level, 'pending', x.n
    from jsonb_to_recordset(${jsonRows(
      [...counters].map(([key, n]) => {
        const [campaign, member, level] = key.split(":").map(Number);
        return { campaign_id: campaign, member_id: member, level, n };
      }),
    )}) as x(campaign_id integer, member_id bigint, level smallint, n integer)
    on conflict (member_id, campaign_id, level, status) do update set count = referral_counters.count + excluded.count`);
  await recordStarts(
    tx,
    startRows.map(({ p, outcome }) => ({
      referrerId: p.owner.memberId,
      starterId: p.input.refereeId,
      code: p.code,
      source: p.input.source,
      outcome,
      campaignId: p.campaign.id,
    })),
    now,
  );
  await guard.admitted(tx, accepted);
  await announceAttributedMany(tx, [...inserted.values()]);
  await enqueueWebhookEvents(tx, [...inserted.values()].map(memberJoinedEvent), now);
  // Start counters (the links' owners) and referral counters changed.
  invalidateReads(tx, [
    ...startRows.map(({ p }) => memberTag(p.owner.memberId)),
    ...[...counters.keys()].map((key) => statsTag(Number(key.split(":")[1]))),
    // The referee takes part in one more campaign (memberCampaignIds).
    ...[...inserted.values()].map((r) => statsTag(r.refereeId)),
  ]);
  return outcomes.map((o) =>
    "input" in o ? inserted.get(at(o.campaign.id, o.input.refereeId))! : o,
  );
}

/**
 * When each referee joined each campaign (keyed `campaign:member`; absent: not yet): the first
 * time they took part in it — a referral they made, a reward, a task done, a check-in, terms
 * accepted there. Being referred there is not read: such a referee is refused as already
 * attributed before this matters.
 */
async function campaignJoins(tx: Db, items: readonly Prepared[]): Promise<Map<string, Date>> {
  if (items.length === 0) return new Map();
  const rows = await queryRows<{ member: string; campaign: number; joined: Date | string | null }>(
    tx,
    campaignJoinsQuery(
      items.map((p) => ({ memberId: p.input.refereeId, campaignId: p.campaign.id })),
    ),
  );
  const out = new Map<string, Date>();
  for (const r of rows)
    if (r.joined !== null) out.set(`${r.campaign}:${Number(r.member)}`, new Date(r.joined));
  return out;
}

/**
 * The statement of {@link campaignJoins} (exported for test/server/plans.test.ts): one index
 * probe per member and table, each table read by member and campaign (challenge completions
 * by their `challenge_completions_member_idx`).
 */
export function campaignJoinsQuery(
  pairs: ReadonlyArray<{ memberId: number; campaignId: number }>,
): SQL {
  return sql`select x.member_id::text as member, x.campaign_id as campaign, least(
      (select min(attributed_at) from referrals
        where referrer_id = x.member_id and campaign_id = x.campaign_id),
      (select min(created_at) from ledger_entries
        where member_id = x.member_id and campaign_id = x.campaign_id),
      (select min(completed_at) from challenge_completions
        where member_id = x.member_id and campaign_id = x.campaign_id),
      (select min(at) from checkins
        where member_id = x.member_id and campaign_id = x.campaign_id),
      (select min(accepted_at) from terms_acceptances
        where member_id = x.member_id and campaign_id = x.campaign_id)
    ) as joined
    from jsonb_to_recordset(${jsonRows(
      pairs.map((p) => ({ member_id: p.memberId, campaign_id: p.campaignId })),
    )}) as x(member_id bigint, campaign_id integer)`;
}

async function finishAttribution(
  ctx: DomainContext,
  { code, owner }: Prepared,
  outcome: ReferralRow | Refusal,
  maybeDone: ReadonlySet<number>,
): Promise<AttributeResult> {
  if ("refused" in outcome) {
    throw new DomainError(outcome.refused, outcome.message, { code, ...outcome.details });
  }
  ctx.events?.attributed?.({
    campaignId: outcome.campaignId,
    referralId: outcome.id,
    referrerId: outcome.referrerId,
    refereeId: outcome.refereeId,
  });
  const qualification = maybeDone.has(outcome.id)
    ? await qualifyIfAlreadyDone(ctx, outcome)
    : undefined;
  const referrer = { firstName: owner.firstName, username: owner.username };
  if (!qualification) return { referral: outcome, referrer };
  const [fresh] = await ctx.db.select().from(referrals).where(eq(referrals.id, outcome.id));
  return { referral: fresh ?? outcome, referrer, qualification };
}

/**
 * Records starts of members' links (analytics) in one statement, and each referrer's counter
 * for the starts that are a first (one per referrer and starter; the first in order wins).
 * Exported for test/server/plans.test.ts (its plan must probe members by id).
 */
export async function recordStarts(
  tx: Db,
  starts: ReadonlyArray<{
    referrerId: number;
    starterId: number;
    code: string;
    source: string;
    outcome: string;
    campaignId: number;
  }>,
  now: Date,
): Promise<void> {
  if (starts.length === 0) return;
  // The campaign is named (the one the link was started for), so the analytics trigger
  // does not have to guess it row by row. The owners are also given as an array: joined only
  // to the inserted rows, PostgreSQL scanned every member for each batch.
  await tx.execute(sql`with s as (
      insert into starts (referrer_id, starter_id, code, source, outcome, created_at, campaign_id)
      select (e.v->>'referrer_id')::bigint, (e.v->>'starter_id')::bigint, e.v->>'code',
        e.v->>'source', e.v->>'outcome', ${now.toISOString()}::timestamptz,
        (e.v->>'campaign_id')::integer
      from jsonb_array_elements(${jsonRows(
        starts.map((s) => ({
          referrer_id: s.referrerId,
          starter_id: s.starterId,
          code: s.code,
          source: s.source,
          outcome: s.outcome,
          campaign_id: s.campaignId,
        })),
      )}) with ordinality as e(v, n)
      order by e.n
      on conflict do nothing returning referrer_id)
    update members m set starts = m.starts + c.n
    from (select referrer_id, count(*) as n from s group by referrer_id) c
    where m.id = c.referrer_id
      and m.id = any(${bigintArray([...new Set(starts.map((s) => s.referrerId))])})`);
}

/** The referral that brought `refereeId` into a campaign, if any. */
export async function referralOf(
  db: Db,
  refereeId: number,
  campaignId: number,
): Promise<ReferralRow | undefined> {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.refereeId, refereeId), eq(referrals.campaignId, campaignId)));
  return row;
}

/** Every referral that brought `refereeId` into a campaign, oldest first. */
export async function referralsOf(db: Db, refereeId: number): Promise<ReferralRow[]> {
  return db
    .select()
    .from(referrals)
    .where(eq(referrals.refereeId, refereeId))
    .orderBy(referrals.id);
}
