/**
 * Authentication: a chain of resolvers turns a request into a {@link Principal}.
 *
 * - `tma`: `Authorization: tma <initDataRaw>` from the Mini App, HMAC-validated with the bot
 *   token and a maximum age. The member id comes only from the validated data; invalid data
 *   is a 401 before anything is written.
 * - `admin token`: `Authorization: Bearer <ADMIN_API_TOKEN>` for scripts.
 *
 * Admin routes then need an {@link AdminPrincipal} (`requireAdmin`): a super-admin (the token,
 * or a Telegram id in `ADMIN_TELEGRAM_IDS`), or a member holding some campaign role. What each
 * may do in which campaign is the domain's decision (server/domain/roles.ts), made by the
 * domain function each route calls.
 *
 * Another resolver (e.g. a session cookie for the website mode) is one more function in
 * the list given to `createApp`; route handlers only ever look at `req.principal`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { hashToken, validate } from "@tma.js/init-data-node";
import type { Request, RequestHandler } from "express";
import { z } from "zod";
import type { Actor, DomainContext } from "../domain/context.ts";
import { ensureMember, type MemberView } from "../domain/members.ts";
import { type AdminPrincipal, isAnyAdmin, memberAdmin, systemAdmin } from "../domain/roles.ts";
import type { RawMemberStats } from "../domain/stats.ts";
import { ProblemError } from "./problem.ts";

export interface Principal {
  /** How the request authenticated: `tma`, `admin-token`, or a later resolver's name. */
  via: string;
  /** Present for member principals (Mini App, website session). */
  member?: MemberView;
  /** Loaded with the member when the route asked for it (`memberStats: true`), saving a query. */
  memberStats?: RawMemberStats;
  /** Validated Telegram facts (tma only). */
  telegram?: { userId: number; authDate: Date; startParam?: string };
  /**
   * The admin rights this way of authenticating can carry: `super`, every action everywhere
   * (the admin token, a Telegram id in `ADMIN_TELEGRAM_IDS`); `roles`, the member's campaign
   * roles (Telegram init data); `none`, none whatever roles the member holds (a website
   * session cookie).
   */
  adminRights: "super" | "roles" | "none";
  /** Written to the audit log for admin decisions. */
  actor: Actor;
}

/** What admin rights a principal's authentication carries (see {@link Principal.adminRights}). */
export type AdminRights = Principal["adminRights"];

declare module "express-serve-static-core" {
  interface Request {
    /** Set by the authentication middleware when a resolver accepted the request. */
    principal?: Principal;
    /** Shortcut for `principal.member`. */
    member?: MemberView;
    /** Set by {@link requireAdmin} on admin routes: who acts, with their roles. */
    admin?: AdminPrincipal;
    /** Set by routes that will read the member's stats, so resolvers can load them along. */
    wantsMemberStats?: boolean;
  }
}

/**
 * Returns a principal when the request uses this resolver's scheme and is valid, `null`
 * when the scheme is not this resolver's, and throws a 401 {@link ProblemError} when the
 * scheme matches but the credentials do not.
 */
export type AuthResolver = (req: Request) => Promise<Principal | null>;

const telegramUser = z.object({
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
  is_premium: z.boolean().optional(),
  is_bot: z.boolean().optional(),
});

export interface TmaSettings {
  botToken: string;
  maxAgeSeconds: number;
  adminTelegramIds: ReadonlySet<number>;
}

/**
 * Clocks differ a little between Telegram's servers (which set `auth_date`) and ours: init
 * data dated up to this far ahead is accepted; beyond it, it is refused as
 * `init_data_from_future` (usually a server clock that is behind: check NTP).
 */
export const INIT_DATA_FUTURE_SKEW_MS = 60_000;
const FUTURE_SKEW_MS = INIT_DATA_FUTURE_SKEW_MS;

export interface VerifiedInitData {
  params: URLSearchParams;
  authDate: Date;
}

export type InitDataFailure = "invalid" | "expired" | "future";

/**
 * Telegram's Mini App check (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app)
 * by @tma.js/init-data-node's `validate` (HMAC-SHA256 of the sorted fields, keyed with the
 * bot token's hash, computed once here), then the dates against our clock: the library's
 * own expiry check reads the wall clock, so it is off (`expiresIn: 0`) and the age and the
 * future skew are checked here. bench/initdata.ts measured this against a hand-written copy
 * of the HMAC check; with the per-string cache of {@link tmaResolver} the difference does
 * not show at the API's target (README, "Init data validation").
 */
export function createInitDataVerifier(
  botToken: string,
): (raw: string, maxAgeSeconds: number, now: Date) => VerifiedInitData | InitDataFailure {
  // The key derived once (an exact ArrayBuffer: Buffers may be views of a shared pool).
  const key = Uint8Array.from(hashToken(botToken)).buffer;
  return (raw, maxAgeSeconds, now) => {
    try {
      validate(raw, key, { tokenHashed: true, expiresIn: 0 });
    } catch {
      return "invalid"; // no or a bad signature, or no valid auth_date
    }
    const params = new URLSearchParams(raw);
    const seconds = Number(params.get("auth_date"));
    if (!Number.isSafeInteger(seconds) || seconds <= 0) return "invalid";
    const authDate = new Date(seconds * 1000);
    if (authDate.getTime() > now.getTime() + FUTURE_SKEW_MS) return "future";
    if (now.getTime() - authDate.getTime() > maxAgeSeconds * 1000) return "expired";
    return { params, authDate };
  };
}

/** Validated init data, as {@link tmaResolver} uses it. */
interface TmaIdentity {
  user: z.infer<typeof telegramUser>;
  authDate: Date;
  startParam?: string;
}

// A Mini App sends the same init data with every request of a session: the outcome of a
// successful validation is remembered, keyed by the exact string, so repeats skip the
// signature check, the query-string and JSON parsing and the schema check. Only strings that passed are kept
// (nothing unvalidated is ever trusted), their age is checked again on every use, and the
// map is bounded (cleared when full; entries are cheap to recompute).
const IDENTITY_CACHE_ENTRIES = 10_000;
const IDENTITY_CACHE_MAX_LENGTH = 4096;

export function tmaResolver(ctx: Pick<DomainContext, "db" | "now">, s: TmaSettings): AuthResolver {
  const verify = createInitDataVerifier(s.botToken);
  const validated = new Map<string, TmaIdentity>();
  const identify = (raw: string, now: Date): TmaIdentity => {
    const known = validated.get(raw);
    if (known !== undefined) {
      const age = now.getTime() - known.authDate.getTime();
      if (age > s.maxAgeSeconds * 1000) {
        validated.delete(raw);
        throw new ProblemError(
          "init_data_expired",
          "init data is older than the allowed maximum age",
        );
      }
      if (age >= -FUTURE_SKEW_MS) return known;
      validated.delete(raw); // the clock went back: check it from scratch
    }
    const verified = verify(raw, s.maxAgeSeconds, now);
    if (verified === "expired")
      throw new ProblemError(
        "init_data_expired",
        "init data is older than the allowed maximum age",
      );
    if (verified === "future")
      throw new ProblemError(
        "init_data_from_future",
        `init data auth_date is in the future (more than ${FUTURE_SKEW_MS / 1000} s ahead of the server's clock)`,
      );
    if (verified === "invalid")
      throw new ProblemError("init_data_invalid", "init data signature check failed");
    const { params, authDate } = verified;
    let user: z.infer<typeof telegramUser>;
    try {
      user = telegramUser.parse(JSON.parse(params.get("user") ?? "null"));
    } catch {
      throw new ProblemError("init_data_invalid", "init data carries no valid user");
    }
    if (user.is_bot)
      throw new ProblemError("init_data_invalid", "bots cannot use the Mini App API");
    const identity: TmaIdentity = {
      user,
      authDate,
      startParam: params.get("start_param") ?? undefined,
    };
    if (raw.length <= IDENTITY_CACHE_MAX_LENGTH) {
      if (validated.size >= IDENTITY_CACHE_ENTRIES) validated.clear();
      validated.set(raw, identity);
    }
    return identity;
  };
  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined || !/^tma(\s|$)/i.test(header)) return null;
    const raw = header.slice(4).trim();
    if (raw.length === 0 || raw.length > 8192)
      throw new ProblemError("init_data_invalid", "empty or oversized init data");
    const { user, authDate, startParam } = identify(raw, ctx.now());
    const { member, stats } = await ensureMember(
      ctx,
      {
        id: user.id,
        username: user.username,
        firstName: user.first_name,
        lastName: user.last_name,
        languageCode: user.language_code,
        isPremium: user.is_premium,
      },
      { withStats: req.wantsMemberStats === true },
    );
    return {
      via: "tma",
      member,
      memberStats: stats,
      telegram: { userId: user.id, authDate, startParam },
      adminRights: s.adminTelegramIds.has(user.id) ? "super" : "roles",
      actor: `member:${member.id}`,
    };
  };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

export function adminTokenResolver(token: string | undefined): AuthResolver {
  // Compare digests so the comparison is constant-time whatever the lengths.
  const expected = token === undefined ? undefined : sha256(token);
  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined || !/^bearer\s/i.test(header)) return null;
    const given = header.slice(7).trim();
    if (expected === undefined || !timingSafeEqual(sha256(given), expected)) {
      throw new ProblemError("admin_token_invalid");
    }
    return { via: "admin-token", adminRights: "super", actor: "api-token" };
  };
}

/** Runs the resolvers in order; the first that recognises the request decides. */
export function authenticate(resolvers: AuthResolver[]): RequestHandler {
  return async (req, _res, next) => {
    try {
      for (const resolve of resolvers) {
        const principal = await resolve(req);
        if (principal) {
          req.principal = principal;
          req.member = principal.member;
          break;
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

export const requireMember: RequestHandler = (req, _res, next) => {
  const member = req.principal?.member;
  if (!member) return next(new ProblemError("auth_required", "send Authorization: tma <initData>"));
  if (member.bannedAt !== null)
    return next(new ProblemError("member_banned", "this account is banned"));
  next();
};

/**
 * The admin routes' guard: sets `req.admin` for a super-admin or a member holding some
 * campaign role (read from the database now, not cached: a revoked role stops working at
 * once), else 401/403. It only asks "an admin at all?"; whether this admin may do this in
 * that campaign is decided by the domain function the route calls.
 */
export function requireAdmin(db: DomainContext["db"]): RequestHandler {
  return async (req, _res, next) => {
    try {
      const p = req.principal;
      if (!p)
        throw new ProblemError(
          "auth_required",
          "send Authorization: tma <initData> or Bearer <token>",
        );
      if (p.adminRights === "super") {
        req.admin = { ...systemAdmin(p.actor), memberId: p.member?.id ?? null };
        return next();
      }
      if (p.adminRights !== "roles" || !p.member)
        throw new ProblemError("forbidden", "admins only");
      if (p.member.bannedAt !== null)
        throw new ProblemError("member_banned", "this account is banned");
      const admin = await memberAdmin(db, p.member.id, false);
      if (!isAnyAdmin(admin)) throw new ProblemError("forbidden", "admins only");
      req.admin = admin;
      next();
    } catch (error) {
      next(error);
    }
  };
}
