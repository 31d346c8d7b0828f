/**
 * Bulk fixtures for benchmarks and load tests (bench/pipeline.ts seeds 10,000 queued payouts):
 * the rows the referral engine would have left, written by the domain in a few set-based
 * statements, because creating them one by one takes longer than what such a benchmark
 * measures. Never for member input: wallets are linked without a signature check.
 */
import { sql } from "drizzle-orm";
import { getAddress } from "viem";
import { type Db, invalidateReads, jsonRows, queryRows, transaction } from "../db/index.ts";
import type { DomainContext } from "./context.ts";
import { BudgetExceededError } from "./ledger.ts";
import { LEDGER_TRANSITIONS } from "./ledgerTransitions.ts";
import { ensureMembers } from "./members.ts";
import { memberTag, statsTag } from "./readTags.ts";

export interface SeedMember {
  telegramId: number;
  firstName: string;
  /** Linked as a verified SIWE link leaves it (no signature is checked). */
  wallet?: string;
  /** A queued level-1 referral grant for this member, for referring this Telegram user. */
  grant?: { amount: bigint; refereeTelegramId: number };
}

/**
 * Members through {@link ensureMembers} (profile and code as on first sight), their wallets
 * (`member_wallets` and a `linked` wallet event, as `linkWallet` writes them) and one queued
 * grant each in `token` of campaign `campaignId` with exactly the rows `writeGrant` writes:
 * the entry (state `grant` leads to), a budget debit and a member credit posting, the outbox
 * row, and the campaign's budget charged (all or nothing: {@link BudgetExceededError}). Grant
 * idempotency keys are `<keyPrefix>:<member id>`. One transaction; returns the entry ids in
 * the order of `members` (members without a grant left out).
 */
export async function seedQueuedGrants(
  ctx: Pick<DomainContext, "db" | "now">,
  seed: { campaignId: number; token: string; chainId: number; keyPrefix: string },
  list: readonly SeedMember[],
): Promise<number[]> {
  const now = ctx.now();
  return transaction(ctx.db, async (tx: Db) => {
    const made = await ensureMembers(
      { db: tx, now: () => now },
      list.map((m) => ({ id: m.telegramId, firstName: m.firstName })),
    );
    const idOf = new Map(made.map(({ member }) => [member.telegramId, member.id]));
    const wallets = list
      .filter((m) => m.wallet !== undefined)
      .map((m) => ({ member_id: idOf.get(m.telegramId)!, address: getAddress(m.wallet!) }));
    if (wallets.length > 0) {
      await tx.execute(sql`with w as (
          select * from jsonb_to_recordset(${jsonRows(wallets)}) as x(member_id bigint, address text)),
        linked as (
          insert into member_wallets (member_id, address, chain_id, linked_at)
          select member_id, address, ${seed.chainId}, ${now} from w)
        insert into wallet_events (member_id, address, action, created_at)
        select member_id, address, 'linked', ${now} from w`);
      invalidateReads(
        tx,
        wallets.map((w) => memberTag(w.member_id)),
      );
    }
    const grants = list
      .filter((m) => m.grant !== undefined)
      .map((m) => {
        const memberId = idOf.get(m.telegramId)!;
        const refereeId = idOf.get(m.grant!.refereeTelegramId);
        if (refereeId === undefined)
          throw new Error(`referee ${m.grant!.refereeTelegramId} is not among the seeded members`);
        return {
          member_id: memberId,
          referee_id: refereeId,
          amount: m.grant!.amount.toString(),
          key: `${seed.keyPrefix}:${memberId}`,
        };
      });
    if (grants.length === 0) return [];
    const { grant } = LEDGER_TRANSITIONS;
    const rows = await queryRows<{
      id: string | number;
      member_id: string | number;
      charged: boolean;
    }>(
      tx,
      sql`with g as (
          select * from jsonb_to_recordset(${jsonRows(grants)})
            as x(member_id bigint, referee_id bigint, amount numeric, key text)),
        entries as (
          insert into ledger_entries (campaign_id, token, member_id, amount, kind, level,
            referee_id, idempotency_key, state, created_at, pending_at, queued_at)
          select ${seed.campaignId}, ${seed.token}, member_id, amount, 'referral', 1, referee_id,
            key, ${grant.entry.to}, ${now}, ${now}, ${now}
          from g
          returning id, member_id, amount),
        postings as (
          insert into ledger_postings (entry_id, campaign_id, token, account, member_id, side,
            amount, created_at)
          select e.id, ${seed.campaignId}, ${seed.token}, p.account,
            case when p.account = 'member' then e.member_id end, p.side, e.amount, ${now}
          from entries e cross join (values ('budget', 'debit'), ('member', 'credit')) as p(account, side)),
        outbox as (
          insert into payout_outbox (entry_id, campaign_id, token, status, created_at, updated_at,
            next_attempt_at)
          select id, ${seed.campaignId}, ${seed.token}, ${grant.outbox.to}, ${now}, ${now}, ${now}
          from entries),
        charged as (
          update campaign_tokens t set granted = t.granted + (select sum(amount) from g)
          where t.campaign_id = ${seed.campaignId} and t.symbol = ${seed.token}
            and t.granted + (select sum(amount) from g) <= t.budget
          returning 1)
        select e.id, e.member_id, exists (select 1 from charged) as charged
        from entries e`,
    );
    if (!rows[0]?.charged) throw new BudgetExceededError(seed.campaignId, seed.token);
    invalidateReads(
      tx,
      grants.map((g) => statsTag(g.member_id)),
    );
    // Entries come back in no particular order: the ids follow the members' order.
    const entryOf = new Map(rows.map((r) => [Number(r.member_id), Number(r.id)]));
    return grants.map((g) => entryOf.get(g.member_id)!);
  });
}
