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
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    // Telegram's WebViews and current browsers: modern syntax, no legacy polyfills.
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
