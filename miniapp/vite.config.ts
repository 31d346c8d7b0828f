/**
 * The dashboard's build. `npm run build:miniapp` writes miniapp/dist, which the server serves
 * (server/web); `npm run dev` runs this config through Vite's dev middleware instead.
 * Everything not needed for the first screen is split into lazy chunks (see src/App.tsx).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  plugins: [react()],
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
