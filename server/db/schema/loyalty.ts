/**
 * The loyalty layer's own state (part of the one schema, see ../schema.ts; written only by
 * server/domain/badges.ts and server/domain/coupons.ts).
 *
 * `badge_awards` is the badge outbox: one row per (campaign, member, badge), inserted once when
 * the member earns the badge (the unique key makes an award exactly-once however often the
 * sweep or a caller runs), then moved by the transitions of `BADGE_AWARD_TRANSITIONS`: waiting
 * for a wallet, queued, in a mint send, minted (seen on-chain), and for a tier badge left
 * behind, queued for revocation, in a revoke send, revoked.
 *
 * `coupon_pool` holds codes an admin uploaded (CSV) for a campaign's perk; a redemption takes
 * the oldest free one (else a code is generated). `coupon_uses` records each partner request
 * that marked a coupon used, so a retried request answers the same and a replay of another
 * request is refused.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";
import { campaigns, memberIdColumn } from "../schema.ts";

export const BADGE_AWARD_STATUSES = [
  "awaiting_wallet",
  "queued",
  "minting",
  "minted",
  "revoke_queued",
  "revoking",
  "revoked",
] as const;
export type BadgeAwardStatus = (typeof BADGE_AWARD_STATUSES)[number];

export const badgeAwards = pgTable(
  "badge_awards",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    memberId: memberIdColumn(),
    /** The badge's id on the campaign's Badges contract (the campaign file's `badges[].id`). */
    badgeId: integer("badge_id").notNull(),
    /** Why it was earned: `tier:<id>` or an achievement (`first_invite`, `qualified_10`, …). */
    reason: text("reason").notNull(),
    status: text("status", { enum: BADGE_AWARD_STATUSES }).notNull(),
    /** The wallet it is (or was) minted to. */
    account: text("account"),
    /** The mint (or revoke) send carrying it now. */
    sendId: bigint("send_id", { mode: "number" }),
    txHash: text("tx_hash"),
    revokeTxHash: text("revoke_tx_hash"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("badge_awards_once").on(t.campaignId, t.memberId, t.badgeId),
    oneOf("badge_awards_status", t.status, BADGE_AWARD_STATUSES),
    index("badge_awards_open_idx")
      .on(t.status, t.campaignId, t.badgeId)
      .where(sql`${t.status} in ('queued', 'revoke_queued', 'minting', 'revoking')`),
    index("badge_awards_member_idx").on(t.memberId),
    // The indexer finds the award of each mint or burn log by campaign, badge and account
    // (badgeEventsIndexed, badgeEventsRewound): without it, a scan of every award per log.
    index("badge_awards_account_idx").on(t.campaignId, t.badgeId, sql`lower(${t.account})`),
  ],
);

export const couponPool = pgTable(
  "coupon_pool",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** The perk's id in the campaign file. */
    perk: text("perk").notNull(),
    code: text("code").notNull(),
    expiresAt: ts("expires_at"),
    /** The redemption's coupon that took it (null: still free). */
    couponId: bigint("coupon_id", { mode: "number" }),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("coupon_pool_code_once").on(t.campaignId, t.code),
    index("coupon_pool_free_idx").on(t.campaignId, t.perk, t.id).where(sql`${t.couponId} is null`),
  ],
);

export const couponUses = pgTable(
  "coupon_uses",
  {
    partner: text("partner").notNull(),
    requestId: text("request_id").notNull(),
    code: text("code").notNull(),
    /** What the request got: `used` (it marked the coupon) or the refusal's problem code. */
    outcome: text("outcome").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partner, t.requestId] })],
);
