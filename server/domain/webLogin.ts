/**
 * Website mode: a member asks the bot for a login link; the link carries a short-lived,
 * single-use token bound to the member; the website exchanges it for a session whose secret
 * lives in an HttpOnly cookie. Sessions are rotated, revocable and expire. Only SHA-256
 * hashes of tokens and secrets are stored, so a database leak does not log anyone in.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { jsonRows } from "../db/index.ts";
import { webLoginTokens, webSessions } from "../db/schema/web.ts";
import { members } from "../db/schema.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";

export const LOGIN_TOKEN_TTL_SECONDS = 10 * 60;
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
/** A session secret older than this is replaced on the next request. */
export const SESSION_ROTATE_AFTER_SECONDS = 24 * 60 * 60;
/**
 * An admin console session (opened by a link from the bot's `/admin`) ends this long after
 * login, whatever happens: admin rights in a browser are kept short. Rotation does not
 * extend it.
 */
export const ADMIN_SESSION_TTL_SECONDS = 12 * 60 * 60;

const secret = () => randomBytes(32).toString("base64url");
const hash = (value: string) => createHash("sha256").update(value).digest("hex");
const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

/** Issues a single-use login token for `memberId` (the bot puts it in a link): a batch of one. */
export async function issueLoginToken(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  ttlSeconds = LOGIN_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: Date }> {
  const [issued] = await issueLoginTokens(ctx, [memberId], ttlSeconds);
  return issued!;
}

/** Single-use login tokens for many members in one statement (the bot batches its replies). */
export async function issueLoginTokens(
  ctx: Pick<DomainContext, "db" | "now">,
  memberIds: readonly number[],
  ttlSeconds = LOGIN_TOKEN_TTL_SECONDS,
): Promise<Array<{ token: string; expiresAt: Date }>> {
  if (memberIds.length === 0) return [];
  const now = ctx.now();
  const expiresAt = later(now, ttlSeconds);
  const issued = memberIds.map((memberId) => ({ memberId, token: secret() }));
  // One jsonb parameter for the batch (see jsonRows): the bot issues these per reply.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  await ctx.db.execute(
    sql`insert into web_login_tokens (token_hash, member_id, created_at, expires_at)
        select x.token_hash, x.member_id, ${at(now)}, ${at(expiresAt)}
        from jsonb_to_recordset(${jsonRows(
          issued.map((t) => ({ token_hash: hash(t.token), member_id: t.memberId })),
        )}) as x(token_hash text, member_id bigint)`,
  );
  return issued.map((t) => ({ token: t.token, expiresAt }));
}

/**
 * A single-use link into the admin console for `memberId` (the bot's `/admin`). Its session
 * is an admin session: the member's admin rights (super-admin by `ADMIN_TELEGRAM_IDS`, else
 * their campaign roles, read on every request) apply to it. Whether the member is an admin
 * at all is the caller's check; the rights themselves are checked per request.
 */
export async function issueAdminLoginToken(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.now();
  const token = secret();
  const expiresAt = later(now, LOGIN_TOKEN_TTL_SECONDS);
  await ctx.db.insert(webLoginTokens).values({
    tokenHash: hash(token),
    memberId,
    createdAt: now,
    expiresAt,
    admin: true,
  });
  return { token, expiresAt };
}

/** The link the bot's `/admin` sends: the console's page with the token in the fragment. */
export function adminLoginLink(websiteUrl: string, token: string): string {
  return `${websiteUrl.replace(/\/$/, "")}/admin#token=${token}`;
}

/** The login link the bot sends: the website's `/login` page with the token in the fragment. */
export function loginLink(websiteUrl: string, token: string): string {
  // The fragment is never sent to servers or kept in referrer headers; the page posts it.
  return `${websiteUrl.replace(/\/$/, "")}/login#token=${token}`;
}

export interface Session {
  sessionId: number;
  memberId: number;
  /** An admin console session (see {@link issueAdminLoginToken}). */
  admin: boolean;
  /** The cookie value; present only when a new secret was just issued (login or rotation). */
  secret?: string;
  expiresAt: Date;
}

/**
 * Exchanges a login token for a new session. The token is consumed atomically: of two
 * concurrent exchanges of one token exactly one succeeds.
 */
export async function exchangeLoginToken(ctx: DomainContext, token: string): Promise<Session> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(webLoginTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(webLoginTokens.tokenHash, hash(token)),
          isNull(webLoginTokens.usedAt),
          gt(webLoginTokens.expiresAt, now),
        ),
      )
      .returning({ memberId: webLoginTokens.memberId, admin: webLoginTokens.admin });
    if (used === undefined) {
      const [row] = await tx
        .select({ usedAt: webLoginTokens.usedAt, expiresAt: webLoginTokens.expiresAt })
        .from(webLoginTokens)
        .where(eq(webLoginTokens.tokenHash, hash(token)));
      if (row === undefined) throw new DomainError("login_link_invalid", "Unknown login link");
      if (row.usedAt !== null)
        throw new DomainError("login_link_used", "This login link was already used");
      throw new DomainError("login_link_expired", "This login link has expired");
    }
    const [member] = await tx
      .select({ bannedAt: members.bannedAt })
      .from(members)
      .where(eq(members.id, used.memberId));
    if (member?.bannedAt) throw new DomainError("member_banned", "The member is banned");
    const value = secret();
    const expiresAt = later(now, used.admin ? ADMIN_SESSION_TTL_SECONDS : SESSION_TTL_SECONDS);
    const [session] = await tx
      .insert(webSessions)
      .values({
        secretHash: hash(value),
        memberId: used.memberId,
        createdAt: now,
        rotatedAt: now,
        lastSeenAt: now,
        expiresAt,
        admin: used.admin,
      })
      .returning({ id: webSessions.id });
    return {
      sessionId: session.id,
      memberId: used.memberId,
      admin: used.admin,
      secret: value,
      expiresAt,
    };
  });
}

/**
 * Resolves a session cookie to its member; rotates the secret when it is older than
 * {@link SESSION_ROTATE_AFTER_SECONDS} (the caller then sets the new cookie). Throws
 * `session_invalid` for unknown, revoked or expired sessions and for banned members.
 */
export async function resolveSession(ctx: DomainContext, value: string): Promise<Session> {
  const now = ctx.now();
  const [row] = await ctx.db
    .select({
      id: webSessions.id,
      memberId: webSessions.memberId,
      rotatedAt: webSessions.rotatedAt,
      expiresAt: webSessions.expiresAt,
      revokedAt: webSessions.revokedAt,
      admin: webSessions.admin,
      bannedAt: members.bannedAt,
    })
    .from(webSessions)
    .innerJoin(members, eq(members.id, webSessions.memberId))
    .where(eq(webSessions.secretHash, hash(value)));
  if (
    row === undefined ||
    row.revokedAt !== null ||
    row.expiresAt <= now ||
    row.bannedAt !== null
  ) {
    throw new DomainError("session_invalid", "The session is not valid");
  }
  if (now.getTime() - row.rotatedAt.getTime() < SESSION_ROTATE_AFTER_SECONDS * 1000) {
    return {
      sessionId: row.id,
      memberId: row.memberId,
      admin: row.admin,
      expiresAt: row.expiresAt,
    };
  }
  const next = secret();
  const expiresAt = row.admin ? row.expiresAt : later(now, SESSION_TTL_SECONDS);
  // Only the holder of the current secret can rotate; a concurrent rotation wins once.
  const [rotated] = await ctx.db
    .update(webSessions)
    .set({ secretHash: hash(next), rotatedAt: now, lastSeenAt: now, expiresAt })
    .where(and(eq(webSessions.id, row.id), eq(webSessions.secretHash, hash(value))))
    .returning({ id: webSessions.id });
  if (rotated === undefined) throw new DomainError("session_invalid", "The session was rotated");
  return {
    sessionId: row.id,
    memberId: row.memberId,
    admin: row.admin,
    secret: next,
    expiresAt,
  };
}

/** Ends one session (logout). Unknown secrets are ignored. */
export async function revokeSession(ctx: DomainContext, value: string): Promise<void> {
  await ctx.db
    .update(webSessions)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(webSessions.secretHash, hash(value)), isNull(webSessions.revokedAt)));
}

/** Ends every session of a member (logout everywhere, bans). Returns how many were open. */
export async function revokeMemberSessions(ctx: DomainContext, memberId: number): Promise<number> {
  const now = ctx.now();
  const rows = await ctx.db
    .update(webSessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(webSessions.memberId, memberId),
        isNull(webSessions.revokedAt),
        gt(webSessions.expiresAt, now),
      ),
    )
    .returning({ id: webSessions.id });
  return rows.length;
}

// Kept for maintenance jobs: expired tokens and sessions carry no value after a grace period.
export const purgeExpiredWebLogins = (ctx: DomainContext, olderThan: Date) =>
  Promise.all([
    ctx.db.delete(webLoginTokens).where(sql`${webLoginTokens.expiresAt} < ${olderThan}`),
    ctx.db.delete(webSessions).where(sql`${webSessions.expiresAt} < ${olderThan}`),
  ]);
