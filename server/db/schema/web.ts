/**
 * The tables of the dashboard's website mode (part of the one schema, see ../schema.ts).
 * Members enter it through a single-use login link from the bot and get a session; only hashes
 * of the secrets are stored.
 */
import { bigserial, boolean, index, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "../columns.ts";
import { memberIdColumn } from "../schema.ts";

export const webLoginTokens = pgTable(
  "web_login_tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** SHA-256 of the token in the link. */
    tokenHash: text("token_hash").notNull().unique(),
    memberId: memberIdColumn(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    /** A link from the bot's `/admin`: its session carries the member's admin rights. */
    admin: boolean("admin").notNull().default(false),
  },
  (t) => [index("web_login_tokens_member_idx").on(t.memberId)],
);

export const webSessions = pgTable(
  "web_sessions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** SHA-256 of the current session secret (the cookie). */
    secretHash: text("secret_hash").notNull().unique(),
    memberId: memberIdColumn(),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** When the secret was last replaced; rotation keeps a stolen old cookie useless. */
    rotatedAt: ts("rotated_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    /** An admin console session (see webLogin.ts): short-lived, never extended by rotation. */
    admin: boolean("admin").notNull().default(false),
  },
  (t) => [index("web_sessions_member_idx").on(t.memberId)],
);

/**
 * Alerts the bot has sent admins (items entering review, payouts held, a budget nearly
 * spent), one row per thing alerted about: the key (`review:<id>`, `held:<entry id>`,
 * `budget80:<campaign>:<token>`) makes each alert go out once.
 */
export const adminAlerts = pgTable("admin_alerts", {
  key: text("key").primaryKey(),
  createdAt: ts("created_at").notNull().defaultNow(),
});
