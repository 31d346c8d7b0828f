/** Built by the `localeShell` plugin in miniapp/vite.config.ts from src/locales/*.json. */
declare module "virtual:refmint-locale-shell" {
  const shell: Record<
    "en" | "ru",
    Record<string, string | Partial<Record<Intl.LDMLPluralRule, string>>>
  >;
  export default shell;
}
