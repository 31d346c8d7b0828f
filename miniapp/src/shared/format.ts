/**
 * Display helpers shared by the screens (pure: unit-tested under node). Amounts travel as
 * integer strings in the token's smallest unit (wei); nothing here uses floating point on
 * them, so large balances display exactly.
 */

/** `wei` (integer string or bigint) as a decimal string with at most `maxFraction` digits. */
export function formatUnitsString(wei: string | bigint, decimals: number, maxFraction = 4): string {
  let value = typeof wei === "bigint" ? wei : BigInt(wei);
  const negative = value < 0n;
  if (negative) value = -value;
  const base = 10n ** BigInt(decimals);
  const whole = value / base;
  let fraction = (value % base).toString().padStart(decimals, "0").slice(0, maxFraction);
  fraction = fraction.replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Groups the integer part for the reader's language (1 234,5 in Russian, 1,234.5 in English). */
export function formatAmount(
  wei: string | bigint,
  decimals: number,
  locale: string,
  maxFraction = 4,
): string {
  const plain = formatUnitsString(wei, decimals, maxFraction);
  return `${plain.startsWith("-") ? "-" : ""}${groupDecimal(plain.replace("-", ""), locale)}`;
}

/**
 * A decimal string without a sign (`1234.50`) for the reader's language (`1,234.5` in English,
 * `1 234,5` in Russian): exact (no float), trailing zeros of the fraction dropped.
 */
export function groupDecimal(value: string, locale: string): string {
  const [whole = "0", fraction = ""] = value.split(".");
  const { integer, point } = numbersOf(locale);
  const trimmed = fraction.replace(/0+$/, "");
  return `${integer.format(BigInt(whole))}${trimmed ? `${point}${trimmed}` : ""}`;
}

// Intl formatters are costly to make (the first of a page loads the locale's data: tens of
// milliseconds on a phone), and cheap to reuse: one per locale and options, made on first use.
const numberFormats = new Map<string, { integer: Intl.NumberFormat; point: string }>();
function numbersOf(locale: string): { integer: Intl.NumberFormat; point: string } {
  let f = numberFormats.get(locale);
  if (!f) {
    const point = new Intl.NumberFormat(locale)
      .formatToParts(1.5)
      .find((p) => p.type === "decimal");
    f = {
      integer: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      point: point?.value ?? ".",
    };
    numberFormats.set(locale, f);
  }
  return f;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A date formatter for `locale` and `options`, made once and reused. */
export function dateFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

/** Sum of integer strings (wei). */
export function sumWei(values: ReadonlyArray<string | undefined>): bigint {
  let total = 0n;
  for (const v of values) if (v !== undefined) total += BigInt(v);
  return total;
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function explorerTx(explorer: string | null, hash: string): string | null {
  return explorer ? `${explorer}/tx/${hash}` : null;
}

export function explorerAddress(explorer: string | null, address: string): string | null {
  return explorer ? `${explorer}/address/${address}` : null;
}

/** A token's page on the explorer, filtered to one holder when given. */
export function explorerToken(
  explorer: string | null,
  token: string,
  holder?: string | null,
): string | null {
  if (!explorer) return null;
  return `${explorer}/token/${token}${holder ? `?a=${holder}` : ""}`;
}

/** The funnel's steps as the server computed them; `rate` is null where there is no base. */
export function funnelSteps(f: {
  clicks: number;
  starts: number;
  qualified: number;
  startRate: number | null;
  qualifyRate: number | null;
}): Array<{ id: "clicks" | "starts" | "qualified"; value: number; rate: number | null }> {
  return [
    { id: "clicks", value: f.clicks, rate: null },
    { id: "starts", value: f.starts, rate: f.startRate },
    { id: "qualified", value: f.qualified, rate: f.qualifyRate },
  ];
}

/** Progress of `part` towards `whole` in percent, rounded, 0 when `whole` is 0. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}
