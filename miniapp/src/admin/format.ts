/**
 * Number formatting of the console's analytics screens, per language. The Experiments test
 * formats its independently computed values with these same functions, so what is compared is
 * the number, not the notation.
 */
import type { Lang } from "../i18n/translate.ts";

const locale = (lang: Lang) => (lang === "ru" ? "ru-RU" : "en-GB");
const DASH = "—";

/** A share as a percentage with `digits` decimals (`0.2503` → `25.0 %`); null → dash. */
export function percent(lang: Lang, share: number | null, digits = 1): string {
  if (share === null || !Number.isFinite(share)) return DASH;
  return `${new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share * 100)} %`;
}

/** A difference of shares in percentage points, signed (`0.25` → `+25.0`). */
export function points(lang: Lang, difference: number, digits = 1): string {
  const text = new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: "exceptZero",
  }).format(difference * 100);
  return text;
}

/** A count or plain number, grouped (`12345` → `12,345`); null → dash. */
export function count(lang: Lang, n: number | null, digits = 0): string {
  if (n === null || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

/** A p-value: four decimals, below 0.0001 as `< 0.0001`. */
export function pValue(lang: Lang, p: number): string {
  if (p < 0.0001) return `< ${count(lang, 0.0001, 4)}`;
  return count(lang, p, 4);
}

/** A token amount given as a decimal string: at most 4 decimals, grouped. */
export function tokens(lang: Lang, decimal: string): string {
  const [whole = "0", fraction = ""] = decimal.split(".");
  const grouped = new Intl.NumberFormat(locale(lang)).format(BigInt(whole));
  const cut = fraction.slice(0, 4).replace(/0+$/, "");
  if (!cut) return grouped;
  const point = lang === "ru" ? "," : ".";
  return `${grouped}${point}${cut}`;
}

/** Wei as gwei (gas costs), grouped, no decimals. */
export function gwei(lang: Lang, wei: string): string {
  return `${count(lang, Number(BigInt(wei) / 1_000_000_000n))} gwei`;
}

/** A duration in seconds, in the largest unit that keeps it readable. */
export function duration(lang: Lang, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return DASH;
  const units =
    lang === "ru" ? { s: "с", min: "мин", h: "ч", d: "д" } : { s: "s", min: "min", h: "h", d: "d" };
  if (seconds < 120) return `${Math.round(seconds)} ${units.s}`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} ${units.min}`;
  if (seconds < 172_800) return `${count(lang, seconds / 3600, 1)} ${units.h}`;
  return `${count(lang, seconds / 86_400, 1)} ${units.d}`;
}

/** A moment, short date and time. */
export function moment(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleString(locale(lang), { dateStyle: "short", timeStyle: "short" });
}

/** A UTC day (`2026-12-07`), as a short date. */
export function day(lang: Lang, d: string): string {
  return new Date(`${d}T00:00:00Z`).toLocaleDateString(locale(lang), {
    dateStyle: "medium",
    timeZone: "UTC",
  });
}
