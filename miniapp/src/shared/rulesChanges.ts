/**
 * What a rules version changed, in the member's language (pure: unit-tested under node). The
 * API sends each change as data (server/domain/rulesDiff.ts): its subject (a level, a tier, a
 * perk …) and its old and new value; `from` null: added, `to` null: removed.
 */
import type { RulesChange } from "../api/models.ts";
import type { Lang, Params } from "../i18n/translate.ts";
import { dateFormat, groupDecimal } from "./format.ts";

type T = (key: string, params?: Params) => string;
type Value = NonNullable<RulesChange["from"]>;

export function valueText(v: Value | null, lang: Lang, t: T): string {
  if (v === null) return t("rules.value.none");
  switch (v.type) {
    case "amount":
      return `${groupDecimal(v.amount, lang)} ${v.token}`;
    case "percent":
      return t("rules.value.percent", {
        percent: groupDecimal(String(v.percent), lang),
        level: v.ofLevel,
      });
    case "number":
      return String(v.value);
    case "multiplier":
      return `×${groupDecimal(String(v.bps / 10_000), lang)}`;
    case "days":
      return t("rules.value.days", { count: v.days });
    case "date":
      return dateFormat(lang === "ru" ? "ru-RU" : "en-GB", {
        dateStyle: "long",
        timeZone: "UTC",
      }).format(new Date(v.at));
    case "localized":
      return v.text[lang];
    case "qualification": {
      const rule = v.rule as { type?: string; hours?: number; challengeId?: string };
      return t(`rules.qualification.${rule.type ?? "unknown"}`, {
        hours: rule.hours ?? 0,
        task: rule.challengeId ?? "",
      });
    }
    case "stock":
      return v.stock === null ? t("rules.value.unlimited") : String(v.stock);
    case "flag":
      return t(v.value ? "rules.value.yes" : "rules.value.no");
    case "text":
      return v.text;
  }
}

/** One change as a line, e.g. `Level 1 reward: 10 REF → 12 REF`. */
export function changeText(c: Omit<RulesChange, "text">, lang: Lang, t: T): string {
  const subject = t(`rules.subject.${c.subject}`, {
    level: c.level ?? "",
    token: c.token ?? "",
    name: c.name?.[lang] ?? "",
    field: c.field ?? "",
  });
  const from = valueText(c.from, lang, t);
  const to = valueText(c.to, lang, t);
  if (c.from === null) return t("rules.added", { subject, to });
  if (c.to === null) return t("rules.removed", { subject, from });
  return t("rules.changedLine", { subject, from, to });
}

/** The newest version a member dismissed, per campaign (kept in this browser). */
export const seenKey = (slug: string) => `refmint.rulesSeen.${slug}`;
