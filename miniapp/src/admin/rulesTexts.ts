/**
 * A rules version's changes in the admin's language: the very wording members read on their
 * dashboard ("the rules changed", shared/rulesChanges.ts, from src/locales), so the console
 * and the members never describe one change two ways. The full dictionaries are the member
 * app's lazy chunk (i18n/locales.ts), fetched the first time the console shows a change; the
 * server sends each change as data (subject, what it is about, old and new value).
 */
import type { Dictionary, Lang, Params } from "../i18n/translate.ts";
import { changeText } from "../shared/rulesChanges.ts";
import type { ConsoleRulesChange } from "./models.ts";

let loading: Promise<Record<Lang, Dictionary>> | undefined;

/** Both dictionaries (one request, made once). */
export function rulesDictionaries(): Promise<Record<Lang, Dictionary>> {
  loading ??= import("../i18n/locales.ts").then((m) => m.DICTIONARIES);
  return loading;
}

const plurals = new Map<Lang, Intl.PluralRules>();

function lookup(dicts: Record<Lang, Dictionary>, lang: Lang, key: string, params?: Params) {
  const message = dicts[lang][key] ?? dicts.en[key];
  if (message === undefined) return key;
  let text: string;
  if (typeof message === "string") text = message;
  else {
    let rules = plurals.get(lang);
    if (!rules) {
      rules = new Intl.PluralRules(lang);
      plurals.set(lang, rules);
    }
    text = message[rules.select(Number(params?.count ?? 0))] ?? message.other ?? "";
  }
  return params
    ? text.replace(/\{(\w+)\}/g, (all, name: string) =>
        params[name] === undefined ? all : String(params[name]),
      )
    : text;
}

/** One change as a line in `lang`, e.g. `Level 1 reward: 10 REF → 12 REF`. */
export function changeLine(
  dicts: Record<Lang, Dictionary>,
  lang: Lang,
  change: ConsoleRulesChange,
): string {
  return changeText(change, lang, (key, params) => lookup(dicts, lang, key, params));
}
