/**
 * The invited member's side of a referral (issue 14, "the invited member's first screen"):
 * who invited them in a campaign, what each of the two gets, and where the invitation stands
 * on the way to counting (the campaign's qualifying action as a short checklist).
 *
 * Read on demand by the dashboard (GET /api/me/invitation), never on the profile's hot path.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";
import type { ReferralStatus } from "../db/schema.ts";
import type { Campaign } from "./registry.ts";
import { assignVariant, BPS, levelBases } from "./rules.ts";
import { memberStats } from "./stats.ts";

export interface InvitationStep {
  id: "joined" | "wallet" | "challenge" | "partner" | "hold" | "counted";
  done: boolean;
}

export interface Invitation {
  /** The inviter's first name (or @username); null when they have neither. */
  referrerName: string | null;
  status: ReferralStatus;
  attributedAt: Date;
  qualifiedAt: Date | null;
  /** What the invited member gets on joining (the campaign's welcome bonus), if any. */
  welcome: { token: string; amount: bigint } | null;
  /** What the inviter gets when the invitation counts: level 1 at the inviter's variant and tier. */
  referrerReward: { token: string; amount: bigint } | null;
  /** The qualifying action in order, each done or not. */
  steps: InvitationStep[];
  /** For `hold` qualification: the hours to stay. */
  holdHours: number | null;
  /** For `challenge` qualification: the challenge's id. */
  challengeId: string | null;
}

/** The member's invitation in `campaign`, or null when nobody invited them there. */
export async function invitationOf(
  db: Db,
  campaign: Campaign,
  member: { id: number; wallet: string | null },
): Promise<Invitation | null> {
  const [row] = await queryRows<{
    referrer_id: string | number;
    first_name: string | null;
    username: string | null;
    status: ReferralStatus;
    attributed_at: Date | string;
    qualified_at: Date | string | null;
  }>(
    db,
    sql`select r.referrer_id, m.first_name, m.username, r.status, r.attributed_at, r.qualified_at
        from referrals r join members m on m.id = r.referrer_id
        where r.referee_id = ${member.id} and r.campaign_id = ${campaign.id}`,
  );
  if (!row) return null;
  const referrerId = Number(row.referrer_id);
  const rules = campaign.rules;
  const first = levelBases(rules, assignVariant(rules, referrerId)).find((l) => l.level === 1);
  const tier = first ? (await memberStats(db, campaign, referrerId)).tier.current : null;
  const counted = row.status === "qualified";
  const q = rules.qualification;
  const action: InvitationStep["id"] =
    q.type === "wallet_linked"
      ? "wallet"
      : q.type === "challenge"
        ? "challenge"
        : q.type === "partner_event"
          ? "partner"
          : "hold";
  return {
    referrerName: row.first_name ?? (row.username ? `@${row.username}` : null),
    status: row.status,
    attributedAt: new Date(row.attributed_at),
    qualifiedAt: row.qualified_at === null ? null : new Date(row.qualified_at),
    welcome: rules.welcomeBonus ?? null,
    referrerReward:
      first && tier
        ? { token: first.token, amount: (first.base * BigInt(tier.multiplierBps)) / BPS }
        : null,
    steps: [
      { id: "joined", done: true },
      { id: action, done: counted || (action === "wallet" && member.wallet !== null) },
      { id: "counted", done: counted },
    ],
    holdHours: q.type === "hold" ? q.hours : null,
    challengeId: q.type === "challenge" ? q.challengeId : null,
  };
}
