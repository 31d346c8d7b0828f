/**
 * Development only: the dashboard through Vite's dev middleware on the API's own origin,
 * with hot reload (Vite's websocket shares the HTTP server). Vite is imported lazily, so a
 * production install without dev dependencies never loads it.
 */

import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";
import type { ViteDevServer } from "vite";
import { wantsPage } from "./static.ts";

export const MINIAPP_ROOT = fileURLToPath(new URL("../../miniapp", import.meta.url));

export interface ViteDev {
  router: Router;
  /** Creates the Vite server on the listening HTTP server (HMR upgrades go through it). */
  start(server: Server): Promise<void>;
  stop(): Promise<void>;
}

export function viteDev(o: {
  render: (template: string) => string;
  headers: (res: express.Response) => void;
}): ViteDev {
  let vite: ViteDevServer | undefined;
  const router = express.Router();
  router.use((req, res, next) => {
    if (!vite) {
      res.status(503).type("text").send("The dashboard's dev server is starting; reload shortly.");
      return;
    }
    vite.middlewares(req, res, next);
  });
  router.use(async (req, res, next) => {
    if (!vite || !wantsPage(req)) return next();
    try {
      const template = await readFile(path.join(MINIAPP_ROOT, "index.html"), "utf8");
      const html = await vite.transformIndexHtml(req.originalUrl, template);
      o.headers(res);
      res.setHeader("Cache-Control", "no-store");
      res.type("html").send(o.render(html));
    } catch (error) {
      vite.ssrFixStacktrace(error as Error);
      next(error);
    }
  });
  return {
    router,
    async start(server) {
      const { createServer } = await import("vite");
      vite = await createServer({
        configFile: path.join(MINIAPP_ROOT, "vite.config.ts"),
        root: MINIAPP_ROOT,
        appType: "custom",
        clearScreen: false,
        logLevel: "warn",
        server: { middlewareMode: true, ws: { server } },
      });
    },
    async stop() {
      await vite?.close();
      vite = undefined;
    },
  };
}
