/**
 * A campaign's rules in plain language, generated from the same compiled definition the
 * rules engine computes with (the member's amounts from `memberEarnings`: their A/B variant
 * and tier multiplier; tiers, caps, expiry), so what the bot says is what the engine pays
 * this member. Pure: campaign + earnings + locale in, HTML out.
 */

import type { MemberEarnings } from "../server/domain/earnings.ts";
import type { Campaign } from "../server/domain/registry.ts";
import { formatAmount, formatDate, formatMultiplier, formatPercent, formatWei } from "./format.ts";
import { Html, type Locale, lines, type Translator } from "./i18n.ts";

type T = Translator["t"];

export function campaignName(c: Campaign, locale: Locale): string {
  return c.definition.name[locale];
}

/** "links a wallet" / "привяжет кошелёк": what a referred friend must do. */
export function qualificationText(
  t: T,
  c: Campaign,
  locale: Locale,
  who: "friend" | "self",
): string {
  const q = c.rules.qualification;
  const key = `qual-${who}-${q.type.replaceAll("_", "-")}`;
  switch (q.type) {
    case "challenge": {
      const title = c.definition.challenges.find((ch) => ch.id === q.challengeId)?.title[locale];
      return t(locale, key, { title: title ?? q.challengeId });
    }
    case "hold":
      return t(locale, key, { hours: q.hours });
    default:
      return t(locale, key);
  }
}

/** A token's decimals in the campaign (18 unless an external token has others, e.g. USDC's 6). */
export function decimalsOf(c: Pick<Campaign, "rules"> | undefined, token: string): number {
  return c?.rules.tokens.get(token)?.decimals ?? 18;
}

/** An amount or a range of amounts in one token: `2.4 REF`, `2.4–2.88 REF`. */
export function formatEarning(
  e: { min: bigint; max: bigint },
  token: string,
  locale: Locale,
  decimals = 18,
): string {
  return e.min === e.max
    ? formatAmount(e.min, token, locale, decimals)
    : `${formatWei(e.min, locale, decimals)}–${formatAmount(e.max, token, locale, decimals)}`;
}

/** What this member earns for a friend who counts (level 1, their variant and tier), e.g. `12 REF`. */
export function levelOneReward(
  earnings: MemberEarnings,
  locale: Locale,
  c?: Pick<Campaign, "rules">,
): string {
  const l1 = earnings.levels[0];
  return l1 ? formatEarning(l1, l1.token, locale, decimalsOf(c, l1.token)) : "";
}

/** The tier's name in `locale` (its id when the definition has none). */
export function tierName(c: Campaign, tierId: string, locale: Locale): string {
  return c.definition.tiers.find((x) => x.id === tierId)?.name[locale] ?? tierId;
}

/**
 * "At tier Pro (2 more friends) it is 15 REF": level 1 at the next tier, or nothing at the
 * top tier (or when the next tier pays the same).
 */
export function nextTierLine(
  t: T,
  c: Campaign,
  earnings: MemberEarnings,
  locale: Locale,
): string | undefined {
  const l1 = earnings.levels[0];
  if (!l1?.next || !earnings.next || earnings.toNext === null) return undefined;
  if (l1.next.min === l1.min && l1.next.max === l1.max) return undefined;
  return t(locale, "rules-short-next-tier", {
    tier: tierName(c, earnings.next.id, locale),
    left: earnings.toNext,
    reward: formatEarning(l1.next, l1.token, locale, decimalsOf(c, l1.token)),
  });
}

/** The short version for `/start`: what a friend must do and what it earns this member. */
export function shortRules(t: T, c: Campaign, locale: Locale, earnings: MemberEarnings): Html {
  const parts = [
    t(locale, "rules-short", {
      qualification: qualificationText(t, c, locale, "friend"),
      reward: levelOneReward(earnings, locale, c),
    }),
  ];
  const next = nextTierLine(t, c, earnings, locale);
  if (next) parts.push(next);
  if (c.rules.levels.length > 1)
    parts.push(t(locale, "rules-short-levels", { levels: c.rules.levels.length }));
  return new Html(parts.join(" "));
}

/** Everything a member should know, from the definition the engine runs on, in their numbers. */
export function fullRules(
  t: T,
  c: Campaign,
  locale: Locale,
  opts: { attributionWindowHours: number; paused: boolean; earnings: MemberEarnings },
): Html {
  const { rules, definition } = c;
  const { earnings } = opts;
  const out: Array<string | Html> = [];
  out.push(new Html(t(locale, "rules-title", { name: campaignName(c, locale) })));
  out.push(
    new Html(
      rules.endsAt
        ? t(locale, "rules-dates", {
            start: formatDate(rules.startsAt, locale),
            end: formatDate(rules.endsAt, locale),
          })
        : t(locale, "rules-dates-open", { start: formatDate(rules.startsAt, locale) }),
    ),
  );
  if (opts.paused) out.push(new Html(t(locale, "rules-paused")));
  out.push(
    new Html(
      t(locale, "rules-qualification", {
        qualification: qualificationText(t, c, locale, "friend"),
      }),
    ),
  );

  out.push(
    new Html(
      t(locale, "rules-levels-title", {
        tier: tierName(c, earnings.tier.id, locale),
        multiplier: formatMultiplier(earnings.tier.multiplierBps, locale),
      }),
    ),
  );
  let varies = false;
  for (const l of earnings.levels) {
    if (l.min !== l.max) varies = true;
    const amount = formatEarning(l, l.token, locale, decimalsOf(c, l.token));
    let line =
      l.bps !== null
        ? t(locale, "rules-level-percent", {
            level: l.level,
            percent: formatPercent(l.bps, locale),
            above: l.level - 1,
            amount,
          })
        : t(locale, "rules-level-fixed", { level: l.level, amount });
    if (l.next && earnings.next && (l.next.min !== l.min || l.next.max !== l.max))
      line += ` ${t(locale, "rules-level-at-next", {
        tier: tierName(c, earnings.next.id, locale),
        amount: formatEarning(l.next, l.token, locale, decimalsOf(c, l.token)),
      })}`;
    out.push(new Html(line));
  }
  if (varies) out.push(new Html(t(locale, "rules-levels-varies")));
  if (rules.welcomeBonus) {
    out.push(
      new Html(
        t(locale, "rules-welcome", {
          amount: formatAmount(
            rules.welcomeBonus.amount,
            rules.welcomeBonus.token,
            locale,
            decimalsOf(c, rules.welcomeBonus.token),
          ),
        }),
      ),
    );
  }

  out.push(new Html(t(locale, "rules-tiers-title")));
  for (const tier of definition.tiers) {
    out.push(
      new Html(
        t(locale, tier.id === earnings.tier.id ? "rules-tier-current" : "rules-tier", {
          name: tier.name[locale],
          from: tier.minQualified,
          multiplier: formatMultiplier(tier.multiplierBps, locale),
        }),
      ),
    );
  }

  const caps: string[] = [];
  for (const [token, amount] of rules.caps.daily)
    caps.push(
      t(locale, "rules-cap-daily", {
        amount: formatAmount(amount, token, locale, decimalsOf(c, token)),
      }),
    );
  for (const [token, amount] of rules.caps.total)
    caps.push(
      t(locale, "rules-cap-total", {
        amount: formatAmount(amount, token, locale, decimalsOf(c, token)),
      }),
    );
  if (caps.length > 0) {
    out.push(new Html(t(locale, "rules-caps-title")));
    for (const cap of caps) out.push(new Html(cap));
  }
  if (rules.expiryDays !== undefined)
    out.push(new Html(t(locale, "rules-expiry", { days: rules.expiryDays })));

  if (definition.challenges.length > 0) {
    out.push(new Html(t(locale, "rules-challenges-title")));
    for (const ch of rules.challenges.values()) {
      const title = definition.challenges.find((d) => d.id === ch.id)?.title[locale] ?? ch.id;
      out.push(
        new Html(
          t(locale, "rules-challenge", {
            title,
            amount: formatAmount(ch.amount, ch.token, locale, decimalsOf(c, ch.token)),
          }),
        ),
      );
    }
  }
  // Whether members known from other campaigns may be invited is the campaign's choice.
  out.push(
    new Html(
      t(locale, rules.newMembersOnly ? "rules-fairness" : "rules-fairness-campaign", {
        hours: opts.attributionWindowHours,
      }),
    ),
  );
  return lines(out);
}
