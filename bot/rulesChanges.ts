/**
 * A campaign's rules versions as members read them in the bot: what changed in a version
 * (server/domain/rulesDiff.ts lines, worded per locale), and the version footer of `/rules`
 * (number, since when, the public document and its hash, so a member can check it on-chain).
 */
import type { ChangeSubject, RulesChange, RulesValue } from "../server/domain/index.ts";
import { formatDate, formatDecimal, formatMultiplier, shortHex } from "./format.ts";
import { escapeHtml, Html, type Locale, link, type Translator } from "./i18n.ts";

type T = Translator["t"];

/** `tier.minQualified` → `tier-min-qualified` (Fluent ids here are lower-case). */
const subjectKey = (s: ChangeSubject) =>
  `change-${s.replaceAll(".", "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A value in the member's language, as HTML. */
export function changeValue(t: T, v: RulesValue | null, locale: Locale): Html {
  return new Html(valueHtml(t, v, locale));
}

function valueHtml(t: T, v: RulesValue | null, locale: Locale): string {
  if (v === null) return t(locale, "change-value-none");
  switch (v.type) {
    case "amount":
      return escapeHtml(`${formatDecimal(v.amount, locale)} ${v.token}`);
    case "percent":
      return t(locale, "change-value-percent", {
        percent: `${formatDecimal(String(v.percent), locale)}%`,
        level: v.ofLevel,
      });
    case "number":
      return String(v.value);
    case "multiplier":
      return escapeHtml(formatMultiplier(v.bps, locale));
    case "days":
      return t(locale, "change-value-days", { days: v.days });
    case "date":
      return escapeHtml(formatDate(new Date(v.at), locale));
    case "localized":
      return escapeHtml(v.text[locale]);
    case "qualification": {
      const q = v.rule;
      const key = `qual-friend-${q.type.replaceAll("_", "-")}`;
      if (q.type === "challenge") return t(locale, key, { title: q.challengeId });
      if (q.type === "hold") return t(locale, key, { hours: q.hours });
      return t(locale, key);
    }
    case "stock":
      return v.stock === null ? t(locale, "change-value-unlimited") : String(v.stock);
    case "flag":
      return t(locale, v.value ? "change-value-yes" : "change-value-no");
    case "text":
      return escapeHtml(v.text);
  }
}

/** One line per change, e.g. `• Level 1 reward: 10 REF → 12 REF`. */
export function changeLines(t: T, changes: readonly RulesChange[], locale: Locale): string[] {
  return changes.map((c) => {
    const subject = new Html(
      t(locale, subjectKey(c.subject), {
        level: c.level,
        token: c.token,
        name: c.name?.[locale],
        field: c.field,
      }),
    );
    const from = changeValue(t, c.from, locale);
    const to = changeValue(t, c.to, locale);
    const key =
      c.from === null ? "change-added" : c.to === null ? "change-removed" : "change-changed";
    return t(locale, key, { subject, from, to });
  });
}

/** The version footer of `/rules`. */
export function versionFooter(
  t: T,
  v: {
    version: number;
    effectiveAt: Date | null;
    hash: string;
    documentUrl: string;
    changes: readonly RulesChange[];
  },
  locale: Locale,
): Html {
  const parts: string[] = [
    t(locale, "rules-version", {
      version: v.version,
      date: v.effectiveAt ? formatDate(v.effectiveAt, locale) : "—",
      document: link(v.documentUrl, shortHex(v.hash)),
    }),
  ];
  if (v.version > 1 && v.changes.length > 0) {
    parts.push(t(locale, "rules-changed-title", { version: v.version }));
    for (const line of changeLines(t, v.changes, locale)) parts.push(line);
  }
  return new Html(parts.join("\n"));
}
