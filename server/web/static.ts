/**
 * Serves the dashboard's production build (miniapp/dist) on the API's origin: hashed assets
 * cached for a year, and index.html (with the runtime config written in) for every page
 * path, so the app's own routes (/invite, /login, …) load on refresh. API paths never fall
 * back to the page: an unknown /api route stays a problem+json 404.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import express, { type Request, type RequestHandler, type Router } from "express";

/** Paths the page fallback must leave to the API's 404 handler. */
const NOT_PAGES = /^\/(api|__dev|r|healthz|readyz|metrics|openapi\.json)(\/|$)/;

/** Whether a request is a browser asking for a page of the app. */
export function wantsPage(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (NOT_PAGES.test(req.path)) return false;
  // Missing files (a stale /assets/x.js) are 404s, not the page.
  if (path.extname(req.path) !== "") return false;
  return req.accepts(["text/html", "application/json"]) === "text/html";
}

export interface StaticSiteOptions {
  distDir: string;
  /** index.html → the page (the runtime config written in). */
  render: (template: string) => string;
  /** Sets the page's security headers. */
  headers: (res: express.Response) => void;
}

/** The router, or undefined when there is no build in `distDir`. */
export function staticSite(o: StaticSiteOptions): Router | undefined {
  const indexFile = path.join(o.distDir, "index.html");
  if (!existsSync(indexFile)) return undefined;
  const page = o.render(readFileSync(indexFile, "utf8"));
  const router = express.Router();
  const files = express.static(o.distDir, {
    index: false,
    redirect: false,
    dotfiles: "ignore",
    // Vite names every file in assets/ by content hash: it never changes under a name.
    setHeaders: (res, file) => {
      o.headers(res);
      const immutable = file.startsWith(path.join(o.distDir, "assets") + path.sep);
      res.setHeader(
        "Cache-Control",
        immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
      );
    },
  });
  // index.html itself only through the page handler (with the config written in).
  router.use((req, res, next) => (req.path === "/index.html" ? next() : files(req, res, next)));
  const sendPage: RequestHandler = (req, res, next) => {
    if (!wantsPage(req)) return next();
    o.headers(res);
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(page);
  };
  router.use(sendPage);
  return router;
}
