/**
 * A campaign's rules in plain language, generated from the same compiled definition the
 * rules engine computes with (level bases from `levelBases`, tiers, caps, expiry), so what
 * the bot says is what the engine does. Pure: campaign + locale in, HTML out.
 */

import type { Campaign } from "../server/domain/registry.ts";
import { levelBases } from "../server/domain/rules.ts";
import { formatAmount, formatDate, formatMultiplier, formatPercent } from "./format.ts";
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

/** The level-1 reward in the base variant, e.g. `10 REF`. */
export function levelOneReward(c: Campaign, locale: Locale): string {
  const [l1] = levelBases(c.rules, null);
  return l1 ? formatAmount(l1.base, l1.token, locale) : "";
}

/** The short version for `/start`: what a friend must do and what it earns. */
export function shortRules(t: T, c: Campaign, locale: Locale): Html {
  const parts = [
    t(locale, "rules-short", {
      qualification: qualificationText(t, c, locale, "friend"),
      reward: levelOneReward(c, locale),
    }),
  ];
  if (c.rules.levels.length > 1)
    parts.push(t(locale, "rules-short-levels", { levels: c.rules.levels.length }));
  return new Html(parts.join(" "));
}

/** Everything a member should know, from the definition the engine runs on. */
export function fullRules(
  t: T,
  c: Campaign,
  locale: Locale,
  opts: { attributionWindowHours: number; paused: boolean },
): Html {
  const { rules, definition } = c;
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

  out.push(new Html(t(locale, "rules-levels-title")));
  const bases = levelBases(rules, null);
  for (const l of rules.levels) {
    const base = bases[l.level - 1];
    if (!base) continue;
    const amount = formatAmount(base.base, base.token, locale);
    out.push(
      new Html(
        l.kind === "percent"
          ? t(locale, "rules-level-percent", {
              level: l.level,
              percent: formatPercent(l.bps, locale),
              above: l.level - 1,
              amount,
            })
          : t(locale, "rules-level-fixed", { level: l.level, amount }),
      ),
    );
  }
  if (rules.variants.length > 0) {
    const amounts = new Set<string>();
    for (const v of rules.variants) {
      const l1 = levelBases(rules, v.id)[0];
      if (l1) amounts.add(formatAmount(l1.base, l1.token, locale));
    }
    if (amounts.size > 1)
      out.push(new Html(t(locale, "rules-variants", { amounts: [...amounts].join(" / ") })));
  }
  if (rules.welcomeBonus) {
    out.push(
      new Html(
        t(locale, "rules-welcome", {
          amount: formatAmount(rules.welcomeBonus.amount, rules.welcomeBonus.token, locale),
        }),
      ),
    );
  }

  out.push(new Html(t(locale, "rules-tiers-title")));
  for (const tier of definition.tiers) {
    out.push(
      new Html(
        t(locale, "rules-tier", {
          name: tier.name[locale],
          from: tier.minQualified,
          multiplier: formatMultiplier(tier.multiplierBps, locale),
        }),
      ),
    );
  }

  const caps: string[] = [];
  for (const [token, amount] of rules.caps.daily)
    caps.push(t(locale, "rules-cap-daily", { amount: formatAmount(amount, token, locale) }));
  for (const [token, amount] of rules.caps.total)
    caps.push(t(locale, "rules-cap-total", { amount: formatAmount(amount, token, locale) }));
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
            amount: formatAmount(ch.amount, ch.token, locale),
          }),
        ),
      );
    }
  }
  out.push(new Html(t(locale, "rules-fairness", { hours: opts.attributionWindowHours })));
  return lines(out);
}
