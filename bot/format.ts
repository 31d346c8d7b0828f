/**
 * Numbers, amounts, dates and explorer links as members read them, per locale. Amounts are
 * exact: wei become whole tokens with every significant decimal (no rounding hides a
 * fraction), grouped and with the locale's decimal separator.
 */
import { formatUnits } from "viem";
import { Html, type Locale, link } from "./i18n.ts";

const GROUP: Record<Locale, string> = { en: ",", ru: "\u00a0" };
const DECIMAL: Record<Locale, string> = { en: ".", ru: "," };

/** A decimal string in whole tokens (`"1234.5"`) for `locale`: `1,234.5` / `1 234,5`. */
export function formatDecimal(value: string, locale: Locale): string {
  const negative = value.startsWith("-");
  const [int = "0", frac = ""] = (negative ? value.slice(1) : value).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP[locale]);
  const trimmed = frac.replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${trimmed ? DECIMAL[locale] + trimmed : ""}`;
}

/**
 * Smallest units as whole tokens for `locale`: 18 decimals (a RewardToken's wei) unless the
 * token has others (an external token such as a 6-decimals USDC).
 */
export function formatWei(wei: bigint, locale: Locale, decimals = 18): string {
  return formatDecimal(formatUnits(wei, decimals), locale);
}

/** `10 REF`; `decimals`: the token's (default 18, see {@link formatWei}). */
export function formatAmount(wei: bigint, token: string, locale: Locale, decimals = 18): string {
  return `${formatWei(wei, locale, decimals)} ${token}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date in UTC (`23 Nov 2026` / `23 нояб. 2026 г.`). */
export function formatDate(date: Date, locale: Locale): string {
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", {
      dateStyle: "medium",
      timeZone: "UTC",
    });
    dateFormats.set(locale, f);
  }
  return f.format(date);
}

/** `0x1234…abcd` */
export function shortHex(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}

/** Explorer links (Etherscan-style paths); `undefined` when no explorer is configured. */
export interface Explorer {
  tx(hash: string): Html;
  address(address: string): Html;
  /** The token's page filtered to a holder. */
  tokenHolder(token: string, holder: string, label: string): Html;
}

export function explorer(baseUrl: string | undefined): Explorer | undefined {
  if (baseUrl === undefined) return undefined;
  return {
    tx: (hash) => link(`${baseUrl}/tx/${hash}`, shortHex(hash)),
    address: (address) => link(`${baseUrl}/address/${address}`, shortHex(address)),
    tokenHolder: (token, holder, label) => link(`${baseUrl}/token/${token}?a=${holder}`, label),
  };
}

/** A tx hash as a link when an explorer is configured, else as code. */
export function txRef(ex: Explorer | undefined, hash: string): Html {
  return ex ? ex.tx(hash) : new Html(`<code>${shortHex(hash)}</code>`);
}

/**
 * Basis points as a percentage for `locale`: `12.5%`, and in Russian `12,5 %` (the sign is
 * set off by a no-break space, as Russian typography wants).
 */
export function formatPercent(bps: number, locale: Locale): string {
  const value = (bps / 100).toString();
  return `${formatDecimal(value, locale)}${locale === "ru" ? "\u00a0" : ""}%`;
}

/** A multiplier in basis points (`×1.5`). */
export function formatMultiplier(bps: number, locale: Locale): string {
  return `×${formatDecimal((bps / 10_000).toString(), locale)}`;
}
