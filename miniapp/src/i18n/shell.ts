/**
 * Which messages ship in the first bundle. The first screen (the shell, Home, error states)
 * renders with these, for both languages; every other message comes with the full
 * dictionaries, a lazy chunk fetched at start-up alongside the profile and awaited by every
 * lazy screen (see `i18n/load.ts`). Keeping the rest out holds the member's initial JS within
 * its budget while the product grows screens. `test/miniapp/bundle.test.ts` fails when the
 * first bundle names a key outside these prefixes.
 */
export const SHELL_PREFIXES: readonly string[] = [
  "tab.",
  "page.",
  "action.",
  "state.",
  "fatal.",
  "home.",
  "status.",
  // Problems: the generic text, and those that stop the app before any screen (FATAL_TMA in
  // App.tsx). Other problem texts replace the generic one when the full dictionaries arrive.
  "problem.unknown",
  "problem.init_data_",
  "problem.member_banned",
];

export function isShellKey(key: string): boolean {
  return SHELL_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The part of a dictionary the first bundle carries. */
export function shellOf<T>(dictionary: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(dictionary).filter(([key]) => isShellKey(key)));
}
