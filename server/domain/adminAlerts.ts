/**
 * Alerts for admins (the bot sends them; the console shows the review count as a badge):
 * invitations that entered review, payouts held by screening, and budgets 80 % spent. Each
 * thing is alerted about once: its key goes into `admin_alerts` in the same statement that
 * picks it, so two bot processes never both send it. Delivery is at most once (a message
 * that fails to send is not retried; the console still shows the queue).
 *
 * Who gets which alert: super-admins (ADMIN_TELEGRAM_IDS) always; role holders of the
 * campaign whose roles allow the matching action (`review.read` for reviews,
 * `payouts.operate` for held payouts, `analytics.read` for budgets).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { campaignRoles, members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import { type AdminAction, CAMPAIGN_ROLES, ROLE_ACTIONS } from "./roles.ts";

/** A budget alert goes out once this share of it has been granted. */
export const BUDGET_ALERT_SHARE = 0.8;

export type AdminAlert =
  | { kind: "review"; campaignId: number; reviewIds: number[] }
  | { kind: "held"; campaignId: number; entryIds: number[] }
  | { kind: "budget"; campaignId: number; token: string; percent: number };

/** The action a role must allow for its holders to get an alert of this kind. */
export const ALERT_ACTION: Record<AdminAlert["kind"], AdminAction> = {
  review: "review.read",
  held: "payouts.operate",
  budget: "analytics.read",
};

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => (r as { rows: Row[] }).rows;

/**
 * Picks what is new since the last call and marks it alerted, in one transaction. The first
 * call alerts about everything open at that moment. The new keys are joined back by the id
 * they hold (`review:<id>`, `held:<entry id>`): joined on the key built from every row,
 * PostgreSQL scanned all review items or the whole payout outbox whenever one was new.
 */
export async function takeAdminAlerts(db: Db, now: Date): Promise<AdminAlert[]> {
  const share = Math.round(BUDGET_ALERT_SHARE * 100);
  return db.transaction(async (tx) => {
    const at = sql`${now.toISOString()}::timestamptz`;
    const review = rowsOf(
      await tx.execute(sql`
        with fresh as (
          insert into admin_alerts (key, created_at)
          select 'review:' || r.id, ${at} from review_items r where r.status = 'open'
          on conflict (key) do nothing
          returning key)
        select r.campaign_id as campaign_id, r.id as id
        from fresh f join review_items r on r.id = split_part(f.key, ':', 2)::bigint
        order by r.id`),
    );
    const held = rowsOf(
      await tx.execute(sql`
        with fresh as (
          insert into admin_alerts (key, created_at)
          select 'held:' || o.entry_id, ${at} from payout_outbox o where o.status = 'held'
          on conflict (key) do nothing
          returning key)
        select o.campaign_id as campaign_id, o.entry_id as id
        from fresh f join payout_outbox o on o.entry_id = split_part(f.key, ':', 2)::bigint
        order by o.entry_id`),
    );
    const budgets = rowsOf(
      await tx.execute(sql`
        with fresh as (
          insert into admin_alerts (key, created_at)
          select 'budget80:' || t.campaign_id || ':' || t.symbol, ${at}
          from campaign_tokens t
          where t.budget > 0 and t.granted * 100 >= t.budget * ${share}
          on conflict (key) do nothing
          returning key)
        select t.campaign_id as campaign_id, t.symbol as symbol,
               floor(t.granted * 100 / t.budget)::int as percent
        from fresh f join campaign_tokens t
          on 'budget80:' || t.campaign_id || ':' || t.symbol = f.key
        order by t.campaign_id, t.symbol`),
    );
    const grouped = (rows: Row[]) => {
      const by = new Map<number, number[]>();
      for (const r of rows) {
        const campaignId = Number(r.campaign_id);
        by.set(campaignId, [...(by.get(campaignId) ?? []), Number(r.id)]);
      }
      return [...by];
    };
    return [
      ...grouped(review).map(
        ([campaignId, reviewIds]): AdminAlert => ({
          kind: "review",
          campaignId,
          reviewIds,
        }),
      ),
      ...grouped(held).map(
        ([campaignId, entryIds]): AdminAlert => ({
          kind: "held",
          campaignId,
          entryIds,
        }),
      ),
      ...budgets.map(
        (r): AdminAlert => ({
          kind: "budget",
          campaignId: Number(r.campaign_id),
          token: String(r.symbol),
          percent: Number(r.percent),
        }),
      ),
    ];
  });
}

export interface AlertRecipient {
  telegramId: number;
  languageCode: string | null;
}

/**
 * Who gets an alert of `kind` about `campaignId`: role holders whose roles allow its action
 * there, and the super-admins (by Telegram id; their language when they are members).
 */
export async function alertRecipients(
  db: Db,
  kind: AdminAlert["kind"],
  campaignId: number,
  superAdminTelegramIds: ReadonlySet<number>,
): Promise<AlertRecipient[]> {
  const action = ALERT_ACTION[kind];
  const roles = CAMPAIGN_ROLES.filter((r) => ROLE_ACTIONS[r].includes(action));
  const holders = rowsOf(
    await db.execute(sql`
      select distinct m.telegram_id as telegram_id, m.language_code as language_code
      from ${campaignRoles} cr join ${members} m on m.id = cr.member_id
      where cr.campaign_id = ${campaignId} and cr.role in ${roles} and m.banned_at is null`),
  );
  const supers = [...superAdminTelegramIds];
  const superRows =
    supers.length === 0
      ? []
      : rowsOf(
          await db.execute(
            sql`select telegram_id, language_code from ${members} where telegram_id in ${supers}`,
          ),
        );
  const out = new Map<number, AlertRecipient>();
  for (const id of supers) out.set(id, { telegramId: id, languageCode: null });
  for (const r of [...superRows, ...holders])
    out.set(Number(r.telegram_id), {
      telegramId: Number(r.telegram_id),
      languageCode: (r.language_code as string | null) ?? null,
    });
  return [...out.values()].sort((a, b) => a.telegramId - b.telegramId);
}

/**
 * Records that a review alert naming members (with their evidence) went out: which items, to
 * how many admins (`review.alerted`, by the system; the recipients' roles allowed it).
 */
export async function recordReviewAlert(
  db: Db,
  a: { campaignId: number; reviewIds: readonly number[]; admins: number; at: Date },
): Promise<void> {
  await writeAudit(db, {
    actor: "system",
    action: "review.alerted",
    subjectType: "review",
    subjectId: a.reviewIds.join(","),
    campaignId: a.campaignId,
    details: { reviewIds: [...a.reviewIds], admins: a.admins },
    at: a.at,
  });
}
