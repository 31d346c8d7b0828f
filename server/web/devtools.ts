/**
 * Development helpers, mounted only when DASHBOARD_DEV_TOOLS is on (the default in
 * development; refused in production by the settings):
 *
 * - `GET /__dev/telegram-init-data`: Telegram init data for a test user, signed with this
 *   server's bot token exactly as Telegram signs it. The dashboard's dev-only mocked Telegram
 *   environment uses it, so the server's real init data validation runs in development.
 * - `GET /__dev/login`: a fresh single-use login link for a test member (what the bot's
 *   `/login` sends), followed at once.
 *
 * Both answer only loopback clients that did not come through a proxy.
 */
import { sign } from "@tma.js/init-data-node";
import express, { type Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../domain/context.ts";
import { ensureMember } from "../domain/members.ts";
import { issueLoginToken, loginLink } from "../domain/webLogin.ts";
import { ProblemError } from "../http/problem.ts";

/** The member `npm run dev` shows in both modes. */
export const DEMO_USER = {
  id: 700_000_001,
  first_name: "Demo",
  username: "refmint_demo",
  language_code: "en",
} as const;

const userQuery = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional(),
  first_name: z.string().min(1).max(64).optional(),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_]{4,32}$/)
    .optional(),
  language_code: z
    .string()
    .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/)
    .optional(),
  start_param: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

function parse(query: unknown): z.infer<typeof userQuery> {
  const q = userQuery.safeParse(query);
  if (!q.success) throw new ProblemError("validation_failed", q.error.issues[0]?.message);
  return q.data;
}

export function devRouter(o: {
  domain: DomainContext;
  botToken: string;
  dashboardUrl: string;
}): Router {
  const router = express.Router();
  // Only for a browser on this machine, and never through a proxy: the helpers log anyone in.
  router.use("/__dev", (req, res, next) => {
    const peer = req.socket.remoteAddress ?? "";
    const loopback = peer === "::1" || peer.startsWith("127.") || peer.startsWith("::ffff:127.");
    if (
      !loopback ||
      req.headers["x-forwarded-for"] !== undefined ||
      req.headers.forwarded !== undefined
    )
      return next(new ProblemError("route_not_found", "no such endpoint"));
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  router.get("/__dev/telegram-init-data", (req, res) => {
    const q = parse(req.query);
    const user = {
      id: q.id ?? DEMO_USER.id,
      first_name: q.first_name ?? (q.id === undefined ? DEMO_USER.first_name : `User ${q.id}`),
      ...(q.username !== undefined || q.id === undefined
        ? { username: q.username ?? DEMO_USER.username }
        : {}),
      language_code: q.language_code ?? DEMO_USER.language_code,
    };
    const initData = sign(
      {
        user,
        ...(q.start_param !== undefined ? { start_param: q.start_param } : {}),
        query_id: "AAHdevMockedTelegramEnvironment",
        chat_type: "sender",
        chat_instance: "-1000000000000",
      },
      o.botToken,
      new Date(),
    );
    res.json({ initData });
  });

  router.get("/__dev/login", async (req, res, next) => {
    try {
      const q = parse(req.query);
      const { member } = await ensureMember(o.domain, {
        id: q.id ?? DEMO_USER.id,
        firstName: q.first_name ?? DEMO_USER.first_name,
        username: q.username ?? (q.id === undefined ? DEMO_USER.username : undefined),
        languageCode: q.language_code ?? DEMO_USER.language_code,
      });
      const { token } = await issueLoginToken(o.domain, member.id);
      res.redirect(302, loginLink(o.dashboardUrl, token));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
