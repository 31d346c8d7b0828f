/** Both full dictionaries: a lazy chunk in the app (see i18n/load.ts), imported directly by tests. */
import en from "../locales/en.json" with { type: "json" };
import ru from "../locales/ru.json" with { type: "json" };
import type { Dictionary, Lang } from "./translate.ts";

export const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };
