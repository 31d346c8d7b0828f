/**
 * The dashboard's build. `npm run build:miniapp` writes miniapp/dist, which the server serves
 * (server/web); `npm run dev` runs this config through Vite's dev middleware instead.
 * Everything not needed for the first screen is split into lazy chunks (see src/App.tsx).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { shellOf } from "./src/i18n/shell.ts";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** `virtual:refmint-locale-shell`: the first-screen messages of both languages (src/i18n/shell.ts). */
function localeShell(): Plugin {
  const id = "virtual:refmint-locale-shell";
  const resolved = `\0${id}`;
  const files = { en: here("src/locales/en.json"), ru: here("src/locales/ru.json") };
  return {
    name: "refmint-locale-shell",
    resolveId: (source) => (source === id ? resolved : undefined),
    load(loadId) {
      if (loadId !== resolved) return undefined;
      const shell: Record<string, unknown> = {};
      for (const [lang, file] of Object.entries(files)) {
        this.addWatchFile(file);
        shell[lang] = shellOf(JSON.parse(readFileSync(file, "utf8")));
      }
      return `export default ${JSON.stringify(shell)};`;
    },
  };
}

export default defineConfig({
  root: here("."),
  plugins: [react(), localeShell()],
  // Outside miniapp/ so the app folder holds only source.
  cacheDir: here("../node_modules/.vite-miniapp"),
  server: {
    // The dev server (`npm run dev`, and `npm start` in development) reads files for the
    // browser, including any absolute path under `/@fs/`. Without a list it would serve the
    // whole repository: server code, key files, the embedded database's pages. Only the app's
    // own folder and the packages it imports are readable; the deny list holds even inside
    // them (Vite's defaults plus our data, secrets and deployment folders).
    fs: {
      strict: true,
      allow: [here("."), here("../node_modules")],
      deny: [
        ".env",
        ".env.*",
        "*.{crt,pem,key}",
        "**/.git/**",
        "**/.data/**",
        "**/secrets/**",
        "**/deployments/**",
      ],
    },
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    // Telegram's WebViews and current browsers: modern syntax, no legacy polyfills.
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
