/** Both dictionaries (small enough to ship in the first bundle, so switching costs nothing). */
import en from "../locales/en.json" with { type: "json" };
import ru from "../locales/ru.json" with { type: "json" };
import type { Dictionary, Lang } from "./translate.ts";

export const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };
