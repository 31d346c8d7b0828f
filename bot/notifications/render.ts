/**
 * Turns a queued notification into the member's message, in their language. The queue row
 * carries member numbers, decimal whole-token amounts and hashes (never Telegram ids or
 * names): names and campaign texts are looked up now, so they are current.
 */

import {
  type CampaignRegistry,
  type Db,
  getMember,
  memberCampaigns,
  memberChanges,
  type NotificationData,
  type NotificationKind,
  versionChanges,
} from "../../server/domain/index.ts";
import { type Explorer, formatDate, formatDecimal, formatMultiplier, txRef } from "../format.ts";
import type { Locale, Translator } from "../i18n.ts";
import { changeLines } from "../rulesChanges.ts";
import { qualificationText } from "../rulesText.ts";

export interface RenderDeps {
  db: Db;
  campaigns: CampaignRegistry;
  translator: Translator;
  explorer?: Explorer;
  /** The clock deciding which campaigns run (for naming them); default: now. */
  now?: () => Date;
}

/** The data of a notification does not fit its kind: it will never render (marked failed). */
export class NotificationDataError extends Error {
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown>) {
    super(message);
    this.name = "NotificationDataError";
    this.details = details;
  }
}

const str = (data: NotificationData, key: string): string => {
  const v = data[key];
  if (typeof v !== "string" || v === "")
    throw new NotificationDataError(`data.${key} must be a non-empty string`, { key, value: v });
  return v;
};
const num = (data: NotificationData, key: string): number => {
  const v = data[key];
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n))
    throw new NotificationDataError(`data.${key} must be an integer`, { key, value: v });
  return n;
};
const decimal = (data: NotificationData, key: string): string => {
  const v = str(data, key);
  if (!/^\d{1,60}(\.\d{1,18})?$/.test(v))
    throw new NotificationDataError(`data.${key} must be a decimal amount`, { key, value: v });
  return v;
};
const symbol = (data: NotificationData, key: string): string => {
  const v = str(data, key);
  if (!/^[A-Z][A-Z0-9]{1,10}$/.test(v))
    throw new NotificationDataError(`data.${key} must be a token symbol`, { key, value: v });
  return v;
};

/**
 * The message for `n`, headed by its campaign's name when the member has several campaigns
 * (`rules_changed` names it in its own text).
 */
export async function renderNotification(
  d: RenderDeps,
  n: { kind: NotificationKind; data: NotificationData; memberId?: number },
  locale: Locale,
): Promise<string> {
  const body = await renderBody(d, n, locale);
  const header = n.kind === "rules_changed" ? undefined : await campaignHeader(d, n, locale);
  return header ? `${header}\n${body}` : body;
}

/** "🎯 Campaign “X”" when the member takes part in several campaigns, else nothing. */
async function campaignHeader(
  d: RenderDeps,
  n: { data: NotificationData; memberId?: number },
  locale: Locale,
): Promise<string | undefined> {
  const id = n.data.campaignId;
  if (n.memberId === undefined || (typeof id !== "number" && typeof id !== "string"))
    return undefined;
  const campaign = d.campaigns.byId(Number(id));
  if (!campaign) return undefined;
  // Cached per member (stats tag): no query for most notifications.
  const mine = await memberCampaigns(
    { db: d.db, campaigns: d.campaigns, now: d.now ?? (() => new Date()) },
    n.memberId,
  );
  if (mine.length <= 1) return undefined;
  return d.translator.t(locale, "notify-campaign", { campaign: campaign.definition.name[locale] });
}

/**
 * One message for several "a friend joined" notifications of one campaign: how many, the
 * first few names, what makes them count. `day` (`YYYY-MM-DD`, the member's calendar day):
 * the daily digest, which names the day (also for a single friend).
 */
export async function renderJoinDigest(
  d: RenderDeps,
  head: { kind: NotificationKind; data: NotificationData; memberId?: number },
  folded: ReadonlyArray<{ refereeId: number }>,
  locale: Locale,
  day?: string,
): Promise<string> {
  const t = d.translator.t;
  const campaign = d.campaigns.byId(num(head.data, "campaignId"));
  if (!campaign)
    throw new NotificationDataError("no campaign", { campaignId: head.data.campaignId });
  const ids = [num(head.data, "refereeId"), ...folded.map((f) => f.refereeId)];
  const shown = ids.slice(0, DIGEST_NAMES);
  const names: string[] = [];
  for (const id of shown) {
    const m = await getMember(d.db, id);
    names.push(m?.firstName ?? m?.username ?? t(locale, "someone"));
  }
  const body = t(locale, day ? "notify-referee-daily" : "notify-referee-digest", {
    count: ids.length,
    names: names.join(", "),
    more: ids.length - shown.length,
    qualification: qualificationText(t, campaign, locale, "friend"),
    // Noon UTC of that day: formatDate writes dates in UTC.
    ...(day ? { date: formatDate(new Date(`${day}T12:00:00Z`), locale) } : {}),
  });
  const header = await campaignHeader(d, head, locale);
  return header ? `${header}\n${body}` : body;
}

/** A digest names this many friends; the rest are counted. */
const DIGEST_NAMES = 3;

async function renderBody(
  d: RenderDeps,
  n: { kind: NotificationKind; data: NotificationData },
  locale: Locale,
): Promise<string> {
  const t = d.translator.t;
  const { data } = n;
  const amountOf = () =>
    `${formatDecimal(decimal(data, "amount"), locale)} ${symbol(data, "token")}`;
  const campaignOf = () => {
    const id = num(data, "campaignId");
    const c = d.campaigns.byId(id);
    if (!c) throw new NotificationDataError(`no campaign ${id}`, { campaignId: id });
    return c;
  };
  const nameOf = async (memberId: number) => {
    const m = await getMember(d.db, memberId);
    return m?.firstName ?? m?.username ?? t(locale, "someone");
  };

  switch (n.kind) {
    case "referee_joined":
      return t(locale, "notify-referee-joined", {
        name: await nameOf(num(data, "refereeId")),
        qualification: qualificationText(t, campaignOf(), locale, "friend"),
      });
    case "referral_qualified": {
      const level = num(data, "level");
      if (level > 1) return t(locale, "notify-qualified-upline", { level, amount: amountOf() });
      const name = await nameOf(num(data, "refereeId"));
      if (data.amount === null || data.amount === undefined)
        return t(locale, "notify-qualified-nothing", { name });
      const key = data.limitedBy ? "notify-qualified-limited" : "notify-qualified";
      return t(locale, key, { name, amount: amountOf() });
    }
    case "reward_paid":
      return t(locale, data.escrow === true ? "notify-reward-paid-escrow" : "notify-reward-paid", {
        amount: amountOf(),
        tx: txRef(d.explorer, txHash(data)),
      });
    case "reward_expiring": {
      const at = new Date(str(data, "expiresAt"));
      if (Number.isNaN(at.getTime()))
        throw new NotificationDataError("data.expiresAt must be a date", { value: data.expiresAt });
      return t(locale, "notify-reward-expiring", {
        amount: amountOf(),
        date: formatDate(at, locale),
      });
    }
    case "tier_reached": {
      const campaign = campaignOf();
      const tierId = str(data, "tierId");
      const tier = campaign.definition.tiers.find((x) => x.id === tierId);
      if (!tier) throw new NotificationDataError(`no tier ${tierId}`, { tierId });
      return t(locale, "notify-tier-reached", {
        tier: tier.name[locale],
        qualified: num(data, "qualified"),
        multiplier: formatMultiplier(tier.multiplierBps, locale),
      });
    }
    case "coupon_issued": {
      const campaign = campaignOf();
      const perkId = num(data, "perkId");
      const perk = campaign.definition.perks[perkId - 1];
      if (!perk) throw new NotificationDataError(`no perk ${perkId}`, { perkId });
      const code = str(data, "code");
      // Codes are letters, digits, - and _ (generated or validated on upload): safe in HTML.
      if (!/^[A-Za-z0-9_-]+$/.test(code))
        throw new NotificationDataError("data.code is not a coupon code", { code });
      const args = { perk: perk.title[locale], code, tx: txRef(d.explorer, txHash(data)) };
      if (data.expiresAt === null || data.expiresAt === undefined)
        return t(locale, "notify-coupon-issued-forever", args);
      return t(locale, "notify-coupon-issued", {
        ...args,
        date: formatDate(new Date(str(data, "expiresAt")), locale),
      });
    }
    case "review_decided": {
      const role = str(data, "role");
      const outcome = str(data, "outcome");
      const other = await nameOf(num(data, role === "referee" ? "referrerId" : "refereeId"));
      if (outcome === "approved")
        return t(locale, "notify-review-approved-referee", { name: other });
      const reason = typeof data.reason === "string" && data.reason !== "" ? data.reason : null;
      const key = role === "referee" ? "notify-review-rejected-referee" : "notify-review-rejected";
      return reason
        ? t(locale, key, { name: other, reason })
        : t(locale, `${key}-no-reason`, { name: other });
    }
    case "friend_reminder":
      return t(locale, "notify-friend-reminder", {
        name: await nameOf(num(data, "referrerId")),
        qualification: qualificationText(t, campaignOf(), locale, "self"),
      });
    case "challenge_revoked": {
      const campaign = campaignOf();
      const id = str(data, "challengeId");
      const challenge = campaign.definition.challenges.find((c) => c.id === id);
      if (!challenge) throw new NotificationDataError(`no challenge ${id}`, { challengeId: id });
      const outcome = str(data, "outcome");
      const args = {
        challenge: challenge.title[locale],
        why: t(locale, str(data, "reason") === "left_chat" ? "revoked-left-chat" : "revoked-admin"),
      };
      if (outcome === "cancelled")
        return t(locale, "notify-challenge-revoked-cancelled", { ...args, amount: amountOf() });
      if (outcome === "clawback")
        return t(locale, "notify-challenge-revoked-clawback", { ...args, amount: amountOf() });
      return t(locale, "notify-challenge-revoked", args);
    }
    case "rules_changed": {
      const campaign = campaignOf();
      const version = num(data, "version");
      const found = await versionChanges(d.db, campaign.id, version);
      if (!found)
        throw new NotificationDataError(`no version ${version}`, { campaignId: campaign.id });
      const changes = memberChanges(found.changes);
      const shown = changeLines(t, changes.slice(0, MAX_CHANGE_LINES), locale);
      return [
        t(locale, "notify-rules-changed", {
          campaign: campaign.definition.name[locale],
          version,
        }),
        ...shown,
        changes.length > shown.length
          ? t(locale, "notify-rules-changed-more", { count: changes.length - shown.length })
          : t(locale, "notify-rules-changed-footer"),
      ].join("\n");
    }
  }
}

/** A notification lists this many changes at most (a message has 4,096 characters). */
const MAX_CHANGE_LINES = 12;

function txHash(data: NotificationData): string {
  const v = str(data, "txHash");
  if (!/^0x[0-9a-fA-F]{64}$/.test(v))
    throw new NotificationDataError("data.txHash must be a transaction hash", { value: v });
  return v;
}
