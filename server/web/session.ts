/**
 * The website's session cookie and the CSRF guard that goes with it.
 *
 * The cookie holds the session secret from server/domain/webLogin.ts (only its hash is
 * stored). It is HttpOnly (scripts never see it), SameSite=Strict (never sent on cross-site
 * requests, the dashboard's own fetches are same-site), Path=/, and Secure with the
 * `__Host-` prefix when the dashboard is served over https. Requests that change state with
 * the cookie must also come from the dashboard's origin (the `Origin` header browsers add to
 * every POST), so a cross-site page can neither act for a member nor log one in.
 */
import type { Request, Response } from "express";
import type { DomainContext } from "../domain/context.ts";
import { isDomainError } from "../domain/errors.ts";
import { getMember } from "../domain/members.ts";
import { resolveSession, SESSION_TTL_SECONDS } from "../domain/webLogin.ts";
import type { AuthResolver } from "../http/auth.ts";
import { ProblemError } from "../http/problem.ts";

export interface CookieSettings {
  secure: boolean;
}

/** `__Host-` needs Secure; over plain http (local development) the bare name is used. */
export const cookieName = (s: CookieSettings) =>
  s.secure ? "__Host-refmint_session" : "refmint_session";

/** Session secrets are 32 random bytes in base64url. Anything else is not worth a query. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function sessionCookie(s: CookieSettings, secret: string, expiresAt: Date, now: Date) {
  const maxAge = Math.max(
    0,
    Math.min(SESSION_TTL_SECONDS, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  );
  return [
    `${cookieName(s)}=${secret}`,
    "Path=/",
    `Max-Age=${maxAge}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(s.secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedCookie(s: CookieSettings): string {
  return [
    `${cookieName(s)}=`,
    "Path=/",
    "Max-Age=0",
    "HttpOnly",
    "SameSite=Strict",
    ...(s.secure ? ["Secure"] : []),
  ].join("; ");
}

/** The session secret in the request's cookie, if it looks like one. */
export function readSessionCookie(req: Request, s: CookieSettings): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  const name = cookieName(s);
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request comes from one of `origins`. Browsers send `Origin` on every POST (same-
 * and cross-origin); a request without one is not from a browser page, so it cannot be a
 * cross-site forgery. When the header is absent, `Sec-Fetch-Site` (sent by current browsers
 * on every request) must not say cross-site either.
 */
export function fromAllowedOrigin(req: Request, origins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return origins.has(origin);
  const site = req.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}

export function requireAllowedOrigin(req: Request, origins: ReadonlySet<string>): void {
  if (!fromAllowedOrigin(req, origins))
    throw new ProblemError(
      "forbidden",
      "requests with the session cookie must come from the dashboard",
    );
}

export interface SessionResolverSettings extends CookieSettings {
  /** Origins state-changing cookie requests may come from. */
  origins: ReadonlySet<string>;
  /** `ADMIN_TELEGRAM_IDS`: an admin session of one of these is a super-admin's. */
  adminTelegramIds: ReadonlySet<number>;
}

function setCookie(res: Response | undefined, value: string): void {
  res?.append("Set-Cookie", value);
}

/**
 * The website's {@link AuthResolver}: the session cookie → its member. Unknown, revoked or
 * expired sessions are a 401 that also clears the cookie; a rotated secret is sent back as
 * a new cookie on the same response.
 */
export function sessionResolver(ctx: DomainContext, s: SessionResolverSettings): AuthResolver {
  return async (req) => {
    const value = readSessionCookie(req, s);
    if (value === undefined) return null;
    if (!SAFE_METHODS.has(req.method)) requireAllowedOrigin(req, s.origins);
    const invalid = (detail: string) =>
      new ProblemError("session_invalid", detail, {}, { "Set-Cookie": clearedCookie(s) });
    if (!SECRET.test(value)) throw invalid("malformed session cookie");
    let session: Awaited<ReturnType<typeof resolveSession>>;
    try {
      session = await resolveSession(ctx, value);
    } catch (error) {
      if (isDomainError(error, "session_invalid")) throw invalid(error.message);
      throw error;
    }
    const member = await getMember(ctx.db, session.memberId);
    if (!member) throw invalid("the session's member no longer exists");
    if (session.secret !== undefined)
      setCookie(req.res, sessionCookie(s, session.secret, session.expiresAt, ctx.now()));
    return {
      via: session.admin ? "admin-session" : "session",
      member,
      // A member session carries no admin rights, whatever roles the member holds. An admin
      // session (opened by the bot's `/admin` link, 12 hours at most) carries the same rights
      // as the member's Telegram init data: super-admin by Telegram id, else their campaign
      // roles, read from the database on every request by the admin guard.
      adminRights: !session.admin
        ? "none"
        : s.adminTelegramIds.has(member.telegramId)
          ? "super"
          : "roles",
      actor: `member:${member.id}`,
    };
  };
}
