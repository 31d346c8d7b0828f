/**
 * Translation core (pure: unit-tested under node). Messages live in src/locales/{en,ru}.json;
 * a message is a string with `{name}` placeholders, or plural forms keyed by
 * Intl.PluralRules categories (`one`, `few`, `many`, `other`) chosen by the `count` parameter.
 */
export type Lang = "en" | "ru";
export const LANGS: readonly Lang[] = ["en", "ru"];

export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Dictionary = Record<string, Message>;
export type Params = Record<string, string | number>;

/** Telegram's (or the browser's) language code → a language we have; Russian or English. */
export function pickLanguage(...codes: Array<string | null | undefined>): Lang {
  for (const code of codes) {
    if (!code) continue;
    const base = code.toLowerCase().split(/[-_]/)[0];
    if (base === "ru" || base === "be" || base === "uk" || base === "kk") return "ru";
    if (base === "en") return "en";
  }
  return "en";
}

const pluralRules = new Map<Lang, Intl.PluralRules>();

function interpolate(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) =>
    params[name] === undefined ? all : String(params[name]),
  );
}

/** The message `key` in `lang`, falling back to English, then to the key itself. */
export function translate(
  dictionaries: Record<Lang, Dictionary>,
  lang: Lang,
  key: string,
  params?: Params,
): string {
  const message = dictionaries[lang][key] ?? dictionaries.en[key];
  if (message === undefined) return key;
  if (typeof message === "string") return interpolate(message, params);
  const count = Number(params?.count ?? 0);
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  const form = message[rules.select(count)] ?? message.other ?? "";
  return interpolate(form, params);
}
