/**
 * The few HTML pages this API shows people: a referral link (`/r/<code>`) that cannot be
 * followed. Browsers and Telegram's in-app browsers ask for `text/html`; API clients keep
 * getting problem details. Russian or English after `Accept-Language`; nothing the client
 * sent appears in the page.
 */
import type { Request, Response } from "express";

type Lang = "en" | "ru";

interface PageText {
  title: string;
  body: string;
  action: string;
}

const TEXT: Record<Lang, Record<"not_found" | "malformed" | "other", PageText>> = {
  en: {
    not_found: {
      title: "This link was not found",
      body: "The invitation link may be mistyped or no longer valid. Ask the person who shared it to send it again, or open the bot.",
      action: "Open the bot in Telegram",
    },
    malformed: {
      title: "This link is broken",
      body: "Part of the link got lost on the way. Copy the whole link again, or open the bot.",
      action: "Open the bot in Telegram",
    },
    other: {
      title: "Something went wrong",
      body: "The link could not be opened right now. Please try again in a minute.",
      action: "Open the bot in Telegram",
    },
  },
  ru: {
    not_found: {
      title: "Ссылка не найдена",
      body: "Возможно, в ссылке опечатка или она больше не действует. Попросите пригласившего прислать её ещё раз или откройте бота.",
      action: "Открыть бота в Telegram",
    },
    malformed: {
      title: "Ссылка повреждена",
      body: "Часть ссылки потерялась по дороге. Скопируйте её целиком ещё раз или откройте бота.",
      action: "Открыть бота в Telegram",
    },
    other: {
      title: "Что-то пошло не так",
      body: "Сейчас открыть ссылку не получилось. Попробуйте ещё раз через минуту.",
      action: "Открыть бота в Telegram",
    },
  },
};

/** True when the client would rather read a page than problem details (a browser). */
export function prefersHtml(req: Request): boolean {
  return req.accepts(["application/problem+json", "application/json", "text/html"]) === "text/html";
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** Sends the page for a failed `/r/<code>` request with `status`. */
export function sendLinkPage(
  req: Request,
  res: Response,
  status: number,
  kind: "not_found" | "malformed" | "other",
  botUrl: string,
): void {
  const lang: Lang = req.acceptsLanguages("ru", "en") === "ru" ? "ru" : "en";
  const t = TEXT[lang][kind];
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(t.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f4f4f7;color:#222}
main{max-width:26rem;margin:1.5rem;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 .75rem}
p{line-height:1.45;margin:0 0 1.25rem}
a{display:inline-block;padding:.6rem 1rem;border-radius:8px;background:#2481cc;color:#fff;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#17212b;color:#e9eef2}main{background:#232e3c}}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.body)}</p>
<a href="${escapeHtml(botUrl)}">${escapeHtml(t.action)}</a>
</main>
</body>
</html>
`;
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Language", lang);
  res.vary("Accept");
  res.vary("Accept-Language");
  res.status(status).type("text/html; charset=utf-8").send(html);
}
