/**
 * Messages at run time: the shell (first-screen messages of both languages, in the first
 * bundle) at once, the full dictionaries as one lazy chunk requested as soon as this module
 * runs, so it downloads while the profile loads. Lazy screens wait for it (`lazyScreen`), so
 * no screen but Home ever renders with the shell alone.
 */

import SHELL from "virtual:refmint-locale-shell";
import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { Dictionary, Lang } from "./translate.ts";

export type Dictionaries = Record<Lang, Dictionary>;

export const SHELL_DICTIONARIES: Dictionaries = SHELL;

let full: Dictionaries | null = null;

/** Resolves with both full dictionaries (one request, made once). */
export const dictionariesReady: Promise<Dictionaries> = import("./locales.ts").then((m) => {
  full = m.DICTIONARIES;
  return full;
});

/** The best dictionaries available right now. */
export function currentDictionaries(): Dictionaries {
  return full ?? SHELL_DICTIONARIES;
}

/** `React.lazy` for a screen's default export that also waits for the full dictionaries. */
export function lazyScreen<P>(
  load: () => Promise<{ default: ComponentType<P> }>,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(() => Promise.all([load(), dictionariesReady]).then(([module]) => module));
}
