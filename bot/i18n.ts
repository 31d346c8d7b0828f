/**
 * Localization: Fluent files in bot/locales/ through @grammyjs/i18n. Every member-visible
 * text comes from them. Messages are sent as Telegram HTML, so every variable is escaped
 * unless it is an {@link Html} fragment built by our own code (links, lists of lines).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";
import { BOT_LANGUAGES, type BotLanguage } from "../server/domain/language.ts";

export type Locale = BotLanguage;
export const LOCALES: readonly Locale[] = BOT_LANGUAGES;
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALES_DIR = fileURLToPath(new URL("./locales", import.meta.url));

/** A piece of already-safe HTML (built by us), inserted into a message as is. */
export class Html {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  toString(): string {
    return this.html;
  }
}

export type TextVar = string | number | Html | null | undefined;
export type TextVars = Record<string, TextVar>;

export function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** An `<a>` link; the URL is attribute-escaped. */
export function link(url: string, text: string | Html): Html {
  const label = text instanceof Html ? text.html : escapeHtml(text);
  return new Html(`<a href="${escapeHtml(url).replaceAll('"', "&quot;")}">${label}</a>`);
}

export function code(text: string): Html {
  return new Html(`<code>${escapeHtml(text)}</code>`);
}

/** Lines joined into one fragment (each already safe). */
export function lines(parts: readonly (Html | string)[], separator = "\n"): Html {
  return new Html(parts.map((p) => (p instanceof Html ? p.html : escapeHtml(p))).join(separator));
}

function fluentVars(vars: TextVars = {}): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (v === null || v === undefined) out[k] = "";
    else if (v instanceof Html) out[k] = v.html;
    else if (typeof v === "number") out[k] = v;
    else out[k] = escapeHtml(v);
  }
  return out;
}

/** Telegram's language code → one of our locales (Russian for `ru*`, else English). */
export function localeFromLanguageCode(code: string | null | undefined): Locale {
  return code?.toLowerCase().startsWith("ru") ? "ru" : "en";
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** A member's locale: their `/language` choice, else their Telegram client's language. */
export function memberLocale(override: string | null | undefined, languageCode?: string | null) {
  return isLocale(override) ? override : localeFromLanguageCode(languageCode);
}

export interface Translator {
  /** The HTML text of `key` in `locale`, variables escaped. */
  t(locale: Locale, key: string, vars?: TextVars): string;
}

/** Message ids defined in a locale file (a message id starts a line: `id = …`). */
export function localeKeys(locale: Locale): string[] {
  const text = readFileSync(path.join(LOCALES_DIR, `${locale}.ftl`), "utf8");
  return [...text.matchAll(/^([a-z][a-z0-9_-]*)\s*=/gm)].map((m) => m[1]!);
}

/**
 * Loads the locale files once. The locale of an update is `ctx.locale`, which the bot sets
 * from the member's choice or Telegram language before the i18n middleware runs.
 */
export function createTranslator<C extends Context & { locale?: Locale }>(
  onMissing?: (key: string, locales: string[]) => void,
): Translator & { readonly i18n: I18n<C> } {
  const i18n = new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    directory: LOCALES_DIR,
    // Unicode isolation marks around variables would end up inside links and codes.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.locale ?? localeFromLanguageCode(ctx.from?.language_code),
    fluentOptions: { warningHandler: (w) => onMissing?.(w.path, w.locales) },
  });
  return { i18n, t: (locale, key, vars) => i18n.t(locale, key, fluentVars(vars)) };
}

/** Variables for `ctx.t` (escaped, fragments kept). */
export { fluentVars };
