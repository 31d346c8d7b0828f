/**
 * The difference between two versions of a campaign's rules, as lines a person reads: "level 1:
 * 10 REF → 12 REF", "tier Silver: from 5 → 4 friends", "perk Sticker pack added: 50 REF".
 *
 * Each line names its subject and carries its old and new value as data (an amount with its
 * token, a percentage of a level, a multiplier, a date, a localized title …), so the bot and
 * the dashboard word it in the member's language, and {@link describeChange} words it in
 * English for the command line and the API. `from` null: added; `to` null: removed.
 *
 * Lines are for members (the public rules: amounts, tiers, challenges, perks, dates, caps,
 * budgets) or for the operator only (fraud thresholds, A/B variants, limits, escrow, notes),
 * like `GET /api/campaigns/{slug}`, which shows members everything but the latter.
 */
import type { CampaignDefinition, QualificationRule } from "./campaign.ts";

type Localized = { en: string; ru: string };

/** A value in a rules change. */
export type RulesValue =
  | { type: "amount"; amount: string; token: string }
  | { type: "percent"; percent: number; ofLevel: number }
  | { type: "number"; value: number }
  | { type: "multiplier"; bps: number }
  | { type: "days"; days: number }
  | { type: "date"; at: string }
  | { type: "localized"; text: Localized }
  | { type: "qualification"; rule: QualificationRule }
  | { type: "stock"; stock: number | null }
  | { type: "flag"; value: boolean }
  | { type: "text"; text: string };

export const CHANGE_SUBJECTS = [
  "name",
  "startsAt",
  "endsAt",
  "qualification",
  "level",
  "welcomeBonus",
  "tier",
  "tier.name",
  "tier.minQualified",
  "tier.multiplier",
  "tier.badge",
  "cap.daily",
  "cap.total",
  "expiry",
  "challenge",
  "challenge.title",
  "challenge.reward",
  "perk",
  "perk.title",
  "perk.price",
  "perk.stock",
  "badge",
  "badge.name",
  "badge.transferable",
  "token",
  "token.budget",
  "end.graceHours",
  "end.claimDays",
  "terms.version",
  "terms.url",
  "terms.text",
  "participation.countries",
  "participation.languages",
  "participation.minAge",
  "attribution.newMembersOnly",
  // Operator only from here.
  "token.setting",
  "escrow",
  "fraud",
  "variant",
  "identity",
  "pilot",
] as const;
export type ChangeSubject = (typeof CHANGE_SUBJECTS)[number];

const OPERATOR_ONLY: ReadonlySet<ChangeSubject> = new Set([
  "token.setting",
  "escrow",
  "fraud",
  "variant",
  "identity",
  // Who is let into a pilot (allowlisted ids and usernames) is not the members' business.
  "pilot",
]);

export interface RulesChange {
  subject: ChangeSubject;
  /** Who the line is for: members see the public rules' changes, the operator every change. */
  audience: "members" | "operator";
  /** What the subject is about: a level, a token, a tier, challenge, perk or badge (by name). */
  level?: number;
  token?: string;
  name?: Localized;
  /** The field, for operator lines (`maxBatchAmount`, `burst.maxReferrals`, …). */
  field?: string;
  from: RulesValue | null;
  to: RulesValue | null;
}

/** Key order does not matter (a file's editor may reorder keys); missing and null are alike. */
const canon = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] != null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
};
const same = (a: unknown, b: unknown) => canon(a) === canon(b);

/** Every difference from `before` to `after`, members' lines first in the rules' order. */
export function diffRules(before: CampaignDefinition, after: CampaignDefinition): RulesChange[] {
  const out: RulesChange[] = [];
  const push = (c: Omit<RulesChange, "audience">) =>
    out.push({ ...c, audience: OPERATOR_ONLY.has(c.subject) ? "operator" : "members" });
  const localized = (text: Localized | undefined): RulesValue | null =>
    text ? { type: "localized", text } : null;

  if (!same(before.name, after.name))
    push({ subject: "name", from: localized(before.name), to: localized(after.name) });
  for (const k of ["startsAt", "endsAt"] as const)
    if (!sameInstant(before[k], after[k]))
      push({ subject: k, from: dateValue(before[k]), to: dateValue(after[k]) });
  if (!same(before.qualification, after.qualification))
    push({
      subject: "qualification",
      from: { type: "qualification", rule: before.qualification },
      to: { type: "qualification", rule: after.qualification },
    });

  const levelsBefore = levelValues(before);
  const levelsAfter = levelValues(after);
  for (let level = 1; level <= Math.max(levelsBefore.length, levelsAfter.length); level++) {
    const from = levelsBefore[level - 1] ?? null;
    const to = levelsAfter[level - 1] ?? null;
    if (!same(from, to)) push({ subject: "level", level, from, to });
  }
  const bonus = (d: CampaignDefinition): RulesValue | null =>
    d.welcomeBonus ? amount(d.welcomeBonus.amount, d.welcomeBonus.token) : null;
  if (!same(bonus(before), bonus(after)))
    push({ subject: "welcomeBonus", from: bonus(before), to: bonus(after) });

  byId(before.tiers, after.tiers, (_id, a, b) => {
    const name = (b ?? a)!.name;
    if (!a || !b) {
      const t = (a ?? b)!;
      const v: RulesValue = { type: "number", value: t.minQualified };
      push({ subject: "tier", name, from: a ? v : null, to: b ? v : null });
      return;
    }
    if (!same(a.name, b.name))
      push({ subject: "tier.name", name, from: localized(a.name), to: localized(b.name) });
    if (a.minQualified !== b.minQualified)
      push({
        subject: "tier.minQualified",
        name,
        from: { type: "number", value: a.minQualified },
        to: { type: "number", value: b.minQualified },
      });
    if (a.multiplierBps !== b.multiplierBps)
      push({
        subject: "tier.multiplier",
        name,
        from: { type: "multiplier", bps: a.multiplierBps },
        to: { type: "multiplier", bps: b.multiplierBps },
      });
    if (a.badgeId !== b.badgeId)
      push({
        subject: "tier.badge",
        name,
        from: badgeName(before, a.badgeId),
        to: badgeName(after, b.badgeId),
      });
  });

  for (const [which, subject] of [
    ["perMemberDaily", "cap.daily"],
    ["perMemberTotal", "cap.total"],
  ] as const) {
    const a = before.caps[which];
    const b = after.caps[which];
    for (const token of union(Object.keys(a), Object.keys(b))) {
      if (a[token] === b[token]) continue;
      push({
        subject,
        token,
        from: a[token] === undefined ? null : amount(a[token], token),
        to: b[token] === undefined ? null : amount(b[token], token),
      });
    }
  }
  if (before.expiry?.days !== after.expiry?.days)
    push({
      subject: "expiry",
      from: before.expiry ? { type: "days", days: before.expiry.days } : null,
      to: after.expiry ? { type: "days", days: after.expiry.days } : null,
    });

  byId(before.challenges, after.challenges, (_id, a, b) => {
    const name = (b ?? a)!.title;
    const reward = (c: NonNullable<typeof a>) => amount(c.reward.amount, c.reward.token);
    if (!a || !b) {
      push({ subject: "challenge", name, from: a ? reward(a) : null, to: b ? reward(b) : null });
      return;
    }
    if (!same(a.title, b.title))
      push({ subject: "challenge.title", name, from: localized(a.title), to: localized(b.title) });
    if (!same(reward(a), reward(b)))
      push({ subject: "challenge.reward", name, from: reward(a), to: reward(b) });
  });

  byId(before.perks, after.perks, (_id, a, b) => {
    const name = (b ?? a)!.title;
    const price = (p: NonNullable<typeof a>) => amount(p.price, p.token);
    if (!a || !b) {
      push({ subject: "perk", name, from: a ? price(a) : null, to: b ? price(b) : null });
      return;
    }
    if (!same(a.title, b.title))
      push({ subject: "perk.title", name, from: localized(a.title), to: localized(b.title) });
    if (!same(price(a), price(b)))
      push({ subject: "perk.price", name, from: price(a), to: price(b) });
    if (a.stock !== b.stock)
      push({
        subject: "perk.stock",
        name,
        from: { type: "stock", stock: a.stock },
        to: { type: "stock", stock: b.stock },
      });
  });

  byId(before.badges, after.badges, (_id, a, b) => {
    const name = (b ?? a)!.name;
    if (!a || !b) {
      const flag: RulesValue = { type: "flag", value: (a ?? b)!.transferable };
      push({ subject: "badge", name, from: a ? flag : null, to: b ? flag : null });
      return;
    }
    if (!same(a.name, b.name))
      push({ subject: "badge.name", name, from: localized(a.name), to: localized(b.name) });
    if (a.transferable !== b.transferable)
      push({
        subject: "badge.transferable",
        name,
        from: { type: "flag", value: a.transferable },
        to: { type: "flag", value: b.transferable },
      });
  });

  const tokensBefore = new Map(before.tokens.map((t) => [t.symbol, t]));
  const tokensAfter = new Map(after.tokens.map((t) => [t.symbol, t]));
  for (const symbol of union([...tokensBefore.keys()], [...tokensAfter.keys()])) {
    const a = tokensBefore.get(symbol);
    const b = tokensAfter.get(symbol);
    if (!a || !b) {
      const text = (t: typeof a) => (t ? ({ type: "text", text: t.name } as const) : null);
      push({ subject: "token", token: symbol, from: text(a), to: text(b) });
      continue;
    }
    if (a.budget !== b.budget)
      push({
        subject: "token.budget",
        token: symbol,
        from: amount(a.budget, symbol),
        to: amount(b.budget, symbol),
      });
    for (const field of [
      "name",
      "decimals",
      "cap",
      "external",
      "maxBatch",
      "maxBatchAmount",
      "dailyLimit",
      "limitsNote",
    ] as const) {
      if (same(a[field], b[field])) continue;
      push({
        subject: "token.setting",
        token: symbol,
        field,
        from: textValue(a[field]),
        to: textValue(b[field]),
      });
    }
  }

  // Ending: what an absent `end` means is the compiled default (campaign.ts compileCampaign).
  const end = (d: CampaignDefinition) => ({
    graceHours: d.end?.graceHours ?? 72,
    claimDays: d.end?.claimDays ?? 30,
  });
  if (end(before).graceHours !== end(after).graceHours)
    push({
      subject: "end.graceHours",
      from: { type: "number", value: end(before).graceHours },
      to: { type: "number", value: end(after).graceHours },
    });
  if (end(before).claimDays !== end(after).claimDays)
    push({
      subject: "end.claimDays",
      from: { type: "days", days: end(before).claimDays },
      to: { type: "days", days: end(after).claimDays },
    });

  // Terms: a line per part that changed; absent terms are null (added / removed).
  const ta = before.terms;
  const tb = after.terms;
  if (!same(ta?.version, tb?.version))
    push({ subject: "terms.version", from: textValue(ta?.version), to: textValue(tb?.version) });
  if (!same(ta?.url, tb?.url))
    push({ subject: "terms.url", from: textValue(ta?.url), to: textValue(tb?.url) });
  if (!same(ta?.text, tb?.text))
    push({ subject: "terms.text", from: localized(ta?.text), to: localized(tb?.text) });

  // Participation: null is "no restriction".
  const pa = before.participation;
  const pb = after.participation;
  for (const [field, subject] of [
    ["countries", "participation.countries"],
    ["languages", "participation.languages"],
  ] as const) {
    const list = (v: readonly string[] | undefined): RulesValue | null =>
      v === undefined ? null : { type: "text", text: [...v].sort().join(", ") };
    if (!same(list(pa?.[field]), list(pb?.[field])))
      push({ subject, from: list(pa?.[field]), to: list(pb?.[field]) });
  }
  if (pa?.minAge !== pb?.minAge)
    push({
      subject: "participation.minAge",
      from: pa?.minAge === undefined ? null : { type: "number", value: pa.minAge },
      to: pb?.minAge === undefined ? null : { type: "number", value: pb.minAge },
    });

  // Who can be invited: an absent `attribution` is the default, new members only.
  const newOnly = (d: CampaignDefinition) => d.attribution?.newMembersOnly ?? true;
  if (newOnly(before) !== newOnly(after))
    push({
      subject: "attribution.newMembersOnly",
      from: { type: "flag", value: newOnly(before) },
      to: { type: "flag", value: newOnly(after) },
    });

  // Pilot (operator only): added or removed as a whole, else each field that changed.
  if (!before.pilot !== !after.pilot)
    push({
      subject: "pilot",
      from: before.pilot ? textValue(before.pilot) : null,
      to: after.pilot ? textValue(after.pilot) : null,
    });
  else if (before.pilot && after.pilot)
    for (const [field, a, b] of flatten(before.pilot, after.pilot))
      push({ subject: "pilot", field, from: textValue(a), to: textValue(b) });

  for (const field of ["publishDelayHours", "note"] as const)
    if (!same(before.escrow[field], after.escrow[field]))
      push({
        subject: "escrow",
        field,
        from: textValue(before.escrow[field]),
        to: textValue(after.escrow[field]),
      });
  for (const [field, a, b] of flatten(before.fraud, after.fraud))
    push({ subject: "fraud", field, from: textValue(a), to: textValue(b) });
  byId(before.variants, after.variants, (id, a, b) => {
    if (a && b && same(a, b)) return;
    push({ subject: "variant", field: id, from: textValue(a), to: textValue(b) });
  });
  for (const field of ["slug", "onchainId"] as const)
    if (before[field] !== after[field])
      push({
        subject: "identity",
        field,
        from: textValue(before[field]),
        to: textValue(after[field]),
      });

  return out.sort((x, y) => (x.audience === y.audience ? 0 : x.audience === "members" ? -1 : 1));
}

/** The lines members are told about. */
export function memberChanges(changes: readonly RulesChange[]): RulesChange[] {
  return changes.filter((c) => c.audience === "members");
}

const SUBJECT_WORDS: Record<ChangeSubject, string> = {
  name: "Name",
  startsAt: "Starts",
  endsAt: "Ends",
  qualification: "An invitation counts when the friend",
  level: "Level",
  welcomeBonus: "Welcome bonus",
  tier: "Tier",
  "tier.name": "Tier name",
  "tier.minQualified": "Tier from (friends who counted)",
  "tier.multiplier": "Tier multiplier",
  "tier.badge": "Tier badge",
  "cap.daily": "Daily limit per member",
  "cap.total": "Total limit per member",
  expiry: "Unpaid rewards expire after",
  challenge: "Task",
  "challenge.title": "Task title",
  "challenge.reward": "Task reward",
  perk: "Perk",
  "perk.title": "Perk title",
  "perk.price": "Perk price",
  "perk.stock": "Perk stock",
  badge: "Badge",
  "badge.name": "Badge name",
  "badge.transferable": "Badge transferable",
  token: "Token",
  "token.budget": "Budget",
  "token.setting": "Token setting",
  escrow: "Escrow",
  fraud: "Fraud check",
  variant: "A/B variant",
  identity: "Campaign",
  "end.graceHours": "Hours after the end in which invitations may still count",
  "end.claimDays": "Days to claim rewards after the end",
  "terms.version": "Terms version",
  "terms.url": "Terms link",
  "terms.text": "Terms text",
  "participation.countries": "Open in countries",
  "participation.languages": "Open in languages",
  "participation.minAge": "Minimum age",
  "attribution.newMembersOnly": "Only members new to the community can be invited",
  pilot: "Pilot",
};

/** One change in English, e.g. `Level 1: 10 REF → 12 REF` or `Perk "Mug" added: 30 REF`. */
export function describeChange(c: RulesChange): string {
  const about = [
    c.level !== undefined ? String(c.level) : undefined,
    c.name ? `"${c.name.en}"` : undefined,
    c.token,
    c.field,
  ].filter((x) => x !== undefined);
  const subject = [SUBJECT_WORDS[c.subject], ...about].join(" ");
  if (c.from === null) return `${subject} added: ${valueText(c.to)}`;
  if (c.to === null) return `${subject} removed (was ${valueText(c.from)})`;
  return `${subject}: ${valueText(c.from)} → ${valueText(c.to)}`;
}

/** A value in English (the bot and the dashboard have their own wording per language). */
export function valueText(v: RulesValue | null): string {
  if (v === null) return "none";
  switch (v.type) {
    case "amount":
      return `${v.amount} ${v.token}`;
    case "percent":
      return `${v.percent}% of level ${v.ofLevel}`;
    case "number":
      return String(v.value);
    case "multiplier":
      return `×${v.bps / 10_000}`;
    case "days":
      return `${v.days} days`;
    case "date":
      return v.at;
    case "localized":
      return v.text.en;
    case "qualification":
      return qualificationWords(v.rule);
    case "stock":
      return v.stock === null ? "unlimited" : String(v.stock);
    case "flag":
      return v.value ? "yes" : "no";
    case "text":
      return v.text;
  }
}

function qualificationWords(q: QualificationRule): string {
  switch (q.type) {
    case "wallet_linked":
      return "links a wallet";
    case "challenge":
      return `completes the task ${q.challengeId}`;
    case "partner_event":
      return `is reported by ${q.partner} (${q.eventType})`;
    case "hold":
      return `stays ${q.hours} hours`;
  }
}

const amount = (value: string, token: string): RulesValue => ({
  type: "amount",
  amount: value,
  token,
});

function dateValue(at: string | undefined): RulesValue | null {
  return at === undefined ? null : { type: "date", at: new Date(at).toISOString() };
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b);
}

function textValue(v: unknown): RulesValue | null {
  if (v === undefined || v === null) return null;
  return { type: "text", text: typeof v === "string" ? v : JSON.stringify(v) };
}

/** Each level's reward: a fixed amount in its token (inherited from the level above), or a percentage. */
function levelValues(d: CampaignDefinition): RulesValue[] {
  let token = d.tokens[0]?.symbol ?? "";
  return d.levels.map((l) => {
    if ("amount" in l) {
      token = l.token ?? token;
      return amount(l.amount, token);
    }
    return { type: "percent", percent: l.percent, ofLevel: l.level - 1 };
  });
}

function badgeName(d: CampaignDefinition, id: number | undefined): RulesValue | null {
  if (id === undefined) return null;
  const badge = d.badges.find((b) => b.id === id);
  return badge ? { type: "localized", text: badge.name } : { type: "text", text: `#${id}` };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Calls `each` for every id in either list, in `after`'s order then what `before` alone had. */
function byId<T extends { id: string | number }>(
  before: readonly T[],
  after: readonly T[],
  each: (id: string, a: T | undefined, b: T | undefined) => void,
): void {
  const a = new Map(before.map((x) => [String(x.id), x]));
  const b = new Map(after.map((x) => [String(x.id), x]));
  for (const id of union([...b.keys()], [...a.keys()])) each(id, a.get(id), b.get(id));
}

/** Leaf paths of two objects that differ, e.g. `["burst.maxReferrals", 10, 20]`. */
function flatten(a: unknown, b: unknown, prefix = ""): Array<[string, unknown, unknown]> {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    x !== null && typeof x === "object" && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const out: Array<[string, unknown, unknown]> = [];
    for (const k of union(Object.keys(a), Object.keys(b)))
      out.push(...flatten(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    return out;
  }
  return same(a, b) ? [] : [[prefix, a, b]];
}
